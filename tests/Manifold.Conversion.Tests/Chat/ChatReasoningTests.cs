using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;

namespace Manifold.Conversion.Tests.Chat;

/// <summary>
/// A Chat client shown an answer echoes its message back; the reasoning parts must come back as the platform
/// sent them (same text, signatures, redactions, and places), whatever the client was shown.
/// </summary>
public sealed class ChatReasoningTests
{
    private static readonly Dictionary<string, HubPart[]> Turns = new()
    {
        // Anthropic: signed thinking, text, a call.
        ["anthropic"] = [new ReasoningPart("Need the weather.", "sig-a"), new TextPart("Checking."), new ToolCallPart("toolu_1", "get_weather", "{}")],
        // Anthropic: redacted thinking next to signed thinking.
        ["redacted"] = [new ReasoningPart("Plan.", "sig-a"), new ReasoningPart("") { Redacted = "EncryptedBlob" }, new TextPart("Done.")],
        // Anthropic interleaved thinking: a second signed block between calls.
        ["interleaved"] = [new ReasoningPart("First.", "sig-1"), new ToolCallPart("t1", "f", "{}"), new ReasoningPart("Second.", "sig-2"), new ToolCallPart("t2", "g", "{}")],
        // Gemini: unsigned thoughts, then the signature of the first function call right before it, after text.
        ["gemini"] = [new ReasoningPart("Thoughts."), new TextPart("Calling."), new ReasoningPart("", "sig-g"), new ToolCallPart("call_0", "f", "{}"), new ToolCallPart("call_1", "f", "{}")],
        // Gemini: a signature on the only function call.
        ["gemini-call"] = [new ReasoningPart("", "sig-g"), new ToolCallPart("call_0", "f", "{}")],
        // Responses: a reasoning item with an id and encrypted content.
        ["responses"] = [new ReasoningPart("Summary.", "gAAAA-encrypted") { Id = "rs_1" }, new TextPart("Answer.")],
    };

    public static TheoryData<string> TurnNames() => [.. Turns.Keys];

    [Theory]
    [MemberData(nameof(TurnNames))]
    public void Signed_reasoning_survives_the_echo_when_shown(string turn) =>
        Assert.Equal(Signed(Turns[turn], keepUnsigned: true), Echo(Turns[turn], new OutputOptions(ReasoningAsContent: true)));

    [Theory]
    [MemberData(nameof(TurnNames))]
    public void Signed_reasoning_survives_the_echo_when_hidden(string turn) =>
        Assert.Equal(Signed(Turns[turn], keepUnsigned: false), Echo(Turns[turn], OutputOptions.Default));

    [Fact]
    public void One_signed_part_shown_at_the_start_travels_as_the_bare_signature()
    {
        var message = Encode([new ReasoningPart("Plan.", "sig-a"), new TextPart("Hi.")], new OutputOptions(ReasoningAsContent: true));
        Assert.Equal(("Plan.", "sig-a"), (message.ReasoningContent, message.ReasoningSignature));
        var call = Encode([new ReasoningPart("", "sig-g"), new ToolCallPart("c", "f", "{}")], OutputOptions.Default);
        Assert.Equal("sig-g", call.ReasoningSignature);
    }

    [Fact]
    public void Unsigned_reasoning_has_no_token_and_shows_only_when_asked()
    {
        HubPart[] parts = [new ReasoningPart("DeepSeek thinks."), new TextPart("Hi.")];
        Assert.Null(Encode(parts, OutputOptions.Default).ReasoningSignature);
        Assert.Null(Encode(parts, OutputOptions.Default).ReasoningContent);
        var shown = Encode(parts, new OutputOptions(ReasoningAsContent: true));
        Assert.Equal(("DeepSeek thinks.", null), (shown.ReasoningContent, shown.ReasoningSignature));
    }

    private static ChatCompletionResponseMessage Encode(HubPart[] parts, OutputOptions output)
    {
        var response = new HubResponse { Id = "x", Model = "m", Created = 1 };
        response.Content.AddRange(parts);
        return ChatCodec.Instance.EncodeResponse(response, new HubRequest { Model = "m", Output = output }).Choices[0].Message;
    }

    /// <summary>The answer's message, sent back as the assistant turn of the next request, decoded again.</summary>
    private static List<HubPart> Echo(HubPart[] parts, OutputOptions output)
    {
        var message = ChatJson.Node(Encode(parts, output)).AsObject();
        var request = new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = "m",
            ["messages"] = new System.Text.Json.Nodes.JsonArray(message),
        };
        var hub = ChatCodec.Instance.DecodeRequest(ChatJson.Parse<CreateChatCompletionRequest>(request.ToJsonString()));
        return Assert.Single(hub.Messages).Parts;
    }

    /// <summary>What must come back: text joined (Chat has one content string), unsigned reasoning only if shown.</summary>
    private static List<HubPart> Signed(HubPart[] parts, bool keepUnsigned)
    {
        var expected = new List<HubPart>();
        var text = string.Concat(parts.OfType<TextPart>().Select(static t => t.Text));
        var textAdded = false;
        foreach (var part in parts)
        {
            switch (part)
            {
                case ReasoningPart { Signature: null, Redacted: null } when !keepUnsigned:
                    break;
                case TextPart when textAdded:
                    break;
                case TextPart:
                    expected.Add(new TextPart(text));
                    textAdded = true;
                    break;
                default:
                    expected.Add(part);
                    break;
            }
        }
        return expected;
    }
}
