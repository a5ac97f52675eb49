using System.Globalization;

namespace Manifold.Contracts.Upstream;

/// <summary>
/// How long an upstream's answer asks callers to wait: OpenAI's <c>retry-after-ms</c> (finer, and what its SDKs read
/// first), else the standard <c>Retry-After</c> as seconds or as an HTTP date. A date is measured against the answer's
/// own <c>Date</c> header when it has one, so a skewed clock on either side does not stretch or cut the wait.
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>The wait <paramref name="response"/> asks for; null when it names none (or nonsense). Never negative.</summary>
    public static TimeSpan? Read(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0 && milliseconds < TimeSpan.MaxValue.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (retryAfter.Date is { } date)
        {
            var wait = date - (response.Headers.Date ?? DateTimeOffset.UtcNow);
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
