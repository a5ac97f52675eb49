using System.Text.Json;
using Manifold.Contracts.Gemini;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;
using static Manifold.Conversion.Tests.Gemini.GeminiFixtures;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>A Gemini client's request in hub terms.</summary>
public sealed class GeminiRequestDecodeTests
{
    [Fact]
    public void Takes_the_model_from_the_path_and_a_missing_role_as_user()
    {
        var hub = Decode("text");

        Assert.Equal(PathModel, hub.Model);
        var message = Assert.Single(hub.Messages);
        Assert.Equal(HubRole.User, message.Role);
        Assert.Equal("Explain how AI works in a few words", Assert.IsType<TextPart>(Assert.Single(message.Parts)).Text);
        Assert.Equal("gemini-2.5-pro", GeminiCodec.Instance.DecodeRequest(Request("text"), "models/gemini-2.5-pro").Model);
    }

    [Fact]
    public void Reads_snake_case_and_camel_case_alike()
    {
        var hub = Decode("system");

        Assert.Equal("You are a cat. Your name is Neko.", Assert.IsType<TextPart>(Assert.Single(hub.System)).Text);
        Assert.Equal(1.0, hub.Temperature);
        Assert.Equal(0.95, hub.TopP);
        Assert.Equal(40, hub.TopK);

        var snake = Parse<GenerateContentRequest>("""
            {"contents":[{"role":"user","parts":[{"text":"hi"}]}],
             "generation_config":{"max_output_tokens":64,"stop_sequences":["END"],"thinking_config":{"thinking_budget":0}},
             "tools":[{"function_declarations":[{"name":"lookup","parameters_json_schema":{"type":"object"}}]}],
             "tool_config":{"function_calling_config":{"mode":"ANY","allowed_function_names":["lookup"]}}}
            """);
        var fromSnake = GeminiCodec.Instance.DecodeRequest(snake, PathModel);
        Assert.Equal(64, fromSnake.MaxOutputTokens);
        Assert.Equal(["END"], fromSnake.StopSequences);
        Assert.False(fromSnake.Reasoning!.Enabled);
        Assert.Equal(new HubToolChoice(HubToolChoiceKind.Function, "lookup"), fromSnake.ToolChoice);
        Assert.Equal("object", Assert.Single(fromSnake.Tools).Parameters!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void Maps_model_turns_to_assistant()
    {
        var hub = Decode("multi-turn");

        Assert.Equal([HubRole.User, HubRole.Assistant, HubRole.User], hub.Messages.Select(static m => m.Role));
    }

    [Fact]
    public void Reads_inline_images_and_fetchable_file_uris()
    {
        var hub = Decode("image");

        var parts = Assert.Single(hub.Messages).Parts;
        var inline = Assert.IsType<ImagePart>(parts[0]).Media;
        Assert.Equal("image/png", inline.MediaType);
        Assert.StartsWith("iVBORw0KGgo", inline.Data);
        var linked = Assert.IsType<ImagePart>(parts[1]).Media;
        Assert.Equal("image/jpeg", linked.MediaType);
        Assert.StartsWith("https://upload.wikimedia.org/", linked.Url);
        Assert.Equal("Caption these images.", Assert.IsType<TextPart>(parts[2]).Text);
        Assert.Equal(300, hub.MaxOutputTokens);
    }

    [Fact]
    public void Reads_documents_as_files_and_files_api_uris_as_file_ids()
    {
        var pdf = Assert.IsType<FilePart>(Decode("file").Messages[0].Parts[0]).Media;
        Assert.Equal("application/pdf", pdf.MediaType);
        Assert.NotNull(pdf.Data);

        var request = Parse<GenerateContentRequest>("""
            {"contents":[{"parts":[
              {"fileData":{"mimeType":"audio/mp3","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc123"}},
              {"fileData":{"fileUri":"https://example.com/notes.pdf"}}]}]}
            """);
        var parts = GeminiCodec.Instance.DecodeRequest(request, PathModel).Messages[0].Parts;
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/files/abc123", Assert.IsType<AudioPart>(parts[0]).Media.FileId);
        var guessed = Assert.IsType<FilePart>(parts[1]).Media;
        Assert.Equal("application/pdf", guessed.MediaType);
        Assert.Equal("https://example.com/notes.pdf", guessed.Url);
    }

    [Fact]
    public void Reads_function_declarations_and_tool_config()
    {
        var hub = Decode("tools");

        var tool = Assert.Single(hub.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("object", tool.Parameters!.Value.GetProperty("type").GetString());
        Assert.Equal(HubToolChoiceKind.Auto, hub.ToolChoice!.Kind);
    }

    [Fact]
    public void Turns_gemini_schemas_into_json_schema()
    {
        var request = Parse<GenerateContentRequest>("""
            {"contents":[{"parts":[{"text":"hi"}]}],
             "tools":[{"functionDeclarations":[{"name":"find","parameters":{"type":"OBJECT","properties":{
               "query":{"type":"STRING","nullable":true},
               "tags":{"type":"ARRAY","items":{"type":"STRING","enum":["A","B"]}}},"required":["query"],"propertyOrdering":["query","tags"]}}]}]}
            """);

        var parameters = Assert.Single(GeminiCodec.Instance.DecodeRequest(request, PathModel).Tools).Parameters!.Value;

        Assert.Equal("object", parameters.GetProperty("type").GetString());
        var query = parameters.GetProperty("properties").GetProperty("query");
        Assert.Equal(["string", "null"], query.GetProperty("type").EnumerateArray().Select(static t => t.GetString()));
        Assert.False(query.TryGetProperty("nullable", out _));
        var items = parameters.GetProperty("properties").GetProperty("tags").GetProperty("items");
        Assert.Equal("string", items.GetProperty("type").GetString());
        Assert.Equal("A", items.GetProperty("enum")[0].GetString());
        Assert.Equal("query", parameters.GetProperty("required")[0].GetString());
    }

    [Fact]
    public void Gives_calls_without_ids_stable_ids_and_maps_results_back_by_name()
    {
        var hub = Decode("tool-result");

        var signature = Assert.IsType<ReasoningPart>(hub.Messages[1].Parts[0]);
        Assert.Equal("", signature.Text);
        Assert.StartsWith("CiIBVKhc7o", signature.Signature);
        var call = Assert.IsType<ToolCallPart>(hub.Messages[1].Parts[1]);
        Assert.Equal("call_0", call.Id);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"location":"Paris, France","unit":"celsius"}""", JsonSerializer.Serialize(JsonDocument.Parse(call.Arguments)));
        var result = Assert.IsType<ToolResultPart>(Assert.Single(hub.Messages[2].Parts));
        Assert.Equal("call_0", result.CallId);
        Assert.Equal("get_weather", result.Name);
        Assert.Equal("""{"temperature":14,"conditions":"light rain"}""", result.JoinedText());
    }

    [Fact]
    public void Matches_same_named_results_in_order_and_keeps_explicit_ids()
    {
        var request = Parse<GenerateContentRequest>("""
            {"contents":[
              {"role":"user","parts":[{"text":"Weather in Paris and Tokyo?"}]},
              {"role":"model","parts":[
                {"functionCall":{"name":"get_weather","args":{"location":"Paris"}}},
                {"functionCall":{"name":"get_weather","args":{"location":"Tokyo"}}},
                {"functionCall":{"id":"call_1","name":"get_time","args":{}}}]},
              {"role":"user","parts":[
                {"functionResponse":{"id":"call_1","name":"get_time","response":{"result":"09:00"}}},
                {"functionResponse":{"name":"get_weather","response":{"output":"rain"}}},
                {"functionResponse":{"name":"get_weather","response":{"error":"unknown city"}}}]}]}
            """);

        var hub = GeminiCodec.Instance.DecodeRequest(request, PathModel);

        var calls = hub.Messages[1].Parts.Cast<ToolCallPart>().ToList();
        // call_1 is the client's own id, so generated ids go around it.
        Assert.Equal(["call_0", "call_2", "call_1"], calls.Select(static c => c.Id));
        var results = hub.Messages[2].Parts.Cast<ToolResultPart>().ToList();
        Assert.Equal(["call_1", "call_0", "call_2"], results.Select(static r => r.CallId));
        Assert.Equal(["09:00", "rain", "unknown city"], results.Select(static r => r.JoinedText()));
        Assert.Equal([false, false, true], results.Select(static r => r.IsError));
    }

    [Fact]
    public void Reads_thought_parts_as_reasoning_and_keeps_their_signatures()
    {
        var request = Parse<GenerateContentRequest>("""
            {"contents":[
              {"role":"user","parts":[{"text":"Which is larger, 9.11 or 9.8?"}]},
              {"role":"model","parts":[
                {"text":"Compare the hundredths.","thought":true,"thoughtSignature":"c2lnLXRob3VnaHQ="},
                {"text":"9.8 is larger.","thoughtSignature":"c2lnLXRleHQ="},
                {"text":"","thoughtSignature":"c2lnLWVuZA=="}]},
              {"role":"user","parts":[{"text":"Why?"}]}]}
            """);

        var parts = GeminiCodec.Instance.DecodeRequest(request, PathModel).Messages[1].Parts;

        Assert.Equal(new ReasoningPart("Compare the hundredths.", "c2lnLXRob3VnaHQ="), parts[0]);
        Assert.Equal(new ReasoningPart("", "c2lnLXRleHQ="), parts[1]);
        Assert.Equal(new TextPart("9.8 is larger."), parts[2]);
        Assert.Equal(new ReasoningPart("", "c2lnLWVuZA=="), parts[3]);
        Assert.Equal(4, parts.Count);
    }

    [Fact]
    public void A_signature_after_thoughts_signs_those_thoughts()
    {
        var hub = GeminiCodec.Instance.DecodeResponse(Response("reasoning"));

        Assert.Equal(2, hub.Content.Count);
        var reasoning = Assert.IsType<ReasoningPart>(hub.Content[0]);
        Assert.StartsWith("**Comparing the decimals**", reasoning.Text);
        Assert.StartsWith("Ci0BVKhc7m", reasoning.Signature);
        Assert.Equal("9.8 is larger than 9.11.", Assert.IsType<TextPart>(hub.Content[1]).Text);
    }

    [Theory]
    [InlineData("""{"thinkingBudget":16384,"includeThoughts":true}""", true, null, 16384L, true)]
    [InlineData("""{"thinkingBudget":0}""", false, null, 0L, null)]
    [InlineData("""{"thinkingBudget":-1}""", true, null, -1L, null)]
    [InlineData("""{"thinkingLevel":"LOW"}""", true, "low", null, null)]
    [InlineData("""{"thinkingLevel":"high","includeThoughts":false}""", true, "high", null, false)]
    public void Reads_thinking_budgets_and_levels(string thinking, bool enabled, string? effort, long? budget, bool? includeThoughts)
    {
        var request = Parse<GenerateContentRequest>($$$"""{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"thinkingConfig":{{{thinking}}}}}""");

        var reasoning = GeminiCodec.Instance.DecodeRequest(request, PathModel).Reasoning!;

        Assert.Equal(enabled, reasoning.Enabled);
        Assert.Equal(effort, reasoning.Effort);
        Assert.Equal(budget, reasoning.BudgetTokens);
        Assert.Equal(includeThoughts, reasoning.IncludeThoughts);
    }

    [Fact]
    public void Reads_generation_limits_and_json_output()
    {
        var hub = Decode("stop-length");
        Assert.Equal(["Title"], hub.StopSequences);
        Assert.Equal(20, hub.MaxOutputTokens);
        Assert.Equal(10, hub.TopK);

        var request = Parse<GenerateContentRequest>("""
            {"contents":[{"parts":[{"text":"List two colors."}]}],
             "generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"ARRAY","items":{"type":"STRING"}},
               "seed":7,"presencePenalty":0.5,"frequencyPenalty":0.25,"candidateCount":1}}
            """);
        var decoded = GeminiCodec.Instance.DecodeRequest(request, PathModel);
        Assert.Equal(HubResponseFormatKind.JsonSchema, decoded.ResponseFormat!.Kind);
        Assert.Equal("array", decoded.ResponseFormat.Schema!.Value.GetProperty("type").GetString());
        Assert.Equal(7, decoded.Seed);
        Assert.Equal(0.5, decoded.PresencePenalty);
        Assert.Equal(0.25, decoded.FrequencyPenalty);
        Assert.Equal(1, decoded.CandidateCount);
    }

    [Theory]
    [InlineData("""{"tools":[{"googleSearch":{}}]}""", "tools[0].googleSearch")]
    [InlineData("""{"tools":[{"codeExecution":{}}]}""", "tools[0].codeExecution")]
    [InlineData("""{"tools":[{"urlContext":{}}]}""", "tools[0].urlContext")]
    [InlineData("""{"tools":[{"fileSearch":{"fileSearchStoreNames":["x"]}}]}""", "tools[0].fileSearch")]
    [InlineData("""{"cachedContent":"cachedContents/abc"}""", "cachedContent")]
    [InlineData("""{"store":true}""", "store")]
    [InlineData("""{"generationConfig":{"responseModalities":["TEXT","IMAGE"]}}""", "generationConfig.responseModalities")]
    [InlineData("""{"generationConfig":{"imageConfig":{"aspectRatio":"16:9"}}}""", "generationConfig.imageConfig")]
    [InlineData("""{"generationConfig":{"speechConfig":{"voiceConfig":{}}}}""", "generationConfig.speechConfig")]
    [InlineData("""{"generationConfig":{"candidateCount":2}}""", "generationConfig.candidateCount")]
    [InlineData("""{"generationConfig":{"responseLogprobs":true,"logprobs":3}}""", "generationConfig.responseLogprobs")]
    [InlineData("""{"generationConfig":{"responseMimeType":"text/x.enum","responseSchema":{"type":"STRING","enum":["a"]}}}""", "generationConfig.responseMimeType")]
    [InlineData("""{"generationConfig":{"thinkingConfig":{"thinkingLevel":"EXTREME"}}}""", "generationConfig.thinkingConfig.thinkingLevel")]
    [InlineData("""{"tools":[{"functionDeclarations":[{"name":"a"},{"name":"b"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["a"]}}}""", null)]
    [InlineData("""{"tools":[{"functionDeclarations":[{"name":"a"},{"name":"b"},{"name":"c"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["a","b"]}}}""", "toolConfig.functionCallingConfig.allowedFunctionNames")]
    public void Names_what_no_other_platform_can_carry(string extra, string? param)
    {
        var json = """{"contents":[{"role":"user","parts":[{"text":"hi"}]}],""" + extra[1..];
        var request = Parse<GenerateContentRequest>(json);

        if (param is null)
        {
            Assert.Equal(new HubToolChoice(HubToolChoiceKind.Function, "a"), GeminiCodec.Instance.DecodeRequest(request, PathModel).ToolChoice);
            return;
        }
        var error = Assert.Throws<ConversionException>(() => GeminiCodec.Instance.DecodeRequest(request, PathModel));
        Assert.Equal(param, error.Param);
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [InlineData("""{"executableCode":{"language":"PYTHON","code":"print(1)"}}""", "contents[0].parts[0].executableCode")]
    [InlineData("""{"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1"}}""", "contents[0].parts[0].codeExecutionResult")]
    [InlineData("""{"fileData":{"fileUri":"https://youtu.be/x","mimeType":"video/mp4"},"videoMetadata":{"startOffset":"10s"}}""", "contents[0].parts[0].videoMetadata")]
    [InlineData("""{"text":"hi","partMetadata":{"k":"v"}}""", "contents[0].parts[0].partMetadata")]
    [InlineData("""{"functionResponse":{"name":"get_weather","response":{"result":"sunny"}}}""", "contents[0].parts[0].functionResponse")]
    public void Names_parts_no_other_platform_can_carry(string part, string param)
    {
        var request = Parse<GenerateContentRequest>($$$"""{"contents":[{"role":"user","parts":[{{{part}}}]}]}""");

        var error = Assert.Throws<ConversionException>(() => GeminiCodec.Instance.DecodeRequest(request, PathModel));

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Accepts_what_changes_nothing_the_model_generates()
    {
        var request = Parse<GenerateContentRequest>("""
            {"contents":[{"parts":[{"text":"hi"}]}],
             "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_ONLY_HIGH"}],
             "labels":{"team":"search"},
             "generationConfig":{"mediaResolution":"MEDIA_RESOLUTION_LOW","responseModalities":["TEXT"]},
             "tools":[{"functionDeclarations":[{"name":"a","behavior":"BLOCKING"}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["a"]}}}
            """);

        var hub = GeminiCodec.Instance.DecodeRequest(request, PathModel);

        Assert.Equal("hi", Assert.IsType<TextPart>(hub.Messages[0].Parts[0]).Text);
        Assert.Equal(new HubToolChoice(HubToolChoiceKind.Function, "a"), hub.ToolChoice);
    }

    [Fact]
    public void Validated_mode_is_auto_with_strict_tools()
    {
        var request = Parse<GenerateContentRequest>("""
            {"contents":[{"parts":[{"text":"hi"}]}],
             "tools":[{"functionDeclarations":[{"name":"a"}]}],"toolConfig":{"functionCallingConfig":{"mode":"VALIDATED"}}}
            """);

        var hub = GeminiCodec.Instance.DecodeRequest(request, PathModel);

        Assert.Equal(HubToolChoiceKind.Auto, hub.ToolChoice!.Kind);
        Assert.True(Assert.Single(hub.Tools).Strict);
    }
}
