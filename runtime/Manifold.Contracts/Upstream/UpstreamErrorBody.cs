using System.Buffers;
using System.Text;

namespace Manifold.Contracts.Upstream;

/// <summary>
/// Reading an upstream's error answer safely: bounded in size, tolerant of a connection that breaks while it
/// is read, and never echoing the account's key (an upstream may quote it back) into what clients and logs see.
/// </summary>
public static class UpstreamErrorBody
{
    // Error bodies are small; a cap keeps a misbehaving upstream from making us read megabytes.
    private const int MaxBodyBytes = 32 * 1024;
    private const int MaxTextChars = 500;

    /// <summary>The body as text, at most 32 KiB of it; whatever arrived when the connection broke.</summary>
    public static async Task<string> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes);
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while (length < MaxBodyBytes && (read = await stream.ReadAsync(buffer.AsMemory(length, MaxBodyBytes - length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke while the error was being read: the status, and whatever arrived, still say what happened.
        }
        try
        {
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>"Upstream of platform 'x' answered 503 Service Unavailable: &lt;the text, truncated&gt;", for bodies in no known shape.</summary>
    public static string Summarize(HttpResponseMessage response, string platform, string body)
    {
        var text = body.Trim();
        var summary = $"Upstream of platform '{platform}' answered {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        return text.Length == 0 ? summary + "." : summary + ": " + Truncate(text);
    }

    /// <summary>At most 500 characters of <paramref name="text"/>, marked when cut.</summary>
    public static string Truncate(string text) => text.Length <= MaxTextChars ? text : string.Concat(text.AsSpan(0, MaxTextChars), "…");

    /// <summary><paramref name="text"/> with the account's key replaced by <c>[redacted]</c>.</summary>
    public static string Redact(string text, UpstreamAccount? account) =>
        account is { Key.Length: > 0 } ? text.Replace(account.Key, "[redacted]", StringComparison.Ordinal) : text;
}
