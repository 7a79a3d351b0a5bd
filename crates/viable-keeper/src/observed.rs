//! What the duties need to know, one group per module.
//!
//! These inputs are the keeper's own: the chain adapter produces them from the SDK's
//! suite event stream (and from a few view calls), so the duties never see ABI types
//! and can be tested without a chain. Every time is a chain timestamp in seconds
//! ([`Timestamp`]). Each variant documents the on-chain fact it stands for.

use alloy_primitives::{Address, B256, TxHash, U256, keccak256};
use serde::{Deserialize, Serialize};

/// A chain timestamp, in seconds (the `block.timestamp` clock every deadline uses).
pub type Timestamp = u64;

/// A position in the chain's log order: everything up to and including
/// `(block, log_index)` has been processed. `log_index: None` means nothing of `block`
/// yet. The same shape as the SDK's event-stream checkpoint, so the adapter converts
/// one into the other field by field.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    /// Block number.
    pub block: u64,
    /// Index of the last processed log in `block` (`None`: none of it yet).
    pub log_index: Option<u64>,
}

impl Cursor {
    /// The position of log `log_index` of block `block`.
    pub const fn at(block: u64, log_index: u64) -> Self {
        Self { block, log_index: Some(log_index) }
    }

    /// The start of block `block` (nothing of it processed).
    pub const fn start_of(block: u64) -> Self {
        Self { block, log_index: None }
    }
}

/// One observation with where it happened on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The log's position; the keeper ignores an event at or before its cursor.
    pub cursor: Cursor,
    /// The transaction that emitted it, when known (for logs).
    pub tx_hash: Option<TxHash>,
    /// The hash of the block holding it, when known (for logs): remembered with the
    /// cursor, so the keeper can tell when that block is no longer on the chain.
    pub block_hash: Option<B256>,
    /// What it means for the duties.
    pub observed: Observed,
    /// Further observations from the same log, applied after `observed` (a lock grant
    /// is a lease and a new queue head).
    pub also: Vec<Observed>,
}

/// A new chain head: the keeper's clock. Deadlines are compared with the head's
/// timestamp (extrapolated by the run loop between heads), never with the local clock
/// alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Head {
    /// Block number.
    pub number: u64,
    /// Block timestamp.
    pub timestamp: Timestamp,
    /// Block hash (zero when the source does not give it).
    pub hash: B256,
    /// The parent block's hash (zero when the source does not give it).
    pub parent_hash: B256,
    /// How many times so far the head collector saw the chain not simply extend the
    /// head before: a head that went back, a new hash at the same height, or a parent
    /// that is not the previous head. Set by [`crate::collector::run_heads`]. When it
    /// grows, the run loop checks that its cursor's block is still on the chain and
    /// restarts the event stream from the cursor.
    pub breaks: u64,
    /// How many times so far the head source (re)opened or failed before this head.
    /// Set by [`crate::collector::run_heads`]. When it grows, the run loop checks that
    /// its cursor's block is still on the chain (the node may have restarted).
    pub reconnects: u64,
}

/// Everything a duty can learn, grouped by module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Observed {
    /// WorkRegistry.
    Work(WorkObserved),
    /// LegitimacyConstitution.
    Constitution(ConstitutionObserved),
    /// CoordinationLocks.
    Locks(LocksObserved),
    /// OptimizationTreasury.
    Treasury(TreasuryObserved),
    /// StrategyProposals.
    Strategy(StrategyObserved),
}

impl Observed {
    /// The module this observation is about.
    pub const fn module(&self) -> crate::Module {
        match self {
            Self::Work(_) => crate::Module::Work,
            Self::Constitution(_) => crate::Module::Constitution,
            Self::Locks(_) => crate::Module::Locks,
            Self::Treasury(_) => crate::Module::Treasury,
            Self::Strategy(_) => crate::Module::Strategy,
        }
    }
}

// ---------------------------------------------------------------------------
// Work
// ---------------------------------------------------------------------------

/// WorkRegistry facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WorkObserved {
    /// Packet `packet_id` is Pending attestation (`PacketSubmitted` of an Attested
    /// schema). `deadline` is the contract's `Packet.deadline`: the last second an
    /// attestation counts; `expire` works from `deadline + 1`.
    PacketPending {
        /// The packet.
        packet_id: U256,
        /// Last second an attestation counts.
        deadline: Timestamp,
    },
    /// The packet left Pending (`PacketAccepted`, `PacketRetracted`, `PacketExpired`).
    PacketResolved {
        /// The packet.
        packet_id: U256,
        /// How.
        resolution: PacketResolution,
    },
}

/// How a pending packet was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PacketResolution {
    /// Reached its attestation quorum.
    Accepted,
    /// Withdrawn by its contributor.
    Retracted,
    /// Expired (by this keeper or anyone).
    Expired,
}

// ---------------------------------------------------------------------------
// Constitution
// ---------------------------------------------------------------------------

/// LegitimacyConstitution facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ConstitutionObserved {
    /// `AmendmentProposed`: everything `execute` needs later (the actions live only in
    /// this event), and when voting ends.
    Proposed {
        /// The amendment id (`hashAmendment(proposer, body)`).
        id: U256,
        /// Who proposed it (part of the id).
        proposer: Address,
        /// The body `execute` must be given.
        body: AmendmentBody,
        /// First second votes are no longer accepted: from here the amendment is
        /// Succeeded or Defeated, which only the chain can tell.
        vote_end: Timestamp,
        /// Grace period of the amendment's context (`legit.gracePeriod` frozen at
        /// proposal), if the adapter knows it: after `vote_end + grace` an unqueued
        /// amendment, and after `eta + grace` a queued one, is Expired.
        grace_period: Option<u64>,
    },
    /// `AmendmentQueued`: it may execute from `eta`.
    Queued {
        /// The amendment.
        id: U256,
        /// First second `execute` is allowed.
        eta: Timestamp,
    },
    /// `AmendmentExecuted` or `AmendmentCancelled`.
    Closed {
        /// The amendment.
        id: U256,
        /// How.
        how: AmendmentClosure,
    },
    /// The answer to [`crate::Action::CheckAmendment`]: `state(id)` (and `eta` from
    /// `amendment(id)`) read at chain time `at`.
    State {
        /// The amendment.
        id: U256,
        /// Its state at `at`.
        state: AmendmentState,
        /// Its eta, if queued.
        eta: Option<Timestamp>,
        /// The chain time of the read (timestamp of the block read).
        at: Timestamp,
    },
}

/// How an amendment left the keeper's care through an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AmendmentClosure {
    /// Its actions were applied.
    Executed,
    /// The proposer withdrew it.
    Cancelled,
}

/// The constitution's `AmendmentState`, mirrored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AmendmentState {
    /// Before voting starts.
    Pending,
    /// Voting.
    Active,
    /// Voting ended without both houses passing and reaching quorum.
    Defeated,
    /// Voting ended with both houses for it; may be queued until the grace period ends.
    Succeeded,
    /// In the timelock, or executable until the grace period ends.
    Queued,
    /// Executed.
    Executed,
    /// Nobody queued or executed it in time.
    Expired,
    /// The proposer cancelled it.
    Cancelled,
}

/// An amendment's body as `execute` takes it, with the description in full (its hash
/// is what the contract commits to: [`AmendmentBody::description_hash`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AmendmentBody {
    /// The typed actions, in order.
    pub actions: Vec<AmendmentAction>,
    /// The Strategy proposal it adopts (0: none).
    pub strategy_proposal_id: U256,
    /// The description as proposed.
    pub description: String,
}

impl AmendmentBody {
    /// `keccak256(description)`, the `descriptionHash` of the on-chain body.
    pub fn description_hash(&self) -> B256 {
        keccak256(self.description.as_bytes())
    }
}

/// One amendment action (`ILegitimacyConstitution.Action`), as proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AmendmentAction {
    /// `ActionKind` as a uint8.
    pub kind: u8,
    /// Parameter key, schema id, role or content hash.
    pub key: B256,
    /// Role member or module address.
    pub account: Address,
    /// New value, weight, grant flag, article index or module slot.
    pub value: U256,
    /// Article URI.
    pub uri: String,
}

// ---------------------------------------------------------------------------
// Locks
// ---------------------------------------------------------------------------

/// CoordinationLocks facts. Leases and queue heads are keyed by resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum LocksObserved {
    /// Request `request_id` now holds a lease on `resource` until `lease_end`.
    LeaseGranted {
        /// The resource key.
        resource: B256,
        /// The request holding the lease.
        request_id: U256,
        /// Exclusive or shared.
        mode: LockMode,
        /// When the lease ends: from then on anyone may `expire` it.
        lease_end: Timestamp,
    },
    /// The holder renewed; the lease now ends at `lease_end`.
    LeaseRenewed {
        /// The resource key.
        resource: B256,
        /// The request holding the lease.
        request_id: U256,
        /// The new end.
        lease_end: Timestamp,
    },
    /// The lease ended (released by its holder or expired by anyone).
    LeaseEnded {
        /// The resource key.
        resource: B256,
        /// The request that held the lease.
        request_id: U256,
        /// How.
        how: LeaseEnd,
    },
    /// The head of `resource`'s queue is now `head` (`None`: nobody waiting). The
    /// adapter emits it whenever a request is queued at the head, granted, or withdrawn.
    QueueHead {
        /// The resource key.
        resource: B256,
        /// The first waiting request.
        head: Option<QueuedRequest>,
    },
}

/// Lock modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LockMode {
    /// Compatible with nothing.
    Exclusive,
    /// Compatible with other shared leases.
    Shared,
}

/// How a lease ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeaseEnd {
    /// Its holder released it.
    Released,
    /// Anyone expired it after its end.
    Expired,
}

/// The request at the head of a resource's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedRequest {
    /// The request.
    pub request_id: U256,
    /// Its mode.
    pub mode: LockMode,
    /// It may not be granted before this time.
    pub not_before: Timestamp,
}

// ---------------------------------------------------------------------------
// Treasury
// ---------------------------------------------------------------------------

/// OptimizationTreasury facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum TreasuryObserved {
    /// Allocation `allocation_id` is Pending; anyone may `execute` it from
    /// `executable_at` (its veto window has passed).
    AllocationPending {
        /// The allocation.
        allocation_id: U256,
        /// First second `execute` is allowed.
        executable_at: Timestamp,
    },
    /// The allocation is no longer Pending.
    AllocationClosed {
        /// The allocation.
        allocation_id: U256,
        /// How.
        how: AllocationEnd,
    },
}

/// How a pending allocation stopped being pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AllocationEnd {
    /// Executed (paid or streaming).
    Executed,
    /// Its steward cancelled it.
    Cancelled,
    /// A guardian vetoed it through the constitution.
    Vetoed,
}

// ---------------------------------------------------------------------------
// Strategy
// ---------------------------------------------------------------------------

/// StrategyProposals facts.
///
/// The half-life, the maximum age and the Ready threshold are the same for every
/// proposal and change under all of them at once (parameters are read at each call;
/// the threshold follows the total stake), so they come as one [`StrategyObserved::Rules`]
/// observation rather than with each proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum StrategyObserved {
    /// The rules now in force. The adapter emits it at start and whenever
    /// `strategy.halfLife`, `strategy.maxAge`, `strategy.readyBps`,
    /// `strategy.stakeFloor` or the total stake changes.
    Rules {
        /// `strategy.halfLife`, seconds.
        half_life: u64,
        /// `strategy.maxAge`, seconds: a proposal may be expired from
        /// `opened_at + max_age`.
        max_age: u64,
        /// Conviction needed to promote: `readyBps × max(total staked, stakeFloor) /
        /// 10 000`, in the contract's units.
        threshold: U256,
    },
    /// A proposal opened, with its conviction state.
    ProposalOpened {
        /// The proposal.
        proposal_id: U256,
        /// When it opened (its age counts from here; its clock stops `CLOCK_SPAN` later).
        opened_at: Timestamp,
        /// Conviction at `updated_at`.
        conviction: U256,
        /// Supporting stake since `updated_at`.
        support: U256,
        /// When `conviction` was last brought up to date.
        updated_at: Timestamp,
        /// The half-life the proposal's clock last ran at (0 before any support).
        #[serde(default)]
        clock_half_life: u64,
        /// The carried fraction of a clock unit, in 1/`clock_half_life` units.
        #[serde(default)]
        clock_remainder: u64,
    },
    /// A proposal's support changed; its conviction was brought up to date.
    SupportChanged {
        /// The proposal.
        proposal_id: U256,
        /// Conviction at `updated_at`.
        conviction: U256,
        /// Supporting stake from `updated_at`.
        support: U256,
        /// When it changed.
        updated_at: Timestamp,
        /// The half-life the proposal's clock last ran at.
        #[serde(default)]
        clock_half_life: u64,
        /// The carried fraction of a clock unit.
        #[serde(default)]
        clock_remainder: u64,
    },
    /// The proposal is no longer open.
    ProposalClosed {
        /// The proposal.
        proposal_id: U256,
        /// How.
        how: ProposalEnd,
    },
}

/// How a proposal stopped being open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProposalEnd {
    /// Promoted to Ready.
    Promoted,
    /// Expired after the maximum age.
    Expired,
    /// Withdrawn by its proposer.
    Withdrawn,
}
