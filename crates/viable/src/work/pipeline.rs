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
//!
//! The three steps are public for batches of any calls: [`sign_batch`], [`send_raw`]
//! and [`receipts`] (the benchmarks create their load with them).

use std::{collections::HashMap, time::Instant};

use alloy::{
    eips::Encodable2718,
    network::{Ethereum, EthereumWallet, NetworkWallet, TransactionBuilder},
    primitives::{Address, B256, Bytes, TxHash},
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
        let p = self.viable.provider();
        let calls: Vec<(Address, Bytes)> = packets
            .iter()
            .map(|(hash, data)| {
                (*w.address(), w.submit(schema_id, *hash, data.clone()).calldata().clone())
            })
            .collect();
        let raw = sign_batch(p, wallet, &calls, BatchGas::ByLength).await?;
        let hashes = send_raw(p, &raw).await?;
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

/// The gas limit each transaction of a batch gets (see [`sign_batch`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchGas {
    /// The same limit for every transaction: for calls that cannot be simulated before
    /// the earlier ones of the batch are mined (an attestation of a packet in flight).
    Fixed(u64),
    /// Simulate the first call of each calldata length against the current state and
    /// give every call of that length the estimate, a tenth more, and 12 gas a calldata
    /// byte (the most that other bytes of the same length can cost more). For batches of
    /// one kind of call whose gas depends on the length of its input, not on its bytes.
    ByLength,
}

/// Sign `calls` (target, calldata) with `wallet`'s default signer: consecutive nonces
/// from the account's pending count, the node's EIP-1559 fees and chain id, each read
/// once, and `gas` as the limit. Returns the raw transactions in nonce order, ready for
/// [`send_raw`]. Signing here rather than through a provider's fillers keeps the nonces
/// in order and fills nothing twice; the account must send nothing else until the
/// batch is mined.
pub async fn sign_batch<P: Provider>(
    p: &P,
    wallet: &EthereumWallet,
    calls: &[(Address, Bytes)],
    gas: BatchGas,
) -> Result<Vec<Bytes>> {
    let from = NetworkWallet::<Ethereum>::default_signer_address(wallet);
    let (nonce, fees, chain_id) = futures_util::try_join!(
        async { p.get_transaction_count(from).pending().await.map_err(Error::from) },
        async { p.estimate_eip1559_fees().await.map_err(Error::from) },
        async { p.get_chain_id().await.map_err(Error::from) },
    )?;
    let mut gas_by_len: HashMap<usize, u64> = HashMap::new();
    let mut raw = Vec::with_capacity(calls.len());
    for (i, (to, input)) in calls.iter().enumerate() {
        let tx = TransactionRequest::default()
            .with_from(from)
            .with_to(*to)
            .with_input(input.clone())
            .with_chain_id(chain_id)
            .with_max_fee_per_gas(fees.max_fee_per_gas)
            .with_max_priority_fee_per_gas(fees.max_priority_fee_per_gas);
        let limit = match gas {
            BatchGas::Fixed(limit) => limit,
            BatchGas::ByLength => match gas_by_len.get(&input.len()) {
                Some(g) => *g,
                None => {
                    let estimate = p.estimate_gas(tx.clone()).await?;
                    let g = estimate + estimate / 10 + 12 * input.len() as u64;
                    gas_by_len.insert(input.len(), g);
                    g
                }
            },
        };
        let signed =
            tx.with_nonce(nonce + i as u64).with_gas_limit(limit).build(wallet).await.map_err(
                |e| Error::Unexpected(format!("signing transaction {i} of a batch: {e}")),
            )?;
        raw.push(Bytes::from(signed.encoded_2718()));
    }
    Ok(raw)
}

/// Send signed transactions (`eth_sendRawTransaction`) in order, up to [`IN_FLIGHT`]
/// on the wire at once; their hashes, in the same order.
pub async fn send_raw<P: Provider>(p: &P, raw: &[Bytes]) -> Result<Vec<TxHash>> {
    stream::iter(raw)
        .map(|bytes| async move {
            let pending = p.send_raw_transaction(bytes).await?;
            Ok::<_, Error>(*pending.tx_hash())
        })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await
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
