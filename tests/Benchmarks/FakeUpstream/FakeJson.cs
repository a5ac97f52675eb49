using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>
/// Writing JSON without per-request allocations: one scratch buffer and one <see cref="Utf8JsonWriter"/> per
/// thread, copied into the response pipe before any await so the next request on the thread can reuse them.
/// </summary>
internal static class FakeJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // raw UTF-8 like the real APIs
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>The calling thread's scratch buffer and writer, both reset. Use only before the next await.</summary>
    public static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) Scratch()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        return (buffer, w);
    }

    /// <summary>
    /// The calling thread's writer, writing straight into <paramref name="pipe"/> (SSE events). Flush it, then
    /// call <see cref="Release"/>, before writing raw bytes to the pipe or awaiting.
    /// </summary>
    public static Utf8JsonWriter WriterFor(PipeWriter pipe)
    {
        var w = t_writer ??= new Utf8JsonWriter(pipe, WriterOptions);
        w.Reset(pipe);
        return w;
    }

    /// <summary>Flushes <paramref name="w"/> and lets go of its pipe, so the thread static does not keep a response reachable.</summary>
    public static void Release(Utf8JsonWriter w)
    {
        w.Flush();
        w.Reset(Stream.Null);
    }

    public static Task WriteJsonAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
    {
        var (buffer, w) = Scratch();
        write(w);
        w.Flush();
        return WriteBufferedAsync(ctx, status, buffer);
    }

    public static Task WriteBufferedAsync(HttpContext ctx, int status, ArrayBufferWriter<byte> buffer)
    {
        // Copy synchronously into the response pipe, so the thread-static buffer is free again before any await.
        var response = ctx.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        return FlushAsync(response.BodyWriter, ctx.RequestAborted);
    }

    public static Task WriteBytesAsync(HttpContext ctx, int status, byte[] body)
    {
        var response = ctx.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
        return FlushAsync(response.BodyWriter, ctx.RequestAborted);
    }

    /// <summary>Starts an SSE response (status, content type, no caching).</summary>
    public static PipeWriter BeginEventStream(HttpContext ctx)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-cache";
        return ctx.Response.BodyWriter;
    }

    public static Task FlushAsync(PipeWriter pw, CancellationToken ct)
    {
        var flush = pw.FlushAsync(ct);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    /// <summary>Writes <c>"id": prefix + n in hex</c> without allocating.</summary>
    public static void WriteId(Utf8JsonWriter w, ReadOnlySpan<byte> prefix, long n)
    {
        Span<byte> id = stackalloc byte[48];
        prefix.CopyTo(id);
        n.TryFormat(id[prefix.Length..], out var written, "x16", provider: null);
        w.WriteString("id"u8, id[..(prefix.Length + written)]);
    }
}
