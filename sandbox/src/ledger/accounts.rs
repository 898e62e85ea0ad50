//! The accounts money can be posted to: every customer account, and the bank's system accounts
//! (one per kind and currency) that stand for everything outside the bank's customers.

use super::money::Currency;

/// Where money comes from or goes to when it is not a customer account of this bank. Their
/// balances may go negative: the outside world's balance is minus everything it ever paid in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SystemAccount {
    /// Every payer outside the bank's books: named outside parties crediting a customer, the
    /// employer paying salary, opening balances brought in, interest.
    OutsideWorld,
    /// Payments to accounts at other banks (and the billers paid through them).
    OtherBank,
    /// Card payments and their refunds.
    CardNetwork,
    /// What the bank earns: transfer fees.
    FeeIncome,
}

impl SystemAccount {
    /// The `kind` column of `ledger_accounts`.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Self::OutsideWorld => "outside_world",
            Self::OtherBank => "other_bank",
            Self::CardNetwork => "card_network",
            Self::FeeIncome => "fee_income",
        }
    }

    /// `sys_outside_world_cny`, `sys_card_network_jpy`, …
    pub(crate) fn id(self, currency: Currency) -> String {
        format!(
            "sys_{}_{}",
            self.kind(),
            currency.code().to_ascii_lowercase()
        )
    }
}

/// The `kind` of a customer account in `ledger_accounts`.
pub(crate) const CUSTOMER_KIND: &str = "customer";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_account_ids_name_kind_and_currency() {
        assert_eq!(
            SystemAccount::OutsideWorld.id(Currency::CNY),
            "sys_outside_world_cny"
        );
        assert_eq!(
            SystemAccount::CardNetwork.id(Currency::JPY),
            "sys_card_network_jpy"
        );
    }
}
