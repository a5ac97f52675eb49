using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Responses;
using static Manifold.Conversion.Tests.Responses.ResponsesFixtures;

namespace Manifold.Conversion.Tests.Responses;

public sealed class ResponsesResponseTests
{
    // ------------------------------------------------------------------ decode (an OpenAI platform's answer)

    [Fact]
    public void A_text_answer_decodes_with_its_usage()
    {
        var hub = ResponsesCodec.Instance.DecodeResponse(Response("text"));

        Assert.Equal("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", hub.Id);
        Assert.Equal("gpt-4.1-2025-04-14", hub.Model);
        Assert.Equal(1741476542, hub.Created);
        Assert.StartsWith("Under a sky full of silver stars", Assert.IsType<TextPart>(Assert.Single(hub.Content)).Text);
        Assert.Equal(HubFinishReason.Stop, hub.FinishReason);
        Assert.Equal(new HubUsage(36, 87), hub.Usage);
    }

    [Fact]
    public void Cached_tokens_stay_inside_the_input_count()
    {
        var usage = ResponsesCodec.Instance.DecodeResponse(Response("usage-cached")).Usage!;

        Assert.Equal((2006L, 1920L, 24L, 2030L), (usage.InputTokens, usage.CachedInputTokens, usage.OutputTokens, usage.TotalTokens));
        Assert.Equal(86, usage.UncachedInputTokens);
    }

    [Fact]
    public void Function_calls_keep_their_call_ids_and_finish_as_tool_calls()
    {
        var hub = ResponsesCodec.Instance.DecodeResponse(Response("parallel-tools"));

        Assert.Equal(HubFinishReason.ToolCalls, hub.FinishReason);
        Assert.Equal(
            [("call_Ap3xKc0Q7t1VnW9sLmZrB2dE", """{"location":"Paris, France"}"""), ("call_Yh6TbG1sR4pLqN8vXc2MwK9j", """{"location":"Bogotá, Colombia"}""")],
            hub.Content.Cast<ToolCallPart>().Select(static c => (c.Id, c.Arguments)));
    }

    [Fact]
    public void A_reasoning_item_keeps_its_summary_id_and_encrypted_content()
    {
        var hub = ResponsesCodec.Instance.DecodeResponse(Response("reasoning"));

        var reasoning = Assert.IsType<ReasoningPart>(hub.Content[0]);
        Assert.Equal("**Comparing decimal numbers**\n\nI compare the tenths first: 9.8 has 8 tenths, 9.11 has 1.\n\n**Concluding**\n\n9.8 is larger.", reasoning.Text);
        Assert.Equal("rs_68b21c4f5a6b8190a7b8c9d0e1f2a3b40c1d2e3f4a5b6c7d", reasoning.Id);
        // A client of another protocol keeps only the signature: it names the item and carries its content.
        Assert.Equal("rs_68b21c4f5a6b8190a7b8c9d0e1f2a3b40c1d2e3f4a5b6c7d|gAAAAABoshxRz1kX3vQp9TtY2mJb7Hc4Lw6Nf8Ds0Ea5Gu1Ri3Oy9Pk2Vx6Ze4Cq7Bn1Mj8Wl3Ud5Ft0Hs2Ag9Ko4Iy6Rp1Ev7Tn3Xc5Qb8Lm2Zw0Jd==", reasoning.Signature);
        Assert.Equal("9.8 is larger than 9.11.", Assert.IsType<TextPart>(hub.Content[1]).Text);
        Assert.Equal(320, hub.Usage!.ReasoningTokens);
    }

    [Fact]
    public void An_incomplete_answer_is_cut_by_the_limit_or_the_filter()
    {
        Assert.Equal(HubFinishReason.Length, ResponsesCodec.Instance.DecodeResponse(Response("stop-length")).FinishReason);

        var filtered = Response("stop-length");
        filtered.IncompleteDetails = new ResponseIncompleteDetails { Reason = "content_filter" };
        Assert.Equal(HubFinishReason.ContentFilter, ResponsesCodec.Instance.DecodeResponse(filtered).FinishReason);
    }

    [Fact]
    public void A_refusal_is_a_refusal_part()
    {
        var response = Response("text");
        response.Output[0].Content = [new ResponseContentPart { Type = "refusal", Refusal = "I can't help with that." }];

        Assert.Equal("I can't help with that.", Assert.IsType<RefusalPart>(Assert.Single(ResponsesCodec.Instance.DecodeResponse(response).Content)).Text);
    }

    [Fact]
    public void A_failed_response_is_an_upstream_error()
    {
        var response = Response("text");
        response.Status = "failed";
        response.Error = new ResponseError { Code = "server_error", Message = "The model failed to generate a response." };

        var error = Assert.Throws<UpstreamException>(() => ResponsesCodec.Instance.DecodeResponse(response));

        Assert.Equal((500, "server_error", "The model failed to generate a response."), (error.StatusCode, error.Code, error.Message));
        Assert.True(error.Retryable);
    }

    // ------------------------------------------------------------------ encode (for a Responses client)

    [Fact]
    public void An_answer_from_another_platform_is_a_complete_response_object()
    {
        var request = Decode("tools");
        var answer = new HubResponse { Id = "msg_01Aq9w938a90dw8q", Model = "claude-sonnet-4-5", Created = 1741294021, FinishReason = HubFinishReason.ToolCalls };
        answer.Content.Add(new TextPart("Let me look that up."));
        answer.Content.Add(new ToolCallPart("toolu_01A09q90qw90lq917835lq9", "get_weather", """{"location":"Paris, France"}"""));
        answer.Usage = new HubUsage(472, 89) { CachedInputTokens = 400, CacheCreationInputTokens = 50 };

        var response = ResponsesCodec.Instance.EncodeResponse(answer, request);

        Assert.Null(response.Validate());
        AssertJson(
            """
            {"id":"resp_msg_01Aq9w938a90dw8q","object":"response","created_at":1741294021,"status":"completed","error":null,"incomplete_details":null,"instructions":null,"model":"claude-sonnet-4-5","output":[{"type":"message","id":"msg_msg_01Aq9w938a90dw8q_0","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Let me look that up.","annotations":[],"logprobs":[]}]},{"type":"function_call","id":"fc_toolu_01A09q90qw90lq917835lq9","status":"completed","call_id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","arguments":"{\"location\":\"Paris, France\"}"}],"parallel_tool_calls":true,"temperature":null,"top_p":null,"tool_choice":"auto","tools":[{"type":"function","name":"get_weather","description":"Get current temperature for a given location.","parameters":{"type":"object","properties":{"location":{"type":"string","description":"City and country e.g. Bogotá, Colombia"}},"required":["location"],"additionalProperties":false},"strict":true}],"metadata":{},"usage":{"input_tokens":472,"input_tokens_details":{"cached_tokens":400,"cache_write_tokens":50},"output_tokens":89,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":561},"max_output_tokens":null,"reasoning":{},"text":{"format":{"type":"text"}},"store":false}
            """,
            response);
    }

    [Fact]
    public void The_token_limit_makes_the_response_and_its_message_incomplete()
    {
        var answer = new HubResponse { Id = "chatcmpl-1", Model = "gpt-4o", FinishReason = HubFinishReason.Length };
        answer.Content.Add(new TextPart("The sea, it calls"));

        var response = ResponsesCodec.Instance.EncodeResponse(answer, Decode("stop-length"));

        Assert.Equal(("incomplete", "max_output_tokens", 16L), (response.Status, response.IncompleteDetails!.Reason, response.MaxOutputTokens!.Value));
        Assert.Equal("incomplete", Assert.Single(response.Output).Status);
    }

    [Fact]
    public void A_content_filter_stop_is_incomplete_for_that_reason()
    {
        var answer = new HubResponse { Id = "x", Model = "gemini-2.5-flash", FinishReason = HubFinishReason.ContentFilter };

        var response = ResponsesCodec.Instance.EncodeResponse(answer, NewHub());

        Assert.Equal(("incomplete", "content_filter"), (response.Status, response.IncompleteDetails!.Reason));
    }

    [Fact]
    public void Reasoning_from_claude_round_trips_through_a_responses_client()
    {
        var answer = new HubResponse { Id = "msg_1", Model = "claude-sonnet-4-5" };
        answer.Content.Add(new ReasoningPart("Let me think.", "EqQBCkYIAxgCKkB"));
        answer.Content.Add(new ReasoningPart("") { Redacted = "EmwKAhgBEgy3va3pzix" });
        answer.Content.Add(new TextPart("Answer."));

        var response = ResponsesCodec.Instance.EncodeResponse(answer, NewHub());

        Assert.Equal(["reasoning", "reasoning", "message"], response.Output.Select(static i => i.Type));
        Assert.Equal(("rs_mf_msg_1_0", "EqQBCkYIAxgCKkB", "Let me think."), (response.Output[0].Id, response.Output[0].EncryptedContent, response.Output[0].Summary![0].Text));
        Assert.Equal("manifold-redacted:EmwKAhgBEgy3va3pzix", response.Output[1].EncryptedContent);
        Assert.Empty(response.Output[1].Summary!);

        // The client sends its output back as input on the next turn: the same reasoning comes out of it, without
        // the made-up item ids, which would make Claude's thinking look like OpenAI's.
        var next = new CreateResponseRequest { Model = "claude-sonnet-4-5", Input = new ResponseInput([.. response.Output.Select(AsInput)]) };
        var parts = Assert.Single(ResponsesCodec.Instance.DecodeRequest(next).Messages).Parts;
        Assert.Equal(new ReasoningPart("Let me think.", "EqQBCkYIAxgCKkB"), parts[0]);
        Assert.Equal(new ReasoningPart("") { Redacted = "EmwKAhgBEgy3va3pzix" }, parts[1]);
        Assert.Equal(new TextPart("Answer."), parts[2]);
    }

    [Fact]
    public void Close_reasoning_content_leaves_reasoning_out()
    {
        var answer = new HubResponse { Id = "msg_1", Model = "claude-sonnet-4-5" };
        answer.Content.Add(new ReasoningPart("Let me think.", "sig"));
        answer.Content.Add(new TextPart("Answer."));
        var request = NewHub();
        request.Output = new OutputOptions(SuppressReasoning: true);

        var response = ResponsesCodec.Instance.EncodeResponse(answer, request);

        Assert.Equal("message", Assert.Single(response.Output).Type);
    }

    [Fact]
    public void The_request_settings_are_echoed()
    {
        var request = Decode("system");
        request.Temperature = 0.3;
        request.ToolChoice = HubToolChoice.None;
        request.Reasoning = new HubReasoning { Effort = "low" };
        var answer = new HubResponse { Id = "resp_given", Model = "m" };

        var response = ResponsesCodec.Instance.EncodeResponse(answer, request);

        Assert.Equal("resp_given", response.Id);
        Assert.Equal("Talk like a pirate.\n\nAnswer in one sentence.", response.Instructions!.StringValue);
        Assert.Equal((0.3, "none", "low"), (response.Temperature!.Value, response.ToolChoice.StringValue, response.Reasoning!.Effort));
    }

    private static void AssertJson(string expected, object actual)
    {
        var node = Node(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), node), node.ToJsonString());
    }

    /// <summary>An output item as the official SDKs send it back: the same JSON, read as an input item.</summary>
    private static ResponseInputItem AsInput(ResponseOutputItem item) => Parse<ResponseInputItem>(Node(item).ToJsonString());
}
