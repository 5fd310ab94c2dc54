//! Versioned schema migrations (SQLite `user_version`). Append new steps; never edit a shipped one.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(
        r#"
        CREATE TABLE bindings (
            id               TEXT PRIMARY KEY NOT NULL,
            provider         TEXT NOT NULL,
            host             TEXT NOT NULL,
            account_id       TEXT NOT NULL,
            login            TEXT NOT NULL,
            display_name     TEXT,
            avatar_url       TEXT,
            auth_method      TEXT NOT NULL CHECK (auth_method IN ('oauth', 'token')),
            scopes           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
            expires_at       TEXT,
            status           TEXT NOT NULL,
            disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            vault_key        TEXT NOT NULL UNIQUE,
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL,
            last_verified_at TEXT,
            UNIQUE (provider, host, account_id)
        ) STRICT;

        -- Append-only history. binding_id is deliberately not a foreign key: history survives unbinding.
        CREATE TABLE events (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            binding_id  TEXT NOT NULL,
            at          TEXT NOT NULL,
            kind        TEXT NOT NULL,
            detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
        ) STRICT;
        CREATE INDEX events_by_binding ON events (binding_id, id DESC);
        CREATE INDEX events_by_kind ON events (kind, id DESC);

        CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        "#,
    ),
    M::up(
        r#"
        ALTER TABLE bindings ADD COLUMN username TEXT;
        ALTER TABLE bindings ADD COLUMN organization TEXT;
        ALTER TABLE bindings ADD COLUMN scopes_reported INTEGER NOT NULL DEFAULT 1 CHECK (scopes_reported IN (0, 1));

        -- Per-host connection settings: a custom CA bundle (never a way to turn TLS checks off).
        CREATE TABLE host_settings (
            host        TEXT PRIMARY KEY NOT NULL,
            ca_bundle   TEXT,
            updated_at  TEXT NOT NULL
        ) STRICT;
        "#,
    ),
    M::up(
        r#"
        -- OAuth apps entered in Settings. The client secret, where there is one, is in the keychain.
        CREATE TABLE oauth_apps (
            provider    TEXT NOT NULL,
            host        TEXT NOT NULL,
            client_id   TEXT NOT NULL,
            has_secret  INTEGER NOT NULL DEFAULT 0 CHECK (has_secret IN (0, 1)),
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (provider, host)
        ) STRICT;
        "#,
    ),
    M::up(
        r#"
        CREATE TABLE build_rules (
            id            TEXT PRIMARY KEY NOT NULL,
            binding_id    TEXT NOT NULL REFERENCES bindings (id) ON DELETE CASCADE,
            repo          TEXT NOT NULL,
            source_type   TEXT NOT NULL CHECK (source_type IN ('branch', 'tag')),
            source        TEXT NOT NULL,
            is_regex      INTEGER NOT NULL DEFAULT 0 CHECK (is_regex IN (0, 1)),
            dockerfile    TEXT NOT NULL,
            context       TEXT NOT NULL,
            image         TEXT NOT NULL,
            tag_template  TEXT NOT NULL,
            trigger_url   TEXT,
            enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        ) STRICT;
        CREATE INDEX build_rules_by_binding ON build_rules (binding_id, repo);

        -- Webhooks Codebind created. Kept until removed at the provider (or given up by the user).
        CREATE TABLE webhooks (
            id                TEXT PRIMARY KEY NOT NULL,
            binding_id        TEXT NOT NULL,
            repo              TEXT NOT NULL,
            provider_hook_id  TEXT NOT NULL,
            url               TEXT NOT NULL,
            events            TEXT NOT NULL CHECK (json_valid(events)),
            secret_key        TEXT NOT NULL,
            created_at        TEXT NOT NULL,
            UNIQUE (binding_id, repo)
        ) STRICT;

        CREATE TABLE settings (
            key    TEXT PRIMARY KEY NOT NULL,
            value  TEXT NOT NULL
        ) STRICT;
        "#,
    ),
    // 5: a proxy per host: NULL = the system's (HTTPS_PROXY/NO_PROXY), 'direct', or a proxy URL.
    M::up("ALTER TABLE host_settings ADD COLUMN proxy TEXT;"),
    ])
}

pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    migrations()
        .to_latest(conn)
        .map_err(|e| Error::storage(format!("cannot migrate the database: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
