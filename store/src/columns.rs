//! The history's tables in the cache (`tx` and its account dictionary `tx_account`): where they
//! live, and reading their columns. A value of the wrong type is an integrity failure of the
//! history, reported under one table name whichever of the two it was found in.

use rusqlite::Row;

use crate::crypto::{Lookup, LOOKUP_LEN};
use crate::error::{Result, StoreError, StorePart};

/// The name integrity failures of the history carry, and the associated data's table label.
pub(crate) const TABLE: &str = "transactions";
pub(crate) const PART: StorePart = StorePart::Cache;

pub(crate) fn blob_at<'r>(row: &'r Row<'_>, index: usize) -> Result<&'r [u8]> {
    row.get_ref(index)
        .ok()
        .and_then(|v| v.as_blob().ok())
        .ok_or_else(integrity)
}

pub(crate) fn lookup_at(row: &Row<'_>, index: usize) -> Result<Lookup> {
    <[u8; LOOKUP_LEN]>::try_from(blob_at(row, index)?).map_err(|_| integrity())
}

pub(crate) fn tag_at(row: &Row<'_>, index: usize) -> Result<i64> {
    row.get::<_, i64>(index).map_err(|_| integrity())
}

pub(crate) fn day_at(row: &Row<'_>, index: usize) -> Result<i32> {
    row.get::<_, i32>(index).map_err(|_| integrity())
}

pub(crate) fn integrity() -> StoreError {
    StoreError::Integrity { table: TABLE }
}
