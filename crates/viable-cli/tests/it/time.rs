//! Point 2: `viable dev warp` moves a dev chain's clock (evm_increaseTime + evm_mine)
//! by a human duration.

use crate::{Session, one_line_error, viable};

#[test]
fn warp_moves_the_clock_by_human_durations() {
    let chain = Session::new("warp");
    for (duration, seconds) in [("90s", 90), ("1h30m", 5_400), ("2d", 172_800), ("45", 45)] {
        let v = chain.warp(duration);
        let moved = v["now"].as_u64().unwrap() - v["before"].as_u64().unwrap();
        assert!((seconds..seconds + 5).contains(&moved), "{duration}: moved {moved}");
        assert_eq!(v["seconds"], seconds);
    }
    let out = viable(&["dev", "warp", "90s", "-r", &chain.rpc()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("chain time 20") && text.contains("(moved 1 min 3"), "{text}");

    let out = viable(&["dev", "warp", "a while", "-r", &chain.rpc()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a duration like 90s, 5m, 1h30m or 2d")
    );
    let err = one_line_error(&viable(&["dev", "warp", "1m", "-r", "http://127.0.0.1:1"]));
    assert!(err.contains("is `make dev` running?"), "{err}");
}
