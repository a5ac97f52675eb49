using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using static Manifold.Conversion.Tests.Responses.ResponsesFixtures;

namespace Manifold.Conversion.Tests.Responses;

public sealed class ResponsesStreamEncoderTests
{
    private static readonly StreamStarted Started = new("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-2024-08-06", 1741570283);

    [Fact]
    public void Text_is_the_full_documented_event_sequence_numbered_from_zero()
    {
        var events = Encode(Decode("text"), Started, new TextDelta("Hi"), new TextDelta(" there!"), new StreamFinished(HubFinishReason.Stop, new HubUsage(37, 11)));

        ResponsesStreamRules.AssertValid(events);
        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed",
        ], events.Select(static e => e.Type));
        Assert.Equal(Enumerable.Range(0, 10).Select(static i => (long)i), events.Select(static e => e.SequenceNumber));
        Assert.Equal(
            """{"type":"response.output_text.delta","sequence_number":4,"output_index":0,"item_id":"msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG_0","content_index":0,"delta":"Hi","logprobs":[]}""",
            Node(events[4]).ToJsonString());
        Assert.Equal(
            """{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":{"type":"message","id":"msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG_0","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there!","annotations":[],"logprobs":[]}]}}""",
            Node(events[8]).ToJsonString());
        // Every output_text part carries logprobs (empty), as the published schema requires: added, done, and in the item.
        Assert.Equal("""{"type":"output_text","text":"","annotations":[],"logprobs":[]}""", Node(events[3].Part).ToJsonString());
        Assert.Equal("""{"type":"output_text","text":"Hi there!","annotations":[],"logprobs":[]}""", Node(events[7].Part).ToJsonString());
        var completed = events[^1].Response!;
        Assert.Equal(("resp_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "completed", 1741570283L), (completed.Id, completed.Status, completed.CreatedAt));
        Assert.Equal(48, completed.Usage!.TotalTokens);
        // The lifecycle events before it show the response as it was then.
        Assert.Empty(events[0].Response!.Output);
        Assert.Null(events[0].Response!.Usage);
    }

    [Fact]
    public void Usage_with_cached_tokens_arrives_with_the_completed_response()
    {
        var events = Encode(NewHub(), Started, new TextDelta("Ok."), new UsageReported(new HubUsage(2006, 24) { CachedInputTokens = 1920, ReasoningTokens = 4 }), new StreamFinished(HubFinishReason.Stop));

        var usage = events[^1].Response!.Usage!;
        Assert.Equal((2006L, 1920L, 24L, 4L, 2030L), (usage.InputTokens, usage.InputTokensDetails.CachedTokens, usage.OutputTokens, usage.OutputTokensDetails.ReasoningTokens, usage.TotalTokens));
    }

    [Fact]
    public void Usage_known_at_the_start_is_kept_when_the_end_reports_none()
    {
        var events = Encode(NewHub(), Started with { Usage = new HubUsage(25, 1) }, new TextDelta("Ok."), new StreamFinished(HubFinishReason.Stop));

        Assert.Equal(25, events[^1].Response!.Usage!.InputTokens);
    }

    [Fact]
    public void Reasoning_then_text_then_a_tool_call_are_three_items()
    {
        var events = Encode(NewHub(), Started,
            new ReasoningDelta("Let me"), new ReasoningDelta(" think."), new ReasoningSignature("EqQBCkYIAxgCKkB"),
            new TextDelta("Checking."),
            new ToolCallStarted(0, "toolu_01", "get_weather"), new ToolCallArgumentsDelta(0, "{\"city\":"), new ToolCallArgumentsDelta(0, "\"Paris\"}"),
            new StreamFinished(HubFinishReason.ToolCalls, new HubUsage(10, 20)));

        ResponsesStreamRules.AssertValid(events);
        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
            "response.completed",
        ], events.Select(static e => e.Type));
        var output = events[^1].Response!.Output;
        Assert.Equal(["reasoning", "message", "function_call"], output.Select(static i => i.Type));
        Assert.Equal(("Let me think.", "EqQBCkYIAxgCKkB"), (output[0].Summary![0].Text, output[0].EncryptedContent));
        Assert.Equal(("toolu_01", "fc_toolu_01", "{\"city\":\"Paris\"}"), (output[2].CallId, output[2].Id, output[2].Arguments));
        // The published schema requires the function's name on function_call_arguments.done.
        var done = events.Single(static e => e.Type == "response.function_call_arguments.done");
        Assert.Equal(("get_weather", "{\"city\":\"Paris\"}"), (done.Name, done.Arguments));
    }

    [Fact]
    public void A_signature_without_reasoning_text_is_an_item_of_its_own()
    {
        // Gemini signs the function call it thought about: the signature comes right before the call.
        var events = Encode(NewHub(), Started, new ReasoningSignature("CiQBcsjafH"), new ToolCallStarted(0, "call_0", "f"), new ToolCallArgumentsDelta(0, "{}"), new StreamFinished(HubFinishReason.ToolCalls));

        ResponsesStreamRules.AssertValid(events);
        var output = events[^1].Response!.Output;
        Assert.Equal(["reasoning", "function_call"], output.Select(static i => i.Type));
        Assert.Empty(output[0].Summary!);
        Assert.Equal("CiQBcsjafH", output[0].EncryptedContent);
        Assert.DoesNotContain(events, static e => e.Type.StartsWith("response.reasoning_summary", StringComparison.Ordinal));
    }

    [Fact]
    public void Reasoning_after_a_signature_starts_a_new_item_and_redacted_thinking_is_marked()
    {
        var events = Encode(NewHub(), Started,
            new ReasoningDelta("First."), new ReasoningSignature("sig1"), new ReasoningDelta("Second."), new ReasoningSignature("sig2"),
            new RedactedReasoning("EmwKAhgB"), new TextDelta("Done."), new StreamFinished(HubFinishReason.Stop));

        ResponsesStreamRules.AssertValid(events);
        var output = events[^1].Response!.Output;
        Assert.Equal(["reasoning", "reasoning", "reasoning", "message"], output.Select(static i => i.Type));
        Assert.Equal(["sig1", "sig2", "manifold-redacted:EmwKAhgB", null], output.Select(static i => i.EncryptedContent));
        Assert.Equal(4, output.Select(static i => i.Id).Distinct().Count());
    }

    [Fact]
    public void Interleaved_parallel_tool_calls_are_sent_one_after_the_other()
    {
        // OpenAI Chat may interleave argument deltas of parallel calls; Responses items are sequential.
        var events = Encode(NewHub(), Started,
            new ToolCallStarted(0, "call_a", "get_weather"), new ToolCallArgumentsDelta(0, "{\"city\":"),
            new ToolCallStarted(1, "call_b", "get_time"), new ToolCallArgumentsDelta(1, "{\"tz\":"),
            new ToolCallArgumentsDelta(0, "\"Paris\"}"), new ToolCallArgumentsDelta(1, "\"CET\"}"),
            new StreamFinished(HubFinishReason.ToolCalls));

        ResponsesStreamRules.AssertValid(events);
        var output = events[^1].Response!.Output;
        Assert.Equal([("call_a", "{\"city\":\"Paris\"}", 0), ("call_b", "{\"tz\":\"CET\"}", 1)],
            output.Select((item, i) => (item.CallId!, item.Arguments!, i)));
        // The held call arrives whole, after the first is done.
        var second = events.FindIndex(static e => e.Type == "response.output_item.added" && e.Item!.CallId == "call_b");
        Assert.True(second > events.FindIndex(static e => e.Type == "response.output_item.done"));
        Assert.Equal("{\"tz\":\"CET\"}", events[second + 1].Delta);
    }

    [Fact]
    public void The_token_limit_ends_with_response_incomplete()
    {
        var events = Encode(Decode("stop-length"), Started, new TextDelta("The sea"), new StreamFinished(HubFinishReason.Length, new HubUsage(15, 16)));

        ResponsesStreamRules.AssertValid(events);
        var final = events[^1];
        Assert.Equal("response.incomplete", final.Type);
        Assert.Equal(("incomplete", "max_output_tokens", 16L), (final.Response!.Status, final.Response.IncompleteDetails!.Reason, final.Response.MaxOutputTokens!.Value));
        Assert.Equal("incomplete", events.Single(static e => e.Type == "response.output_item.done").Item!.Status);
    }

    [Fact]
    public void A_refusal_after_text_is_a_second_content_part()
    {
        var events = Encode(NewHub(), Started, new TextDelta("Well,"), new RefusalDelta("I can't"), new RefusalDelta(" help."), new StreamFinished(HubFinishReason.Stop));

        ResponsesStreamRules.AssertValid(events);
        Assert.Contains(events, static e => e.Type == "response.refusal.done" && e.Refusal == "I can't help." && e.ContentIndex == 1);
        var content = events[^1].Response!.Output[0].Content!;
        Assert.Equal([("output_text", "Well,", null), ("refusal", null, "I can't help.")], content.Select(static p => (p.Type, p.Text, p.Refusal)));
    }

    [Fact]
    public void Close_reasoning_content_sends_no_reasoning_and_numbers_items_without_it()
    {
        var request = NewHub();
        request.Output = new OutputOptions(SuppressReasoning: true);

        var events = Encode(request, Started, new ReasoningDelta("Secret."), new ReasoningSignature("sig"), new TextDelta("Answer."), new StreamFinished(HubFinishReason.Stop));

        ResponsesStreamRules.AssertValid(events);
        Assert.DoesNotContain(events, static e => e.Item?.Type == "reasoning" || e.Type.Contains("reasoning", StringComparison.Ordinal));
        Assert.Equal(0, events.First(static e => e.Type == "response.output_item.added").OutputIndex);
    }

    [Fact]
    public void A_stream_that_stops_without_a_reason_is_closed_as_complete()
    {
        var encoder = Manifold.Conversion.Responses.ResponsesCodec.Instance.CreateStreamEncoder(NewHub());
        var events = new List<ResponseStreamEvent>();
        encoder.Encode(Started, events);
        encoder.Encode(new ToolCallStarted(0, "call_1", "f"), events);
        encoder.Encode(new ToolCallArgumentsDelta(0, "{}"), events);
        encoder.Finish(events);

        ResponsesStreamRules.AssertValid(events);
        Assert.Equal("response.completed", events[^1].Type);
    }

    [Fact]
    public void Events_after_the_end_are_ignored_and_a_missing_start_is_made_up()
    {
        var events = Encode(NewHub(), new TextDelta("Hi"), new StreamFinished(HubFinishReason.Stop), new TextDelta("late"));

        ResponsesStreamRules.AssertValid(events);
        Assert.Equal("gpt-4.1", events[0].Response!.Model);
        Assert.Equal(1, events.Count(static e => e.Type == "response.output_text.delta"));
    }

    [Fact]
    public void Every_event_has_objects_of_its_own()
    {
        var events = Encode(NewHub(), Started, new TextDelta("a"), new TextDelta("b"), new StreamFinished(HubFinishReason.Stop));

        var added = events.Single(static e => e.Type == "response.output_item.added").Item!;
        var done = events.Single(static e => e.Type == "response.output_item.done").Item!;
        Assert.NotSame(added, done);
        Assert.Empty(added.Content!);
        Assert.Equal("", events.Single(static e => e.Type == "response.content_part.added").Part!.Text);
    }

    [Fact]
    public void The_request_is_echoed_in_every_lifecycle_event()
    {
        var request = Decode("tools");
        request.MaxOutputTokens = 500;

        var events = Encode(request, Started, new StreamFinished(HubFinishReason.Stop));

        foreach (var lifecycle in events.Where(static e => e.Response is not null))
        {
            Assert.Equal("get_weather", Assert.Single(lifecycle.Response!.Tools).Name);
            Assert.Equal(500, lifecycle.Response.MaxOutputTokens);
        }
    }
}
