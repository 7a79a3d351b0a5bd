//! # Viable keeper
//!
//! The reference daemon that performs every deadline-driven, permissionless duty of a
//! Viable deployment (PROTOCOL.md §8), on time and exactly once as far as the keeper's
//! own state goes, through RPC faults and restarts. It can do nothing the contracts
//! would not let anyone do.
//!
//! It is a pipeline:
//!
//! ```text
//! collectors ──Event/Head──▶ duties (one per module, pure) ──Action──▶ executor
//!     ▲  (suite event stream,      deadline index per duty          simulate → send →
//!     │   new heads, timers)       exactly-once bookkeeping          wait (backoff)
//!     └──────────── Outcome (confirmed / reverted / classified failure / read) ◀──┘
//! ```
//!
//! - [`Observed`]: the keeper's own inputs, one group per module, produced by the
//!   chain adapter from the SDK's events.
//! - [`Duty`] and [`Duties`]: one state machine per module (`apply`, `due(now)`,
//!   `next_wakeup`, `on_outcome`), unit-tested without a chain.
//! - [`Executor`]: the trait the chain adapter implements; [`execute`] runs one action.
//! - [`Keeper`]: the run loop, with a cancellation token, the state file
//!   ([`StateFile`]) and Prometheus metrics ([`metrics`]).
//! - Strategy promotion times come from the SDK's exact conviction mirror
//!   ([`viable::strategy::ConvictionState`]), the one calculator.
//! - [`chain`]: the chain side over the SDK: events as inputs, polled heads, the alloy
//!   executor, and [`chain::ChainKeeper`], which runs it all (what `viable keeper` runs).

mod action;
pub mod chain;
mod checkpoint;
pub mod collector;
mod config;
mod duty;
mod error;
mod executor;
mod ledger;
pub mod metrics;
mod observed;
mod runner;
mod shard;

pub use action::{Action, Module};
pub use checkpoint::{Checkpoint, StateFile};
pub use config::{KeeperArgs, KeeperConfig};
pub use duty::{
    ConstitutionDuty, Duties, Duty, DutyConfig, LocksDuty, Skipped, StrategyDuty, TreasuryDuty,
    WorkDuty,
};
pub use error::{KeeperError, Result};
pub use executor::{ExecError, Executor, FailureKind, Outcome, Receipt, execute};
pub use ledger::{Disposition, RetryPolicy};
pub use observed::{
    AllocationEnd, AmendmentAction, AmendmentBody, AmendmentClosure, AmendmentState,
    ConstitutionObserved, Cursor, Event, Head, LeaseEnd, LockMode, LocksObserved, Observed,
    PacketResolution, ProposalEnd, QueuedRequest, StrategyObserved, Timestamp, TreasuryObserved,
    WorkObserved,
};
pub use runner::{Inputs, Keeper, Summary};
pub use shard::{Shard, Sharding};
