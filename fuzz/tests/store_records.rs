//! The `store_records` target is only worth something if its seeds reach the decoders and its
//! oracle holds on them: every sealed seed opens to the record it was made from, every plain
//! and structured one decodes and survives the round trip, the core reads every committed
//! value, every bit of every sealed seed matters, and no cut or one-byte change of a seed
//! panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_fuzz::store_records::{
    check, check_flips, committed, input, keys, seeds, structured_transaction, transactions, Mode,
    Reached, NONCE,
};
use mobank_store::fuzzing::{Record, RecordKeys, Row};
use mobank_store::{StoreError, Table};

fn seed(name: &str) -> Vec<u8> {
    let found = seeds().unwrap().into_iter().find(|(n, _)| n == name);
    found.unwrap_or_else(|| panic!("no seed {name}")).1
}

#[test]
fn every_seed_opens_or_is_read_by_the_core() {
    let seeds = seeds().unwrap();
    assert!(seeds.len() >= 20, "{} seeds", seeds.len());
    for (name, bytes) in seeds {
        match check(&bytes) {
            Reached::Opened(_) => {}
            other => panic!("{name} reached only {other:?}"),
        }
    }
}

#[test]
fn a_sealed_outbox_seed_opens_to_the_committed_value_under_its_idempotency_key() {
    let committed = committed().unwrap();
    let (_, settled) = committed
        .iter()
        .find(|(name, _)| name == "outbox-settled.json")
        .unwrap();
    let Reached::Opened(Some(Record::Entry(entry))) = check(&seed("outbox-settled-sealed")) else {
        panic!("the sealed outbox seed did not open as an entry");
    };
    assert_eq!(&entry.value[..], &settled[..]);
    assert_eq!(
        entry.key.len(),
        32,
        "an idempotency key in hex: {}",
        entry.key
    );
}

#[test]
fn the_committed_records_are_the_core_s_outbox_entries_and_device_state() {
    let names: Vec<String> = committed().unwrap().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "device-state.json",
            "outbox-scheduled.json",
            "outbox-settled.json"
        ]
    );
    for stem in ["device-state", "outbox-scheduled", "outbox-settled"] {
        assert_eq!(
            check(&seed(&format!("{stem}-value"))),
            Reached::Opened(None),
            "{stem}"
        );
    }
}

#[test]
fn every_history_row_seed_decodes_to_its_transaction() {
    for (index, tx) in transactions().into_iter().enumerate() {
        let slot = 0x1234_5678_9abc_def0_i64 + index as i64;
        let expected = Reached::Opened(Some(Record::Transaction(tx.clone())));
        assert_eq!(check(&seed(&format!("{}-sealed", tx.id))), expected);
        assert_eq!(check(&seed(&format!("{}-plain", tx.id))), expected);
        assert_eq!(check(&structured_transaction(&tx, slot).unwrap()), expected);
    }
    assert!(transactions()
        .iter()
        .any(|tx| tx.counterparty_account.is_some()));
    assert!(transactions().iter().any(|tx| tx.booked_at_ms.is_none()));
}

#[test]
fn every_bit_of_every_sealed_seed_is_checked() {
    let keys = keys();
    let committed = committed().unwrap();
    let (_, device_state) = committed
        .iter()
        .find(|(name, _)| name == "device-state.json")
        .unwrap();
    let row = Row::Entry {
        table: Table::DeviceState,
        key: "binding",
    };
    let sealed = keys
        .seal_entry(NONCE, Table::DeviceState, "binding", device_state)
        .unwrap();
    // Panics on the first flipped bit that still opens.
    check_flips(&keys, row, &sealed, (0..sealed.len() * 8).collect());

    let tx = &transactions()[1];
    let row = Row::Transaction {
        slot: 9,
        account_id: &tx.account_id,
        booking_day: tx.booking_day,
    };
    let sealed = keys.seal_transaction(NONCE, 9, tx).unwrap();
    check_flips(&keys, row, &sealed, (0..sealed.len() * 8).collect());
}

#[test]
fn a_record_read_from_another_row_or_under_another_key_is_an_integrity_error() {
    let keys = keys();
    let sealed = keys.seal_entry(NONCE, Table::Outbox, "a", b"{}").unwrap();
    let moved = Row::Entry {
        table: Table::Outbox,
        key: "b",
    };
    assert_eq!(
        keys.open(moved, &sealed),
        Err(StoreError::Integrity { table: "outbox" })
    );
    let other_key = RecordKeys::derive(&[1; 32]).unwrap();
    let row = Row::Entry {
        table: Table::Outbox,
        key: "a",
    };
    assert_eq!(
        other_key.open(row, &sealed),
        Err(StoreError::Integrity { table: "outbox" })
    );
    // The same through the target's input: refused, not opened.
    assert_eq!(
        check(&input(Mode::Sealed, moved, &sealed).unwrap()),
        Reached::Refused
    );
}

#[test]
fn values_the_core_refuses_are_refused_not_opened() {
    let committed = committed().unwrap();
    let (_, state) = committed
        .iter()
        .find(|(name, _)| name == "device-state.json")
        .unwrap();
    let newer = String::from_utf8(state.clone())
        .unwrap()
        .replace("\"version\":2", "\"version\":3");
    let mut newer_input = vec![Mode::DeviceState.byte()];
    newer_input.extend_from_slice(newer.as_bytes());
    assert_eq!(check(&newer_input), Reached::Refused);

    let (_, outbox) = committed
        .iter()
        .find(|(name, _)| name == "outbox-settled.json")
        .unwrap();
    let mut cut = vec![Mode::Outbox.byte()];
    cut.extend_from_slice(&outbox[..outbox.len() - 1]);
    assert_eq!(check(&cut), Reached::Refused);
}

#[test]
fn no_cut_and_no_one_byte_change_of_a_seed_panics() {
    let keys = keys();
    for (_, seed) in seeds().unwrap() {
        for end in 0..=seed.len() {
            mobank_fuzz::store_records::check_with(&keys, &seed[..end]);
        }
        for index in 0..seed.len() {
            for change in [0x01, 0xff] {
                let mut changed = seed.clone();
                changed[index] ^= change;
                mobank_fuzz::store_records::check_with(&keys, &changed);
            }
        }
    }
}
