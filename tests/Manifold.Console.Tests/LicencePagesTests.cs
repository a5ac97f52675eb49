using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Manifold.Console.Tests;

/// <summary>
/// A licence's life in the console: created with its policy, its key shown once, used against the gateway, its request
/// and usage on their pages and on the dashboard's charts, its limits edited, and revoked.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LicencePagesTests(ConsoleBrowser browser)
{
    [SkippableFact]
    public async Task Create_show_the_key_once_use_it_see_its_request_and_usage_edit_limits_and_revoke()
    {
        browser.RequireBrowser();
        var page = await ConsolePages.SignedInAsync(browser);
        await ConsolePages.OpenAsync(page, "Licences");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("team-console");
        await page.GetByLabel("Models (comma-separated, prefix* allowed)", new() { Exact = true }).FillAsync("sandbox-*");
        await page.GetByLabel("Platforms (comma-separated)", new() { Exact = true }).FillAsync("sandbox");
        await page.GetByLabel("Quota tokens", new() { Exact = true }).FillAsync("1000000");
        await page.GetByLabel("Requests per minute", new() { Exact = true }).FillAsync("600");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create licence" }).ClickAsync();

        var keyBox = page.GetByLabel("Key of team-console", new() { Exact = true });
        await Expect(keyBox).ToBeVisibleAsync();
        await Expect(page.GetByText("Copy this key now: you won't see it again.")).ToBeVisibleAsync();
        var key = await keyBox.InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(key));
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "team-console" });
        await Expect(row).ToContainTextAsync("sandbox-*");
        await Expect(row).ToContainTextAsync("600 rpm");
        await browser.ScreenshotAsync(page, "03-licences-created");

        // Shown once: after a reload the page (and the API behind it) no longer has it.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "team-console" })).ToBeVisibleAsync();
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        // The key works against the gateway.
        using (var gateway = browser.Host.CreateClient(key))
        {
            var chat = await gateway.PostAsJsonAsync("sandbox/v1/chat/completions",
                new JsonObject { ["model"] = "sandbox-echo", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello from the console test" }) });
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }
        var id = await LicenceIdAsync("team-console");

        // Its request, on the requests page filtered by this licence.
        await ConsolePages.OpenAsync(page, "Requests");
        await page.GetByLabel("Licence", new() { Exact = true }).SelectOptionAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var logged = page.Locator("#request-table tbody tr").Filter(new() { HasText = "sandbox-echo" });
        await ConsolePages.ApplyUntilVisibleAsync(page, logged);
        await Expect(logged.First).ToContainTextAsync("200");
        await Expect(logged.First).ToContainTextAsync($"#{id}");
        // Filtered: no other licence's request is listed.
        await Expect(page.Locator("#request-table tbody tr").Filter(new() { HasNotText = $"#{id}" })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "05-requests");

        // Its usage, by day, filtered by licence and model.
        await ConsolePages.OpenAsync(page, "Usage");
        await page.GetByLabel("Licence", new() { Exact = true }).SelectOptionAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("sandbox-*");
        var usage = page.Locator("#usage-table tbody tr").Filter(new() { HasText = "team-console" });
        await ConsolePages.ApplyUntilVisibleAsync(page, usage);
        await Expect(usage.First).ToContainTextAsync("sandbox-echo");
        await Expect(page.Locator("#usage-table tbody tr").Filter(new() { HasNotText = "team-console" })).ToHaveCountAsync(0);
        await Expect(usage.First).ToContainTextAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await browser.ScreenshotAsync(page, "06-usage");

        // The dashboard's charts have bars and a latency line, and its totals count the request.
        await ConsolePages.OpenAsync(page, "Dashboard");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Requests per minute" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("svg.chart[aria-label='Requests per minute'] rect.bar").CountAsync() >= 1, "The requests chart has no bar.");
        Assert.True(await page.Locator("svg.chart[aria-label='Tokens per minute'] rect.bar").CountAsync() >= 1, "The tokens chart has no bar.");
        Assert.True(await page.Locator("svg.chart[aria-label='Latency per minute'] circle").CountAsync() >= 1, "The latency chart has no point.");
        var requests = await page.Locator(".totals div").Filter(new() { HasText = "Requests" }).Locator("dd").InnerTextAsync();
        Assert.True(long.Parse(requests.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) >= 1, $"Totals show {requests} requests.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "up" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "02-dashboard");

        // Edit its limits in the dialog.
        await ConsolePages.OpenAsync(page, "Licences");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit team-console" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Requests per minute", new() { Exact = true }).FillAsync("30");
        await dialog.GetByLabel("Concurrent requests", new() { Exact = true }).FillAsync("2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "team-console" })).ToContainTextAsync("30 rpm, 2 at once");
        var saved = await LicenceAsync(id);
        Assert.Equal((30, 2, 1_000_000), (saved["limits"]!["rpm"]!.GetValue<int>(), saved["limits"]!["concurrency"]!.GetValue<int>(), saved["quota"]!["tokens"]!.GetValue<int>()));

        // Revoke: two steps, then the key stops working at once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke team-console" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm revoking team-console" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "team-console" })).ToContainTextAsync("revoked");
        using (var gateway = browser.Host.CreateClient(key))
        {
            var refused = await gateway.PostAsJsonAsync("sandbox/v1/chat/completions",
                new JsonObject { ["model"] = "sandbox-echo", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "again" }) });
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await browser.ScreenshotAsync(page, "04-licences-revoked");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_error_from_the_api_is_shown_in_the_page()
    {
        browser.RequireBrowser();
        var page = await ConsolePages.SignedInAsync(browser);
        await ConsolePages.OpenAsync(page, "Licences");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("bad-platform");
        await page.GetByLabel("Platforms (comma-separated)", new() { Exact = true }).FillAsync("nowhere");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create licence" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("names no configured platform: 'nowhere'");
        await page.Context.CloseAsync();
    }

    private async Task<long> LicenceIdAsync(string name)
    {
        using var admin = browser.Host.CreateClient(ConsoleHost.AdminKey);
        var list = JsonNode.Parse(await admin.GetStringAsync("admin/api/licences"))!;
        return list["data"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<long>();
    }

    private async Task<JsonNode> LicenceAsync(long id)
    {
        using var admin = browser.Host.CreateClient(ConsoleHost.AdminKey);
        return JsonNode.Parse(await admin.GetStringAsync($"admin/api/licences/{id}"))!;
    }
}
