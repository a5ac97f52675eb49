using Manifold.Contracts;
using Manifold.Host.Accounts;

namespace Manifold.Host.Platforms;

/// <summary>An account from configuration: its credential and its routing settings there.</summary>
internal sealed record ConfiguredAccount(UpstreamAccount Account, AccountSettings Settings);
