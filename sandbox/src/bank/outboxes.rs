//! What the SMS gateway and the push service delivered: the developer API's view of the
//! customer's phone.

use mobank_protocol::messages::{NotificationOutbox, SmsMessage, SmsOutbox};

use super::{notices, Bank};
use crate::error::SandboxError;

/// Every SMS sent to `phone`, oldest first.
pub(crate) fn sms(bank: &Bank, phone: &str) -> Result<SmsOutbox, SandboxError> {
    bank.with_db(|conn| {
        let mut statement = conn.prepare_cached(
            "SELECT phone, body, sent_at_ms FROM sms_outbox WHERE phone = ?1 ORDER BY sms_id",
        )?;
        let messages = statement
            .query_map([phone], |row| {
                Ok(SmsMessage {
                    to: row.get(0)?,
                    body: row.get(1)?,
                    sent_at_ms: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SmsOutbox { messages })
    })
}

/// Every device notice sent to the customer's devices, oldest first.
pub(crate) fn notifications(
    bank: &Bank,
    customer_id: &str,
) -> Result<NotificationOutbox, SandboxError> {
    bank.with_db(|conn| {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = ?1)",
            [customer_id],
            |row| row.get(0),
        )?;
        if !known {
            return Err(SandboxError::UnknownCustomer);
        }
        Ok(NotificationOutbox {
            notifications: notices::sent_to_customer(conn, customer_id)?,
        })
    })
}
