using System.Text;
using System.Text.Json;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// A model API on loopback that answers like a real one under load: streams drip one event every
/// <c>SLOW_INTERVAL_MS</c> (default 400) for <c>SLOW_EVENTS</c> pieces (default 60), in the official shapes of
/// OpenAI Chat Completions (<c>/v1/chat/completions</c>), OpenAI Responses (<c>/v1/responses</c>), Anthropic Messages
/// (<c>/v1/messages</c>) and Gemini (<c>/v1beta/models/{model}:streamGenerateContent?alt=sse</c>, <c>:generateContent</c>).
/// A model whose name holds <c>fault-{kind}</c> misbehaves instead (<see cref="Fault"/>), for the reliability run.
/// <c>GET /_stats</c> counts what arrived.
/// </summary>
internal static class SlowUpstream
{
    private static int s_events = 60;
    private static int s_intervalMs = 400;

    public static async Task<int> RunAsync(string[] args)
    {
        s_events = EnvNumber("SLOW_EVENTS", s_events);
        s_intervalMs = EnvNumber("SLOW_INTERVAL_MS", s_intervalMs);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.RunAsync();
        return 0;
    }

    private static int EnvNumber(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    private static async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (path == "/_stats" && HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(UpstreamStats.Json());
            return;
        }
        if (path == "/v1/models" || path == "/v1beta/models")
        {
            // Model lists are not under load here; an empty list is a valid one.
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(path == "/v1/models" ? """{"object":"list","data":[]}""" : """{"models":[]}""");
            return;
        }

        ISlowProtocol? protocol = null;
        string? model = null;
        var stream = false;
        if (path == "/v1/chat/completions")
        {
            protocol = ChatProtocol.Instance;
        }
        else if (path == "/v1/responses")
        {
            protocol = ResponsesProtocol.Instance;
        }
        else if (path == "/v1/messages")
        {
            protocol = MessagesProtocol.Instance;
        }
        else if (path.StartsWith("/v1beta/models/", StringComparison.Ordinal) && path.LastIndexOf(':') is var colon and > 0)
        {
            protocol = GeminiProtocol.Instance;
            model = path["/v1beta/models/".Length..colon];
            var method = path[(colon + 1)..];
            if (method is not ("streamGenerateContent" or "generateContent"))
            {
                await WriteErrorAsync(ctx, protocol, 404, $"Method {method} is not served here.");
                return;
            }
            stream = method == "streamGenerateContent";
        }
        if (protocol is null || !HttpMethods.IsPost(ctx.Request.Method))
        {
            UpstreamStats.Count("unknown");
            ctx.Response.StatusCode = 404;
            return;
        }

        JsonElement body;
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted);
            body = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            await WriteErrorAsync(ctx, protocol, 400, "The body is not JSON.");
            return;
        }
        model ??= body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "unknown-model";
        if (protocol != GeminiProtocol.Instance)
        {
            stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        }
        var includeUsage = body.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        var fault = Fault.Of(model);
        UpstreamStats.Count($"{protocol.Name}.{(stream ? "stream" : "json")}{(fault == FaultKind.None ? "" : "." + fault.ToString().ToLowerInvariant())}");

        switch (fault)
        {
            case FaultKind.Hang:
                // Never a header: only the gateway's first-byte timeout (or the client leaving) ends this.
                await SleepAsync(Timeout.InfiniteTimeSpan, ctx.RequestAborted);
                return;
            case FaultKind.Error:
                // Real APIs quote the key they were given in some errors; the gateway must not relay it.
                await WriteErrorAsync(ctx, protocol, 500, $"The fake upstream failed on purpose (fault-error) for key {KeyOf(ctx.Request)}.");
                return;
        }

        if (!stream)
        {
            await AnswerAsync(ctx, protocol, model, fault);
            return;
        }

        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        UpstreamStats.StreamOpened();
        try
        {
            await StreamAsync(ctx, protocol, model, includeUsage, fault);
        }
        catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
        {
            UpstreamStats.Count("aborted-by-gateway");
        }
        finally
        {
            UpstreamStats.StreamClosed();
        }
    }

    /// <summary>A JSON answer, or its fault: dropped, headers then silence, cut in half, not JSON.</summary>
    private static async Task AnswerAsync(HttpContext ctx, ISlowProtocol protocol, string model, FaultKind fault)
    {
        var answer = protocol.Answer(model, s_events);
        switch (fault)
        {
            case FaultKind.Close:
                ctx.Abort();
                return;
            case FaultKind.Silent:
                ctx.Response.ContentType = "application/json";
                await ctx.Response.StartAsync(ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await SleepAsync(Timeout.InfiniteTimeSpan, ctx.RequestAborted);
                return;
            case FaultKind.Truncate:
                answer = answer[..(answer.Length / 2)];
                break;
            case FaultKind.Garbage:
                answer = "{\"this is not\": json";
                break;
        }
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(answer, ctx.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext ctx, ISlowProtocol protocol, string model, bool includeUsage, FaultKind fault)
    {
        var aborted = ctx.RequestAborted;
        var sb = new StringBuilder();
        foreach (var e in protocol.Opening(model))
        {
            Append(sb, protocol, e);
        }
        await SendAsync(ctx, sb, aborted);
        for (var i = 0; i < s_events; i++)
        {
            await SleepAsync(TimeSpan.FromMilliseconds(s_intervalMs), aborted);
            if (i == 3)
            {
                switch (fault)
                {
                    case FaultKind.Silent:
                        // Headers and a few events, then nothing: the gateway's idle timeout must end it.
                        await SleepAsync(Timeout.InfiniteTimeSpan, aborted);
                        return;
                    case FaultKind.Close:
                        ctx.Abort();
                        return;
                    case FaultKind.Truncate:
                        // A clean end of the body without the protocol's final event.
                        return;
                    case FaultKind.Garbage:
                        sb.Append("data: {\"choices\": [ this is not json\n\n");
                        await SendAsync(ctx, sb, aborted);
                        return;
                }
            }
            Append(sb, protocol, protocol.Delta(model, i));
            await SendAsync(ctx, sb, aborted);
        }
        foreach (var e in protocol.Closing(model, s_events, includeUsage))
        {
            Append(sb, protocol, e);
        }
        await SendAsync(ctx, sb, aborted);
        UpstreamStats.Count("streams-finished");
    }

    private static void Append(StringBuilder sb, ISlowProtocol protocol, SseOut e)
    {
        if (e.Event is not null)
        {
            sb.Append("event: ").Append(e.Event).Append(protocol.LineEnd);
        }
        sb.Append("data: ").Append(e.Data).Append(protocol.LineEnd).Append(protocol.LineEnd);
    }

    private static async Task SendAsync(HttpContext ctx, StringBuilder sb, CancellationToken aborted)
    {
        await ctx.Response.WriteAsync(sb.ToString(), aborted);
        await ctx.Response.Body.FlushAsync(aborted);
        sb.Clear();
    }

    private static string KeyOf(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { Length: > 7 } bearer ? bearer[7..]
        : request.Headers["x-api-key"].ToString() is { Length: > 0 } anthropic ? anthropic
        : request.Headers["x-goog-api-key"].ToString();

    /// <summary>Waits; the gateway hanging up ends the wait quietly (a write after it fails, and ends the request).</summary>
    private static async Task SleepAsync(TimeSpan time, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(time, aborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WriteErrorAsync(HttpContext ctx, ISlowProtocol protocol, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(protocol.Error(status, message));
    }
}
