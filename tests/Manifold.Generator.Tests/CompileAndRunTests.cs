using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>Serves <see cref="TestSpecs.Echo"/> with a platform that echoes the request (see <see cref="GeneratedGateway"/>).</summary>
public sealed class EchoGatewayFixture : IAsyncLifetime
{
    /// <summary>A platform that implements the generated adapter interface by echoing the request.</summary>
    private const string EchoPlatformSource = """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Manifold.Contracts;

        namespace Manifold.Tests.Echo;

        public sealed class EchoPlatform : IPlatform, IEchoAdapter
        {
            public string Name => "echo";

            public IReadOnlyList<string> DefaultModels { get; } = new[] { "echo-*" };

            public Task<EchoResponse> CreateEchoAsync(EchoRequest request, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new EchoResponse
                {
                    Model = request.Model,
                    Text = request.Text,
                    Platform = context.Platform,
                    AdditionalProperties = request.AdditionalProperties,
                });

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
        }
        """;

    private GeneratedGateway? _gateway;

    public HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync() =>
        _gateway = await GeneratedGateway.StartAsync(
            "Manifold.Generated.Echo", (TestSpecs.EchoPath, TestSpecs.Echo), EchoPlatformSource, "Manifold.Tests.Echo.EchoPlatform");

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

public sealed class CompileAndRunTests(EchoGatewayFixture gateway) : IClassFixture<EchoGatewayFixture>
{
    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        gateway.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // OpenAI's error shape: exactly error.{message,type,param,code}.
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal(["message", "type", "param", "code"], error.AsObject().Select(static p => p.Key));
        return error;
    }

    [Fact]
    public async Task A_valid_request_reaches_the_adapter_and_its_result_is_the_response()
    {
        var response = await PostAsync("/v1/echo", """{"model":"echo-1","text":"hello world"}""");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // The const became the default, the model picked the platform, nulls are omitted.
        Assert.Equal("""{"object":"echo","model":"echo-1","text":"hello world","platform":"echo"}""", body);
    }

    [Fact]
    public async Task The_platform_route_serves_any_model()
    {
        var response = await PostAsync("/echo/v1/echo", """{"model":"not-an-echo-model","text":"hi"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("not-an-echo-model", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fields_the_spec_does_not_model_survive_the_round_trip()
    {
        var response = await PostAsync("/v1/echo", """{"model":"echo-1","x_vendor":{"deep":[1,true,null]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"object":"echo","model":"echo-1","platform":"echo","x_vendor":{"deep":[1,true,null]}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_required_field_is_a_400_naming_it()
    {
        var error = await ErrorAsync(await PostAsync("/v1/echo", """{"text":"no model"}"""), HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Equal("Missing required parameter: 'model'.", error["message"]!.GetValue<string>());
        Assert.Null(error["code"]);
    }

    [Fact]
    public async Task A_mistyped_field_is_a_400_naming_it()
    {
        var error = await ErrorAsync(await PostAsync("/v1/echo", """{"model":42}"""), HttpStatusCode.BadRequest);

        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Equal("Invalid type for 'model': expected a string.", error["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"model": "echo-1", """)]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task A_body_that_is_not_a_json_object_is_a_400(string json)
    {
        var error = await ErrorAsync(await PostAsync("/v1/echo", json), HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.StartsWith("The request body ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404()
    {
        var error = await ErrorAsync(await PostAsync("/v1/echo", """{"model":"gpt-4o"}"""), HttpStatusCode.NotFound);

        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_true_answers_with_server_sent_events_from_the_stream_method()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/echo")
        {
            Content = new StringContent("""{"model":"echo-1","stream":true,"text":"hello streaming world"}""", Encoding.UTF8, "application/json"),
        };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "data: {\"index\":0,\"delta\":\"hello\"}\n\n" +
            "data: {\"index\":1,\"delta\":\"streaming\"}\n\n" +
            "data: {\"index\":2,\"delta\":\"world\"}\n\n" +
            "data: [DONE]\n\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stream_false_answers_with_json()
    {
        var response = await PostAsync("/v1/echo", """{"model":"echo-1","stream":false,"text":"plain"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
