namespace Manifold.Host.Storage;

/// <summary>The PostgreSQL notification channels nodes tell each other about changes on (<see cref="IStorageDialect.NotifyAsync"/>).</summary>
public static class StorageChannels
{
    /// <summary>A licence changed or was revoked; the payload is its id.</summary>
    public const string Licences = "manifold_licences";

    /// <summary>An account rested or had its circuit opened or closed; the payload is <c>platform/id</c>.</summary>
    public const string AccountHealth = "manifold_account_health";

    /// <summary>Every channel, which each node listens on.</summary>
    public static IReadOnlyList<string> All { get; } = [Licences, AccountHealth];
}
