//! StrategyProposals: promote a proposal the moment its conviction crosses the
//! threshold, and expire proposals past the maximum age.
//!
//! The crossing time comes from the SDK's exact mirror of the contract's conviction
//! arithmetic ([`viable::strategy::ConvictionState::crossing`]: the first second from
//! which `promote` succeeds), recomputed only when the proposal's support or the rules
//! change. The duty schedules that second as a timer; no proposal is looked at while
//! nothing about it changes.

use std::collections::HashMap;

use alloy_primitives::U256;
use viable::strategy::{ConvictionState, Crossing};

use super::{Duty, DutyConfig, id_bytes};
use crate::{
    action::{Action, Module},
    executor::Outcome,
    ledger::{Disposition, Ledger},
    observed::{StrategyObserved, Timestamp},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key {
    Promote(U256),
    Expire(U256),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rules {
    half_life: u64,
    max_age: u64,
    threshold: U256,
}

#[derive(Debug, Clone, Copy)]
struct Proposal {
    opened_at: Timestamp,
    conviction: U256,
    support: U256,
    updated_at: Timestamp,
    clock_half_life: u64,
    clock_remainder: u64,
    delay: u64,
}

/// Promotes proposals at their crossing time and expires them at their maximum age.
#[derive(Debug)]
pub struct StrategyDuty {
    config: DutyConfig,
    rules: Option<Rules>,
    proposals: HashMap<U256, Proposal>,
    ledger: Ledger<Key>,
}

impl StrategyDuty {
    /// An empty duty.
    pub fn new(config: DutyConfig) -> Self {
        let ledger = Ledger::new(config.memory);
        Self { config, rules: None, proposals: HashMap::new(), ledger }
    }

    /// When `promote` becomes due for `p` under `rules` (`None`: never, as things are).
    fn promote_at(p: &Proposal, rules: &Rules) -> Option<Timestamp> {
        let state = ConvictionState::new(
            p.support,
            p.conviction,
            p.updated_at,
            p.opened_at,
            p.clock_half_life,
            p.clock_remainder,
        );
        match state.crossing(rules.threshold, rules.half_life, p.updated_at) {
            Crossing::Reached => Some(p.updated_at),
            // Promotion is refused from the maximum age on: a crossing after it is none.
            Crossing::At(t) if t < p.opened_at.saturating_add(rules.max_age) => Some(t),
            Crossing::At(_) | Crossing::Never => None,
        }
    }

    fn reschedule(&mut self, id: U256, promote: bool, expire: bool) {
        let (Some(rules), Some(p)) = (self.rules, self.proposals.get(&id).copied()) else { return };
        if promote {
            match Self::promote_at(&p, &rules) {
                Some(at) => self.ledger.schedule(Key::Promote(id), at.saturating_add(p.delay)),
                None => self.ledger.remove(&Key::Promote(id)),
            }
        }
        if expire {
            let expire_at = p.opened_at.saturating_add(rules.max_age).saturating_add(p.delay);
            self.ledger.schedule(Key::Expire(id), expire_at);
        }
    }
}

impl Duty for StrategyDuty {
    type Input = StrategyObserved;
    const MODULE: Module = Module::Strategy;

    fn apply(&mut self, input: StrategyObserved) {
        match input {
            StrategyObserved::Rules { half_life, max_age, threshold } => {
                let rules = Rules { half_life, max_age, threshold };
                if self.rules == Some(rules) {
                    return;
                }
                let old = self.rules.replace(rules);
                // What changed decides what moves: every proposal, but nothing per block.
                let promote = old.is_none_or(|o| {
                    o.half_life != half_life || o.threshold != threshold || o.max_age != max_age
                });
                let expire = old.is_none_or(|o| o.max_age != max_age);
                let ids: Vec<_> = self.proposals.keys().copied().collect();
                for id in ids {
                    self.reschedule(id, promote, expire);
                }
            }
            StrategyObserved::ProposalOpened {
                proposal_id,
                opened_at,
                conviction,
                support,
                updated_at,
                clock_half_life,
                clock_remainder,
            } => {
                if self.proposals.contains_key(&proposal_id)
                    || self.ledger.is_finished(&Key::Expire(proposal_id))
                {
                    return;
                }
                let Some(delay) = self.config.sharding.delay(Self::MODULE, id_bytes(proposal_id))
                else {
                    return;
                };
                let p = Proposal {
                    opened_at,
                    conviction,
                    support,
                    updated_at,
                    clock_half_life,
                    clock_remainder,
                    delay,
                };
                self.proposals.insert(proposal_id, p);
                self.reschedule(proposal_id, true, true);
            }
            StrategyObserved::SupportChanged {
                proposal_id,
                conviction,
                support,
                updated_at,
                clock_half_life,
                clock_remainder,
            } => {
                let Some(p) = self.proposals.get_mut(&proposal_id) else { return };
                // An older or repeated update changes nothing.
                if updated_at < p.updated_at
                    || (updated_at == p.updated_at
                        && conviction == p.conviction
                        && support == p.support
                        && clock_half_life == p.clock_half_life
                        && clock_remainder == p.clock_remainder)
                {
                    return;
                }
                p.conviction = conviction;
                p.support = support;
                p.updated_at = updated_at;
                p.clock_half_life = clock_half_life;
                p.clock_remainder = clock_remainder;
                self.reschedule(proposal_id, true, false);
            }
            StrategyObserved::ProposalClosed { proposal_id, .. } => {
                if self.proposals.remove(&proposal_id).is_some() {
                    self.ledger.finish(Key::Promote(proposal_id));
                    self.ledger.finish(Key::Expire(proposal_id));
                }
            }
        }
    }

    fn due(&mut self, now: Timestamp) -> Vec<Action> {
        let due = self.ledger.take_due(now).into_iter();
        due.map(|key| match key {
            Key::Promote(proposal_id) => Action::PromoteProposal { proposal_id },
            Key::Expire(proposal_id) => Action::ExpireProposal { proposal_id },
        })
        .collect()
    }

    fn next_wakeup(&self) -> Option<Timestamp> {
        self.ledger.next_wakeup()
    }

    fn on_outcome(&mut self, action: &Action, outcome: &Outcome, now: Timestamp) -> Disposition {
        let key = match action {
            Action::PromoteProposal { proposal_id } => Key::Promote(*proposal_id),
            Action::ExpireProposal { proposal_id } => Key::Expire(*proposal_id),
            _ => return Disposition::Stale,
        };
        let d = self.ledger.on_outcome(&key, outcome, now, &self.config.retry);
        if let (Disposition::GaveUp | Disposition::Forgotten, Key::Expire(id)) = (&d, key) {
            self.proposals.remove(&id);
            self.ledger.remove(&Key::Promote(id));
        }
        d
    }

    fn pending(&self) -> usize {
        self.proposals.len()
    }

    fn snapshot(&self) -> Vec<StrategyObserved> {
        let mut out = Vec::new();
        if let Some(r) = self.rules {
            out.push(StrategyObserved::Rules {
                half_life: r.half_life,
                max_age: r.max_age,
                threshold: r.threshold,
            });
        }
        let mut ids: Vec<_> = self.proposals.keys().copied().collect();
        ids.sort_unstable();
        for proposal_id in ids {
            let Some(p) = self.proposals.get(&proposal_id) else { continue };
            out.push(StrategyObserved::ProposalOpened {
                proposal_id,
                opened_at: p.opened_at,
                conviction: p.conviction,
                support: p.support,
                updated_at: p.updated_at,
                clock_half_life: p.clock_half_life,
                clock_remainder: p.clock_remainder,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        duty::test_util::{already_done, confirmed, not_yet},
        observed::ProposalEnd,
    };

    const HALF_LIFE: u64 = 300;
    const MAX_AGE: u64 = 100_000;

    fn duty() -> StrategyDuty {
        let mut d = StrategyDuty::new(DutyConfig { memory: 1000, ..DutyConfig::default() });
        d.apply(rules(600));
        d
    }

    fn rules(threshold: u64) -> StrategyObserved {
        StrategyObserved::Rules {
            half_life: HALF_LIFE,
            max_age: MAX_AGE,
            threshold: U256::from(threshold),
        }
    }

    fn opened(id: u64, conviction: u64, support: u64, at: Timestamp) -> StrategyObserved {
        StrategyObserved::ProposalOpened {
            proposal_id: U256::from(id),
            opened_at: at,
            conviction: U256::from(conviction),
            support: U256::from(support),
            updated_at: at,
            clock_half_life: 0,
            clock_remainder: 0,
        }
    }

    fn support(id: u64, conviction: u64, support: u64, at: Timestamp) -> StrategyObserved {
        StrategyObserved::SupportChanged {
            proposal_id: U256::from(id),
            conviction: U256::from(conviction),
            support: U256::from(support),
            updated_at: at,
            clock_half_life: HALF_LIFE,
            clock_remainder: 0,
        }
    }

    fn promote(id: u64) -> Action {
        Action::PromoteProposal { proposal_id: U256::from(id) }
    }

    fn expire(id: u64) -> Action {
        Action::ExpireProposal { proposal_id: U256::from(id) }
    }

    #[test]
    fn promote_due_at_the_crossing_second_not_before() {
        let mut d = duty();
        d.apply(opened(1, 0, 1_000, 10_000));
        // 300 · log2(1000 / 400) = 396.6 → 397 s after the update.
        assert_eq!(d.next_wakeup(), Some(10_397));
        assert!(d.due(10_396).is_empty());
        assert_eq!(d.due(10_397), vec![promote(1)]);
    }

    #[test]
    fn without_enough_support_only_expiry_is_scheduled() {
        let mut d = duty();
        d.apply(opened(1, 0, 600, 10_000));
        assert_eq!(d.next_wakeup(), Some(10_000 + MAX_AGE));
        assert!(d.due(10_000 + MAX_AGE - 1).is_empty());
        assert_eq!(d.due(10_000 + MAX_AGE), vec![expire(1)]);
    }

    #[test]
    fn support_change_moves_the_crossing() {
        let mut d = duty();
        d.apply(opened(1, 0, 1_000, 10_000));
        // At 10 100 support doubles; conviction then was 1000·(1 − 2^(−1/3)) ≈ 206.
        d.apply(support(1, 206, 2_000, 10_100));
        // 300 · log2(1794 / 1400) = 107.3 → 108 s later.
        assert_eq!(d.next_wakeup(), Some(10_208));
        // Support withdrawn: never, only expiry remains.
        d.apply(support(1, 300, 0, 10_150));
        assert_eq!(d.next_wakeup(), Some(10_000 + MAX_AGE));
        // A replayed older update changes nothing.
        d.apply(support(1, 206, 2_000, 10_100));
        assert_eq!(d.next_wakeup(), Some(10_000 + MAX_AGE));
    }

    #[test]
    fn threshold_change_reschedules_every_proposal() {
        let mut d = duty();
        d.apply(opened(1, 0, 1_000, 10_000));
        d.apply(opened(2, 0, 700, 10_000));
        assert_eq!(d.next_wakeup(), Some(10_397));
        // Total stake fell: threshold 400. 300·log2(1000/600) = 221.1; 300·log2(700/300) = 366.7.
        d.apply(rules(400));
        assert_eq!(d.due(10_222), vec![promote(1)]);
        assert!(d.due(10_366).is_empty());
        assert_eq!(d.due(10_367), vec![promote(2)]);
    }

    #[test]
    fn once_even_when_events_arrive_twice() {
        let mut d = duty();
        d.apply(opened(1, 0, 1_000, 10_000));
        d.apply(opened(1, 0, 1_000, 10_000));
        d.apply(rules(600));
        assert_eq!(d.due(10_397), vec![promote(1)]);
        d.apply(support(1, 0, 1_000, 10_000));
        assert!(d.due(10_397).is_empty());
        d.on_outcome(&promote(1), &confirmed(), 10_397);
        d.apply(StrategyObserved::ProposalClosed {
            proposal_id: U256::from(1),
            how: ProposalEnd::Promoted,
        });
        d.apply(opened(1, 0, 1_000, 10_000));
        assert!(d.due(u64::MAX).is_empty());
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn promote_not_yet_is_rescheduled_and_already_done_dropped() {
        let mut d = duty();
        d.apply(opened(1, 0, 1_000, 10_000));
        d.due(10_397);
        // The contract's arithmetic crosses one second later than the model.
        let disp = d.on_outcome(&promote(1), &not_yet(None), 10_397);
        let Disposition::Rescheduled { at } = disp else { panic!("{disp:?}") };
        assert!(d.due(at - 1).is_empty());
        assert_eq!(d.due(at), vec![promote(1)]);
        assert!(matches!(
            d.on_outcome(&promote(1), &already_done(), at),
            Disposition::Settling { .. }
        ));
        assert!(d.due(at + 1).is_empty());
    }

    #[test]
    fn nothing_scheduled_before_the_rules_are_known() {
        let mut d = StrategyDuty::new(DutyConfig::default());
        d.apply(opened(1, 0, 1_000, 10_000));
        assert_eq!(d.next_wakeup(), None);
        d.apply(rules(600));
        assert_eq!(d.next_wakeup(), Some(10_397));
    }

    #[test]
    fn snapshot_rebuilds_rules_and_proposals() {
        let mut d = duty();
        d.apply(opened(1, 0, 1_000, 10_000));
        let mut e = StrategyDuty::new(DutyConfig::default());
        for i in d.snapshot() {
            e.apply(i);
        }
        assert_eq!(e.next_wakeup(), Some(10_397));
    }
}
