using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

public sealed class ModelsTests
{
    // Nothing listens there: a platform that called its upstream would fail.
    private static readonly Uri NowhereUrl = new("http://127.0.0.1:9/v1");

    [Fact]
    public async Task Lists_the_upstream_models()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models", () => Results.Text(OfficialPayloads.ModelList, "application/json")));
        var platform = (IModelsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/models", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("list", list.Object);
        Assert.Equal(["model-id-0", "model-id-1", "model-id-2"], list.Data.Select(static m => m.Id));
        Assert.Equal("organization-owner", list.Data[0].OwnedBy);
        Assert.Equal(1686935002, list.Data[0].Created);
    }

    [Fact]
    public async Task Configured_model_names_are_listed_without_asking_the_upstream()
    {
        var platform = (IModelsAdapter)TestPlatforms.OpenAI(NowhereUrl, ["deepseek-chat", "deepseek-reasoner"]);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["deepseek-chat", "deepseek-reasoner"], list.Data.Select(static m => m.Id));
        Assert.All(list.Data, static m =>
        {
            Assert.Equal("model", m.Object);
            Assert.Equal(TestPlatforms.PlatformName, m.OwnedBy);
            Assert.Equal(0, m.Created);
        });
    }

    [Fact]
    public async Task Configured_patterns_filter_the_upstream_list()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models", () => Results.Text(OfficialPayloads.ModelList, "application/json")));
        var platform = (IModelsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl, ["MODEL-ID-0", "model-id-2*"]);

        var list = await platform.ListModelsAsync(TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(["model-id-0", "model-id-2"], list.Data.Select(static m => m.Id));
    }

    [Fact]
    public async Task Retrieves_a_model_with_its_id_escaped_into_the_path()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models/{**id}", () => Results.Text(OfficialPayloads.Model, "application/json")));
        var platform = (IModelsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var model = await platform.RetrieveModelAsync("ft:gpt-4o-mini:org/custom id", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("/v1/models/ft%3Agpt-4o-mini%3Aorg%2Fcustom%20id", upstream.SingleRequest.RawTarget);
        Assert.Equal("gpt-4o-mini", model.Id);
        Assert.Equal("system", model.OwnedBy);
    }

    [Fact]
    public async Task Retrieves_a_configured_model_without_asking_the_upstream()
    {
        var platform = (IModelsAdapter)TestPlatforms.OpenAI(NowhereUrl, ["deepseek-chat"]);

        var model = await platform.RetrieveModelAsync("DeepSeek-Chat", TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("deepseek-chat", model.Id);
        Assert.Equal(TestPlatforms.PlatformName, model.OwnedBy);
    }

    [Fact]
    public async Task An_unknown_model_is_the_upstreams_404()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/models/{id}", () => Results.Text(OfficialPayloads.ModelNotFoundError, "application/json", statusCode: 404)));
        var platform = (IModelsAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.RetrieveModelAsync("gpt-nope", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("model_not_found", error.Code);
        Assert.Equal("model", error.Param);
        Assert.False(error.Retryable);
    }
}
