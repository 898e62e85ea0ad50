//! Money as people type and read it: the typed-amount parser, zh-CN and English display, and
//! Chinese capital numerals for the confirmation.
//!
//! Amounts themselves ([`Amount`], [`Currency`]) and their wire form live in the protocol.
//! The two languages never mix: [`parse_typed_amount`] reads only what a person types and
//! gives an [`Amount`]; only [`Amount::to_wire`] writes what goes to the bank.

mod capitals;
mod display;
mod markers;
mod typed;

pub use capitals::capital_numerals;
pub use display::{format_amount, format_minor_units, Locale};
pub use mobank_protocol::money::{Amount, AmountError, Currency, MAX_INTEGER_DIGITS};
pub use typed::{parse_typed_amount, AmountInputError};
