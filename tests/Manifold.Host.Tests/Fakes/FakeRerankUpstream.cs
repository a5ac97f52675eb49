using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Fakes;

/// <summary>
/// A loopback reranker with Jina AI's API (<c>POST /v1/rerank</c>, errors as <c>{"detail": "…"}</c>), scoring each document
/// by the share of the query's words it contains. The model selects failures: <c>jina-reranker-bad</c> gets a 400,
/// <c>jina-reranker-denied</c> a 401; the account key <c>sk-limited</c> always gets a 429, for failover.
/// </summary>
public sealed class FakeRerankUpstream : IAsyncDisposable
{
    private readonly LoopbackUpstream _server;

    private FakeRerankUpstream(LoopbackUpstream server, ConcurrentQueue<RecordedRequest> requests)
    {
        _server = server;
        Requests = requests;
    }

    /// <summary>The base URL as Jina's SDKs define it, with <c>/v1</c>.</summary>
    public string BaseUrl => _server.Root + "/v1";

    public ConcurrentQueue<RecordedRequest> Requests { get; }

    public sealed record RecordedRequest(string? Authorization, JsonObject Body);

    public static async Task<FakeRerankUpstream> StartAsync()
    {
        var requests = new ConcurrentQueue<RecordedRequest>();
        var server = await LoopbackUpstream.StartAsync(app => app.MapPost("/v1/rerank", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            var authorization = http.Request.Headers.Authorization.ToString();
            requests.Enqueue(new RecordedRequest(authorization, body));
            return Answer(body, authorization, http.Response);
        }));
        return new FakeRerankUpstream(server, requests);
    }

    private static IResult Answer(JsonObject body, string authorization, HttpResponse response)
    {
        var model = body["model"]!.GetValue<string>();
        if (model == "jina-reranker-bad")
        {
            return Results.Json(new { detail = "The query must not be longer than 512 tokens." }, statusCode: 400);
        }
        if (model == "jina-reranker-denied")
        {
            return Results.Json(new { detail = "Invalid API key." }, statusCode: 401);
        }
        if (authorization == "Bearer sk-limited")
        {
            return Results.Json(new { detail = "Rate limit exceeded." }, statusCode: 429);
        }

        var words = Words(body["query"]!.GetValue<string>());
        var documents = body["documents"]!.AsArray().Select(static d => d is JsonObject o ? o["text"]!.GetValue<string>() : d!.GetValue<string>()).ToList();
        var ranked = documents
            .Select((text, index) => (Index: index, Text: text, Score: words.Count == 0 ? 0 : Words(text).Intersect(words).Count() / (double)words.Count))
            .OrderByDescending(static r => r.Score).ThenBy(static r => r.Index)
            .Take(body["top_n"]?.GetValue<int>() ?? documents.Count);
        var returnDocuments = body["return_documents"]?.GetValue<bool>() == true;
        var results = new JsonArray();
        foreach (var (index, text, score) in ranked)
        {
            var result = new JsonObject { ["index"] = index, ["relevance_score"] = score };
            if (returnDocuments)
            {
                result["document"] = new JsonObject { ["text"] = text };
            }
            results.Add(result);
        }
        response.Headers["x-request-id"] = "jina-request-1";
        return Results.Text(
            new JsonObject { ["model"] = model, ["usage"] = new JsonObject { ["total_tokens"] = 42 }, ["results"] = results }.ToJsonString(),
            "application/json");
    }

    private static HashSet<string> Words(string text) =>
        text.Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries).Select(static w => w.ToLowerInvariant()).ToHashSet();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
