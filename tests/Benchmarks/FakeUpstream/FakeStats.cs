using System.Text.Json;

namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>Request counters served at <c>GET /_fake/stats</c>: a harness reads them to see a gateway really called us.</summary>
internal static class FakeStats
{
    public static long ChatCompletions;
    public static long ChatStreamed;
    public static long Messages;
    public static long MessagesStreamed;
    public static long Models;

    public static void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("chat_completions"u8, Interlocked.Read(ref ChatCompletions));
        w.WriteNumber("streamed"u8, Interlocked.Read(ref ChatStreamed));
        w.WriteNumber("messages"u8, Interlocked.Read(ref Messages));
        w.WriteNumber("messages_streamed"u8, Interlocked.Read(ref MessagesStreamed));
        w.WriteNumber("models"u8, Interlocked.Read(ref Models));
        w.WriteNumber("delay_ms"u8, FakeAnswer.DelayMs);
        w.WriteEndObject();
    }
}
