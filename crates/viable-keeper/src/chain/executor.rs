//! The alloy [`Executor`]: simulate with `eth_call`, send through the signer's one
//! provider (gas, fees and nonces by its fillers), wait for the receipt with a
//! timeout; every failure classified from the SDK's decoded revert.

use std::time::Duration;

use alloy::{
    eips::BlockId,
    network::TransactionBuilder,
    primitives::TxHash,
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
};
use tokio::time::Instant;
use viable::{SuiteError, Viable, error::RevertKind};

use super::{constitution, provider::SignerProvider, work};
use crate::{
    action::{Action, Module},
    executor::{ExecError, Executor, FailureKind, Receipt},
    observed::Observed,
};

/// Gas limit headroom over the estimate, in percent.
const GAS_HEADROOM_PERCENT: u64 = 20;

/// Performs actions on one deployment as one signer.
///
/// Simulations and gas estimates run against the `pending` block: the transaction
/// will be mined in the next block, whose timestamp is the one the deadlines are
/// checked against, and pending transactions of other keepers already count there.
#[derive(Debug, Clone)]
pub struct ChainExecutor {
    viable: Viable<DynProvider>,
    signer: SignerProvider,
    receipt_timeout: Duration,
    poll: Duration,
}

impl ChainExecutor {
    /// An executor for `viable`'s deployment sending as `signer` (whose provider
    /// `viable` should be built on). One wait for a receipt polls every `poll` and gives
    /// up after `receipt_timeout`.
    pub fn new(
        viable: Viable<DynProvider>,
        signer: SignerProvider,
        receipt_timeout: Duration,
        poll: Duration,
    ) -> Self {
        Self { viable, signer, receipt_timeout, poll }
    }

    fn provider(&self) -> &DynProvider {
        self.signer.provider()
    }

    /// The transaction that performs `action`.
    async fn request(&self, action: &Action) -> Result<TransactionRequest, ExecError> {
        let target = match action.module() {
            Module::Work => work::call(&self.viable, action).await.map_err(classify)?,
            Module::Constitution => constitution::call(&self.viable, action),
            Module::Locks | Module::Treasury | Module::Strategy => None,
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
        match self.provider().send_transaction(tx).await {
            Ok(pending) => Ok(*pending.tx_hash()),
            Err(e) => {
                // The nonce this send took may never reach the node: ask the node again
                // next time rather than leave a gap every later transaction waits behind.
                self.signer.nonces().forget(self.signer.from()).await;
                Err(classify(e.into()))
            }
        }
    }

    async fn wait(&self, tx: TxHash) -> Result<Receipt, ExecError> {
        let give_up = Instant::now() + self.receipt_timeout;
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
            if Instant::now() + self.poll > give_up {
                return Err(ExecError::transient(format!(
                    "no receipt for {tx} within {:?}",
                    self.receipt_timeout
                )));
            }
            tokio::time::sleep(self.poll).await;
        }
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
}
