// Zero-delay fake OpenAI upstream used by tests/Benchmarks/bench.sh.
//
//   dotnet FakeUpstream.dll --urls http://127.0.0.1:PORT
//
// POST /v1/chat/completions  official chat.completion JSON, or an SSE stream when "stream": true
// GET  /v1/models            official model list
// GET  /_fake/stats          request counters, so a harness can check a gateway really reached us
//
// It must never be the bottleneck: one terminal middleware (no routing), no logging below Warning,
// the request is read with a Utf8JsonReader over the raw pipe buffer, and responses are written with a
// per-thread Utf8JsonWriter, so the steady state allocates almost nothing per request.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Manifold.Benchmarks.FakeUpstream;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(o =>
{
    o.AddServerHeader = false;
    o.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
});

var app = builder.Build();
app.Run(FakeOpenAi.HandleAsync);
await app.RunAsync();

namespace Manifold.Benchmarks.FakeUpstream
{
    /// <summary>The request handler: a path switch over the three endpoints.</summary>
    internal static class FakeOpenAi
    {
        private const string DefaultModel = "gpt-4o-mini";
        private const string Content = "Hello! How can I help you today?";
        private const int CompletionTokens = 9;

        // The streamed reply: concatenated, the pieces equal Content.
        private static readonly string[] StreamPieces = ["Hello!", " How can I", " help you today?"];

        private static readonly JsonWriterOptions WriterOptions = new()
        {
            SkipValidation = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // raw UTF-8 like the real API
        };

        private static long s_chatCount;
        private static long s_streamCount;
        private static long s_modelsCount;

        // Last model name seen, so an unchanged model is echoed without allocating a string.
        private static ModelName s_lastModel = new(DefaultModel);

        [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
        [ThreadStatic] private static Utf8JsonWriter? t_writer;

        private static readonly byte[] ModelsBody = BuildModelsBody();

        public static Task HandleAsync(HttpContext ctx)
        {
            var path = ctx.Request.Path.Value;
            var method = ctx.Request.Method;
            if (path == "/v1/chat/completions")
            {
                return HttpMethods.IsPost(method)
                    ? ChatCompletionsAsync(ctx)
                    : ErrorAsync(ctx, 405, "Method not allowed.", "invalid_request_error");
            }

            if (path == "/v1/models" && HttpMethods.IsGet(method))
            {
                Interlocked.Increment(ref s_modelsCount);
                return WriteBytesAsync(ctx, 200, ModelsBody);
            }

            if (path == "/_fake/stats" && HttpMethods.IsGet(method))
            {
                return WriteJsonAsync(ctx, 200, static w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("chat_completions"u8, Interlocked.Read(ref s_chatCount));
                    w.WriteNumber("streamed"u8, Interlocked.Read(ref s_streamCount));
                    w.WriteNumber("models"u8, Interlocked.Read(ref s_modelsCount));
                    w.WriteEndObject();
                });
            }

            return ErrorAsync(ctx, 404, $"Unknown request URL: {method} {path}.", "invalid_request_error");
        }

        private static async Task ChatCompletionsAsync(HttpContext ctx)
        {
            var reader = ctx.Request.BodyReader;
            ReadResult read;
            while (true)
            {
                read = await reader.ReadAsync(ctx.RequestAborted);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }

                // Keep everything buffered until the whole body is in.
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }

            var body = read.Buffer;
            var ok = TryParseRequest(body, out var model, out var stream, out var includeUsage);
            var promptTokens = (int)Math.Max(1, body.Length / 4);
            reader.AdvanceTo(body.End);

            if (!ok)
            {
                await ErrorAsync(ctx, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
                return;
            }

            var n = Interlocked.Increment(ref s_chatCount);
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (!stream)
            {
                await WriteCompletionAsync(ctx, n, created, model, promptTokens);
                return;
            }

            Interlocked.Increment(ref s_streamCount);
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            ctx.Response.Headers.CacheControl = "no-cache";
            var pw = ctx.Response.BodyWriter;

            // Official sequence: role chunk, content chunks, finish chunk, [usage chunk], [DONE].
            WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Role, null);
            await pw.FlushAsync(ctx.RequestAborted);
            foreach (var piece in StreamPieces)
            {
                WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Content, piece);
                await pw.FlushAsync(ctx.RequestAborted);
            }

            WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Finish, null);
            if (includeUsage)
            {
                WriteChunk(pw, n, created, model, includeUsage, ChunkKind.Usage, null, promptTokens);
            }

            pw.Write("data: [DONE]\n\n"u8);
            await pw.FlushAsync(ctx.RequestAborted);
        }

        /// <summary>Reads the top-level "model", "stream" and "stream_options.include_usage" fields.</summary>
        private static bool TryParseRequest(ReadOnlySequence<byte> body, out string model, out bool stream, out bool includeUsage)
        {
            model = DefaultModel;
            stream = false;
            includeUsage = false;
            try
            {
                var r = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("model"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.String)
                        {
                            var last = s_lastModel;
                            if (r.ValueTextEquals(last.Utf8))
                            {
                                model = last.Value;
                            }
                            else
                            {
                                model = r.GetString() ?? DefaultModel;
                                s_lastModel = new ModelName(model);
                            }
                        }
                    }
                    else if (r.ValueTextEquals("stream"u8))
                    {
                        r.Read();
                        stream = r.TokenType == JsonTokenType.True;
                    }
                    else if (r.ValueTextEquals("stream_options"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.StartObject)
                        {
                            var depth = r.CurrentDepth;
                            while (r.Read() && !(r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == depth))
                            {
                                if (r.TokenType == JsonTokenType.PropertyName && r.CurrentDepth == depth + 1 && r.ValueTextEquals("include_usage"u8))
                                {
                                    r.Read();
                                    includeUsage = r.TokenType == JsonTokenType.True;
                                }
                                else
                                {
                                    r.Skip();
                                }
                            }
                        }
                    }
                    else
                    {
                        r.Read();
                        r.Skip();
                    }
                }

                return r.TokenType == JsonTokenType.EndObject;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static Task WriteCompletionAsync(HttpContext ctx, long n, long created, string model, int promptTokens)
        {
            var (buffer, w) = Scratch();
            w.WriteStartObject();
            WriteId(w, n);
            w.WriteString("object"u8, "chat.completion"u8);
            w.WriteNumber("created"u8, created);
            w.WriteString("model"u8, model);
            w.WriteStartArray("choices"u8);
            w.WriteStartObject();
            w.WriteNumber("index"u8, 0);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("content"u8, Content);
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
            return WriteBufferedAsync(ctx, 200, buffer);
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
            var w = t_writer ??= new Utf8JsonWriter(pw, WriterOptions);
            w.Reset(pw);
            w.WriteStartObject();
            WriteId(w, n);
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
            w.Flush();
            w.Reset(Stream.Null); // do not keep the response pipe reachable from the thread static
            pw.Write("\n\n"u8);
        }

        private static void WriteId(Utf8JsonWriter w, long n)
        {
            Span<byte> id = stackalloc byte[32];
            "chatcmpl-fake"u8.CopyTo(id);
            n.TryFormat(id[13..], out var written, "x16", provider: null);
            w.WriteString("id"u8, id[..(13 + written)]);
        }

        private static void WriteUsage(Utf8JsonWriter w, int promptTokens)
        {
            w.WriteStartObject("usage"u8);
            w.WriteNumber("prompt_tokens"u8, promptTokens);
            w.WriteNumber("completion_tokens"u8, CompletionTokens);
            w.WriteNumber("total_tokens"u8, promptTokens + CompletionTokens);
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

        private static Task ErrorAsync(HttpContext ctx, int status, string message, string type)
        {
            var (buffer, w) = Scratch();
            w.WriteStartObject();
            w.WriteStartObject("error"u8);
            w.WriteString("message"u8, message);
            w.WriteString("type"u8, type);
            w.WriteNull("param"u8);
            w.WriteNull("code"u8);
            w.WriteEndObject();
            w.WriteEndObject();
            w.Flush();
            return WriteBufferedAsync(ctx, status, buffer);
        }

        private static Task WriteJsonAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
        {
            var (buffer, w) = Scratch();
            write(w);
            w.Flush();
            return WriteBufferedAsync(ctx, status, buffer);
        }

        /// <summary>The calling thread's scratch buffer and writer, both reset. Use only before the next await.</summary>
        private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) Scratch()
        {
            var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
            buffer.ResetWrittenCount();
            var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
            w.Reset(buffer);
            return (buffer, w);
        }

        private static Task WriteBufferedAsync(HttpContext ctx, int status, ArrayBufferWriter<byte> buffer)
        {
            // Copy synchronously into the response pipe, so the thread-static buffer is free again before any await.
            var response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
            return FlushAsync(response.BodyWriter, ctx.RequestAborted);
        }

        private static Task WriteBytesAsync(HttpContext ctx, int status, byte[] body)
        {
            var response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            response.BodyWriter.Write(body);
            return FlushAsync(response.BodyWriter, ctx.RequestAborted);
        }

        private static Task FlushAsync(PipeWriter pw, CancellationToken ct)
        {
            var flush = pw.FlushAsync(ct);
            return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
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

        /// <summary>A model name with its UTF-8 bytes, swapped atomically as one reference.</summary>
        private sealed class ModelName(string value)
        {
            public string Value { get; } = value;

            public byte[] Utf8 { get; } = System.Text.Encoding.UTF8.GetBytes(value);
        }
    }
}
