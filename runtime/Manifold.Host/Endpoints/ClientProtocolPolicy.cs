using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Routing.Matching;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Picks between operations of different protocols mapped on the same route, by the client's protocol: <c>GET /v1/models</c>
/// is OpenAI's models list, Anthropic's and (as <c>@google/genai</c> calls it) Gemini's, each described by its own spec
/// with its own shapes, paging and errors. Each spec describes its protocol's API as that API is, so the route is declared
/// three times; which one a request means is told only by the request (its headers), which no spec can know, hence a host
/// concern, decided here in routing: the endpoint that is selected carries its operation, so the licence check and the error
/// shape follow the right protocol with nothing else changed. A client no protocol recognises (see
/// <see cref="IWireProtocol.IsClient"/>) gets <see cref="WireProtocols.Default"/>'s operation, OpenAI's as before. (The
/// OpenAPI document, which has one operation per path and method, shows the first mapped there: OpenAI's at
/// <c>/v1/models</c>; Gemini's are documented at <c>/v1beta/models</c>.)
/// </summary>
internal sealed class ClientProtocolPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the HTTP method policy, so that only operations of the request's method compete.
    public override int Order => 100;

    /// <summary>Only routing nodes that hold operations of two protocols need it; every other route is untouched.</summary>
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        string? first = null;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<OperationDescriptor>() is { } operation)
            {
                first ??= operation.Protocol;
                if (!string.Equals(first, operation.Protocol, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// Among equally good candidates (the same route), keeps the client's protocol's operation, else the default protocol's.
    /// Candidates of different scores are different routes (<c>{model}</c> beside <c>{model}:generateContent</c>) and left
    /// to the usual precedence.
    /// </summary>
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        IWireProtocol? client = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (Operation(candidates, i) is not { } operation)
            {
                continue;
            }
            var score = candidates[i].Score;
            string? competitor = null;
            for (var j = 0; j < candidates.Count; j++)
            {
                if (j != i && candidates[j].Score == score && Operation(candidates, j) is { } other
                    && !string.Equals(other.Protocol, operation.Protocol, StringComparison.OrdinalIgnoreCase))
                {
                    competitor = other.Protocol;
                    break;
                }
            }
            if (competitor is null)
            {
                continue;
            }
            client ??= WireProtocols.ClientOf(httpContext.Request);
            var wanted = HasProtocol(candidates, score, client.Name) ? client.Name : WireProtocols.Default.Name;
            if (HasProtocol(candidates, score, wanted) && !string.Equals(operation.Protocol, wanted, StringComparison.OrdinalIgnoreCase))
            {
                candidates.SetValidity(i, false);
            }
        }
        return Task.CompletedTask;
    }

    private static OperationDescriptor? Operation(CandidateSet candidates, int index) =>
        candidates.IsValidCandidate(index) ? candidates[index].Endpoint.Metadata.GetMetadata<OperationDescriptor>() : null;

    private static bool HasProtocol(CandidateSet candidates, int score, string protocol)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Score == score && Operation(candidates, i) is { } operation
                && string.Equals(operation.Protocol, protocol, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
