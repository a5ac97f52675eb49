using Manifold.Contracts;

namespace Manifold.Host.Gateway;

/// <summary>
/// Enforces <see cref="UpstreamTimeouts"/> on every upstream call, whatever plugin makes it: the response headers
/// must arrive within <see cref="UpstreamTimeouts.FirstByte"/>, and every read of the body within
/// <see cref="UpstreamTimeouts.Idle"/> of the previous one. A timeout is an <see cref="UpstreamTimeoutException"/>,
/// so an account that never answers fails over like a 5xx, and a stream that goes silent ends with an error.
/// </summary>
internal sealed class UpstreamTimeoutHandler(UpstreamTimeouts timeouts) : DelegatingHandler
{
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
        response.Content = new IdleTimeoutContent(response.Content, timeouts.Idle);
        return response;
    }
}
