//! The `store_records` oracle: the decoding of a record the phone keeps in its encrypted store,
//! from the sealed bytes of a row to the value the core reads.
//!
//! The first byte of an input picks what the rest is:
//!
//! - [`Mode::Sealed`]: a row (`Row`, see [`write_row`]) and the sealed bytes found in it, opened
//!   under a fixed data key as the store opens that kind of row. Anything that is not a record
//!   sealed for that row is `StoreError::Integrity` naming the row's table; a record that opens
//!   opens to nothing else once any bit of it is flipped.
//! - [`Mode::Plain`]: a row and a plaintext, sealed for the row as they are, so bytes no encoder
//!   writes reach the decoders behind a tag that verifies. A plaintext that decodes is written
//!   again and reads back the same.
//! - [`Mode::Structured`]: a row and a value built from the rest (an entry's value, a
//!   transaction's fields): sealed then opened it is itself, flipped it is an integrity error,
//!   and read from another row it is one too.
//! - [`Mode::Outbox`] and [`Mode::DeviceState`]: a decrypted value read as the core reads an
//!   outbox entry or the device state; what reads is written back and reads back the same.
//!
//! None of them may panic.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use mobank_core::fuzzing::{reread_device_state, reread_outbox_record};
use mobank_store::fuzzing::{encode_transaction, Record, RecordKeys, Row};
use mobank_store::{StoreError, Table, Transaction, Zeroizing};

/// The data key every input is sealed and opened under. Any key does: the oracles are about
/// the format, not about keeping anything secret.
pub const DATA_KEY: [u8; 32] = [0x5a; 32];
/// GCM needs a unique nonce per key only for secrecy, which the fuzz key does not need.
pub const NONCE: [u8; 12] = [7; 12];
/// The name integrity failures of the history (transactions and their accounts) carry.
const HISTORY: &str = "transactions";
/// Bit positions tried per record that opens; the tests try every bit of the seeds.
const FLIPS_PER_RECORD: usize = 8;

/// What an input's first byte selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sealed,
    Plain,
    Structured,
    Outbox,
    DeviceState,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::Sealed,
        Mode::Plain,
        Mode::Structured,
        Mode::Outbox,
        Mode::DeviceState,
    ];

    fn from_byte(byte: u8) -> Mode {
        Mode::ALL[usize::from(byte) % Mode::ALL.len()]
    }

    pub fn byte(self) -> u8 {
        Mode::ALL.iter().position(|m| *m == self).unwrap_or(0) as u8
    }
}

/// Which of the oracle's paths an input reached, for the tests that check the seeds get deep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    /// The input is shorter than its layout.
    Nothing,
    /// A record that did not open (or a value the core refused): a typed error.
    Refused,
    /// A record that opened, with what it opened to (`None` for the core's values).
    Opened(Option<Record>),
}

/// The store's record keys under [`DATA_KEY`].
pub fn keys() -> RecordKeys {
    match RecordKeys::derive(&DATA_KEY) {
        Some(keys) => keys,
        None => unreachable!("a 32-byte data key always derives"),
    }
}

/// The whole check for one input.
pub fn check(data: &[u8]) -> Reached {
    check_with(&keys(), data)
}

/// [`check`] with the keys made once (the target keeps them across inputs).
pub fn check_with(keys: &RecordKeys, data: &[u8]) -> Reached {
    let mut input = Cursor(data);
    let Some(mode) = input.byte().map(Mode::from_byte) else {
        return Reached::Nothing;
    };
    match mode {
        Mode::Outbox => reread(input.0, reread_outbox_record, keys, Table::Outbox),
        Mode::DeviceState => reread(input.0, reread_device_state, keys, Table::DeviceState),
        Mode::Sealed | Mode::Plain | Mode::Structured => {
            let Some(row) = read_row(&mut input) else {
                return Reached::Nothing;
            };
            match mode {
                Mode::Sealed => sealed(keys, row, input.0),
                Mode::Plain => plain(keys, row, input.0),
                _ => structured(keys, row, input),
            }
        }
    }
}

fn sealed(keys: &RecordKeys, row: Row<'_>, blob: &[u8]) -> Reached {
    match keys.open(row, blob) {
        Ok(record) => {
            check_flips(keys, row, blob, flip_positions(blob));
            Reached::Opened(Some(record))
        }
        Err(error) => {
            assert_integrity(&error, row);
            Reached::Refused
        }
    }
}

fn plain(keys: &RecordKeys, row: Row<'_>, plain: &[u8]) -> Reached {
    let sealed = seal(keys.seal_plaintext(NONCE, row, plain));
    match keys.open(row, &sealed) {
        Ok(record) => {
            // What decoded is written as the store writes it, and reads back as itself. An
            // account entry is written under the id it holds: only the store writes these
            // rows (under its own key), so the row's id and the sealed one never differ but here.
            let home = match &record {
                Record::Account(id) => Row::Account { account_id: id },
                _ => row,
            };
            let again = seal(seal_record(keys, home, &record));
            assert_eq!(
                keys.open(home, &again).as_ref(),
                Ok(&record),
                "a decoded record written again reads differently"
            );
            check_flips(keys, row, &sealed, flip_positions(&sealed));
            Reached::Opened(Some(record))
        }
        Err(error) => {
            assert_integrity(&error, row);
            Reached::Refused
        }
    }
}

fn structured(keys: &RecordKeys, row: Row<'_>, mut rest: Cursor<'_>) -> Reached {
    let Some(record) = build_record(row, &mut rest) else {
        return Reached::Nothing;
    };
    let sealed = seal(seal_record(keys, row, &record));
    assert_eq!(
        keys.open(row, &sealed).as_ref(),
        Ok(&record),
        "a record sealed then opened is not itself"
    );
    check_flips(keys, row, &sealed, flip_positions(&sealed));
    let elsewhere = other_row(row);
    if let Err(error) = keys.open(elsewhere, &sealed) {
        assert_integrity(&error, elsewhere);
    } else {
        panic!("a record opened in another row: {elsewhere:?}");
    }
    Reached::Opened(Some(record))
}

/// A value the core reads from the vault: read, written back, read again to the same bytes;
/// and the store keeps the bytes as they are.
fn reread(
    value: &[u8],
    read: fn(&[u8]) -> Option<Zeroizing<Vec<u8>>>,
    keys: &RecordKeys,
    table: Table,
) -> Reached {
    let Some(written) = read(value) else {
        return Reached::Refused;
    };
    let again = read(&written);
    assert_eq!(
        again.as_ref().map(|again| &again[..]),
        Some(&written[..]),
        "a value the core read and wrote back reads differently"
    );
    let row = Row::Entry { table, key: "k" };
    let sealed = seal(keys.seal_entry(NONCE, table, "k", &written));
    match keys.open(row, &sealed) {
        Ok(Record::Entry(entry)) => assert_eq!(&entry.value[..], &written[..]),
        other => panic!("a sealed value did not open as itself: {other:?}"),
    }
    Reached::Opened(None)
}

/// Flips each bit in `positions` of `sealed` and asserts every result fails its integrity
/// check: a changed record is never read as another record.
pub fn check_flips(keys: &RecordKeys, row: Row<'_>, sealed: &[u8], positions: Vec<usize>) {
    let mut changed = sealed.to_vec();
    for bit in positions {
        let (index, mask) = (bit / 8, 1u8 << (bit % 8));
        changed[index] ^= mask;
        match keys.open(row, &changed) {
            Err(error) => assert_integrity(&error, row),
            Ok(record) => panic!("bit {bit} flipped, the record opened as {record:?}"),
        }
        changed[index] ^= mask;
    }
}

/// [`FLIPS_PER_RECORD`] bit positions spread over the record, shifted by its length so that
/// different inputs try different bits.
fn flip_positions(sealed: &[u8]) -> Vec<usize> {
    let bits = sealed.len() * 8;
    if bits == 0 {
        return Vec::new();
    }
    (0..FLIPS_PER_RECORD)
        .map(|i| (i * bits / FLIPS_PER_RECORD + sealed.len()) % bits)
        .collect()
}

fn assert_integrity(error: &StoreError, row: Row<'_>) {
    let expected = match row {
        Row::Entry { table, .. } => table.name(),
        Row::Transaction { .. } | Row::Account { .. } => HISTORY,
    };
    assert!(
        matches!(error, StoreError::Integrity { table } if *table == expected),
        "a record that does not open is {error:?}, not an integrity failure of {expected}"
    );
}

/// A record as the store writes it into `row`.
pub fn seal_record(
    keys: &RecordKeys,
    row: Row<'_>,
    record: &Record,
) -> Result<Vec<u8>, StoreError> {
    match (row, record) {
        (Row::Entry { table, key }, Record::Entry(entry)) => {
            keys.seal_entry(NONCE, table, key, &entry.value)
        }
        (Row::Transaction { slot, .. }, Record::Transaction(tx)) => {
            keys.seal_transaction(NONCE, slot, tx)
        }
        (Row::Account { account_id }, Record::Account(_)) => keys.seal_account(NONCE, account_id),
        _ => panic!("a {row:?} opened as {record:?}"),
    }
}

/// Sealing never fails for the sizes an input can have.
fn seal(sealed: Result<Vec<u8>, StoreError>) -> Vec<u8> {
    match sealed {
        Ok(sealed) => sealed,
        Err(error) => panic!("sealing failed: {error:?}"),
    }
}

/// The value of `row` built from the rest of the input.
fn build_record(row: Row<'_>, rest: &mut Cursor<'_>) -> Option<Record> {
    Some(match row {
        Row::Entry { key, .. } => Record::Entry(mobank_store::Entry {
            key: key.to_owned(),
            value: rest.0.to_vec().into(),
        }),
        Row::Account { account_id } => Record::Account(account_id.to_owned()),
        Row::Transaction {
            account_id,
            booking_day,
            ..
        } => Record::Transaction(Transaction {
            id: rest.str()?.to_owned(),
            account_id: account_id.to_owned(),
            booking_day,
            amount_minor: rest.i64()?,
            currency: rest.str()?.to_owned(),
            counterparty: rest.str()?.to_owned(),
            memo: rest.str()?.to_owned(),
            category: rest.str()?.to_owned(),
            // The record keeps "unknown" as i64::MIN and as an empty account number: those two
            // values stand for `None` and are never a bank's.
            booked_at_ms: rest.optional_i64()?.filter(|at| *at != i64::MIN),
            counterparty_account: rest
                .optional_str()?
                .filter(|account| !account.is_empty())
                .map(str::to_owned),
        }),
    })
}

/// A row next to `row`: another key, slot or day, or another table.
fn other_row(row: Row<'_>) -> Row<'_> {
    match row {
        Row::Entry { table, key } => {
            let index = Table::ALL.iter().position(|t| *t == table).unwrap_or(0);
            Row::Entry {
                table: Table::ALL[(index + 1) % Table::ALL.len()],
                key,
            }
        }
        Row::Transaction {
            slot,
            account_id,
            booking_day,
        } => Row::Transaction {
            slot,
            account_id,
            booking_day: booking_day.wrapping_add(1),
        },
        Row::Account { account_id } => Row::Entry {
            table: Table::Accounts,
            key: account_id,
        },
    }
}

/// Reads the row an input names: a selector byte (the six key-value tables, a history row, an
/// account of the history's dictionary), then the row's clear columns.
fn read_row<'a>(input: &mut Cursor<'a>) -> Option<Row<'a>> {
    let selector = usize::from(input.byte()?) % (Table::ALL.len() + 2);
    Some(match selector {
        s if s < Table::ALL.len() => Row::Entry {
            table: Table::ALL[s],
            key: input.str()?,
        },
        s if s == Table::ALL.len() => Row::Transaction {
            slot: input.i64()?,
            booking_day: input.i32()?,
            account_id: input.str()?,
        },
        _ => Row::Account {
            account_id: input.str()?,
        },
    })
}

/// Writes `row` as [`read_row`] reads it. `None` if a column is longer than the layout allows.
pub fn write_row(row: Row<'_>, out: &mut Vec<u8>) -> Option<()> {
    match row {
        Row::Entry { table, key } => {
            out.push(Table::ALL.iter().position(|t| *t == table)? as u8);
            put_str(out, key)
        }
        Row::Transaction {
            slot,
            account_id,
            booking_day,
        } => {
            out.push(Table::ALL.len() as u8);
            out.extend_from_slice(&slot.to_be_bytes());
            out.extend_from_slice(&booking_day.to_be_bytes());
            put_str(out, account_id)
        }
        Row::Account { account_id } => {
            out.push(Table::ALL.len() as u8 + 1);
            put_str(out, account_id)
        }
    }
}

/// An input of `mode` for `row` followed by `rest`.
pub fn input(mode: Mode, row: Row<'_>, rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![mode.byte()];
    write_row(row, &mut out)?;
    out.extend_from_slice(rest);
    Some(out)
}

/// The [`Mode::Structured`] input for the history row of `tx` in `slot`.
pub fn structured_transaction(tx: &Transaction, slot: i64) -> Option<Vec<u8>> {
    let row = Row::Transaction {
        slot,
        account_id: &tx.account_id,
        booking_day: tx.booking_day,
    };
    let mut fields = Vec::new();
    put_str(&mut fields, &tx.id)?;
    fields.extend_from_slice(&tx.amount_minor.to_be_bytes());
    for text in [&tx.currency, &tx.counterparty, &tx.memo, &tx.category] {
        put_str(&mut fields, text)?;
    }
    match tx.booked_at_ms {
        Some(at) => {
            fields.push(1);
            fields.extend_from_slice(&at.to_be_bytes());
        }
        None => fields.push(0),
    }
    match &tx.counterparty_account {
        Some(account) => {
            fields.push(1);
            put_str(&mut fields, account)?;
        }
        None => fields.push(0),
    }
    input(Mode::Structured, row, &fields)
}

fn put_str(out: &mut Vec<u8>, text: &str) -> Option<()> {
    out.push(u8::try_from(text.len()).ok()?);
    out.extend_from_slice(text.as_bytes());
    Some(())
}

/// The plaintext of a key-value record: the key (LEB128 length, bytes), then the value.
pub fn entry_plaintext(key: &str, value: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    let mut len = key.len() as u64;
    while len >= 0x80 {
        plain.push((len as u8) | 0x80);
        len >>= 7;
    }
    plain.push(len as u8);
    plain.extend_from_slice(key.as_bytes());
    plain.extend_from_slice(value);
    plain
}

/// Reads an input front to back; every read is `None` past the end.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if len > self.0.len() {
            return None;
        }
        let (head, tail) = self.0.split_at(len);
        self.0 = tail;
        Some(head)
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::from(self.byte()?);
        std::str::from_utf8(self.take(len)?).ok()
    }

    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }

    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    fn optional_i64(&mut self) -> Option<Option<i64>> {
        match self.byte()? & 1 {
            0 => Some(None),
            _ => self.i64().map(Some),
        }
    }

    fn optional_str(&mut self) -> Option<Option<&'a str>> {
        match self.byte()? & 1 {
            0 => Some(None),
            _ => self.str().map(Some),
        }
    }
}

/// The committed records: values a phone wrote to its vault against the sandbox (two outbox
/// entries, a settled transfer and a scheduled one, and the device state).
pub fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/store_records")
}

/// The committed records by file name.
pub fn committed() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut records = Vec::new();
    for entry in fs::read_dir(seed_dir())? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        records.push((name, fs::read(entry.path())?));
    }
    records.sort();
    Ok(records)
}

/// History rows like the ones a sync writes: a card payment, a credit with the sender's
/// account, a record of the format before the booking instant was kept.
pub fn transactions() -> Vec<Transaction> {
    let tx = |id: &str, amount_minor, counterparty: &str, memo: &str, category: &str| Transaction {
        id: id.to_owned(),
        account_id: "acct_current_01".to_owned(),
        booking_day: 20_425,
        amount_minor,
        currency: "CNY".to_owned(),
        counterparty: counterparty.to_owned(),
        memo: memo.to_owned(),
        category: category.to_owned(),
        booked_at_ms: Some(1_764_720_000_000),
        counterparty_account: None,
    };
    let payment = tx("txn_0001", -3_850, "瑞幸咖啡 Luckin", "生椰拿铁", "dining");
    let credit = Transaction {
        counterparty_account: Some("6222021234567899".to_owned()),
        ..tx("txn_0002", 1_200_000, "李明", "十二月工资", "salary")
    };
    let old_format = Transaction {
        booked_at_ms: None,
        ..tx(
            "txn_0003",
            -12_000,
            "国家电网",
            "生活缴费 electricity",
            "utilities",
        )
    };
    vec![payment, credit, old_format]
}

/// Every seed input, by name: each committed record and each history row in every mode that
/// takes it, sealed ones sealed under [`DATA_KEY`].
pub fn seeds() -> io::Result<Vec<(String, Vec<u8>)>> {
    let keys = keys();
    let mut seeds = Vec::new();
    let mut add = |name: String, bytes: Option<Vec<u8>>| {
        if let Some(bytes) = bytes {
            seeds.push((name, bytes));
        }
    };
    for (name, value) in committed()? {
        let (mode, table, key) = if name.starts_with("outbox-") {
            (Mode::Outbox, Table::Outbox, outbox_key(&value))
        } else {
            (Mode::DeviceState, Table::DeviceState, "binding".to_owned())
        };
        let stem = name.trim_end_matches(".json");
        let mut core = vec![mode.byte()];
        core.extend_from_slice(&value);
        add(format!("{stem}-value"), Some(core));
        let row = Row::Entry { table, key: &key };
        let sealed = keys
            .seal_entry(NONCE, table, &key, &value)
            .map_err(io::Error::other)?;
        add(format!("{stem}-sealed"), input(Mode::Sealed, row, &sealed));
        let plain = entry_plaintext(&key, &value);
        add(format!("{stem}-plain"), input(Mode::Plain, row, &plain));
    }
    for (index, tx) in transactions().iter().enumerate() {
        let slot = 0x1234_5678_9abc_def0_i64.wrapping_add(index as i64);
        let row = Row::Transaction {
            slot,
            account_id: &tx.account_id,
            booking_day: tx.booking_day,
        };
        let sealed = keys
            .seal_transaction(NONCE, slot, tx)
            .map_err(io::Error::other)?;
        add(
            format!("{}-sealed", tx.id),
            input(Mode::Sealed, row, &sealed),
        );
        add(
            format!("{}-plain", tx.id),
            input(Mode::Plain, row, &encode_transaction(tx)),
        );
        add(
            format!("{}-structured", tx.id),
            structured_transaction(tx, slot),
        );
    }
    let account = "acct_current_01";
    let row = Row::Account {
        account_id: account,
    };
    let sealed = keys
        .seal_account(NONCE, account)
        .map_err(io::Error::other)?;
    add(
        "account-sealed".to_owned(),
        input(Mode::Sealed, row, &sealed),
    );
    add(
        "account-plain".to_owned(),
        input(Mode::Plain, row, account.as_bytes()),
    );
    Ok(seeds)
}

/// The outbox key of a committed outbox value: its idempotency key, as the core keys it.
fn outbox_key(value: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(value)
        .ok()
        .and_then(|v| {
            v.pointer("/request/transfer/idempotency_key")?
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_default()
}
