namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>
/// What <see cref="FaultUpstream"/> does with one request, named in the request's model (<c>gpt-f_cut</c>,
/// <c>claude-f_cut</c>, <c>gemini-f_cut</c>), so one upstream serves every fault to every platform at once.
/// </summary>
public enum Fault
{
    /// <summary>A correct answer (the control).</summary>
    Ok,

    /// <summary>Never sends the response headers.</summary>
    Hang,

    /// <summary>Sends 200 and the headers, then nothing.</summary>
    Silent,

    /// <summary>Sends the first event (or half the JSON), then drops the connection.</summary>
    Cut,

    /// <summary>Sends a stream without its protocol's final event, and ends the body cleanly.</summary>
    Truncate,

    /// <summary>A 200 whose body is an HTML page, not SSE or JSON.</summary>
    GarbageText,

    /// <summary>A 200 whose event (or body) is JSON cut off in the middle.</summary>
    GarbageJson,

    /// <summary>A 200 whose event (or body) is bytes that are not UTF-8.</summary>
    GarbageUtf8,

    /// <summary>A 200 whose first line never ends: hundreds of MB, streamed as it is written, never allocated.</summary>
    Giant,

    /// <summary>A correct answer, one byte every few milliseconds: slower in total than the idle timeout, never silent for long.</summary>
    Drip,

    /// <summary>400 with OpenAI's error body quoting the keys.</summary>
    EchoOpenAIBody,

    /// <summary>400 with Anthropic's error body quoting the keys.</summary>
    EchoAnthropicBody,

    /// <summary>400 with Google's error body quoting the keys.</summary>
    EchoGeminiBody,

    /// <summary>400 with <c>{"error":{"message":...}}</c>: no <c>type</c>, no status.</summary>
    EchoUntypedBody,

    /// <summary>500 with a plain-text body quoting the keys.</summary>
    EchoTextBody,

    /// <summary>A correct answer whose response headers quote the keys.</summary>
    EchoHeader,

    /// <summary>A first event, then OpenAI's in-stream error (<c>data: {"error":{...}}</c>) quoting the keys.</summary>
    EchoOpenAIEvent,

    /// <summary>A first event, then Anthropic's <c>event: error</c> quoting the keys.</summary>
    EchoAnthropicEvent,

    /// <summary>A first event, then Google's in-stream error object quoting the keys.</summary>
    EchoGeminiEvent,

    /// <summary>A first event, then <c>data: {"error":{"message":...}}</c>: no type, no event name.</summary>
    EchoUntypedEvent,

    /// <summary>A first event, then <c>data: {"message":...}</c>: nothing but the text.</summary>
    EchoBareEvent,

    /// <summary>A correct answer whose events (or body) carry an unknown field quoting the keys.</summary>
    EchoUnknownField,
}
