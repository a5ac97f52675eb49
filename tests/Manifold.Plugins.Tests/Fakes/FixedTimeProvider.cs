namespace Manifold.Plugins.Tests.Fakes;

/// <summary>A clock stopped at one instant, so that <c>created</c> timestamps can be asserted.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
