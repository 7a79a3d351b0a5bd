//! System 3, the OptimizationTreasury: its allocation events as [`TreasuryObserved`],
//! the `execute` transaction, and what its errors mean for the duty. `execute` is the
//! treasury's only deadline duty: epochs roll over lazily, inside the calls that use
//! them, so there is nothing to roll.

use alloy::{
    primitives::{Address, Bytes},
    providers::Provider,
    sol_types::SolCall,
};
use viable::{
    Module, Viable,
    bindings::OptimizationTreasury::{
        self, OptimizationTreasuryErrors, OptimizationTreasuryEvents,
    },
};

use super::directory::Directory;
use crate::{
    action::Action,
    executor::FailureKind,
    observed::{AllocationEnd, Observed, TreasuryObserved},
};

/// `AllocationState.Pending`.
const PENDING: u8 = 1;

/// What an OptimizationTreasury event means for the Treasury duty (`None`: nothing).
/// `AllocationCreated` carries the end of the veto window (`deadline`), from which
/// `execute` works.
pub(super) fn observe(event: &OptimizationTreasuryEvents) -> Option<Observed> {
    use OptimizationTreasuryEvents as E;
    let observed = match event {
        E::AllocationCreated(e) => TreasuryObserved::AllocationPending {
            allocation_id: e.allocationId,
            executable_at: e.deadline.saturating_to(),
        },
        E::AllocationExecuted(e) => TreasuryObserved::AllocationClosed {
            allocation_id: e.allocationId,
            how: AllocationEnd::Executed,
        },
        E::AllocationCancelled(e) => TreasuryObserved::AllocationClosed {
            allocation_id: e.allocationId,
            how: AllocationEnd::Cancelled,
        },
        E::AllocationVetoed(e) => TreasuryObserved::AllocationClosed {
            allocation_id: e.allocationId,
            how: AllocationEnd::Vetoed,
        },
        _ => return None,
    };
    Some(Observed::Treasury(observed))
}

/// The transaction for a Treasury action. `None`: not a Treasury action.
pub(super) async fn call<P: Provider + Clone>(
    viable: &Viable<P>,
    directory: &Directory,
    action: &Action,
) -> viable::Result<Option<(Address, Bytes)>> {
    let Action::ExecuteAllocation { allocation_id } = action else { return Ok(None) };
    let treasury = directory.address(viable, Module::Optimization).await?;
    let data = OptimizationTreasury::executeCall { allocationId: *allocation_id }.abi_encode();
    Ok(Some((treasury, data.into())))
}

/// What an OptimizationTreasury error means for the action that hit it.
pub(super) fn classify(error: &OptimizationTreasuryErrors) -> FailureKind {
    use OptimizationTreasuryErrors as E;
    match error {
        // Executed, cancelled or vetoed already: its event ends the item.
        E::OptimizationTreasuryWrongState(e) if e.current != PENDING => FailureKind::AlreadyDone,
        E::OptimizationTreasuryVetoWindowOpen(e) => {
            FailureKind::NotYet { retry_at: Some(e.deadline.saturating_to()) }
        }
        // The push ran out of gas: a larger estimate next time.
        E::OptimizationTreasuryInsufficientGas(_) | E::OptimizationTreasuryReentrantCall(_) => {
            FailureKind::Transient
        }
        _ => FailureKind::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use alloy::primitives::U256;
    use viable::bindings::OptimizationTreasury as T;

    use super::*;

    #[test]
    fn errors_classify() {
        let e = OptimizationTreasuryErrors::OptimizationTreasuryWrongState(
            T::OptimizationTreasuryWrongState {
                allocationId: U256::from(1),
                current: 4,
                required: PENDING,
            },
        );
        assert_eq!(classify(&e), FailureKind::AlreadyDone);
        let e = OptimizationTreasuryErrors::OptimizationTreasuryVetoWindowOpen(
            T::OptimizationTreasuryVetoWindowOpen {
                allocationId: U256::from(1),
                deadline: U256::from(900),
                now_: U256::from(899),
            },
        );
        assert_eq!(classify(&e), FailureKind::NotYet { retry_at: Some(900) });
        let e = OptimizationTreasuryErrors::OptimizationTreasuryUnknownAllocation(
            T::OptimizationTreasuryUnknownAllocation { allocationId: U256::from(1) },
        );
        assert_eq!(classify(&e), FailureKind::Permanent);
    }
}
