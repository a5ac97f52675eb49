using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using static Manifold.Conversion.Tests.Responses.ResponsesFixtures;

namespace Manifold.Conversion.Tests.Responses;

public sealed class ResponsesStreamDecoderTests
{
    public static TheoryData<string> Scenarios =>
        ["text", "system", "multi-turn", "image", "file", "tools", "tool-result", "parallel-tools", "reasoning", "usage-cached", "stop-length"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_fixture_stream_keeps_the_rules_and_matches_its_complete_answer(string scenario)
    {
        var stream = Stream(scenario);
        ResponsesStreamRules.AssertValid(stream);

        var events = DecodeStream(stream);

        // The stream, put together, says what the complete answer says.
        var answer = Manifold.Conversion.Responses.ResponsesCodec.Instance.DecodeResponse(Response(scenario));
        Assert.Equal(new StreamStarted(answer.Id, answer.Model, answer.Created), events[0]);
        var finished = Assert.IsType<StreamFinished>(events[^1]);
        Assert.Equal((answer.FinishReason, answer.Usage), (finished.Reason, finished.Usage));
        Assert.Equal(string.Concat(answer.Content.OfType<TextPart>().Select(static t => t.Text)), string.Concat(events.OfType<TextDelta>().Select(static d => d.Text)));
        Assert.Equal(
            answer.Content.OfType<ToolCallPart>().Select(static c => (c.Id, c.Name, c.Arguments)),
            events.OfType<ToolCallStarted>().Select(s => (s.Id, s.Name, string.Concat(events.OfType<ToolCallArgumentsDelta>().Where(d => d.Index == s.Index).Select(static d => d.Json)))));
        var reasoning = answer.Content.OfType<ReasoningPart>().ToList();
        Assert.Equal(string.Concat(reasoning.Select(static r => r.Text)), string.Concat(events.OfType<ReasoningDelta>().Select(static d => d.Text)));
        Assert.Equal(reasoning.Select(static r => r.Signature), events.OfType<ReasoningSignature>().Select(static s => s.Signature));
    }

    [Fact]
    public void Text_deltas_become_text_events()
    {
        var events = DecodeStream(Stream("text"));

        Assert.Equal(5, events.Count);
        Assert.Equal(["Under a sky full of silver stars, a gentle unicorn named Lumina", " discovered a hidden pool that reflected the dreams of sleeping children."],
            events.OfType<TextDelta>().Take(2).Select(static d => d.Text));
        Assert.Equal(new StreamFinished(HubFinishReason.Stop, new HubUsage(36, 87)), events[^1]);
    }

    [Fact]
    public void Parallel_calls_are_numbered_by_the_order_they_start()
    {
        var events = DecodeStream(Stream("parallel-tools"));

        Assert.Equal(
            [new ToolCallStarted(0, "call_Ap3xKc0Q7t1VnW9sLmZrB2dE", "get_weather"), new ToolCallStarted(1, "call_Yh6TbG1sR4pLqN8vXc2MwK9j", "get_weather")],
            events.OfType<ToolCallStarted>());
        Assert.Equal(HubFinishReason.ToolCalls, Assert.IsType<StreamFinished>(events[^1]).Reason);
    }

    [Fact]
    public void Summary_parts_read_as_paragraphs_and_the_signature_follows_them()
    {
        var events = DecodeStream(Stream("reasoning"));

        var reasoning = string.Concat(events.OfType<ReasoningDelta>().Select(static d => d.Text));
        Assert.Equal("**Comparing decimal numbers**\n\nI compare the tenths first: 9.8 has 8 tenths, 9.11 has 1.\n\n**Concluding**\n\n9.8 is larger.", reasoning);
        var signature = events.FindIndex(static e => e is ReasoningSignature);
        Assert.True(signature > events.FindLastIndex(static e => e is ReasoningDelta));
        Assert.True(signature < events.FindIndex(static e => e is TextDelta));
        Assert.StartsWith("rs_68b21c4f5a6b8190a7b8c9d0e1f2a3b40c1d2e3f4a5b6c7d|gAAAA", ((ReasoningSignature)events[signature]).Signature);
    }

    [Fact]
    public void The_incomplete_event_is_a_length_stop_with_usage()
    {
        var finished = Assert.IsType<StreamFinished>(DecodeStream(Stream("stop-length"))[^1]);

        Assert.Equal(new StreamFinished(HubFinishReason.Length, new HubUsage(15, 16)), finished);
    }

    [Fact]
    public void Arguments_sent_only_whole_are_not_lost_or_doubled()
    {
        var chunks = new List<ResponseStreamEvent>
        {
            Event("response.created", e => e.Response = Response("tools")),
            Event("response.output_item.added", e => { e.OutputIndex = 0; e.Item = new ResponseOutputItem { Type = "function_call", Id = "fc_1", CallId = "call_1", Name = "f", Arguments = "" }; }),
            Event("response.function_call_arguments.done", e => { e.OutputIndex = 0; e.ItemId = "fc_1"; e.Arguments = "{\"a\":1}"; }),
            Event("response.output_item.done", e => { e.OutputIndex = 0; e.Item = new ResponseOutputItem { Type = "function_call", Id = "fc_1", CallId = "call_1", Name = "f", Arguments = "{\"a\":1}" }; }),
            // A call announced only when done.
            Event("response.output_item.done", e => { e.OutputIndex = 1; e.Item = new ResponseOutputItem { Type = "function_call", Id = "fc_2", CallId = "call_2", Name = "g", Arguments = "{}" }; }),
        };

        var events = DecodeStream(chunks);

        Assert.Equal([new ToolCallArgumentsDelta(0, "{\"a\":1}"), new ToolCallArgumentsDelta(1, "{}")], events.OfType<ToolCallArgumentsDelta>());
        Assert.Equal(new ToolCallStarted(1, "call_2", "g"), events.OfType<ToolCallStarted>().Last());
        // No closing event: the finish step says why it ended.
        Assert.Equal(HubFinishReason.ToolCalls, Assert.IsType<StreamFinished>(events[^1]).Reason);
    }

    [Fact]
    public void A_stream_without_response_created_still_starts_with_the_requested_model()
    {
        var events = DecodeStream([Event("response.output_text.delta", e => e.Delta = "Hi")], NewHub());

        Assert.Equal(new StreamStarted("", "gpt-4.1", 0), events[0]);
        Assert.Equal(new TextDelta("Hi"), events[1]);
        Assert.IsType<StreamFinished>(events[2]);
    }

    [Fact]
    public void An_error_event_fails_the_stream()
    {
        var error = Assert.Throws<UpstreamException>(() => DecodeStream(
            [Event("error", e => { e.Code = "rate_limit_exceeded"; e.Message = "Slow down."; })]));

        Assert.Equal((429, "rate_limit_exceeded", "Slow down."), (error.StatusCode, error.Code, error.Message));
    }

    [Fact]
    public void A_failed_response_fails_the_stream()
    {
        var failed = Response("text");
        failed.Status = "failed";
        failed.Error = new ResponseError { Code = "invalid_prompt", Message = "Invalid prompt." };

        var error = Assert.Throws<UpstreamException>(() => DecodeStream([Event("response.failed", e => e.Response = failed)]));

        Assert.Equal((400, "invalid_prompt"), (error.StatusCode, error.Code));
        Assert.False(error.Retryable);
    }

    private static ResponseStreamEvent Event(string type, Action<ResponseStreamEvent> fill)
    {
        var e = new ResponseStreamEvent { Type = type };
        fill(e);
        return e;
    }
}
