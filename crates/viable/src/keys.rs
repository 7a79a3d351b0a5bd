//! Parameter keys: ASCII names left-aligned in a bytes32, as the constitution stores them.

use alloy::primitives::{B256, U256};

/// A protocol parameter, typed: the constitution's key for it is [`ParamKey::word`].
///
/// Amendments and reads take a `ParamKey`, so a misspelt key is a compile error rather
/// than a panic or a revert. `FromStr` parses the dotted name (`"legit.timelock"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ParamKey {
    /// `work.maxFields`
    WorkMaxFields,
    /// `work.maxDataBytes`
    WorkMaxDataBytes,
    /// `work.maxAttestWindow`
    WorkMaxAttestWindow,
    /// `locks.maxTtl`
    LocksMaxTtl,
    /// `locks.maxHold`
    LocksMaxHold,
    /// `locks.maxQueue`
    LocksMaxQueue,
    /// `treasury.epochLength`
    TreasuryEpochLength,
    /// `treasury.maxEpochSpendBps`
    TreasuryMaxEpochSpendBps,
    /// `treasury.maxRecipientShareBps`
    TreasuryMaxRecipientShareBps,
    /// `treasury.vetoWindow`
    TreasuryVetoWindow,
    /// `strategy.minBond`
    StrategyMinBond,
    /// `strategy.halfLife`
    StrategyHalfLife,
    /// `strategy.readyBps`
    StrategyReadyBps,
    /// `strategy.maxAge`
    StrategyMaxAge,
    /// `strategy.stakeFloor`
    StrategyStakeFloor,
    /// `legit.votingDelay`
    LegitVotingDelay,
    /// `legit.votingPeriod`
    LegitVotingPeriod,
    /// `legit.timelock`
    LegitTimelock,
    /// `legit.gracePeriod`
    LegitGracePeriod,
    /// `legit.tokenQuorumBps`
    LegitTokenQuorumBps,
    /// `legit.workQuorumBps`
    LegitWorkQuorumBps,
    /// `legit.passBps`
    LegitPassBps,
    /// `legit.tokenProposalThreshold`
    LegitTokenProposalThreshold,
    /// `legit.workProposalThreshold`
    LegitWorkProposalThreshold,
}

impl ParamKey {
    /// Every parameter, in the order the protocol lists them (and genesis resolves them).
    pub const ALL: [Self; 24] = [
        Self::WorkMaxFields,
        Self::WorkMaxDataBytes,
        Self::WorkMaxAttestWindow,
        Self::LocksMaxTtl,
        Self::LocksMaxHold,
        Self::LocksMaxQueue,
        Self::TreasuryEpochLength,
        Self::TreasuryMaxEpochSpendBps,
        Self::TreasuryMaxRecipientShareBps,
        Self::TreasuryVetoWindow,
        Self::StrategyMinBond,
        Self::StrategyHalfLife,
        Self::StrategyReadyBps,
        Self::StrategyMaxAge,
        Self::StrategyStakeFloor,
        Self::LegitVotingDelay,
        Self::LegitVotingPeriod,
        Self::LegitTimelock,
        Self::LegitGracePeriod,
        Self::LegitTokenQuorumBps,
        Self::LegitWorkQuorumBps,
        Self::LegitPassBps,
        Self::LegitTokenProposalThreshold,
        Self::LegitWorkProposalThreshold,
    ];

    /// The dotted name, e.g. `legit.timelock`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::WorkMaxFields => "work.maxFields",
            Self::WorkMaxDataBytes => "work.maxDataBytes",
            Self::WorkMaxAttestWindow => "work.maxAttestWindow",
            Self::LocksMaxTtl => "locks.maxTtl",
            Self::LocksMaxHold => "locks.maxHold",
            Self::LocksMaxQueue => "locks.maxQueue",
            Self::TreasuryEpochLength => "treasury.epochLength",
            Self::TreasuryMaxEpochSpendBps => "treasury.maxEpochSpendBps",
            Self::TreasuryMaxRecipientShareBps => "treasury.maxRecipientShareBps",
            Self::TreasuryVetoWindow => "treasury.vetoWindow",
            Self::StrategyMinBond => "strategy.minBond",
            Self::StrategyHalfLife => "strategy.halfLife",
            Self::StrategyReadyBps => "strategy.readyBps",
            Self::StrategyMaxAge => "strategy.maxAge",
            Self::StrategyStakeFloor => "strategy.stakeFloor",
            Self::LegitVotingDelay => "legit.votingDelay",
            Self::LegitVotingPeriod => "legit.votingPeriod",
            Self::LegitTimelock => "legit.timelock",
            Self::LegitGracePeriod => "legit.gracePeriod",
            Self::LegitTokenQuorumBps => "legit.tokenQuorumBps",
            Self::LegitWorkQuorumBps => "legit.workQuorumBps",
            Self::LegitPassBps => "legit.passBps",
            Self::LegitTokenProposalThreshold => "legit.tokenProposalThreshold",
            Self::LegitWorkProposalThreshold => "legit.workProposalThreshold",
        }
    }

    /// The constitution's bytes32 key: the name, left-aligned.
    pub fn word(self) -> B256 {
        text_to_bytes32(self.as_str()).expect("every protocol key fits in 32 bytes (unit-tested)")
    }

    /// The key whose bytes32 word is `word`, if it is a protocol key.
    pub fn from_word(word: &B256) -> Option<Self> {
        bytes32_to_text(word).and_then(|t| t.parse().ok())
    }

    /// The unit the value is measured in.
    pub fn unit(self) -> Unit {
        unit(self.as_str())
    }
}

impl std::fmt::Display for ParamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for ParamKey {
    type Err = UnknownParamKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownParamKey(s.into()))
    }
}

/// A name that is not one of the protocol's parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown parameter `{0}`")]
pub struct UnknownParamKey(pub String);

/// Key names the protocol defines, in the order the specification lists them
/// (the names of [`ParamKey::ALL`]).
pub const REQUIRED: [&str; 24] = {
    let mut out = [""; 24];
    let mut i = 0;
    while i < 24 {
        out[i] = ParamKey::ALL[i].as_str();
        i += 1;
    }
    out
};

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
        "strategy.minBond" | "strategy.stakeFloor" | "legit.tokenProposalThreshold" => Unit::Wei,
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
        "strategy.minBond" | "strategy.stakeFloor" | "legit.tokenProposalThreshold" => {
            (u(0), U256::from(u128::MAX))
        }
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
    fn typed_keys_parse_and_map_to_their_words() {
        for k in ParamKey::ALL {
            assert_eq!(k.as_str().parse::<ParamKey>().unwrap(), k);
            assert_eq!(ParamKey::from_word(&k.word()), Some(k));
        }
        assert_eq!(REQUIRED[17], "legit.timelock");
        assert_eq!(REQUIRED[14], "strategy.stakeFloor");
        assert!("legit.timelocks".parse::<ParamKey>().is_err());
    }

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
