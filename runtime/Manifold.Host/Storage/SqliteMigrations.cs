namespace Manifold.Host.Storage;

/// <summary>The ordered schema history. Append only: databases in the field have already run the earlier entries.</summary>
public static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "create licences", """
            CREATE TABLE licences (
                id           INTEGER PRIMARY KEY,
                name         TEXT NOT NULL,
                key_hash     TEXT NOT NULL UNIQUE,
                key_prefix   TEXT NOT NULL,
                created_at   TEXT NOT NULL,
                revoked_at   TEXT NULL,
                last_used_at TEXT NULL
            );
            """),
    ];
}
