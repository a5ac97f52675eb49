using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Sora;

public sealed class ErrorTests
{
    private static CreateVideoRequest Request(string seconds = "8", string size = "720x1280") =>
        JsonSerializer.Deserialize<CreateVideoRequest>($$"""{"model":"sora-2","prompt":"A calico cat","seconds":"{{seconds}}","size":"{{size}}"}""", ManifoldJson.Options)!;

    private static async Task<FakeUpstream> AnswerAsync(string body, int status) =>
        await FakeUpstream.StartAsync(app => app.Use(async (HttpContext http, RequestDelegate _) =>
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            http.Response.Headers["x-request-id"] = "req_error_1";
            await http.Response.WriteAsync(body);
        }));

    public static TheoryData<string, int, string, string, string?, string?, bool> CreateErrors => new()
    {
        { SoraPayloads.InvalidSecondsError, 400, "invalid_request_error", "Invalid value: '5'. Supported values are: '4', '8', and '12'.", "seconds", "invalid_value", false },
        { SoraPayloads.InvalidSizeError, 400, "invalid_request_error", "Invalid value: '1024x1792'. Supported values for sora-2 are: '720x1280' and '1280x720'.", "size", "invalid_value", false },
        { SoraPayloads.OverloadedError, 503, "server_error", "The server is overloaded or not ready yet.", null, null, true },
    };

    [Theory]
    [MemberData(nameof(CreateErrors))]
    public async Task Create_errors_keep_openais_type_code_and_param(string body, int status, string type, string message, string? param, string? code, bool retryable)
    {
        await using var upstream = await AnswerAsync(body, status);
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateVideoAsync(Request("5"), FileParts.None, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(type, error.Type);
        Assert.Equal(message, error.Message);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.Equal(retryable, error.Retryable);
        Assert.Equal("req_error_1", error.UpstreamRequestId);
    }

    [Fact]
    public async Task A_create_that_fails_still_closes_the_reference_file()
    {
        await using var upstream = await AnswerAsync(SoraPayloads.InvalidSizeError, 400);
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        using var image = new TempFilePart("input_reference", "frame.png", "image/png", TempFilePart.RandomBytes(10_000));

        await Assert.ThrowsAsync<UpstreamException>(() => platform.CreateVideoAsync(Request(), new FileParts([image.Part]), TestPlatforms.Context(), CancellationToken.None));

        Assert.True(image.IsClosed());
    }

    [Fact]
    public async Task A_video_the_upstream_does_not_know_is_its_404()
    {
        await using var upstream = await AnswerAsync(SoraPayloads.VideoNotFoundError, 404);
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.RetrieveVideoAsync("video_nope", detail: false, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("Video with id 'video_nope' not found.", error.Message);
        Assert.Equal("video_id", error.Param);
        Assert.Null(error.Code);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task Deleting_a_video_the_upstream_does_not_know_is_its_404()
    {
        await using var upstream = await AnswerAsync(SoraPayloads.VideoNotFoundError, 404);
        var platform = SoraFakes.Platform(upstream.BaseUrl);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.DeleteVideoAsync("video_nope", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("video_id", error.Param);
    }

    public static TheoryData<string> Operations => ["create", "retrieve", "list", "delete", "content", "remix"];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_rejected_key_is_a_retryable_401_that_never_shows_the_key(string operation)
    {
        await using var upstream = await AnswerAsync(SoraPayloads.InvalidKeyError(TestPlatforms.Key), 401);
        var platform = SoraFakes.Platform(upstream.BaseUrl);
        var context = TestPlatforms.Context();
        var remix = new RemixVideoRequest { Prompt = "Again" };
        Func<Task> call = operation switch
        {
            "create" => () => platform.CreateVideoAsync(Request(), FileParts.None, context, CancellationToken.None),
            "retrieve" => () => platform.RetrieveVideoAsync("video_123", detail: false, context, CancellationToken.None),
            "list" => () => platform.ListVideosAsync(20, "desc", null, context, CancellationToken.None),
            "delete" => () => platform.DeleteVideoAsync("video_123", context, CancellationToken.None),
            "content" => () => platform.RetrieveVideoContentAsync("video_123", "video", context, CancellationToken.None),
            _ => () => platform.RemixVideoAsync("video_123", remix, context, CancellationToken.None),
        };

        var error = await Assert.ThrowsAsync<UpstreamException>(call);

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("invalid_api_key", error.Code);
        Assert.Null(error.Param);
        // Another account may work.
        Assert.True(error.Retryable);
        Assert.Equal("Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.", error.Message);
        Assert.DoesNotContain(TestPlatforms.Key, error.ToString());
    }

    [Fact]
    public async Task An_upstream_that_is_down_is_unreachable()
    {
        var platform = SoraFakes.Platform(new Uri($"http://127.0.0.1:{ClosedPort()}/v1"));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.RetrieveVideoContentAsync("video_123", "video", TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("upstream_unreachable", error.Code);
        Assert.True(error.Retryable);
        Assert.Contains("'openai'", error.Message);
        Assert.DoesNotContain(TestPlatforms.Key, error.ToString());
    }

    /// <summary>A loopback port with nothing listening: bound, read, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
