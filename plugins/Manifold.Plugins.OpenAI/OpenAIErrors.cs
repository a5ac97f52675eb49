using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// Turns OpenAI's error answers, <c>{"error":{"message","type","param","code"}}</c>, into
/// <see cref="UpstreamException"/>s. Compatible services stray from that shape (plain-text or HTML bodies,
/// <c>"error": "text"</c>, numeric codes), so anything readable is kept and the rest is summarised.
/// </summary>
internal static class OpenAIErrors
{
    private const string FallbackType = "upstream_error";

    /// <summary>Reads a non-2xx answer into the exception the host renders (and may fail over on).</summary>
    public static async Task<UpstreamException> FromResponseAsync(
        HttpResponseMessage response, string platform, UpstreamAccount? account, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await UpstreamErrorBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);

        if (TryParseBody(body, out var error) && TryRead(error, out var message, out var type, out var param, out var code))
        {
            return Create(status, type ?? FallbackType, message, param, code, account);
        }

        return Create(status, FallbackType, UpstreamErrorBody.Summarize(response, platform, body), null, null, account);
    }

    /// <summary>
    /// An <c>error</c> object inside a 200 stream. It has no HTTP status of its own, so one is inferred from
    /// its type: the host uses it when nothing has been relayed yet, and to decide whether to fail over.
    /// </summary>
    public static UpstreamException FromStreamError(JsonElement error, string platform, UpstreamAccount? account)
    {
        if (!TryRead(error, out var message, out var type, out var param, out var code))
        {
            message = $"Upstream of platform '{platform}' reported an error inside the stream: {UpstreamErrorBody.Truncate(error.GetRawText())}";
        }
        return Create(OpenAIErrorTypes.StatusOf(type), type ?? FallbackType, message, param, code, account);
    }

    /// <summary>
    /// A failure a Responses stream reports after its 200: an <c>error</c> event, or the <c>response.error</c> of a
    /// <c>response.failed</c> event (see <see cref="ResponsesFailureCodes"/>).
    /// </summary>
    public static UpstreamException FromResponsesFailure(string? code, string? message, string? param, string platform, UpstreamAccount? account)
    {
        var status = ResponsesFailureCodes.StatusOf(code);
        if (string.IsNullOrEmpty(message))
        {
            message = $"Upstream of platform '{platform}' reported a failed response without a message.";
        }
        return Create(status, OpenAIErrorTypes.ForStatus(status), message, param, string.IsNullOrEmpty(code) ? null : code, account);
    }

    private static UpstreamException Create(int status, string type, string message, string? param, string? code, UpstreamAccount? account) =>
        new(status, Redact(type, account), Redact(message, account), RedactOrNull(param, account), RedactOrNull(code, account), RetryableStatuses.Contains(status));

    // OpenAI masks keys it echoes ("sk-abc***xyz"); a compatible service may not, and its text reaches clients and logs.
    private static string Redact(string text, UpstreamAccount? account) => UpstreamErrorBody.Redact(text, account);

    private static string? RedactOrNull(string? text, UpstreamAccount? account) => text is null ? null : Redact(text, account);

    private static bool TryParseBody(string body, out JsonElement error)
    {
        error = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var value))
            {
                error = value.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the caller summarises the text instead.
        }
        return false;
    }

    /// <summary>Reads OpenAI's error object, or the bare message string some compatible services send instead.</summary>
    private static bool TryRead(JsonElement error, out string message, out string? type, out string? param, out string? code)
    {
        type = param = code = null;
        switch (error.ValueKind)
        {
            case JsonValueKind.String:
                message = error.GetString()!;
                return true;
            case JsonValueKind.Object when error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String:
                message = text.GetString()!;
                type = Scalar(error, "type");
                param = Scalar(error, "param");
                code = Scalar(error, "code");
                return true;
            default:
                message = string.Empty;
                return false;
        }
    }

    // Some services send numeric codes ("code": 429); they are kept as their JSON text.
    private static string? Scalar(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
}
