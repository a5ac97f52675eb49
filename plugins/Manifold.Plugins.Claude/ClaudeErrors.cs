using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.Claude;

/// <summary>
/// Turns Anthropic's error answers, <c>{"type":"error","error":{"type","message"},"request_id"}</c>, into
/// <see cref="UpstreamException"/>s that keep Anthropic's error type. Bodies in another shape (a proxy's HTML
/// page) are summarised.
/// </summary>
internal static class ClaudeErrors
{
    private const string FallbackType = "upstream_error";

    /// <summary>Reads a non-2xx answer into the exception the host renders (and may fail over on).</summary>
    public static async Task<UpstreamException> FromResponseAsync(
        HttpResponseMessage response, string platform, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await UpstreamErrorBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (TryParse(body, out var type, out var message))
        {
            return Create(status, type, message, account);
        }
        return Create(status, FallbackType, UpstreamErrorBody.Summarize(response, platform, body), account);
    }

    /// <summary>
    /// An <c>error</c> event inside a 200 stream (e.g. overloaded_error at a busy time). It has no HTTP status of
    /// its own, so the status Anthropic documents for its type stands in: the host uses it when nothing has been
    /// relayed yet, to fail over, and to pick the caller's error shape.
    /// </summary>
    public static UpstreamException FromStreamError(string? type, string? message, string platform, UpstreamAccount? account) =>
        Create(StatusOf(type), type ?? FallbackType, message ?? $"Upstream of platform '{platform}' reported an error inside the stream.", account);

    private static UpstreamException Create(int status, string type, string message, UpstreamAccount? account)
    {
        // 429, 5xx and 529 (overloaded) pass; a rejected key (401) or a disabled account (403) is this account's
        // fault, not the request's, so another account may succeed.
        var retryable = UpstreamException.IsRetryableStatus(status) || status is 401 or 403;
        return new UpstreamException(status, UpstreamErrorBody.Redact(type, account), UpstreamErrorBody.Redact(message, account), retryable: retryable);
    }

    /// <summary>The HTTP status Anthropic answers each error type with.</summary>
    internal static int StatusOf(string? type) => type switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "api_error" => 500,
        "timeout_error" => 504,
        "overloaded_error" => 529,
        _ => 502,
    };

    private static bool TryParse(string body, out string type, out string message)
    {
        type = message = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                message = text.GetString()!;
                type = error.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString()! : FallbackType;
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the caller summarises the text instead.
        }
        return false;
    }
}
