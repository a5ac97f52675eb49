using System.Net;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>An upstream that never answers ends in a 504 in every direction, within the first-byte timeout, never a hang.</summary>
public sealed class HangFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
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
}
