//! The oracle of the `bank_responses` target: every body the phone reads from the bank, read
//! the way the core's client reads it. A success status is parsed as the response type of the
//! call and an error status as the error body; what parses survives a round trip (see
//! [`crate::round_trip`]). The core's own decoder is private to its client, so this follows its
//! rule over the same protocol types (`core/src/net/client.rs`, `decode`).

use mobank_protocol::messages::{
    AccountsResponse, ChallengeResponse, ChannelsResponse, CompleteActivationResponse,
    DevicesResponse, LoginResponse, PayeeCheckResponse, PayeeView, PayeesResponse,
    PinChangeResponse, PinChangeTicket, ReenrolBiometricResponse, RevokeDeviceResponse,
    StartActivationResponse, StepUpResponse, TransactionsPage,
};
use mobank_protocol::transfer::messages::{QuoteResponse, TransferResponse};
use mobank_protocol::ErrorBody;

use crate::message_types::Check;
use crate::round_trip::check;

macro_rules! check {
    ($ty:ident) => {
        (stringify!($ty), check::<$ty> as fn(&[u8]) -> bool)
    };
}

/// Every type the core's client reads from a success response, one per call.
pub const RESPONSES: &[Check] = &[
    check!(StartActivationResponse),
    check!(CompleteActivationResponse),
    check!(ReenrolBiometricResponse),
    check!(ChallengeResponse),
    check!(LoginResponse),
    check!(StepUpResponse),
    check!(PinChangeTicket),
    check!(PinChangeResponse),
    check!(DevicesResponse),
    check!(RevokeDeviceResponse),
    check!(AccountsResponse),
    check!(ChannelsResponse),
    check!(TransactionsPage),
    check!(QuoteResponse),
    check!(TransferResponse),
    check!(PayeeCheckResponse),
    check!(PayeesResponse),
    check!(PayeeView),
];

/// The statuses an input can pick with its first byte: success, and the error statuses the
/// bank answers with.
pub const STATUSES: [u16; 8] = [200, 201, 400, 401, 403, 404, 409, 429];

/// The whole check for one input: the first byte picks the status, the rest is the body.
/// Returns how many readings of the body parsed, for the tests.
pub fn check_body(data: &[u8]) -> usize {
    let Some((&selector, body)) = data.split_first() else {
        return 0;
    };
    let status = STATUSES[usize::from(selector) % STATUSES.len()];
    if (200..300).contains(&status) {
        RESPONSES.iter().filter(|(_, check)| check(body)).count()
    } else {
        usize::from(check::<ErrorBody>(body))
    }
}

/// The selector byte of an input with `status`.
pub fn selector(status: u16) -> u8 {
    let index = STATUSES.iter().position(|s| *s == status);
    index.and_then(|i| u8::try_from(i).ok()).unwrap_or(0)
}
