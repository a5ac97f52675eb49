using System.Text.Json;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests.Chat;

public sealed class ChatRequestEncodeTests
{
    private static CreateChatCompletionRequest Encode(HubRequest request) => ChatCodec.Instance.EncodeRequest(request);

    [Fact]
    public void Conversation_becomes_chat_messages_with_tool_results_right_after_the_calls()
    {
        var request = new HubRequest { Model = "gpt-4o" };
        request.System.Add(new TextPart("Be brief."));
        request.System.Add(new TextPart("Use metric units."));
        request.Messages.Add(new HubMessage(HubRole.User, [new TextPart("Weather?")]));
        request.Messages.Add(new HubMessage(HubRole.Assistant,
        [
            new ReasoningPart("Need the tool.", "sig-anthropic"),
            new TextPart("Let me check."),
            new ToolCallPart("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
        ]));
        // Anthropic and Gemini put results in a user turn, sometimes next to more text.
        request.Messages.Add(new HubMessage(HubRole.User,
        [
            new ToolResultPart("toolu_1", "get_weather", [new TextPart("14 C")], IsError: false),
            new TextPart("And tomorrow?"),
        ]));

        var chat = Encode(request);

        Assert.Equal(
            """
            {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"system","content":"Use metric units."},{"role":"user","content":"Weather?"},{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}],"reasoning_content":"Need the tool."},{"role":"tool","content":"14 C","tool_call_id":"toolu_1"},{"role":"user","content":"And tomorrow?"}]}
            """,
            ChatJson.Text(chat));
    }

    [Fact]
    public void Media_becomes_content_parts()
    {
        var request = new HubRequest { Model = "gpt-4o" };
        request.Messages.Add(new HubMessage(HubRole.User,
        [
            new TextPart("Compare"),
            new ImagePart(new HubMedia("image/png", Data: "iVBORw0K") { Detail = "low" }),
            new ImagePart(new HubMedia(null, Url: "https://example.com/a.jpg")),
            new AudioPart(new HubMedia("audio/mpeg", Data: "SUQz")),
            new FilePart(new HubMedia("application/pdf", Data: "JVBERi0=")),
            new FilePart(new HubMedia(null, FileId: "file-1") { Filename = "x.pdf" }),
        ]));

        var parts = Encode(request).Messages[0].Content!.ArrayValue!;

        Assert.Equal(("data:image/png;base64,iVBORw0K", "low"), (parts[1].ImageUrl!.Url, parts[1].ImageUrl!.Detail));
        Assert.Equal("https://example.com/a.jpg", parts[2].ImageUrl!.Url);
        Assert.Equal(("SUQz", "mp3"), (parts[3].InputAudio!.Data, parts[3].InputAudio!.Format));
        Assert.Equal(("data:application/pdf;base64,JVBERi0=", "document.pdf"), (parts[4].File!.FileData, parts[4].File!.Filename));
        Assert.Equal(("file-1", "x.pdf"), (parts[5].File!.FileId, parts[5].File!.Filename));
    }

    [Theory]
    [MemberData(nameof(Inexpressible))]
    public void What_chat_cannot_express_is_a_400_naming_it(HubPart part, string param)
    {
        var request = new HubRequest { Model = "m" };
        request.Messages.Add(new HubMessage(HubRole.User, [part]));
        Assert.Equal(param, Assert.Throws<ConversionException>(() => Encode(request)).Param);
    }

    public static TheoryData<HubPart, string> Inexpressible() => new()
    {
        { new ImagePart(new HubMedia("image/png", FileId: "file-1")), "messages[0].content[0]" },
        { new AudioPart(new HubMedia("audio/ogg", Data: "T2dn")), "messages[0].content[0]" },
        { new AudioPart(new HubMedia("audio/wav", Url: "https://example.com/a.wav")), "messages[0].content[0]" },
        { new FilePart(new HubMedia("application/pdf", Url: "https://example.com/a.pdf")), "messages[0].content[0]" },
        { new ToolResultPart("c", "f", [new ImagePart(new HubMedia("image/png", Data: "x"))]), "messages[0].content[0]" },
    };

    [Fact]
    public void Options_without_a_chat_field_are_named()
    {
        Assert.Equal("top_k", Assert.Throws<ConversionException>(() => Encode(new HubRequest { Model = "m", TopK = 40 })).Param);
        Assert.Equal("candidate_count", Assert.Throws<ConversionException>(() => Encode(new HubRequest { Model = "m", CandidateCount = 2 })).Param);
    }

    [Fact]
    public void Generation_options_use_openais_current_fields()
    {
        var request = new HubRequest
        {
            Model = "o3",
            Reasoning = new HubReasoning { BudgetTokens = 10000 },
            MaxOutputTokens = 512,
            Temperature = 1,
            ToolChoice = new HubToolChoice(HubToolChoiceKind.Function, "f"),
            ParallelToolCalls = false,
            ResponseFormat = new HubResponseFormat(HubResponseFormatKind.JsonSchema, Schema: JsonDocument.Parse("{\"type\":\"object\"}").RootElement),
            User = "u-1",
            Metadata = new() { ["k"] = "v" },
            Stream = true,
            StreamUsage = false,
        };
        request.StopSequences.Add("END");
        request.Tools.Add(new HubTool("f", null, JsonDocument.Parse("{\"type\":\"object\"}").RootElement));

        Assert.Equal(
            """
            {"model":"o3","messages":[],"reasoning_effort":"high","max_completion_tokens":512,"response_format":{"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object"}}},"stop":["END"],"stream":true,"stream_options":{"include_usage":true},"temperature":1,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,"user":"u-1"}
            """,
            ChatJson.Text(Encode(request)));
    }

    [Fact]
    public void Reasoning_turned_off_is_effort_none()
    {
        var chat = Encode(new HubRequest { Model = "m", Reasoning = new HubReasoning { Enabled = false } });
        Assert.Equal("none", chat.ReasoningEffort);
    }

    [Fact]
    public void An_assistant_turn_with_neither_text_nor_calls_still_has_content()
    {
        var request = new HubRequest { Model = "m" };
        request.Messages.Add(new HubMessage(HubRole.Assistant, [new ReasoningPart("", "gemini-signature")]));
        var message = Assert.Single(Encode(request).Messages);
        Assert.Equal("", message.Content!.StringValue);
        Assert.Null(message.ReasoningContent);
    }
}
