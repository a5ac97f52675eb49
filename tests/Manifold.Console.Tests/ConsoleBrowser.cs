using Microsoft.Playwright;

namespace Manifold.Console.Tests;

/// <summary>
/// One host and one headless Chromium for the console tests: Debian's Chromium (<c>/usr/bin/chromium</c>, or
/// <c>MANIFOLD_CHROMIUM</c>), since Playwright's own browser downloads are not reachable here. Without it the tests fail
/// under CI (<c>CI=true</c>) and are skipped, loudly, elsewhere. Screenshots go to <see cref="ScreenshotFolder"/>.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ConsoleHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string? Missing { get; private set; }

    /// <summary><c>artifacts/console-screenshots</c> at the repository's root (gitignored), or <c>MANIFOLD_CONSOLE_SCREENSHOTS</c>.</summary>
    public string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("MANIFOLD_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(RepositoryRoot(), "artifacts", "console-screenshots");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("MANIFOLD_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        // The machine is shared with other builds: waits are generous, and nothing asserts how long anything took.
        Assertions.SetDefaultExpectTimeout(60_000);
        Host = await ConsoleHost.StartAsync();
        if (!File.Exists(ChromiumPath))
        {
            Missing = $"No Chromium at {ChromiumPath}: install Debian's (apt-get install chromium) or set MANIFOLD_CHROMIUM. The web console's browser tests need it.";
            return;
        }
        Directory.CreateDirectory(ScreenshotFolder);
        System.Console.WriteLine($"Console screenshots: {ScreenshotFolder}");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root in a container Chromium's sandbox cannot start; the pages it opens are our own.
            ChromiumSandbox = false,
            Args = ["--disable-dev-shm-usage", "--disable-gpu"],
            Timeout = 120_000,
        });
    }

    /// <summary>Fails under CI and skips elsewhere when there is no browser to drive.</summary>
    public void RequireBrowser()
    {
        if (Missing is null)
        {
            return;
        }
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Missing);
        }
        Skip.If(true, "SKIPPED, NOT TESTED: " + Missing);
    }

    /// <summary>A fresh browser context (its own cookies) with generous timeouts: the machine is shared and slow.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Host.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        return page;
    }

    public async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        System.Console.WriteLine($"screenshot: {path}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await Host.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plugins.sln")))
            {
                return dir.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleBrowser>
{
    public const string Name = "console";
}
