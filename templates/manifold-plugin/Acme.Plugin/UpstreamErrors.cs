using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Upstream;

namespace Acme.Plugin;

/// <summary>
/// Reads the upstream's error answers, OpenAI's <c>{"error": {"message", "type", "param", "code"}}</c>, into the
/// <see cref="UpstreamException"/> the gateway renders in its caller's protocol and decides retries by.
/// </summary>
internal static class UpstreamErrors
{
    public static async Task<UpstreamException> ReadAsync(
        HttpResponseMessage response, string platform, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        // 429 and 5xx may pass on another account; so may 401 and 403, which fault this account's key, not the request.
        var retryable = RetryableStatuses.Contains(status);
        // Bounded, and tolerant of a connection that breaks while the error is read.
        var body = await UpstreamErrorBody.ReadAsync(response.Content, cancellationToken);

        string message;
        string type = "upstream_error";
        string? param = null, code = null;
        if (TryReadError(body, out var error) && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
        {
            message = text.GetString()!;
            type = StringOrNull(error, "type") ?? type;
            param = StringOrNull(error, "param");
            code = StringOrNull(error, "code");
        }
        else
        {
            // Not the documented shape (a proxy's HTML page, plain text): say what came back, shortened.
            message = UpstreamErrorBody.Summarize(response, platform, body);
        }

        // An upstream may quote the key back; what reaches clients and logs never holds it.
        return new UpstreamException(
            status,
            type,
            UpstreamErrorBody.Redact(message, account),
            param,
            code is null ? null : UpstreamErrorBody.Redact(code, account),
            retryable);
    }

    private static bool TryReadError(string body, out JsonElement error)
    {
        error = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var value)
                && value.ValueKind == JsonValueKind.Object)
            {
                error = value.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }

    private static string? StringOrNull(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
