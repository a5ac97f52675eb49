using Manifold.Host.Tests.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tests.Reliability.Process;

/// <summary>
/// <c>Manifold__Gateway__DrainTimeout</c> is what the host waits for on a stop, plus the background work's grace: without
/// it the .NET host's own 30-second default would cut a longer drain short (the process tests use drains that end sooner).
/// </summary>
public sealed class DrainTimeoutSettingTests
{
    [Theory]
    [InlineData(null, 40)]
    [InlineData("00:02:00", 130)]
    [InlineData("00:00:00", 10)]
    public void The_hosts_shutdown_timeout_is_the_drain_timeout_plus_the_grace(string? drainTimeout, int expectedSeconds)
    {
        var settings = new Dictionary<string, string?>();
        if (drainTimeout is not null)
        {
            settings["Manifold:Gateway:DrainTimeout"] = drainTimeout;
        }
        using var factory = new ManifoldFactory(settings);

        var host = factory.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), host.ShutdownTimeout);
    }
}
