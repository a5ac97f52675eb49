namespace Manifold.Contracts.Upstream;

/// <summary>
/// Which upstream HTTP statuses say "another account, or the same one later, may succeed" rather than "the request is
/// wrong": what <see cref="UpstreamException.Retryable"/> is set from, and so what makes the host fail over and rest
/// the account.
/// </summary>
public static class RetryableStatuses
{
    /// <summary>
    /// 408, 409, 429 and every 5xx (529 overloaded included) are the upstream's passing trouble. 401 and 403 are too:
    /// a rejected key or a disabled account is that account's fault, not the request's, so another account may work.
    /// </summary>
    public static bool Contains(int status) => status is 401 or 403 or 408 or 409 or 429 or >= 500;
}
