using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// OpenAI's Videos API served by Google's Veo, through the Gemini API's long-running operations:
/// <c>POST {base}/v1beta/models/{model}:predictLongRunning</c> submits (<see cref="VeoMapping"/> converts the request),
/// <c>GET {base}/v1beta/{operation name}</c> polls, and the finished operation's <c>video.uri</c> is downloaded. The
/// operation's name is the job's upstream id, and everything else is read from a fresh GET of it, so this platform keeps
/// nothing and a job outlives a restart of the gateway. Veo makes no thumbnails or spritesheets, cannot remix, and has
/// nothing to delete or list; the host's task layer keeps the jobs and their files.
/// </summary>
internal sealed class VeoPlatform : IPlatform, IVideosAdapter
{
    private const string Json = UpstreamClient.Json;

    // A download answers at most a redirect or two (Google: one, to signed storage); more is a loop.
    private const int MaxRedirects = 5;

    private readonly UpstreamClient _upstream;
    private readonly GeminiEndpoints _endpoints;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _baseUrl;

    private readonly HttpClient? _clientUrls;

    public VeoPlatform(PlatformSettings settings, Uri baseUrl, IReadOnlyList<string> defaultModels, HttpClient http, TimeProvider time, HttpClient? clientUrls = null)
    {
        Name = settings.Name;
        DefaultModels = defaultModels;
        _upstream = GeminiUpstream.Create(http, Name);
        _endpoints = new GeminiEndpoints(baseUrl);
        _http = http;
        _clientUrls = clientUrls;
        _time = time;
        _baseUrl = baseUrl;
    }

    public string Name { get; }

    public IReadOnlyList<string> DefaultModels { get; }

    public async Task<Video> CreateVideoAsync(CreateVideoRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        var model = request.Model is { Length: > 0 } named
            ? GeminiModelResources.IdOf(named)
            : throw new UpstreamException(400, "invalid_request_error", "Missing required parameter: 'model' (a Veo model, e.g. veo-3.1-generate-preview).", "model", "missing_required_parameter");
        // The cheap refusals first: a wrong size or length never costs reading the reference image.
        var parameters = VeoMapping.Map(model, request.Size, request.Seconds, request.AdditionalProperties);
        var image = await VeoReference.ReadAsync(request.InputReference?.ObjectValue, files, _clientUrls, cancellationToken).ConfigureAwait(false);

        using var response = await _upstream.SendAsync(
            HttpMethod.Post, _endpoints.PredictLongRunning(model), Body(request.Prompt, image, parameters), Json, context, cancellationToken).ConfigureAwait(false);
        var operation = await _upstream.ReadJsonAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
        var name = operation.ValueKind == JsonValueKind.Object && operation.TryGetProperty("name", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()! : "";
        if (VeoOperation.TryParse(name) is null)
        {
            throw new UpstreamException(502, "upstream_error", $"Upstream of platform '{Name}' started no operation Manifold can follow (name '{UpstreamErrorBody.Truncate(name)}').");
        }
        return VeoMapping.Submitted(name, model, request.Prompt, parameters, _time.GetUtcNow());
    }

    public async Task<Video> RetrieveVideoAsync(string videoId, bool detail, AdapterContext context, CancellationToken cancellationToken)
    {
        var operation = VeoOperation.Parse(videoId);
        return VeoMapping.Polled(videoId, operation.Model, await PollAsync(operation, context, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Veo's operations are not listed here: the host lists its own jobs.</summary>
    public Task<VideoList> ListVideosAsync(long limit, string order, string? after, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new VideoList { Data = [], HasMore = false });

    /// <summary>
    /// Nothing upstream to delete: the Gemini API has no call that deletes a Veo operation or its video (Google drops the
    /// generated file by itself after two days), and the host deletes its own copy. So this only confirms.
    /// </summary>
    public Task<DeletedVideo> DeleteVideoAsync(string videoId, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new DeletedVideo { Id = VeoOperation.Parse(videoId).Name, Deleted = true });

    /// <summary>
    /// The video of a finished operation: polled afresh (nothing is cached, so this works after a restart), then its first
    /// sample downloaded, unbuffered; the caller disposes the content, and with it the upstream response. Veo makes only the
    /// video: a thumbnail or spritesheet is a 404.
    /// </summary>
    public async Task<BinaryContent> RetrieveVideoContentAsync(string videoId, string variant, AdapterContext context, CancellationToken cancellationToken)
    {
        if (variant != "video")
        {
            throw new UpstreamException(404, "invalid_request_error", $"Veo makes no {variant}; only the video itself can be downloaded.", "variant", "not_found");
        }
        var operation = VeoOperation.Parse(videoId);
        var outcome = await PollAsync(operation, context, cancellationToken).ConfigureAwait(false);
        if (outcome.VideoUri is not { } uri)
        {
            throw new UpstreamException(404, "invalid_request_error", outcome.Error is { } error
                ? $"Video '{videoId}' failed ({error.Code}); it has no content."
                : $"Video '{videoId}' is not ready yet.", "video_id", outcome.Error is null ? "video_not_ready" : "not_found");
        }
        return await DownloadAsync(uri, context.Account, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Veo cannot remix. (Veo 3.1's video extension continues a Veo video with a new prompt, which is not what a remix is: a
    /// remix changes the video, an extension makes it longer.)
    /// </summary>
    public Task<Video> RemixVideoAsync(string videoId, RemixVideoRequest request, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromException<Video>(new UpstreamException(400, "invalid_request_error", "Veo cannot remix a video: the veo platform makes new videos only.", null, "unsupported_operation"));

    private async Task<VeoMapping.Outcome> PollAsync(VeoOperation operation, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await _upstream.SendAsync(HttpMethod.Get, _endpoints.Operation(operation.Segments), null, Json, context, cancellationToken).ConfigureAwait(false);
        return VeoMapping.Read(await _upstream.ReadJsonAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>GET {uri}</c>, following redirects. Google answers a redirect to signed storage on another host; a redirect
    /// handler (the host's, or this loop where the handler does not follow them) would carry a key header along to it, so
    /// the key goes in the query (<c>?key=</c>, which Google's APIs accept like the header) of the one request to the API's
    /// own host, and never in a header. The key is sent only to the platform's BaseUrl host: a uri elsewhere is refused.
    /// </summary>
    private async Task<BinaryContent> DownloadAsync(string uri, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var target) || target.Scheme is not ("https" or "http"))
        {
            throw new UpstreamException(502, "upstream_error", $"Upstream of platform '{Name}' named a video that is not at an http(s) address.");
        }
        if (Uri.Compare(target, _baseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new UpstreamException(502, "upstream_error",
                $"Upstream of platform '{Name}' named its video on {target.Host}, not on the platform's BaseUrl host ({_baseUrl.Host}); Manifold sends the platform's key to that host only.");
        }

        var response = await GetAsync(WithKey(target, account), account, cancellationToken).ConfigureAwait(false);
        for (var hops = 0; IsRedirect(response.StatusCode); hops++)
        {
            var from = response.RequestMessage?.RequestUri ?? target;
            var location = response.Headers.Location;
            response.Dispose();
            var next = location is null ? null : location.IsAbsoluteUri ? location : new Uri(from, location);
            if (hops == MaxRedirects || next is null || next.Scheme is not ("https" or "http") || (from.Scheme == "https" && next.Scheme == "http"))
            {
                throw new UpstreamException(502, "upstream_error", $"Upstream of platform '{Name}' redirected the video's download nowhere Manifold follows.", retryable: true);
            }
            // Only the first request carries the key (in its query); the redirect's target is signed, and gets nothing of ours.
            response = await GetAsync(next, account, cancellationToken).ConfigureAwait(false);
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await GeminiErrors.FromResponseAsync(response, Name, account, cancellationToken).ConfigureAwait(false);
            }
        }
        var headers = response.Content.Headers;
        var contentType = headers.ContentType?.ToString() is { Length: > 0 } type ? type : "video/mp4";
        var length = headers.ContentLength;
        var body = await UpstreamResponseStream.OpenAsync(response, Name, cancellationToken).ConfigureAwait(false);
        return new BinaryContent(body, contentType, length);
    }

    private async Task<HttpResponseMessage> GetAsync(Uri uri, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (UpstreamFailures.IsConnectionFailure(ex, cancellationToken))
        {
            // The address held the key: whatever the handler says about it must not.
            var unreachable = UpstreamException.Unreachable(Name, ex);
            if (account is { Key.Length: > 0 } && unreachable.Message.Contains(account.Key, StringComparison.Ordinal))
            {
                throw new UpstreamException(unreachable.StatusCode, unreachable.Type, UpstreamErrorBody.Redact(unreachable.Message, account), null, unreachable.Code, retryable: true);
            }
            throw unreachable;
        }
    }

    private static Uri WithKey(Uri uri, UpstreamAccount? account) => account is { Key.Length: > 0 }
        ? new Uri(uri.AbsoluteUri + (uri.Query.Length > 1 ? "&" : uri.Query.Length == 1 ? "" : "?") + "key=" + Uri.EscapeDataString(account.Key))
        : uri;

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>
    /// <c>{"instances": [{"prompt", "image"?}], "parameters": {...}?}</c>, written directly: the image goes in as base64
    /// straight from its bytes, without a string in between. Parameters the client left unset are not sent (Veo's defaults).
    /// </summary>
    private static ReadOnlyMemoryContent Body(string prompt, VeoImage? image, VeoMapping.Parameters parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + (image is null ? 0 : (image.Bytes.Length + 2) / 3 * 4));
        using (var json = new Utf8JsonWriter(buffer, ManifoldJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("instances");
            json.WriteStartObject();
            json.WriteString("prompt", prompt);
            if (image is not null)
            {
                json.WriteStartObject("image");
                json.WriteBase64String("bytesBase64Encoded", image.Bytes);
                json.WriteString("mimeType", image.MimeType);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndArray();
            if (parameters.AspectRatio is not null || parameters.Resolution is not null || parameters.DurationSeconds is not null || parameters.Extras.Count > 0)
            {
                json.WriteStartObject("parameters");
                if (parameters.AspectRatio is { } aspectRatio)
                {
                    json.WriteString("aspectRatio", aspectRatio);
                }
                if (parameters.Resolution is { } resolution)
                {
                    json.WriteString("resolution", resolution);
                }
                if (parameters.DurationSeconds is { } duration)
                {
                    json.WriteNumber("durationSeconds", duration);
                }
                foreach (var (name, value) in parameters.Extras)
                {
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue(Json);
        return content;
    }
}

/// <summary>
/// A Veo operation's resource name, <c>models/{model}/operations/{id}</c>, as the job's upstream id. Only that shape (or a
/// bare <c>operations/{id}</c>) is polled: an id that is neither is a video that does not exist, never a path to follow.
/// </summary>
internal sealed record VeoOperation(string Name, string Model, IReadOnlyList<string> Segments)
{
    public static VeoOperation? TryParse(string name)
    {
        var segments = name.Split('/');
        if (segments.Any(static s => s.Length == 0 || s is "." or ".."))
        {
            return null;
        }
        return segments switch
        {
            ["models", var model, "operations", _] => new VeoOperation(name, model, segments),
            ["operations", _] => new VeoOperation(name, "", segments),
            _ => null,
        };
    }

    public static VeoOperation Parse(string name) => TryParse(name)
        ?? throw new UpstreamException(404, "invalid_request_error", $"No video with id '{name}' exists.", "video_id", "not_found");
}
