using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Claude;

public sealed class ErrorTests
{
    public static TheoryData<int, string, string, string, bool> OfficialErrors => new()
    {
        { 400, AnthropicPayloads.InvalidRequestError, "invalid_request_error", "max_tokens: Field required", false },
        { 404, AnthropicPayloads.NotFoundError, "not_found_error", "model: claude-nope", false },
        // A rejected key is this account's fault: another account may succeed.
        { 401, AnthropicPayloads.AuthenticationError, "authentication_error", "invalid x-api-key", true },
        { 429, AnthropicPayloads.RateLimitError, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", true },
        { 500, AnthropicPayloads.ApiError, "api_error", "Internal server error", true },
        { 529, AnthropicPayloads.OverloadedError, "overloaded_error", "Overloaded", true },
    };

    [Theory]
    [MemberData(nameof(OfficialErrors))]
    public async Task Official_error_answers_become_upstream_exceptions_keeping_the_type(int status, string body, string type, string message, bool retryable)
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(body, "application/json", statusCode: status)));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateMessageAsync(MessagesTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(type, error.Type);
        Assert.Equal(message, error.Message);
        Assert.Null(error.Param);
        Assert.Equal(retryable, error.Retryable);
    }

    [Fact]
    public async Task Count_tokens_errors_read_the_same_way()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages/count_tokens", () => Results.Text(AnthropicPayloads.NotFoundError, "application/json", statusCode: 404)));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);
        var request = new CountTokensRequest { Model = "claude-nope", Messages = [new MessageParam { Role = "user", Content = "Hi" }] };

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CountTokensAsync(request, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("not_found_error", error.Type);
    }

    [Fact]
    public async Task A_non_json_error_body_is_summarised_and_truncated()
    {
        var page = "<html><body>" + new string('x', 5000) + "</body></html>";
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(page, "text/html", statusCode: 502)));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateMessageAsync(MessagesTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("upstream_error", error.Type);
        Assert.StartsWith("Upstream of platform 'openai' answered 502 Bad Gateway: <html><body>xxx", error.Message);
        Assert.True(error.Message.Length < 700, error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_upstream_that_echoes_the_key_never_gets_it_into_the_exception()
    {
        var body = $$$"""{"type":"error","error":{"type":"authentication_error","message":"Key {{{TestPlatforms.Key}}} is not valid"}}""";
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text(body, "application/json", statusCode: 401)));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateMessageAsync(MessagesTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal("Key [redacted] is not valid", error.Message);
    }

    [Fact]
    public async Task Invalid_json_in_a_success_answer_is_a_json_exception()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/messages", () => Results.Text("{\"id\": ", "application/json")));
        var platform = (IMessagesAdapter)ClaudeFakes.Platform(upstream.Root);

        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => platform.CreateMessageAsync(MessagesTests.ClientRequest(), TestPlatforms.Context(), CancellationToken.None));
    }
}
