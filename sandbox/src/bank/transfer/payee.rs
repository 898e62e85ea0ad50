//! Who a payee account number names: an account of this bank (any customer's, sub-accounts
//! included) or an account at another bank in the sandbox's directory, with the holder's
//! registered name. Anything else is not a payee.

use mobank_protocol::transfer::account_number;
use mobank_protocol::ErrorCode;
use rusqlite::Connection;

use super::BANK_CODE;
use crate::db::seed::OTHER_BANK_ACCOUNTS;
use crate::db::transfers;
use crate::error::ApiFailure;
use crate::ledger::Currency;

pub(crate) enum Destination {
    /// An account of this bank: the money stays inside.
    Here {
        account_id: String,
        currency: Currency,
    },
    /// An account at another bank: the money leaves through the other-bank account.
    OtherBank { bank_name: &'static str },
}

pub(crate) struct Resolved {
    pub(crate) holder_name: String,
    pub(crate) destination: Destination,
}

impl Resolved {
    pub(crate) fn bank_name(&self) -> &'static str {
        match self.destination {
            Destination::Here { .. } => super::BANK_NAME,
            Destination::OtherBank { bank_name } => bank_name,
        }
    }
}

fn payee_invalid(message: &'static str) -> ApiFailure {
    ApiFailure::new(ErrorCode::PayeeInvalid, message)
}

/// The payee behind `number` at the bank `bank_code`; `payee_invalid` for a malformed number, a
/// wrong check digit or a number the bank does not know.
pub(crate) fn resolve(
    conn: &Connection,
    bank_code: &str,
    number: &str,
) -> Result<Resolved, ApiFailure> {
    account_number::check(number).map_err(|error| {
        payee_invalid(match error {
            account_number::AccountNumberError::CheckDigit => {
                "the payee account number's check digit is wrong"
            }
            _ => "the payee account number has 12 to 19 digits and nothing else",
        })
    })?;
    let unknown = || payee_invalid("the payee account is not known at the payee's bank");
    if bank_code == BANK_CODE {
        let here = transfers::account_by_number(conn, number)?.ok_or_else(unknown)?;
        return Ok(Resolved {
            holder_name: here.holder_name,
            destination: Destination::Here {
                account_id: here.account_id,
                currency: here.currency,
            },
        });
    }
    let known = OTHER_BANK_ACCOUNTS
        .iter()
        .find(|known| known.account_number == number && known.bank_code == bank_code)
        .ok_or_else(unknown)?;
    Ok(Resolved {
        holder_name: known.holder_name.to_owned(),
        destination: Destination::OtherBank {
            bank_name: known.bank_name,
        },
    })
}
