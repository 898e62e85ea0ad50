//! The developer API's own messages: what the bank's back office, the outside world and the
//! test harness do, in JSON that only the sandbox and its test clients speak. The older
//! developer messages (activation codes, the SMS outbox, notifications, appended bookings) are
//! in `mobank_protocol::messages`.
//!
//! Every request type denies unknown fields; amounts travel as decimal strings at the
//! currency's own scale (`"1200.50"` CNY, `"12345"` JPY).

pub(crate) mod faults;
pub(crate) mod routes;

use mobank_protocol::messages::Transaction;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes of the developer API added by the sandbox itself.
pub mod paths {
    /// `POST`: money arrives on an account from a named party outside the bank.
    pub const CREDITS: &str = "/dev/credits";
    /// `POST`: the back office moves money between two accounts of one customer.
    pub const MOVES: &str = "/dev/moves";
    /// `GET`: the bank's clock.
    pub const CLOCK: &str = "/dev/clock";
    /// `POST`: moves the bank's clock forward (only with `--test-clock`).
    pub const CLOCK_ADVANCE: &str = "/dev/clock/advance";
    /// `GET`: whether the ledger balances, and its totals per currency.
    pub const LEDGER_CHECK: &str = "/dev/ledger/check";
    /// `POST`: lose the next N transfer answers after their outcome was stored.
    pub const LOSE_TRANSFER_RESPONSES: &str = "/dev/faults/lose-transfer-responses";
    /// `POST`: lose the next N transfer status answers (`GET /v1/transfers/{key}`).
    pub const LOSE_STATUS_RESPONSES: &str = "/dev/faults/lose-status-responses";
    /// `POST`: hold the next N transfer answers after their outcome was stored; 0 releases.
    pub const HOLD_TRANSFER_RESPONSES: &str = "/dev/faults/hold-transfer-responses";
    /// `GET /dev/transfers/{customer_id}/{idempotency_key}`: the outcome recorded for a key.
    pub const TRANSFER_OUTCOME_PREFIX: &str = "/dev/transfers/";
    /// `POST /dev/customers/{customer_id}/suspension`: suspend or restore e-banking.
    /// `POST /dev/customers/{customer_id}/monitor`: run the monitor now (suspends by policy).
    /// `POST /dev/customers/{customer_id}/suspension`: suspend or restore e-banking;
    /// `POST /dev/customers/{customer_id}/channels`: a branch opens a payment channel.
    pub const CUSTOMER_PREFIX: &str = "/dev/customers/";
    /// `GET /dev/merchants/{merchant_id}/qr?amount=`: the merchant's QR code.
    pub const MERCHANT_PREFIX: &str = "/dev/merchants/";
    /// `POST`: many customers at once, each funded and with an activation code (load tests).
    pub const BULK_CUSTOMERS: &str = "/dev/customers/bulk";
}

/// The query of `GET /dev/merchants/{merchant_id}/qr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantQrQuery {
    /// Absent: a static code, the customer types the amount. Present: a dynamic code for this
    /// amount, greater than zero, at most the currency's decimals.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
}

/// A merchant's QR code as its till would show it: an EMVCo merchant-presented payload naming
/// the merchant's account in Mobank's template, CRC included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MerchantQr {
    pub merchant_id: String,
    pub payload: String,
}

/// A rule the monitor applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonitorRule {
    /// Money in and most of it out again within the window.
    PassThrough,
    /// Many parties in and few out (scatter in, gather out), or the reverse.
    FanInFanOut,
    /// The window's volume far above the account's usual.
    OutOfProfile,
}

/// What the monitor found for one customer, and what the bank did about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorReport {
    pub customer_id: String,
    /// The rules that fired, in the order above.
    pub flags: Vec<MonitorRule>,
    /// Whether e-banking is suspended after the run (by this run or before it).
    pub suspended: bool,
}

/// How many answers to lose (or hold). For `LOSE_TRANSFER_RESPONSES`, each later
/// `POST /v1/transfers` that succeeds is decided, booked and stored as usual; then its answer
/// sends the status line and headers and only half the body, short of its `Content-Length`, and
/// the connection closes. `LOSE_STATUS_RESPONSES` does the same to each later
/// `GET /v1/transfers/{key}` that finds a receipt. `HOLD_TRANSFER_RESPONSES` keeps each later
/// successful `POST /v1/transfers` answer back after booking, until a `count` of 0 releases
/// every held answer or a minute passes: the request is then in flight from the phone's side
/// while the bank has already booked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoseResponsesRequest {
    /// 0 to 100; 0 stops losing.
    #[schema(minimum = 0, maximum = 100)]
    pub count: u32,
}

/// Whether the customer's e-banking is suspended: a suspended customer's transfers are
/// rejected (`suspended`) with a signed receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspensionRequest {
    pub suspended: bool,
}

/// A branch opens a payment channel for the customer: recorded as opened by the branch and
/// announced to every device, but off until the customer turns it on in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenChannelRequest {
    pub channel: mobank_protocol::transfer::Channel,
}

/// A branch opening a product for a customer, as a clerk would (story 4: a margin account
/// opened behind the customer's back). The customer's every bound device is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenProductRequest {
    pub product: mobank_protocol::messages::ProductKind,
    /// As the customer will read it (the display-text rule; 1–64 characters).
    pub name: String,
    /// One the bank keeps (ISO 4217).
    #[schema(schema_with = mobank_protocol::openapi::currency_code)]
    pub currency: String,
    /// An account of the same customer this one belongs under (a margin account under the
    /// current account); absent: a product of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
}

/// The product opened: in the customer's accounts list from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenedProduct {
    pub account_id: String,
    pub product: mobank_protocol::messages::ProductKind,
    pub name: String,
    #[schema(schema_with = mobank_protocol::openapi::currency_code)]
    pub currency: String,
    /// `**** 0001`: the back office's answer shows no more than the notice does.
    pub masked_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
}

/// Money from someone outside the bank arriving on a customer's account: a journal entry from
/// the outside world, a history row and an SMS to the customer's registered phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditRequest {
    pub account_id: String,
    /// Greater than zero, with at most as many decimals as the currency has.
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Must be the account's currency (ISO 4217).
    #[schema(schema_with = mobank_protocol::openapi::currency_code)]
    pub currency: String,
    /// Who paid, as the customer will read it (the display-text rule: NFC, trimmed, no bidi,
    /// invisible or control characters; 1–64 characters).
    pub counterparty_name: String,
    /// The payer's account number at their bank: 8–34 letters and digits.
    pub counterparty_account: String,
    /// Up to 200 characters, same rule; may be empty.
    #[serde(default)]
    pub memo: String,
    /// One of `TRANSACTION_CATEGORIES`; absent: `transfer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// The back office moving money between two accounts of the same customer (e.g. from the
/// current account into its margin sub-account): one entry, a history row on each account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub from_account_id: String,
    pub to_account_id: String,
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    #[schema(schema_with = mobank_protocol::openapi::currency_code)]
    pub currency: String,
    /// Up to 200 characters (display-text rule); absent or empty: a standard memo.
    #[serde(default)]
    pub memo: String,
}

/// What a credit or a move booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Booked {
    /// The journal entry.
    pub entry_id: i64,
    /// Its history rows, as the customer's phone will sync them.
    pub transactions: Vec<Transaction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceClockRequest {
    /// 1 to 315,360,000 (ten years).
    #[schema(minimum = 1, maximum = 315_360_000)]
    pub seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockReading {
    /// The bank's time, Unix milliseconds: what every expiry and `server_time_ms` uses.
    pub now_ms: i64,
    /// Whether `POST /dev/clock/advance` is allowed (the sandbox runs with `--test-clock`).
    pub test_clock: bool,
}

/// The ledger's account of itself. `balanced` is true exactly when every count is zero and,
/// in every currency, the customers' total is the opposite of the system accounts' total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerCheck {
    pub balanced: bool,
    pub entries: u64,
    pub postings: u64,
    /// Entries whose postings do not sum to zero in some currency.
    pub unbalanced_entries: u64,
    /// Accounts whose cached balance is not the sum of their postings, postings in another
    /// currency than their account's, and customer accounts missing from the ledger.
    pub balance_mismatches: u64,
    pub negative_customer_accounts: u64,
    /// History rows with no posting of the same amount on the same account in their entry.
    pub unbacked_bookings: u64,
    /// Customer legs (openings aside) without exactly one history row: the difference between
    /// their count and the rows', plus legs shown twice.
    pub unshown_postings: u64,
    /// Transfer entries without exactly one accepted outcome, accepted outcomes without a
    /// transfer entry, and rejected outcomes with one.
    pub unrecorded_transfers: u64,
    /// One per currency the bank keeps, in code order.
    pub totals: Vec<CurrencyTotals>,
}

/// Balances summed per kind of account. Entries balance, so these five sum to zero; money
/// enters the customers' total only from the outside world and leaves it only to another bank,
/// the card network or the bank's fee income (or back to the outside world).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrencyTotals {
    #[schema(schema_with = mobank_protocol::openapi::currency_code)]
    pub currency: String,
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub customers: Decimal,
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub outside_world: Decimal,
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub other_bank: Decimal,
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub card_network: Decimal,
    /// Transfer fees the bank earned.
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub fee_income: Decimal,
}

/// Customers for a load test: `count` of them, each with one CNY current account opened with
/// `opening_balance` (from the outside world) and a fresh activation code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkCustomersRequest {
    /// 1 to 10,000.
    #[schema(minimum = 1, maximum = 10000)]
    pub count: u32,
    /// CNY, greater than zero, at most two decimals.
    #[schema(schema_with = mobank_protocol::openapi::decimal)]
    #[serde(with = "rust_decimal::serde::str")]
    pub opening_balance: Decimal,
}

/// The customers made, in number order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkCustomers {
    pub customers: Vec<BulkCustomer>,
}

/// One customer made in bulk: what a phone needs to bind to it and others need to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkCustomer {
    /// `bulk_00001`, numbered on from the customers made before.
    pub customer_id: String,
    /// Registered phone (`+8617000000001`): where its binding OTP goes.
    pub phone: String,
    /// What confirmation of payee shows: `测试客户00001`.
    pub holder_name: String,
    pub account_id: String,
    /// 16 digits with a right check digit: what a payer types.
    pub account_number: String,
    /// As `POST /dev/activation-codes` issues it.
    pub activation_code: String,
    pub activation_expires_at_ms: i64,
}
