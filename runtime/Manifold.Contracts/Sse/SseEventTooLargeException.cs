namespace Manifold.Contracts;

/// <summary>
/// A line or event of a <c>text/event-stream</c> body is larger than the reader's bound (<see cref="SseReader"/>): the
/// stream is abandoned rather than buffered further. A <see cref="FormatException"/>: the body is not something
/// Manifold will hold, not a broken connection, so it is not retried on another account.
/// </summary>
public sealed class SseEventTooLargeException(int maxEventBytes)
    : FormatException($"An upstream stream event is larger than {maxEventBytes} bytes.")
{
    public int MaxEventBytes { get; } = maxEventBytes;
}
