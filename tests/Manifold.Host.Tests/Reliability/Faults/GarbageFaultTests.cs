using System.Net;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>A 200 whose body is not what the protocol says (HTML, broken JSON, bytes that are not UTF-8) is a 502 in the client's protocol.</summary>
public sealed class GarbageFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
{
    public static TheoryData<Fault, ClientProtocol, string, bool> Cases()
    {
        var data = new TheoryData<Fault, ClientProtocol, string, bool>();
        foreach (var fault in (Fault[])[Fault.GarbageText, Fault.GarbageJson, Fault.GarbageUtf8])
        {
            foreach (var direction in FaultGateway.Directions())
            {
                data.Add(fault, (ClientProtocol)direction[0], (string)direction[1], (bool)direction[2]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_body_that_is_not_the_protocol_is_a_502(Fault fault, ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, fault, stream);

        FaultClient.AssertError(answer, client);
        // Nothing readable came before the garbage, so the status can say it.
        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        FaultClient.AssertNoKey(answer);
    }
}
