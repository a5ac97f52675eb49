using Manifold.Contracts;
using Manifold.Host.Accounts;

namespace Manifold.Host.Platforms;

/// <summary>A configured platform: what its plugin is given, and the routing settings of each account (same order as its accounts).</summary>
internal sealed record ConfiguredPlatform(PlatformSettings Settings, IReadOnlyList<AccountSettings> Accounts);
