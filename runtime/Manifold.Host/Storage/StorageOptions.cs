namespace Manifold.Host.Storage;

/// <summary>Where Manifold keeps its state. Bound from <c>Manifold:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Manifold:Storage";

    public const string SqliteProvider = "sqlite";

    /// <summary>Providers this build can open; anything else fails options validation at startup.</summary>
    public static readonly IReadOnlyList<string> SupportedProviders = [SqliteProvider];

    /// <summary>Storage engine. Only <c>sqlite</c> today; the setting exists so configs written now keep working when more arrive.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>
    /// Provider connection string. Unset, the database is <c>manifold.db</c> in the data folder (<see cref="DataFolder"/>);
    /// a relative SQLite <c>Data Source</c> is under the data folder too.
    /// </summary>
    public string? ConnectionString { get; set; }
}
