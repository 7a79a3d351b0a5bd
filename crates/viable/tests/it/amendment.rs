//! An amendment through both houses, the timelock and execution, on a real chain.

use alloy::{
    primitives::U256,
    providers::{Provider, ext::AnvilApi},
};
use viable::{Amendment, DeployOptions, Genesis, Role, Support, Viable};

use crate::Chain;

async fn advance<P: Provider>(p: &P, seconds: u64) {
    p.anvil_increase_time(seconds).await.unwrap();
    p.evm_mine(None).await.unwrap();
}

#[tokio::test]
async fn amendment_passes_both_houses_waits_out_the_timelock_and_executes() {
    let chain = Chain::spawn();
    let viable = Viable::deploy(chain.provider.clone(), &Genesis::dev(), DeployOptions::default())
        .await
        .unwrap();
    let d = viable.deployment().clone();
    let voter = |i: usize| Viable::new(Chain::provider_for(&chain.anvil, i), d.clone());
    let newcomer = chain.anvil.addresses()[5];
    // Snapshots are taken one second before the proposal: let genesis balances settle.
    advance(&chain.provider, 2).await;

    let amendment = Amendment::new()
        .set_param("legit.timelock", U256::from(180u64))
        .grant(Role::Guardian, newcomer)
        .description("Longer timelock; one more guardian");
    let id = viable.propose(&amendment).await.unwrap();
    assert_eq!(id, amendment.id(chain.anvil.addresses()[0]));
    let status = viable.amendment_status(id).await.unwrap();
    assert_eq!(status.state, "Pending");
    assert_eq!(status.proposal.actions[0], "set legit.timelock = 180 s (3m)");

    // Voting is closed during the notice period, with the named error.
    let err = voter(1).vote(id, Support::For, None).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionWrongState"), "{err}");

    advance(&chain.provider, 61).await;
    for i in 0..3 {
        voter(i).vote(id, Support::For, Some("ratify")).await.unwrap();
    }
    let err = voter(0).vote(id, Support::Against, None).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionAlreadyVoted"), "{err}");

    let status = viable.amendment_status(id).await.unwrap();
    assert_eq!(status.state, "Active");
    let ether = U256::from(10u64).pow(U256::from(18));
    assert_eq!(status.token[0], U256::from(3_000_000u64) * ether);
    assert_eq!(status.work[0], U256::from(10 + 8 + 6), "isqrt of the seeded points");

    advance(&chain.provider, 300).await;
    assert_eq!(viable.amendment_status(id).await.unwrap().state, "Succeeded");
    voter(4).queue(id).await.unwrap();
    let err = voter(4).execute(id).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionTimelocked"), "{err}");

    advance(&chain.provider, 120).await;
    voter(4).execute(id).await.unwrap();
    assert_eq!(viable.param("legit.timelock").await.unwrap(), U256::from(180));
    let (_, guardians) = viable.roles().await.unwrap();
    assert!(guardians.contains(&newcomer));
    assert_eq!(viable.amendment_status(id).await.unwrap().state, "Executed");
    assert_eq!(viable.amendments().await.unwrap().len(), 1);
}

#[tokio::test]
async fn out_of_bounds_amendment_is_refused_before_sending() {
    let chain = Chain::spawn();
    let viable = Viable::deploy(chain.provider.clone(), &Genesis::dev(), DeployOptions::default())
        .await
        .unwrap();
    let before = chain.provider.get_transaction_count(chain.anvil.addresses()[0]).await.unwrap();
    let err = viable
        .propose(
            &Amendment::new().set_param("legit.passBps", U256::from(9_500u64)).description("x"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("outside its hard bounds [5000, 9000]"), "{err}");
    let after = chain.provider.get_transaction_count(chain.anvil.addresses()[0]).await.unwrap();
    assert_eq!(before, after);
}
