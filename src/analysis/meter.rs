//! How far the longest computations have got, for a progress bar: the batches of answers
//! that every-pair streaming computes (minutes on a network of thousands of subnets) are
//! counted here as they are done, and the CLI's progress line reads the count.
//!
//! Only a display reads it: nothing that decides an output does, so runs on other threads
//! (tests running side by side) can disturb the figures shown, never an answer.

use std::sync::atomic::{AtomicU64, Ordering};

/// Work done out of a total, both in batches of answers.
#[derive(Debug, Default)]
pub struct Meter {
    done: AtomicU64,
    total: AtomicU64,
}

/// The meter every-pair streaming advances (`analysis::streamed`, the JSON report).
pub static METER: Meter = Meter::new();

impl Meter {
    pub const fn new() -> Meter {
        Meter {
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
        }
    }

    /// A new computation of `total` batches starts: nothing of it is done yet.
    pub fn begin(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total as u64, Ordering::Relaxed);
    }

    /// One more batch is done.
    pub fn advance(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// The computation is over (or was not worth showing): nothing to show.
    pub fn end(&self) {
        self.total.store(0, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    /// `(done, total)` while a computation of more than one batch runs, else `None`.
    pub fn read(&self) -> Option<(u64, u64)> {
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        (total > 1).then_some((done.min(total), total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_batches_between_begin_and_end() {
        let m = Meter::new();
        assert_eq!(m.read(), None);
        m.begin(3);
        assert_eq!(m.read(), Some((0, 3)));
        m.advance();
        m.advance();
        assert_eq!(m.read(), Some((2, 3)));
        // More batches than announced never shows more than the total.
        m.advance();
        m.advance();
        assert_eq!(m.read(), Some((3, 3)));
        m.end();
        assert_eq!(m.read(), None);
        // A single batch is over too soon to show.
        m.begin(1);
        assert_eq!(m.read(), None);
    }
}
