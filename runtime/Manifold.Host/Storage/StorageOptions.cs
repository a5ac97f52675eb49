namespace Manifold.Host.Storage;

/// <summary>Where Manifold keeps its state. Bound from <c>Manifold:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Manifold:Storage";

    public const string SqliteProvider = "sqlite";

    public const string PostgresProvider = "postgres";

    /// <summary>Providers this build can open; anything else fails options validation at startup.</summary>
    public static readonly IReadOnlyList<string> SupportedProviders = [SqliteProvider, PostgresProvider];

    /// <summary>Storage engine: <c>sqlite</c> (one node, or nodes sharing one file) or <c>postgres</c> (any number of nodes).</summary>
    public string Provider { get; set; } = SqliteProvider;

    public bool IsPostgres => string.Equals(Provider, PostgresProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Provider connection string. Unset, the database is <c>manifold.db</c> in the data folder (<see cref="DataFolder"/>);
    /// a relative SQLite <c>Data Source</c> is under the data folder too. Required for <c>postgres</c>, in Npgsql's form
    /// (<c>Host=db;Database=manifold;Username=manifold;Password=…</c>).
    /// </summary>
    public string? ConnectionString { get; set; }
}
