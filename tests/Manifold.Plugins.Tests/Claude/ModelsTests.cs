using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Claude;

public sealed class ModelsTests
{
    // Nothing listens there: a platform that called its upstream would fail.
    private static readonly Uri NowhereUrl = new("http://127.0.0.1:9/");

    [Fact]
    public async Task Lists_every_page_of_anthropics_models_in_openais_shape()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models", (HttpRequest request) =>
            Results.Text(request.Query.ContainsKey("after_id") ? AnthropicPayloads.ModelPage2 : AnthropicPayloads.ModelPage1, "application/json")));
        var platform = (IModelsAdapter)ClaudeFakes.Platform(upstream.Root);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-3-5-haiku-20241022"], list.Data.Select(static m => m.Id));
        Assert.Equal(new DateTimeOffset(2025, 9, 29, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), list.Data[0].Created);
        Assert.All(list.Data, static m => Assert.Equal("anthropic", m.OwnedBy));
        var sent = upstream.Requests.ToArray();
        Assert.Equal(["/v1/models?limit=1000", "/v1/models?limit=1000&after_id=claude-opus-4-1-20250805"], sent.Select(static r => r.RawTarget));
        Assert.All(sent, static r =>
        {
            Assert.Equal(TestPlatforms.Key, r.Header("x-api-key"));
            Assert.Equal("2023-06-01", r.Header("anthropic-version"));
        });
    }

    [Fact]
    public async Task Configured_patterns_filter_the_upstream_list()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models", () => Results.Text(AnthropicPayloads.ModelPage2, "application/json")));
        var platform = (IModelsAdapter)ClaudeFakes.Platform(upstream.Root, ["claude-opus-*", "claude-3-5-*"]);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["claude-3-5-haiku-20241022"], list.Data.Select(static m => m.Id));
    }

    [Fact]
    public async Task Configured_model_names_are_listed_and_retrieved_without_asking_the_upstream()
    {
        var platform = (IModelsAdapter)ClaudeFakes.Platform(NowhereUrl, ["claude-sonnet-4-5", "claude-opus-4-1"]);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);
        var model = await platform.RetrieveModelAsync("CLAUDE-OPUS-4-1", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["claude-sonnet-4-5", "claude-opus-4-1"], list.Data.Select(static m => m.Id));
        Assert.Equal("claude-opus-4-1", model.Id);
    }

    [Fact]
    public async Task Retrieves_a_model_by_id()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models/{id}", (string id) =>
            Results.Text($$"""{"type":"model","id":"{{id}}","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}""", "application/json")));
        var platform = (IModelsAdapter)ClaudeFakes.Platform(upstream.Root);

        var model = await platform.RetrieveModelAsync("claude-sonnet-4-5", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("claude-sonnet-4-5", model.Id);
        Assert.Equal("model", model.Object);
        Assert.Equal("/v1/models/claude-sonnet-4-5", upstream.SingleRequest.RawTarget);
    }
}
