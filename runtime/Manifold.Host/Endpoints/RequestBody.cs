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
    public static async ValueTask<T?> ReadJsonAsync<T>(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                try
                {
                    return Parse<T>(result.Buffer);
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

    private static T? Parse<T>(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return JsonSerializer.Deserialize<T>(body.FirstSpan, ManifoldJson.Options);
        }
        var length = checked((int)body.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return JsonSerializer.Deserialize<T>(rented.AsSpan(0, length), ManifoldJson.Options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
