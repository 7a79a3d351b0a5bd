//! An amendment through both houses, the timelock and execution, on a real chain.

use alloy::{primitives::U256, providers::Provider};
use viable::{Amendment, AmendmentState, ParamKey, Role, Support, constitution::AmendmentError};

use crate::{Chain, ether};

#[tokio::test]
async fn amendment_passes_both_houses_waits_out_the_timelock_and_executes() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let voter = |i: usize| chain.as_account(&viable, i).constitution();
    let c = viable.constitution();
    let newcomer = chain.anvil.addresses()[5];
    // Snapshots are taken one second before the proposal: let genesis balances settle.
    chain.advance(2).await;

    let amendment = Amendment::new()
        .set_param(ParamKey::LegitTimelock, U256::from(180u64))
        .grant(Role::Guardian, newcomer)
        .description("Longer timelock; one more guardian");
    let id = c.propose(&amendment).await.unwrap();
    assert_eq!(id.0, amendment.id(chain.anvil.addresses()[0]));
    let status = c.amendment(id).await.unwrap();
    assert_eq!(status.state, AmendmentState::Pending);
    assert_eq!(status.proposal.actions[0], "set legit.timelock = 180 s (3m)");
    assert_eq!(status.proposal.actions[1], format!("grant GUARDIAN to {newcomer}"));

    // Voting is closed during the notice period, with the named error.
    let err = voter(1).vote(id, Support::For, None).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionWrongState"), "{err}");

    chain.advance(61).await;
    for i in 0..3 {
        voter(i).vote(id, Support::For, Some("ratify")).await.unwrap();
    }
    let err = voter(0).vote(id, Support::Against, None).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionAlreadyVoted"), "{err}");

    let status = c.amendment(id).await.unwrap();
    assert_eq!(status.state, AmendmentState::Active);
    assert_eq!(status.token[0], U256::from(3_000_000u64) * ether());
    assert_eq!(status.work[0], U256::from(10 + 8 + 6), "isqrt of the seeded points");

    chain.advance(300).await;
    assert_eq!(c.amendment_state(id).await.unwrap(), AmendmentState::Succeeded);
    voter(4).queue(id).await.unwrap();
    let err = voter(4).execute(id).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionTimelocked"), "{err}");

    chain.advance(120).await;
    voter(4).execute(id).await.unwrap();
    assert_eq!(c.param(ParamKey::LegitTimelock).await.unwrap(), U256::from(180));
    let (_, guardians) = c.roles().await.unwrap();
    assert!(guardians.contains(&newcomer));
    assert_eq!(c.amendment(id).await.unwrap().state, AmendmentState::Executed);
    let all = c.amendments_with_state().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].0.id, all[0].1), (id, AmendmentState::Executed));
}

#[tokio::test]
async fn out_of_bounds_amendment_is_refused_before_sending() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let before = chain.provider.get_transaction_count(chain.anvil.addresses()[0]).await.unwrap();
    let err = viable
        .constitution()
        .propose(
            &Amendment::new()
                .set_param(ParamKey::LegitPassBps, U256::from(9_500u64))
                .description("x"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("outside its hard bounds [5000, 9000]"), "{err}");
    assert!(
        matches!(err.check::<AmendmentError>(), Some(AmendmentError::OutOfBounds { value, .. }) if *value == U256::from(9_500u64)),
        "{err:?}"
    );
    let after = chain.provider.get_transaction_count(chain.anvil.addresses()[0]).await.unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn an_unknown_amendment_is_a_precondition() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let err = viable.constitution().execute(U256::from(42).into()).await.unwrap_err();
    assert!(
        matches!(err, viable::Error::Precondition(viable::error::Precondition::UnknownAmendment(id)) if id == U256::from(42)),
        "{err}"
    );
}
