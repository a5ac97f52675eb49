using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Golden;

/// <summary>
/// Every conversion direction against golden files: each ordered pair of distinct codecs in
/// <see cref="ProtocolCatalog.Codecs"/> (a client of the source protocol served by a platform of the target one)
/// and every fixture scenario (<c>Fixtures/{codec}/{scenario}.{request|response|stream}.json</c>):
/// <list type="bullet">
/// <item>request: the source's client request, decoded, encoded for the target;</item>
/// <item>response: the target's answer, decoded, encoded for the source client (with the hub request of the
/// source's same-named scenario request when there is one, so output options and stream usage apply);</item>
/// <item>stream: the target's chunks, through its stream decoder and the source's stream encoder.</item>
/// </list>
/// A <see cref="ConversionException"/> is an outcome too (<c>{"error":{"param","message"}}</c>), so what a
/// protocol cannot express is pinned like what it can.
/// </summary>
public sealed class GoldenTests
{
    /// <summary>Gemini names the model in the URL, not the body; the runner plays the URL's part.</summary>
    private const string GeminiPathModel = "gemini-2.5-flash";

    public static TheoryData<string, string, string> RequestCases() => Cases("request", sourceFixture: true);

    public static TheoryData<string, string, string> ResponseCases() => Cases("response", sourceFixture: false);

    public static TheoryData<string, string, string> StreamCases() => Cases("stream", sourceFixture: false);

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Request_converts_as_its_golden_says(string source, string target, string scenario)
    {
        var from = Codec(source);
        var to = Codec(target);
        var outcome = Outcome(() =>
        {
            var hub = from.DecodeRequest(Fixture(from, scenario, "request", from.RequestType), PathModel(from));
            return ToNode(to.EncodeRequest(hub));
        });
        GoldenFile.Verify(outcome, $"{source}-to-{target}/{scenario}.request.json");
    }

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void Response_converts_as_its_golden_says(string source, string target, string scenario)
    {
        var from = Codec(source);
        var to = Codec(target);
        var outcome = Outcome(() =>
        {
            var hub = to.DecodeResponse(Fixture(to, scenario, "response", to.ResponseType));
            return ToNode(from.EncodeResponse(hub, SourceRequest(from, scenario, stream: false)));
        });
        GoldenFile.Verify(outcome, $"{source}-to-{target}/{scenario}.response.json");
    }

    [Theory]
    [MemberData(nameof(StreamCases))]
    public void Stream_converts_as_its_golden_says(string source, string target, string scenario)
    {
        var from = Codec(source);
        var to = Codec(target);
        var outcome = Outcome(() =>
        {
            var request = SourceRequest(from, scenario, stream: true);
            var chunks = StreamFixture(to, scenario);
            var events = to.DecodeStream(chunks, request);
            AssertGrammar(events, $"{target} {scenario}");
            return new JsonArray([.. from.EncodeStream(events, request).Select(ToNode)]);
        });
        GoldenFile.Verify(outcome, $"{source}-to-{target}/{scenario}.stream.json");
    }

    /// <summary>Conversion is proven in every direction once every protocol is registered: 4 × 3 = 12.</summary>
    [Fact]
    public void Every_direction_has_golden_cases()
    {
        var names = ProtocolCatalog.Codecs.Select(static c => c.Name).ToList();
        Assert.Equal(["chat", "gemini", "messages", "responses"], names.Order());
        var covered = RequestCases().Select(static row => ((string)row[0], (string)row[1]))
            .Concat(ResponseCases().Select(static row => ((string)row[0], (string)row[1])))
            .Concat(StreamCases().Select(static row => ((string)row[0], (string)row[1])))
            .Distinct()
            .ToList();
        Assert.Equal(12, covered.Count);
        foreach (var kind in new[] { RequestCases(), ResponseCases(), StreamCases() })
        {
            Assert.Equal(12, kind.Select(static row => ((string)row[0], (string)row[1])).Distinct().Count());
        }
    }

    /// <summary>A golden whose case no longer exists (a renamed scenario, a removed codec) would go stale unseen.</summary>
    [Fact]
    public void Every_golden_file_belongs_to_a_case()
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, data) in new[] { ("request", RequestCases()), ("response", ResponseCases()), ("stream", StreamCases()) })
        {
            foreach (var row in data)
            {
                expected.Add($"{row[0]}-to-{row[1]}/{row[2]}.{kind}.json");
            }
        }
        var stale = !Directory.Exists(GoldenFile.GoldenDirectory) ? [] : Directory
            .EnumerateFiles(GoldenFile.GoldenDirectory, "*.json", SearchOption.AllDirectories)
            .Where(static path => !path.EndsWith(".received.json", StringComparison.Ordinal))
            .Select(static path => Path.GetRelativePath(GoldenFile.GoldenDirectory, path).Replace('\\', '/'))
            .Where(relative => !expected.Contains(relative))
            .Order()
            .ToList();
        Assert.Empty(stale);
    }

    private static TheoryData<string, string, string> Cases(string kind, bool sourceFixture)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var source in ProtocolCatalog.Codecs)
        {
            foreach (var target in ProtocolCatalog.Codecs)
            {
                if (source == target)
                {
                    continue;
                }
                // A request comes from the source's client; answers and streams come from the target's platform.
                foreach (var scenario in Scenarios(sourceFixture ? source : target, kind))
                {
                    data.Add(source.Name, target.Name, scenario);
                }
            }
        }
        return data;
    }

    private static IEnumerable<string> Scenarios(IProtocolCodec codec, string kind)
    {
        var directory = Path.Combine(GoldenFile.FixtureDirectory, codec.Name);
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var suffix = $".{kind}.json";
        return Directory.EnumerateFiles(directory, "*" + suffix)
            .Select(path => Path.GetFileName(path)[..^suffix.Length])
            .Order(StringComparer.Ordinal);
    }

    private static IProtocolCodec Codec(string name) => ProtocolCatalog.Codecs.Single(c => c.Name == name);

    private static string? PathModel(IProtocolCodec codec) => codec.Name == "gemini" ? GeminiPathModel : null;

    /// <summary>
    /// The hub request an answer is encoded against: the source's own request of the scenario when it has one
    /// that converts, else a bare one (default output options, stream usage on).
    /// </summary>
    private static HubRequest SourceRequest(IProtocolCodec source, string scenario, bool stream)
    {
        HubRequest? request = null;
        var path = FixturePath(source, scenario, "request");
        if (File.Exists(path))
        {
            try
            {
                request = source.DecodeRequest(Fixture(source, scenario, "request", source.RequestType), PathModel(source));
            }
            catch (ConversionException)
            {
                // The scenario's request itself does not convert (its own golden pins that); answer a bare one.
            }
        }
        request ??= new HubRequest { Model = PathModel(source) ?? "model-of-the-request" };
        request.Stream = stream;
        return request;
    }

    private static object Fixture(IProtocolCodec codec, string scenario, string kind, Type type)
    {
        var value = JsonSerializer.Deserialize(File.ReadAllText(FixturePath(codec, scenario, kind)), type, ManifoldJson.Options)
            ?? throw new InvalidOperationException($"{codec.Name}/{scenario}.{kind}.json holds null.");
        AssertValid(value, $"fixture {codec.Name}/{scenario}.{kind}.json");
        return value;
    }

    private static List<object> StreamFixture(IProtocolCodec codec, string scenario)
    {
        var chunks = new List<object>();
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath(codec, scenario, "stream")));
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var chunk = element.Deserialize(codec.ChunkType, ManifoldJson.Options)
                ?? throw new InvalidOperationException($"{codec.Name}/{scenario}.stream.json[{index}] is null.");
            AssertValid(chunk, $"fixture {codec.Name}/{scenario}.stream.json[{index++}]");
            chunks.Add(chunk);
        }
        return chunks;
    }

    private static string FixturePath(IProtocolCodec codec, string scenario, string kind) =>
        Path.Combine(GoldenFile.FixtureDirectory, codec.Name, $"{scenario}.{kind}.json");

    private static JsonNode? Outcome(Func<JsonNode?> convert)
    {
        try
        {
            return convert();
        }
        catch (ConversionException ex)
        {
            return new JsonObject { ["error"] = new JsonObject { ["param"] = ex.Param, ["message"] = ex.Message } };
        }
    }

    /// <summary>What an encoder produced must itself be a valid DTO: its required fields set.</summary>
    private static JsonNode? ToNode(object value)
    {
        AssertValid(value, value.GetType().Name);
        return JsonSerializer.SerializeToNode(value, value.GetType(), ManifoldJson.Options);
    }

    private static void AssertValid(object value, string what)
    {
        if (value is IValidatable validatable && validatable.Validate() is { } error)
        {
            Assert.Fail($"{what} is not valid: {error.Message}");
        }
    }

    /// <summary>The hub stream grammar every decoder promises: Started first, Finished last and once.</summary>
    private static void AssertGrammar(List<HubStreamEvent> events, string what)
    {
        Assert.True(events.Count >= 2, $"{what}: a stream has at least Started and Finished.");
        Assert.IsType<StreamStarted>(events[0]);
        Assert.IsType<StreamFinished>(events[^1]);
        Assert.Single(events.OfType<StreamStarted>());
        Assert.Single(events.OfType<StreamFinished>());
        var started = new HashSet<int>();
        foreach (var hubEvent in events)
        {
            switch (hubEvent)
            {
                case ToolCallStarted call:
                    Assert.True(call.Index == started.Count, $"{what}: tool call {call.Index} started out of order.");
                    started.Add(call.Index);
                    break;
                case ToolCallArgumentsDelta delta:
                    Assert.True(started.Contains(delta.Index), $"{what}: arguments for tool call {delta.Index} before it started.");
                    break;
            }
        }
    }
}
