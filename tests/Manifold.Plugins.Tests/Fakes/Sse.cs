using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Fakes;

/// <summary>Writes server-sent events the way OpenAI does: <c>data: {json}</c> (named or not) and a blank line, flushed at once.</summary>
internal static class Sse
{
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
    }

    public static async Task WriteAsync(HttpResponse response, string data)
    {
        await response.WriteAsync("data: " + data + "\n\n", response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    /// <summary>A named event, <c>event: {name}</c> then <c>data: {json}</c>, as the Responses API streams them.</summary>
    public static async Task WriteEventAsync(HttpResponse response, string name, string data)
    {
        await response.WriteAsync("event: " + name + "\ndata: " + data + "\n\n", response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }
}
