namespace Manifold.Host.Gateway;

/// <summary>Request-path tuning, bound from <c>Manifold:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Manifold:Gateway";

    /// <summary>How many accounts one request may try when the upstream fails in a retryable way.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long an account rests after a retryable failure before it is preferred again.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each platform may take to answer a fan-out call such as the root <c>GET /v1/models</c>.</summary>
    public TimeSpan FanOutTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Folders of plugin assemblies loaded besides the built-in one (<see cref="BuiltInPlugins"/>): a list
    /// (<c>PluginsPath:0</c>, <c>PluginsPath:1</c>, …), or one string holding one folder or several separated by <c>;</c>
    /// (or the platform's path separator). Relative paths are under the application's folder. See <see cref="Plugins.PluginFolders"/>.
    /// </summary>
    public List<string> PluginsPath { get; set; } = [];

    /// <summary>
    /// Whether the first-party plugins in the application's own <c>plugins</c> folder are loaded (first, before
    /// <see cref="PluginsPath"/>). On by default, so adding a folder never hides them; <c>false</c> removes them.
    /// </summary>
    public bool BuiltInPlugins { get; set; } = true;

    /// <summary>The largest <c>multipart/form-data</c> body (images to edit, a video's reference) accepted; past it, a 413.</summary>
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Where clients reach the gateway (e.g. <c>https://ai.example.com</c>), for links in answers (result files, Gemini's
    /// video uris) when it sits behind a proxy that terminates TLS; empty: the request's own scheme and host. Google's
    /// SDK reads a file id only from an <c>https://</c> uri.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// How long a stopping gateway (SIGTERM, Ctrl+C) lets requests in flight finish after it stops accepting; streams still
    /// open then end with an error event in their protocol. The host's own shutdown timeout is this plus a grace for the
    /// background work (docs/operations.md, "Shutdown").
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an upstream may stay silent, bound from <c>Manifold:Gateway:Timeouts</c>.</summary>
    public UpstreamTimeouts Timeouts { get; set; } = new();

    /// <summary>What a client may send and how much an upstream can make Manifold hold, bound from <c>Manifold:Gateway:Limits</c>.</summary>
    public GatewayLimits Limits { get; set; } = new();
}

/// <summary>
/// Bounds on what one request makes Manifold hold in memory. Past a client's, a 413 in its protocol; past an upstream
/// answer's, the caller gets a 502 in its protocol naming the bound (an error event once a stream has started), and the
/// upstream connection is dropped.
/// </summary>
public sealed class GatewayLimits
{
    /// <summary>
    /// The largest JSON request body; past it, a 413 in the caller's protocol before the body is read further. Images sent
    /// inline as base64 are the large ones: 32 MiB holds a 20 MiB image, the largest inline image the vendors accept.
    /// </summary>
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// The largest line or event of an upstream stream, in bytes (default 16 MiB). Gemini streams carry generated images
    /// inline as base64 in one event, a few MiB each; text events are a few hundred bytes.
    /// </summary>
    public int MaxStreamEventBytes { get; set; } = Manifold.Contracts.SseReader.DefaultMaxEventBytes;

    /// <summary>
    /// The largest non-streaming upstream answer read whole, in bytes (default 64 MiB). Binary media relayed as it arrives
    /// (a video download) is not held, so this does not limit it.
    /// </summary>
    public long MaxResponseBytes { get; set; } = Manifold.Contracts.Upstream.UpstreamLimits.DefaultMaxResponseBytes;

    public Manifold.Contracts.Upstream.UpstreamLimits ToLimits() => new(MaxStreamEventBytes, MaxResponseBytes);
}

/// <summary>
/// Activity timeouts for every upstream call (requests, streams, media polling and downloads). None of them caps a
/// whole call: a stream that keeps producing may last as long as it likes; silence is what ends it.
/// </summary>
public sealed class UpstreamTimeouts
{
    /// <summary>Opening the connection (TCP and TLS).</summary>
    public TimeSpan Connect { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// From sending the request to the response headers. Non-streaming answers send their headers only when the
    /// whole answer is ready, so this must cover the slowest model's longest answer.
    /// </summary>
    public TimeSpan FirstByte { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Between two reads of a response body; each byte that arrives starts it again.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromMinutes(2);
}
