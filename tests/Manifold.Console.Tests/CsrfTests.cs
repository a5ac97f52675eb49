using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Manifold.Console.Tests;

/// <summary>The session cookie alone never changes anything: writes need the session's CSRF token and a same-origin request.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CsrfTests(ConsoleBrowser browser)
{
    [SkippableFact]
    public async Task A_write_with_the_cookie_but_without_the_csrf_token_or_from_another_site_is_403()
    {
        browser.RequireBrowser();
        var page = await ConsolePages.SignedInAsync(browser);

        // The page's own origin, the cookie sent, but no X-CSRF-Token: refused, and nothing was created.
        var status = await page.EvaluateAsync<int>("""
            () => fetch('api/licences', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'csrf-page' }) })
                .then(r => r.status)
            """);
        Assert.Equal(403, status);

        var cookie = Assert.Single(await page.Context.CookiesAsync()).Value;
        using var client = browser.Host.CreateClient();
        var csrf = (await Send(client, HttpMethod.Get, "admin/session", cookie)).Body["csrf_token"]!.GetValue<string>();

        // As another site's form or script would send it: the cookie, no token.
        var crossSite = await Send(client, HttpMethod.Post, "admin/api/licences", cookie, new JsonObject { ["name"] = "csrf-cross-site" },
            ("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site"));
        Assert.Equal((HttpStatusCode.Forbidden, "csrf_failed"), (crossSite.Status, crossSite.Body["error"]!["code"]!.GetValue<string>()));
        // Even with the token, another origin is refused.
        var otherOrigin = await Send(client, HttpMethod.Post, "admin/api/licences", cookie, new JsonObject { ["name"] = "csrf-origin" },
            ("Origin", "http://evil.example"), ("X-CSRF-Token", csrf));
        Assert.Equal(HttpStatusCode.Forbidden, otherOrigin.Status);
        // A wrong token is no token.
        var wrongToken = await Send(client, HttpMethod.Delete, "admin/api/licences/1", cookie, null, ("X-CSRF-Token", csrf + "x"));
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.Status);

        // The same cookie with its token, from the console's origin, is let through; reads need no token.
        var allowed = await Send(client, HttpMethod.Post, "admin/api/licences", cookie, new JsonObject { ["name"] = "csrf-allowed" },
            ("Origin", browser.Host.BaseAddress.GetLeftPart(UriPartial.Authority)), ("Sec-Fetch-Site", "same-origin"), ("X-CSRF-Token", csrf));
        Assert.Equal(HttpStatusCode.Created, allowed.Status);
        var list = await Send(client, HttpMethod.Get, "admin/api/licences", cookie);
        var names = list.Body["data"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("csrf-allowed", names);
        Assert.DoesNotContain("csrf-page", names);
        Assert.DoesNotContain("csrf-cross-site", names);
        Assert.DoesNotContain("csrf-origin", names);

        // The admin key as a bearer still works as before; a licence key is never an admin credential.
        using var admin = browser.Host.CreateClient(ConsoleHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("admin/api/licences")).StatusCode);
        using var licence = browser.Host.CreateClient(ConsoleHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await licence.GetAsync("admin/api/licences")).StatusCode);
        await page.Context.CloseAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> Send(HttpClient client, HttpMethod method, string path, string cookie,
        JsonObject? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"manifold_console={cookie}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
