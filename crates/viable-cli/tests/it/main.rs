//! The `viable` binary end to end, against a real anvil. One file per point of the
//! "first fifteen minutes" issue: signer.rs (1), time.rs (2), readable.rs (5),
//! errors.rs (6), json.rs (7), small.rs (8); the SDK example (3) runs in the SDK's
//! own suite. This file holds the helpers and the walkthrough tests.

mod deploy_script;
mod dev;
mod errors;
mod hostile;
mod json;
mod locks;
mod readable;
mod signer;
mod small;
mod status;
mod strategy;
mod time;
mod treasury;

use std::{
    io::{Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use alloy::{hex, node_bindings::Anvil};

/// Environment variables the CLI reads: cleared for every run, so the tests see
/// only what they pass.
const ENV: [&str; 8] = [
    "ETH_RPC_URL",
    "ETH_FROM",
    "ETH_KEYSTORE",
    "ETH_KEYSTORE_ACCOUNT",
    "ETH_PASSWORD",
    "VIABLE_PRIVATE_KEY",
    "VIABLE_DEPLOYMENT",
    "RUST_LOG",
];

/// `viable ARGS` in `dir` (a scratch folder, so no deployment of the repository is
/// found by accident) with `env` set.
pub(crate) fn viable_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_viable"));
    cmd.args(args).current_dir(dir);
    for name in ENV {
        cmd.env_remove(name);
    }
    // The project's anvil, whatever the folder (`viable dev` looks from the current one).
    cmd.env("ANVIL_BIN", anvil_bin());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("viable runs")
}

/// `viable ARGS` in a scratch folder.
pub(crate) fn viable(args: &[&str]) -> Output {
    viable_in(&std::env::temp_dir(), args, &[])
}

/// (stdout, stderr).
pub(crate) fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A failed run's stderr, which must be exactly one line.
pub(crate) fn one_line_error(o: &Output) -> String {
    let (stdout, stderr) = text(o);
    assert!(!o.status.success(), "expected a failure; stdout: {stdout}");
    assert_eq!(stderr.lines().count(), 1, "one line, got:\n{stderr}");
    stderr.trim_end().to_string()
}

pub(crate) fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("viable-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The project's anvil: `$ANVIL_BIN`, else the npm install under the repository,
/// else `anvil` on PATH.
fn anvil_bin() -> PathBuf {
    foundry_bin("anvil", "ANVIL_BIN")
}

/// A Foundry tool (`anvil`, `forge`): `$ENV_VAR`, else the npm install under the
/// repository (`node_modules/@foundry-rs/<tool>-<platform>/bin/<tool>`), else `tool`
/// on PATH.
pub(crate) fn foundry_bin(tool: &str, env_var: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(env_var) {
        return p.into();
    }
    let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("macos", "aarch64") => "darwin-arm64",
        ("macos", _) => "darwin-amd64",
        (_, "aarch64") => "linux-arm64",
        _ => "linux-amd64",
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join(format!("node_modules/@foundry-rs/{tool}-{platform}/bin/{tool}")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| tool.into())
}

/// A real anvil and a deployment file, for commands that talk to a chain.
pub(crate) struct Session {
    pub(crate) anvil: alloy::node_bindings::AnvilInstance,
    pub(crate) dir: PathBuf,
    pub(crate) file: PathBuf,
}

impl Session {
    pub(crate) fn new(name: &str) -> Self {
        let anvil = Anvil::new().path(anvil_bin()).try_spawn().unwrap();
        let dir = tmpdir(name);
        let file = dir.join("31337.json");
        Self { anvil, dir, file }
    }

    /// A session with the dev genesis deployed (by account 0) and one block a few
    /// seconds later, so the founding holders can propose at once.
    pub(crate) fn deployed(name: &str) -> Self {
        let s = Self::new(name);
        s.run(&["deploy", "--genesis", "dev"], 0);
        s.warp("2s");
        s
    }

    /// The RPC URL.
    pub(crate) fn rpc(&self) -> String {
        self.anvil.endpoint()
    }

    /// Anvil account `i`'s key, hex.
    pub(crate) fn key(&self, i: usize) -> String {
        hex::encode_prefixed(self.anvil.keys()[i].to_bytes())
    }

    /// Anvil account `i`'s address, checksummed.
    pub(crate) fn address(&self, i: usize) -> String {
        self.anvil.addresses()[i].to_checksum(None)
    }

    /// Run `viable ARGS` against this chain and deployment, with no signer.
    pub(crate) fn read(&self, args: &[&str]) -> Output {
        self.with(args, &[])
    }

    /// Run `viable ARGS` against this chain and deployment with `env` set.
    pub(crate) fn with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let rpc = self.rpc();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--rpc-url", rpc.as_str(), "--deployment", self.file.to_str().unwrap()]);
        viable_in(&self.dir, &all, env)
    }

    /// Run `viable ARGS` signing as anvil account `signer`.
    pub(crate) fn call(&self, args: &[&str], signer: usize) -> Output {
        let key = self.key(signer);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--private-key", key.as_str()]);
        self.with(&all, &[])
    }

    /// `call`, which must succeed; returns stdout.
    pub(crate) fn run(&self, args: &[&str], signer: usize) -> String {
        let out = self.call(args, signer);
        assert!(out.status.success(), "{args:?}: {}", text(&out).1);
        text(&out).0
    }

    /// `call --json`, which must succeed; the JSON on stdout.
    pub(crate) fn json(&self, args: &[&str], signer: usize) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.run(&all, signer);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    /// `viable dev warp DURATION` on this chain.
    pub(crate) fn warp(&self, duration: &str) -> serde_json::Value {
        let out = viable(&["dev", "warp", duration, "--rpc-url", &self.rpc(), "--json"]);
        assert!(out.status.success(), "warp {duration}: {}", text(&out).1);
        serde_json::from_str(&text(&out).0).unwrap()
    }

    /// Write `body` to `name` in the session's folder; its path.
    pub(crate) fn file(&self, name: &str, body: &str) -> String {
        let p = self.dir.join(name);
        std::fs::write(&p, body).unwrap();
        p.to_str().unwrap().to_string()
    }

    /// Register the bugfix schema; its id.
    pub(crate) fn bugfix_schema(&self) -> (String, String) {
        let file = self.file("bugfix.toml", BUGFIX);
        let v = self.json(&["work", "schema", "register", &file], 0);
        (v["schemaId"].as_str().unwrap().to_string(), file)
    }

    /// Propose an amendment setting `legit.votingPeriod` to 3 minutes; its id.
    pub(crate) fn propose(&self) -> String {
        let file = self.file("a.toml", AMENDMENT);
        let v = self.json(&["constitution", "propose", &file], 0);
        v["amendmentId"].as_str().unwrap().to_string()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) const BUGFIX: &str = r#"name = "bugfix"
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
"#;

pub(crate) const AMENDMENT: &str = r#"description = "Three-minute voting"
[[actions]]
set_param = { key = "legit.votingPeriod", value = "3 minutes" }
"#;

#[test]
fn dev_starts_a_chain_deploys_and_prints_the_constitution() {
    let dir = tmpdir("dev");
    // Port 0: anvil takes any free port (a fixed one collides with a running `viable dev`).
    let out =
        viable(&["dev", "--exit", "--json", "--port", "0", "--deployments", dir.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["state"]["bootstrapped"], true);
    assert_eq!(v["state"]["params"].as_array().unwrap().len(), 24);
    assert_eq!(v["state"]["guardians"].as_array().unwrap().len(), 1);
    assert!(dir.join("31337.json").is_file());
    let rpc = v["rpcUrl"].as_str().unwrap();
    assert!(!rpc.ends_with(":0") && !rpc.ends_with(":8545"), "{rpc}");
    // The recorded deployer is the signer (anvil account 0), checksummed.
    assert_eq!(v["deployment"]["deployer"], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    // The accounts and keys it deploys with, as anvil prints them.
    assert_eq!(v["accounts"].as_array().unwrap().len(), 10);
    assert_eq!(
        v["accounts"][0]["privateKey"],
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn deploy_then_read_params_and_roles() {
    let chain = Session::new("deploy");
    // Deployed by account 5: the file records the signer, not eth_accounts[0].
    let out = chain.run(&["deploy", "--genesis", "dev"], 5);
    assert!(out.contains("LegitimacyConstitution"));
    // token, constitution, the four modules, bootstrap
    assert!(out.contains("deployed to chain 31337 in 7 transactions"), "{out}");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&chain.file).unwrap()).unwrap();
    assert_eq!(
        file["deployer"].as_str().unwrap().parse::<alloy::primitives::Address>().unwrap(),
        chain.anvil.addresses()[5]
    );

    // A second deploy must not silently replace the record.
    let err = one_line_error(&chain.call(&["deploy", "--genesis", "dev"], 0));
    assert!(err.contains("--force"), "{err}");

    let params = chain.json(&["constitution", "params"], 0);
    assert_eq!(params[0]["key"], "work.maxFields");
    assert_eq!(params[0]["value"], "16");

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
    // --json carries the same facts: the hash a deploy records and both houses.
    let out = viable(&["genesis", "check", file.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out).1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hash = viable::Genesis::dev().resolve().unwrap().hash;
    assert_eq!(v["genesisHash"], alloy::hex::encode_prefixed(hash), "{v}");
    assert_eq!(v["bootstrap"]["tokenHouse"]["token"]["holders"].as_array().unwrap().len(), 10);
    assert_eq!(v["bootstrap"]["workHouse"]["totalPower"], "24");
    assert_eq!(v["bootstrap"]["workHouse"]["seeds"].as_array().unwrap().len(), 3);
    assert!(v["params"].as_array().unwrap().iter().any(|p| p["key"] == "locks.maxQueue"), "{v}");
    // The local preset also registers schemas, recognizes one and funds two lines.
    let local = dir.join("local.toml");
    std::fs::write(&local, viable::genesis::LOCAL_TOML).unwrap();
    let out = viable(&["genesis", "check", local.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("registered at deploy, recognized, weight 10"), "{stdout}");
    assert!(stdout.contains("Schema \"note\""), "{stdout}");
    assert!(
        stdout.contains("Treasury: 100 ether deposited by the deployer; 2 ETH lines"),
        "{stdout}"
    );
    assert!(stdout.contains("line 2: 3000 bps run by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, schema \"review\", bounty 0.1 ether"), "{stdout}");
    let out = viable(&["genesis", "check", local.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bootstrap"]["schemas"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["bootstrap"]["recognitions"][0]["weight"], "10", "{v}");
    assert_eq!(v["bootstrap"]["treasury"]["deposit"], "100000000000000000000", "{v}");
    assert_eq!(v["bootstrap"]["treasury"]["lines"][1]["shareBps"], 3000, "{v}");
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
        // One capital lowered: a wrong EIP-55 checksum is most likely a typo.
        (
            preset.replace(
                "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
                "0xa0ee7A142d267C1f36714E4a8F75612F20a79720",
            ),
            "wrong EIP-55 checksum",
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
    let chain = Session::deployed("amend");
    let run = |args: &[&str], signer: usize| chain.run(args, signer);
    let before = chain.json(&["constitution", "params"], 4);
    let id = chain.propose();
    chain.warp("61s");
    for i in 0..3 {
        run(&["constitution", "vote", &id, "for", "--reason", "agreed"], i);
    }
    let shown = run(&["constitution", "show", &id], 4);
    assert!(shown.contains("Active"), "{shown}");
    assert!(shown.contains("set legit.votingPeriod = 180 s (3m)"), "{shown}");
    chain.warp("5m");
    run(&["constitution", "queue", &id], 4);
    // Too early: the timelock's end shows as a date, in how long, against the chain's now.
    let err = one_line_error(&chain.call(&["constitution", "execute", &id], 4));
    assert!(err.contains("LegitimacyConstitutionTimelocked("), "{err}");
    assert!(err.contains("UTC (in 2 min") || err.contains("UTC (in 1 min"), "{err}");
    assert!(err.contains(", now: 20") && !err.contains("now_"), "{err}");
    assert!(err.contains("`viable dev warp <duration>`"), "{err}");
    chain.warp("2m");
    run(&["constitution", "execute", &id], 4);
    let list = run(&["constitution", "list"], 4);
    assert!(list.starts_with(&format!("Executed   {id}")), "{list}");
    let voting_period = |list: &serde_json::Value| {
        let p = list.as_array().unwrap().iter().find(|p| p["key"] == "legit.votingPeriod").unwrap();
        p["value"].as_str().unwrap().to_string()
    };
    assert_eq!(voting_period(&before), "300", "the dev preset's 5 minutes");
    let params = chain.json(&["constitution", "params"], 4);
    assert_eq!(voting_period(&params), "180", "votingPeriod is now 180 s");
}

#[test]
fn work_schema_and_packets_from_the_command_line() {
    let chain = Session::deployed("work");
    let call = |args: &[&str]| chain.call(args, 0);
    let run = |args: &[&str]| chain.run(args, 0);
    let (id, sf) = chain.bugfix_schema();
    let offline = run(&["work", "schema", "id", &sf]).trim().to_string();
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
        &sf,
        "--content-hash",
        &hash,
    ]);
    assert!(out.starts_with("submitted packet 1 (now Accepted)\n  tx 0x"), "{out}");
    let shown = run(&["work", "show", "1"]);
    assert!(shown.contains("\"fixed the oracle\""), "{shown}");
    assert!(run(&["work", "list"]).contains("Accepted"));

    // Refused client-side with the contract's error name, before any transaction.
    let bad = format!(r#"[5000, "{commit}", "x"]"#);
    let err =
        one_line_error(&call(&["work", "submit", &id, "--values", &bad, "--content-hash", &hash]));
    assert!(
        err.contains("WorkRegistryFieldOutOfRange: field 0: 5000 is outside [1, 1000]"),
        "{err}"
    );
}

/// One HTTP/1.1 request to `addr`; the whole response (status line, headers, body).
fn http(addr: &str, method: &str, path: &str, body: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

/// Poll `check` every 200 ms for up to `secs` seconds.
fn eventually(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: not within {secs} s");
}

/// `viable keeper` against this chain, serving `/metrics` and `/health` on `metrics`,
/// its stderr piped.
fn spawn_keeper(chain: &Session, metrics: &str, state: &Path, signer: &[&str]) -> Child {
    let rpc = chain.anvil.endpoint();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_viable"));
    cmd.args(["keeper", "--rpc-url", &rpc, "--deployment", chain.file.to_str().unwrap()])
        .args(signer)
        .args(["--state-file", state.to_str().unwrap()])
        .args(["--metrics-addr", metrics, "--confirmations", "0", "--poll-interval-ms", "100"])
        .current_dir(&chain.dir)
        .stderr(Stdio::piped());
    for name in ENV {
        cmd.env_remove(name);
    }
    cmd.spawn().expect("viable keeper starts")
}

/// SIGTERM `child`; wait for it to exit; its status and stderr.
fn terminate(mut child: Child) -> (std::process::ExitStatus, String) {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let mut status = None;
    eventually(20, "the keeper exits", || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    (status.unwrap(), stderr)
}

/// Until it was fixed, the keeper panicked at start-up in debug builds: its
/// `--confirmations` (log depth) clashed with the send option of the same name, which
/// the keeper had inherited with the shared chain options.
#[test]
fn keeper_expires_a_packet_serves_health_and_metrics_and_stops_on_sigterm() {
    let chain = Session::new("keeper");
    let run = |args: &[&str]| chain.run(args, 0);
    run(&["deploy", "--genesis", "dev"]);
    let a = chain.anvil.addresses();
    let schema_file = chain.dir.join("review.toml");
    std::fs::write(
        &schema_file,
        format!(
            "name = \"review\"\nacceptance = {{ mode = \"attested\", quorum = 2, attesters = \
             [\"{}\", \"{}\", \"{}\"], window = 60 }}\n[[fields]]\ntype = \"bytes32\"\n",
            a[1], a[2], a[3]
        ),
    )
    .unwrap();
    let out = run(&["work", "schema", "register", schema_file.to_str().unwrap(), "--json"]);
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap()["schemaId"]
        .as_str()
        .unwrap()
        .to_string();
    let word = format!("[\"0x{}\"]", "cd".repeat(32));
    let hash = format!("0x{}", "02".repeat(32));
    let out = run(&["work", "submit", &id, "--values", &word, "--content-hash", &hash]);
    assert!(out.contains("submitted packet 1 (now Pending)"), "{out}");

    // A free port for /metrics and /health.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let metrics = format!("127.0.0.1:{port}");
    let state = chain.dir.join("keeper-state.json");
    let rpc = chain.anvil.endpoint();
    // Signing with a keystore (anvil account 1's key), its password in a file.
    let password = chain.dir.join("password");
    std::fs::write(&password, format!("{}\n", signer::PASSWORD)).unwrap();
    let keystore = ["--keystore", signer::KEYSTORE, "--password-file", password.to_str().unwrap()];
    let keeper = spawn_keeper(&chain, &metrics, &state, &keystore);
    eventually(20, "/health says ok", || {
        http(&metrics, "GET", "/health", "").is_ok_and(|r| r.contains("\"status\":\"ok\""))
    });

    // Past the packet's window: the keeper expires it.
    let anvil = rpc.trim_start_matches("http://").to_string();
    let call = |method: &str, params: &str| {
        let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#);
        http(&anvil, "POST", "/", &body).unwrap()
    };
    call("evm_increaseTime", "[61]");
    call("evm_mine", "[]");
    eventually(20, "packet 1 expired", || run(&["work", "show", "1"]).contains("Expired"));
    // The chain may show it before the keeper has its receipt: the counter follows.
    let done = r#"viable_keeper_duties_done_total{module="work",action="expire_packet"} 1"#;
    eventually(20, "/metrics counts the expiry", || {
        http(&metrics, "GET", "/metrics", "").is_ok_and(|m| m.contains(done))
    });
    let scraped = http(&metrics, "GET", "/metrics", "").unwrap();
    assert!(scraped.contains("viable_keeper_rpc_requests_total{method=\"eth_call\"}"));

    // The expiry was sent by the keystore's account.
    let shown = run(&["work", "show", "1", "--json"]);
    assert!(shown.contains("Expired"), "{shown}");

    // SIGTERM: it finishes, saves its state and exits cleanly.
    let (status, stderr) = terminate(keeper);
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("expire packet 1") && stderr.contains("keeper stopped"), "{stderr}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["scope"], format!("31337:{}", read_constitution(&chain.file)));
    let cursor = saved["cursor"]["block"].as_u64().unwrap();
    assert!(cursor > 0, "{saved}");

    // Started again from its state file, signing as anvil's account 9 (the node signs).
    let keeper = spawn_keeper(&chain, &metrics, &state, &["--anvil-account", "9"]);
    eventually(20, "/health says ok after the restart", || {
        http(&metrics, "GET", "/health", "").is_ok_and(|r| r.contains("\"status\":\"ok\""))
    });
    let (status, stderr) = terminate(keeper);
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("0 done") && stderr.contains("0 items open"), "{stderr}");

    // A keeper without a signer says every way to give one, in one line.
    let err =
        one_line_error(&viable_in(&chain.dir, &["keeper", "--rpc-url", &rpc, "--no-metrics"], &[]));
    assert!(err.contains("--keystore") && err.contains("--anvil-account"), "{err}");
}

fn read_constitution(file: &Path) -> String {
    let d: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let a: alloy::primitives::Address = d["constitution"].as_str().unwrap().parse().unwrap();
    a.to_string()
}
