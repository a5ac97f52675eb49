using System.Runtime.CompilerServices;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Messages;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Messages.MessagesFixtures;

namespace Manifold.Conversion.Tests.Messages;

public sealed class MessagesProtocolTests
{
    private static readonly AdapterContext Context = new("test", null, "req-1");
    private static readonly MessagesProtocol Protocol = MessagesProtocol.Instance;

    [Fact]
    public void Messages_is_registered_as_codec_inbound_and_platform_protocol()
    {
        Assert.Contains(MessagesCodec.Instance, ProtocolCatalog.Codecs);
        Assert.Contains(Protocol, ProtocolCatalog.Inbound);
        Assert.Contains(Protocol, ProtocolCatalog.Platform);
        Assert.Equal(typeof(IMessagesAdapter), Protocol.AdapterType);
        Assert.Equal("Anthropic Messages", Protocol.DisplayName);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-thinking", "claude-sonnet-4-5", "enabled", 8192L)]
    [InlineData("claude-sonnet-4-5-high", "claude-sonnet-4-5", "enabled", 16384L)]
    [InlineData("claude-sonnet-4-5-thinking-3000", "claude-sonnet-4-5", "enabled", 3000L)]
    [InlineData("claude-sonnet-4-5-thinking-100", "claude-sonnet-4-5", "enabled", 1024L)]
    [InlineData("claude-sonnet-4-5-thinking-90000", "claude-sonnet-4-5", "enabled", 24000L)]
    [InlineData("claude-sonnet-4-5-nothinking", "claude-sonnet-4-5", "disabled", null)]
    public void A_model_suffix_becomes_the_model_and_thinking_below_max_tokens(string model, string stripped, string type, long? budget)
    {
        var request = Parse<CreateMessageRequest>($$"""{"model":"{{model}}","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":5000},"messages":[]}""");

        Protocol.Prepare(request, ModelSuffix.Parse(model), OutputOptions.Default);

        Assert.Equal(stripped, request.Model);
        Assert.Equal(type, request.Thinking!.Type);
        Assert.Equal(budget, request.Thinking.BudgetTokens);
        Assert.Equal(32000, request.MaxTokens);
    }

    [Fact]
    public void A_thinking_suffix_with_max_tokens_too_small_to_think_is_a_400()
    {
        var request = Parse<CreateMessageRequest>("""{"model":"claude-sonnet-4-5-thinking","max_tokens":1000,"messages":[]}""");

        var error = Assert.Throws<ConversionException>(() => Protocol.Prepare(request, ModelSuffix.Parse(request.Model), OutputOptions.Default));

        Assert.Equal("max_tokens", error.Param);
    }

    [Fact]
    public void Count_tokens_requests_take_the_suffix_too()
    {
        var request = Parse<CountTokensRequest>("""{"model":"claude-opus-4-1-thinking","messages":[{"role":"user","content":"Hi"}],"close_reasoning_content":true}""");

        var output = Protocol.Prepare(request, ModelSuffix.Parse(request.Model), OutputOptions.Default);

        Assert.Equal("claude-opus-4-1", request.Model);
        Assert.Equal(8192, request.Thinking!.BudgetTokens);
        Assert.True(output.SuppressReasoning);
        Assert.Null(request.AdditionalProperties is { Count: > 0 } left ? left : null);
    }

    [Fact]
    public void Extras_leave_the_body_and_a_body_without_suffix_is_left_as_sent()
    {
        var request = Parse<CreateMessageRequest>("""{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[],"return_reasoning_content":true}""");

        var output = Protocol.Prepare(request, null, OutputOptions.Default);

        Assert.True(output.ReasoningAsContent);
        Assert.Null(request.AdditionalProperties is { Count: > 0 } left ? left : null);
        Assert.Equal("claude-sonnet-4-5", request.Model);
        Assert.Null(request.Thinking);
        Assert.Same(OutputOptions.Default, Protocol.Prepare(Parse<CreateMessageRequest>("""{"model":"m","max_tokens":1,"messages":[]}"""), null, OutputOptions.Default));
    }

    [Fact]
    public void Pass_through_answers_lose_thinking_only_when_closed_and_token_counts_pass()
    {
        var closed = Protocol.Prepare(Request("text"), null, new OutputOptions(SuppressReasoning: true));

        var open = (Message)Protocol.FilterResponse(Response("reasoning"), OutputOptions.Default);
        var stripped = (Message)Protocol.FilterResponse(Response("reasoning"), closed);
        var count = new CountTokensResponse { InputTokens = 12 };

        Assert.Equal(["thinking", "redacted_thinking", "text"], open.Content.Select(static b => b.Type));
        Assert.Equal(["text"], stripped.Content.Select(static b => b.Type));
        Assert.Same(count, Protocol.FilterResponse(count, closed));
    }

    [Fact]
    public void Pass_through_streams_lose_thinking_blocks_and_the_rest_are_renumbered()
    {
        var closed = Protocol.Prepare(Request("text"), null, new OutputOptions(SuppressReasoning: true));

        var filter = Protocol.CreateChunkFilter(closed);
        var kept = Stream("reasoning").Select(e => (MessageStreamEvent?)filter(e)).OfType<MessageStreamEvent>().ToList();

        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            kept.Where(static e => e.Type != "ping").Select(static e => e.Type));
        Assert.All(kept.Where(static e => e.Index is not null), static e => Assert.Equal(0, e.Index));
        Assert.Equal("text", kept.Single(static e => e.Type == "content_block_start").ContentBlock!.Type);
        // Another stream, closed too, starts from scratch.
        var other = Protocol.Prepare(Request("text"), null, new OutputOptions(SuppressReasoning: true));
        Assert.Equal(2, ((MessageStreamEvent)Protocol.CreateChunkFilter(other)(Stream("reasoning")[9])!).Index);
    }

    [Fact]
    public async Task The_bridge_serves_an_anthropic_client_from_another_platform()
    {
        var target = new FakeTarget();
        var bridge = (IMessagesAdapter)Protocol.CreateBridge(target, null, OutputOptions.Default);

        var message = await bridge.CreateMessageAsync(Request("system"), Context, CancellationToken.None);

        Assert.Equal("You are a terse assistant. Answer in one sentence.", Assert.IsType<TextPart>(Assert.Single(target.Last!.System)).Text);
        Assert.False(target.Last.Stream);
        Assert.Equal("msg_resp-1", message.Id);
        Assert.Equal("Paris.", Assert.Single(message.Content).Text);
        Assert.Equal(8, message.Usage.InputTokens);
    }

    [Fact]
    public async Task The_bridge_streams_and_rejects_what_cannot_convert_before_calling_the_platform()
    {
        var target = new FakeTarget();
        var bridge = (IMessagesAdapter)Protocol.CreateBridge(target, null, OutputOptions.Default);

        var events = new List<MessageStreamEvent>();
        await foreach (var e in bridge.CreateMessageStreamAsync(Request("text"), Context, CancellationToken.None))
        {
            events.Add(e);
        }
        var request = Request("text");
        request.Container = System.Text.Json.JsonDocument.Parse("\"container_1\"").RootElement.Clone();

        MessagesStreamEncoderTests.AssertGrammar(events);
        Assert.True(target.Last!.Stream);
        Assert.Equal("Paris.", events.Single(static e => e.Delta?.Type == "text_delta").Delta!.Text);
        Assert.Throws<ConversionException>(() => bridge.CreateMessageStreamAsync(request, Context, CancellationToken.None));
        Assert.Equal(1, target.Calls);
    }

    [Fact]
    public async Task The_bridge_estimates_token_counts_from_the_real_content()
    {
        var bridge = (IMessagesAdapter)Protocol.CreateBridge(new FakeTarget(), null, OutputOptions.Default);
        var shortRequest = Parse<CountTokensRequest>("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hello, Claude"}]}""");
        var longRequest = Parse<CountTokensRequest>($$"""{"model":"gpt-4o","system":"Be brief.","messages":[{"role":"user","content":"{{new string('a', 4000)}}"}]}""");
        var withImage = Parse<CountTokensRequest>("""{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"Hello, Claude"},{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""");
        var withTools = Parse<CountTokensRequest>("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hello, Claude"}],"tools":[{"name":"f","input_schema":{"type":"object"}}]}""");

        var counts = await Task.WhenAll(new[] { shortRequest, longRequest, withImage, withTools }.Select(r => bridge.CountTokensAsync(r, Context, CancellationToken.None)));

        // "Hello, Claude" is 13 bytes: 4 tokens, plus 3 for the message and 3 for the reply.
        Assert.Equal(10, counts[0].InputTokens);
        Assert.Equal(3 + 3 + (4000 + 9 + 3) / 4, counts[1].InputTokens);
        Assert.Equal(10 + 1600, counts[2].InputTokens);
        // Tool name and schema text add 18 bytes (31 in all: 8 tokens), and the tool instructions 300.
        Assert.Equal(3 + 3 + 300 + 8, counts[3].InputTokens);
    }

    [Fact]
    public async Task The_target_encodes_calls_and_decodes_answers_and_streams()
    {
        var adapter = new FakeAdapter();
        var target = Protocol.CreateTarget(adapter);
        var hub = NewHub("claude-sonnet-4-5", User(new TextPart("Hi")));

        var response = await target.SendAsync(hub, Context, CancellationToken.None);
        var events = new List<HubStreamEvent>();
        await foreach (var e in target.StreamAsync(hub, Context, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal("Anthropic Messages", target.Protocol);
        Assert.Null(adapter.Requests[0].Stream);
        Assert.True(adapter.Requests[1].Stream);
        Assert.Equal(4096, adapter.Requests[0].MaxTokens);
        Assert.StartsWith("Hello!", Assert.IsType<TextPart>(response.Content[0]).Text);
        Assert.IsType<StreamStarted>(events[0]);
        Assert.Equal(new StreamFinished(HubFinishReason.Stop, new HubUsage(10, 24)), events[^1]);
    }

    private sealed class FakeTarget : IHubTarget
    {
        public HubRequest? Last { get; private set; }

        public int Calls { get; private set; }

        public string Protocol => "Fake";

        public Task<HubResponse> SendAsync(HubRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Last = request;
            Calls++;
            var response = new HubResponse { Id = "resp-1", Model = "gpt-4o", Usage = new HubUsage(8, 2) };
            response.Content.Add(new TextPart("Paris."));
            return Task.FromResult(response);
        }

        public async IAsyncEnumerable<HubStreamEvent> StreamAsync(HubRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Last = request;
            Calls++;
            await Task.Yield();
            yield return new StreamStarted("resp-2", "gpt-4o", 0);
            yield return new TextDelta("Paris.");
            yield return new StreamFinished(HubFinishReason.Stop, new HubUsage(8, 2));
        }
    }

    private sealed class FakeAdapter : IMessagesAdapter
    {
        public List<CreateMessageRequest> Requests { get; } = [];

        public Task<Message> CreateMessageAsync(CreateMessageRequest request, AdapterContext context, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(Response("text"));
        }

        public async IAsyncEnumerable<MessageStreamEvent> CreateMessageStreamAsync(CreateMessageRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Requests.Add(request);
            await Task.Yield();
            foreach (var e in Stream("text"))
            {
                yield return e;
            }
        }

        public Task<CountTokensResponse> CountTokensAsync(CountTokensRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Not called by a hub target.");
    }
}
