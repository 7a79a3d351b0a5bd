//! System 3, the OptimizationTreasury: deposits, budget lines, allocations to
//! accepted work with a veto window, transfers and streams, and the epoch books.
//!
//! Reach it with [`Viable::treasury`]; every call for the contract is on the
//! returned [`Treasury`] handle, which finds the treasury in the constitution's
//! directory at each call. Amounts are in the asset's smallest unit; [`parse_amount`]
//! reads `1.5 ether` or `250 USDC` with the decimals read from the token
//! ([`Treasury::asset`]). Before sending, the handle runs the contract's own checks
//! of lines, packets, states, windows, caps and remainders and refuses with the
//! contract's error name ([`TreasuryError`]); a guardian's veto goes through the
//! constitution (`viable.constitution().veto_allocation(id, reason)`).

mod amount;
mod check;
mod types;

use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256, TxHash, U256},
    providers::Provider,
};

use self::check::{Terms, check_caps, check_line};
pub use self::{
    amount::{format_amount, parse_amount},
    check::TreasuryError,
    types::{
        Allocation, AllocationId, AllocationState, AssetBooks, AssetEpoch, AssetInfo, Books,
        CapUse, Epoch, Line, LineBooks, LineId, LineStatus,
    },
};
use crate::{
    bindings::{
        WorkRegistry,
        optimization::{
            IOptimizationTreasury as IT,
            OptimizationTreasury::{self, OptimizationTreasuryInstance},
        },
    },
    constitution::Role,
    deployment::Module,
    error::{Error, Result},
    events, tx,
    viable::Viable,
    work::{PacketId, PacketStatus},
};

alloy::sol! {
    /// The ERC20 calls the treasury handle makes (decimals, symbol, approve).
    #[sol(rpc)]
    interface IErc20 {
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function approve(address spender, uint256 amount) external returns (bool);
        function balanceOf(address owner) external view returns (uint256);
    }
}

impl<P: Provider + Clone> Viable<P> {
    /// System 3: the OptimizationTreasury in the constitution's directory.
    pub fn treasury(&self) -> Treasury<P> {
        Treasury { viable: self.clone() }
    }
}

/// A new budget line: asset, steward and share, then the optional terms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewLine {
    /// The asset it spends (`Address::ZERO`: ETH).
    pub asset: Address,
    /// Who allocates from it (must hold the STEWARD role).
    pub steward: Address,
    /// Share of the asset's epoch budget, in `[1, 10_000]` bps.
    pub share_bps: u64,
    /// Schema filter (zero: any recognized schema).
    pub schema_id: B256,
    /// Fixed bounty per packet (zero: none; needs a schema filter).
    pub bounty: U256,
    /// Share of a stream before it vests anything, in `[0, 10_000]` bps.
    pub cliff_bps: u64,
    /// The Ready Strategy proposal it adopts (zero: none).
    pub strategy_proposal_id: U256,
}

impl NewLine {
    /// A line of `asset` run by `steward` with `share_bps` of the epoch budget.
    pub fn new(asset: Address, steward: Address, share_bps: u64) -> Self {
        Self {
            asset,
            steward,
            share_bps,
            schema_id: B256::ZERO,
            bounty: U256::ZERO,
            cliff_bps: 0,
            strategy_proposal_id: U256::ZERO,
        }
    }

    /// Fund only packets of `schema_id`.
    pub fn schema(mut self, schema_id: B256) -> Self {
        self.schema_id = schema_id;
        self
    }

    /// Pay `bounty` per accepted packet through `claimBounty`.
    pub fn bounty(mut self, bounty: U256) -> Self {
        self.bounty = bounty;
        self
    }

    /// Streams vest nothing before `cliff_bps` of their duration.
    pub fn cliff_bps(mut self, cliff_bps: u64) -> Self {
        self.cliff_bps = cliff_bps;
        self
    }

    /// Adopt Strategy proposal `id`.
    pub fn strategy_proposal(mut self, id: U256) -> Self {
        self.strategy_proposal_id = id;
        self
    }
}

/// Every call for the OptimizationTreasury.
#[derive(Debug, Clone)]
pub struct Treasury<P> {
    viable: Viable<P>,
}

impl<P: Provider + Clone> Treasury<P> {
    /// The treasury's address, from the constitution's directory now.
    pub async fn address(&self) -> Result<Address> {
        self.viable.constitution().module(Module::Optimization).await
    }

    /// The generated binding at the directory's address, for calls the handle does
    /// not wrap.
    pub async fn contract(&self) -> Result<OptimizationTreasuryInstance<P>> {
        Ok(OptimizationTreasury::new(self.address().await?, self.viable.provider().clone()))
    }

    /// ETH for `Address::ZERO`, else the token's symbol and decimals, read from it.
    pub async fn asset(&self, asset: Address) -> Result<AssetInfo> {
        if asset.is_zero() {
            return Ok(AssetInfo::eth());
        }
        let t = IErc20::new(asset, self.viable.provider().clone());
        let (symbol, decimals) =
            futures_util::try_join!(async { Ok::<_, Error>(t.symbol().call().await?) }, async {
                Ok::<_, Error>(t.decimals().call().await?)
            },)?;
        Ok(AssetInfo::token(asset, symbol, decimals))
    }

    /// `text` (`1.5 ether`, `250 USDC`, `0.5`) in `asset`'s smallest unit, with the
    /// decimals read from the token. Negative amounts are refused.
    pub async fn parse_amount(&self, asset: Address, text: &str) -> Result<U256> {
        Ok(parse_amount(text, &self.asset(asset).await?)?)
    }

    /// What the treasury holds of `asset` (its ETH balance or token balance).
    pub async fn balance(&self, asset: Address) -> Result<U256> {
        let me = self.address().await?;
        let p = self.viable.provider();
        if asset.is_zero() {
            return Ok(p.get_balance(me).await?);
        }
        Ok(IErc20::new(asset, p.clone()).balanceOf(me).call().await?)
    }

    async fn now(&self) -> Result<u64> {
        let block = self
            .viable
            .provider()
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await?
            .ok_or_else(|| Error::Unexpected("the node has no latest block".into()))?;
        Ok(block.header.timestamp)
    }

    // ------------------------------------------------------------------
    // Writes
    // ------------------------------------------------------------------

    /// Deposit `amount` of `asset`: ETH as the call's value; a token is approved for
    /// exactly `amount` first (a second transaction). Returns what the treasury
    /// credited (less than `amount` for a fee-on-transfer token).
    pub async fn deposit(&self, asset: Address, amount: U256) -> Result<U256> {
        if amount.is_zero() {
            return Err(TreasuryError::ZeroAmount.into());
        }
        let t = self.contract().await?;
        let opts = self.viable.send_options();
        let receipt = if asset.is_zero() {
            tx::send(t.deposit(asset, amount).value(amount), opts).await?
        } else {
            let token = IErc20::new(asset, self.viable.provider().clone());
            tx::send(token.approve(*t.address(), amount), opts).await?;
            tx::send(t.deposit(asset, amount), opts).await?
        };
        receipt
            .decoded_log::<OptimizationTreasury::Deposited>()
            .map(|l| l.data.received)
            .ok_or_else(|| Error::Unexpected("deposit: no Deposited event".into()))
    }

    async fn terms_ok(
        &self,
        asset: Address,
        t: &Terms,
        other_shares: u64,
        c: &OptimizationTreasuryInstance<P>,
    ) -> Result<()> {
        let max = c.MAX_AMOUNT().call().await?;
        check_line(asset, t, other_shares, max)?;
        Ok(())
    }

    async fn is_steward(&self, who: Address) -> Result<bool> {
        if who.is_zero() {
            return Ok(false);
        }
        Ok(self.viable.constitution().role_members(Role::Steward).await?.contains(&who))
    }

    /// Open a budget line (as a STEWARD account). Checked first: the steward holds the
    /// role, share, cliff and bounty are in bounds, and the asset's active lines stay
    /// within 10,000 bps.
    pub async fn create_line(&self, line: &NewLine) -> Result<LineId> {
        let c = self.contract().await?;
        let (books, steward_ok) =
            futures_util::try_join!(self.asset_epoch(line.asset), self.is_steward(line.steward))?;
        let terms = Terms {
            steward: line.steward,
            steward_ok,
            share_bps: line.share_bps,
            has_schema: !line.schema_id.is_zero(),
            bounty: line.bounty,
            cliff_bps: line.cliff_bps,
        };
        self.terms_ok(line.asset, &terms, books.share_bps, &c).await?;
        let call = c.createLine(
            line.asset,
            line.steward,
            U256::from(line.share_bps),
            line.schema_id,
            line.bounty,
            U256::from(line.cliff_bps),
            line.strategy_proposal_id,
        );
        let receipt = tx::send(call, self.viable.send_options()).await?;
        receipt
            .decoded_log::<OptimizationTreasury::LineCreated>()
            .map(|l| LineId(l.data.lineId))
            .ok_or_else(|| Error::Unexpected("createLine: no LineCreated event".into()))
    }

    /// Change an active line's steward, share, bounty and cliff (as a STEWARD account).
    pub async fn update_line(
        &self,
        id: LineId,
        steward: Address,
        share_bps: u64,
        bounty: U256,
        cliff_bps: u64,
    ) -> Result<TxHash> {
        let c = self.contract().await?;
        let current = self.active_line(id).await?;
        let (books, steward_ok) =
            futures_util::try_join!(self.asset_epoch(current.asset), self.is_steward(steward))?;
        let terms = Terms {
            steward,
            steward_ok,
            share_bps,
            has_schema: !current.schema_id.is_zero(),
            bounty,
            cliff_bps,
        };
        let others = books.share_bps.saturating_sub(current.share_bps);
        self.terms_ok(current.asset, &terms, others, &c).await?;
        let call =
            c.updateLine(id.0, steward, U256::from(share_bps), bounty, U256::from(cliff_bps));
        Ok(tx::send(call, self.viable.send_options()).await?.transaction_hash)
    }

    /// Close an active line (as a STEWARD account); its share returns to the asset.
    pub async fn close_line(&self, id: LineId) -> Result<TxHash> {
        let c = self.contract().await?;
        self.active_line(id).await?;
        Ok(tx::send(c.closeLine(id.0), self.viable.send_options()).await?.transaction_hash)
    }

    /// The line, if it exists and is active (`UnknownLine`, `LineClosed` otherwise).
    async fn active_line(&self, id: LineId) -> Result<Line> {
        if id.0.is_zero() || id.0 > self.line_count().await? {
            return Err(TreasuryError::UnknownLine { line: id }.into());
        }
        let line = self.line(id).await?;
        if line.status != LineStatus::Active {
            return Err(TreasuryError::LineClosed { line: id }.into());
        }
        Ok(line)
    }

    /// Allocate `amount` from line `line` to packet `packet`'s contributor, as a
    /// transfer (`stream_secs` zero) or a stream over `stream_secs`; Pending for
    /// `treasury.vetoWindow`. As the line's steward. Checked first, in the contract's
    /// order: the line, the stream's length, the amount, the packet (Accepted, the
    /// line's schema, recognized), no earlier allocation, then the line's remainder,
    /// the asset's epoch remainder and the recipient's cap.
    pub async fn allocate(
        &self,
        line: LineId,
        packet: PacketId,
        amount: U256,
        stream_secs: u64,
    ) -> Result<AllocationId> {
        let c = self.contract().await?;
        let l = self.active_line(line).await?;
        let max = c.MAX_STREAM_DURATION().call().await?;
        if U256::from(stream_secs) > max {
            return Err(
                TreasuryError::StreamTooLong { duration: stream_secs, max: max.to() }.into()
            );
        }
        self.check_funding(&c, &l, packet, amount, false).await?;
        let call = c.allocate(line.0, packet.0, amount, U256::from(stream_secs));
        self.created(tx::send(call, self.viable.send_options()).await?)
    }

    /// Claim line `line`'s bounty for packet `packet` (anyone may): a Pending
    /// transfer of the bounty to the packet's contributor. Checked as `allocate` is.
    pub async fn claim_bounty(&self, line: LineId, packet: PacketId) -> Result<AllocationId> {
        let c = self.contract().await?;
        let l = self.active_line(line).await?;
        if l.bounty.is_zero() {
            return Err(TreasuryError::NoBounty { line }.into());
        }
        let bounty = l.bounty;
        self.check_funding(&c, &l, packet, bounty, true).await?;
        let call = c.claimBounty(line.0, packet.0);
        self.created(tx::send(call, self.viable.send_options()).await?)
    }

    fn created(&self, receipt: alloy::rpc::types::TransactionReceipt) -> Result<AllocationId> {
        receipt
            .decoded_log::<OptimizationTreasury::AllocationCreated>()
            .map(|l| AllocationId(l.data.allocationId))
            .ok_or_else(|| Error::Unexpected("no AllocationCreated event".into()))
    }

    /// The contract's `_fund` checks, in its order.
    async fn check_funding(
        &self,
        c: &OptimizationTreasuryInstance<P>,
        l: &Line,
        packet: PacketId,
        amount: U256,
        bounty: bool,
    ) -> Result<()> {
        if amount.is_zero() {
            return Err(TreasuryError::ZeroAmount.into());
        }
        if packet.0 > U256::from(u64::MAX) {
            return Err(TreasuryError::PacketIdTooLarge { packet }.into());
        }
        let work = WorkRegistry::new(
            self.viable.constitution().module(Module::Work).await?,
            self.viable.provider().clone(),
        );
        let p = work.packet(packet.0).call().await?;
        let status = PacketStatus::try_from(p.status).map_err(|v| {
            Error::Unexpected(format!("packet status {v} is not one the SDK knows"))
        })?;
        if status != PacketStatus::Accepted {
            return Err(TreasuryError::PacketNotAccepted { packet, status }.into());
        }
        if !l.schema_id.is_zero() && p.schemaId != l.schema_id {
            return Err(TreasuryError::SchemaMismatch {
                line: l.id,
                packet,
                schema: p.schemaId,
                required: l.schema_id,
            }
            .into());
        }
        if self.viable.constitution().recognition(p.schemaId).await?.is_zero() {
            return Err(TreasuryError::SchemaNotRecognized { packet, schema: p.schemaId }.into());
        }
        let id = AllocationId::of(l.asset, l.id, packet);
        let prior = self.state(c, id).await?;
        if prior != AllocationState::None && (bounty || prior != AllocationState::Cancelled) {
            return Err(TreasuryError::AlreadyAllocated {
                line: l.id,
                packet,
                allocation: id,
                state: prior,
            }
            .into());
        }
        let recipient = p.contributor;
        let (line_use, books, recipient_use) = futures_util::try_join!(
            self.line_epoch(l.id),
            self.asset_epoch(l.asset),
            self.recipient_epoch(l.asset, recipient),
        )?;
        check_caps(l.id, l.asset, recipient, amount, &line_use, &books, &recipient_use)?;
        Ok(())
    }

    /// An allocation's state (`None` if there is none), from `claimable`-free reads.
    async fn state(
        &self,
        c: &OptimizationTreasuryInstance<P>,
        id: AllocationId,
    ) -> Result<AllocationState> {
        match c.allocation(id.0).call().await {
            Ok(a) => allocation_state(a.state),
            Err(e) => {
                let e = Error::from(e);
                if e.is_revert("OptimizationTreasuryUnknownAllocation") {
                    Ok(AllocationState::None)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Cancel a pending allocation before its deadline (as its line's steward).
    pub async fn cancel(&self, id: AllocationId) -> Result<TxHash> {
        let c = self.contract().await?;
        self.check_in_window(id).await?;
        Ok(tx::send(c.cancel(id.0), self.viable.send_options()).await?.transaction_hash)
    }

    /// Refuse with the contract's error unless `id` is Pending and in its window.
    async fn check_in_window(&self, id: AllocationId) -> Result<()> {
        let (a, now) = futures_util::try_join!(self.allocation(id), self.now())?;
        if a.state != AllocationState::Pending {
            return Err(TreasuryError::WrongState {
                allocation: id,
                current: a.state,
                required: AllocationState::Pending,
            }
            .into());
        }
        if now >= a.deadline {
            return Err(TreasuryError::VetoWindowClosed {
                allocation: id,
                deadline: a.deadline,
                now,
            }
            .into());
        }
        Ok(())
    }

    /// Execute a pending allocation whose window has passed (anyone may). Returns the
    /// state it left: Paid (transferred) or Claimable (a stream, or a refused push).
    pub async fn execute(&self, id: AllocationId) -> Result<AllocationState> {
        let c = self.contract().await?;
        let (a, now) = futures_util::try_join!(self.allocation(id), self.now())?;
        if a.state != AllocationState::Pending {
            return Err(TreasuryError::WrongState {
                allocation: id,
                current: a.state,
                required: AllocationState::Pending,
            }
            .into());
        }
        if now < a.deadline {
            return Err(TreasuryError::VetoWindowOpen {
                allocation: id,
                deadline: a.deadline,
                now,
            }
            .into());
        }
        let receipt = tx::send(c.execute(id.0), self.viable.send_options()).await?;
        let state = receipt
            .decoded_log::<OptimizationTreasury::AllocationExecuted>()
            .map(|l| l.data.state)
            .ok_or_else(|| Error::Unexpected("execute: no AllocationExecuted event".into()))?;
        allocation_state(state)
    }

    /// Claim what has vested of a Claimable allocation (as its recipient). Returns
    /// what was paid.
    pub async fn claim(&self, id: AllocationId) -> Result<U256> {
        let c = self.contract().await?;
        let a = self.allocation(id).await?;
        if a.state != AllocationState::Claimable {
            return Err(TreasuryError::WrongState {
                allocation: id,
                current: a.state,
                required: AllocationState::Claimable,
            }
            .into());
        }
        // The next block vests at least as much as the latest; only a fully claimed
        // allocation is sure to have nothing.
        if a.claimed >= a.amount {
            return Err(TreasuryError::NothingToClaim {
                allocation: id,
                vested: a.vested,
                claimed: a.claimed,
            }
            .into());
        }
        let receipt = tx::send(c.claim(id.0), self.viable.send_options()).await?;
        receipt
            .decoded_log::<OptimizationTreasury::Claimed>()
            .map(|l| l.data.amount)
            .ok_or_else(|| Error::Unexpected("claim: no Claimed event".into()))
    }

    /// Move `asset`'s uncommitted balance to the treasury that replaced this one in
    /// the directory (anyone may). Called on this handle's `contract` at `from`, the
    /// replaced treasury's address.
    pub async fn migrate(&self, from: Address, asset: Address) -> Result<TxHash> {
        let c = OptimizationTreasury::new(from, self.viable.provider().clone());
        Ok(tx::send(c.migrate(asset), self.viable.send_options()).await?.transaction_hash)
    }

    // ------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------

    /// The current epoch.
    pub async fn epoch(&self) -> Result<Epoch> {
        let e = self.contract().await?.epoch().call().await?;
        Ok(Epoch {
            index: e.index.saturating_to(),
            start: e.start.saturating_to(),
            end: e.end.saturating_to(),
        })
    }

    /// `asset`'s budget, spending, remainder and free balance this epoch.
    pub async fn asset_epoch(&self, asset: Address) -> Result<AssetEpoch> {
        let b: IT::AssetEpoch = self.contract().await?.assetEpoch(asset).call().await?;
        Ok(AssetEpoch {
            epoch: b.epoch.saturating_to(),
            budget: b.budget,
            spent: b.spent,
            remainder: b.remainder,
            free: b.free,
            share_bps: b.shareBps.saturating_to(),
        })
    }

    /// Line `id`'s cap, use and remainder this epoch.
    pub async fn line_epoch(&self, id: LineId) -> Result<CapUse> {
        Ok(cap_use(self.contract().await?.lineEpoch(id.0).call().await?))
    }

    /// `recipient`'s cap, use and remainder in `asset` this epoch.
    pub async fn recipient_epoch(&self, asset: Address, recipient: Address) -> Result<CapUse> {
        Ok(cap_use(self.contract().await?.recipientEpoch(asset, recipient).call().await?))
    }

    /// Line `id` (`OptimizationTreasuryUnknownLine` if there is none).
    pub async fn line(&self, id: LineId) -> Result<Line> {
        let l: IT::Line = self.contract().await?.line(id.0).call().await?;
        Ok(Line {
            id,
            asset: l.asset,
            steward: l.steward,
            share_bps: l.shareBps.saturating_to(),
            status: LineStatus::try_from(l.status).map_err(|v| {
                Error::Unexpected(format!("line status {v} is not one the SDK knows"))
            })?,
            schema_id: l.schemaId,
            bounty: l.bounty,
            cliff_bps: l.cliffBps.saturating_to(),
            strategy_proposal_id: l.strategyProposalId,
        })
    }

    /// Number of lines created (the latest line's id).
    pub async fn line_count(&self) -> Result<U256> {
        Ok(self.contract().await?.lineCount().call().await?)
    }

    /// Up to `limit` lines from id `from` on, read concurrently.
    pub async fn lines(&self, from: LineId, limit: usize) -> Result<Vec<Line>> {
        let count = self.line_count().await?;
        let first = from.0.max(U256::from(1));
        let ids: Vec<LineId> = (0..limit)
            .map(|i| LineId(first + U256::from(i)))
            .take_while(|id| id.0 <= count)
            .collect();
        futures_util::future::try_join_all(ids.into_iter().map(|id| self.line(id))).await
    }

    /// Allocation `id`, with its state, deadline and vested and claimed amounts
    /// (`OptimizationTreasuryUnknownAllocation` if there is none).
    pub async fn allocation(&self, id: AllocationId) -> Result<Allocation> {
        let a: IT::Allocation = self.contract().await?.allocation(id.0).call().await?;
        Ok(Allocation {
            id,
            asset: a.asset,
            line_id: LineId(a.lineId),
            packet_id: PacketId(a.packetId),
            recipient: a.recipient,
            amount: a.amount,
            state: allocation_state(a.state)?,
            epoch: a.epoch.saturating_to(),
            deadline: a.deadline.saturating_to(),
            stream_duration: a.streamDuration.saturating_to(),
            cliff: a.cliff.saturating_to(),
            vested: a.vested,
            claimed: a.claimed,
        })
    }

    /// The books this epoch: the epoch, the newest `limit` lines with their cap, use
    /// and remainder, and ETH and every asset of those lines with its budget, spending
    /// and balance (view calls, a bounded number in flight).
    pub async fn books(&self, limit: usize) -> Result<Books> {
        let (epoch, count) = futures_util::try_join!(self.epoch(), self.line_count())?;
        let line_count: u64 = count.saturating_to();
        let first = line_count.saturating_sub(limit as u64) + 1;
        let ids: Vec<LineId> = (first..=line_count).map(LineId::from).collect();
        let lines = events::batched(ids, |id| async move {
            let (line, this_epoch) = futures_util::try_join!(self.line(id), self.line_epoch(id))?;
            Ok(LineBooks { line, this_epoch })
        })
        .await?;
        let mut assets = vec![Address::ZERO];
        for l in &lines {
            if !assets.contains(&l.line.asset) {
                assets.push(l.line.asset);
            }
        }
        let assets = events::batched(assets, |a| async move {
            let (asset, books, balance) =
                futures_util::try_join!(self.asset(a), self.asset_epoch(a), self.balance(a))?;
            Ok(AssetBooks { asset, books, balance })
        })
        .await?;
        Ok(Books { epoch, line_count, assets, lines })
    }

    /// The id line `line`'s allocation for `packet` has or would have.
    pub async fn allocation_id_of(&self, line: LineId, packet: PacketId) -> Result<AllocationId> {
        Ok(AllocationId(self.contract().await?.allocationIdOf(line.0, packet.0).call().await?))
    }

    /// What the recipient of `id` could claim now.
    pub async fn claimable(&self, id: AllocationId) -> Result<U256> {
        Ok(self.contract().await?.claimable(id.0).call().await?)
    }
}

fn allocation_state(v: u8) -> Result<AllocationState> {
    AllocationState::try_from(v)
        .map_err(|v| Error::Unexpected(format!("allocation state {v} is not one the SDK knows")))
}

fn cap_use(c: IT::CapUse) -> CapUse {
    CapUse { epoch: c.epoch.saturating_to(), cap: c.cap, used: c.used, remainder: c.remainder }
}
