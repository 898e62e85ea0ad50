//! Numbered schema migrations. `PRAGMA user_version` records the last one applied; each runs in
//! its own transaction together with the version bump, so a crash leaves the database at a
//! whole version, never between two.

use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use super::seed;
use crate::error::SandboxError;

type Step = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// Append only: a released step never changes, a new need is a new step.
const MIGRATIONS: &[(i64, Step)] = &[
    (1, schema_v1),
    (2, seed::demo_customer),
    (3, schema_v3),
    (4, double_entry_v4),
    (5, seed::landlord_and_other_banks),
    (6, transfers_v6),
    (7, seed::account_numbers_with_check_digits),
    (8, channels_v8),
    (9, scheduled_transfers_v9),
    (10, acknowledged_warnings_v10),
    (11, seed::corner_shop),
    (12, payees_v12),
    (13, product_notices_v13),
];

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
    // A step that rebuilds a referenced table (SQLite cannot change a CHECK in place) would
    // trip the foreign keys while the old table is gone; SQLite's own procedure turns them off
    // around the rebuild and proves them with `foreign_key_check` before committing.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let applied = (|| {
        for (version, step) in pending {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
            step(&tx)?;
            let broken: i64 =
                tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| {
                    row.get(0)
                })?;
            if broken > 0 {
                return Err(SandboxError::Internal(
                    "a migration left rows whose references point nowhere",
                ));
            }
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
            tracing::info!(version, "applied database migration");
        }
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", "ON")?;
    applied
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

/// The double-entry ledger (decision record 0015): system accounts, journal entries and their
/// postings, a ledger account for every customer account with its balance as the cached sum of
/// its postings, and every history row tied to the entry it shows. What was there is kept:
/// each booking becomes an entry against the outside world (money in) or the card network
/// (money out), and whatever an account held beyond its bookings an opening entry.
fn double_entry_v4(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- Every account money can be posted to: each customer account (same id as in
        -- `accounts`) and one system account per kind and currency. Only customer accounts
        -- must stay at or above zero.
        CREATE TABLE ledger_accounts (
            account_id     TEXT PRIMARY KEY,
            kind           TEXT NOT NULL CHECK (kind IN
                             ('customer', 'outside_world', 'other_bank', 'card_network')),
            currency       TEXT NOT NULL,
            -- Always the sum of the account's postings; ledger::check proves it.
            balance_minor  INTEGER NOT NULL DEFAULT 0,
            CHECK (kind <> 'customer' OR balance_minor >= 0)
        ) STRICT;

        -- One movement of money. `kind` is the bank's own label (ledger::EntryKind).
        CREATE TABLE journal_entries (
            entry_id              INTEGER PRIMARY KEY,
            booked_at_ms          INTEGER NOT NULL,
            kind                  TEXT NOT NULL,
            -- The outside party's account, for money from or to outside the bank.
            counterparty_account  TEXT
        ) STRICT;

        -- The legs of an entry, in minor units of their currency; they sum to zero per
        -- currency. One leg per account and entry.
        CREATE TABLE postings (
            entry_id      INTEGER NOT NULL REFERENCES journal_entries(entry_id),
            account_id    TEXT NOT NULL REFERENCES ledger_accounts(account_id),
            amount_minor  INTEGER NOT NULL CHECK (amount_minor <> 0),
            currency      TEXT NOT NULL,
            PRIMARY KEY (entry_id, account_id)
        ) STRICT, WITHOUT ROWID;

        INSERT INTO ledger_accounts (account_id, kind, currency)
            SELECT 'sys_' || kind.column1 || '_' || lower(currency.column1),
                   kind.column1, currency.column1
            FROM (VALUES ('outside_world'), ('other_bank'), ('card_network')) AS kind
            CROSS JOIN (VALUES ('CNY'), ('USD'), ('EUR'), ('HKD'), ('JPY')) AS currency;
        INSERT INTO ledger_accounts (account_id, kind, currency)
            SELECT account_id, 'customer', currency FROM accounts;

        -- Entry ids of the bookings so far are their sequence numbers.
        INSERT INTO journal_entries (entry_id, booked_at_ms, kind)
            SELECT seq, booked_at_ms,
                   CASE WHEN amount_minor > 0 THEN 'incoming_credit' ELSE 'card_payment' END
            FROM transactions;
        INSERT INTO postings (entry_id, account_id, amount_minor, currency)
            SELECT seq, account_id, amount_minor, currency FROM transactions
            WHERE amount_minor <> 0;
        INSERT INTO postings (entry_id, account_id, amount_minor, currency)
            SELECT seq,
                   CASE WHEN amount_minor > 0 THEN 'sys_outside_world_' ELSE 'sys_card_network_'
                   END || lower(currency),
                   -amount_minor, currency
            FROM transactions WHERE amount_minor <> 0;
        ",
    )?;
    let openings = {
        let mut statement = tx.prepare(
            "SELECT a.account_id, a.currency,
                    a.balance_minor - COALESCE(SUM(t.amount_minor), 0),
                    COALESCE(MIN(t.booked_at_ms), CAST(unixepoch('subsec') * 1000 AS INTEGER))
             FROM accounts a LEFT JOIN transactions t ON t.account_id = a.account_id
             GROUP BY a.account_id ORDER BY a.customer_id, a.sort_order",
        )?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (account_id, currency, amount, at_ms) in openings {
        if amount == 0 {
            continue;
        }
        tx.execute(
            "INSERT INTO journal_entries (booked_at_ms, kind) VALUES (?1, 'opening')",
            [at_ms],
        )?;
        let entry_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO postings (entry_id, account_id, amount_minor, currency)
             VALUES (?1, ?2, ?3, ?4), (?1, 'sys_outside_world_' || lower(?4), -?3, ?4)",
            params![entry_id, account_id, amount, currency],
        )?;
    }
    tx.execute_batch(
        "
        UPDATE ledger_accounts SET balance_minor = totals.balance
        FROM (SELECT account_id, SUM(amount_minor) AS balance FROM postings
              GROUP BY account_id) AS totals
        WHERE totals.account_id = ledger_accounts.account_id;

        -- Balances and currencies now live in the ledger only.
        ALTER TABLE accounts DROP COLUMN balance_minor;
        ALTER TABLE accounts DROP COLUMN currency;

        -- Every history row shows one leg of an entry. SQLite cannot add a NOT NULL reference
        -- in place: rebuild the table, keeping every sequence number (cursors stay valid).
        CREATE TABLE transactions_v4 (
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
                              'utilities', 'transfer', 'dining', 'transport', 'shopping', 'other')),
            entry_id        INTEGER NOT NULL REFERENCES journal_entries(entry_id)
        ) STRICT;
        INSERT INTO transactions_v4
            SELECT seq, transaction_id, customer_id, account_id, booked_at_ms, amount_minor,
                   currency, counterparty, memo, category, seq
            FROM transactions;
        DROP TABLE transactions;
        ALTER TABLE transactions_v4 RENAME TO transactions;
        CREATE INDEX transactions_by_customer ON transactions(customer_id, seq);

        -- The name an account is registered to, for confirmation of payee.
        ALTER TABLE customers ADD COLUMN holder_name TEXT NOT NULL DEFAULT '';
        UPDATE customers SET holder_name = '李伟' WHERE customer_id = 'demo';
        ",
    )
}

/// Transfers: a fee-income account per currency (the ledger's account kinds gain
/// `fee_income`), suspension of a customer's e-banking, the transfer quotes with their
/// single-use challenges, and every transfer's outcome under its idempotency key.
fn transfers_v6(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE ledger_accounts_v6 (
            account_id     TEXT PRIMARY KEY,
            kind           TEXT NOT NULL CHECK (kind IN
                             ('customer', 'outside_world', 'other_bank', 'card_network',
                              'fee_income')),
            currency       TEXT NOT NULL,
            -- Always the sum of the account's postings; ledger::check proves it.
            balance_minor  INTEGER NOT NULL DEFAULT 0,
            CHECK (kind <> 'customer' OR balance_minor >= 0)
        ) STRICT;
        INSERT INTO ledger_accounts_v6 SELECT * FROM ledger_accounts;
        DROP TABLE ledger_accounts;
        ALTER TABLE ledger_accounts_v6 RENAME TO ledger_accounts;
        INSERT INTO ledger_accounts (account_id, kind, currency)
            SELECT 'sys_fee_income_' || lower(currency.column1), 'fee_income', currency.column1
            FROM (VALUES ('CNY'), ('USD'), ('EUR'), ('HKD'), ('JPY')) AS currency;

        ALTER TABLE customers ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0
            CHECK (suspended IN (0, 1));

        -- A quote is the transfer the bank offered to execute, complete but for the acknowledged
        -- warnings (canonical JSON), and the single-use challenge its signature must answer.
        CREATE TABLE transfer_quotes (
            challenge       BLOB PRIMARY KEY CHECK (length(challenge) = 32),
            customer_id     TEXT NOT NULL REFERENCES customers(customer_id),
            device_id       TEXT NOT NULL REFERENCES devices(device_id),
            transfer        TEXT NOT NULL,
            expires_at_ms   INTEGER NOT NULL,
            used            INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
        ) STRICT;

        -- What the bank decided for one idempotency key of one customer: the signed receipt
        -- (JSON) and the hash of the transfer it decided on. Written in the transaction that
        -- books the money, so an outcome exists exactly when the decision was made.
        CREATE TABLE transfer_outcomes (
            customer_id      TEXT NOT NULL REFERENCES customers(customer_id),
            idempotency_key  TEXT NOT NULL,
            transfer_hash    BLOB NOT NULL CHECK (length(transfer_hash) = 32),
            receipt          TEXT NOT NULL,
            accepted         INTEGER NOT NULL CHECK (accepted IN (0, 1)),
            payer_account_id TEXT NOT NULL,
            amount_minor     INTEGER NOT NULL,
            currency         TEXT NOT NULL,
            entry_id         INTEGER REFERENCES journal_entries(entry_id),
            decided_at_ms    INTEGER NOT NULL,
            PRIMARY KEY (customer_id, idempotency_key)
        ) STRICT;
        CREATE INDEX transfer_outcomes_by_day ON transfer_outcomes(customer_id, decided_at_ms);
        ",
    )
}

/// Payment channels and their limits (decision record 0026): one row per customer and channel
/// once anything was set (no row: the channel's defaults, on for the mobile transfer only); the
/// channel of every decided transfer, to add up what each channel sent; and notices about
/// channels, which name the channel in `detail`.
fn channels_v8(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE channels (
            customer_id            TEXT NOT NULL REFERENCES customers(customer_id),
            channel                TEXT NOT NULL CHECK (channel IN
                                     ('mobile_transfer', 'qr_payment', 'quick_pay')),
            enabled                INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            opened_by              TEXT CHECK (opened_by IS NULL OR opened_by IN ('branch', 'app')),
            -- In force now, in minor units of the limit currency (CNY).
            per_transaction_minor  INTEGER NOT NULL CHECK (per_transaction_minor > 0),
            daily_minor            INTEGER NOT NULL CHECK (daily_minor >= per_transaction_minor),
            monthly_minor          INTEGER NOT NULL CHECK (monthly_minor >= daily_minor),
            -- A raise waiting for its cooling-off: all three or none.
            pending_per_transaction_minor INTEGER,
            pending_daily_minor    INTEGER,
            pending_monthly_minor  INTEGER,
            pending_applies_at_ms  INTEGER,
            changed_at_ms          INTEGER NOT NULL,
            CHECK ((pending_per_transaction_minor IS NULL) = (pending_applies_at_ms IS NULL)
               AND (pending_daily_minor IS NULL) = (pending_applies_at_ms IS NULL)
               AND (pending_monthly_minor IS NULL) = (pending_applies_at_ms IS NULL)),
            PRIMARY KEY (customer_id, channel)
        ) STRICT;

        ALTER TABLE transfer_outcomes ADD COLUMN channel TEXT NOT NULL DEFAULT 'mobile_transfer'
            CHECK (channel IN ('mobile_transfer', 'qr_payment', 'quick_pay'));

        CREATE TABLE notices_v8 (
            notice_id          TEXT PRIMARY KEY,
            customer_id        TEXT NOT NULL REFERENCES customers(customer_id),
            device_id          TEXT NOT NULL REFERENCES devices(device_id),
            kind               TEXT NOT NULL CHECK (kind IN
                                 ('new_device_bound', 'device_revoked', 'pin_changed',
                                  'channel_enabled', 'channel_opened', 'payee_added')),
            subject_device_id  TEXT REFERENCES devices(device_id),
            device_name        TEXT,
            at_ms              INTEGER NOT NULL,
            delivered_at_ms    INTEGER,
            detail             TEXT
        ) STRICT;
        INSERT INTO notices_v8 (notice_id, customer_id, device_id, kind, subject_device_id,
                                device_name, at_ms, delivered_at_ms)
            SELECT notice_id, customer_id, device_id, kind, subject_device_id, device_name,
                   at_ms, delivered_at_ms
            FROM notices;
        DROP TABLE notices;
        ALTER TABLE notices_v8 RENAME TO notices;
        CREATE INDEX notices_by_recipient ON notices(device_id, delivered_at_ms);
        CREATE INDEX notices_by_customer ON notices(customer_id, at_ms);
        ",
    )
}

/// The warning codes the customer acknowledged on the confirmation, kept with the outcome as
/// the signed transfer carried them (ascending, joined by `,`; empty for none): what the
/// customer was told before signing.
fn acknowledged_warnings_v10(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE transfer_outcomes
             ADD COLUMN acknowledged_warnings TEXT NOT NULL DEFAULT '';",
    )
}

/// Transfers that run later: the time a quote promised, the payee of every outcome (a first
/// transfer to a payee may be held), and the accepted transfers waiting for their time.
fn scheduled_transfers_v9(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- When the quoted transfer runs if accepted; NULL: when it is submitted.
        ALTER TABLE transfer_quotes ADD COLUMN runs_at_ms INTEGER;
        -- NULL for outcomes recorded before this version.
        ALTER TABLE transfer_outcomes ADD COLUMN payee_account_number TEXT;
        CREATE INDEX transfer_outcomes_by_payee
            ON transfer_outcomes(customer_id, payee_account_number);

        -- An accepted transfer that has not run: its outcome is accepted with no entry until
        -- it runs (booked, or refused for want of funds) or is cancelled, and the row goes.
        CREATE TABLE scheduled_transfers (
            customer_id      TEXT NOT NULL,
            idempotency_key  TEXT NOT NULL,
            runs_at_ms       INTEGER NOT NULL,
            transfer         TEXT NOT NULL,
            PRIMARY KEY (customer_id, idempotency_key),
            FOREIGN KEY (customer_id, idempotency_key)
                REFERENCES transfer_outcomes(customer_id, idempotency_key)
        ) STRICT;
        CREATE INDEX scheduled_transfers_due ON scheduled_transfers(runs_at_ms);
        ",
    )
}

/// A product a branch opens for the customer is told to every device: the notices admit the
/// `product_opened` kind (the table is rebuilt, SQLite cannot change a CHECK).
fn product_notices_v13(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE notices_v13 (
            notice_id          TEXT PRIMARY KEY,
            customer_id        TEXT NOT NULL REFERENCES customers(customer_id),
            device_id          TEXT NOT NULL REFERENCES devices(device_id),
            kind               TEXT NOT NULL CHECK (kind IN
                                 ('new_device_bound', 'device_revoked', 'pin_changed',
                                  'channel_enabled', 'channel_opened', 'payee_added',
                                  'product_opened')),
            subject_device_id  TEXT REFERENCES devices(device_id),
            device_name        TEXT,
            at_ms              INTEGER NOT NULL,
            delivered_at_ms    INTEGER,
            detail             TEXT
        ) STRICT;
        INSERT INTO notices_v13 SELECT notice_id, customer_id, device_id, kind,
            subject_device_id, device_name, at_ms, delivered_at_ms, detail FROM notices;
        DROP TABLE notices;
        ALTER TABLE notices_v13 RENAME TO notices;
        CREATE INDEX notices_by_recipient ON notices(device_id, delivered_at_ms);
        CREATE INDEX notices_by_customer ON notices(customer_id, at_ms);
        ",
    )
}

/// Saved payees (decision record 0032): the account, the holder name the payee's bank
/// registered when the payee was added (never changed afterwards), the customer's nickname;
/// one payee per account and bank for a customer. And the name checks an add spends, keyed by
/// the id of the operation challenge issued with them.
fn payees_v12(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE payees (
            payee_id         TEXT PRIMARY KEY,
            customer_id      TEXT NOT NULL REFERENCES customers(customer_id),
            account_number   TEXT NOT NULL,
            bank_code        TEXT NOT NULL,
            bank_name        TEXT NOT NULL,
            registered_name  TEXT NOT NULL,
            nickname         TEXT NOT NULL,
            added_at_ms      INTEGER NOT NULL,
            UNIQUE (customer_id, bank_code, account_number)
        ) STRICT;
        CREATE INDEX payees_by_customer ON payees(customer_id, added_at_ms);

        CREATE TABLE payee_checks (
            check_id         TEXT PRIMARY KEY,
            customer_id      TEXT NOT NULL REFERENCES customers(customer_id),
            account_number   TEXT NOT NULL,
            bank_code        TEXT NOT NULL,
            bank_name        TEXT NOT NULL,
            registered_name  TEXT NOT NULL,
            expires_at_ms    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX payee_checks_by_customer ON payee_checks(customer_id, expires_at_ms);
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
        assert_eq!(Some(version), MIGRATIONS.last().map(|(last, _)| *last));
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
    fn a_version_3_ledger_becomes_double_entry_keeping_balances_history_and_cursors() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        run_up_to(&mut conn, 3).unwrap();
        // Two bookings on the current account, a zero row, one on savings; the current
        // account held more than its bookings (its balance from before the history).
        conn.execute_batch(
            "INSERT INTO transactions (transaction_id, customer_id, account_id, booked_at_ms,
                                       amount_minor, currency, counterparty, memo, category)
             VALUES ('txn_a', 'demo', 'acct_current_01', 100, -3600, 'CNY', 'Starbucks', '',
                     'dining'),
                    ('txn_b', 'demo', 'acct_current_01', 200, 120050, 'CNY', 'ACME', '',
                     'salary'),
                    ('txn_c', 'demo', 'acct_savings_01', 300, 0, 'CNY', 'Sweep', '',
                     'transfer'),
                    ('txn_d', 'demo', 'acct_savings_01', 400, 500, 'CNY', 'Interest', '',
                     'other');
             UPDATE accounts SET balance_minor = balance_minor + 116450
             WHERE account_id = 'acct_current_01';
             UPDATE accounts SET balance_minor = balance_minor + 500
             WHERE account_id = 'acct_savings_01';",
        )
        .unwrap();

        run(&mut conn).unwrap();

        let balances: Vec<(String, i64)> = conn
            .prepare(
                "SELECT account_id, balance_minor FROM ledger_accounts
                 WHERE account_id LIKE 'acct_%' AND account_id NOT LIKE 'acct_landlord%'
                   AND account_id NOT LIKE 'acct_shop%'
                 ORDER BY account_id",
            )
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            balances,
            [
                ("acct_current_01".to_owned(), 5_238_025 + 116_450),
                ("acct_margin_01".to_owned(), 0),
                ("acct_savings_01".to_owned(), 12_000_000 + 500),
            ]
        );
        // Each booking is the entry with its sequence number; the history keeps its
        // sequence numbers, so cursors handed out before still point where they did.
        let rows: Vec<(i64, String, i64, String)> = conn
            .prepare(
                "SELECT t.seq, t.transaction_id, t.entry_id, e.kind
                 FROM transactions t JOIN journal_entries e USING (entry_id) ORDER BY t.seq",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (1, "txn_a".to_owned(), 1, "card_payment".to_owned()),
                (2, "txn_b".to_owned(), 2, "incoming_credit".to_owned()),
                (3, "txn_c".to_owned(), 3, "card_payment".to_owned()),
                (4, "txn_d".to_owned(), 4, "incoming_credit".to_owned()),
            ]
        );
        let check = crate::ledger::check::check(&conn).unwrap();
        assert!(check.balanced, "{check:?}");
        let cny = &check.totals[0];
        assert_eq!(cny.card_network, rust_decimal::Decimal::new(3_600, 2));
        // The demo's two opening entries, the landlord's two, and three of the bookings move
        // money (the zero row has no postings).
        assert_eq!((check.entries, check.postings), (8, 14));
        let new_seq: i64 = conn
            .query_row(
                "INSERT INTO transactions (transaction_id, customer_id, account_id, booked_at_ms,
                                           amount_minor, currency, counterparty, memo, category,
                                           entry_id)
                 VALUES ('txn_e', 'demo', 'acct_current_01', 500, 0, 'CNY', 'x', '', 'other', 1)
                 RETURNING seq",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(new_seq, 5);
        assert!(conn
            .execute("UPDATE accounts SET balance_minor = 0", [])
            .is_err());
    }

    #[test]
    fn an_older_directory_gets_account_numbers_that_pass_their_check_digit_with_the_same_tails() {
        let mut conn = Connection::open_in_memory().unwrap();
        run_up_to(&mut conn, 6).unwrap();
        conn.execute(
            "UPDATE accounts SET account_number = '6222021234567890'
             WHERE account_id = 'acct_current_01'",
            [],
        )
        .unwrap();
        run(&mut conn).unwrap();
        let mut statement = conn
            .prepare("SELECT account_number FROM accounts ORDER BY account_id")
            .unwrap();
        let numbers: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(numbers.contains(&"6222021234507890".to_owned()));
        for number in &numbers {
            assert_eq!(
                mobank_protocol::transfer::account_number::check(number),
                Ok(()),
                "{number}"
            );
        }
        let fee_accounts: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'fee_income'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(fee_accounts, 5);
    }

    #[test]
    fn a_newer_ledger_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let latest = MIGRATIONS.last().map_or(0, |(last, _)| *last);
        assert!(matches!(
            run(&mut conn),
            Err(SandboxError::SchemaTooNew {
                found: 99,
                supported
            }) if supported == latest
        ));
    }
}
