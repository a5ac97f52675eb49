using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Gemini;
using Manifold.Plugins.Tests.Fakes;

namespace Manifold.Plugins.Tests.Veo;

/// <summary>Platforms of the <c>veo</c> kind, made as the host makes them.</summary>
internal static class VeoFakes
{
    public const string Model = "veo-3.1-generate-preview";

    public const string Operation = "models/veo-3.1-generate-preview/operations/9k2xq7m4ptla";

    public static IVideosAdapter Platform(Uri? baseUrl, HttpClient? http = null, TimeProvider? time = null) =>
        (IVideosAdapter)new VeoPlugin().CreatePlatform(TestPlatforms.Settings("veo", baseUrl), TestPlatforms.Services(http, time));

    public static CreateVideoRequest Request(string json) => JsonSerializer.Deserialize<CreateVideoRequest>(json, ManifoldJson.Options)!;

    /// <summary>Bytes that start as a PNG does (the signature is all the plugin reads) and go on with noise.</summary>
    public static byte[] Png(int length = 4096)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes);
        return bytes;
    }
}

/// <summary>What the Gemini API answers, as Google's Veo guide and the generativelanguage v1beta reference show it.</summary>
internal static class VeoPayloads
{
    public const string Started = $$"""{"name":"{{VeoFakes.Operation}}"}""";

    /// <summary>A running operation: <c>done</c> is absent.</summary>
    public const string Running = $$"""{"name":"{{VeoFakes.Operation}}"}""";

    public const string RunningDoneFalse = $$"""{"name":"{{VeoFakes.Operation}}","done":false}""";

    public const string ResponseType = "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse";

    public static string Done(string uri) => $$"""
        {
          "name": "{{VeoFakes.Operation}}",
          "done": true,
          "response": {
            "@type": "{{ResponseType}}",
            "generateVideoResponse": {
              "generatedSamples": [ { "video": { "uri": "{{uri}}" } } ]
            }
          }
        }
        """;

    /// <summary>A failed operation: a google.rpc.Status, whose code is a number (13 is INTERNAL).</summary>
    public const string Failed = $$$"""
        {"name":"{{{VeoFakes.Operation}}}","done":true,"error":{"code":13,"message":"Video generation failed due to an internal error. Please try again."}}
        """;

    public const string RaiReason = "Your current safety settings for person generation blocked one or more videos. We couldn't generate this video because it violates our usage guidelines. You have not been charged for this attempt.";

    /// <summary>Every video removed by Veo's safety filters: done, with no samples.</summary>
    public const string Filtered = $$"""
        {
          "name": "{{VeoFakes.Operation}}",
          "done": true,
          "response": {
            "@type": "{{ResponseType}}",
            "generateVideoResponse": { "raiMediaFilteredCount": 1, "raiMediaFilteredReasons": [ "{{RaiReason}}" ] }
          }
        }
        """;

    public const string InvalidArgument = """
        {"error":{"code":400,"message":"`durationSeconds` 5 is not supported by veo-3.1-generate-preview; use one of 4, 6, 8.","status":"INVALID_ARGUMENT"}}
        """;
}
