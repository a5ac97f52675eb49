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

    /// <summary>Follows a nav link and waits for that page's heading, so the next step never acts on the page before it.</summary>
    public static async Task OpenAsync(IPage page, string link)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console pages" }).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = link, Level = 1, Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Re-applies a page's filters until <paramref name="locator"/> shows: the request log is written a moment after a request ends.</summary>
    public static async Task ApplyUntilVisibleAsync(IPage page, ILocator locator)
    {
        // Applied at least once, so the answer shown is the filtered one and not the page's first, unfiltered load.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "What the test waited for never appeared on the page.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Task.Delay(300);
        }
        while (!await locator.IsVisibleAsync());
    }
}
