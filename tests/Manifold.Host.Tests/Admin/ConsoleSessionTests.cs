using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Admin;

/// <summary>
/// The web console's server side without a browser (tests/Manifold.Console.Tests drives it in Chromium): its files and
/// deep links, off without an admin key, the sign-in's cookie and throttle, and <c>/admin/api/stats</c>.
/// </summary>
public sealed class ConsoleSessionTests : IDisposable
{
    private const string AdminKey = "mf-admin-key-console-0123456789abcdef";

    private readonly ManifoldFactory _manifold = new(new Dictionary<string, string?>
    {
        ["Manifold:Admin:Key"] = AdminKey,
        ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
    });

    public void Dispose() => _manifold.Dispose();

    private HttpClient Client(ManifoldFactory? factory = null) =>
        (factory ?? _manifold).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Without_an_admin_key_the_console_and_its_session_are_404()
    {
        using var off = new ManifoldFactory(new Dictionary<string, string?> { ["Manifold:Platforms:sandbox:Plugin"] = "sandbox" });
        using var client = Client(off);
        foreach (var path in new[] { "/admin", "/admin/", "/admin/licences", "/admin/app.css", "/admin/session" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/admin/session", Json($$"""{"key":"{{AdminKey}}"}"""))).StatusCode);
    }

    [Fact]
    public async Task The_shell_serves_every_deep_link_its_files_have_types_and_etags_and_unknown_api_paths_stay_json_404s()
    {
        using var client = Client();
        var root = await client.GetAsync("/admin");
        Assert.Equal((HttpStatusCode.Redirect, "/admin/"), (root.StatusCode, root.Headers.Location?.OriginalString));

        foreach (var path in new[] { "/admin/", "/admin/licences", "/admin/accounts", "/admin/tasks" })
        {
            var shell = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, shell.StatusCode);
            Assert.Equal("text/html", shell.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<base href=\"/admin/\">", await shell.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", shell.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        var script = await client.GetAsync("/admin/js/app.js");
        Assert.Equal(("text/javascript", HttpStatusCode.OK), (script.Content.Headers.ContentType?.MediaType, script.StatusCode));
        Assert.Contains("export function navigate", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/admin/js/app.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", script.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal("text/css", (await client.GetAsync("/admin/app.css")).Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/admin/js/missing.js")).StatusCode);
        var api = await client.GetAsync("/admin/api/nothing-here");
        Assert.Equal((HttpStatusCode.NotFound, "application/json"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task Sign_in_sets_a_signed_httponly_strict_cookie_under_admin_and_answers_the_csrf_token()
    {
        using var client = Client();
        var response = await client.PostAsync("/admin/session", Json($$"""{"key":"{{AdminKey}}"}"""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("manifold_console=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/admin", setCookie, StringComparison.OrdinalIgnoreCase);
        // Plain HTTP here; over HTTPS the cookie is Secure as well.
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AdminKey, setCookie, StringComparison.Ordinal);
        var token = setCookie["manifold_console=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
        var csrf = body["csrf_token"]!.GetValue<string>();
        Assert.NotEqual(token, csrf);

        using var read = new HttpRequestMessage(HttpMethod.Get, "/admin/session");
        read.Headers.Add("Cookie", $"manifold_console={token}");
        var session = JsonNode.Parse(await (await client.SendAsync(read)).Content.ReadAsStringAsync())!;
        Assert.Equal(csrf, session["csrf_token"]!.GetValue<string>());

        using var list = new HttpRequestMessage(HttpMethod.Get, "/admin/api/licences");
        list.Headers.Add("Cookie", $"manifold_console={token}");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(list)).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/admin/api/licences");
        forged.Headers.Add("Cookie", "manifold_console=not-a-session");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task A_session_signed_in_on_one_node_works_on_another_with_the_same_admin_key_and_on_none_with_another_key()
    {
        using var client = Client();
        var signIn = await client.PostAsync("/admin/session", Json($$"""{"key":"{{AdminKey}}"}"""));
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        var token = setCookie["manifold_console=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
        var csrf = JsonNode.Parse(await signIn.Content.ReadAsStringAsync())!["csrf_token"]!.GetValue<string>();

        // A second node (its own process state, the same configuration) behind the same load balancer.
        using var other = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey,
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        });
        using var otherClient = Client(other);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/api/licences") { Content = Json("""{"name":"made-on-node-b"}""") };
        create.Headers.Add("Cookie", $"manifold_console={token}");
        create.Headers.Add("X-CSRF-Token", csrf);
        Assert.Equal(HttpStatusCode.Created, (await otherClient.SendAsync(create)).StatusCode);

        // An operator who changes the admin key ends every session: a node with another key refuses the cookie.
        using var rekeyed = new ManifoldFactory(new Dictionary<string, string?>
        {
            ["Manifold:Admin:Key"] = AdminKey + "-rotated",
            ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        });
        using var rekeyedClient = Client(rekeyed);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/admin/api/licences");
        read.Headers.Add("Cookie", $"manifold_console={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await rekeyedClient.SendAsync(read)).StatusCode);

        // A cookie edited by hand (its times pushed forward) fails its signature.
        var parts = token.Split('.');
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]);
        payload[^1] ^= 0x40;
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/admin/api/licences");
        forged.Headers.Add("Cookie", $"manifold_console={System.Buffers.Text.Base64Url.EncodeToString(payload)}.{parts[1]}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);

        // Signing out ends the session on the node that served it.
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/admin/session");
        signOut.Headers.Add("Cookie", $"manifold_console={token}");
        signOut.Headers.Add("X-CSRF-Token", csrf);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(signOut)).StatusCode);
        using var after = new HttpRequestMessage(HttpMethod.Get, "/admin/session");
        after.Headers.Add("Cookie", $"manifold_console={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(after)).StatusCode);
    }

    [Fact]
    public void A_session_used_after_its_renewal_time_gets_a_new_cookie_and_ends_when_idle_or_at_its_maximum_age()
    {
        var time = new Clock();
        var sessions = new Manifold.Host.AdminConsole.ConsoleSessions(
            Microsoft.Extensions.Options.Options.Create(new Manifold.Host.Admin.AdminOptions { Key = AdminKey }), time);
        var (token, created) = sessions.Create();

        time.Advance(TimeSpan.FromMinutes(1));
        var early = sessions.Find(token)!;
        Assert.Null(early.RenewedToken);
        Assert.Equal(created.CsrfToken, early.CsrfToken);

        // Used 7 hours later: still live, and renewed for another 8 hours of idleness.
        time.Advance(TimeSpan.FromHours(7));
        var renewed = sessions.Find(token)!;
        Assert.NotNull(renewed.RenewedToken);
        Assert.Equal(created.CsrfToken, renewed.CsrfToken);
        Assert.Equal(time.GetUtcNow().AddHours(8), renewed.ExpiresAt);

        // The old cookie ends 8 hours after it was issued; the renewed one lives on.
        time.Advance(TimeSpan.FromHours(1.5));
        Assert.Null(sessions.Find(token));
        var current = renewed.RenewedToken!;
        Assert.NotNull(sessions.Find(current));

        // However often it is renewed, a session ends a day after sign-in.
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromHours(4));
            current = sessions.Find(current)?.RenewedToken ?? current;
        }
        Assert.Null(sessions.Find(current));
    }

    [Fact]
    public async Task Wrong_keys_are_refused_without_a_cookie_and_after_five_the_address_waits_even_with_the_right_key()
    {
        using var client = Client();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsync("/admin/session", Json($$"""{"key":"guess-{{i}}"}"""));
            var text = await wrong.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
            Assert.DoesNotContain($"guess-{i}", text, StringComparison.Ordinal);
        }
        var locked = await client.PostAsync("/admin/session", Json($$"""{"key":"{{AdminKey}}"}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.False(locked.Headers.Contains("Set-Cookie"));
        // The bearer key is not throttled by the console's sign-in: the API stays usable for scripts.
        using var admin = Client();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/api/licences")).StatusCode);

        var missing = await client.PostAsync("/admin/session", Json("{}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, missing.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_from_another_site_is_403()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/session") { Content = Json($$"""{"key":"{{AdminKey}}"}""") };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Stats_sum_the_request_log_per_bucket_with_empty_buckets_as_zeros()
    {
        using var gateway = _manifold.CreateAuthorizedClient();
        for (var i = 0; i < 3; i++)
        {
            var chat = await gateway.PostAsync("/sandbox/v1/chat/completions", Json("""{"model":"sandbox-echo","messages":[{"role":"user","content":"count me"}]}"""));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }
        using var admin = Client();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var from = to.AddMinutes(-30);
        var url = $"/admin/api/stats?bucket=minute&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        JsonNode stats;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            stats = JsonNode.Parse(await admin.GetStringAsync(url))!;
        }
        while (stats["totals"]!["requests"]!.GetValue<long>() < 3 && DateTime.UtcNow < deadline);

        Assert.Equal(("stats.series", "minute"), (stats["object"]!.GetValue<string>(), stats["bucket"]!.GetValue<string>()));
        var points = stats["data"]!.AsArray();
        Assert.InRange(points.Count, 30, 31);
        Assert.Equal(3, stats["totals"]!["requests"]!.GetValue<long>());
        Assert.Equal(3, points.Sum(p => p!["requests"]!.GetValue<long>()));
        Assert.Equal(stats["totals"]!["total_tokens"]!.GetValue<long>(), points.Sum(p => p!["total_tokens"]!.GetValue<long>()));
        Assert.True(stats["totals"]!["total_tokens"]!.GetValue<long>() > 0);
        Assert.Contains(points, p => p!["requests"]!.GetValue<long>() == 0);
        Assert.All(points.Where(p => p!["requests"]!.GetValue<long>() > 0), p => Assert.True(p!["latency_ms_max"]!.GetValue<double>() >= p["latency_ms_avg"]!.GetValue<double>()));

        foreach (var (query, param) in new[] { ("bucket=week", "bucket"), ("from=2026-01-02&to=2026-01-01", "from"), ("bucket=minute&from=2026-01-01&to=2026-02-01", "bucket"), ("platfrom=x", "platfrom") })
        {
            var bad = await admin.GetAsync($"/admin/api/stats?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(param, JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        }

        var document = await admin.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/admin/api/stats\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/admin/session\"", document, StringComparison.Ordinal);
    }

    /// <summary>A wall clock the test moves by hand.</summary>
    private sealed class Clock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
