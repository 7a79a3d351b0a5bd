//! The `viable` binary end to end, against a real anvil.

use std::{
    io::{Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
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

/// The project's anvil: `$ANVIL_BIN`, else the npm install under the repository
/// (`node_modules/@foundry-rs/anvil-<platform>/bin/anvil`), else `anvil` on PATH.
fn anvil_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("ANVIL_BIN") {
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
        .map(|d| d.join(format!("node_modules/@foundry-rs/anvil-{platform}/bin/anvil")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| "anvil".into())
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
    // Port 0: anvil takes any free port (a fixed one collides with a running `viable dev`).
    let out =
        viable(&["dev", "--exit", "--json", "--port", "0", "--deployments", dir.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["state"]["bootstrapped"], true);
    assert_eq!(v["state"]["params"].as_array().unwrap().len(), 23);
    assert_eq!(v["state"]["guardians"].as_array().unwrap().len(), 1);
    assert!(dir.join("31337.json").is_file());
    let rpc = v["rpcUrl"].as_str().unwrap();
    assert!(!rpc.ends_with(":0") && !rpc.ends_with(":8545"), "{rpc}");
    // The recorded deployer is the signer (anvil account 0), as the file says.
    assert_eq!(
        v["deployment"]["deployer"].as_str().unwrap().to_lowercase(),
        "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn deploy_then_read_params_and_roles() {
    let chain = Session::new("deploy");
    // Deployed by account 5: the file records the signer, not eth_accounts[0].
    let out = chain.run(&["deploy", "--genesis", "dev"], 5);
    assert!(out.contains("LegitimacyConstitution"));
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&chain.file).unwrap()).unwrap();
    assert_eq!(
        file["deployer"].as_str().unwrap().parse::<alloy::primitives::Address>().unwrap(),
        chain.anvil.addresses()[5]
    );

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
    let before = run(&["constitution", "params", "--json"], 4);
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
    let voting_period = |params: &str| {
        let list: serde_json::Value = serde_json::from_str(params).unwrap();
        let p = list.as_array().unwrap().iter().find(|p| p["key"] == "legit.votingPeriod").unwrap();
        p["value"].as_str().unwrap().to_string()
    };
    assert_eq!(voting_period(&before), "0x12c", "the dev preset's 5 minutes");
    let params = run(&["constitution", "params", "--json"], 4);
    assert_eq!(voting_period(&params), "0xb4", "votingPeriod is now 180 s");
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
    assert!(out.contains("submitted packet 1 (Pending)"), "{out}");

    // A free port for /metrics and /health.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let metrics = format!("127.0.0.1:{port}");
    let state = chain.dir.join("keeper-state.json");
    let rpc = chain.anvil.endpoint();
    let mut keeper = Command::new(env!("CARGO_BIN_EXE_viable"))
        .args(["keeper", "--rpc-url", &rpc, "--deployment", chain.file.to_str().unwrap()])
        .args(["--anvil-account", "9", "--state-file", state.to_str().unwrap()])
        .args(["--metrics-addr", &metrics, "--confirmations", "0", "--poll-interval-ms", "100"])
        .env_remove("VIABLE_PRIVATE_KEY")
        .stderr(Stdio::piped())
        .spawn()
        .expect("viable keeper starts");
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
    let scraped = http(&metrics, "GET", "/metrics", "").unwrap();
    assert!(
        scraped
            .contains(r#"viable_keeper_duties_done_total{module="work",action="expire_packet"} 1"#),
        "{scraped}"
    );
    assert!(scraped.contains("viable_keeper_rpc_requests_total{method=\"eth_call\"}"));

    // SIGTERM: it finishes, saves its state and exits cleanly.
    let pid = keeper.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let mut status = None;
    eventually(20, "the keeper exits", || {
        status = keeper.try_wait().unwrap();
        status.is_some()
    });
    let mut stderr = String::new();
    keeper.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(status.unwrap().success(), "{stderr}");
    assert!(stderr.contains("expire packet 1") && stderr.contains("keeper stopped"), "{stderr}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["scope"], format!("31337:{}", read_constitution(&chain.file)));
    assert!(saved["cursor"]["block"].as_u64().unwrap() > 0, "{saved}");
}

fn read_constitution(file: &Path) -> String {
    let d: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let a: alloy::primitives::Address = d["constitution"].as_str().unwrap().parse().unwrap();
    a.to_string()
}
