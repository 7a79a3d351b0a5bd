//! Items with one deadline and one action each (packets, allocations).

use std::collections::HashMap;

use alloy_primitives::U256;

use super::{DutyConfig, id_bytes};
use crate::{
    action::Module,
    executor::Outcome,
    ledger::{Disposition, Ledger},
    observed::Timestamp,
};

/// Items by id, each due once at its own time.
#[derive(Debug)]
pub(crate) struct Deadlines {
    module: Module,
    config: DutyConfig,
    /// Open items and the time their action becomes allowed.
    items: HashMap<U256, Timestamp>,
    ledger: Ledger<U256>,
}

impl Deadlines {
    pub(crate) fn new(module: Module, config: DutyConfig) -> Self {
        let ledger = Ledger::new(config.memory);
        Self { module, config, items: HashMap::new(), ledger }
    }

    /// Track `id`, due at `at` (plus the shard delay); ignored if known, recently
    /// finished, or another shard's without takeover.
    pub(crate) fn open(&mut self, id: U256, at: Timestamp) {
        if self.items.contains_key(&id) || self.ledger.is_finished(&id) {
            return;
        }
        let Some(delay) = self.config.sharding.delay(self.module, id_bytes(id)) else { return };
        self.items.insert(id, at);
        self.ledger.schedule(id, at.saturating_add(delay));
    }

    /// Its outcome event arrived.
    pub(crate) fn close(&mut self, id: U256) {
        if self.items.remove(&id).is_some() {
            self.ledger.finish(id);
        }
    }

    pub(crate) fn take_due(&mut self, now: Timestamp) -> Vec<U256> {
        self.ledger.take_due(now)
    }

    pub(crate) fn next_wakeup(&self) -> Option<Timestamp> {
        self.ledger.next_wakeup()
    }

    pub(crate) fn on_outcome(
        &mut self,
        id: &U256,
        outcome: &Outcome,
        now: Timestamp,
    ) -> Disposition {
        let d = self.ledger.on_outcome(id, outcome, now, &self.config.retry);
        if matches!(d, Disposition::GaveUp | Disposition::Forgotten) {
            self.items.remove(id);
        }
        d
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Open items sorted by id, with their times.
    pub(crate) fn items(&self) -> Vec<(U256, Timestamp)> {
        let mut items: Vec<_> = self.items.iter().map(|(&id, &at)| (id, at)).collect();
        items.sort_unstable();
        items
    }

    #[cfg(test)]
    pub(crate) fn retry(&self) -> &crate::ledger::RetryPolicy {
        &self.config.retry
    }
}
