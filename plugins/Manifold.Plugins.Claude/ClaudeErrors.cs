using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
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
        Create(AnthropicErrorTypes.StatusOf(type), type ?? FallbackType, message ?? $"Upstream of platform '{platform}' reported an error inside the stream.", account);

    private static UpstreamException Create(int status, string type, string message, UpstreamAccount? account) =>
        new(status, UpstreamErrorBody.Redact(type, account), UpstreamErrorBody.Redact(message, account), retryable: RetryableStatuses.Contains(status));

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
