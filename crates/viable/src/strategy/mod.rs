//! System 4, the StrategyProposals: questions, options, stake and support, conviction
//! and promotion, client-side checks that report the contract's own error names, an
//! exact off-chain mirror of the conviction math ([`ConvictionState`]) that predicts
//! when a proposal becomes promotable, and amendment files from a Ready proposal's
//! suggested actions.
//!
//! Reach it with [`Viable::strategy`]; the handle finds the module in the
//! constitution's directory at each call, so a `SetModule` amendment takes effect at once.

mod adopt;
mod conviction;
mod types;

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::Provider,
    rpc::types::{Filter, Log},
    sol_types::SolEvent,
};
use futures_util::future::try_join_all;

pub use self::{
    adopt::{amendment_file, amendment_toml, decode_suggested_actions, encode_suggested_actions},
    conviction::{
        CLOCK_BITS, CLOCK_SPAN, CLOCK_UNITS, ConvictionState, Crossing, from_clock, scale,
    },
    types::{
        Adopter, ProposalId, ProposalInfo, ProposalRecord, ProposalState, QuestionId, QuestionInfo,
        QuestionState, StakeInfo, Target,
    },
};
use crate::{
    bindings::{
        ViableToken,
        strategy::{
            IStrategyProposals as IStrat,
            StrategyProposals::{self, StrategyProposalsInstance},
        },
    },
    constitution::AmendmentFile,
    deployment::Module,
    error::{CheckError, Error, Result},
    events,
    keys::ParamKey,
    tx,
    viable::Viable,
};

/// Why the SDK refused a StrategyProposals call before sending: the contract's own
/// error names and facts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StrategyError {
    /// `StrategyProposalsZeroAmount`
    #[error("StrategyProposalsZeroAmount: the amount must not be zero")]
    ZeroAmount,
    /// `StrategyProposalsZeroContentHash`
    #[error("StrategyProposalsZeroContentHash: the content hash must not be zero")]
    ZeroContentHash,
    /// `StrategyProposalsUnknownQuestion`
    #[error("StrategyProposalsUnknownQuestion: no question {question_id}")]
    UnknownQuestion {
        /// The id.
        question_id: QuestionId,
    },
    /// `StrategyProposalsQuestionNotOpen`
    #[error("StrategyProposalsQuestionNotOpen: question {question_id} is {state}")]
    QuestionNotOpen {
        /// The id.
        question_id: QuestionId,
        /// Its state.
        state: QuestionState,
    },
    /// `StrategyProposalsUnknownProposal`
    #[error("StrategyProposalsUnknownProposal: no proposal {proposal_id}")]
    UnknownProposal {
        /// The id.
        proposal_id: ProposalId,
    },
    /// `StrategyProposalsWrongState`
    #[error("StrategyProposalsWrongState: proposal {proposal_id} is {current}, not {required}")]
    WrongState {
        /// The id.
        proposal_id: ProposalId,
        /// Its state.
        current: ProposalState,
        /// The state the call needs.
        required: ProposalState,
    },
    /// `StrategyProposalsPastMaxAge`
    #[error(
        "StrategyProposalsPastMaxAge: proposal {proposal_id} passed its age at {expires_at} (now {now}); it can only be expired"
    )]
    PastMaxAge {
        /// The id.
        proposal_id: ProposalId,
        /// When it passed `strategy.maxAge`.
        expires_at: u64,
        /// The chain's clock.
        now: u64,
    },
    /// `StrategyProposalsNotExpired`
    #[error(
        "StrategyProposalsNotExpired: proposal {proposal_id} may expire from {expires_at} (now {now})"
    )]
    NotExpired {
        /// The id.
        proposal_id: ProposalId,
        /// When it may expire.
        expires_at: u64,
        /// The chain's clock.
        now: u64,
    },
    /// `StrategyProposalsBelowThreshold`
    #[error(
        "StrategyProposalsBelowThreshold: proposal {proposal_id} has conviction {conviction}, below {threshold}"
    )]
    BelowThreshold {
        /// The id.
        proposal_id: ProposalId,
        /// Its conviction now.
        conviction: U256,
        /// The threshold now.
        threshold: U256,
    },
    /// `StrategyProposalsNotAdoptable`
    #[error(
        "StrategyProposalsNotAdoptable: proposal {proposal_id} is {state}; only a Ready (or Adopted) one can be adopted"
    )]
    NotAdoptable {
        /// The id.
        proposal_id: ProposalId,
        /// Its state.
        state: ProposalState,
    },
    /// The proposal suggests no actions, so there is no amendment to write.
    #[error("proposal {proposal_id} suggests no actions: write the amendment by hand")]
    NoSuggestedActions {
        /// The id.
        proposal_id: ProposalId,
    },
    /// The suggested actions are not the SDK's encoding of amendment actions.
    #[error("proposal {proposal_id}: suggested actions are not amendment actions ({message})")]
    NotAmendmentActions {
        /// The id.
        proposal_id: ProposalId,
        /// What did not decode.
        message: String,
    },
}

impl From<StrategyError> for Error {
    fn from(e: StrategyError) -> Self {
        CheckError::new("strategy", e).into()
    }
}

impl<P: Provider + Clone> Viable<P> {
    /// System 4: the StrategyProposals in the constitution's directory.
    pub fn strategy(&self) -> Strategy<P> {
        Strategy { viable: self.clone() }
    }
}

/// Every call for the StrategyProposals.
#[derive(Debug, Clone)]
pub struct Strategy<P> {
    viable: Viable<P>,
}

fn u64_of(v: U256) -> u64 {
    v.saturating_to()
}

impl<P: Provider + Clone> Strategy<P> {
    /// The module's address, from the constitution's directory now.
    pub async fn address(&self) -> Result<Address> {
        self.viable.constitution().module(Module::Strategy).await
    }

    /// The generated binding at the directory's address, for calls the handle does not wrap.
    pub async fn contract(&self) -> Result<StrategyProposalsInstance<P>> {
        Ok(StrategyProposals::new(self.address().await?, self.viable.provider().clone()))
    }

    async fn now(&self) -> Result<u64> {
        let p = self.viable.provider();
        let block = p
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await?
            .ok_or_else(|| Error::Unexpected("no latest block".into()))?;
        Ok(block.header.timestamp)
    }

    /// Allow the module to take `amount` of the governance token (sets the allowance).
    pub async fn approve(&self, amount: U256) -> Result<()> {
        let s = self.contract().await?;
        let token = s.token().call().await?;
        let t = ViableToken::new(token, self.viable.provider().clone());
        tx::send(t.approve(*s.address(), amount), self.viable.send_options()).await.map(drop)
    }

    // ------------------------------------------------------------------ writes

    /// Open a question, posting `strategy.minBond` (approved first).
    pub async fn open_question(&self, content_hash: B256, uri: &str) -> Result<QuestionId> {
        if content_hash.is_zero() {
            return Err(StrategyError::ZeroContentHash.into());
        }
        let bond = self.viable.constitution().param(ParamKey::StrategyMinBond).await?;
        if !bond.is_zero() {
            self.approve(bond).await?;
        }
        let s = self.contract().await?;
        let receipt =
            tx::send(s.openQuestion(content_hash, uri.to_string()), self.viable.send_options())
                .await?;
        receipt
            .decoded_log::<StrategyProposals::QuestionOpened>()
            .map(|l| QuestionId(l.data.questionId))
            .ok_or_else(|| Error::Unexpected("openQuestion: no QuestionOpened event".into()))
    }

    /// Withdraw your Open question and take its bond back.
    pub async fn withdraw_question(&self, id: QuestionId) -> Result<()> {
        self.require_open_question(id).await?;
        let s = self.contract().await?;
        tx::send(s.withdrawQuestion(id.0), self.viable.send_options()).await.map(drop)
    }

    /// Propose an option under Open question `question_id`, posting `strategy.minBond`
    /// (approved first). `suggested_actions` is information only; use
    /// [`encode_suggested_actions`] for amendment actions `adopt` can turn back into a file.
    pub async fn propose(
        &self,
        question_id: QuestionId,
        target: Target,
        content_hash: B256,
        uri: &str,
        suggested_actions: Bytes,
    ) -> Result<ProposalId> {
        if content_hash.is_zero() {
            return Err(StrategyError::ZeroContentHash.into());
        }
        self.require_open_question(question_id).await?;
        let bond = self.viable.constitution().param(ParamKey::StrategyMinBond).await?;
        if !bond.is_zero() {
            self.approve(bond).await?;
        }
        let s = self.contract().await?;
        let call = s.propose(
            question_id.0,
            target.index(),
            content_hash,
            uri.to_string(),
            suggested_actions,
        );
        let receipt = tx::send(call, self.viable.send_options()).await?;
        receipt
            .decoded_log::<StrategyProposals::ProposalCreated>()
            .map(|l| ProposalId(l.data.proposalId))
            .ok_or_else(|| Error::Unexpected("propose: no ProposalCreated event".into()))
    }

    /// Withdraw your Open proposal and take its bond back.
    pub async fn withdraw(&self, id: ProposalId) -> Result<()> {
        self.require_open(&self.record(id).await?)?;
        let s = self.contract().await?;
        tx::send(s.withdraw(id.0), self.viable.send_options()).await.map(drop)
    }

    /// Stake `amount` governance tokens (approved first) as unassigned stake.
    pub async fn stake(&self, amount: U256) -> Result<()> {
        if amount.is_zero() {
            return Err(StrategyError::ZeroAmount.into());
        }
        self.approve(amount).await?;
        let s = self.contract().await?;
        tx::send(s.stake(amount), self.viable.send_options()).await.map(drop)
    }

    /// Take `amount` of unassigned stake back.
    pub async fn unstake(&self, amount: U256) -> Result<()> {
        if amount.is_zero() {
            return Err(StrategyError::ZeroAmount.into());
        }
        let s = self.contract().await?;
        tx::send(s.unstake(amount), self.viable.send_options()).await.map(drop)
    }

    /// Assign `amount` of your unassigned stake to Open proposal `id`.
    pub async fn support(&self, id: ProposalId, amount: U256) -> Result<()> {
        if amount.is_zero() {
            return Err(StrategyError::ZeroAmount.into());
        }
        let r = self.record(id).await?;
        self.require_open(&r)?;
        self.require_young(&r).await?;
        let s = self.contract().await?;
        tx::send(s.support(id.0, amount), self.viable.send_options()).await.map(drop)
    }

    /// Take `amount` of your support off proposal `id` (any state).
    pub async fn unsupport(&self, id: ProposalId, amount: U256) -> Result<()> {
        if amount.is_zero() {
            return Err(StrategyError::ZeroAmount.into());
        }
        self.record(id).await?;
        let s = self.contract().await?;
        tx::send(s.unsupport(id.0, amount), self.viable.send_options()).await.map(drop)
    }

    /// Promote Open proposal `id` to Ready once its conviction reaches the threshold.
    pub async fn promote(&self, id: ProposalId) -> Result<()> {
        let r = self.record(id).await?;
        self.require_open(&r)?;
        self.require_young(&r).await?;
        let s = self.contract().await?;
        let p = s.promotable(id.0).call().await?;
        if !p.ready {
            return Err(StrategyError::BelowThreshold {
                proposal_id: id,
                conviction: p.conviction_,
                threshold: p.threshold_,
            }
            .into());
        }
        tx::send(s.promote(id.0), self.viable.send_options()).await.map(drop)
    }

    /// Close Open proposal `id` once past `strategy.maxAge`.
    pub async fn expire(&self, id: ProposalId) -> Result<()> {
        let r = self.record(id).await?;
        self.require_open(&r)?;
        let (expires_at, now) = futures_util::try_join!(self.expires_at(id), self.now())?;
        if now < expires_at {
            return Err(StrategyError::NotExpired { proposal_id: id, expires_at, now }.into());
        }
        let s = self.contract().await?;
        tx::send(s.expire(id.0), self.viable.send_options()).await.map(drop)
    }

    // ------------------------------------------------------------------ views

    /// Question `id` (`StrategyProposalsUnknownQuestion` if there is none).
    pub async fn question(&self, id: QuestionId) -> Result<QuestionInfo> {
        let q = self.contract().await?.question(id.0).call().await?;
        let state = QuestionState::try_from(q.state).map_err(|v| unknown("question state", v))?;
        if state == QuestionState::None {
            return Err(StrategyError::UnknownQuestion { question_id: id }.into());
        }
        Ok(QuestionInfo { id, opener: q.opener, state, opened_at: q.openedAt.to(), bond: q.bond })
    }

    /// Proposal `id` as stored (`StrategyProposalsUnknownProposal` if there is none).
    pub async fn record(&self, id: ProposalId) -> Result<ProposalRecord> {
        let p = self.contract().await?.proposal(id.0).call().await?;
        let r = record(id, p)?;
        if r.state == ProposalState::None {
            return Err(StrategyError::UnknownProposal { proposal_id: id }.into());
        }
        Ok(r)
    }

    /// Proposal `id` with its text, suggested actions, conviction and threshold now,
    /// and its predicted Ready time.
    pub async fn proposal(&self, id: ProposalId) -> Result<ProposalInfo> {
        let s = self.contract().await?;
        let filter = self.created(*s.address()).topic1(id.0);
        let (logs, threshold, half_life, now) = futures_util::try_join!(
            self.scan_back(&filter, 1),
            self.threshold(),
            self.half_life(),
            self.now(),
        )?;
        let log = logs
            .first()
            .ok_or_else(|| Error::from(StrategyError::UnknownProposal { proposal_id: id }))?;
        self.info(&s, created(log)?, threshold, half_life, now).await
    }

    /// Proposals, newest first, at most `limit` (creation logs read backwards in
    /// bounded pages; states read concurrently).
    pub async fn proposals(&self, limit: usize) -> Result<Vec<ProposalInfo>> {
        let s = self.contract().await?;
        let filter = self.created(*s.address());
        let (logs, threshold, half_life, now) = futures_util::try_join!(
            self.scan_back(&filter, limit),
            self.threshold(),
            self.half_life(),
            self.now(),
        )?;
        let events = logs.iter().map(created).collect::<Result<Vec<_>>>()?;
        try_join_all(events.into_iter().map(|e| self.info(&s, e, threshold, half_life, now))).await
    }

    async fn info(
        &self,
        s: &StrategyProposalsInstance<P>,
        e: StrategyProposals::ProposalCreated,
        threshold: U256,
        half_life: u64,
        now: u64,
    ) -> Result<ProposalInfo> {
        let id = ProposalId(e.proposalId);
        let (p, conviction_now, expires_at) = futures_util::try_join!(
            async { Ok::<_, Error>(s.proposal(e.proposalId).call().await?) },
            async { Ok::<_, Error>(s.conviction(e.proposalId).call().await?) },
            async { Ok::<_, Error>(u64_of(s.expiresAt(e.proposalId).call().await?)) },
        )?;
        let record = record(id, p)?;
        let ready_at = (record.state == ProposalState::Open)
            .then(|| predict(&record, threshold, half_life, now));
        Ok(ProposalInfo {
            record,
            content_hash: e.contentHash,
            uri: e.uri,
            suggested_actions: e.suggestedActions,
            conviction_now,
            threshold,
            expires_at,
            ready_at,
        })
    }

    /// When proposal `id` becomes promotable if nothing changes (the exact second,
    /// from the contract's integer math), as of the chain's clock now.
    pub async fn ready_at(&self, id: ProposalId) -> Result<Crossing> {
        let (r, threshold, half_life, now) = futures_util::try_join!(
            self.record(id),
            self.threshold(),
            self.half_life(),
            self.now()
        )?;
        self.require_open(&r)?;
        Ok(predict(&r, threshold, half_life, now))
    }

    /// The amendment file that adopts Ready (or Adopted) proposal `id` with its
    /// suggested actions; `description` defaults to one naming the proposal.
    pub async fn adoption(
        &self,
        id: ProposalId,
        description: Option<String>,
    ) -> Result<AmendmentFile> {
        let info = self.proposal(id).await?;
        let state = info.record.state;
        if !matches!(state, ProposalState::Ready | ProposalState::Adopted) {
            return Err(StrategyError::NotAdoptable { proposal_id: id, state }.into());
        }
        let actions = decode_suggested_actions(id, &info.suggested_actions)?;
        let description =
            description.unwrap_or_else(|| format!("Adopt Strategy proposal {id} ({})", info.uri));
        Ok(amendment_file(id, description, &actions)?)
    }

    /// The threshold a proposal needs now.
    pub async fn threshold(&self) -> Result<U256> {
        Ok(self.contract().await?.threshold().call().await?)
    }

    /// Proposal `id`'s conviction now.
    pub async fn conviction(&self, id: ProposalId) -> Result<U256> {
        Ok(self.contract().await?.conviction(id.0).call().await?)
    }

    /// Whether `promote(id)` would succeed now, with the conviction and threshold compared.
    pub async fn promotable(&self, id: ProposalId) -> Result<(bool, U256, U256)> {
        let p = self.contract().await?.promotable(id.0).call().await?;
        Ok((p.ready, p.conviction_, p.threshold_))
    }

    /// When Open proposal `id` stops taking support and may be expired.
    pub async fn expires_at(&self, id: ProposalId) -> Result<u64> {
        Ok(u64_of(self.contract().await?.expiresAt(id.0).call().await?))
    }

    /// `staker`'s stake and how much of it is assigned.
    pub async fn stake_of(&self, staker: Address) -> Result<StakeInfo> {
        let r = self.contract().await?.stakeOf(staker).call().await?;
        Ok(StakeInfo { staked: r.staked, assigned: r.assigned })
    }

    /// `staker`'s support of proposal `id` and that position's conviction now.
    pub async fn support_of(&self, id: ProposalId, staker: Address) -> Result<(U256, U256)> {
        let r = self.contract().await?.supportOf(id.0, staker).call().await?;
        Ok((r.amount, r.positionConviction))
    }

    /// All stake held.
    pub async fn total_staked(&self) -> Result<U256> {
        Ok(self.contract().await?.totalStaked().call().await?)
    }

    /// All bonds held.
    pub async fn total_bonds(&self) -> Result<U256> {
        Ok(self.contract().await?.totalBonds().call().await?)
    }

    /// Questions opened so far (ids run from 1).
    pub async fn question_count(&self) -> Result<u64> {
        Ok(u64_of(self.contract().await?.questionCount().call().await?))
    }

    /// Proposals made so far (ids run from 1).
    pub async fn proposal_count(&self) -> Result<u64> {
        Ok(u64_of(self.contract().await?.proposalCount().call().await?))
    }

    // ------------------------------------------------------------------ checks

    async fn half_life(&self) -> Result<u64> {
        Ok(u64_of(self.viable.constitution().param(ParamKey::StrategyHalfLife).await?))
    }

    async fn require_open_question(&self, id: QuestionId) -> Result<()> {
        let q = self.question(id).await?;
        if q.state != QuestionState::Open {
            return Err(StrategyError::QuestionNotOpen { question_id: id, state: q.state }.into());
        }
        Ok(())
    }

    fn require_open(&self, r: &ProposalRecord) -> Result<()> {
        if r.state != ProposalState::Open {
            return Err(StrategyError::WrongState {
                proposal_id: r.id,
                current: r.state,
                required: ProposalState::Open,
            }
            .into());
        }
        Ok(())
    }

    async fn require_young(&self, r: &ProposalRecord) -> Result<()> {
        let (expires_at, now) = futures_util::try_join!(self.expires_at(r.id), self.now())?;
        if now >= expires_at {
            return Err(StrategyError::PastMaxAge { proposal_id: r.id, expires_at, now }.into());
        }
        Ok(())
    }

    fn created(&self, module: Address) -> Filter {
        Filter::new()
            .address(module)
            .event_signature(StrategyProposals::ProposalCreated::SIGNATURE_HASH)
    }

    async fn scan_back(&self, filter: &Filter, want: usize) -> Result<Vec<Log>> {
        let p = self.viable.provider();
        let head = p.get_block_number().await?;
        events::scan_back(p, filter, self.viable.deployment().deploy_block, head, want).await
    }
}

/// The crossing of `threshold` by the proposal in `record` from `now` on, if nothing changes.
pub fn predict(record: &ProposalRecord, threshold: U256, half_life: u64, now: u64) -> Crossing {
    ConvictionState::new(
        record.support,
        record.conviction,
        record.updated_at,
        record.created_at,
        record.clock_half_life,
        record.clock_remainder,
    )
    .crossing(threshold, half_life, now)
}

fn unknown(what: &str, v: u8) -> Error {
    Error::Unexpected(format!("{what} {v} is not one the SDK knows"))
}

fn created(log: &Log) -> Result<StrategyProposals::ProposalCreated> {
    StrategyProposals::ProposalCreated::decode_log_data(log.data())
        .map_err(|e| Error::Unexpected(format!("ProposalCreated does not decode: {e}")))
}

fn record(id: ProposalId, p: IStrat::Proposal) -> Result<ProposalRecord> {
    let adopted_by = [Adopter::Legitimacy, Adopter::Optimization]
        .into_iter()
        .filter(|a| p.adoptedBy & (1 << a.index()) != 0)
        .collect();
    Ok(ProposalRecord {
        id,
        proposer: p.proposer,
        question_id: QuestionId(p.questionId),
        target: Target::try_from(p.target).map_err(|v| unknown("target", v))?,
        state: ProposalState::try_from(p.state).map_err(|v| unknown("proposal state", v))?,
        adopted_by,
        created_at: p.createdAt.to(),
        bond: p.bond,
        support: p.support,
        conviction: p.conviction,
        updated_at: p.updatedAt.to(),
        clock: p.clock.to(),
        clock_half_life: u64::from(p.clockHalfLife),
        clock_remainder: u64::from(p.clockRemainder),
    })
}
