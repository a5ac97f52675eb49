using System.Net;
using System.Text.Json.Nodes;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>Serves <see cref="TestSpecs.Paged"/> with a platform that answers fixed lists and echoes its arguments.</summary>
public sealed class PagedGatewayFixture : IAsyncLifetime
{
    /// <summary>Five things (one name twice, as two platforms listing one model would), four items, and a thing that echoes its query.</summary>
    private const string PagedPlatformSource = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Manifold.Contracts;

        namespace Manifold.Tests.Paged;

        public sealed class PagedPlatform : IPlatform, IPagedAdapter
        {
            public string Name => "paged";

            public IReadOnlyList<string> DefaultModels { get; } = new[] { "thing-*" };

            public Task<ThingPage> ListThingsAsync(AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new ThingPage
                {
                    Things = new List<Thing>
                    {
                        new() { Name = "a" }, new() { Name = "b" }, new() { Name = "a", Note = "again" }, new() { Name = "c" }, new() { Name = "d" }, new() { Name = "e" },
                    },
                });

            public Task<ItemPage> ListItemsAsync(bool verbose, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new ItemPage
                {
                    Data = new List<Item> { new() { Id = "i1", Verbose = verbose }, new() { Id = "i2" }, new() { Id = "i3" }, new() { Id = "i4" } },
                });

            public Task<Thing> GetThingAsync(string thingId, string view, long? depth, AdapterContext context, CancellationToken cancellationToken) =>
                Task.FromResult(new Thing { Name = thingId, Note = $"{view}/{depth?.ToString() ?? "none"}" });
        }
        """;

    private GeneratedGateway? _gateway;

    public HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync() =>
        _gateway = await GeneratedGateway.StartAsync(
            "Manifold.Generated.Paged", (TestSpecs.PagedPath, TestSpecs.Paged), PagedPlatformSource, "Manifold.Tests.Paged.PagedPlatform");

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

/// <summary>Query parameters read, validated and passed on; lists paged by the host with page tokens and with cursors.</summary>
public sealed class PagedCompileAndRunTests(PagedGatewayFixture gateway) : IClassFixture<PagedGatewayFixture>
{
    private async Task<JsonNode> GetOkAsync(string path)
    {
        using var response = await gateway.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    private async Task<JsonNode> GetErrorAsync(string path, HttpStatusCode status)
    {
        using var response = await gateway.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, body);
        return JsonNode.Parse(body)!["error"]!;
    }

    private static string[] Names(JsonNode page, string list, string key) =>
        page[list]!.AsArray().Select(item => item![key]!.GetValue<string>()).ToArray();

    [Theory]
    [InlineData("/v1/things")]
    [InlineData("/paged/v1/things")]
    public async Task Page_tokens_walk_the_list_once_with_repeated_names_left_out(string path)
    {
        var first = await GetOkAsync(path);
        Assert.Equal(["a", "b"], Names(first, "things", "name"));
        var token = first["nextPageToken"]!.GetValue<string>();

        var second = await GetOkAsync($"{path}?pageToken={Uri.EscapeDataString(token)}&pageSize=2");
        Assert.Equal(["c", "d"], Names(second, "things", "name"));

        var last = await GetOkAsync($"{path}?pageToken={Uri.EscapeDataString(second["nextPageToken"]!.GetValue<string>())}");
        Assert.Equal(["e"], Names(last, "things", "name"));
        // The last page has no token at all, as Google's lists end.
        Assert.False(last.AsObject().ContainsKey("nextPageToken"));
    }

    [Theory]
    [InlineData("?pageSize=100", new[] { "a", "b", "c" })]
    [InlineData("?pageSize=0", new[] { "a", "b" })]
    [InlineData("?pageSize=1", new[] { "a" })]
    public async Task A_page_size_above_the_maximum_is_lowered_and_zero_is_the_default(string query, string[] names)
    {
        Assert.Equal(names, Names(await GetOkAsync("/v1/things" + query), "things", "name"));
    }

    [Theory]
    [InlineData("?pageToken=nonsense", "pageToken")]
    [InlineData("?pageToken=mfo1.%21%21", "pageToken")]
    [InlineData("?pageSize=-1", "pageSize")]
    [InlineData("?pageSize=ten", "pageSize")]
    public async Task A_malformed_page_parameter_is_a_400_naming_it(string query, string param)
    {
        var error = await GetErrorAsync("/v1/things" + query, HttpStatusCode.BadRequest);

        Assert.Equal(param, error["param"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/items")]
    [InlineData("/paged/v1/items")]
    public async Task Cursors_page_forwards_and_back_with_has_more_first_and_last(string path)
    {
        var first = await GetOkAsync(path);
        Assert.Equal(["i1", "i2"], Names(first, "data", "id"));
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal("i1", first["first_id"]!.GetValue<string>());
        Assert.Equal("i2", first["last_id"]!.GetValue<string>());

        var next = await GetOkAsync($"{path}?after_id=i2&limit=5");
        Assert.Equal(["i3", "i4"], Names(next, "data", "id"));
        Assert.False(next["has_more"]!.GetValue<bool>());

        var back = await GetOkAsync($"{path}?before_id=i4&limit=2");
        Assert.Equal(["i2", "i3"], Names(back, "data", "id"));
        Assert.True(back["has_more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_unknown_cursor_is_an_empty_last_page_with_null_ids()
    {
        var page = await GetOkAsync("/v1/items?after_id=gone");

        Assert.Equal("""{"data":[],"has_more":false,"first_id":null,"last_id":null}""", page.ToJsonString());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=6", "limit")]
    [InlineData("?after_id=i1&before_id=i3", "before_id")]
    [InlineData("?verbose=maybe", "verbose")]
    public async Task Bounds_and_conflicts_are_400s_naming_the_parameter(string query, string param)
    {
        var error = await GetErrorAsync("/v1/items" + query, HttpStatusCode.BadRequest);

        Assert.Equal(param, error["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_parameter_the_pager_does_not_take_reaches_the_adapter()
    {
        var page = await GetOkAsync("/v1/items?verbose=true");

        Assert.True(page["data"]![0]!["verbose"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Required_and_bounded_parameters_of_a_single_resource()
    {
        Assert.Equal("""{"name":"thing-1","note":"full/none"}""", (await GetOkAsync("/v1/things/thing-1?view=full")).ToJsonString());
        Assert.Equal("""{"name":"thing-1","note":"full/3"}""", (await GetOkAsync("/paged/v1/things/thing-1?view=full&depth=3")).ToJsonString());

        Assert.Equal("view", (await GetErrorAsync("/v1/things/thing-1", HttpStatusCode.BadRequest))["param"]!.GetValue<string>());
        Assert.Equal("depth", (await GetErrorAsync("/v1/things/thing-1?view=full&depth=-1", HttpStatusCode.BadRequest))["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_query_parameters()
    {
        var document = await GetOkAsync("/openapi/v1.json");

        var parameters = document["paths"]!["/v1/things"]!["get"]!["parameters"]!.AsArray();
        var pageSize = parameters.Single(p => p!["name"]!.GetValue<string>() == "pageSize")!;
        Assert.Equal("query", pageSize["in"]!.GetValue<string>());
        Assert.Equal("integer", pageSize["schema"]!["type"]!.GetValue<string>());
        Assert.Equal("The most things per page.", pageSize["description"]!.GetValue<string>());
        var view = document["paths"]!["/v1/things/{thing_id}"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "view")!;
        Assert.True(view["required"]!.GetValue<bool>());
    }
}
