using Manifold.Contracts.Upstream;

namespace Manifold.Host.Gateway;

/// <summary>
/// Masks account keys in an upstream response's header values: the host relays some of them (the upstream's request id), and
/// plugins read others into what clients see. The headers are read without validation or allocation; only a header that
/// holds a key is rewritten.
/// </summary>
internal static class UpstreamHeaderScrubber
{
    public static void Scrub(HttpResponseMessage response, CredentialScrubber scrubber)
    {
        List<(string Name, string[] Values)>? dirty = null;
        Find(response.Headers, scrubber, ref dirty);
        if (dirty is not null)
        {
            Rewrite(response.Headers, scrubber, dirty);
            dirty = null;
        }
        Find(response.Content.Headers, scrubber, ref dirty);
        if (dirty is not null)
        {
            Rewrite(response.Content.Headers, scrubber, dirty);
        }
    }

    private static void Find(System.Net.Http.Headers.HttpHeaders headers, CredentialScrubber scrubber, ref List<(string, string[])>? dirty)
    {
        foreach (var header in headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                if (scrubber.Contains(value))
                {
                    (dirty ??= []).Add((header.Key, [.. header.Value]));
                    break;
                }
            }
        }
    }

    private static void Rewrite(System.Net.Http.Headers.HttpHeaders headers, CredentialScrubber scrubber, List<(string Name, string[] Values)> dirty)
    {
        foreach (var (name, values) in dirty)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, values.Select(scrubber.Scrub));
        }
    }
}
