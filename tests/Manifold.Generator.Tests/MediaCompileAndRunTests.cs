using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>Serves <see cref="TestSpecs.Media"/> with a platform that echoes what its adapter received, files included.</summary>
public sealed class MediaGatewayFixture : IAsyncLifetime
{
    private const string ClipsPlatformSource = """
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Security.Cryptography;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using System.Threading;
        using System.Threading.Tasks;
        using Manifold.Contracts;

        namespace Manifold.Tests.Media;

        public sealed class ClipsPlatform : IPlatform, IClipsAdapter
        {
            public string Name => "clips";

            public IReadOnlyList<string> DefaultModels { get; } = new[] { "clip-*" };

            public Task<Clip> CreateClipAsync(CreateClipRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
            {
                var received = new JsonObject
                {
                    ["request"] = JsonSerializer.SerializeToNode(request, ManifoldJson.Options),
                    ["files"] = new JsonArray(files.All.Select(f =>
                    {
                        using var stream = f.OpenRead();
                        return (JsonNode)new JsonObject
                        {
                            ["name"] = f.Name, ["file_name"] = f.FileName, ["content_type"] = f.ContentType, ["length"] = f.Length,
                            ["sha256"] = System.Convert.ToHexStringLower(SHA256.HashData(stream)),
                        };
                    }).ToArray()),
                };
                return Task.FromResult(new Clip { Id = "clip-1", Echo = JsonSerializer.SerializeToElement(received) });
            }

            public Task<Clip> DeleteClipAsync(string clipId, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new Clip { Id = clipId });

            public Task<BinaryContent> GetClipContentAsync(string clipId, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new BinaryContent(new MemoryStream(Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray()), "video/mp4", 1000));
        }
        """;

    private GeneratedGateway? _gateway;

    public HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync() =>
        _gateway = await GeneratedGateway.StartAsync(
            "Manifold.Generated.Media", (TestSpecs.MediaPath, TestSpecs.Media), ClipsPlatformSource, "Manifold.Tests.Media.ClipsPlatform");

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

/// <summary>Forms with files, typed form fields, 201s, bytes with ranges and DELETE, served for real.</summary>
public sealed class MediaCompileAndRunTests(MediaGatewayFixture gateway) : IClassFixture<MediaGatewayFixture>
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 1, 2, 3];

    private static ByteArrayContent File(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpContent content, string path = "/v1/clips")
    {
        using var response = await gateway.Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_form_fills_the_same_typed_request_as_json_and_its_files_reach_the_adapter_intact()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("clip-2"), "model" },
            { new StringContent("a cat, 猫"), "prompt" },
            { new StringContent("8"), "seconds" },
            { new StringContent("true"), "options[loop]" },
            { new StringContent("x"), "options[label]" },
            { File(Png, "image/png"), "reference", "ref.png" },
            { File([1, 2, 3], "image/jpeg"), "frames[]", "a.jpg" },
            { File([4, 5], "image/webp"), "frames[]", "b.webp" },
        };

        var (status, body) = await SendAsync(form);

        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        var echo = body!["echo"]!;
        Assert.Equal("""{"model":"clip-2","prompt":"a cat, 猫","seconds":8,"options":{"loop":true,"label":"x"}}""", echo["request"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var files = echo["files"]!.AsArray();
        Assert.Equal(["reference", "frames", "frames"], files.Select(static f => f!["name"]!.GetValue<string>()));
        Assert.Equal(("ref.png", "image/png", 11L), (files[0]!["file_name"]!.GetValue<string>(), files[0]!["content_type"]!.GetValue<string>(), files[0]!["length"]!.GetValue<long>()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Png)), files[0]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_json_form_of_the_same_request_reaches_the_same_method_with_no_files()
    {
        var (status, body) = await SendAsync(new StringContent("""{"model":"clip-2","prompt":"p","reference":{"image_url":"https://x/y.png"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("https://x/y.png", body!["echo"]!["request"]!["reference"]!["image_url"]!.GetValue<string>());
        Assert.Empty(body["echo"]!["files"]!.AsArray());
    }

    [Fact]
    public async Task The_object_form_of_a_file_field_arrives_as_bracketed_text_parts()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("clip-2"), "model" },
            { new StringContent("p"), "prompt" },
            { new StringContent("https://x/y.png"), "reference[image_url]" },
        };

        var (status, body) = await SendAsync(form);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("https://x/y.png", body!["echo"]!["request"]!["reference"]!["image_url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("seconds", "eight", "seconds")]
    [InlineData("options[loop]", "maybe", "options.loop")]
    public async Task A_form_value_of_the_wrong_type_is_a_400_naming_the_field(string field, string value, string param)
    {
        using var form = new MultipartFormDataContent { { new StringContent("clip-2"), "model" }, { new StringContent("p"), "prompt" }, { new StringContent(value), field } };

        var (status, body) = await SendAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, body!["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_required_field_a_stray_file_and_a_broken_body_are_400s()
    {
        using var missing = new MultipartFormDataContent { { new StringContent("clip-2"), "model" } };
        using var stray = new MultipartFormDataContent { { new StringContent("clip-2"), "model" }, { new StringContent("p"), "prompt" }, { File([1], "image/png"), "mask", "m.png" } };
        var broken = new StringContent("--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nclip-2", Encoding.UTF8);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var results = new[] { await SendAsync(missing), await SendAsync(stray), await SendAsync(broken) };

        Assert.All(results, static r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Contains("prompt", results[0].Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("mask", results[1].Body!["error"]!["param"]!.GetValue<string>());
        Assert.Contains("malformed", results[2].Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_text_field_is_a_413()
    {
        using var form = new MultipartFormDataContent { { new StringContent("clip-2"), "model" }, { new StringContent(new string('x', 1_100_000)), "prompt" } };

        var (status, body) = await SendAsync(form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("prompt", body!["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bytes_are_served_whole_or_by_range()
    {
        using var whole = await gateway.Client.GetAsync("/v1/clips/clip-1/content");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/clips/v1/clips/clip-1/content");
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var part = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(("video/mp4", 1000L), (whole.Content.Headers.ContentType!.MediaType, whole.Content.Headers.ContentLength!.Value));
        Assert.Equal(Enumerable.Range(0, 1000).Select(static i => (byte)i), await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(Enumerable.Range(10, 10).Select(static i => (byte)i), await part.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 10-19/1000", part.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Delete_is_served_at_the_root_and_under_the_platform()
    {
        using var root = await gateway.Client.DeleteAsync("/v1/clips/clip-9");
        using var named = await gateway.Client.DeleteAsync("/clips/v1/clips/clip-9");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal("clip-9", JsonNode.Parse(await root.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
    }
}
