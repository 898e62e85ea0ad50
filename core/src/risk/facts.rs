//! Gathering what the rules look at, all of it on the phone: the history as last synced (a sync
//! runs alongside the quote so a credit that just arrived is seen), this phone's transfer list, its
//! binding time and the shell's integrity findings.

use std::sync::Arc;

use mobank_protocol::messages::IntegritySignals;
use mobank_protocol::transfer::CanonicalTransfer;
use mobank_store::StoreError;

use super::model::TransferWarning;
pub(crate) use super::rules::PastTransfer;
use super::rules::{findings, Credit, Facts, REFUND_WINDOW_MS};
use crate::context::Context;
use crate::error::MobankError;
use crate::history::{booking_day, store_for, HistoryClient};
use crate::runtime::blocking;
use crate::storage::is_cache_damage;

/// What the customer is about to sign, as [`crate::transfers`] knows it.
pub(crate) struct Assessed<'a> {
    pub device_id: &'a str,
    pub transfer: &'a CanonicalTransfer,
    /// NFC, trimmed, checked as display text; `None` when the customer typed none.
    pub typed_payee_name: Option<&'a str>,
    /// This phone's transfer list.
    pub past: &'a [PastTransfer],
    /// The customer's accounts, whose credits are looked at.
    pub account_ids: Vec<String>,
}

/// Brings the history up to date so a credit that just arrived is seen: run it while the
/// quote is asked for, then [`assess`].
pub(crate) async fn refresh(context: &Arc<Context>) {
    if HistoryClient::new(Arc::clone(context))
        .sync(None)
        .await
        .is_err()
    {
        // The history as last synced still counts; the transfer must not wait on it.
        tracing::info!("history not brought up to date before the risk check");
    }
}

/// The warnings on `assessed.transfer`, in code order, from the history as [`refresh`] left it.
pub(crate) async fn assess(
    context: &Arc<Context>,
    assessed: Assessed<'_>,
) -> Result<Vec<TransferWarning>, MobankError> {
    let now_ms = i64::try_from(assessed.transfer.quoted_at_ms).unwrap_or(i64::MAX);
    let credits = credits(context, assessed.device_id, assessed.account_ids, now_ms).await?;
    let bound_at_ms = context
        .usable_state()
        .await
        .ok()
        .map(|state| state.bound_at_ms);
    let integrity = integrity(context).await?;
    let facts = Facts {
        now_ms,
        transfer: assessed.transfer,
        typed_payee_name: assessed.typed_payee_name,
        past: assessed.past,
        credits: &credits,
        bound_at_ms,
        integrity,
    };
    Ok(findings(&facts)
        .into_iter()
        .map(|finding| finding.into_warning())
        .collect())
}

/// Money in on the customer's accounts from the bank days the refund window touches.
async fn credits(
    context: &Arc<Context>,
    device_id: &str,
    account_ids: Vec<String>,
    now_ms: i64,
) -> Result<Vec<Credit>, MobankError> {
    let (Some(from_day), Some(to_day)) = (
        booking_day(now_ms.saturating_sub(REFUND_WINDOW_MS)),
        booking_day(now_ms),
    ) else {
        return Ok(Vec::new());
    };
    let store = store_for(context, device_id).await?;
    let read = blocking(move || {
        let mut credits = Vec::new();
        for account_id in &account_ids {
            for tx in store.range(account_id, from_day, to_day.saturating_add(1))? {
                if tx.amount_minor > 0 {
                    credits.push(Credit {
                        counterparty: tx.counterparty,
                        counterparty_account: tx.counterparty_account,
                        amount_minor: tx.amount_minor,
                        currency: tx.currency,
                        booked_at_ms: tx.booked_at_ms,
                        booking_day: tx.booking_day,
                        category: tx.category,
                    });
                }
            }
        }
        Ok::<_, StoreError>(credits)
    })
    .await?;
    match read {
        Ok(credits) => Ok(credits),
        // The history queries clear a damaged cache and the next sync fetches it again; a
        // transfer is not stopped for it.
        Err(error) if is_cache_damage(&error) => Ok(Vec::new()),
        Err(error) => Err(error.into()),
    }
}

async fn integrity(context: &Arc<Context>) -> Result<Option<IntegritySignals>, MobankError> {
    let Some(hook) = context.integrity.clone() else {
        return Ok(None);
    };
    // The app's code may probe the system: not on a runtime worker.
    Ok(Some(blocking(move || hook.signals()).await?))
}
