using System.Net;

namespace Manifold.Host.Tests.Reliability.BadInput;

/// <summary>The error shape a caller's protocol (and so its SDK) parses.</summary>
public enum ErrorShape
{
    /// <summary><c>{"error":{"message","type","param","code"}}</c>: OpenAI's APIs, the admin API and <c>/v2</c>.</summary>
    OpenAI,

    /// <summary><c>{"type":"error","error":{"type","message"}}</c>.</summary>
    Anthropic,

    /// <summary><c>{"error":{"code","message","status"}}</c>.</summary>
    Gemini,
}

/// <summary>
/// One hostile request and what Manifold must answer: <paramref name="Status"/> in <paramref name="Shape"/>, naming
/// <paramref name="Field"/> (OpenAI's <c>param</c>, or in the message for protocols without one) when it is set.
/// </summary>
/// <param name="Name">Unique; the test's display argument.</param>
/// <param name="Body">Raw bytes (hostile input is often not valid UTF-8); null sends no body.</param>
/// <param name="ContentType">The Content-Type header; null sends none.</param>
/// <param name="Admin">Sends the admin key instead of the licence.</param>
public sealed record BadInputCase(
    string Name,
    string Method,
    string Path,
    byte[]? Body,
    ErrorShape Shape,
    HttpStatusCode Status = HttpStatusCode.BadRequest,
    string? Field = null,
    string? ContentType = "application/json",
    bool Admin = false)
{
    public override string ToString() => Name;
}
