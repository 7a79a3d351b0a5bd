//! CoordinationLocks: expire ended leases, and grant a queue's head when nothing else
//! will.
//!
//! Expiring a lease grants the head of its queue (as far as the contract's per-call
//! bound allows), so `grantNext` is needed only when the head is compatible with the
//! leases held and either its `notBefore` passes later, or a bounded grant left part
//! of a run of shared requests waiting. All of a resource's duties belong to one shard.

use std::collections::HashMap;

use alloy_primitives::{B256, U256};

use super::{Duty, DutyConfig};
use crate::{
    action::{Action, Module},
    executor::Outcome,
    ledger::{Disposition, Ledger},
    observed::{LockMode, LocksObserved, QueuedRequest, Timestamp},
};

/// What the ledger tracks for a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key {
    /// Expire the lease held by this request.
    Lease(B256, U256),
    /// Grant the queue's head.
    Grant(B256),
}

#[derive(Debug, Clone, Copy)]
struct Lease {
    mode: LockMode,
    end: Timestamp,
}

#[derive(Debug, Default)]
struct Resource {
    leases: HashMap<U256, Lease>,
    head: Option<QueuedRequest>,
    /// The head a `grantNext` is tracked for (scheduled, in flight or settling).
    grant_for: Option<QueuedRequest>,
}

impl Resource {
    /// Whether the head could be granted now, `notBefore` aside.
    fn head_compatible(&self) -> bool {
        match self.head {
            None => false,
            Some(QueuedRequest { mode: LockMode::Exclusive, .. }) => self.leases.is_empty(),
            Some(QueuedRequest { mode: LockMode::Shared, .. }) => {
                self.leases.values().all(|l| l.mode == LockMode::Shared)
            }
        }
    }
}

/// Expires leases at their end and grants compatible queue heads.
#[derive(Debug)]
pub struct LocksDuty {
    config: DutyConfig,
    resources: HashMap<B256, Resource>,
    ledger: Ledger<Key>,
}

impl LocksDuty {
    /// An empty duty.
    pub fn new(config: DutyConfig) -> Self {
        let ledger = Ledger::new(config.memory);
        Self { config, resources: HashMap::new(), ledger }
    }

    /// Schedule or unschedule `grantNext` for `resource` after a change.
    fn reconsider(&mut self, resource: B256, delay: u64) {
        let Some(r) = self.resources.get_mut(&resource) else { return };
        let key = Key::Grant(resource);
        let wanted = r.head.filter(|_| r.head_compatible());
        if wanted != r.grant_for {
            // Another head, or it became (in)compatible: a new duty, or none.
            match wanted {
                Some(head) => self.ledger.schedule(key, head.not_before.saturating_add(delay)),
                None => self.ledger.remove(&key),
            }
            r.grant_for = wanted;
        }
        if r.leases.is_empty() && r.head.is_none() {
            self.resources.remove(&resource);
        }
    }
}

impl Duty for LocksDuty {
    type Input = LocksObserved;
    const MODULE: Module = Module::Locks;

    fn apply(&mut self, input: LocksObserved) {
        let resource = match &input {
            LocksObserved::LeaseGranted { resource, .. }
            | LocksObserved::LeaseRenewed { resource, .. }
            | LocksObserved::LeaseEnded { resource, .. }
            | LocksObserved::QueueHead { resource, .. } => *resource,
        };
        let Some(delay) = self.config.sharding.delay(Self::MODULE, resource) else { return };
        match input {
            LocksObserved::LeaseGranted { request_id, mode, lease_end, .. } => {
                let key = Key::Lease(resource, request_id);
                if self.ledger.is_finished(&key) {
                    return;
                }
                let r = self.resources.entry(resource).or_default();
                if r.leases.contains_key(&request_id) {
                    return;
                }
                r.leases.insert(request_id, Lease { mode, end: lease_end });
                if r.head.is_some_and(|h| h.request_id == request_id) {
                    r.head = None;
                }
                self.ledger.schedule(key, lease_end.saturating_add(delay));
            }
            LocksObserved::LeaseRenewed { request_id, lease_end, .. } => {
                let Some(lease) =
                    self.resources.get_mut(&resource).and_then(|r| r.leases.get_mut(&request_id))
                else {
                    return;
                };
                if lease.end == lease_end {
                    return;
                }
                lease.end = lease_end;
                self.ledger
                    .schedule(Key::Lease(resource, request_id), lease_end.saturating_add(delay));
            }
            LocksObserved::LeaseEnded { request_id, .. } => {
                let removed = self
                    .resources
                    .get_mut(&resource)
                    .and_then(|r| r.leases.remove(&request_id))
                    .is_some();
                if removed {
                    self.ledger.finish(Key::Lease(resource, request_id));
                }
            }
            LocksObserved::QueueHead { head, .. } => {
                let r = self.resources.entry(resource).or_default();
                if r.head == head {
                    return;
                }
                r.head = head;
            }
        }
        self.reconsider(resource, delay);
    }

    fn due(&mut self, now: Timestamp) -> Vec<Action> {
        let due = self.ledger.take_due(now).into_iter();
        due.map(|key| match key {
            Key::Lease(resource, request_id) => Action::ExpireLease { resource, request_id },
            Key::Grant(resource) => Action::GrantNext { resource },
        })
        .collect()
    }

    fn next_wakeup(&self) -> Option<Timestamp> {
        self.ledger.next_wakeup()
    }

    fn on_outcome(&mut self, action: &Action, outcome: &Outcome, now: Timestamp) -> Disposition {
        let key = match action {
            Action::ExpireLease { resource, request_id } => Key::Lease(*resource, *request_id),
            Action::GrantNext { resource } => Key::Grant(*resource),
            _ => return Disposition::Stale,
        };
        let d = self.ledger.on_outcome(&key, outcome, now, &self.config.retry);
        if matches!(d, Disposition::GaveUp | Disposition::Forgotten) {
            match key {
                Key::Lease(resource, request_id) => {
                    if let Some(r) = self.resources.get_mut(&resource) {
                        r.leases.remove(&request_id);
                    }
                }
                Key::Grant(resource) => {
                    if let Some(r) = self.resources.get_mut(&resource) {
                        r.grant_for = None;
                    }
                }
            }
        }
        d
    }

    fn pending(&self) -> usize {
        self.ledger.len()
    }

    fn snapshot(&self) -> Vec<LocksObserved> {
        let mut resources: Vec<_> = self.resources.keys().copied().collect();
        resources.sort_unstable();
        let mut out = Vec::new();
        for resource in resources {
            let Some(r) = self.resources.get(&resource) else { continue };
            let mut leases: Vec<_> = r.leases.iter().map(|(&id, &l)| (id, l)).collect();
            leases.sort_unstable_by_key(|(id, _)| *id);
            for (request_id, l) in leases {
                out.push(LocksObserved::LeaseGranted {
                    resource,
                    request_id,
                    mode: l.mode,
                    lease_end: l.end,
                });
            }
            if r.head.is_some() {
                out.push(LocksObserved::QueueHead { resource, head: r.head });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        duty::test_util::{already_done, confirmed, not_yet},
        observed::LeaseEnd,
    };

    fn duty() -> LocksDuty {
        LocksDuty::new(DutyConfig { memory: 1000, ..DutyConfig::default() })
    }

    fn res() -> B256 {
        B256::repeat_byte(0x0c)
    }

    fn granted(id: u64, mode: LockMode, end: Timestamp) -> LocksObserved {
        LocksObserved::LeaseGranted {
            resource: res(),
            request_id: U256::from(id),
            mode,
            lease_end: end,
        }
    }

    fn ended(id: u64) -> LocksObserved {
        LocksObserved::LeaseEnded {
            resource: res(),
            request_id: U256::from(id),
            how: LeaseEnd::Expired,
        }
    }

    fn head(id: u64, mode: LockMode, not_before: Timestamp) -> LocksObserved {
        LocksObserved::QueueHead {
            resource: res(),
            head: Some(QueuedRequest { request_id: U256::from(id), mode, not_before }),
        }
    }

    fn expire(id: u64) -> Action {
        Action::ExpireLease { resource: res(), request_id: U256::from(id) }
    }

    fn grant() -> Action {
        Action::GrantNext { resource: res() }
    }

    #[test]
    fn lease_expired_exactly_at_its_end_once() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Exclusive, 500));
        d.apply(granted(1, LockMode::Exclusive, 500));
        assert!(d.due(499).is_empty());
        assert_eq!(d.due(500), vec![expire(1)]);
        assert!(d.due(500).is_empty());
        d.on_outcome(&expire(1), &confirmed(), 500);
        d.apply(ended(1));
        d.apply(granted(1, LockMode::Exclusive, 500)); // replay after the end
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn renewal_moves_the_expiry() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Exclusive, 500));
        d.apply(LocksObserved::LeaseRenewed {
            resource: res(),
            request_id: U256::from(1),
            lease_end: 900,
        });
        assert!(d.due(899).is_empty());
        assert_eq!(d.due(900), vec![expire(1)]);
    }

    #[test]
    fn renewed_while_expiring_is_retried_at_the_new_end() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Exclusive, 500));
        assert_eq!(d.due(500), vec![expire(1)]);
        d.apply(LocksObserved::LeaseRenewed {
            resource: res(),
            request_id: U256::from(1),
            lease_end: 900,
        });
        let disp = d.on_outcome(&expire(1), &not_yet(None), 500);
        assert_eq!(disp, Disposition::Rescheduled { at: 900 });
    }

    #[test]
    fn head_waiting_behind_an_exclusive_lease_is_left_to_expire() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Exclusive, 500));
        d.apply(head(2, LockMode::Shared, 0));
        // Only the expiry: the contract grants the head when it expires the lease.
        assert_eq!(d.due(500), vec![expire(1)]);
        d.on_outcome(&expire(1), &confirmed(), 500);
        // The same transaction's events, in order.
        d.apply(ended(1));
        d.apply(granted(2, LockMode::Shared, 800));
        d.apply(LocksObserved::QueueHead { resource: res(), head: None });
        assert!(d.due(799).is_empty(), "nothing to grant");
        assert_eq!(d.due(800), vec![expire(2)]);
    }

    #[test]
    fn grant_due_when_not_before_passes_on_a_free_resource() {
        let mut d = duty();
        d.apply(head(3, LockMode::Exclusive, 1_000));
        assert!(d.due(999).is_empty());
        assert_eq!(d.due(1_000), vec![grant()]);
        d.on_outcome(&grant(), &confirmed(), 1_000);
        d.apply(granted(3, LockMode::Exclusive, 1_500));
        d.apply(LocksObserved::QueueHead { resource: res(), head: None });
        assert_eq!(d.due(1_499), vec![]);
        assert_eq!(d.next_wakeup(), Some(1_500));
    }

    #[test]
    fn shared_head_granted_next_to_shared_leases() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Shared, 5_000));
        d.apply(head(2, LockMode::Shared, 100));
        assert_eq!(d.due(100), vec![grant()]);
        let mut e = duty();
        e.apply(granted(1, LockMode::Shared, 5_000));
        e.apply(head(2, LockMode::Exclusive, 100));
        assert!(e.due(4_999).is_empty(), "exclusive head waits for the shared lease");
    }

    #[test]
    fn grant_already_done_by_someone_else_is_dropped() {
        let mut d = duty();
        d.apply(head(3, LockMode::Exclusive, 1_000));
        d.due(1_000);
        let disp = d.on_outcome(&grant(), &already_done(), 1_000);
        assert!(matches!(disp, Disposition::Settling { .. }), "{disp:?}");
        assert!(d.due(1_001).is_empty());
        d.apply(granted(3, LockMode::Exclusive, 1_500));
        d.apply(LocksObserved::QueueHead { resource: res(), head: None });
        assert_eq!(d.pending(), 1, "only the new lease");
    }

    #[test]
    fn unrelated_change_does_not_resend_a_settling_grant() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Shared, 5_000));
        d.apply(head(2, LockMode::Shared, 100));
        assert_eq!(d.due(100), vec![grant()]);
        d.on_outcome(&grant(), &confirmed(), 100);
        d.apply(LocksObserved::LeaseRenewed {
            resource: res(),
            request_id: U256::from(1),
            lease_end: 6_000,
        });
        assert!(d.due(101).is_empty(), "same head: the grant is settling, not sent again");
    }

    #[test]
    fn snapshot_rebuilds_leases_and_head() {
        let mut d = duty();
        d.apply(granted(1, LockMode::Shared, 500));
        d.apply(head(2, LockMode::Exclusive, 0));
        let mut e = duty();
        for i in d.snapshot() {
            e.apply(i);
        }
        assert_eq!(e.due(500), vec![expire(1)]);
    }
}
