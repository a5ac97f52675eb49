using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;

namespace Manifold.Host.Protocols;

/// <summary>The server-sent event lines every protocol's framing is made of.</summary>
internal static class SseWriter
{
    /// <summary>Writes <c>event: {name}\n</c>; a null or empty name writes nothing (OpenAI Chat and Gemini events are unnamed).</summary>
    public static void WriteName(IBufferWriter<byte> output, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }
        output.Write("event: "u8);
        // Event types are short ASCII names; anything else (a newline from a misbehaving upstream) would break
        // the framing, or inject an event, so it is dropped.
        var span = output.GetSpan(name.Length);
        var written = 0;
        foreach (var c in name)
        {
            if (c is >= ' ' and <= '~')
            {
                span[written++] = (byte)c;
            }
        }
        output.Advance(written);
        output.Write("\n"u8);
    }

    /// <summary>Writes <c>data: {json of value}</c> followed by <paramref name="terminator"/> (LF LF, or Gemini's CRLF CRLF).</summary>
    public static void WriteData<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value, ReadOnlySpan<byte> terminator)
    {
        output.Write("data: "u8);
        json.Reset(output);
        JsonSerializer.Serialize(json, value, ManifoldJson.Options);
        json.Flush();
        output.Write(terminator);
    }

    public static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
}
