namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>
/// What the fake model says, whichever protocol asks: the same text, pieces and token counts for OpenAI
/// and Anthropic, so a gateway converting between them is compared against the same upstream work.
/// </summary>
internal static class FakeAnswer
{
    public const string DefaultModel = "gpt-4o-mini";
    public const string Content = "Hello! How can I help you today?";
    public const int CompletionTokens = 9;

    /// <summary>The streamed reply: concatenated, the pieces equal <see cref="Content"/>.</summary>
    public static readonly string[] StreamPieces = ["Hello!", " How can I", " help you today?"];

    /// <summary>Milliseconds every model answer is held back (FAKE_DELAY_MS); 0 answers at once.</summary>
    public static int DelayMs { get; set; }

    /// <summary>The prompt's token count: a quarter of the body's bytes, like a rough tokenizer, at least 1.</summary>
    public static int PromptTokens(long bodyBytes) => (int)Math.Max(1, bodyBytes / 4);

    /// <summary>Waits the configured delay; completes synchronously (no timer, no allocation) when there is none.</summary>
    public static Task DelayAsync(CancellationToken ct) => DelayMs > 0 ? Task.Delay(DelayMs, ct) : Task.CompletedTask;
}
