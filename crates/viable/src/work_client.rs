//! The WorkRegistry through the client: register schemas, submit, attest, retract and
//! expire packets, read them back and follow them as events.

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::Provider,
};
use futures_util::{Stream, StreamExt};
use serde::Serialize;

use crate::{
    bindings::{IWorkRegistry as IWork, WorkRegistry},
    client::Viable,
    error::{Error, Result},
    governance::send,
    work::{self, Schema, Value},
};

/// Packet statuses, in the contract's order.
pub(crate) const STATUSES: [&str; 5] = ["None", "Pending", "Accepted", "Expired", "Retracted"];

/// A packet as read from the chain, with its data from the submission event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PacketInfo {
    /// Id.
    pub id: u64,
    /// Contributor.
    pub contributor: Address,
    /// Schema.
    pub schema_id: B256,
    /// `Pending`, `Accepted`, `Expired` or `Retracted`.
    pub status: String,
    /// Submission time.
    pub submitted_at: u64,
    /// Attestation deadline (0 for immediate schemas).
    pub deadline: u64,
    /// Attestations so far.
    pub attestations: u64,
    /// Content hash.
    pub content_hash: B256,
    /// The encoded field tuple.
    pub data: Bytes,
}

/// A packet event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum PacketEvent {
    /// Submitted (with its data).
    Submitted {
        /// Packet.
        packet_id: u64,
        /// Schema.
        schema_id: B256,
        /// Contributor.
        contributor: Address,
        /// Data.
        data: Bytes,
    },
    /// Accepted.
    Accepted {
        /// Packet.
        packet_id: u64,
    },
}

impl<P: Provider + Clone> Viable<P> {
    /// The WorkRegistry binding (from the constitution's directory in the deployment file).
    pub fn work_registry(&self) -> Result<WorkRegistry::WorkRegistryInstance<P>> {
        let addr = self.deployment().modules.work_registry;
        if addr.is_zero() {
            return Err(Error::Precondition("this deployment has no WorkRegistry".into()));
        }
        Ok(WorkRegistry::new(addr, self.provider().clone()))
    }

    async fn param_u64(&self, key: &str) -> Result<u64> {
        Ok(self.param(key).await?.saturating_to())
    }

    /// Check `schema` against the chain's limits, then register it. Returns its id;
    /// an identical schema already registered is refused with `WorkRegistrySchemaExists`.
    pub async fn register_schema(&self, schema: &Schema) -> Result<B256> {
        let max_fields = self.param_u64("work.maxFields").await?;
        let max_window = self.param_u64("work.maxAttestWindow").await?;
        schema.check(max_fields, max_window).map_err(|e| Error::Precondition(e.to_string()))?;
        let w = self.work_registry()?;
        let call = w.registerSchema(
            schema.name.clone(),
            schema.fields.clone(),
            schema.acceptance.clone(),
            schema.validator,
        );
        let receipt = send(call).await?;
        receipt
            .decoded_log::<WorkRegistry::SchemaRegistered>()
            .map(|l| l.data.schemaId)
            .ok_or_else(|| Error::Rpc("registerSchema: no SchemaRegistered event".into()))
    }

    /// A registered schema.
    pub async fn schema(&self, schema_id: B256) -> Result<Schema> {
        let s = self.work_registry()?.schema(schema_id).call().await?;
        Ok(Schema::from_chain(s))
    }

    /// Encode `values` for schema `schema_id`, check them as the registry would, and submit.
    pub async fn submit_values(
        &self,
        schema_id: B256,
        content_hash: B256,
        values: &[Value],
    ) -> Result<u64> {
        let schema = self.schema(schema_id).await?;
        let data = schema.encode(values).map_err(|e| Error::Precondition(e.to_string()))?;
        self.submit(schema_id, content_hash, data).await
    }

    /// Check encoded `data` as the registry would (same rule order, same error), then submit.
    pub async fn submit(&self, schema_id: B256, content_hash: B256, data: Bytes) -> Result<u64> {
        let schema = self.schema(schema_id).await?;
        let max = self.param_u64("work.maxDataBytes").await?;
        work::validate_packet(&schema, content_hash, &data, max)
            .map_err(|e| Error::Precondition(e.to_string()))?;
        self.submit_unchecked(schema_id, content_hash, data).await
    }

    /// Submit without client-side checks (the contract still checks everything).
    pub async fn submit_unchecked(
        &self,
        schema_id: B256,
        content_hash: B256,
        data: Bytes,
    ) -> Result<u64> {
        let w = self.work_registry()?;
        let receipt = send(w.submit(schema_id, content_hash, data)).await?;
        receipt
            .decoded_log::<WorkRegistry::PacketSubmitted>()
            .map(|l| l.data.packetId.saturating_to())
            .ok_or_else(|| Error::Rpc("submit: no PacketSubmitted event".into()))
    }

    /// Attest a pending packet (as one of its schema's attesters).
    pub async fn attest(&self, packet_id: u64) -> Result<()> {
        let w = self.work_registry()?;
        send(w.attest(U256::from(packet_id))).await.map(drop)
    }

    /// Retract your own pending packet.
    pub async fn retract(&self, packet_id: u64) -> Result<()> {
        let w = self.work_registry()?;
        send(w.retract(U256::from(packet_id))).await.map(drop)
    }

    /// Expire a pending packet whose deadline has passed (anyone may).
    pub async fn expire_packet(&self, packet_id: u64) -> Result<()> {
        let w = self.work_registry()?;
        send(w.expire(U256::from(packet_id))).await.map(drop)
    }

    /// A packet with its data.
    pub async fn packet(&self, packet_id: u64) -> Result<PacketInfo> {
        let w = self.work_registry()?;
        let p = w.packet(U256::from(packet_id)).call().await?;
        let logs = w
            .PacketSubmitted_filter()
            .topic1(U256::from(packet_id))
            .from_block(self.deployment().deploy_block)
            .query()
            .await?;
        let data = logs.into_iter().next().map(|(e, _)| e.data).unwrap_or_default();
        Ok(packet_info(packet_id, p, data))
    }

    /// Packets, newest first, optionally only one contributor's or one schema's.
    pub async fn packets(
        &self,
        contributor: Option<Address>,
        schema_id: Option<B256>,
        limit: usize,
    ) -> Result<Vec<PacketInfo>> {
        let w = self.work_registry()?;
        let mut filter = w.PacketSubmitted_filter().from_block(self.deployment().deploy_block);
        if let Some(s) = schema_id {
            filter = filter.topic2(s);
        }
        if let Some(c) = contributor {
            filter = filter.topic3(c);
        }
        let mut out = Vec::new();
        for (e, _) in filter.query().await?.into_iter().rev().take(limit) {
            let id: u64 = e.packetId.saturating_to();
            let p = w.packet(e.packetId).call().await?;
            out.push(packet_info(id, p, e.data));
        }
        Ok(out)
    }

    /// Follow submissions and acceptances as they are mined (polling the node).
    pub async fn watch_packets(&self) -> Result<impl Stream<Item = PacketEvent> + use<P>> {
        let w = self.work_registry()?;
        let submitted =
            w.PacketSubmitted_filter().watch().await?.into_stream().filter_map(|r| async move {
                r.ok().map(|(e, _)| PacketEvent::Submitted {
                    packet_id: e.packetId.saturating_to(),
                    schema_id: e.schemaId,
                    contributor: e.contributor,
                    data: e.data,
                })
            });
        let accepted =
            w.PacketAccepted_filter().watch().await?.into_stream().filter_map(|r| async move {
                r.ok().map(|(e, _)| PacketEvent::Accepted { packet_id: e.packetId.saturating_to() })
            });
        Ok(futures_util::stream::select(submitted, accepted))
    }

    /// Contribution points and power of `account`, and the total power.
    pub async fn contribution(&self, account: Address) -> Result<(U256, U256, U256)> {
        let w = self.work_registry()?;
        Ok((
            w.points(account).call().await?,
            w.power(account).call().await?,
            w.totalPower().call().await?,
        ))
    }
}

fn packet_info(id: u64, p: IWork::Packet, data: Bytes) -> PacketInfo {
    PacketInfo {
        id,
        contributor: p.contributor,
        schema_id: p.schemaId,
        status: STATUSES.get(p.status as usize).copied().unwrap_or("Unknown").to_string(),
        submitted_at: p.submittedAt.to(),
        deadline: p.deadline.to(),
        attestations: p.attestations.saturating_to(),
        content_hash: p.contentHash,
        data,
    }
}
