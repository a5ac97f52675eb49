using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Manifold.Console.Tests;

/// <summary>What every console test does first: open /admin in a fresh browser context and sign in with the admin key.</summary>
internal static class ConsolePages
{
    public static async Task<IPage> SignedInAsync(ConsoleBrowser browser, int width = 1280, int height = 900)
    {
        var page = await browser.NewPageAsync(width, height);
        await page.GotoAsync("admin/");
        await page.GetByLabel("Admin key").FillAsync(ConsoleHost.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    public static Task OpenAsync(IPage page, string link) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Console pages" }).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();

    /// <summary>Re-applies a page's filters until <paramref name="locator"/> shows: the request log is written a moment after a request ends.</summary>
    public static async Task ApplyUntilVisibleAsync(IPage page, ILocator locator)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await locator.IsVisibleAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "What the test waited for never appeared on the page.");
            await Task.Delay(300);
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        }
    }
}
