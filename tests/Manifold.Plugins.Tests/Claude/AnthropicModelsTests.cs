using Manifold.Contracts.Anthropic;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Claude;

/// <summary>List Models and Get a Model for Anthropic clients: Anthropic's own ModelInfo objects, filtered as the OpenAI-shaped list is.</summary>
public sealed class AnthropicModelsTests
{
    [Fact]
    public async Task Lists_every_page_of_anthropics_models_as_they_are()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models", (HttpRequest request) =>
            Results.Text(request.Query.ContainsKey("after_id") ? AnthropicPayloads.ModelPage2 : AnthropicPayloads.ModelPage1, "application/json")));
        var platform = (IAnthropicModelsAdapter)ClaudeFakes.Platform(upstream.Root);

        var list = await platform.ListAnthropicModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["Claude Sonnet 4.5", "Claude Opus 4.1", "Claude Haiku 3.5"], list.Data.Select(static m => m.DisplayName));
        Assert.Equal("2025-09-29T00:00:00Z", list.Data[0].CreatedAt);
        Assert.Equal(["/v1/models?limit=1000", "/v1/models?limit=1000&after_id=claude-opus-4-1-20250805"], upstream.Requests.Select(static r => r.RawTarget));
        Assert.All(upstream.Requests, static r => Assert.Equal("2023-06-01", r.Header("anthropic-version")));
    }

    [Fact]
    public async Task Gets_one_model_and_describes_a_configured_one_without_asking()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models/{id}", (string id) =>
            Results.Text($$"""{"type":"model","id":"{{id}}","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}""", "application/json")));
        var listed = (IAnthropicModelsAdapter)ClaudeFakes.Platform(upstream.Root, ["claude-opus-4-1"]);

        var fetched = await listed.GetAnthropicModelAsync("claude-sonnet-4-5", TestPlatforms.Context(), CancellationToken.None);
        var configured = await listed.GetAnthropicModelAsync("claude-opus-4-1", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(("model", "claude-sonnet-4-5", "Claude Sonnet 4.5"), (fetched.Type, fetched.Id, fetched.DisplayName));
        Assert.Equal(("claude-opus-4-1", "claude-opus-4-1", "1970-01-01T00:00:00Z"), (configured.Id, configured.DisplayName, configured.CreatedAt));
        Assert.Equal("/v1/models/claude-sonnet-4-5", upstream.SingleRequest.RawTarget);
    }
}
