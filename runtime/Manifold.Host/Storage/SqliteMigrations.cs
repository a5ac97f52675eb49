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
        // Metering (Metering/): hourly totals per licence, platform and model (hour = unix ms of the hour's start, UTC), the
        // recent requests (times in unix ms, pruned after Manifold__Usage__RequestLogRetention), and the operator's prices.
        new(4, "usage, request log and prices", """
            CREATE TABLE usage (
                hour          INTEGER NOT NULL,
                licence_id    INTEGER NOT NULL,
                platform      TEXT NOT NULL,
                model         TEXT NOT NULL,
                requests      INTEGER NOT NULL,
                errors        INTEGER NOT NULL,
                input_tokens  INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                total_tokens  INTEGER NOT NULL,
                images        INTEGER NOT NULL,
                video_seconds REAL NOT NULL,
                cost          REAL NOT NULL,
                PRIMARY KEY (hour, licence_id, platform, model)
            );
            CREATE INDEX usage_by_licence ON usage (licence_id, hour);
            CREATE TABLE request_log (
                id            INTEGER PRIMARY KEY,
                created_at    INTEGER NOT NULL,
                licence_id    INTEGER NOT NULL,
                platform      TEXT NULL,
                account_id    TEXT NULL,
                model         TEXT NULL,
                protocol      TEXT NOT NULL,
                operation     TEXT NOT NULL,
                status        INTEGER NOT NULL,
                error_code    TEXT NULL,
                request_id    TEXT NULL,
                input_tokens  INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                total_tokens  INTEGER NOT NULL,
                images        INTEGER NOT NULL,
                video_seconds REAL NOT NULL,
                cost          REAL NOT NULL,
                usage_source  TEXT NOT NULL,
                latency_ms    REAL NOT NULL,
                overhead_ms   REAL NOT NULL
            );
            CREATE INDEX request_log_time ON request_log (created_at);
            CREATE INDEX request_log_by_licence ON request_log (licence_id, id);
            CREATE TABLE prices (
                model              TEXT PRIMARY KEY,
                input_per_million  REAL NULL,
                output_per_million REAL NULL,
                per_image          REAL NULL,
                per_video_second   REAL NULL,
                per_request        REAL NULL,
                updated_at         INTEGER NOT NULL
            );
            """),
        new(5, "create accounts", """
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
        new(6, "webhook deliveries", """
            CREATE TABLE webhook_deliveries (
                id              TEXT PRIMARY KEY,
                task_id         TEXT NULL,
                event           TEXT NOT NULL,
                url             TEXT NOT NULL,
                body            TEXT NOT NULL,
                created_at      INTEGER NOT NULL,
                next_attempt_at INTEGER NULL,
                attempts        INTEGER NOT NULL,
                last_status     INTEGER NULL,
                last_error      TEXT NULL,
                delivered_at    INTEGER NULL
            );
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
            CREATE INDEX webhook_deliveries_task ON webhook_deliveries (task_id, created_at);
            """),
        // Characters (Characters/): Manifold's id, the licence that made it, and where it lives upstream (platform, the
        // account that made it, the upstream's id); prompts find a licence's characters by name on a platform.
        new(7, "create video characters", """
            CREATE TABLE video_characters (
                id          TEXT PRIMARY KEY,
                licence_id  INTEGER NULL,
                platform    TEXT NOT NULL,
                account_id  TEXT NULL,
                upstream_id TEXT NOT NULL,
                name        TEXT NOT NULL,
                created_at  INTEGER NOT NULL,
                source      TEXT NULL
            );
            CREATE INDEX video_characters_by_name ON video_characters (licence_id, platform, name);
            """),
    ];
}
