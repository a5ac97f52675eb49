using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// The programmable fault upstream: a <see cref="LoopbackUpstream"/> that speaks the endpoints the openai, claude and
/// gemini plugins call (Chat Completions, Responses, Messages, generateContent and streamGenerateContent), answering each
/// request with the <see cref="Fault"/> its model names (<c>{family}-f_{fault}</c>, e.g. <c>claude-f_truncate</c>). Correct
/// answers are the documented payloads; every echo quotes <see cref="Keys"/>, all of them, whichever account asked.
/// </summary>
public sealed class FaultUpstream : IAsyncDisposable
{
    /// <summary>Two accounts per platform: the one in use and another configured one must both stay secret.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Keys = new Dictionary<string, string[]>
    {
        ["openai"] = ["sk-fault-openai-00000000000000000001", "sk-fault-openai-00000000000000000002"],
        ["claude"] = ["sk-ant-fault-000000000000000000000001", "sk-ant-fault-000000000000000000000002"],
        ["gemini"] = ["AIzaFaultGemini000000000000000000001", "AIzaFaultGemini000000000000000000002"],
    };

    public static IEnumerable<string> AllKeys => Keys.Values.SelectMany(static k => k);

    /// <summary>How big the giant line grows if nobody stops reading it: far past any bound, never held here.</summary>
    public const long GiantBytes = 300L * 1024 * 1024;

    /// <summary>The drip's pace: one byte per this many milliseconds.</summary>
    public const int DripMilliseconds = 4;

    /// <summary>How many bytes a drip sends at least: at its pace, longer in total than the gateway's idle timeout.</summary>
    public const int DripBytes = 1000;

    private static readonly byte[] GiantChunk = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));

    private LoopbackUpstream _server = null!;

    public string Root => _server.Root;

    public static async Task<FaultUpstream> StartAsync()
    {
        var upstream = new FaultUpstream();
        upstream._server = await LoopbackUpstream.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", (HttpContext http) => upstream.HandleAsync(http, Wire.Chat, null));
            app.MapPost("/v1/responses", (HttpContext http) => upstream.HandleAsync(http, Wire.Responses, null));
            app.MapPost("/v1/messages", (HttpContext http) => upstream.HandleAsync(http, Wire.Messages, null));
            app.MapPost("/v1beta/models/{method}", (HttpContext http, string method) => upstream.HandleAsync(http, Wire.Gemini, method));
        });
        return upstream;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>The model naming <paramref name="fault"/> on the platform of <paramref name="family"/> (openai, claude, gemini).</summary>
    public static string Model(string family, Fault fault) => family switch
    {
        "openai" => "gpt-f_",
        "claude" => "claude-f_",
        _ => "gemini-f_",
    } + fault.ToString().ToLowerInvariant();

    private enum Wire
    {
        Chat,
        Responses,
        Messages,
        Gemini,
    }

    private async Task HandleAsync(HttpContext http, Wire wire, string? method)
    {
        var body = await ReadBodyAsync(http);
        var model = method is not null ? method[..method.IndexOf(':')] : body?["model"]?.GetValue<string>() ?? "";
        var stream = method is not null ? method.EndsWith(":streamGenerateContent", StringComparison.Ordinal) : body?["stream"]?.GetValue<bool>() == true;
        var fault = Enum.Parse<Fault>(model[(model.IndexOf("f_", StringComparison.Ordinal) + 2)..], ignoreCase: true);
        var script = new Script(wire, model);
        var aborted = http.RequestAborted;
        try
        {
            await PlayAsync(http, fault, script, stream, aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionAbortedException || aborted.IsCancellationRequested)
        {
            // The host gave up on us (timeout, bound, client gone): that is what the fault was for.
        }
    }

    private async Task PlayAsync(HttpContext http, Fault fault, Script script, bool stream, CancellationToken aborted)
    {
        var response = http.Response;
        var echo = "Incorrect API key provided: " + string.Join(", ", AllKeys) + ".";
        var echoJson = JsonSerializer.Serialize(echo);
        switch (fault)
        {
            case Fault.Hang:
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            case Fault.Silent:
                response.ContentType = stream ? script.StreamType : "application/json";
                await response.StartAsync(aborted);
                await response.Body.FlushAsync(aborted);
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            case Fault.EchoOpenAIBody:
                await ErrorAsync(http, 400, "application/json", $$$$"""{"error":{"message":{{{{echoJson}}}},"type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
                return;
            case Fault.EchoAnthropicBody:
                await ErrorAsync(http, 400, "application/json", $$$$"""{"type":"error","error":{"type":"authentication_error","message":{{{{echoJson}}}}},"request_id":"req_fault"}""");
                return;
            case Fault.EchoGeminiBody:
                await ErrorAsync(http, 400, "application/json",
                    $$$$"""{"error":{"code":400,"message":{{{{echoJson}}}},"status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","metadata":{"key":{{{{echoJson}}}}}}]}}""");
                return;
            case Fault.EchoUntypedBody:
                await ErrorAsync(http, 400, "application/json", $$$$"""{"error":{"message":{{{{echoJson}}}}},"key":{{{{echoJson}}}}}""");
                return;
            case Fault.EchoTextBody:
                await ErrorAsync(http, 500, "text/plain", echo);
                return;
            case Fault.EchoHeader:
                foreach (var name in (string[])["x-request-id", "request-id", "x-goog-request-id", "x-debug-key", "retry-after"])
                {
                    response.Headers[name] = echo;
                }
                break;
        }

        if (!stream)
        {
            await AnswerJsonAsync(http, fault, script, echoJson, aborted);
            return;
        }

        response.ContentType = script.StreamType;
        var events = fault switch
        {
            Fault.Truncate => script.Events[..^script.FinalEvents],
            Fault.EchoUnknownField => [.. script.Events.Select(e => (e.Name, WithField(e.Data, echoJson)))],
            _ => script.Events,
        };
        switch (fault)
        {
            case Fault.Cut:
                await SendAsync(http, script, events[0], aborted);
                http.Abort();
                return;
            case Fault.GarbageText:
                await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>\n", aborted);
                return;
            case Fault.GarbageJson:
                await response.WriteAsync("data: {\"choices\": [{\"delta\": {\"content\": \"unterminated" + script.Terminator, aborted);
                return;
            case Fault.GarbageUtf8:
                await response.Body.WriteAsync(Encoding.ASCII.GetBytes("data: ").Concat(new byte[] { 0xff, 0xfe, 0xc3, 0x28, 0x80 }).Concat(Encoding.ASCII.GetBytes(script.Terminator)).ToArray(), aborted);
                return;
            case Fault.Giant:
                await response.WriteAsync("data: {\"x\":\"", aborted);
                await GiantAsync(response, aborted);
                return;
            case Fault.Drip:
                var text = new StringBuilder();
                foreach (var e in events)
                {
                    text.Append(Frame(script, e));
                }
                // Comments first, so the drip lasts longer in total than the idle timeout before the first event is whole.
                var padding = new StringBuilder();
                while (padding.Length + text.Length < DripBytes)
                {
                    padding.Append(": dripping\n");
                }
                await DripAsync(response, Encoding.UTF8.GetBytes(padding.Append(text).ToString()), aborted);
                return;
            case Fault.EchoOpenAIEvent or Fault.EchoAnthropicEvent or Fault.EchoGeminiEvent or Fault.EchoUntypedEvent or Fault.EchoBareEvent:
                await SendAsync(http, script, events[0], aborted);
                await SendAsync(http, script, ErrorEvent(fault, echoJson), aborted);
                return;
        }
        foreach (var e in events)
        {
            await SendAsync(http, script, e, aborted);
        }
    }

    private static (string? Name, string Data) ErrorEvent(Fault fault, string echoJson) => fault switch
    {
        Fault.EchoOpenAIEvent => (null, $$$$"""{"error":{"message":{{{{echoJson}}}},"type":"server_error","param":null,"code":null}}"""),
        Fault.EchoAnthropicEvent => ("error", $$$$"""{"type":"error","error":{"type":"overloaded_error","message":{{{{echoJson}}}}}}"""),
        Fault.EchoGeminiEvent => (null, $$$$"""{"error":{"code":500,"message":{{{{echoJson}}}},"status":"INTERNAL"}}"""),
        Fault.EchoUntypedEvent => (null, $$$$"""{"error":{"message":{{{{echoJson}}}}}}"""),
        _ => (null, $$$$"""{"message":{{{{echoJson}}}}}"""),
    };

    /// <summary>The non-streaming answer of each fault that has one.</summary>
    private async Task AnswerJsonAsync(HttpContext http, Fault fault, Script script, string echoJson, CancellationToken aborted)
    {
        var response = http.Response;
        response.ContentType = "application/json";
        var json = fault switch
        {
            Fault.EchoUnknownField => WithField(script.Json, echoJson),
            Fault.EchoOpenAIEvent or Fault.EchoAnthropicEvent or Fault.EchoGeminiEvent or Fault.EchoUntypedEvent or Fault.EchoBareEvent => ErrorEvent(fault, echoJson).Data,
            _ => script.Json,
        };
        switch (fault)
        {
            case Fault.Cut:
                await response.WriteAsync(json[..(json.Length / 2)], aborted);
                await response.Body.FlushAsync(aborted);
                http.Abort();
                return;
            case Fault.Truncate:
                // A JSON answer that ends cleanly in the middle: chunked, so the body's end is all that says so.
                await response.WriteAsync(json[..(json.Length / 2)], aborted);
                return;
            case Fault.GarbageText:
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>", aborted);
                return;
            case Fault.GarbageJson:
                await response.WriteAsync("{\"id\": [\"unterminated", aborted);
                return;
            case Fault.GarbageUtf8:
                await response.Body.WriteAsync(new byte[] { 0xff, 0xfe, 0xc3, 0x28, 0x80 }, aborted);
                return;
            case Fault.Giant:
                await response.WriteAsync("{\"x\":\"", aborted);
                await GiantAsync(response, aborted);
                return;
            case Fault.Drip:
                await DripAsync(response, Encoding.UTF8.GetBytes(json.PadRight(Math.Max(json.Length, DripBytes))), aborted);
                return;
        }
        await response.WriteAsync(json, aborted);
    }

    private static async Task GiantAsync(HttpResponse response, CancellationToken aborted)
    {
        for (long sent = 0; sent < GiantBytes; sent += GiantChunk.Length)
        {
            // Kestrel completes writes to a connection the client dropped without a word: the token says it.
            aborted.ThrowIfCancellationRequested();
            await response.Body.WriteAsync(GiantChunk, aborted);
        }
    }

    private static async Task DripAsync(HttpResponse response, byte[] bytes, CancellationToken aborted)
    {
        await response.StartAsync(aborted);
        for (var i = 0; i < bytes.Length; i++)
        {
            await response.Body.WriteAsync(bytes.AsMemory(i, 1), aborted);
            await response.Body.FlushAsync(aborted);
            await Task.Delay(DripMilliseconds, aborted);
        }
    }

    private static async Task ErrorAsync(HttpContext http, int status, string contentType, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync(body);
    }

    private static async Task SendAsync(HttpContext http, Script script, (string? Name, string Data) e, CancellationToken aborted)
    {
        await http.Response.WriteAsync(Frame(script, e), aborted);
        await http.Response.Body.FlushAsync(aborted);
    }

    private static string Frame(Script script, (string? Name, string Data) e) =>
        (e.Name is null ? "" : $"event: {e.Name}{script.Terminator[..(script.Terminator.Length / 2)]}") + "data: " + e.Data + script.Terminator;

    private static string WithField(string json, string echoJson)
    {
        if (!json.StartsWith('{') || JsonNode.Parse(json) is not JsonObject node)
        {
            // [DONE] and the like have no fields.
            return json;
        }
        node["x_debug"] = JsonNode.Parse(echoJson);
        return node.ToJsonString();
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Each protocol's correct answer, streamed and whole, as its API documents it.</summary>
    private sealed class Script
    {
        public Script(Wire wire, string model)
        {
            Terminator = wire == Wire.Gemini ? "\r\n\r\n" : "\n\n";
            switch (wire)
            {
                case Wire.Chat:
                    string Chunk(string delta, string finish) =>
                        $$$$"""{"id":"chatcmpl-f","object":"chat.completion.chunk","created":1741569952,"model":"{{{{model}}}}","choices":[{"index":0,"delta":{{{{delta}}}},"logprobs":null,"finish_reason":{{{{finish}}}}}]}""";
                    Events =
                    [
                        (null, Chunk("""{"role":"assistant","content":"Hel"}""", "null")),
                        (null, Chunk("""{"content":"lo"}""", "\"stop\"")),
                        (null, $$$$"""{"id":"chatcmpl-f","object":"chat.completion.chunk","created":1741569952,"model":"{{{{model}}}}","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"""),
                        (null, "[DONE]"),
                    ];
                    FinalEvents = 3;
                    Json = $$$$"""
                        {"id":"chatcmpl-f","object":"chat.completion","created":1741569952,"model":"{{{{model}}}}",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello","refusal":null},"logprobs":null,"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}
                        """;
                    break;
                case Wire.Responses:
                    var completed = $$$$"""
                        {"id":"resp_f","object":"response","created_at":1741476542,"status":"completed","error":null,"incomplete_details":null,"instructions":null,
                         "model":"{{{{model}}}}","output":[{"id":"msg_f","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[]}]}],
                         "parallel_tool_calls":true,"temperature":1.0,"top_p":1.0,"tool_choice":"auto","tools":[],"metadata":{},
                         "usage":{"input_tokens":3,"input_tokens_details":{"cached_tokens":0},"output_tokens":2,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":5}}
                        """;
                    var created = JsonNode.Parse(completed)!.AsObject();
                    created["status"] = "in_progress";
                    created["output"] = new JsonArray();
                    created["usage"] = null;
                    Events =
                    [
                        ("response.created", $$$$"""{"type":"response.created","sequence_number":0,"response":{{{{created.ToJsonString()}}}}}"""),
                        ("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_f","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}"""),
                        ("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_f","output_index":0,"content_index":0,"delta":"lo","logprobs":[]}"""),
                        ("response.completed", $$$$"""{"type":"response.completed","sequence_number":3,"response":{{{{JsonNode.Parse(completed)!.ToJsonString()}}}}}"""),
                    ];
                    FinalEvents = 1;
                    Json = completed;
                    break;
                case Wire.Messages:
                    Events =
                    [
                        ("message_start", $$$$"""{"type":"message_start","message":{"id":"msg_f","type":"message","role":"assistant","model":"{{{{model}}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}"""),
                        ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
                        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"""),
                        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}"""),
                        ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
                        ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}"""),
                        ("message_stop", """{"type":"message_stop"}"""),
                    ];
                    FinalEvents = 1;
                    Json = $$$$"""
                        {"id":"msg_f","type":"message","role":"assistant","model":"{{{{model}}}}","content":[{"type":"text","text":"Hello"}],
                         "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":2}}
                        """;
                    break;
                default:
                    Events =
                    [
                        (null, """{"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3},"modelVersion":"gemini-2.5-flash","responseId":"r_f"}"""),
                        (null, """{"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},"modelVersion":"gemini-2.5-flash","responseId":"r_f"}"""),
                    ];
                    FinalEvents = 1;
                    Json = """{"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},"modelVersion":"gemini-2.5-flash","responseId":"r_f"}""";
                    break;
            }
        }

        public string Terminator { get; }

        public string StreamType => "text/event-stream";

        /// <summary>The stream, in order; the last <see cref="FinalEvents"/> are what marks it whole.</summary>
        public (string? Name, string Data)[] Events { get; } = [];

        public int FinalEvents { get; }

        public string Json { get; } = "";
    }
}
