using System.Text.Json;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>One server-sent event the slow upstream writes: an optional <c>event:</c> name and its <c>data:</c> JSON.</summary>
internal readonly record struct SseOut(string? Event, string Data);

/// <summary>A model API's answers in its official shapes: the stream's opening events, one text piece, the closing events.</summary>
internal interface ISlowProtocol
{
    string Name { get; }

    /// <summary>LF, or CRLF for Gemini, which Google's servers use.</summary>
    string LineEnd => "\n";

    IEnumerable<SseOut> Opening(string model);

    SseOut Delta(string model, int i);

    IEnumerable<SseOut> Closing(string model, int events, bool includeUsage);

    string Answer(string model, int events);

    string Error(int status, string message);
}

internal static class J
{
    public static string S(object value) => JsonSerializer.Serialize(value);

    public static readonly long Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>OpenAI Chat Completions: chunks, a finish chunk, the usage chunk when asked, <c>[DONE]</c>.</summary>
internal sealed class ChatProtocol : ISlowProtocol
{
    public static readonly ChatProtocol Instance = new();

    public string Name => "chat";

    private static string Chunk(string model, object[] choices, object? usage = null) => J.S(new
    {
        id = "chatcmpl-slow",
        @object = "chat.completion.chunk",
        created = J.Created,
        model,
        service_tier = "default",
        system_fingerprint = "fp_slow",
        choices,
        usage,
    });

    public IEnumerable<SseOut> Opening(string model)
    {
        yield return new(null, Chunk(model, [new { index = 0, delta = new { role = "assistant", content = "", refusal = (string?)null }, logprobs = (object?)null, finish_reason = (string?)null }]));
    }

    public SseOut Delta(string model, int i) =>
        new(null, Chunk(model, [new { index = 0, delta = new { content = StreamText.Piece(i) }, logprobs = (object?)null, finish_reason = (string?)null }]));

    public IEnumerable<SseOut> Closing(string model, int events, bool includeUsage)
    {
        yield return new(null, Chunk(model, [new { index = 0, delta = new { }, logprobs = (object?)null, finish_reason = "stop" }]));
        if (includeUsage)
        {
            yield return new(null, Chunk(model, [], Usage(events)));
        }
        yield return new(null, "[DONE]");
    }

    private static object Usage(int events) => new
    {
        prompt_tokens = StreamText.InputTokens,
        completion_tokens = StreamText.OutputTokens(events),
        total_tokens = StreamText.InputTokens + StreamText.OutputTokens(events),
    };

    public string Answer(string model, int events) => J.S(new
    {
        id = "chatcmpl-slow",
        @object = "chat.completion",
        created = J.Created,
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = StreamText.Whole(events), refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" } },
        usage = Usage(events),
    });

    public string Error(int status, string message) =>
        J.S(new { error = new { message, type = status >= 500 ? "server_error" : "invalid_request_error", param = (string?)null, code = (string?)null } });
}

/// <summary>OpenAI Responses: the documented named events, sequence numbers, <c>response.completed</c> last (no <c>[DONE]</c>).</summary>
internal sealed class ResponsesProtocol : ISlowProtocol
{
    public static readonly ResponsesProtocol Instance = new();
    private const string ItemId = "msg_slow";

    public string Name => "responses";

    private static object Response(string model, string status, int events) => new
    {
        id = "resp_slow",
        @object = "response",
        created_at = J.Created,
        status,
        error = (object?)null,
        incomplete_details = (object?)null,
        instructions = (string?)null,
        max_output_tokens = (int?)null,
        model,
        output = status == "completed" ? new object[] { Message(events) } : [],
        parallel_tool_calls = true,
        previous_response_id = (string?)null,
        store = false,
        temperature = 1.0,
        text = new { format = new { type = "text" } },
        tool_choice = "auto",
        tools = Array.Empty<object>(),
        top_p = 1.0,
        truncation = "disabled",
        metadata = new { },
        usage = status == "completed"
            ? new
            {
                input_tokens = StreamText.InputTokens,
                input_tokens_details = new { cached_tokens = 0 },
                output_tokens = StreamText.OutputTokens(events),
                output_tokens_details = new { reasoning_tokens = 0 },
                total_tokens = StreamText.InputTokens + StreamText.OutputTokens(events),
            }
            : null,
    };

    private static object Message(int events) => new
    {
        id = ItemId,
        type = "message",
        status = "completed",
        role = "assistant",
        content = new[] { new { type = "output_text", text = StreamText.Whole(events), annotations = Array.Empty<object>() } },
    };

    public IEnumerable<SseOut> Opening(string model)
    {
        yield return new("response.created", J.S(new { type = "response.created", sequence_number = 0, response = Response(model, "in_progress", 0) }));
        yield return new("response.in_progress", J.S(new { type = "response.in_progress", sequence_number = 1, response = Response(model, "in_progress", 0) }));
        yield return new("response.output_item.added", J.S(new
        {
            type = "response.output_item.added", sequence_number = 2, output_index = 0,
            item = new { id = ItemId, type = "message", status = "in_progress", role = "assistant", content = Array.Empty<object>() },
        }));
        yield return new("response.content_part.added", J.S(new
        {
            type = "response.content_part.added", sequence_number = 3, item_id = ItemId, output_index = 0, content_index = 0,
            part = new { type = "output_text", text = "", annotations = Array.Empty<object>() },
        }));
    }

    public SseOut Delta(string model, int i) => new("response.output_text.delta", J.S(new
    {
        type = "response.output_text.delta", sequence_number = 4 + i, item_id = ItemId, output_index = 0, content_index = 0,
        delta = StreamText.Piece(i), logprobs = Array.Empty<object>(),
    }));

    public IEnumerable<SseOut> Closing(string model, int events, bool includeUsage)
    {
        var n = 4 + events;
        var text = StreamText.Whole(events);
        yield return new("response.output_text.done", J.S(new
        {
            type = "response.output_text.done", sequence_number = n++, item_id = ItemId, output_index = 0, content_index = 0, text, logprobs = Array.Empty<object>(),
        }));
        yield return new("response.content_part.done", J.S(new
        {
            type = "response.content_part.done", sequence_number = n++, item_id = ItemId, output_index = 0, content_index = 0,
            part = new { type = "output_text", text, annotations = Array.Empty<object>() },
        }));
        yield return new("response.output_item.done", J.S(new { type = "response.output_item.done", sequence_number = n++, output_index = 0, item = Message(events) }));
        yield return new("response.completed", J.S(new { type = "response.completed", sequence_number = n, response = Response(model, "completed", events) }));
    }

    public string Answer(string model, int events) => J.S(Response(model, "completed", events));

    public string Error(int status, string message) => ChatProtocol.Instance.Error(status, message);
}

/// <summary>Anthropic Messages: message_start, a text block of deltas, message_delta with the stop reason, message_stop.</summary>
internal sealed class MessagesProtocol : ISlowProtocol
{
    public static readonly MessagesProtocol Instance = new();

    public string Name => "messages";

    public IEnumerable<SseOut> Opening(string model)
    {
        yield return new("message_start", J.S(new
        {
            type = "message_start",
            message = new
            {
                id = "msg_slow", type = "message", role = "assistant", model, content = Array.Empty<object>(),
                stop_reason = (string?)null, stop_sequence = (string?)null,
                usage = new { input_tokens = StreamText.InputTokens, output_tokens = 1, cache_creation_input_tokens = 0, cache_read_input_tokens = 0 },
            },
        }));
        yield return new("content_block_start", J.S(new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } }));
        yield return new("ping", J.S(new { type = "ping" }));
    }

    public SseOut Delta(string model, int i) =>
        new("content_block_delta", J.S(new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = StreamText.Piece(i) } }));

    public IEnumerable<SseOut> Closing(string model, int events, bool includeUsage)
    {
        yield return new("content_block_stop", J.S(new { type = "content_block_stop", index = 0 }));
        yield return new("message_delta", J.S(new
        {
            type = "message_delta",
            delta = new { stop_reason = "end_turn", stop_sequence = (string?)null },
            usage = new { output_tokens = StreamText.OutputTokens(events) },
        }));
        yield return new("message_stop", J.S(new { type = "message_stop" }));
    }

    public string Answer(string model, int events) => J.S(new
    {
        id = "msg_slow", type = "message", role = "assistant", model,
        content = new[] { new { type = "text", text = StreamText.Whole(events) } },
        stop_reason = "end_turn", stop_sequence = (string?)null,
        usage = new { input_tokens = StreamText.InputTokens, output_tokens = StreamText.OutputTokens(events), cache_creation_input_tokens = 0, cache_read_input_tokens = 0 },
    });

    public string Error(int status, string message) =>
        J.S(new { type = "error", error = new { type = status >= 500 ? "api_error" : "invalid_request_error", message } });
}

/// <summary>Gemini: GenerateContentResponse chunks with usageMetadata on each, finishReason on the last, CRLF framing.</summary>
internal sealed class GeminiProtocol : ISlowProtocol
{
    public static readonly GeminiProtocol Instance = new();

    public string Name => "gemini";

    public string LineEnd => "\r\n";

    private static string Chunk(string model, string text, string? finishReason, int outputTokens) => J.S(new
    {
        candidates = new[]
        {
            new { content = new { parts = new[] { new { text } }, role = "model" }, finishReason, index = 0 },
        },
        usageMetadata = new
        {
            promptTokenCount = StreamText.InputTokens,
            candidatesTokenCount = outputTokens,
            totalTokenCount = StreamText.InputTokens + outputTokens,
        },
        modelVersion = model,
        responseId = "slow-gemini",
    });

    public IEnumerable<SseOut> Opening(string model) => [];

    public SseOut Delta(string model, int i) => new(null, Chunk(model, StreamText.Piece(i), null, (i + 1) * 6));

    public IEnumerable<SseOut> Closing(string model, int events, bool includeUsage)
    {
        yield return new(null, Chunk(model, "", "STOP", StreamText.OutputTokens(events)));
    }

    public string Answer(string model, int events) => Chunk(model, StreamText.Whole(events), "STOP", StreamText.OutputTokens(events));

    public string Error(int status, string message) => J.S(new
    {
        error = new { code = status, message, status = status >= 500 ? "INTERNAL" : status == 404 ? "NOT_FOUND" : "INVALID_ARGUMENT" },
    });
}
