using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Plugins.Gemini;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

public sealed class GenerateContentTests
{
    private static GenerateContentRequest SnakeCaseRequest() =>
        JsonSerializer.Deserialize<GenerateContentRequest>(GeminiPayloads.SnakeCaseRequest, ManifoldJson.Options)!;

    [Fact]
    public void Is_the_gemini_kind_serving_googles_model_families()
    {
        var plugin = new GeminiPlugin();
        var platform = plugin.CreatePlatform(TestPlatforms.Settings("gemini", null), TestPlatforms.Services());

        Assert.Equal("gemini", plugin.Kind);
        Assert.Equal(["gemini-*", "gemma-*"], platform.DefaultModels);
        Assert.IsAssignableFrom<IGenerateContentAdapter>(platform);
        Assert.IsAssignableFrom<Manifold.Contracts.OpenAI.IModelsAdapter>(platform);
    }

    [Fact]
    public async Task Posts_to_v1beta_with_the_accounts_key_and_reads_the_answer()
    {
        await using var upstream = await FakeUpstream.StartAsync(app =>
            app.MapPost("/v1beta/models/{model}", (HttpContext context) => Results.Text(GeminiPayloads.TextResponse, "application/json")));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(upstream.Root);

        var response = await platform.GenerateContentAsync("gemini-2.5-flash", SnakeCaseRequest(), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-goog-api-key"));
        Assert.Null(sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Accept"));
        // Snake_case in, the API's camelCase out; what Manifold does not model rides along.
        var body = JsonNode.Parse(sent.Body)!;
        Assert.Equal("You are a cat. Your name is Neko.", body["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(64, body["generationConfig"]!["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal(0, body["generationConfig"]!["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());
        Assert.Null(body["system_instruction"]);
        Assert.Equal("abc", body["x_custom"]!["trace"]!.GetValue<string>());

        var candidate = Assert.Single(response.Candidates!);
        Assert.Equal("Meow! Hello, human.", candidate.Content!.Parts![0].Text);
        Assert.Equal("STOP", candidate.FinishReason);
        Assert.Equal(22, response.UsageMetadata!.TotalTokenCount);
        Assert.Equal("cnaGaL6yJP2JnvgPkZ6Q8QI", response.ResponseId);
    }

    [Theory]
    [InlineData("", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("v1beta", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("v1beta/", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("v1", "/v1/models/gemini-2.5-flash:generateContent")]
    [InlineData("proxy/gemini", "/proxy/gemini/v1beta/models/gemini-2.5-flash:generateContent")]
    public async Task Adds_the_version_unless_the_base_url_has_one(string basePath, string expected)
    {
        await using var upstream = await FakeUpstream.StartAsync(app =>
            app.MapPost("/{**path}", () => Results.Text(GeminiPayloads.TextResponse, "application/json")));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(new Uri(upstream.Root, basePath));

        await platform.GenerateContentAsync("models/gemini-2.5-flash", SnakeCaseRequest(), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(expected, upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task Keeps_the_base_urls_query_for_proxies_that_need_one()
    {
        await using var upstream = await FakeUpstream.StartAsync(app =>
            app.MapPost("/{**path}", () => Results.Text(
                "data: " + System.Text.Json.Nodes.JsonNode.Parse(GeminiPayloads.TextResponse)!.ToJsonString() + "\r\n\r\n", "text/event-stream")));
        var platform = (IGenerateContentAdapter)GeminiFakes.Platform(new Uri(upstream.Root, "?tenant=a"));

        await foreach (var _ in platform.StreamGenerateContentAsync("gemini-2.5-flash", SnakeCaseRequest(), TestPlatforms.Context(), CancellationToken.None))
        {
        }

        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?tenant=a&alt=sse", upstream.SingleRequest.RawTarget);
    }
}
