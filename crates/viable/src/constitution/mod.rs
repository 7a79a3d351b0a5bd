//! System 5, the LegitimacyConstitution: parameters, roles, recognition, articles,
//! the module directory, and amendments (the [`Amendment`] builder and its files;
//! propose, vote, queue, execute, cancel, veto; state, tallies and deadlines).
//!
//! Reach it with [`Viable::constitution`]; every call for the contract is on the
//! returned [`Constitution`] handle.

mod amendment;
mod types;

use alloy::{
    primitives::{Address, B256, TxHash, U256, keccak256},
    providers::Provider,
    rpc::types::Filter,
    sol_types::SolEvent,
};
use futures_util::future::try_join_all;

pub use self::{
    amendment::{
        ARTICLE_APPEND, ActionSpec, Amendment, AmendmentError, AmendmentFile, MAX_ACTIONS,
        render_action,
    },
    types::{
        AmendmentId, AmendmentState, AmendmentStatus, Article, ConstitutionState, Param,
        ProposedAmendment, Role, Support,
    },
};
use crate::{
    bindings::{
        ILegitimacyConstitution as IConst,
        LegitimacyConstitution::{self, LegitimacyConstitutionInstance},
    },
    deployment::{Module, Modules},
    display,
    error::{Error, Precondition, Result},
    events,
    keys::{self, ParamKey},
    tx,
    viable::Viable,
};

impl<P: Provider + Clone> Viable<P> {
    /// System 5: the constitution (its address is the deployment's root).
    pub fn constitution(&self) -> Constitution<P> {
        Constitution { viable: self.clone() }
    }
}

/// Every call for the LegitimacyConstitution.
#[derive(Debug, Clone)]
pub struct Constitution<P> {
    viable: Viable<P>,
}

impl<P: Provider + Clone> Constitution<P> {
    /// The constitution's address.
    pub fn address(&self) -> Address {
        self.viable.deployment().constitution
    }

    /// The generated binding, for calls the handle does not wrap.
    pub fn contract(&self) -> LegitimacyConstitutionInstance<P> {
        LegitimacyConstitution::new(self.address(), self.viable.provider().clone())
    }

    // ---------------------------------------------------------------- reads

    /// Current value of parameter `key`.
    pub async fn param(&self, key: ParamKey) -> Result<U256> {
        self.param_word(key.word()).await
    }

    /// Current value of the parameter stored under `key` (for keys this SDK does not
    /// know; an unknown key reverts with `LegitimacyConstitutionUnknownParam`).
    pub async fn param_word(&self, key: B256) -> Result<U256> {
        Ok(self.contract().param(key).call().await?)
    }

    /// Every parameter with its bounds.
    pub async fn params(&self) -> Result<Vec<Param>> {
        let list = self.contract().params().call().await?;
        Ok(list
            .into_iter()
            .map(|p| Param {
                key: keys::bytes32_to_text(&p.key).unwrap_or_else(|| p.key.to_string()),
                value: p.value,
                min: p.min,
                max: p.max,
            })
            .collect())
    }

    /// Holders of a role.
    pub async fn role_members(&self, role: Role) -> Result<Vec<Address>> {
        Ok(self.contract().roleMembers(role.id()).call().await?)
    }

    /// Holders of STEWARD and of GUARDIAN (read together).
    pub async fn roles(&self) -> Result<(Vec<Address>, Vec<Address>)> {
        futures_util::try_join!(self.role_members(Role::Steward), self.role_members(Role::Guardian))
    }

    /// Recognized schemas and their weights.
    pub async fn recognitions(&self) -> Result<Vec<(B256, U256)>> {
        let r = self.contract().recognizedSchemas().call().await?;
        Ok(r.schemaIds.into_iter().zip(r.weights).collect())
    }

    /// The recognition weight of one schema (0 = not recognized).
    pub async fn recognition(&self, schema_id: B256) -> Result<U256> {
        Ok(self.contract().recognition(schema_id).call().await?)
    }

    /// The articles, in order.
    pub async fn articles(&self) -> Result<Vec<Article>> {
        let list = self.contract().articles().call().await?;
        Ok(list
            .into_iter()
            .enumerate()
            .map(|(i, a)| Article { index: i as u64, content_hash: a.contentHash, uri: a.uri })
            .collect())
    }

    /// The module directory as the constitution holds it now.
    pub async fn directory(&self) -> Result<Modules> {
        Ok(Modules::from_array(self.contract().modules().call().await?))
    }

    /// The address in one directory slot, or [`Precondition::ModuleNotDeployed`].
    pub async fn module(&self, slot: Module) -> Result<Address> {
        let addr = self.contract().module(slot.index() as u8).call().await?;
        if addr.is_zero() {
            return Err(Precondition::ModuleNotDeployed(slot).into());
        }
        Ok(addr)
    }

    /// The account that deployed the constitution (and alone could bootstrap it).
    pub async fn deployer(&self) -> Result<Address> {
        Ok(self.contract().deployer().call().await?)
    }

    /// Everything the constitution holds, read with concurrent requests.
    pub async fn state(&self) -> Result<ConstitutionState> {
        let c = self.contract();
        let (token, bootstrapped, modules, params, (stewards, guardians), recognitions, articles) =
            futures_util::try_join!(
                async { Ok::<_, Error>(c.token().call().await?) },
                async { Ok(c.bootstrapped().call().await?) },
                self.directory(),
                self.params(),
                self.roles(),
                self.recognitions(),
                self.articles(),
            )?;
        Ok(ConstitutionState {
            address: self.address(),
            token,
            bootstrapped,
            modules,
            params,
            stewards,
            guardians,
            recognitions,
            articles,
        })
    }

    // ----------------------------------------------------------- amendments

    /// Propose `amendment`. Checks its shape and every SetParam against the chain's
    /// hard bounds, then simulates, before sending. Returns the amendment id.
    pub async fn propose(&self, amendment: &Amendment) -> Result<AmendmentId> {
        amendment.check_shape()?;
        amendment.check_bounds(&self.params().await?)?;
        let c = self.contract();
        let call = c.propose(
            amendment.actions().to_vec(),
            amendment.strategy_proposal_id(),
            amendment.description_text().to_string(),
        );
        let receipt = tx::send(call, self.viable.send_options()).await?;
        receipt
            .decoded_log::<LegitimacyConstitution::AmendmentProposed>()
            .map(|log| AmendmentId(log.data.id))
            .ok_or_else(|| Error::Unexpected("propose: no AmendmentProposed event".into()))
    }

    /// Vote on amendment `id` with your weight in both houses.
    pub async fn vote(
        &self,
        id: AmendmentId,
        support: Support,
        reason: Option<&str>,
    ) -> Result<TxHash> {
        let c = self.contract();
        let send = self.viable.send_options();
        let receipt = match reason {
            Some(r) => {
                tx::send(c.castVoteWithReason(id.0, support as u8, r.to_string()), send).await?
            }
            None => tx::send(c.castVote(id.0, support as u8), send).await?,
        };
        Ok(receipt.transaction_hash)
    }

    /// Start the timelock of a Succeeded amendment (anyone may).
    pub async fn queue(&self, id: AmendmentId) -> Result<TxHash> {
        let c = self.contract();
        Ok(tx::send(c.queue(id.0), self.viable.send_options()).await?.transaction_hash)
    }

    /// Execute a Queued amendment whose timelock has passed (its body is read from
    /// the proposal event).
    pub async fn execute(&self, id: AmendmentId) -> Result<TxHash> {
        let p = self.proposed(id).await?;
        let c = self.contract();
        let call = c.execute(id.0, p.proposer, p.body);
        Ok(tx::send(call, self.viable.send_options()).await?.transaction_hash)
    }

    /// Cancel a Pending amendment (only its proposer can).
    pub async fn cancel(&self, id: AmendmentId) -> Result<TxHash> {
        let p = self.proposed(id).await?;
        let c = self.contract();
        Ok(tx::send(c.cancel(id.0, p.body), self.viable.send_options()).await?.transaction_hash)
    }

    /// As a GUARDIAN, stop a pending treasury allocation.
    pub async fn veto_allocation(&self, allocation_id: U256, reason: &str) -> Result<TxHash> {
        let c = self.contract();
        let call = c.vetoAllocation(allocation_id, reason.to_string());
        Ok(tx::send(call, self.viable.send_options()).await?.transaction_hash)
    }

    /// Every amendment proposed since the deployment, oldest first (read in bounded
    /// `eth_getLogs` pages).
    pub async fn amendments(&self) -> Result<Vec<ProposedAmendment>> {
        let filter = self.proposals_filter();
        let head = self.viable.provider().get_block_number().await?;
        let from = self.viable.deployment().deploy_block;
        let logs = events::scan(self.viable.provider(), &filter, from, head).await?;
        logs.iter().map(proposed_from_log).collect()
    }

    /// Every amendment with its current state (the states read concurrently).
    pub async fn amendments_with_state(&self) -> Result<Vec<(ProposedAmendment, AmendmentState)>> {
        let list = self.amendments().await?;
        let states = try_join_all(list.iter().map(|p| self.amendment_state(p.id))).await?;
        Ok(list.into_iter().zip(states).collect())
    }

    /// Amendment `id` as proposed (the newest pages are read first).
    pub async fn proposed(&self, id: AmendmentId) -> Result<ProposedAmendment> {
        let filter = self.proposals_filter().topic1(id.0);
        let head = self.viable.provider().get_block_number().await?;
        let from = self.viable.deployment().deploy_block;
        let logs = events::scan_back(self.viable.provider(), &filter, from, head, 1).await?;
        match logs.first() {
            Some(log) => proposed_from_log(log),
            None => Err(Precondition::UnknownAmendment(id.0).into()),
        }
    }

    /// The lifecycle state of amendment `id`.
    pub async fn amendment_state(&self, id: AmendmentId) -> Result<AmendmentState> {
        let raw = self.contract().state(id.0).call().await?;
        AmendmentState::try_from(raw)
            .map_err(|v| Error::Unexpected(format!("amendment state {v} is not one the SDK knows")))
    }

    /// State, tallies per house, quorums and the next deadline of amendment `id`
    /// (read with concurrent requests).
    pub async fn amendment(&self, id: AmendmentId) -> Result<AmendmentStatus> {
        let proposal = self.proposed(id).await?;
        self.status_of(proposal).await
    }

    /// The newest `limit` amendments, newest first, each with its state, tallies,
    /// quorums and next deadline (the proposal logs read backwards in bounded pages
    /// until `limit` are found; the states with a bounded number of calls in flight).
    pub async fn recent_amendments(&self, limit: usize) -> Result<Vec<AmendmentStatus>> {
        let filter = self.proposals_filter();
        let head = self.viable.provider().get_block_number().await?;
        let from = self.viable.deployment().deploy_block;
        let logs = events::scan_back(self.viable.provider(), &filter, from, head, limit).await?;
        let list = logs.iter().map(proposed_from_log).collect::<Result<Vec<_>>>()?;
        events::batched(list, |p| self.status_of(p)).await
    }

    /// [`Constitution::amendment`] for an amendment already read from its log.
    async fn status_of(&self, proposal: ProposedAmendment) -> Result<AmendmentStatus> {
        let c = self.contract();
        let id = proposal.id;
        let (state, info, t, q, grace) = futures_util::try_join!(
            self.amendment_state(id),
            async { Ok::<_, Error>(c.amendment(id.0).call().await?) },
            async { Ok::<_, Error>(c.tallies(id.0).call().await?) },
            async { Ok::<_, Error>(c.quorums(id.0).call().await?) },
            self.param(ParamKey::LegitGracePeriod),
        )?;
        let grace: u64 = grace.saturating_to();
        let (vote_start, vote_end, eta) =
            (info.voteStart.to::<u64>(), info.voteEnd.to::<u64>(), info.eta.to::<u64>());
        let (step, at) = match state {
            AmendmentState::Pending => ("voting opens", Some(vote_start)),
            AmendmentState::Active => ("voting closes", Some(vote_end)),
            AmendmentState::Succeeded => {
                ("queue (anyone may) before", Some(vote_end.saturating_add(grace)))
            }
            AmendmentState::Queued => ("executable from", Some(eta)),
            _ => ("final", None),
        };
        let next = match (state, at) {
            (AmendmentState::Queued, Some(at)) => format!(
                "{step} {} until {}",
                display::timestamp(at),
                display::timestamp(at.saturating_add(grace))
            ),
            (_, Some(at)) => format!("{step} {}", display::timestamp(at)),
            (_, None) => step.to_string(),
        };
        Ok(AmendmentStatus {
            proposal,
            state,
            vote_start,
            vote_end,
            eta,
            token: [t.tokenFor, t.tokenAgainst, t.tokenAbstain],
            work: [t.workFor, t.workAgainst, t.workAbstain],
            quorums: [q.tokenQuorum, q.workQuorum],
            next,
            next_at: at,
        })
    }

    fn proposals_filter(&self) -> Filter {
        Filter::new()
            .address(self.address())
            .event_signature(LegitimacyConstitution::AmendmentProposed::SIGNATURE_HASH)
    }
}

fn proposed_from_log(log: &alloy::rpc::types::Log) -> Result<ProposedAmendment> {
    let e = LegitimacyConstitution::AmendmentProposed::decode_log_data(log.data())
        .map_err(|e| Error::Unexpected(format!("AmendmentProposed does not decode: {e}")))?;
    let body = IConst::AmendmentBody {
        actions: e.actions.clone(),
        strategyProposalId: e.strategyProposalId,
        descriptionHash: keccak256(e.description.as_bytes()),
    };
    Ok(ProposedAmendment {
        id: AmendmentId(e.id),
        proposer: e.proposer,
        actions: e.actions.iter().map(render_action).collect(),
        strategy_proposal_id: e.strategyProposalId,
        description: e.description,
        block: log.block_number,
        body,
    })
}
