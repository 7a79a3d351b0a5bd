//! `viable locks …` through the real binary: text keys hashed as the contract's docs
//! say, human durations, a client-side check with the contract's error name, and the
//! queue moving on `expire`.

use alloy::primitives::keccak256;

use crate::{Session, one_line_error, text};

#[test]
fn locks_contend_queue_and_expire_from_the_command_line() {
    let chain = Session::deployed("locks");
    let (schema, _) = chain.bugfix_schema();
    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    for (signer, byte) in [(0, "01"), (1, "02")] {
        let hash = format!("0x{}", byte.repeat(32));
        let v = chain.json(
            &["work", "submit", &schema, "--values", values, "--content-hash", &hash],
            signer,
        );
        assert_eq!(v["status"], "Accepted", "{v}");
    }
    let key = format!("{}", keccak256(b"interface:oracle"));

    let v = chain.json(&["locks", "request", "interface:oracle", "1", "--ttl", "2m"], 0);
    assert_eq!((v["action"].as_str(), v["state"].as_str()), (Some("request"), Some("Held")));
    assert_eq!(v["resource"], key.as_str());
    assert!(v["leaseEnd"].is_u64() && v["tx"].as_str().is_some_and(|t| t.len() == 66), "{v}");

    // The same resource given in hex; the second contributor waits.
    let v = chain.json(&["locks", "request", &key, "2", "--ttl", "2m", "--mode", "exclusive"], 1);
    assert_eq!((v["state"].as_str(), v["position"].as_u64()), (Some("Queued"), Some(1)));

    // Refused client-side with the contract's error name: 2h is above locks.maxTtl (300 s).
    let out = chain.call(&["locks", "request", "other:key", "2", "--ttl", "2h"], 1);
    let line = one_line_error(&out);
    assert!(line.contains("CoordinationLocksInvalidTtl") && line.contains("7200"), "{line}");
    let out = chain.call(&["locks", "request", "other:key", "2", "--ttl", "2h", "--json"], 1);
    let e: serde_json::Value = serde_json::from_str(&text(&out).1).unwrap();
    assert_eq!(e["error"]["kind"], "check", "{e}");

    let q = chain.json(&["locks", "queue", "interface:oracle"], 0);
    assert_eq!(q["queue"], serde_json::json!(["2"]));
    let r = chain.json(&["locks", "show", "interface:oracle"], 0);
    assert_eq!((r["holders"].as_u64(), r["mode"].as_str()), (Some(1), Some("Exclusive")));
    assert_eq!((r["queueLength"].as_u64(), r["head"].as_str()), (Some(1), Some("2")));

    // The lease cannot be expired while it runs; after it ends anyone's expire grants packet 2.
    let out = chain.call(&["locks", "expire", "interface:oracle", "1"], 2);
    assert!(one_line_error(&out).contains("CoordinationLocksLeaseNotEnded"));
    chain.warp("121s");
    let v = chain.json(&["locks", "expire", "interface:oracle", "1"], 2);
    assert_eq!(v["action"], "expire");
    assert_eq!(v["granted"][0]["packetId"], "2", "{v}");
    assert_eq!(v["granted"][0]["holder"], chain.address(1).as_str());
    let shown = chain.run(&["locks", "show", "interface:oracle", "2"], 0);
    assert!(shown.contains("Held") && shown.contains(&chain.address(1)), "{shown}");
    let r = chain.json(&["locks", "show", "interface:oracle", "1"], 0);
    assert_eq!(r["state"], "None");
}
