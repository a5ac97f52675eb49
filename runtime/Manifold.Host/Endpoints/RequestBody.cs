using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Unicode;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http.Features;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Reads a request body whole, then parses it in one synchronous pass. Request bodies are small and bounded by
/// <c>Manifold:Gateway:Limits:MaxRequestBytes</c>; one parse over the buffered bytes is cheaper than the serializer's
/// incremental async reads, and it rejects anything after the JSON value. The parse is also where hostile input is
/// refused (<see cref="RequestJson"/>).
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// The 413 for a body whose declared length is past <paramref name="maxBytes"/>, answered before reading it; null when it
    /// may be read. Also lifts the server's own limit (Kestrel's 30 MB default) to this one, so there is one limit and one
    /// answer; a body without a declared length is counted as it arrives (<see cref="ReadJsonAsync"/>).
    /// </summary>
    public static ErrorInfo? TooLarge(HttpContext http, long maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return TooLargeError(maxBytes);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        return null;
    }

    public static ErrorInfo TooLargeError(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "invalid_request_error",
            $"The request body is larger than {maxBytes} bytes, the most this gateway accepts (Manifold__Gateway__Limits__MaxRequestBytes).",
            Code: "request_too_large");

    public static async ValueTask<object?> ReadJsonAsync(PipeReader reader, Type type, long maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(result.Buffer.End);
                throw new RequestTooLargeException(maxBytes);
            }
            if (result.IsCompleted)
            {
                try
                {
                    return Parse(result.Buffer, type);
                }
                finally
                {
                    reader.AdvanceTo(result.Buffer.End);
                }
            }
            // Examined everything, consumed nothing: the next read returns the whole body so far plus more.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static object? Parse(ReadOnlySequence<byte> body, Type type)
    {
        if (body.IsSingleSegment)
        {
            return Parse(body.FirstSpan, type);
        }
        var length = checked((int)body.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Parse(rented.AsSpan(0, length), type);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The parse, after a vectorized UTF-8 check of the whole body (gigabytes a second; not a second parse). A string that is
    /// not UTF-8 fails the parse itself, naming its field; what the parse decodes leniently (property names, kept for unknown
    /// fields as they are) would reach the upstream as replacement characters, so a body that is not UTF-8 is refused whole.
    /// </summary>
    private static object? Parse(ReadOnlySpan<byte> body, Type type)
    {
        var valid = Utf8.IsValid(body);
        var result = JsonSerializer.Deserialize(body, type, RequestJson.Options);
        return valid ? result : throw new InvalidUnicodeException();
    }
}

/// <summary>A body that grew past the limit while it was read (no declared length, or a client that sent more than it declared).</summary>
internal sealed class RequestTooLargeException(long maxBytes) : Exception($"The request body is larger than {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
