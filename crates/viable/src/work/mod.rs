//! System 1, the WorkRegistry: schemas (built in Rust or loaded from TOML/JSON),
//! packet encoding from typed values or JSON, client-side checks that mirror the
//! contract's rules — same order, same error names and facts — and packets.
//!
//! Reach it with [`Viable::work`]; every call for the contract is on the returned
//! [`Work`] handle, which finds the registry in the constitution's directory at
//! each call, so a `SetModule` amendment takes effect at once.

mod packet;
mod pipeline;
mod schema;
mod types;

use alloy::{
    primitives::{Address, B256, Bytes},
    providers::Provider,
    rpc::types::{Filter, Log},
    sol_types::SolEvent,
};
use futures_util::future::try_join_all;

pub use self::{
    packet::{PacketError, Value, decode_packet, validate_packet},
    pipeline::{BatchGas, IN_FLIGHT, receipts, send_raw, sign_batch},
    schema::{
        AcceptanceDef, FieldDef, FieldType, MAX_ATTESTERS, MAX_LEN_LIMIT, MAX_NAME_LENGTH, Schema,
        SchemaDef, SchemaError,
    },
    types::{Contribution, PacketId, PacketInfo, PacketStatus, PacketTally},
};
use crate::{
    bindings::{
        IWorkRegistry as IWork,
        WorkRegistry::{self, WorkRegistryInstance},
    },
    deployment::Module,
    error::{Error, Result},
    events,
    keys::ParamKey,
    tx,
    viable::Viable,
};

impl<P: Provider + Clone> Viable<P> {
    /// System 1: the WorkRegistry in the constitution's directory.
    pub fn work(&self) -> Work<P> {
        Work { viable: self.clone() }
    }
}

/// Every call for the WorkRegistry.
#[derive(Debug, Clone)]
pub struct Work<P> {
    viable: Viable<P>,
}

impl<P: Provider + Clone> Work<P> {
    /// The registry's address, from the constitution's directory now.
    pub async fn address(&self) -> Result<Address> {
        self.viable.constitution().module(Module::Work).await
    }

    /// The generated binding at the directory's address, for calls the handle does
    /// not wrap.
    pub async fn contract(&self) -> Result<WorkRegistryInstance<P>> {
        Ok(WorkRegistry::new(self.address().await?, self.viable.provider().clone()))
    }

    async fn param_u64(&self, key: ParamKey) -> Result<u64> {
        Ok(self.viable.constitution().param(key).await?.saturating_to())
    }

    /// Check `schema` against the chain's limits, then register it. Returns its id;
    /// an identical schema already registered is refused with `WorkRegistrySchemaExists`.
    pub async fn register_schema(&self, schema: &Schema) -> Result<B256> {
        let (max_fields, max_window, w) = futures_util::try_join!(
            self.param_u64(ParamKey::WorkMaxFields),
            self.param_u64(ParamKey::WorkMaxAttestWindow),
            self.contract(),
        )?;
        schema.check(max_fields, max_window)?;
        let call = w.registerSchema(
            schema.name.clone(),
            schema.fields.clone(),
            schema.acceptance.clone(),
            schema.validator,
        );
        let receipt = tx::send(call, self.viable.send_options()).await?;
        receipt
            .decoded_log::<WorkRegistry::SchemaRegistered>()
            .map(|l| l.data.schemaId)
            .ok_or_else(|| Error::Unexpected("registerSchema: no SchemaRegistered event".into()))
    }

    /// A registered schema (`WorkRegistryUnknownSchema` if there is none).
    pub async fn schema(&self, schema_id: B256) -> Result<Schema> {
        let s = self.contract().await?.schema(schema_id).call().await?;
        Ok(Schema::from_chain(s))
    }

    /// Encode `values` for schema `schema_id`, check them as the registry would, and submit.
    pub async fn submit_values(
        &self,
        schema_id: B256,
        content_hash: B256,
        values: &[Value],
    ) -> Result<PacketId> {
        let schema = self.schema(schema_id).await?;
        let data = schema.encode(values)?;
        self.submit_checked(&schema, schema_id, content_hash, data).await
    }

    /// Check encoded `data` as the registry would (same rule order, same error), then submit.
    pub async fn submit(
        &self,
        schema_id: B256,
        content_hash: B256,
        data: Bytes,
    ) -> Result<PacketId> {
        let schema = self.schema(schema_id).await?;
        self.submit_checked(&schema, schema_id, content_hash, data).await
    }

    async fn submit_checked(
        &self,
        schema: &Schema,
        schema_id: B256,
        content_hash: B256,
        data: Bytes,
    ) -> Result<PacketId> {
        let max = self.param_u64(ParamKey::WorkMaxDataBytes).await?;
        validate_packet(schema, content_hash, &data, max)?;
        self.submit_unchecked(schema_id, content_hash, data).await
    }

    /// Submit without client-side checks (the contract still checks everything).
    pub async fn submit_unchecked(
        &self,
        schema_id: B256,
        content_hash: B256,
        data: Bytes,
    ) -> Result<PacketId> {
        let w = self.contract().await?;
        let receipt =
            tx::send(w.submit(schema_id, content_hash, data), self.viable.send_options()).await?;
        receipt
            .decoded_log::<WorkRegistry::PacketSubmitted>()
            .map(|l| PacketId(l.data.packetId))
            .ok_or_else(|| Error::Unexpected("submit: no PacketSubmitted event".into()))
    }

    /// Attest a pending packet (as one of its schema's attesters).
    pub async fn attest(&self, packet_id: PacketId) -> Result<()> {
        let w = self.contract().await?;
        tx::send(w.attest(packet_id.0), self.viable.send_options()).await.map(drop)
    }

    /// Retract your own pending packet.
    pub async fn retract(&self, packet_id: PacketId) -> Result<()> {
        let w = self.contract().await?;
        tx::send(w.retract(packet_id.0), self.viable.send_options()).await.map(drop)
    }

    /// Expire a pending packet whose deadline has passed (anyone may).
    pub async fn expire(&self, packet_id: PacketId) -> Result<()> {
        let w = self.contract().await?;
        tx::send(w.expire(packet_id.0), self.viable.send_options()).await.map(drop)
    }

    /// A packet with its data (from its `PacketSubmitted` event, newest pages first).
    /// A packet whose event cannot be found is an error, never empty data.
    pub async fn packet(&self, packet_id: PacketId) -> Result<PacketInfo> {
        let w = self.contract().await?;
        let filter = self.submissions(*w.address()).topic1(packet_id.0);
        let (p, logs) = futures_util::try_join!(
            async { Ok::<_, Error>(w.packet(packet_id.0).call().await?) },
            self.scan_back(&filter, 1),
        )?;
        let Some(log) = logs.first() else {
            return Err(Error::Unexpected(format!(
                "packet {packet_id} has no PacketSubmitted event on this registry"
            )));
        };
        packet_info(packet_id, p, submitted(log)?.data)
    }

    /// Packets, newest first, optionally only one contributor's or one schema's
    /// (logs read backwards in bounded pages until `limit` are found; the packets'
    /// states read concurrently).
    pub async fn packets(
        &self,
        contributor: Option<Address>,
        schema_id: Option<B256>,
        limit: usize,
    ) -> Result<Vec<PacketInfo>> {
        let w = self.contract().await?;
        let mut filter = self.submissions(*w.address());
        if let Some(s) = schema_id {
            filter = filter.topic2(s);
        }
        if let Some(c) = contributor {
            filter = filter.topic3(c);
        }
        let events = self
            .scan_back(&filter, limit)
            .await?
            .iter()
            .map(submitted)
            .collect::<Result<Vec<_>>>()?;
        let states = try_join_all(events.iter().map(|e| {
            let w = &w;
            async move { Ok::<_, Error>(w.packet(e.packetId).call().await?) }
        }))
        .await?;
        events
            .into_iter()
            .zip(states)
            .map(|(e, p)| packet_info(PacketId(e.packetId), p, e.data))
            .collect()
    }

    /// Contribution points and power of `account`, and the total power.
    pub async fn contribution(&self, account: Address) -> Result<Contribution> {
        let w = self.contract().await?;
        let (points, power, total_power) = futures_util::try_join!(
            async { Ok::<_, Error>(w.points(account).call().await?) },
            async { Ok::<_, Error>(w.power(account).call().await?) },
            async { Ok::<_, Error>(w.totalPower().call().await?) },
        )?;
        Ok(Contribution { points, power, total_power })
    }

    /// Packets ever submitted to the registry in the directory now (ids run from 1).
    pub async fn packet_count(&self) -> Result<u64> {
        let n = self.contract().await?.packetCount().call().await?;
        Ok(n.saturating_to())
    }

    /// The status of each of `ids`, in order (view calls, a bounded number in flight).
    pub async fn statuses(&self, ids: &[PacketId]) -> Result<Vec<PacketStatus>> {
        let w = self.contract().await?;
        events::batched(ids.iter().copied(), |id| {
            let w = w.clone();
            async move {
                let p = w.packet(id.0).call().await?;
                PacketStatus::try_from(p.status).map_err(|v| {
                    Error::Unexpected(format!("packet status {v} is not one the SDK knows"))
                })
            }
        })
        .await
    }

    /// How many packets are in each status, over the newest `limit` packets (all of
    /// them when there are no more than `limit`).
    pub async fn tally(&self, limit: u64) -> Result<PacketTally> {
        let total = self.packet_count().await?;
        let first = total.saturating_sub(limit) + 1;
        let ids: Vec<PacketId> = (first..=total).map(PacketId::from).collect();
        let mut tally = PacketTally { total, ..PacketTally::default() };
        for status in self.statuses(&ids).await? {
            tally.add(status);
        }
        Ok(tally)
    }

    fn submissions(&self, registry: Address) -> Filter {
        Filter::new()
            .address(registry)
            .event_signature(WorkRegistry::PacketSubmitted::SIGNATURE_HASH)
    }

    async fn scan_back(&self, filter: &Filter, want: usize) -> Result<Vec<Log>> {
        let p = self.viable.provider();
        let head = p.get_block_number().await?;
        events::scan_back(p, filter, self.viable.deployment().deploy_block, head, want).await
    }
}

fn submitted(log: &Log) -> Result<WorkRegistry::PacketSubmitted> {
    WorkRegistry::PacketSubmitted::decode_log_data(log.data())
        .map_err(|e| Error::Unexpected(format!("PacketSubmitted does not decode: {e}")))
}

fn packet_info(id: PacketId, p: IWork::Packet, data: Bytes) -> Result<PacketInfo> {
    let status = PacketStatus::try_from(p.status)
        .map_err(|v| Error::Unexpected(format!("packet status {v} is not one the SDK knows")))?;
    let attestations = u64::try_from(p.attestations)
        .map_err(|_| Error::Unexpected(format!("packet {id}: {} attestations", p.attestations)))?;
    Ok(PacketInfo {
        id,
        contributor: p.contributor,
        schema_id: p.schemaId,
        status,
        submitted_at: p.submittedAt.to(),
        deadline: p.deadline.to(),
        attestations,
        content_hash: p.contentHash,
        data,
    })
}
