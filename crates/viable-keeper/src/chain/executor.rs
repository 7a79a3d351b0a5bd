//! The alloy [`Executor`]: simulate with `eth_call`, send through the signer's one
//! provider (gas estimated, fees shared by the actions due together, the nonce from
//! the keeper's counter, signed by its wallet filler), wait for the receipt with a
//! timeout, filling nonce gaps; every failure classified from the SDK's decoded
//! revert.

use std::{sync::Arc, time::Duration};

use alloy::{
    eips::{BlockId, eip1559::Eip1559Estimation},
    network::TransactionBuilder,
    primitives::{B256, TxHash, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
    transports::RpcError,
};
use tokio::time::Instant;
use viable::{SuiteError, Viable, error::RevertKind};

use super::{
    constitution, directory::Directory, locks, provider::SignerProvider, strategy, treasury, work,
};
use crate::{
    action::{Action, Module},
    executor::{ExecError, Executor, FailureKind, Receipt},
    metrics,
    observed::Observed,
};

/// Gas limit headroom over the estimate, in percent. Estimates at `pending` can miss
/// a fresh storage slot the mined transaction writes: a Strategy `expire` returns the
/// bond, whose ERC20Votes checkpoint may be new in the mined block (an estimate of
/// about 74,000 for 96,000 used, which ran out of gas with 20 %). Unused gas is not
/// paid for.
const GAS_HEADROOM_PERCENT: u64 = 50;
/// A transaction without a receipt is checked for a nonce gap at most this often (and
/// every four polls at least this long apart).
const MIN_GAP_CHECK: Duration = Duration::from_secs(2);
/// Nonces filled per check, at most.
const MAX_GAP_FILLS: u64 = 16;
/// How long one fee estimate is used.
const FEE_TTL: Duration = Duration::from_secs(3);

/// Performs actions on one deployment as one signer.
///
/// Simulations and gas estimates run against the `pending` block: the transaction
/// will be mined in the next block, whose timestamp is the one the deadlines are
/// checked against, and on nodes whose pending state includes the pool, other
/// keepers' transactions already count there.
#[derive(Debug, Clone)]
pub struct ChainExecutor {
    viable: Viable<DynProvider>,
    signer: SignerProvider,
    directory: Directory,
    receipt_timeout: Duration,
    poll: Duration,
    /// The last fee estimate and when it was made.
    fees: Arc<tokio::sync::Mutex<Option<(Instant, Eip1559Estimation)>>>,
}

impl ChainExecutor {
    /// An executor for `viable`'s deployment sending as `signer` (whose provider
    /// `viable` should be built on), finding modules through `directory` (shared with
    /// the event source, which refreshes it). One wait for a receipt polls every `poll`
    /// and gives up after `receipt_timeout`.
    pub fn new(
        viable: Viable<DynProvider>,
        signer: SignerProvider,
        directory: Directory,
        receipt_timeout: Duration,
        poll: Duration,
    ) -> Self {
        Self { viable, signer, directory, receipt_timeout, poll, fees: Arc::default() }
    }

    /// EIP-1559 fees, estimated at most once per [`FEE_TTL`] (they carry twice the base
    /// fee, enough for the few blocks in between), so actions due together share one
    /// estimate. `None` when the node cannot estimate them (no EIP-1559): the gas
    /// filler then prices the transaction its own way.
    async fn fees(&self) -> Result<Option<Eip1559Estimation>, ExecError> {
        let mut cached = self.fees.lock().await;
        if let Some((at, fees)) = *cached
            && at.elapsed() < FEE_TTL
        {
            return Ok(Some(fees));
        }
        match self.provider().estimate_eip1559_fees().await {
            Ok(fees) => {
                *cached = Some((Instant::now(), fees));
                Ok(Some(fees))
            }
            Err(e)
                if e.as_error_resp().is_some() || matches!(e, RpcError::UnsupportedFeature(_)) =>
            {
                Ok(None)
            }
            Err(e) => Err(classify(e.into())),
        }
    }

    fn provider(&self) -> &DynProvider {
        self.signer.provider()
    }

    /// The transaction that performs `action`.
    async fn request(&self, action: &Action) -> Result<TransactionRequest, ExecError> {
        let target = match action.module() {
            Module::Work => {
                work::call(&self.viable, &self.directory, action).await.map_err(classify)?
            }
            Module::Locks => {
                locks::call(&self.viable, &self.directory, action).await.map_err(classify)?
            }
            Module::Treasury => {
                treasury::call(&self.viable, &self.directory, action).await.map_err(classify)?
            }
            Module::Strategy => {
                strategy::call(&self.viable, &self.directory, action).await.map_err(classify)?
            }
            Module::Constitution => constitution::call(&self.viable, action),
        };
        let Some((to, input)) = target else {
            return Err(ExecError::new(
                FailureKind::Permanent,
                format!("this keeper cannot {action}: no {} support yet", action.module()),
            ));
        };
        Ok(TransactionRequest::default()
            .with_from(self.signer.from())
            .with_to(to)
            .with_input(input))
    }
}

impl Executor for ChainExecutor {
    async fn read(&self, action: &Action) -> Result<Observed, ExecError> {
        match action {
            Action::CheckAmendment { id } => {
                constitution::read(&self.viable, *id).await.map_err(classify)
            }
            other => Err(ExecError::new(FailureKind::Permanent, format!("{other} is not a read"))),
        }
    }

    async fn simulate(&self, action: &Action) -> Result<(), ExecError> {
        let tx = self.request(action).await?;
        let call = self.provider().call(tx).block(BlockId::pending());
        call.await.map(drop).map_err(|e| classify(e.into()))
    }

    async fn send(&self, action: &Action) -> Result<TxHash, ExecError> {
        let mut tx = self.request(action).await?;
        let estimate = self.provider().estimate_gas(tx.clone()).block(BlockId::pending());
        let gas = estimate.await.map_err(|e| classify(e.into()))?;
        tx.set_gas_limit(gas.saturating_add(gas * GAS_HEADROOM_PERCENT / 100));
        // The nonce is taken here rather than by the filler, so a failed send can give
        // it back (see `provider.rs`).
        if let Some(fees) = self.fees().await? {
            tx.set_max_fee_per_gas(fees.max_fee_per_gas);
            tx.set_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
        }
        let (nonces, from) = (self.signer.nonces(), self.signer.from());
        let nonce = nonces.next(self.provider(), from).await.map_err(|e| classify(e.into()))?;
        tx.set_nonce(nonce);
        match self.provider().send_transaction(tx).await {
            Ok(pending) => Ok(*pending.tx_hash()),
            Err(e) => {
                let error = viable::Error::from(e);
                match nonce_fate(&error) {
                    NonceFate::Behind => nonces.resync(from).await,
                    NonceFate::Used => {}
                    NonceFate::Unused => nonces.release(from, nonce).await,
                }
                Err(classify(error))
            }
        }
    }

    async fn wait(&self, tx: TxHash) -> Result<Receipt, ExecError> {
        let started = Instant::now();
        let give_up = started + self.receipt_timeout;
        let check_every = (self.poll * 4).max(MIN_GAP_CHECK);
        let mut next_check = started + check_every;
        let mut unknown = 0;
        loop {
            match self.provider().get_transaction_receipt(tx).await {
                Ok(Some(r)) => {
                    return Ok(Receipt {
                        tx,
                        block: r.block_number.unwrap_or_default(),
                        success: r.status(),
                        gas_used: r.gas_used,
                        effective_gas_price: r.effective_gas_price,
                    });
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::debug!(target: "viable::keeper", %tx, error = %e, "receipt request failed");
                }
            }
            if Instant::now() >= next_check {
                next_check = Instant::now() + check_every;
                self.unblock(tx, &mut unknown).await?;
            }
            if Instant::now() + self.poll > give_up {
                return Err(ExecError::transient(format!(
                    "no receipt for {tx} within {:?}",
                    self.receipt_timeout
                )));
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    async fn block_hash(&self, number: u64) -> Result<Option<B256>, ExecError> {
        match self.provider().get_block_by_number(number.into()).await {
            Ok(block) => Ok(block.map(|b| b.header.hash)),
            Err(e) => Err(ExecError::transient(format!("block {number}: {e}"))),
        }
    }
}

impl ChainExecutor {
    /// `tx` has no receipt yet: see whether it can ever get one.
    ///
    /// A send whose request was lost took a nonce the node never saw; every later
    /// transaction of this signer waits behind it. If `tx` is one of them (its nonce is
    /// above the node's pending count, which counts only transactions that can run),
    /// the missing nonces are filled with empty transfers to the signer itself. If the
    /// node does not know `tx` at all, it was dropped: a transient failure, so the
    /// action is done again. Checks that cannot be made (a request fails) change
    /// nothing: the next check tries again.
    async fn unblock(&self, tx: TxHash, unknown: &mut u32) -> Result<(), ExecError> {
        let from = self.signer.from();
        let sent = match self.provider().get_transaction_by_hash(tx).await {
            Ok(Some(sent)) => sent,
            Ok(None) => {
                // A node may not know a transaction for a moment while it moves from
                // the pool into a block, or a mined one may have a receipt by now:
                // only unknown twice in a row, without a receipt, is it gone.
                *unknown += 1;
                let mined =
                    matches!(self.provider().get_transaction_receipt(tx).await, Ok(Some(_)));
                if *unknown < 2 || mined {
                    return Ok(());
                }
                // Dropped, or lost with the blocks or state that held it (a reorg, a
                // node restarted from older state): the node's count of our nonces
                // may now be below the counter, so it is read again.
                self.signer.nonces().resync(from).await;
                return Err(ExecError::dropped(format!("the node no longer knows {tx}")));
            }
            Err(_) => return Ok(()),
        };
        *unknown = 0;
        let nonce = alloy::consensus::Transaction::nonce(&sent);
        let Ok(pending) = self.provider().get_transaction_count(from).pending().await else {
            return Ok(());
        };
        let gaps = pending..nonce.min(pending.saturating_add(MAX_GAP_FILLS));
        for gap in gaps {
            self.signer.nonces().claim(from, gap).await;
            let fill = TransactionRequest::default()
                .with_from(from)
                .with_to(from)
                .with_value(U256::ZERO)
                .with_nonce(gap)
                .with_gas_limit(21_000);
            match self.provider().send_transaction(fill).await {
                Ok(p) => {
                    metrics::nonce_gap_filled();
                    tracing::warn!(target: "viable::keeper", nonce = gap, fill = %p.tx_hash(), waiting = %tx, "filled a nonce gap (a send was lost on the way)");
                }
                Err(e) => {
                    tracing::debug!(target: "viable::keeper", nonce = gap, error = %e, "cannot fill a nonce gap yet");
                    break;
                }
            }
        }
        Ok(())
    }
}

/// What a failed send says about the nonce it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NonceFate {
    /// The node says the nonce is already mined: the counter is behind.
    Behind,
    /// The node holds another transaction with this nonce (ours, whose answer was lost).
    Used,
    /// Nothing says the node took it.
    Unused,
}

/// Read the node's refusal of a send (the messages geth, reth and anvil use).
fn nonce_fate(error: &viable::Error) -> NonceFate {
    let viable::Error::Transport { source, .. } = error else { return NonceFate::Unused };
    let Some(refusal) = source.as_error_resp() else { return NonceFate::Unused };
    let message = refusal.message.to_ascii_lowercase();
    if message.contains("nonce too low") {
        NonceFate::Behind
    } else if message.contains("already known")
        || message.contains("known transaction")
        || message.contains("replacement transaction underpriced")
    {
        NonceFate::Used
    } else {
        NonceFate::Unused
    }
}

/// What an SDK error means for an action: a revert by the module's named error (each
/// module's file decides), a node or transport fault (transient), or a chain this
/// keeper cannot read.
fn classify(error: viable::Error) -> ExecError {
    let kind = match &error {
        viable::Error::Revert(revert) => match revert.suite_error() {
            Some(SuiteError::Work(e)) => work::classify(e),
            Some(SuiteError::Constitution(e)) => constitution::classify(e),
            Some(SuiteError::Locks(e)) => locks::classify(e),
            Some(SuiteError::Treasury(e)) => treasury::classify(e),
            Some(SuiteError::Strategy(e)) => strategy::classify(e),
            Some(_) => FailureKind::Permanent,
            // A revert without data says nothing; a string or panic will not change.
            None if revert.kind == RevertKind::Unknown => FailureKind::Transient,
            None => FailureKind::Permanent,
        },
        // An empty directory slot, an unknown amendment.
        viable::Error::Precondition(_) => FailureKind::Permanent,
        // Transport, timeouts, mined reverts without data, odd answers: try again.
        _ => FailureKind::Transient,
    };
    ExecError::new(kind, error)
}

#[cfg(test)]
mod tests {
    use alloy::{primitives::U256, sol_types::SolError};
    use viable::{
        Revert,
        bindings::{LegitimacyConstitution as L, WorkRegistry as W},
    };

    use super::*;

    fn revert(data: Vec<u8>) -> viable::Error {
        viable::Error::Revert(Box::new(Revert::decode(&data)))
    }

    #[test]
    fn reverts_classify_by_their_module() {
        let e = W::WorkRegistryWrongStatus { packetId: U256::from(7), status: 2 };
        let got = classify(revert(e.abi_encode()));
        assert_eq!(got.kind, FailureKind::AlreadyDone);
        assert!(got.reason.contains("WorkRegistryWrongStatus"), "{}", got.reason);
        let e = L::LegitimacyConstitutionUnknownAmendment { id: U256::from(7) };
        assert_eq!(classify(revert(e.abi_encode())).kind, FailureKind::Permanent);
        assert_eq!(classify(revert(Vec::new())).kind, FailureKind::Transient);
        let reason = alloy::sol_types::Revert::from("nope").abi_encode();
        assert_eq!(classify(revert(reason)).kind, FailureKind::Permanent);
        let timeout = viable::Error::Timeout { tx: TxHash::ZERO, after: Duration::from_secs(1) };
        assert_eq!(classify(timeout).kind, FailureKind::Transient);
    }

    fn refused(message: &str) -> viable::Error {
        let payload =
            serde_json::from_value(serde_json::json!({"code": -32003, "message": message}));
        alloy::transports::TransportError::ErrorResp(payload.unwrap()).into()
    }

    #[test]
    fn a_refused_send_says_what_became_of_its_nonce() {
        assert_eq!(nonce_fate(&refused("nonce too low")), NonceFate::Behind);
        assert_eq!(nonce_fate(&refused("replacement transaction underpriced")), NonceFate::Used);
        assert_eq!(nonce_fate(&refused("already known")), NonceFate::Used);
        assert_eq!(nonce_fate(&refused("insufficient funds for gas")), NonceFate::Unused);
        let lost = alloy::transports::TransportErrorKind::custom_str("connection reset");
        assert_eq!(nonce_fate(&lost.into()), NonceFate::Unused);
        assert_eq!(classify(refused("nonce too low")).kind, FailureKind::Transient);
    }
}
