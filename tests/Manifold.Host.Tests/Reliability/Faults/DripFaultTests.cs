namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// An upstream that keeps making progress, however slowly, is never cut off: the idle timeout is about silence, not about
/// how long an answer takes.
/// </summary>
public sealed class DripFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
{
    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task An_upstream_that_drips_slower_than_the_idle_timeout_in_total_is_not_cut_off(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Drip, stream);

        FaultClient.AssertSuccess(answer, client, stream);
    }
}
