//! After a run, the transfers whose answer a phone never got (a lost answer, a 5xx, a
//! timeout) are settled the way an app settles them: log in and `reconcile`. Those the bank
//! accepted join the run's accepted transfers, so the audit holds each to one entry and a
//! receipt like the rest.

use std::collections::HashSet;

use mobank_core::{TransferState, TransferSummary};
use mobank_sandbox::OTHER_BANK_ACCOUNTS;
use rust_decimal::Decimal;

use crate::fleet::Phone;
use crate::workload::{Accepted, Tally};

/// How many transfers reconciling found accepted.
pub async fn settle(phones: &[Phone], tally: &mut Tally) -> Result<u64, String> {
    let mut known: HashSet<String> = tally
        .accepted
        .iter()
        .map(|t| t.transfer_id.clone())
        .collect();
    let mut found = 0;
    for phone in phones {
        let transfers = phone.mobank.transfers();
        let listed = transfers.list().await.map_err(|e| e.to_string())?;
        if !listed.iter().any(|t| is_unsettled(t.state)) {
            continue;
        }
        phone
            .mobank
            .auth()
            .login_biometric("Log in")
            .await
            .map_err(|e| format!("{}: login to reconcile: {e}", phone.customer.customer_id))?;
        let looked_at = transfers
            .reconcile()
            .await
            .map_err(|e| format!("{}: reconcile: {e}", phone.customer.customer_id))?;
        for summary in looked_at {
            let settled = matches!(
                summary.state,
                TransferState::Settled | TransferState::Accepted
            );
            if settled && known.insert(summary.transfer_id.clone()) {
                tally
                    .accepted
                    .push(accepted(&phone.customer.customer_id, &summary)?);
                found += 1;
            }
        }
    }
    Ok(found)
}

/// Signed or sent without a known outcome.
fn is_unsettled(state: TransferState) -> bool {
    matches!(
        state,
        TransferState::Signed | TransferState::Submitted | TransferState::Unknown
    )
}

fn accepted(customer_id: &str, summary: &TransferSummary) -> Result<Accepted, String> {
    let amount: Decimal = summary
        .amount
        .parse()
        .map_err(|_| format!("a transfer amount that does not parse: {}", summary.amount))?;
    let amount_fen = (amount * Decimal::ONE_HUNDRED)
        .trunc()
        .try_into()
        .map_err(|_| "a transfer amount out of range".to_owned())?;
    Ok(Accepted {
        customer_id: customer_id.to_owned(),
        transfer_id: summary.transfer_id.clone(),
        amount_fen,
        to_other_bank: OTHER_BANK_ACCOUNTS
            .iter()
            .any(|other| other.holder_name == summary.payee_name),
    })
}
