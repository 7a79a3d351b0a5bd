//! Many packets from one account without waiting for each: nonce pipelining.
//!
//! [`Work::submit`] simulates, sends and waits for the receipt, one packet at a time;
//! that is one round trip to a block per packet. [`Work::submit_pipelined`] checks every
//! packet client-side first, reads the account's nonce and the fees once, simulates one
//! packet per distinct data length (the gas of `submit` depends on the data's length, not
//! on its bytes, beyond their calldata price), then signs the transactions in nonce
//! order with the wallet it is given and keeps up to [`IN_FLIGHT`] of them on the wire
//! (`eth_sendRawTransaction`), and gathers the receipts. It signs itself rather than
//! through the provider's fillers so that the transactions leave in nonce order and
//! nothing is filled twice.

use std::{collections::HashMap, time::Instant};

use alloy::{
    eips::Encodable2718,
    network::{Ethereum, EthereumWallet, NetworkWallet, TransactionBuilder},
    primitives::{B256, Bytes, TxHash},
    providers::Provider,
    rpc::types::{TransactionReceipt, TransactionRequest},
};
use futures_util::{StreamExt, TryStreamExt, stream};

use super::{PacketId, Work, validate_packet};
use crate::{
    bindings::WorkRegistry,
    error::{Error, Result},
    keys::ParamKey,
};

/// How many transactions [`Work::submit_pipelined`] keeps in flight at once.
pub const IN_FLIGHT: usize = 32;

impl<P: Provider + Clone> Work<P> {
    /// Submit `packets` (content hash, encoded data) of schema `schema_id`, signed by
    /// `wallet`'s default signer, with consecutive nonces and without waiting for one
    /// receipt before sending the next. Every packet is checked client-side as
    /// [`Work::submit`] checks it before anything is sent; the first packet of each data
    /// length is simulated (a revert comes back as the registry's named error). Returns
    /// the packet ids in the order given.
    ///
    /// The account must send nothing else meanwhile: its nonces are taken from the
    /// pending count once. If one transaction fails, the later ones may still be mined;
    /// the error names the first failed transaction.
    pub async fn submit_pipelined(
        &self,
        wallet: &EthereumWallet,
        schema_id: B256,
        packets: &[(B256, Bytes)],
    ) -> Result<Vec<PacketId>> {
        if packets.is_empty() {
            return Ok(Vec::new());
        }
        let (schema, max, w) = futures_util::try_join!(
            self.schema(schema_id),
            self.param_u64(ParamKey::WorkMaxDataBytes),
            self.contract(),
        )?;
        for (hash, data) in packets {
            validate_packet(&schema, *hash, data, max)?;
        }
        let from = NetworkWallet::<Ethereum>::default_signer_address(wallet);
        let p = self.viable.provider();
        let (nonce, fees, chain_id) = futures_util::try_join!(
            async { p.get_transaction_count(from).pending().await.map_err(Error::from) },
            async { p.estimate_eip1559_fees().await.map_err(Error::from) },
            async { p.get_chain_id().await.map_err(Error::from) },
        )?;
        let mut gas_by_len: HashMap<usize, u64> = HashMap::new();
        let mut txs = Vec::with_capacity(packets.len());
        for (i, (hash, data)) in packets.iter().enumerate() {
            let tx = TransactionRequest::default()
                .with_from(from)
                .with_to(*w.address())
                .with_input(w.submit(schema_id, *hash, data.clone()).calldata().clone())
                .with_chain_id(chain_id)
                .with_max_fee_per_gas(fees.max_fee_per_gas)
                .with_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
            let gas = match gas_by_len.get(&data.len()) {
                Some(g) => *g,
                None => {
                    let estimate = p.estimate_gas(tx.clone()).await?;
                    // Same length, other bytes: at most 12 gas a byte more calldata.
                    let g = estimate + estimate / 10 + 12 * (data.len() as u64 + 68);
                    gas_by_len.insert(data.len(), g);
                    g
                }
            };
            txs.push(tx.with_nonce(nonce + i as u64).with_gas_limit(gas));
        }
        let hashes: Vec<TxHash> = stream::iter(txs)
            .then(|tx| async move {
                let signed = tx.build(wallet).await.map_err(|e| {
                    Error::Unexpected(format!("signing a packet's transaction: {e}"))
                })?;
                Ok::<_, Error>(Bytes::from(signed.encoded_2718()))
            })
            .map_ok(|raw| async move {
                let pending = p.send_raw_transaction(&raw).await?;
                Ok::<_, Error>(*pending.tx_hash())
            })
            .try_buffered(IN_FLIGHT)
            .try_collect()
            .await?;
        let timeout = self.viable.send_options().timeout;
        let receipts = receipts(p, &hashes, timeout).await?;
        receipts
            .iter()
            .map(|r| {
                r.decoded_log::<WorkRegistry::PacketSubmitted>()
                    .map(|l| PacketId(l.data.packetId))
                    .ok_or_else(|| Error::Unexpected("submit: no PacketSubmitted event".into()))
            })
            .collect()
    }
}

/// The receipts of `hashes`, in order, polling the node (up to [`IN_FLIGHT`] requests
/// at once) until each is mined or `timeout` has passed since the call; a reverted
/// transaction is an error.
pub async fn receipts<P: Provider>(
    provider: &P,
    hashes: &[TxHash],
    timeout: std::time::Duration,
) -> Result<Vec<TransactionReceipt>> {
    let start = Instant::now();
    stream::iter(hashes.iter().copied())
        .map(|tx| async move {
            loop {
                if let Some(r) = provider.get_transaction_receipt(tx).await? {
                    if !r.status() {
                        return Err(Error::Reverted { tx });
                    }
                    return Ok(r);
                }
                if start.elapsed() > timeout {
                    return Err(Error::Timeout { tx, after: timeout });
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await
}
