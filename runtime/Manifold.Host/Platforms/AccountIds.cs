using System.Security.Cryptography;
using System.Text;

namespace Manifold.Host.Platforms;

/// <summary>
/// Stable account ids. A task remembers the account that made it for as long as the job lives, so the id must not
/// be a position in a configuration list that an operator may reorder: an account is named by its configured
/// <c>Id</c>, else by a fingerprint of its key. The fingerprint is a truncated SHA-256 of a high-entropy secret,
/// which names the key without revealing it (as key prefixes do in vendors' consoles).
/// </summary>
public static class AccountIds
{
    private const int FingerprintBytes = 6;

    /// <summary><c>acct_</c> and 12 hex digits of SHA-256(platform ":" key).</summary>
    public static string FromKey(string platform, string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(platform + ":" + key), hash);
        return "acct_" + Convert.ToHexStringLower(hash[..FingerprintBytes]);
    }
}
