using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Manifold.Host.Media;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Media;

/// <summary>
/// Media in an S3-compatible bucket (<c>Manifold__Media__Storage=s3</c>), against a real server (s3rver): what the store
/// keeps and reads back byte for byte, ranges, deletion by job, and a whole video job through the gateway.
/// </summary>
public sealed class S3MediaStorageTests(S3rverServer server) : IClassFixture<S3rverServer>
{
    private S3MediaStorage Storage(string bucket, string? prefix = null) => new(new S3MediaOptions
    {
        Bucket = bucket,
        Endpoint = server.Endpoint,
        AccessKey = S3rverServer.AccessKey,
        SecretKey = S3rverServer.SecretKey,
        Prefix = prefix,
    });

    private AmazonS3Client Client() => new(new BasicAWSCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey),
        new AmazonS3Config { ServiceURL = server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>A stream that cannot seek, as an upstream's download is.</summary>
    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task What_is_saved_reads_back_byte_for_byte_with_its_type_whether_or_not_the_source_could_seek()
    {
        using var storage = Storage("roundtrip");
        await storage.EnsureBucketAsync();
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var seekable = await storage.SaveAsync("video_a/video", "video/mp4", new MemoryStream(bytes));
        var forwardOnly = await storage.SaveAsync("video_a/thumbnail", "image/webp", new ForwardOnly(bytes[..1000]));
        await using var video = await storage.OpenAsync("video_a/video");
        await using var thumbnail = await storage.OpenAsync("video_a/thumbnail");
        using var copy = new MemoryStream();
        await video!.Content.CopyToAsync(copy);

        Assert.Equal((300_000L, 1000L), (seekable, forwardOnly));
        Assert.Equal(("video/mp4", 300_000L), (video.ContentType, video.Length));
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(("image/webp", 1000L), (thumbnail!.ContentType, thumbnail.Length));
        Assert.Null(await storage.OpenAsync("video_a/spritesheet"));
    }

    [Fact]
    public async Task A_seek_reads_from_there_so_ranges_fetch_only_their_part()
    {
        using var storage = Storage("ranges");
        await storage.EnsureBucketAsync();
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        await storage.SaveAsync("video_b/video", "video/mp4", new MemoryStream(bytes));

        await using var media = await storage.OpenAsync("video_b/video");
        var stream = media!.Content;
        stream.Seek(90_000, SeekOrigin.Begin);
        var tail = new byte[10_000];
        await stream.ReadExactlyAsync(tail);
        stream.Position = 10;
        var head = new byte[20];
        await stream.ReadExactlyAsync(head);

        Assert.True(stream.CanSeek);
        Assert.Equal(bytes[90_000..], tail);
        Assert.Equal(bytes[10..30], head);
        Assert.Equal(0, await stream.ReadAsync(new byte[1].AsMemory()[..0]));
    }

    [Fact]
    public async Task Deleting_a_job_removes_every_object_under_it_and_nothing_else_within_the_prefix()
    {
        using var storage = Storage("deletes", prefix: "node-a");
        await storage.EnsureBucketAsync();
        foreach (var key in new[] { "video_c/video", "video_c/thumbnail", "video_d/video" })
        {
            await storage.SaveAsync(key, "application/octet-stream", new MemoryStream([1, 2, 3]));
        }

        await storage.DeleteAsync("video_c/");
        using var s3 = Client();
        var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "deletes" });

        Assert.Equal(["node-a/video_d/video"], left.S3Objects.Select(static o => o.Key));
    }

    [Fact]
    public async Task A_video_job_through_the_gateway_lands_in_the_bucket_and_downloads_with_ranges_then_deletes()
    {
        var settings = server.Settings("gateway-media");
        settings["Manifold:Platforms:sandbox:Plugin"] = "sandbox";
        settings["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1";
        settings["Manifold:Tasks:PollInterval"] = "00:00:00.200";
        using var gateway = new ManifoldFactory(settings);
        using var client = gateway.CreateAuthorizedClient();
        var form = new MultipartFormDataContent
        {
            { new StringContent("sandbox-video"), "model" },
            { new StringContent("a lighthouse in fog"), "prompt" },
            { new StringContent("4"), "seconds" },
            { new StringContent("1280x720"), "size" },
        };

        var created = JsonNode.Parse(await (await client.PostAsync("/v1/videos", form)).Content.ReadAsStringAsync())!;
        var id = created["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonNode video;
        do
        {
            await Task.Delay(200);
            video = JsonNode.Parse(await client.GetStringAsync($"/v1/videos/{id}"))!;
        }
        while (video["status"]!.GetValue<string>() is not ("completed" or "failed") && DateTime.UtcNow < deadline);
        var whole = await client.GetByteArrayAsync($"/v1/videos/{id}/content");
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{id}/content");
        ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
        var part = await client.SendAsync(ranged);
        using var s3 = Client();
        var stored = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "gateway-media", Prefix = id + "/" });
        var deleted = await client.DeleteAsync($"/v1/videos/{id}");
        var afterDelete = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "gateway-media", Prefix = id + "/" });

        Assert.Equal("completed", video["status"]!.GetValue<string>());
        Assert.Equal("ftyp"u8.ToArray(), whole[4..8]);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(whole[1000..2000], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(["spritesheet", "thumbnail", "video"], stored.S3Objects.Select(o => o.Key[(id.Length + 1)..]).Order());
        Assert.Equal(whole.LongLength, stored.S3Objects.Single(o => o.Key.EndsWith("/video", StringComparison.Ordinal)).Size);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(afterDelete.S3Objects ?? []);
    }
}
