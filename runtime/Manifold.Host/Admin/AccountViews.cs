using System.Text.Json.Serialization;
using Manifold.Host.Accounts;
using Manifold.Host.Platforms;

namespace Manifold.Host.Admin;

/// <summary>An account as the admin API shows it: its settings, its health on this node, and its key only masked.</summary>
public sealed record AccountView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("masked_key")] string MaskedKey,
    [property: JsonPropertyName("weight")] int Weight,
    [property: JsonPropertyName("priority")] int Priority,
    [property: JsonPropertyName("group")] string Group,
    [property: JsonPropertyName("max_concurrency")] int? MaxConcurrency,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("health")] AccountHealthView Health,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt)
{
    public static AccountView From(string platform, PoolAccount account, HealthPolicy policy)
    {
        var settings = account.Settings;
        return new(account.Id, "account", platform, account.Source == AccountSource.Database ? "database" : "config", settings.Name, account.MaskedKey,
            settings.Weight, settings.Priority, settings.Group, settings.MaxConcurrency, settings.Enabled,
            AccountHealthView.From(account, policy), account.CreatedAt, account.UpdatedAt);
    }
}

/// <summary>
/// An account's health as this node sees it (each node learns from its own requests): its state, what it carries now,
/// its counts since this node loaded it, and its last failure.
/// </summary>
public sealed record AccountHealthView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("in_flight")] int InFlight,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("failures")] long Failures,
    [property: JsonPropertyName("consecutive_auth_failures")] int ConsecutiveAuthFailures,
    [property: JsonPropertyName("cooling_until")] DateTimeOffset? CoolingUntil,
    [property: JsonPropertyName("probe_at")] DateTimeOffset? ProbeAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("last_error")] AccountErrorView? LastError)
{
    public static AccountHealthView From(PoolAccount account, HealthPolicy policy)
    {
        var health = account.Health;
        var now = policy.Now;
        return new(
            AccountStates.Name(account.StateAt(now)),
            health.InFlight,
            health.Requests,
            health.Failures,
            health.ConsecutiveAuthFailures,
            health.CoolUntil > now ? policy.WallClock(health.CoolUntil) : null,
            policy.WallClock(health.ProbeAt),
            policy.WallClock(health.LastUsed),
            health.LastError is { } error ? new AccountErrorView(error.Status, error.Code, error.Message, error.At) : null);
    }
}

public sealed record AccountErrorView(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>What <c>DELETE …/accounts/{id}</c> answers.</summary>
public sealed record DeletedAccountView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("deleted")] bool Deleted);

/// <summary>The body of an account's POST or PATCH, as the OpenAPI document describes it. <c>key</c> is write-only.</summary>
public sealed record AccountBody(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("weight")] int? Weight,
    [property: JsonPropertyName("priority")] int? Priority,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("max_concurrency")] int? MaxConcurrency,
    [property: JsonPropertyName("enabled")] bool? Enabled);

/// <summary>A platform as the admin API shows it: its plugin, upstream, models and a summary of its accounts' health.</summary>
public sealed record PlatformView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("base_url")] string? BaseUrl,
    [property: JsonPropertyName("models")] IReadOnlyList<string> Models,
    [property: JsonPropertyName("accounts")] AccountSummaryView Accounts)
{
    public static PlatformView From(PlatformEntry entry)
    {
        var pool = entry.Accounts;
        return new(entry.Name, "platform", entry.Settings.Plugin, WithoutUserInfo(entry.Settings.BaseUrl), entry.ModelPatterns,
            AccountSummaryView.From(pool));
    }

    // A base URL may carry credentials (https://user:secret@host); the admin API shows where, never how.
    private static string? WithoutUserInfo(Uri? url) =>
        url is null ? null : url.UserInfo.Length == 0 ? url.ToString() : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString();
}

/// <summary>How many of a platform's accounts are in each state, on this node.</summary>
public sealed record AccountSummaryView(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("healthy")] int Healthy,
    [property: JsonPropertyName("busy")] int Busy,
    [property: JsonPropertyName("rate_limited")] int RateLimited,
    [property: JsonPropertyName("cooling_down")] int CoolingDown,
    [property: JsonPropertyName("half_open")] int HalfOpen,
    [property: JsonPropertyName("probing")] int Probing,
    [property: JsonPropertyName("circuit_open")] int CircuitOpen,
    [property: JsonPropertyName("disabled")] int Disabled,
    [property: JsonPropertyName("key_unreadable")] int KeyUnreadable)
{
    public static AccountSummaryView From(AccountPool pool)
    {
        var now = pool.Policy.Now;
        var counts = new int[Enum.GetValues<AccountState>().Length];
        foreach (var account in pool.Accounts)
        {
            counts[(int)account.StateAt(now)]++;
        }
        return new(pool.Count,
            counts[(int)AccountState.Healthy], counts[(int)AccountState.Busy], counts[(int)AccountState.RateLimited],
            counts[(int)AccountState.CoolingDown], counts[(int)AccountState.HalfOpen], counts[(int)AccountState.Probing],
            counts[(int)AccountState.CircuitOpen], counts[(int)AccountState.Disabled], counts[(int)AccountState.KeyUnreadable]);
    }
}
