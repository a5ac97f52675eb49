using System.Net;
using System.Net.Sockets;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

public sealed class ErrorTests
{
    public static TheoryData<int, string, string, string, string?, string?, bool> OfficialErrors => new()
    {
        { 400, OfficialPayloads.InvalidValueError, "invalid_request_error", "Invalid value: 'sytem'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", "messages[0].role", "invalid_value", false },
        { 429, OfficialPayloads.RateLimitError, "requests", "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.", null, "rate_limit_exceeded", true },
        { 500, OfficialPayloads.ServerError, "server_error", "The server had an error while processing your request. Sorry about that!", null, null, true },
        // A rejected key is this account's fault: another account may succeed.
        { 401, OfficialPayloads.InvalidApiKeyError, "invalid_request_error", "Incorrect API key provided: sk-test-***pKey. You can find your API key at https://platform.openai.com/account/api-keys.", null, "invalid_api_key", true },
        { 404, OfficialPayloads.ModelNotFoundError, "invalid_request_error", "The model 'gpt-nope' does not exist", "model", "model_not_found", false },
    };

    [Theory]
    [MemberData(nameof(OfficialErrors))]
    public async Task Official_error_answers_become_upstream_exceptions(
        int status, string body, string type, string message, string? param, string? code, bool retryable)
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(body, "application/json", statusCode: status)));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(type, error.Type);
        Assert.Equal(message, error.Message);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.Equal(retryable, error.Retryable);
    }

    [Fact]
    public async Task A_non_json_error_body_is_summarised_and_truncated()
    {
        var page = "<html><body>" + new string('x', 5000) + "</body></html>";
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(page, "text/html", statusCode: 503)));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("upstream_error", error.Type);
        Assert.StartsWith("Upstream of platform 'openai' answered 503 Service Unavailable: <html><body>xxx", error.Message);
        Assert.True(error.Message.Length < 700, error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_error_with_a_bare_message_string_keeps_the_message()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text("""{"error":"model is overloaded"}""", "application/json", statusCode: 503)));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal("model is overloaded", error.Message);
        Assert.Equal("upstream_error", error.Type);
    }

    [Fact]
    public async Task An_upstream_that_echoes_the_key_never_gets_it_into_the_exception()
    {
        var body = $$$"""{"error":{"message":"Key {{{TestPlatforms.Key}}} is not valid","type":"authentication_error","param":null,"code":"{{{TestPlatforms.Key}}}"}}""";
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text(body, "application/json", statusCode: 401)));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal("Key [redacted] is not valid", error.Message);
        Assert.Equal("[redacted]", error.Code);
    }

    [Fact]
    public async Task An_upstream_that_is_down_is_unreachable()
    {
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(new Uri($"http://127.0.0.1:{ClosedPort()}/v1"));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("upstream_error", error.Type);
        Assert.Equal("upstream_unreachable", error.Code);
        Assert.True(error.Retryable);
        Assert.Contains("'openai'", error.Message);
        Assert.DoesNotContain(TestPlatforms.Key, error.ToString());
    }

    [Fact]
    public async Task An_upstream_that_is_down_fails_the_stream_on_the_first_move()
    {
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(new Uri($"http://127.0.0.1:{ClosedPort()}/v1"));
        var request = ChatCompletionTests.ClientRequest();
        request.Stream = true;

        await using var chunks = platform.CreateChatCompletionStreamAsync(request, TestPlatforms.Context(), CancellationToken.None).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<UpstreamException>(async () => await chunks.MoveNextAsync());

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("upstream_unreachable", error.Code);
    }

    [Fact]
    public async Task Invalid_json_in_a_success_answer_is_a_json_exception()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", () => Results.Text("{\"id\": ", "application/json")));
        var platform = (IChatCompletionsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        // The host turns JsonException into a 502 "bad_upstream_response" with the parser's description.
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => platform.CreateChatCompletionAsync(ChatCompletionTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));
    }

    /// <summary>A loopback port with nothing listening: bound, read, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
