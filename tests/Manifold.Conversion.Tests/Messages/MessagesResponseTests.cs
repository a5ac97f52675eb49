using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using static Manifold.Conversion.Tests.Messages.MessagesFixtures;

namespace Manifold.Conversion.Tests.Messages;

public sealed class MessagesResponseTests
{
    [Fact]
    public void Text_answer_decodes_with_id_model_and_usage()
    {
        var hub = Codec.DecodeResponse(Response("text"));

        Assert.Equal("msg_01XFDUDYJgAACzvnptvVoYEL", hub.Id);
        Assert.Equal("claude-sonnet-4-5-20250929", hub.Model);
        Assert.Equal(HubFinishReason.Stop, hub.FinishReason);
        Assert.Equal("Hello! I'm Claude, an AI assistant made by Anthropic. How can I help you today?", Assert.IsType<TextPart>(Assert.Single(hub.Content)).Text);
        Assert.Equal(new HubUsage(10, 24), hub.Usage);
    }

    [Fact]
    public void Cached_input_is_added_to_the_hubs_input_which_includes_it()
    {
        // Anthropic's input_tokens (21) excludes the 1800 read from cache; the hub, like OpenAI, includes them.
        var usage = Codec.DecodeResponse(Response("usage-cached")).Usage!;

        Assert.Equal(1821, usage.InputTokens);
        Assert.Equal(1800, usage.CachedInputTokens);
        Assert.Equal(0, usage.CacheCreationInputTokens);
        Assert.Equal(21, usage.UncachedInputTokens);
        Assert.Equal(14, usage.OutputTokens);
    }

    [Fact]
    public void Cache_writes_count_as_input_too_and_thinking_tokens_are_reasoning()
    {
        var response = Response("text");
        response.Usage = Parse<Usage>("""{"input_tokens":50,"output_tokens":300,"cache_creation_input_tokens":1000,"cache_read_input_tokens":200,"output_tokens_details":{"thinking_tokens":120}}""");

        var usage = Codec.DecodeResponse(response).Usage!;

        Assert.Equal(1250, usage.InputTokens);
        Assert.Equal(200, usage.CachedInputTokens);
        Assert.Equal(1000, usage.CacheCreationInputTokens);
        Assert.Equal(120, usage.ReasoningTokens);
        Assert.Equal(50, usage.UncachedInputTokens);
    }

    [Fact]
    public void Usage_encodes_back_to_anthropics_exclusive_input()
    {
        var hub = new HubResponse { Id = "x", Model = "m" };
        hub.Usage = new HubUsage(1250, 300) { CachedInputTokens = 200, CacheCreationInputTokens = 1000 };

        AssertJson("""{"input_tokens":50,"output_tokens":300,"cache_creation_input_tokens":1000,"cache_read_input_tokens":200,"cache_creation":null,"server_tool_use":null,"service_tier":null,"speed":null,"inference_geo":null,"output_tokens_details":null}""",
            Node(Codec.EncodeResponse(hub, NewHub()).Usage));
    }

    [Fact]
    public void Thinking_redacted_thinking_and_tool_calls_decode_in_order()
    {
        var reasoning = Codec.DecodeResponse(Response("reasoning")).Content;
        var tools = Codec.DecodeResponse(Response("tools"));

        var thinking = Assert.IsType<ReasoningPart>(reasoning[0]);
        Assert.StartsWith("Compare the decimals", thinking.Text);
        Assert.StartsWith("EuYBCkQYAiJAgCs1le6", thinking.Signature);
        Assert.StartsWith("EmwKAhgBEgy3va3pzix", Assert.IsType<ReasoningPart>(reasoning[1]).Redacted);
        Assert.Equal("9.8 is larger than 9.11.", Assert.IsType<TextPart>(reasoning[2]).Text);
        Assert.Equal(HubFinishReason.ToolCalls, tools.FinishReason);
        var call = Assert.IsType<ToolCallPart>(tools.Content[1]);
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", call.Id);
        Assert.Equal("get_weather", call.Name);
        AssertJson("""{"location":"Paris, France","unit":"celsius"}""", System.Text.Json.Nodes.JsonNode.Parse(call.Arguments));
    }

    [Theory]
    [InlineData("end_turn", HubFinishReason.Stop)]
    [InlineData("stop_sequence", HubFinishReason.Stop)]
    [InlineData("max_tokens", HubFinishReason.Length)]
    [InlineData("model_context_window_exceeded", HubFinishReason.Length)]
    [InlineData("tool_use", HubFinishReason.ToolCalls)]
    [InlineData("refusal", HubFinishReason.ContentFilter)]
    [InlineData("pause_turn", HubFinishReason.Paused)]
    public void Stop_reasons_decode(string stopReason, HubFinishReason reason)
    {
        var response = Response("text");
        response.StopReason = stopReason;

        Assert.Equal(reason, Codec.DecodeResponse(response).FinishReason);
    }

    [Theory]
    [InlineData(HubFinishReason.Stop, null, "end_turn", null)]
    [InlineData(HubFinishReason.Stop, "THE END", "stop_sequence", "THE END")]
    [InlineData(HubFinishReason.Length, null, "max_tokens", null)]
    [InlineData(HubFinishReason.ToolCalls, null, "tool_use", null)]
    [InlineData(HubFinishReason.ContentFilter, null, "refusal", null)]
    [InlineData(HubFinishReason.Paused, null, "pause_turn", null)]
    public void Finish_reasons_encode(HubFinishReason reason, string? stopSequence, string stopReason, string? expectedSequence)
    {
        var hub = new HubResponse { Id = "x", Model = "m", FinishReason = reason, StopSequence = stopSequence };

        var message = Codec.EncodeResponse(hub, NewHub());

        Assert.Equal(stopReason, message.StopReason);
        Assert.Equal(expectedSequence, message.StopSequence);
    }

    [Fact]
    public void An_answer_from_another_platform_encodes_as_an_anthropic_message()
    {
        var hub = new HubResponse { Id = "chatcmpl-123", Model = "gpt-4o", FinishReason = HubFinishReason.ToolCalls, Usage = new HubUsage(100, 20) { CachedInputTokens = 64 } };
        hub.Content.AddRange([
            new ReasoningPart("Need the weather."),
            new TextPart("Checking."),
            new ToolCallPart("call_abc", "get_weather", """{"location":"Paris"}"""),
            new ToolCallPart("call_def", "get_time", ""),
        ]);

        AssertJson("""
            {"id":"msg_chatcmpl-123","type":"message","role":"assistant","model":"gpt-4o",
             "content":[
               {"type":"thinking","thinking":"Need the weather.","signature":""},
               {"type":"text","text":"Checking."},
               {"type":"tool_use","id":"call_abc","name":"get_weather","input":{"location":"Paris"},"caller":{"type":"direct"}},
               {"type":"tool_use","id":"call_def","name":"get_time","input":{},"caller":{"type":"direct"}}],
             "stop_reason":"tool_use","stop_sequence":null,"stop_details":null,"container":null,"diagnostics":null,
             "usage":{"input_tokens":36,"output_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":64,"cache_creation":null,"server_tool_use":null,"service_tier":null,"speed":null,"inference_geo":null,"output_tokens_details":null}}
            """, Node(Codec.EncodeResponse(hub, NewHub())));
    }

    [Fact]
    public void A_signature_alone_still_becomes_a_thinking_block_so_the_client_can_send_it_back()
    {
        var hub = new HubResponse { Id = "msg_1", Model = "gemini-2.5-flash" };
        hub.Content.AddRange([new ReasoningPart("", "gemini-thought-signature"), new ToolCallPart("call_0", "f", "{}")]);

        var message = Codec.EncodeResponse(hub, NewHub());
        var decoded = Codec.DecodeRequest(new CreateMessageRequest
        {
            Model = "m",
            MaxTokens = 10,
            Messages = [new MessageParam { Role = "user", Content = "Hi" }, new MessageParam { Role = "assistant", Content = message.Content }],
        });

        Assert.Equal(["thinking", "tool_use"], message.Content.Select(static b => b.Type));
        Assert.Equal(new ReasoningPart("", "gemini-thought-signature"), decoded.Messages[1].Parts[0]);
    }

    [Fact]
    public void Close_reasoning_content_drops_thinking_and_redacted_thinking()
    {
        var request = NewHub();
        request.Output = new OutputOptions(SuppressReasoning: true);

        var message = Codec.EncodeResponse(Codec.DecodeResponse(Response("reasoning")), request);

        Assert.Equal(["text"], message.Content.Select(static b => b.Type));
    }

    [Fact]
    public void Refusals_are_text_with_the_refusal_stop_reason()
    {
        var hub = new HubResponse { Id = "msg_1", Model = "m", FinishReason = HubFinishReason.ContentFilter };
        hub.Content.Add(new RefusalPart("I can't help with that."));

        var message = Codec.EncodeResponse(hub, NewHub());

        Assert.Equal("I can't help with that.", Assert.Single(message.Content).Text);
        Assert.Equal("refusal", message.StopReason);
    }

    [Fact]
    public void Every_fixture_answer_round_trips_through_the_hub()
    {
        foreach (var scenario in new[] { "text", "tools", "parallel-tools", "reasoning", "stop-length", "usage-cached" })
        {
            var original = Response(scenario);
            var again = Codec.EncodeResponse(Codec.DecodeResponse(original), NewHub());
            // service_tier is reported, not converted; everything the hub holds comes back as it was, signatures
            // tagged with the platform that issued them (as a client of a converted answer sees them).
            original.Usage = WithoutServiceTier(original.Usage);
            foreach (var block in original.Content.Where(static b => b is { Type: "thinking", Signature.Length: > 0 }))
            {
                block!.Signature = SignatureOrigin.Tag(block.Signature!, SignatureOrigin.Anthropic);
            }
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(Node(original), Node(again)), $"{scenario}: {Node(again).ToJsonString()}");
        }
    }
}
