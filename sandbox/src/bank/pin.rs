//! PIN change in two signed steps: begin proves the old PIN (a wrong one counts as a failed
//! attempt like any other), commit brings the new knowledge key and proves it with a tag made
//! by that key. The device's other devices are told.

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{NoticeKind, PinChangeResponse, PinChangeTicket};
use mobank_protocol::Ceremony;

use super::challenges::{self, Purpose};
use super::factors::{authenticate, Attempt, KnowledgeCheck, KnowledgeKey, OnSuccess, TwoFactors};
use super::policy::{self, SensitiveOperation, PIN_CHANGE_TICKET_TTL_MS};
use super::{notices, session, Bank};
use crate::db::devices;
use crate::error::ApiFailure;

/// First step: possession + the old PIN, a strong authentication at most five minutes old;
/// the ticket for the second step.
pub(crate) fn begin(
    bank: &Bank,
    token_hash: &[u8],
    challenge_id: &str,
    factors: &TwoFactors,
) -> Result<PinChangeTicket, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge =
            challenges::consume(tx, challenge_id, Purpose::Operation, &owner.device_id, now)?;
        policy::require_fresh_strong_auth(
            SensitiveOperation::PinChange,
            owner.strong_auth_at_ms,
            now,
        )?;
        authenticate(
            tx,
            bank,
            &owner.device_id,
            Attempt::strong(
                Ceremony::Operation,
                &factors.both(),
                &challenge,
                Some(operations::PIN_CHANGE_BEGIN),
            ),
            now,
        )?;
        // Possession and the PIN just now: that is a strong authentication too.
        session::record_strong_auth(tx, token_hash, now)?;
        let ticket = challenges::issue(
            tx,
            bank,
            &owner.device_id,
            Purpose::PinChange,
            PIN_CHANGE_TICKET_TTL_MS,
            now,
        )?;
        tracing::info!(device_id = %owner.device_id, "PIN change begun");
        Ok(PinChangeTicket {
            ticket_id: ticket.challenge_id,
            challenge: ticket.challenge,
            expires_at_ms: ticket.expires_at_ms,
            server_time_ms: now,
        })
    })
}

/// Second step: the new knowledge key, proven by its own tag, replaces the old one.
pub(crate) fn commit(
    bank: &Bank,
    token_hash: &[u8],
    ticket_id: &str,
    new_key: &KnowledgeKey,
    factors: &TwoFactors,
) -> Result<PinChangeResponse, ApiFailure> {
    let now = bank.clock.now_ms();
    bank.transact(|tx| {
        let owner = session::authorize(tx, bank, token_hash, now)?;
        let challenge =
            challenges::consume(tx, ticket_id, Purpose::PinChange, &owner.device_id, now)?;
        let operation = operations::pin_change_commit(ticket_id);
        let device = authenticate(
            tx,
            bank,
            &owner.device_id,
            Attempt {
                assertions: &factors.both(),
                ceremony: Ceremony::Operation,
                challenge: &challenge,
                operation: Some(&operation),
                knowledge: KnowledgeCheck::NewKey(new_key),
                on_success: OnSuccess::KeepFailures,
            },
            now,
        )?;
        bank.witness.received_key(new_key.as_slice());
        devices::replace_knowledge_key(tx, &owner.device_id, new_key.as_slice())?;
        notices::notify_others(
            tx,
            bank,
            &owner.customer_id,
            &[owner.device_id.as_str()],
            &notices::Event {
                kind: NoticeKind::PinChanged,
                subject_device_id: &owner.device_id,
                subject_name: &device.name,
            },
            now,
        )?;
        tracing::info!(device_id = %owner.device_id, "PIN changed");
        Ok(PinChangeResponse {
            changed_at_ms: now,
            server_time_ms: now,
        })
    })
}
