//! OptimizationTreasury: execute allocations once their veto window has passed.
//!
//! Epoch budgets are fixed lazily by the contract at the first action of an epoch, so
//! there is no epoch roll to perform.

use super::{Duty, DutyConfig, deadlines::Deadlines};
use crate::{
    action::{Action, Module},
    executor::Outcome,
    ledger::Disposition,
    observed::{Timestamp, TreasuryObserved},
};

/// Executes each Pending allocation at `executable_at`, unless it is cancelled or
/// vetoed first.
#[derive(Debug)]
pub struct TreasuryDuty {
    allocations: Deadlines,
}

impl TreasuryDuty {
    /// An empty duty.
    pub fn new(config: DutyConfig) -> Self {
        Self { allocations: Deadlines::new(Module::Treasury, config) }
    }
}

impl Duty for TreasuryDuty {
    type Input = TreasuryObserved;
    const MODULE: Module = Module::Treasury;

    fn apply(&mut self, input: TreasuryObserved) {
        match input {
            TreasuryObserved::AllocationPending { allocation_id, executable_at } => {
                self.allocations.open(allocation_id, executable_at);
            }
            TreasuryObserved::AllocationClosed { allocation_id, .. } => {
                self.allocations.close(allocation_id);
            }
        }
    }

    fn due(&mut self, now: Timestamp) -> Vec<Action> {
        let due = self.allocations.take_due(now);
        due.into_iter().map(|allocation_id| Action::ExecuteAllocation { allocation_id }).collect()
    }

    fn next_wakeup(&self) -> Option<Timestamp> {
        self.allocations.next_wakeup()
    }

    fn on_outcome(&mut self, action: &Action, outcome: &Outcome, now: Timestamp) -> Disposition {
        match action {
            Action::ExecuteAllocation { allocation_id } => {
                self.allocations.on_outcome(allocation_id, outcome, now)
            }
            _ => Disposition::Stale,
        }
    }

    fn pending(&self) -> usize {
        self.allocations.len()
    }

    fn snapshot(&self) -> Vec<TreasuryObserved> {
        let items = self.allocations.items().into_iter();
        items
            .map(|(allocation_id, executable_at)| TreasuryObserved::AllocationPending {
                allocation_id,
                executable_at,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    use super::*;
    use crate::{
        duty::test_util::{already_done, confirmed, not_yet},
        observed::AllocationEnd,
    };

    fn duty() -> TreasuryDuty {
        TreasuryDuty::new(DutyConfig { memory: 1000, ..DutyConfig::default() })
    }

    fn pending(id: u64, at: Timestamp) -> TreasuryObserved {
        TreasuryObserved::AllocationPending { allocation_id: U256::from(id), executable_at: at }
    }

    fn closed(id: u64, how: AllocationEnd) -> TreasuryObserved {
        TreasuryObserved::AllocationClosed { allocation_id: U256::from(id), how }
    }

    fn execute(id: u64) -> Action {
        Action::ExecuteAllocation { allocation_id: U256::from(id) }
    }

    #[test]
    fn due_exactly_when_executable_not_before() {
        let mut d = duty();
        d.apply(pending(7, 5_000));
        assert!(d.due(4_999).is_empty());
        assert_eq!(d.due(5_000), vec![execute(7)]);
    }

    #[test]
    fn once_even_when_the_event_arrives_twice() {
        let mut d = duty();
        d.apply(pending(7, 5_000));
        d.apply(pending(7, 5_000));
        assert_eq!(d.due(6_000), vec![execute(7)]);
        assert!(d.due(6_000).is_empty());
        d.on_outcome(&execute(7), &confirmed(), 6_000);
        d.apply(closed(7, AllocationEnd::Executed));
        d.apply(pending(7, 5_000));
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn vetoed_or_cancelled_is_never_executed() {
        let mut d = duty();
        d.apply(pending(1, 5_000));
        d.apply(pending(2, 5_000));
        d.apply(closed(1, AllocationEnd::Vetoed));
        d.apply(closed(2, AllocationEnd::Cancelled));
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn reschedules_on_not_yet_and_drops_on_already_done() {
        let mut d = duty();
        d.apply(pending(1, 5_000));
        d.due(5_000);
        assert_eq!(
            d.on_outcome(&execute(1), &not_yet(Some(5_001)), 5_000),
            Disposition::Rescheduled { at: 5_001 }
        );
        assert!(d.due(5_000).is_empty());
        assert_eq!(d.due(5_001), vec![execute(1)]);
        let disp = d.on_outcome(&execute(1), &already_done(), 5_001);
        assert!(matches!(disp, Disposition::Settling { .. }), "{disp:?}");
        assert!(d.due(5_002).is_empty());
    }
}
