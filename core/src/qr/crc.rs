//! The payload's checksum: CRC-16/CCITT-FALSE (ISO/IEC 13239 polynomial 0x1021, initial value
//! 0xFFFF, no reflection, no final XOR), as EMVCo prescribes for data object 63.

/// The CRC-16/CCITT-FALSE of `data`. Its check value (of `"123456789"`) is 0x29B1.
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
