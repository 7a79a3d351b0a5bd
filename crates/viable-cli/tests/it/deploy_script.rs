//! The two deploy paths agree: `viable deploy --genesis local` on one anvil and
//! `forge script script/Deploy.s.sol` (fed by `viable genesis export local`) on another
//! produce equivalent deployments: the same deployment file (same deployer, same
//! nonces, so the same addresses), parameters and bounds, roles, recognitions,
//! articles, directory, registered schemas, token weights and treasury lines.

use std::{path::Path, process::Command};

use alloy::{
    primitives::U256,
    providers::{DynProvider, Provider, ProviderBuilder},
};
use viable::{Deployment, Genesis, Viable, bindings::ViableToken, treasury::LineId};

use crate::{Session, text, viable_in};

async fn connect(s: &Session, file: &Path) -> Viable<DynProvider> {
    let provider = ProviderBuilder::new().connect_http(s.rpc().parse().unwrap()).erased();
    Viable::connect(provider, Deployment::read(file).unwrap()).await.unwrap()
}

#[test]
fn forge_script_and_viable_deploy_make_equivalent_deployments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf();

    // Path 1: the CLI (the SDK's deploy), signing as account 0.
    let cli = Session::new("deploy-cli");
    cli.run(&["deploy", "--genesis", "local"], 0);

    // Path 2: forge script, from the same genesis, with the CLI's key variable.
    let forged = Session::new("deploy-forge");
    // forge reads and writes only inside the project (foundry.toml's fs_permissions).
    let rel = format!("cache/viable/test-{}", std::process::id());
    std::fs::create_dir_all(root.join(&rel)).unwrap();
    let genesis_json = format!("{rel}/genesis.json");
    let out = viable_in(
        &root,
        &["genesis", "export", "local", "--out", root.join(&genesis_json).to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out).1);
    // `forge lint` on the script leaves an artifact without bytecode that forge's cache
    // then takes as fresh ("Could not find target contract"): drop such an artifact so
    // forge compiles the script again.
    let artifact = root.join("out/Deploy.s.sol/Deploy.json");
    if let Ok(text) = std::fs::read_to_string(&artifact)
        && !text.contains("\"bytecode\"")
    {
        let _ = std::fs::remove_dir_all(root.join("out/Deploy.s.sol"));
    }
    let file = format!("{rel}/31337.json");
    let out = Command::new(crate::foundry_bin("forge", "FORGE_BIN"))
        .args(["script", "script/Deploy.s.sol", "--broadcast", "--rpc-url", &forged.rpc()])
        .current_dir(&root)
        .env("VIABLE_PRIVATE_KEY", forged.key(0))
        .env("VIABLE_GENESIS_JSON", &genesis_json)
        .env("VIABLE_DEPLOYMENT_FILE", &file)
        .output()
        .expect("forge runs");
    assert!(out.status.success(), "forge script: {}\n{}", text(&out).0, text(&out).1);
    let forged_file = root.join(&file);

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (a, b) = (connect(&cli, &cli.file).await, connect(&forged, &forged_file).await);
        let (da, db) = (a.deployment(), b.deployment());
        // Same deployer and nonces on two fresh chains: the same addresses everywhere.
        assert_eq!(
            (da.chain_id, da.constitution, da.token, da.modules, da.deployer),
            (db.chain_id, db.constitution, db.token, db.modules, db.deployer)
        );
        let local = Genesis::local().resolve().unwrap();
        assert_eq!((da.genesis_hash, db.genesis_hash), (local.hash, local.hash));
        assert!(db.deploy_block <= da.deploy_block + 1 && db.deploy_block > 0);

        let (ca, cb) = (a.constitution(), b.constitution());
        let params = ca.params().await.unwrap();
        assert_eq!(params.len(), local.params.len());
        assert_eq!(params, cb.params().await.unwrap(), "parameters and bounds");
        assert_eq!(ca.roles().await.unwrap(), cb.roles().await.unwrap(), "roles");
        let recognized = ca.recognitions().await.unwrap();
        assert_eq!(recognized, local.recognitions);
        assert_eq!(recognized, cb.recognitions().await.unwrap(), "recognitions");
        assert_eq!(ca.articles().await.unwrap(), cb.articles().await.unwrap(), "articles");
        assert_eq!(ca.directory().await.unwrap(), cb.directory().await.unwrap(), "directory");
        assert!(cb.state().await.unwrap().bootstrapped);

        // The genesis's schemas are registered on both, under the same ids.
        for s in &local.schemas {
            let (sa, sb) =
                (a.work().schema(s.id()).await.unwrap(), b.work().schema(s.id()).await.unwrap());
            assert_eq!((sa.name.as_str(), &sa.fields), (s.name.as_str(), &s.fields));
            assert_eq!((sb.name, sb.fields, sb.acceptance), (sa.name, sa.fields, sa.acceptance));
        }

        // The Token House's weights and the Work House's founders.
        let holders: Vec<_> = cli.anvil.addresses().to_vec();
        let (ta, tb) = (
            ViableToken::new(da.token, a.provider().clone()),
            ViableToken::new(db.token, b.provider().clone()),
        );
        for h in &holders {
            let (va, vb) =
                (ta.getVotes(*h).call().await.unwrap(), tb.getVotes(*h).call().await.unwrap());
            assert_eq!(va, vb, "votes of {h}");
            assert_eq!(
                a.work().contribution(*h).await.unwrap(),
                b.work().contribution(*h).await.unwrap()
            );
        }

        // The treasury: the same deposit and lines.
        let (xa, xb) = (a.treasury(), b.treasury());
        assert_eq!(
            xa.balance(alloy::primitives::Address::ZERO).await.unwrap(),
            U256::from(100u64) * U256::from(10u64).pow(U256::from(18))
        );
        assert_eq!(
            xa.balance(alloy::primitives::Address::ZERO).await.unwrap(),
            xb.balance(alloy::primitives::Address::ZERO).await.unwrap()
        );
        let la = xa.lines(LineId(U256::from(1)), 10).await.unwrap();
        assert_eq!(la.len(), 2);
        assert_eq!(la, xb.lines(LineId(U256::from(1)), 10).await.unwrap(), "lines");
        let _ = b.provider().get_block_number().await.unwrap();
    });
    let _ = std::fs::remove_dir_all(root.join(&rel));
}
