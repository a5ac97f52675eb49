using Manifold.Host.Licences;

namespace Manifold.Host.Tests.Licences;

/// <summary>limits.rpm's bucket on its own: above 60 000 rpm it still refills (its timer's period cannot go under 1 ms).</summary>
public sealed class LicenceLimiterTests
{
    [Theory]
    [InlineData(6_000)]
    [InlineData(120_000)]
    public async Task A_drained_bucket_refills_whatever_the_rpm(int rpm)
    {
        using var limiter = new LicenceLimiter();
        var licence = new Licence(1, "fast", "mf-x", DateTimeOffset.UtcNow, null) { Policy = new LicencePolicy { Limits = new LicenceLimits(Rpm: rpm) } };
        var granted = 0;
        while (limiter.Acquire(licence).Granted && granted <= rpm * 2)
        {
            granted++;
        }

        // 6 000 rpm refills a request every 10 ms, 120 000 two every millisecond: either is seconds inside the deadline.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var refilled = false;
        while (!refilled && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            refilled = limiter.Acquire(licence).Granted;
        }

        Assert.InRange(granted, rpm - rpm / 100, rpm + rpm / 100);
        Assert.True(refilled, $"A licence of {rpm} rpm never got a request again after spending its bucket.");
    }
}
