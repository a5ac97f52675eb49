using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Manifold.Console.Tests;

/// <summary>A platform's accounts in the console: add with a key (then only masked), edit, disable, and delete.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccountPagesTests(ConsoleBrowser browser)
{
    private const string AddedKey = "sk-console-added-account-0002";

    [SkippableFact]
    public async Task Add_edit_disable_and_delete_an_account_and_see_its_health()
    {
        browser.RequireBrowser();
        var page = await ConsolePages.SignedInAsync(browser);
        await ConsolePages.OpenAsync(page, "Accounts");
        await page.GetByLabel("Platform", new() { Exact = true }).SelectOptionAsync("up");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts of up" })).ToBeVisibleAsync();
        var configured = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "configured" });
        await Expect(configured).ToContainTextAsync("healthy");

        await page.GetByLabel("Upstream key", new() { Exact = true }).FillAsync(AddedKey);
        await page.GetByLabel("Account name", new() { Exact = true }).FillAsync("added");
        await page.GetByLabel("Priority", new() { Exact = true }).FillAsync("1");
        await page.GetByLabel("Weight", new() { Exact = true }).FillAsync("3");
        await page.GetByLabel("Group", new() { Exact = true }).FillAsync("blue");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        var added = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "added" });
        await Expect(added).ToContainTextAsync("blue");
        await Expect(added).ToContainTextAsync("healthy");
        // The key went in once; the page shows only its masked form.
        Assert.DoesNotContain(AddedKey, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit account added" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Weight", new() { Exact = true }).FillAsync("5");
        await dialog.GetByLabel("Max concurrency", new() { Exact = true }).FillAsync("2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Account added saved.");
        var account = (await AccountAsync("added"))!;
        Assert.Equal((5, 2, 1, "blue", true), (account["weight"]!.GetValue<int>(), account["max_concurrency"]!.GetValue<int>(), account["priority"]!.GetValue<int>(),
            account["group"]!.GetValue<string>(), account["enabled"]!.GetValue<bool>()));

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable account added" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enable account added" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "added" })).ToContainTextAsync("disabled");
        Assert.False((await AccountAsync("added"))!["enabled"]!.GetValue<bool>());
        await browser.ScreenshotAsync(page, "07-accounts");

        // A configured account cannot be deleted here: the API's 409 is shown in the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete account configured" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm deleting account configured" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("configuration");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete account added" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm deleting account added" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Account added deleted.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "added" })).ToHaveCountAsync(0);
        Assert.Null(await AccountAsync("added", required: false));
        await page.Context.CloseAsync();
    }

    private async Task<JsonNode?> AccountAsync(string name, bool required = true)
    {
        using var admin = browser.Host.CreateClient(ConsoleHost.AdminKey);
        var list = JsonNode.Parse(await admin.GetStringAsync("admin/api/platforms/up/accounts"))!;
        var found = list["data"]!.AsArray().SingleOrDefault(a => a!["name"]?.GetValue<string>() == name);
        Assert.True(found is not null || !required, $"No account named {name}.");
        return found;
    }
}
