//! WorkRegistry: expire attested packets whose attestation window has passed.

use super::{Duty, DutyConfig, deadlines::Deadlines};
use crate::{
    action::{Action, Module},
    executor::Outcome,
    ledger::Disposition,
    observed::{Timestamp, WorkObserved},
};

/// Expires each Pending packet at `deadline + 1` (the first second `expire` is
/// allowed), unless it is resolved first.
#[derive(Debug)]
pub struct WorkDuty {
    packets: Deadlines,
}

impl WorkDuty {
    /// An empty duty.
    pub fn new(config: DutyConfig) -> Self {
        Self { packets: Deadlines::new(Module::Work, config) }
    }
}

impl Duty for WorkDuty {
    type Input = WorkObserved;
    const MODULE: Module = Module::Work;

    fn apply(&mut self, input: WorkObserved) {
        match input {
            WorkObserved::PacketPending { packet_id, deadline } => {
                self.packets.open(packet_id, deadline.saturating_add(1));
            }
            WorkObserved::PacketResolved { packet_id, .. } => self.packets.close(packet_id),
        }
    }

    fn due(&mut self, now: Timestamp) -> Vec<Action> {
        let due = self.packets.take_due(now);
        due.into_iter().map(|packet_id| Action::ExpirePacket { packet_id }).collect()
    }

    fn next_wakeup(&self) -> Option<Timestamp> {
        self.packets.next_wakeup()
    }

    fn on_outcome(&mut self, action: &Action, outcome: &Outcome, now: Timestamp) -> Disposition {
        match action {
            Action::ExpirePacket { packet_id } => self.packets.on_outcome(packet_id, outcome, now),
            _ => Disposition::Stale,
        }
    }

    fn pending(&self) -> usize {
        self.packets.len()
    }

    fn snapshot(&self) -> Vec<WorkObserved> {
        let items = self.packets.items().into_iter();
        items
            .map(|(packet_id, at)| WorkObserved::PacketPending {
                packet_id,
                deadline: at.saturating_sub(1),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    use super::*;
    use crate::{
        duty::test_util::{already_done, confirmed, failed, not_yet},
        executor::FailureKind,
        observed::PacketResolution,
    };

    fn duty() -> WorkDuty {
        WorkDuty::new(DutyConfig { memory: 1000, ..DutyConfig::default() })
    }

    fn pending(id: u64, deadline: Timestamp) -> WorkObserved {
        WorkObserved::PacketPending { packet_id: U256::from(id), deadline }
    }

    fn resolved(id: u64, resolution: PacketResolution) -> WorkObserved {
        WorkObserved::PacketResolved { packet_id: U256::from(id), resolution }
    }

    fn expire(id: u64) -> Action {
        Action::ExpirePacket { packet_id: U256::from(id) }
    }

    #[test]
    fn due_the_second_after_the_deadline_not_before() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        assert_eq!(d.next_wakeup(), Some(1_001));
        assert!(d.due(1_000).is_empty());
        assert_eq!(d.due(1_001), vec![expire(1)]);
    }

    #[test]
    fn once_even_when_the_event_arrives_twice() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        d.apply(pending(1, 1_000));
        assert_eq!(d.due(2_000), vec![expire(1)]);
        d.apply(pending(1, 1_000)); // while in flight
        assert!(d.due(2_000).is_empty());
        d.on_outcome(&expire(1), &confirmed(), 2_000);
        d.apply(resolved(1, PacketResolution::Expired));
        d.apply(resolved(1, PacketResolution::Expired));
        d.apply(pending(1, 1_000)); // replayed after it finished
        assert!(d.due(u64::MAX).is_empty());
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn resolved_before_the_deadline_is_never_due() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        d.apply(resolved(1, PacketResolution::Accepted));
        assert!(d.due(u64::MAX).is_empty());
        assert_eq!(d.next_wakeup(), None);
    }

    #[test]
    fn reschedules_on_not_yet() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        d.due(1_001);
        let disp = d.on_outcome(&expire(1), &not_yet(Some(1_010)), 1_001);
        assert_eq!(disp, Disposition::Rescheduled { at: 1_010 });
        assert!(d.due(1_009).is_empty());
        assert_eq!(d.due(1_010), vec![expire(1)]);
        // Without a time from the chain: a short delay.
        let disp = d.on_outcome(&expire(1), &not_yet(None), 1_010);
        let Disposition::Rescheduled { at } = disp else { panic!("{disp:?}") };
        assert!(at > 1_010);
        assert!(d.due(at - 1).is_empty());
        assert_eq!(d.due(at), vec![expire(1)]);
    }

    #[test]
    fn drops_on_already_done_and_forgets_after_the_checks() {
        let mut d = duty();
        let settle = d.packets.retry().settle_secs;
        let checks = d.packets.retry().max_settle_checks;
        d.apply(pending(1, 1_000));
        d.due(1_001);
        let disp = d.on_outcome(&expire(1), &already_done(), 1_001);
        assert_eq!(disp, Disposition::Settling { recheck: 1_001 + settle });
        assert!(d.due(1_000 + settle).is_empty(), "dropped: nothing sent meanwhile");
        // Its event normally arrives now and ends it; here it never comes: the item is
        // checked again, then forgotten.
        let mut now = 1_001;
        for _ in 1..checks {
            now += settle;
            assert_eq!(d.due(now), vec![expire(1)]);
            d.on_outcome(&expire(1), &already_done(), now);
        }
        assert_eq!(d.pending(), 0);
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn already_done_then_event_ends_it() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        d.due(1_001);
        d.on_outcome(&expire(1), &already_done(), 1_001);
        d.apply(resolved(1, PacketResolution::Expired));
        assert_eq!(d.pending(), 0);
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn transient_failures_retry_with_backoff_and_permanent_gives_up() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        d.due(1_001);
        let disp = d.on_outcome(&expire(1), &failed(FailureKind::Transient), 1_001);
        let Disposition::Retrying { at, attempt: 1 } = disp else { panic!("{disp:?}") };
        assert!(d.due(at - 1).is_empty());
        assert_eq!(d.due(at), vec![expire(1)]);
        let disp = d.on_outcome(&expire(1), &failed(FailureKind::Permanent), at);
        assert_eq!(disp, Disposition::GaveUp);
        assert_eq!(d.pending(), 0);
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn snapshot_rebuilds_the_schedule() {
        let mut d = duty();
        d.apply(pending(1, 1_000));
        d.apply(pending(2, 500));
        let mut e = duty();
        for i in d.snapshot() {
            e.apply(i);
        }
        assert_eq!(e.next_wakeup(), Some(501));
        assert_eq!(e.due(u64::MAX), vec![expire(2), expire(1)]);
    }
}
