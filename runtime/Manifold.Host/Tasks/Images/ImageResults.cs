using System.Globalization;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Media;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks.Images;

/// <summary>
/// Images in Manifold's storage: kept from a platform's base64 answer, and read back as an ImagesResponse's <c>data</c>,
/// as signed links or as base64, whichever the client asked for.
/// </summary>
internal static class ImageResults
{
    /// <summary>Keeps each base64 image of <paramref name="answer"/> under job <paramref name="id"/>; the answer is left as it was.</summary>
    public static async Task<List<StoredResult>> SaveAsync(MediaTasks tasks, string id, ImagesResponse answer, CancellationToken cancellationToken)
    {
        var format = answer.OutputFormat is { Length: > 0 } declared ? declared : "png";
        var results = new List<StoredResult>();
        for (var i = 0; i < (answer.Data?.Count ?? 0); i++)
        {
            if (answer.Data![i].B64Json is not { Length: > 0 } base64)
            {
                continue;
            }
            var variant = i.ToString(CultureInfo.InvariantCulture);
            var key = MediaKeys.For(id, $"{variant}.{format}");
            var bytes = Convert.FromBase64String(base64);
            var length = await tasks.Storage.SaveAsync(key, "image/" + format, new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
            results.Add(new StoredResult(variant, key, "image/" + format, length));
        }
        return results;
    }

    /// <summary>The stored images as <c>data</c>: links that work without a licence, or (the API's default) base64.</summary>
    public static async Task<List<Image>> ReadAsync(MediaTasks tasks, IReadOnlyList<StoredResult> results, string? responseFormat, string publicBase, CancellationToken cancellationToken)
    {
        var data = new List<Image>(results.Count);
        foreach (var result in results)
        {
            if (responseFormat == "url")
            {
                data.Add(new Image { Url = publicBase + tasks.Links.PathFor(result.Key) });
                continue;
            }
            var stored = await tasks.Storage.OpenAsync(result.Key, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }
            await using (stored.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream(stored.Length is > 0 and < int.MaxValue ? (int)stored.Length : 0);
                await stored.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                data.Add(new Image { B64Json = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length) });
            }
        }
        return data;
    }
}
