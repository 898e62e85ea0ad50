use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::{Channel, IdempotencyKey, Payee};

use super::*;
use crate::risk::model::WarningCode;
use crate::transfers::TransferState;

const PAYEE: &str = "4111111111111111";
const NOW: i64 = 1_796_264_340_000;
const HOUR: i64 = 3_600_000;

fn transfer(amount_minor: i64) -> CanonicalTransfer {
    CanonicalTransfer {
        payer_account_id: "acc-current".to_owned(),
        payee: Payee {
            account_number: PAYEE.to_owned(),
            bank_code: "MOBANK".to_owned(),
            name: "王芳".to_owned(),
        },
        amount: Amount::from_minor_units(amount_minor, Currency::Cny).unwrap(),
        fee: "0.00".to_owned(),
        memo: String::new(),
        channel: Channel::MobileTransfer,
        execution_date: "2026-12-03".to_owned(),
        idempotency_key: IdempotencyKey::from_bytes([7; 16]),
        challenge: vec![9; 32],
        quoted_at_ms: NOW as u64,
        acknowledged_warnings: Vec::new(),
    }
}

fn sent(amount_minor: i64, ago_ms: i64, state: TransferState) -> PastTransfer {
    sent_to(PAYEE, amount_minor, ago_ms, state)
}

fn sent_to(payee: &str, amount_minor: i64, ago_ms: i64, state: TransferState) -> PastTransfer {
    PastTransfer {
        payee_account: payee.to_owned(),
        amount_minor,
        currency: "CNY".to_owned(),
        quoted_at_ms: NOW - ago_ms,
        state,
    }
}

fn credit_from(account: Option<&str>, name: &str, ago_ms: i64) -> Credit {
    Credit {
        counterparty: name.to_owned(),
        counterparty_account: account.map(str::to_owned),
        amount_minor: 300_000,
        currency: "CNY".to_owned(),
        booked_at_ms: Some(NOW - ago_ms),
        booking_day: ((NOW - ago_ms + 8 * HOUR) / 86_400_000) as i32,
        category: "transfer".to_owned(),
    }
}

struct Case {
    transfer: CanonicalTransfer,
    typed: Option<&'static str>,
    past: Vec<PastTransfer>,
    credits: Vec<Credit>,
    bound_at_ms: Option<i64>,
    integrity: Option<IntegritySignals>,
}

impl Case {
    fn new(amount_minor: i64) -> Self {
        Self {
            transfer: transfer(amount_minor),
            typed: None,
            past: Vec::new(),
            credits: Vec::new(),
            bound_at_ms: Some(NOW - 400 * 24 * HOUR),
            integrity: None,
        }
    }

    fn findings(&self) -> Vec<Finding> {
        findings(&Facts {
            now_ms: NOW,
            transfer: &self.transfer,
            typed_payee_name: self.typed,
            past: &self.past,
            credits: &self.credits,
            bound_at_ms: self.bound_at_ms,
            integrity: self.integrity,
        })
    }

    fn codes(&self) -> Vec<WarningCode> {
        codes(&self.findings())
    }

    fn raises(&self, code: WarningCode) -> bool {
        self.codes().contains(&code)
    }
}

fn settled() -> TransferState {
    TransferState::Settled
}

#[test]
fn five_thousand_to_a_payee_usually_sent_five_hundred_is_unusual() {
    let mut case = Case::new(500_000);
    case.past = vec![
        sent(50_000, 30 * 24 * HOUR, settled()),
        sent(50_000, 60 * 24 * HOUR, settled()),
    ];
    let found = case.findings();
    let unusual = found
        .iter()
        .find(|f| f.code == WarningCode::UnusualAmount)
        .expect("unusual amount");
    assert!(unusual.reason_zh.contains("¥5,000.00"));
    assert!(unusual.reason_zh.contains("¥500.00"));
    assert!(unusual.reason_en.contains("10.0 times"));
    assert!(unusual
        .figures
        .contains(&("basis", "this_payee".to_owned())));
    assert!(!case.raises(WarningCode::NewPayee));
}

#[test]
fn just_under_five_times_the_median_is_not_unusual() {
    let mut case = Case::new(249_999);
    case.past = vec![sent(50_000, 24 * HOUR, settled())];
    assert!(!case.raises(WarningCode::UnusualAmount));
    case.transfer = transfer(250_000);
    assert!(case.raises(WarningCode::UnusualAmount));
}

#[test]
fn the_median_ignores_one_large_past_transfer() {
    let mut case = Case::new(300_000);
    case.past = vec![
        sent(50_000, 24 * HOUR, settled()),
        sent(60_000, 48 * HOUR, settled()),
        sent(1_000_000, 72 * HOUR, settled()),
    ];
    assert!(case.raises(WarningCode::UnusualAmount));
}

#[test]
fn rejected_transfers_do_not_make_the_usual_amount() {
    let mut case = Case::new(500_000);
    case.past = vec![sent(
        50_000,
        24 * HOUR,
        TransferState::Rejected {
            reason: mobank_protocol::transfer::RejectReason::InsufficientFunds,
        },
    )];
    assert!(!case.raises(WarningCode::UnusualAmount));
    assert!(case.raises(WarningCode::NewPayee));
}

#[test]
fn a_first_transfer_far_above_the_customers_usual_amounts_is_unusual() {
    let mut case = Case::new(500_000);
    case.past = (0..3)
        .map(|i| sent_to("6011111111111117", 80_000, (i + 1) * 24 * HOUR, settled()))
        .collect();
    let found = case.findings();
    let unusual = found
        .iter()
        .find(|f| f.code == WarningCode::UnusualAmount)
        .expect("unusual amount");
    assert!(unusual
        .figures
        .contains(&("basis", "all_payees".to_owned())));
    assert!(case.raises(WarningCode::NewPayee));
}

#[test]
fn a_first_transfer_is_not_judged_on_fewer_than_three_past_transfers() {
    let mut case = Case::new(5_000_000);
    case.past = (0..2)
        .map(|i| sent_to("6011111111111117", 100, (i + 1) * 24 * HOUR, settled()))
        .collect();
    assert!(!case.raises(WarningCode::UnusualAmount));
}

#[test]
fn a_first_transfer_to_a_payee_informs_and_a_known_payee_does_not() {
    let mut case = Case::new(50_000);
    assert_eq!(case.codes(), vec![WarningCode::NewPayee]);
    case.past = vec![sent(50_000, 24 * HOUR, settled())];
    assert!(case.codes().is_empty());
}

#[test]
fn transfers_within_a_day_of_binding_this_phone_raise_new_device() {
    let mut case = Case::new(50_000);
    case.past = vec![sent(50_000, 24 * HOUR, settled())];
    case.bound_at_ms = Some(NOW - 23 * HOUR);
    assert_eq!(case.codes(), vec![WarningCode::NewDevice]);
    case.bound_at_ms = Some(NOW - 24 * HOUR);
    assert!(case.codes().is_empty());
}

#[test]
fn the_same_amount_to_the_same_payee_within_ten_minutes_is_a_repeat() {
    let mut case = Case::new(50_000);
    case.past = vec![sent(50_000, 9 * 60_000, TransferState::Unknown)];
    let found = case.findings();
    let repeat = found
        .iter()
        .find(|f| f.code == WarningCode::RepeatPayment)
        .expect("repeat payment");
    assert!(repeat.figures.contains(&("minutes_ago", "9".to_owned())));
    case.past = vec![sent(50_000, 10 * 60_000, settled())];
    assert!(!case.raises(WarningCode::RepeatPayment));
    case.past = vec![sent(50_001, 60_000, settled())];
    assert!(!case.raises(WarningCode::RepeatPayment));
    case.past = vec![sent_to("6011111111111117", 50_000, 60_000, settled())];
    assert!(!case.raises(WarningCode::RepeatPayment));
}

#[test]
fn a_transfer_the_bank_refused_is_not_a_repeat() {
    let mut case = Case::new(50_000);
    case.past = vec![sent(
        50_000,
        60_000,
        TransferState::Rejected {
            reason: mobank_protocol::transfer::RejectReason::LimitExceeded,
        },
    )];
    assert!(!case.raises(WarningCode::RepeatPayment));
    case.past = vec![sent(50_000, 60_000, TransferState::Expired)];
    assert!(!case.raises(WarningCode::RepeatPayment));
}

#[test]
fn money_to_whoever_sent_an_unexpected_credit_within_72_hours_is_a_refund_scam() {
    let mut case = Case::new(1);
    case.credits = vec![credit_from(Some(PAYEE), "陌生人", 71 * HOUR)];
    let found = case.findings();
    let scam = found
        .iter()
        .find(|f| f.code == WarningCode::RefundScam)
        .expect("refund scam");
    assert!(scam.reason_zh.contains("¥3,000.00"));
    assert!(scam.figures.contains(&("hours_ago", "71".to_owned())));
    case.credits = vec![credit_from(Some(PAYEE), "陌生人", 73 * HOUR)];
    assert!(!case.raises(WarningCode::RefundScam));
}

#[test]
fn a_credit_from_another_account_or_a_salary_is_no_refund_scam() {
    let mut case = Case::new(50_000);
    case.credits = vec![credit_from(Some("6011111111111117"), "王芳", HOUR)];
    assert!(!case.raises(WarningCode::RefundScam));
    let mut salary = credit_from(Some(PAYEE), "王芳", HOUR);
    salary.category = "salary".to_owned();
    case.credits = vec![salary];
    assert!(!case.raises(WarningCode::RefundScam));
}

#[test]
fn a_credit_from_someone_the_customer_paid_before_is_expected() {
    let mut case = Case::new(50_000);
    case.credits = vec![credit_from(Some(PAYEE), "王芳", HOUR)];
    case.past = vec![sent(50_000, 10 * 24 * HOUR, settled())];
    assert!(!case.raises(WarningCode::RefundScam));
}

#[test]
fn a_credit_without_an_account_matches_the_payee_by_registered_name() {
    let mut case = Case::new(50_000);
    case.credits = vec![credit_from(None, "王 芳", HOUR)];
    assert!(case.raises(WarningCode::RefundScam));
    case.credits = vec![credit_from(None, "李明", HOUR)];
    assert!(!case.raises(WarningCode::RefundScam));
}

#[test]
fn a_credit_known_only_by_its_day_counts_for_every_day_the_window_touches() {
    let mut case = Case::new(50_000);
    let mut credit = credit_from(Some(PAYEE), "王芳", 73 * HOUR);
    credit.booked_at_ms = None;
    case.credits = vec![credit];
    assert!(case.raises(WarningCode::RefundScam));
}

#[test]
fn a_typed_payee_name_that_is_not_the_registered_one_is_a_mismatch() {
    let mut case = Case::new(50_000);
    case.typed = Some("王方");
    let found = case.findings();
    let mismatch = found
        .iter()
        .find(|f| f.code == WarningCode::PayeeNameMismatch)
        .expect("mismatch");
    assert!(mismatch
        .figures
        .contains(&("registered_name", "王芳".to_owned())));
    case.typed = Some(" 王 芳");
    assert!(!case.raises(WarningCode::PayeeNameMismatch));
    case.typed = None;
    assert!(!case.raises(WarningCode::PayeeNameMismatch));
}

#[test]
fn root_or_an_emulator_and_hooking_or_a_debugger_raise_their_own_warnings() {
    let mut case = Case::new(50_000);
    case.past = vec![sent(50_000, 24 * HOUR, settled())];
    case.integrity = Some(IntegritySignals {
        rooted: true,
        ..IntegritySignals::default()
    });
    assert_eq!(case.codes(), vec![WarningCode::DeviceRooted]);
    case.integrity = Some(IntegritySignals {
        emulator: true,
        debugger: true,
        ..IntegritySignals::default()
    });
    assert_eq!(
        case.codes(),
        vec![WarningCode::DeviceRooted, WarningCode::DeviceTampered]
    );
    case.integrity = Some(IntegritySignals::default());
    assert!(case.codes().is_empty());
}

#[test]
fn warnings_come_in_code_order_with_no_full_account_number_in_their_text() {
    let mut case = Case::new(500_000);
    case.typed = Some("李明");
    case.past = vec![
        sent(50_000, 5 * 60_000, settled()),
        sent(500_000, 60_000, settled()),
    ];
    case.credits = vec![credit_from(Some(PAYEE), "王芳", HOUR)];
    case.bound_at_ms = Some(NOW - HOUR);
    let found = case.findings();
    let codes = codes(&found);
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    assert!(codes.contains(&WarningCode::RepeatPayment));
    assert!(codes.contains(&WarningCode::NewDevice));
    for finding in &found {
        assert!(!finding.reason_zh.contains(PAYEE));
        assert!(!finding.reason_en.contains(PAYEE));
        assert!(finding
            .figures
            .iter()
            .all(|(_, value)| !value.contains(PAYEE)));
    }
}
