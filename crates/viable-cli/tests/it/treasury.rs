//! `viable treasury …` through the real binary: deposits in human units, a
//! steward's line created, listed, updated and closed, the epoch's books, and
//! refusals before sending that name the contract's own errors, in one line.

use crate::{Session, one_line_error};

#[test]
fn treasury_commands_deposit_run_a_line_and_refuse_by_the_contracts_names() {
    let s = Session::deployed("treasury");
    // 1.5 ether in: the epoch's budget is 10% of it (dev genesis).
    let v = s.json(&["treasury", "deposit", "1.5", "ether"], 0);
    assert_eq!(v["action"], "deposit");
    assert_eq!(
        (v["amount"].as_str(), v["received"].as_str()),
        (Some("1500000000000000000"), Some("1500000000000000000"))
    );
    assert_eq!(v["mined"], true);
    let err = one_line_error(&s.call(&["treasury", "deposit", "-1", "ether"], 0));
    assert!(err.contains("negative amount"), "{err}");

    // Account 1 is the dev genesis's steward.
    let v = s.json(&["treasury", "line", "create", "--share", "4000"], 1);
    assert_eq!((v["action"].as_str(), v["lineId"].as_str()), (Some("createLine"), Some("1")));
    let err = one_line_error(&s.call(&["treasury", "line", "create", "--share", "7000"], 1));
    assert!(err.contains("refused before sending: OptimizationTreasuryShareSumExceeded"), "{err}");
    let err = one_line_error(&s.call(&["treasury", "line", "create", "--share", "100"], 0));
    assert!(err.contains("OptimizationTreasuryInvalidSteward"), "{err}");

    let lines = s.json(&["treasury", "lines"], 0);
    let l = &lines[0];
    assert_eq!((l["lineId"].as_str(), l["shareBps"].as_u64()), (Some("1"), Some(4000)));
    assert_eq!(l["steward"].as_str(), Some(s.address(1).as_str()));
    assert_eq!(l["thisEpoch"]["cap"].as_str(), Some("60000000000000000"));
    let e = s.json(&["treasury", "epoch"], 0);
    assert_eq!(
        (e["budget"].as_str(), e["shareBps"].as_u64()),
        (Some("150000000000000000"), Some(4000))
    );
    let text = String::from_utf8(s.read(&["treasury", "epoch"]).stdout).unwrap();
    assert!(text.contains("budget 0.15 ether"), "{text}");

    s.json(&["treasury", "line", "update", "1", "--share", "5000"], 1);
    assert_eq!(s.json(&["treasury", "lines"], 0)[0]["shareBps"].as_u64(), Some(5000));

    // An accepted packet of a schema the constitution does not recognize is refused.
    let (schema, _) = s.bugfix_schema();
    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    let hash = format!("0x{}", "01".repeat(32));
    s.json(&["work", "submit", &schema, "--values", values, "--content-hash", &hash], 4);
    let err = one_line_error(&s.call(&["treasury", "allocate", "1", "1", "0.01 ether"], 1));
    assert!(err.contains("OptimizationTreasurySchemaNotRecognized"), "{err}");

    let v = s.json(&["treasury", "line", "close", "1"], 1);
    assert_eq!(v["status"], "Closed");
    let err = one_line_error(&s.call(&["treasury", "allocate", "1", "1", "0.01 ether"], 1));
    assert!(err.contains("OptimizationTreasuryLineClosed"), "{err}");
    let err = one_line_error(&s.read(&["treasury", "show", "0x01"]));
    assert!(err.contains("OptimizationTreasuryUnknownAllocation"), "{err}");
}
