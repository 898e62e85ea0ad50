//! `mobank.transfers()`: draft, confirm, sign and submit, reconcile, list.

use std::sync::Arc;

use mobank_protocol::money::Currency;
use mobank_protocol::text::display_text;
use mobank_protocol::transfer::messages::{
    paths, QuoteRequest, QuoteResponse, SubmitTransferRequest, TransferResponse,
};
use mobank_protocol::transfer::{operation_text, IdempotencyKey, MAX_MEMO_CHARS};
use mobank_protocol::{Ceremony, ErrorCode};
use mobank_store::Store;
use ring::rand::SystemRandom;

use super::confirmation::{render, Shown};
use super::draft::{Draft, TransfersState};
use super::kill;
use super::model::{Confirmation, TransferInput, TransferState, TransferSummary};
use super::outbox::{self, OutboxError, OutboxRecord};
use super::outcome::{delivery, event_for, take_receipt, Delivery};
use super::payee_number::{bank_code, payee_account_number};
use super::quote_check::check_quote;
use crate::accounts::{Account, AccountsClient};
use crate::auth::{authorize, sign_off_runtime, Authorized, Second, Signing};
use crate::context::{local_deadline, Context};
use crate::error::{internal, MobankError};
use crate::input::InputError;
use crate::limits::LimitsState;
use crate::money::parse_typed_amount;
use crate::net::NetError;
use crate::pin::Pin;
use crate::runtime::blocking;

/// Transfers. A cheap handle: get one from [`crate::Mobank::transfers`] per use; a draft made
/// with one handle is signed with another.
pub struct TransfersClient {
    context: Arc<Context>,
    state: Arc<TransfersState>,
    limits: Arc<LimitsState>,
}

impl TransfersClient {
    pub(crate) fn new(
        context: Arc<Context>,
        state: Arc<TransfersState>,
        limits: Arc<LimitsState>,
    ) -> Self {
        Self {
            context,
            state,
            limits,
        }
    }

    /// Checks what the customer entered, asks the bank for a quote and returns the
    /// confirmation to show. Input the phone can judge is refused before anything is sent
    /// (`PayeeAccountRejected`, `InvalidInput` for the memo or bank code, `PayerAccountUnknown`,
    /// `AmountRejected`, and `ChannelClosed` or `LimitExceeded` with the limit and the room
    /// left); the accounts list and the channels are fetched once per session to know the
    /// payer's currency and the room left. A quote that does not echo what was asked is `QuoteMismatch`. Needs a session.
    pub async fn draft(&self, input: TransferInput) -> Result<Confirmation, MobankError> {
        let payee_number = payee_account_number(&input.payee_account_number)
            .map_err(|reason| MobankError::PayeeAccountRejected { reason })?;
        let payee_bank = bank_code(&input.payee_bank_code)?;
        let memo = memo(&input.memo)?;
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
        };

        let sent_at_ms = self.context.clock.now_ms();
        let result = self
            .context
            .bank
            .post_authorized::<_, QuoteResponse>(paths::TRANSFER_QUOTES, &asked, &auth.token)
            .await;
        let quote = auth.settle(result).await?;
        check_quote(&asked, &quote)?;
        let deadline_ms = local_deadline(
            sent_at_ms,
            to_i64(quote.transfer.quoted_at_ms),
            to_i64(quote.expires_at_ms),
        );
        let draft = Draft::new(
            quote.transfer,
            quote.payee_bank_name,
            deadline_ms,
            self.context.wipes(),
        )?;
        let transfer = draft.transfer.clone();
        let payee_bank_name = draft.payee_bank_name.clone();
        let token = self.state.keep(draft)?;
        tracing::info!("transfer drafted");
        Ok(render(
            &transfer,
            Shown {
                token,
                payer_masked_number: &payer.masked_number,
                payee_bank_name: &payee_bank_name,
                expires_at_ms: quote.expires_at_ms,
            },
        ))
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
    /// recorded is sent again, the same signed request, while its quote is valid, and is
    /// `Expired` (never executed) after. Never makes a new transfer. Call it after a restart
    /// and after `OutcomeUnknown`. Returns the transfers it looked at. Needs a session.
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
            if self.context.clock.now_ms() >= record.deadline_ms {
                record.state = TransferState::Expired;
                record.updated_at_ms = self.context.clock.now_ms();
                self.save(store, record).await?;
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
        let auth = authorize(context, None)?;
        let device = context.usable_state().await?;
        second.check_available(&device)?;
        let signing = Signing {
            ceremony: Ceremony::Transfer,
            challenge: draft.transfer.challenge.clone(),
            operation: Some(operation_text(&draft.hash)),
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
        };
        let store = self.store(true).await?.ok_or(MobankError::NotBound)?;
        self.save(&store, &record).await?;
        self.state.forget(token);
        kill::point(kill::OUTBOX_WRITTEN);
        tracing::info!("transfer signed and queued");

        let submitted = self.submit(&auth, &store, &mut record).await;
        // The transfer may have used up room: the next draft asks the bank again.
        self.limits.forget();
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
        self.save(store, record).await?;
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
            (Delivery::NotSent | Delivery::Refused, Err(error)) => {
                // The bank recorded nothing: nothing stays queued, so no later reconcile sends
                // a transfer the customer was told did not go.
                let key = record.key();
                let store = Arc::clone(store);
                blocking(move || outbox::remove(&store, &key))
                    .await?
                    .map_err(from_outbox)?;
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
                self.save(store, record).await?;
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
        self.save(store, record).await?;
        if changed {
            self.context.emit(event_for(record));
        }
        Ok(())
    }

    async fn save(&self, store: &Arc<Store>, record: &OutboxRecord) -> Result<(), MobankError> {
        let store = Arc::clone(store);
        let record = record.clone();
        blocking(move || outbox::save(&store, &record))
            .await?
            .map_err(from_outbox)
    }

    async fn store(&self, create: bool) -> Result<Option<Arc<Store>>, MobankError> {
        let slot = Arc::clone(&self.context.storage);
        Ok(blocking(move || slot.open(create)).await??)
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
