using System.Net;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// Silence and slowness: an upstream that never answers, or answers and then goes quiet, ends in an error within the
/// configured timeouts in every direction; one that keeps making progress, however slowly, is never cut off.
/// </summary>
public sealed class SilenceFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
{
    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task An_upstream_that_never_sends_headers_is_a_504(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Hang, stream);

        FaultClient.AssertError(answer, client);
        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
        FaultClient.AssertNoKey(answer);
    }

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task An_upstream_silent_after_its_headers_is_a_504(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Silent, stream);

        FaultClient.AssertError(answer, client);
        // Nothing was relayed before the silence, so the status can still say it.
        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
    }

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task An_upstream_that_drips_slower_than_the_idle_timeout_in_total_is_not_cut_off(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Drip, stream);

        FaultClient.AssertSuccess(answer, client, stream);
    }
}
