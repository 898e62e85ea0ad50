//! Saved payees: the name check (the holder name the payee's bank registered, and a challenge
//! for the add), the add (a fresh strong authentication, then the possession key's signature
//! over the registered name and masked account; a notice to every device), the list, a new
//! nickname and the removal (both need only the session: neither can send money anywhere new).

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    PayeeCheckResponse, PayeeView, PayeesResponse, MAX_NICKNAME_CHARS,
};
use mobank_protocol::text::single_script_name;
use mobank_protocol::transfer::account_number::masked;
use mobank_protocol::{Assertion, ErrorCode};
use rusqlite::Connection;

use super::challenges::{self, Purpose};
use super::display::{Reason, TextRefused};
use super::factors::authenticate_sensitive;
use super::notices::{self, PayeeEvent};
use super::policy::SensitiveOperation;
use super::session;
use super::transfer::payee::resolve;
use super::Bank;
use crate::db::payees::{self, CheckRow, PayeeRow};
use crate::error::ApiFailure;
use crate::random;

/// How long a name check can be added: time to read the name, choose a nickname and
/// authenticate.
pub(crate) const CHECK_TTL_MS: i64 = 5 * 60 * 1000;

fn payee_unknown() -> ApiFailure {
    ApiFailure::new(ErrorCode::PayeeUnknown, "no such payee")
}

fn payee_exists() -> ApiFailure {
    ApiFailure::new(
        ErrorCode::PayeeExists,
        "this account at this bank is already a saved payee",
    )
}

/// The nickname as received: display text with letters of one look-alike script, already
/// trimmed and in NFC. Refused, never repaired, so the customer sees what was saved.
pub(crate) fn require_nickname(nickname: &str) -> Result<(), TextRefused> {
    let refused = |reason| TextRefused {
        field: "nickname",
        reason,
    };
    match single_script_name(nickname, MAX_NICKNAME_CHARS) {
        Ok(normalised) if normalised == nickname => Ok(()),
        Ok(_) => Err(refused(Reason::NotNormalised)),
        Err(error) => Err(refused(Reason::Rule(error))),
    }
}

fn view(row: PayeeRow) -> PayeeView {
    PayeeView {
        masked_account_number: masked(&row.account_number),
        payee_id: row.payee_id,
        account_number: row.account_number,
        bank_code: row.bank_code,
        bank_name: row.bank_name,
        registered_name: row.registered_name,
        nickname: row.nickname,
        added_at_ms: row.added_at_ms,
    }
}

fn response(conn: &Connection, customer_id: &str, now: i64) -> Result<PayeesResponse, ApiFailure> {
    Ok(PayeesResponse {
        payees: payees::of_customer(conn, customer_id)?
            .into_iter()
            .map(view)
            .collect(),
        server_time_ms: now,
    })
}

pub(crate) fn list(bank: &Bank, token_hash: &[u8]) -> Result<PayeesResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        response(tx, &owner.customer_id, now)
    })
}

/// Who holds `account_number` at `bank_code`, kept with a fresh operation challenge for the
/// add. An account the customer already saved is `payee_exists` at once.
pub(crate) fn check(
    bank: &Bank,
    token_hash: &[u8],
    account_number: &str,
    bank_code: &str,
) -> Result<PayeeCheckResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let resolved = resolve(tx, bank_code, account_number)?;
        if payees::exists(tx, &owner.customer_id, bank_code, account_number)? {
            return Err(payee_exists());
        }
        let issued = challenges::issue(
            tx,
            bank,
            &owner.device_id,
            Purpose::Operation,
            CHECK_TTL_MS,
            now,
        )?;
        let check = CheckRow {
            check_id: issued.challenge_id,
            account_number: account_number.to_owned(),
            bank_code: bank_code.to_owned(),
            bank_name: resolved.bank_name().to_owned(),
            registered_name: resolved.holder_name,
            expires_at_ms: issued.expires_at_ms,
        };
        payees::insert_check(tx, &owner.customer_id, &check, now)?;
        tracing::info!("payee name checked");
        Ok(PayeeCheckResponse {
            masked_account_number: masked(&check.account_number),
            check_id: check.check_id,
            challenge: issued.challenge,
            registered_name: check.registered_name,
            bank_name: check.bank_name,
            expires_at_ms: check.expires_at_ms,
            server_time_ms: now,
        })
    })
}

/// Saves the account of check `check_id` under `nickname`. The check and its challenge are
/// spent whatever the outcome. Refused with `payee_changed` when the payee's bank no longer
/// registers the name that was checked and signed, and with `payee_exists` for an account
/// saved since the check.
pub(crate) fn add(
    bank: &Bank,
    token_hash: &[u8],
    check_id: &str,
    nickname: &str,
    assertion: &Assertion,
) -> Result<PayeeView, ApiFailure> {
    require_nickname(nickname)?;
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let check = payees::take_check(tx, &owner.customer_id, check_id)?
            .ok_or_else(challenges::challenge_invalid)?;
        let challenge =
            challenges::consume(tx, check_id, Purpose::Operation, &owner.device_id, now)?;
        let masked_account = masked(&check.account_number);
        let operation =
            operations::add_payee(&check.bank_code, &masked_account, &check.registered_name);
        let device = authenticate_sensitive(
            tx,
            bank,
            &owner,
            SensitiveOperation::AddPayee,
            assertion,
            &challenge,
            &operation,
            now,
        )?;
        let current = resolve(tx, &check.bank_code, &check.account_number)?;
        if current.holder_name != check.registered_name {
            return Err(ApiFailure::new(
                ErrorCode::PayeeChanged,
                "the payee's bank registers another name for this account since the check",
            ));
        }
        if payees::exists(
            tx,
            &owner.customer_id,
            &check.bank_code,
            &check.account_number,
        )? {
            return Err(payee_exists());
        }
        let row = PayeeRow {
            payee_id: random::id(&bank.rng, "pye")?,
            account_number: check.account_number,
            bank_code: check.bank_code,
            bank_name: check.bank_name,
            registered_name: check.registered_name,
            nickname: nickname.to_owned(),
            added_at_ms: now,
        };
        payees::insert(tx, &owner.customer_id, &row)?;
        let label = format!("{} ({masked_account})", row.registered_name);
        notices::notify_all_of_payee(
            tx,
            bank,
            &owner.customer_id,
            &PayeeEvent {
                payee: &label,
                by_device: (&device.device_id, &device.name),
            },
            now,
        )?;
        tracing::info!("payee added");
        Ok(view(row))
    })
}

/// A new nickname for one of the customer's payees; the registered name stays as it is.
pub(crate) fn rename(
    bank: &Bank,
    token_hash: &[u8],
    payee_id: &str,
    nickname: &str,
) -> Result<PayeeView, ApiFailure> {
    require_nickname(nickname)?;
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        if !payees::rename(tx, &owner.customer_id, payee_id, nickname)? {
            return Err(payee_unknown());
        }
        let row = payees::get(tx, &owner.customer_id, payee_id)?.ok_or_else(payee_unknown)?;
        tracing::info!("payee renamed");
        Ok(view(row))
    })
}

/// Forgets one of the customer's payees at once: no step-up, because it can only take a
/// destination away.
pub(crate) fn remove(
    bank: &Bank,
    token_hash: &[u8],
    payee_id: &str,
) -> Result<PayeesResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        if !payees::remove(tx, &owner.customer_id, payee_id)? {
            return Err(payee_unknown());
        }
        tracing::info!("payee removed");
        response(tx, &owner.customer_id, now)
    })
}

#[cfg(test)]
mod tests {
    use mobank_protocol::text::TextError;

    use super::*;

    #[test]
    fn a_nickname_must_be_single_script_display_text_already_normalised() {
        assert_eq!(require_nickname("房东 Zhang"), Ok(()));
        let reason = |text: &str| require_nickname(text).unwrap_err().reason;
        assert_eq!(reason("房东\u{202E}"), Reason::Rule(TextError::Bidi));
        assert_eq!(reason("房\u{200D}东"), Reason::Rule(TextError::Invisible));
        assert_eq!(
            reason("L\u{430}ndlord"),
            Reason::Rule(TextError::MixedScript)
        );
        assert_eq!(
            reason(&"房".repeat(MAX_NICKNAME_CHARS + 1)),
            Reason::Rule(TextError::TooLong {
                max_chars: MAX_NICKNAME_CHARS
            })
        );
        assert_eq!(reason(" 房东"), Reason::NotNormalised);
    }
}
