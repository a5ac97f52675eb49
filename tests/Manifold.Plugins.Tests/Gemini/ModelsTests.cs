using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

public sealed class ModelsTests
{
    private static Task<FakeUpstream> ListingUpstreamAsync() => FakeUpstream.StartAsync(app =>
    {
        app.MapGet("/v1beta/models", (HttpContext context) =>
            Results.Text(context.Request.Query["pageToken"].Count == 0 ? GeminiPayloads.ModelsPage1 : GeminiPayloads.ModelsPage2, "application/json"));
        app.MapGet("/v1beta/models/{model}", () => Results.Text(GeminiPayloads.Model, "application/json"));
    });

    [Fact]
    public async Task Lists_every_page_of_models_that_generate_content()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IModelsAdapter)GeminiFakes.Platform(upstream.Root);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["gemini-2.5-flash", "gemini-2.5-pro", "gemma-3-27b-it"], list.Data.Select(static m => m.Id));
        Assert.All(list.Data, static m => Assert.Equal("google", m.OwnedBy));
        var requests = upstream.Requests.ToList();
        Assert.Equal("/v1beta/models?pageSize=1000", requests[0].RawTarget);
        Assert.Equal("/v1beta/models?pageSize=1000&pageToken=Chltb2RlbHMvZ2VtaW5pLTIuNS1wcm8", requests[1].RawTarget);
        Assert.All(requests, static r => Assert.Equal(TestPlatforms.Key, r.Header("x-goog-api-key")));
    }

    [Fact]
    public async Task Lists_only_what_the_configured_patterns_serve()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IModelsAdapter)GeminiFakes.Platform(upstream.Root, ["gemini-2.5-*"]);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["gemini-2.5-flash", "gemini-2.5-pro"], list.Data.Select(static m => m.Id));
    }

    [Fact]
    public async Task Exact_names_answer_without_asking_the_upstream()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IModelsAdapter)GeminiFakes.Platform(upstream.Root, ["gemini-2.5-flash"]);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);
        var model = await platform.RetrieveModelAsync("GEMINI-2.5-FLASH", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("gemini-2.5-flash", Assert.Single(list.Data).Id);
        Assert.Equal("gemini-2.5-flash", model.Id);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Retrieves_one_model_by_its_id()
    {
        await using var upstream = await ListingUpstreamAsync();
        var platform = (IModelsAdapter)GeminiFakes.Platform(upstream.Root);

        var model = await platform.RetrieveModelAsync("gemini-2.5-flash", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(("gemini-2.5-flash", "model", "google"), (model.Id, model.Object, model.OwnedBy));
        Assert.Equal("/v1beta/models/gemini-2.5-flash", upstream.SingleRequest.RawTarget);
    }
}
