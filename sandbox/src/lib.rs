//! The Mobank sandbox: a reference bank that verifies everything a Mobank phone sends.
//!
//! It serves the customer API (`/v1/...`, see `mobank_protocol::messages`) over HTTPS with a
//! self-signed certificate kept in its data directory, and a developer API (`/dev/...`) over
//! plain HTTP on a separate loopback listener: issuing activation codes (what a branch would
//! do), reading the SMS outbox (the stand-in for the phone network) and the notifications sent
//! to devices (the stand-in for push), booking card payments, credits from outside parties and
//! back-office moves, moving the clock in tests and checking the ledger ([`dev`]). Run it as
//! the `mobank-sandbox` binary or in-process through [`start`].
//!
//! Inside: `api` and `dev::routes` speak HTTP and nothing else; `bank` holds the rules and
//! runs them in SQLite transactions; `ledger` is the double-entry ledger with the history
//! customers see; `db` opens the database and migrates and seeds it.
//!
//! Not a real bank: the SMS outbox keeps one-time passwords in clear because it *is* the
//! customer's phone, and the certificate is self-signed because clients pin its key.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod api;
mod bank;
mod clock;
mod config;
mod db;
pub mod dev;
mod error;
mod extract;
mod ledger;
mod mask;
mod openapi;
mod random;
mod receipt_key;
mod server;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use mobank_protocol::messages::{
    Account, AppendTransactionRequest, IssueActivationResponse, NotificationOutbox, SmsOutbox,
    Transaction,
};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use bank::display::{Reason as TextRefusalReason, TextRefused};
pub use config::{SandboxConfig, DEFAULT_RP_ID};
pub use db::seed::{
    OtherBankAccount, CORNER_SHOP_ACCOUNT_NUMBER, CORNER_SHOP_CUSTOMER_ID, CORNER_SHOP_HOLDER_NAME,
    CORNER_SHOP_MERCHANT_ID, DEMO_CUSTOMER_ID, DEMO_PHONE, LANDLORD_ACCOUNT_NUMBER,
    LANDLORD_CUSTOMER_ID, LANDLORD_HOLDER_NAME, LANDLORD_PHONE, OTHER_BANK_ACCOUNTS,
};
pub use error::SandboxError;
pub use openapi::document_json as openapi_document;

use bank::{back_office, outboxes, Bank};
use clock::Clock;
use dev::{Booked, CreditRequest, LedgerCheck, MoveRequest};

/// Where a started sandbox can be reached, and the pin that proves it is the one. The binary
/// prints exactly this as its one JSON line on stdout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    /// `https://127.0.0.1:PORT`
    pub base_url: String,
    /// base64 (standard, padded) of SHA-256 over the certificate's SubjectPublicKeyInfo DER.
    pub spki_pin: String,
    /// `http://127.0.0.1:PORT`
    pub dev_url: String,
    pub rp_id: String,
    /// base64url (unpadded) of the uncompressed P-256 point (65 bytes) that signs transfer
    /// receipts.
    pub receipt_public_key: String,
}

/// A sandbox that is listening. Dropping it stops the servers too; `shutdown` also waits for
/// them to finish.
pub struct RunningSandbox {
    announcement: Announcement,
    certificate_der: Vec<u8>,
    bank: Arc<Bank>,
    stop: watch::Sender<bool>,
    servers: Vec<JoinHandle<()>>,
}

/// Opens (or creates) the data directory, binds both listeners and starts serving.
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    if config.data_dir.as_os_str().is_empty() {
        return Err(SandboxError::Config("data_dir must be set".to_owned()));
    }
    // Checked before anything is created: the developer API hands out activation codes and
    // reads OTPs, so it must never be reachable from another machine.
    if !config.dev_listen.ip().is_loopback() {
        return Err(SandboxError::DevListenNotLoopback(config.dev_listen));
    }
    if config.rp_id.is_empty() {
        return Err(SandboxError::Config("rp_id must not be empty".to_owned()));
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|source| SandboxError::Io {
        path: config.data_dir.clone(),
        source,
    })?;

    let identity = tls::TlsIdentity::load_or_create(&config.data_dir)?;
    let tls_config = identity.server_config()?;
    let mut db = db::open(&config.data_dir)?;
    let clock = Clock::default();
    if config.seed_history > 0 {
        seed_history(&mut db, config.seed_history, clock.now_ms())?;
    }
    let rng = ring::rand::SystemRandom::new();
    let receipt_key = receipt_key::load_or_create(&config.data_dir, &rng)?;
    let receipt_public_key = receipt_key::public_key(&receipt_key);
    let bank = Arc::new(Bank::new(db, clock, &config, rng, receipt_key));

    let listener = bind(config.listen).await?;
    let dev_listener = bind(config.dev_listen).await?;
    let base_url = format!("https://{}", reachable(&listener, config.listen)?);
    let dev_url = format!("http://{}", reachable(&dev_listener, config.dev_listen)?);

    let (stop, stopped) = watch::channel(false);
    let servers = vec![
        tokio::spawn(server::serve_tls(
            listener,
            tls_config,
            api::router(Arc::clone(&bank)),
            stopped.clone(),
        )),
        tokio::spawn(server::serve_plain(
            dev_listener,
            dev::routes::router(Arc::clone(&bank)),
            stopped,
        )),
    ];
    let announcement = Announcement {
        base_url,
        spki_pin: identity.spki_pin.clone(),
        dev_url,
        rp_id: config.rp_id,
        receipt_public_key: mobank_protocol::b64::encode(&receipt_public_key),
    };
    tracing::info!(base_url = %announcement.base_url, dev_url = %announcement.dev_url, "sandbox bank listening");
    Ok(RunningSandbox {
        announcement,
        certificate_der: identity.certificate.as_ref().to_vec(),
        bank,
        stop,
        servers,
    })
}

fn seed_history(db: &mut rusqlite::Connection, rows: u32, now_ms: i64) -> Result<(), SandboxError> {
    let started = std::time::Instant::now();
    // The seed writes only ids it has just read, and the ledger check proves what it wrote;
    // skipping the foreign-key lookups (seven a row) saves a tenth of the time.
    db.pragma_update(None, "foreign_keys", "OFF")?;
    let seeded = (|| {
        let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        let seeded = ledger::seed::history(&tx, rows, now_ms)?;
        tx.commit()?;
        Ok::<_, SandboxError>(seeded)
    })();
    db.pragma_update(None, "foreign_keys", "ON")?;
    let seeded = seeded?;
    match seeded {
        ledger::seed::Seeded::Rows(rows) => {
            let elapsed_ms = started.elapsed().as_millis();
            tracing::info!(
                rows,
                elapsed_ms,
                "seeded the demo customer's transaction history"
            );
        }
        ledger::seed::Seeded::AlreadyPresent => {
            tracing::info!("the ledger already holds history; not seeding again");
        }
    }
    Ok(())
}

async fn bind(addr: std::net::SocketAddr) -> Result<TcpListener, SandboxError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Listen { addr, source })
}

/// The address clients should use: the bound port, and loopback when bound to "any".
fn reachable(
    listener: &TcpListener,
    requested: std::net::SocketAddr,
) -> Result<std::net::SocketAddr, SandboxError> {
    let mut addr = listener
        .local_addr()
        .map_err(|source| SandboxError::Listen {
            addr: requested,
            source,
        })?;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    Ok(addr)
}

impl RunningSandbox {
    pub fn base_url(&self) -> String {
        self.announcement.base_url.clone()
    }

    pub fn spki_pin(&self) -> String {
        self.announcement.spki_pin.clone()
    }

    pub fn dev_url(&self) -> String {
        self.announcement.dev_url.clone()
    }

    pub fn rp_id(&self) -> String {
        self.announcement.rp_id.clone()
    }

    /// The uncompressed P-256 point (65 bytes) that verifies this bank's transfer receipts.
    pub fn receipt_public_key(&self) -> Vec<u8> {
        receipt_key::public_key(&self.bank.receipt_key)
    }

    /// Everything above in one value, as the binary prints it.
    pub fn announcement(&self) -> Announcement {
        self.announcement.clone()
    }

    /// The TLS certificate (DER). Test clients that cannot pin may trust it as their only root.
    pub fn certificate_der(&self) -> Vec<u8> {
        self.certificate_der.clone()
    }

    /// Same as `POST /dev/activation-codes`.
    pub fn issue_activation_code(
        &self,
        customer_id: &str,
    ) -> Result<IssueActivationResponse, SandboxError> {
        back_office::issue_activation_code(&self.bank, customer_id)
    }

    /// Same as `GET /dev/sms/{phone}`.
    pub fn sms_outbox(&self, phone: &str) -> Result<SmsOutbox, SandboxError> {
        outboxes::sms(&self.bank, phone)
    }

    /// Same as `GET /dev/notifications/{customer_id}`.
    pub fn notifications(&self, customer_id: &str) -> Result<NotificationOutbox, SandboxError> {
        outboxes::notifications(&self.bank, customer_id)
    }

    /// Same as `POST /dev/transactions`: books a transaction now.
    pub fn append_transaction(
        &self,
        request: &AppendTransactionRequest,
    ) -> Result<Transaction, SandboxError> {
        back_office::append_transaction(&self.bank, request)
    }

    /// Same as `POST /dev/customers/bulk`: `count` funded customers, each with an activation
    /// code, for load tests.
    pub fn create_customers(
        &self,
        request: &dev::BulkCustomersRequest,
    ) -> Result<dev::BulkCustomers, SandboxError> {
        bank::bulk_customers::create(&self.bank, request)
    }

    /// Same as `POST /dev/credits`: money from a named outside party arrives now.
    pub fn credit(&self, request: &CreditRequest) -> Result<Booked, SandboxError> {
        back_office::credit(&self.bank, request)
    }

    /// Same as `POST /dev/moves`: the back office moves money between two accounts of one
    /// customer now.
    pub fn move_funds(&self, request: &MoveRequest) -> Result<Booked, SandboxError> {
        back_office::move_funds(&self.bank, request)
    }

    /// Same as `GET /dev/ledger/check`.
    pub fn check_ledger(&self) -> Result<LedgerCheck, SandboxError> {
        Ok(self.bank.with_db(|conn| ledger::check::check(conn))?)
    }

    /// The customer's accounts with their balances, as the accounts API would show them.
    pub fn accounts(&self, customer_id: &str) -> Result<Vec<Account>, SandboxError> {
        self.bank
            .with_db(|conn| bank::accounts::of_customer(conn, customer_id))
    }

    /// Same as `POST /dev/faults/lose-transfer-responses`: the next `count` transfer answers
    /// are lost after their outcome was stored.
    pub fn lose_transfer_responses(&self, count: u32) -> Result<(), SandboxError> {
        bank::transfer::faults::lose_responses(&self.bank, dev::LoseResponsesRequest { count })
            .map(|_| ())
    }

    /// Same as `POST /dev/faults/lose-status-responses`: the next `count` transfer status
    /// answers that carry a receipt are lost.
    pub fn lose_status_responses(&self, count: u32) -> Result<(), SandboxError> {
        bank::transfer::faults::lose_status_responses(
            &self.bank,
            dev::LoseResponsesRequest { count },
        )
        .map(|_| ())
    }

    /// Same as `POST /dev/faults/hold-transfer-responses`: the next `count` transfer answers
    /// are held back after their outcome was stored; 0 releases every held answer.
    pub fn hold_transfer_responses(&self, count: u32) -> Result<(), SandboxError> {
        bank::transfer::faults::hold_responses(&self.bank, dev::LoseResponsesRequest { count })
            .map(|_| ())
    }

    /// Same as `GET /dev/transfers/{customer_id}/{idempotency_key}`: the receipt recorded for
    /// the key, or `None`.
    pub fn transfer_outcome(
        &self,
        customer_id: &str,
        idempotency_key: mobank_protocol::transfer::IdempotencyKey,
    ) -> Result<Option<mobank_protocol::transfer::Receipt>, SandboxError> {
        bank::transfer::faults::outcome(&self.bank, customer_id, idempotency_key)
    }

    /// The warning codes the customer acknowledged on the confirmation of the transfer with
    /// this key, as the bank recorded them with its outcome; `None` if it decided none.
    pub fn acknowledged_warnings(
        &self,
        customer_id: &str,
        idempotency_key: mobank_protocol::transfer::IdempotencyKey,
    ) -> Result<Option<Vec<String>>, SandboxError> {
        bank::transfer::faults::acknowledged_warnings(&self.bank, customer_id, idempotency_key)
    }

    /// Same as `POST /dev/customers/{customer_id}/suspension`.
    pub fn set_suspended(&self, customer_id: &str, suspended: bool) -> Result<(), SandboxError> {
        bank::transfer::faults::suspend(
            &self.bank,
            customer_id,
            dev::SuspensionRequest { suspended },
        )
        .map(|_| ())
    }

    /// Same as `GET /dev/merchants/{merchant_id}/qr?amount=`: the merchant's QR code, static
    /// without `amount`, dynamic with it.
    pub fn merchant_qr(
        &self,
        merchant_id: &str,
        amount: Option<rust_decimal::Decimal>,
    ) -> Result<dev::MerchantQr, SandboxError> {
        bank::merchants::qr_code(&self.bank, merchant_id, amount)
    }

    /// Same as `POST /dev/customers/{customer_id}/channels`: a branch opens a payment channel
    /// for the customer; it stays off until the customer turns it on in the app.
    /// A branch opens a product for the customer (`POST /dev/customers/{id}/products`).
    pub fn open_product(
        &self,
        customer_id: &str,
        request: &dev::OpenProductRequest,
    ) -> Result<dev::OpenedProduct, SandboxError> {
        bank::back_office::open_product(&self.bank, customer_id, request)
    }

    pub fn open_channel(
        &self,
        customer_id: &str,
        channel: mobank_protocol::transfer::Channel,
    ) -> Result<(), SandboxError> {
        bank::channels::open_by_branch(&self.bank, customer_id, channel)
    }

    /// Moves the bank's clock forward (expiry of OTPs, challenges, sessions; `server_time_ms`).
    /// Always allowed in process; over HTTP only with `SandboxConfig::test_clock`.
    pub fn advance_clock(&self, by: Duration) {
        self.bank.clock.advance(by);
        // Scheduled transfers whose time came run now, as they do on the developer API.
        self.bank.with_db(|_| Ok::<_, SandboxError>(())).ok();
    }

    /// Runs the pass-through monitor for a customer now; it suspends e-banking by policy.
    pub fn run_monitor(&self, customer_id: &str) -> Result<dev::MonitorReport, SandboxError> {
        bank::monitor::run(&self.bank, customer_id)
    }

    /// The bank's current time, Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.bank.clock.now_ms()
    }

    /// The customer's whole ledger in booking order: what a phone's full history sync must end
    /// up with.
    pub fn ledger(&self, customer_id: &str) -> Result<Vec<Transaction>, SandboxError> {
        self.bank.with_db(|conn| {
            let tx = conn.transaction()?;
            Ok(ledger::history::page(&tx, customer_id, 0, u32::MAX)?.transactions)
        })
    }

    /// The customer's full account numbers, which the customer API only ever sends masked:
    /// tests look for them where they must not be.
    pub fn account_numbers(&self, customer_id: &str) -> Result<Vec<String>, SandboxError> {
        Ok(self
            .bank
            .with_db(|conn| db::customers::account_numbers(conn, customer_id))?)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for both servers.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for server in self.servers {
            if let Err(error) = server.await {
                tracing::error!(%error, "a sandbox server task failed");
            }
        }
        tracing::info!("sandbox bank stopped");
    }
}
