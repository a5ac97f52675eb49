using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>
/// Anthropic's Messages API, <c>POST /v1/messages</c>, in the official shapes: a Message object, or with
/// <c>"stream": true</c> the documented event sequence (message_start, content_block_start, ping,
/// content_block_delta × n, content_block_stop, message_delta, message_stop), each as
/// <c>event: type</c> + <c>data: json</c>. The answer text and token counts are <see cref="FakeAnswer"/>'s,
/// the same as the Chat Completions endpoint's.
/// </summary>
internal static class FakeAnthropic
{
    public static async Task MessagesAsync(HttpContext ctx)
    {
        // Checked before the body, as the API does: no key is 401, no version is 400.
        var headers = ctx.Request.Headers;
        if (StringValues.IsNullOrEmpty(headers["x-api-key"]))
        {
            await ErrorAsync(ctx, 401, "x-api-key header is required");
            return;
        }

        if (StringValues.IsNullOrEmpty(headers["anthropic-version"]))
        {
            await ErrorAsync(ctx, 400, "anthropic-version: header is required");
            return;
        }

        var (ok, request) = await FakeRequest.ReadAsync(ctx.Request.BodyReader, ctx.RequestAborted);
        if (!ok)
        {
            await ErrorAsync(ctx, 400, "There was an error parsing the body of your request.");
            return;
        }

        // The API's required fields: a converting gateway that leaves one out must fail here, not pass.
        if (!request.HasMaxTokens || !request.HasMessages)
        {
            await ErrorAsync(ctx, 400, request.HasMaxTokens ? "messages: Field required" : "max_tokens: Field required");
            return;
        }

        var n = Interlocked.Increment(ref FakeStats.Messages);
        await FakeAnswer.DelayAsync(ctx.RequestAborted);
        if (!request.Stream)
        {
            await WriteMessageAsync(ctx, n, request.Model, request.PromptTokens);
            return;
        }

        Interlocked.Increment(ref FakeStats.MessagesStreamed);
        var pw = FakeJson.BeginEventStream(ctx);
        var model = request.Model;

        WriteEvent(pw, EventKind.MessageStart, n, model, request.PromptTokens, null);
        WriteEvent(pw, EventKind.ContentBlockStart, n, model, 0, null);
        WriteEvent(pw, EventKind.Ping, n, model, 0, null);
        await pw.FlushAsync(ctx.RequestAborted);
        foreach (var piece in FakeAnswer.StreamPieces)
        {
            WriteEvent(pw, EventKind.TextDelta, n, model, 0, piece);
            await pw.FlushAsync(ctx.RequestAborted);
        }

        WriteEvent(pw, EventKind.ContentBlockStop, n, model, 0, null);
        WriteEvent(pw, EventKind.MessageDelta, n, model, 0, null);
        WriteEvent(pw, EventKind.MessageStop, n, model, 0, null);
        await pw.FlushAsync(ctx.RequestAborted);
    }

    /// <summary>Anthropic's error body, <c>{"type":"error","error":{"type","message"}}</c>, with the type the API uses for the status.</summary>
    public static Task ErrorAsync(HttpContext ctx, int status, string message)
    {
        var (buffer, w) = FakeJson.Scratch();
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, status switch
        {
            401 => "authentication_error"u8,
            403 => "permission_error"u8,
            404 => "not_found_error"u8,
            413 => "request_too_large"u8,
            429 => "rate_limit_error"u8,
            529 => "overloaded_error"u8,
            >= 500 => "api_error"u8,
            _ => "invalid_request_error"u8,
        });
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return FakeJson.WriteBufferedAsync(ctx, status, buffer);
    }

    private static Task WriteMessageAsync(HttpContext ctx, long n, string model, int promptTokens)
    {
        var (buffer, w) = FakeJson.Scratch();
        WriteMessage(w, n, model, promptTokens, complete: true);
        w.Flush();
        return FakeJson.WriteBufferedAsync(ctx, 200, buffer);
    }

    /// <summary>
    /// The Message object: complete, or as message_start carries it (no content yet, no stop reason,
    /// output_tokens 1 as the API reports at that point).
    /// </summary>
    private static void WriteMessage(Utf8JsonWriter w, long n, string model, int promptTokens, bool complete)
    {
        w.WriteStartObject();
        FakeJson.WriteId(w, "msg_fake"u8, n);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteStartArray("content"u8);
        if (complete)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, FakeAnswer.Content);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("model"u8, model);
        if (complete)
        {
            w.WriteString("stop_reason"u8, "end_turn"u8);
        }
        else
        {
            w.WriteNull("stop_reason"u8);
        }

        w.WriteNull("stop_sequence"u8);
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, promptTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, 0);
        w.WriteNumber("cache_read_input_tokens"u8, 0);
        w.WriteNumber("output_tokens"u8, complete ? FakeAnswer.CompletionTokens : 1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private enum EventKind
    {
        MessageStart,
        ContentBlockStart,
        Ping,
        TextDelta,
        ContentBlockStop,
        MessageDelta,
        MessageStop,
    }

    private static void WriteEvent(PipeWriter pw, EventKind kind, long n, string model, int promptTokens, string? text)
    {
        var type = kind switch
        {
            EventKind.MessageStart => "message_start"u8,
            EventKind.ContentBlockStart => "content_block_start"u8,
            EventKind.Ping => "ping"u8,
            EventKind.TextDelta => "content_block_delta"u8,
            EventKind.ContentBlockStop => "content_block_stop"u8,
            EventKind.MessageDelta => "message_delta"u8,
            _ => "message_stop"u8,
        };
        pw.Write("event: "u8);
        pw.Write(type);
        pw.Write("\ndata: "u8);
        var w = FakeJson.WriterFor(pw);
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        switch (kind)
        {
            case EventKind.MessageStart:
                w.WritePropertyName("message"u8);
                WriteMessage(w, n, model, promptTokens, complete: false);
                break;
            case EventKind.ContentBlockStart:
                w.WriteNumber("index"u8, 0);
                w.WriteStartObject("content_block"u8);
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, ""u8);
                w.WriteEndObject();
                break;
            case EventKind.TextDelta:
                w.WriteNumber("index"u8, 0);
                w.WriteStartObject("delta"u8);
                w.WriteString("type"u8, "text_delta"u8);
                w.WriteString("text"u8, text);
                w.WriteEndObject();
                break;
            case EventKind.ContentBlockStop:
                w.WriteNumber("index"u8, 0);
                break;
            case EventKind.MessageDelta:
                w.WriteStartObject("delta"u8);
                w.WriteString("stop_reason"u8, "end_turn"u8);
                w.WriteNull("stop_sequence"u8);
                w.WriteEndObject();
                // Usage here is cumulative; output_tokens is the final count.
                w.WriteStartObject("usage"u8);
                w.WriteNumber("output_tokens"u8, FakeAnswer.CompletionTokens);
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
        FakeJson.Release(w);
        pw.Write("\n\n"u8);
    }
}
