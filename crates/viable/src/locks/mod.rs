//! System 2, the CoordinationLocks: leases on resource keys, fair FIFO queues and
//! not-before times for accepted work.
//!
//! Reach it with [`Viable::locks`]; every call for the contract is on the returned
//! [`Locks`] handle, which finds the module in the constitution's directory at each
//! call. Writes run the contract's own checks client-side first ([`LocksError`],
//! named after the contract's errors), then simulate, send and wait. Resource keys
//! are [`Resource`]s: text is hashed with `keccak256` as the contract's docs say.

mod check;
mod types;

use alloy::{
    primitives::{Address, U256},
    providers::Provider,
    rpc::types::{Filter, TransactionReceipt},
    sol_types::SolEvent,
};

pub use self::{
    check::LocksError,
    types::{Grant, Mode, RequestInfo, RequestState, Requested, Resource, ResourceInfo},
};
use crate::{
    bindings::coordination::CoordinationLocks::{self, CoordinationLocksInstance},
    deployment::Module,
    error::{Error, Result},
    events,
    keys::ParamKey,
    tx,
    viable::Viable,
    work::{PacketId, PacketStatus},
};

/// How many packet ids one `queue` view call returns.
const QUEUE_PAGE: u64 = 128;
/// How often `withdraw` rereads the queue when someone ahead left meanwhile.
const WITHDRAW_TRIES: usize = 3;

impl<P: Provider + Clone> Viable<P> {
    /// System 2: the CoordinationLocks in the constitution's directory.
    pub fn locks(&self) -> Locks<P> {
        Locks { viable: self.clone(), sender: None }
    }
}

/// Every call for the CoordinationLocks.
///
/// The contributor and holder checks need the sender, which a provider does not tell:
/// name it with [`Locks::sender`] (calls are then sent `from` it). Without it those two
/// checks are left to the contract, whose revert the simulation still reports before
/// anything is sent.
#[derive(Debug, Clone)]
pub struct Locks<P> {
    viable: Viable<P>,
    sender: Option<Address>,
}

impl<P: Provider + Clone> Locks<P> {
    /// The same handle, sending from `sender` and checking that it is the contributor,
    /// holder or requester before sending.
    pub fn sender(mut self, sender: Address) -> Self {
        self.sender = Some(sender);
        self
    }

    /// The module's address, from the constitution's directory now.
    pub async fn address(&self) -> Result<Address> {
        self.viable.constitution().module(Module::Coordination).await
    }

    /// The generated binding at the directory's address, for calls the handle does
    /// not wrap.
    pub async fn contract(&self) -> Result<CoordinationLocksInstance<P>> {
        Ok(CoordinationLocks::new(self.address().await?, self.viable.provider().clone()))
    }

    async fn param_u64(&self, key: ParamKey) -> Result<u64> {
        Ok(self.viable.constitution().param(key).await?.saturating_to())
    }

    async fn send<Q: Provider + Clone, D: alloy::contract::CallDecoder>(
        &self,
        call: alloy::contract::CallBuilder<Q, D>,
    ) -> Result<TransactionReceipt> {
        let call = match self.sender {
            Some(from) => call.from(from),
            None => call,
        };
        tx::send(call, self.viable.send_options()).await
    }

    /// Request `resource` under packet `packet_id` (yours, Accepted) for a lease of
    /// `ttl` seconds, not before `not_before` (`None`: now). Checks the packet, the
    /// ttl against `locks.maxTtl`, an earlier request and a full queue as the contract
    /// would, then sends. Returns whether it was granted at once or queued.
    pub async fn request(
        &self,
        resource: Resource,
        packet_id: PacketId,
        mode: Mode,
        ttl: u64,
        not_before: Option<u64>,
    ) -> Result<Requested> {
        check::packet_id_ok(packet_id)?;
        let (max_ttl, max_queue, l, packet) = futures_util::try_join!(
            self.param_u64(ParamKey::LocksMaxTtl),
            self.param_u64(ParamKey::LocksMaxQueue),
            self.contract(),
            async {
                // The registry's own `WorkRegistryUnknownPacket` for an unknown id.
                let w = self.viable.work().contract().await?;
                Ok::<_, Error>(w.packet(packet_id.0).call().await?)
            },
        )?;
        let (existing, info) = futures_util::try_join!(
            async { Ok::<_, Error>(l.requestInfo(resource.0, packet_id.0).call().await?) },
            async { Ok::<_, Error>(l.resourceInfo(resource.0).call().await?) },
        )?;
        let status = PacketStatus::try_from(packet.status).map_err(|v| {
            Error::Unexpected(format!("packet status {v} is not one the SDK knows"))
        })?;
        check::check_request(&check::RequestFacts {
            resource,
            packet_id,
            ttl,
            max_ttl,
            max_queue,
            contributor: packet.contributor,
            status,
            caller: self.sender,
            existing: request_state(existing.state)?,
            queue_length: info.queueLength.saturating_to(),
        })?;
        self.request_unchecked(resource, packet_id, mode, ttl, not_before).await
    }

    /// Request without the client-side checks (the contract still checks everything).
    pub async fn request_unchecked(
        &self,
        resource: Resource,
        packet_id: PacketId,
        mode: Mode,
        ttl: u64,
        not_before: Option<u64>,
    ) -> Result<Requested> {
        let l = self.contract().await?;
        let call = l.request(
            resource.0,
            packet_id.0,
            mode.as_u8(),
            U256::from(ttl),
            U256::from(not_before.unwrap_or(0)),
        );
        let receipt = self.send(call).await?;
        let mut out = Requested {
            resource,
            packet_id,
            state: RequestState::None,
            lease_end: None,
            position: None,
        };
        for log in receipt.logs() {
            if let Ok(g) = log.log_decode::<CoordinationLocks::LockGranted>() {
                let g = g.inner.data;
                if g.resource == resource.0 && g.packetId == packet_id.0 {
                    out.state = RequestState::Held;
                    out.lease_end = Some(g.leaseEnd.saturating_to());
                }
            } else if let Ok(q) = log.log_decode::<CoordinationLocks::LockQueued>() {
                let q = q.inner.data;
                if q.resource == resource.0 && q.packetId == packet_id.0 {
                    out.state = RequestState::Queued;
                    out.position = Some(q.position.saturating_to());
                }
            }
        }
        if out.state == RequestState::None {
            return Err(Error::Unexpected("request: neither LockGranted nor LockQueued".into()));
        }
        Ok(out)
    }

    /// Release your held lock (ended or not). Returns the requests the grant step
    /// granted from the queue.
    pub async fn release(&self, resource: Resource, packet_id: PacketId) -> Result<Vec<Grant>> {
        let (l, r) = self.held(resource, packet_id).await?;
        check::check_holder(resource, packet_id, r.state, r.requester, self.sender)?;
        let receipt = self.send(l.release(resource.0, packet_id.0)).await?;
        grants(&receipt, resource)
    }

    /// Reset your running lease to end `ttl` seconds from now (at most
    /// `grantedAt + locks.maxHold`). Returns the new lease end.
    pub async fn renew(&self, resource: Resource, packet_id: PacketId, ttl: u64) -> Result<u64> {
        let ((l, r), max_ttl) = futures_util::try_join!(
            self.held(resource, packet_id),
            self.param_u64(ParamKey::LocksMaxTtl)
        )?;
        check::check_holder(resource, packet_id, r.state, r.requester, self.sender)?;
        check::ttl_ok(ttl, max_ttl)?;
        let receipt = self.send(l.renew(resource.0, packet_id.0, U256::from(ttl))).await?;
        receipt
            .decoded_log::<CoordinationLocks::LockRenewed>()
            .map(|e| e.data.leaseEnd.saturating_to())
            .ok_or_else(|| Error::Unexpected("renew: no LockRenewed event".into()))
    }

    /// Withdraw your queued request. The request ahead of it is read from the queue
    /// (and read again if it changed before the transaction landed). Returns the
    /// requests the grant step granted.
    pub async fn withdraw(&self, resource: Resource, packet_id: PacketId) -> Result<Vec<Grant>> {
        let mut tries = 0;
        loop {
            tries += 1;
            let (l, r) = self.held(resource, packet_id).await?;
            check::check_requester(resource, packet_id, r.state, r.requester, self.sender)?;
            let prev = self.predecessor(&l, resource, packet_id).await?;
            match self
                .send(l.withdraw(resource.0, packet_id.0, prev.map_or(U256::ZERO, |p| p.0)))
                .await
            {
                Ok(receipt) => return grants(&receipt, resource),
                Err(Error::Revert(r))
                    if r.name == "CoordinationLocksWrongPredecessor" && tries < WITHDRAW_TRIES =>
                {
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Expire a lease that has ended (anyone may). Returns the requests the grant
    /// step granted.
    pub async fn expire(&self, resource: Resource, packet_id: PacketId) -> Result<Vec<Grant>> {
        let (l, r) = self.held(resource, packet_id).await?;
        check::check_holder(resource, packet_id, r.state, r.requester, None)?;
        let receipt = self.send(l.expire(resource.0, packet_id.0)).await?;
        grants(&receipt, resource)
    }

    /// Grant the head of the queue (one Exclusive request or a run of Shared ones, at
    /// most `MAX_GRANTS_PER_CALL`); anyone may. `CoordinationLocksNothingToGrant` when
    /// nothing can be granted now.
    pub async fn grant_next(&self, resource: Resource) -> Result<Vec<Grant>> {
        let l = self.contract().await?;
        let receipt = self.send(l.grantNext(resource.0)).await?;
        grants(&receipt, resource)
    }

    /// A resource's holders, mode, queue and the time every current lease has ended.
    pub async fn resource(&self, resource: Resource) -> Result<ResourceInfo> {
        let r = self.contract().await?.resourceInfo(resource.0).call().await?;
        let packet = |v: U256| (!v.is_zero()).then_some(PacketId(v));
        Ok(ResourceInfo {
            resource,
            holders: r.holders.saturating_to(),
            mode: mode(r.mode)?,
            queue_length: r.queueLength.saturating_to(),
            head: packet(r.head),
            tail: packet(r.tail),
            expires_by: (!r.expiresBy.is_zero()).then(|| r.expiresBy.saturating_to()),
        })
    }

    /// One request, with its place in the queue when it waits.
    pub async fn request_info(
        &self,
        resource: Resource,
        packet_id: PacketId,
    ) -> Result<RequestInfo> {
        let (_, r) = self.held(resource, packet_id).await?;
        let position = if r.state == RequestState::Queued {
            self.position(resource, packet_id).await?
        } else {
            None
        };
        Ok(RequestInfo { position, ..r })
    }

    /// Each of `resources` with its holders, queue and expiry, in order (view calls, a
    /// bounded number in flight).
    pub async fn resources(&self, resources: &[Resource]) -> Result<Vec<ResourceInfo>> {
        events::batched(resources.iter().copied(), |r| self.resource(r)).await
    }

    /// Every resource some request was queued on or granted for between blocks `from`
    /// and `to` (inclusive), once each, in the order first seen (the `LockQueued` and
    /// `LockGranted` logs, read in bounded pages). From the deployment block to the
    /// head, that is every resource that can have holders or a queue now.
    pub async fn resources_seen(&self, from: u64, to: u64) -> Result<Vec<Resource>> {
        let filter = Filter::new().address(self.address().await?).event_signature(vec![
            CoordinationLocks::LockQueued::SIGNATURE_HASH,
            CoordinationLocks::LockGranted::SIGNATURE_HASH,
        ]);
        let logs = events::scan(self.viable.provider(), &filter, from, to).await?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for log in logs {
            let Some(key) = log.topics().get(1).copied() else {
                return Err(Error::Unexpected("a lock event without its resource topic".into()));
            };
            if seen.insert(key) {
                out.push(Resource(key));
            }
        }
        Ok(out)
    }

    /// The queued request's place, 1 for the head; `None` when it does not wait.
    pub async fn position(&self, resource: Resource, packet_id: PacketId) -> Result<Option<u64>> {
        let p = self.contract().await?.position(resource.0, packet_id.0).call().await?;
        Ok((!p.is_zero()).then(|| p.saturating_to()))
    }

    /// Up to `limit` waiting packets, head first (in bounded pages).
    pub async fn queue(&self, resource: Resource, limit: usize) -> Result<Vec<PacketId>> {
        let l = self.contract().await?;
        let mut out = Vec::new();
        let mut from = U256::ZERO;
        while out.len() < limit {
            let page = QUEUE_PAGE.min((limit - out.len()) as u64);
            let r = l.queue(resource.0, from, U256::from(page)).call().await?;
            out.extend(r.packetIds.into_iter().map(PacketId));
            if r.next.is_zero() {
                break;
            }
            from = r.next;
        }
        out.truncate(limit);
        Ok(out)
    }

    /// When the lease of `packet_id` on `resource` ends; `None` if it holds no lock there.
    pub async fn lease_end(&self, resource: Resource, packet_id: PacketId) -> Result<Option<u64>> {
        let t = self.contract().await?.leaseEnd(resource.0, packet_id.0).call().await?;
        Ok((!t.is_zero()).then(|| t.saturating_to()))
    }

    /// The time by which every current lease on `resource` has ended; `None` when
    /// nobody holds it.
    pub async fn next_expiry(&self, resource: Resource) -> Result<Option<u64>> {
        let t = self.contract().await?.nextExpiry(resource.0).call().await?;
        Ok((!t.is_zero()).then(|| t.saturating_to()))
    }

    /// The state of `packet_id`'s request on each of `resources`.
    pub async fn locks_of(
        &self,
        packet_id: PacketId,
        resources: &[Resource],
    ) -> Result<Vec<RequestState>> {
        let keys = resources.iter().map(|r| r.0).collect();
        let states = self.contract().await?.locksOf(packet_id.0, keys).call().await?;
        states.into_iter().map(request_state).collect()
    }

    /// The most requests one grant step grants.
    pub async fn max_grants_per_call(&self) -> Result<u64> {
        Ok(self.contract().await?.MAX_GRANTS_PER_CALL().call().await?.saturating_to())
    }

    /// The binding and the request record (without its position).
    async fn held(
        &self,
        resource: Resource,
        packet_id: PacketId,
    ) -> Result<(CoordinationLocksInstance<P>, RequestInfo)> {
        let l = self.contract().await?;
        let r = l.requestInfo(resource.0, packet_id.0).call().await?;
        let state = request_state(r.state)?;
        let some = |v: U256| (!v.is_zero()).then(|| v.saturating_to::<u64>());
        let info = RequestInfo {
            resource,
            packet_id,
            state,
            mode: mode(r.mode)?,
            requester: r.requester,
            ttl: some(r.ttl),
            not_before: some(r.notBefore),
            next: (!r.next.is_zero()).then_some(PacketId(r.next)),
            position: None,
            lease_end: some(r.leaseEnd),
            granted_at: some(r.grantedAt),
        };
        Ok((l, info))
    }

    /// The packet just ahead of `packet_id` in the queue (`None`: it is the head),
    /// read page by page (the queue is at most `locks.maxQueue` long).
    async fn predecessor(
        &self,
        l: &CoordinationLocksInstance<P>,
        resource: Resource,
        packet_id: PacketId,
    ) -> Result<Option<PacketId>> {
        let mut from = U256::ZERO;
        let mut before = None;
        loop {
            let r = l.queue(resource.0, from, U256::from(QUEUE_PAGE)).call().await?;
            for id in r.packetIds {
                if id == packet_id.0 {
                    return Ok(before);
                }
                before = Some(PacketId(id));
            }
            if r.next.is_zero() {
                return Err(check::LocksError::NotQueued {
                    resource,
                    packet_id,
                    state: RequestState::None,
                }
                .into());
            }
            from = r.next;
        }
    }
}

fn mode(v: u8) -> Result<Mode> {
    Mode::try_from(v)
        .map_err(|v| Error::Unexpected(format!("lock mode {v} is not one the SDK knows")))
}

fn request_state(v: u8) -> Result<RequestState> {
    RequestState::try_from(v)
        .map_err(|v| Error::Unexpected(format!("request state {v} is not one the SDK knows")))
}

/// The `LockGranted` events on `resource` in a receipt, in order.
fn grants(receipt: &TransactionReceipt, resource: Resource) -> Result<Vec<Grant>> {
    receipt
        .logs()
        .iter()
        .filter_map(|log| log.log_decode::<CoordinationLocks::LockGranted>().ok())
        .map(|g| g.inner.data)
        .filter(|g| g.resource == resource.0)
        .map(|g| {
            Ok(Grant {
                packet_id: PacketId(g.packetId),
                holder: g.holder,
                mode: mode(g.mode)?,
                lease_end: g.leaseEnd.saturating_to(),
            })
        })
        .collect()
}
