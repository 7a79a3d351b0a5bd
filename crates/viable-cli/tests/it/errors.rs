//! Point 6: one line per error with what to do; details under `-v`.

use std::net::TcpListener;

use crate::{Session, one_line_error, text, tmpdir, viable, viable_in};

#[test]
fn a_dead_node_is_one_line_saying_what_to_do() {
    let err = one_line_error(&viable(&["constitution", "show", "-r", "http://127.0.0.1:1"]));
    assert_eq!(
        err,
        "error: cannot reach the node at http://127.0.0.1:1 (Connection refused (os error 111)); \
         is `make dev` running? Otherwise pass --rpc-url URL or set ETH_RPC_URL"
    );
    // -v adds the causes, one per line.
    let out = viable(&["constitution", "show", "-r", "127.0.0.1:1", "-v"]);
    let (_, stderr) = text(&out);
    assert!(stderr.lines().count() > 2, "{stderr}");
    assert!(stderr.contains("tcp connect error"), "{stderr}");
}

#[test]
fn a_busy_port_says_so() {
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let dir = tmpdir("busy");
    // From the repository, so the project's anvil is found.
    let out = viable_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["dev", "--exit", "--port", &port, "--deployments", dir.to_str().unwrap()],
        &[],
    );
    let err = one_line_error(&out);
    assert!(err.contains(&format!("port {port} is taken")), "{err}");
    assert!(err.contains("is `viable dev` already running?"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_deployment_says_where_it_looked() {
    let chain = Session::new("nodeploy");
    let out = viable_in(&chain.dir, &["constitution", "show", "-r", &chain.rpc()], &[]);
    let err = one_line_error(&out);
    assert!(
        err.contains(&format!(
            "no deployment recorded for chain 31337: looked for deployments/31337.json in {}",
            chain.dir.display()
        )),
        "{err}"
    );
    assert!(err.contains("`make dev`") && err.contains("--deployment FILE"), "{err}");
}

#[test]
fn a_deployment_from_a_restarted_chain_says_what_happened() {
    let chain = Session::deployed("restarted");
    let other = Session::new("restarted-fresh");
    let out = viable(&[
        "constitution",
        "show",
        "-r",
        &other.rpc(),
        "--deployment",
        chain.file.to_str().unwrap(),
    ]);
    let err = one_line_error(&out);
    assert!(err.contains("no contract code at"), "{err}");
    assert!(err.contains("`make dev` deploys again"), "{err}");
}

#[test]
fn dev_without_anvil_or_node_is_one_line_saying_what_to_do() {
    let dir = tmpdir("dev-errors");
    let d = dir.to_str().unwrap();
    // No anvil binary where ANVIL_BIN points.
    let out = viable_in(
        &dir,
        &["dev", "--exit", "--port", "0", "--deployments", d],
        &[("ANVIL_BIN", "/nonexistent/anvil")],
    );
    let err = one_line_error(&out);
    assert!(err.contains("anvil (/nonexistent/anvil) did not start"), "{err}");
    assert!(err.contains("npm install") && err.contains("ANVIL_BIN"), "{err}");
    // `--rpc-url` naming a node that does not answer.
    let out = viable_in(&dir, &["dev", "--rpc-url", "http://127.0.0.1:1", "--deployments", d], &[]);
    let err = one_line_error(&out);
    assert!(err.contains("cannot reach the node at http://127.0.0.1:1"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_deployment_file_for_another_chain_says_so() {
    let chain = Session::deployed("otherchain");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&chain.file).unwrap()).unwrap();
    v["chainId"] = 11155111.into();
    let file = chain.file("sepolia.json", &v.to_string());
    let out = viable(&["constitution", "show", "-r", &chain.rpc(), "--deployment", &file]);
    let err = one_line_error(&out);
    assert!(err.contains("for chain 11155111 but the RPC serves chain 31337"), "{err}");
}

#[test]
fn a_genesis_with_lines_refuses_a_deployer_who_is_not_a_steward() {
    let chain = Session::new("notsteward");
    // Account 5 is not among the local genesis's stewards, so it could not open the lines.
    let err = one_line_error(&chain.call(&["deploy", "--genesis", "local"], 5));
    assert!(err.contains("only a STEWARD may open"), "{err}");
    assert!(err.contains(&chain.address(5)), "{err}");
    assert!(!chain.file.exists(), "nothing recorded");
}
