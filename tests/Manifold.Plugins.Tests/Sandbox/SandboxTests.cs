using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Sandbox;
using Manifold.Plugins.Tests.Fakes;

namespace Manifold.Plugins.Tests.Sandbox;

public sealed class SandboxTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AdapterContext Context = new("sandbox", null, "req-test");

    private readonly IPlatform _platform = new SandboxPlugin().CreatePlatform(
        new PlatformSettings { Name = "sandbox", Plugin = "sandbox" }, TestPlatforms.Services(time: new FixedTimeProvider(Now)));

    private IChatCompletionsAdapter Chat => (IChatCompletionsAdapter)_platform;

    private IModelsAdapter Models => (IModelsAdapter)_platform;

    [Fact]
    public void Serves_sandbox_models_by_default()
    {
        Assert.Equal("sandbox", new SandboxPlugin().Kind);
        Assert.Equal(["sandbox-*"], _platform.DefaultModels);
    }

    [Fact]
    public async Task Echoes_the_last_user_message()
    {
        var response = await Chat.CreateChatCompletionAsync(
            Request("""[{"role":"system","content":"Be brief."},{"role":"user","content":"first"},{"role":"assistant","content":"ok"},{"role":"user","content":"hello world"}]"""),
            Context, CancellationToken.None);

        Assert.StartsWith("chatcmpl-sandbox-", response.Id);
        Assert.Equal("chat.completion", response.Object);
        Assert.Equal(Now.ToUnixTimeSeconds(), response.Created);
        Assert.Equal("sandbox-echo", response.Model);
        var choice = Assert.Single(response.Choices);
        Assert.Equal(0, choice.Index);
        Assert.Equal("assistant", choice.Message.Role);
        Assert.Equal("You said: hello world", choice.Message.Content);
        Assert.Equal("stop", choice.FinishReason);
        var usage = response.Usage!;
        Assert.Equal(7, usage.PromptTokens); // (9 + 5 + 2 + 11) chars / 4, rounded up
        Assert.Equal(6, usage.CompletionTokens); // 21 chars / 4, rounded up
        Assert.Equal(13, usage.TotalTokens);
        Assert.Equal(0, usage.PromptTokensDetails!.CachedTokens);
        Assert.Null(response.Validate());
    }

    [Fact]
    public async Task Serializes_as_openai_does()
    {
        var response = await Chat.CreateChatCompletionAsync(Request("""[{"role":"user","content":"hi"}]"""), Context, CancellationToken.None);

        var json = JsonNode.Parse(JsonSerializer.Serialize(response, ManifoldJson.Options))!;
        var choice = json["choices"]![0]!;
        Assert.True(choice.AsObject().ContainsKey("logprobs"));
        Assert.Null(choice["logprobs"]);
        Assert.Null(choice["message"]!["refusal"]);
        Assert.Empty(choice["message"]!["annotations"]!.AsArray());
        Assert.Equal(0, json["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""[{"role":"user","content":[{"type":"text","text":"look at"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},{"type":"text","text":"this"}]}]""", "You said: look at this")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]""", "You said: (no text)")]
    [InlineData("""[{"role":"system","content":"Only a system prompt."}]""", "You said: (no text)")]
    public async Task Joins_text_parts_and_says_when_there_is_no_text(string messages, string expected)
    {
        var response = await Chat.CreateChatCompletionAsync(Request(messages), Context, CancellationToken.None);

        Assert.Equal(expected, Assert.Single(response.Choices).Message.Content);
    }

    [Fact]
    public async Task Streams_role_then_words_then_the_finish_reason()
    {
        var chunks = await StreamAsync(Request("""[{"role":"user","content":"hello   brave world"}]""", stream: true));

        Assert.All(chunks, static c => Assert.Equal("chat.completion.chunk", c.Object));
        Assert.Single(chunks.Select(static c => c.Id).Distinct());
        Assert.Equal("assistant", chunks[0].Choices[0].Delta.Role);
        Assert.Equal(string.Empty, chunks[0].Choices[0].Delta.Content);
        var words = chunks.Skip(1).SkipLast(1).Select(static c => Assert.Single(c.Choices).Delta.Content).ToList();
        Assert.Equal(["You", " said:", " hello", "   brave", " world"], words);
        Assert.All(chunks.SkipLast(1), static c => Assert.Null(c.Choices[0].FinishReason));
        var last = chunks[^1];
        Assert.Equal("stop", Assert.Single(last.Choices).FinishReason);
        Assert.Null(last.Choices[0].Delta.Content);
        Assert.All(chunks, static c => Assert.Null(c.Usage));
    }

    [Fact]
    public async Task Streams_a_final_usage_chunk_when_asked()
    {
        var request = Request("""[{"role":"user","content":"hello world"}]""", stream: true);
        request.StreamOptions = new ChatCompletionStreamOptions { IncludeUsage = true };

        var chunks = await StreamAsync(request);

        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk.Choices);
        Assert.Equal(6, usageChunk.Usage!.CompletionTokens);
        Assert.Equal(usageChunk.Usage.PromptTokens + usageChunk.Usage.CompletionTokens, usageChunk.Usage.TotalTokens);
        Assert.Equal(0, usageChunk.Usage.PromptTokensDetails!.CachedTokens);
        Assert.Equal("stop", Assert.Single(chunks[^2].Choices).FinishReason);
        Assert.All(chunks.SkipLast(1), static c => Assert.Null(c.Usage));
    }

    [Fact]
    public async Task Calls_a_tool_the_user_names()
    {
        var request = Request("""[{"role":"user","content":"What's the weather in Paris? Use get_weather please."}]""", tools: ["get_time", "get_weather"]);

        var response = await Chat.CreateChatCompletionAsync(request, Context, CancellationToken.None);

        var choice = Assert.Single(response.Choices);
        Assert.Equal("tool_calls", choice.FinishReason);
        Assert.Null(choice.Message.Content);
        var call = Assert.Single(choice.Message.ToolCalls!);
        Assert.StartsWith("call_", call.Id);
        Assert.Equal("function", call.Type);
        Assert.Equal("get_weather", call.Function!.Name);
        Assert.Equal("{}", call.Function.Arguments);
        Assert.Null(response.Validate());
    }

    [Fact]
    public async Task Streams_a_tool_call_as_openai_does()
    {
        var request = Request("""[{"role":"user","content":"call get_weather"}]""", tools: ["get_weather"], stream: true);

        var chunks = await StreamAsync(request);

        Assert.Equal(3, chunks.Count);
        var first = Assert.Single(chunks[0].Choices[0].Delta.ToolCalls!);
        Assert.Equal("assistant", chunks[0].Choices[0].Delta.Role);
        Assert.Equal(0, first.Index);
        Assert.StartsWith("call_", first.Id);
        Assert.Equal("get_weather", first.Function!.Name);
        Assert.Equal(string.Empty, first.Function.Arguments);
        var arguments = Assert.Single(chunks[1].Choices[0].Delta.ToolCalls!);
        Assert.Null(arguments.Id);
        Assert.Equal("{}", arguments.Function!.Arguments);
        Assert.Equal("tool_calls", chunks[2].Choices[0].FinishReason);
    }

    [Fact]
    public async Task Answers_in_text_once_the_tool_result_is_back()
    {
        var request = Request("""
            [{"role":"user","content":"use get_weather"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"Sunny, 21 C"}]
            """, tools: ["get_weather"]);

        var response = await Chat.CreateChatCompletionAsync(request, Context, CancellationToken.None);

        var choice = Assert.Single(response.Choices);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Equal("The tool returned: Sunny, 21 C", choice.Message.Content);
    }

    [Fact]
    public async Task Tool_choice_none_and_required_are_honoured()
    {
        var none = Request("""[{"role":"user","content":"use get_weather"}]""", tools: ["get_weather"]);
        none.ToolChoice = "none";
        var required = Request("""[{"role":"user","content":"anything"}]""", tools: ["get_weather"]);
        required.ToolChoice = "required";

        var noCall = await Chat.CreateChatCompletionAsync(none, Context, CancellationToken.None);
        var forcedCall = await Chat.CreateChatCompletionAsync(required, Context, CancellationToken.None);

        Assert.Null(noCall.Choices[0].Message.ToolCalls);
        Assert.Equal("get_weather", Assert.Single(forcedCall.Choices[0].Message.ToolCalls!).Function!.Name);
    }

    [Fact]
    public async Task Max_completion_tokens_truncates_with_finish_reason_length()
    {
        var request = Request("""[{"role":"user","content":"a fairly long sentence that will not fit"}]""");
        request.MaxCompletionTokens = 3;

        var response = await Chat.CreateChatCompletionAsync(request, Context, CancellationToken.None);

        var choice = Assert.Single(response.Choices);
        Assert.Equal("length", choice.FinishReason);
        Assert.Equal("You said: a ", choice.Message.Content); // 3 tokens of 4 characters
        Assert.Equal(3, response.Usage!.CompletionTokens);
    }

    [Fact]
    public async Task Max_tokens_truncates_the_stream_too()
    {
        var request = Request("""[{"role":"user","content":"a fairly long sentence that will not fit"}]""", stream: true);
        request.MaxTokens = 2;

        var chunks = await StreamAsync(request);

        Assert.Equal("You said", string.Concat(chunks.SelectMany(static c => c.Choices).Select(static c => c.Delta.Content)));
        Assert.Equal("length", chunks[^1].Choices[0].FinishReason);
    }

    [Fact]
    public async Task A_cancelled_stream_stops()
    {
        using var cancellation = new CancellationTokenSource();
        var stream = Chat.CreateChatCompletionStreamAsync(Request("""[{"role":"user","content":"one two three four"}]""", stream: true), Context, cancellation.Token);

        await using var chunks = stream.GetAsyncEnumerator(cancellation.Token);
        Assert.True(await chunks.MoveNextAsync());
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await chunks.MoveNextAsync());
    }

    [Fact]
    public async Task Lists_and_retrieves_sandbox_models()
    {
        var list = await Models.ListModelsAsync(Context, CancellationToken.None);
        var model = await Models.RetrieveModelAsync("sandbox-echo", Context, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<ManifoldException>(() => Models.RetrieveModelAsync("gpt-4o", Context, CancellationToken.None));

        Assert.Equal("sandbox-echo", Assert.Single(list.Data).Id);
        Assert.Equal("sandbox", model.OwnedBy);
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("model_not_found", missing.Code);
    }

    private async Task<List<CreateChatCompletionStreamResponse>> StreamAsync(CreateChatCompletionRequest request)
    {
        var chunks = new List<CreateChatCompletionStreamResponse>();
        await foreach (var chunk in Chat.CreateChatCompletionStreamAsync(request, Context, CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    private static CreateChatCompletionRequest Request(string messages, IReadOnlyList<string>? tools = null, bool stream = false)
    {
        var toolsJson = tools is null ? string.Empty :
            ", \"tools\": [" + string.Join(",", tools.Select(static t => """{"type":"function","function":{"name":""" + JsonSerializer.Serialize(t) + ""","parameters":{"type":"object","properties":{}}}}""")) + "]";
        var json = $$"""{"model":"sandbox-echo","stream":{{(stream ? "true" : "false")}},"messages":{{messages}}{{toolsJson}}}""";
        return JsonSerializer.Deserialize<CreateChatCompletionRequest>(json, ManifoldJson.Options)!;
    }
}
