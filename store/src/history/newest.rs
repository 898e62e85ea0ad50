//! Keeping only the newest matches of a search.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::Transaction;

/// The `limit` newest of the items offered, by (day, insertion order).
pub(super) struct Newest {
    limit: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

struct Ranked((i32, i64), Transaction);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl Newest {
    pub(super) fn new(limit: usize) -> Newest {
        Newest {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(1024) + 1),
        }
    }

    /// `make` runs only for items that make the cut, so most matches never allocate.
    pub(super) fn offer(&mut self, rank: (i32, i64), make: impl FnOnce() -> Transaction) {
        if self.heap.len() == self.limit {
            match self.heap.peek() {
                Some(Reverse(oldest)) if oldest.0 < rank => {
                    self.heap.pop();
                }
                _ => return,
            }
        }
        self.heap.push(Reverse(Ranked(rank, make())));
    }

    pub(super) fn into_sorted(self) -> Vec<Transaction> {
        // Ascending order of Reverse is newest first.
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(Ranked(_, tx))| tx)
            .collect()
    }
}
