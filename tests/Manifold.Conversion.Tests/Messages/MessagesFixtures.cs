using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Messages;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Messages;

/// <summary>The Anthropic Messages fixtures (Fixtures/messages) as typed DTOs, read as the host reads bodies, and hub builders.</summary>
internal static class MessagesFixtures
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "messages");

    public static MessagesCodec Codec => MessagesCodec.Instance;

    public static CreateMessageRequest Request(string scenario) => Read<CreateMessageRequest>($"{scenario}.request.json");

    public static Message Response(string scenario) => Read<Message>($"{scenario}.response.json");

    public static List<MessageStreamEvent> Stream(string scenario) => Read<List<MessageStreamEvent>>($"{scenario}.stream.json");

    public static JsonNode RequestNode(string scenario) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, $"{scenario}.request.json")))!;

    public static HubRequest Decode(string scenario) => Codec.DecodeRequest(Request(scenario));

    public static List<HubStreamEvent> DecodeStream(string scenario, HubRequest? request = null) =>
        HubStreams.Decode(Stream(scenario), Codec.CreateStreamDecoder(request ?? NewHub()));

    public static List<MessageStreamEvent> EncodeStream(IEnumerable<HubStreamEvent> events, HubRequest? request = null) =>
        HubStreams.Encode(events, Codec.CreateStreamEncoder(request ?? NewHub()));

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    public static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, ManifoldJson.Options)!;

    /// <summary><paramref name="usage"/> with a null <c>service_tier</c>: the platform reports its tier, no conversion carries it.</summary>
    public static Usage WithoutServiceTier(Usage usage)
    {
        var node = Node(usage).AsObject();
        node["service_tier"] = null;
        return node.Deserialize<Usage>(ManifoldJson.Options)!;
    }

    public static HubRequest NewHub(string model = "claude-sonnet-4-5", params HubMessage[] messages)
    {
        var request = new HubRequest { Model = model };
        request.Messages.AddRange(messages);
        return request;
    }

    public static HubMessage User(params HubPart[] parts) => new(HubRole.User, parts);

    public static HubMessage Assistant(params HubPart[] parts) => new(HubRole.Assistant, parts);

    public static HubMessage Tool(params HubPart[] parts) => new(HubRole.Tool, parts);

    public static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString());

    private static T Read<T>(string name) => JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(Directory, name)), ManifoldJson.Options)!;
}
