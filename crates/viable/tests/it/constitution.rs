//! Deploy the constitution through the SDK and read everything back.

use alloy::{
    primitives::{Address, U256, keccak256},
    providers::Provider,
};
use viable::{
    DeployOptions, Deployment, Genesis, Module, ParamKey, Viable,
    error::Precondition,
    genesis::{GenesisError, ResolvedToken},
    keys,
};

use crate::{Chain, ether};

#[tokio::test]
async fn deploys_dev_genesis_and_reads_everything_back() {
    let chain = Chain::spawn();
    let genesis = Genesis::dev();
    let resolved = genesis.resolve().unwrap();
    let viable = Viable::deploy(
        chain.provider.clone(),
        &genesis,
        DeployOptions::default().git_commit(Some("test".into())),
    )
    .await
    .unwrap();

    // The dev preset's holders are exactly anvil's default accounts.
    let accounts = chain.provider.get_accounts().await.unwrap();
    let ResolvedToken::Deploy { holders, .. } = &resolved.token else {
        panic!("dev deploys a token")
    };
    let holders: Vec<Address> = holders.iter().map(|(a, _)| *a).collect();
    assert_eq!(holders, accounts[..10].to_vec());

    let c = viable.constitution();
    let state = c.state().await.unwrap();
    assert!(state.bootstrapped);
    assert_eq!(state.token, viable.deployment().token);
    assert_eq!(state.params.len(), keys::REQUIRED.len());
    for (got, want) in state.params.iter().zip(&resolved.params) {
        assert_eq!(
            (&got.key, got.value, got.min, got.max),
            (&want.key, want.value, want.min, want.max)
        );
    }
    assert_eq!(c.param(ParamKey::LegitVotingPeriod).await.unwrap(), U256::from(300));
    assert_eq!(state.stewards, resolved.stewards);
    assert_eq!(state.guardians, resolved.guardians);
    assert_eq!(state.articles.len(), 2);
    assert_eq!(
        state.articles[0].content_hash,
        keccak256(genesis.bootstrap.articles[0].text.as_ref().unwrap())
    );
    assert!(state.recognitions.is_empty());
    assert_eq!(state.modules, viable.deployment().modules);
    assert_ne!(state.modules.get(Module::Work), Address::ZERO);
    assert_eq!(viable.work().address().await.unwrap(), state.modules.get(Module::Work));
    // The deployment records the account that signed, which the contract also knows.
    assert_eq!(viable.deployment().deployer, chain.anvil.addresses()[0]);
    assert_eq!(c.deployer().await.unwrap(), viable.deployment().deployer);
    assert_eq!(viable.deployment().git_commit.as_deref(), Some("test"));

    // The token house: every holder self-delegated.
    let token = viable::bindings::ViableToken::new(state.token, chain.provider.clone());
    let votes = token.getVotes(accounts[3]).call().await.unwrap();
    assert_eq!(votes, U256::from(1_000_000u64) * ether());

    // The deployer has no power left: a second bootstrap reverts with the named error.
    let config = viable::bindings::ILegitimacyConstitution::BootstrapConfig {
        modules: [Address::ZERO; 4],
        roles: vec![],
        recognitions: vec![],
        articles: vec![],
        seeds: vec![],
    };
    let err: viable::Error = c.contract().bootstrap(config).call().await.unwrap_err().into();
    assert!(err.is_revert("LegitimacyConstitutionAlreadyBootstrapped"), "{err}");
    assert_eq!(err.revert().unwrap().contract, Some("LegitimacyConstitution"));

    // Unknown parameters are decoded with their key as text.
    let err = c.param_word(keys::text_to_bytes32("work.nope").unwrap()).await.unwrap_err();
    assert!(err.is_revert("LegitimacyConstitutionUnknownParam"), "{err}");
    assert!(err.to_string().contains("\"work.nope\""), "{err}");
    assert!(!err.is_retryable());

    // The deployment file round-trips and reconnects.
    let dir = std::env::temp_dir().join(format!("viable-it-{}", std::process::id()));
    let path = Deployment::path_in(&dir, viable.deployment().chain_id);
    viable.deployment().write(&path).unwrap();
    let again =
        Viable::connect(chain.provider.clone(), Deployment::read(&path).unwrap()).await.unwrap();
    assert_eq!(again.constitution().params().await.unwrap(), state.params);
    assert_eq!(again.deployment(), viable.deployment());
    assert_eq!(again.deployment().genesis_hash, resolved.hash);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn the_deployment_records_the_signer_and_the_first_block() {
    let chain = Chain::spawn();
    // Leave a few blocks behind, then deploy as account 5 (not eth_accounts[0]).
    crate::mine(&chain.provider, 3).await;
    let signer = chain.anvil.addresses()[5];
    let provider = Chain::provider_for(&chain.anvil, 5);
    let viable =
        Viable::deploy(provider.clone(), &Genesis::dev(), DeployOptions::default()).await.unwrap();
    let d = viable.deployment();
    assert_eq!(d.deployer, signer);
    assert_eq!(viable.constitution().deployer().await.unwrap(), signer);
    // The scan start is the block of the first deployment transaction: the token.
    let code_at = |block: u64| {
        let p = provider.clone();
        let token = d.token;
        async move { p.get_code_at(token).block_id(block.into()).await.unwrap() }
    };
    assert!(code_at(d.deploy_block - 1).await.is_empty());
    assert!(!code_at(d.deploy_block).await.is_empty());
}

#[tokio::test]
async fn bad_genesis_is_refused_before_any_transaction() {
    let chain = Chain::spawn();
    let mut genesis = Genesis::dev();
    genesis.set_param("legit.passBps", 10_000u64).unwrap();
    let before = chain.provider.get_transaction_count(chain.anvil.addresses()[0]).await.unwrap();
    let err = Viable::deploy(chain.provider.clone(), &genesis, DeployOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, viable::Error::Genesis(ref g) if matches!(**g, GenesisError::OutOfBounds { ref key, .. } if key == "legit.passBps")),
        "{err}"
    );
    let after = chain.provider.get_transaction_count(chain.anvil.addresses()[0]).await.unwrap();
    assert_eq!(before, after, "no transaction may be sent for a bad genesis");
}

#[tokio::test]
async fn production_genesis_with_an_existing_token() {
    let chain = Chain::spawn();
    // An existing IVotes token: deploy one the way a DAO already would have.
    let dev = chain.deploy_dev().await;
    let mut genesis = Genesis::production();
    genesis.token.address = Some(dev.deployment().token.to_string());
    // The preset is a template: it needs founders for its Work House too.
    genesis.bootstrap.seeds = vec![viable::genesis::SeedSpec {
        contributor: chain.anvil.addresses()[1].to_string(),
        points: 100,
    }];
    let prod =
        Viable::deploy(chain.provider.clone(), &genesis, DeployOptions::default()).await.unwrap();
    assert_eq!(prod.deployment().token, dev.deployment().token);
    assert_eq!(
        prod.constitution().param(ParamKey::LegitTimelock).await.unwrap(),
        U256::from(2 * 86_400)
    );

    // A token address without code is refused before the constitution is deployed.
    genesis.token.address = Some(Address::repeat_byte(0x42).to_string());
    let err = Viable::deploy(chain.provider.clone(), &genesis, DeployOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, viable::Error::Precondition(Precondition::NoCode { .. })), "{err}");

    // A contract without the ERC-6372 clock is not an IVotes token.
    genesis.token.address = Some(dev.deployment().constitution.to_string());
    let err = Viable::deploy(chain.provider.clone(), &genesis, DeployOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, viable::Error::Precondition(Precondition::NotIVotes(_))), "{err}");
}
