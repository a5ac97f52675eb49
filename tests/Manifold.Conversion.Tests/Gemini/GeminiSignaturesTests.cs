using System.Text;
using Manifold.Conversion.Gemini;
using Manifold.Conversion.Hub;
using static Manifold.Conversion.Tests.Gemini.GeminiFixtures;

namespace Manifold.Conversion.Tests.Gemini;

/// <summary>thoughtSignature and the origin of signatures: what a Gemini client is shown, and what a Gemini platform is sent.</summary>
public sealed class GeminiSignaturesTests
{
    private const string Claude = "EqQBCkgIARABGAIiQL2M6oD0p7xKJqGXW8E1JlbjYvq8tP7kS8LwL0sQXV5Gx7k1lQ==";

    [Fact]
    public void A_client_is_shown_a_tagged_signature_as_base64_bytes()
    {
        var shown = GeminiSignatures.ToClient(Claude, SignatureOrigin.Anthropic);

        // thoughtSignature is a bytes field: typed SDKs decode it, so it must stay base64.
        Assert.Equal("mfs1.anthropic." + Claude, Encoding.UTF8.GetString(Convert.FromBase64String(shown)));
        Assert.Equal((Claude, SignatureOrigin.Anthropic), GeminiSignatures.FromClient(shown));
        Assert.Equal(Claude, GeminiSignatures.ToClient(Claude, null));
    }

    [Fact]
    public void A_tag_comes_back_however_the_sdk_writes_the_bytes()
    {
        var shown = GeminiSignatures.ToClient("sig+/x", SignatureOrigin.OpenAI);
        var urlSafeUnpadded = shown.Replace('+', '-').Replace('/', '_').TrimEnd('=');

        Assert.Equal(("sig+/x", SignatureOrigin.OpenAI), GeminiSignatures.FromClient(urlSafeUnpadded));
        Assert.Equal(("sig+/x", SignatureOrigin.OpenAI), GeminiSignatures.FromClient("mfs1.openai.sig+/x"));
    }

    [Theory]
    [InlineData("CiIBVKhc7oDPDKnzBhJL+Dqbd5WG4sQ3RfE1ZmmmEfE7RkBdCmwBVKhc7vK0zqGxXM0hfUcrxHWdkGaRrZ2gwe0F", null)]
    [InlineData("not base64 at all", null)]
    [InlineData("skip_thought_signature_validator", "gemini")]
    public void An_untagged_signature_is_of_unknown_origin_except_geminis_stand_in(string signature, string? origin) =>
        Assert.Equal((signature, origin), GeminiSignatures.FromClient(signature));

    [Theory]
    [InlineData("gemini-3-pro-preview", "skip_thought_signature_validator")]
    [InlineData("gemini-2.5-flash", null)]
    public void Only_gemini_3_gets_the_stand_in_for_a_call_without_geminis_signature(string model, string? expected)
    {
        var hub = NewHub(model,
            User(new TextPart("Weather?")),
            Assistant(new ReasoningPart("Need the tool.", Claude) { Origin = SignatureOrigin.Anthropic }, new ToolCallPart("call_0", "get_weather", "{}")),
            Tool(new ToolResultPart("call_0", "get_weather", [new TextPart("rain")])));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts!;

        // Claude's thinking goes as an unsigned thought; its signature never reaches Gemini.
        Assert.Equal(("Need the tool.", true, (string?)null), (parts[0].Text, parts[0].Thought, parts[0].ThoughtSignature));
        Assert.Equal(expected, parts[1].ThoughtSignature);
    }

    [Fact]
    public void A_foreign_signature_before_a_call_leaves_the_call_to_geminis_own()
    {
        var hub = NewHub("gemini-3-pro-preview",
            User(new TextPart("Weather?")),
            Assistant(
                new ReasoningPart("Thinking.", "c2lnLWdlbWluaQ==") { Origin = SignatureOrigin.Gemini },
                new TextPart("Checking."),
                new ReasoningPart("", Claude) { Origin = SignatureOrigin.Anthropic },
                new ToolCallPart("call_0", "get_weather", "{}")));

        var parts = GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts!;

        // Gemini's signature moves onto the first call, as when no other signature stood before it.
        Assert.Equal([null, null, "c2lnLWdlbWluaQ=="], parts.Select(static p => p.ThoughtSignature));
        Assert.Equal("get_weather", parts[2].FunctionCall!.Name);
    }

    [Fact]
    public void A_signature_of_unknown_origin_is_sent_as_it_was()
    {
        var hub = NewHub("gemini-3-pro-preview",
            User(new TextPart("Weather?")),
            Assistant(new ReasoningPart("", "c2lnLTE="), new ToolCallPart("call_0", "get_weather", "{}")));

        Assert.Equal("c2lnLTE=", GeminiCodec.Instance.EncodeRequest(hub).Contents[1].Parts![0].ThoughtSignature);
    }
}
