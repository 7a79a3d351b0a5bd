//! System 2, the CoordinationLocks: its events as [`LocksObserved`] (a grant, a
//! withdrawal or a request queued at the head also say who heads the queue now), the
//! `expire` and `grantNext` transactions, and what its errors mean for the duty.

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::Provider,
    sol_types::SolCall,
};
use viable::{
    Module, SuiteLog, Viable,
    bindings::CoordinationLocks::{self, CoordinationLocksErrors, CoordinationLocksEvents},
};

use super::{directory::Directory, events::Reader};
use crate::{
    action::Action,
    executor::FailureKind,
    observed::{LeaseEnd, LockMode, LocksObserved, Observed, QueuedRequest},
};

/// `Mode.Shared`.
const SHARED: u8 = 1;
/// `RequestState.Queued`.
const QUEUED: u8 = 1;

fn mode(raw: u8) -> LockMode {
    if raw == SHARED { LockMode::Shared } else { LockMode::Exclusive }
}

/// What a CoordinationLocks event means for the Locks duty (empty: nothing).
///
/// The contract keeps its queue as a linked list and its events do not say who heads it
/// after a grant or a withdrawal, so those read `resourceInfo` and the head's
/// `requestInfo` at the log's block (the state at the end of that block: later logs of
/// the block say the same or move it on). A request queued at position 1 is the head;
/// its event says everything.
pub(super) async fn observe<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    event: &CoordinationLocksEvents,
) -> viable::Result<Vec<Observed>> {
    use CoordinationLocksEvents as E;
    let out = match event {
        E::LockQueued(e) if e.position == U256::from(1) => vec![LocksObserved::QueueHead {
            resource: e.resource,
            head: Some(QueuedRequest {
                request_id: e.packetId,
                mode: mode(e.mode),
                not_before: e.notBefore.saturating_to(),
            }),
        }],
        E::LockGranted(e) => vec![
            LocksObserved::LeaseGranted {
                resource: e.resource,
                request_id: e.packetId,
                mode: mode(e.mode),
                lease_end: e.leaseEnd.saturating_to(),
            },
            head(reader, log, e.resource).await?,
        ],
        E::LockRenewed(e) => vec![LocksObserved::LeaseRenewed {
            resource: e.resource,
            request_id: e.packetId,
            lease_end: e.leaseEnd.saturating_to(),
        }],
        E::LockReleased(e) => vec![LocksObserved::LeaseEnded {
            resource: e.resource,
            request_id: e.packetId,
            how: LeaseEnd::Released,
        }],
        E::LockExpired(e) => vec![LocksObserved::LeaseEnded {
            resource: e.resource,
            request_id: e.packetId,
            how: LeaseEnd::Expired,
        }],
        E::RequestWithdrawn(e) => vec![head(reader, log, e.resource).await?],
        _ => Vec::new(),
    };
    Ok(out.into_iter().map(Observed::Locks).collect())
}

/// Who heads `resource`'s queue at the end of `log`'s block.
async fn head<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    resource: B256,
) -> viable::Result<LocksObserved> {
    let locks = CoordinationLocks::new(log.address, reader.provider().clone());
    // Both reads at one block: the node's head if the log's block has no state left.
    let (info, r) = viable::events::read_at_or_after(reader.provider(), log.block_number, |at| {
        let locks = &locks;
        async move {
            let info = locks.resourceInfo(resource).block(at).call().await?;
            if info.head.is_zero() {
                return Ok((info, None));
            }
            let r = locks.requestInfo(resource, info.head).block(at).call().await?;
            Ok::<_, viable::Error>((info, Some(r)))
        }
    })
    .await?;
    let Some(r) = r else {
        return Ok(LocksObserved::QueueHead { resource, head: None });
    };
    let head = (r.state == QUEUED).then(|| QueuedRequest {
        request_id: info.head,
        mode: mode(r.mode),
        not_before: r.notBefore.saturating_to(),
    });
    Ok(LocksObserved::QueueHead { resource, head })
}

/// The transaction for a Locks action: the module in the directory, and the calldata.
/// `None`: not a Locks action.
pub(super) async fn call<P: Provider + Clone>(
    viable: &Viable<P>,
    directory: &Directory,
    action: &Action,
) -> viable::Result<Option<(Address, Bytes)>> {
    let data = match action {
        Action::ExpireLease { resource, request_id } => {
            CoordinationLocks::expireCall { resource: *resource, packetId: *request_id }
                .abi_encode()
        }
        Action::GrantNext { resource } => {
            CoordinationLocks::grantNextCall { resource: *resource }.abi_encode()
        }
        _ => return Ok(None),
    };
    let locks = directory.address(viable, Module::Coordination).await?;
    Ok(Some((locks, data.into())))
}

/// What a CoordinationLocks error means for the action that hit it.
pub(super) fn classify(error: &CoordinationLocksErrors) -> FailureKind {
    use CoordinationLocksErrors as E;
    match error {
        // Released or expired already: its event ends the item.
        E::CoordinationLocksNotHeld(_) => FailureKind::AlreadyDone,
        E::CoordinationLocksLeaseNotEnded(e) => {
            FailureKind::NotYet { retry_at: Some(e.leaseEnd.saturating_to()) }
        }
        // Someone granted it first, or the head changed: the events say what holds now.
        E::CoordinationLocksNothingToGrant(_) => FailureKind::AlreadyDone,
        _ => FailureKind::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use viable::bindings::CoordinationLocks as C;

    use super::*;

    #[test]
    fn errors_classify() {
        let r = B256::repeat_byte(1);
        let e = CoordinationLocksErrors::CoordinationLocksNotHeld(C::CoordinationLocksNotHeld {
            resource: r,
            packetId: U256::from(1),
            state: 0,
        });
        assert_eq!(classify(&e), FailureKind::AlreadyDone);
        let e = CoordinationLocksErrors::CoordinationLocksLeaseNotEnded(
            C::CoordinationLocksLeaseNotEnded {
                resource: r,
                packetId: U256::from(1),
                leaseEnd: U256::from(500),
                now_: U256::from(499),
            },
        );
        assert_eq!(classify(&e), FailureKind::NotYet { retry_at: Some(500) });
        let e =
            CoordinationLocksErrors::CoordinationLocksNotHolder(C::CoordinationLocksNotHolder {
                resource: r,
                packetId: U256::from(1),
                caller: Address::ZERO,
            });
        assert_eq!(classify(&e), FailureKind::Permanent);
    }
}
