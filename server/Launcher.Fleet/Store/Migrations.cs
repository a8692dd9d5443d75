namespace Launcher.Fleet.Store;

/// <summary>
/// The one schema of both stores, as numbered migrations. <c>{autoid}</c> is the only dialect difference (an
/// auto-incrementing key); every other statement is the same SQL for SQLite and PostgreSQL. Times are Unix
/// milliseconds in BIGINT; flags are BIGINT 0/1.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE machines (
                id TEXT PRIMARY KEY,
                thumbprint TEXT NOT NULL UNIQUE,
                public_key TEXT NOT NULL,
                key_class TEXT NOT NULL,
                attestation_level TEXT NOT NULL,
                serial TEXT,
                hardware_uuid TEXT,
                model TEXT,
                os_name TEXT,
                os_version TEXT,
                hostname TEXT,
                grp TEXT,
                revoked BIGINT NOT NULL DEFAULT 0,
                revoked_at BIGINT,
                enrolled_at BIGINT NOT NULL,
                last_seen BIGINT,
                certificate TEXT,
                cert_serial TEXT,
                cert_not_after BIGINT
            );
            CREATE INDEX machines_serial ON machines (serial);
            CREATE INDEX machines_hardware_uuid ON machines (hardware_uuid);
            CREATE TABLE enrolment_tokens (
                id TEXT PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,
                uses_left BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                grp TEXT,
                created_at BIGINT NOT NULL,
                revoked BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE admin_tokens (
                id TEXT PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                revoked BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE nonces (
                value TEXT PRIMARY KEY,
                scope TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX nonces_expires ON nonces (expires_at);
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                machine_id TEXT NOT NULL REFERENCES machines (id),
                uid BIGINT,
                all_users BIGINT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                url TEXT,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                delivered_at BIGINT
            );
            CREATE INDEX notifications_undelivered ON notifications (machine_id, delivered_at);
            CREATE TABLE notification_outcomes (
                notification_id TEXT NOT NULL REFERENCES notifications (id),
                uid BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                action TEXT,
                at BIGINT,
                PRIMARY KEY (notification_id, uid)
            );
            CREATE TABLE presence (
                machine_id TEXT PRIMARY KEY,
                instance_id TEXT NOT NULL,
                connection_id TEXT NOT NULL,
                since BIGINT NOT NULL,
                heartbeat_at BIGINT NOT NULL
            );
            CREATE INDEX presence_instance ON presence (instance_id);
            CREATE TABLE audit_log (
                id {autoid},
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                machine_id TEXT,
                detail TEXT
            );
            """),
        (2, """
            CREATE TABLE console_sessions (
                hash TEXT PRIMARY KEY,
                admin_token_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
            """),
        (3, """
            ALTER TABLE machines ADD COLUMN tpm_maker TEXT;
            ALTER TABLE machines ADD COLUMN attestation_detail TEXT;
            ALTER TABLE machines ADD COLUMN apple_serial TEXT;
            ALTER TABLE machines ADD COLUMN apple_udid TEXT;
            ALTER TABLE machines ADD COLUMN apple_os_version TEXT;
            ALTER TABLE machines ADD COLUMN apple_serial_match TEXT;
            ALTER TABLE machines ADD COLUMN apple_leaf_sha256 TEXT;
            ALTER TABLE machines ADD COLUMN apple_attested_at BIGINT;
            """),
        (4, """
            ALTER TABLE enrolment_tokens ADD COLUMN min_level TEXT;
            ALTER TABLE admin_tokens ADD COLUMN last_used_at BIGINT;
            ALTER TABLE admin_tokens ADD COLUMN revoked_at BIGINT;
            """),
        (5, """
            CREATE TABLE console_keys (
                name TEXT PRIMARY KEY,
                xml TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX console_keys_expires ON console_keys (expires_at);
            """),
        (6, """
            CREATE TABLE broadcasts (
                id TEXT PRIMARY KEY,
                all_machines BIGINT NOT NULL,
                grp TEXT,
                uid BIGINT,
                all_users BIGINT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                url TEXT,
                machines BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL
            );
            ALTER TABLE notifications ADD COLUMN broadcast_id TEXT REFERENCES broadcasts (id);
            CREATE INDEX notifications_broadcast ON notifications (broadcast_id, machine_id);
            CREATE INDEX machines_grp ON machines (grp);
            """),
    ];
}
