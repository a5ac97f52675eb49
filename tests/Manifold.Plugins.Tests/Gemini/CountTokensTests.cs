using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.Upstream;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

/// <summary>
/// models.countTokens against a loopback Gemini that checks what Google checks: a key, contents or a generateContentRequest,
/// and in the latter the model, as its resource name.
/// </summary>
public sealed class CountTokensTests
{
    private static Task<FakeUpstream> CountingUpstreamAsync() => FakeUpstream.StartAsync(app =>
        app.MapPost("/v1beta/models/{method}", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            var whole = body?["generateContentRequest"];
            var model = whole?["model"]?.GetValue<string>();
            if (whole is not null && model?.StartsWith("models/", StringComparison.Ordinal) != true)
            {
                return Results.Text("""{"error":{"code":400,"message":"* CountTokensRequest.generate_content_request.model: unexpected model name format\n","status":"INVALID_ARGUMENT"}}""", "application/json", statusCode: 400);
            }
            return Results.Text("""{"totalTokens":31,"promptTokensDetails":[{"modality":"TEXT","tokenCount":31}]}""", "application/json");
        }));

    private static CountTokensRequest Parse(string json) => JsonSerializer.Deserialize<CountTokensRequest>(json, ManifoldJson.Options)!;

    [Fact]
    public async Task Counts_contents_at_count_tokens_and_keeps_googles_details()
    {
        await using var upstream = await CountingUpstreamAsync();
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        var count = await platform.CountGeminiTokensAsync("gemini-2.5-flash", Parse("""{"contents":[{"parts":[{"text":"Hi"}]}]}"""), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(31, count.TotalTokens);
        Assert.Equal(("TEXT", 31L), (count.PromptTokensDetails![0].Modality, count.PromptTokensDetails[0].TokenCount!.Value));
        var sent = upstream.SingleRequest;
        Assert.Equal("/v1beta/models/gemini-2.5-flash:countTokens", sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-goog-api-key"));
        Assert.Equal("""{"contents":[{"parts":[{"text":"Hi"}]}]}""", sent.Body);
    }

    [Theory]
    [InlineData("""{"generateContentRequest":{"contents":[{"parts":[{"text":"Hi"}]}]}}""")]
    [InlineData("""{"generate_content_request":{"model":"models/gemini-2.5-flash-thinking","contents":[{"parts":[{"text":"Hi"}]}]}}""")]
    public async Task A_whole_request_names_the_model_of_the_url_as_google_requires(string body)
    {
        await using var upstream = await CountingUpstreamAsync();
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        var count = await platform.CountGeminiTokensAsync("gemini-2.5-flash", Parse(body), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(31, count.TotalTokens);
        Assert.Equal("models/gemini-2.5-flash", JsonNode.Parse(upstream.SingleRequest.Body)!["generateContentRequest"]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Googles_error_comes_back_with_its_status()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1beta/models/{method}", () =>
            Results.Text("""{"error":{"code":404,"message":"models/gemini-nope is not found for API version v1beta","status":"NOT_FOUND"}}""", "application/json", statusCode: 404)));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            platform.CountGeminiTokensAsync("gemini-nope", Parse("""{"contents":[{"parts":[{"text":"Hi"}]}]}"""), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((404, "NOT_FOUND"), (error.StatusCode, error.Code));
    }
}
