//! Activation codes (kept as SHA-256 only) and the activations they start (the OTP kept as an
//! HMAC tag only).

use rusqlite::{params, OptionalExtension, Transaction};

pub(crate) fn insert_code(
    tx: &Transaction<'_>,
    code_id: &str,
    code_hash: &[u8],
    customer_id: &str,
    created_at_ms: i64,
    expires_at_ms: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO activation_codes (code_id, code_hash, customer_id, created_at_ms,
                                       expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            code_id,
            code_hash,
            customer_id,
            created_at_ms,
            expires_at_ms
        ],
    )?;
    Ok(())
}

/// An issued code with its customer's registered phone.
pub(crate) struct CodeRow {
    pub(crate) code_id: String,
    pub(crate) customer_id: String,
    pub(crate) expires_at_ms: i64,
    pub(crate) used_at_ms: Option<i64>,
    pub(crate) starts: i64,
    pub(crate) phone: String,
}

pub(crate) fn find_code(
    tx: &Transaction<'_>,
    code_hash: &[u8],
) -> rusqlite::Result<Option<CodeRow>> {
    tx.query_row(
        "SELECT c.code_id, c.customer_id, c.expires_at_ms, c.used_at_ms, c.starts, u.phone
         FROM activation_codes c JOIN customers u ON u.customer_id = c.customer_id
         WHERE c.code_hash = ?1",
        [code_hash],
        |row| {
            Ok(CodeRow {
                code_id: row.get(0)?,
                customer_id: row.get(1)?,
                expires_at_ms: row.get(2)?,
                used_at_ms: row.get(3)?,
                starts: row.get(4)?,
                phone: row.get(5)?,
            })
        },
    )
    .optional()
}

/// Counts one more start of the code and kills the activation its previous start left open:
/// only the newest OTP for a code is worth anything.
pub(crate) fn count_start(tx: &Transaction<'_>, code_id: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE activation_codes SET starts = starts + 1 WHERE code_id = ?1",
        [code_id],
    )?;
    tx.execute(
        "UPDATE activations SET state = 'dead' WHERE code_id = ?1 AND state = 'open'",
        [code_id],
    )?;
    Ok(())
}

pub(crate) struct NewActivation<'a> {
    pub(crate) activation_id: &'a str,
    pub(crate) code_id: &'a str,
    pub(crate) customer_id: &'a str,
    pub(crate) challenge: &'a [u8],
    pub(crate) otp_salt: &'a [u8],
    pub(crate) otp_tag: &'a [u8],
    pub(crate) otp_expires_at_ms: i64,
    pub(crate) created_at_ms: i64,
}

pub(crate) fn insert(tx: &Transaction<'_>, activation: &NewActivation<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO activations (activation_id, code_id, customer_id, challenge, otp_salt,
                                  otp_tag, otp_expires_at_ms, state, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
        params![
            activation.activation_id,
            activation.code_id,
            activation.customer_id,
            activation.challenge,
            activation.otp_salt,
            activation.otp_tag,
            activation.otp_expires_at_ms,
            activation.created_at_ms
        ],
    )?;
    Ok(())
}

/// An open activation of an unused code, with its customer's name.
pub(crate) struct OpenActivation {
    pub(crate) code_id: String,
    pub(crate) customer_id: String,
    pub(crate) customer_name: String,
    pub(crate) challenge: Vec<u8>,
    pub(crate) otp_salt: Vec<u8>,
    pub(crate) otp_tag: Vec<u8>,
    pub(crate) otp_expires_at_ms: i64,
    pub(crate) otp_failures: u32,
}

pub(crate) fn find_open(
    tx: &Transaction<'_>,
    activation_id: &str,
) -> rusqlite::Result<Option<OpenActivation>> {
    tx.query_row(
        "SELECT a.code_id, a.customer_id, u.display_name, a.challenge, a.otp_salt, a.otp_tag,
                a.otp_expires_at_ms, a.otp_failures
         FROM activations a
         JOIN activation_codes c ON c.code_id = a.code_id
         JOIN customers u ON u.customer_id = a.customer_id
         WHERE a.activation_id = ?1 AND a.state = 'open' AND c.used_at_ms IS NULL",
        [activation_id],
        |row| {
            Ok(OpenActivation {
                code_id: row.get(0)?,
                customer_id: row.get(1)?,
                customer_name: row.get(2)?,
                challenge: row.get(3)?,
                otp_salt: row.get(4)?,
                otp_tag: row.get(5)?,
                otp_expires_at_ms: row.get(6)?,
                otp_failures: row.get(7)?,
            })
        },
    )
    .optional()
}

/// Records a wrong OTP; `dead` ends the activation.
pub(crate) fn record_otp_failure(
    tx: &Transaction<'_>,
    activation_id: &str,
    failures: u32,
    dead: bool,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE activations
         SET otp_failures = ?2, state = CASE WHEN ?3 THEN 'dead' ELSE state END
         WHERE activation_id = ?1",
        params![activation_id, failures, dead],
    )?;
    Ok(())
}

/// The activation completed and its code used up.
pub(crate) fn complete(
    tx: &Transaction<'_>,
    activation_id: &str,
    code_id: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE activations SET state = 'completed' WHERE activation_id = ?1",
        [activation_id],
    )?;
    tx.execute(
        "UPDATE activation_codes SET used_at_ms = ?2 WHERE code_id = ?1",
        params![code_id, now_ms],
    )?;
    Ok(())
}
