using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

/// <summary>models.list and models.get for Gemini clients: Google's own Model objects, filtered as the OpenAI-shaped list is.</summary>
public sealed class GeminiModelsTests
{
    private static Task<FakeUpstream> ListingUpstreamAsync() => FakeUpstream.StartAsync(app =>
    {
        app.MapGet("/v1beta/models", (HttpContext context) =>
            Results.Text(context.Request.Query["pageToken"].Count == 0 ? GeminiPayloads.ModelsPage1 : GeminiPayloads.ModelsPage2, "application/json"));
        app.MapGet("/v1beta/models/{model}", () => Results.Text(GeminiPayloads.Model, "application/json"));
    });

    [Fact]
    public async Task Lists_googles_model_objects_as_they_are_from_every_page()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IGeminiModelsAdapter)GeminiFakes.Platform(upstream.Root);

        var list = await platform.ListGeminiModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        // Only what generates content (no embedding model); the host pages the whole list, so no token is passed on.
        Assert.Equal(["models/gemini-2.5-flash", "models/gemini-2.5-pro", "models/gemma-3-27b-it"], list.Models!.Select(static m => m.Name));
        Assert.Equal("Gemini 2.5 Flash", list.Models![0].DisplayName);
        Assert.Equal(["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"], list.Models[0].SupportedGenerationMethods!);
        Assert.Null(list.NextPageToken);
        Assert.Equal(["/v1beta/models?pageSize=1000", "/v1beta/models?pageSize=1000&pageToken=Chltb2RlbHMvZ2VtaW5pLTIuNS1wcm8"], upstream.Requests.Select(static r => r.RawTarget));
    }

    [Fact]
    public async Task Gets_one_model_with_its_limits_under_either_spelling_of_its_name()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IGeminiModelsAdapter)GeminiFakes.Platform(upstream.Root);

        var bare = await platform.GetGeminiModelAsync("gemini-2.5-flash", TestPlatforms.Context(), CancellationToken.None);
        var named = await platform.GetGeminiModelAsync("models/gemini-2.5-flash", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(("models/gemini-2.5-flash", 1048576L, 65536L), (bare.Name, bare.InputTokenLimit!.Value, bare.OutputTokenLimit!.Value));
        Assert.Equal(JsonSerializer.Serialize(bare, ManifoldJson.Options), JsonSerializer.Serialize(named, ManifoldJson.Options));
        Assert.All(upstream.Requests, static r => Assert.Equal("/v1beta/models/gemini-2.5-flash", r.RawTarget));
    }

    [Fact]
    public async Task Configured_names_are_described_without_asking_the_upstream()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IGeminiModelsAdapter)GeminiFakes.Platform(upstream.Root, ["gemini-2.5-flash"]);

        var list = await platform.ListGeminiModelsAsync(TestPlatforms.Context(), CancellationToken.None);
        var model = await platform.GetGeminiModelAsync("models/gemini-2.5-flash", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(
            """{"name":"models/gemini-2.5-flash","baseModelId":"gemini-2.5-flash","version":"gemini-2.5-flash","displayName":"gemini-2.5-flash","supportedGenerationMethods":["generateContent","countTokens"]}""",
            JsonSerializer.Serialize(Assert.Single(list.Models!), ManifoldJson.Options));
        Assert.Equal("models/gemini-2.5-flash", model.Name);
        Assert.Empty(upstream.Requests);
    }
}
