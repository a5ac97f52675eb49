using System.Net;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using static Manifold.Host.Tests.Metering.MeteringGateway;

namespace Manifold.Host.Tests.Metering;

/// <summary>
/// The operator's side of metering through the admin API: usage summed and filtered (and by day), the request log
/// filtered and paged, the price table and the costs it sets, and media jobs, metered one row per job and listed.
/// </summary>
public sealed class AdminUsageTests(MeteringGateway gateway) : IClassFixture<MeteringGateway>
{
    private static Task<HttpResponseMessage> ChatAsync(HttpClient client, string model = "gpt-4o") =>
        client.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}"""));

    [Fact]
    public async Task Usage_is_summed_by_licence_platform_and_model_filtered_by_each_and_by_range_and_grouped_by_day()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        using var anthropic = gateway.Anthropic(key);
        using var admin = gateway.Admin();
        await JsonAsync(await ChatAsync(openai));
        await JsonAsync(await ChatAsync(openai));
        await JsonAsync(await ChatAsync(openai, "gpt-4o-mini"));
        await JsonAsync(await anthropic.PostAsync("/v1/messages", Json("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""")));
        var today = DateTimeOffset.UtcNow.UtcDateTime.Date;

        var all = await gateway.WhenAsync($"/admin/api/usage?licence_id={id}", data => data.Sum(r => r!["requests"]!.GetValue<int>()) == 4);
        var claude = await Data($"/admin/api/usage?licence_id={id}&platform=claude");
        var gpt4o = await Data($"/admin/api/usage?licence_id={id}&model=gpt-4o");
        var gpt = await Data($"/admin/api/usage?licence_id={id}&model=gpt*");
        var tomorrow = await Data($"/admin/api/usage?licence_id={id}&from={today.AddDays(1):yyyy-MM-dd}");
        var untilToday = await Data($"/admin/api/usage?licence_id={id}&to={today:yyyy-MM-dd}");
        var inRange = await Data($"/admin/api/usage?licence_id={id}&from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
        var byDay = await Data($"/admin/api/usage?licence_id={id}&group_by=day&platform=openai");

        Assert.Equal(3, all.Count);
        Assert.All(all, row => Assert.Equal(id, row!["licence_id"]!.GetValue<long>()));
        Assert.StartsWith("metering-", all[0]!["licence_name"]!.GetValue<string>());
        Assert.Equal(("claude-sonnet-4-5", 1, MeteredUpstream.Messages.Total), (Assert.Single(claude)!["model"]!.GetValue<string>(),
            claude[0]!["requests"]!.GetValue<int>(), claude[0]!["total_tokens"]!.GetValue<long>()));
        Assert.Equal((2, 2 * MeteredUpstream.Chat.Input, 2 * MeteredUpstream.Chat.Output), (Assert.Single(gpt4o)!["requests"]!.GetValue<int>(),
            gpt4o[0]!["input_tokens"]!.GetValue<long>(), gpt4o[0]!["output_tokens"]!.GetValue<long>()));
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], gpt.Select(r => r!["model"]!.GetValue<string>()));
        Assert.Empty(tomorrow);
        Assert.Empty(untilToday);
        Assert.Equal(3, inRange.Count);
        Assert.Equal(2, byDay.Count);
        Assert.All(byDay, row => Assert.Equal(new DateTimeOffset(today), row!["period"]!.GetValue<DateTimeOffset>()));
        Assert.All(all, row => Assert.Null(row!["period"]));
    }

    [Theory]
    [InlineData("/admin/api/usage?licence_id=abc", "licence_id")]
    [InlineData("/admin/api/usage?group_by=week", "group_by")]
    [InlineData("/admin/api/usage?from=yesterday", "from")]
    [InlineData("/admin/api/usage?model=g*t", "model")]
    [InlineData("/admin/api/usage?licence=1", "licence")]
    [InlineData("/admin/api/requests?status=42", "status")]
    [InlineData("/admin/api/requests?limit=0", "limit")]
    [InlineData("/admin/api/requests?limit=501", "limit")]
    [InlineData("/admin/api/requests?after=-1", "after")]
    [InlineData("/admin/api/tasks?kind=audio", "kind")]
    [InlineData("/admin/api/tasks?status=done", "status")]
    public async Task A_filter_that_does_not_read_is_a_400_naming_it(string path, string param)
    {
        using var admin = gateway.Admin();

        var error = await JsonAsync(await admin.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.Equal(param, error["error"]!["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_log_is_newest_first_filtered_by_status_and_model_and_paged()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        await JsonAsync(await ChatAsync(openai));
        await JsonAsync(await ChatAsync(openai, "gpt-4o-mini"));
        await JsonAsync(await ChatAsync(openai, "nobody-serves-this"), HttpStatusCode.NotFound);
        await JsonAsync(await ChatAsync(openai, "gpt-4.1"));
        var all = await gateway.LoggedAsync(id, 4);

        var notFound = await Data($"/admin/api/requests?licence_id={id}&status=404");
        var clientErrors = await Data($"/admin/api/requests?licence_id={id}&status=4xx");
        var errors = await Data($"/admin/api/requests?licence_id={id}&status=error");
        var ok = await Data($"/admin/api/requests?licence_id={id}&status=200&model=gpt-4o*");
        using var admin = gateway.Admin();
        var first = await JsonAsync(await admin.GetAsync($"/admin/api/requests?licence_id={id}&limit=3"));
        var rest = await JsonAsync(await admin.GetAsync($"/admin/api/requests?licence_id={id}&limit=3&after={first["last_id"]!.GetValue<string>()}"));
        var byRequestId = await Data($"/admin/api/requests?request_id={all[0]!["request_id"]!.GetValue<string>()}");

        Assert.Equal(["gpt-4.1", "nobody-serves-this", "gpt-4o-mini", "gpt-4o"], all.Select(r => r!["model"]?.GetValue<string>()));
        Assert.True(all[0]!["id"]!.GetValue<long>() > all[3]!["id"]!.GetValue<long>());
        Assert.Equal(("model_not_found", "createChatCompletion", "openai"), (Assert.Single(notFound)!["error_code"]!.GetValue<string>(),
            notFound[0]!["operation"]!.GetValue<string>(), notFound[0]!["protocol"]!.GetValue<string>()));
        Assert.Null(notFound[0]!["platform"]);
        Assert.Single(clientErrors);
        Assert.Single(errors);
        Assert.Equal(["gpt-4o-mini", "gpt-4o"], ok.Select(r => r!["model"]!.GetValue<string>()));
        Assert.Equal((3, true), (first["data"]!.AsArray().Count, first["has_more"]!.GetValue<bool>()));
        Assert.Equal((1, false, "gpt-4o"), (rest["data"]!.AsArray().Count, rest["has_more"]!.GetValue<bool>(), rest["data"]![0]!["model"]!.GetValue<string>()));
        Assert.Equal(all[0]!["id"]!.GetValue<long>(), Assert.Single(byRequestId)!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_price_table_is_read_and_replaced_and_sets_the_cost_of_what_is_metered_after()
    {
        using var admin = gateway.Admin();
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        await JsonAsync(await ChatAsync(openai, "gpt-4o-mini"));
        await gateway.LoggedAsync(id, 1);

        var saved = await JsonAsync(await admin.PutAsync("/admin/api/prices", Json("""
            {"data":[{"model":"gpt-4o*","input_per_million":2.5,"output_per_million":10,"per_request":0.001},
                     {"model":"gpt-4o-mini","input_per_million":0.15,"output_per_million":0.6},
                     {"model":"gpt-image-1","per_image":0.04,"input_per_million":5,"output_per_million":40}]}
            """)));
        var read = await JsonAsync(await admin.GetAsync("/admin/api/prices"));
        await JsonAsync(await ChatAsync(openai, "gpt-4o-mini"));
        await JsonAsync(await ChatAsync(openai, "gpt-4o-2024-08-06"));
        await JsonAsync(await openai.PostAsync("/v1/images/generations", Json("""{"model":"gpt-image-1","prompt":"a red bicycle"}""")));
        var rows = await gateway.LoggedAsync(id, 4);
        var usage = await Data($"/admin/api/usage?licence_id={id}");
        await JsonAsync(await admin.PutAsync("/admin/api/prices", Json("""{"data":[]}""")));
        var cleared = await JsonAsync(await admin.GetAsync("/admin/api/prices"));

        Assert.True(JsonNode.DeepEquals(saved, read), read.ToJsonString());
        Assert.Equal(["gpt-4o*", "gpt-4o-mini", "gpt-image-1"], read["data"]!.AsArray().Select(p => p!["model"]!.GetValue<string>()));
        // Exact names win over prefixes; a price is applied from when it is saved, so the first request stays free.
        double Cost(string model) => usage.Single(r => r!["model"]!.GetValue<string>() == model)!["cost"]!.GetValue<double>();
        Assert.Equal(11 * 0.15e-6 + 7 * 0.6e-6, Cost("gpt-4o-mini"), 9);
        Assert.Equal(11 * 2.5e-6 + 7 * 10e-6 + 0.001, Cost("gpt-4o-2024-08-06"), 9);
        Assert.Equal(20 * 5e-6 + 100 * 40e-6 + 0.04, Cost("gpt-image-1"), 9);
        Assert.Equal(0, rows[^1]!["cost"]!.GetValue<double>());
        Assert.Equal(11 * 2.5e-6 + 7 * 10e-6 + 0.001, rows.Single(r => r!["model"]!.GetValue<string>() == "gpt-4o-2024-08-06")!["cost"]!.GetValue<double>(), 9);
        Assert.Empty(cleared["data"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"data":[{"model":"gpt-4o","input_per_million":-1}]}""", "data[0].input_per_million")]
    [InlineData("""{"data":[{"model":"gpt-4o","input_per_million":"2.5"}]}""", "data[0].input_per_million")]
    [InlineData("""{"data":[{"model":"gpt-4o","input":2.5}]}""", "data[0].input")]
    [InlineData("""{"data":[{"model":"g*t"}]}""", "data[0].model")]
    [InlineData("""{"data":[{"model":"*"}]}""", "data[0].model")]
    [InlineData("""{"data":[{"model":"a"},{"model":"a"}]}""", "data[1].model")]
    [InlineData("""{"data":[1]}""", "data[0]")]
    [InlineData("""[]""", "data")]
    [InlineData("""{"prices":[]}""", "data")]
    public async Task A_price_table_that_does_not_read_is_a_400_naming_the_field_and_changes_nothing(string body, string param)
    {
        using var admin = gateway.Admin();
        var before = await JsonAsync(await admin.GetAsync("/admin/api/prices"));

        var error = await JsonAsync(await admin.PutAsync("/admin/api/prices", Json(body)), HttpStatusCode.BadRequest);

        Assert.Equal(param, error["error"]!["param"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(before, await JsonAsync(await admin.GetAsync("/admin/api/prices"))));
    }

    [Fact]
    public async Task Media_jobs_are_metered_one_row_per_job_and_listed_for_the_operator_with_links_to_their_results()
    {
        var (id, key) = await gateway.LicenceAsync();
        using var openai = gateway.OpenAI(key);
        using var video = new MultipartFormDataContent
        {
            { new StringContent("sandbox-video"), "model" },
            { new StringContent("a kite over a beach"), "prompt" },
            { new StringContent("4"), "seconds" },
            { new StringContent("1280x720"), "size" },
        };
        var videoId = (await JsonAsync(await openai.PostAsync("/v1/videos", video)))["id"]!.GetValue<string>();
        var imageId = (await JsonAsync(await openai.PostAsync("/v1/images/generations",
            Json("""{"model":"sandbox-image","prompt":"a red bicycle","size":"256x256","n":2,"async":true}"""))))["id"]!.GetValue<string>();
        var image = await FinishedAsync(openai, $"/v1/images/{imageId}");
        await FinishedAsync(openai, $"/v1/videos/{videoId}");

        // The client's polls are in the log too (retrieveVideo); the jobs are asked for by their operation.
        var videoJob = Assert.Single(await gateway.LoggedAsync(id, 1, "&operation=videoJob"))!;
        var imageJob = Assert.Single(await gateway.LoggedAsync(id, 1, "&operation=imageJob"))!;
        var polls = await Data($"/admin/api/requests?licence_id={id}&operation=retrieveVideo&limit=1");
        var imagePolls = await Data($"/admin/api/requests?licence_id={id}&operation=retrieveImageTask&limit=1");
        var usage = await Data($"/admin/api/usage?licence_id={id}");
        var tasks = await Data($"/admin/api/tasks?licence_id={id}");
        var videos = await Data($"/admin/api/tasks?licence_id={id}&kind=video&status=completed");
        var failed = await Data($"/admin/api/tasks?licence_id={id}&status=failed");

        Assert.Equal(("task", "sandbox"), (videoJob["protocol"]!.GetValue<string>(), videoJob["platform"]!.GetValue<string>()));
        Assert.Equal(("sandbox-video", 0), (Assert.Single(polls)!["model"]!.GetValue<string>(), polls[0]!["total_tokens"]!.GetValue<int>()));
        // Reading a finished task repeats its usage to the client; the log does not count it again.
        Assert.Equal((0, 0, "none"), (Assert.Single(imagePolls)!["total_tokens"]!.GetValue<int>(), imagePolls[0]!["images"]!.GetValue<int>(),
            imagePolls[0]!["usage_source"]!.GetValue<string>()));
        Assert.Equal((videoId, 4.0, "sandbox-video", 200), (videoJob["request_id"]!.GetValue<string>(), videoJob["video_seconds"]!.GetValue<double>(),
            videoJob["model"]!.GetValue<string>(), videoJob["status"]!.GetValue<int>()));
        Assert.Equal((imageId, 2, image["usage"]!["total_tokens"]!.GetValue<long>()),
            (imageJob["request_id"]!.GetValue<string>(), imageJob["images"]!.GetValue<int>(), imageJob["total_tokens"]!.GetValue<long>()));
        var videoUsage = usage.Single(r => r!["model"]!.GetValue<string>() == "sandbox-video")!;
        var imageUsage = usage.Single(r => r!["model"]!.GetValue<string>() == "sandbox-image")!;
        // The request that made each job is its one request; the job adds what it made.
        Assert.Equal((1, 4.0), (videoUsage["requests"]!.GetValue<int>(), videoUsage["video_seconds"]!.GetValue<double>()));
        Assert.Equal((1, 2), (imageUsage["requests"]!.GetValue<int>(), imageUsage["images"]!.GetValue<int>()));
        Assert.Equal([imageId, videoId], tasks.Select(t => t!["id"]!.GetValue<string>()));
        var listed = Assert.Single(videos)!;
        Assert.Equal(("video", "sandbox", "a kite over a beach", 100), (listed["kind"]!.GetValue<string>(), listed["platform"]!.GetValue<string>(),
            listed["prompt"]!.GetValue<string>(), listed["progress"]!.GetValue<int>()));
        Assert.Empty(failed);
        var results = listed["results"]!.AsArray();
        Assert.Contains(results, r => r!["variant"]!.GetValue<string>() == "video");
        using var anonymous = gateway.Manifold.CreateClient();
        var download = await anonymous.GetAsync(results.First(r => r!["variant"]!.GetValue<string>() == "video")!["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task Usage_requests_tasks_and_prices_are_in_the_openapi_document_with_their_filters()
    {
        using var client = gateway.Manifold.CreateClient();

        var paths = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["paths"]!;

        string[] Parameters(string path) => [.. paths[path]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>())];
        Assert.Equal(["licence_id", "platform", "model", "from", "to", "group_by"], Parameters("/admin/api/usage"));
        Assert.Equal(["licence_id", "platform", "model", "account_id", "operation", "status", "request_id", "from", "to", "limit", "after"],
            Parameters("/admin/api/requests"));
        Assert.Equal(["status", "kind", "platform", "licence_id", "limit", "after"], Parameters("/admin/api/tasks"));
        Assert.NotNull(paths["/admin/api/prices"]!["get"]);
        Assert.NotNull(paths["/admin/api/prices"]!["put"]!["requestBody"]);
    }

    private async Task<JsonNode> FinishedAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var job = await JsonAsync(await client.GetAsync(path));
            if (job["status"]!.GetValue<string>() is "completed" or "failed")
            {
                Assert.Equal("completed", job["status"]!.GetValue<string>());
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} never finished: {job.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private async Task<JsonArray> Data(string path)
    {
        using var admin = gateway.Admin();
        return (await JsonAsync(await admin.GetAsync(path)))["data"]!.AsArray();
    }
}
