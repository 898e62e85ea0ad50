//! Scan to pay: an EMVCo merchant-presented QR payload (EMV® QR Code Specification for Payment
//! Systems, Merchant-Presented Mode, v1.1), read into a [`MerchantPayment`] that the transfer
//! flow turns into a QR-channel transfer. Pure: no network, no storage, no logging.
//!
//! A payload is a list of data objects, each a two-digit ID, a two-digit length counted in
//! characters, and the value; a template's value is such a list again. What Mobank accepts:
//!
//! - **Size.** At most 512 characters. A payload of more than 2,048 bytes is refused before a
//!   single character is counted, so a huge input costs nothing.
//! - **Integrity.** 00 (payload format indicator, `01`) comes first; 63 comes last and is
//!   `6304` plus four *upper-case* hex digits of CRC-16/CCITT-FALSE over the UTF-8 bytes of
//!   everything before those digits. Lower case is refused: the specification writes the CRC in
//!   upper case, and one spelling per payload leaves nothing to normalise.
//! - **Structure.** Lengths run from 01 to 99. No ID appears twice in the payload or in one
//!   template. Templates (26–51, 62, 64, 80–99, and 50–99 inside 62) are read one level down,
//!   as the specification nests them; the values at the deepest level are kept as text and
//!   never parsed again, so no payload makes the parser go deeper.
//! - **Mandatory.** At least one merchant account (02–51), 52, 53, 58, 59, 60.
//! - **Text.** Every data object the specification types "ans" (printable ASCII) is checked to
//!   be just that, merchant name (59) and city (60) included. A name in another script comes
//!   only from the alternate-language template 64, which may hold any UTF-8, checked by
//!   [`display_text`](mobank_protocol::text::display_text): no control, bidirectional or
//!   invisible character; trimmed; NFC; at most 25 (name) or 15 (city) characters. So the
//!   primary name cannot mix in look-alike letters of other scripts, and a name in another
//!   script always arrives labelled with its language. Values Mobank does not interpret
//!   (network data, reserved IDs 65–79) are kept as read after the same character checks.
//! - **Amount.** By EMVCo's rule, not the wire grammar: 1 to 13 characters, digits with at most
//!   one `.` (`"98"`, `"98."`, `"98.7"`, `"98.73"`), and no more decimals than the currency has.
//!   Leading zeros change no value and are accepted; `".5"` (no digit before the point) and
//!   zero are refused. The currency (53) must be one Mobank holds.
//! - **Static or dynamic.** The specification ties the amount to neither: 54 is absent whenever
//!   the customer is to type the amount. A dynamic code (`12`) without an amount is accepted,
//!   and the app asks for the amount as it does for a static one.
//! - **Tip.** 55 = `01` asks the customer for a tip; `02` needs a fixed fee in 56, `03` a
//!   percentage (0.01–99.99) in 57. A fee without its indicator, or an indicator without its
//!   fee, is refused: either changes what the customer pays.
//!
//! **Whom it pays.** Only an account named by Mobank's merchant account template (identifier
//! `cn.mobank`, account number in 01, bank code in 02; see [`mobank_protocol::qr`]):
//! [`MerchantPayment::mobank_payee`]. A code for another payment system parses but cannot be
//! paid.
//!
//! **What a payload proves.** Nothing about who made it. The CRC catches a misread, not a
//! forgery: whoever edits a payload recomputes the CRC, and the edited payload parses. The
//! name in a QR code is the merchant's claim; the transfer shows and signs the payee name the
//! bank returns for the merchant account, and the confirmation shows it with the amount before
//! anything is signed. That screen, not this parser, is the defence against a swapped sticker.

mod crc;
mod encode;
mod error;
mod mobank_account;
mod model;
mod parse;
mod rejection;
mod tlv;
mod values;

pub use crc::crc16_ccitt_false;
pub use error::{EncodeError, QrError, Tag, Within};
pub use mobank_account::MobankPayee;
pub use model::{
    AdditionalData, AlternateLanguage, CountryCode, CustomerDataRequest, DataObject, Initiation,
    Label, MerchantAccount, MerchantCategoryCode, MerchantPayment, Percentage, Template, Tip,
};
pub use rejection::QrRejection;

/// The longest payload the specification allows, in characters.
pub const MAX_PAYLOAD_CHARS: usize = 512;

impl MerchantPayment {
    /// Reads a scanned payload. Every refusal is a [`QrError`] that names data objects by ID and
    /// never repeats the payload.
    pub fn parse(payload: &str) -> Result<MerchantPayment, QrError> {
        parse::parse(payload)
    }

    /// Writes the payload, CRC included, with the data objects in ID order and amounts in their
    /// shortest form: parsing it gives this payment back.
    pub fn to_payload(&self) -> Result<String, EncodeError> {
        encode::encode(self)
    }
}
