using Manifold.Contracts.OpenAI.Responses;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using Manifold.Conversion.Responses;
using static Manifold.Conversion.Tests.Responses.ResponsesFixtures;

namespace Manifold.Conversion.Tests.Responses;

public sealed class ResponsesRequestDecodeTests
{
    [Fact]
    public void A_string_input_is_one_user_message()
    {
        var hub = Decode("text");

        Assert.Equal("gpt-4.1", hub.Model);
        Assert.False(hub.Stream);
        var message = Assert.Single(hub.Messages);
        Assert.Equal(HubRole.User, message.Role);
        Assert.Equal("Tell me a three sentence bedtime story about a unicorn.", Assert.IsType<TextPart>(Assert.Single(message.Parts)).Text);
        Assert.Empty(hub.System);
    }

    [Fact]
    public void Instructions_and_developer_messages_are_the_system_prompt()
    {
        var hub = Decode("system");

        Assert.Equal(["Talk like a pirate.", "Answer in one sentence."], hub.System.Cast<TextPart>().Select(static p => p.Text));
        var user = Assert.Single(hub.Messages);
        Assert.Equal(HubRole.User, user.Role);
    }

    [Fact]
    public void History_keeps_roles_and_both_assistant_shapes()
    {
        var hub = Decode("multi-turn");

        Assert.Equal([HubRole.User, HubRole.Assistant, HubRole.User, HubRole.Assistant, HubRole.User], hub.Messages.Select(static m => m.Role));
        Assert.Equal("Who's there?", Assert.IsType<TextPart>(Assert.Single(hub.Messages[1].Parts)).Text);
        Assert.Equal("Orange who?", Assert.IsType<TextPart>(Assert.Single(hub.Messages[3].Parts)).Text);
        Assert.Equal("Orange you going to finish the joke?", Assert.IsType<TextPart>(Assert.Single(hub.Messages[4].Parts)).Text);
    }

    [Fact]
    public void Images_by_url_and_by_data_url_keep_their_detail()
    {
        var parts = Assert.Single(Decode("image").Messages).Parts;

        Assert.Equal("what's in this image?", Assert.IsType<TextPart>(parts[0]).Text);
        var remote = Assert.IsType<ImagePart>(parts[1]).Media;
        Assert.StartsWith("https://upload.wikimedia.org/", remote.Url);
        Assert.Equal("high", remote.Detail);
        var inline = Assert.IsType<ImagePart>(parts[2]).Media;
        Assert.Null(inline.Url);
        Assert.Equal("image/png", inline.MediaType);
        Assert.StartsWith("iVBORw0KGgo", inline.Data);
        Assert.Equal("auto", inline.Detail);
    }

    [Fact]
    public void A_file_as_a_data_url_is_a_document_with_its_name()
    {
        var parts = Assert.Single(Decode("file").Messages).Parts;

        var media = Assert.IsType<FilePart>(parts[0]).Media;
        Assert.Equal("application/pdf", media.MediaType);
        Assert.StartsWith("JVBERi0xLjQK", media.Data);
        Assert.Equal("draconomicon.pdf", media.Filename);
        Assert.IsType<TextPart>(parts[1]);
    }

    [Fact]
    public void Files_by_url_and_by_id_stay_references()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"gpt-4.1","input":[{"role":"user","content":[
              {"type":"input_file","file_url":"https://www.berkshirehathaway.com/letters/2024ltr.pdf"},
              {"type":"input_file","file_id":"file-6F2ksmvXxt4VdoqmHRw6kL"},
              {"type":"input_image","file_id":"file-ImG"}]}]}
            """));

        var parts = Assert.Single(hub.Messages).Parts;
        Assert.Equal("https://www.berkshirehathaway.com/letters/2024ltr.pdf", Assert.IsType<FilePart>(parts[0]).Media.Url);
        Assert.Equal("file-6F2ksmvXxt4VdoqmHRw6kL", Assert.IsType<FilePart>(parts[1]).Media.FileId);
        Assert.Equal("file-ImG", Assert.IsType<ImagePart>(parts[2]).Media.FileId);
    }

    [Fact]
    public void Function_tools_and_tool_choice_convert()
    {
        var hub = Decode("tools");

        var tool = Assert.Single(hub.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Get current temperature for a given location.", tool.Description);
        Assert.True(tool.Strict);
        Assert.Equal("object", tool.Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal(HubToolChoice.Auto, hub.ToolChoice);
    }

    [Fact]
    public void A_named_function_choice_converts()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"gpt-4.1","input":"hi","tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false}
            """));

        Assert.Equal(new HubToolChoice(HubToolChoiceKind.Function, "get_weather"), hub.ToolChoice);
        Assert.False(hub.ParallelToolCalls);
    }

    [Fact]
    public void Function_calls_join_the_assistant_turn_and_outputs_answer_them_by_call_id()
    {
        var hub = Decode("tool-result");

        Assert.Equal([HubRole.User, HubRole.Assistant, HubRole.Tool], hub.Messages.Select(static m => m.Role));
        var call = Assert.IsType<ToolCallPart>(Assert.Single(hub.Messages[1].Parts));
        Assert.Equal("call_unLAR8MvFNptuiZK6K6HCy5k", call.Id);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"location":"Paris, France"}""", call.Arguments);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(hub.Messages[2].Parts));
        Assert.Equal("call_unLAR8MvFNptuiZK6K6HCy5k", result.CallId);
        // Filled from the call: Gemini needs the function's name with its response.
        Assert.Equal("get_weather", result.Name);
        Assert.Equal("""{"temperature_celsius": 14, "conditions": "light rain"}""", result.JoinedText());
    }

    [Fact]
    public void One_turn_of_reasoning_text_and_parallel_calls_is_one_assistant_message_and_its_outputs_one_tool_message()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"o4-mini","input":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Two cities."}],"encrypted_content":"gAAA"},
              {"type":"function_call","call_id":"call_a","name":"get_weather","arguments":"{\"location\":\"Paris\"}"},
              {"type":"function_call","call_id":"call_b","name":"get_weather","arguments":"{\"location\":\"Rome\"}"},
              {"type":"function_call_output","call_id":"call_a","output":"14"},
              {"type":"function_call_output","call_id":"call_b","output":[{"type":"input_text","text":"21"},{"type":"input_image","image_url":"https://example.com/rome.png"}]}]}
            """));

        Assert.Equal([HubRole.User, HubRole.Assistant, HubRole.Tool], hub.Messages.Select(static m => m.Role));
        var assistant = hub.Messages[1].Parts;
        var reasoning = Assert.IsType<ReasoningPart>(assistant[0]);
        Assert.Equal(("Two cities.", "gAAA", "rs_1"), (reasoning.Text, reasoning.Signature, reasoning.Id));
        Assert.Equal(["call_a", "call_b"], assistant.Skip(1).Cast<ToolCallPart>().Select(static c => c.Id));
        var results = hub.Messages[2].Parts.Cast<ToolResultPart>().ToList();
        Assert.Equal(["call_a", "call_b"], results.Select(static r => r.CallId));
        Assert.IsType<ImagePart>(results[1].Content[1]);
    }

    [Fact]
    public void Redacted_thinking_marked_in_encrypted_content_comes_back_redacted()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"claude-sonnet-4-5","input":[{"role":"user","content":"hi"},
              {"type":"reasoning","id":"rs_x","summary":[],"encrypted_content":"manifold-redacted:EmwKAhgB"}]}
            """));

        var part = Assert.IsType<ReasoningPart>(Assert.Single(hub.Messages[1].Parts));
        Assert.Equal("EmwKAhgB", part.Redacted);
        Assert.Null(part.Signature);
    }

    [Fact]
    public void Reasoning_effort_and_summary_convert()
    {
        var hub = Decode("reasoning");

        Assert.NotNull(hub.Reasoning);
        Assert.True(hub.Reasoning.Enabled);
        Assert.Equal("high", hub.Reasoning.Effort);
        Assert.Equal("auto", hub.Reasoning.Summary);
        Assert.True(hub.Reasoning.IncludeThoughts);
        Assert.Equal(4096, hub.MaxOutputTokens);
    }

    [Fact]
    public void Effort_none_turns_reasoning_off()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""{"model":"gpt-5","input":"hi","reasoning":{"effort":"none"}}"""));

        Assert.False(hub.Reasoning!.Enabled);
    }

    [Fact]
    public void Sampling_limits_format_and_identity_convert()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"gpt-4.1","input":"hi","temperature":0.2,"top_p":0.9,"max_output_tokens":100,"stream":true,
             "metadata":{"team":"docs"},"safety_identifier":"user-42",
             "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}}}
            """));

        Assert.Equal((0.2, 0.9, 100L, true), (hub.Temperature!.Value, hub.TopP!.Value, hub.MaxOutputTokens!.Value, hub.Stream));
        Assert.Equal("docs", hub.Metadata!["team"]);
        Assert.Equal("user-42", hub.User);
        Assert.Equal(HubResponseFormatKind.JsonSchema, hub.ResponseFormat!.Kind);
        Assert.Equal("answer", hub.ResponseFormat.Name);
        Assert.True(hub.ResponseFormat.Strict);
    }

    [Fact]
    public void Fields_that_only_shape_openais_service_are_dropped()
    {
        // store, service_tier, caching, truncation, obfuscation and the encrypted-reasoning include change nothing the model writes.
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"gpt-4.1","input":"hi","store":false,"service_tier":"flex","prompt_cache_key":"k","prompt_cache_retention":"24h",
             "truncation":"auto","max_tool_calls":3,"stream_options":{"include_obfuscation":false},"include":["reasoning.encrypted_content"],
             "background":false,"top_logprobs":0}
            """));

        Assert.Single(hub.Messages);
    }

    public static TheoryData<string, string> Inexpressible => new()
    {
        { """{"model":"m","input":"hi","previous_response_id":"resp_123"}""", "previous_response_id" },
        { """{"model":"m","input":"hi","conversation":"conv_123"}""", "conversation" },
        { """{"model":"m","input":"hi","conversation":{"id":"conv_123"}}""", "conversation" },
        { """{"model":"m","input":"hi","prompt":{"id":"pmpt_123"}}""", "prompt" },
        { """{"model":"m","input":"hi","background":true}""", "background" },
        { """{"model":"m","input":"hi","top_logprobs":5}""", "top_logprobs" },
        { """{"model":"m","input":"hi","include":["message.output_text.logprobs"]}""", "include" },
        { """{"model":"m","input":"hi","tools":[{"type":"web_search"}]}""", "tools[0]" },
        { """{"model":"m","input":"hi","tool_choice":{"type":"allowed_tools","mode":"auto","tools":[]}}""", "tool_choice" },
        { """{"model":"m","input":"hi","text":{"verbosity":"low"}}""", "text.verbosity" },
        { """{"model":"m","input":"hi","text":{"format":{"type":"json_schema","name":"a","description":"d","schema":{}}}}""", "text.format.description" },
        { """{"model":"m","input":"hi","reasoning":{"effort":"max"}}""", "reasoning.effort" },
        { """{"model":"m","input":[{"type":"item_reference","id":"msg_123"}]}""", "input[0]" },
        { """{"model":"m","input":[{"type":"web_search_call","id":"ws_1","status":"completed"}]}""", "input[0].type" },
        { """{"model":"m","input":[{"role":"system","content":[{"type":"input_image","image_url":"https://e.com/a.png"}]}]}""", "input[0].content[0]" },
        { """{"model":"m","input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id" },
        { """{"model":"m","input":[{"content":"no role"}]}""", "input[0].role" },
        { """{"model":"m","input":"hi","x_vendor_flag":true}""", "x_vendor_flag" },
    };

    [Theory]
    [MemberData(nameof(Inexpressible))]
    public void What_no_other_protocol_can_say_is_a_400_naming_the_field(string json, string param)
    {
        var error = Assert.Throws<ConversionException>(() => ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>(json)));

        Assert.Equal(param, error.Param);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(param.Split('[')[0], error.Message);
    }

    [Fact]
    public void A_function_tool_without_parameters_has_none()
    {
        var hub = ResponsesCodec.Instance.DecodeRequest(Parse<CreateResponseRequest>("""
            {"model":"m","input":"hi","tools":[{"type":"function","name":"now","parameters":null,"strict":null}]}
            """));

        var tool = Assert.Single(hub.Tools);
        Assert.Null(tool.Parameters);
        Assert.Null(tool.Strict);
    }
}
