//! The warning codes a transfer may acknowledge. The phone raises them (`docs/policy.md`,
//! warnings section); the bank accepts a transfer only if every acknowledged code is one of
//! these, so a code means the same thing to both sides.

/// Every code a bank following this protocol knows, ascending.
pub const WARNING_CODES: [&str; 8] = [
    "device_rooted",
    "device_tampered",
    "new_device",
    "new_payee",
    "payee_name_mismatch",
    "refund_scam",
    "repeat_payment",
    "unusual_amount",
];

pub fn is_known_warning(code: &str) -> bool {
    WARNING_CODES.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_codes_are_ascending_so_lookups_find_each_of_them() {
        assert!(WARNING_CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(WARNING_CODES.iter().all(|code| is_known_warning(code)));
        assert!(!is_known_warning("transfer_ok"));
        assert!(!is_known_warning(""));
    }
}
