using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Chat;

public sealed class ChatRequestDecodeTests
{
    private static HubRequest Decode(string json) =>
        ChatCodec.Instance.DecodeRequest(ChatJson.Parse<CreateChatCompletionRequest>(json));

    [Fact]
    public void System_and_developer_messages_both_become_the_system_prompt()
    {
        var hub = Decode("""
            {"model":"gpt-4o","messages":[
              {"role":"developer","content":"Be brief."},
              {"role":"user","content":"Hi"},
              {"role":"system","content":[{"type":"text","text":"Answer in French."}]}]}
            """);
        Assert.Equal(["Be brief.", "Answer in French."], hub.System.Cast<TextPart>().Select(static t => t.Text));
        var user = Assert.Single(hub.Messages);
        Assert.Equal(HubRole.User, user.Role);
        Assert.Equal("Hi", Assert.IsType<TextPart>(Assert.Single(user.Parts)).Text);
    }

    [Fact]
    public void User_content_parts_keep_images_audio_and_files()
    {
        var hub = Decode("""
            {"model":"gpt-4o","messages":[{"role":"user","content":[
              {"type":"text","text":"Look"},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"high"}},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}},
              {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
              {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}},
              {"type":"file","file":{"file_id":"file-abc123"}}]}]}
            """);
        var parts = Assert.Single(hub.Messages).Parts;
        Assert.Equal(6, parts.Count);
        var url = Assert.IsType<ImagePart>(parts[1]).Media;
        Assert.Equal(("https://example.com/cat.png", "high"), (url.Url, url.Detail));
        var data = Assert.IsType<ImagePart>(parts[2]).Media;
        Assert.Equal(("image/png", "iVBORw0K"), (data.MediaType, data.Data));
        var audio = Assert.IsType<AudioPart>(parts[3]).Media;
        Assert.Equal(("audio/wav", "UklGRg=="), (audio.MediaType, audio.Data));
        var file = Assert.IsType<FilePart>(parts[4]).Media;
        Assert.Equal(("application/pdf", "JVBERi0=", "a.pdf"), (file.MediaType, file.Data, file.Filename));
        Assert.Equal("file-abc123", Assert.IsType<FilePart>(parts[5]).Media.FileId);
    }

    [Fact]
    public void Bare_base64_file_data_is_read_by_the_file_name()
    {
        var hub = Decode("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"notes.txt","file_data":"aGVsbG8="}}]}]}
            """);
        var media = Assert.IsType<FilePart>(Assert.Single(Assert.Single(hub.Messages).Parts)).Media;
        Assert.Equal(("text/plain", "aGVsbG8="), (media.MediaType, media.Data));
    }

    [Fact]
    public void Assistant_turns_keep_reasoning_text_refusal_and_calls_in_order_and_tool_results_find_their_names()
    {
        var hub = Decode("""
            {"model":"m","messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":"Checking.","refusal":"Not that.","reasoning_content":"Two cities.","reasoning_signature":"sig-1",
               "tool_calls":[
                 {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                 {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_a","content":"14 C"},
              {"role":"tool","tool_call_id":"call_b","content":[{"type":"text","text":"noon"}]}]}
            """);
        Assert.Equal(3, hub.Messages.Count);
        var assistant = hub.Messages[1].Parts;
        Assert.Equal(new ReasoningPart("Two cities.", "sig-1"), assistant[0]);
        Assert.Equal(new TextPart("Checking."), assistant[1]);
        Assert.Equal(new RefusalPart("Not that."), assistant[2]);
        Assert.Equal(new ToolCallPart("call_a", "get_weather", "{\"city\":\"Paris\"}"), assistant[3]);
        Assert.Equal(new ToolCallPart("call_b", "get_time", "{}"), assistant[4]);

        // Consecutive tool messages answer one turn: one hub tool message.
        var tool = hub.Messages[2];
        Assert.Equal(HubRole.Tool, tool.Role);
        var results = tool.Parts.Cast<ToolResultPart>().ToList();
        Assert.Equal([("call_a", "get_weather", "14 C"), ("call_b", "get_time", "noon")],
            results.Select(static r => (r.CallId, r.Name!, r.JoinedText())));
    }

    [Fact]
    public void Assistant_content_left_empty_next_to_tool_calls_adds_no_text()
    {
        var hub = Decode("""
            {"model":"m","messages":[{"role":"assistant","content":"","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]}
            """);
        Assert.IsType<ToolCallPart>(Assert.Single(Assert.Single(hub.Messages).Parts));
    }

    [Fact]
    public void The_legacy_functions_api_converts_with_made_up_call_ids()
    {
        var hub = Decode("""
            {"model":"m","functions":[{"name":"lookup","parameters":{"type":"object"}}],"function_call":{"name":"lookup"},
             "messages":[
              {"role":"user","content":"Find it"},
              {"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":\"x\"}"}},
              {"role":"function","name":"lookup","content":"found"}]}
            """);
        Assert.Equal("lookup", Assert.Single(hub.Tools).Name);
        Assert.Equal(new HubToolChoice(HubToolChoiceKind.Function, "lookup"), hub.ToolChoice);
        var call = Assert.IsType<ToolCallPart>(Assert.Single(hub.Messages[1].Parts));
        var result = Assert.IsType<ToolResultPart>(Assert.Single(hub.Messages[2].Parts));
        Assert.Equal(call.Id, result.CallId);
        Assert.Equal("lookup", result.Name);
    }

    [Fact]
    public void Generation_options_convert()
    {
        var hub = Decode("""
            {"model":"o3","messages":[{"role":"user","content":"x"}],
             "reasoning_effort":"low","max_tokens":100,"max_completion_tokens":200,"temperature":0.5,"top_p":0.9,
             "stop":"END","presence_penalty":0.1,"frequency_penalty":0.2,"seed":7,"n":1,
             "user":"u-1","safety_identifier":"s-1","metadata":{"k":"v"},
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"},"strict":true}}],
             "tool_choice":"required","parallel_tool_calls":false,
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}},
             "stream":true,"stream_options":{"include_usage":true},
             "store":true,"service_tier":"flex","prompt_cache_key":"k","prompt_cache_retention":"24h",
             "prediction":{"type":"content","content":"draft"}}
            """);
        Assert.Equal(new HubReasoning { Enabled = true, Effort = "low" }, hub.Reasoning);
        Assert.Equal(200, hub.MaxOutputTokens);
        Assert.Equal((0.5, 0.9, 0.1, 0.2, 7L, 1L), (hub.Temperature, hub.TopP, hub.PresencePenalty, hub.FrequencyPenalty, hub.Seed, hub.CandidateCount));
        Assert.Equal(["END"], hub.StopSequences);
        Assert.Equal("s-1", hub.User);
        Assert.Equal("v", hub.Metadata!["k"]);
        var tool = Assert.Single(hub.Tools);
        Assert.Equal(("f", "d", true), (tool.Name, tool.Description, tool.Strict));
        Assert.Equal(HubToolChoice.Required, hub.ToolChoice);
        Assert.False(hub.ParallelToolCalls);
        Assert.Equal((HubResponseFormatKind.JsonSchema, "answer", true), (hub.ResponseFormat!.Kind, hub.ResponseFormat.Name, hub.ResponseFormat.Strict));
        Assert.True(hub.Stream);
        Assert.True(hub.StreamUsage);
    }

    [Fact]
    public void A_stream_without_include_usage_asks_for_no_usage()
    {
        var hub = Decode("""{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}""");
        Assert.False(hub.StreamUsage);
        Assert.Null(hub.Reasoning);
    }

    [Fact]
    public void Reasoning_effort_none_turns_reasoning_off()
    {
        var hub = Decode("""{"model":"m","reasoning_effort":"none","messages":[{"role":"user","content":"x"}]}""");
        Assert.False(hub.Reasoning!.Enabled);
        Assert.Equal(0, ReasoningBudgets.BudgetOf(hub.Reasoning));
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"logit_bias\":{\"50256\":-100}", "logit_bias")]
    [InlineData("\"modalities\":[\"text\",\"audio\"],\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}", "audio")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"web_search_options\":{}", "web_search_options")]
    [InlineData("\"verbosity\":\"low\"", "verbosity")]
    [InlineData("\"reasoning_effort\":\"maximum\"", "reasoning_effort")]
    [InlineData("\"top_k\":5", "top_k")]
    [InlineData("\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"grammar\"}}]", "tools[0]")]
    [InlineData("\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"auto\",\"tools\":[]}}", "tool_choice")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"description\":\"d\"}}", "response_format.json_schema.description")]
    public void What_no_other_protocol_can_carry_is_a_400_naming_it(string field, string param)
    {
        var error = Assert.Throws<ConversionException>(() => Decode($$"""{"model":"m","messages":[{"role":"user","content":"x"}],{{field}}}"""));
        Assert.Equal(param, error.Param);
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [InlineData("""{"role":"user","name":"alice","content":"x"}""", "messages[0].name")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}""", "messages[0].content[0].cache_control")]
    [InlineData("""{"role":"user","content":"x","weight":1}""", "messages[0].weight")]
    [InlineData("""{"role":"assistant","audio":{"id":"audio_1"}}""", "messages[0].audio")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"c","type":"custom","custom":{"name":"g","input":"x"}}]}""", "messages[0].tool_calls[0]")]
    [InlineData("""{"role":"tool","content":"x"}""", "messages[0].tool_call_id")]
    [InlineData("""{"role":"function","name":"f","content":"x"}""", "messages[0]")]
    [InlineData("""{"role":"assistant","content":"x","reasoning_signature":"mfr1.not-base64!"}""", "messages[0].reasoning_signature")]
    public void Message_fields_that_do_not_convert_are_named(string message, string param)
    {
        var error = Assert.Throws<ConversionException>(() => Decode($$"""{"model":"m","messages":[{{message}}]}"""));
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Annotations_echoed_back_on_an_assistant_message_are_ignored()
    {
        var hub = Decode("""{"model":"m","messages":[{"role":"assistant","content":"x","refusal":null,"annotations":[]}]}""");
        Assert.Equal(new TextPart("x"), Assert.Single(Assert.Single(hub.Messages).Parts));
    }
}
