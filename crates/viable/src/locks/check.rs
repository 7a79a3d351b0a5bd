//! Client-side checks: the contract's own rules, in its order, with its error names
//! and facts, so a request that would revert is refused before anything is sent.
//! Time-dependent rules (`notBefore` horizon, lease ended or not) are left to the
//! simulation that precedes every send: the next block's time is not known here.

use alloy::primitives::{Address, U256};

use super::types::{RequestState, Resource};
use crate::{
    error::{CheckError, Error},
    work::{PacketId, PacketStatus},
};

/// Why a lock call would be refused. Each variant is the CoordinationLocks error of
/// the same name, with the same facts; `Display` prints that name first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocksError {
    /// `CoordinationLocksInvalidPacketId`
    #[error("CoordinationLocksInvalidPacketId: packet id {packet_id} is not in [1, 2^64 - 1]")]
    InvalidPacketId {
        /// Packet.
        packet_id: PacketId,
    },
    /// `CoordinationLocksInvalidTtl`
    #[error(
        "CoordinationLocksInvalidTtl: a lease of {ttl} s, it must be in [1, {max_ttl}] (locks.maxTtl)"
    )]
    InvalidTtl {
        /// Asked for.
        ttl: u64,
        /// `locks.maxTtl`.
        max_ttl: u64,
    },
    /// `CoordinationLocksNotContributor`
    #[error(
        "CoordinationLocksNotContributor: {caller} is not the contributor of packet {packet_id}"
    )]
    NotContributor {
        /// Packet.
        packet_id: PacketId,
        /// Sender.
        caller: Address,
    },
    /// `CoordinationLocksPacketNotAccepted`
    #[error("CoordinationLocksPacketNotAccepted: packet {packet_id} is {status}, not Accepted")]
    PacketNotAccepted {
        /// Packet.
        packet_id: PacketId,
        /// Its status.
        status: PacketStatus,
    },
    /// `CoordinationLocksAlreadyRequested`
    #[error(
        "CoordinationLocksAlreadyRequested: packet {packet_id} already has a {state} request for {resource}"
    )]
    AlreadyRequested {
        /// Resource.
        resource: Resource,
        /// Packet.
        packet_id: PacketId,
        /// Its state.
        state: RequestState,
    },
    /// `CoordinationLocksQueueFull`
    #[error(
        "CoordinationLocksQueueFull: {length} requests wait on {resource}; locks.maxQueue is {max_queue}"
    )]
    QueueFull {
        /// Resource.
        resource: Resource,
        /// Waiting.
        length: u64,
        /// `locks.maxQueue`.
        max_queue: u64,
    },
    /// `CoordinationLocksNotHeld`
    #[error(
        "CoordinationLocksNotHeld: the request of packet {packet_id} for {resource} is {state}, not Held"
    )]
    NotHeld {
        /// Resource.
        resource: Resource,
        /// Packet.
        packet_id: PacketId,
        /// Its state.
        state: RequestState,
    },
    /// `CoordinationLocksNotHolder`
    #[error(
        "CoordinationLocksNotHolder: {caller} does not hold the lock of packet {packet_id} on {resource}"
    )]
    NotHolder {
        /// Resource.
        resource: Resource,
        /// Packet.
        packet_id: PacketId,
        /// Sender.
        caller: Address,
    },
    /// `CoordinationLocksNotQueued`
    #[error(
        "CoordinationLocksNotQueued: the request of packet {packet_id} for {resource} is {state}, not Queued"
    )]
    NotQueued {
        /// Resource.
        resource: Resource,
        /// Packet.
        packet_id: PacketId,
        /// Its state.
        state: RequestState,
    },
    /// `CoordinationLocksNotRequester`
    #[error(
        "CoordinationLocksNotRequester: {caller} did not make the request of packet {packet_id} for {resource}"
    )]
    NotRequester {
        /// Resource.
        resource: Resource,
        /// Packet.
        packet_id: PacketId,
        /// Sender.
        caller: Address,
    },
}

impl LocksError {
    /// The contract error's name (`CoordinationLocksQueueFull`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::InvalidPacketId { .. } => "CoordinationLocksInvalidPacketId",
            Self::InvalidTtl { .. } => "CoordinationLocksInvalidTtl",
            Self::NotContributor { .. } => "CoordinationLocksNotContributor",
            Self::PacketNotAccepted { .. } => "CoordinationLocksPacketNotAccepted",
            Self::AlreadyRequested { .. } => "CoordinationLocksAlreadyRequested",
            Self::QueueFull { .. } => "CoordinationLocksQueueFull",
            Self::NotHeld { .. } => "CoordinationLocksNotHeld",
            Self::NotHolder { .. } => "CoordinationLocksNotHolder",
            Self::NotQueued { .. } => "CoordinationLocksNotQueued",
            Self::NotRequester { .. } => "CoordinationLocksNotRequester",
        }
    }
}

impl From<LocksError> for Error {
    fn from(e: LocksError) -> Self {
        CheckError::new("locks", e).into()
    }
}

/// What `request` is checked against: read from the chain just before sending.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestFacts {
    pub(crate) resource: Resource,
    pub(crate) packet_id: PacketId,
    pub(crate) ttl: u64,
    /// `locks.maxTtl`.
    pub(crate) max_ttl: u64,
    /// `locks.maxQueue`.
    pub(crate) max_queue: u64,
    /// The packet's contributor and status.
    pub(crate) contributor: Address,
    pub(crate) status: PacketStatus,
    /// The sender, when known (the contributor check needs it).
    pub(crate) caller: Option<Address>,
    /// The packet's current request on the resource.
    pub(crate) existing: RequestState,
    /// How many wait on the resource now.
    pub(crate) queue_length: u64,
}

/// The largest packet id a queue link holds.
pub(crate) fn packet_id_ok(packet_id: PacketId) -> Result<(), LocksError> {
    if packet_id.0.is_zero() || packet_id.0 > U256::from(u64::MAX) {
        return Err(LocksError::InvalidPacketId { packet_id });
    }
    Ok(())
}

/// `ttl` in `[1, maxTtl]`.
pub(crate) fn ttl_ok(ttl: u64, max_ttl: u64) -> Result<(), LocksError> {
    if ttl == 0 || ttl > max_ttl {
        return Err(LocksError::InvalidTtl { ttl, max_ttl });
    }
    Ok(())
}

/// The contract's `request` checks, in its order (mode is typed; the `notBefore`
/// horizon is time-dependent and left to the simulation).
pub(crate) fn check_request(f: &RequestFacts) -> Result<(), LocksError> {
    packet_id_ok(f.packet_id)?;
    ttl_ok(f.ttl, f.max_ttl)?;
    if let Some(caller) = f.caller
        && caller != f.contributor
    {
        return Err(LocksError::NotContributor { packet_id: f.packet_id, caller });
    }
    if f.status != PacketStatus::Accepted {
        return Err(LocksError::PacketNotAccepted { packet_id: f.packet_id, status: f.status });
    }
    if f.existing != RequestState::None {
        return Err(LocksError::AlreadyRequested {
            resource: f.resource,
            packet_id: f.packet_id,
            state: f.existing,
        });
    }
    // Anyone waiting means this one waits too (FIFO), so a full queue refuses it.
    if f.queue_length > 0 && f.queue_length >= f.max_queue {
        return Err(LocksError::QueueFull {
            resource: f.resource,
            length: f.queue_length,
            max_queue: f.max_queue,
        });
    }
    Ok(())
}

/// A held lock, and (when the sender is known) held by the sender: `release`, `renew`.
pub(crate) fn check_holder(
    resource: Resource,
    packet_id: PacketId,
    state: RequestState,
    requester: Address,
    caller: Option<Address>,
) -> Result<(), LocksError> {
    if state != RequestState::Held {
        return Err(LocksError::NotHeld { resource, packet_id, state });
    }
    if let Some(caller) = caller
        && caller != requester
    {
        return Err(LocksError::NotHolder { resource, packet_id, caller });
    }
    Ok(())
}

/// A queued request, and (when the sender is known) the sender's: `withdraw`.
pub(crate) fn check_requester(
    resource: Resource,
    packet_id: PacketId,
    state: RequestState,
    requester: Address,
    caller: Option<Address>,
) -> Result<(), LocksError> {
    if state != RequestState::Queued {
        return Err(LocksError::NotQueued { resource, packet_id, state });
    }
    if let Some(caller) = caller
        && caller != requester
    {
        return Err(LocksError::NotRequester { resource, packet_id, caller });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> RequestFacts {
        RequestFacts {
            resource: Resource::named("interface:oracle"),
            packet_id: PacketId::from(1),
            ttl: 120,
            max_ttl: 300,
            max_queue: 2,
            contributor: Address::repeat_byte(1),
            status: PacketStatus::Accepted,
            caller: Some(Address::repeat_byte(1)),
            existing: RequestState::None,
            queue_length: 0,
        }
    }

    #[test]
    fn request_checks_follow_the_contract_order_and_names() {
        assert_eq!(check_request(&facts()), Ok(()));
        let e = check_request(&RequestFacts { packet_id: PacketId::from(0), ..facts() });
        assert_eq!(e.unwrap_err().name(), "CoordinationLocksInvalidPacketId");
        let e = check_request(&RequestFacts { ttl: 301, status: PacketStatus::Pending, ..facts() })
            .unwrap_err();
        assert_eq!(e, LocksError::InvalidTtl { ttl: 301, max_ttl: 300 });
        assert!(e.to_string().starts_with("CoordinationLocksInvalidTtl:"));
        let stranger = Address::repeat_byte(2);
        let e = check_request(&RequestFacts {
            caller: Some(stranger),
            status: PacketStatus::Pending,
            ..facts()
        });
        assert_eq!(e.unwrap_err().name(), "CoordinationLocksNotContributor");
        // Without a known sender the contributor check is left to the contract.
        let e =
            check_request(&RequestFacts { caller: None, status: PacketStatus::Pending, ..facts() });
        assert_eq!(e.unwrap_err().name(), "CoordinationLocksPacketNotAccepted");
        let e = check_request(&RequestFacts { existing: RequestState::Queued, ..facts() });
        assert_eq!(e.unwrap_err().name(), "CoordinationLocksAlreadyRequested");
    }

    #[test]
    fn a_full_queue_refuses_only_a_request_that_must_wait() {
        let full = RequestFacts { queue_length: 2, ..facts() };
        assert_eq!(check_request(&full).unwrap_err().name(), "CoordinationLocksQueueFull");
        assert_eq!(check_request(&RequestFacts { queue_length: 1, ..facts() }), Ok(()));
        // maxQueue lowered below the length: still full.
        assert!(check_request(&RequestFacts { queue_length: 5, ..facts() }).is_err());
    }

    #[test]
    fn holder_and_requester_checks() {
        let r = Resource::named("x");
        let (me, other) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let p = PacketId::from(3);
        assert!(check_holder(r, p, RequestState::Held, me, Some(me)).is_ok());
        assert_eq!(
            check_holder(r, p, RequestState::Queued, me, Some(me)).unwrap_err().name(),
            "CoordinationLocksNotHeld"
        );
        assert_eq!(
            check_holder(r, p, RequestState::Held, me, Some(other)).unwrap_err().name(),
            "CoordinationLocksNotHolder"
        );
        assert!(check_requester(r, p, RequestState::Queued, me, None).is_ok());
        assert_eq!(
            check_requester(r, p, RequestState::Held, me, None).unwrap_err().name(),
            "CoordinationLocksNotQueued"
        );
        assert_eq!(
            check_requester(r, p, RequestState::Queued, me, Some(other)).unwrap_err().name(),
            "CoordinationLocksNotRequester"
        );
    }
}
