//! What each phone does until the run's deadline, over and over: open the app (biometric
//! login), sync the history, then make up to three transfers, one in three to an account at
//! another bank and the rest to other phones' customers, each drafted, confirmed and signed
//! with the biometric key. Phones run all at once with no pause between steps, so the number
//! of phones is the number of requests the bank can have in flight.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mobank_core::{Channel, MobankError, TransferInput, TransferState};
use mobank_sandbox::OTHER_BANK_ACCOUNTS;
use ring::rand::{SecureRandom, SystemRandom};

use crate::fleet::Phone;
use crate::stats::Samples;

const TRANSFERS_PER_VISIT: u32 = 3;
/// A failed login or sync is retried after this pause rather than at once.
const BACK_OFF: Duration = Duration::from_millis(200);

/// An accepted transfer: whose it was and its idempotency key, to look up its receipt.
pub struct Accepted {
    pub customer_id: String,
    pub transfer_id: String,
    /// CNY fen; to another bank, the fee is on top.
    pub amount_fen: i64,
    pub to_other_bank: bool,
}

/// What one phone saw.
#[derive(Default)]
pub struct Tally {
    pub logins: u64,
    pub syncs: u64,
    pub accepted: Vec<Accepted>,
    pub rejected: u64,
    /// Answers lost or 5xx: reconciled after the run.
    pub outcome_unknown: u64,
    /// Every other failure, by its error's name.
    pub errors: Vec<String>,
    /// Draft to receipt of each transfer that got an answer.
    pub transfer_latency: Samples,
    pub login_latency: Samples,
}

/// Runs phone `me` until `deadline`, paying the customers of `payees` (every phone's, in
/// order; never its own).
pub async fn run(me: usize, phones: Arc<Vec<Phone>>, payees: usize, deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let rng = SystemRandom::new();
    let phone = &phones[me];
    let mut made: u64 = 0;
    while Instant::now() < deadline {
        let started = Instant::now();
        match phone.mobank.auth().login_biometric("Log in").await {
            Ok(_) => {
                tally.login_latency.push(started.elapsed());
                tally.logins += 1;
            }
            Err(error) => {
                note(&mut tally, &error);
                tokio::time::sleep(BACK_OFF).await;
                continue;
            }
        }
        if let Err(error) = phone.mobank.history().sync(None).await {
            note(&mut tally, &error);
            tokio::time::sleep(BACK_OFF).await;
            continue;
        }
        tally.syncs += 1;
        for _ in 0..TRANSFERS_PER_VISIT {
            if Instant::now() >= deadline {
                break;
            }
            made += 1;
            let to_other_bank = made.is_multiple_of(3);
            let (input, amount_fen) = match transfer(&rng, &phones, me, payees, to_other_bank, made)
            {
                Some(drawn) => drawn,
                None => break,
            };
            let started = Instant::now();
            let outcome = pay(phone, input).await;
            match outcome {
                Ok((state, transfer_id)) => {
                    tally.transfer_latency.push(started.elapsed());
                    match state {
                        TransferState::Settled | TransferState::Accepted => {
                            tally.accepted.push(Accepted {
                                customer_id: phone.customer.customer_id.clone(),
                                transfer_id,
                                amount_fen,
                                to_other_bank,
                            });
                        }
                        _ => tally.rejected += 1,
                    }
                }
                Err(error) => note(&mut tally, &error),
            }
        }
    }
    tally
}

fn note(tally: &mut Tally, error: &MobankError) {
    if *error == MobankError::OutcomeUnknown {
        tally.outcome_unknown += 1;
    } else {
        // The variant's name only: messages are the bank's text and may vary.
        let name = format!("{error:?}");
        let name = name.split([' ', '{', '(']).next().unwrap_or("").to_owned();
        tally.errors.push(name);
    }
}

/// A random amount of CNY 1.00 to 99.99 to another phone's customer, or to one of the other
/// bank's accounts. `None` when there is nobody else to pay.
fn transfer(
    rng: &SystemRandom,
    phones: &[Phone],
    me: usize,
    payees: usize,
    to_other_bank: bool,
    made: u64,
) -> Option<(TransferInput, i64)> {
    let mut bytes = [0u8; 8];
    rng.fill(&mut bytes).ok()?;
    let draw = u64::from_le_bytes(bytes);
    let amount_fen = 100 + i64::try_from(draw % 9_900).ok()?;
    let (number, code) = if to_other_bank {
        let other = OTHER_BANK_ACCOUNTS[usize::try_from(made).ok()? % OTHER_BANK_ACCOUNTS.len()];
        (other.account_number.to_owned(), other.bank_code)
    } else {
        if payees < 2 {
            return None;
        }
        // Anyone but me: draw among the others and step over my own index.
        let mut payee = usize::try_from((draw >> 32) % (payees as u64 - 1)).ok()?;
        if payee >= me {
            payee += 1;
        }
        (phones[payee].customer.account_number.clone(), "MOBANK")
    };
    let input = TransferInput {
        payer_account_id: phones[me].customer.account_id.clone(),
        payee_account_number: number,
        payee_bank_code: code.to_owned(),
        amount: format!("{}.{:02}", amount_fen / 100, amount_fen % 100),
        memo: "午饭 AA lunch".to_owned(),
        channel: Channel::MobileTransfer,
        payee_name: None,
        execution_date: None,
        payee_id: None,
    };
    Some((input, amount_fen))
}

/// Draft, confirm, sign with the biometric key, submit: the state the bank's receipt gave it.
async fn pay(phone: &Phone, input: TransferInput) -> Result<(TransferState, String), MobankError> {
    let transfers = phone.mobank.transfers();
    let confirmation = transfers.draft(input).await?;
    let sent = transfers
        .sign_and_submit_biometric(&confirmation.token)
        .await?;
    Ok((sent.state, confirmation.transfer_id))
}
