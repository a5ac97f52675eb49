using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

public sealed class ErrorTests
{
    private static GenerateContentRequest Request() =>
        JsonSerializer.Deserialize<GenerateContentRequest>("""{"contents":[{"parts":[{"text":"hi"}]}]}""", ManifoldJson.Options)!;

    private static async Task<UpstreamException> FailAsync(int status, string body, string contentType = "application/json; charset=UTF-8")
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1beta/models/{model}", async (HttpContext context) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        }));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);
        return await Assert.ThrowsAsync<UpstreamException>(() =>
            platform.GenerateContentAsync("gemini-2.5-flash", Request(), TestPlatforms.Context(), CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_request_keeps_googles_message_and_status_and_is_not_retried()
    {
        var error = await FailAsync(400, GeminiPayloads.InvalidArgument);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("* GenerateContentRequest.contents: contents is not specified\n", error.Message);
        Assert.Equal("INVALID_ARGUMENT", error.Code);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task An_invalid_key_is_the_accounts_fault_so_another_account_may_try()
    {
        var error = await FailAsync(400, GeminiPayloads.KeyInvalid);

        Assert.Equal((400, "API key not valid. Please pass a valid API key."), (error.StatusCode, error.Message));
        Assert.True(error.Retryable);
    }

    [Theory]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(403, "permission_error")]
    public async Task Quota_server_and_permission_failures_are_retryable(int status, string type)
    {
        var body = $$$"""{"error":{"code":{{{status}}},"message":"failed","status":"X"}}""";

        var error = await FailAsync(status, body);

        Assert.Equal((status, type, true), (error.StatusCode, error.Type, error.Retryable));
    }

    [Fact]
    public async Task Reads_the_array_form_of_an_error()
    {
        var error = await FailAsync(404, "[" + """{"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta.","status":"NOT_FOUND"}}""" + "]");

        Assert.Equal((404, "not_found_error", "NOT_FOUND"), (error.StatusCode, error.Type, error.Code));
        Assert.Equal("models/gemini-9 is not found for API version v1beta.", error.Message);
    }

    [Fact]
    public async Task Summarises_a_body_in_no_known_shape_without_the_key()
    {
        var error = await FailAsync(502, $"<html>Bad gateway for key {TestPlatforms.Key}</html>", "text/html");

        Assert.Equal(502, error.StatusCode);
        Assert.Contains("answered 502", error.Message);
        Assert.DoesNotContain(TestPlatforms.Key, error.Message);
        Assert.Contains("[redacted]", error.Message);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_a_retryable_502()
    {
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(new Uri("http://127.0.0.1:1/"));

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            platform.GenerateContentAsync("gemini-2.5-flash", Request(), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((502, "upstream_unreachable", true), (error.StatusCode, error.Code, error.Retryable));
    }
}
