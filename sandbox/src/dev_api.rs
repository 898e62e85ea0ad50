//! The developer API: what a branch, the bank's back office, the card network, the SMS network
//! and the push service do in real life. Plain HTTP on its own loopback listener, apart from
//! the customer API, and callable in-process through `RunningSandbox`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use mobank_protocol::messages::{
    paths, AppendTransactionRequest, IssueActivationRequest, IssueActivationResponse,
    NotificationOutbox, SmsMessage, SmsOutbox, Transaction,
};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use crate::api::{method_not_allowed, not_found, notices};
use crate::bank::{run_blocking, Bank};
use crate::error::{ApiFailure, SandboxError};
use crate::extract::StrictJson;
use crate::{ledger, random};

pub(crate) fn router(bank: Arc<Bank>) -> Router {
    let sms_route = format!("{}{{phone}}", paths::DEV_SMS_PREFIX);
    let notifications_route = format!("{}{{customer_id}}", paths::DEV_NOTIFICATIONS_PREFIX);
    Router::new()
        .route(paths::DEV_ACTIVATION_CODES, post(issue))
        .route(&sms_route, get(outbox))
        .route(&notifications_route, get(notifications))
        .route(paths::DEV_TRANSACTIONS, post(append))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(4 * 1024))
        .with_state(bank)
}

async fn issue(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<IssueActivationRequest>,
) -> Result<Json<IssueActivationResponse>, ApiFailure> {
    run_blocking(&bank, move |bank| {
        Ok(issue_activation_code(bank, &request.customer_id)?)
    })
    .await
    .map(Json)
}

async fn outbox(
    State(bank): State<Arc<Bank>>,
    phone: Result<Path<String>, PathRejection>,
) -> Result<Json<SmsOutbox>, ApiFailure> {
    let Path(phone) =
        phone.map_err(|_| ApiFailure::bad_request("malformed phone number in path"))?;
    run_blocking(&bank, move |bank| Ok(sms_outbox(bank, &phone)?))
        .await
        .map(Json)
}

async fn notifications(
    State(bank): State<Arc<Bank>>,
    customer_id: Result<Path<String>, PathRejection>,
) -> Result<Json<NotificationOutbox>, ApiFailure> {
    let Path(customer_id) =
        customer_id.map_err(|_| ApiFailure::bad_request("malformed customer id in path"))?;
    run_blocking(&bank, move |bank| {
        Ok(notification_outbox(bank, &customer_id)?)
    })
    .await
    .map(Json)
}

async fn append(
    State(bank): State<Arc<Bank>>,
    StrictJson(request): StrictJson<AppendTransactionRequest>,
) -> Result<Json<Transaction>, ApiFailure> {
    run_blocking(&bank, move |bank| Ok(append_transaction(bank, &request)?))
        .await
        .map(Json)
}

pub(crate) fn notification_outbox(
    bank: &Bank,
    customer_id: &str,
) -> Result<NotificationOutbox, SandboxError> {
    bank.with_db(|conn| {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = ?1)",
            [customer_id],
            |row| row.get(0),
        )?;
        if !known {
            return Err(SandboxError::UnknownCustomer);
        }
        Ok(NotificationOutbox {
            notifications: notices::sent_to_customer(conn, customer_id)?,
        })
    })
}

pub(crate) fn append_transaction(
    bank: &Bank,
    request: &AppendTransactionRequest,
) -> Result<Transaction, SandboxError> {
    let now = bank.clock.now_ms();
    let booked = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let booked = ledger::append(&tx, &bank.rng, request, now)?;
        tx.commit()?;
        Ok::<_, SandboxError>(booked)
    })?;
    tracing::info!(transaction_id = %booked.transaction_id, "transaction booked");
    Ok(booked)
}

pub(crate) fn issue_activation_code(
    bank: &Bank,
    customer_id: &str,
) -> Result<IssueActivationResponse, SandboxError> {
    let internal = |_| SandboxError::Internal("the system random generator failed");
    let code = random::activation_code(&bank.rng).map_err(internal)?;
    let code_id = random::id(&bank.rng, "code").map_err(internal)?;
    let now = bank.clock.now_ms();
    let expires_at_ms = now.saturating_add(bank.policy.activation_ttl_ms);
    let phone = bank.with_db(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let phone: String = tx
            .query_row(
                "SELECT phone FROM customers WHERE customer_id = ?1",
                [customer_id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(SandboxError::UnknownCustomer)?;
        tx.execute(
            "INSERT INTO activation_codes (code_id, code_hash, customer_id, created_at_ms,
                                           expires_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                code_id,
                random::sha256(code.as_bytes()),
                customer_id,
                now,
                expires_at_ms
            ],
        )?;
        tx.commit()?;
        Ok::<_, SandboxError>(phone)
    })?;
    tracing::info!(%code_id, "activation code issued");
    Ok(IssueActivationResponse {
        activation_code: code.as_str().to_owned(),
        phone,
        expires_at_ms,
    })
}

pub(crate) fn sms_outbox(bank: &Bank, phone: &str) -> Result<SmsOutbox, SandboxError> {
    bank.with_db(|conn| {
        let mut statement = conn.prepare_cached(
            "SELECT phone, body, sent_at_ms FROM sms_outbox WHERE phone = ?1 ORDER BY sms_id",
        )?;
        let messages = statement
            .query_map([phone], |row| {
                Ok(SmsMessage {
                    to: row.get(0)?,
                    body: row.get(1)?,
                    sent_at_ms: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SmsOutbox { messages })
    })
}
