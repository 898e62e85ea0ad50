#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Stores written by earlier schema versions open and upgrade; newer ones are refused cleanly.
mod support;

use std::path::Path;

use mobank_store::{Store, StoreError, StorePart, Table, SCHEMA_VERSION};
use rusqlite::Connection;
use support::{fixture, TestWrapper};

fn copy_fixture(version: u32, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v{version}"));
    for file in ["vault.db", "vault.db.bak", "cache.db"] {
        std::fs::copy(from.join(file), to.join(file)).unwrap();
    }
}

fn user_version(path: &Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn there_is_a_fixture_for_every_schema_version() {
    for version in 1..=SCHEMA_VERSION {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v{version}"));
        assert_eq!(
            user_version(&dir.join("vault.db")),
            version,
            "fixture v{version}"
        );
        assert_eq!(
            user_version(&dir.join("cache.db")),
            version,
            "fixture v{version}"
        );
    }
}

#[test]
fn every_earlier_fixture_opens_and_upgrades_to_the_current_schema() {
    for version in 1..=SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        copy_fixture(version, dir.path());
        let store = Store::open(dir.path(), TestWrapper::fixture()).unwrap();
        assert!(!store.open_info().created);
        fixture::check_v1(&store);
        if version >= 2 {
            fixture::check_v2(&store);
        } else {
            assert_eq!(store.count(Table::Outbox).unwrap(), 0, "v1 had no outbox");
        }
        // The upgraded store takes every kind of write.
        store
            .put(Table::Outbox, "idem-new", b"queued after upgrade")
            .unwrap();
        store.insert_transactions(support::transactions(5)).unwrap();
        store.pause().unwrap();
        assert_eq!(user_version(&dir.path().join("vault.db")), SCHEMA_VERSION);
        assert_eq!(user_version(&dir.path().join("cache.db")), SCHEMA_VERSION);
        // The backup was refreshed at the new version too.
        assert_eq!(
            user_version(&dir.path().join("vault.db.bak")),
            SCHEMA_VERSION
        );
        store.resume().unwrap();
        assert_eq!(
            store.count(Table::Outbox).unwrap(),
            if version >= 2 { 2 } else { 1 }
        );
    }
}

#[test]
fn a_database_newer_than_the_code_is_refused_without_changes() {
    for (file, part) in [
        ("vault.db", StorePart::Vault),
        ("cache.db", StorePart::Cache),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_fixture(SCHEMA_VERSION, dir.path());
        Connection::open(dir.path().join(file))
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Store::open(dir.path(), TestWrapper::fixture())
            .err()
            .unwrap();
        assert_eq!(
            err,
            StoreError::SchemaTooNew {
                part,
                found: 99,
                supported: SCHEMA_VERSION
            }
        );
        assert_eq!(user_version(&dir.path().join(file)), 99);
        // Recovery does not "fix" a newer file by deleting it either.
        if part == StorePart::Vault {
            assert!(matches!(
                Store::recover(dir.path(), TestWrapper::fixture()),
                Err(StoreError::SchemaTooNew { .. })
            ));
            assert_eq!(user_version(&dir.path().join(file)), 99);
        }
    }
}

#[test]
fn a_failing_migration_rolls_back_and_leaves_the_old_version() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(1, dir.path());
    // Something already named like the table migration 2 creates makes that step fail.
    let vault = dir.path().join("vault.db");
    Connection::open(&vault)
        .unwrap()
        .execute_batch("CREATE VIEW kv_outbox AS SELECT 1;")
        .unwrap();

    let err = Store::open(dir.path(), TestWrapper::fixture())
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            StoreError::MigrationFailed {
                part: StorePart::Vault,
                version: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(user_version(&vault), 1);

    Connection::open(&vault)
        .unwrap()
        .execute_batch("DROP VIEW kv_outbox;")
        .unwrap();
    let store = Store::open(dir.path(), TestWrapper::fixture()).unwrap();
    fixture::check_v1(&store);
    assert_eq!(user_version(&vault), SCHEMA_VERSION);
}
