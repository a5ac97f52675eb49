namespace Manifold.Contracts.Upstream;

/// <summary>Tells a broken or unreachable upstream apart from our own caller giving up.</summary>
public static class UpstreamFailures
{
    /// <summary>
    /// True for refused or dropped connections, TLS and DNS failures, and the handler's connect timeout
    /// (which surfaces as a cancellation of a token that is not ours). False once <paramref name="cancellationToken"/>
    /// is cancelled: the client went away, and that is not the upstream's fault.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is HttpRequestException or IOException or OperationCanceledException;
}
