using System.Net;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Reliability.Routes;

/// <summary>
/// A served path with a method it does not take is a 405 listing the methods it takes in <c>Allow</c>, in the shape of the
/// API the path belongs to (ASP.NET Core's own 405 is empty, and the fallback route turned it into a 404); a Gemini path
/// whose custom method is unknown stays a 404, even though a GET of the model has the same shape.
/// </summary>
public sealed class MethodNotAllowedTests : IAsyncLifetime
{
    private const string AdminKey = "mf-admin-routes";
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _manifold = new ManifoldFactory(new Dictionary<string, string?> { ["Manifold:Admin:Key"] = AdminKey });
        _client = _manifold.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string key = ManifoldFactory.LicenceKey)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new("Bearer", key);
        return await _client.SendAsync(request);
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("DELETE", "/v1/responses", "POST")]
    [InlineData("PUT", "/sandbox/v1/chat/completions", "POST")]
    [InlineData("PATCH", "/v1/videos", "GET, POST")]
    [InlineData("PUT", "/v2/images/generations", "POST")]
    public async Task OpenAI_paths_answer_openais_405_with_allow(string method, string path, string allow)
    {
        using var response = await SendAsync(method, path);

        var error = await GatewayAssert.OpenAIError(response, HttpStatusCode.MethodNotAllowed, code: "method_not_allowed");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Contains(method, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/messages")]
    [InlineData("PUT", "/sandbox/v1/messages/count_tokens")]
    public async Task Anthropic_paths_answer_anthropics_405_with_allow(string method, string path)
    {
        using var response = await SendAsync(method, path);

        await GatewayAssert.AnthropicError(response, HttpStatusCode.MethodNotAllowed, "invalid_request_error");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("DELETE", "/v1beta/models/gemini-2.5-flash:streamGenerateContent")]
    [InlineData("PUT", "/sandbox/v1beta/models/gemini-2.5-flash:countTokens")]
    public async Task Gemini_paths_answer_googles_405_with_allow(string method, string path)
    {
        using var response = await SendAsync(method, path);

        var error = await GatewayAssert.GeminiError(response, HttpStatusCode.MethodNotAllowed, "INVALID_ARGUMENT");
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_paths_answer_a_405_with_allow()
    {
        using var response = await SendAsync("DELETE", "/admin/api/licences", AdminKey);

        await GatewayAssert.OpenAIError(response, HttpStatusCode.MethodNotAllowed, code: "method_not_allowed");
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:fooBar")]
    [InlineData("/v1/models/gemini-2.5-flash:fooBar")]
    public async Task An_unknown_gemini_method_is_a_404_not_a_405(string path)
    {
        using var response = await SendAsync("POST", path);

        await GatewayAssert.GeminiError(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty(response.Content.Headers.Allow);
    }
}
