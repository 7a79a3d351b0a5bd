//! Hostile input (issue 16): malformed addresses, hex, JSON and TOML files, amounts
//! with too many decimals, wrong chain ids, deployment files from another chain, an RPC
//! that answers garbage. Every case runs through the real binary, as text and under
//! `--json`: it exits non-zero, says one readable line (one JSON object under
//! `--json`), and never panics. The SDK's own answer to the same inputs is a typed
//! error. docs/security.md lists the cases.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use alloy::providers::{Provider, ProviderBuilder};
use viable::{Deployment, Error, Genesis, Viable, error::Precondition, treasury::AssetInfo};

use crate::{Session, text, tmpdir, viable_in};

/// One hostile command line: its arguments, what the one line must say, and the exit
/// code (1 for an error the CLI reports, 2 for a command line it refuses).
struct Case {
    name: &'static str,
    args: Vec<String>,
    says: &'static str,
    code: i32,
}

fn case(name: &'static str, args: &[&str], says: &'static str, code: i32) -> Case {
    Case { name, args: args.iter().map(|a| a.to_string()).collect(), says, code }
}

/// Run every case twice (text, then `--json`) from `dir`; collect what went wrong.
fn check(dir: &std::path::Path, cases: &[Case]) -> usize {
    let mut failures = Vec::new();
    for c in cases {
        for json in [false, true] {
            let mut args: Vec<&str> = c.args.iter().map(String::as_str).collect();
            if json {
                args.push("--json");
            }
            let out = viable_in(dir, &args, &[]);
            let (stdout, stderr) = text(&out);
            let code = out.status.code();
            let what = format!("{} ({}): {:?}", c.name, if json { "json" } else { "text" }, args);
            if code != Some(c.code) {
                failures.push(format!("{what}: exit {code:?}, expected {}\n{stderr}", c.code));
                continue;
            }
            if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
                failures.push(format!("{what}: panicked\n{stderr}"));
                continue;
            }
            if stderr.lines().count() != 1 {
                failures.push(format!("{what}: not one line\n{stderr}"));
                continue;
            }
            if !stdout.is_empty() {
                failures.push(format!("{what}: wrote to stdout: {stdout}"));
            }
            if json {
                match serde_json::from_str::<serde_json::Value>(&stderr) {
                    Ok(v)
                        if v["error"]["kind"].is_string() && v["error"]["message"].is_string() =>
                    {
                        let message = v["error"]["message"].as_str().unwrap();
                        if !message.contains(c.says) {
                            failures.push(format!("{what}: {message:?} lacks {:?}", c.says));
                        }
                    }
                    _ => failures.push(format!("{what}: not a JSON error: {stderr}")),
                }
            } else if !stderr.starts_with("error: ") || !stderr.contains(c.says) {
                failures.push(format!("{what}: {stderr:?} lacks {:?}", c.says));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        cases.len() * 2,
        failures.join("\n")
    );
    cases.len()
}

const MIXED: &str = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";
const BIG: &str = "115792089237316195423570985008687907853269984665640564039457584007913129639936";

/// Inputs refused before any chain is asked (the RPC URL points nowhere).
#[test]
fn hostile_command_lines_and_files_are_one_line_each() {
    let dir = tmpdir("hostile-offline");
    let file = |name: &str, body: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p.to_str().unwrap().to_string()
    };
    let bad_toml = file("bad.toml", b"name = \"x\"\n[[fields]\ntype = ");
    let wrong_type = file("wrong.toml", b"name = 7\n");
    let bad_json = file("bad.json", b"{\"name\": \"x\", \"fields\": [");
    let binary = file("binary.json", &[0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96, 0x00, 0x01]);
    let empty = file("empty.toml", b"");
    let huge_field = file(
        "huge.toml",
        b"name = \"x\"\nacceptance = { mode = \"immediate\" }\n[[fields]]\ntype = \"uint256\"\nmin = 1e400\n",
    );
    let genesis_bad =
        file("genesis.toml", b"[params]\n\"work.maxFields\" = { value = \"sixteen\" }\n");
    let dead = "http://127.0.0.1:1";
    let cases = [
        // Addresses.
        case("short address", &["work", "power", "0x1234", "-r", dead], "invalid value", 2),
        case(
            "non-hex address",
            &["work", "power", &format!("0x{}", "zz".repeat(20)), "-r", dead],
            "invalid value",
            2,
        ),
        case("bad checksum", &["work", "power", MIXED, "-r", dead], "EIP-55", 2),
        case(
            "address too long",
            &["work", "power", &format!("0x{}", "11".repeat(21)), "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "--from not an address",
            &["constitution", "show", "--from", "alice", "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "--asset short",
            &["treasury", "deposit", "1", "ether", "--asset", "0x12", "-r", dead],
            "invalid value",
            2,
        ),
        // Hex and ids.
        case("packet id not hex", &["work", "show", "0xZZ", "-r", dead], "invalid value", 2),
        case("packet id past uint256", &["work", "show", BIG, "-r", dead], "invalid value", 2),
        case("negative packet id", &["work", "show", "-1", "-r", dead], "unexpected argument", 2),
        case(
            "amendment id not hex",
            &["constitution", "show", "0xgg", "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "schema id too short",
            &["work", "schema", "show", "0x12", "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "content hash not hex",
            &["strategy", "question", "--content-hash", "0xnothex", "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "private key too short",
            &["work", "attest", "1", "--private-key", "0x12", "-r", dead],
            "not a 32-byte hex private key",
            1,
        ),
        case(
            "private key not hex",
            &["work", "attest", "1", "--private-key", "hunter2", "-r", dead],
            "not a 32-byte hex private key",
            1,
        ),
        // Files: TOML and JSON that do not parse, the wrong types, binary garbage, nothing.
        case("schema TOML syntax", &["work", "schema", "id", &bad_toml], "bad.toml", 1),
        case("schema TOML wrong type", &["work", "schema", "id", &wrong_type], "wrong.toml", 1),
        case("schema JSON truncated", &["work", "schema", "id", &bad_json], "bad.json", 1),
        case("schema file binary", &["work", "schema", "id", &binary], "binary.json", 1),
        case("schema file empty", &["work", "schema", "id", &empty], "empty.toml", 1),
        case("schema number too large", &["work", "schema", "id", &huge_field], "huge.toml", 1),
        case(
            "schema file missing",
            &["work", "schema", "id", "/nonexistent/s.toml"],
            "/nonexistent/s.toml",
            1,
        ),
        case("genesis TOML syntax", &["genesis", "check", &bad_toml], "bad.toml", 1),
        case("genesis wrong value", &["genesis", "check", &genesis_bad], "genesis.toml", 1),
        case("genesis binary", &["genesis", "check", &binary], "binary.json", 1),
        // Amounts: too many decimals, negative, past uint256, not a number.
        case(
            "stake: 19 decimals",
            &["strategy", "stake", "1.0000000000000000001 ether", "-r", dead],
            "invalid value",
            2,
        ),
        case("stake: negative", &["strategy", "stake", "-5 ether", "-r", dead], "'-5'", 2),
        case(
            "stake: past uint256",
            &["strategy", "stake", &format!("{BIG} wei"), "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "stake: unknown unit",
            &["strategy", "stake", "5 bananas", "-r", dead],
            "invalid value",
            2,
        ),
        // Numbers and durations.
        case(
            "ttl not a duration",
            &["locks", "request", "k", "1", "--ttl", "forever", "-r", dead],
            "invalid value",
            2,
        ),
        case("timeout negative", &["work", "attest", "1", "--timeout", "-1s", "-r", dead], "", 2),
        case(
            "confirmations not a number",
            &["work", "attest", "1", "--confirmations", "many", "-r", dead],
            "invalid value",
            2,
        ),
        case(
            "rpc url not a URL",
            &["constitution", "show", "-r", "ht!tp://x y"],
            "invalid value",
            2,
        ),
        case("unknown subcommand", &["constituton", "show"], "unrecognized subcommand", 2),
        case("unknown flag", &["work", "show", "1", "--frmo", "x"], "unexpected argument", 2),
        case(
            "watch interval zero",
            &["status", "--watch", "--interval", "0", "-r", dead],
            "above zero",
            2,
        ),
        // Deployment files that cannot be read.
        case(
            "deployment file missing",
            &["constitution", "show", "--deployment", "/nonexistent/31337.json", "-r", dead],
            "cannot reach",
            1,
        ),
    ];
    let n = check(&dir, &cases);
    std::fs::remove_dir_all(dir).unwrap();
    assert!(n >= 35);
}

/// Inputs that need a chain to be refused: files checked once the node answers, a
/// deployment for another chain, amounts past the asset's decimals.
#[test]
fn hostile_inputs_against_a_chain_are_one_line_each() {
    let s = Session::deployed("hostile-chain");
    let rpc = s.rpc();
    let deployment = s.file.to_str().unwrap().to_string();
    let garbage = s.file("garbage.json", "{\"chainId\": 31337, \"constitution\": ");
    let empty_object = s.file("empty.json", "{}");
    let real: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&s.file).unwrap()).unwrap();
    let mut other = real.clone();
    other["chainId"] = serde_json::json!(1);
    let other_chain = s.file("1.json", &other.to_string());
    let mut moved = real.clone();
    moved["constitution"] = serde_json::json!("0x000000000000000000000000000000000000dEaD");
    let nowhere = s.file("nowhere.json", &moved.to_string());
    let bad_amendment =
        s.file("a.toml", "description = \"x\"\n[[actions]]\nset_param = { key = 7 }\n");
    let unknown_param = s.file(
        "b.toml",
        "description = \"x\"\n[[actions]]\nset_param = { key = \"legit.nope\", value = 1 }\n",
    );
    let key = s.key(0);
    let with = |args: &[&str], file: &str| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        v.extend(["--rpc-url".into(), rpc.clone(), "--deployment".into(), file.to_string()]);
        v
    };
    let mk = |name: &'static str, args: Vec<String>, says: &'static str, code: i32| Case {
        name,
        args,
        says,
        code,
    };
    let cases = vec![
        mk(
            "deployment file not JSON",
            with(&["constitution", "show"], &garbage),
            "garbage.json",
            1,
        ),
        mk(
            "deployment file empty object",
            with(&["constitution", "show"], &empty_object),
            "empty.json",
            1,
        ),
        mk(
            "deployment for chain 1",
            with(&["constitution", "show"], &other_chain),
            "chain 1 but the RPC serves chain 31337",
            1,
        ),
        mk(
            "deployment with no code",
            with(&["constitution", "show"], &nowhere),
            "no contract code",
            1,
        ),
        mk(
            "deposit: 19 decimals of ether",
            with(
                &["treasury", "deposit", "1.0000000000000000001", "ether", "--private-key", &key],
                &deployment,
            ),
            "decimal places",
            1,
        ),
        mk(
            "bounty: 19 decimals",
            with(
                &[
                    "treasury",
                    "line",
                    "create",
                    "--share",
                    "100",
                    "--bounty",
                    "0.0000000000000000001 ether",
                    "--private-key",
                    &key,
                ],
                &deployment,
            ),
            "decimal places",
            1,
        ),
        mk(
            "values not JSON",
            with(
                &[
                    "work",
                    "submit",
                    &format!("0x{}", "11".repeat(32)),
                    "--values",
                    "{bad json",
                    "--content-hash",
                    &format!("0x{}", "22".repeat(32)),
                    "--private-key",
                    &key,
                ],
                &deployment,
            ),
            "",
            1,
        ),
        mk(
            "amendment wrong type",
            with(&["constitution", "propose", &bad_amendment, "--private-key", &key], &deployment),
            "a.toml",
            1,
        ),
        mk(
            "amendment unknown parameter",
            with(&["constitution", "propose", &unknown_param, "--private-key", &key], &deployment),
            "legit.nope",
            1,
        ),
    ];
    check(&s.dir, &cases);

    // The SDK gives the same inputs back as typed errors.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let provider = ProviderBuilder::new().connect_http(rpc.parse().unwrap()).erased();
    let other = Deployment::read(std::path::Path::new(&other_chain)).unwrap();
    let err = rt.block_on(Viable::connect(provider.clone(), other)).unwrap_err();
    assert!(
        matches!(err, Error::Precondition(Precondition::WrongChain { deployment: 1, rpc: 31337 })),
        "{err}"
    );
    let moved = Deployment::read(std::path::Path::new(&nowhere)).unwrap();
    let err = rt.block_on(Viable::connect(provider, moved)).unwrap_err();
    assert!(matches!(err, Error::Precondition(Precondition::NoCode { .. })), "{err}");
    let err = Deployment::read(std::path::Path::new(&garbage)).unwrap_err();
    assert!(matches!(err, Error::DeploymentFile { .. }), "{err}");
}

#[test]
fn the_sdk_refuses_hostile_values_with_typed_errors() {
    use viable::{display::parse_address, treasury::parse_amount, work::SchemaDef};
    assert!(parse_address("0x1234").is_err());
    assert!(parse_address(MIXED).is_err());
    assert!(parse_address(&format!("0x{}", "zz".repeat(20))).is_err());
    let eth = AssetInfo::eth();
    let err = parse_amount("1.0000000000000000001 ether", &eth).unwrap_err();
    assert!(err.to_string().contains("decimal places"), "{err}");
    assert!(parse_amount("-1 ether", &eth).is_err());
    assert!(parse_amount(&format!("{BIG} wei"), &eth).is_err());
    let usdc = AssetInfo::token(alloy::primitives::Address::repeat_byte(1), "USDC", 6);
    assert!(parse_amount("1.0000001 USDC", &usdc).is_err());
    assert!(Genesis::from_toml_str("[params\n", "bad").is_err());
    assert!(Genesis::from_json_str("{\"params\": 7}", "bad").is_err());
    assert!(SchemaDef::from_toml_str("name = 7", "bad").is_err());
    assert!(SchemaDef::from_json_str("[", "bad").is_err());
    assert!(viable::Amendment::from_toml_str("actions = 7", "bad").is_err());
}

/// A local HTTP server that answers every request with `response` (raw bytes:
/// status line, headers, body), or closes the connection at once when it is empty.
/// It stops when dropped, and after 60 s in any case.
struct Junk {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Junk {
    fn new(response: &'static [u8]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(60);
            while !flag.load(Ordering::Relaxed) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => answer(stream, response),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { url, stop, thread: Some(thread) }
    }
}

impl Drop for Junk {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Read one request (headers and the body its Content-Length names), then answer.
fn answer(mut stream: TcpStream, response: &[u8]) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = stream.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0usize);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
    }
    if !response.is_empty() {
        let _ = stream.write_all(response);
    }
}

/// A deployment file for chain 31337 (the addresses do not matter: the node is junk).
const DEPLOYMENT: &str = r#"{"chainId": 31337,
  "constitution": "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
  "token": "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  "modules": {"workRegistry": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
    "coordinationLocks": "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9",
    "optimizationTreasury": "0xdc64a140aa3e981100a9beca4e685f962f0cf6c9",
    "strategyProposals": "0x5fc8d32690cc91d4c39d9d3abcbd16989f875707"},
  "deployBlock": 1,
  "genesisHash": "0xf18b692981804b356e57bdf23afdf9a6471fad74ee30756c2a232017b1c4c524",
  "deployer": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"}"#;

fn http(status: &str, content_type: &str, body: &str) -> &'static [u8] {
    let r = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    Box::leak(r.into_bytes().into_boxed_slice())
}

#[test]
fn an_rpc_that_answers_garbage_is_one_line_and_a_typed_error() {
    let dir = tmpdir("hostile-rpc");
    let json = "application/json";
    let answers: Vec<(&'static str, &'static [u8], &'static str)> = vec![
        ("not JSON", http("200 OK", json, "this is not json"), "not a valid JSON-RPC reply"),
        (
            "HTML error page",
            http("502 Bad Gateway", "text/html", "<html>bad gateway</html>"),
            "answered HTTP 502",
        ),
        (
            "JSON-RPC error",
            http(
                "200 OK",
                json,
                r#"{"jsonrpc":"2.0","id":0,"error":{"code":-32000,"message":"boom"}}"#,
            ),
            "refused eth_chainId: boom",
        ),
        (
            "wrong result type",
            http("200 OK", json, r#"{"jsonrpc":"2.0","id":0,"result":"banana"}"#),
            "not a valid JSON-RPC reply",
        ),
        (
            "result null",
            http("200 OK", json, r#"{"jsonrpc":"2.0","id":0,"result":null}"#),
            "not a valid JSON-RPC reply",
        ),
        ("a JSON array", http("200 OK", json, "[1, 2, 3]"), "not a valid JSON-RPC reply"),
        ("empty body", http("200 OK", json, ""), "not a valid JSON-RPC reply"),
        ("closes the connection", b"", "cannot reach"),
        ("not HTTP", b"SSH-2.0-OpenSSH_9.6\r\n", "cannot reach"),
    ];
    let mut cases = Vec::new();
    let mut servers = Vec::new();
    for (name, response, says) in answers {
        let server = Junk::new(response);
        cases.push(Case {
            name,
            args: vec![
                "constitution".into(),
                "show".into(),
                "--rpc-url".into(),
                server.url.clone(),
            ],
            says: "",
            code: 1,
        });
        // The SDK's answer: a transport error, typed, never a panic.
        let rt = tokio::runtime::Runtime::new().unwrap();
        let provider = ProviderBuilder::new().connect_http(server.url.parse().unwrap()).erased();
        let d: Deployment = serde_json::from_str(DEPLOYMENT).unwrap();
        let err = rt.block_on(Viable::connect(provider, d)).unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{name}: {err}");
        servers.push((server, says));
    }
    check(&dir, &cases);
    // What each one line says, as text.
    for ((server, says), c) in servers.iter().zip(&cases) {
        let out = viable_in(&dir, &["constitution", "show", "--rpc-url", &server.url], &[]);
        let err = text(&out).1;
        assert!(err.contains(says), "{}: {err}", c.name);
    }
    drop(servers);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A reader that went away (`viable … | head`): the CLI ends as `cat` does, quietly,
/// instead of panicking on the failed write.
#[test]
fn a_closed_stdout_ends_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_viable"))
        .args(["genesis", "preset", "dev"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(!stderr.contains("panicked"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(libc_sigpipe()), "ended by SIGPIPE");
    }
}

/// SIGPIPE's number on Linux and the BSDs.
#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13
}
