using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Contracts.Upstream;

namespace Manifold.Conversion.Responses;

/// <summary>
/// A failure a Responses answer reports inside a 200 (a failed response, an <c>error</c> stream event) as the
/// exception the host renders in the caller's protocol. The status follows the error code (see <see cref="ResponsesFailureCodes"/>).
/// </summary>
internal static class ResponsesFailures
{
    /// <summary>An <c>error</c> event: code and message on the event, or in an error object under <c>error</c> (some proxies).</summary>
    public static UpstreamException From(ResponseStreamEvent errorEvent)
    {
        if (errorEvent.AdditionalProperties?.TryGetValue("error", out var nested) == true && nested.ValueKind == JsonValueKind.Object)
        {
            return From(Text(nested, "code"), Text(nested, "message"));
        }
        return From(errorEvent.Code, errorEvent.Message);

        static string? Text(JsonElement error, string name) =>
            error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    public static UpstreamException From(string? code, string? message)
    {
        var status = ResponsesFailureCodes.StatusOf(code);
        return new UpstreamException(status, OpenAIErrorTypes.ForStatus(status), string.IsNullOrEmpty(message) ? "The upstream response failed." : message,
            code: string.IsNullOrEmpty(code) ? null : code, retryable: RetryableStatuses.Contains(status));
    }
}
