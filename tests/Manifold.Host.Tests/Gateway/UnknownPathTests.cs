using System.Net;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// A path no endpoint serves is a 404 in the shape of the API it belongs to: Gemini's under <c>/v1beta</c> and for
/// <c>/v1/models/{model}:{method}</c>, Anthropic's under <c>/v1/messages</c>, OpenAI's elsewhere; under <c>/{platform}</c>
/// alike, and never an empty body (a dotted Gemini model name used to look like a static file to the fallback route).
/// A served path with the wrong method is a 405 instead (Reliability/Routes).
/// </summary>
public sealed class UnknownPathTests : IAsyncLifetime
{
    private ManifoldFactory _manifold = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _manifold = new ManifoldFactory(new Dictionary<string, string?>());
        _client = _manifold.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
    }

    [Theory]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash:fooBar")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash:embedContent")]
    [InlineData("GET", "/v1beta/cachedContents")]
    [InlineData("GET", "/v1beta")]
    [InlineData("POST", "/v1/models/gemini-2.5-flash:fooBar")]
    [InlineData("POST", "/v1/models/gemini-2.0-flash-001:batchEmbedContents")]
    [InlineData("POST", "/sandbox/v1beta/models/gemini-2.5-flash:fooBar")]
    [InlineData("POST", "/sandbox/v1/models/gemini-2.5-flash:fooBar")]
    [InlineData("POST", "/no-such-platform/v1beta/models/x:y")]
    [InlineData("POST", "/v1beta1/publishers/google/models/imagen-4.0-generate-001:rawPredict")]
    [InlineData("POST", "/v1/publishers/google/models/veo-3.1-generate-preview:fooBar")]
    public async Task Gemini_paths_answer_googles_404(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var error = await GatewayAssert.GeminiError(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/messages/foo")]
    [InlineData("POST", "/v1/messages/batches")]
    [InlineData("POST", "/sandbox/v1/messages/foo")]
    public async Task Anthropic_paths_answer_anthropics_404(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await GatewayAssert.AnthropicError(response, HttpStatusCode.NotFound, "not_found_error");
    }

    [Theory]
    [InlineData("POST", "/v1/embeddings")]
    [InlineData("GET", "/v1/files/file-abc.pdf")]
    [InlineData("GET", "/nothing.here")]
    [InlineData("POST", "/sandbox/v1/audio/speech")]
    public async Task Everything_else_answers_openais_404(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await GatewayAssert.OpenAIError(response, HttpStatusCode.NotFound, code: "unknown_url");
    }
}
