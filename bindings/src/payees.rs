//! `client.payees()`: saved payees.

use mobank_core::{self as core, MobankError, Payee, PayeeCheck};

#[derive(uniffi::Object)]
pub struct PayeesClient(pub(crate) core::PayeesClient);

#[uniffi::export(async_runtime = "tokio")]
impl PayeesClient {
    /// The holder name the payee's bank registered for an account, to show before adding it;
    /// a `payee_name_mismatch` warning when `typed_name` is another name. Needs a session.
    pub async fn check(
        &self,
        account_number: String,
        bank_code: String,
        typed_name: Option<String>,
    ) -> Result<PayeeCheck, MobankError> {
        self.0.check(account_number, bank_code, typed_name).await
    }

    /// Saves the checked payee. Needs a fresh strong authentication, and `acknowledged` when
    /// the check warned; every bound device is told.
    pub async fn add(
        &self,
        check_token: String,
        nickname: String,
        acknowledged: bool,
    ) -> Result<Payee, MobankError> {
        self.0.add(check_token, nickname, acknowledged).await
    }

    /// The customer's payees, with masked account numbers.
    pub async fn list(&self) -> Result<Vec<Payee>, MobankError> {
        self.0.list().await
    }

    /// A new nickname; the registered name never changes.
    pub async fn rename(&self, payee_id: String, nickname: String) -> Result<Payee, MobankError> {
        self.0.rename(payee_id, nickname).await
    }

    /// Forgets a payee at once.
    pub async fn remove(&self, payee_id: String) -> Result<Vec<Payee>, MobankError> {
        self.0.remove(payee_id).await
    }
}
