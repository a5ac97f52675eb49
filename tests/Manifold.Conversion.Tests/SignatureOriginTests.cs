using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Tests;

/// <summary>
/// Reasoning signatures across platforms: a platform's answer goes to a client of each protocol, the client sends
/// it back as history, and the next request goes to each platform. The issuer survives the client, its signature
/// reaches only its own platform, and a signature of unknown origin (untagged) travels as it always has.
/// </summary>
public sealed class SignatureOriginTests
{
    private const string ClaudeSignature = "EqQBCkgIARABGAIiQL2M6oD0p7xKJqGXW8E1JlbjYvq8tP7kS8LwL0sQXV5Gx7k1lQ==";
    private const string GeminiSignature = "CiIBVKhc7oDPDKnzBhJL+Dqbd5WG4sQ3RfE1ZmmmEfE7RkBdCmwBVKhc7vK0zqGxXM0hfUcrxHWdkGaRrZ2gwe0F";

    /// <summary>Gemini 3: a call without Gemini's signature needs the documented stand-in.</summary>
    private const string Model = "gemini-3-pro-preview";

    private static readonly string[] Clients = ["chat", "responses", "messages", "gemini"];

    /// <summary>The platforms, by codec, with the origin their signatures carry and the answer they give.</summary>
    private static readonly Dictionary<string, (string Origin, string Signature, string Answer)> Platforms = new()
    {
        ["messages"] = (SignatureOrigin.Anthropic, ClaudeSignature, $$$"""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"Check the weather.","signature":"{{{ClaudeSignature}}}"},
                        {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}
            """),
        ["gemini"] = (SignatureOrigin.Gemini, GeminiSignature, $$$"""
            {"candidates":[{"content":{"role":"model","parts":[
               {"text":"Check the weather.","thought":true},
               {"functionCall":{"name":"get_weather","args":{"location":"Paris"}},"thoughtSignature":"{{{GeminiSignature}}}"}]},
              "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15},"modelVersion":"gemini-3-pro-preview","responseId":"r1"}
            """),
    };

    public static TheoryData<string, string> ClientsAndPlatforms()
    {
        var data = new TheoryData<string, string>();
        foreach (var client in Clients)
        {
            foreach (var platform in Platforms.Keys)
            {
                data.Add(client, platform);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ClientsAndPlatforms))]
    public void The_origin_survives_a_round_trip_through_the_client(string client, string platform)
    {
        var (origin, signature, answer) = Platforms[platform];

        var history = SentBack(client, Answer(platform, answer));

        var signed = history.Messages.SelectMany(static m => m.Parts).OfType<ReasoningPart>().Where(static r => r.Signature is not null).ToList();
        Assert.NotEmpty(signed);
        Assert.All(signed, r => Assert.Equal((signature, origin), (r.Signature, r.Origin)));
    }

    [Theory]
    [MemberData(nameof(ClientsAndPlatforms))]
    public void A_signature_reaches_only_the_platform_that_issued_it(string client, string platform)
    {
        var (_, signature, answer) = Platforms[platform];
        var history = SentBack(client, Answer(platform, answer));

        foreach (var target in ProtocolCatalog.Codecs)
        {
            var sent = Json(target.EncodeRequest(history));
            // Only Anthropic and Gemini take these signatures back; OpenAI and Chat Completions platforms take neither.
            Assert.True(sent.Contains(signature, StringComparison.Ordinal) == (target.Name == platform), $"{client} history to {target.Name}: {sent}");
            Assert.DoesNotContain("mfs1.", sent, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("responses")]
    [InlineData("messages")]
    [InlineData("gemini")]
    public void Claude_thinking_sent_to_gemini_3_leaves_the_call_to_the_documented_stand_in(string client)
    {
        var history = SentBack(client, Answer("messages", Platforms["messages"].Answer));

        var sent = JsonNode.Parse(Json(Codec("gemini").EncodeRequest(history)))!;

        var call = sent["contents"]!.AsArray().SelectMany(static c => c!["parts"]!.AsArray()).Single(static p => p!["functionCall"] is not null)!;
        Assert.Equal("skip_thought_signature_validator", (string?)call["thoughtSignature"]);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("responses")]
    [InlineData("messages")]
    [InlineData("gemini")]
    public void An_unknown_origin_passes_unchanged(string client)
    {
        // A signature Manifold did not tag (history from a pass-through conversation, or from before tags).
        var answer = new HubResponse { Id = "r1", Model = Model, FinishReason = HubFinishReason.ToolCalls };
        answer.Content.AddRange([new ReasoningPart("Check the weather.", ClaudeSignature), new ToolCallPart("call_1", "get_weather", """{"location":"Paris"}""")]);

        var history = SentBack(client, answer);

        var part = Assert.Single(history.Messages.SelectMany(static m => m.Parts).OfType<ReasoningPart>(), static r => r.Signature is not null);
        Assert.Equal((ClaudeSignature, (string?)null), (part.Signature, part.Origin));
        foreach (var target in new[] { "messages", "gemini" })
        {
            Assert.Contains(ClaudeSignature, Json(Codec(target).EncodeRequest(history)), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("EqQB", null, "EqQB")]
    [InlineData("mfs1.anthropic.EqQB", "anthropic", "EqQB")]
    [InlineData("mfs1.openai.rs_1|gAAA", "openai", "rs_1|gAAA")]
    [InlineData("mfs1.gemini.", "gemini", "")]
    [InlineData("mfs1.Not An Origin.EqQB", null, "mfs1.Not An Origin.EqQB")]
    [InlineData("mfs1.anthropic", null, "mfs1.anthropic")]
    [InlineData("mfr1.W3t9XQ", null, "mfr1.W3t9XQ")]
    public void Untag_reads_only_what_tag_writes(string token, string? origin, string signature)
    {
        Assert.Equal((signature, origin), SignatureOrigin.Untag(token));
        if (origin is not null)
        {
            Assert.Equal(token, SignatureOrigin.Tag(signature, origin));
        }
    }

    [Fact]
    public void A_platform_accepts_its_own_signatures_and_those_of_unknown_origin()
    {
        Assert.True(SignatureOrigin.Accepts(SignatureOrigin.Gemini, SignatureOrigin.Gemini));
        Assert.True(SignatureOrigin.Accepts(SignatureOrigin.Gemini, null));
        Assert.False(SignatureOrigin.Accepts(SignatureOrigin.Gemini, SignatureOrigin.Anthropic));
        Assert.Equal("EqQB", SignatureOrigin.Tag("EqQB", null));
    }

    [Fact]
    public void Unsigned_reasoning_shows_an_anthropic_client_but_never_goes_back_to_anthropic()
    {
        var answer = new HubResponse { Id = "r1", Model = Model };
        answer.Content.AddRange([new ReasoningPart("Gemini thought without a signature."), new TextPart("Hi.")]);

        var shown = JsonNode.Parse(Json(Codec("messages").EncodeResponse(answer, new HubRequest { Model = Model })))!;
        var sent = JsonNode.Parse(Json(Codec("messages").EncodeRequest(SentBack("messages", answer))))!;

        // Anthropic SDKs accept the empty signature (every streamed thinking block starts with it) ...
        Assert.Equal("", (string?)shown["content"]![0]!["signature"]);
        // ... and Anthropic would reject it, so it never goes there.
        Assert.DoesNotContain(sent["messages"]!.AsArray().SelectMany(static m => m!["content"] is JsonArray blocks ? blocks : []),
            static b => (string?)b!["type"] == "thinking");
    }

    private static IProtocolCodec Codec(string name) => ProtocolCatalog.Codecs.Single(c => c.Name == name);

    private static HubResponse Answer(string platform, string json) =>
        Codec(platform).DecodeResponse(JsonSerializer.Deserialize(json, Codec(platform).ResponseType, ManifoldJson.Options)!);

    /// <summary>
    /// The hub history of a client of <paramref name="client"/> that got <paramref name="answer"/> and sends it back
    /// with the result of its first tool call (or a new question), as the official SDKs' users do.
    /// </summary>
    private static HubRequest SentBack(string client, HubResponse answer)
    {
        var codec = Codec(client);
        var shown = JsonNode.Parse(Json(codec.EncodeResponse(answer, new HubRequest { Model = Model })))!;
        var call = answer.Content.OfType<ToolCallPart>().FirstOrDefault();
        var request = client switch
        {
            "chat" => new JsonObject
            {
                ["model"] = Model,
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "user", ["content"] = "Weather?" },
                    Without(shown["choices"]![0]!["message"]!, "refusal"),
                    call is null
                        ? new JsonObject { ["role"] = "user", ["content"] = "Thanks." }
                        : new JsonObject { ["role"] = "tool", ["tool_call_id"] = call.Id, ["content"] = "14 °C" }),
            },
            "responses" => new JsonObject
            {
                ["model"] = Model,
                ["input"] = new JsonArray([
                    new JsonObject { ["role"] = "user", ["content"] = "Weather?" },
                    .. shown["output"]!.AsArray().Select(static item => item!.DeepClone()),
                    call is null
                        ? new JsonObject { ["role"] = "user", ["content"] = "Thanks." }
                        : new JsonObject { ["type"] = "function_call_output", ["call_id"] = call.Id, ["output"] = "14 °C" },
                ]),
            },
            "messages" => new JsonObject
            {
                ["model"] = Model,
                ["max_tokens"] = 1024,
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "user", ["content"] = "Weather?" },
                    new JsonObject { ["role"] = "assistant", ["content"] = shown["content"]!.DeepClone() },
                    new JsonObject
                    {
                        ["role"] = "user",
                        ["content"] = call is null ? "Thanks." : new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = call.Id, ["content"] = "14 °C" }),
                    }),
            },
            _ => new JsonObject
            {
                ["contents"] = new JsonArray(
                    new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = "Weather?" }) },
                    shown["candidates"]![0]!["content"]!.DeepClone(),
                    new JsonObject
                    {
                        ["role"] = "user",
                        ["parts"] = new JsonArray(call is null
                            ? new JsonObject { ["text"] = "Thanks." }
                            : new JsonObject { ["functionResponse"] = new JsonObject { ["id"] = call.Id, ["name"] = call.Name, ["response"] = new JsonObject { ["result"] = "14 °C" } } }),
                    }),
            },
        };
        var dto = request.Deserialize(codec.RequestType, ManifoldJson.Options)!;
        return codec.DecodeRequest(dto, client == "gemini" ? Model : null);
    }

    private static JsonNode Without(JsonNode node, string property)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove(property);
        return copy;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), ManifoldJson.Options);
}
