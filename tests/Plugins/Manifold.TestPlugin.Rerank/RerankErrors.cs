using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Upstream;

namespace Manifold.TestPlugin.Rerank;

/// <summary>
/// Reads a reranker's error answer: Jina AI's <c>{"detail": "…"}</c> or Cohere's <c>{"message": "…"}</c>, else the body
/// summarised. The status is kept, so the host answers the caller with it (a 400 stays the caller's 400).
/// </summary>
internal static class RerankErrors
{
    public static async Task<UpstreamException> FromResponseAsync(
        HttpResponseMessage response, string platform, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await UpstreamErrorBody.ReadAsync(response.Content, cancellationToken);
        var message = Message(body) ?? UpstreamErrorBody.Summarize(response, platform, body);
        var type = status switch
        {
            400 or 404 or 422 => "invalid_request_error",
            401 or 403 => "authentication_error",
            429 => "rate_limit_error",
            _ => "upstream_error",
        };
        // A rejected or rate-limited key is that account's fault: another account may succeed.
        var retryable = RetryableStatuses.Contains(status);
        return new UpstreamException(status, type, UpstreamErrorBody.Redact(message, account), retryable: retryable);
    }

    private static string? Message(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            foreach (var name in new[] { "detail", "message" })
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
