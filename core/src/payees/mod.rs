//! Saved payees (`mobank.payees()`): a name check that shows the holder name the payee's bank
//! registered (and warns when the customer typed another), an add signed by this phone after a
//! fresh strong authentication, a list with masked account numbers, a new nickname, a removal.
//! A transfer drafted with a payee's id finds the account here: the full number never crosses
//! to the app. Decision record 0032.

mod client;
mod model;
mod nickname;
mod number;
mod state;

pub use client::PayeesClient;
pub use model::{Payee, PayeeCheck};
pub(crate) use number::{bank_code, payee_account_number};
pub(crate) use state::PayeesState;
