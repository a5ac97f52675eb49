using System.Text.Json.Serialization;

namespace Manifold.Host.Admin;

/// <summary>The admin API's errors, in the shape OpenAI's API uses (<c>{"error": {message, type, param, code}}</c>), so one client library reads both.</summary>
internal static class AdminErrors
{
    public static IResult BadRequest(string message, string? param = null, string code = "invalid_value") =>
        Results.Json(new AdminError(new(message, "invalid_request_error", param, code)), AdminJson.Options, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string message) =>
        Results.Json(new AdminError(new(message, "invalid_request_error", null, "not_found")), AdminJson.Options, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string message, string code) =>
        Results.Json(new AdminError(new(message, "invalid_request_error", null, code)), AdminJson.Options, statusCode: StatusCodes.Status409Conflict);

    public static IResult Unauthorized(string message) =>
        Results.Json(new AdminError(new(message, "invalid_request_error", null, "invalid_admin_key")), AdminJson.Options, statusCode: StatusCodes.Status401Unauthorized);
}

internal sealed record AdminError([property: JsonPropertyName("error")] AdminErrorBody Error);

internal sealed record AdminErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string Code);
