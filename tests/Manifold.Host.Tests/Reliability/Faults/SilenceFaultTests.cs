using System.Net;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>An upstream that answers and then goes quiet ends in a 504 in every direction, within the idle timeout.</summary>
public sealed class SilenceFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
{
    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task An_upstream_silent_after_its_headers_is_a_504(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.Silent, stream);

        FaultClient.AssertError(answer, client);
        // Nothing was relayed before the silence, so the status can still say it.
        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
    }
}
