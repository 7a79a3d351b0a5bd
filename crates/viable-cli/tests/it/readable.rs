//! Point 5: ids print one way (hex, in full), enum values by name, times as a date
//! with "in 45 s", token amounts in units — in decoded errors too.

use crate::{Session, one_line_error};

#[test]
fn ids_states_times_and_amounts_read_the_same_everywhere() {
    let chain = Session::deployed("readable");
    let id = chain.propose();
    assert!(id.starts_with("0x") && id.len() == 66, "{id}");

    // The list and the amendment show the same id; times against the chain's clock.
    let list = chain.run(&["constitution", "list"], 0);
    assert!(list.starts_with(&format!("Pending    {id}  Three-minute voting")), "{list}");
    let shown = chain.run(&["constitution", "show", &id], 0);
    assert!(shown.starts_with(&format!("Amendment {id}\n")), "{shown}");
    assert!(shown.contains("(voting opens 20") && shown.contains("UTC; in "), "{shown}");
    assert!(shown.contains("  opens      20") && shown.contains(" UTC (in "), "{shown}");
    // Quorums in tokens (4% of 10,000,000 VIA), Work power as counted.
    assert!(shown.contains("400000"), "{shown}");
    assert!(!shown.contains("400000000000000000000000"), "{shown}");

    // A vote before voting opens: enum values by name, the id in hex, a hint.
    let err = one_line_error(&chain.call(&["constitution", "vote", &id, "for"], 0));
    assert!(
        err.contains(&format!(
            "LegitimacyConstitutionWrongState(id: {id}, current: Pending, required: Active)"
        )),
        "{err}"
    );
    assert!(err.contains("`viable dev warp <duration>`"), "{err}");

    // The same id in decimal is accepted and shown in hex.
    let decimal = alloy::primitives::U256::from_str_radix(&id[2..], 16).unwrap().to_string();
    let shown = chain.run(&["constitution", "show", &decimal], 0);
    assert!(shown.starts_with(&format!("Amendment {id}\n")), "{shown}");

    // A packet's submission time is a date.
    let (schema, _) = chain.bugfix_schema();
    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    let hash = format!("0x{}", "01".repeat(32));
    chain.run(&["work", "submit", &schema, "--values", values, "--content-hash", &hash], 0);
    let shown = chain.run(&["work", "show", "1"], 0);
    assert!(
        shown.contains("  submitted     20")
            && (shown.contains(" UTC (now)") || shown.contains(" ago)")),
        "{shown}"
    );

    // Retracting an accepted packet: its status by name.
    let err = one_line_error(&chain.call(&["work", "retract", "1"], 0));
    assert!(err.contains("WorkRegistryWrongStatus(packetId: 1, status: Accepted)"), "{err}");
}
