using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.PluginEndpoints;

/// <summary>
/// An endpoint Manifold does not have, <c>POST /v1/rerank</c>, brought by a plugin's own spec (tests/Plugins/
/// Manifold.TestPlugin.Rerank/specs/rerank.yaml) and served by the real host as it serves its own: licence, platform by
/// name or by model, accounts and failover, errors in the spec's protocol (OpenAI's), the OpenAPI document.
/// </summary>
public sealed class RerankPluginTests(RerankGateway gateway) : IClassFixture<RerankGateway>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Rerank(string model = RerankGateway.Model, string extra = "") => Json($$"""
        {"model":"{{model}}","query":"organic skincare for sensitive skin",
         "documents":["New makeup trends focus on bold colors.",{"text":"Organic skincare for sensitive skin with aloe vera."},"Skincare for dry skin."],
         "top_n":2{{extra}}}
        """);

    [Fact]
    public async Task The_plugin_endpoint_is_served_under_its_platform_and_through_its_accounts()
    {
        // A gateway of its own: on the shared one, other tests' calls leave accounts resting and the rotation turned, so which
        // account this test's calls meet first would depend on the order the tests run in.
        var own = new RerankGateway();
        await own.InitializeAsync();
        try
        {
            await ServedThroughItsAccountsAsync(own);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private static async Task ServedThroughItsAccountsAsync(RerankGateway gateway)
    {
        using var client = gateway.Manifold.CreateAuthorizedClient();

        // Two calls: whichever account the rotation starts with, one of them meets the rate-limited account first.
        for (var i = 0; i < 2; i++)
        {
            var response = await client.PostAsync($"/{RerankGateway.Platform}/v1/rerank", Rerank(extra: ""","return_documents":true,"truncation":true"""));

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var answer = JsonNode.Parse(text)!;
            Assert.Equal(RerankGateway.Model, answer["model"]!.GetValue<string>());
            Assert.Equal(42, answer["usage"]!["total_tokens"]!.GetValue<int>());
            var results = answer["results"]!.AsArray();
            Assert.Equal([1, 2], results.Select(static r => r!["index"]!.GetValue<int>()));
            Assert.Equal(1.0, results[0]!["relevance_score"]!.GetValue<double>());
            Assert.Equal("Organic skincare for sensitive skin with aloe vera.", results[0]!["document"]!["text"]!.GetValue<string>());
            // The upstream's request id, relayed in the protocol's header.
            Assert.Equal("jina-request-1", response.Headers.GetValues("x-request-id").Single());
        }

        var sent = gateway.Upstream.Requests.Where(static r => r.Body["return_documents"] is not null).ToList();
        Assert.Contains(sent, static r => r.Authorization == "Bearer sk-limited");
        Assert.Equal(2, sent.Count(static r => r.Authorization == "Bearer sk-good"));
        // The typed request reached the upstream whole: both shapes of document, and a field the spec does not model.
        var body = sent[^1].Body;
        Assert.Equal("New makeup trends focus on bold colors.", body["documents"]![0]!.GetValue<string>());
        Assert.Equal("Organic skincare for sensitive skin with aloe vera.", body["documents"]![1]!["text"]!.GetValue<string>());
        Assert.True(body["truncation"]!.GetValue<bool>());
    }

    [Fact]
    public async Task At_the_root_the_model_picks_the_plugin_platform()
    {
        using var client = gateway.Manifold.CreateAuthorizedClient();

        var response = await client.PostAsync("/v1/rerank", Rerank());
        var unknown = await client.PostAsync("/v1/rerank", Rerank(model: "bge-reranker-large"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!.AsArray().Count);
        await GatewayAssert.OpenAIError(unknown, HttpStatusCode.NotFound, param: "model", code: "model_not_found");
    }

    [Theory]
    [InlineData("""{"model":"jina-reranker-v2-base-multilingual","documents":["a"]}""", "query")]
    [InlineData("""{"model":"jina-reranker-v2-base-multilingual","query":"q","documents":[7]}""", "documents[0]")]
    [InlineData("""{"model":"jina-reranker-v2-base-multilingual","query":"q","documents":["a"],"top_n":"two"}""", "top_n")]
    public async Task A_malformed_request_is_a_400_in_the_protocol_of_the_plugins_spec_and_never_reaches_the_upstream(string json, string param)
    {
        using var client = gateway.Manifold.CreateAuthorizedClient();
        var before = gateway.Upstream.Requests.Count;

        var response = await client.PostAsync($"/{RerankGateway.Platform}/v1/rerank", Json(json));

        await GatewayAssert.OpenAIError(response, HttpStatusCode.BadRequest, param: param);
        Assert.Equal(before, gateway.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Without_a_licence_the_plugin_endpoint_is_a_401()
    {
        using var client = gateway.Manifold.CreateClient();
        var before = gateway.Upstream.Requests.Count;

        var response = await client.PostAsync($"/{RerankGateway.Platform}/v1/rerank", Rerank());

        await GatewayAssert.OpenAIError(response, HttpStatusCode.Unauthorized, code: "missing_api_key");
        Assert.Equal(before, gateway.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Upstream_errors_reach_the_caller_as_the_host_maps_them()
    {
        using var client = gateway.Manifold.CreateAuthorizedClient();

        var refused = await client.PostAsync($"/{RerankGateway.Platform}/v1/rerank", Rerank(model: "jina-reranker-bad"));
        var denied = await client.PostAsync($"/{RerankGateway.Platform}/v1/rerank", Rerank(model: "jina-reranker-denied"));
        var unknownPlatform = await client.PostAsync("/cohere/v1/rerank", Rerank());

        // The caller's fault, as the upstream said it: its status and message.
        var error = await GatewayAssert.OpenAIError(refused, HttpStatusCode.BadRequest);
        Assert.Equal("The query must not be longer than 512 tokens.", error.GetProperty("message").GetString());
        // The upstream refusing the platform's key is not the caller's 401.
        await GatewayAssert.OpenAIError(denied, HttpStatusCode.BadGateway, code: "upstream_auth_failed");
        await GatewayAssert.OpenAIError(unknownPlatform, HttpStatusCode.NotFound, code: "platform_not_found");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_plugin_endpoint()
    {
        using var client = gateway.Manifold.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!;
        foreach (var path in new[] { "/v1/rerank", "/{platform}/v1/rerank" })
        {
            var operation = paths[path]!["post"]!;
            Assert.Equal("Ranks documents by their relevance to a query.", operation["summary"]!.GetValue<string>());
            var request = operation["requestBody"]!["content"]!["application/json"]!["schema"]!;
            Assert.Equal(["model", "query", "documents", "top_n", "return_documents"], request["properties"]!.AsObject().Select(static p => p.Key));
            Assert.Equal("#/components/schemas/RerankResponse", operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        }
        Assert.NotNull(document["components"]!["schemas"]!["RerankResult"]);
    }
}
