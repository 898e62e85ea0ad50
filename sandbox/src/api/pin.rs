//! PIN change in two signed steps: begin proves the old PIN (a wrong one counts as a failed
//! attempt like any other), commit brings the new knowledge key and proves it with a tag made
//! by that key. The device's other devices are told.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    NoticeKind, PinChangeBeginRequest, PinChangeCommitRequest, PinChangeResponse, PinChangeTicket,
};
use mobank_protocol::Ceremony;
use rusqlite::params;
use zeroize::Zeroizing;

use super::challenges::{self, Purpose};
use super::factors::{
    authenticate, knowledge_key, Attempt, KnowledgeCheck, OnSuccess, SecondFactor, TwoFactors,
};
use super::{notices, session};
use crate::bank::{run_blocking, Bank};
use crate::error::ApiFailure;
use crate::extract::{SessionTokenHash, StrictJson};
use crate::policy::{self, SensitiveOperation, PIN_CHANGE_TICKET_TTL_MS};

pub(super) async fn begin(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<PinChangeBeginRequest>,
) -> Result<Json<PinChangeTicket>, ApiFailure> {
    let PinChangeBeginRequest {
        challenge_id,
        assertions,
    } = request;
    let factors = TwoFactors::from_assertions(assertions, SecondFactor::Knowledge)?;
    run_blocking(&bank, move |bank| {
        let now = bank.clock.now_ms();
        bank.transact(|tx| {
            let owner = session::authorize(tx, bank, &token_hash, now)?;
            let challenge =
                challenges::consume(tx, &challenge_id, Purpose::Operation, &owner.device_id, now)?;
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
            session::record_strong_auth(tx, &token_hash, now)?;
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
    })
    .await
    .map(Json)
}

pub(super) async fn commit(
    State(bank): State<Arc<Bank>>,
    SessionTokenHash(token_hash): SessionTokenHash,
    StrictJson(request): StrictJson<PinChangeCommitRequest>,
) -> Result<Json<PinChangeResponse>, ApiFailure> {
    let PinChangeCommitRequest {
        ticket_id,
        new_knowledge_key,
        assertions,
    } = request;
    let new_key = knowledge_key(&Zeroizing::new(new_knowledge_key))
        .ok_or_else(|| ApiFailure::bad_request("new_knowledge_key must be 32 bytes"))?;
    let factors = TwoFactors::from_assertions(assertions, SecondFactor::Knowledge)?;
    run_blocking(&bank, move |bank| {
        let now = bank.clock.now_ms();
        bank.transact(|tx| {
            let owner = session::authorize(tx, bank, &token_hash, now)?;
            let challenge =
                challenges::consume(tx, &ticket_id, Purpose::PinChange, &owner.device_id, now)?;
            let operation = operations::pin_change_commit(&ticket_id);
            let device = authenticate(
                tx,
                bank,
                &owner.device_id,
                Attempt {
                    assertions: &factors.both(),
                    ceremony: Ceremony::Operation,
                    challenge: &challenge,
                    operation: Some(&operation),
                    knowledge: KnowledgeCheck::NewKey(&new_key),
                    on_success: OnSuccess::KeepFailures,
                },
                now,
            )?;
            tx.execute(
                "UPDATE devices SET knowledge_key = ?2 WHERE device_id = ?1",
                params![owner.device_id, new_key.as_slice()],
            )?;
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
    })
    .await
    .map(Json)
}
