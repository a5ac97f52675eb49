namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// No credential in relayed bytes: an upstream that quotes its account keys (the one in use and the platform's other one),
/// in any error shape, any stream event, an unknown field or a header, never gets them to the client or into the log.
/// Errors in shapes the client's protocol does not have still reach it as that protocol's error.
/// </summary>
public sealed class KeyEchoFaultTests(FaultGateway gateway) : IClassFixture<FaultGateway>
{
    private static readonly Fault[] ErrorBodies = [Fault.EchoOpenAIBody, Fault.EchoAnthropicBody, Fault.EchoGeminiBody, Fault.EchoUntypedBody, Fault.EchoTextBody];
    private static readonly Fault[] ErrorEvents = [Fault.EchoOpenAIEvent, Fault.EchoAnthropicEvent, Fault.EchoGeminiEvent, Fault.EchoUntypedEvent, Fault.EchoBareEvent];

    public static TheoryData<Fault, ClientProtocol, string, bool> BodyCases() => Cross(ErrorBodies, FaultGateway.Directions());

    public static TheoryData<Fault, ClientProtocol, string> EventCases()
    {
        var data = new TheoryData<Fault, ClientProtocol, string>();
        foreach (var fault in ErrorEvents)
        {
            foreach (var direction in FaultGateway.StreamDirections())
            {
                data.Add(fault, (ClientProtocol)direction[0], (string)direction[1]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BodyCases))]
    public async Task An_error_body_that_quotes_the_keys_is_the_callers_error_without_them(Fault fault, ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, fault, stream);

        var message = FaultClient.AssertError(answer, client);
        // The upstream's words are kept, masked: the client still learns what was wrong.
        Assert.Contains("Incorrect API key provided", message, StringComparison.Ordinal);
        FaultClient.AssertNoKey(answer, gateway.Log);
    }

    [Theory]
    [MemberData(nameof(EventCases))]
    public async Task An_error_event_in_any_shape_is_the_callers_error_event_without_the_keys(Fault fault, ClientProtocol client, string family)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, fault, stream: true);

        FaultClient.AssertError(answer, client);
        FaultClient.AssertNoKey(answer, gateway.Log);
    }

    [Theory]
    [MemberData(nameof(EventCases))]
    public async Task An_error_object_in_a_200_body_never_carries_the_keys(Fault fault, ClientProtocol client, string family)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, fault, stream: false);

        Assert.NotEqual(System.Net.HttpStatusCode.InternalServerError, answer.Status);
        System.Text.Json.JsonDocument.Parse(answer.Text).Dispose();
        FaultClient.AssertNoKey(answer, gateway.Log);
    }

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task Keys_in_response_headers_are_not_relayed(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.EchoHeader, stream);

        FaultClient.AssertSuccess(answer, client, stream);
        FaultClient.AssertNoKey(answer, gateway.Log);
    }

    [Theory]
    [MemberData(nameof(FaultGateway.Directions), MemberType = typeof(FaultGateway))]
    public async Task Keys_in_unknown_fields_are_masked_in_a_successful_answer(ClientProtocol client, string family, bool stream)
    {
        var answer = await FaultClient.AskAsync(gateway.Manifold, client, family, Fault.EchoUnknownField, stream);

        FaultClient.AssertSuccess(answer, client, stream);
        FaultClient.AssertNoKey(answer, gateway.Log);
    }

    private static TheoryData<Fault, ClientProtocol, string, bool> Cross(Fault[] faults, TheoryData<ClientProtocol, string, bool> directions)
    {
        var data = new TheoryData<Fault, ClientProtocol, string, bool>();
        foreach (var fault in faults)
        {
            foreach (var direction in directions)
            {
                data.Add(fault, (ClientProtocol)direction[0], (string)direction[1], (bool)direction[2]);
            }
        }
        return data;
    }
}
