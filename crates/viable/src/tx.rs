//! The one path every transaction takes: simulate (so a revert comes back as the
//! module's named error), send, then wait for the receipt with a timeout and a
//! confirmation depth.

use std::time::Duration;

use alloy::{
    contract::{CallBuilder, CallDecoder},
    providers::{PendingTransactionBuilder, PendingTransactionError, Provider, WatchTxError},
    rpc::types::{TransactionReceipt, TransactionRequest},
};

use crate::error::{Error, Result};

/// How the SDK waits for its transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// Give up waiting for the receipt after this long ([`Error::Timeout`]).
    pub timeout: Duration,
    /// Blocks that must include the transaction (1 = mined).
    pub confirmations: u64,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(120), confirmations: 1 }
    }
}

impl SendOptions {
    /// Wait at most `timeout` for each receipt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Wait for `confirmations` blocks (at least 1).
    pub fn confirmations(mut self, confirmations: u64) -> Self {
        self.confirmations = confirmations.max(1);
        self
    }
}

/// Simulate `call`, send it with its gas estimate plus half and wait for its receipt
/// as `opts` says; a mined revert is an error.
pub(crate) async fn send<P, D>(
    call: CallBuilder<P, D>,
    opts: SendOptions,
) -> Result<TransactionReceipt>
where
    P: Provider + Clone,
    D: CallDecoder,
{
    call.call_raw().await?;
    // The estimate holds for the state it ran on; the block the transaction lands in
    // may take a dearer branch (a later timestamp, another write first), and an
    // out-of-gas revert loses the gas. Half again as much is headroom, paid only if
    // used (the keeper does the same).
    let estimate = call.estimate_gas().await?;
    let pending = call.gas(estimate.saturating_add(estimate / 2)).send().await?;
    wait(pending, opts).await
}

/// Simulate and send a raw transaction request (contract creation).
pub(crate) async fn send_request<P: Provider>(
    provider: &P,
    tx: TransactionRequest,
    opts: SendOptions,
) -> Result<TransactionReceipt> {
    provider.call(tx.clone()).await?;
    let pending = provider.send_transaction(tx).await?;
    wait(pending, opts).await
}

async fn wait(
    pending: PendingTransactionBuilder<alloy::network::Ethereum>,
    opts: SendOptions,
) -> Result<TransactionReceipt> {
    let tx = *pending.tx_hash();
    let timeout = Error::Timeout { tx, after: opts.timeout };
    // alloy's own timeout is checked only when a block arrives: waiting for a second
    // confirmation on a chain that mines nothing more would never end. The outer one
    // ends it on time.
    let watch = pending
        .with_required_confirmations(opts.confirmations)
        .with_timeout(Some(opts.timeout))
        .get_receipt();
    let receipt = tokio::time::timeout(opts.timeout, watch).await.map_err(|_| timeout)?.map_err(
        |e| match e {
            PendingTransactionError::TxWatcher(WatchTxError::Timeout) => {
                Error::Timeout { tx, after: opts.timeout }
            }
            other => other.into(),
        },
    )?;
    if !receipt.status() {
        return Err(Error::Reverted { tx: receipt.transaction_hash });
    }
    Ok(receipt)
}
