namespace Manifold.Contracts.Upstream;

/// <summary>
/// How much an upstream can make Manifold hold: one event of a stream (<see cref="MaxStreamEventBytes"/>) and one
/// non-streaming answer read whole (<see cref="MaxResponseBytes"/>). The host sets them from
/// <c>Manifold:Gateway:Limits</c> on every upstream response's content (<see cref="IUpstreamLimitedContent"/>);
/// <see cref="UpstreamEventStream"/> and <see cref="UpstreamClient.ReadJsonAsync{T}"/> apply them. Bodies streamed
/// through (a video download) are not held, so no bound applies to them.
/// </summary>
public sealed class UpstreamLimits
{
    /// <summary>64 MiB: a JSON answer holding a few base64 images fits; nothing a model answers in text comes near.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    public UpstreamLimits(int maxStreamEventBytes = SseReader.DefaultMaxEventBytes, long maxResponseBytes = DefaultMaxResponseBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStreamEventBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResponseBytes, 1);
        MaxStreamEventBytes = maxStreamEventBytes;
        MaxResponseBytes = maxResponseBytes;
    }

    public static UpstreamLimits Default { get; } = new();

    /// <summary>The largest line or event of an upstream <c>text/event-stream</c>, in bytes.</summary>
    public int MaxStreamEventBytes { get; }

    /// <summary>The largest non-streaming answer read whole (JSON to deserialize), in bytes.</summary>
    public long MaxResponseBytes { get; }

    /// <summary>The limits the host attached to <paramref name="content"/>; the defaults when it attached none (a plugin's own test client).</summary>
    public static UpstreamLimits Of(HttpContent content) => content is IUpstreamLimitedContent { Limits: { } limits } ? limits : Default;
}

/// <summary>An upstream response's content that carries the host's <see cref="UpstreamLimits"/> (so a lookup costs no allocation).</summary>
public interface IUpstreamLimitedContent
{
    UpstreamLimits Limits { get; }
}
