//! `viable strategy …` through the real binary: question, propose with suggested
//! actions, stake, support, show with the predicted Ready time, promote, adopt.

use crate::{Session, one_line_error};

const SUGGESTED: &str = r#"
description = "suggested"
[[actions]]
set_param = { key = "legit.timelock", value = "3 minutes" }
"#;

#[test]
fn strategy_commands_predict_promote_and_adopt() {
    let s = Session::deployed("strategy");
    let q = s.json(&["strategy", "question", "--text", "What next?", "--uri", "ipfs://q"], 0);
    assert_eq!(q["action"], "openQuestion");
    assert_eq!(q["questionId"], "1");
    let actions = s.file("suggested.toml", SUGGESTED);
    let p = s
        .json(&["strategy", "propose", "1", "--text", "Slower timelock", "--actions", &actions], 0);
    assert_eq!((p["proposalId"].as_str(), p["state"].as_str()), (Some("1"), Some("Open")));
    assert!(p["tx"].as_str().unwrap().len() == 66);

    let err = one_line_error(&s.call(&["strategy", "promote", "1"], 3));
    assert!(err.contains("StrategyProposalsBelowThreshold"), "{err}");

    s.json(&["strategy", "stake", "1000 ether"], 1);
    let sup = s.json(&["strategy", "support", "1", "1000 ether"], 1);
    assert_eq!(sup["amount"], "1000000000000000000000");

    let show = s.json(&["strategy", "show", "1"], 0);
    assert_eq!(show["state"], "Open");
    assert_eq!(show["support"], "1000000000000000000000");
    assert_eq!(show["threshold"], "200000000000000000000");
    let ready_at = show["readyAt"].as_u64().expect("a predicted second");
    let text = s.run(&["strategy", "show", "1"], 0);
    assert!(text.contains("ready at    20") && text.contains("threshold   200 ether"), "{text}");
    let list = s.json(&["strategy", "list"], 0);
    assert_eq!(list[0]["readyAt"].as_u64(), Some(ready_at));

    let now = s.warp("1s")["now"].as_u64().unwrap();
    s.warp(&format!("{}s", ready_at.saturating_sub(now) + 1));
    let promoted = s.json(&["strategy", "promote", "1"], 3);
    assert_eq!(promoted["state"], "Ready");
    assert_eq!(s.json(&["strategy", "show", "1"], 0)["state"], "Ready");

    let out = s.file("adopt.toml", "");
    let adopt = s.json(&["strategy", "adopt", "1", "-o", &out], 0);
    assert_eq!(adopt["actions"], 1);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("adopts = 1") && written.contains("legit.timelock"), "{written}");
    let a = s.json(&["constitution", "propose", &out], 0);
    assert_eq!(a["action"], "propose");
}
