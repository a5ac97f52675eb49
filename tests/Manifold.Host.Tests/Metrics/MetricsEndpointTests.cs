using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace Manifold.Host.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> through the real host after real traffic to a loopback OpenAI upstream: the scrape is valid text
/// format (read by a strict parser), and its counts, labels and histograms say what happened.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const string MetricsKey = "mf-metrics-key-0123456789abcdef";
    private const string AdminKey = "mf-admin-key-0123456789abcdef0123456789";

    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["Manifold:Metrics:Key"] = MetricsKey,
        ["Manifold:Admin:Key"] = AdminKey,
    };

    private static StringContent Chat(string model, bool stream = false) =>
        new($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    private static HttpClient Scraper(ManifoldFactory manifold, string? key = MetricsKey)
    {
        var client = manifold.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    private static async Task<PrometheusExposition> ScrapeAsync(HttpClient scraper)
    {
        var response = await scraper.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return PrometheusExposition.Parse(text);
    }

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds: a request's metrics are written as its handler returns, which a client
    /// can see a moment after the last byte. The deadline is generous; it only bounds a failure.
    /// </summary>
    private static async Task<PrometheusExposition> ScrapeUntilAsync(HttpClient scraper, Func<PrometheusExposition, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var exposition = await ScrapeAsync(scraper);
            if (done(exposition) || DateTime.UtcNow > deadline)
            {
                return exposition;
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_tokens_a_request_used_reach_the_token_counters_by_platform_and_model()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, Keys);
        using var client = manifold.CreateAuthorizedClient();
        using var scraper = Scraper(manifold);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini"))).StatusCode);
        var exposition = await ScrapeUntilAsync(scraper, e => e.Value("manifold_tokens_total", ("platform", "up"), ("model", "gpt-4o-mini"), ("direction", "output")) > 0);

        Assert.True(exposition.Value("manifold_tokens_total", ("platform", "up"), ("model", "gpt-4o-mini"), ("direction", "input")) > 0);
        Assert.True(exposition.Value("manifold_tokens_total", ("platform", "up"), ("model", "gpt-4o-mini"), ("direction", "output")) > 0);
    }

    [Fact]
    public async Task After_json_streamed_failing_and_refused_requests_the_scrape_counts_each_by_protocol_platform_and_status()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, Keys);
        using var client = manifold.CreateAuthorizedClient();
        using var stranger = manifold.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mf-not-a-licence");
        using var scraper = Scraper(manifold);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat("gpt-4.1"))).StatusCode);
        var streamed = await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini", stream: true));
        Assert.Contains("data: [DONE]", await streamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsync("/v1/chat/completions", Chat("gpt-error-500"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/chat/completions", Chat("gpt-error-400"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini"))).StatusCode);

        const string Requests = "manifold_requests_total";
        var metrics = await ScrapeUntilAsync(scraper, m => m.Samples(Requests).Sum(static s => s.Value) >= 6);

        Assert.Equal(3, metrics.Value(Requests, ("protocol", "openai"), ("platform", "up"), ("status", "200")));
        Assert.Equal(1, metrics.Value(Requests, ("protocol", "openai"), ("platform", "up"), ("status", "500")));
        Assert.Equal(1, metrics.Value(Requests, ("protocol", "openai"), ("platform", "up"), ("status", "400")));
        // Refused before any platform was chosen: no platform, and the path's words never become one.
        Assert.Equal(1, metrics.Value(Requests, ("protocol", "openai"), ("platform", ""), ("status", "401")));
        Assert.Equal(6, metrics.Samples(Requests).Sum(static s => s.Value));

        // One observation per request; the parser has already checked that the buckets are cumulative and end at _count.
        Assert.Equal(5, metrics.Value("manifold_request_duration_seconds_count", ("protocol", "openai"), ("platform", "up")));
        Assert.Equal(1, metrics.Value("manifold_request_duration_seconds_count", ("protocol", "openai"), ("platform", "")));
        Assert.True(metrics.Value("manifold_request_duration_seconds_sum", ("protocol", "openai"), ("platform", "up")) > 0);
        var buckets = metrics.Samples("manifold_request_duration_seconds_bucket").Where(static s => s.Labels["platform"] == "up").ToList();
        Assert.Equal(MetricDefinitions.DurationBuckets.Count + 1, buckets.Count);
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);

        // Five upstream calls (the stream's timed to its end), one of them streamed with a first event.
        Assert.Equal(5, metrics.Value("manifold_upstream_duration_seconds_count", ("platform", "up")));
        Assert.Equal(1, metrics.Value("manifold_upstream_first_event_seconds_count", ("platform", "up")));
        Assert.Equal(0, metrics.Value("manifold_active_streams", ("platform", "up")));
        Assert.Empty(metrics.Samples("manifold_upstream_retries_total"));

        // Every family is described, with its type, even those with no series yet.
        foreach (var definition in MetricDefinitions.All)
        {
            var family = Assert.Contains(definition.Name, metrics.Families);
            Assert.Equal(definition.Kind.ToString().ToLowerInvariant(), family.Type);
            Assert.Equal(definition.Help, family.Help);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Active_streams_go_up_during_a_stream_and_back_to_zero_when_it_ends_or_the_client_leaves(bool abandon)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, Keys);
        using var client = manifold.CreateAuthorizedClient();
        using var scraper = Scraper(manifold);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("gpt-gated-stream", stream: true) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.StartsWith("data: {", await reader.ReadLineAsync(timeout.Token));

        var during = await ScrapeAsync(scraper);
        if (abandon)
        {
            response.Dispose();
            await upstream.UpstreamAborted.Task.WaitAsync(timeout.Token);
        }
        else
        {
            upstream.Gate.TrySetResult();
            Assert.Contains("data: [DONE]", await reader.ReadToEndAsync(timeout.Token));
            response.Dispose();
        }
        var after = await ScrapeUntilAsync(scraper, static m => m.Value("manifold_active_streams", ("platform", "up")) == 0);

        Assert.Equal(1, during.Value("manifold_active_streams", ("platform", "up")));
        Assert.Equal(1, during.Value("manifold_upstream_first_event_seconds_count", ("platform", "up")));
        Assert.Null(during.Value("manifold_upstream_duration_seconds_count", ("platform", "up")));
        Assert.Equal(0, after.Value("manifold_active_streams", ("platform", "up")));
        // A finished stream's upstream call is timed to its last event; one the client abandoned says nothing of the upstream.
        Assert.Equal(abandon ? null : 1, after.Value("manifold_upstream_duration_seconds_count", ("platform", "up")));
        // The client was sent a 200 before it left: that is what it got.
        var counted = await ScrapeUntilAsync(scraper, static m => m.Samples("manifold_requests_total").Any());
        Assert.Equal(1, counted.Value("manifold_requests_total", ("protocol", "openai"), ("platform", "up"), ("status", "200")));
    }

    [Fact]
    public async Task A_failing_account_shows_as_cooling_and_its_retry_is_counted()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        var settings = new Dictionary<string, string?>(Keys) { ["Manifold:Gateway:CoolDown"] = "01:00:00" };
        await using var manifold = ManifoldFactory.WithOpenAIUpstream(upstream.BaseUrl, settings, "sk-broken", "sk-good");
        using var client = manifold.CreateAuthorizedClient();
        using var scraper = Scraper(manifold);
        var before = await ScrapeAsync(scraper);

        // The rotation starts with the first account: the broken one answers 500, and the good one serves the request.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat("gpt-4o-mini"))).StatusCode);
        var after = await ScrapeUntilAsync(scraper, static m => m.Samples("manifold_requests_total").Any());

        var broken = AccountIds.FromKey("up", "sk-broken");
        var good = AccountIds.FromKey("up", "sk-good");
        const string Health = "manifold_account_health";
        foreach (var account in new[] { broken, good })
        {
            Assert.Equal(1, before.Value(Health, ("platform", "up"), ("account", account), ("state", "healthy")));
            Assert.Equal(0, before.Value(Health, ("platform", "up"), ("account", account), ("state", "cooling_down")));
            Assert.Equal(0, before.Value(Health, ("platform", "up"), ("account", account), ("state", "disabled")));
        }
        Assert.Equal((0.0, 1.0, 0.0), (after.Value(Health, ("platform", "up"), ("account", broken), ("state", "healthy"))!.Value,
            after.Value(Health, ("platform", "up"), ("account", broken), ("state", "cooling_down"))!.Value,
            after.Value(Health, ("platform", "up"), ("account", broken), ("state", "disabled"))!.Value));
        Assert.Equal(1, after.Value(Health, ("platform", "up"), ("account", good), ("state", "healthy")));
        Assert.Equal(1, after.Value("manifold_upstream_retries_total", ("platform", "up")));
        Assert.Equal(2, after.Value("manifold_upstream_duration_seconds_count", ("platform", "up")));
        // Account ids name accounts; their keys appear nowhere.
        var text = await (await scraper.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("sk-broken", text);
        Assert.DoesNotContain("sk-good", text);
    }

    [Fact]
    public async Task Token_counts_are_labelled_by_platform_model_and_direction_and_label_values_are_escaped()
    {
        await using var manifold = new ManifoldFactory(new Dictionary<string, string?>(Keys) { ["Manifold:Platforms:sandbox:Plugin"] = "sandbox" });
        using var scraper = Scraper(manifold);
        var metrics = manifold.Services.GetRequiredService<GatewayMetrics>();
        const string Odd = "odd \"model\" \\ with\na line feed";

        metrics.Tokens("sandbox", "sandbox-echo", input: 19, output: 10);
        metrics.Tokens("sandbox", "sandbox-echo", input: 1, output: 2);
        metrics.Tokens("sandbox", Odd, input: 0, output: 5);
        var response = await scraper.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var scraped = PrometheusExposition.Parse(text);

        const string Tokens = "manifold_tokens_total";
        Assert.Equal(20, scraped.Value(Tokens, ("platform", "sandbox"), ("model", "sandbox-echo"), ("direction", "input")));
        Assert.Equal(12, scraped.Value(Tokens, ("platform", "sandbox"), ("model", "sandbox-echo"), ("direction", "output")));
        Assert.Equal(5, scraped.Value(Tokens, ("platform", "sandbox"), ("model", Odd), ("direction", "output")));
        Assert.Null(scraped.Value(Tokens, ("platform", "sandbox"), ("model", Odd), ("direction", "input")));
        Assert.Contains("""model="odd \"model\" \\ with\na line feed",""", text);
    }

    [Fact]
    public async Task Media_jobs_are_counted_by_kind_and_status()
    {
        var root = Path.Combine(Path.GetTempPath(), "manifold-metrics-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var manifold = new ManifoldFactory(new Dictionary<string, string?>(Keys)
            {
                ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
                ["Manifold:Platforms:sandbox:VideoJobSeconds"] = "1",
                ["Manifold:Tasks:PollInterval"] = "00:00:00.200",
                ["Manifold:Media:Path"] = Path.Combine(root, "media"),
                ["Manifold:Metrics:TaskCountInterval"] = "00:00:00",
            });
            using var client = manifold.CreateAuthorizedClient();
            using var scraper = Scraper(manifold);
            var before = await ScrapeAsync(scraper);

            var created = await client.PostAsync("/v1/videos", new MultipartFormDataContent
            {
                { new StringContent("sandbox-video"), "model" },
                { new StringContent("a calico cat playing a piano"), "prompt" },
                { new StringContent("4"), "seconds" },
            });
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            var after = await ScrapeUntilAsync(scraper, static m => m.Value("manifold_media_tasks", ("kind", "video"), ("status", "completed")) == 1);

            const string Tasks = "manifold_media_tasks";
            foreach (var kind in new[] { "image", "video" })
            {
                foreach (var status in new[] { "queued", "in_progress", "completed", "failed" })
                {
                    Assert.Equal(0, before.Value(Tasks, ("kind", kind), ("status", status)));
                    Assert.Equal(kind == "video" && status == "completed" ? 1 : 0, after.Value(Tasks, ("kind", kind), ("status", status)));
                }
            }
            Assert.Equal(1, after.Value("manifold_requests_total", ("protocol", "openai"), ("platform", "sandbox"), ("status", "200")));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
