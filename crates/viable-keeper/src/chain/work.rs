//! System 1, the WorkRegistry: its events as [`WorkObserved`], the `expire`
//! transaction, and what its errors mean for the duty.

use alloy::{
    primitives::{Address, Bytes},
    providers::Provider,
    sol_types::SolCall,
};
use viable::{
    Module, SuiteLog, Viable,
    bindings::WorkRegistry::{self, WorkRegistryErrors, WorkRegistryEvents},
};

use super::{directory::Directory, events::Reader};
use crate::{
    action::Action,
    executor::FailureKind,
    observed::{Observed, PacketResolution, WorkObserved},
};

/// `AcceptanceMode.Attested`.
const ATTESTED: u8 = 1;

/// The attestation window of an acceptance rule; `None` for an Immediate schema, whose
/// packets are never Pending.
fn window(acceptance: &viable::bindings::IWorkRegistry::Acceptance) -> Option<u64> {
    (acceptance.mode == ATTESTED).then(|| acceptance.window.saturating_to())
}

/// What a WorkRegistry event means for the Work duty (`None`: nothing).
///
/// `PacketSubmitted` does not carry the deadline: it is `submittedAt + window`, the
/// submitting block's timestamp plus the schema's attestation window. Windows are read
/// from `SchemaRegistered` events as they pass (a schema never changes), or from
/// `schema(id)` once for a schema registered before the stream's start; the block's
/// timestamp is read once per block.
pub(super) async fn observe<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    event: &WorkRegistryEvents,
) -> viable::Result<Option<Observed>> {
    use WorkRegistryEvents as E;
    let observed = match event {
        E::SchemaRegistered(e) => {
            reader.remember_window(e.schemaId, window(&e.acceptance));
            return Ok(None);
        }
        E::PacketSubmitted(e) => {
            let window = match reader.cached_window(e.schemaId) {
                Some(w) => w,
                None => {
                    let registry = WorkRegistry::new(log.address, reader.provider().clone());
                    let schema = registry.schema(e.schemaId).call().await?;
                    let w = window(&schema.acceptance);
                    reader.remember_window(e.schemaId, w);
                    w
                }
            };
            let Some(window) = window else { return Ok(None) };
            let submitted_at = reader.block_timestamp(log.block_number).await?;
            WorkObserved::PacketPending {
                packet_id: e.packetId,
                deadline: submitted_at.saturating_add(window),
            }
        }
        E::PacketAccepted(e) => resolved(e.packetId, PacketResolution::Accepted),
        E::PacketRetracted(e) => resolved(e.packetId, PacketResolution::Retracted),
        E::PacketExpired(e) => resolved(e.packetId, PacketResolution::Expired),
        _ => return Ok(None),
    };
    Ok(Some(Observed::Work(observed)))
}

fn resolved(packet_id: alloy::primitives::U256, resolution: PacketResolution) -> WorkObserved {
    WorkObserved::PacketResolved { packet_id, resolution }
}

/// The transaction for a Work action: the registry in the directory, and the
/// calldata. `None`: not a Work action.
pub(super) async fn call<P: Provider + Clone>(
    viable: &Viable<P>,
    directory: &Directory,
    action: &Action,
) -> viable::Result<Option<(Address, Bytes)>> {
    let Action::ExpirePacket { packet_id } = action else { return Ok(None) };
    let registry = directory.address(viable, Module::Work).await?;
    let data = WorkRegistry::expireCall { packetId: *packet_id }.abi_encode();
    Ok(Some((registry, data.into())))
}

/// What a WorkRegistry error means for the action that hit it.
pub(super) fn classify(error: &WorkRegistryErrors) -> FailureKind {
    use WorkRegistryErrors as E;
    match error {
        // Accepted, Retracted or Expired already: its event removes the item.
        E::WorkRegistryWrongStatus(_) => FailureKind::AlreadyDone,
        E::WorkRegistryDeadlineNotReached(e) => FailureKind::NotYet {
            retry_at: Some(e.deadline.saturating_to::<u64>().saturating_add(1)),
        },
        // No such packet on this registry (a reorg removed it, or the directory moved
        // to another registry): waiting will not make it appear.
        _ => FailureKind::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use alloy::primitives::U256;

    use super::*;

    #[test]
    fn errors_classify() {
        use WorkRegistry as W;
        let e = WorkRegistryErrors::WorkRegistryWrongStatus(W::WorkRegistryWrongStatus {
            packetId: U256::from(1),
            status: 3,
        });
        assert_eq!(classify(&e), FailureKind::AlreadyDone);
        let e =
            WorkRegistryErrors::WorkRegistryDeadlineNotReached(W::WorkRegistryDeadlineNotReached {
                packetId: U256::from(1),
                deadline: U256::from(1_000),
                now_: U256::from(990),
            });
        assert_eq!(classify(&e), FailureKind::NotYet { retry_at: Some(1_001) });
        let e = WorkRegistryErrors::WorkRegistryUnknownPacket(W::WorkRegistryUnknownPacket {
            packetId: U256::from(1),
        });
        assert_eq!(classify(&e), FailureKind::Permanent);
    }
}
