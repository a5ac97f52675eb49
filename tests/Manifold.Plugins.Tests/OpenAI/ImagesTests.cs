using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Plugins.Tests.Fakes;
using Manifold.Plugins.Tests.Sora;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

/// <summary>The <c>openai</c> platform's Images API: what goes upstream (JSON generations, multipart edits), and streams read back.</summary>
public sealed class ImagesTests
{
    private const string Answer = """
        {"created":1713833628,"data":[{"b64_json":"iVBORw0KGgo="}],"background":"opaque","output_format":"png","size":"1024x1024","quality":"high",
         "usage":{"total_tokens":4170,"input_tokens":10,"output_tokens":4160,"input_tokens_details":{"text_tokens":10,"image_tokens":0}}}
        """;

    private static IImagesAdapter Platform(Uri baseUrl) => (IImagesAdapter)TestPlatforms.OpenAI(baseUrl);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    [Fact]
    public async Task A_generation_goes_upstream_as_the_client_sent_it_unknown_fields_included()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/images/generations", () => Results.Text(Answer, "application/json")));

        var answer = await Platform(upstream.BaseUrl).CreateImageAsync(
            Parse<CreateImageRequest>("""{"model":"gpt-image-1","prompt":"A cute baby sea otter","n":2,"size":"1536x1024","quality":"low","future_knob":{"a":1}}"""),
            TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/images/generations", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("gpt-image-1", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("n").GetInt32());
        Assert.Equal("1536x1024", body.RootElement.GetProperty("size").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("future_knob").GetProperty("a").GetInt32());
        Assert.False(body.RootElement.TryGetProperty("stream", out _), "fields the client left out are not sent");

        Assert.Equal("iVBORw0KGgo=", Assert.Single(answer.Data!).B64Json);
        Assert.Equal(4170, answer.Usage!.TotalTokens);
        Assert.Equal("1024x1024", answer.Size);
    }

    [Fact]
    public async Task An_edit_goes_upstream_as_the_sdks_multipart_form_with_repeated_image_parts_and_the_mask_intact()
    {
        ReceivedForm? received = null;
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/images/edits", async (HttpContext http) =>
        {
            received = await ReceivedForm.ReadAsync(http.Request);
            return Results.Text(Answer, "application/json");
        }));
        using var first = new TempFilePart("image", "a.png", "image/png", TempFilePart.RandomBytes(70_000));
        using var second = new TempFilePart("image", "b.jpg", "image/jpeg", TempFilePart.RandomBytes(5_000));
        using var mask = new TempFilePart("mask", "mask.png", "image/png", TempFilePart.RandomBytes(3_000));

        await Platform(upstream.BaseUrl).CreateImageEditAsync(
            Parse<CreateImageEditRequest>("""{"model":"gpt-image-1","prompt":"A gift basket","n":1,"size":"1536x1024","input_fidelity":"high"}"""),
            new FileParts([first.Part, second.Part, mask.Part]), TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/images/edits", sent.RawTarget);
        Assert.StartsWith("multipart/form-data; boundary=", sent.Header("Content-Type"));
        var form = received!;
        Assert.Equal(["input_fidelity", "model", "n", "prompt", "size"], form.Fields.Keys.Order());
        Assert.Equal("1", form.Field("n"));
        Assert.Equal(
            [
                new ReceivedFile("image[]", "a.png", "image/png", 70_000, SoraFakes.Sha256(first.Bytes)),
                new ReceivedFile("image[]", "b.jpg", "image/jpeg", 5_000, SoraFakes.Sha256(second.Bytes)),
                new ReceivedFile("mask", "mask.png", "image/png", 3_000, SoraFakes.Sha256(mask.Bytes)),
            ],
            form.Files);
        Assert.True(first.IsClosed() && second.IsClosed() && mask.IsClosed(), "the files are closed once the request is sent");
    }

    [Fact]
    public async Task One_image_goes_as_a_single_image_part_with_its_declared_type_kept_as_is()
    {
        ReceivedForm? received = null;
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/images/edits", async (HttpContext http) =>
        {
            received = await ReceivedForm.ReadAsync(http.Request);
            return Results.Text(Answer, "application/json");
        }));
        using var only = new TempFilePart("image", "photo.webp", "image/webp", TempFilePart.RandomBytes(1_234));

        await Platform(upstream.BaseUrl).CreateImageEditAsync(
            Parse<CreateImageEditRequest>("""{"prompt":"Watercolor"}"""), new FileParts([only.Part]), TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal([new ReceivedFile("image", "photo.webp", "image/webp", 1_234, SoraFakes.Sha256(only.Bytes))], received!.Files);
        Assert.Equal(["prompt"], received.Fields.Keys);
    }

    [Fact]
    public async Task An_edit_by_image_reference_goes_as_the_apis_json_form()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/images/edits", () => Results.Text(Answer, "application/json")));

        await Platform(upstream.BaseUrl).CreateImageEditAsync(
            Parse<CreateImageEditRequest>("""{"model":"gpt-image-1.5","prompt":"Snow","images":[{"file_id":"file-abc123"}],"mask":{"image_url":"https://example.com/m.png"}}"""),
            FileParts.None, TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("file-abc123", body.RootElement.GetProperty("images")[0].GetProperty("file_id").GetString());
        Assert.Equal("https://example.com/m.png", body.RootElement.GetProperty("mask").GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task A_stream_is_read_event_by_event_named_or_not()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/images/generations", async (HttpContext http) =>
        {
            Sse.Start(http.Response);
            await Sse.WriteEventAsync(http.Response, "image_generation.partial_image",
                """{"type":"image_generation.partial_image","b64_json":"AAA=","created_at":1,"size":"1024x1024","quality":"high","background":"opaque","output_format":"png","partial_image_index":0}""");
            await Sse.WriteAsync(http.Response,
                """{"type":"image_generation.completed","b64_json":"BBB=","created_at":1,"size":"1024x1024","quality":"high","background":"opaque","output_format":"png","usage":{"total_tokens":5,"input_tokens":2,"output_tokens":3,"input_tokens_details":{"text_tokens":2,"image_tokens":0}}}""");
        }));

        var events = new List<ImageGenStreamEvent>();
        await foreach (var e in Platform(upstream.BaseUrl).CreateImageStreamAsync(
            Parse<CreateImageRequest>("""{"model":"gpt-image-1","prompt":"Otter","stream":true,"partial_images":1}"""), TestPlatforms.Context(), CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(["image_generation.partial_image", "image_generation.completed"], events.Select(static e => e.Type));
        Assert.Equal(0, events[0].PartialImageIndex);
        Assert.Equal(5, events[1].Usage!.TotalTokens);
        Assert.Equal("text/event-stream", upstream.SingleRequest.Header("Accept"));
        Assert.Contains("\"stream\":true", upstream.SingleRequest.Body);
    }

    [Fact]
    public async Task An_error_inside_an_edit_stream_is_thrown_with_its_message()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/images/edits", async (HttpContext http) =>
        {
            Sse.Start(http.Response);
            await Sse.WriteEventAsync(http.Response, "image_edit.partial_image",
                """{"type":"image_edit.partial_image","b64_json":"AAA=","created_at":1,"size":"auto","quality":"auto","background":"auto","output_format":"png","partial_image_index":0}""");
            await Sse.WriteEventAsync(http.Response, "error", """{"type":"error","code":"server_error","message":"The image could not be finished.","param":null}""");
        }));
        using var only = new TempFilePart("image", "a.png", "image/png", TempFilePart.RandomBytes(100));

        var seen = new List<string>();
        var error = await Assert.ThrowsAsync<UpstreamException>(async () =>
        {
            await foreach (var e in Platform(upstream.BaseUrl).CreateImageEditStreamAsync(
                Parse<CreateImageEditRequest>("""{"prompt":"x","stream":true,"partial_images":1}"""), new FileParts([only.Part]), TestPlatforms.Context(), CancellationToken.None))
            {
                seen.Add(e.Type);
            }
        });

        Assert.Equal(["image_edit.partial_image"], seen);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("The image could not be finished.", error.Message);
        Assert.StartsWith("multipart/form-data", upstream.SingleRequest.Header("Content-Type"));
    }
}
