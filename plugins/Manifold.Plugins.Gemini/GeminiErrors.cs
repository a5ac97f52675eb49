using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.Gemini;

/// <summary>
/// Turns Google's error answers, <c>{"error":{"code","message","status","details"}}</c> (a JSON array of them from
/// the array-framed stream), into <see cref="UpstreamException"/>s. The canonical status (INVALID_ARGUMENT,
/// RESOURCE_EXHAUSTED, ...) is kept as the exception's code, so a Gemini client sees the upstream's own status.
/// </summary>
internal static class GeminiErrors
{
    /// <summary>Google's reason for a key it does not know: sent with 400, but a fault of the account, not of the request.</summary>
    private const string KeyInvalid = "API_KEY_INVALID";

    public static async Task<UpstreamException> FromResponseAsync(
        HttpResponseMessage response, string platform, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await UpstreamErrorBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (TryParseBody(body, out var error) && TryRead(error, out var message, out var googleStatus, out var reason))
        {
            return Create(status, message, googleStatus, reason, account);
        }
        return Create(status, UpstreamErrorBody.Summarize(response, platform, body), null, null, account);
    }

    /// <summary>An error object inside a 200 stream; its <c>code</c> is the HTTP status it stands for.</summary>
    public static UpstreamException FromStreamError(JsonElement error, string platform, UpstreamAccount? account)
    {
        if (!TryRead(error, out var message, out var googleStatus, out var reason))
        {
            message = $"Upstream of platform '{platform}' reported an error inside the stream: {UpstreamErrorBody.Truncate(error.GetRawText())}";
        }
        var status = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number)
            && number is >= 400 and < 600 ? number : 502;
        return Create(status, message, googleStatus, reason, account);
    }

    private static UpstreamException Create(int status, string message, string? googleStatus, string? reason, UpstreamAccount? account)
    {
        // Google answers an unknown key with a 400, but like a rejected one (401, 403) it is the account's fault: another may work.
        var retryable = RetryableStatuses.Contains(status) || reason == KeyInvalid;
        // The type OpenAI would give the status, for clients of other protocols; Gemini clients see Google's status (the code).
        return new UpstreamException(status, OpenAIErrorTypes.ForStatus(status), UpstreamErrorBody.Redact(message, account), null,
            googleStatus is null ? null : UpstreamErrorBody.Redact(googleStatus, account), retryable);
    }

    private static bool TryParseBody(string body, out JsonElement error)
    {
        error = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            // streamGenerateContent without alt=sse answers errors inside its array, as [{"error": {...}}].
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var value))
            {
                error = value.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the caller summarises the text instead.
        }
        return false;
    }

    private static bool TryRead(JsonElement error, out string message, out string? googleStatus, out string? reason)
    {
        googleStatus = reason = null;
        if (error.ValueKind == JsonValueKind.String)
        {
            // A proxy's {"error": "text"}: the text is the message.
            message = error.GetString()!;
            return true;
        }
        if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("message", out var text) || text.ValueKind != JsonValueKind.String)
        {
            message = string.Empty;
            return false;
        }
        message = text.GetString()!;
        if (error.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
        {
            googleStatus = status.GetString();
        }
        if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("reason", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    reason = value.GetString();
                    break;
                }
            }
        }
        return true;
    }
}
