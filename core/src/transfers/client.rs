//! `mobank.transfers()`: draft, confirm, sign and submit, reconcile, list.

use std::sync::Arc;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::ChallengePurpose;
use mobank_protocol::money::Currency;
use mobank_protocol::text::display_text;
use mobank_protocol::transfer::messages::{
    paths, CancelTransferRequest, QuoteRequest, QuoteResponse, SubmitTransferRequest,
    TransferResponse,
};
use mobank_protocol::transfer::{
    operation_text, IdempotencyKey, MAX_MEMO_CHARS, MAX_PAYEE_NAME_CHARS,
};
use mobank_protocol::{Ceremony, ErrorCode};
use mobank_store::Store;
use ring::rand::SystemRandom;

use super::acknowledgement;
use super::confirmation::{render, Shown};
use super::draft::{Draft, TransfersState};
use super::model::{Confirmation, TransferInput, TransferState, TransferSummary};
use super::outbox::{self, OutboxError, OutboxRecord};
use super::outcome::{delivery, event_for, take_receipt, Delivery};
use super::qr_payment::{self, QrConfirmation, QrPaymentInput};
use super::quote_check::check_quote;
use crate::accounts::{Account, AccountsClient};
use crate::auth::{authorize, sign_off_runtime, Authorized, Second, Signing};
use crate::context::{local_deadline, Context};
use crate::device::state::CounterFlush;
use crate::error::{internal, MobankError};
use crate::input::InputError;
use crate::kill;
use crate::limits::LimitsState;
use crate::money::parse_typed_amount;
use crate::net::NetError;
use crate::payees::{bank_code, payee_account_number, PayeesClient, PayeesState};
use crate::pin::Pin;
use crate::risk::{self, Assessed, PastTransfer, WarningAction};
use crate::runtime::blocking;

/// Transfers. A cheap handle: get one from [`crate::Mobank::transfers`] per use; a draft made
/// with one handle is signed with another.
pub struct TransfersClient {
    context: Arc<Context>,
    state: Arc<TransfersState>,
    limits: Arc<LimitsState>,
    payees: Arc<PayeesState>,
}

impl TransfersClient {
    pub(crate) fn new(
        context: Arc<Context>,
        state: Arc<TransfersState>,
        limits: Arc<LimitsState>,
        payees: Arc<PayeesState>,
    ) -> Self {
        Self {
            context,
            state,
            limits,
            payees,
        }
    }

    /// Checks what the customer entered, asks the bank for a quote and returns the
    /// confirmation to show. Input the phone can judge is refused before anything is sent
    /// (`PayeeAccountRejected`, `InvalidInput` for the memo or bank code, `PayerAccountUnknown`,
    /// `AmountRejected`, and `ChannelClosed` or `LimitExceeded` with the limit and the room
    /// left); the accounts list and the channels are fetched once per session to know the
    /// payer's currency and the room left. A quote that does not echo what was asked is `QuoteMismatch`.
    /// Needs a session.
    ///
    /// The confirmation lists the risk warnings (`crate::risk`); a warning that blocks ends the
    /// draft with `TransferBlocked` instead. A typed payee name that is malformed is
    /// `InvalidInput`.
    ///
    /// With `payee_id`, the saved payee's account is sent to (`PayeeUnknown` if the customer has
    /// no such payee); the account number and bank code must then be empty.
    pub async fn draft(&self, input: TransferInput) -> Result<Confirmation, MobankError> {
        let by_payee = match &input.payee_id {
            None => None,
            Some(_)
                if !input.payee_account_number.trim().is_empty()
                    || !input.payee_bank_code.trim().is_empty() =>
            {
                return Err(MobankError::from(InputError {
                    what:
                        "a transfer to a saved payee leaves the account number and bank code empty",
                }));
            }
            Some(id) => {
                let auth = authorize(&self.context, None)?;
                let payees = PayeesClient::new(Arc::clone(&self.context), Arc::clone(&self.payees));
                Some(payees.resolve(&auth, id).await?)
            }
        };
        let (payee_number, payee_bank) = match by_payee {
            Some(payee) => (payee.account_number, payee.bank_code),
            None => (
                payee_account_number(&input.payee_account_number)
                    .map_err(|reason| MobankError::PayeeAccountRejected { reason })?,
                bank_code(&input.payee_bank_code)?,
            ),
        };
        let memo = memo(&input.memo)?;
        let typed_payee_name = typed_payee_name(input.payee_name.as_deref())?;
        let execution_date = input
            .execution_date
            .as_deref()
            .map(execution_date)
            .transpose()?;
        let auth = authorize(&self.context, None)?;
        let payer = self.payer(&auth, &input.payer_account_id).await?;
        let currency: Currency = payer.currency.parse().map_err(|_| {
            MobankError::from(InputError {
                what: "the payer account's currency is not supported",
            })
        })?;
        let amount = parse_typed_amount(&input.amount, currency)
            .map_err(|reason| MobankError::AmountRejected { reason })?;
        crate::limits::check(&self.context, &self.limits, &auth, input.channel, &amount).await?;
        let idempotency_key = IdempotencyKey::generate(&SystemRandom::new())
            .map_err(|_| internal("no randomness for an idempotency key"))?;
        let asked = QuoteRequest {
            payer_account_id: payer.account_id.clone(),
            payee_account_number: payee_number,
            payee_bank_code: payee_bank,
            amount,
            memo,
            channel: input.channel,
            idempotency_key,
            execution_date,
        };

        let sent_at_ms = self.context.clock.now_ms();
        let quoted = self.context.bank.post_authorized::<_, QuoteResponse>(
            paths::TRANSFER_QUOTES,
            &asked,
            &auth.token,
        );
        let (result, ()) = tokio::join!(quoted, risk::refresh(&self.context));
        let quote = auth.settle(result).await?;
        check_quote(&asked, &quote)?;
        let deadline_ms = local_deadline(
            sent_at_ms,
            to_i64(quote.transfer.quoted_at_ms),
            to_i64(quote.expires_at_ms),
        );
        let past = self.past_transfers().await?;
        let account_ids = self
            .state
            .accounts(&auth.token)
            .unwrap_or_default()
            .into_iter()
            .map(|account| account.account_id)
            .collect();
        let warnings = risk::assess(
            &self.context,
            Assessed {
                device_id: &auth.device_id,
                transfer: &quote.transfer,
                typed_payee_name: typed_payee_name.as_deref(),
                past: &past,
                account_ids,
            },
        )
        .await?;
        if warnings
            .iter()
            .any(|warning| warning.action == WarningAction::Block)
        {
            tracing::info!("transfer stopped by a blocking risk warning");
            return Err(MobankError::TransferBlocked { warnings });
        }
        let mut draft = Draft::new(
            quote.transfer,
            quote.payee_bank_name,
            deadline_ms,
            self.context.wipes(),
        )?;
        draft.payer_masked_number = payer.masked_number;
        draft.warnings = warnings;
        draft.schedule = quote.schedule;
        draft.expires_at_ms = quote.expires_at_ms;
        let shown = draft.clone();
        let token = self.state.keep(draft)?;
        tracing::info!(warnings = shown.warnings.len(), "transfer drafted");
        Ok(confirmation(token, &shown))
    }

    /// Acknowledges warnings the confirmation of `token` showed, by code: they go into the
    /// transfer that will be signed, so the bank learns what the customer was told. Returns
    /// the new confirmation, whose token replaces the old one (the transfer's hash changed).
    /// A code the confirmation did not show is `WarningNotShown` and changes nothing; a token
    /// that is not valid is `ConfirmationInvalid`, an expired quote `QuoteExpired`. Local: no
    /// network.
    pub async fn acknowledge(
        &self,
        token: &str,
        codes: Vec<String>,
    ) -> Result<Confirmation, MobankError> {
        let draft = self.state.confirmed(token, self.context.wipes())?;
        if self.context.clock.now_ms() >= draft.deadline_ms {
            self.state.forget(token);
            return Err(MobankError::QuoteExpired);
        }
        let next = acknowledgement::acknowledge(&draft, &codes)?;
        let shown = next.clone();
        let new_token = self.state.replace(token, next)?;
        tracing::info!(
            acknowledged = shown.transfer.acknowledged_warnings.len(),
            "warnings acknowledged"
        );
        Ok(confirmation(new_token, &shown))
    }

    /// Reads a scanned merchant QR code (EMVCo merchant-presented) into a transfer on the QR
    /// payment channel and drafts it as [`TransfersClient::draft`] does: same quote, same
    /// confirmation, same signing. The code names the payee and the currency, and the amount
    /// when it has one; the customer's `amount` is needed without one and must be the same with
    /// one. A code that cannot be paid is `QrRejected` with the reason (a bad or altered code,
    /// no Mobank account in it, a convenience fee, another currency than the payer account's,
    /// no amount, a different amount), refused before anything is sent but the session's first
    /// accounts list. The confirmation names the payee as the bank registered the account and
    /// says when no name in the code is that name. Needs a session.
    pub async fn draft_qr(&self, input: QrPaymentInput) -> Result<QrConfirmation, MobankError> {
        let (payment, payee) = qr_payment::read(&input.payload)?;
        let auth = authorize(&self.context, None)?;
        let payer = self.payer(&auth, &input.payer_account_id).await?;
        let plan = qr_payment::plan(&payment, payee, &payer, input.amount.as_deref())?;
        let confirmation = self.draft(plan.input.clone()).await?;
        tracing::info!("QR payment drafted");
        Ok(qr_payment::confirm(confirmation, plan))
    }

    /// Signs the confirmed transfer with the biometric key (the prompt shows the
    /// confirmation's `prompt`) and submits it. See [`TransfersClient::sign_and_submit_pin`].
    pub async fn sign_and_submit_biometric(
        &self,
        token: &str,
    ) -> Result<TransferSummary, MobankError> {
        let draft = self.state.confirmed(token, self.context.wipes())?;
        let prompt = super::confirmation::prompt(&draft.transfer);
        self.sign_and_submit(token, draft, Second::Biometric { prompt })
            .await
    }

    /// Signs the confirmed transfer with the PIN and submits it.
    ///
    /// A token that is not the one of a confirmation this phone rendered, or whose transfer
    /// changed since, is `ConfirmationInvalid`; an expired quote `QuoteExpired`. The signed
    /// transfer is in the outbox before a byte is sent. Returns the transfer with the state the
    /// bank's verified receipt gives it (`Settled`, `Accepted`, `Rejected`). A lost answer is
    /// `OutcomeUnknown` and a receipt that does not verify `ReceiptInvalid`: the transfer is
    /// then `Unknown` and `reconcile` finds out. A wrong PIN is `AuthenticationFailed` with
    /// the attempts left, and nothing stays queued.
    pub async fn sign_and_submit_pin(
        &self,
        token: &str,
        pin: Pin,
    ) -> Result<TransferSummary, MobankError> {
        let draft = self.state.confirmed(token, self.context.wipes())?;
        self.sign_and_submit(token, draft, Second::Pin(pin)).await
    }

    /// Cancels a scheduled transfer (`TransferState::Scheduled`) before it runs, signed by
    /// this phone's possession key over an operation naming the transfer. Returns it
    /// `Rejected` with reason `Cancelled`, the bank's signed receipt kept. A transfer that
    /// already ran, was refused or was never scheduled is `NotCancellable` (nothing is sent
    /// when the phone already knows; when the bank says so, the transfer is reconciled so the
    /// list shows what happened). An unknown id is `InvalidInput`. Needs a session.
    pub async fn cancel(&self, transfer_id: &str) -> Result<TransferSummary, MobankError> {
        let key = IdempotencyKey::parse(transfer_id).ok_or_else(|| {
            MobankError::from(InputError {
                what: "a transfer id is the 32 lower-case hex digits list() shows",
            })
        })?;
        let store = self.store(false).await?.ok_or(MobankError::NotBound)?;
        let loader = Arc::clone(&store);
        let hex = key.to_hex();
        let mut record = blocking(move || outbox::load_all(&loader))
            .await?
            .map_err(from_outbox)?
            .into_iter()
            .find(|record| record.key() == hex)
            .ok_or_else(|| {
                MobankError::from(InputError {
                    what: "no transfer on this phone has that id",
                })
            })?;
        if !record.state.is_open() {
            return Err(MobankError::NotCancellable);
        }
        let auth = authorize(&self.context, None)?;
        let mut answered = auth
            .answer_challenge(
                ChallengePurpose::Operation,
                Some(operations::cancel_transfer(&hex)),
                Second::None,
            )
            .await?;
        let assertion = answered
            .assertions
            .pop()
            .ok_or_else(|| internal("no possession assertion"))?;
        kill::point(kill::CANCEL_SIGNED);
        let path = format!("{}{hex}{}", paths::TRANSFER_PREFIX, paths::CANCEL_SUFFIX);
        let result = self
            .context
            .bank
            .post_authorized::<_, TransferResponse>(
                &path,
                &CancelTransferRequest {
                    challenge_id: answered.challenge_id,
                    assertion,
                },
                &auth.token,
            )
            .await;
        match auth.settle(result).await {
            Ok(response) => {
                self.answered(&store, &mut record, response).await?;
                tracing::info!("scheduled transfer cancelled");
                Ok(record.summary())
            }
            Err(MobankError::NotCancellable) => {
                self.reconcile_one(&auth, &store, &mut record).await?;
                Err(MobankError::NotCancellable)
            }
            Err(error) => Err(error),
        }
    }

    /// Every transfer this phone signed, newest first, with its state and receipt. Local: no
    /// session, no network.
    pub async fn list(&self) -> Result<Vec<TransferSummary>, MobankError> {
        let Some(store) = self.store(false).await? else {
            return Ok(Vec::new());
        };
        let records = blocking(move || outbox::load_all(&store))
            .await?
            .map_err(from_outbox)?;
        Ok(records.iter().map(OutboxRecord::summary).collect())
    }

    /// Settles every transfer whose outcome this phone does not know (signed but not sent,
    /// sent without an answer, unknown, accepted but not booked), by asking the bank for the
    /// outcome it recorded under the transfer's idempotency key. A transfer the bank never
    /// recorded is sent again, the same signed request, while its quote is valid and this
    /// phone has signed nothing since. Once the phone signed since (a restart's login does),
    /// one that never left the phone is `Expired` (never executed) at once, and one that was
    /// sent stays open, unsent, until its quote runs out and is `Expired` then. Never makes a
    /// new transfer. Call it after a restart and after `OutcomeUnknown`. Returns the
    /// transfers it looked at. Needs a session.
    pub async fn reconcile(&self) -> Result<Vec<TransferSummary>, MobankError> {
        let auth = authorize(&self.context, None)?;
        let store = self.store(false).await?.ok_or(MobankError::NotBound)?;
        let loader = Arc::clone(&store);
        let records = blocking(move || outbox::load_all(&loader))
            .await?
            .map_err(from_outbox)?;
        let mut looked_at = Vec::new();
        for mut record in records.into_iter().filter(|r| r.state.is_open()) {
            let settled = self.reconcile_one(&auth, &store, &mut record).await;
            // A settled transfer may have used up room: the next draft asks the bank again.
            self.limits.forget();
            settled?;
            looked_at.push(record.summary());
        }
        tracing::info!(count = looked_at.len(), "transfers reconciled");
        Ok(looked_at)
    }

    async fn reconcile_one(
        &self,
        auth: &Authorized,
        store: &Arc<Store>,
        record: &mut OutboxRecord,
    ) -> Result<(), MobankError> {
        let path = format!("{}{}", paths::TRANSFER_PREFIX, record.key());
        let result = self
            .context
            .bank
            .get_authorized::<TransferResponse>(&path, &auth.token)
            .await;
        let not_recorded = matches!(
            &result,
            Err(NetError::Api { error, .. }) if error.code == ErrorCode::NotFound
        );
        if not_recorded {
            auth.settle(Ok(())).await?;
            if record.state == TransferState::Accepted {
                // The bank signed an acceptance it no longer finds: keep the evidence as it is.
                return Ok(());
            }
            // The bank takes a counter no higher than the last it saw from a key for a cloned
            // key and blocks the device: once this phone signed anything after the transfer
            // (the login after a restart does), the stored request can never go again.
            let device = self.context.usable_state().await?;
            let signed_since = record.possession_sign_count() != Some(device.possession_sign_count);
            let expired = self.context.clock.now_ms() >= record.deadline_ms;
            // A `Signed` record never left the phone; any other may still be on its way to
            // the bank, so it is not called "not executed" before its quote runs out.
            if expired || (signed_since && record.state == TransferState::Signed) {
                record.state = TransferState::Expired;
                record.updated_at_ms = self.context.clock.now_ms();
                self.write(store, record, outbox::save_progress).await?;
                return Ok(());
            }
            if signed_since {
                return Ok(());
            }
            // The bank never saw it: the same signed request, so at most one transfer.
            return match self.submit(auth, store, record).await {
                Ok(()) | Err(MobankError::OutcomeUnknown | MobankError::ReceiptInvalid) => Ok(()),
                Err(error) => Err(error),
            };
        }
        match auth.settle(result).await {
            Ok(response) => match self.answered(store, record, response).await {
                Ok(()) | Err(MobankError::ReceiptInvalid) => Ok(()),
                Err(error) => Err(error),
            },
            // Still unknown: the next reconcile asks again.
            Err(MobankError::OutcomeUnknown | MobankError::Network { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    async fn sign_and_submit(
        &self,
        token: &str,
        draft: Draft,
        second: Second,
    ) -> Result<TransferSummary, MobankError> {
        let context = &self.context;
        if context.clock.now_ms() >= draft.deadline_ms {
            self.state.forget(token);
            return Err(MobankError::QuoteExpired);
        }
        let codes = acknowledgement::missing(&draft);
        if !codes.is_empty() {
            return Err(MobankError::WarningsNotAcknowledged { codes });
        }
        let auth = authorize(context, None)?;
        let device = context.usable_state().await?;
        second.check_available(&device)?;
        let signing = Signing {
            ceremony: Ceremony::Transfer,
            challenge: draft.transfer.challenge.clone(),
            operation: Some(operation_text(&draft.hash)),
            // The outbox entry below is the durable write before the send.
            counters: CounterFlush::WithCallersWrite,
        };
        let assertions = sign_off_runtime(context, &auth.device_id, signing, second).await?;
        kill::point(kill::SIGNED);

        let now = context.clock.now_ms();
        let mut record = OutboxRecord {
            request: SubmitTransferRequest {
                transfer: draft.transfer,
                assertions,
            },
            hash: draft.hash,
            state: TransferState::Signed,
            payee_bank_name: draft.payee_bank_name,
            deadline_ms: draft.deadline_ms,
            created_at_ms: now,
            updated_at_ms: now,
            receipt: None,
            runs_at_ms: draft.schedule.map(|schedule| schedule.runs_at_ms),
        };
        let store = self.store(true).await?.ok_or(MobankError::NotBound)?;
        self.write(&store, &record, outbox::queue).await?;
        self.state.forget(token);
        kill::point(kill::OUTBOX_WRITTEN);
        tracing::info!("transfer signed and queued");

        let submitted = self.submit(&auth, &store, &mut record).await;
        // Whether or not it went, the next draft counts it as gone; a draft that would be
        // refused for it asks the bank first.
        let transfer = &record.request.transfer;
        self.limits.spent(transfer.channel, &transfer.amount);
        submitted?;
        Ok(record.summary())
    }

    /// Sends the queued `record` and stores what the answer means for it.
    async fn submit(
        &self,
        auth: &Authorized,
        store: &Arc<Store>,
        record: &mut OutboxRecord,
    ) -> Result<(), MobankError> {
        record.state = TransferState::Submitted;
        record.updated_at_ms = self.context.clock.now_ms();
        self.write(store, record, outbox::mark_sending).await?;
        let result = self
            .context
            .bank
            .post_authorized::<_, TransferResponse>(paths::TRANSFERS, &record.request, &auth.token)
            .await;
        kill::point(kill::ANSWERED);
        let delivery = delivery(&result);
        let result = auth.settle(result).await;
        match (delivery, result) {
            (_, Ok(response)) => self.answered(store, record, response).await,
            (Delivery::Suspended, Err(error)) => {
                // The bank recorded nothing and the signature stays good: keep it queued, as
                // signed, so `reconcile` sends it after the lift.
                record.state = TransferState::Signed;
                record.updated_at_ms = self.context.clock.now_ms();
                self.write(store, record, outbox::save).await?;
                tracing::info!("transfer kept in the outbox while e-banking is suspended");
                Err(error)
            }
            (Delivery::NotSent | Delivery::Refused, Err(error)) => {
                // The bank recorded nothing: nothing stays queued, so no later reconcile sends
                // a transfer the customer was told did not go.
                let key = record.key();
                let wipes = self.context.wipes();
                let remover = Arc::clone(store);
                let removed = key.clone();
                blocking(move || outbox::remove(&remover, &removed))
                    .await?
                    .map_err(from_outbox)?;
                self.state.past.removed(wipes, &key);
                tracing::info!("transfer not taken by the bank; removed from the outbox");
                Err(error)
            }
            (_, Err(_)) => {
                self.mark_unknown(store, record).await?;
                Err(MobankError::OutcomeUnknown)
            }
        }
    }

    /// The bank answered with a receipt: kept if it verifies, else the transfer stays unknown.
    async fn answered(
        &self,
        store: &Arc<Store>,
        record: &mut OutboxRecord,
        response: TransferResponse,
    ) -> Result<(), MobankError> {
        let now = self.context.clock.now_ms();
        match take_receipt(record, response.receipt, &self.context.receipt_keys, now) {
            Ok(event) => {
                self.write(store, record, outbox::save_progress).await?;
                tracing::info!("transfer answered with a verified receipt");
                self.context.emit(event);
                Ok(())
            }
            Err(()) => {
                tracing::warn!("the bank's receipt did not verify");
                self.mark_unknown(store, record).await?;
                Err(MobankError::ReceiptInvalid)
            }
        }
    }

    async fn mark_unknown(
        &self,
        store: &Arc<Store>,
        record: &mut OutboxRecord,
    ) -> Result<(), MobankError> {
        if record.state == TransferState::Accepted {
            return Ok(());
        }
        let changed = record.state != TransferState::Unknown;
        record.state = TransferState::Unknown;
        record.updated_at_ms = self.context.clock.now_ms();
        self.write(store, record, outbox::save_progress).await?;
        if changed {
            self.context.emit(event_for(record));
        }
        Ok(())
    }

    /// Writes `record` with `how` (one of the outbox's writes) on the blocking pool.
    async fn write(
        &self,
        store: &Arc<Store>,
        record: &OutboxRecord,
        how: fn(&Store, &OutboxRecord) -> Result<(), OutboxError>,
    ) -> Result<(), MobankError> {
        let wipes = self.context.wipes();
        let writer = Arc::clone(store);
        let written = record.clone();
        blocking(move || how(&writer, &written))
            .await?
            .map_err(from_outbox)?;
        self.state.past.written(wipes, record);
        Ok(())
    }

    async fn store(&self, create: bool) -> Result<Option<Arc<Store>>, MobankError> {
        let slot = Arc::clone(&self.context.storage);
        Ok(blocking(move || slot.open(create)).await??)
    }

    /// This phone's transfers, as the risk rules read them: the outbox is read once.
    async fn past_transfers(&self) -> Result<Vec<PastTransfer>, MobankError> {
        let wipes = self.context.wipes();
        if let Some(past) = self.state.past.get(wipes) {
            return Ok(past);
        }
        let Some(store) = self.store(false).await? else {
            return Ok(Vec::new());
        };
        let records = blocking(move || outbox::load_all(&store))
            .await?
            .map_err(from_outbox)?;
        self.state.past.fill(wipes, &records);
        Ok(records.iter().map(OutboxRecord::past).collect())
    }

    /// The payer account from the session's accounts list, fetched once per session.
    async fn payer(&self, auth: &Authorized, account_id: &str) -> Result<Account, MobankError> {
        let find = |accounts: &[Account]| {
            accounts
                .iter()
                .find(|account| account.account_id == account_id)
                .cloned()
        };
        if let Some(accounts) = self.state.accounts(&auth.token) {
            if let Some(account) = find(&accounts) {
                return Ok(account);
            }
        }
        let accounts = AccountsClient::new(Arc::clone(&self.context))
            .list()
            .await?;
        let payer = find(&accounts);
        self.state.remember_accounts(&auth.token, accounts);
        payer.ok_or(MobankError::PayerAccountUnknown)
    }
}

/// The confirmation of `draft` under `token`.
fn confirmation(token: String, draft: &Draft) -> Confirmation {
    render(
        &draft.transfer,
        Shown {
            token,
            payer_masked_number: &draft.payer_masked_number,
            payee_bank_name: &draft.payee_bank_name,
            expires_at_ms: draft.expires_at_ms,
            warnings: &draft.warnings,
            schedule: draft.schedule,
        },
    )
}

/// The payee name as typed, trimmed and in NFC; blank is none.
fn typed_payee_name(typed: Option<&str>) -> Result<Option<String>, MobankError> {
    let Some(typed) = typed.filter(|typed| !typed.trim().is_empty()) else {
        return Ok(None);
    };
    display_text(typed, MAX_PAYEE_NAME_CHARS)
        .map(Some)
        .map_err(|_| {
            MobankError::from(InputError {
                what: "a payee name has at most 70 characters and no control, bidirectional or invisible characters",
            })
        })
}

/// A requested execution date: `YYYY-MM-DD`. The bank judges the calendar and the range.
fn execution_date(typed: &str) -> Result<String, MobankError> {
    let shaped = typed.len() == 10
        && typed.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(MobankError::from(InputError {
            what: "an execution date is written YYYY-MM-DD",
        }));
    }
    Ok(typed.to_owned())
}

/// The memo trimmed and in NFC; empty is allowed.
fn memo(typed: &str) -> Result<String, MobankError> {
    if typed.trim().is_empty() {
        return Ok(String::new());
    }
    display_text(typed, MAX_MEMO_CHARS).map_err(|_| {
        MobankError::from(InputError {
            what: "a memo has at most 140 characters and no control, bidirectional or invisible characters",
        })
    })
}

fn to_i64(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

fn from_outbox(error: OutboxError) -> MobankError {
    match error {
        OutboxError::Store(error) => error.into(),
        OutboxError::Undecodable => MobankError::StorageCorrupt,
    }
}
