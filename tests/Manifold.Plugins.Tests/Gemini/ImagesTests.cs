using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

/// <summary>OpenAI's image generations served by Gemini's image models through generateContent.</summary>
public sealed class ImagesTests
{
    // A 1x1 PNG, as Google's inlineData carries it (base64).
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    // An answer as Google's image generation guide shows it: the image part, usage split by modality.
    private const string ImageAnswer = $$"""
        {
          "candidates": [ { "content": { "parts": [ { "inlineData": { "mimeType": "image/png", "data": "{{Png}}" } } ], "role": "model" },
                            "finishReason": "STOP", "index": 0 } ],
          "usageMetadata": { "promptTokenCount": 7, "candidatesTokenCount": 1290, "totalTokenCount": 1297,
                             "promptTokensDetails": [ { "modality": "TEXT", "tokenCount": 7 } ],
                             "candidatesTokensDetails": [ { "modality": "IMAGE", "tokenCount": 1290 } ] },
          "modelVersion": "gemini-2.5-flash-image", "responseId": "img-1"
        }
        """;

    private static CreateImageRequest Parse(string json) => JsonSerializer.Deserialize<CreateImageRequest>(json, ManifoldJson.Options)!;

    private static async Task<(FakeUpstream Upstream, IImagesAdapter Images)> StartAsync(string answer, int status = 200)
    {
        var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/{**path}", () => Results.Text(answer, "application/json", statusCode: status)));
        return (upstream, (IImagesAdapter)GeminiFakes.Platform(upstream.Root));
    }

    [Fact]
    public async Task Sends_the_prompt_as_an_image_only_generateContent_and_answers_b64_json_with_usage()
    {
        var (upstream, images) = await StartAsync(ImageAnswer);
        await using var _ = upstream;

        var response = await images.CreateImageAsync(
            Parse("""{"model":"gemini-2.5-flash-image","prompt":"A red fox","size":"1024x1024"}"""), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1beta/models/gemini-2.5-flash-image:generateContent", sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-goog-api-key"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"contents":[{"role":"user","parts":[{"text":"A red fox"}]}],
                 "generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"aspectRatio":"1:1"}}}
                """),
            JsonNode.Parse(sent.Body)), sent.Body);

        Assert.Equal(Png, Assert.Single(response.Data!).B64Json);
        Assert.Equal("png", response.OutputFormat);
        Assert.True(response.Created > 0);
        var usage = response.Usage!;
        Assert.Equal((7, 1290, 1297), (usage.InputTokens, usage.OutputTokens, usage.TotalTokens));
        Assert.Equal((7, 0), (usage.InputTokensDetails.TextTokens, usage.InputTokensDetails.ImageTokens));
        Assert.Equal((1290, 0), (usage.OutputTokensDetails!.ImageTokens, usage.OutputTokensDetails.TextTokens));
    }

    [Fact]
    public async Task Without_a_size_or_with_auto_leaves_the_aspect_ratio_to_the_model()
    {
        var (upstream, images) = await StartAsync(ImageAnswer);
        await using var _ = upstream;

        await images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x","size":"auto"}"""), TestPlatforms.Context(), CancellationToken.None);
        await images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x"}"""), TestPlatforms.Context(), CancellationToken.None);

        Assert.All(upstream.Requests, sent => Assert.Equal(
            """{"contents":[{"role":"user","parts":[{"text":"x"}]}],"generationConfig":{"responseModalities":["IMAGE"]}}""",
            JsonNode.Parse(sent.Body)!.ToJsonString()));
    }

    [Theory]
    [InlineData("1024x1024", "1:1")]
    [InlineData("1536x1024", "3:2")]
    [InlineData("1024x1536", "2:3")]
    [InlineData("256x256", "1:1")]
    [InlineData("1792x1024", "16:9")]
    [InlineData("1024x1792", "9:16")]
    [InlineData("1200x900", "4:3")]
    [InlineData("900x1200", "3:4")]
    [InlineData("1000x800", "5:4")]
    [InlineData("800x1000", "4:5")]
    [InlineData("2100x900", "21:9")]
    [InlineData("4000x1000", "21:9")]
    public void Maps_a_size_to_the_nearest_documented_aspect_ratio(string size, string aspectRatio) =>
        Assert.Equal(aspectRatio, Manifold.Plugins.Gemini.GeminiPlatform.AspectRatioOf(size));

    [Fact]
    public async Task Makes_one_call_per_image_and_sums_the_usage()
    {
        var (upstream, images) = await StartAsync(ImageAnswer);
        await using var _ = upstream;

        var response = await images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x","n":3}"""), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(3, upstream.Requests.Count);
        Assert.Equal(3, response.Data!.Count);
        Assert.Equal((21, 3870, 3891), (response.Usage!.InputTokens, response.Usage.OutputTokens, response.Usage.TotalTokens));
    }

    [Theory]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","quality":"high"}""", "quality")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","background":"transparent"}""", "background")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","output_format":"jpeg"}""", "output_format")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","output_compression":50}""", "output_compression")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","response_format":"url"}""", "response_format")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","stream":true}""", "stream")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","partial_images":2}""", "partial_images")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","moderation":"low"}""", "moderation")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","style":"vivid"}""", "style")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","size":"big"}""", "size")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":"x","n":11}""", "n")]
    [InlineData("""{"model":"gemini-2.5-flash-image","prompt":""}""", "prompt")]
    [InlineData("""{"prompt":"x"}""", "model")]
    public async Task What_gemini_cannot_honour_is_a_400_naming_the_field_before_any_call(string json, string param)
    {
        var (upstream, images) = await StartAsync(ImageAnswer);
        await using var _ = upstream;

        var error = await Assert.ThrowsAsync<UpstreamException>(() => images.CreateImageAsync(Parse(json), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, param), (error.StatusCode, error.Param));
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Streams_and_edits_are_refused_with_a_400()
    {
        var (upstream, images) = await StartAsync(ImageAnswer);
        await using var _ = upstream;

        var stream = await Assert.ThrowsAsync<UpstreamException>(async () =>
        {
            await foreach (var _ in images.CreateImageStreamAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x","stream":true}"""), TestPlatforms.Context(), CancellationToken.None))
            {
            }
        });
        var edit = await Assert.ThrowsAsync<UpstreamException>(() => images.CreateImageEditAsync(
            new CreateImageEditRequest { Prompt = "x", Model = "gemini-2.5-flash-image" }, new FileParts([]), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "stream"), (stream.StatusCode, stream.Param));
        Assert.Equal(400, edit.StatusCode);
        Assert.Contains("not supported by Gemini image models", edit.Message, StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task A_blocked_prompt_is_openais_moderation_blocked()
    {
        var (upstream, images) = await StartAsync("""
            {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9}}
            """);
        await using var _ = upstream;

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x"}"""), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "moderation_blocked"), (error.StatusCode, error.Code));
        Assert.Contains("PROHIBITED_CONTENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_blocked_for_safety_is_moderation_blocked_too()
    {
        var (upstream, images) = await StartAsync("""
            {"candidates": [{"content": {"parts": [], "role": "model"}, "finishReason": "IMAGE_SAFETY", "index": 0}]}
            """);
        await using var _ = upstream;

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x"}"""), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "moderation_blocked"), (error.StatusCode, error.Code));
        Assert.Contains("IMAGE_SAFETY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_only_answer_is_a_422_with_what_the_model_said()
    {
        var (upstream, images) = await StartAsync("""
            {"candidates": [{"content": {"parts": [{"text": "I can only describe that picture."}], "role": "model"}, "finishReason": "STOP", "index": 0}]}
            """);
        await using var _ = upstream;

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash-image","prompt":"x"}"""), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((422, "image_generation_failed"), (error.StatusCode, error.Code));
        Assert.Contains("I can only describe that picture.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Googles_own_error_comes_through()
    {
        var (upstream, images) = await StartAsync(
            """{"error":{"code":400,"message":"Model does not support the requested response modalities: image","status":"INVALID_ARGUMENT"}}""", 400);
        await using var _ = upstream;

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            images.CreateImageAsync(Parse("""{"model":"gemini-2.5-flash","prompt":"x"}"""), TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "INVALID_ARGUMENT"), (error.StatusCode, error.Code));
    }
}
