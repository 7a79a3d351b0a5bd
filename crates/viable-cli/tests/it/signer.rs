//! Point 1: who signs. No signer is one readable line; a keystore file, a Foundry
//! keystore account, `--from` / `ETH_FROM` (an account the node holds) and
//! `VIABLE_PRIVATE_KEY` all sign; `-r` takes `localhost:PORT`; sends take
//! `--timeout`, `--confirmations` and `--async`.

use std::path::Path;

use crate::{BUGFIX, Session, one_line_error, text};

pub(crate) const KEYSTORE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/data/account1.keystore.json");
/// The fixture's password (the keystore holds anvil account 1's well-known key).
pub(crate) const PASSWORD: &str = "hunter2";

/// The contributor of packet `id`, as `work show --json` says.
fn contributor(chain: &Session, id: &str) -> String {
    let out = chain.read(&["work", "show", id, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&text(&out).0).unwrap();
    v["contributor"].as_str().unwrap().to_string()
}

fn json(mut args: Vec<&str>) -> Vec<&str> {
    args.push("--json");
    args
}

fn submit_args<'a>(schema: &'a str, values: &'a str, hash: &'a str) -> Vec<&'a str> {
    vec!["work", "submit", schema, "--values", values, "--content-hash", hash]
}

#[test]
fn a_write_without_a_signer_says_every_way_to_sign() {
    let chain = Session::deployed("nosigner");
    let file = chain.file("bugfix.toml", BUGFIX);
    let err = one_line_error(&chain.read(&["work", "schema", "register", &file]));
    assert_eq!(
        err,
        "error: no signer: pass --private-key, --keystore or --account, or set ETH_FROM / \
         VIABLE_PRIVATE_KEY; `viable dev` prints the dev chain's accounts and keys"
    );
    // Reads need none.
    assert!(chain.read(&["constitution", "params"]).status.success());
}

#[test]
fn keystores_accounts_from_and_the_key_variable_sign() {
    let chain = Session::deployed("signers");
    let (schema, _) = chain.bugfix_schema();
    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    let hash = format!("0x{}", "01".repeat(32));
    let packet = |out: std::process::Output| {
        assert!(out.status.success(), "{}", text(&out).1);
        let v: serde_json::Value = serde_json::from_str(&text(&out).0).unwrap();
        v["packetId"].as_str().unwrap().to_string()
    };

    // A keystore file with its password (ETH_PASSWORD).
    let mut args = json(submit_args(&schema, values, &hash));
    args.extend(["--keystore", KEYSTORE]);
    let id = packet(chain.with(&args, &[("ETH_PASSWORD", PASSWORD)]));
    assert_eq!(contributor(&chain, &id), chain.address(1));

    // A Foundry keystore account (~/.foundry/keystores/NAME) and a password file.
    let home = chain.dir.join("home");
    let store = home.join(".foundry/keystores");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::copy(KEYSTORE, store.join("dev1")).unwrap();
    let pw = chain.file("pw", &format!("{PASSWORD}\n"));
    let mut args = json(submit_args(&schema, values, &hash));
    args.extend(["--account", "dev1", "--password-file", &pw]);
    let id = packet(chain.with(&args, &[("HOME", home.to_str().unwrap())]));
    assert_eq!(contributor(&chain, &id), chain.address(1));

    // A wrong password is one line.
    let mut args = submit_args(&schema, values, &hash);
    args.extend(["--keystore", KEYSTORE]);
    let err = one_line_error(&chain.with(&args, &[("ETH_PASSWORD", "nope")]));
    assert!(err.contains("cannot decrypt") && err.contains("wrong password?"), "{err}");

    // ETH_FROM alone: anvil holds its dev accounts and signs for them.
    let id = packet(
        chain.with(&json(submit_args(&schema, values, &hash)), &[("ETH_FROM", &chain.address(2))]),
    );
    assert_eq!(contributor(&chain, &id), chain.address(2));

    // VIABLE_PRIVATE_KEY, and `-r localhost:PORT` without a scheme.
    let local = format!("localhost:{}", chain.anvil.port());
    let mut args = json(submit_args(&schema, values, &hash));
    args.extend(["-r", &local, "--deployment", chain.file.to_str().unwrap()]);
    let id = packet(crate::viable_in(&chain.dir, &args, &[("VIABLE_PRIVATE_KEY", &chain.key(3))]));
    assert_eq!(contributor(&chain, &id), chain.address(3));

    // --from that is not the key's address is refused.
    let other = chain.address(4);
    let mut args = submit_args(&schema, values, &hash);
    args.extend(["--from", &other]);
    let err = one_line_error(&chain.with(&args, &[("VIABLE_PRIVATE_KEY", &chain.key(3))]));
    assert!(err.contains("is not the signer's address"), "{err}");
    assert!(Path::new(KEYSTORE).is_file());
}

#[test]
fn sends_take_timeout_confirmations_and_async() {
    let chain = Session::deployed("send");
    let (schema, _) = chain.bugfix_schema();
    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    let hash = format!("0x{}", "01".repeat(32));

    let mut args = submit_args(&schema, values, &hash);
    args.extend(["--timeout", "30s", "--confirmations", "1"]);
    let v = chain.json(&args, 0);
    assert_eq!((v["mined"].as_bool(), v["status"].as_str()), (Some(true), Some("Accepted")));

    // --async: the hash once the node has it; no receipt, so no id.
    let mut args = submit_args(&schema, values, &hash);
    args.push("--async");
    let v = chain.json(&args, 0);
    assert_eq!(v["mined"], false);
    assert_eq!(v["tx"].as_str().unwrap().len(), 66);
    assert!(v.get("packetId").is_none(), "{v}");

    let mut args = submit_args(&schema, values, &hash);
    args.extend(["--timeout", "soon"]);
    let out = chain.call(&args, 0);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("not a duration like 90s"), "{}", text(&out).1);
}

#[test]
fn deploy_waits_as_timeout_and_confirmations_say() {
    // Anvil mines one block per transaction and none in between: a second
    // confirmation of the first deployment never comes, so the deploy must give up at
    // its --timeout (it once ignored both flags and succeeded).
    let chain = crate::Session::new("deploy-wait");
    let started = std::time::Instant::now();
    let out = chain.call(&["deploy", "--confirmations", "2", "--timeout", "2s"], 0);
    assert!(!out.status.success(), "{}", text(&out).0);
    let err = one_line_error(&out);
    assert!(err.contains("was not confirmed within 2s"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert!(!chain.file.exists(), "nothing recorded for a deploy that did not finish");
    // One confirmation (the default) deploys.
    chain.run(&["deploy", "--confirmations", "1", "--timeout", "30s"], 0);
    assert!(chain.file.exists());
}
