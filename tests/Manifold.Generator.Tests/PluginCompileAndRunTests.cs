using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>
/// One plugin with two specs of its own, <see cref="TestSpecs.Echo"/> (OpenAI's protocol) and <see cref="TestSpecs.Gen"/>
/// (here in Gemini's protocol), built for the Plugin target and loaded from disk (see <see cref="GeneratedPluginGateway"/>).
/// </summary>
public sealed class PluginGatewayFixture : IAsyncLifetime
{
    public const string GeminiGen = "/repo/specs/test/gen-gemini.yaml";

    /// <summary>A platform that serves both adapters by echoing what it received.</summary>
    private const string PlatformSource = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Manifold.Contracts;
        using Manifold.Tests.Echo;
        using Manifold.Tests.Gen;

        namespace Manifold.Tests.Plugin;

        public sealed class PluginPlatform : IPlatform, IEchoAdapter, IGenAdapter
        {
            public string Name => "plug";

            public IReadOnlyList<string> DefaultModels { get; } = new[] { "echo-*", "gen-*" };

            public Task<EchoResponse> CreateEchoAsync(EchoRequest request, AdapterContext context, CancellationToken cancellationToken) =>
                request.Text == "fail"
                    ? throw new ManifoldException(422, "invalid_request_error", "The platform refused the text.", "text")
                    : Task.FromResult(new EchoResponse { Model = request.Model, Text = request.Text, Platform = context.Platform });

            public async IAsyncEnumerable<EchoChunk> CreateEchoStreamAsync(
                EchoRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                var words = (request.Text ?? string.Empty).Split(' ');
                for (var i = 0; i < words.Length; i++)
                {
                    await Task.Yield();
                    yield return new EchoChunk { Index = i, Delta = words[i] };
                }
            }

            public Task<Model> GetModelAsync(string model, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new Model { Name = "models/" + model, DisplayName = context.Platform });

            public Task<GenerateContentResponse> GenerateContentAsync(string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new GenerateContentResponse { ModelVersion = model, Platform = context.Platform, Text = request.Contents[0].Parts?[0].Text });

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

    private GeneratedPluginGateway? _gateway;

    public HttpClient Client => _gateway!.Client;

    internal GeneratedPluginGateway Gateway => _gateway!;

    public async Task InitializeAsync() =>
        _gateway = await GeneratedPluginGateway.StartAsync(
            "Manifold.Generated.Plugin",
            [(TestSpecs.EchoPath, TestSpecs.Echo), (GeminiGen, TestSpecs.Gen.Replace("protocol: openai, adapter: Gen", "protocol: gemini, adapter: Gen", StringComparison.Ordinal))],
            PlatformSource,
            "Manifold.Tests.Plugin.PluginPlatform");

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

/// <summary>
/// A plugin's operations served by the host's request path: JSON answers, streams when the request asks and always,
/// the model from the body or the path, aliases, validation and adapter errors, all in the spec's protocol.
/// </summary>
public sealed class PluginCompileAndRunTests(PluginGatewayFixture plugin) : IClassFixture<PluginGatewayFixture>
{
    private const string GenBody = """{"contents":[{"parts":[{"text":"hello"}]},{"parts":[{"text":"world"}]}]}""";

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        plugin.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public void The_plugin_needs_nothing_of_the_host()
    {
        var references = plugin.Gateway.Plugin.Assembly.GetReferencedAssemblies().Select(static a => a.Name!).ToList();

        Assert.Contains("Manifold.Contracts", references);
        Assert.DoesNotContain(references, static name => name.StartsWith("Manifold.Host", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Equal(
            ["createEcho", "generateContent", "getModel", "streamGenerateContent"],
            plugin.Gateway.Plugin.Operations.Select(static o => o.OperationId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/v1/echo")]
    [InlineData("/plug/v1/echo")]
    public async Task A_json_answer_comes_from_the_platform_the_body_model_or_the_path_names(string path)
    {
        var response = await PostAsync(path, """{"model":"echo-1","text":"hi there"}""");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("""{"object":"echo","model":"echo-1","text":"hi there","platform":"plug"}""", body);
    }

    [Fact]
    public async Task A_request_that_asks_for_a_stream_gets_the_protocols_events()
    {
        var response = await PostAsync("/plug/v1/echo", """{"model":"echo-1","stream":true,"text":"one two"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "data: {\"index\":0,\"delta\":\"one\"}\n\ndata: {\"index\":1,\"delta\":\"two\"}\n\ndata: [DONE]\n\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_requests_and_adapter_errors_answer_in_the_specs_protocol()
    {
        var missing = await PostAsync("/plug/v1/echo", """{"text":"no model"}""");
        var refused = await PostAsync("/plug/v1/echo", """{"model":"echo-1","text":"fail"}""");
        var unknown = await PostAsync("/v1/echo", """{"model":"other-1"}""");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("model", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("The platform refused the text.", error["message"]!.GetValue<string>());
        Assert.Equal("text", error["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/v1beta/models/gen-1:generateContent")]
    [InlineData("/plug/v1/models/gen-1:generateContent")]
    public async Task The_model_in_a_path_segment_and_the_aliases_reach_the_adapter(string path)
    {
        var response = await PostAsync(path, GenBody);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("""{"modelVersion":"gen-1","text":"hello","platform":"plug"}""", body);
        Assert.Equal("""{"name":"models/gen-1","displayName":"plug"}""", await plugin.Client.GetStringAsync("/v1beta/models/gen-1"));
    }

    [Fact]
    public async Task An_always_streaming_operation_is_framed_as_its_protocol_frames_streams()
    {
        var sse = await PostAsync("/plug/v1beta/models/gen-1:streamGenerateContent?alt=sse", GenBody);
        var array = await PostAsync("/v1beta/models/gen-1:streamGenerateContent", GenBody);

        Assert.Equal(
            "data: {\"modelVersion\":\"gen-1\",\"text\":\"hello\"}\r\n\r\ndata: {\"modelVersion\":\"gen-1\",\"text\":\"world\"}\r\n\r\n",
            await sse.Content.ReadAsStringAsync());
        var events = JsonNode.Parse(await array.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["hello", "world"], events.Select(static e => e!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Errors_of_a_gemini_spec_take_googles_shape()
    {
        var response = await PostAsync("/v1beta/models/gen-1:generateContent", """{"contents":"not a list"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_plugins_operations()
    {
        var paths = JsonNode.Parse(await plugin.Client.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();

        Assert.Contains("/v1/echo", paths.Select(static p => p.Key));
        Assert.Contains("/{platform}/v1beta/models/{model}:streamGenerateContent", paths.Select(static p => p.Key));
        Assert.Equal("createEcho", paths["/v1/echo"]!["post"]!["operationId"]!.GetValue<string>());
    }
}
