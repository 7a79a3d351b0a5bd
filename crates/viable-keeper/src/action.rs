//! What the duties ask the executor to do.

use std::fmt;

use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};

use crate::observed::AmendmentBody;

/// The five modules, as the keeper names them in metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Module {
    /// WorkRegistry (System 1).
    Work,
    /// CoordinationLocks (System 2).
    Locks,
    /// OptimizationTreasury (System 3).
    Treasury,
    /// StrategyProposals (System 4).
    Strategy,
    /// LegitimacyConstitution (System 5).
    Constitution,
}

impl Module {
    /// Every module, in VSM order.
    pub const ALL: [Self; 5] =
        [Self::Work, Self::Locks, Self::Treasury, Self::Strategy, Self::Constitution];

    /// Lower-case name used as a metrics label.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Work => "work",
            Self::Locks => "locks",
            Self::Treasury => "treasury",
            Self::Strategy => "strategy",
            Self::Constitution => "constitution",
        }
    }

    /// A stable one-byte tag, part of the shard hash.
    pub(crate) const fn tag(self) -> u8 {
        match self {
            Self::Work => 1,
            Self::Locks => 2,
            Self::Treasury => 3,
            Self::Strategy => 4,
            Self::Constitution => 5,
        }
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the keeper does: a permissionless transaction, or (for
/// [`Action::CheckAmendment`]) a state read whose answer comes back as an
/// [`crate::Observed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Action {
    /// `WorkRegistry.expire(packetId)`.
    ExpirePacket {
        /// The packet.
        packet_id: U256,
    },
    /// Read `state(id)` and `amendment(id).eta`; answered by
    /// [`crate::ConstitutionObserved::State`]. No transaction.
    CheckAmendment {
        /// The amendment.
        id: U256,
    },
    /// `LegitimacyConstitution.queue(id)`.
    QueueAmendment {
        /// The amendment.
        id: U256,
    },
    /// `LegitimacyConstitution.execute(id, proposer, body)`.
    ExecuteAmendment {
        /// The amendment.
        id: U256,
        /// Its proposer.
        proposer: Address,
        /// Its body, rebuilt from the `AmendmentProposed` event.
        body: Box<AmendmentBody>,
    },
    /// `CoordinationLocks.expire` of the lease held by `request_id` (which grants the
    /// queue's head as far as the contract's bound allows).
    ExpireLease {
        /// The resource key.
        resource: B256,
        /// The request holding the lease.
        request_id: U256,
    },
    /// `CoordinationLocks.grantNext(resource)`.
    GrantNext {
        /// The resource key.
        resource: B256,
    },
    /// `OptimizationTreasury.execute(allocationId)`.
    ExecuteAllocation {
        /// The allocation.
        allocation_id: U256,
    },
    /// `StrategyProposals.promote(id)`.
    PromoteProposal {
        /// The proposal.
        proposal_id: U256,
    },
    /// `StrategyProposals.expire(id)`.
    ExpireProposal {
        /// The proposal.
        proposal_id: U256,
    },
}

impl Action {
    /// The module the action is addressed to.
    pub const fn module(&self) -> Module {
        match self {
            Self::ExpirePacket { .. } => Module::Work,
            Self::CheckAmendment { .. }
            | Self::QueueAmendment { .. }
            | Self::ExecuteAmendment { .. } => Module::Constitution,
            Self::ExpireLease { .. } | Self::GrantNext { .. } => Module::Locks,
            Self::ExecuteAllocation { .. } => Module::Treasury,
            Self::PromoteProposal { .. } | Self::ExpireProposal { .. } => Module::Strategy,
        }
    }

    /// Snake-case name used as a metrics label and in logs.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::ExpirePacket { .. } => "expire_packet",
            Self::CheckAmendment { .. } => "check_amendment",
            Self::QueueAmendment { .. } => "queue_amendment",
            Self::ExecuteAmendment { .. } => "execute_amendment",
            Self::ExpireLease { .. } => "expire_lease",
            Self::GrantNext { .. } => "grant_next",
            Self::ExecuteAllocation { .. } => "execute_allocation",
            Self::PromoteProposal { .. } => "promote_proposal",
            Self::ExpireProposal { .. } => "expire_proposal",
        }
    }

    /// Whether this is a read (no transaction): the executor answers it with
    /// [`crate::Executor::read`].
    pub const fn is_read(&self) -> bool {
        matches!(self, Self::CheckAmendment { .. })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ExpirePacket { packet_id } => write!(f, "expire packet {packet_id}"),
            Self::CheckAmendment { id } => write!(f, "check amendment {id:#x}"),
            Self::QueueAmendment { id } => write!(f, "queue amendment {id:#x}"),
            Self::ExecuteAmendment { id, .. } => write!(f, "execute amendment {id:#x}"),
            Self::ExpireLease { resource, request_id } => {
                write!(f, "expire lease of request {request_id} on {resource}")
            }
            Self::GrantNext { resource } => write!(f, "grant next on {resource}"),
            Self::ExecuteAllocation { allocation_id } => {
                write!(f, "execute allocation {allocation_id}")
            }
            Self::PromoteProposal { proposal_id } => write!(f, "promote proposal {proposal_id}"),
            Self::ExpireProposal { proposal_id } => write!(f, "expire proposal {proposal_id}"),
        }
    }
}
