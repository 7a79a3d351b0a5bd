//! The bookkeeping every duty shares: a deadline index and each item's phase.
//!
//! An item is *waiting* (in the index at its due time), *in flight* (handed to the
//! executor, out of the index, so a second [`Ledger::take_due`] cannot hand it out
//! again), *settling* (our transaction succeeded, or someone else's did, and the
//! outcome event has not arrived yet: re-checked after [`RetryPolicy::settle_secs`]) or
//! *idle* (tracked, nothing scheduled). It leaves only when the duty sees its outcome
//! event ([`Ledger::finish`]), gives up on it, or it no longer applies.
//! [`Ledger::take_due`] touches only the due entries: nothing walks every item.

use std::{
    collections::{BTreeSet, HashMap, HashSet, VecDeque, hash_map::DefaultHasher},
    hash::{Hash, Hasher},
    time::Duration,
};

use backon::{BackoffBuilder, ExponentialBuilder};
use serde::{Deserialize, Serialize};

use crate::{
    executor::{FailureKind, Outcome},
    observed::Timestamp,
};

/// How failed and settled actions are rescheduled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct RetryPolicy {
    /// First delay after a transient failure, seconds.
    pub min_delay_secs: u64,
    /// Longest delay between retries, seconds.
    pub max_delay_secs: u64,
    /// Growth of the delay per attempt.
    pub factor: f32,
    /// Delay after "not yet" when the chain gave no time, seconds (grows on repeats).
    pub not_yet_secs: u64,
    /// After a success (ours or someone else's), wait this long for the outcome event
    /// before checking again, seconds.
    pub settle_secs: u64,
    /// Checks that may find an item already done, its outcome event still unseen,
    /// before the keeper forgets it.
    pub max_settle_checks: u32,
    /// Times waiting for one receipt is retried on a transient error.
    pub receipt_retries: usize,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            min_delay_secs: 2,
            max_delay_secs: 300,
            factor: 2.0,
            not_yet_secs: 4,
            settle_secs: 120,
            max_settle_checks: 3,
            receipt_retries: 5,
        }
    }
}

impl RetryPolicy {
    /// The backoff for transient failures, as a `backon` builder (seconds granularity
    /// for the deadline index; the executor uses it for receipt waits).
    pub fn builder(&self) -> ExponentialBuilder {
        ExponentialBuilder::new()
            .with_min_delay(Duration::from_secs(self.min_delay_secs.max(1)))
            .with_max_delay(Duration::from_secs(self.max_delay_secs.max(self.min_delay_secs)))
            .with_factor(self.factor.max(1.0))
            .without_max_times()
    }

    /// Delay before retry number `attempt` (1-based) of the item seeded by `seed`:
    /// exponential, capped, with a jitter that is fixed per item so many items failing
    /// together do not all come back in the same second.
    pub fn backoff(&self, attempt: u32, seed: u64) -> u64 {
        let n = attempt.saturating_sub(1).min(48) as usize;
        let delay = self.builder().with_jitter_seed(seed).build().nth(n);
        delay.map_or(self.max_delay_secs, |d| d.as_secs().max(1))
    }

    /// Delay after the `n`-th consecutive "not yet" without a time from the chain.
    fn not_yet(&self, n: u32) -> u64 {
        let base = self.not_yet_secs.max(1);
        base.saturating_mul(1u64 << n.saturating_sub(1).min(6)).min(self.max_delay_secs.max(base))
    }
}

/// What became of an item after an outcome: for logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Done (by us or someone else); waiting for the outcome event, re-checked at `recheck`.
    Settling {
        /// When it is checked again if the event has not come.
        recheck: Timestamp,
    },
    /// The chain says not yet; scheduled again at `at`.
    Rescheduled {
        /// New due time.
        at: Timestamp,
    },
    /// A transient failure; retried at `at`.
    Retrying {
        /// New due time.
        at: Timestamp,
        /// Attempts so far.
        attempt: u32,
    },
    /// Failed for good; recorded and dropped.
    GaveUp,
    /// Found already done again and again without its event; forgotten.
    Forgotten,
    /// A read's answer was handed to the duty, which rescheduled the item.
    Answered,
    /// The item was not in flight (finished meanwhile); nothing changed.
    Stale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Waiting,
    InFlight,
    Settling,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Due time (in the index while Waiting or Settling).
    at: Timestamp,
    phase: Phase,
    /// Consecutive transient failures.
    attempts: u32,
    /// Consecutive "not yet" answers.
    not_yet: u32,
    /// Checks that found it already done.
    settle_checks: u32,
}

/// Deadline index and phases of one duty's items, keyed by `K`.
#[derive(Debug)]
pub(crate) struct Ledger<K> {
    index: BTreeSet<(Timestamp, K)>,
    slots: HashMap<K, Slot>,
    finished: Finished<K>,
}

impl<K: Ord + Hash + Clone> Ledger<K> {
    /// A ledger remembering up to `memory` finished keys.
    pub(crate) fn new(memory: usize) -> Self {
        Self { index: BTreeSet::new(), slots: HashMap::new(), finished: Finished::new(memory) }
    }

    /// Whether `key` finished recently (a replayed creation event is then ignored).
    pub(crate) fn is_finished(&self, key: &K) -> bool {
        self.finished.contains(key)
    }

    /// Items tracked (any phase).
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether `key` is handed out and not yet answered.
    pub(crate) fn in_flight(&self, key: &K) -> bool {
        self.slots.get(key).is_some_and(|s| s.phase == Phase::InFlight)
    }

    /// Make `key` due at `at`. A waiting, settling or idle item moves there (counters
    /// reset: the situation changed); an item in flight keeps flying and `at` becomes
    /// the earliest time a "not yet" answer reschedules it to.
    pub(crate) fn schedule(&mut self, key: K, at: Timestamp) {
        match self.slots.get_mut(&key) {
            Some(slot) if slot.phase == Phase::InFlight => slot.at = at,
            Some(slot) => {
                if matches!(slot.phase, Phase::Waiting | Phase::Settling) {
                    self.index.remove(&(slot.at, key.clone()));
                }
                *slot =
                    Slot { at, phase: Phase::Waiting, attempts: 0, not_yet: 0, settle_checks: 0 };
                self.index.insert((at, key));
            }
            None => {
                self.slots.insert(
                    key.clone(),
                    Slot { at, phase: Phase::Waiting, attempts: 0, not_yet: 0, settle_checks: 0 },
                );
                self.index.insert((at, key));
            }
        }
    }

    /// Keep tracking `key` but schedule nothing (unless it is in flight).
    pub(crate) fn idle(&mut self, key: &K) {
        if let Some(slot) = self.slots.get_mut(key) {
            if matches!(slot.phase, Phase::Waiting | Phase::Settling) {
                self.index.remove(&(slot.at, key.clone()));
            }
            if slot.phase != Phase::InFlight {
                slot.phase = Phase::Idle;
            }
        }
    }

    /// Stop tracking `key` without remembering it (it may come back).
    pub(crate) fn remove(&mut self, key: &K) {
        if let Some(slot) = self.slots.remove(key)
            && matches!(slot.phase, Phase::Waiting | Phase::Settling)
        {
            self.index.remove(&(slot.at, key.clone()));
        }
    }

    /// Its outcome was observed: stop tracking `key` and remember it.
    pub(crate) fn finish(&mut self, key: K) {
        self.remove(&key);
        self.finished.insert(key);
    }

    /// Hand out every item due at `now` (waiting or settling), marking it in flight.
    pub(crate) fn take_due(&mut self, now: Timestamp) -> Vec<K> {
        let mut out = Vec::new();
        while let Some((at, _)) = self.index.first() {
            if *at > now {
                break;
            }
            let Some((_, key)) = self.index.pop_first() else { break };
            if let Some(slot) = self.slots.get_mut(&key) {
                slot.phase = Phase::InFlight;
            }
            out.push(key);
        }
        out
    }

    /// Earliest due time.
    pub(crate) fn next_wakeup(&self) -> Option<Timestamp> {
        self.index.first().map(|(at, _)| *at)
    }

    /// The item's read was answered: it is no longer in flight; the duty reschedules it.
    pub(crate) fn land(&mut self, key: &K) {
        if let Some(slot) = self.slots.get_mut(key)
            && slot.phase == Phase::InFlight
        {
            slot.phase = Phase::Idle;
        }
    }

    /// Apply the executor's outcome for `key` at chain time `now`.
    pub(crate) fn on_outcome(
        &mut self,
        key: &K,
        outcome: &Outcome,
        now: Timestamp,
        policy: &RetryPolicy,
    ) -> Disposition {
        let Some(slot) = self.slots.get(key).copied() else { return Disposition::Stale };
        if slot.phase != Phase::InFlight {
            return Disposition::Stale;
        }
        let settle = |checks: u32| Slot {
            at: now.saturating_add(policy.settle_secs.max(1)),
            phase: Phase::Settling,
            attempts: 0,
            not_yet: 0,
            settle_checks: checks,
        };
        let next = match outcome {
            Outcome::Confirmed { .. } => settle(slot.settle_checks),
            Outcome::Observed(_) => {
                self.land(key);
                return Disposition::Answered;
            }
            Outcome::Reverted { .. } => {
                let attempts = slot.attempts + 1;
                let at = now.saturating_add(policy.backoff(attempts, seed(key)));
                Slot { at, phase: Phase::Waiting, attempts, ..slot }
            }
            Outcome::Failed(err) => match &err.kind {
                FailureKind::AlreadyDone => {
                    let checks = slot.settle_checks + 1;
                    if checks >= policy.max_settle_checks.max(1) {
                        self.slots.remove(key);
                        self.finished.insert(key.clone());
                        return Disposition::Forgotten;
                    }
                    settle(checks)
                }
                FailureKind::NotYet { retry_at } => {
                    let n = slot.not_yet + 1;
                    let soonest = now.saturating_add(policy.not_yet(n));
                    let at = match retry_at {
                        Some(t) if *t > now => *t,
                        _ => soonest,
                    }
                    .max(slot.at);
                    Slot { at, phase: Phase::Waiting, attempts: slot.attempts, not_yet: n, ..slot }
                }
                FailureKind::Transient => {
                    let attempts = slot.attempts + 1;
                    let at = now.saturating_add(policy.backoff(attempts, seed(key)));
                    Slot { at, phase: Phase::Waiting, attempts, ..slot }
                }
                FailureKind::Permanent => {
                    self.slots.remove(key);
                    self.finished.insert(key.clone());
                    return Disposition::GaveUp;
                }
            },
        };
        self.slots.insert(key.clone(), next);
        self.index.insert((next.at, key.clone()));
        match (next.phase, outcome) {
            (Phase::Settling, _) => Disposition::Settling { recheck: next.at },
            (_, Outcome::Reverted { .. }) => {
                Disposition::Retrying { at: next.at, attempt: next.attempts }
            }
            (_, Outcome::Failed(e)) if e.kind == FailureKind::Transient => {
                Disposition::Retrying { at: next.at, attempt: next.attempts }
            }
            _ => Disposition::Rescheduled { at: next.at },
        }
    }
}

fn seed<K: Hash>(key: &K) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// A bounded memory of finished keys (oldest forgotten first).
#[derive(Debug)]
struct Finished<K> {
    order: VecDeque<K>,
    set: HashSet<K>,
    cap: usize,
}

impl<K: Hash + Eq + Clone> Finished<K> {
    fn new(cap: usize) -> Self {
        Self { order: VecDeque::new(), set: HashSet::new(), cap }
    }

    fn contains(&self, key: &K) -> bool {
        self.set.contains(key)
    }

    fn insert(&mut self, key: K) {
        if self.cap == 0 || !self.set.insert(key.clone()) {
            return;
        }
        self.order.push_back(key);
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::TxHash;

    use super::*;
    use crate::executor::ExecError;

    fn confirmed() -> Outcome {
        Outcome::Confirmed { tx: TxHash::ZERO, gas_used: 50_000, fee_wei: 0 }
    }

    fn failed(kind: FailureKind) -> Outcome {
        Outcome::Failed(ExecError::new(kind, "test"))
    }

    #[test]
    fn take_due_hands_out_once_and_only_when_due() {
        let mut l = Ledger::new(16);
        l.schedule(1u32, 100);
        l.schedule(2u32, 200);
        assert!(l.take_due(99).is_empty());
        assert_eq!(l.take_due(100), vec![1]);
        assert!(l.take_due(100).is_empty(), "in flight: not handed out twice");
        assert_eq!(l.next_wakeup(), Some(200));
        assert!(l.in_flight(&1));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy { min_delay_secs: 2, max_delay_secs: 60, ..RetryPolicy::default() };
        let first = p.backoff(1, 7);
        let fifth = p.backoff(5, 7);
        assert!((2..=4).contains(&first), "{first}");
        assert!((32..=64).contains(&fifth), "{fifth}");
        assert!(p.backoff(40, 7) <= 120);
        assert_eq!(p.backoff(3, 9), p.backoff(3, 9), "jitter fixed per item");
    }

    #[test]
    fn outcomes_move_the_item() {
        let p = RetryPolicy::default();
        let mut l = Ledger::new(16);
        l.schedule(1u32, 100);
        l.take_due(100);
        let d = l.on_outcome(&1, &failed(FailureKind::Transient), 100, &p);
        assert!(matches!(d, Disposition::Retrying { attempt: 1, .. }), "{d:?}");
        let at = l.next_wakeup().unwrap();
        assert!(at > 100);
        l.take_due(at);
        let d = l.on_outcome(&1, &confirmed(), at, &p);
        assert_eq!(d, Disposition::Settling { recheck: at + p.settle_secs });
        // An outcome for an item no longer in flight changes nothing.
        assert_eq!(l.on_outcome(&1, &confirmed(), at, &p), Disposition::Stale);
        l.finish(1);
        assert!(l.is_finished(&1));
        assert_eq!(l.len(), 0);
        assert_eq!(l.next_wakeup(), None);
    }

    #[test]
    fn permanent_failure_gives_up_and_remembers() {
        let p = RetryPolicy::default();
        let mut l = Ledger::new(16);
        l.schedule(1u32, 100);
        l.take_due(100);
        assert_eq!(l.on_outcome(&1, &failed(FailureKind::Permanent), 100, &p), Disposition::GaveUp);
        assert!(l.is_finished(&1));
        assert_eq!(l.next_wakeup(), None);
    }

    #[test]
    fn finished_memory_is_bounded() {
        let mut f = Finished::new(2);
        f.insert(1u32);
        f.insert(2);
        f.insert(3);
        assert!(!f.contains(&1));
        assert!(f.contains(&2) && f.contains(&3));
    }
}
