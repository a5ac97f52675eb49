using Manifold.Host.Platforms;

namespace Manifold.Host.Endpoints;

/// <summary>The platform chosen for a call, already cast to the adapter interface the operation needs.</summary>
public sealed record PlatformTarget<TAdapter>(PlatformEntry Entry, TAdapter Adapter)
    where TAdapter : class;
