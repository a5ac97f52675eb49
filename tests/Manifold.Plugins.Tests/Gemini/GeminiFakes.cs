using Manifold.Contracts;
using Manifold.Plugins.Gemini;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Gemini;

/// <summary>Gemini platforms made as the host makes them, and Gemini's SSE framing for the fake upstream.</summary>
internal static class GeminiFakes
{
    public static IPlatform Platform(Uri? baseUrl, IReadOnlyList<string>? models = null, HttpClient? http = null) =>
        new GeminiPlugin().CreatePlatform(TestPlatforms.Settings("gemini", baseUrl, models), TestPlatforms.Services(http));

    public static void StartSse(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
    }

    /// <summary>Writes one event the way the Gemini API does, <c>data: json</c> and CRLF CRLF, flushed at once.</summary>
    public static async Task WriteEventAsync(HttpResponse response, string data)
    {
        await response.WriteAsync("data: " + data + "\r\n\r\n", response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    public static async Task ErrorAsync(HttpResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        await response.WriteAsync(body, response.HttpContext.RequestAborted);
    }
}
