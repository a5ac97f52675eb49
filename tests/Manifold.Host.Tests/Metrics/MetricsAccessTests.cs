using System.Net;
using System.Net.Http.Headers;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Metrics;

/// <summary>Who may scrape: the metrics key or the admin key, anyone when opened on purpose, never a licence; off when nothing is configured.</summary>
public sealed class MetricsAccessTests
{
    private const string MetricsKey = "mf-metrics-key-0123456789abcdef";
    private const string AdminKey = "mf-admin-key-0123456789abcdef0123456789";

    private static ManifoldFactory Gateway(params (string Key, string Value)[] settings) =>
        new(settings.ToDictionary(static s => s.Key, static s => (string?)s.Value));

    private static async Task<HttpResponseMessage> ScrapeAsync(ManifoldFactory manifold, AuthenticationHeaderValue? authorization)
    {
        using var client = manifold.CreateClient();
        client.DefaultRequestHeaders.Authorization = authorization;
        return await client.GetAsync("/metrics");
    }

    [Fact]
    public async Task The_metrics_key_and_the_admin_key_may_scrape_and_nothing_else_may()
    {
        await using var manifold = Gateway(("Manifold:Metrics:Key", MetricsKey), ("Manifold:Admin:Key", AdminKey));

        var refused = new[]
        {
            await ScrapeAsync(manifold, null),
            await ScrapeAsync(manifold, new("Bearer", ManifoldFactory.LicenceKey)),
            await ScrapeAsync(manifold, new("Bearer", "mf-guessed-metrics-key")),
            await ScrapeAsync(manifold, new("Basic", MetricsKey)),
        };
        var byMetricsKey = await ScrapeAsync(manifold, new("Bearer", MetricsKey));
        var byAdminKey = await ScrapeAsync(manifold, new("Bearer", AdminKey));

        foreach (var response in refused)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.DoesNotContain(ManifoldFactory.LicenceKey, text);
            Assert.DoesNotContain("mf-guessed-metrics-key", text);
            Assert.DoesNotContain("# TYPE", text);
        }
        // A scraper without a credential is told what to send.
        Assert.Contains("'Authorization: Bearer <key>'", await refused[0].Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, byMetricsKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdminKey.StatusCode);
        Assert.Contains("# TYPE manifold_requests_total counter", await byMetricsKey.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Opened_on_purpose_a_scrape_needs_no_credential_and_scrapes_are_not_counted_as_requests()
    {
        await using var manifold = Gateway(("Manifold:Metrics:Open", "true"));

        var first = await ScrapeAsync(manifold, null);
        var second = await ScrapeAsync(manifold, null);
        var scraped = PrometheusExposition.Parse(await second.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Empty(scraped.Samples("manifold_requests_total"));
        Assert.Empty(scraped.Samples("manifold_request_duration_seconds_count"));
    }

    [Fact]
    public async Task Without_a_metrics_key_an_admin_key_or_Open_the_path_does_not_exist()
    {
        await using var manifold = Gateway();

        var anonymous = await ScrapeAsync(manifold, null);
        var licensed = await ScrapeAsync(manifold, new("Bearer", ManifoldFactory.LicenceKey));

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, licensed.StatusCode);
    }
}
