using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Contracts.Upstream;
using Manifold.Plugins.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Plugins.Tests.OpenAI;

/// <summary>
/// POST {base}/responses/input_tokens against a loopback OpenAI that answers as the API reference documents, and refuses
/// fields input_tokens does not take, as the API does with unknown parameters.
/// </summary>
public sealed class InputTokensTests
{
    private static readonly HashSet<string> Accepted =
        ["model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "reasoning", "text", "previous_response_id", "conversation", "truncation"];

    private static Task<FakeUpstream> CountingUpstreamAsync() => FakeUpstream.StartAsync(app =>
        app.MapPost("/v1/responses/input_tokens", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            if (body.Select(static p => p.Key).FirstOrDefault(static k => !Accepted.Contains(k)) is { } unknown)
            {
                return Results.Text($$$"""{"error":{"message":"Unknown parameter: '{{{unknown}}}'.","type":"invalid_request_error","param":"{{{unknown}}}","code":"unknown_parameter"}}""", "application/json", statusCode: 400);
            }
            return Results.Text("""{"object":"response.input_tokens","input_tokens":11}""", "application/json");
        }));

    [Fact]
    public async Task Posts_the_request_with_the_bearer_key_and_reads_the_count()
    {
        await using var upstream = await CountingUpstreamAsync();
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);
        var request = JsonSerializer.Deserialize<InputTokensRequest>("""{"model":"gpt-5","input":"Tell me a joke.","instructions":"Be brief."}""", ManifoldJson.Options)!;

        var count = await platform.CountInputTokensAsync(request, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(("response.input_tokens", 11L), (count.Object, count.InputTokens));
        var sent = upstream.SingleRequest;
        Assert.Equal("/v1/responses/input_tokens", sent.RawTarget);
        Assert.Equal("Bearer " + TestPlatforms.Key, sent.Header("Authorization"));
        Assert.Equal("""{"model":"gpt-5","input":"Tell me a joke.","instructions":"Be brief."}""", sent.Body);
    }

    [Fact]
    public async Task Openais_refusal_comes_back_as_an_upstream_error()
    {
        await using var upstream = await CountingUpstreamAsync();
        var platform = (IResponsesAdapter)TestPlatforms.OpenAI(upstream.BaseUrl);
        var request = JsonSerializer.Deserialize<InputTokensRequest>("""{"model":"gpt-5","input":"Hi","max_output_tokens":5}""", ManifoldJson.Options)!;

        var error = await Assert.ThrowsAsync<UpstreamException>(() => platform.CountInputTokensAsync(request, TestPlatforms.Context(), CancellationToken.None));

        Assert.Equal((400, "unknown_parameter"), (error.StatusCode, error.Code));
    }
}
