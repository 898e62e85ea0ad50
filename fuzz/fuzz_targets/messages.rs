//! Every request and response body, the error body and the assertion, each parsed from the same
//! arbitrary bytes: the phone parses what a network hands it and the bank what a phone sends.
//! What parses must survive serialising and parsing again unchanged.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mobank_fuzz::round_trip::check;
use mobank_protocol::messages::{
    Account, AccountsResponse, ChallengeResponse, CompleteActivationRequest,
    CompleteActivationResponse, DeviceDescription, IssueActivationRequest, IssueActivationResponse,
    LoginChallengeRequest, LoginRequest, LoginResponse, SmsMessage, SmsOutbox,
    StartActivationRequest, StartActivationResponse,
};
use mobank_protocol::{ApiError, Assertion, ErrorBody};

fuzz_target!(|data: &[u8]| {
    check::<IssueActivationRequest>(data);
    check::<IssueActivationResponse>(data);
    check::<SmsMessage>(data);
    check::<SmsOutbox>(data);
    check::<StartActivationRequest>(data);
    check::<StartActivationResponse>(data);
    check::<DeviceDescription>(data);
    check::<CompleteActivationRequest>(data);
    check::<CompleteActivationResponse>(data);
    check::<LoginChallengeRequest>(data);
    check::<ChallengeResponse>(data);
    check::<LoginRequest>(data);
    check::<LoginResponse>(data);
    check::<Account>(data);
    check::<AccountsResponse>(data);
    check::<ErrorBody>(data);
    check::<ApiError>(data);
    check::<Assertion>(data);
});
