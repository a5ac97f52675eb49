using System.Net;
using System.Text;

namespace Manifold.Plugins.Tests.Fakes;

/// <summary>An HttpClient handler that records the request URI and answers a fixed JSON body, with no network at all.</summary>
internal sealed class CapturingHandler(string responseJson) : HttpMessageHandler
{
    public Uri? LastUri { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastUri = request.RequestUri;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(responseJson, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        });
    }
}
