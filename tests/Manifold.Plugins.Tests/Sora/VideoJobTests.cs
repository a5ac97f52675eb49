using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Sora;

/// <summary>Retrieve, list, delete and remix: plain pass-through of the upstream's ids, query and bodies.</summary>
public sealed class VideoJobTests
{
    [Fact]
    public async Task Retrieves_a_job_by_its_upstream_id()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}", (HttpContext http) =>
        {
            http.Response.Headers["x-request-id"] = "req_get_1";
            return Results.Text(SoraPayloads.CompletedVideo, "application/json");
        }));
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var context = TestPlatforms.Context();

        var video = await platform.RetrieveVideoAsync("video_123", detail: false, context, CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/videos/video_123", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Accept"));
        Assert.Equal("req_get_1", context.UpstreamRequestId);
        Assert.Equal("video_123", video.Id);
        Assert.Equal(VideoStatusValues.Completed, video.Status);
        Assert.Equal(100, video.Progress);
        Assert.Equal(1712697690, video.CompletedAt);
        Assert.Equal(1712784090, video.ExpiresAt);
        Assert.Equal("A calico cat playing a piano on stage", video.Prompt);
        Assert.Equal("720x1280", video.Size);
        Assert.Null(video.RemixedFromVideoId);
    }

    [Fact]
    public async Task A_failed_job_keeps_its_error_and_the_fields_it_does_not_model()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{id}", () => Results.Text(SoraPayloads.FailedVideo, "application/json")));
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var video = await platform.RetrieveVideoAsync("video_456", detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(VideoStatusValues.Failed, video.Status);
        Assert.Equal("moderation_blocked", video.Error!.Code);
        Assert.Equal("Your request was blocked by our moderation system.", video.Error.Message);
        Assert.Equal("kept", Assert.Contains("x_detail", video.Error.AdditionalProperties!).GetString());
    }

    [Fact]
    public async Task Ids_are_escaped_into_the_path()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos/{**id}", () => Results.Text(SoraPayloads.CompletedVideo, "application/json")));
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        await platform.RetrieveVideoAsync("video/../x y?z#w", detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("/v1/videos/video%2F..%2Fx%20y%3Fz%23w", upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task Lists_with_limit_order_and_after_in_the_query()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos", () => Results.Text(SoraPayloads.VideoList, "application/json")));
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var list = await platform.ListVideosAsync(2, "asc", "video_100", TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/videos?limit=2&order=asc&after=video_100", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("list", list.Object);
        Assert.Equal("video_123", Assert.Single(list.Data).Id);
        Assert.Equal("video_123", list.FirstId);
        Assert.Equal("video_123", list.LastId);
        Assert.True(list.HasMore);
        Assert.Equal("kept", Assert.Contains("x_page_note", list.AdditionalProperties!).GetString());
    }

    [Fact]
    public async Task A_list_without_a_cursor_sends_none_and_keeps_the_base_urls_own_query()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1/videos", () => Results.Text(SoraPayloads.VideoList, "application/json")));
        var platform = SoraFakes.Platform(new Uri(upstream.BaseUrl + "?api-version=preview"));

        await platform.ListVideosAsync(20, "desc", null, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("/v1/videos?api-version=preview&limit=20&order=desc", upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task Deletes_a_job()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapDelete("/v1/videos/{id}", () => Results.Text(SoraPayloads.DeletedVideo, "application/json")));
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var deleted = await platform.DeleteVideoAsync("video_123", TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("DELETE", sent.Method);
        Assert.Equal("/v1/videos/video_123", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("video_123", deleted.Id);
        Assert.Equal("video.deleted", deleted.Object);
        Assert.True(deleted.Deleted);
    }

    [Fact]
    public async Task Remixes_with_the_prompt_as_json()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapPost("/v1/videos/{id}/remix", () => Results.Text(SoraPayloads.RemixedVideo, "application/json")));
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var request = JsonSerializer.Deserialize<RemixVideoRequest>("""{"prompt":"Extend the scene with the cat taking a bow","x_extra":{"keep":true}}""", ManifoldJson.Options)!;

        var video = await platform.RemixVideoAsync("video_123", request, TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/videos/video_123/remix", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"prompt":"Extend the scene with the cat taking a bow","x_extra":{"keep":true}}"""), JsonNode.Parse(sent.Body)), sent.Body);
        Assert.Equal("video_789", video.Id);
        Assert.Equal("video_123", video.RemixedFromVideoId);
        Assert.Equal(VideoStatusValues.Queued, video.Status);
    }
}
