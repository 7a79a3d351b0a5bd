//! The `viable` binary end to end, against a real anvil.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use alloy::{hex, node_bindings::Anvil};

fn viable(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_viable"))
        .args(args)
        .env_remove("ETH_RPC_URL")
        .env_remove("VIABLE_PRIVATE_KEY")
        .env_remove("VIABLE_DEPLOYMENT")
        .output()
        .expect("viable runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("viable-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn anvil_bin() -> PathBuf {
    viable::tools::find_foundry_tool("anvil", Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A real anvil and a deployment file, for commands that talk to a chain.
struct Session {
    anvil: alloy::node_bindings::AnvilInstance,
    dir: PathBuf,
    file: PathBuf,
}

impl Session {
    fn new(name: &str) -> Self {
        let anvil = Anvil::new().path(anvil_bin()).try_spawn().unwrap();
        let dir = tmpdir(name);
        let file = dir.join("31337.json");
        Self { anvil, dir, file }
    }

    /// Run `viable ARGS` against this chain, signing as anvil account `signer`.
    fn call(&self, args: &[&str], signer: usize) -> Output {
        let key = hex::encode(self.anvil.keys()[signer].to_bytes());
        let rpc = self.anvil.endpoint();
        let mut all: Vec<&str> = args.to_vec();
        all.extend([
            "--rpc-url",
            rpc.as_str(),
            "--deployment",
            self.file.to_str().unwrap(),
            "--private-key",
            key.as_str(),
        ]);
        viable(&all)
    }

    /// `call`, which must succeed; returns stdout.
    fn run(&self, args: &[&str], signer: usize) -> String {
        let out = self.call(args, signer);
        assert!(out.status.success(), "{args:?}: {}", text(&out).1);
        text(&out).0
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn dev_starts_a_chain_deploys_and_prints_the_constitution() {
    let dir = tmpdir("dev");
    let out = viable(&[
        "dev",
        "--exit",
        "--json",
        "--port",
        "18545",
        "--deployments",
        dir.to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["state"]["bootstrapped"], true);
    assert_eq!(v["state"]["params"].as_array().unwrap().len(), 23);
    assert_eq!(v["state"]["guardians"].as_array().unwrap().len(), 1);
    assert!(dir.join("31337.json").is_file());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn deploy_then_read_params_and_roles() {
    let chain = Session::new("deploy");
    let out = chain.run(&["deploy", "--genesis", "dev"], 0);
    assert!(out.contains("LegitimacyConstitution"));

    // A second deploy must not silently replace the record.
    let out = chain.call(&["deploy", "--genesis", "dev"], 0);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("--force"), "{}", text(&out).1);

    let out = chain.run(&["constitution", "params", "--json"], 0);
    let params: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(params[0]["key"], "work.maxFields");

    let stdout = chain.run(&["constitution", "roles"], 0);
    assert!(stdout.contains("STEWARD   0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), "{stdout}");
}

/// The dev preset with its founding seeds removed.
fn without_seeds(preset: &str) -> String {
    let start = preset.find("seeds = [").expect("the dev preset has seeds");
    let end = start + preset[start..].find("\n]").expect("a closing bracket") + 2;
    format!("{}seeds = []{}", &preset[..start], &preset[end..])
}

#[test]
fn genesis_check_reports_both_houses() {
    let dir = tmpdir("genesis-ok");
    let file = dir.join("dev.toml");
    std::fs::write(&file, viable::genesis::DEV_TOML).unwrap();
    let out = viable(&["genesis", "check", file.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("Token House: a new ViableToken \"Viable Dev\", 10 holders"),
        "{stdout}"
    );
    assert!(stdout.contains("Work House: 3 founding seeds, total power 24"), "{stdout}");
    // The production preset is a template: refused until it names a token and founders.
    let prod = dir.join("production.toml");
    std::fs::write(&prod, viable::genesis::PRODUCTION_TOML).unwrap();
    let out = viable(&["genesis", "check", prod.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("placeholder"), "{}", text(&out).1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_genesis_files_are_refused_with_the_key_and_the_rule() {
    let dir = tmpdir("genesis");
    let preset = viable::genesis::DEV_TOML;
    let cases = [
        (
            preset.replacen("value = 16", "value = 99", 1),
            "`work.maxFields` = 99 is outside its bounds [1, 64]",
        ),
        (
            preset.replace(
                "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
                "0xa0Ee7A142d267C1f36714E4a8F75612F20a7972g",
            ),
            "`token.holders[9].address`",
        ),
        (
            preset.replace("params.\"locks.maxQueue\"", "params.\"locks.maxQueues\""),
            "unknown parameter `locks.maxQueues`",
        ),
        // A Work House with no founding power: no amendment could ever pass.
        (without_seeds(preset), "seeds is empty: the Work House would have no power"),
        (preset.replacen("points = 100", "points = 0", 1), "`bootstrap.seeds[0]`"),
        // A Token House with no weight.
        (
            preset.replace("amount = \"1000000 ether\"", "amount = \"0 ether\""),
            "LegitimacyConstitutionTokenHouseEmpty",
        ),
    ];
    for (i, (body, expected)) in cases.iter().enumerate() {
        let file = dir.join(format!("bad{i}.toml"));
        std::fs::write(&file, body).unwrap();
        for cmd in [
            vec!["genesis", "check", file.to_str().unwrap()],
            // deploy refuses before it even looks for a chain or a signer
            vec!["deploy", "--genesis", file.to_str().unwrap(), "--rpc-url", "http://127.0.0.1:1"],
        ] {
            let out = viable(&cmd);
            let (_, stderr) = text(&out);
            assert!(!out.status.success());
            assert!(stderr.contains(expected), "{cmd:?}: {stderr}");
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn amendment_lifecycle_from_the_command_line() {
    use alloy::providers::{ProviderBuilder, ext::AnvilApi};

    let chain = Session::new("amend");
    let run = |args: &[&str], signer: usize| chain.run(args, signer);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let provider = ProviderBuilder::new().connect_http(chain.anvil.endpoint_url());
    let advance = |s: u64| {
        rt.block_on(async {
            provider.anvil_increase_time(s).await.unwrap();
            provider.evm_mine(None).await.unwrap();
        })
    };

    run(&["deploy", "--genesis", "dev"], 0);
    advance(2);
    let amendment = chain.dir.join("a.toml");
    std::fs::write(
        &amendment,
        r#"description = "Three-minute voting"
[[actions]]
set_param = { key = "legit.votingPeriod", value = "3 minutes" }
"#,
    )
    .unwrap();
    let out = run(&["constitution", "propose", amendment.to_str().unwrap(), "--json"], 0);
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    advance(61);
    for i in 0..3 {
        run(&["constitution", "vote", &id, "for", "--reason", "agreed"], i);
    }
    let shown = run(&["constitution", "show", &id], 4);
    assert!(shown.contains("Active"), "{shown}");
    assert!(shown.contains("set legit.votingPeriod = 180 s (3m)"), "{shown}");
    advance(300);
    run(&["constitution", "queue", &id], 4);
    advance(120);
    run(&["constitution", "execute", &id], 4);
    let list = run(&["constitution", "list"], 4);
    assert!(list.starts_with("Executed"), "{list}");
    let params = run(&["constitution", "params", "--json"], 4);
    assert!(params.contains("\"0xb4\""), "votingPeriod is now 180 (0xb4): {params}");
}

#[test]
fn work_schema_and_packets_from_the_command_line() {
    let chain = Session::new("work");
    let call = |args: &[&str]| chain.call(args, 0);
    let run = |args: &[&str]| chain.run(args, 0);
    run(&["deploy", "--genesis", "dev"]);
    let schema_file = chain.dir.join("bugfix.toml");
    std::fs::write(
        &schema_file,
        r#"name = "bugfix"
acceptance = { mode = "immediate" }
[[fields]]
name = "issue"
type = "uint256"
required = true
min = 1
max = 1000
[[fields]]
name = "commit"
type = "bytes32"
[[fields]]
name = "summary"
type = "string"
max_len = 64
"#,
    )
    .unwrap();
    let sf = schema_file.to_str().unwrap();
    let offline = run(&["work", "schema", "id", sf]).trim().to_string();
    let out = run(&["work", "schema", "register", sf, "--json"]);
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["schemaId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id, offline);
    assert!(run(&["work", "schema", "show", &id]).contains("uint256    required, [1, 1000]"));

    let commit = format!("0x{}", "ab".repeat(32));
    let values = format!(r#"{{"issue": 7, "commit": "{commit}", "summary": "fixed the oracle"}}"#);
    let hash = format!("0x{}", "01".repeat(32));
    let out = run(&[
        "work",
        "submit",
        &id,
        "--values",
        &values,
        "--schema-file",
        sf,
        "--content-hash",
        &hash,
    ]);
    assert!(out.contains("submitted packet 1 (Accepted)"), "{out}");
    let shown = run(&["work", "show", "1"]);
    assert!(shown.contains("\"fixed the oracle\""), "{shown}");
    assert!(run(&["work", "list"]).contains("Accepted"));

    // Refused client-side with the contract's error name, before any transaction.
    let bad = format!(r#"[5000, "{commit}", "x"]"#);
    let out = call(&["work", "submit", &id, "--values", &bad, "--content-hash", &hash]);
    assert!(!out.status.success());
    assert!(
        text(&out).1.contains("WorkRegistryFieldOutOfRange: field 0: 5000 is outside [1, 1000]"),
        "{}",
        text(&out).1
    );
}
