using Manifold.Host.Platforms;

namespace Manifold.Host.Endpoints;

/// <summary>The platform chosen for a call, already cast to the adapter interface the operation needs.</summary>
public sealed record PlatformTarget<TAdapter>(PlatformEntry Entry, TAdapter Adapter)
    where TAdapter : class
{
    /// <summary>
    /// The model to send upstream when it differs from the one the client named (a suffix such as
    /// <c>-thinking</c> or <c>-high</c> was turned into request options); null when unchanged.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>The account every attempt must use (a job's own account, whose upstream id only it can see); null to rotate.</summary>
    public Manifold.Contracts.UpstreamAccount? Pinned { get; init; }

    /// <summary>What the request asks of the platform's account pool: groups, session, retry cap.</summary>
    public Manifold.Host.Accounts.AccountRoute Route { get; init; }

    /// <summary>The model to send upstream: <see cref="Model"/>, or <paramref name="requested"/> when unchanged.</summary>
    public string ModelOr(string requested) => Model ?? requested;
}
