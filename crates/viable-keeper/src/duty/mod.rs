//! One duty per module: a pure state machine over [`Observed`] inputs.
//!
//! Each duty keeps the items of its module that may need an action, indexed by due
//! time in a [`Ledger`](crate::ledger) so that [`Duty::due`] touches only the due
//! entries. Nothing here performs I/O: the run loop feeds inputs, asks what is due,
//! and reports each action's [`Outcome`] back.

mod constitution;
mod deadlines;
mod locks;
mod strategy;
mod treasury;
mod work;

pub use constitution::ConstitutionDuty;
pub use locks::LocksDuty;
pub use strategy::StrategyDuty;
pub use treasury::TreasuryDuty;
pub use work::WorkDuty;

use alloy_primitives::{B256, U256};

use crate::{
    action::{Action, Module},
    executor::Outcome,
    ledger::{Disposition, RetryPolicy},
    observed::{Observed, Timestamp},
    shard::Sharding,
};

/// Settings every duty shares.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DutyConfig {
    /// Which items this keeper schedules.
    pub sharding: Sharding,
    /// Retry, settle and backoff rules.
    pub retry: RetryPolicy,
    /// How many finished items each duty remembers, so a replayed creation event of a
    /// finished item is ignored.
    pub memory: usize,
}

impl DutyConfig {
    /// Default memory of finished items per duty.
    pub const DEFAULT_MEMORY: usize = 100_000;
}

/// An action a duty decided not to take without asking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The module.
    pub module: Module,
    /// The action that would have been taken.
    pub action: &'static str,
    /// Why (a metrics label).
    pub reason: &'static str,
    /// The item.
    pub id: U256,
}

/// A module's duty.
pub trait Duty {
    /// What it learns from.
    type Input;

    /// The module it serves.
    const MODULE: Module;

    /// Learn one fact. Idempotent: the same input twice changes nothing more than once.
    fn apply(&mut self, input: Self::Input);

    /// Every action due at chain time `now`, each handed out once: it is in flight
    /// until [`Duty::on_outcome`] reports on it.
    fn due(&mut self, now: Timestamp) -> Vec<Action>;

    /// The earliest time something becomes due (`None`: nothing scheduled).
    fn next_wakeup(&self) -> Option<Timestamp>;

    /// Report the outcome of an action this duty handed out.
    fn on_outcome(&mut self, action: &Action, outcome: &Outcome, now: Timestamp) -> Disposition;

    /// Items tracked.
    fn pending(&self) -> usize;

    /// Inputs that rebuild the current state when applied to a fresh duty (for the
    /// state file).
    fn snapshot(&self) -> Vec<Self::Input>;

    /// Actions decided against locally since the last call.
    fn take_skipped(&mut self) -> Vec<Skipped> {
        Vec::new()
    }
}

/// The id as the 32 bytes the shard hash takes.
pub(crate) fn id_bytes(id: U256) -> B256 {
    B256::from(id)
}

/// All five duties, routing inputs and outcomes by module.
#[derive(Debug)]
pub struct Duties {
    /// WorkRegistry duty.
    pub work: WorkDuty,
    /// LegitimacyConstitution duty.
    pub constitution: ConstitutionDuty,
    /// CoordinationLocks duty.
    pub locks: LocksDuty,
    /// OptimizationTreasury duty.
    pub treasury: TreasuryDuty,
    /// StrategyProposals duty.
    pub strategy: StrategyDuty,
}

impl Duties {
    /// Fresh duties.
    pub fn new(config: &DutyConfig) -> Self {
        Self {
            work: WorkDuty::new(config.clone()),
            constitution: ConstitutionDuty::new(config.clone()),
            locks: LocksDuty::new(config.clone()),
            treasury: TreasuryDuty::new(config.clone()),
            strategy: StrategyDuty::new(config.clone()),
        }
    }

    /// Route one observation to its module's duty.
    pub fn apply(&mut self, observed: Observed) {
        match observed {
            Observed::Work(o) => self.work.apply(o),
            Observed::Constitution(o) => self.constitution.apply(o),
            Observed::Locks(o) => self.locks.apply(o),
            Observed::Treasury(o) => self.treasury.apply(o),
            Observed::Strategy(o) => self.strategy.apply(o),
        }
    }

    /// Every due action of every module.
    pub fn due(&mut self, now: Timestamp) -> Vec<Action> {
        let mut out = self.work.due(now);
        out.extend(self.constitution.due(now));
        out.extend(self.locks.due(now));
        out.extend(self.treasury.due(now));
        out.extend(self.strategy.due(now));
        out
    }

    /// The earliest due time over all modules.
    pub fn next_wakeup(&self) -> Option<Timestamp> {
        [
            self.work.next_wakeup(),
            self.constitution.next_wakeup(),
            self.locks.next_wakeup(),
            self.treasury.next_wakeup(),
            self.strategy.next_wakeup(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Route an outcome to the duty that handed the action out.
    pub fn on_outcome(
        &mut self,
        action: &Action,
        outcome: &Outcome,
        now: Timestamp,
    ) -> Disposition {
        match action.module() {
            Module::Work => self.work.on_outcome(action, outcome, now),
            Module::Constitution => self.constitution.on_outcome(action, outcome, now),
            Module::Locks => self.locks.on_outcome(action, outcome, now),
            Module::Treasury => self.treasury.on_outcome(action, outcome, now),
            Module::Strategy => self.strategy.on_outcome(action, outcome, now),
        }
    }

    /// Items tracked per module.
    pub fn pending(&self) -> [(Module, usize); 5] {
        [
            (Module::Work, self.work.pending()),
            (Module::Locks, self.locks.pending()),
            (Module::Treasury, self.treasury.pending()),
            (Module::Strategy, self.strategy.pending()),
            (Module::Constitution, self.constitution.pending()),
        ]
    }

    /// Local skips of every module since the last call.
    pub fn take_skipped(&mut self) -> Vec<Skipped> {
        let mut out = self.work.take_skipped();
        out.extend(self.constitution.take_skipped());
        out.extend(self.locks.take_skipped());
        out.extend(self.treasury.take_skipped());
        out.extend(self.strategy.take_skipped());
        out
    }

    /// Inputs that rebuild the state of all duties.
    pub fn snapshot(&self) -> Vec<Observed> {
        let mut out: Vec<Observed> = Vec::new();
        out.extend(self.work.snapshot().into_iter().map(Observed::Work));
        out.extend(self.constitution.snapshot().into_iter().map(Observed::Constitution));
        out.extend(self.locks.snapshot().into_iter().map(Observed::Locks));
        out.extend(self.treasury.snapshot().into_iter().map(Observed::Treasury));
        out.extend(self.strategy.snapshot().into_iter().map(Observed::Strategy));
        out
    }

    /// Fresh duties rebuilt from a [`Duties::snapshot`].
    pub fn restore(config: &DutyConfig, snapshot: Vec<Observed>) -> Self {
        let mut duties = Self::new(config);
        for observed in snapshot {
            duties.apply(observed);
        }
        duties
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    //! Helpers shared by the duties' tests.

    use alloy_primitives::TxHash;

    use crate::executor::{ExecError, FailureKind, Outcome};

    pub(crate) fn confirmed() -> Outcome {
        Outcome::Confirmed { tx: TxHash::repeat_byte(1), gas_used: 60_000, fee_wei: 1 }
    }

    pub(crate) fn failed(kind: FailureKind) -> Outcome {
        Outcome::Failed(ExecError::new(kind, "test"))
    }

    pub(crate) fn already_done() -> Outcome {
        failed(FailureKind::AlreadyDone)
    }

    pub(crate) fn not_yet(retry_at: Option<u64>) -> Outcome {
        failed(FailureKind::NotYet { retry_at })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use alloy_primitives::{B256, U256};

    use super::*;
    use crate::{
        observed::{
            AmendmentBody, ConstitutionObserved, LockMode, LocksObserved, StrategyObserved,
            TreasuryObserved, WorkObserved,
        },
        shard::Shard,
    };

    /// One due item of every kind for ids 0..n, all due by t = 1 000.
    fn items(n: u64) -> Vec<Observed> {
        let mut out = vec![Observed::Strategy(StrategyObserved::Rules {
            half_life: 10,
            max_age: 1_000,
            threshold: U256::from(100),
        })];
        for i in 0..n {
            let id = U256::from(i);
            out.push(Observed::Work(WorkObserved::PacketPending { packet_id: id, deadline: 10 }));
            out.push(Observed::Treasury(TreasuryObserved::AllocationPending {
                allocation_id: id,
                executable_at: 20,
            }));
            out.push(Observed::Locks(LocksObserved::LeaseGranted {
                resource: B256::from(id),
                request_id: id,
                mode: LockMode::Exclusive,
                lease_end: 30,
            }));
            out.push(Observed::Strategy(StrategyObserved::ProposalOpened {
                proposal_id: id,
                opened_at: 0,
                conviction: U256::ZERO,
                support: U256::from(1_000),
                updated_at: 0,
                clock_half_life: 0,
                clock_remainder: 0,
            }));
            out.push(Observed::Constitution(ConstitutionObserved::Proposed {
                id,
                proposer: Default::default(),
                body: AmendmentBody {
                    actions: vec![],
                    strategy_proposal_id: U256::ZERO,
                    description: String::new(),
                },
                vote_end: 40,
                grace_period: None,
            }));
        }
        out
    }

    #[test]
    fn shards_split_every_duty_exactly_once() {
        let n = 60;
        let all: Vec<Action> = {
            let mut d = Duties::new(&DutyConfig::default());
            items(n).into_iter().for_each(|o| d.apply(o));
            d.due(1_000)
        };
        // Promote and expire for each proposal, one action for everything else.
        assert_eq!(all.len() as u64, 6 * n);
        for count in [2u32, 3, 5] {
            let mut seen: HashMap<String, u32> = HashMap::new();
            for index in 0..count {
                let config = DutyConfig {
                    sharding: Sharding {
                        shard: Shard::new(index, count).unwrap(),
                        takeover_after: None,
                    },
                    ..DutyConfig::default()
                };
                let mut d = Duties::new(&config);
                items(n).into_iter().for_each(|o| d.apply(o));
                let mine = d.due(1_000);
                assert!(mine.len() < all.len(), "shard {index}/{count} took everything");
                for a in mine {
                    *seen.entry(format!("{a:?}")).or_default() += 1;
                }
            }
            assert_eq!(seen.len(), all.len(), "{count} shards cover every action");
            assert!(seen.values().all(|&k| k == 1), "{count} shards: an action done twice");
        }
    }

    #[test]
    fn takeover_performs_other_shards_duties_late() {
        let config = DutyConfig {
            sharding: Sharding { shard: Shard::new(0, 2).unwrap(), takeover_after: Some(500) },
            ..DutyConfig::default()
        };
        let mut d = Duties::new(&config);
        items(20).into_iter().for_each(|o| d.apply(o));
        let own = d.due(499).len();
        assert!(own > 0 && own < 6 * 20);
        // Every other shard's item comes due 500 s after its own deadline.
        assert_eq!(own + d.due(2_000).len(), 6 * 20);
    }
}
