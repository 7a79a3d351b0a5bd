//! LegitimacyConstitution: queue succeeded amendments, execute them after the timelock.
//!
//! Whether an amendment succeeded is known only from chain state after voting ends,
//! so at `voteEnd` the duty first asks ([`Action::CheckAmendment`], a read answered by
//! [`ConstitutionObserved::State`]); a Succeeded answer makes `queue` due at once, and
//! the `AmendmentQueued` event makes `execute` due at `eta`, with the body rebuilt from
//! the `AmendmentProposed` event.

use std::collections::HashMap;

use alloy_primitives::{Address, U256};

use super::{Duty, DutyConfig, Skipped, id_bytes};
use crate::{
    action::{Action, Module},
    executor::{FailureKind, Outcome},
    ledger::{Disposition, Ledger},
    observed::{AmendmentBody, AmendmentState, ConstitutionObserved, Observed, Timestamp},
};

#[derive(Debug, Clone)]
struct Amendment {
    proposer: Address,
    body: AmendmentBody,
    vote_end: Timestamp,
    grace: Option<u64>,
    /// A read found it Succeeded (and it is not queued yet).
    succeeded: bool,
    eta: Option<Timestamp>,
    /// Shard delay.
    delay: u64,
}

impl Amendment {
    /// Whether the grace period has run out for what comes next, if known.
    fn lapsed(&self, now: Timestamp) -> bool {
        let Some(grace) = self.grace else { return false };
        let start = self.eta.unwrap_or(self.vote_end);
        now >= start.saturating_add(grace)
    }
}

/// Checks, queues and executes every amendment it sees proposed.
#[derive(Debug)]
pub struct ConstitutionDuty {
    config: DutyConfig,
    amendments: HashMap<U256, Amendment>,
    ledger: Ledger<U256>,
    skipped: Vec<Skipped>,
}

impl ConstitutionDuty {
    /// An empty duty.
    pub fn new(config: DutyConfig) -> Self {
        let ledger = Ledger::new(config.memory);
        Self { config, amendments: HashMap::new(), ledger, skipped: Vec::new() }
    }

    fn close(&mut self, id: U256) {
        if self.amendments.remove(&id).is_some() {
            self.ledger.finish(id);
        }
    }

    fn on_state(&mut self, id: U256, state: AmendmentState, eta: Option<Timestamp>, at: Timestamp) {
        let Some(a) = self.amendments.get_mut(&id) else { return };
        match state {
            // Our clock ran ahead of the node's: ask again once voting has ended there.
            AmendmentState::Pending | AmendmentState::Active => {
                let when = a.vote_end.saturating_add(a.delay).max(at.saturating_add(1));
                self.ledger.schedule(id, when);
            }
            AmendmentState::Succeeded => {
                a.succeeded = true;
                self.ledger.schedule(id, at);
            }
            AmendmentState::Queued => {
                a.eta = eta.or(a.eta);
                match a.eta {
                    Some(eta) => self.ledger.schedule(id, eta.saturating_add(a.delay)),
                    // The AmendmentQueued event will say when.
                    None => self.ledger.idle(&id),
                }
            }
            AmendmentState::Defeated
            | AmendmentState::Expired
            | AmendmentState::Executed
            | AmendmentState::Cancelled => self.close(id),
        }
    }
}

impl Duty for ConstitutionDuty {
    type Input = ConstitutionObserved;
    const MODULE: Module = Module::Constitution;

    fn apply(&mut self, input: ConstitutionObserved) {
        match input {
            ConstitutionObserved::Proposed { id, proposer, body, vote_end, grace_period } => {
                if self.amendments.contains_key(&id) || self.ledger.is_finished(&id) {
                    return;
                }
                let Some(delay) = self.config.sharding.delay(Self::MODULE, id_bytes(id)) else {
                    return;
                };
                let a = Amendment {
                    proposer,
                    body,
                    vote_end,
                    grace: grace_period,
                    succeeded: false,
                    eta: None,
                    delay,
                };
                self.amendments.insert(id, a);
                self.ledger.schedule(id, vote_end.saturating_add(delay));
            }
            ConstitutionObserved::Queued { id, eta } => {
                let Some(a) = self.amendments.get_mut(&id) else { return };
                if a.eta == Some(eta) && !self.ledger.in_flight(&id) {
                    // A replay of what we know; keep any settle or retry state.
                    return;
                }
                a.eta = Some(eta);
                a.succeeded = false;
                self.ledger.schedule(id, eta.saturating_add(a.delay));
            }
            ConstitutionObserved::Closed { id, .. } => self.close(id),
            ConstitutionObserved::State { id, state, eta, at } => {
                self.on_state(id, state, eta, at);
            }
        }
    }

    fn due(&mut self, now: Timestamp) -> Vec<Action> {
        let mut out = Vec::new();
        for id in self.ledger.take_due(now) {
            let Some(a) = self.amendments.get(&id) else { continue };
            let action = if a.eta.is_some() {
                Action::ExecuteAmendment {
                    id,
                    proposer: a.proposer,
                    body: Box::new(a.body.clone()),
                }
            } else if a.succeeded {
                Action::QueueAmendment { id }
            } else {
                Action::CheckAmendment { id }
            };
            if !action.is_read() && a.lapsed(now) {
                self.skipped.push(Skipped {
                    module: Self::MODULE,
                    action: action.name(),
                    reason: "expired",
                    id,
                });
                self.close(id);
                continue;
            }
            out.push(action);
        }
        out
    }

    fn next_wakeup(&self) -> Option<Timestamp> {
        self.ledger.next_wakeup()
    }

    fn on_outcome(&mut self, action: &Action, outcome: &Outcome, now: Timestamp) -> Disposition {
        let id = match action {
            Action::CheckAmendment { id }
            | Action::QueueAmendment { id }
            | Action::ExecuteAmendment { id, .. } => *id,
            _ => return Disposition::Stale,
        };
        if let Outcome::Observed(observed) = outcome {
            return match observed {
                Observed::Constitution(ConstitutionObserved::State { id: got, state, eta, at })
                    if *got == id =>
                {
                    let d = self.ledger.on_outcome(&id, outcome, now, &self.config.retry);
                    self.on_state(id, *state, *eta, *at);
                    d
                }
                other => {
                    let err = crate::ExecError::transient(format!("unexpected answer {other:?}"));
                    self.ledger.on_outcome(&id, &Outcome::Failed(err), now, &self.config.retry)
                }
            };
        }
        let d = self.ledger.on_outcome(&id, outcome, now, &self.config.retry);
        match d {
            Disposition::GaveUp | Disposition::Forgotten => {
                self.amendments.remove(&id);
            }
            // A queue that reverted "already done" may have been queued by someone
            // else; the AmendmentQueued event (or the next check) tells when to execute.
            _ if matches!(action, Action::QueueAmendment { .. })
                && matches!(outcome, Outcome::Failed(e) if e.kind == FailureKind::AlreadyDone) =>
            {
                if let Some(a) = self.amendments.get_mut(&id) {
                    a.succeeded = false;
                }
            }
            _ => {}
        }
        d
    }

    fn pending(&self) -> usize {
        self.amendments.len()
    }

    fn snapshot(&self) -> Vec<ConstitutionObserved> {
        let mut ids: Vec<_> = self.amendments.keys().copied().collect();
        ids.sort_unstable();
        let mut out = Vec::new();
        for id in ids {
            let Some(a) = self.amendments.get(&id) else { continue };
            out.push(ConstitutionObserved::Proposed {
                id,
                proposer: a.proposer,
                body: a.body.clone(),
                vote_end: a.vote_end,
                grace_period: a.grace,
            });
            if let Some(eta) = a.eta {
                out.push(ConstitutionObserved::Queued { id, eta });
            }
        }
        out
    }

    fn take_skipped(&mut self) -> Vec<Skipped> {
        std::mem::take(&mut self.skipped)
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::B256;

    use super::*;
    use crate::{
        duty::test_util::{already_done, confirmed, not_yet},
        observed::{AmendmentAction, AmendmentClosure},
    };

    const VOTE_END: Timestamp = 10_000;
    const GRACE: u64 = 5_000;

    fn duty() -> ConstitutionDuty {
        ConstitutionDuty::new(DutyConfig { memory: 1000, ..DutyConfig::default() })
    }

    fn id() -> U256 {
        U256::from(0xa11ce)
    }

    fn body() -> AmendmentBody {
        AmendmentBody {
            actions: vec![AmendmentAction {
                kind: 0,
                key: B256::right_padding_from(b"legit.timelock"),
                account: Address::ZERO,
                value: U256::from(180),
                uri: String::new(),
            }],
            strategy_proposal_id: U256::ZERO,
            description: "slower".into(),
        }
    }

    fn proposed() -> ConstitutionObserved {
        ConstitutionObserved::Proposed {
            id: id(),
            proposer: Address::repeat_byte(0xaa),
            body: body(),
            vote_end: VOTE_END,
            grace_period: Some(GRACE),
        }
    }

    fn state(state: AmendmentState, at: Timestamp) -> Outcome {
        Outcome::Observed(Observed::Constitution(ConstitutionObserved::State {
            id: id(),
            state,
            eta: None,
            at,
        }))
    }

    fn check() -> Action {
        Action::CheckAmendment { id: id() }
    }

    fn queue() -> Action {
        Action::QueueAmendment { id: id() }
    }

    fn execute() -> Action {
        Action::ExecuteAmendment {
            id: id(),
            proposer: Address::repeat_byte(0xaa),
            body: Box::new(body()),
        }
    }

    #[test]
    fn whole_lifecycle_each_step_at_its_time_and_once() {
        let mut d = duty();
        d.apply(proposed());
        d.apply(proposed());
        assert!(d.due(VOTE_END - 1).is_empty());
        assert_eq!(d.due(VOTE_END), vec![check()]);
        assert!(d.due(VOTE_END).is_empty(), "the read is in flight");
        assert_eq!(
            d.on_outcome(&check(), &state(AmendmentState::Succeeded, VOTE_END), VOTE_END),
            Disposition::Answered
        );
        assert_eq!(d.due(VOTE_END), vec![queue()]);
        d.on_outcome(&queue(), &confirmed(), VOTE_END);
        let eta = VOTE_END + 600;
        d.apply(ConstitutionObserved::Queued { id: id(), eta });
        d.apply(ConstitutionObserved::Queued { id: id(), eta });
        assert!(d.due(eta - 1).is_empty());
        assert_eq!(d.due(eta), vec![execute()]);
        d.on_outcome(&execute(), &confirmed(), eta);
        d.apply(ConstitutionObserved::Queued { id: id(), eta }); // replayed while settling
        assert!(d.due(eta + 1).is_empty());
        d.apply(ConstitutionObserved::Closed { id: id(), how: AmendmentClosure::Executed });
        d.apply(proposed()); // replayed after it finished
        assert!(d.due(u64::MAX).is_empty());
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn defeated_is_dropped_after_one_read() {
        let mut d = duty();
        d.apply(proposed());
        d.due(VOTE_END);
        d.on_outcome(&check(), &state(AmendmentState::Defeated, VOTE_END), VOTE_END);
        assert_eq!(d.pending(), 0);
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn node_behind_our_clock_is_asked_again_at_vote_end() {
        let mut d = duty();
        d.apply(proposed());
        d.due(VOTE_END);
        // The node's latest block is still before voteEnd.
        d.on_outcome(&check(), &state(AmendmentState::Active, VOTE_END - 3), VOTE_END);
        assert_eq!(d.next_wakeup(), Some(VOTE_END));
        assert_eq!(d.due(VOTE_END), vec![check()]);
        // Its block is at voteEnd yet it says Active (cannot happen): one second later.
        d.on_outcome(&check(), &state(AmendmentState::Active, VOTE_END), VOTE_END);
        assert_eq!(d.next_wakeup(), Some(VOTE_END + 1));
    }

    #[test]
    fn execute_rescheduled_when_timelocked() {
        let mut d = duty();
        d.apply(proposed());
        let eta = VOTE_END + 600;
        d.apply(ConstitutionObserved::Queued { id: id(), eta });
        assert_eq!(d.due(eta), vec![execute()]);
        let disp = d.on_outcome(&execute(), &not_yet(Some(eta + 2)), eta);
        assert_eq!(disp, Disposition::Rescheduled { at: eta + 2 });
        assert!(d.due(eta + 1).is_empty());
        assert_eq!(d.due(eta + 2), vec![execute()]);
    }

    #[test]
    fn queued_by_someone_else_still_executes() {
        let mut d = duty();
        d.apply(proposed());
        d.due(VOTE_END);
        d.on_outcome(&check(), &state(AmendmentState::Succeeded, VOTE_END), VOTE_END);
        assert_eq!(d.due(VOTE_END), vec![queue()]);
        assert!(matches!(
            d.on_outcome(&queue(), &already_done(), VOTE_END),
            Disposition::Settling { .. }
        ));
        d.apply(ConstitutionObserved::Queued { id: id(), eta: VOTE_END + 60 });
        assert_eq!(d.due(VOTE_END + 60), vec![execute()]);
    }

    #[test]
    fn lapsed_amendment_is_skipped_without_sending() {
        let mut d = duty();
        d.apply(proposed());
        let eta = VOTE_END + 600;
        d.apply(ConstitutionObserved::Queued { id: id(), eta });
        // The keeper was down past the grace period.
        assert!(d.due(eta + GRACE).is_empty());
        let skipped = d.take_skipped();
        assert_eq!(skipped.len(), 1);
        assert_eq!((skipped[0].action, skipped[0].reason), ("execute_amendment", "expired"));
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn cancelled_before_voting_is_never_checked() {
        let mut d = duty();
        d.apply(proposed());
        d.apply(ConstitutionObserved::Closed { id: id(), how: AmendmentClosure::Cancelled });
        assert!(d.due(u64::MAX).is_empty());
    }

    #[test]
    fn snapshot_keeps_body_and_eta() {
        let mut d = duty();
        d.apply(proposed());
        d.apply(ConstitutionObserved::Queued { id: id(), eta: VOTE_END + 600 });
        let mut e = duty();
        for i in d.snapshot() {
            e.apply(i);
        }
        assert_eq!(e.due(VOTE_END + 600), vec![execute()]);
    }
}
