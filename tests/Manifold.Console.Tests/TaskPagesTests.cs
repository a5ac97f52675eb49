using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Manifold.Console.Tests;

/// <summary>Media tasks in the console: a sandbox image and a sandbox video, previewed through their signed links.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TaskPagesTests(ConsoleBrowser browser)
{
    [SkippableFact]
    public async Task A_finished_image_and_video_are_previewed_and_load_in_the_browser()
    {
        browser.RequireBrowser();
        using var gateway = browser.Host.CreateClient(ConsoleHost.BootstrapKey);
        var image = await gateway.PostAsJsonAsync("v1/images/generations", new JsonObject
        {
            ["model"] = "sandbox-image", ["prompt"] = "a lighthouse at dusk", ["size"] = "256x256", ["response_format"] = "url", ["async"] = true,
        });
        Assert.True(image.IsSuccessStatusCode, await image.Content.ReadAsStringAsync());
        var imageId = JsonNode.Parse(await image.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("sandbox-video"), "model" },
            { new StringContent("a calico cat playing a piano"), "prompt" },
            { new StringContent("4"), "seconds" },
            { new StringContent("1280x720"), "size" },
        };
        var video = await gateway.PostAsync("v1/videos", form);
        Assert.True(video.IsSuccessStatusCode, await video.Content.ReadAsStringAsync());
        var videoId = JsonNode.Parse(await video.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        await CompletedAsync(imageId, videoId);

        var page = await ConsolePages.SignedInAsync(browser);
        await ConsolePages.OpenAsync(page, "Media tasks");
        var imageCard = page.Locator($"[data-task='{imageId}']");
        var videoCard = page.Locator($"[data-task='{videoId}']");
        await Expect(imageCard).ToContainTextAsync("completed");
        await Expect(videoCard).ToContainTextAsync("completed");
        await Expect(imageCard).ToContainTextAsync("a lighthouse at dusk");

        // The preview really loaded: the image decoded, the video's metadata read (its duration known).
        await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector(\"[data-task='{imageId}'] img\"); return i && i.complete && i.naturalWidth > 0; }}");
        Assert.Equal(256, await imageCard.Locator("img").First.EvaluateAsync<int>("i => i.naturalWidth"));
        await page.WaitForFunctionAsync($"() => {{ const v = document.querySelector(\"[data-task='{videoId}'] video\"); return v && v.readyState >= 1; }}");
        var duration = await videoCard.Locator("video").First.EvaluateAsync<double>("v => v.duration");
        Assert.InRange(duration, 3.5, 4.5);
        await browser.ScreenshotAsync(page, "08-tasks");

        await page.GetByLabel("Kind", new() { Exact = true }).SelectOptionAsync("video");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(imageCard).ToHaveCountAsync(0);
        await Expect(videoCard).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    private async Task CompletedAsync(params string[] ids)
    {
        using var admin = browser.Host.CreateClient(ConsoleHost.AdminKey);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var tasks = JsonNode.Parse(await admin.GetStringAsync("admin/api/tasks"))!["data"]!.AsArray();
            var states = ids.Select(id => tasks.SingleOrDefault(t => t!["id"]!.GetValue<string>() == id)?["status"]?.GetValue<string>()).ToList();
            Assert.DoesNotContain("failed", states);
            if (states.All(s => s == "completed"))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The tasks did not complete: {string.Join(", ", states)}.");
            await Task.Delay(250);
        }
    }
}
