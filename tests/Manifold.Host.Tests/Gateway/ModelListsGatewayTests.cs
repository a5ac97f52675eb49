using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// Model lists in every client's shape, from every platform kind: Google's (<c>/v1beta/models</c>, and <c>/v1/models</c> for a
/// Gemini client), Anthropic's (<c>/v1/models</c> with <c>anthropic-version</c>) and OpenAI's (as before). The root merges
/// every platform's list; the host pages it (page tokens for Google, cursors for Anthropic). The loopback upstream lists
/// models as OpenAI, Anthropic and Google do.
/// </summary>
public sealed class ModelListsGatewayTests : IAsyncLifetime
{
    private const string OpenAIList = """
        {"object":"list","data":[
          {"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},
          {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]}
        """;

    private const string AnthropicList = """
        {"data":[
          {"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"},
          {"type":"model","id":"claude-opus-4-1","display_name":"Claude Opus 4.1","created_at":"2025-08-05T00:00:00Z"}],
         "has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-opus-4-1"}
        """;

    private const string GeminiList = """
        {"models":[
          {"name":"models/gemini-2.5-flash","version":"001","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens"],"thinking":true},
          {"name":"models/text-embedding-004","version":"004","displayName":"Text Embedding 004","supportedGenerationMethods":["embedContent"]}]}
        """;

    private const string GeminiModel = """
        {"name":"models/gemini-2.5-flash","version":"001","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens"]}
        """;

    // Every platform in configuration order (sorted by name): claude, compat, gemini, openai, sandbox. The compat platform
    // lists gpt-4o too (a proxy of OpenAI's models would): a merged list names it once, as the first platform listing it.
    private static readonly string[] AllIds = ["claude-sonnet-4-5", "claude-opus-4-1", "deepseek-chat", "gpt-4o", "gemini-2.5-flash", "gpt-4o-mini", "sandbox-echo"];

    private LoopbackUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app =>
        {
            // OpenAI's and Anthropic's lists share the path; Anthropic's clients (the claude plugin) send anthropic-version.
            app.MapGet("/v1/models", (HttpRequest request) =>
                Results.Text(request.Headers.ContainsKey("anthropic-version") ? AnthropicList : OpenAIList, "application/json"));
            app.MapGet("/v1/models/{id}", (string id) => id.StartsWith("claude-", StringComparison.Ordinal)
                ? Results.Text($$"""{"type":"model","id":"{{id}}","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}""", "application/json")
                : id.StartsWith("gpt-", StringComparison.Ordinal)
                    ? Results.Text($$"""{"id":"{{id}}","object":"model","created":1715367049,"owned_by":"system"}""", "application/json")
                    : Results.Text("""{"error":{"message":"The model does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}""", "application/json", statusCode: 404));
            app.MapGet("/compat/v1/models", () => Results.Text(
                """{"object":"list","data":[{"id":"deepseek-chat","object":"model","created":0,"owned_by":"deepseek"},{"id":"gpt-4o","object":"model","created":0,"owned_by":"proxy"}]}""",
                "application/json"));
            app.MapGet("/v1beta/models", () => Results.Text(GeminiList, "application/json"));
            app.MapGet("/v1beta/models/{model}", (string model) => model == "gemini-2.5-flash"
                ? Results.Text(GeminiModel, "application/json")
                : Results.Text("""{"error":{"code":404,"message":"models/nope is not found for API version v1beta","status":"NOT_FOUND"}}""", "application/json", statusCode: 404));
        });
        var root = _upstream.Root;
        _manifold = ManifoldFactory.WithEveryTextPlatform(root, new Dictionary<string, string?> { ["Manifold:Platforms:compat:Models:1"] = "gpt-4o" });
    }

    public async Task DisposeAsync()
    {
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    public enum Client
    {
        OpenAI,
        Anthropic,
        Gemini,
        GeminiByQuery,
    }

    /// <summary>A GET as each protocol's SDK sends it: Bearer; x-api-key with anthropic-version; x-goog-api-key; or ?key=.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> GetAsync(string path, Client client, string key = ManifoldFactory.LicenceKey)
    {
        using var http = _manifold.CreateClient();
        if (client == Client.GeminiByQuery)
        {
            path += (path.Contains('?') ? "&" : "?") + "key=" + key;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        switch (client)
        {
            case Client.OpenAI:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                break;
            case Client.Anthropic:
                request.Headers.Add("x-api-key", key);
                request.Headers.Add("anthropic-version", "2023-06-01");
                break;
            case Client.Gemini:
                request.Headers.Add("x-goog-api-key", key);
                break;
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text);
    }

    private static string[] Values(JsonNode body, string list, string key) =>
        body[list]!.AsArray().Select(item => item![key]!.GetValue<string>()).ToArray();

    [Theory]
    [InlineData("/v1beta/models", Client.Gemini)]
    [InlineData("/v1beta/models", Client.GeminiByQuery)]
    [InlineData("/v1beta/models", Client.OpenAI)]
    [InlineData("/v1/models", Client.Gemini)]
    [InlineData("/v1/models", Client.GeminiByQuery)]
    public async Task Gemini_clients_get_every_platforms_models_in_googles_shape(string path, Client client)
    {
        var (status, body, text) = await GetAsync(path, client);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(AllIds.Select(static id => "models/" + id), Values(body!, "models", "name"));
        Assert.False(body!.AsObject().ContainsKey("nextPageToken"));
        // The gemini platform's own models come as Google describes them; the others as Manifold knows them.
        var flash = body["models"]![4]!;
        Assert.Equal(("Gemini 2.5 Flash", 1048576), (flash["displayName"]!.GetValue<string>(), flash["inputTokenLimit"]!.GetValue<int>()));
        Assert.Equal(
            """{"name":"models/gpt-4o","baseModelId":"gpt-4o","version":"gpt-4o","displayName":"gpt-4o","supportedGenerationMethods":["generateContent","countTokens"]}""",
            body["models"]![3]!.ToJsonString());
    }

    [Fact]
    public async Task Gemini_pages_follow_page_tokens_to_the_end()
    {
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (status, body, text) = await GetAsync("/v1beta/models?pageSize=4" + (token is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(token)), Client.Gemini);
            Assert.True(status == HttpStatusCode.OK, text);
            names.AddRange(Values(body!, "models", "name"));
            token = body!["nextPageToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        Assert.Equal(2, pages);
        Assert.Equal(AllIds.Select(static id => "models/" + id), names);
    }

    [Fact]
    public async Task A_bad_page_token_is_googles_400()
    {
        var (status, body, text) = await GetAsync("/v1beta/models?pageToken=not-ours", Client.Gemini);

        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal("INVALID_ARGUMENT", body!["error"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gemini", "models/gemini-2.5-flash", "Gemini 2.5 Flash")]
    [InlineData("claude", "models/claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("openai", "models/gpt-4o", "gpt-4o")]
    [InlineData("sandbox", "models/sandbox-echo", "sandbox-echo")]
    [InlineData("compat", "models/deepseek-chat", "deepseek-chat")]
    public async Task Each_platform_lists_its_own_models_for_gemini_clients(string platform, string first, string displayName)
    {
        var (status, body, text) = await GetAsync($"/{platform}/v1beta/models", Client.Gemini);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(first, Values(body!, "models", "name")[0]);
        Assert.Equal(displayName, body!["models"]![0]!["displayName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash", Client.Gemini, "Gemini 2.5 Flash")]
    [InlineData("/v1beta/models/models%2Fgemini-2.5-flash", Client.Gemini, "Gemini 2.5 Flash")]
    [InlineData("/v1/models/gemini-2.5-flash", Client.Gemini, "Gemini 2.5 Flash")]
    [InlineData("/gemini/v1/models/gemini-2.5-flash", Client.GeminiByQuery, "Gemini 2.5 Flash")]
    [InlineData("/v1beta/models/gpt-4o", Client.Gemini, "gpt-4o")]
    [InlineData("/v1/models/claude-sonnet-4-5", Client.Gemini, "claude-sonnet-4-5")]
    [InlineData("/sandbox/v1beta/models/sandbox-echo", Client.Gemini, "sandbox-echo")]
    public async Task Gemini_clients_get_one_model_in_googles_shape(string path, Client client, string displayName)
    {
        var (status, body, text) = await GetAsync(path, client);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.StartsWith("models/", body!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(displayName, body["displayName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1beta/models/no-such-model")]
    [InlineData("/v1/models/no-such-model")]
    [InlineData("/v1beta/models/gemini-nope")]
    [InlineData("/sandbox/v1beta/models/gpt-4o")]
    public async Task An_unknown_model_is_googles_404(string path)
    {
        var (status, body, text) = await GetAsync(path, Client.Gemini);

        Assert.True(status == HttpStatusCode.NotFound, text);
        Assert.Equal(["code", "message", "status"], body!["error"]!.AsObject().Select(static p => p.Key));
        Assert.Equal("NOT_FOUND", body["error"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anthropic_clients_get_every_platforms_models_in_anthropics_shape()
    {
        var (status, body, text) = await GetAsync("/v1/models?limit=100", Client.Anthropic);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(AllIds, Values(body!, "data", "id"));
        Assert.False(body!["has_more"]!.GetValue<bool>());
        Assert.Equal(("claude-sonnet-4-5", "sandbox-echo"), (body["first_id"]!.GetValue<string>(), body["last_id"]!.GetValue<string>()));
        // The claude platform's own models as Anthropic describes them; the others as Manifold knows them.
        Assert.Equal("Claude Sonnet 4.5", body["data"]![0]!["display_name"]!.GetValue<string>());
        // gpt-4o comes from compat, the first platform listing it, which knows no creation time: the Unix epoch, as Anthropic says.
        Assert.Equal("""{"type":"model","id":"gpt-4o","display_name":"gpt-4o","created_at":"1970-01-01T00:00:00Z","capabilities":null,"deprecated_at":null,"lifecycle":"active","line":null,"max_input_tokens":null,"max_tokens":null,"retires_at":null}""", body["data"]![3]!.ToJsonString());
        Assert.Equal("2024-07-16T23:32:21Z", body["data"]![5]!["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anthropic_pages_follow_after_id_and_before_id()
    {
        var (_, first, _) = await GetAsync("/v1/models", Client.Anthropic);
        // Anthropic's default page is 20: everything fits.
        Assert.Equal(AllIds.Length, first!["data"]!.AsArray().Count);

        var (_, page1, _) = await GetAsync("/v1/models?limit=4", Client.Anthropic);
        Assert.Equal(AllIds[..4], Values(page1!, "data", "id"));
        Assert.True(page1!["has_more"]!.GetValue<bool>());

        var (status, page2, text) = await GetAsync("/v1/models?limit=4&after_id=" + page1["last_id"]!.GetValue<string>(), Client.Anthropic);
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(AllIds[4..], Values(page2!, "data", "id"));
        Assert.False(page2!["has_more"]!.GetValue<bool>());

        var (_, back, _) = await GetAsync("/v1/models?limit=2&before_id=" + page2["first_id"]!.GetValue<string>(), Client.Anthropic);
        Assert.Equal(AllIds[2..4], Values(back!, "data", "id"));
        Assert.True(back!["has_more"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?limit=many")]
    public async Task A_limit_out_of_range_is_anthropics_400(string query)
    {
        var (status, body, text) = await GetAsync("/v1/models" + query, Client.Anthropic);

        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal("invalid_request_error", body!["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("claude", "Claude Sonnet 4.5")]
    [InlineData("gemini", "gemini-2.5-flash")]
    [InlineData("openai", "gpt-4o")]
    [InlineData("sandbox", "sandbox-echo")]
    [InlineData("compat", "deepseek-chat")]
    public async Task Each_platform_lists_its_own_models_for_anthropic_clients(string platform, string displayName)
    {
        var (status, body, text) = await GetAsync($"/{platform}/v1/models", Client.Anthropic);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(displayName, body!["data"]![0]!["display_name"]!.GetValue<string>());
        Assert.Equal("model", body["data"]![0]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/models/claude-sonnet-4-5", "Claude Sonnet 4.5")]
    [InlineData("/claude/v1/models/claude-sonnet-4-5", "Claude Sonnet 4.5")]
    [InlineData("/v1/models/gpt-4o", "gpt-4o")]
    [InlineData("/v1/models/gemini-2.5-flash", "gemini-2.5-flash")]
    public async Task Anthropic_clients_get_one_model_in_anthropics_shape(string path, string displayName)
    {
        var (status, body, text) = await GetAsync(path, Client.Anthropic);

        Assert.True(status == HttpStatusCode.OK, text);
        // Every field @anthropic-ai/sdk's ModelInfo declares, null where Manifold does not know.
        Assert.Equal(
            ["type", "id", "display_name", "created_at", "capabilities", "deprecated_at", "lifecycle", "line", "max_input_tokens", "max_tokens", "retires_at"],
            body!.AsObject().Select(static p => p.Key));
        Assert.Equal(displayName, body["display_name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/models/no-such-model")]
    [InlineData("/sandbox/v1/models/claude-sonnet-4-5")]
    public async Task An_unknown_model_is_anthropics_404(string path)
    {
        var (status, body, text) = await GetAsync(path, Client.Anthropic);

        Assert.True(status == HttpStatusCode.NotFound, text);
        Assert.Equal("error", body!["type"]!.GetValue<string>());
        Assert.Equal("not_found_error", body["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Openai_clients_keep_openais_shape_even_with_a_google_key_beside_their_bearer()
    {
        using var http = _manifold.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ManifoldFactory.LicenceKey);
        request.Headers.Add("x-goog-api-key", "anything");
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("list", body["object"]!.GetValue<string>());
        // OpenAI's list keeps what every platform says, repeats included, as before.
        Assert.Equal(["claude-sonnet-4-5", "claude-opus-4-1", "deepseek-chat", "gpt-4o", "gemini-2.5-flash", "gpt-4o", "gpt-4o-mini", "sandbox-echo"], Values(body, "data", "id"));
        var (status, one, _) = await GetAsync("/v1/models/gpt-4o", Client.OpenAI);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("model", one!["object"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(Client.Anthropic)]
    [InlineData(Client.Gemini)]
    [InlineData(Client.OpenAI)]
    public async Task A_wrong_licence_is_refused_in_the_clients_own_shape(Client client)
    {
        var (status, body, text) = await GetAsync("/v1/models", client, key: "not-a-licence");

        Assert.True(status == HttpStatusCode.Unauthorized, text);
        switch (client)
        {
            case Client.Anthropic:
                Assert.Equal("authentication_error", body!["error"]!["type"]!.GetValue<string>());
                break;
            case Client.Gemini:
                Assert.Equal("UNAUTHENTICATED", body!["error"]!["status"]!.GetValue<string>());
                break;
            default:
                Assert.Equal("invalid_api_key", body!["error"]!["code"]!.GetValue<string>());
                break;
        }
    }

    [Fact]
    public async Task The_openapi_document_still_builds_with_every_models_route()
    {
        var (status, body, text) = await GetAsync("/openapi/v1.json", Client.OpenAI);

        Assert.True(status == HttpStatusCode.OK, text);
        var paths = body!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/v1beta/models") && paths.ContainsKey("/v1/models") && paths.ContainsKey("/v1beta/models/{model}"), string.Join(", ", paths.Select(static p => p.Key)));
        Assert.Contains(body["paths"]!["/v1beta/models"]!["get"]!["parameters"]!.AsArray(), static p => p!["name"]!.GetValue<string>() == "pageToken");
    }
}
