//! The phone of the crash tests, in a process of its own so it can die: opens the app over a
//! data directory and key directory, and runs one flow that writes (a mode argument). With
//! `MOBANK_TEST_KILL_AT` set the core aborts at that step; with `MOBANK_TEST_PAUSE_AT` it prints
//! `paused_at <step>` there and waits for a line on stdin.
//!
//! Arguments: data directory, key directory, bank base URL, SPKI pin, receipt key, mode, the
//! mode's argument. Modes (see [`Flow`]): `transfer PAYER`, `bind CODE`, `login`, `pin`,
//! `history`, `payee`, `limits`, `cancel TRANSFER_ID`. Prints `drafted <transfer id>` for a
//! transfer, `awaiting_otp` when a binding waits for the OTP on stdin, and, if it gets that far,
//! `finished <outcome>`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use mobank_core::{BankEndpoint, Channel, Mobank, SecretString};
use mobank_e2e::crash_phone::{self, AWAITING_OTP, DRAFTED, FINISHED, NEW_PIN};
use mobank_e2e::crash_phone::{LANDLORD_TYPED, RAISED, STARTING_LIMITS};
use mobank_e2e::{pin, TestResult, PIN};

fn main() -> TestResult<()> {
    let mut args = std::env::args().skip(1);
    let mut next = || {
        args.next()
            .ok_or("usage: crash-phone DATA KEYS URL PIN RECEIPT_KEY MODE [ARG]")
    };
    let data_dir = PathBuf::from(next()?);
    let key_dir = PathBuf::from(next()?);
    let endpoint = BankEndpoint {
        base_url: next()?,
        spki_pins: vec![next()?],
        receipt_keys: vec![next()?],
    };
    let mode = next()?;
    let argument = next().unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mobank = crash_phone::open(&data_dir, &key_dir, endpoint, None)?;
        if mode != "bind" {
            mobank.auth().login_pin(pin(PIN)?).await?;
        }
        let outcome = match mode.as_str() {
            "transfer" => transfer(&mobank, &argument).await?,
            "bind" => bind(&mobank, argument).await?,
            "login" => format!("{:?}", mobank.auth().login_pin(pin(PIN)?).await.map(|_| ())),
            "pin" => {
                mobank.pin().begin_change(pin(PIN)?).await?;
                format!("{:?}", mobank.pin().commit_change(pin(NEW_PIN)?).await)
            }
            "history" => format!("{:?}", mobank.history().sync(None).await),
            "payee" => {
                let checked = mobank
                    .payees()
                    .check(LANDLORD_TYPED.to_owned(), "MOBANK".to_owned(), None)
                    .await?;
                let added = mobank
                    .payees()
                    .add(checked.token, "房东".to_owned(), false)
                    .await;
                format!("{:?}", added.map(|payee| payee.payee_id))
            }
            "limits" => {
                let channels = mobank.channels();
                let [per_transaction, daily, monthly] = STARTING_LIMITS.map(str::to_owned);
                channels
                    .set_limits(Channel::MobileTransfer, per_transaction, daily, monthly)
                    .await?;
                let [per_transaction, daily, monthly] = RAISED.map(str::to_owned);
                let raised = channels
                    .set_limits(Channel::MobileTransfer, per_transaction, daily, monthly)
                    .await;
                format!("{:?}", raised.map(|_| ()))
            }
            "cancel" => format!(
                "{:?}",
                mobank
                    .transfers()
                    .cancel(&argument)
                    .await
                    .map(|sent| sent.state)
            ),
            other => return Err(format!("unknown mode {other}").into()),
        };
        say(&format!("{FINISHED} {outcome}"))
    })
}

async fn transfer(mobank: &Mobank, payer: &str) -> TestResult<String> {
    let transfers = mobank.transfers();
    let confirmation = transfers.draft(crash_phone::rent(payer)).await?;
    say(&format!("{DRAFTED} {}", confirmation.transfer_id))?;
    let outcome = transfers
        .sign_and_submit_pin(&confirmation.token, pin(PIN)?)
        .await
        .map(|sent| sent.state);
    Ok(format!("{outcome:?}"))
}

/// Starts the activation with `code`, then completes it with the OTP the test writes on stdin.
async fn bind(mobank: &Mobank, code: String) -> TestResult<String> {
    mobank.activation().start(SecretString::from(code)).await?;
    say(AWAITING_OTP)?;
    let mut otp = String::new();
    std::io::stdin().lock().read_line(&mut otp)?;
    let bound = mobank
        .activation()
        .complete(SecretString::from(otp.trim()), pin(PIN)?)
        .await;
    Ok(format!("{:?}", bound.map(|_| ())))
}

fn say(line: &str) -> TestResult<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    Ok(out.flush()?)
}
