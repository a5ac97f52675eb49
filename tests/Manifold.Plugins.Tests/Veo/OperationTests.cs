using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Veo;

/// <summary>Polling an operation by its name, and what Veo has no counterpart for (list, delete, remix).</summary>
public sealed class OperationTests
{
    private static Task<FakeUpstream> StartAsync(string answer, int status = 200) =>
        FakeUpstream.StartAsync(app => app.MapGet("/v1beta/models/{model}/operations/{id}", async (HttpContext http) =>
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=UTF-8";
            await http.Response.WriteAsync(answer);
        }));

    [Theory]
    [InlineData(VeoPayloads.Running)]
    [InlineData(VeoPayloads.RunningDoneFalse)]
    public async Task A_running_operation_is_in_progress(string answer)
    {
        await using var upstream = await StartAsync(answer);

        var video = await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        var sent = upstream.SingleRequest;
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1beta/" + VeoFakes.Operation, sent.RawTarget);
        Assert.Equal(TestPlatforms.Key, sent.Header("x-goog-api-key"));
        Assert.Equal((VeoFakes.Operation, VeoFakes.Model), (video.Id, video.Model));
        Assert.Equal((VideoStatusValues.InProgress, 0L), (video.Status, video.Progress));
        Assert.Null(video.Error);
    }

    [Fact]
    public async Task A_done_operation_with_a_video_is_completed()
    {
        await using var upstream = await StartAsync(VeoPayloads.Done("https://generativelanguage.googleapis.com/v1beta/files/3fh2k9x1:download?alt=media"));

        var video = await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal((VideoStatusValues.Completed, 100L), (video.Status, video.Progress));
        Assert.Null(video.Error);
    }

    [Fact]
    public async Task A_failed_operation_is_failed_with_googles_status()
    {
        await using var upstream = await StartAsync(VeoPayloads.Failed);

        var video = await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(VideoStatusValues.Failed, video.Status);
        Assert.Equal("INTERNAL", video.Error!.Code);
        Assert.Equal("Video generation failed due to an internal error. Please try again.", video.Error.Message);
    }

    [Fact]
    public async Task An_error_with_a_status_name_keeps_it()
    {
        await using var upstream = await StartAsync($$$"""{"name":"{{{VeoFakes.Operation}}}","done":true,"error":{"code":8,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED"}}""");

        var video = await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(("RESOURCE_EXHAUSTED", "Quota exceeded."), (video.Error!.Code, video.Error.Message));
    }

    [Fact]
    public async Task Videos_removed_by_safety_filters_are_failed_as_content_filtered()
    {
        await using var upstream = await StartAsync(VeoPayloads.Filtered);

        var video = await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(VideoStatusValues.Failed, video.Status);
        Assert.Equal(("content_filtered", VeoPayloads.RaiReason), (video.Error!.Code, video.Error.Message));
    }

    [Fact]
    public async Task A_done_operation_with_nothing_in_it_is_failed()
    {
        await using var upstream = await StartAsync("{\"name\":\"" + VeoFakes.Operation + "\",\"done\":true,\"response\":{\"generateVideoResponse\":{}}}");

        var video = await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal((VideoStatusValues.Failed, "no_video"), (video.Status, video.Error!.Code));
    }

    [Fact]
    public async Task An_operation_google_does_not_know_is_its_404()
    {
        await using var upstream = await StartAsync("""{"error":{"code":404,"message":"Operation not found.","status":"NOT_FOUND"}}""", 404);

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((404, "NOT_FOUND", "Operation not found."), (error.StatusCode, error.Code, error.Message));
    }

    [Theory]
    [InlineData("video_123")]
    [InlineData("models/veo-3.1-generate-preview/operations/../../files/x")]
    [InlineData("models/veo/operations/a/b")]
    [InlineData("models//operations/a")]
    [InlineData("tunedModels/x/operations/y")]
    public async Task An_id_that_is_no_operation_name_is_a_404_and_nothing_is_sent(string id)
    {
        await using var upstream = await StartAsync(VeoPayloads.Running);

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            VeoFakes.Platform(upstream.Root).RetrieveVideoAsync(id, detail: false, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Operation_names_are_escaped_segment_by_segment()
    {
        await using var upstream = await FakeUpstream.StartAsync(app => app.MapGet("/v1beta/{**rest}", () => Results.Text(VeoPayloads.Running, "application/json")));

        await VeoFakes.Platform(upstream.Root).RetrieveVideoAsync("models/veo 3/operations/a?b#c", detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("/v1beta/models/veo%203/operations/a%3Fb%23c", upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task A_versioned_base_url_keeps_its_version()
    {
        await using var upstream = await StartAsync(VeoPayloads.Running);

        await VeoFakes.Platform(new Uri(upstream.Root, "v1beta")).RetrieveVideoAsync(VeoFakes.Operation, detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal("/v1beta/" + VeoFakes.Operation, upstream.SingleRequest.RawTarget);
    }

    [Fact]
    public async Task Delete_list_and_remix_ask_nothing_of_the_upstream()
    {
        await using var upstream = await StartAsync(VeoPayloads.Running);
        var platform = VeoFakes.Platform(upstream.Root);

        var deleted = await platform.DeleteVideoAsync(VeoFakes.Operation, TestPlatforms.Context(), CancellationToken.None);
        var list = await platform.ListVideosAsync(20, "desc", null, TestPlatforms.Context(), CancellationToken.None);
        var remix = await Assert.ThrowsAsync<UpstreamException>(() =>
            platform.RemixVideoAsync(VeoFakes.Operation, new RemixVideoRequest { Prompt = "at night" }, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((VeoFakes.Operation, "video.deleted", true), (deleted.Id, deleted.Object, deleted.Deleted));
        Assert.Empty(list.Data);
        Assert.False(list.HasMore);
        Assert.Equal(400, remix.StatusCode);
        Assert.Contains("Veo cannot remix", remix.Message);
        Assert.Empty(upstream.Requests);
    }
}
