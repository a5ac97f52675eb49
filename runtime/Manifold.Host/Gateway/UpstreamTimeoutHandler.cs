using Manifold.Contracts;
using Manifold.Contracts.Upstream;

namespace Manifold.Host.Gateway;

/// <summary>
/// Enforces <see cref="UpstreamTimeouts"/> on every upstream call, whatever plugin makes it: the response headers
/// must arrive within <see cref="UpstreamTimeouts.FirstByte"/>, and every read of the body within
/// <see cref="UpstreamTimeouts.Idle"/> of the previous one. A timeout is an <see cref="UpstreamTimeoutException"/>,
/// so an account that never answers fails over like a 5xx, and a stream that goes silent ends with an error.
/// </summary>
/// <remarks>
/// The one place every upstream answer passes, so it is also where the answer is made safe to relay: its body's reads mask
/// every account key (<see cref="UpstreamCredentials"/>), so do the values of its headers, and the body carries the
/// <see cref="GatewayLimits"/> that bound what the plugin reading it holds.
/// </remarks>
internal sealed class UpstreamTimeoutHandler(UpstreamTimeouts timeouts, GatewayLimits limits, UpstreamCredentials? credentials = null) : DelegatingHandler
{
    private readonly Manifold.Contracts.Upstream.UpstreamLimits _limits = limits.ToLimits();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            firstByte.CancelAfter(timeouts.FirstByte);
            try
            {
                response = await base.SendAsync(request, firstByte.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (firstByte.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamTimeoutException(UpstreamTimeoutPhase.FirstByte, timeouts.FirstByte) { Source = ex.Source };
            }
        }
        var scrubber = credentials?.Current ?? CredentialScrubber.Empty;
        if (!scrubber.IsEmpty)
        {
            UpstreamHeaderScrubber.Scrub(response, scrubber);
        }
        response.Content = new IdleTimeoutContent(response.Content, timeouts.Idle, _limits, scrubber);
        return response;
    }
}
