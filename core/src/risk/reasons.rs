//! What each warning says, in Chinese and English, with the figures behind it. No full account
//! number appears: a payee or a sender is named by the name the bank gave and a masked number.

use mobank_protocol::messages::IntegritySignals;
use mobank_protocol::money::Currency;
use mobank_protocol::transfer::account_number::masked;
use mobank_protocol::transfer::CanonicalTransfer;

use super::model::{TransferWarning, WarningCode, WarningFigure};
use super::policy::action;
use super::rules::Credit;
use crate::money::{format_amount, format_minor_units, Locale};

/// A warning before it meets the policy table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub code: WarningCode,
    pub reason_zh: String,
    pub reason_en: String,
    pub figures: Vec<(&'static str, String)>,
}

impl Finding {
    pub(crate) fn into_warning(self) -> TransferWarning {
        TransferWarning {
            code: self.code.code().to_owned(),
            kind: self.code,
            action: action(self.code),
            reason_zh: self.reason_zh,
            reason_en: self.reason_en,
            figures: self
                .figures
                .into_iter()
                .map(|(name, value)| WarningFigure {
                    name: name.to_owned(),
                    value,
                })
                .collect(),
            acknowledged: false,
        }
    }

    pub(super) fn unusual_amount(
        transfer: &CanonicalTransfer,
        usual_minor: i64,
        counted: usize,
        this_payee: bool,
    ) -> Self {
        let currency = transfer.amount.currency();
        let amount_zh = format_amount(&transfer.amount, Locale::ZhCn);
        let amount_en = format_amount(&transfer.amount, Locale::En);
        let usual_zh = format_minor_units(usual_minor, currency, Locale::ZhCn);
        let usual_en = format_minor_units(usual_minor, currency, Locale::En);
        let tenths = transfer.amount.minor_units().saturating_mul(10) / usual_minor.max(1);
        let times = format!("{}.{}", tenths / 10, tenths % 10);
        let (whom_zh, whom_en) = if this_payee {
            ("转给该收款人", "send this payee")
        } else {
            ("每笔转账", "send in one transfer")
        };
        Self {
            code: WarningCode::UnusualAmount,
            reason_zh: format!(
                "金额 {amount_zh} 是您平时{whom_zh}金额（中位数 {usual_zh}）的 {times} 倍，请核对金额。"
            ),
            reason_en: format!(
                "{amount_en} is {times} times what you usually {whom_en} (median {usual_en}). \
                 Check the amount."
            ),
            figures: vec![
                ("amount", amount_zh),
                ("median", usual_zh),
                ("times", times),
                ("transfers_counted", counted.to_string()),
                (
                    "basis",
                    if this_payee { "this_payee" } else { "all_payees" }.to_owned(),
                ),
            ],
        }
    }

    pub(super) fn new_payee(transfer: &CanonicalTransfer) -> Self {
        let payee = format!(
            "{} ({})",
            transfer.payee.name,
            masked(&transfer.payee.account_number)
        );
        Self {
            code: WarningCode::NewPayee,
            reason_zh: format!("您是第一次向 {payee} 转账，请确认收款人信息。"),
            reason_en: format!("This is your first transfer to {payee}. Check who they are."),
            figures: vec![("payee", payee)],
        }
    }

    pub(super) fn new_device(age_ms: i64) -> Self {
        let hours = age_ms / 3_600_000;
        Self {
            code: WarningCode::NewDevice,
            reason_zh: format!(
                "本机 {hours} 小时前刚绑定。新绑定的手机在 24 小时内转账风险更高，请确认是您本人操作。"
            ),
            reason_en: format!(
                "This phone was bound {hours} hours ago. Transfers in a new phone's first 24 \
                 hours are riskier: make sure it is you."
            ),
            figures: vec![("bound_hours_ago", hours.to_string())],
        }
    }

    pub(super) fn repeat_payment(transfer: &CanonicalTransfer, ago_ms: i64) -> Self {
        let minutes = ago_ms / 60_000;
        let amount_zh = format_amount(&transfer.amount, Locale::ZhCn);
        let amount_en = format_amount(&transfer.amount, Locale::En);
        Self {
            code: WarningCode::RepeatPayment,
            reason_zh: format!(
                "{minutes} 分钟前您已向该收款人转账 {amount_zh}。即使上次显示失败，款项也可能已转出，请勿重复付款。"
            ),
            reason_en: format!(
                "You sent {amount_en} to this payee {minutes} minutes ago. Even if it seemed \
                 to fail, it may have gone through: do not pay twice."
            ),
            figures: vec![
                ("amount", amount_zh),
                ("minutes_ago", minutes.to_string()),
            ],
        }
    }

    pub(super) fn refund_scam(credit: &Credit, now_ms: i64) -> Self {
        let hours = credit
            .booked_at_ms
            .map(|at| (now_ms.saturating_sub(at) / 3_600_000).to_string());
        let amount = |locale| {
            credit
                .currency
                .parse::<Currency>()
                .map(|currency| format_minor_units(credit.amount_minor, currency, locale))
                .unwrap_or_else(|_| credit.currency.clone())
        };
        let (amount_zh, amount_en) = (amount(Locale::ZhCn), amount(Locale::En));
        let when_zh = hours
            .as_ref()
            .map_or_else(|| "近 3 天内".to_owned(), |h| format!("{h} 小时前"));
        let when_en = hours.as_ref().map_or_else(
            || "in the last 3 days".to_owned(),
            |h| format!("{h} hours ago"),
        );
        let mut figures = vec![
            ("credit_amount", amount_zh.clone()),
            ("sender", credit.counterparty.clone()),
        ];
        if let Some(hours) = &hours {
            figures.push(("hours_ago", hours.clone()));
        }
        Self {
            code: WarningCode::RefundScam,
            reason_zh: format!(
                "该收款人{when_zh}向您转入 {amount_zh}，您并未向其付过款。若对方以“转错了”“退款”等理由要求您转回，这是常见诈骗：请先联系银行核实，不要直接转账。"
            ),
            reason_en: format!(
                "This payee sent you {amount_en} {when_en}, and you had never paid them. If \
                 you are asked to send money back, this is a common scam: check with the bank \
                 first instead of transferring."
            ),
            figures,
        }
    }

    pub(super) fn payee_name_mismatch(typed: &str, registered: &str) -> Self {
        Self {
            code: WarningCode::PayeeNameMismatch,
            reason_zh: format!(
                "您输入的收款人姓名“{typed}”与银行登记的户名“{registered}”不一致，请确认收款账户。"
            ),
            reason_en: format!(
                "The name you typed, “{typed}”, is not the name the bank has for this account, \
                 “{registered}”. Check the account."
            ),
            figures: vec![
                ("typed_name", typed.to_owned()),
                ("registered_name", registered.to_owned()),
            ],
        }
    }

    pub(super) fn device_rooted(signals: IntegritySignals) -> Self {
        Self {
            code: WarningCode::DeviceRooted,
            reason_zh: "本机已 root 或越狱，或运行在模拟器中，其他应用可能读取或篡改您的操作。"
                .to_owned(),
            reason_en: "This phone is rooted or jailbroken, or is an emulator: other apps may \
                        read or change what you do."
                .to_owned(),
            figures: signal_figures(signals),
        }
    }

    pub(super) fn device_tampered(signals: IntegritySignals) -> Self {
        Self {
            code: WarningCode::DeviceTampered,
            reason_zh: "检测到调试器或挂钩工具正在控制本应用，为保护您的资金，转账已停止。"
                .to_owned(),
            reason_en: "A debugger or a hooking tool is controlling this app: transfers are \
                        stopped to protect your money."
                .to_owned(),
            figures: signal_figures(signals),
        }
    }
}

fn signal_figures(signals: IntegritySignals) -> Vec<(&'static str, String)> {
    [
        ("rooted", signals.rooted),
        ("emulator", signals.emulator),
        ("hooking", signals.hooking),
        ("debugger", signals.debugger),
    ]
    .into_iter()
    .filter(|(_, found)| *found)
    .map(|(name, _)| ("signal", name.to_owned()))
    .collect()
}
