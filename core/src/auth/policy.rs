//! Which sensitive operation needs which strong authentication, and how fresh. One table, so
//! what the phone demands can be read in one place; the bank keeps its own table
//! (sandbox/src/policy.rs) and is the one that decides. The phone checks first only to save
//! the customer a refused request: a stale session gets `StepUpRequired` before the network.

use std::time::Duration;

use crate::context::{Requirement, StrongFactor};

/// A sensitive operation. Public so the app can ask [`crate::AuthClient::needs_step_up`]
/// before it shows a screen that will need one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "SensitiveOperation")
)]
pub enum Operation {
    RevokeDevice,
    Unbind,
    ChangePin,
    /// A new biometric key after the enrolment changed. Needs the PIN: whoever changed the
    /// enrolment must not be able to bring their own finger in with it.
    ReenrolBiometric,
    /// Saving a payee (`payees().add`).
    AddPayee,
    RaiseLimit,
    EnableChannel,
}

const ANY_STRONG: &[StrongFactor] = &[StrongFactor::UserVerified, StrongFactor::Knowledge];
const KNOWLEDGE_ONLY: &[StrongFactor] = &[StrongFactor::Knowledge];
/// PSD2 RTS art. 4(3)(d) bounds inactivity at 5 minutes; a strong authentication for a sensitive
/// operation is held to the same bound.
const FRESH: Duration = Duration::from_secs(5 * 60);

pub(crate) fn requirement(operation: Operation) -> Requirement {
    match operation {
        Operation::RevokeDevice
        | Operation::Unbind
        | Operation::ChangePin
        | Operation::AddPayee
        | Operation::RaiseLimit
        | Operation::EnableChannel => Requirement {
            factors: ANY_STRONG,
            max_age: FRESH,
        },
        Operation::ReenrolBiometric => Requirement {
            factors: KNOWLEDGE_ONLY,
            max_age: FRESH,
        },
    }
}

/// Failed biometric checks (counted on the phone, where the OS reports them) after which only
/// the PIN is accepted, until a PIN login succeeds (NIST SP 800-63B: 5 without presentation
/// attack detection).
pub(crate) const BIOMETRIC_ATTEMPTS: u32 = 5;

#[cfg(test)]
mod tests {
    use mobank_protocol::messages::LoginResponse;

    use super::*;
    use crate::context::Session;

    const MIN: u64 = 60_000;

    #[test]
    fn every_operation_needs_a_strong_authentication_of_at_most_five_minutes() {
        for operation in [
            Operation::RevokeDevice,
            Operation::Unbind,
            Operation::ChangePin,
            Operation::ReenrolBiometric,
            Operation::AddPayee,
            Operation::RaiseLimit,
            Operation::EnableChannel,
        ] {
            let requirement = requirement(operation);
            assert!(requirement.max_age <= Duration::from_secs(300));
            assert!(!requirement.factors.is_empty());
        }
        assert_eq!(
            requirement(Operation::ReenrolBiometric).factors,
            [StrongFactor::Knowledge]
        );
    }

    #[test]
    fn step_up_freshness_follows_the_policy() {
        let response = LoginResponse {
            session_token: "token".to_owned(),
            idle_timeout_secs: 300,
            expires_at_ms: 5_000_000 + 12 * 60 * MIN as i64,
            server_time_ms: 5_000_000,
            notices: Vec::new(),
            limits: None,
        };
        let mut session =
            Session::start(response, "dev".to_owned(), StrongFactor::UserVerified, 0).session;
        let fresh =
            |session: &Session, operation, at| session.is_fresh_for(requirement(operation), at);
        assert!(fresh(&session, Operation::RevokeDevice, 5 * MIN - 1));
        assert!(!fresh(&session, Operation::RevokeDevice, 5 * MIN));
        // A biometric login does not count for re-enrolling the biometric key.
        assert!(!fresh(&session, Operation::ReenrolBiometric, 1));
        session.strong_authentication(StrongFactor::Knowledge, 6 * MIN);
        assert!(fresh(&session, Operation::ReenrolBiometric, 6 * MIN + 1));
        assert!(fresh(&session, Operation::ChangePin, 11 * MIN - 1));
        assert!(!fresh(&session, Operation::ChangePin, 11 * MIN));
    }
}
