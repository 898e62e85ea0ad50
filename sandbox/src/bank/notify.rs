//! Text messages to a customer's registered phone: the sandbox's SMS gateway is a table the
//! developer API reads (`GET /dev/sms/{phone}`), oldest first. Besides binding codes the bank
//! texts every movement on an account it books for someone else (a credit from outside, a
//! back-office move), as Chinese banks do (动账通知): money never moves unseen.

use mobank_protocol::messages::Transaction;
use rusqlite::Transaction as DbTransaction;
use time::{OffsetDateTime, UtcOffset};

use crate::db::sms;
use crate::ledger::money::{grouped, Currency};
use crate::mask;

/// Notices are timed in Beijing time, as the bank's statements are.
const LOCAL_OFFSET_SECS: i32 = 8 * 3600;

/// Queues `body` for `phone`.
pub(crate) fn send_sms(
    tx: &DbTransaction<'_>,
    phone: &str,
    body: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    sms::insert(tx, phone, body, now_ms)
}

/// Texts the owner of `account_number` about one booking on it.
pub(crate) fn movement(
    tx: &DbTransaction<'_>,
    phone: &str,
    account_number: &str,
    booking: &Transaction,
    currency: Currency,
    amount_minor: i64,
) -> rusqlite::Result<()> {
    send_sms(
        tx,
        phone,
        &movement_text(account_number, booking, currency, amount_minor),
        booking.booked_at_ms,
    )
}

fn chinese_name(currency: Currency) -> &'static str {
    match currency.code() {
        "CNY" => "人民币",
        "USD" => "美元",
        "EUR" => "欧元",
        "HKD" => "港币",
        "JPY" => "日元",
        _ => "",
    }
}

/// `【Mobank】您尾号7890的账户05月03日14:20收入人民币1,200.00元，对方：张三。…` and the same in
/// English. The amount is grouped by thousands, so the only six-digit run an SMS from this
/// bank can carry is a binding code.
fn movement_text(
    account_number: &str,
    booking: &Transaction,
    currency: Currency,
    amount_minor: i64,
) -> String {
    let local = OffsetDateTime::from_unix_timestamp(booking.booked_at_ms.div_euclid(1000))
        .ok()
        .zip(UtcOffset::from_whole_seconds(LOCAL_OFFSET_SECS).ok())
        .map(|(utc, offset)| utc.to_offset(offset));
    let (month, day, hour, minute) = local.map_or((0, 0, 0, 0), |at| {
        (u8::from(at.month()), at.day(), at.hour(), at.minute())
    });
    let amount = grouped(amount_minor.abs(), currency);
    let tail = mask::last_four(account_number);
    let party = &booking.counterparty;
    let code = currency.code();
    let (verb, sign, preposition) = if amount_minor >= 0 {
        ("收入", '+', "from")
    } else {
        ("支出", '-', "to")
    };
    format!(
        "【Mobank】您尾号{tail}的账户{month:02}月{day:02}日{hour:02}:{minute:02}{verb}{}{amount}元，\
         对方：{party}。Account ****{tail}: {sign}{code} {amount} {preposition} {party}, \
         {month:02}-{day:02} {hour:02}:{minute:02}.",
        chinese_name(currency),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(amount: &str, currency: &str) -> Transaction {
        Transaction {
            transaction_id: "txn_1".to_owned(),
            account_id: "acct_1".to_owned(),
            // 2024-05-03 06:20 UTC is 14:20 in Beijing.
            booked_at_ms: 1_714_717_200_000,
            amount: amount.parse().unwrap(),
            currency: currency.to_owned(),
            counterparty: "张三 Zhang San".to_owned(),
            counterparty_account: None,
            memo: String::new(),
            category: "transfer".to_owned(),
        }
    }

    #[test]
    fn a_credit_notice_shows_the_tail_the_grouped_amount_and_the_payer() {
        let text = movement_text(
            "6222021234567890",
            &booking("123456.78", "CNY"),
            Currency::CNY,
            12_345_678,
        );
        assert_eq!(
            text,
            "【Mobank】您尾号7890的账户05月03日14:20收入人民币123,456.78元，对方：张三 Zhang San。\
             Account ****7890: +CNY 123,456.78 from 张三 Zhang San, 05-03 14:20."
        );
        assert!(!text.contains("6222021234567890"));
    }

    #[test]
    fn a_debit_notice_in_yen_has_no_decimals() {
        let text = movement_text(
            "6222028888008109",
            &booking("-1500", "JPY"),
            Currency::JPY,
            -1_500,
        );
        assert!(text.contains("支出日元1,500元"), "{text}");
        assert!(text.contains("-JPY 1,500 to"), "{text}");
    }
}
