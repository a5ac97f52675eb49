namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// Truthful ends: an answer that arrives whole is relayed whole; one that the upstream cut short (the connection dropped,
/// or a stream ended without its protocol's final event) reaches the client as an error in the client's protocol, never as
/// a finish Manifold made up. Every direction, passed through and converted.
/// </summary>
public sealed class StreamEndFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
{
    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task A_whole_answer_is_relayed_whole(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Ok, stream);

        FaultClient.AssertSuccess(answer, client, stream);
        FaultClient.AssertNoKey(answer);
    }

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task An_answer_without_its_final_event_is_an_error_not_a_finish(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Truncate, stream);

        var message = FaultClient.AssertError(answer, client);
        if (stream)
        {
            // The client is told why: the upstream stopped before its answer was complete.
            Assert.Contains("incomplete", message, StringComparison.Ordinal);
        }
        FaultClient.AssertNoKey(answer);
    }

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task A_connection_dropped_mid_answer_is_an_error(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Cut, stream);

        FaultClient.AssertError(answer, client);
        FaultClient.AssertNoKey(answer);
    }
}
