//! What a bank's answer to a signed transfer means for the transfer: the rules, apart from the
//! network and the store, so each can be tested on its own.

use mobank_protocol::transfer::{Outcome, Receipt, ReceiptKey};
use mobank_protocol::ErrorCode;

use super::model::TransferState;
use super::outbox::OutboxRecord;
use super::receipt_check::check_receipt;
use crate::events::MobankEvent;
use crate::net::NetError;

/// What an attempt to send a signed transfer tells about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Delivery {
    /// A complete answer came back (a receipt, checked next).
    Answered,
    /// No connection was made: the bank has not seen a byte.
    NotSent,
    /// The bank refused the request with its typed error before recording any outcome: a wrong
    /// factor, an expired challenge, a session gone.
    Refused,
    /// The request may have reached the bank: a timeout, a lost connection, a broken body, a
    /// failure inside the bank. Never "failed".
    Unknown,
    /// The bank refused it because the customer's e-banking is suspended, before recording
    /// anything: it stays queued, signed, for after the lift.
    Suspended,
}

pub(super) fn delivery<T>(result: &Result<T, NetError>) -> Delivery {
    match result {
        Ok(_) => Delivery::Answered,
        Err(NetError::Connect(_) | NetError::PinMismatch) => Delivery::NotSent,
        Err(NetError::Api { error, .. }) if error.code == ErrorCode::Suspended => {
            Delivery::Suspended
        }
        Err(NetError::Api { error, .. }) if error.code != ErrorCode::Internal => Delivery::Refused,
        Err(_) => Delivery::Unknown,
    }
}

/// The state a verified receipt puts a transfer in; `runs_at_ms`: when the bank said it runs
/// a transfer it does not book at once.
pub(super) fn state_of(receipt: &Receipt, runs_at_ms: Option<u64>) -> TransferState {
    match (
        receipt.outcome,
        receipt.reason,
        receipt.booked_at_ms,
        runs_at_ms,
    ) {
        (Outcome::Accepted, _, Some(_), _) => TransferState::Settled,
        (Outcome::Accepted, _, None, Some(runs_at_ms)) => TransferState::Scheduled { runs_at_ms },
        (Outcome::Accepted, _, None, None) => TransferState::Accepted,
        (Outcome::Rejected, Some(reason), _, _) => TransferState::Rejected { reason },
        // A consistent receipt always has its reason; `check_receipt` refused any other.
        (Outcome::Rejected, None, _, _) => TransferState::Unknown,
    }
}

/// Takes `receipt` into `record` if it is the bank's signed answer to this transfer; the event
/// to tell the app, if the state changed to one it hears about. `Err`: the receipt is not
/// valid, and the record is left as it was.
pub(super) fn take_receipt(
    record: &mut OutboxRecord,
    receipt: Receipt,
    trusted: &[ReceiptKey],
    now_ms: u64,
) -> Result<Option<MobankEvent>, ()> {
    check_receipt(&receipt, &record.request.transfer, &record.hash, trusted).map_err(|_| ())?;
    let state = state_of(&receipt, record.runs_at_ms);
    let changed = state != record.state;
    record.state = state;
    record.receipt = Some(receipt);
    record.updated_at_ms = now_ms;
    Ok(changed.then(|| event_for(record)).flatten())
}

/// The event a record's state is announced with, if any.
pub(super) fn event_for(record: &OutboxRecord) -> Option<MobankEvent> {
    let transfer_id = record.key();
    match record.state {
        TransferState::Settled => Some(MobankEvent::TransferSettled { transfer_id }),
        TransferState::Rejected { reason } => Some(MobankEvent::TransferRejected {
            transfer_id,
            reason,
        }),
        TransferState::Unknown => Some(MobankEvent::TransferOutcomeUnknown { transfer_id }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use mobank_protocol::transfer::messages::SubmitTransferRequest;
    use mobank_protocol::transfer::RejectReason;
    use mobank_protocol::{ApiError, ErrorCode};
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

    use super::*;
    use crate::transfers::draft::tests::transfer;

    fn receipt_key() -> (EcdsaKeyPair, ReceiptKey) {
        let random = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &random).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &random)
                .unwrap();
        let public = ReceiptKey::from_public_key(pair.public_key().as_ref()).unwrap();
        (pair, public)
    }

    fn record() -> OutboxRecord {
        let transfer = transfer(50_000);
        OutboxRecord {
            hash: transfer.hash().unwrap(),
            request: SubmitTransferRequest {
                transfer,
                assertions: Vec::new(),
            },
            state: TransferState::Submitted,
            payee_bank_name: "Mobank".to_owned(),
            deadline_ms: 10_000,
            created_at_ms: 1,
            updated_at_ms: 1,
            receipt: None,
            runs_at_ms: None,
        }
    }

    fn receipt_for(record: &OutboxRecord, key: &EcdsaKeyPair, booked: Option<u64>) -> Receipt {
        let transfer = &record.request.transfer;
        let mut receipt = Receipt {
            receipt_id: "r-1".to_owned(),
            idempotency_key: transfer.idempotency_key,
            transfer_hash: record.hash.to_vec(),
            outcome: Outcome::Accepted,
            reason: None,
            payer_account_id: transfer.payer_account_id.clone(),
            amount: transfer.amount,
            fee: transfer.fee.clone(),
            execution_date: transfer.execution_date.clone(),
            decided_at_ms: 5,
            booked_at_ms: booked,
            key_id: String::new(),
            signature: Vec::new(),
        };
        receipt.sign(key, &SystemRandom::new()).unwrap();
        receipt
    }

    #[test]
    fn a_booked_receipt_settles_and_an_unbooked_one_accepts() {
        let (pair, key) = receipt_key();
        let mut settled = record();
        let receipt = receipt_for(&settled, &pair, Some(6));
        let event = take_receipt(&mut settled, receipt, std::slice::from_ref(&key), 7).unwrap();
        assert_eq!(settled.state, TransferState::Settled);
        assert_eq!(
            event,
            Some(MobankEvent::TransferSettled {
                transfer_id: settled.key()
            })
        );
        assert_eq!(settled.updated_at_ms, 7);
        assert!(settled.receipt.is_some());

        let mut accepted = record();
        let receipt = receipt_for(&accepted, &pair, None);
        assert_eq!(
            take_receipt(&mut accepted, receipt, &[key], 7).unwrap(),
            None
        );
        assert_eq!(accepted.state, TransferState::Accepted);
    }

    #[test]
    fn an_unbooked_acceptance_of_a_transfer_with_a_time_is_scheduled_until_the_booked_receipt() {
        let (pair, key) = receipt_key();
        let mut waiting = record();
        waiting.runs_at_ms = Some(9_000);
        let receipt = receipt_for(&waiting, &pair, None);
        let event = take_receipt(&mut waiting, receipt, std::slice::from_ref(&key), 7).unwrap();
        assert_eq!(
            waiting.state,
            TransferState::Scheduled { runs_at_ms: 9_000 }
        );
        assert_eq!(event, None);
        assert!(waiting.state.is_open());

        let booked = receipt_for(&waiting, &pair, Some(9_001));
        take_receipt(&mut waiting, booked, &[key], 9_002).unwrap();
        assert_eq!(waiting.state, TransferState::Settled);
    }

    #[test]
    fn a_rejection_keeps_its_reason() {
        let (pair, key) = receipt_key();
        let mut rejected = record();
        let mut receipt = receipt_for(&rejected, &pair, None);
        receipt.outcome = Outcome::Rejected;
        receipt.reason = Some(RejectReason::InsufficientFunds);
        receipt.sign(&pair, &SystemRandom::new()).unwrap();
        let event = take_receipt(&mut rejected, receipt, &[key], 7).unwrap();
        assert_eq!(
            rejected.state,
            TransferState::Rejected {
                reason: RejectReason::InsufficientFunds
            }
        );
        assert!(matches!(event, Some(MobankEvent::TransferRejected { .. })));
    }

    #[test]
    fn a_receipt_by_an_untrusted_key_or_for_another_transfer_changes_nothing() {
        let (pair, key) = receipt_key();
        let (stranger, _) = receipt_key();
        let mut target = record();

        let forged = receipt_for(&target, &stranger, Some(6));
        assert!(take_receipt(&mut target, forged, std::slice::from_ref(&key), 7).is_err());

        let mut tampered = receipt_for(&target, &pair, Some(6));
        tampered.amount = transfer(500_000).amount;
        assert!(take_receipt(&mut target, tampered, std::slice::from_ref(&key), 7).is_err());

        let mut elsewhere = receipt_for(&target, &pair, Some(6));
        elsewhere.transfer_hash = vec![0; 32];
        elsewhere.sign(&pair, &SystemRandom::new()).unwrap();
        assert!(take_receipt(&mut target, elsewhere, std::slice::from_ref(&key), 7).is_err());

        let mut other_payer = receipt_for(&target, &pair, Some(6));
        other_payer.payer_account_id = "acc-margin".to_owned();
        other_payer.sign(&pair, &SystemRandom::new()).unwrap();
        assert!(take_receipt(&mut target, other_payer, &[key], 7).is_err());

        assert_eq!(target, record());
    }

    #[test]
    fn only_a_connection_never_made_counts_as_not_sent() {
        let api = |code| -> Result<(), NetError> {
            Err(NetError::Api {
                status: 400,
                error: ApiError {
                    code,
                    message: String::new(),
                    attempts_remaining: Some(2),
                },
            })
        };
        assert_eq!(delivery(&Ok::<_, NetError>(())), Delivery::Answered);
        assert_eq!(
            delivery::<()>(&Err(NetError::Connect("refused".to_owned()))),
            Delivery::NotSent
        );
        assert_eq!(
            delivery(&api(ErrorCode::AuthenticationFailed)),
            Delivery::Refused
        );
        assert_eq!(delivery(&api(ErrorCode::Internal)), Delivery::Unknown);
        assert_eq!(delivery(&api(ErrorCode::Suspended)), Delivery::Suspended);
        for unknown in [
            NetError::OutcomeUnknown,
            NetError::MalformedResponse,
            NetError::ResponseTooLarge,
            NetError::UnexpectedStatus { status: 502 },
            NetError::Tls("reset".to_owned()),
        ] {
            assert_eq!(delivery::<()>(&Err(unknown)), Delivery::Unknown);
        }
    }
}
