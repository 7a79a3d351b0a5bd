//! System 5, the LegitimacyConstitution: its amendment events as
//! [`ConstitutionObserved`], the state read at `voteEnd`, the `queue` and `execute`
//! transactions (the body rebuilt from the `AmendmentProposed` event), and what its
//! errors mean for the duty.

use alloy::{
    eips::BlockId,
    primitives::{Address, Bytes, U256},
    providers::Provider,
    sol_types::SolCall,
};
use viable::{
    ParamKey, SuiteLog, Viable,
    bindings::{
        ILegitimacyConstitution as IConst,
        LegitimacyConstitution::{
            self, LegitimacyConstitutionErrors, LegitimacyConstitutionEvents,
        },
    },
};

use super::events::Reader;
use crate::{
    action::Action,
    executor::FailureKind,
    observed::{
        AmendmentAction, AmendmentBody, AmendmentClosure, AmendmentState, ConstitutionObserved,
        Observed,
    },
};

/// What a constitution event means for the Constitution duty (`None`: nothing).
pub(super) async fn observe<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    event: &LegitimacyConstitutionEvents,
) -> viable::Result<Option<Observed>> {
    use LegitimacyConstitutionEvents as E;
    let observed = match event {
        E::AmendmentProposed(e) => ConstitutionObserved::Proposed {
            id: e.id,
            proposer: e.proposer,
            body: AmendmentBody {
                actions: e
                    .actions
                    .iter()
                    .map(|a| AmendmentAction {
                        kind: a.kind,
                        key: a.key,
                        account: a.account,
                        value: a.value,
                        uri: a.uri.clone(),
                    })
                    .collect(),
                strategy_proposal_id: e.strategyProposalId,
                description: e.description.clone(),
            },
            vote_end: e.voteEnd.to::<u64>(),
            grace_period: grace_period(reader, log).await?,
        },
        E::AmendmentQueued(e) => ConstitutionObserved::Queued { id: e.id, eta: e.eta.to::<u64>() },
        E::AmendmentExecuted(e) => {
            ConstitutionObserved::Closed { id: e.id, how: AmendmentClosure::Executed }
        }
        E::AmendmentCancelled(e) => {
            ConstitutionObserved::Closed { id: e.id, how: AmendmentClosure::Cancelled }
        }
        _ => return Ok(None),
    };
    Ok(Some(Observed::Constitution(observed)))
}

/// The grace period frozen into the context of an amendment proposed in `log`'s block.
///
/// The contract does not expose a context, but it writes a new one whenever
/// `legit.gracePeriod` changes, so the amendment's grace period is the parameter's
/// value when it was proposed. It is read before and after the proposing block: if an
/// amendment executed in the same block changed it, the two differ and the proposal's
/// side of that change is unknown, so the answer is `None` (the duty then does not
/// skip lapsed steps locally; the chain still refuses them). A node without the
/// historical state answers with an error: also `None`. A transport failure is an
/// error (the event is read again).
async fn grace_period<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
) -> viable::Result<Option<u64>> {
    let Some(before) = log.block_number.checked_sub(1) else { return Ok(None) };
    let key = ParamKey::LegitGracePeriod.word();
    let c = LegitimacyConstitution::new(log.address, reader.provider().clone());
    let read = |block: u64| {
        let call = c.param(key).block(BlockId::number(block));
        async move { call.call().await.map_err(viable::Error::from) }
    };
    match futures_util::try_join!(read(before), read(log.block_number)) {
        Ok((a, b)) if a == b => Ok(Some(a.saturating_to())),
        Ok(_) => Ok(None),
        Err(viable::Error::Transport { source, .. }) if source.as_error_resp().is_none() => {
            Err(viable::Error::Transport { source, retryable: true })
        }
        Err(_) => Ok(None),
    }
}

/// Answer [`Action::CheckAmendment`]: `state(id)` and `amendment(id).eta`, read at
/// the latest block, with that block's timestamp.
pub(super) async fn read<P: Provider + Clone>(
    viable: &Viable<P>,
    id: U256,
) -> viable::Result<Observed> {
    let block = viable
        .provider()
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await?
        .ok_or_else(|| viable::Error::Unexpected("the node has no latest block".into()))?;
    let at = BlockId::number(block.header.number);
    let c = viable.constitution().contract();
    let (state, info) = futures_util::try_join!(
        async { Ok::<_, viable::Error>(c.state(id).block(at).call().await?) },
        async { Ok::<_, viable::Error>(c.amendment(id).block(at).call().await?) },
    )?;
    let state = state_of(state).ok_or_else(|| {
        viable::Error::Unexpected(format!("amendment state {state} is not one the keeper knows"))
    })?;
    let eta = info.eta.to::<u64>();
    Ok(Observed::Constitution(ConstitutionObserved::State {
        id,
        state,
        eta: (eta != 0).then_some(eta),
        at: block.header.timestamp,
    }))
}

/// The contract's `AmendmentState` as a `uint8`, mirrored.
fn state_of(raw: u8) -> Option<AmendmentState> {
    use AmendmentState as S;
    Some(match viable::AmendmentState::try_from(raw).ok()? {
        viable::AmendmentState::Pending => S::Pending,
        viable::AmendmentState::Active => S::Active,
        viable::AmendmentState::Defeated => S::Defeated,
        viable::AmendmentState::Succeeded => S::Succeeded,
        viable::AmendmentState::Queued => S::Queued,
        viable::AmendmentState::Executed => S::Executed,
        viable::AmendmentState::Expired => S::Expired,
        viable::AmendmentState::Cancelled => S::Cancelled,
        _ => return None,
    })
}

/// The transaction for a Constitution action: the constitution (the deployment's
/// root, never moved) and the calldata. `None`: not a Constitution transaction.
pub(super) fn call<P: Provider + Clone>(
    viable: &Viable<P>,
    action: &Action,
) -> Option<(Address, Bytes)> {
    let data = match action {
        Action::QueueAmendment { id } => LegitimacyConstitution::queueCall { id: *id }.abi_encode(),
        Action::ExecuteAmendment { id, proposer, body } => LegitimacyConstitution::executeCall {
            id: *id,
            proposer: *proposer,
            body: IConst::AmendmentBody {
                actions: body
                    .actions
                    .iter()
                    .map(|a| IConst::Action {
                        kind: a.kind,
                        key: a.key,
                        account: a.account,
                        value: a.value,
                        uri: a.uri.clone(),
                    })
                    .collect(),
                strategyProposalId: body.strategy_proposal_id,
                descriptionHash: body.description_hash(),
            },
        }
        .abi_encode(),
        _ => return None,
    };
    Some((viable.constitution().address(), data.into()))
}

/// What a constitution error means for the action that hit it.
pub(super) fn classify(error: &LegitimacyConstitutionErrors) -> FailureKind {
    use LegitimacyConstitutionErrors as E;
    match error {
        E::LegitimacyConstitutionWrongState(e) => match state_of(e.current) {
            // Voting has not ended where the node is, or it is not queued yet there.
            Some(AmendmentState::Pending | AmendmentState::Active | AmendmentState::Succeeded) => {
                FailureKind::NotYet { retry_at: None }
            }
            // Someone else queued, executed (or the proposer cancelled): the event follows.
            Some(AmendmentState::Queued | AmendmentState::Executed | AmendmentState::Cancelled) => {
                FailureKind::AlreadyDone
            }
            // Defeated, or the grace period ran out: nothing can ever do it now.
            _ => FailureKind::Permanent,
        },
        E::LegitimacyConstitutionTimelocked(e) => {
            FailureKind::NotYet { retry_at: Some(e.eta.to::<u64>()) }
        }
        // An unknown id, a body that does not hash to the id, an action the chain
        // refuses (a bound, a missing module): waiting changes nothing.
        _ => FailureKind::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use alloy::primitives::aliases::U48;

    use super::*;

    fn wrong_state(current: AmendmentState) -> LegitimacyConstitutionErrors {
        LegitimacyConstitutionErrors::LegitimacyConstitutionWrongState(
            LegitimacyConstitution::LegitimacyConstitutionWrongState {
                id: U256::from(1),
                current: current as u8,
                required: AmendmentState::Succeeded as u8,
            },
        )
    }

    #[test]
    fn errors_classify() {
        use AmendmentState as S;
        assert_eq!(classify(&wrong_state(S::Active)), FailureKind::NotYet { retry_at: None });
        assert_eq!(classify(&wrong_state(S::Queued)), FailureKind::AlreadyDone);
        assert_eq!(classify(&wrong_state(S::Executed)), FailureKind::AlreadyDone);
        assert_eq!(classify(&wrong_state(S::Expired)), FailureKind::Permanent);
        assert_eq!(classify(&wrong_state(S::Defeated)), FailureKind::Permanent);
        let e = LegitimacyConstitutionErrors::LegitimacyConstitutionTimelocked(
            LegitimacyConstitution::LegitimacyConstitutionTimelocked {
                id: U256::from(1),
                eta: U48::from(500),
                now_: U48::from(499),
            },
        );
        assert_eq!(classify(&e), FailureKind::NotYet { retry_at: Some(500) });
        let e = LegitimacyConstitutionErrors::LegitimacyConstitutionAmendmentMismatch(
            LegitimacyConstitution::LegitimacyConstitutionAmendmentMismatch { id: U256::from(1) },
        );
        assert_eq!(classify(&e), FailureKind::Permanent);
    }

    #[test]
    fn the_keepers_state_mirror_matches_the_contract_order() {
        for raw in 0..8u8 {
            let ours = state_of(raw).unwrap();
            assert_eq!(ours as u8, raw);
        }
        assert_eq!(state_of(8), None);
    }
}
