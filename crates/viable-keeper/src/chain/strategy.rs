//! System 4, the StrategyProposals: its events as [`StrategyObserved`] (each proposal
//! change with the proposal's stored conviction record, read at the log's block, so
//! the duty can run the SDK's exact crossing calculator), the rules (half-life, maximum
//! age, threshold) whenever they may have moved, the `promote` and `expire`
//! transactions, and what its errors mean for the duty.

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::Provider,
    sol_types::SolCall,
};
use viable::{
    Module, ParamKey, SuiteLog, Viable,
    bindings::{
        LegitimacyConstitution,
        StrategyProposals::{self, StrategyProposalsErrors, StrategyProposalsEvents},
    },
};

use super::{directory::Directory, events::Reader};
use crate::{
    action::Action,
    executor::FailureKind,
    observed::{Observed, ProposalEnd, StrategyObserved},
};

/// `ProposalState.Open`.
const OPEN: u8 = 1;

/// The parameters the rules are made of: a `ParamSet` of one of them changes them.
pub(super) const RULE_KEYS: [ParamKey; 4] = [
    ParamKey::StrategyHalfLife,
    ParamKey::StrategyMaxAge,
    ParamKey::StrategyReadyBps,
    ParamKey::StrategyStakeFloor,
];

/// Whether parameter `key` is one of the rules'.
pub(super) fn is_rule_key(key: &B256) -> bool {
    RULE_KEYS.iter().any(|k| k.word() == *key)
}

/// What a StrategyProposals event means for the Strategy duty (empty: nothing).
///
/// A new proposal comes with the rules in force (so a keeper started late has them
/// before its first proposal); a change of support with the proposal's record; a
/// change of total stake (which moves the threshold) with the rules.
pub(super) async fn observe<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    event: &StrategyProposalsEvents,
) -> viable::Result<Vec<Observed>> {
    use StrategyProposalsEvents as E;
    let out = match event {
        E::ProposalCreated(e) => {
            let (rules, p) = futures_util::try_join!(
                rules_at(reader, log.address, log.block_number),
                record(reader, log, e.proposalId),
            )?;
            let mut out = vec![rules];
            if p.state == OPEN {
                out.push(StrategyObserved::ProposalOpened {
                    proposal_id: e.proposalId,
                    opened_at: p.createdAt.to(),
                    conviction: p.conviction,
                    support: p.support,
                    updated_at: p.updatedAt.to(),
                    clock_half_life: u64::from(p.clockHalfLife),
                    clock_remainder: u64::from(p.clockRemainder),
                });
            }
            out
        }
        E::Supported(e) => vec![changed(reader, log, e.proposalId).await?],
        E::Unsupported(e) => vec![changed(reader, log, e.proposalId).await?],
        E::ProposalReady(e) => vec![closed(e.proposalId, ProposalEnd::Promoted)],
        E::ProposalExpired(e) => vec![closed(e.proposalId, ProposalEnd::Expired)],
        E::ProposalWithdrawn(e) => vec![closed(e.proposalId, ProposalEnd::Withdrawn)],
        E::Staked(_) | E::Unstaked(_) => {
            vec![rules_at(reader, log.address, log.block_number).await?]
        }
        _ => Vec::new(),
    };
    Ok(out.into_iter().map(Observed::Strategy).collect())
}

/// The rules after a `ParamSet` of one of theirs in `log`'s block (nothing when the
/// directory has no Strategy module).
pub(super) async fn rules_after_param<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
) -> viable::Result<Vec<Observed>> {
    let strategy = match reader.directory().address(reader.viable(), Module::Strategy).await {
        Ok(a) if a != Address::ZERO => a,
        Ok(_) | Err(viable::Error::Precondition(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let rules = rules_at(reader, strategy, log.block_number).await?;
    Ok(vec![Observed::Strategy(rules)])
}

fn closed(proposal_id: U256, how: ProposalEnd) -> StrategyObserved {
    StrategyObserved::ProposalClosed { proposal_id, how }
}

async fn record<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    id: U256,
) -> viable::Result<viable::bindings::strategy::IStrategyProposals::Proposal> {
    let s = StrategyProposals::new(log.address, reader.provider().clone());
    viable::events::read_at_or_after(reader.provider(), log.block_number, |at| {
        let call = s.proposal(id).block(at);
        async move { Ok(call.call().await?) }
    })
    .await
}

async fn changed<P: Provider + Clone>(
    reader: &Reader<P>,
    log: &SuiteLog,
    id: U256,
) -> viable::Result<StrategyObserved> {
    let p = record(reader, log, id).await?;
    Ok(StrategyObserved::SupportChanged {
        proposal_id: id,
        conviction: p.conviction,
        support: p.support,
        updated_at: p.updatedAt.to(),
        clock_half_life: u64::from(p.clockHalfLife),
        clock_remainder: u64::from(p.clockRemainder),
    })
}

/// The rules in force at the end of block `block`: `strategy.halfLife`,
/// `strategy.maxAge` and the module's `threshold()`.
async fn rules_at<P: Provider + Clone>(
    reader: &Reader<P>,
    strategy: Address,
    block: u64,
) -> viable::Result<StrategyObserved> {
    let c = LegitimacyConstitution::new(
        reader.viable().deployment().constitution,
        reader.provider().clone(),
    );
    let s = StrategyProposals::new(strategy, reader.provider().clone());
    let (half_life, max_age, threshold) =
        viable::events::read_at_or_after(reader.provider(), block, |at| {
            let (c, s) = (&c, &s);
            async move {
                futures_util::try_join!(
                    async {
                        let v = c.param(ParamKey::StrategyHalfLife.word()).block(at).call().await?;
                        Ok::<_, viable::Error>(v)
                    },
                    async {
                        let v = c.param(ParamKey::StrategyMaxAge.word()).block(at).call().await?;
                        Ok::<_, viable::Error>(v)
                    },
                    async { Ok::<_, viable::Error>(s.threshold().block(at).call().await?) },
                )
            }
        })
        .await?;
    Ok(StrategyObserved::Rules {
        half_life: half_life.saturating_to(),
        max_age: max_age.saturating_to(),
        threshold,
    })
}

/// The transaction for a Strategy action. `None`: not a Strategy action.
pub(super) async fn call<P: Provider + Clone>(
    viable: &Viable<P>,
    directory: &Directory,
    action: &Action,
) -> viable::Result<Option<(Address, Bytes)>> {
    let data = match action {
        Action::PromoteProposal { proposal_id } => {
            StrategyProposals::promoteCall { proposalId: *proposal_id }.abi_encode()
        }
        Action::ExpireProposal { proposal_id } => {
            StrategyProposals::expireCall { proposalId: *proposal_id }.abi_encode()
        }
        _ => return Ok(None),
    };
    let strategy = directory.address(viable, Module::Strategy).await?;
    Ok(Some((strategy, data.into())))
}

/// What a StrategyProposals error means for the action that hit it.
pub(super) fn classify(error: &StrategyProposalsErrors) -> FailureKind {
    use StrategyProposalsErrors as E;
    match error {
        // Promoted, expired or withdrawn already: its event ends the item.
        E::StrategyProposalsWrongState(_) => FailureKind::AlreadyDone,
        E::StrategyProposalsNotExpired(e) => {
            FailureKind::NotYet { retry_at: Some(e.expiresAt.saturating_to()) }
        }
        // The support moved under us: the event that moved it reschedules the promotion.
        E::StrategyProposalsBelowThreshold(_) => FailureKind::NotYet { retry_at: None },
        // Too old to promote: the expiry (scheduled separately) is what remains.
        _ => FailureKind::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use viable::bindings::StrategyProposals as S;

    use super::*;

    #[test]
    fn errors_classify() {
        let e =
            StrategyProposalsErrors::StrategyProposalsWrongState(S::StrategyProposalsWrongState {
                proposalId: U256::from(1),
                current: 2,
                required: OPEN,
            });
        assert_eq!(classify(&e), FailureKind::AlreadyDone);
        let e =
            StrategyProposalsErrors::StrategyProposalsNotExpired(S::StrategyProposalsNotExpired {
                proposalId: U256::from(1),
                expiresAt: U256::from(77),
                now_: U256::from(70),
            });
        assert_eq!(classify(&e), FailureKind::NotYet { retry_at: Some(77) });
        let e =
            StrategyProposalsErrors::StrategyProposalsPastMaxAge(S::StrategyProposalsPastMaxAge {
                proposalId: U256::from(1),
                expiresAt: U256::from(77),
                now_: U256::from(80),
            });
        assert_eq!(classify(&e), FailureKind::Permanent);
        assert!(is_rule_key(&ParamKey::StrategyReadyBps.word()));
        assert!(!is_rule_key(&ParamKey::StrategyMinBond.word()));
    }
}
