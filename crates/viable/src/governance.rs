//! Amendments through the client: propose, vote, queue, execute, cancel, veto, and
//! reading an amendment's state, tallies per house and next deadline.

use alloy::{
    contract::{CallBuilder, CallDecoder},
    primitives::{Address, TxHash, U256},
    providers::Provider,
    rpc::types::TransactionReceipt,
};
use serde::Serialize;

use crate::{
    amendment::{Amendment, Support},
    bindings::{ILegitimacyConstitution as IConst, LegitimacyConstitution},
    client::Viable,
    error::{Error, Result},
    keys,
};

/// Lifecycle states, in the contract's order.
pub const STATES: [&str; 8] =
    ["Pending", "Active", "Defeated", "Succeeded", "Queued", "Executed", "Expired", "Cancelled"];

/// An amendment as proposed (from its `AmendmentProposed` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposedAmendment {
    /// The id.
    pub id: U256,
    /// Who proposed it.
    pub proposer: Address,
    /// The actions, rendered for people.
    pub actions: Vec<String>,
    /// The Strategy proposal it adopts (0 = none).
    pub strategy_proposal_id: U256,
    /// The rationale.
    pub description: String,
    /// Block it was proposed in.
    pub block: Option<u64>,
    #[serde(skip)]
    body: Option<IConst::AmendmentBody>,
}

/// Everything about one amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AmendmentStatus {
    /// As proposed.
    #[serde(flatten)]
    pub proposal: ProposedAmendment,
    /// Lifecycle state (`Active`, `Queued`, …).
    pub state: String,
    /// Voting opens.
    pub vote_start: u64,
    /// Voting closes.
    pub vote_end: u64,
    /// Executable from (0 until queued).
    pub eta: u64,
    /// Token House For / Against / Abstain.
    pub token: [U256; 3],
    /// Work House For / Against / Abstain.
    pub work: [U256; 3],
    /// Quorum (For + Abstain) each house needs: token, work.
    pub quorums: [U256; 2],
    /// What happens next and when, e.g. `voting closes at 1700000300`.
    pub next: String,
}

impl<P: Provider + Clone> Viable<P> {
    /// Propose `amendment`. Checks its shape and every SetParam against the chain's
    /// hard bounds, then simulates, before sending. Returns the amendment id.
    pub async fn propose(&self, amendment: &Amendment) -> Result<U256> {
        amendment.check_shape()?;
        amendment.check_bounds(&self.params().await?)?;
        let c = self.constitution();
        let call = c.propose(
            amendment.actions().to_vec(),
            amendment.strategy_proposal_id(),
            amendment.description_text().to_string(),
        );
        let receipt = send(call).await?;
        receipt
            .decoded_log::<LegitimacyConstitution::AmendmentProposed>()
            .map(|log| log.data.id)
            .ok_or_else(|| Error::Rpc("propose: no AmendmentProposed event in the receipt".into()))
    }

    /// Vote on amendment `id` with your weight in both houses.
    pub async fn vote(&self, id: U256, support: Support, reason: Option<&str>) -> Result<TxHash> {
        let c = self.constitution();
        let receipt = match reason {
            Some(r) => send(c.castVoteWithReason(id, support as u8, r.to_string())).await?,
            None => send(c.castVote(id, support as u8)).await?,
        };
        Ok(receipt.transaction_hash)
    }

    /// Start the timelock of a Succeeded amendment.
    pub async fn queue(&self, id: U256) -> Result<TxHash> {
        let c = self.constitution();
        Ok(send(c.queue(id)).await?.transaction_hash)
    }

    /// Execute a Queued amendment whose timelock has passed (its body is read from
    /// the proposal event).
    pub async fn execute(&self, id: U256) -> Result<TxHash> {
        let p = self.proposed(id).await?;
        let body = p.body.clone().expect("events carry the body");
        let c = self.constitution();
        Ok(send(c.execute(id, p.proposer, body)).await?.transaction_hash)
    }

    /// Cancel a Pending amendment (only its proposer can).
    pub async fn cancel(&self, id: U256) -> Result<TxHash> {
        let p = self.proposed(id).await?;
        let body = p.body.clone().expect("events carry the body");
        let c = self.constitution();
        Ok(send(c.cancel(id, body)).await?.transaction_hash)
    }

    /// As a GUARDIAN, stop a pending treasury allocation.
    pub async fn veto_allocation(&self, allocation_id: U256, reason: &str) -> Result<TxHash> {
        let c = self.constitution();
        Ok(send(c.vetoAllocation(allocation_id, reason.to_string())).await?.transaction_hash)
    }

    /// Every amendment proposed since the deployment, oldest first.
    pub async fn amendments(&self) -> Result<Vec<ProposedAmendment>> {
        let logs = self
            .constitution()
            .AmendmentProposed_filter()
            .from_block(self.deployment().deploy_block)
            .query()
            .await?;
        Ok(logs.into_iter().map(|(e, log)| proposed_from_event(e, log.block_number)).collect())
    }

    /// Amendment `id` as proposed.
    pub async fn proposed(&self, id: U256) -> Result<ProposedAmendment> {
        let logs = self
            .constitution()
            .AmendmentProposed_filter()
            .topic1(id)
            .from_block(self.deployment().deploy_block)
            .query()
            .await?;
        logs.into_iter()
            .next()
            .map(|(e, log)| proposed_from_event(e, log.block_number))
            .ok_or_else(|| Error::Precondition(format!("no amendment {id} on this deployment")))
    }

    /// State, tallies per house, quorums and the next deadline of amendment `id`.
    pub async fn amendment_status(&self, id: U256) -> Result<AmendmentStatus> {
        let c = self.constitution();
        let proposal = self.proposed(id).await?;
        let state = c.state(id).call().await?;
        let info = c.amendment(id).call().await?;
        let t = c.tallies(id).call().await?;
        let q = c.quorums(id).call().await?;
        let grace = self.param("legit.gracePeriod").await?.saturating_to::<u64>();
        let state = STATES.get(state as usize).copied().unwrap_or("Unknown").to_string();
        let (vote_start, vote_end, eta) =
            (info.voteStart.to::<u64>(), info.voteEnd.to::<u64>(), info.eta.to::<u64>());
        let next = match state.as_str() {
            "Pending" => format!("voting opens at {vote_start}"),
            "Active" => format!("voting closes at {vote_end}"),
            "Succeeded" => format!("queue before {} (anyone may)", vote_end + grace),
            "Queued" => format!("executable from {eta} until {}", eta + grace),
            _ => "final".to_string(),
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
        })
    }
}

/// Simulate `call` (so a revert comes back as the module's named error), then send
/// it and wait for the receipt.
pub(crate) async fn send<P, D>(call: CallBuilder<P, D>) -> Result<TransactionReceipt>
where
    P: Provider + Clone,
    D: CallDecoder,
{
    call.call_raw().await?;
    let receipt = call.send().await?.get_receipt().await?;
    if !receipt.status() {
        return Err(Error::Reverted { tx: receipt.transaction_hash });
    }
    Ok(receipt)
}

fn proposed_from_event(
    e: LegitimacyConstitution::AmendmentProposed,
    block: Option<u64>,
) -> ProposedAmendment {
    let body = IConst::AmendmentBody {
        actions: e.actions.clone(),
        strategyProposalId: e.strategyProposalId,
        descriptionHash: alloy::primitives::keccak256(e.description.as_bytes()),
    };
    ProposedAmendment {
        id: e.id,
        proposer: e.proposer,
        actions: e.actions.iter().map(render_action).collect(),
        strategy_proposal_id: e.strategyProposalId,
        description: e.description,
        block,
        body: Some(body),
    }
}

/// One action, for people.
pub fn render_action(a: &IConst::Action) -> String {
    let role = |k: &alloy::primitives::B256| {
        if *k == crate::Role::Steward.id() {
            "STEWARD".to_string()
        } else if *k == crate::Role::Guardian.id() {
            "GUARDIAN".to_string()
        } else {
            k.to_string()
        }
    };
    match a.kind {
        0 => {
            let key = keys::bytes32_to_text(&a.key).unwrap_or_else(|| a.key.to_string());
            let v = keys::display_value(&key, a.value);
            format!("set {key} = {v}")
        }
        1 => format!("recognize schema {} with weight {}", a.key, a.value),
        2 if a.value == U256::from(1) => format!("grant {} to {}", role(&a.key), a.account),
        2 => format!("revoke {} from {}", role(&a.key), a.account),
        3 if a.value == crate::amendment::ARTICLE_APPEND => {
            format!("append an article {} ({})", a.key, a.uri)
        }
        3 if a.key.is_zero() => format!("repeal article {}", a.value + U256::from(1)),
        3 => format!("replace article {} with {} ({})", a.value + U256::from(1), a.key, a.uri),
        4 => {
            let names =
                ["WorkRegistry", "CoordinationLocks", "OptimizationTreasury", "StrategyProposals"];
            let name = names.get(a.value.saturating_to::<usize>()).copied().unwrap_or("?");
            format!("point {name} at {}", a.account)
        }
        k => format!("unknown action kind {k}"),
    }
}
