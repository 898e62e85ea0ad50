//! Numbered schema migrations. `PRAGMA user_version` records the last one applied; each runs in
//! its own transaction together with the version bump, so a crash leaves the database at a
//! whole version, never between two.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::seed;
use crate::error::SandboxError;

type Step = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// Append only: a released step never changes, a new need is a new step.
const MIGRATIONS: &[(i64, Step)] = &[(1, schema_v1), (2, seed::demo_customer), (3, schema_v3)];

pub(super) fn run(conn: &mut Connection) -> Result<(), SandboxError> {
    let supported = MIGRATIONS.last().map_or(0, |(version, _)| *version);
    run_up_to(conn, supported)
}

fn run_up_to(conn: &mut Connection, supported: i64) -> Result<(), SandboxError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > supported {
        return Err(SandboxError::SchemaTooNew { found, supported });
    }
    let pending = MIGRATIONS
        .iter()
        .filter(|(version, _)| *version > found && *version <= supported);
    for (version, step) in pending {
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

/// The PIN factor, step-up, the device lifecycle and the transaction ledger.
fn schema_v3(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- The knowledge (PIN) key is an HMAC key the bank must hold to check PIN assertions. A
        -- real bank keeps it in an HSM or encrypted at rest; the sandbox keeps it as is.
        ALTER TABLE devices ADD COLUMN knowledge_key BLOB
            CHECK (knowledge_key IS NULL OR length(knowledge_key) = 32);
        ALTER TABLE devices ADD COLUMN knowledge_sign_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN cooling_off_until_ms INTEGER;
        ALTER TABLE devices ADD COLUMN revoked_at_ms INTEGER;

        -- A login is a strong authentication at its time; a step-up renews it.
        ALTER TABLE sessions ADD COLUMN strong_auth_at_ms INTEGER NOT NULL DEFAULT 0;
        -- What the app reported at login (policy::IntegrityFlags bits).
        ALTER TABLE sessions ADD COLUMN integrity_flags INTEGER NOT NULL DEFAULT 0;

        -- SQLite cannot widen a CHECK in place: rebuild the table with the new purposes.
        CREATE TABLE challenges_v3 (
            challenge_id   TEXT PRIMARY KEY,
            challenge      BLOB NOT NULL,
            purpose        TEXT NOT NULL CHECK (purpose IN
                             ('login', 'step_up', 'operation', 'pin_change')),
            device_id      TEXT NOT NULL REFERENCES devices(device_id),
            created_at_ms  INTEGER NOT NULL,
            expires_at_ms  INTEGER NOT NULL,
            used           INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
        ) STRICT;
        INSERT INTO challenges_v3 SELECT * FROM challenges;
        DROP TABLE challenges;
        ALTER TABLE challenges_v3 RENAME TO challenges;

        -- The ledger. `seq` orders it: a new booking always gets a higher one (AUTOINCREMENT
        -- never reuses a value), which is what lets a client resume a sync from a cursor.
        CREATE TABLE transactions (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id  TEXT NOT NULL UNIQUE,
            customer_id     TEXT NOT NULL REFERENCES customers(customer_id),
            account_id      TEXT NOT NULL REFERENCES accounts(account_id),
            booked_at_ms    INTEGER NOT NULL,
            amount_minor    INTEGER NOT NULL,
            currency        TEXT NOT NULL,
            counterparty    TEXT NOT NULL,
            memo            TEXT NOT NULL,
            category        TEXT NOT NULL CHECK (category IN ('salary', 'rent', 'groceries',
                              'utilities', 'transfer', 'dining', 'transport', 'shopping', 'other'))
        ) STRICT;
        CREATE INDEX transactions_by_customer ON transactions(customer_id, seq);

        -- Device notices: shown on `device_id` at its next login, and the sandbox's record of
        -- the push notifications a real bank would send.
        CREATE TABLE notices (
            notice_id          TEXT PRIMARY KEY,
            customer_id        TEXT NOT NULL REFERENCES customers(customer_id),
            device_id          TEXT NOT NULL REFERENCES devices(device_id),
            kind               TEXT NOT NULL CHECK (kind IN
                                 ('new_device_bound', 'device_revoked', 'pin_changed')),
            subject_device_id  TEXT REFERENCES devices(device_id),
            device_name        TEXT,
            at_ms              INTEGER NOT NULL,
            delivered_at_ms    INTEGER
        ) STRICT;
        CREATE INDEX notices_by_recipient ON notices(device_id, delivered_at_ms);
        CREATE INDEX notices_by_customer ON notices(customer_id, at_ms);
        ",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_2_ledger_keeps_its_devices_challenges_and_sessions() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        run_up_to(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO devices (device_id, customer_id, name, platform, possession_public_key,
                                  user_verified_public_key, possession_sign_count,
                                  user_verified_sign_count, status, bound_at_ms)
             VALUES ('dev_1', 'demo', 'Pixel', 'android', x'01', x'02', 3, 4, 'active', 10);
             INSERT INTO challenges (challenge_id, challenge, purpose, device_id, created_at_ms,
                                     expires_at_ms)
             VALUES ('chl_1', x'0a0b', 'login', 'dev_1', 10, 70);
             INSERT INTO sessions (token_hash, device_id, created_at_ms, last_used_at_ms,
                                   expires_at_ms)
             VALUES (x'ff', 'dev_1', 10, 20, 1000);",
        )
        .unwrap();

        run(&mut conn).unwrap();

        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, 3);
        let device: (i64, i64, Option<Vec<u8>>) = conn
            .query_row(
                "SELECT possession_sign_count, knowledge_sign_count, knowledge_key
                 FROM devices WHERE device_id = 'dev_1'",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap();
        assert_eq!(device, (3, 0, None));
        let challenge: (Vec<u8>, String) = conn
            .query_row(
                "SELECT challenge, purpose FROM challenges WHERE challenge_id = 'chl_1'",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(challenge, (vec![0x0a, 0x0b], "login".to_owned()));
        conn.execute(
            "INSERT INTO challenges (challenge_id, challenge, purpose, device_id, created_at_ms,
                                     expires_at_ms)
             VALUES ('chl_2', x'00', 'step_up', 'dev_1', 10, 70)",
            [],
        )
        .unwrap();
        let strong_auth: i64 = conn
            .query_row("SELECT strong_auth_at_ms FROM sessions", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(
            strong_auth, 0,
            "old sessions need a step-up for sensitive operations"
        );
        assert!(conn
            .execute(
                "UPDATE devices SET knowledge_key = x'00' WHERE device_id = 'dev_1'",
                []
            )
            .is_err());
    }

    #[test]
    fn a_newer_ledger_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(
            run(&mut conn),
            Err(SandboxError::SchemaTooNew {
                found: 99,
                supported: 3
            })
        ));
    }
}
