using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Media;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks.Images;

/// <summary>
/// OpenAI Images in front of a platform's adapter. Answers pass through, except <c>response_format: url</c>: the platform
/// is asked for base64 (GPT image models only answer base64), each image is kept in Manifold's storage as a finished image
/// job (so retention deletes it), and its <c>url</c> is a signed, expiring link to Manifold, never to the upstream.
/// </summary>
internal sealed class ImageTaskAdapter(MediaTasks tasks, PlatformEntry entry, IImagesAdapter? platform, long? licenceId, string publicBase) : IImagesAdapter
{
    private const string Url = "url";

    public async Task<ImagesResponse> CreateImageAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        if (request.ResponseFormat != Url)
        {
            return await Platform.CreateImageAsync(request, context, cancellationToken).ConfigureAwait(false);
        }
        request.ResponseFormat = Base64For(request.Model);
        var answer = await Platform.CreateImageAsync(request, context, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(answer, request.Model, request.Prompt, context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImagesResponse> CreateImageEditAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        if (request.ResponseFormat != Url)
        {
            return await Platform.CreateImageEditAsync(request, files, context, cancellationToken).ConfigureAwait(false);
        }
        request.ResponseFormat = Base64For(request.Model);
        var answer = await Platform.CreateImageEditAsync(request, files, context, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(answer, request.Model, request.Prompt, context, cancellationToken).ConfigureAwait(false);
    }

    // Streams carry base64 partial images by design: there is nothing to store or link.
    public IAsyncEnumerable<ImageGenStreamEvent> CreateImageStreamAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken) =>
        Platform.CreateImageStreamAsync(request, context, cancellationToken);

    public IAsyncEnumerable<ImageEditStreamEvent> CreateImageEditStreamAsync(
        CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken) =>
        Platform.CreateImageEditStreamAsync(request, files, context, cancellationToken);

    private IImagesAdapter Platform => platform
        ?? throw new ManifoldException(404, "invalid_request_error", $"Platform '{entry.Name}' (plugin '{entry.Settings.Plugin}') does not make images.", code: "unsupported_endpoint");

    /// <summary>DALL·E answers a URL unless asked for base64; GPT image models refuse the parameter and always answer base64.</summary>
    private static string? Base64For(string? model) => model?.StartsWith("dall-e", StringComparison.OrdinalIgnoreCase) == true ? "b64_json" : null;

    private async Task<ImagesResponse> StoreAsync(ImagesResponse answer, string? model, string? prompt, AdapterContext context, CancellationToken cancellationToken)
    {
        var now = tasks.Time.GetUtcNow();
        var id = MediaTaskIds.New(MediaKinds.Image);
        var extension = answer.OutputFormat is { Length: > 0 } format ? format : "png";
        var results = new List<StoredResult>();
        for (var i = 0; i < (answer.Data?.Count ?? 0); i++)
        {
            var image = answer.Data![i];
            if (image.B64Json is not { Length: > 0 } base64)
            {
                continue;
            }
            var key = MediaKeys.For(id, $"{i}.{extension}");
            var length = await tasks.Storage.SaveAsync(key, "image/" + extension, new MemoryStream(Convert.FromBase64String(base64), writable: false), cancellationToken)
                .ConfigureAwait(false);
            results.Add(new StoredResult(i.ToString(System.Globalization.CultureInfo.InvariantCulture), key, "image/" + extension, length));
            image.B64Json = null;
            image.Url = publicBase + tasks.Links.PathFor(key);
        }
        await tasks.Store.InsertAsync(new MediaTask
        {
            Id = id,
            Kind = MediaKinds.Image,
            Platform = entry.Name,
            AccountId = context.Account?.Id,
            Model = model ?? "",
            LicenceId = licenceId,
            Status = MediaTaskStatus.Completed,
            Progress = 100,
            CreatedAt = now,
            UpdatedAt = now,
            StartedAt = now,
            CompletedAt = now,
            ExpiresAt = now + tasks.Media.Retention,
            Parameters = JsonSerializer.Serialize(new { prompt }),
            Results = StoredResult.ToJson(results),
            NextPollAt = now,
        }, cancellationToken).ConfigureAwait(false);
        return answer;
    }
}
