//! `POST /v1/transfers/quote`: the bank says who the payee is, what the transfer costs and on
//! which day it is booked, and issues the single-use challenge the signature must answer.

use mobank_protocol::transfer::messages::{QuoteRequest, QuoteResponse};
use mobank_protocol::transfer::{CanonicalTransfer, Payee, MAX_MEMO_CHARS, MAX_PAYEE_NAME_CHARS};
use mobank_protocol::ErrorCode;
use rusqlite::Connection;

use super::payee::{self, Destination};
use super::schedule;
use super::{fee_wire, ledger_currency, OTHER_BANK_FEE_CNY_MINOR, QUOTE_TTL_MS};
use crate::bank::factors::Device;
use crate::bank::{channels, display, merchants, session, Bank};
use crate::db::customers::{self, HeldAccount};
use crate::db::transfers;
use crate::error::ApiFailure;
use crate::ledger::Currency;
use crate::random;

/// The payer account if it is one of `customer_id`'s; `account_unknown` otherwise (another
/// customer's account is as unknown as one that does not exist).
pub(crate) fn payer_account(
    conn: &Connection,
    customer_id: &str,
    account_id: &str,
) -> Result<HeldAccount, ApiFailure> {
    customers::held_account(conn, account_id)?
        .filter(|account| account.customer_id == customer_id)
        .ok_or_else(|| {
            ApiFailure::new(
                ErrorCode::AccountUnknown,
                "the payer account is not one of this customer's accounts",
            )
        })
}

fn currency_mismatch(message: &'static str) -> ApiFailure {
    ApiFailure::new(ErrorCode::CurrencyMismatch, message)
}

pub(crate) fn quote(
    bank: &Bank,
    token_hash: &[u8],
    request: QuoteRequest,
) -> Result<QuoteResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact_unflushed(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let payer = payer_account(tx, &owner.customer_id, &request.payer_account_id)?;
        let currency = ledger_currency(request.amount.currency())?;
        if currency != payer.currency {
            return Err(currency_mismatch(
                "the amount's currency is not the payer account's",
            ));
        }
        display::require_or_empty(&request.memo, MAX_MEMO_CHARS, "memo")?;
        let device = Device::load(tx, &owner.device_id)?
            .ok_or_else(|| ApiFailure::internal("a session's device vanished", &owner.device_id))?;
        channels::admit(
            tx,
            &channels::TransferAsk {
                customer_id: &owner.customer_id,
                cooling_off_until_ms: device.cooling_off_until_ms,
                integrity: owner.integrity,
                channel: request.channel,
                currency,
                amount_minor: request.amount.minor_units(),
                now,
            },
        )?;
        let resolved = payee::resolve(tx, &request.payee_bank_code, &request.payee_account_number)?;
        merchants::require_merchant_payee(tx, request.channel, &resolved.destination)?;
        display::require(&resolved.holder_name, MAX_PAYEE_NAME_CHARS, "payee name")?;
        let fee_minor = match &resolved.destination {
            Destination::Here {
                account_id,
                currency: payee_currency,
            } => {
                if *account_id == payer.account_id {
                    return Err(ApiFailure::bad_request(
                        "the payer and the payee are the same account",
                    ));
                }
                if *payee_currency != currency {
                    return Err(currency_mismatch(
                        "the payee account keeps another currency than the amount's",
                    ));
                }
                0
            }
            Destination::OtherBank { .. } if currency == Currency::CNY => OTHER_BANK_FEE_CNY_MINOR,
            Destination::OtherBank { .. } => 0,
        };
        let plan = schedule::plan(
            tx,
            &schedule::Asked {
                customer_id: &owner.customer_id,
                requested_date: request.execution_date.as_deref(),
                payee_account_number: &request.payee_account_number,
                currency,
                amount_minor: request.amount.minor_units(),
            },
            now,
        )?;
        let challenge = random::challenge(&bank.rng)?.to_vec();
        let transfer = CanonicalTransfer {
            payer_account_id: payer.account_id.clone(),
            payee: Payee {
                account_number: request.payee_account_number.clone(),
                bank_code: request.payee_bank_code.clone(),
                name: resolved.holder_name.clone(),
            },
            amount: request.amount,
            fee: fee_wire(fee_minor, request.amount.currency())?,
            memo: request.memo.clone(),
            channel: request.channel,
            execution_date: plan.execution_date,
            idempotency_key: request.idempotency_key,
            challenge,
            quoted_at_ms: u64::try_from(now).unwrap_or(0),
            acknowledged_warnings: Vec::new(),
        };
        transfer
            .validate()
            .map_err(|error| ApiFailure::bad_request(error.to_string()))?;
        let expires_at_ms = now.saturating_add(QUOTE_TTL_MS);
        let stored = serde_json::to_string(&transfer)
            .map_err(|error| ApiFailure::internal("a quote does not serialise", &error))?;
        transfers::insert_quote(
            tx,
            &transfers::NewQuote {
                challenge: &transfer.challenge,
                customer_id: &owner.customer_id,
                device_id: &owner.device_id,
                transfer: &stored,
                expires_at_ms,
                runs_at_ms: plan
                    .schedule
                    .map(|schedule| i64::try_from(schedule.runs_at_ms).unwrap_or(i64::MAX)),
            },
        )?;
        tracing::info!(device_id = %owner.device_id, "transfer quoted");
        Ok(QuoteResponse {
            transfer,
            payee_bank_name: resolved.bank_name().to_owned(),
            expires_at_ms: u64::try_from(expires_at_ms).unwrap_or(0),
            schedule: plan.schedule,
        })
    })
}
