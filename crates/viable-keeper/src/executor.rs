//! The executor: what the chain adapter implements, and how one action is carried out.
//!
//! For a transaction: simulate (`eth_call`), send, wait for the receipt (retried with
//! backoff on transient errors). For a read: one view call answered with an
//! [`Observed`]. The adapter classifies every failure into a [`FailureKind`]; the
//! duties decide from the kind alone what happens next, so the policy stays testable
//! without a chain.

use std::{fmt, future::Future};

use alloy_primitives::{B256, TxHash};
use backon::Retryable;
use tokio_util::sync::CancellationToken;

use crate::{action::Action, ledger::RetryPolicy, observed::Observed, observed::Timestamp};

/// What a failure means for the duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// Nothing left to do: someone else did it, or the item left the state where the
    /// duty applies (e.g. `WrongState(…, Executed)`, a packet no longer Pending). The
    /// action is dropped; the item waits for its outcome event.
    AlreadyDone,
    /// Not yet allowed (the chain's clock is behind ours, or the deadline moved): try
    /// again at `retry_at` when the revert says when (e.g. `Timelocked(id, eta, now)`),
    /// else shortly.
    NotYet {
        /// When the chain says it becomes allowed.
        retry_at: Option<Timestamp>,
    },
    /// A fault that may pass: timeout, dropped connection, node error reply, nonce or
    /// fee trouble, a transaction that reverted on chain without a reason. Retried
    /// with backoff; the keeper never exits on it.
    Transient,
    /// A revert that will not change by waiting (e.g. an amendment action that fails
    /// validation). Given up and recorded.
    Permanent,
}

impl FailureKind {
    /// Lower-case name used as a metrics label.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::AlreadyDone => "already_done",
            Self::NotYet { .. } => "not_yet",
            Self::Transient => "transient",
            Self::Permanent => "permanent",
        }
    }
}

/// A classified failure from the executor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} ({reason})", kind.as_str())]
pub struct ExecError {
    /// What it means.
    pub kind: FailureKind,
    /// Why, for logs (e.g. the decoded revert).
    pub reason: String,
    /// The transaction waited for is gone from the node (dropped, or reorged out and
    /// not re-added): waiting longer is pointless, the action is done again.
    pub dropped: bool,
}

impl ExecError {
    /// A failure of `kind` because of `reason`.
    pub fn new(kind: FailureKind, reason: impl fmt::Display) -> Self {
        Self { kind, reason: reason.to_string(), dropped: false }
    }

    /// A transient failure: the transaction waited for is gone from the node.
    pub fn dropped(reason: impl fmt::Display) -> Self {
        Self { dropped: true, ..Self::transient(reason) }
    }

    /// A transient failure.
    pub fn transient(reason: impl fmt::Display) -> Self {
        Self::new(FailureKind::Transient, reason)
    }
}

/// A mined transaction, as far as the keeper cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    /// The transaction.
    pub tx: TxHash,
    /// Block it was mined in.
    pub block: u64,
    /// Whether it succeeded.
    pub success: bool,
    /// Gas used.
    pub gas_used: u64,
    /// Price paid per gas, wei.
    pub effective_gas_price: u128,
}

/// What happened to one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Our transaction was mined and succeeded.
    Confirmed {
        /// The transaction.
        tx: TxHash,
        /// Gas used.
        gas_used: u64,
        /// Fee paid, wei.
        fee_wei: u128,
    },
    /// Our transaction was mined but reverted (most often someone else's landed first
    /// in the same block). Handled like a transient failure: the next attempt simulates
    /// again and finds out.
    Reverted {
        /// The transaction.
        tx: TxHash,
        /// Gas used.
        gas_used: u64,
        /// Fee paid, wei.
        fee_wei: u128,
    },
    /// A read was answered.
    Observed(Observed),
    /// It did not happen, for this reason.
    Failed(ExecError),
}

impl Outcome {
    /// Short label for metrics and logs.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Confirmed { .. } => "confirmed",
            Self::Reverted { .. } => "reverted",
            Self::Observed(_) => "observed",
            Self::Failed(e) => e.kind.as_str(),
        }
    }
}

/// What the chain adapter implements: one signer's view of the chain.
///
/// Implementations share one provider per signer (cloned), so alloy's nonce filler
/// hands out nonces without collisions when several actions are in flight, and never
/// block inside these futures.
pub trait Executor: Send + Sync + 'static {
    /// Answer a read action (see [`Action::is_read`]).
    fn read(&self, action: &Action) -> impl Future<Output = Result<Observed, ExecError>> + Send;

    /// Simulate the action's transaction against the latest state (`eth_call`);
    /// `Ok` means it would succeed now.
    fn simulate(&self, action: &Action) -> impl Future<Output = Result<(), ExecError>> + Send;

    /// Send the action's transaction; returns its hash once the node accepted it.
    fn send(&self, action: &Action) -> impl Future<Output = Result<TxHash, ExecError>> + Send;

    /// Wait for the transaction's receipt (one attempt; the caller retries).
    fn wait(&self, tx: TxHash) -> impl Future<Output = Result<Receipt, ExecError>> + Send;

    /// The hash of block `number` on the node's chain now (`None`: the node has no such
    /// block). The run loop asks only after the head collector saw a break.
    fn block_hash(
        &self,
        number: u64,
    ) -> impl Future<Output = Result<Option<B256>, ExecError>> + Send;
}

/// Carry out one action: read, or simulate → send → wait (waits retried with
/// `policy`'s backoff on transient errors, stopping early on `cancel`). Never panics;
/// every failure comes back classified in the [`Outcome`].
pub async fn execute<E: Executor>(
    executor: &E,
    action: &Action,
    policy: &RetryPolicy,
    cancel: &CancellationToken,
) -> Outcome {
    if action.is_read() {
        return match executor.read(action).await {
            Ok(observed) => Outcome::Observed(observed),
            Err(e) => Outcome::Failed(e),
        };
    }
    if let Err(e) = executor.simulate(action).await {
        return Outcome::Failed(e);
    }
    let tx = match executor.send(action).await {
        Ok(tx) => tx,
        Err(e) => return Outcome::Failed(e),
    };
    let backoff = policy.builder().with_jitter().with_max_times(policy.receipt_retries);
    let wait = (|| executor.wait(tx))
        .retry(backoff)
        .when(|e: &ExecError| {
            e.kind == FailureKind::Transient && !e.dropped && !cancel.is_cancelled()
        })
        .notify(|e: &ExecError, after| {
            tracing::debug!(target: "viable::keeper", %tx, error = %e, ?after, "receipt not yet, retrying");
        });
    match wait.await {
        Ok(r) => {
            let fee_wei = u128::from(r.gas_used).saturating_mul(r.effective_gas_price);
            if r.success {
                Outcome::Confirmed { tx: r.tx, gas_used: r.gas_used, fee_wei }
            } else {
                Outcome::Reverted { tx: r.tx, gas_used: r.gas_used, fee_wei }
            }
        }
        Err(e) => Outcome::Failed(e),
    }
}
