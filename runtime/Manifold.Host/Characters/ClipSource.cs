using Manifold.Contracts;
using Manifold.Host.Media;
using Manifold.Host.Tasks;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Characters;

/// <summary>
/// The video a seeds' character is cut from, copied to a temporary file: a client's URL (fetched through the guard against
/// internal addresses, <see cref="GatewayServiceCollectionExtensions.ClientUrlsClientName"/>; or a base64 <c>data:</c> URL, as
/// seed 000 allows), or the stored video of a completed job of the caller's. At most
/// <see cref="CharacterOptions.MaxSourceBytes"/>, streamed, never held in memory.
/// </summary>
public sealed class ClipSource(HttpClient clientUrls, ITaskStore tasks, IMediaStorage storage, CharacterOptions options)
{
    /// <summary>Copies the source to <paramref name="target"/>.</summary>
    public async Task CopyAsync(string? url, string? fromTask, long? licenceId, string target, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(url) == string.IsNullOrEmpty(fromTask))
        {
            throw new ManifoldException(400, "invalid_request_error", "Send exactly one of 'url' and 'from_task'.", string.IsNullOrEmpty(url) ? "url" : "from_task", "invalid_value");
        }
        if (fromTask is not null && !string.IsNullOrEmpty(fromTask))
        {
            await CopyJobAsync(fromTask, licenceId, target, cancellationToken).ConfigureAwait(false);
        }
        else if (url!.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            await CopyDataUrlAsync(url, target, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await FetchAsync(url, target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyJobAsync(string id, long? licenceId, string target, CancellationToken cancellationToken)
    {
        var job = MediaTaskIds.IsWellFormed(id) ? await tasks.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (job is null || job.LicenceId != licenceId || job.Kind != MediaKinds.Video)
        {
            // The same answer for another licence's job as for none, so ids reveal nothing.
            throw new ManifoldException(404, "invalid_request_error", $"'from_task' names no video job of yours: '{id}'.", "from_task", "not_found");
        }
        if (job.Status != MediaTaskStatus.Completed)
        {
            throw new ManifoldException(400, "invalid_request_error",
                $"Video '{id}' is {job.Status.Replace('_', ' ')}; a character is cut from a completed video.", "from_task", "invalid_video_state");
        }
        var stored = StoredResult.FromJson(job.Results).FirstOrDefault(static r => r.Variant == "video");
        var media = stored is null ? null : await storage.OpenAsync(stored.Key, cancellationToken).ConfigureAwait(false);
        if (media is null)
        {
            throw new ManifoldException(404, "invalid_request_error", $"The content of video '{id}' has expired.", "from_task", "content_not_found");
        }
        await using (media)
        {
            await CopyCappedAsync(media.Content, target, "from_task", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FetchAsync(string url, string target, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Invalid("'url' must be an http(s) URL of the video, or a base64 data: URL.");
        }
        try
        {
            using var response = await clientUrls.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Invalid($"'url' could not be fetched: its server answered {(int)response.StatusCode}.");
            }
            if (response.Content.Headers.ContentLength > options.MaxSourceBytes)
            {
                throw TooLarge("url");
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await CopyCappedAsync(body, target, "url", cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is Manifold.Contracts.Net.BlockedAddressException blocked)
        {
            throw Invalid($"'url' is not fetched: {blocked.Message}");
        }
        catch (HttpRequestException ex)
        {
            throw Invalid($"'url' could not be fetched: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Invalid("'url' took too long to fetch.");
        }
    }

    private async Task CopyDataUrlAsync(string url, string target, CancellationToken cancellationToken)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("A data: 'url' must be base64 (data:video/mp4;base64,...).");
        }
        if ((long)(url.Length - comma - 1) * 3 / 4 > options.MaxSourceBytes)
        {
            throw TooLarge("url");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(url[(comma + 1)..]);
        }
        catch (FormatException)
        {
            throw Invalid("'url' holds data that is not valid base64.");
        }
        await File.WriteAllBytesAsync(target, bytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyCappedAsync(Stream source, string target, string field, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > options.MaxSourceBytes)
            {
                throw TooLarge(field);
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    private ManifoldException TooLarge(string field) =>
        new(400, "invalid_request_error", $"The video is larger than {options.MaxSourceBytes / (1024 * 1024)} MiB (Manifold__Characters__MaxSourceBytes).", field, "video_too_large");

    private static ManifoldException Invalid(string message) => new(400, "invalid_request_error", message, "url", "invalid_value");
}
