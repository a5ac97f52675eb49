using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using Manifold.Conversion.Responses;
using static Manifold.Conversion.Tests.Responses.ResponsesFixtures;

namespace Manifold.Conversion.Tests.Responses;

public sealed class ResponsesRequestEncodeTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;

    [Fact]
    public void The_system_prompt_is_the_instructions_and_messages_are_input_items()
    {
        var hub = NewHub(User(new TextPart("Hi")), Assistant(new TextPart("Hello!")), User(new TextPart("How are you?")));
        hub.System.Add(new TextPart("Be brief."));
        hub.System.Add(new TextPart("Answer in French."));

        var request = ResponsesCodec.Instance.EncodeRequest(hub);

        Assert.Equal("Be brief.\n\nAnswer in French.", request.Instructions);
        Assert.Null(request.Stream);
        Assert.Equal(
            """[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello!"}]},{"type":"message","role":"user","content":[{"type":"input_text","text":"How are you?"}]}]""",
            Node(request.Input).ToJsonString());
    }

    [Fact]
    public void Images_and_files_become_input_parts()
    {
        var hub = NewHub(User(
            new ImagePart(new HubMedia("image/png", Data: "iVBORw0K") { Detail = "low" }),
            new ImagePart(new HubMedia(null, Url: "https://example.com/cat.jpg")),
            new FilePart(new HubMedia("application/pdf", Data: "JVBERi0x") { Filename = "report.pdf" }),
            new FilePart(new HubMedia("application/pdf", Data: "JVBERi0y")),
            new FilePart(new HubMedia(null, Url: "https://example.com/a.pdf")),
            new FilePart(new HubMedia(null, FileId: "file-abc"))));

        var parts = ResponsesCodec.Instance.EncodeRequest(hub).Input!.ArrayValue![0].Content!.ArrayValue!;

        Assert.Equal(("input_image", "data:image/png;base64,iVBORw0K", "low"), (parts[0].Type, parts[0].ImageUrl, parts[0].Detail));
        Assert.Equal(("https://example.com/cat.jpg", "auto"), (parts[1].ImageUrl, parts[1].Detail));
        Assert.Equal(("input_file", "data:application/pdf;base64,JVBERi0x", "report.pdf"), (parts[2].Type, parts[2].FileData, parts[2].Filename));
        // OpenAI wants a name with file_data; one is made from the media type.
        Assert.Equal("document.pdf", parts[3].Filename);
        Assert.Equal(("https://example.com/a.pdf", null), (parts[4].FileUrl, parts[4].FileData));
        Assert.Equal("file-abc", parts[5].FileId);
    }

    [Fact]
    public void An_assistant_turn_becomes_items_in_order_and_tool_results_function_outputs()
    {
        var hub = NewHub(
            User(new TextPart("Weather in Paris?")),
            Assistant(new TextPart("Let me check."), new ToolCallPart("call_1", "get_weather", """{"city":"Paris"}""")),
            // Anthropic and Gemini send results in a user message, with the next question after them.
            User(new ToolResultPart("call_1", "get_weather", [new TextPart("14C")]), new TextPart("And tomorrow?")));

        var items = ResponsesCodec.Instance.EncodeRequest(hub).Input!.ArrayValue!;

        Assert.Equal(["message", "message", "function_call", "function_call_output", "message"], items.Select(static i => i.Type));
        Assert.Equal(("call_1", "get_weather", """{"city":"Paris"}"""), (items[2].CallId, items[2].Name, items[2].Arguments));
        Assert.Null(items[2].Id);
        Assert.Equal(("call_1", "14C"), (items[3].CallId, items[3].Output!.StringValue));
        Assert.Equal("user", items[4].Role);
    }

    [Fact]
    public void A_tool_result_with_an_image_is_a_list_of_parts()
    {
        var hub = NewHub(new HubMessage(HubRole.Tool, [new ToolResultPart("call_1", null, [new TextPart("chart:"), new ImagePart(new HubMedia(null, Url: "https://e.com/c.png"))])]));

        var output = ResponsesCodec.Instance.EncodeRequest(hub).Input!.ArrayValue![0].Output!.ArrayValue!;

        Assert.Equal(["input_text", "input_image"], output.Select(static p => p.Type));
    }

    [Fact]
    public void OpenAIs_own_reasoning_goes_back_with_its_id_and_other_reasoning_stays_behind()
    {
        var hub = NewHub(
            User(new TextPart("Q1")),
            Assistant(
                // What a Chat or Anthropic client kept of an OpenAI reasoning item: the signature names the item.
                new ReasoningPart("Thinking about Q1.", "rs_abc|gAAAAenc"),
                new TextPart("A1")),
            User(new TextPart("Q2")),
            // Claude's thinking and a client's own reasoning text: nothing OpenAI can continue from.
            Assistant(new ReasoningPart("Claude thought.", "EqQBCkYIAxgCKkB"), new ReasoningPart("plain text"), new TextPart("A2")),
            User(new TextPart("Q3")));

        var items = ResponsesCodec.Instance.EncodeRequest(hub).Input!.ArrayValue!;

        Assert.Equal(["message", "reasoning", "message", "message", "message", "message"], items.Select(static i => i.Type));
        var reasoning = items[1];
        Assert.Equal(("rs_abc", "gAAAAenc"), (reasoning.Id, reasoning.EncryptedContent));
        Assert.Equal("Thinking about Q1.", Assert.Single(reasoning.Summary!).Text);
    }

    [Fact]
    public void A_reasoning_item_from_a_responses_client_keeps_its_id()
    {
        var hub = NewHub(User(new TextPart("Q")), Assistant(new ReasoningPart("", "gAAAA") { Id = "rs_1" }, new TextPart("A")));

        var reasoning = ResponsesCodec.Instance.EncodeRequest(hub).Input!.ArrayValue![1];

        Assert.Equal(("reasoning", "rs_1", "gAAAA"), (reasoning.Type, reasoning.Id, reasoning.EncryptedContent));
        Assert.Empty(reasoning.Summary!);
    }

    [Fact]
    public void Tools_are_not_strict_unless_the_caller_said_so()
    {
        var hub = NewHub(User(new TextPart("hi")));
        hub.Tools.Add(new HubTool("get_weather", "Weather.", Schema));
        hub.Tools.Add(new HubTool("now", null, null, Strict: true));
        hub.ToolChoice = new HubToolChoice(HubToolChoiceKind.Function, "get_weather");
        hub.ParallelToolCalls = false;

        var request = ResponsesCodec.Instance.EncodeRequest(hub);

        Assert.Equal(
            """[{"type":"function","name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":false},{"type":"function","name":"now","parameters":{"type":"object","properties":{}},"strict":true}]""",
            Node(request.Tools).ToJsonString());
        Assert.Equal("""{"type":"function","name":"get_weather"}""", Node(request.ToolChoice).ToJsonString());
        Assert.False(request.ParallelToolCalls);
    }

    [Theory]
    [InlineData(HubToolChoiceKind.Auto, "auto")]
    [InlineData(HubToolChoiceKind.None, "none")]
    [InlineData(HubToolChoiceKind.Required, "required")]
    public void Tool_choice_modes_are_strings(HubToolChoiceKind kind, string expected)
    {
        var hub = NewHub(User(new TextPart("hi")));
        hub.ToolChoice = new HubToolChoice(kind);

        Assert.Equal(expected, ResponsesCodec.Instance.EncodeRequest(hub).ToolChoice!.StringValue);
    }

    [Fact]
    public void A_thinking_budget_becomes_the_effort_that_covers_it_and_asks_for_the_signature()
    {
        var hub = NewHub(User(new TextPart("hi")));
        hub.Reasoning = new HubReasoning { BudgetTokens = 10000, IncludeThoughts = true };

        var request = ResponsesCodec.Instance.EncodeRequest(hub);

        Assert.Equal(("high", "auto"), (request.Reasoning!.Effort, request.Reasoning.Summary));
        Assert.Equal(["reasoning.encrypted_content"], request.Include);
    }

    [Fact]
    public void Reasoning_turned_off_is_effort_none_without_the_include()
    {
        var hub = NewHub(User(new TextPart("hi")));
        hub.Reasoning = new HubReasoning { Enabled = false };

        var request = ResponsesCodec.Instance.EncodeRequest(hub);

        Assert.Equal("none", request.Reasoning!.Effort);
        Assert.Null(request.Reasoning.Summary);
        Assert.Null(request.Include);
    }

    [Fact]
    public void Limits_sampling_format_and_identity_carry_over()
    {
        var hub = NewHub(User(new TextPart("hi")));
        hub.MaxOutputTokens = 256;
        hub.Temperature = 0.5;
        hub.TopP = 0.8;
        hub.User = "user-1";
        hub.Metadata = new() { ["k"] = "v" };
        hub.Stream = true;
        hub.ResponseFormat = new HubResponseFormat(HubResponseFormatKind.JsonSchema, Schema: Schema);

        var request = ResponsesCodec.Instance.EncodeRequest(hub);

        Assert.Equal((256L, 0.5, 0.8, "user-1", true), (request.MaxOutputTokens!.Value, request.Temperature!.Value, request.TopP!.Value, request.User, request.Stream!.Value));
        Assert.Equal("v", request.Metadata!["k"]);
        // The API requires a schema name; Gemini's responseSchema has none.
        Assert.Equal("""{"format":{"type":"json_schema","name":"response","schema":{"type":"object","properties":{"city":{"type":"string"}}}}}""", Node(request.Text).ToJsonString());
    }

    public static TheoryData<string> Inexpressible => ["stop", "top_k", "presence_penalty", "frequency_penalty", "seed", "n", "messages[0].content[0]"];

    [Theory]
    [MemberData(nameof(Inexpressible))]
    public void What_the_responses_api_cannot_say_is_a_400_naming_the_field(string param)
    {
        var hub = NewHub(User(param.StartsWith("messages") ? new AudioPart(new HubMedia("audio/wav", Data: "UklGR")) : new TextPart("hi")));
        switch (param)
        {
            case "stop": hub.StopSequences.Add("END"); break;
            case "top_k": hub.TopK = 40; break;
            case "presence_penalty": hub.PresencePenalty = 0.5; break;
            case "frequency_penalty": hub.FrequencyPenalty = 0.5; break;
            case "seed": hub.Seed = 7; break;
            case "n": hub.CandidateCount = 2; break;
        }

        var error = Assert.Throws<ConversionException>(() => ResponsesCodec.Instance.EncodeRequest(hub));

        Assert.Equal(param, error.Param);
        Assert.Contains("OpenAI Responses", error.Message);
    }

    [Fact]
    public void A_responses_request_survives_a_trip_through_the_hub()
    {
        var original = Node(Request("tool-result")).AsObject();

        var again = Node(ResponsesCodec.Instance.EncodeRequest(Decode("tool-result"))).AsObject();

        // Ids of earlier items and the status of earlier calls are OpenAI's bookkeeping; the content is what matters.
        var items = original["input"]!.AsArray();
        items[0] = JsonNode.Parse("""{"type":"message","role":"user","content":[{"type":"input_text","text":"What is the weather like in Paris today?"}]}""");
        items[1]!.AsObject().Remove("id");
        items[1]!.AsObject().Remove("status");
        Assert.True(JsonNode.DeepEquals(original, again), again.ToJsonString());
    }
}
