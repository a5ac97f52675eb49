using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Admin;

/// <summary>
/// <c>/admin/api/licences</c> through the real host, and what the gateway then enforces: a created key works at once, a
/// revoked one stops at once, and a licence's models, platforms and expiry are refused in the caller's own protocol.
/// </summary>
public sealed class AdminLicenceTests : IDisposable
{
    private const string AdminKey = "mf-admin-key-0123456789abcdef0123456789";

    private readonly ManifoldFactory _manifold = new(new Dictionary<string, string?>
    {
        ["Manifold:Admin:Key"] = AdminKey,
        ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        ["Manifold:Platforms:other:Plugin"] = "sandbox",
    });

    public void Dispose() => _manifold.Dispose();

    private HttpClient Admin()
    {
        var client = _manifold.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private HttpClient Client(string key)
    {
        var client = _manifold.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient client, string path = "/v1/chat/completions", string model = "sandbox-echo") =>
        client.PostAsync(path, Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""));

    private async Task<(long Id, string Key)> CreateAsync(string body)
    {
        using var admin = Admin();
        var created = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json(body)), HttpStatusCode.Created);
        return (created["id"]!.GetValue<long>(), created["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_created_key_works_at_once_is_shown_once_and_stops_at_once_when_revoked()
    {
        using var admin = Admin();
        var created = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json("""{"name":"team-a"}""")), HttpStatusCode.Created);
        var key = created["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<long>();
        using var client = Client(key);

        var before = await ChatAsync(client);
        var list = await admin.GetStringAsync("/admin/api/licences");
        var one = await JsonAsync(await admin.GetAsync($"/admin/api/licences/{id}"));
        var revoked = await JsonAsync(await admin.DeleteAsync($"/admin/api/licences/{id}"));
        var after = await ChatAsync(client);
        var again = await admin.DeleteAsync($"/admin/api/licences/{id}");

        Assert.Equal(("licence", "team-a", "active"), (created["object"]!.GetValue<string>(), created["name"]!.GetValue<string>(), created["status"]!.GetValue<string>()));
        Assert.StartsWith(created["key_prefix"]!.GetValue<string>(), key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.Contains("\"team-a\"", list, StringComparison.Ordinal);
        Assert.Null(one["key"]);
        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Without_the_admin_key_or_with_a_licence_the_admin_api_is_a_401_and_without_a_configured_key_it_is_off()
    {
        using var anonymous = _manifold.CreateClient();
        using var licence = _manifold.CreateAuthorizedClient();
        using var off = new ManifoldFactory(new Dictionary<string, string?> { ["Manifold:Platforms:sandbox:Plugin"] = "sandbox" });
        using var offClient = off.CreateAuthorizedClient();

        var missing = await JsonAsync(await anonymous.GetAsync("/admin/api/licences"), HttpStatusCode.Unauthorized);
        var wrong = await JsonAsync(await licence.GetAsync("/admin/api/licences"), HttpStatusCode.Unauthorized);

        Assert.Equal("invalid_admin_key", missing["error"]!["code"]!.GetValue<string>());
        Assert.Equal("invalid_admin_key", wrong["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(ManifoldFactory.LicenceKey, wrong.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await offClient.GetAsync("/admin/api/licences")).StatusCode);
    }

    [Fact]
    public async Task Models_and_platforms_are_enforced_as_403s_in_the_callers_protocol()
    {
        var (_, key) = await CreateAsync("""{"name":"narrow","models":["sandbox-e*"],"platforms":["sandbox"]}""");
        using var client = Client(key);
        using var anthropic = _manifold.CreateClient();
        anthropic.DefaultRequestHeaders.Add("x-api-key", key);
        anthropic.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        var allowed = await ChatAsync(client);
        var otherModel = await JsonAsync(await ChatAsync(client, model: "sandbox-other"), HttpStatusCode.Forbidden);
        var otherPlatform = await JsonAsync(await ChatAsync(client, "/other/v1/chat/completions"), HttpStatusCode.Forbidden);
        var asAnthropic = await JsonAsync(await anthropic.PostAsync("/v1/messages",
            Json("""{"model":"sandbox-other","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(("model_not_allowed", "model"), (otherModel["error"]!["code"]!.GetValue<string>(), otherModel["error"]!["param"]!.GetValue<string>()));
        Assert.Equal("platform_not_allowed", otherPlatform["error"]!["code"]!.GetValue<string>());
        Assert.Equal(("error", "permission_error"), (asAnthropic["type"]!.GetValue<string>(), asAnthropic["error"]!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_expired_licence_is_a_401_until_its_expiry_is_cleared_and_a_patch_changes_only_what_it_sends()
    {
        var (id, key) = await CreateAsync("""{"name":"temp","expires_at":"2020-01-01T00:00:00Z","limits":{"rpm":60}}""");
        using var client = Client(key);
        using var admin = Admin();

        var expired = await JsonAsync(await ChatAsync(client), HttpStatusCode.Unauthorized);
        var view = await JsonAsync(await admin.GetAsync($"/admin/api/licences/{id}"));
        var patched = await JsonAsync(await admin.PatchAsync($"/admin/api/licences/{id}", Json("""{"expires_at":null,"name":"permanent"}""")));
        var works = await ChatAsync(client);

        Assert.Equal("licence_expired", expired["error"]!["code"]!.GetValue<string>());
        Assert.Equal("expired", view["status"]!.GetValue<string>());
        Assert.Equal(("permanent", "active", 60), (patched["name"]!.GetValue<string>(), patched["status"]!.GetValue<string>(), patched["limits"]!["rpm"]!.GetValue<int>()));
        Assert.Null(patched["expires_at"]);
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task Rpm_and_concurrency_limits_are_429s_with_retry_after_in_the_callers_protocol_and_a_patch_lifts_them()
    {
        var (id, key) = await CreateAsync("""{"name":"slow","limits":{"rpm":2}}""");
        using var client = Client(key);
        using var gemini = _manifold.CreateClient();
        gemini.DefaultRequestHeaders.Add("x-goog-api-key", key);
        using var admin = Admin();

        var first = await ChatAsync(client);
        var second = await ChatAsync(client);
        var third = await ChatAsync(client);
        var asGemini = await gemini.PostAsync("/v1beta/models/sandbox-echo:generateContent", Json("""{"contents":[{"parts":[{"text":"hi"}]}]}"""));
        await admin.PatchAsync($"/admin/api/licences/{id}", Json("""{"limits":null}"""));
        var lifted = await ChatAsync(client);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var error = await JsonAsync(third, (HttpStatusCode)429);
        Assert.Equal("rate_limit_exceeded", error["error"]!["code"]!.GetValue<string>());
        Assert.True(int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("RESOURCE_EXHAUSTED", (await JsonAsync(asGemini, (HttpStatusCode)429))["error"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
    }

    [Fact]
    public async Task A_concurrency_limit_refuses_the_request_over_it_while_a_stream_is_open_and_frees_when_it_ends()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await Fakes.LoopbackUpstream.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}""" + "\n\n");
            await http.Response.Body.FlushAsync();
            await release.Task;
            await http.Response.WriteAsync("data: [DONE]\n\n");
        }));
        using var gateway = ManifoldFactory.WithOpenAIUpstream(upstream.Root + "/v1", new Dictionary<string, string?> { ["Manifold:Admin:Key"] = AdminKey });
        using var admin = gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var created = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json("""{"name":"one-at-a-time","limits":{"concurrency":1}}""")), HttpStatusCode.Created);
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created["key"]!.GetValue<string>());
        using var open = new HttpRequestMessage(HttpMethod.Post, "/up/v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""),
        };

        using var streaming = await client.SendAsync(open, HttpCompletionOption.ResponseHeadersRead);
        var during = await client.PostAsync("/up/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        release.SetResult();
        var streamed = await streaming.Content.ReadAsStringAsync();
        HttpResponseMessage after;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            after = await client.PostAsync("/up/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        }
        while (after.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
        Assert.Contains("[DONE]", streamed, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)429, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData("""{"models":["x"]}""", "name")]
    [InlineData("""{"name":"a","colour":"red"}""", "colour")]
    [InlineData("""{"name":"a","models":["*gpt"]}""", "models[0]")]
    [InlineData("""{"name":"a","models":"gpt-4o"}""", "models")]
    [InlineData("""{"name":"a","platforms":["nowhere"]}""", "platforms[0]")]
    [InlineData("""{"name":"a","limits":{"rpm":0}}""", "limits")]
    [InlineData("""{"name":"a","quota":{"tokens":-1}}""", "quota")]
    [InlineData("""{"name":"a","expires_at":"tomorrow"}""", "expires_at")]
    [InlineData("""{"name":"bootstrap"}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    public async Task Bad_input_is_a_400_naming_the_field(string body, string param)
    {
        using var admin = Admin();

        var error = await JsonAsync(await admin.PostAsync("/admin/api/licences", Json(body)), HttpStatusCode.BadRequest);

        Assert.Equal(param, error["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_admin_api_is_in_the_openapi_document()
    {
        using var client = _manifold.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/admin/api/licences\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/admin/api/licences/{id}\"", document, StringComparison.Ordinal);
    }
}
