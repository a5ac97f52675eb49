namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>The request handler: a path switch over the endpoints, cheaper than routing.</summary>
internal static class FakeRoutes
{
    public static Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value;
        var method = ctx.Request.Method;
        if (path == "/v1/chat/completions")
        {
            return HttpMethods.IsPost(method)
                ? FakeOpenAi.ChatCompletionsAsync(ctx)
                : FakeOpenAi.ErrorAsync(ctx, 405, "Method not allowed.", "invalid_request_error");
        }

        if (path == "/v1/messages")
        {
            return HttpMethods.IsPost(method)
                ? FakeAnthropic.MessagesAsync(ctx)
                : FakeAnthropic.ErrorAsync(ctx, 405, "Method not allowed.");
        }

        if (path == "/v1/models" && HttpMethods.IsGet(method))
        {
            return FakeOpenAi.ModelsAsync(ctx);
        }

        if (path == "/_fake/stats" && HttpMethods.IsGet(method))
        {
            return FakeJson.WriteJsonAsync(ctx, 200, FakeStats.Write);
        }

        return FakeOpenAi.ErrorAsync(ctx, 404, $"Unknown request URL: {method} {path}.", "invalid_request_error");
    }
}
