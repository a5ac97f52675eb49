using System.Net.Http.Headers;

namespace Manifold.Host.Webhooks;

/// <summary>
/// One signed POST of a webhook body, for every webhook Manifold sends (the operator's quota alerts and tasks' hooks):
/// JSON, the Standard Webhooks headers signed at the moment of sending, no redirects followed for a POST's sake beyond
/// what the client does. Answers the receiver's status, or null and why when it could not be reached.
/// </summary>
internal static class WebhookPost
{
    public static async Task<(int? Status, string? Error)> SendAsync(
        HttpClient client, string url, string id, byte[] body, ReadOnlyMemory<byte> key, long timestamp, string? bearer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            WebhookSignature.Apply(request, key.Span, id, timestamp, body);
            if (bearer is { Length: > 0 })
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"status {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // A refused address says why; other failures say what kind (never the URL, which may carry a token).
            return (null, Blocked(ex)?.Message ?? (ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.GetType().Name));
        }
    }

    private static Manifold.Contracts.Net.BlockedAddressException? Blocked(Exception ex) =>
        ex as Manifold.Contracts.Net.BlockedAddressException ?? (ex.InnerException is { } inner ? Blocked(inner) : null);
}
