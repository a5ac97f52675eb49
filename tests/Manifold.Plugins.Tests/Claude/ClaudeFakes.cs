using Manifold.Contracts;
using Manifold.Plugins.Claude;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.Claude;

/// <summary>Claude platforms made as the host makes them, and Anthropic's named SSE events for the fake upstream.</summary>
internal static class ClaudeFakes
{
    public static IPlatform Platform(Uri? baseUrl, IReadOnlyList<string>? models = null, HttpClient? http = null) =>
        new ClaudePlugin().CreatePlatform(TestPlatforms.Settings("claude", baseUrl, models), TestPlatforms.Services(http));

    /// <summary>Writes one event the way Anthropic does, <c>event: name</c> then <c>data: json</c>, flushed at once.</summary>
    public static async Task WriteEventAsync(HttpResponse response, string name, string data)
    {
        await response.WriteAsync("event: " + name + "\ndata: " + data + "\n\n", response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }
}
