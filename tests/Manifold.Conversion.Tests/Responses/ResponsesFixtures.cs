using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using Manifold.Conversion.Responses;

namespace Manifold.Conversion.Tests.Responses;

/// <summary>The Responses fixtures (Fixtures/responses) as typed DTOs, read as the host reads bodies, and hub builders.</summary>
internal static class ResponsesFixtures
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "responses");

    public static CreateResponseRequest Request(string scenario) => Read<CreateResponseRequest>($"{scenario}.request.json");

    public static Response Response(string scenario) => Read<Response>($"{scenario}.response.json");

    public static List<ResponseStreamEvent> Stream(string scenario) => Read<List<ResponseStreamEvent>>($"{scenario}.stream.json");

    public static HubRequest Decode(string scenario) => ResponsesCodec.Instance.DecodeRequest(Request(scenario));

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    public static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, ManifoldJson.Options)!;

    public static HubRequest NewHub(params HubMessage[] messages)
    {
        var request = new HubRequest { Model = "gpt-4.1" };
        request.Messages.AddRange(messages);
        return request;
    }

    public static HubMessage User(params HubPart[] parts) => new(HubRole.User, parts);

    public static HubMessage Assistant(params HubPart[] parts) => new(HubRole.Assistant, parts);

    /// <summary>Hub events through the Responses stream encoder, for a client that sent <paramref name="request"/>.</summary>
    public static List<ResponseStreamEvent> Encode(HubRequest request, params HubStreamEvent[] events) =>
        HubStreams.Encode(events, ResponsesCodec.Instance.CreateStreamEncoder(request));

    public static List<HubStreamEvent> DecodeStream(IEnumerable<ResponseStreamEvent> chunks, HubRequest? request = null) =>
        HubStreams.Decode(chunks, ResponsesCodec.Instance.CreateStreamDecoder(request ?? NewHub()));

    private static T Read<T>(string file)
    {
        var value = JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(Directory, file)), ManifoldJson.Options)!;
        if (value is IValidatable validatable)
        {
            Assert.Null(validatable.Validate());
        }
        return value;
    }
}
