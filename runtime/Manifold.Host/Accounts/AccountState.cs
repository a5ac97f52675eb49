namespace Manifold.Host.Accounts;

/// <summary>Where an account stands for routing at one moment; the admin API shows it as <c>health.state</c>.</summary>
public enum AccountState
{
    /// <summary>Takes requests.</summary>
    Healthy,

    /// <summary>Its circuit is open, and the time for a trial request has come: the next request it is chosen for is that trial.</summary>
    HalfOpen,

    /// <summary>At its <c>max_concurrency</c>: skipped until a request of its ends.</summary>
    Busy,

    /// <summary>The upstream answered 429 with a <c>Retry-After</c>: left out until it has passed.</summary>
    RateLimited,

    /// <summary>It failed in a way that may pass (5xx, unreachable, a 429 without a wait, a first authentication failure): preferred again after the cool-down.</summary>
    CoolingDown,

    /// <summary>Its trial request is in flight: left out until it ends.</summary>
    Probing,

    /// <summary>Disabled after repeated authentication failures until the next probe.</summary>
    CircuitOpen,

    /// <summary>An operator disabled it.</summary>
    Disabled,

    /// <summary>Its stored key cannot be decrypted with this node's encryption key.</summary>
    KeyUnreadable,
}

/// <summary>The names the admin API uses for <see cref="AccountState"/>.</summary>
public static class AccountStates
{
    public static string Name(AccountState state) => state switch
    {
        AccountState.Healthy => "healthy",
        AccountState.HalfOpen => "half_open",
        AccountState.Busy => "busy",
        AccountState.RateLimited => "rate_limited",
        AccountState.CoolingDown => "cooling_down",
        AccountState.Probing => "probing",
        AccountState.CircuitOpen => "circuit_open",
        AccountState.Disabled => "disabled",
        _ => "key_unreadable",
    };
}
