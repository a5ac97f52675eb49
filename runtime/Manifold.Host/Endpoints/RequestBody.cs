using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Manifold.Contracts;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Reads a request body whole, then parses it in one synchronous pass. Request bodies are small and
/// bounded by Kestrel's MaxRequestBodySize; one parse over the buffered bytes is cheaper than the
/// serializer's incremental async reads, and it rejects anything after the JSON value.
/// </summary>
internal static class RequestBody
{
    public static async ValueTask<object?> ReadJsonAsync(PipeReader reader, Type type, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
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
            return JsonSerializer.Deserialize(body.FirstSpan, type, ManifoldJson.Options);
        }
        var length = checked((int)body.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return JsonSerializer.Deserialize(rented.AsSpan(0, length), type, ManifoldJson.Options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
