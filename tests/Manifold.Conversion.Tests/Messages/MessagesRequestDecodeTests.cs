using System.Text;
using Manifold.Contracts.Anthropic;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Messages.MessagesFixtures;

namespace Manifold.Conversion.Tests.Messages;

public sealed class MessagesRequestDecodeTests
{
    [Fact]
    public void Text_request_keeps_model_max_tokens_and_message()
    {
        var hub = Decode("text");

        Assert.Equal("claude-sonnet-4-5", hub.Model);
        Assert.Equal(1024, hub.MaxOutputTokens);
        Assert.False(hub.Stream);
        Assert.True(hub.StreamUsage);
        var message = Assert.Single(hub.Messages);
        Assert.Equal(HubRole.User, message.Role);
        Assert.Equal("Hello, Claude", Assert.IsType<TextPart>(Assert.Single(message.Parts)).Text);
    }

    [Fact]
    public void System_as_string_or_as_blocks_with_cache_control_becomes_text_parts()
    {
        Assert.Equal(["You are a terse assistant. Answer in one sentence."], Decode("system").System.Cast<TextPart>().Select(static p => p.Text));
        // The cache breakpoint is a cost hint: the text is what matters.
        Assert.Equal(
            ["You are a support agent for Example Corp.", "Policies: passwords are reset from Settings > Security. ..."],
            Decode("usage-cached").System.Cast<TextPart>().Select(static p => p.Text));
    }

    [Fact]
    public void Multi_turn_history_keeps_roles_in_order()
    {
        var hub = Decode("multi-turn");

        Assert.Equal([HubRole.User, HubRole.Assistant, HubRole.User], hub.Messages.Select(static m => m.Role));
        Assert.Equal("2 + 2 = 4.", Assert.IsType<TextPart>(hub.Messages[1].Parts[0]).Text);
        Assert.Equal("And times 3?", Assert.IsType<TextPart>(hub.Messages[2].Parts[0]).Text);
    }

    [Fact]
    public void Images_by_url_and_base64()
    {
        var parts = Decode("image").Messages[0].Parts;

        var url = Assert.IsType<ImagePart>(parts[1]).Media;
        Assert.Equal("https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg", url.Url);
        Assert.Null(url.Data);
        var inline = Assert.IsType<ImagePart>(parts[2]).Media;
        Assert.Equal("image/png", inline.MediaType);
        Assert.StartsWith("iVBORw0KGgo", inline.Data);
    }

    [Fact]
    public void Documents_pdf_and_plain_text_become_files_with_their_titles()
    {
        var parts = Decode("file").Messages[0].Parts;

        var pdf = Assert.IsType<FilePart>(parts[0]).Media;
        Assert.Equal("application/pdf", pdf.MediaType);
        Assert.StartsWith("JVBERi0", pdf.Data);
        Assert.Equal("report.pdf", pdf.Filename);
        var text = Assert.IsType<FilePart>(parts[1]).Media;
        Assert.Equal("text/plain", text.MediaType);
        Assert.Equal("Q3 revenue grew 12% to $4.2M.", Encoding.UTF8.GetString(Convert.FromBase64String(text.Data!)));
        Assert.Equal("notes.txt", text.Filename);
        Assert.Equal("Summarize these documents.", Assert.IsType<TextPart>(parts[2]).Text);
    }

    [Fact]
    public void Document_and_image_by_file_id_and_pdf_url()
    {
        var request = Parse<CreateMessageRequest>("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"file","file_id":"file_img"}},
              {"type":"document","source":{"type":"file","file_id":"file_doc"}},
              {"type":"document","source":{"type":"url","url":"https://example.com/paper.pdf"}}]}]}
            """);

        var parts = Codec.DecodeRequest(request).Messages[0].Parts;

        Assert.Equal("file_img", Assert.IsType<ImagePart>(parts[0]).Media.FileId);
        Assert.Equal("file_doc", Assert.IsType<FilePart>(parts[1]).Media.FileId);
        var url = Assert.IsType<FilePart>(parts[2]).Media;
        Assert.Equal("https://example.com/paper.pdf", url.Url);
        Assert.Equal("application/pdf", url.MediaType);
    }

    [Fact]
    public void Tools_and_tool_choice()
    {
        var hub = Decode("tools");

        var tool = Assert.Single(hub.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Get the current weather in a given location.", tool.Description);
        Assert.Equal("object", tool.Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal(HubToolChoice.Auto, hub.ToolChoice);
        Assert.Null(hub.ParallelToolCalls);
        Assert.Equal(HubToolChoice.Required, Decode("parallel-tools").ToolChoice);
    }

    [Theory]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", HubToolChoiceKind.Auto, null)]
    [InlineData("""{"type":"any","disable_parallel_tool_use":true}""", HubToolChoiceKind.Required, null)]
    [InlineData("""{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}""", HubToolChoiceKind.Function, "get_weather")]
    public void Disabling_parallel_tool_use_is_at_most_one_call(string choice, HubToolChoiceKind kind, string? name)
    {
        var request = Request("tools");
        request.ToolChoice = Parse<ToolChoice>(choice);

        var hub = Codec.DecodeRequest(request);

        Assert.Equal(new HubToolChoice(kind, name), hub.ToolChoice);
        Assert.False(hub.ParallelToolCalls);
    }

    [Fact]
    public void Tool_use_and_tool_result_keep_their_ids_and_the_result_learns_the_name()
    {
        var hub = Decode("tool-result");

        var call = Assert.IsType<ToolCallPart>(hub.Messages[1].Parts[1]);
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", call.Id);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"location":"Paris, France","unit":"celsius"}""", call.Arguments);
        Assert.Equal(HubRole.User, hub.Messages[2].Role);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(hub.Messages[2].Parts));
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", result.CallId);
        Assert.Equal("get_weather", result.Name);
        Assert.Equal("""{"temperature":14,"conditions":"light rain"}""", result.JoinedText());
        Assert.False(result.IsError);
    }

    [Fact]
    public void Tool_results_with_blocks_and_errors()
    {
        var request = Parse<CreateMessageRequest>("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[
                {"type":"text","text":"camera offline"},
                {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]}]}]}
            """);

        var result = Assert.IsType<ToolResultPart>(Codec.DecodeRequest(request).Messages[0].Parts[0]);

        Assert.True(result.IsError);
        Assert.Equal("camera offline", Assert.IsType<TextPart>(result.Content[0]).Text);
        Assert.Equal("image/jpeg", Assert.IsType<ImagePart>(result.Content[1]).Media.MediaType);
    }

    [Fact]
    public void Thinking_enabled_is_a_budget()
    {
        var hub = Decode("reasoning");

        Assert.True(hub.Reasoning!.Enabled);
        Assert.Equal(10000, hub.Reasoning.BudgetTokens);
        Assert.True(hub.Reasoning.IncludeThoughts);
        Assert.Equal(16000, hub.MaxOutputTokens);
    }

    [Theory]
    [InlineData("""{"type":"disabled"}""", null, false, "none", null)]
    [InlineData("""{"type":"adaptive"}""", "high", true, "high", null)]
    [InlineData("""{"type":"adaptive"}""", "max", true, "xhigh", null)]
    [InlineData("""{"type":"adaptive"}""", null, true, "medium", null)]
    [InlineData(null, "low", true, "low", null)]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", "medium", true, "medium", 2048L)]
    public void Thinking_and_effort_map_to_hub_reasoning(string? thinking, string? effort, bool enabled, string? hubEffort, long? budget)
    {
        var request = Request("text");
        request.Thinking = thinking is null ? null : Parse<ThinkingConfig>(thinking);
        request.OutputConfig = effort is null ? null : new OutputConfig { Effort = effort };

        var reasoning = Codec.DecodeRequest(request).Reasoning!;

        Assert.Equal(enabled, reasoning.Enabled);
        Assert.Equal(hubEffort, reasoning.Effort);
        Assert.Equal(budget, reasoning.BudgetTokens);
    }

    [Fact]
    public void Omitted_thinking_display_asks_for_no_thoughts()
    {
        var request = Request("text");
        request.Thinking = Parse<ThinkingConfig>("""{"type":"enabled","budget_tokens":2048,"display":"omitted"}""");

        Assert.False(Codec.DecodeRequest(request).Reasoning!.IncludeThoughts);
    }

    [Fact]
    public void Thinking_blocks_in_history_keep_their_signatures()
    {
        var parts = Decode("reasoning-signature").Messages[1].Parts;

        var thinking = Assert.IsType<ReasoningPart>(parts[0]);
        Assert.Equal("The user wants the weather in Paris; call get_weather.", thinking.Text);
        Assert.StartsWith("EqQBCgIYAhIM1gbcDa9GJwZA2b3h", thinking.Signature);
        Assert.IsType<ToolCallPart>(parts[1]);
    }

    [Fact]
    public void Thinking_with_an_empty_signature_is_unsigned()
    {
        // What Manifold writes for reasoning another platform did not sign comes back as no signature at all.
        var request = Parse<CreateMessageRequest>("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"deepseek thought","signature":""},{"type":"text","text":"Hello"}]}]}
            """);

        Assert.Equal(new ReasoningPart("deepseek thought"), Codec.DecodeRequest(request).Messages[1].Parts[0]);
    }

    [Fact]
    public void Redacted_thinking_keeps_its_data()
    {
        var request = Parse<CreateMessageRequest>("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":[{"type":"redacted_thinking","data":"EmwKAhgB"},{"type":"text","text":"Hello"}]},
              {"role":"user","content":"Again"}]}
            """);

        var reasoning = Assert.IsType<ReasoningPart>(Codec.DecodeRequest(request).Messages[1].Parts[0]);

        Assert.Equal("EmwKAhgB", reasoning.Redacted);
        Assert.Equal("", reasoning.Text);
    }

    [Fact]
    public void Sampling_stop_sequences_and_user()
    {
        var hub = Decode("stop-length");

        Assert.Equal(16, hub.MaxOutputTokens);
        Assert.Equal(["THE END", "\n\n\n"], hub.StopSequences);
        Assert.Equal(0.7, hub.Temperature);
        Assert.Equal(0.9, hub.TopP);
        Assert.Equal(40, hub.TopK);
        Assert.Equal("user-1234", hub.User);
    }

    [Fact]
    public void Structured_output_format_is_a_json_schema()
    {
        var request = Request("text");
        request.OutputConfig = Parse<OutputConfig>("""{"format":{"type":"json_schema","schema":{"type":"object","properties":{"answer":{"type":"string"}}}}}""");

        var format = Codec.DecodeRequest(request).ResponseFormat!;

        Assert.Equal(HubResponseFormatKind.JsonSchema, format.Kind);
        Assert.Equal("object", format.Schema!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void Stream_flag_is_kept()
    {
        Assert.True(Decode("usage-cached").Stream);
    }

    [Theory]
    [InlineData("""{"mcp_servers":[{"type":"url","url":"https://example.com/sse","name":"x"}]}""", "mcp_servers")]
    [InlineData("""{"container":"container_1"}""", "container")]
    [InlineData("""{"inference_geo":"us"}""", "inference_geo")]
    [InlineData("""{"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]}""", "tools[0]")]
    [InlineData("""{"tools":[{"name":"f","input_schema":{"type":"object"},"defer_loading":true}]}""", "tools[0].defer_loading")]
    [InlineData("""{"metadata":{"user_id":"u","tier":"gold"}}""", "metadata.tier")]
    public void Fields_another_platform_cannot_honour_are_400s_naming_them(string extra, string param)
    {
        var node = RequestNode("text").AsObject();
        foreach (var (name, value) in System.Text.Json.Nodes.JsonNode.Parse(extra)!.AsObject().ToList())
        {
            node[name] = value?.DeepClone();
        }
        var request = Parse<CreateMessageRequest>(node.ToJsonString());

        var error = Assert.Throws<ConversionException>(() => Codec.DecodeRequest(request));

        Assert.Equal(param, error.Param);
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"search_result","source":"https://example.com","title":"t","content":[{"type":"text","text":"x"}]}""", "messages[0].content[0].type")]
    [InlineData("""{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"},"context":"internal memo"}""", "messages[0].content[0].context")]
    [InlineData("""{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"},"citations":{"enabled":true}}""", "messages[0].content[0].citations")]
    [InlineData("""{"type":"document","source":{"type":"content","content":"x"}}""", "messages[0].content[0].source.type")]
    [InlineData("""{"type":"text","text":"x","x_note":1}""", "messages[0].content[0].x_note")]
    [InlineData("""{"type":"thinking","thinking":"x","signature":"s"}""", "messages[0].content[0].type")]
    public void Blocks_another_platform_cannot_carry_are_400s_naming_them(string block, string param)
    {
        var request = Parse<CreateMessageRequest>($$"""{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":[{{block}}]}]}""");

        var error = Assert.Throws<ConversionException>(() => Codec.DecodeRequest(request));

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Server_tool_blocks_in_history_are_400s()
    {
        var request = Parse<CreateMessageRequest>("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"Search"},
             {"role":"assistant","content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"}}]}]}
            """);

        var error = Assert.Throws<ConversionException>(() => Codec.DecodeRequest(request));

        Assert.Equal("messages[1].content[0].type", error.Param);
    }

    [Fact]
    public void Max_tokens_is_required_as_anthropic_requires_it()
    {
        var request = Parse<CreateMessageRequest>("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal("max_tokens", Assert.Throws<ConversionException>(() => Codec.DecodeRequest(request)).Param);
    }

    [Fact]
    public void Extras_left_in_the_body_are_unknown_fields()
    {
        // The protocol's Prepare takes close_reasoning_content out before decoding; anything left is not Anthropic's.
        var request = Parse<CreateMessageRequest>("""{"model":"m","max_tokens":1,"messages":[],"x_custom":true}""");

        Assert.Equal("x_custom", Assert.Throws<ConversionException>(() => Codec.DecodeRequest(request)).Param);
    }
}
