using System.Net.Http.Headers;
using System.Text.Json;

namespace Manifold.Contracts.Upstream;

/// <summary>
/// The HTTP plumbing every first-party plugin shares: send with the account's credentials, return a 2xx
/// response with its body unread (a stream is read as it arrives, never buffered), turn anything else into
/// the platform's <see cref="UpstreamException"/>, and treat broken connections as an unreachable upstream.
/// What differs between platforms, how an account authenticates, how errors read and which header carries the
/// upstream's request id, is passed in.
/// </summary>
public sealed class UpstreamClient(
    HttpClient http,
    string platform,
    Action<HttpRequestMessage, UpstreamAccount> authorize,
    Func<HttpResponseMessage, UpstreamAccount?, CancellationToken, Task<UpstreamException>> readError,
    string? requestIdHeader = null)
{
    public const string Json = "application/json";
    public const string EventStream = "text/event-stream";

    public string Platform => platform;

    /// <summary>Sends a request and returns a 2xx response with its body unread; anything else becomes an <see cref="UpstreamException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, Uri uri, HttpContent? content, string accept, AdapterContext context, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (context.Account is { } account)
        {
            authorize(request, account);
        }
        configure?.Invoke(request);

        HttpResponseMessage response;
        try
        {
            // Headers only: a stream's body is read as it arrives, never buffered.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (UpstreamFailures.IsConnectionFailure(ex, cancellationToken))
        {
            throw UpstreamException.Unreachable(platform, ex);
        }

        var requestId = RequestId(response);
        if (response.IsSuccessStatusCode)
        {
            context.UpstreamRequestId = requestId;
            return response;
        }
        using (response)
        {
            var error = await readError(response, context.Account, cancellationToken).ConfigureAwait(false);
            error.UpstreamRequestId ??= requestId;
            error.RetryAfter ??= RetryAfterHeader.Read(response);
            throw error;
        }
    }

    private string? RequestId(HttpResponseMessage response) =>
        requestIdHeader is not null && response.Headers.TryGetValues(requestIdHeader, out var values) ? values.FirstOrDefault() : null;

    /// <summary>
    /// Reads a 2xx JSON body into <typeparamref name="T"/>, at most <see cref="UpstreamLimits.MaxResponseBytes"/> of it: a
    /// larger answer is an <see cref="UpstreamException.ResponseTooLarge"/> (told by its Content-Length before a byte is read,
    /// else once that many bytes have arrived), never a buffer that grows with it.
    /// </summary>
    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var maxBytes = UpstreamLimits.Of(response.Content).MaxResponseBytes;
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw UpstreamException.ResponseTooLarge(platform, maxBytes);
        }
        try
        {
            var body = new BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), maxBytes, platform);
            await using (body.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync<T>(body, ManifoldJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException($"The upstream answered null instead of a {typeof(T).Name} object.");
            }
        }
        catch (Exception ex) when (UpstreamFailures.IsConnectionFailure(ex, cancellationToken))
        {
            throw UpstreamException.Unreachable(platform, ex);
        }
    }

    /// <summary>
    /// A JSON request body, serialized up front rather than streamed: a Content-Length instead of chunked
    /// encoding, which some compatible servers and proxies reject. Unknown client fields ride along in
    /// AdditionalProperties.
    /// </summary>
    public static ByteArrayContent JsonBody<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, ManifoldJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue(Json);
        return content;
    }
}
