namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// The answer every slow stream carries, one piece per event. The driver rebuilds the same text from the pieces
/// it received, whatever protocol they were converted to, so a lost or duplicated event fails the stream.
/// </summary>
internal static class StreamText
{
    public static string Piece(int i) => $"piece {i:D3} of a long answer; ";

    public static string Whole(int events) => string.Concat(Enumerable.Range(0, events).Select(Piece));

    /// <summary>Token counts the fakes report, the same on every protocol.</summary>
    public const int InputTokens = 12;

    public static int OutputTokens(int events) => events * 6;
}
