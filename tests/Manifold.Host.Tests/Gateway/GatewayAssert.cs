using System.Net;
using System.Text.Json;

namespace Manifold.Host.Tests.Gateway;

/// <summary>Assertions on OpenAI-shaped error responses.</summary>
internal static class GatewayAssert
{
    /// <summary>Asserts the status and the OpenAI error shape, and returns the <c>error</c> object.</summary>
    public static async Task<JsonElement> OpenAIError(HttpResponseMessage response, HttpStatusCode status, string? param = null, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out var actualParam));
        Assert.True(error.TryGetProperty("code", out var actualCode));
        if (param is not null)
        {
            Assert.Equal(param, actualParam.GetString());
        }
        if (code is not null)
        {
            Assert.Equal(code, actualCode.GetString());
        }
        return error;
    }

    /// <summary>Asserts the status and Google's error shape, <c>{"error":{"code","message","status"}}</c>, and returns the <c>error</c> object.</summary>
    public static async Task<JsonElement> GeminiError(HttpResponseMessage response, HttpStatusCode status, string googleStatus)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.Equal(googleStatus, error.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(3, error.EnumerateObject().Count());
        return error;
    }

    /// <summary>Asserts the status and Anthropic's error shape, <c>{"type":"error","error":{"type","message"}}</c>, and returns the <c>error</c> object.</summary>
    public static async Task<JsonElement> AnthropicError(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    /// <summary>Reads an SSE body into its <c>data:</c> payloads.</summary>
    public static async Task<List<string>> SseData(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(static e => e.Trim())
            .Where(static e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(static e => e["data: ".Length..])
            .ToList();
    }
}
