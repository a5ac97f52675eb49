using System.Text.Json;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Gemini.GeminiFixtures;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>Hub requests (from clients of other protocols) as Gemini requests.</summary>
public sealed class GeminiRequestEncodeTests
{
    [Fact]
    public void Writes_system_roles_and_no_model()
    {
        var hub = NewHub(PathModel, User(new TextPart("Hello")), Assistant(new TextPart("Hi!")), User(new TextPart("How are you?")));
        hub.System.Add(new TextPart("Be brief."));

        var request = GeminiCodec.Instance.EncodeRequest(hub);

        Assert.Equal("Be brief.", Assert.Single(request.SystemInstruction!.Parts!).Text);
        Assert.Equal(["user", "model", "user"], request.Contents.Select(static c => c.Role));
        Assert.Null(request.GenerationConfig);
        Assert.DoesNotContain("model\":\"gemini", JsonSerializer.Serialize(request));
    }

    [Fact]
    public void Merges_one_turns_tool_messages_and_names_their_functions()
    {
        var hub = NewHub(PathModel,
            User(new TextPart("Weather in Paris and Tokyo?")),
            Assistant(new ToolCallPart("call_a", "get_weather", """{"location":"Paris"}"""), new ToolCallPart("call_b", "get_weather", """{"location":"Tokyo"}""")),
            Tool(new ToolResultPart("call_a", null, [new TextPart("""{"temperature":14}""")])),
            Tool(new ToolResultPart("call_b", null, [new TextPart("sunny")], IsError: false)),
            User(new TextPart("Thanks")));

        var request = GeminiCodec.Instance.EncodeRequest(hub);

        Assert.Equal(["user", "model", "user", "user"], request.Contents.Select(static c => c.Role));
        var calls = request.Contents[1].Parts!.Select(static p => p.FunctionCall!).ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(static c => c.Id));
        Assert.Equal("Tokyo", calls[1].Args!.Value.GetProperty("location").GetString());
        var responses = request.Contents[2].Parts!.Select(static p => p.FunctionResponse!).ToList();
        Assert.Equal(["call_a", "call_b"], responses.Select(static r => r.Id));
        Assert.Equal(["get_weather", "get_weather"], responses.Select(static r => r.Name));
        // JSON object text is sent as the object; plain text under "result".
        Assert.Equal(14, responses[0].Response!.Value.GetProperty("temperature").GetInt32());
        Assert.Equal("sunny", responses[1].Response!.Value.GetProperty("result").GetString());
    }

    [Fact]
    public void Sends_failed_tool_results_under_error_and_media_in_parts()
    {
        var hub = NewHub(PathModel,
            Assistant(new ToolCallPart("toolu_1", "screenshot", "{}")),
            User(new ToolResultPart("toolu_1", null, [new TextPart("timeout")], IsError: true)),
            Assistant(new ToolCallPart("toolu_2", "screenshot", "")),
            User(new ToolResultPart("toolu_2", null, [new TextPart("done"), new ImagePart(new HubMedia("image/png", Data: "iVBORw0KGgo="))])));

        var request = GeminiCodec.Instance.EncodeRequest(hub);

        var failed = request.Contents[1].Parts![0].FunctionResponse!;
        Assert.Equal("timeout", failed.Response!.Value.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Object, request.Contents[2].Parts![0].FunctionCall!.Args!.Value.ValueKind);
        var withImage = request.Contents[3].Parts![0].FunctionResponse!;
        Assert.Equal("done", withImage.Response!.Value.GetProperty("result").GetString());
        Assert.Equal("image/png", Assert.Single(withImage.Parts!).InlineData!.MimeType);
    }

    [Fact]
    public void A_result_for_an_unknown_call_is_a_400()
    {
        var hub = NewHub(PathModel, Tool(new ToolResultPart("call_missing", null, [new TextPart("42")])));

        var error = Assert.Throws<ConversionException>(() => GeminiCodec.Instance.EncodeRequest(hub));

        Assert.Equal("messages[0].content[0]", error.Param);
    }

    [Fact]
    public void Writes_media_inline_or_by_uri()
    {
        var hub = NewHub(PathModel, User(
            new ImagePart(new HubMedia("image/jpeg", Data: "/9j/4AAQ")),
            new ImagePart(new HubMedia(null, Url: "https://example.com/cat.PNG?size=2")),
            new FilePart(new HubMedia("application/pdf", Url: "https://example.com/report")),
            new ImagePart(new HubMedia(null, Url: "https://example.com/photo")),
            new FilePart(new HubMedia(null, FileId: "https://generativelanguage.googleapis.com/v1beta/files/abc")) { },
            new AudioPart(new HubMedia("audio/wav", Data: "UklGRg=="))));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[0].Parts!;

        Assert.Equal(("image/jpeg", "/9j/4AAQ"), (parts[0].InlineData!.MimeType, parts[0].InlineData!.Data));
        Assert.Equal(("image/png", "https://example.com/cat.PNG?size=2"), (parts[1].FileData!.MimeType, parts[1].FileData!.FileUri));
        Assert.Equal("application/pdf", parts[2].FileData!.MimeType);
        Assert.Null(parts[3].FileData!.MimeType);
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/files/abc", parts[4].FileData!.FileUri);
        Assert.Equal("audio/wav", parts[5].InlineData!.MimeType);
    }

    [Theory]
    [InlineData(null, "UklGRg==", null, "messages[0].content[0]")]
    [InlineData("application/pdf", null, "file-abc123", "messages[0].content[0]")]
    public void Media_gemini_cannot_take_is_a_400(string? mediaType, string? data, string? fileId, string param)
    {
        var hub = NewHub(PathModel, User(new FilePart(new HubMedia(mediaType, Data: data, FileId: fileId))));

        Assert.Equal(param, Assert.Throws<ConversionException>(() => GeminiCodec.Instance.EncodeRequest(hub)).Param);
    }

    [Fact]
    public void Puts_signatures_back_on_the_parts_they_came_with()
    {
        var hub = NewHub(PathModel,
            User(new TextPart("Weather?")),
            Assistant(
                new ReasoningPart("Let me check.", "c2lnLTE="),
                new TextPart("Checking."),
                new ReasoningPart("", "c2lnLTI="),
                new ToolCallPart("call_0", "get_weather", "{}"),
                new ReasoningPart("", "c2lnLTM=")));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts!;

        // Gemini signs thoughts on the first part after them.
        Assert.Equal(4, parts.Count);
        Assert.Equal(("Let me check.", true, (string?)null), (parts[0].Text, parts[0].Thought, parts[0].ThoughtSignature));
        Assert.Equal(("Checking.", "c2lnLTE="), (parts[1].Text, parts[1].ThoughtSignature));
        Assert.Equal(("get_weather", "c2lnLTI="), (parts[2].FunctionCall!.Name, parts[2].ThoughtSignature));
        Assert.Equal(("", "c2lnLTM="), (parts[3].Text, parts[3].ThoughtSignature));
    }

    [Fact]
    public void A_signed_thinking_block_before_a_call_signs_the_call()
    {
        // Anthropic-shaped history: the signature sits on the thinking block; Gemini 3 validates it on the call.
        var hub = NewHub("gemini-3-pro-preview",
            User(new TextPart("Weather?")),
            Assistant(new ReasoningPart("Need the tool.", "c2lnLWNhbGw="), new ToolCallPart("call_0", "get_weather", "{}")),
            Tool(new ToolResultPart("call_0", "get_weather", [new TextPart("rain")])));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts!;

        Assert.Null(parts[0].ThoughtSignature);
        Assert.Equal("c2lnLWNhbGw=", parts[1].ThoughtSignature);
    }

    [Fact]
    public void A_signature_folded_before_text_still_signs_the_first_call()
    {
        // Chat's reasoning_signature and Anthropic's thinking block sit before the text that precedes the calls.
        var hub = NewHub("gemini-3-pro-preview",
            User(new TextPart("Weather?")),
            Assistant(
                new ReasoningPart("Need the tool.", "c2lnLWNhbGw="),
                new TextPart("Let me check."),
                new ToolCallPart("call_0", "get_weather", """{"location":"Paris"}"""),
                new ToolCallPart("call_1", "get_weather", """{"location":"Tokyo"}""")));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts!;

        Assert.Equal([null, null, "c2lnLWNhbGw=", null], parts.Select(static p => p.ThoughtSignature));
        Assert.True(parts[0].Thought);
    }

    [Fact]
    public void Leaves_out_reasoning_only_another_platform_can_read()
    {
        var hub = NewHub(PathModel, User(new TextPart("hi")), Assistant(new ReasoningPart("") { Redacted = "EmwKAhgB" }, new TextPart("Hello")));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts!;

        Assert.Equal("Hello", Assert.Single(parts).Text);
    }

    [Fact]
    public void Writes_tools_and_every_tool_choice()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"}},"additionalProperties":false}""").RootElement;
        var hub = NewHub(PathModel, User(new TextPart("hi")));
        hub.Tools.Add(new HubTool("search", "Search the web.", schema));

        var declaration = Assert.Single(Assert.Single(GeminiCodec.Instance.EncodeRequest(hub).Tools!).FunctionDeclarations!);
        Assert.Equal("search", declaration.Name);
        Assert.Equal("Search the web.", declaration.Description);
        Assert.False(declaration.ParametersJsonSchema!.Value.GetProperty("additionalProperties").GetBoolean());
        Assert.Null(declaration.Parameters);

        foreach (var (choice, mode, names) in new (HubToolChoice, string, string[]?)[]
        {
            (HubToolChoice.Auto, "AUTO", null),
            (HubToolChoice.None, "NONE", null),
            (HubToolChoice.Required, "ANY", null),
            (new HubToolChoice(HubToolChoiceKind.Function, "search"), "ANY", ["search"]),
        })
        {
            hub.ToolChoice = choice;
            var config = GeminiCodec.Instance.EncodeRequest(hub).ToolConfig!.FunctionCallingConfig!;
            Assert.Equal(mode, config.Mode);
            Assert.Equal(names, config.AllowedFunctionNames?.ToArray());
        }

        hub.Tools[0] = hub.Tools[0] with { Strict = true };
        hub.ToolChoice = HubToolChoice.Auto;
        Assert.Equal("VALIDATED", GeminiCodec.Instance.EncodeRequest(hub).ToolConfig!.FunctionCallingConfig!.Mode);
    }

    [Theory]
    [InlineData("gemini-2.5-flash", "high", null, true, 16384L, null)]
    [InlineData("gemini-2.5-flash", null, 2000L, true, 2000L, null)]
    [InlineData("gemini-3-pro-preview", "high", null, true, null, "HIGH")]
    [InlineData("gemini-3-flash", "xhigh", null, true, null, "HIGH")]
    [InlineData("gemini-3-flash", "minimal", null, true, null, "MINIMAL")]
    [InlineData("gemini-3-pro-preview", null, 4096L, true, 4096L, null)]
    [InlineData("gemini-2.5-pro", "none", null, null, 0L, null)]
    public void Says_reasoning_the_way_the_model_understands(string model, string? effort, long? budget, bool? includeThoughts, long? thinkingBudget, string? level)
    {
        var hub = NewHub(model, User(new TextPart("hi")));
        hub.Reasoning = new HubReasoning { Effort = effort, BudgetTokens = budget, Enabled = effort != "none" };

        var thinking = GeminiCodec.Instance.EncodeRequest(hub).GenerationConfig!.ThinkingConfig!;

        Assert.Equal(includeThoughts, thinking.IncludeThoughts);
        Assert.Equal(thinkingBudget, thinking.ThinkingBudget);
        Assert.Equal(level, thinking.ThinkingLevel);
    }

    [Fact]
    public void Writes_sampling_limits_and_json_output()
    {
        var hub = NewHub(PathModel, User(new TextPart("hi")));
        hub.MaxOutputTokens = 100;
        hub.Temperature = 0.2;
        hub.TopP = 0.9;
        hub.TopK = 5;
        hub.Seed = 42;
        hub.PresencePenalty = 0.1;
        hub.FrequencyPenalty = 0.3;
        hub.CandidateCount = 1;
        hub.StopSequences.Add("END");
        hub.ResponseFormat = new HubResponseFormat(HubResponseFormatKind.JsonSchema, "colors", JsonDocument.Parse("""{"type":"array"}""").RootElement, Strict: true);

        var config = GeminiCodec.Instance.EncodeRequest(hub).GenerationConfig!;

        Assert.Equal((100L, 0.2, 0.9, 5.0, 42L), (config.MaxOutputTokens!.Value, config.Temperature!.Value, config.TopP!.Value, config.TopK!.Value, config.Seed!.Value));
        Assert.Equal((0.1, 0.3, 1L), (config.PresencePenalty!.Value, config.FrequencyPenalty!.Value, config.CandidateCount!.Value));
        Assert.Equal(["END"], config.StopSequences!);
        Assert.Equal("application/json", config.ResponseMimeType);
        Assert.Equal("array", config.ResponseJsonSchema!.Value.GetProperty("type").GetString());

        hub.ResponseFormat = new HubResponseFormat(HubResponseFormatKind.JsonObject);
        var jsonObject = GeminiCodec.Instance.EncodeRequest(hub).GenerationConfig!;
        Assert.Equal("application/json", jsonObject.ResponseMimeType);
        Assert.Null(jsonObject.ResponseJsonSchema);
    }

    [Fact]
    public void Names_what_gemini_cannot_express()
    {
        var hub = NewHub(PathModel, User(new TextPart("hi")));
        hub.CandidateCount = 2;
        Assert.Equal("n", Assert.Throws<ConversionException>(() => GeminiCodec.Instance.EncodeRequest(hub)).Param);

        hub.CandidateCount = null;
        hub.ParallelToolCalls = false;
        Assert.Equal("parallel_tool_calls", Assert.Throws<ConversionException>(() => GeminiCodec.Instance.EncodeRequest(hub)).Param);

        hub.ParallelToolCalls = null;
        hub.Messages.Add(Assistant(new ToolCallPart("call_x", "f", "[1,2]")));
        Assert.Equal("messages[1].content[0]", Assert.Throws<ConversionException>(() => GeminiCodec.Instance.EncodeRequest(hub)).Param);
    }

    [Fact]
    public void Gemini_requests_survive_a_trip_through_the_hub()
    {
        foreach (var scenario in new[] { "text", "multi-turn", "image", "file", "tools", "tool-result", "reasoning", "stop-length", "usage-cached" })
        {
            var original = Request(scenario);
            var again = GeminiCodec.Instance.EncodeRequest(GeminiCodec.Instance.DecodeRequest(original, PathModel));

            var originalParts = original.Contents.SelectMany(static c => c.Parts!).ToList();
            var againParts = again.Contents.SelectMany(static c => c.Parts!).ToList();
            Assert.Equal(originalParts.Count, againParts.Count);
            for (var i = 0; i < originalParts.Count; i++)
            {
                Assert.Equal(originalParts[i].Text, againParts[i].Text);
                Assert.Equal(originalParts[i].ThoughtSignature, againParts[i].ThoughtSignature);
                Assert.Equal(originalParts[i].InlineData?.Data, againParts[i].InlineData?.Data);
                Assert.Equal(originalParts[i].FileData?.FileUri, againParts[i].FileData?.FileUri);
                Assert.Equal(originalParts[i].FunctionCall?.Name, againParts[i].FunctionCall?.Name);
                Assert.Equal(Compact(originalParts[i].FunctionCall?.Args), Compact(againParts[i].FunctionCall?.Args));
                Assert.Equal(Compact(originalParts[i].FunctionResponse?.Response), Compact(againParts[i].FunctionResponse?.Response));
            }
        }
    }
}
