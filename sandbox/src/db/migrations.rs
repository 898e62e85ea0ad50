//! Numbered schema migrations. `PRAGMA user_version` records the last one applied; each runs in
//! its own transaction together with the version bump, so a crash leaves the database at a
//! whole version, never between two.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::seed;
use crate::error::SandboxError;

type Step = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// Append only: a released step never changes, a new need is a new step.
const MIGRATIONS: &[(i64, Step)] = &[(1, schema_v1), (2, seed::demo_customer)];

pub(super) fn run(conn: &mut Connection) -> Result<(), SandboxError> {
    let supported = MIGRATIONS.last().map_or(0, |(version, _)| *version);
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > supported {
        return Err(SandboxError::SchemaTooNew { found, supported });
    }
    for (version, step) in MIGRATIONS.iter().filter(|(version, _)| *version > found) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        step(&tx)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "applied database migration");
    }
    Ok(())
}

fn schema_v1(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE customers (
            customer_id   TEXT PRIMARY KEY,
            display_name  TEXT NOT NULL,
            phone         TEXT NOT NULL
        ) STRICT;

        -- Full account numbers stay inside the bank; the API sends masked ones.
        CREATE TABLE accounts (
            account_id        TEXT PRIMARY KEY,
            customer_id       TEXT NOT NULL REFERENCES customers(customer_id),
            product           TEXT NOT NULL CHECK (product IN
                                ('current', 'savings', 'deposit', 'card', 'investment', 'margin')),
            name              TEXT NOT NULL,
            currency          TEXT NOT NULL,
            balance_minor     INTEGER NOT NULL,
            account_number    TEXT NOT NULL UNIQUE,
            parent_account_id TEXT REFERENCES accounts(account_id),
            sort_order        INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX accounts_by_customer ON accounts(customer_id, sort_order);

        -- Codes are kept as SHA-256 only: a database dump does not bind a phone.
        CREATE TABLE activation_codes (
            code_id        TEXT PRIMARY KEY,
            code_hash      BLOB NOT NULL UNIQUE,
            customer_id    TEXT NOT NULL REFERENCES customers(customer_id),
            created_at_ms  INTEGER NOT NULL,
            expires_at_ms  INTEGER NOT NULL,
            starts         INTEGER NOT NULL DEFAULT 0,
            used_at_ms     INTEGER
        ) STRICT;

        -- The sandbox's stand-in for the SMS gateway: what a phone would have received.
        CREATE TABLE sms_outbox (
            sms_id      INTEGER PRIMARY KEY AUTOINCREMENT,
            phone       TEXT NOT NULL,
            body        TEXT NOT NULL,
            sent_at_ms  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX sms_by_phone ON sms_outbox(phone, sms_id);

        CREATE TABLE activations (
            activation_id      TEXT PRIMARY KEY,
            code_id            TEXT NOT NULL REFERENCES activation_codes(code_id),
            customer_id        TEXT NOT NULL REFERENCES customers(customer_id),
            challenge          BLOB NOT NULL,
            otp_salt           BLOB NOT NULL,
            otp_tag            BLOB NOT NULL,
            otp_expires_at_ms  INTEGER NOT NULL,
            otp_failures       INTEGER NOT NULL DEFAULT 0,
            state              TEXT NOT NULL CHECK (state IN ('open', 'completed', 'dead')),
            created_at_ms      INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX activations_by_code ON activations(code_id);

        CREATE TABLE devices (
            device_id                 TEXT PRIMARY KEY,
            customer_id               TEXT NOT NULL REFERENCES customers(customer_id),
            name                      TEXT NOT NULL,
            platform                  TEXT NOT NULL,
            possession_public_key     BLOB NOT NULL UNIQUE,
            user_verified_public_key  BLOB NOT NULL UNIQUE,
            possession_sign_count     INTEGER NOT NULL,
            user_verified_sign_count  INTEGER NOT NULL,
            failed_attempts           INTEGER NOT NULL DEFAULT 0,
            status                    TEXT NOT NULL CHECK (status IN ('active', 'blocked', 'revoked')),
            blocked_reason            TEXT,
            bound_at_ms               INTEGER NOT NULL,
            last_seen_ms              INTEGER
        ) STRICT;
        CREATE INDEX devices_by_customer ON devices(customer_id);

        CREATE TABLE challenges (
            challenge_id   TEXT PRIMARY KEY,
            challenge      BLOB NOT NULL,
            purpose        TEXT NOT NULL CHECK (purpose IN ('login')),
            device_id      TEXT NOT NULL REFERENCES devices(device_id),
            created_at_ms  INTEGER NOT NULL,
            expires_at_ms  INTEGER NOT NULL,
            used           INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
        ) STRICT;

        -- Bearer tokens are kept as SHA-256 only.
        CREATE TABLE sessions (
            token_hash       BLOB PRIMARY KEY,
            device_id        TEXT NOT NULL REFERENCES devices(device_id),
            created_at_ms    INTEGER NOT NULL,
            last_used_at_ms  INTEGER NOT NULL,
            expires_at_ms    INTEGER NOT NULL
        ) STRICT;
        ",
    )
}
