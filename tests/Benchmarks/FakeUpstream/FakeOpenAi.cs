using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>OpenAI's Chat Completions and model list, in the official shapes.</summary>
internal static class FakeOpenAi
{
    private static readonly byte[] ModelsBody = BuildModelsBody();

    public static Task ModelsAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref FakeStats.Models);
        return FakeJson.WriteBytesAsync(ctx, 200, ModelsBody);
    }

    public static async Task ChatCompletionsAsync(HttpContext ctx)
    {
        var (ok, request) = await FakeRequest.ReadAsync(ctx.Request.BodyReader, ctx.RequestAborted);
        if (!ok)
        {
            await ErrorAsync(ctx, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
            return;
        }

        var n = Interlocked.Increment(ref FakeStats.ChatCompletions);
        await FakeAnswer.DelayAsync(ctx.RequestAborted);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!request.Stream)
        {
            await WriteCompletionAsync(ctx, n, created, request.Model, request.PromptTokens);
            return;
        }

        Interlocked.Increment(ref FakeStats.ChatStreamed);
        var pw = FakeJson.BeginEventStream(ctx);
        var model = request.Model;
        var includeUsage = request.IncludeUsage;

        // Official sequence: role chunk, content chunks, finish chunk, [usage chunk], [DONE].
        WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Role, null);
        await pw.FlushAsync(ctx.RequestAborted);
        foreach (var piece in FakeAnswer.StreamPieces)
        {
            WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Content, piece);
            await pw.FlushAsync(ctx.RequestAborted);
        }

        WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Finish, null);
        if (includeUsage)
        {
            WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Usage, null, request.PromptTokens);
        }

        pw.Write("data: [DONE]\n\n"u8);
        await pw.FlushAsync(ctx.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext ctx, int status, string message, string type)
    {
        var (buffer, w) = FakeJson.Scratch();
        w.WriteStartObject();
        w.WriteStartObject("error"u8);
        w.WriteString("message"u8, message);
        w.WriteString("type"u8, type);
        w.WriteNull("param"u8);
        w.WriteNull("code"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return FakeJson.WriteBufferedAsync(ctx, status, buffer);
    }

    private static Task WriteCompletionAsync(HttpContext ctx, long n, long created, string model, int promptTokens)
    {
        var (buffer, w) = FakeJson.Scratch();
        w.WriteStartObject();
        FakeJson.WriteId(w, "chatcmpl-fake"u8, n);
        w.WriteString("object"u8, "chat.completion"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, model);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        w.WriteStartObject("message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("content"u8, FakeAnswer.Content);
        w.WriteNull("refusal"u8);
        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, "stop"u8);
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w, promptTokens);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteString("system_fingerprint"u8, "fp_fake0bench"u8);
        w.WriteEndObject();
        w.Flush();
        return FakeJson.WriteBufferedAsync(ctx, 200, buffer);
    }

    private enum ChunkKind
    {
        Role,
        Content,
        Finish,
        Usage,
    }

    private static void WriteChunk(PipeWriter pw, long n, long created, string model, bool includeUsage, ChunkKind kind, string? content, int promptTokens = 0)
    {
        pw.Write("data: "u8);
        var w = FakeJson.WriterFor(pw);
        w.WriteStartObject();
        FakeJson.WriteId(w, "chatcmpl-fake"u8, n);
        w.WriteString("object"u8, "chat.completion.chunk"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, model);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteString("system_fingerprint"u8, "fp_fake0bench"u8);
        w.WriteStartArray("choices"u8);
        if (kind != ChunkKind.Usage)
        {
            w.WriteStartObject();
            w.WriteNumber("index"u8, 0);
            w.WriteStartObject("delta"u8);
            switch (kind)
            {
                case ChunkKind.Role:
                    w.WriteString("role"u8, "assistant"u8);
                    w.WriteString("content"u8, ""u8);
                    w.WriteNull("refusal"u8);
                    break;
                case ChunkKind.Content:
                    w.WriteString("content"u8, content);
                    break;
            }

            w.WriteEndObject();
            w.WriteNull("logprobs"u8);
            if (kind == ChunkKind.Finish)
            {
                w.WriteString("finish_reason"u8, "stop"u8);
            }
            else
            {
                w.WriteNull("finish_reason"u8);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (kind == ChunkKind.Usage)
        {
            WriteUsage(w, promptTokens);
        }
        else if (includeUsage)
        {
            w.WriteNull("usage"u8);
        }

        w.WriteEndObject();
        FakeJson.Release(w);
        pw.Write("\n\n"u8);
    }

    private static void WriteUsage(Utf8JsonWriter w, int promptTokens)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, promptTokens);
        w.WriteNumber("completion_tokens"u8, FakeAnswer.CompletionTokens);
        w.WriteNumber("total_tokens"u8, promptTokens + FakeAnswer.CompletionTokens);
        w.WriteStartObject("prompt_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteNumber("accepted_prediction_tokens"u8, 0);
        w.WriteNumber("rejected_prediction_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] BuildModelsBody()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        foreach (var (id, created) in new[] { ("gpt-4o-mini", 1721172741L), ("gpt-4o", 1715367049L), ("gpt-4.1-mini", 1744318173L) })
        {
            w.WriteStartObject();
            w.WriteString("id"u8, id);
            w.WriteString("object"u8, "model"u8);
            w.WriteNumber("created"u8, created);
            w.WriteString("owned_by"u8, "system"u8);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
