using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Messages;
using Manifold.Conversion.Pipeline;
using Manifold.Conversion.Responses;
using GeminiCount = Manifold.Contracts.Gemini.CountTokensRequest;
using MessagesCount = Manifold.Contracts.Anthropic.CountTokensRequest;

namespace Manifold.Conversion.Tests;

/// <summary>
/// Token counts for clients of one protocol on a platform of another: the platform's own counter (Anthropic's count_tokens,
/// Gemini's countTokens, OpenAI's input_tokens) receives the converted input only; without one, the Anthropic estimate.
/// </summary>
public sealed class TokenCountingTests
{
    private static readonly AdapterContext Context = new("test", null, "req-1");

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    private const string GeminiCountJson = """
        {"generateContentRequest":{
          "systemInstruction":{"parts":[{"text":"Be brief."}]},
          "contents":[{"role":"user","parts":[{"text":"Hello, Claude"}]}],
          "tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object"}}]}],
          "generationConfig":{"seed":7,"temperature":0.2,"maxOutputTokens":64,"responseMimeType":"application/json"}}}
        """;

    [Fact]
    public void Every_platform_protocol_but_chat_has_a_counter()
    {
        Assert.Null(ProtocolCatalog.Platform.Single(static p => p.AdapterType == typeof(Manifold.Contracts.OpenAI.IChatCompletionsAdapter)).CreateCounter(new object()));
        Assert.NotNull(ResponsesProtocol.Instance.CreateCounter(new FakeResponses()));
        Assert.NotNull(MessagesProtocol.Instance.CreateCounter(new FakeMessages()));
        Assert.NotNull(GeminiProtocol.Instance.CreateCounter(new FakeGemini()));
    }

    [Fact]
    public async Task Gemini_clients_are_estimated_exactly_as_anthropic_clients_are()
    {
        var gemini = (IGenerateContentAdapter)GeminiProtocol.Instance.CreateBridge(new NoTarget(), null, OutputOptions.Default);
        var messages = (IMessagesAdapter)MessagesProtocol.Instance.CreateBridge(new NoTarget(), null, OutputOptions.Default);

        var fromGemini = await gemini.CountGeminiTokensAsync("deepseek-chat", Parse<GeminiCount>(GeminiCountJson), Context, CancellationToken.None);
        var fromAnthropic = await messages.CountTokensAsync(Parse<MessagesCount>("""
            {"model":"deepseek-chat","system":"Be brief.","messages":[{"role":"user","content":"Hello, Claude"}],"tools":[{"name":"f","input_schema":{"type":"object"}}]}
            """), Context, CancellationToken.None);

        Assert.Equal(fromAnthropic.InputTokens, fromGemini.TotalTokens);
        // 3 + 3 per message and reply, 300 for tools, and the text: "Be brief." (9), "Hello, Claude" (13), "f" and its schema.
        Assert.Equal(3 + 3 + 300 + (9 + 13 + 1 + 17 + 3) / 4, fromGemini.TotalTokens);
    }

    [Fact]
    public async Task Bare_contents_count_too_and_nothing_to_count_is_a_400()
    {
        var gemini = (IGenerateContentAdapter)GeminiProtocol.Instance.CreateBridge(new NoTarget(), null, OutputOptions.Default);

        var count = await gemini.CountGeminiTokensAsync("deepseek-chat", Parse<GeminiCount>("""{"contents":[{"parts":[{"text":"Hello, Claude"}]}]}"""), Context, CancellationToken.None);
        var error = await Assert.ThrowsAsync<ConversionException>(() => gemini.CountGeminiTokensAsync("deepseek-chat", Parse<GeminiCount>("{}"), Context, CancellationToken.None));

        Assert.Equal(10, count.TotalTokens);
        Assert.Equal("contents", error.Param);
    }

    [Fact]
    public async Task Anthropics_counter_receives_the_input_without_generation_settings()
    {
        var claude = new FakeMessages();
        var gemini = (IGenerateContentAdapter)GeminiProtocol.Instance.CreateBridge(new NoTarget(), MessagesProtocol.Instance.CreateCounter(claude), OutputOptions.Default);

        var count = await gemini.CountGeminiTokensAsync("claude-sonnet-4-5", Parse<GeminiCount>(GeminiCountJson), Context, CancellationToken.None);

        Assert.Equal(23, count.TotalTokens);
        // A seed and a schema-less JSON mode would be refused by Anthropic, but generate no input tokens: not sent.
        Assert.Equal(
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, Claude"}],"system":"Be brief.","tools":[{"name":"f","input_schema":{"type":"object"}}]}""",
            JsonSerializer.Serialize(claude.Counted, ManifoldJson.Options));
    }

    [Fact]
    public async Task Geminis_counter_receives_a_generate_content_request_naming_its_model()
    {
        var google = new FakeGemini();
        var messages = (IMessagesAdapter)MessagesProtocol.Instance.CreateBridge(new NoTarget(), GeminiProtocol.Instance.CreateCounter(google), OutputOptions.Default);

        var count = await messages.CountTokensAsync(Parse<MessagesCount>("""
            {"model":"gemini-2.5-flash","system":"Be brief.","messages":[{"role":"user","content":"Hello, Gemini"}]}
            """), Context, CancellationToken.None);

        Assert.Equal(31, count.InputTokens);
        Assert.Equal("gemini-2.5-flash", google.Model);
        var sent = google.Counted!.GenerateContentRequest!;
        Assert.Equal("models/gemini-2.5-flash", sent.Model);
        Assert.Equal("Be brief.", sent.SystemInstruction!.Parts![0].Text);
        Assert.Null(google.Counted.Contents);
    }

    [Fact]
    public async Task Openais_counter_receives_the_input_tokens_fields_only()
    {
        var openai = new FakeResponses();
        var gemini = (IGenerateContentAdapter)GeminiProtocol.Instance.CreateBridge(new NoTarget(), ResponsesProtocol.Instance.CreateCounter(openai), OutputOptions.Default);

        var count = await gemini.CountGeminiTokensAsync("gpt-4o", Parse<GeminiCount>(GeminiCountJson), Context, CancellationToken.None);

        Assert.Equal(17, count.TotalTokens);
        var sent = JsonSerializer.SerializeToElement(openai.Counted, ManifoldJson.Options);
        Assert.Equal(["model", "input", "instructions", "tools"], sent.EnumerateObject().Select(static p => p.Name));
        Assert.Equal("gpt-4o", sent.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Responses_clients_count_through_the_same_counters_and_need_a_model_to_convert()
    {
        var claude = new FakeMessages();
        var responses = (IResponsesAdapter)ResponsesProtocol.Instance.CreateBridge(new NoTarget(), MessagesProtocol.Instance.CreateCounter(claude), OutputOptions.Default);

        var count = await responses.CountInputTokensAsync(
            Parse<InputTokensRequest>("""{"model":"claude-sonnet-4-5","instructions":"Be brief.","input":"Hello, Claude"}"""), Context, CancellationToken.None);
        var error = await Assert.ThrowsAsync<ConversionException>(() => responses.CountInputTokensAsync(Parse<InputTokensRequest>("""{"input":"Hi"}"""), Context, CancellationToken.None));

        Assert.Equal(("response.input_tokens", 23L), (count.Object, count.InputTokens));
        Assert.Equal("Be brief.", claude.Counted!.System!.StringValue);
        Assert.Equal("model", error.Param);
    }

    private sealed class NoTarget : IHubTarget
    {
        public string Protocol => "none";

        public Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");
    }

    private sealed class FakeMessages : IMessagesAdapter
    {
        public MessagesCount? Counted { get; private set; }

        public Task<Message> CreateMessageAsync(CreateMessageRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public IAsyncEnumerable<MessageStreamEvent> CreateMessageStreamAsync(CreateMessageRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public Task<Manifold.Contracts.Anthropic.CountTokensResponse> CountTokensAsync(MessagesCount request, AdapterContext context, CancellationToken cancellationToken)
        {
            Counted = request;
            return Task.FromResult(new Manifold.Contracts.Anthropic.CountTokensResponse { InputTokens = 23 });
        }
    }

    private sealed class FakeGemini : IGenerateContentAdapter
    {
        public string? Model { get; private set; }

        public GeminiCount? Counted { get; private set; }

        public Task<GenerateContentResponse> GenerateContentAsync(string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(string model, GenerateContentRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public Task<Manifold.Contracts.Gemini.CountTokensResponse> CountGeminiTokensAsync(string model, GeminiCount request, AdapterContext context, CancellationToken cancellationToken)
        {
            (Model, Counted) = (model, request);
            return Task.FromResult(new Manifold.Contracts.Gemini.CountTokensResponse { TotalTokens = 31 });
        }
    }

    private sealed class FakeResponses : IResponsesAdapter
    {
        public InputTokensRequest? Counted { get; private set; }

        public Task<Response> CreateResponseAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public IAsyncEnumerable<ResponseStreamEvent> CreateResponseStreamAsync(CreateResponseRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Counting does not generate.");

        public Task<InputTokensResponse> CountInputTokensAsync(InputTokensRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Counted = request;
            return Task.FromResult(new InputTokensResponse { InputTokens = 17 });
        }
    }
}
