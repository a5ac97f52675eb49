using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Manifold.Console.Tests;

/// <summary>Signing in and out of the console in a real browser, and what the session cookie is.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleBrowser browser)
{
    [SkippableFact]
    public async Task A_wrong_key_is_refused_the_admin_key_signs_in_a_reload_keeps_the_session_and_sign_out_ends_it()
    {
        browser.RequireBrowser();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("admin/licences");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Manifold" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "01-sign-in");

        // A licence key is not an admin credential, and the page says why it was refused.
        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(ConsoleHost.BootstrapKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Incorrect admin key.");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console pages" })).ToBeHiddenAsync();
        Assert.Empty(await page.Context.CookiesAsync());

        await page.GetByLabel("Admin key", new() { Exact = true }).FillAsync(ConsoleHost.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The deep link it was opened at is the page it shows once signed in.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Licences", Level = 1 })).ToBeVisibleAsync();

        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.Equal(("manifold_console", true, SameSiteAttribute.Strict, "/admin"), (cookie.Name, cookie.HttpOnly, cookie.SameSite, cookie.Path));
        Assert.DoesNotContain(ConsoleHost.AdminKey, cookie.Value, StringComparison.Ordinal);
        Assert.True(cookie.Value.Length >= 40, "The session token is long and random.");
        // HttpOnly: the page's own scripts cannot read it.
        Assert.DoesNotContain("manifold_console", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Licences", Level = 1 })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Manifold" })).ToBeVisibleAsync();
        Assert.Empty(await page.Context.CookiesAsync());

        // The old token is dead on the server too, not only forgotten by this browser.
        using var client = browser.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/api/licences");
        request.Headers.Add("Cookie", $"manifold_console={cookie.Value}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task The_console_works_on_a_narrow_screen()
    {
        browser.RequireBrowser();
        var page = await ConsolePages.SignedInAsync(browser, width: 390, height: 844);
        await ConsolePages.OpenAsync(page, "Licences");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create licence" })).ToBeVisibleAsync();
        // Wide tables scroll inside their own box; the page itself never scrolls sideways.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "The licences page is wider than a 390px screen.");
        await browser.ScreenshotAsync(page, "09-licences-narrow");
        await page.Context.CloseAsync();
    }
}
