//! Parameter keys: ASCII names left-aligned in a bytes32, as the constitution stores them.

use alloy::primitives::{B256, U256};

/// Key names the protocol defines, in the order the specification lists them.
pub const REQUIRED: [&str; 23] = [
    "work.maxFields",
    "work.maxDataBytes",
    "work.maxAttestWindow",
    "locks.maxTtl",
    "locks.maxHold",
    "locks.maxQueue",
    "treasury.epochLength",
    "treasury.maxEpochSpendBps",
    "treasury.maxRecipientShareBps",
    "treasury.vetoWindow",
    "strategy.minBond",
    "strategy.halfLife",
    "strategy.readyBps",
    "strategy.maxAge",
    "legit.votingDelay",
    "legit.votingPeriod",
    "legit.timelock",
    "legit.gracePeriod",
    "legit.tokenQuorumBps",
    "legit.workQuorumBps",
    "legit.passBps",
    "legit.tokenProposalThreshold",
    "legit.workProposalThreshold",
];

/// What a parameter measures, for parsing and display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A duration in seconds.
    Seconds,
    /// Basis points (1/10,000).
    Bps,
    /// A token amount in wei.
    Wei,
    /// A plain count.
    Count,
}

/// The unit of `key`.
pub fn unit(key: &str) -> Unit {
    match key {
        "work.maxAttestWindow"
        | "locks.maxTtl"
        | "locks.maxHold"
        | "treasury.epochLength"
        | "treasury.vetoWindow"
        | "strategy.halfLife"
        | "strategy.maxAge"
        | "legit.votingDelay"
        | "legit.votingPeriod"
        | "legit.timelock"
        | "legit.gracePeriod" => Unit::Seconds,
        k if k.ends_with("Bps") => Unit::Bps,
        "strategy.minBond" | "legit.tokenProposalThreshold" => Unit::Wei,
        _ => Unit::Count,
    }
}

/// The widest bounds a genesis may give `key` — the mirror of
/// `ParamKeys.structuralBounds` in Solidity (a test deploys and compares).
pub fn structural_bounds(key: &str) -> (U256, U256) {
    const BPS: u64 = 10_000;
    const MAX_PERIOD: u64 = 3650 * 86_400;
    let u = U256::from;
    match key {
        "work.maxFields" => (u(1), u(64)),
        "work.maxDataBytes" => (u(32), u(1u64 << 20)),
        "locks.maxQueue" => (u(1), u(1024)),
        "treasury.maxEpochSpendBps" | "treasury.maxRecipientShareBps" | "strategy.readyBps" => {
            (u(1), u(BPS))
        }
        "legit.tokenQuorumBps" | "legit.workQuorumBps" => (u(0), u(BPS)),
        "legit.passBps" => (u(BPS / 2), u(BPS - 1)),
        "treasury.vetoWindow" | "legit.votingDelay" | "legit.timelock" => (u(0), u(MAX_PERIOD)),
        k if unit(k) == Unit::Seconds => (u(1), u(MAX_PERIOD)),
        "strategy.minBond" | "legit.tokenProposalThreshold" => (u(0), U256::from(u128::MAX)),
        // No contributor can hold more power than the Work House's cap (`WorkHouse.sol`).
        "legit.workProposalThreshold" => (u(0), U256::from(crate::genesis::MAX_TOTAL_POWER)),
        _ => (u(0), (U256::from(1) << 240) - U256::from(1)),
    }
}

/// Encode a key name as the constitution's bytes32 key.
///
/// Returns `None` when the name is longer than 32 bytes or not printable ASCII.
pub fn text_to_bytes32(name: &str) -> Option<B256> {
    if name.is_empty() || name.len() > 32 || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let mut out = [0u8; 32];
    out[..name.len()].copy_from_slice(name.as_bytes());
    Some(B256::from(out))
}

/// Decode a bytes32 key back to its name, if it is left-aligned printable ASCII.
pub fn bytes32_to_text(word: &B256) -> Option<String> {
    let len = word.iter().position(|&b| b == 0).unwrap_or(32);
    if len == 0 || word[len..].iter().any(|&b| b != 0) {
        return None;
    }
    let text = &word[..len];
    text.iter().all(|b| b.is_ascii_graphic()).then(|| String::from_utf8_lossy(text).into_owned())
}

/// Render a parameter value with its unit (`300 s (5m)`, `2500 bps (25%)`, `10 ether`).
pub fn display_value(key: &str, value: U256) -> String {
    match unit(key) {
        Unit::Seconds => match u64::try_from(value) {
            Ok(s) => format!("{s} s ({})", human_duration(s)),
            Err(_) => format!("{value} s"),
        },
        Unit::Bps => match u64::try_from(value) {
            Ok(b) => format!("{b} bps ({}%)", b as f64 / 100.0),
            Err(_) => format!("{value} bps"),
        },
        Unit::Wei => format!("{} ether", ether(value)),
        Unit::Count => value.to_string(),
    }
}

/// Render a bound compactly in the key's unit (`10 ether`, `5d`, `2500`).
pub fn display_bound(key: &str, value: U256) -> String {
    match unit(key) {
        Unit::Seconds => {
            u64::try_from(value).map(human_duration).unwrap_or_else(|_| value.to_string())
        }
        Unit::Wei => format!("{} ether", ether(value)),
        _ => value.to_string(),
    }
}

/// Wei as ether without trailing zeros (`10`, `0.5`).
pub fn ether(wei: U256) -> String {
    let text = alloy::primitives::utils::format_ether(wei);
    match text.split_once('.') {
        Some((whole, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() { whole.to_string() } else { format!("{whole}.{frac}") }
        }
        None => text,
    }
}

fn human_duration(s: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    if s == 0 {
        return "0s".into();
    }
    let mut rest = s;
    let mut out = String::new();
    for (size, name) in UNITS {
        if rest >= size {
            out.push_str(&format!("{}{name}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_fit() {
        for k in REQUIRED {
            let word = text_to_bytes32(k).unwrap_or_else(|| panic!("{k} does not fit"));
            assert_eq!(bytes32_to_text(&word).as_deref(), Some(k));
        }
        assert!(text_to_bytes32("").is_none());
        assert!(text_to_bytes32(&"x".repeat(33)).is_none());
        assert!(bytes32_to_text(&B256::repeat_byte(0xff)).is_none());
    }

    #[test]
    fn values_display_with_units() {
        assert_eq!(display_value("legit.votingPeriod", U256::from(432_000)), "432000 s (5d)");
        assert_eq!(display_value("legit.passBps", U256::from(5000)), "5000 bps (50%)");
        assert_eq!(display_value("work.maxFields", U256::from(16)), "16");
        assert_eq!(display_value("strategy.minBond", U256::from(10u64.pow(19))), "10 ether");
        assert_eq!(ether(U256::from(5u64 * 10u64.pow(17))), "0.5");
        assert_eq!(display_bound("legit.gracePeriod", U256::from(1_209_600)), "14d");
    }
}
