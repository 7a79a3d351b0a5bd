//! The module directory as the keeper last read it, shared by the event mapping and
//! the executor: each slot is read from the constitution once, and read again after a
//! `ModuleSet` event passes through the event stream. Saves a directory read per
//! action (which also halves what a flaky RPC can fail).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use alloy::{primitives::Address, providers::Provider};
use viable::{Module, Viable};

/// Cached directory slots (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    slots: Arc<Mutex<HashMap<Module, Address>>>,
}

impl Directory {
    /// The address in `slot`: cached, else read from `viable`'s constitution.
    pub async fn address<P: Provider + Clone>(
        &self,
        viable: &Viable<P>,
        slot: Module,
    ) -> viable::Result<Address> {
        if let Some(a) = self.slots.lock().ok().and_then(|s| s.get(&slot).copied()) {
            return Ok(a);
        }
        let address = viable.constitution().module(slot).await?;
        if let Ok(mut s) = self.slots.lock() {
            s.insert(slot, address);
        }
        Ok(address)
    }

    /// Forget every slot (a `ModuleSet` event passed).
    pub fn forget(&self) {
        if let Ok(mut s) = self.slots.lock() {
            s.clear();
        }
    }
}
