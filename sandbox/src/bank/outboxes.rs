//! What the SMS gateway and the push service delivered: the developer API's view of the
//! customer's phone.

use mobank_protocol::messages::{NotificationOutbox, SmsOutbox};

use super::{notices, Bank};
use crate::db::{customers, sms};
use crate::error::SandboxError;

/// Every SMS sent to `phone`, oldest first.
pub(crate) fn sms(bank: &Bank, phone: &str) -> Result<SmsOutbox, SandboxError> {
    let messages = bank.with_db(|conn| sms::to_phone(conn, phone))?;
    Ok(SmsOutbox { messages })
}

/// Every device notice sent to the customer's devices, oldest first.
pub(crate) fn notifications(
    bank: &Bank,
    customer_id: &str,
) -> Result<NotificationOutbox, SandboxError> {
    bank.with_db(|conn| {
        if !customers::exists(conn, customer_id)? {
            return Err(SandboxError::UnknownCustomer);
        }
        Ok(NotificationOutbox {
            notifications: notices::sent_to_customer(conn, customer_id)?,
        })
    })
}
