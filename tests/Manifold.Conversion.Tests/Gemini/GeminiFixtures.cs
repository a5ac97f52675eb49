using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>The Gemini fixtures (Fixtures/gemini) as typed DTOs, read as the host reads bodies.</summary>
internal static class GeminiFixtures
{
    /// <summary>Gemini requests name no model; the URL does. Tests (and the golden runner) play the URL's part.</summary>
    public const string PathModel = "gemini-2.5-flash";

    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "gemini");

    public static GenerateContentRequest Request(string scenario) => Read<GenerateContentRequest>($"{scenario}.request.json");

    public static GenerateContentResponse Response(string scenario) => Read<GenerateContentResponse>($"{scenario}.response.json");

    public static List<GenerateContentResponse> Stream(string scenario) => Read<List<GenerateContentResponse>>($"{scenario}.stream.json");

    public static HubRequest Decode(string scenario) => GeminiCodec.Instance.DecodeRequest(Request(scenario), PathModel);

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    public static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, ManifoldJson.Options)!;

    /// <summary>JSON without the fixtures' indentation, for comparing values whatever their layout.</summary>
    public static string? Compact(JsonElement? value) => value is { } json ? JsonSerializer.Serialize(json, ManifoldJson.Options) : null;

    /// <summary>A hub request for tests that start on the hub side.</summary>
    public static HubRequest NewHub(string model = PathModel, params HubMessage[] messages)
    {
        var request = new HubRequest { Model = model };
        request.Messages.AddRange(messages);
        return request;
    }

    public static HubMessage User(params HubPart[] parts) => new(HubRole.User, parts);

    public static HubMessage Assistant(params HubPart[] parts) => new(HubRole.Assistant, parts);

    public static HubMessage Tool(params HubPart[] parts) => new(HubRole.Tool, parts);

    private static T Read<T>(string name) => JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(Directory, name)), ManifoldJson.Options)!;
}
