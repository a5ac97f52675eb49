using System.Text;
using System.Text.Json;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Messages.MessagesFixtures;

namespace Manifold.Conversion.Tests.Messages;

public sealed class MessagesRequestEncodeTests
{
    [Fact]
    public void Without_a_limit_max_tokens_is_the_documented_default()
    {
        var anthropic = Codec.EncodeRequest(NewHub("claude-haiku-4-5", User(new TextPart("Hi"))));

        Assert.Equal(4096, anthropic.MaxTokens);
        Assert.Null(anthropic.Thinking);
        AssertJson("""{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}],"max_tokens":4096}""", Node(anthropic));
    }

    [Fact]
    public void An_effort_becomes_a_thinking_budget_with_room_above_it()
    {
        var hub = NewHub("claude-sonnet-4-5", User(new TextPart("Think.")));
        hub.Reasoning = new HubReasoning { Effort = "high" };

        var anthropic = Codec.EncodeRequest(hub);

        Assert.Equal("enabled", anthropic.Thinking!.Type);
        Assert.Equal(16384, anthropic.Thinking.BudgetTokens);
        Assert.Equal(16384 + 4096, anthropic.MaxTokens);
    }

    [Theory]
    [InlineData(4096L, null, 8192L, 3072L)]
    [InlineData(1200L, null, 8192L, 1024L)]
    [InlineData(20000L, 500L, null, 1024L)]
    [InlineData(20000L, -1L, null, 8192L)]
    public void The_budget_stays_between_1024_and_max_tokens(long maxTokens, long? budget, long? effortBudget, long expected)
    {
        var hub = NewHub("claude-sonnet-4-5", User(new TextPart("Think.")));
        hub.MaxOutputTokens = maxTokens;
        hub.Reasoning = effortBudget is null ? new HubReasoning { BudgetTokens = budget } : new HubReasoning { Effort = "medium" };

        var anthropic = Codec.EncodeRequest(hub);

        Assert.Equal(expected, anthropic.Thinking!.BudgetTokens);
        Assert.Equal(maxTokens, anthropic.MaxTokens);
    }

    [Fact]
    public void Reasoning_with_too_few_max_tokens_is_a_400()
    {
        var hub = NewHub("claude-sonnet-4-5", User(new TextPart("Think.")));
        hub.MaxOutputTokens = 500;
        hub.Reasoning = new HubReasoning { Effort = "low" };

        var error = Assert.Throws<ConversionException>(() => Codec.EncodeRequest(hub));

        Assert.Equal("max_tokens", error.Param);
    }

    [Fact]
    public void Reasoning_off_is_thinking_disabled()
    {
        var hub = NewHub("claude-sonnet-4-5", User(new TextPart("Quick.")));
        hub.Reasoning = new HubReasoning { Enabled = false, Effort = "none" };

        Assert.Equal("disabled", Codec.EncodeRequest(hub).Thinking!.Type);
    }

    [Fact]
    public void System_parts_become_one_string_or_text_blocks()
    {
        var one = NewHub("m", User(new TextPart("Hi")));
        one.System.Add(new TextPart("Be brief."));
        var two = NewHub("m", User(new TextPart("Hi")));
        two.System.AddRange([new TextPart("Be brief."), new TextPart("Be kind.")]);

        Assert.Equal("Be brief.", Codec.EncodeRequest(one).System!.StringValue);
        Assert.Equal(["Be brief.", "Be kind."], Codec.EncodeRequest(two).System!.ArrayValue!.Select(static b => b.Text));
    }

    [Fact]
    public void Tool_messages_and_the_next_user_message_become_one_user_message_results_first()
    {
        var hub = NewHub("m",
            User(new TextPart("Weather and time in Paris?")),
            Assistant(new ToolCallPart("call_1", "get_weather", """{"location":"Paris"}"""), new ToolCallPart("call_2", "get_time", """{"timezone":"Europe/Paris"}""")),
            Tool(new ToolResultPart("call_1", "get_weather", [new TextPart("14 °C")])),
            Tool(new ToolResultPart("call_2", "get_time", [new TextPart("15:04")])),
            User(new TextPart("Thanks. Umbrella?")));

        var anthropic = Codec.EncodeRequest(hub);

        AssertJson("""
            [
              {"role":"user","content":"Weather and time in Paris?"},
              {"role":"assistant","content":[
                {"type":"tool_use","id":"call_1","name":"get_weather","input":{"location":"Paris"}},
                {"type":"tool_use","id":"call_2","name":"get_time","input":{"timezone":"Europe/Paris"}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"call_1","content":"14 °C"},
                {"type":"tool_result","tool_use_id":"call_2","content":"15:04"},
                {"type":"text","text":"Thanks. Umbrella?"}]}
            ]
            """, Node(anthropic.Messages));
    }

    [Fact]
    public void Tool_results_with_media_and_errors_are_blocks()
    {
        var hub = NewHub("m", User(new ToolResultPart("toolu_1", "camera", [new TextPart("offline"), new ImagePart(new HubMedia("image/png", Data: "iVBO"))], IsError: true)));

        AssertJson("""
            [{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[
              {"type":"text","text":"offline"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}}]}]}]
            """, Node(Codec.EncodeRequest(hub).Messages));
    }

    [Fact]
    public void Images_by_data_url_and_file_id()
    {
        var hub = NewHub("m", User(
            new ImagePart(HubMedia.FromUrl("https://example.com/cat.png")),
            new ImagePart(new HubMedia("image/webp", Data: "UklGR")),
            new ImagePart(new HubMedia(null, FileId: "file_011"))));

        AssertJson("""
            [{"role":"user","content":[
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
              {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklGR"}},
              {"type":"image","source":{"type":"file","file_id":"file_011"}}]}]
            """, Node(Codec.EncodeRequest(hub).Messages));
    }

    [Fact]
    public void A_base64_image_without_media_type_is_a_400()
    {
        var hub = NewHub("m", User(new ImagePart(new HubMedia(null, Data: "iVBO"))));

        Assert.Equal("messages[0].content[0]", Assert.Throws<ConversionException>(() => Codec.EncodeRequest(hub)).Param);
    }

    [Fact]
    public void Documents_pdf_text_and_url()
    {
        var text = Convert.ToBase64String(Encoding.UTF8.GetBytes("Plain notes."));
        var hub = NewHub("m", User(
            new FilePart(new HubMedia("application/pdf", Data: "JVBERi0") { Filename = "report.pdf" }),
            new FilePart(new HubMedia("text/markdown", Data: text) { Filename = "notes.md" }),
            new FilePart(new HubMedia(null, Url: "https://example.com/paper.pdf"))));

        AssertJson("""
            [{"role":"user","content":[
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0"},"title":"report.pdf"},
              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"Plain notes."},"title":"notes.md"},
              {"type":"document","source":{"type":"url","url":"https://example.com/paper.pdf"}}]}]
            """, Node(Codec.EncodeRequest(hub).Messages));
    }

    [Theory]
    [MemberData(nameof(Inexpressible))]
    public void What_anthropic_cannot_express_is_a_400_naming_it(string param, Action<HubRequest> set)
    {
        var hub = NewHub("m", User(new TextPart("Hi")));
        set(hub);

        Assert.Equal(param, Assert.Throws<ConversionException>(() => Codec.EncodeRequest(hub)).Param);
    }

    public static TheoryData<string, Action<HubRequest>> Inexpressible => new()
    {
        { "n", static h => h.CandidateCount = 2 },
        { "presence_penalty", static h => h.PresencePenalty = 0.5 },
        { "frequency_penalty", static h => h.FrequencyPenalty = 0.5 },
        { "seed", static h => h.Seed = 42 },
        { "response_format", static h => h.ResponseFormat = new HubResponseFormat(HubResponseFormatKind.JsonObject) },
        { "messages[0].content[1]", static h => h.Messages[0].Parts.Add(new AudioPart(new HubMedia("audio/wav", Data: "UklG"))) },
        { "messages[0].content[1]", static h => h.Messages[0].Parts.Add(new FilePart(new HubMedia("application/vnd.ms-excel", Data: "AAAA"))) },
        { "messages[1].content[0].arguments", static h => h.Messages.Add(Assistant(new ToolCallPart("c", "f", "{not json"))) },
        { "system", static h => h.System.Add(new ImagePart(new HubMedia("image/png", Data: "iVBO"))) },
    };

    [Fact]
    public void Zero_penalties_say_nothing_and_pass()
    {
        var hub = NewHub("m", User(new TextPart("Hi")));
        hub.PresencePenalty = 0;
        hub.FrequencyPenalty = 0;

        Assert.Equal(4096, Codec.EncodeRequest(hub).MaxTokens);
    }

    [Fact]
    public void Json_schema_output_is_output_config_format()
    {
        var hub = NewHub("m", User(new TextPart("Hi")));
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""");
        hub.ResponseFormat = new HubResponseFormat(HubResponseFormatKind.JsonSchema, "answer", schema.RootElement.Clone(), true);

        AssertJson("""{"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}}}""",
            Node(Codec.EncodeRequest(hub).OutputConfig));
    }

    [Fact]
    public void Tools_choice_and_single_call()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"}}}""");
        var hub = NewHub("m", User(new TextPart("Hi")));
        hub.Tools.Add(new HubTool("search", "Search the docs.", schema.RootElement.Clone(), true));
        hub.Tools.Add(new HubTool("now", null, null));
        hub.ToolChoice = new HubToolChoice(HubToolChoiceKind.Function, "search");
        hub.ParallelToolCalls = false;

        var anthropic = Codec.EncodeRequest(hub);

        AssertJson("""
            [{"name":"search","description":"Search the docs.","input_schema":{"type":"object","properties":{"q":{"type":"string"}}},"strict":true},
             {"name":"now","input_schema":{"type":"object","properties":{}}}]
            """, Node(anthropic.Tools));
        AssertJson("""{"type":"tool","name":"search","disable_parallel_tool_use":true}""", Node(anthropic.ToolChoice));
    }

    [Theory]
    [InlineData(HubToolChoiceKind.Auto, """{"type":"auto"}""")]
    [InlineData(HubToolChoiceKind.Required, """{"type":"any"}""")]
    [InlineData(HubToolChoiceKind.None, """{"type":"none"}""")]
    public void Tool_choice_kinds(HubToolChoiceKind kind, string expected)
    {
        var hub = NewHub("m", User(new TextPart("Hi")));
        hub.ToolChoice = new HubToolChoice(kind);

        AssertJson(expected, Node(Codec.EncodeRequest(hub).ToolChoice));
    }

    [Fact]
    public void Signed_and_redacted_thinking_go_back_unsigned_reasoning_does_not()
    {
        var hub = NewHub("m",
            User(new TextPart("Q1")),
            Assistant(new ReasoningPart("own thought", "sig-anthropic"), new ReasoningPart("") { Redacted = "EmwK" }, new TextPart("A1")),
            User(new TextPart("Q2")),
            Assistant(new ReasoningPart("deepseek reasoning"), new ReasoningPart("summary", "gAAAA-openai") { Id = "rs_1" }, new TextPart(""), new TextPart("A2")),
            User(new TextPart("Q3")));

        AssertJson("""
            [
              {"role":"user","content":"Q1"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"own thought","signature":"sig-anthropic"},
                {"type":"redacted_thinking","data":"EmwK"},
                {"type":"text","text":"A1"}]},
              {"role":"user","content":"Q2"},
              {"role":"assistant","content":"A2"},
              {"role":"user","content":"Q3"}
            ]
            """, Node(Codec.EncodeRequest(hub).Messages));
    }

    [Fact]
    public void A_decoded_request_encodes_back_to_what_the_client_sent()
    {
        // The signature of a thinking block survives the trip through the hub unchanged.
        foreach (var scenario in new[] { "text", "system", "image", "file", "tools", "tool-result", "parallel-tools", "reasoning", "stop-length" })
        {
            var encoded = Node(Codec.EncodeRequest(Decode(scenario)));
            var original = RequestNode(scenario);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(original, encoded), $"{scenario}: {encoded.ToJsonString()}");
        }
    }

    [Fact]
    public void A_thinking_block_and_its_signature_go_back_to_anthropic_unchanged()
    {
        var encoded = Node(Codec.EncodeRequest(Decode("reasoning-signature")));

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(RequestNode("reasoning-signature")["messages"]![1], encoded["messages"]![1]), encoded.ToJsonString());
        Assert.Equal("enabled", encoded["thinking"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Metadata_and_user_id()
    {
        var hub = NewHub("m", User(new TextPart("Hi")));
        hub.User = "user-42";
        hub.Metadata = new Dictionary<string, string> { ["team"] = "search" };

        AssertJson("""{"user_id":"user-42"}""", Node(Codec.EncodeRequest(hub).Metadata));
    }
}
