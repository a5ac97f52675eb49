using System.Globalization;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// A platform that speaks OpenAI's Videos API to its upstream, as documented: <c>POST {base}/videos</c> (always
/// <c>multipart/form-data</c>, as the official SDK sends it), <c>GET {base}/videos</c>, <c>GET|DELETE {base}/videos/{id}</c>,
/// <c>GET {base}/videos/{id}/content</c> and <c>POST {base}/videos/{id}/remix</c>. Ids are the upstream's: the host keeps
/// its own and calls this with the upstream's. Answers come back as the generated DTOs, unknown fields kept; content comes
/// back as the upstream's unbuffered body.
/// </summary>
internal sealed partial class SoraPlatform : IPlatform, IVideosAdapter
{
    private const string Json = UpstreamClient.Json;

    // What the official SDK asks the content endpoint for; the API answers the asset's own type (video/mp4, image/webp, ...).
    private const string Binary = "application/binary";

    private readonly UpstreamClient _upstream;
    private readonly Uri _baseUrl;
    private readonly Uri _videos;

    public SoraPlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http)
    {
        Name = settings.Name;
        DefaultModels = defaultModels;
        _upstream = OpenAIUpstream.Create(http, Name);
        _baseUrl = baseUrl;
        _videos = UpstreamUri.Join(baseUrl, "videos");
    }

    public string Name { get; }

    public IReadOnlyList<string> DefaultModels { get; }

    /// <summary>
    /// Always a multipart form, whether the client sent JSON or a form: model, prompt, seconds and size as text parts; the
    /// reference image as a file part (streamed from the host's temporary file, with its name and type) or, in its object
    /// form, as <c>input_reference[image_url]</c> / <c>input_reference[file_id]</c>; fields Manifold does not model as the
    /// SDK would encode them.
    /// </summary>
    public async Task<Video> CreateVideoAsync(CreateVideoRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        var form = new OpenAIForm();
        try
        {
            form.AddTextIfSet("model", request.Model);
            form.AddTextIfSet("prompt", request.Prompt);
            form.AddTextIfSet("seconds", request.Seconds);
            form.AddTextIfSet("size", request.Size);
            if (request.InputReference?.ObjectValue is { } reference)
            {
                form.AddTextIfSet("input_reference[image_url]", reference.ImageUrl);
                form.AddTextIfSet("input_reference[file_id]", reference.FileId);
                form.AddAdditional(reference.AdditionalProperties, "input_reference");
            }
            form.AddFiles(files);
            form.AddAdditional(request.AdditionalProperties);
        }
        catch
        {
            form.Dispose();
            throw;
        }

        // SendAsync owns the body from here: it is disposed with the request, files included, however the call ends.
        using var response = await _upstream.SendAsync(HttpMethod.Post, _videos, form.Content, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<Video>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<VideoList> ListVideosAsync(long limit, string order, string? after, AdapterContext context, CancellationToken cancellationToken)
    {
        var uri = WithQuery(_videos,
            ("limit", limit.ToString(CultureInfo.InvariantCulture)),
            ("order", order),
            ("after", after));
        using var response = await _upstream.SendAsync(HttpMethod.Get, uri, null, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<VideoList>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Video> RetrieveVideoAsync(string videoId, bool detail, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Get, Video(videoId), null, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<Video>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeletedVideo> DeleteVideoAsync(string videoId, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Delete, Video(videoId), null, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<DeletedVideo>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The asset as the upstream sends it: its body unbuffered, with its Content-Type and Content-Length. The caller owns
    /// the result: disposing it disposes the upstream response and releases the connection.
    /// </summary>
    public async Task<BinaryContent> RetrieveVideoContentAsync(string videoId, string variant, AdapterContext context, CancellationToken cancellationToken)
    {
        var uri = WithQuery(Video(videoId, "/content"), ("variant", variant));
        var response = await _upstream.SendAsync(HttpMethod.Get, uri, null, Binary, context, cancellationToken).ConfigureAwait(false);
        var headers = response.Content.Headers;
        var contentType = headers.ContentType?.ToString() is { Length: > 0 } type ? type : DefaultContentType(variant);
        var length = headers.ContentLength;
        var body = await UpstreamResponseStream.OpenAsync(response, Name, cancellationToken).ConfigureAwait(false);
        return new BinaryContent(body, contentType, length);
    }

    public async Task<Video> RemixVideoAsync(string videoId, RemixVideoRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Post, Video(videoId, "/remix"), UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<Video>(response, cancellationToken).ConfigureAwait(false);
    }

    private Uri Video(string videoId, string suffix = "") => UpstreamUri.Join(_baseUrl, "videos/" + Uri.EscapeDataString(videoId) + suffix);

    /// <summary>Adds query parameters (those with a value) after any the base URL already has (<c>?api-version=...</c>).</summary>
    private static Uri WithQuery(Uri uri, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var text = uri.AbsoluteUri;
        var separator = string.IsNullOrEmpty(uri.Query) ? '?' : '&';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            text += separator + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
            separator = '&';
        }
        return new Uri(text);
    }

    // Only for an upstream that names no type: what the API documents for each variant.
    private static string DefaultContentType(string variant) => variant switch
    {
        "thumbnail" => "image/webp",
        "spritesheet" => "image/jpeg",
        _ => "video/mp4",
    };
}
