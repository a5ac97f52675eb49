using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Fakes;

/// <summary>
/// A loopback upstream for metering: OpenAI (Chat Completions, Responses, Images), Anthropic Messages and Gemini, each
/// answering with the documented payloads and its own, distinct usage, JSON and streamed. Chat Completions streams
/// report usage only when asked (<c>stream_options.include_usage</c>), as OpenAI's do, and every request's ask is
/// recorded. Models ending in <c>-gated</c> stream some text and then hold the rest until the caller leaves.
/// </summary>
public sealed class MeteredUpstream : IAsyncDisposable
{
    // The usage each protocol reports, as the protocol counts it; the comments give what Manifold must meter.
    public static readonly (long Input, long Output, long Total) Chat = (11, 7, 18);
    public static readonly (long Input, long Output, long Total) Responses = (13, 6, 19);

    // Anthropic: input_tokens 10, cache writes 2, cache reads 4 (metered input 16), output 6 (metered total 22).
    public static readonly (long Input, long Output, long Total) Messages = (16, 6, 22);

    // Gemini: promptTokenCount 9, candidatesTokenCount 4 + thoughtsTokenCount 2 (metered output 6), totalTokenCount 15.
    public static readonly (long Input, long Output, long Total) Gemini = (9, 6, 15);
    public static readonly (long Input, long Output, long Total) Images = (20, 100, 120);

    /// <summary>What a gated stream sends before it holds: 18 characters, so an estimate of 5 tokens.</summary>
    public const string GatedText = "Hello there friend";

    private LoopbackUpstream _server = null!;

    public string Root => _server.Root;

    /// <summary>For each Chat Completions stream received: whether it asked for usage.</summary>
    public ConcurrentQueue<bool> ChatStreamsAskedForUsage { get; } = new();

    /// <summary>Completed each time a gated stream's caller (Manifold) goes away.</summary>
    public ConcurrentQueue<string> Abandoned { get; } = new();

    public static async Task<MeteredUpstream> StartAsync()
    {
        var upstream = new MeteredUpstream();
        upstream._server = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", upstream.ChatAsync);
            app.MapPost("/v1/responses", ResponsesAsync);
            app.MapPost("/v1/messages", upstream.MessagesAsync);
            app.MapPost("/v1beta/models/{method}", GeminiAsync);
            app.MapPost("/v1/images/generations", ImagesAsync);
        });
        return upstream;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ChatAsync(HttpContext http)
    {
        var request = await ReadAsync(http);
        var model = request["model"]!.GetValue<string>();
        var usage = $$$"""{"prompt_tokens":{{{Chat.Input}}},"completion_tokens":{{{Chat.Output}}},"total_tokens":{{{Chat.Total}}},"prompt_tokens_details":{"cached_tokens":0}}""";
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await Results.Text($$"""
                {"id":"chatcmpl-up","object":"chat.completion","created":1741569952,"model":"{{model}}",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from chat","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{{usage}}}
                """, "application/json").ExecuteAsync(http);
            return;
        }
        var includeUsage = request["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        ChatStreamsAskedForUsage.Enqueue(includeUsage);
        http.Response.ContentType = "text/event-stream";
        string Chunk(string delta, string finish) =>
            $$"""{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1741569952,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]}""";
        await SendAsync(http, null, Chunk("""{"role":"assistant","content":""}""", "null"));
        if (model.EndsWith("-gated", StringComparison.Ordinal))
        {
            await SendAsync(http, null, Chunk($$"""{"content":"{{GatedText}}"}""", "null"));
            await HoldAsync(http, model);
            return;
        }
        await SendAsync(http, null, Chunk("""{"content":"Hello"}""", "null"));
        await SendAsync(http, null, Chunk("""{"content":" from chat"}""", "null"));
        await SendAsync(http, null, Chunk("{}", "\"stop\""));
        if (includeUsage)
        {
            await SendAsync(http, null, $$"""{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1741569952,"model":"{{model}}","choices":[],"usage":{{usage}}}""");
        }
        await SendAsync(http, null, "[DONE]");
    }

    private static async Task ResponsesAsync(HttpContext http)
    {
        var request = await ReadAsync(http);
        var model = request["model"]!.GetValue<string>();
        var response = $$$"""
            {"id":"resp_up","object":"response","created_at":1741476542,"status":"completed","error":null,"incomplete_details":null,"instructions":null,
             "model":"{{{model}}}","output":[{"id":"msg_up","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello from responses","annotations":[]}]}],
             "parallel_tool_calls":true,"temperature":1.0,"top_p":1.0,"tool_choice":"auto","tools":[],"metadata":{},
             "usage":{"input_tokens":{{{Responses.Input}}},"input_tokens_details":{"cached_tokens":0},"output_tokens":{{{Responses.Output}}},"output_tokens_details":{"reasoning_tokens":0},"total_tokens":{{{Responses.Total}}}}}
            """;
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await Results.Text(response, "application/json").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        var created = JsonNode.Parse(response)!.AsObject();
        created["status"] = "in_progress";
        created["output"] = new JsonArray();
        created["usage"] = null;
        await SendAsync(http, "response.created", $$"""{"type":"response.created","sequence_number":0,"response":{{created.ToJsonString()}}}""");
        await SendAsync(http, "response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_up","output_index":0,"content_index":0,"delta":"Hello from responses","logprobs":[]}""");
        await SendAsync(http, "response.completed", $$"""{"type":"response.completed","sequence_number":2,"response":{{JsonNode.Parse(response)!.ToJsonString()}}}""");
    }

    private async Task MessagesAsync(HttpContext http)
    {
        var request = await ReadAsync(http);
        var model = request["model"]!.GetValue<string>();
        const string Usage = """{"input_tokens":10,"cache_creation_input_tokens":2,"cache_read_input_tokens":4,"output_tokens":6}""";
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await Results.Text($$"""
                {"id":"msg_up","type":"message","role":"assistant","model":"{{model}}","content":[{"type":"text","text":"Hello from messages"}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{{Usage}}}
                """, "application/json").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        const string Start = """{"input_tokens":10,"cache_creation_input_tokens":2,"cache_read_input_tokens":4,"output_tokens":1}""";
        await SendAsync(http, "message_start", $$$"""{"type":"message_start","message":{"id":"msg_up","type":"message","role":"assistant","model":"{{{model}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{Start}}}}}""");
        await SendAsync(http, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        if (model.EndsWith("-gated", StringComparison.Ordinal))
        {
            await SendAsync(http, "content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{GatedText}}}"}}""");
            await HoldAsync(http, model);
            return;
        }
        await SendAsync(http, "content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from messages"}}""");
        await SendAsync(http, "content_block_stop", """{"type":"content_block_stop","index":0}""");
        await SendAsync(http, "message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}""");
        await SendAsync(http, "message_stop", """{"type":"message_stop"}""");
    }

    private static async Task GeminiAsync(HttpContext http, string method)
    {
        await ReadAsync(http);
        const string Usage = """ "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":4,"thoughtsTokenCount":2,"totalTokenCount":15} """;
        if (method.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync("""data: {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash","responseId":"r1"}""" + "\r\n\r\n");
            await http.Response.WriteAsync("""data: {"candidates":[{"content":{"parts":[{"text":" from Gemini"}],"role":"model"},"finishReason":"STOP","index":0}],""" + Usage + ""","modelVersion":"gemini-2.5-flash","responseId":"r1"}""" + "\r\n\r\n");
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("""{"candidates":[{"content":{"parts":[{"text":"Hello from Gemini"}],"role":"model"},"finishReason":"STOP","index":0}],""" + Usage + ""","modelVersion":"gemini-2.5-flash","responseId":"r1"}""");
    }

    private static async Task ImagesAsync(HttpContext http)
    {
        await ReadAsync(http);
        // A 1x1 PNG.
        const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        await Results.Text($$$"""
            {"created":1713833628,"data":[{"b64_json":"{{{Png}}}"}],"background":"opaque","output_format":"png","size":"1024x1024","quality":"low",
             "usage":{"input_tokens":{{{Images.Input}}},"output_tokens":{{{Images.Output}}},"total_tokens":{{{Images.Total}}},"input_tokens_details":{"text_tokens":20,"image_tokens":0} } }
            """, "application/json").ExecuteAsync(http);
    }

    /// <summary>Holds the rest of a gated stream back until the caller leaves.</summary>
    private async Task HoldAsync(HttpContext http, string model)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Abandoned.Enqueue(model);
        }
    }

    private static async Task<JsonNode> ReadAsync(HttpContext http) =>
        JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) ?? new JsonObject();

    private static async Task SendAsync(HttpContext http, string? name, string data)
    {
        await http.Response.WriteAsync((name is null ? "" : $"event: {name}\n") + $"data: {data}\n\n");
        await http.Response.Body.FlushAsync();
    }
}
