using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;

namespace Manifold.Conversion.Tests;

public sealed class HubTests
{
    [Theory]
    [InlineData("data:image/png;base64,iVBORw0K", "image/png", "iVBORw0K", null)]
    [InlineData("https://example.com/cat.png", null, null, "https://example.com/cat.png")]
    [InlineData("data:;base64,AAAA", "image/jpeg", "AAAA", null)]
    public void Media_from_url_splits_data_urls_only(string url, string? mediaType, string? data, string? keptUrl)
    {
        var media = HubMedia.FromUrl(url, mediaType == "image/jpeg" ? "image/jpeg" : null);
        Assert.Equal(mediaType, media.MediaType);
        Assert.Equal(data, media.Data);
        Assert.Equal(keptUrl, media.Url);
    }

    [Fact]
    public void Usage_keeps_openai_semantics_and_derives_anthropic_input()
    {
        var usage = new HubUsage(InputTokens: 100, OutputTokens: 40) { CachedInputTokens = 60, CacheCreationInputTokens = 10, ReasoningTokens = 15 };
        Assert.Equal(140, usage.TotalTokens);
        Assert.Equal(30, usage.UncachedInputTokens);
    }

    [Theory]
    [InlineData(0L, "none")]
    [InlineData(1024L, "minimal")]
    [InlineData(2000L, "low")]
    [InlineData(8192L, "medium")]
    [InlineData(10000L, "high")]
    [InlineData(100000L, "xhigh")]
    [InlineData(-1L, "medium")]
    public void Budget_maps_to_the_smallest_effort_that_covers_it(long budget, string effort) =>
        Assert.Equal(effort, ReasoningBudgets.EffortFor(budget));

    [Fact]
    public void Effort_and_budget_round_trip()
    {
        foreach (var effort in new[] { "minimal", "low", "medium", "high", "xhigh" })
        {
            Assert.Equal(effort, ReasoningBudgets.EffortFor(ReasoningBudgets.BudgetFor(effort)!.Value));
        }
        Assert.Equal(0, ReasoningBudgets.BudgetOf(new HubReasoning { Enabled = false }));
        Assert.Equal("none", ReasoningBudgets.EffortOf(new HubReasoning { Enabled = false }));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-thinking", "claude-sonnet-4-5", true, "medium", null)]
    [InlineData("gemini-2.5-flash-nothinking", "gemini-2.5-flash", false, "none", null)]
    [InlineData("o3-high", "o3", true, "high", null)]
    [InlineData("gpt-5-minimal", "gpt-5", true, "minimal", null)]
    [InlineData("claude-opus-4-thinking-12000", "claude-opus-4", true, null, 12000L)]
    public void Model_suffix_selects_reasoning(string model, string stripped, bool enabled, string? effort, long? budget)
    {
        var suffix = ModelSuffix.Parse(model);
        Assert.NotNull(suffix);
        Assert.Equal(stripped, suffix.Model);
        Assert.Equal(enabled, suffix.Reasoning.Enabled);
        Assert.Equal(effort, suffix.Reasoning.Effort);
        Assert.Equal(budget, suffix.Reasoning.BudgetTokens);
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("high")]
    [InlineData("-high")]
    [InlineData("gpt-4o-mini")]
    [InlineData(null)]
    public void Models_without_a_known_suffix_are_left_alone(string? model) => Assert.Null(ModelSuffix.Parse(model));

    [Fact]
    public void Tool_results_learn_the_name_of_the_call_they_answer()
    {
        var request = new HubRequest { Model = "m" };
        request.Messages.Add(new HubMessage(HubRole.Assistant, [new ToolCallPart("call_1", "get_weather", "{}")]));
        request.Messages.Add(new HubMessage(HubRole.Tool, [new ToolResultPart("call_1", null, [new TextPart("sunny")])]));
        HubConversation.ResolveToolNames(request);
        Assert.Equal("get_weather", Assert.IsType<ToolResultPart>(request.Messages[1].Parts[0]).Name);
    }

    [Fact]
    public void Extras_come_out_of_the_body_and_override_the_query()
    {
        var body = new Dictionary<string, System.Text.Json.JsonElement>
        {
            ["close_reasoning_content"] = System.Text.Json.JsonDocument.Parse("true").RootElement,
            ["other"] = System.Text.Json.JsonDocument.Parse("1").RootElement,
        };
        var options = RequestExtras.Take(body, new OutputOptions(ReasoningAsContent: true));
        Assert.True(options.SuppressReasoning);
        Assert.True(options.ReasoningAsContent);
        Assert.False(body.ContainsKey("close_reasoning_content"));
        Assert.True(body.ContainsKey("other"));
    }

    [Fact]
    public void Extras_in_the_query_accept_bare_names_and_reject_nonsense()
    {
        Assert.True(RequestExtras.FromQuery(name => name == "close_reasoning_content" ? "" : null).SuppressReasoning);
        Assert.Same(OutputOptions.Default, RequestExtras.FromQuery(_ => null));
        var error = Assert.Throws<Manifold.Conversion.Pipeline.ConversionException>(() => RequestExtras.FromQuery(_ => "maybe"));
        Assert.Equal("close_reasoning_content", error.Param);
    }
}
