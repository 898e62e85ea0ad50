//! How an EMVCo merchant-presented QR code names an account at a Mobank bank: the part of the
//! QR contract the bank that prints the code and the phone that scans it must agree on.
//! `docs/protocol.md` section 13 and decision record 0029 describe it for bank teams.
//!
//! The code carries a merchant account information template (an ID from 26 to 51) whose
//! globally unique identifier (sub-object 00) is [`MERCHANT_ACCOUNT_GUID`], with the account
//! number in [`ACCOUNT_NUMBER_ID`] and the code of the bank that keeps it in [`BANK_CODE_ID`].
//! The whole payload ends with the CRC of data object 63, computed by [`crc16_ccitt_false`].

/// Sub-object 00 of the merchant account template: a reversed domain name, as EMVCo suggests
/// for a globally unique identifier. Compared without regard to ASCII case.
pub const MERCHANT_ACCOUNT_GUID: &str = "cn.mobank";

/// Sub-object of the template holding the merchant's account number: 12 to 19 digits with a
/// right Luhn check digit, as a payee account number on the wire.
pub const ACCOUNT_NUMBER_ID: u8 = 1;

/// Sub-object of the template holding the bank code (`MOBANK` for this bank): 2 to 16
/// upper-case ASCII letters and digits, as a payee bank code on the wire.
pub const BANK_CODE_ID: u8 = 2;

/// The payload's checksum (data object 63): CRC-16/CCITT-FALSE (polynomial 0x1021, initial
/// value 0xFFFF, no reflection, no final XOR) over the UTF-8 bytes of everything before the
/// four hex digits, `6304` included. Its check value (of `"123456789"`) is 0x29B1.
pub fn crc16_ccitt_false(data: &[u8]) -> u16 {
    data.iter().fold(0xFFFF, |crc, &byte| {
        (0..8).fold(crc ^ (u16::from(byte) << 8), |crc, _| {
            if crc & 0x8000 == 0 {
                crc << 1
            } else {
                (crc << 1) ^ 0x1021
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_has_its_standard_check_value() {
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
    }

    #[test]
    fn the_checksum_of_nothing_is_the_initial_value() {
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
    }

    #[test]
    fn one_changed_bit_changes_the_checksum() {
        assert_ne!(
            crc16_ccitt_false(b"540523.72"),
            crc16_ccitt_false(b"540523.73")
        );
    }
}
