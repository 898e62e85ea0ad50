//! The payload's checksum: CRC-16/CCITT-FALSE, as EMVCo prescribes for data object 63. Defined
//! in the protocol crate, which the bank that prints codes shares with the phone.

pub use mobank_protocol::qr::crc16_ccitt_false;
