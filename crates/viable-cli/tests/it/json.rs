//! Point 7: `--json` is a contract with programs. Decimal strings for uint256, hex
//! for bytes and hash ids, checksummed addresses, every write returns its tx hash and
//! the ids it created, and errors go to stderr as JSON.

use crate::{Session, text};

fn is_hash(v: &serde_json::Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 66 && s.starts_with("0x"))
}

#[test]
fn json_output_follows_one_convention() {
    let chain = Session::deployed("json");

    // Reads: numbers as decimal strings, addresses checksummed, bytes in hex.
    let params = chain.json(&["constitution", "params"], 0);
    let threshold = params
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "legit.tokenProposalThreshold")
        .unwrap();
    assert_eq!(threshold["value"], "1000000000000000000000");
    let roles = chain.json(&["constitution", "roles"], 0);
    assert_eq!(roles["stewards"][0], "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    let state = chain.json(&["constitution", "show"], 0);
    assert!(is_hash(&state["articles"][0]["contentHash"]));
    let coordination = state["modules"]["coordination"].as_str().unwrap();
    assert_eq!(coordination.len(), 42);
    assert_ne!(coordination, coordination.to_lowercase(), "checksummed: {coordination}");

    // Writes: action, tx, mined, and what they created.
    let file = chain.file("bugfix.toml", crate::BUGFIX);
    let v = chain.json(&["work", "schema", "register", &file], 0);
    assert_eq!(v["action"], "registerSchema");
    assert!(is_hash(&v["tx"]) && is_hash(&v["schemaId"]) && v["mined"] == true, "{v}");
    let schema = v["schemaId"].as_str().unwrap().to_string();

    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    let hash = format!("0x{}", "01".repeat(32));
    let v =
        chain.json(&["work", "submit", &schema, "--values", values, "--content-hash", &hash], 0);
    assert!(is_hash(&v["tx"]), "{v}");
    assert_eq!((v["packetId"].as_str(), v["status"].as_str()), (Some("1"), Some("Accepted")));

    let packet = chain.json(&["work", "show", "1"], 0);
    assert_eq!(packet["values"][0], "7");
    assert_eq!(packet["contributor"], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert!(packet["submittedAt"].is_u64(), "times are Unix seconds: {packet}");

    let file = chain.file("a.toml", crate::AMENDMENT);
    let v = chain.json(&["constitution", "propose", &file], 0);
    assert!(is_hash(&v["tx"]) && is_hash(&v["amendmentId"]), "{v}");
    assert_eq!(v["state"], "Pending");
    let id = v["amendmentId"].as_str().unwrap().to_string();
    chain.warp("61s");
    let v = chain.json(&["constitution", "vote", &id, "for"], 0);
    assert_eq!((v["action"].as_str(), v["state"].as_str()), (Some("vote"), Some("Active")));
    assert!(is_hash(&v["tx"]), "{v}");
    let shown = chain.json(&["constitution", "show", &id], 0);
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["tokenHouse"]["votes"]["for"], "1000000000000000000000000");
    assert_eq!(shown["workHouse"]["votes"]["for"], "10");
    let list = chain.json(&["work", "power", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"], 0);
    assert_eq!(list["points"], "100");

    // Errors: JSON on stderr, nothing on stdout.
    let out = chain.call(&["constitution", "vote", &id, "for", "--json"], 0);
    assert!(!out.status.success());
    let (stdout, stderr) = text(&out);
    assert!(stdout.is_empty(), "{stdout}");
    let e: serde_json::Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(e["error"]["kind"], "revert");
    assert_eq!(e["error"]["revert"]["name"], "LegitimacyConstitutionAlreadyVoted");
    assert_eq!(e["error"]["revert"]["args"]["id"], id.as_str());
    let out = chain.read(&["work", "schema", "register", &file, "--json"]);
    let e: serde_json::Value = serde_json::from_str(&text(&out).1).unwrap();
    assert_eq!(e["error"]["kind"], "signer");
}
