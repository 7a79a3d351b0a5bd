//! StrategyProposals on a real chain: the predicted Ready time is the block from which
//! `promote` succeeds, and a Ready proposal becomes an amendment that adopts it.

use alloy::{
    primitives::{B256, U256},
    providers::{Provider, ext::AnvilApi},
};
use viable::{
    Amendment, ParamKey,
    strategy::{
        ConvictionState, Crossing, ProposalState, StrategyError, Target, amendment_toml,
        encode_suggested_actions,
    },
};

use crate::{Chain, ether};

async fn latest_timestamp(chain: &Chain) -> u64 {
    let b = chain.provider.get_block_by_number(Default::default()).await.unwrap().unwrap();
    b.header.timestamp
}

#[tokio::test]
async fn predicted_ready_time_is_the_first_promotable_block_and_adopt_round_trips() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let s = viable.strategy();
    let staker1 = chain.as_account(&viable, 1).strategy();
    let staker2 = chain.as_account(&viable, 2).strategy();
    let keeper = chain.as_account(&viable, 3).strategy();

    // A question and one option suggesting an amendment (bonds approved by the SDK).
    let q = s.open_question(B256::repeat_byte(1), "ipfs://question").await.unwrap();
    let suggested = Amendment::new()
        .set_param(ParamKey::LegitTimelock, U256::from(180u64))
        .description("ignored: the file names the proposal");
    let id = s
        .propose(
            q,
            Target::Legitimacy,
            B256::repeat_byte(2),
            "ipfs://option",
            encode_suggested_actions(&suggested),
        )
        .await
        .unwrap();
    let bond = viable.constitution().param(ParamKey::StrategyMinBond).await.unwrap();
    assert_eq!(s.total_bonds().await.unwrap(), bond * U256::from(2));

    // Client-side checks name the contract's errors.
    let err = keeper.promote(id).await.unwrap_err();
    assert!(
        matches!(err.check::<StrategyError>(), Some(StrategyError::BelowThreshold { .. })),
        "{err}"
    );
    let err = staker1.stake(U256::ZERO).await.unwrap_err();
    assert!(err.to_string().contains("StrategyProposalsZeroAmount"), "{err}");

    // Two supporters at different times, so the clock carries a remainder and the
    // proposal a conviction when the prediction starts.
    staker1.stake(U256::from(1000u64) * ether()).await.unwrap();
    staker1.support(id, U256::from(1000u64) * ether()).await.unwrap();
    chain.advance(17).await;
    staker2.stake(U256::from(500u64) * ether()).await.unwrap();
    staker2.support(id, U256::from(500u64) * ether()).await.unwrap();
    chain.advance(3).await;
    let err = staker2.unstake(U256::from(1u64)).await.unwrap_err();
    assert!(err.is_revert("StrategyProposalsInsufficientStake"), "{err}");

    let record = s.record(id).await.unwrap();
    assert!(record.conviction > U256::ZERO && record.clock_remainder > 0, "{record:?}");
    let threshold = s.threshold().await.unwrap();
    assert_eq!(threshold, U256::from(300u64) * ether(), "20% of the 1500 staked");
    let Crossing::At(t) = s.ready_at(id).await.unwrap() else { panic!("it should cross") };
    let now = latest_timestamp(&chain).await;
    assert!(t > now + 1, "crossing {t} should lie ahead of {now}");
    let info = s.proposal(id).await.unwrap();
    assert_eq!(info.ready_at, Some(Crossing::At(t)));
    assert!(t < info.expires_at);

    // One second early: the transaction is mined and reverts.
    let half_life =
        viable.constitution().param(ParamKey::StrategyHalfLife).await.unwrap().to::<u64>();
    chain.provider.anvil_set_next_block_timestamp(t - 1).await.unwrap();
    let c = keeper.contract().await.unwrap();
    let early = c.promote(id.0).gas(400_000).send().await.unwrap().get_receipt().await.unwrap();
    assert!(!early.status(), "promote succeeded one second before the prediction");
    assert_eq!(latest_timestamp(&chain).await, t - 1);
    // The mirror reproduces the contract's conviction to the wei.
    let mirror = ConvictionState::new(
        record.support,
        record.conviction,
        record.updated_at,
        record.created_at,
        record.clock_half_life,
        record.clock_remainder,
    );
    assert_eq!(s.conviction(id).await.unwrap(), mirror.conviction_at(t - 1, half_life));
    assert!(!s.promotable(id).await.unwrap().0);

    // At the predicted second: it succeeds.
    chain.provider.anvil_set_next_block_timestamp(t).await.unwrap();
    let on_time = c.promote(id.0).gas(400_000).send().await.unwrap().get_receipt().await.unwrap();
    assert!(on_time.status(), "promote failed at the predicted second {t}");
    assert_eq!(latest_timestamp(&chain).await, t);
    let record = s.record(id).await.unwrap();
    assert_eq!(record.state, ProposalState::Ready);
    assert_eq!(s.total_bonds().await.unwrap(), bond, "the proposal's bond came back");

    // Ready -> amendment file -> both houses -> executed -> Adopted.
    let file = s.adoption(id, None).await.unwrap();
    assert_eq!(file.adopts, 1);
    let text = amendment_toml(&file);
    let amendment = Amendment::from_toml_str(&text, "adopt.toml").unwrap();
    assert_eq!(amendment.actions(), suggested.actions());
    assert_eq!(amendment.strategy_proposal_id(), id.0);
    chain.pass(&viable, &amendment).await;
    assert_eq!(
        viable.constitution().param(ParamKey::LegitTimelock).await.unwrap(),
        U256::from(180)
    );
    let record = s.record(id).await.unwrap();
    assert_eq!(record.state, ProposalState::Adopted);
    assert_eq!(record.adopted_by, vec![viable::strategy::Adopter::Legitimacy]);

    // Support can always leave, and the books balance (a fresh provider: `pass` voted
    // as account 1 through its own).
    let staker1 = chain.as_account(&viable, 1).strategy();
    staker1.unsupport(id, U256::from(1000u64) * ether()).await.unwrap();
    staker1.unstake(U256::from(1000u64) * ether()).await.unwrap();
    assert_eq!(s.total_staked().await.unwrap(), U256::from(500u64) * ether());
}
