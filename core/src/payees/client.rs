//! `mobank.payees()`: check, add, list, rename, remove.

use std::sync::Arc;

use mobank_protocol::assertion::operations;
use mobank_protocol::messages::{
    paths, AddPayeeRequest, PayeeCheckRequest, PayeeCheckResponse, PayeeView, PayeesResponse,
    RemovePayeeRequest, RenamePayeeRequest,
};
use mobank_protocol::text::is_display_text;
use mobank_protocol::transfer::account_number::masked;
use mobank_protocol::transfer::MAX_PAYEE_NAME_CHARS;
use mobank_protocol::{Ceremony, CHALLENGE_LEN};

use super::model::{Payee, PayeeCheck};
use super::nickname::{nickname, payee_id};
use super::number::{bank_code, payee_account_number};
use super::state::{PayeesState, PendingCheck};
use crate::auth::{authorize, sign_off_runtime, Authorized, Operation, Second, Signing};
use crate::context::Context;
use crate::device::state::CounterFlush;
use crate::error::MobankError;
use crate::input::InputError;
use crate::kill;
use crate::net::NetError;
use crate::risk::{payee_name_warning, WarningCode};

/// Saved payees. A cheap handle: get one from [`crate::Mobank::payees`] per use.
pub struct PayeesClient {
    context: Arc<Context>,
    state: Arc<PayeesState>,
}

impl PayeesClient {
    pub(crate) fn new(context: Arc<Context>, state: Arc<PayeesState>) -> Self {
        Self { context, state }
    }

    /// Asks the bank who holds `account_number` at `bank_code` (`MOBANK` for this bank), to
    /// show before the customer adds the payee. `typed_name`, the name the customer typed if
    /// the app asks for one, is compared with the registered name; another name puts a
    /// `payee_name_mismatch` warning on the answer. A malformed account number is
    /// `PayeeAccountRejected`, a malformed bank code or typed name `InvalidInput`, with
    /// nothing sent; an account already saved is `PayeeExists`. Needs a session.
    pub async fn check(
        &self,
        account_number: String,
        bank: String,
        typed_name: Option<String>,
    ) -> Result<PayeeCheck, MobankError> {
        let number = payee_account_number(&account_number)
            .map_err(|reason| MobankError::PayeeAccountRejected { reason })?;
        let bank = bank_code(&bank)?;
        let typed = typed_name
            .as_deref()
            .filter(|typed| !typed.trim().is_empty())
            .map(|typed| {
                mobank_protocol::text::display_text(typed, MAX_PAYEE_NAME_CHARS).map_err(|_| {
                    InputError {
                        what: "a payee name has at most 70 characters and no control, \
                               bidirectional or invisible characters",
                    }
                })
            })
            .transpose()?;
        let auth = authorize(&self.context, None)?;
        let request = PayeeCheckRequest {
            account_number: number,
            bank_code: bank,
        };
        let result = self
            .context
            .bank
            .post_authorized::<_, PayeeCheckResponse>(paths::PAYEES_CHECK, &request, &auth.token)
            .await;
        let answer = auth.settle(result).await?;
        let masked_account_number = masked(&request.account_number);
        if answer.challenge.len() != CHALLENGE_LEN
            || !is_display_text(&answer.registered_name, MAX_PAYEE_NAME_CHARS)
            || answer.masked_account_number != masked_account_number
        {
            return Err(NetError::MalformedResponse.into());
        }
        let warning = typed
            .as_deref()
            .and_then(|typed| payee_name_warning(typed, &answer.registered_name));
        let token = self.state.keep(PendingCheck::new(
            answer.check_id,
            answer.challenge,
            request.bank_code,
            masked_account_number.clone(),
            answer.registered_name.clone(),
            warning.is_some(),
            &auth.token,
        ))?;
        tracing::info!(mismatch = warning.is_some(), "payee name checked");
        Ok(PayeeCheck {
            token,
            registered_name: answer.registered_name,
            masked_account_number,
            bank_name: answer.bank_name,
            warning,
            expires_at_ms: u64::try_from(answer.expires_at_ms).unwrap_or_default(),
        })
    }

    /// Saves the payee of the check `check_token` under `nickname`, signed by this phone's
    /// possession key over the registered name and masked account the check showed. Needs a
    /// fresh strong authentication (`StepUpRequired` before anything is sent otherwise), as
    /// raising a limit does. A check that warned `payee_name_mismatch` needs `acknowledged`
    /// (`WarningsNotAcknowledged` otherwise, nothing sent, the check kept); `acknowledged` for a
    /// check that showed no warning is `WarningNotShown`. A nickname with
    /// hidden or look-alike characters is `InvalidInput`; a token that is not a check of this
    /// session `ConfirmationInvalid`. The bank tells every bound device.
    pub async fn add(
        &self,
        check_token: String,
        nickname_typed: String,
        acknowledged: bool,
    ) -> Result<Payee, MobankError> {
        let nickname = nickname(&nickname_typed)?;
        let session = authorize(&self.context, None)?;
        let mismatch = self
            .state
            .peek(&check_token, &session.token)
            .ok_or(MobankError::ConfirmationInvalid)?;
        match (mismatch, acknowledged) {
            (true, false) => {
                return Err(MobankError::WarningsNotAcknowledged {
                    codes: vec![WarningCode::PayeeNameMismatch.code().to_owned()],
                })
            }
            // An acknowledgement of a warning the customer was never shown says the app
            // acknowledges without asking.
            (false, true) => return Err(MobankError::WarningNotShown),
            _ => {}
        }
        let auth = authorize(&self.context, Some(Operation::AddPayee))?;
        let check = self
            .state
            .take(&check_token, &auth.token)
            .ok_or(MobankError::ConfirmationInvalid)?;
        let operation = operations::add_payee(
            &check.bank_code,
            &check.masked_account_number,
            &check.registered_name,
        );
        let signing = Signing {
            ceremony: Ceremony::Operation,
            challenge: check.challenge,
            operation: Some(operation),
            counters: CounterFlush::Now,
        };
        let assertion = sign_off_runtime(&self.context, &auth.device_id, signing, Second::None)
            .await?
            .pop()
            .ok_or_else(|| crate::error::internal("no possession assertion"))?;
        kill::point(kill::PAYEE_SIGNED);
        let request = AddPayeeRequest {
            check_id: check.check_id,
            nickname,
            assertion,
        };
        let added = self
            .send::<_, PayeeView>(&auth, paths::PAYEES_ADD, &request)
            .await?;
        tracing::info!("payee added");
        Ok(Payee::from(&added))
    }

    /// The customer's payees, oldest first, with masked account numbers. Needs a session.
    pub async fn list(&self) -> Result<Vec<Payee>, MobankError> {
        let auth = authorize(&self.context, None)?;
        Ok(payees(&self.fetch(&auth).await?))
    }

    /// A new nickname for `payee_id`; the registered name never changes. Needs only a
    /// session. An id that is not one of the customer's payees is `PayeeUnknown`.
    pub async fn rename(
        &self,
        payee_id_given: String,
        nickname_typed: String,
    ) -> Result<Payee, MobankError> {
        let id = payee_id(&payee_id_given)?.to_owned();
        let nickname = nickname(&nickname_typed)?;
        let auth = authorize(&self.context, None)?;
        let request = RenamePayeeRequest {
            payee_id: id,
            nickname,
        };
        let renamed = self
            .send::<_, PayeeView>(&auth, paths::PAYEES_RENAME, &request)
            .await?;
        Ok(Payee::from(&renamed))
    }

    /// Forgets `payee_id` at once. Needs only a session. An id that is not one of the
    /// customer's payees is `PayeeUnknown`.
    pub async fn remove(&self, payee_id_given: String) -> Result<Vec<Payee>, MobankError> {
        let id = payee_id(&payee_id_given)?.to_owned();
        let auth = authorize(&self.context, None)?;
        let request = RemovePayeeRequest { payee_id: id };
        let left = self
            .send::<_, PayeesResponse>(&auth, paths::PAYEES_REMOVE, &request)
            .await?;
        self.state.remember(&auth.token, left.clone());
        Ok(payees(&left))
    }

    /// The payee `id` of this session's list (fetched if none is kept): what a transfer
    /// drafted by payee id sends to.
    pub(crate) async fn resolve(
        &self,
        auth: &Authorized,
        id: &str,
    ) -> Result<PayeeView, MobankError> {
        let id = payee_id(id)?;
        let find = |list: &PayeesResponse| list.payees.iter().find(|p| p.payee_id == id).cloned();
        if let Some(found) = self.state.list(&auth.token).as_ref().and_then(find) {
            return Ok(found);
        }
        find(&self.fetch(auth).await?).ok_or(MobankError::PayeeUnknown)
    }

    async fn fetch(&self, auth: &Authorized) -> Result<PayeesResponse, MobankError> {
        let result = self
            .context
            .bank
            .get_authorized::<PayeesResponse>(paths::PAYEES, &auth.token)
            .await;
        let list = auth.settle(result).await?;
        self.state.remember(&auth.token, list.clone());
        Ok(list)
    }

    async fn send<T, R>(&self, auth: &Authorized, path: &str, request: &T) -> Result<R, MobankError>
    where
        T: serde::Serialize + Sync,
        R: serde::de::DeserializeOwned,
    {
        // Whatever the answer, the list kept may no longer be the bank's.
        self.state.forget_list();
        let result: Result<R, NetError> = self
            .context
            .bank
            .post_authorized(path, request, &auth.token)
            .await;
        auth.settle(result).await
    }
}

fn payees(list: &PayeesResponse) -> Vec<Payee> {
    list.payees.iter().map(Payee::from).collect()
}
