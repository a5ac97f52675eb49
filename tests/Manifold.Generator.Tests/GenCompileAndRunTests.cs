using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>Serves <see cref="TestSpecs.Gen"/> (Gemini's URL and JSON shapes) with a platform that echoes the request.</summary>
public sealed class GenGatewayFixture : IAsyncLifetime
{
    /// <summary>Answers with the path's model and the request re-serialized, so tests see what the adapter received.</summary>
    private const string GenPlatformSource = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using Manifold.Contracts;

        namespace Manifold.Tests.Gen;

        public sealed class GenPlatform : IPlatform, IGenAdapter
        {
            public string Name => "gen";

            public IReadOnlyList<string> DefaultModels { get; } = new[] { "gen-*" };

            public Task<Model> GetModelAsync(string model, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new Model { Name = "models/" + model, DisplayName = context.Platform });

            public Task<GenerateContentResponse> GenerateContentAsync(string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new GenerateContentResponse
                {
                    ModelVersion = model,
                    Platform = context.Platform,
                    Echo = JsonSerializer.SerializeToElement(request, ManifoldJson.Options),
                });

            public async IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(
                string model, GenerateContentRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                foreach (var content in request.Contents)
                {
                    await Task.Yield();
                    yield return new GenerateContentResponse { ModelVersion = model, Text = content.Parts?[0].Text };
                }
            }
        }
        """;

    private GeneratedGateway? _gateway;

    public HttpClient Client => _gateway!.Client;

    public System.Reflection.Assembly Assembly => _gateway!.Assembly;

    public async Task InitializeAsync() =>
        _gateway = await GeneratedGateway.StartAsync(
            "Manifold.Generated.Gen", (TestSpecs.GenPath, TestSpecs.Gen), GenPlatformSource, "Manifold.Tests.Gen.GenPlatform");

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

/// <summary>Complex path segments, route aliases, streaming-only operations and snake_case aliases, served for real.</summary>
public sealed class GenCompileAndRunTests(GenGatewayFixture gateway) : IClassFixture<GenGatewayFixture>
{
    private const string Body = """{"contents":[{"role":"user","parts":[{"text":"hello"}]},{"parts":[{"text":"world"}]}]}""";

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var response = await gateway.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/v1beta/models/gen-1:generateContent")]
    [InlineData("/v1/models/gen-1:generateContent")]
    [InlineData("/gen/v1beta/models/gen-1:generateContent")]
    [InlineData("/gen/v1/models/gen-1:generateContent")]
    public async Task The_model_in_a_complex_segment_reaches_the_adapter_on_every_route_and_alias(string path)
    {
        var (status, body) = await PostAsync(path, Body);

        Assert.True(status == HttpStatusCode.OK, body);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("gen-1", json["modelVersion"]!.GetValue<string>());
        Assert.Equal("gen", json["platform"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_with_dots_and_dashes_is_split_from_the_verb_at_the_last_colon()
    {
        var (status, body) = await PostAsync("/v1beta/models/gen-2.5-flash-001:generateContent", Body);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("gen-2.5-flash-001", JsonNode.Parse(body)!["modelVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_get_on_the_plain_model_path_is_not_taken_by_the_complex_segment_routes()
    {
        var response = await gateway.Client.GetAsync("/v1beta/models/gen-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"name":"models/gen-1","displayName":"gen"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_model_in_the_path_is_a_404()
    {
        var (status, body) = await PostAsync("/v1beta/models/other-1:generateContent", Body);

        Assert.True(status == HttpStatusCode.NotFound, body);
        Assert.Equal("model_not_found", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1beta/models/gen-1:streamGenerateContent")]
    [InlineData("/v1/models/gen-1:streamGenerateContent")]
    [InlineData("/gen/v1/models/gen-1:streamGenerateContent")]
    public async Task A_streaming_only_operation_always_answers_with_server_sent_events(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "data: {\"modelVersion\":\"gen-1\",\"text\":\"hello\"}\n\n" +
            "data: {\"modelVersion\":\"gen-1\",\"text\":\"world\"}\n\n" +
            "data: [DONE]\n\n",
            body);
    }

    [Fact]
    public async Task Snake_case_names_are_read_into_the_camel_case_properties_and_unknown_fields_are_kept()
    {
        var (status, body) = await PostAsync("/v1beta/models/gen-1:generateContent", """
            {"contents":[{"parts":[{"text":"hi"}]}],
             "system_instruction":{"parts":[{"text":"be brief"}]},
             "generation_config":{"max_output_tokens":64,"topK":3,"response_mime_type":"text/plain"},
             "safety_settings":[]}
            """);

        Assert.True(status == HttpStatusCode.OK, body);
        // What the adapter received, written back: camelCase only; names the spec does not model unchanged.
        Assert.Equal(
            """{"contents":[{"parts":[{"text":"hi"}]}],"systemInstruction":{"parts":[{"text":"be brief"}]},"generationConfig":{"maxOutputTokens":64,"topK":3,"response_mime_type":"text/plain"},"safety_settings":[]}""",
            JsonNode.Parse(body)!["echo"]!.ToJsonString());
    }

    [Fact]
    public void ManifoldJson_reads_both_spellings_and_writes_only_the_camel_case_one()
    {
        var requestType = gateway.Assembly.GetType("Manifold.Tests.Gen.GenerateContentRequest", throwOnError: true)!;
        string RoundTrip(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, requestType, ManifoldJson.Options), requestType, ManifoldJson.Options);

        const string Expected = """{"contents":[],"systemInstruction":{"role":"system"},"generationConfig":{"maxOutputTokens":5}}""";
        Assert.Equal(Expected, RoundTrip("""{"contents":[],"systemInstruction":{"role":"system"},"generationConfig":{"maxOutputTokens":5}}"""));
        Assert.Equal(Expected, RoundTrip("""{"contents":[],"system_instruction":{"role":"system"},"generation_config":{"max_output_tokens":5}}"""));
        // Mixed, and a name that is neither spelling (case matters): the last spelling wins, the stranger is kept.
        Assert.Equal(
            """{"contents":[],"generationConfig":{"maxOutputTokens":7},"System_Instruction":1}""",
            RoundTrip("""{"contents":[],"generationConfig":{"max_output_tokens":5,"maxOutputTokens":7},"System_Instruction":1}"""));
    }

    [Fact]
    public void An_optional_free_form_property_writes_null_only_when_it_was_assigned()
    {
        var responseType = gateway.Assembly.GetType("Manifold.Tests.Gen.GenerateContentResponse", throwOnError: true)!;
        string RoundTrip(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, responseType, ManifoldJson.Options), responseType, ManifoldJson.Options);

        // A null the sender wrote is relayed; a property it left out stays out.
        Assert.Equal("""{"modelVersion":"v1","echo":null}""", RoundTrip("""{"modelVersion":"v1","echo":null}"""));
        Assert.Equal("""{"modelVersion":"v1"}""", RoundTrip("""{"modelVersion":"v1"}"""));

        // Code that assigns null asks for it to be written; code that never sets the property does not.
        var built = Activator.CreateInstance(responseType)!;
        responseType.GetProperty("ModelVersion")!.SetValue(built, "v2");
        Assert.Equal("""{"modelVersion":"v2"}""", JsonSerializer.Serialize(built, responseType, ManifoldJson.Options));
        responseType.GetProperty("Echo")!.SetValue(built, null);
        Assert.Equal("""{"modelVersion":"v2","echo":null}""", JsonSerializer.Serialize(built, responseType, ManifoldJson.Options));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_and_alias_with_the_dtos()
    {
        var response = await gateway.Client.GetAsync("/openapi/v1.json");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var document = JsonNode.Parse(body)!;
        var paths = document["paths"]!.AsObject().Select(static p => p.Key).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "/v1beta/models/{model}:generateContent", "/{platform}/v1beta/models/{model}:generateContent",
                "/v1/models/{model}:generateContent", "/{platform}/v1/models/{model}:generateContent",
                "/v1beta/models/{model}:streamGenerateContent", "/v1/models/{model}:streamGenerateContent",
            },
            paths);
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(static p => p.Value!.AsObject().Select(static o => o.Value!["operationId"]?.GetValue<string>()))
            .ToList();
        Assert.Contains("generateContentAlias1ForPlatform", operationIds);
        Assert.Equal(operationIds.Count, operationIds.Distinct().Count());

        // Setter-only aliases do not trip the schema generator; they are documented as the input they are.
        var request = document["paths"]!["/v1beta/models/{model}:generateContent"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["properties"]!.AsObject();
        Assert.True(request.ContainsKey("systemInstruction") && request.ContainsKey("system_instruction"), request.ToJsonString());
        // The streaming-only operation documents its events, and no JSON answer.
        var stream = document["paths"]!["/v1beta/models/{model}:streamGenerateContent"]!["post"]!["responses"]!["200"]!["content"]!.AsObject();
        Assert.Equal(["text/event-stream"], stream.Select(static c => c.Key));
    }
}
