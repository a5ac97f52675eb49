using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;

namespace Manifold.Conversion.Responses;

/// <summary>
/// A failure a Responses answer reports inside a 200 (a failed response, an <c>error</c> stream event) as the
/// exception the host renders in the caller's protocol. The status follows the error code: the codes OpenAI
/// documents are request faults except the server and rate-limit ones.
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
        var status = code switch
        {
            "server_error" => 500,
            "rate_limit_exceeded" => 429,
            "vector_store_timeout" => 504,
            null or "" => 502,
            _ => 400,
        };
        var type = status switch
        {
            400 => "invalid_request_error",
            429 => "rate_limit_error",
            _ => "server_error",
        };
        return new UpstreamException(status, type, string.IsNullOrEmpty(message) ? "The upstream response failed." : message,
            code: string.IsNullOrEmpty(code) ? null : code, retryable: UpstreamException.IsRetryableStatus(status));
    }
}
