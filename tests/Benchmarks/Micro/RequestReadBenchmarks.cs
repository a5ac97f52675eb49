using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Host.Endpoints;

namespace Manifold.Benchmarks.Micro;

/// <summary>
/// What the hostile-input checks add to reading a request body, which every request does: the parse as it was
/// (<see cref="ManifoldJson.Options"/>, then <c>Validate()</c>) against the parse as the gateway now does it (a UTF-8 check of
/// the whole body, <see cref="RequestJson.Options"/>: finite doubles and free-form JSON walked for Unicode, then
/// <c>Validate()</c> with the specs' ranges), for the benchmark's small chat body and for one with a tool schema and
/// unknown fields (free-form JSON, the part the checks walk).
/// </summary>
[MemoryDiagnoser]
public class RequestReadBenchmarks
{
    private byte[] _body = null!;

    [Params("small", "tools")]
    public string Body { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        var small = File.ReadAllText(Path.Combine(FindRepoRoot(), "tests/Benchmarks/request.json"));
        _body = Encoding.UTF8.GetBytes(Body == "small" ? small : WithTools(small));
    }

    [Benchmark(Baseline = true, Description = "unchecked")]
    public ValidationError? Unchecked() =>
        JsonSerializer.Deserialize<CreateChatCompletionRequest>(_body, ManifoldJson.Options)!.Validate();

    [Benchmark(Description = "checked")]
    public ValidationError? Checked()
    {
        var valid = Utf8.IsValid(_body);
        var request = JsonSerializer.Deserialize<CreateChatCompletionRequest>(_body, RequestJson.Options)!;
        return valid ? request.Validate() : null;
    }

    /// <summary>The small body with a function tool (a JSON schema), a response format schema and two unknown fields.</summary>
    private static string WithTools(string small)
    {
        const string Extra = """
            ,"tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name, e.g. Paris"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1,"maximum":7}},"required":["city"]}}}],
            "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"text":{"type":"string"},"score":{"type":"number"}},"required":["text"]}}},
            "x_trace":{"id":"abc-123","tags":["a","b","c"],"weight":0.5},"x_note":"caf\u00e9 \ud83d\ude00"
            """;
        var end = small.LastIndexOf('}');
        return small[..end] + Extra.ReplaceLineEndings(string.Empty) + "}";
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plugins.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Plugins.sln not found above " + AppContext.BaseDirectory);
    }
}
