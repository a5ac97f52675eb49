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
        new(2, "create media tasks", """
            CREATE TABLE media_tasks (
                id            TEXT PRIMARY KEY,
                kind          TEXT NOT NULL,
                platform      TEXT NOT NULL,
                account_id    TEXT NULL,
                upstream_id   TEXT NULL,
                model         TEXT NOT NULL,
                licence_id    INTEGER NULL,
                status        TEXT NOT NULL,
                progress      INTEGER NOT NULL,
                created_at    INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL,
                started_at    INTEGER NULL,
                completed_at  INTEGER NULL,
                expires_at    INTEGER NULL,
                error_code    TEXT NULL,
                error_message TEXT NULL,
                parameters    TEXT NOT NULL,
                results       TEXT NULL,
                next_poll_at  INTEGER NOT NULL,
                poll_count    INTEGER NOT NULL,
                version       INTEGER NOT NULL
            );
            CREATE INDEX media_tasks_due ON media_tasks (next_poll_at) WHERE status IN ('queued', 'in_progress');
            CREATE INDEX media_tasks_by_licence ON media_tasks (licence_id, kind, created_at, id);
            CREATE INDEX media_tasks_expiry ON media_tasks (expires_at) WHERE expires_at IS NOT NULL;
            """),
        new(3, "licence policies", """
            ALTER TABLE licences ADD COLUMN policy TEXT NULL;
            """),
        new(4, "create accounts", """
            CREATE TABLE accounts (
                platform        TEXT NOT NULL,
                id              TEXT NOT NULL,
                source          TEXT NOT NULL,
                name            TEXT NULL,
                key_ciphertext  TEXT NULL,
                masked_key      TEXT NULL,
                weight          INTEGER NOT NULL,
                priority        INTEGER NOT NULL,
                account_group   TEXT NOT NULL,
                max_concurrency INTEGER NULL,
                enabled         INTEGER NOT NULL,
                created_at      TEXT NOT NULL,
                updated_at      TEXT NOT NULL,
                PRIMARY KEY (platform, id)
            );
            CREATE TABLE account_pool_version (
                id      INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            );
            INSERT INTO account_pool_version (id, version) VALUES (1, 0);
            """),
    ];
}
