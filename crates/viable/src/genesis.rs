//! Genesis configuration: the parameters, hard bounds, token and bootstrap a
//! deployment starts from. Loadable from TOML or JSON; checked completely before
//! any transaction is sent, with errors that name the key and the rule.

// Genesis errors carry the offending values (four U256s at most) for callers to
// match on; they occur once, on a cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

use std::{collections::BTreeMap, fmt, path::Path, str::FromStr};

use alloy::primitives::{
    Address, B256, U256, keccak256,
    utils::{ParseUnits, parse_units},
};
use serde::{Deserialize, Serialize};

use crate::keys::{self, Unit};

/// The dev preset: every period in seconds or minutes, so a demo runs quickly.
pub const DEV_TOML: &str = include_str!("../genesis/dev.toml");
/// The production preset: the specification's defaults.
pub const PRODUCTION_TOML: &str = include_str!("../genesis/production.toml");

/// A genesis configuration as written in a file. Amounts and durations are
/// numbers or strings with a unit (`"10 ether"`, `"5 minutes"`, `"2 days"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The Token House's token.
    pub token: TokenSpec,
    /// Every protocol parameter, by name.
    pub params: BTreeMap<String, ParamSpec>,
    /// What `bootstrap` wires.
    #[serde(default)]
    pub bootstrap: BootstrapSpec,
}

/// Which token forms the Token House.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// An existing IVotes (ERC-6372) token. Set this, or `name`, `symbol` and `holders`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Name of a new ViableToken to deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Symbol of a new ViableToken to deploy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// Initial holders of a new ViableToken (each self-delegated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<HolderSpec>,
}

/// One initial token holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolderSpec {
    /// Holder address.
    pub address: String,
    /// Amount, e.g. `"1000000 ether"`.
    pub amount: Quantity,
}

/// A parameter's value and hard bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// Initial value.
    pub value: Quantity,
    /// Lowest value an amendment may ever set.
    pub min: Quantity,
    /// Highest value an amendment may ever set.
    pub max: Quantity,
}

/// What `bootstrap` wires besides the module directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapSpec {
    /// Initial STEWARDs.
    #[serde(default)]
    pub stewards: Vec<String>,
    /// Initial GUARDIANs.
    #[serde(default)]
    pub guardians: Vec<String>,
    /// The constitution's articles, in order.
    #[serde(default)]
    pub articles: Vec<ArticleSpec>,
    /// Initial schema recognitions.
    #[serde(default)]
    pub recognitions: Vec<RecognitionSpec>,
    /// Founding contributors' points, so the Work House can reach quorum.
    #[serde(default)]
    pub seeds: Vec<SeedSpec>,
}

/// An article of the constitution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleSpec {
    /// Hash of the text (hex). If absent, `text` is hashed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
    /// The text itself, hashed with keccak256 when `content_hash` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where the text can be read.
    #[serde(default)]
    pub uri: String,
}

/// A recognition grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecognitionSpec {
    /// Schema id (hex bytes32).
    pub schema: String,
    /// Weight (1..=1,000,000).
    pub weight: u64,
}

/// Founding contribution points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSpec {
    /// The contributor.
    pub contributor: String,
    /// Points credited.
    pub points: u64,
}

/// A number as written in a file: an integer, or a string with an optional unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Quantity {
    /// A plain non-negative integer.
    Int(i64),
    /// `"123"`, `"10 ether"`, `"1.5 gwei"`, `"5 minutes"`, `"2 days"`, `"0x10"`.
    Text(String),
}

impl From<u64> for Quantity {
    fn from(v: u64) -> Self {
        i64::try_from(v).map(Self::Int).unwrap_or_else(|_| Self::Text(v.to_string()))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(i) => write!(f, "{i}"),
            Self::Text(s) => write!(f, "\"{s}\""),
        }
    }
}

impl Quantity {
    /// Parse to a uint256.
    pub fn to_u256(&self) -> Result<U256, String> {
        match self {
            Self::Int(i) => u64::try_from(*i)
                .map(U256::from)
                .map_err(|_| format!("{i} is negative; values are unsigned")),
            Self::Text(s) => parse_quantity(s),
        }
    }
}

/// Parse `"123"`, `"0x7b"`, `"10 ether"`, `"5 minutes"`.
pub fn parse_quantity(text: &str) -> Result<U256, String> {
    let t = text.trim().replace('_', "");
    let mut parts = t.split_whitespace();
    let number = parts.next().ok_or_else(|| "empty value".to_string())?;
    let unit = parts.next();
    if parts.next().is_some() {
        return Err(format!("`{text}`: expected a number and at most one unit"));
    }
    let Some(unit) = unit else {
        return U256::from_str(number).map_err(|_| format!("`{text}` is not an unsigned integer"));
    };
    let seconds = match unit {
        "s" | "sec" | "second" | "seconds" => Some(1u64),
        "m" | "min" | "minute" | "minutes" => Some(60),
        "h" | "hour" | "hours" => Some(3_600),
        "d" | "day" | "days" => Some(86_400),
        "w" | "week" | "weeks" => Some(604_800),
        _ => None,
    };
    if let Some(mult) = seconds {
        let n = U256::from_str(number)
            .map_err(|_| format!("`{text}`: `{number}` is not a whole number"))?;
        return n.checked_mul(U256::from(mult)).ok_or_else(|| format!("`{text}` overflows"));
    }
    match unit {
        "wei" | "gwei" | "ether" => match parse_units(number, unit) {
            Ok(ParseUnits::U256(v)) => Ok(v),
            Ok(ParseUnits::I256(_)) => Err(format!("`{text}` is negative; values are unsigned")),
            Err(e) => Err(format!("`{text}`: {e}")),
        },
        _ => Err(format!(
            "`{text}`: unknown unit `{unit}` (use s, minutes, hours, days, weeks, wei, gwei or ether)"
        )),
    }
}

/// Why a genesis was refused. Every variant names the key or field and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenesisError {
    /// The file is not valid TOML/JSON for a genesis.
    #[error("genesis {source_name}: {message}")]
    Parse {
        /// File or preset name.
        source_name: String,
        /// Parser message (names the offending key).
        message: String,
    },
    /// A key that is not a protocol parameter.
    #[error("genesis: unknown parameter `{key}` (the protocol's parameters are: {known})")]
    UnknownParam {
        /// The key.
        key: String,
        /// The known keys.
        known: String,
    },
    /// A required parameter is missing.
    #[error(
        "genesis: parameter `{key}` is missing; every protocol parameter needs a value and bounds"
    )]
    MissingParam {
        /// The key.
        key: String,
    },
    /// A value or bound that does not parse.
    #[error("genesis: `{field}`: {message}")]
    BadValue {
        /// Dotted path of the field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A value outside its own hard bounds.
    #[error("genesis: `{key}` = {value} is outside its bounds [{min}, {max}]")]
    OutOfBounds {
        /// The key.
        key: String,
        /// The value.
        value: U256,
        /// Lower bound.
        min: U256,
        /// Upper bound.
        max: U256,
    },
    /// Bounds that are inverted or wider than the protocol allows.
    #[error(
        "genesis: bounds of `{key}` [{min}, {max}] must satisfy {floor} <= min <= max <= {ceiling}"
    )]
    InvalidBounds {
        /// The key.
        key: String,
        /// Lower bound given.
        min: U256,
        /// Upper bound given.
        max: U256,
        /// Structural floor.
        floor: U256,
        /// Structural ceiling.
        ceiling: U256,
    },
    /// An address that does not parse.
    #[error(
        "genesis: `{field}` = \"{value}\" is not an address (expected 0x followed by 40 hex digits)"
    )]
    BadAddress {
        /// Dotted path of the field.
        field: String,
        /// The text.
        value: String,
    },
    /// The token section is inconsistent.
    #[error("genesis: [token]: {0}")]
    Token(String),
}

/// A genesis after every check: exactly what the deploy sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedGenesis {
    /// Parameters in protocol order: (key, value, min, max).
    pub params: Vec<ResolvedParam>,
    /// The token to use or deploy.
    pub token: ResolvedToken,
    /// Bootstrap roles, articles, recognitions, seeds.
    pub stewards: Vec<Address>,
    /// Initial guardians.
    pub guardians: Vec<Address>,
    /// Articles: (content hash, uri).
    pub articles: Vec<(B256, String)>,
    /// Recognitions: (schema id, weight).
    pub recognitions: Vec<(B256, U256)>,
    /// Seeds: (contributor, points).
    pub seeds: Vec<(Address, U256)>,
    /// keccak256 of the genesis's canonical JSON, recorded in the deployment file.
    pub hash: B256,
}

/// A checked parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedParam {
    /// Name, e.g. `work.maxFields`.
    pub key: String,
    /// Initial value.
    pub value: U256,
    /// Hard lower bound.
    pub min: U256,
    /// Hard upper bound.
    pub max: U256,
}

/// The checked token choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedToken {
    /// Use an existing IVotes token.
    Existing(Address),
    /// Deploy a ViableToken.
    Deploy {
        /// Name.
        name: String,
        /// Symbol.
        symbol: String,
        /// Holders and amounts.
        holders: Vec<(Address, U256)>,
    },
}

impl Genesis {
    /// The dev preset.
    pub fn dev() -> Self {
        Self::from_toml_str(DEV_TOML, "preset dev").expect("the dev preset is valid (unit-tested)")
    }

    /// The production preset. Its token is a placeholder; set `token.address`.
    pub fn production() -> Self {
        Self::from_toml_str(PRODUCTION_TOML, "preset production")
            .expect("the production preset is valid (unit-tested)")
    }

    /// A preset by name (`dev` or `production`).
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "dev" => Some(Self::dev()),
            "production" | "prod" => Some(Self::production()),
            _ => None,
        }
    }

    /// Parse TOML text.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Self, GenesisError> {
        crate::config::from_toml(text)
            .map_err(|message| GenesisError::Parse { source_name: source_name.into(), message })
    }

    /// Parse JSON text.
    pub fn from_json_str(text: &str, source_name: &str) -> Result<Self, GenesisError> {
        crate::config::from_json(text)
            .map_err(|message| GenesisError::Parse { source_name: source_name.into(), message })
    }

    /// Load a `.toml` or `.json` file.
    pub fn load(path: &Path) -> Result<Self, GenesisError> {
        crate::config::load(path)
            .map_err(|(source_name, message)| GenesisError::Parse { source_name, message })
    }

    /// Set a parameter's value, keeping its bounds. A key that is not a protocol
    /// parameter, or one this genesis does not define, is refused.
    pub fn set_param(
        &mut self,
        key: &str,
        value: impl Into<Quantity>,
    ) -> Result<&mut Self, GenesisError> {
        let Some(p) = self.params.get_mut(key) else {
            if keys::REQUIRED.contains(&key) {
                return Err(GenesisError::MissingParam { key: key.into() });
            }
            let known = keys::REQUIRED.join(", ");
            return Err(GenesisError::UnknownParam { key: key.into(), known });
        };
        p.value = value.into();
        Ok(self)
    }

    /// Check everything and produce what the deploy sends.
    pub fn resolve(&self) -> Result<ResolvedGenesis, GenesisError> {
        let known = keys::REQUIRED.join(", ");
        for key in self.params.keys() {
            if !keys::REQUIRED.contains(&key.as_str()) {
                return Err(GenesisError::UnknownParam { key: key.clone(), known });
            }
        }
        let mut params = Vec::with_capacity(keys::REQUIRED.len());
        for key in keys::REQUIRED {
            let spec = self
                .params
                .get(key)
                .ok_or_else(|| GenesisError::MissingParam { key: key.to_string() })?;
            let num = |q: &Quantity, part: &str| {
                q.to_u256().map_err(|message| GenesisError::BadValue {
                    field: format!("params.\"{key}\".{part}"),
                    message,
                })
            };
            let (value, min, max) =
                (num(&spec.value, "value")?, num(&spec.min, "min")?, num(&spec.max, "max")?);
            let (floor, ceiling) = keys::structural_bounds(key);
            if min > max || min < floor || max > ceiling {
                return Err(GenesisError::InvalidBounds {
                    key: key.to_string(),
                    min,
                    max,
                    floor,
                    ceiling,
                });
            }
            if value < min || value > max {
                return Err(GenesisError::OutOfBounds { key: key.to_string(), value, min, max });
            }
            params.push(ResolvedParam { key: key.to_string(), value, min, max });
        }

        let token = self.resolve_token()?;
        let addrs = |list: &[String], field: &str| -> Result<Vec<Address>, GenesisError> {
            list.iter()
                .enumerate()
                .map(|(i, a)| parse_address(a, &format!("bootstrap.{field}[{i}]")))
                .collect()
        };
        let stewards = addrs(&self.bootstrap.stewards, "stewards")?;
        let guardians = addrs(&self.bootstrap.guardians, "guardians")?;

        let mut articles = Vec::new();
        for (i, a) in self.bootstrap.articles.iter().enumerate() {
            let field = format!("bootstrap.articles[{i}]");
            let hash = match (&a.content_hash, &a.text) {
                (Some(h), None) => parse_b256(h, &format!("{field}.content_hash"))?,
                (None, Some(t)) => keccak256(t.as_bytes()),
                _ => {
                    return Err(GenesisError::BadValue {
                        field,
                        message: "give exactly one of `content_hash` and `text`".into(),
                    });
                }
            };
            if hash.is_zero() {
                return Err(GenesisError::BadValue {
                    field,
                    message: "an article's content hash cannot be zero".into(),
                });
            }
            articles.push((hash, a.uri.clone()));
        }

        let mut recognitions = Vec::new();
        for (i, r) in self.bootstrap.recognitions.iter().enumerate() {
            let field = format!("bootstrap.recognitions[{i}]");
            let id = parse_b256(&r.schema, &format!("{field}.schema"))?;
            if r.weight == 0 || r.weight > 1_000_000 {
                return Err(GenesisError::BadValue {
                    field: format!("{field}.weight"),
                    message: format!("{} must be between 1 and 1000000", r.weight),
                });
            }
            recognitions.push((id, U256::from(r.weight)));
        }

        let mut seeds = Vec::new();
        for (i, s) in self.bootstrap.seeds.iter().enumerate() {
            let who = parse_address(&s.contributor, &format!("bootstrap.seeds[{i}].contributor"))?;
            seeds.push((who, U256::from(s.points)));
        }

        let canonical = serde_json::to_vec(self).expect("genesis serializes");
        Ok(ResolvedGenesis {
            params,
            token,
            stewards,
            guardians,
            articles,
            recognitions,
            seeds,
            hash: keccak256(canonical),
        })
    }

    fn resolve_token(&self) -> Result<ResolvedToken, GenesisError> {
        let t = &self.token;
        match (&t.address, &t.name, &t.symbol) {
            (Some(a), None, None) if t.holders.is_empty() => {
                let addr = parse_address(a, "token.address")?;
                if addr.is_zero() {
                    return Err(GenesisError::Token(
                        "address is the zero address; name the existing IVotes token".into(),
                    ));
                }
                Ok(ResolvedToken::Existing(addr))
            }
            (None, Some(name), Some(symbol)) => {
                if t.holders.is_empty() {
                    return Err(GenesisError::Token(
                        "a new token needs at least one holder in `holders`".into(),
                    ));
                }
                let mut holders = Vec::new();
                for (i, h) in t.holders.iter().enumerate() {
                    let addr = parse_address(&h.address, &format!("token.holders[{i}].address"))?;
                    let amount = h.amount.to_u256().map_err(|message| GenesisError::BadValue {
                        field: format!("token.holders[{i}].amount"),
                        message,
                    })?;
                    holders.push((addr, amount));
                }
                Ok(ResolvedToken::Deploy { name: name.clone(), symbol: symbol.clone(), holders })
            }
            _ => Err(GenesisError::Token(
                "set either `address` (an existing IVotes token) or `name`, `symbol` and `holders` \
                 (a new ViableToken), not both"
                    .into(),
            )),
        }
    }
}

impl ResolvedGenesis {
    /// The value of `key`.
    pub fn param(&self, key: &str) -> Option<U256> {
        self.params.iter().find(|p| p.key == key).map(|p| p.value)
    }

    /// Whether every period is short enough for a local demo (all under an hour).
    pub fn is_quick(&self) -> bool {
        self.params
            .iter()
            .filter(|p| keys::unit(&p.key) == Unit::Seconds)
            .all(|p| p.value <= U256::from(3_600))
    }
}

/// Parse an address with a message naming the field.
pub fn parse_address(text: &str, field: &str) -> Result<Address, GenesisError> {
    let t = text.trim();
    if t.len() != 42 || !t.starts_with("0x") {
        return Err(GenesisError::BadAddress { field: field.into(), value: text.into() });
    }
    Address::from_str(t)
        .map_err(|_| GenesisError::BadAddress { field: field.into(), value: text.into() })
}

fn parse_b256(text: &str, field: &str) -> Result<B256, GenesisError> {
    B256::from_str(text.trim()).map_err(|_| GenesisError::BadValue {
        field: field.into(),
        message: format!("\"{text}\" is not a 32-byte hex value"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_resolve() {
        let dev = Genesis::dev().resolve().unwrap();
        assert_eq!(dev.params.len(), keys::REQUIRED.len());
        assert!(dev.is_quick(), "dev preset periods must be seconds or minutes");
        let prod = Genesis::production().resolve().unwrap();
        assert_eq!(prod.param("legit.votingPeriod"), Some(U256::from(5 * 86_400)));
        assert!(!prod.is_quick());
    }

    #[test]
    fn quantities_parse_with_units() {
        assert_eq!(parse_quantity("5 minutes").unwrap(), U256::from(300));
        assert_eq!(parse_quantity("2 days").unwrap(), U256::from(172_800));
        assert_eq!(parse_quantity("10 ether").unwrap(), U256::from(10u128 * 10u128.pow(18)));
        assert_eq!(parse_quantity("1_000").unwrap(), U256::from(1000));
        assert!(parse_quantity("5 fortnights").unwrap_err().contains("unknown unit"));
        assert!(parse_quantity("-3").is_err());
        // Signed amounts are refused, never wrapped to 2^256 - x.
        for text in ["-10 ether", "-1 wei", "-0.5 gwei"] {
            assert!(parse_quantity(text).unwrap_err().contains("negative"), "{text}");
        }
    }

    #[test]
    fn set_param_refuses_unknown_keys() {
        let mut g = Genesis::dev();
        assert!(matches!(
            g.set_param("work.maxFeilds", 3u64),
            Err(GenesisError::UnknownParam { ref key, .. }) if key == "work.maxFeilds"
        ));
        g.params.remove("locks.maxQueue");
        assert_eq!(
            g.set_param("locks.maxQueue", 3u64).unwrap_err(),
            GenesisError::MissingParam { key: "locks.maxQueue".into() }
        );
        g.set_param("work.maxFields", 3u64).unwrap();
        assert_eq!(g.params["work.maxFields"].value, Quantity::Int(3));
    }

    fn dev_with(edit: impl FnOnce(&mut Genesis)) -> Result<ResolvedGenesis, GenesisError> {
        let mut g = Genesis::dev();
        edit(&mut g);
        g.resolve()
    }

    #[test]
    fn value_outside_bounds_is_refused_naming_the_key() {
        let err = dev_with(|g| {
            g.set_param("work.maxFields", 65u64).unwrap();
        })
        .unwrap_err();
        assert!(
            matches!(err, GenesisError::OutOfBounds { ref key, .. } if key == "work.maxFields")
        );
        assert!(err.to_string().contains("`work.maxFields` = 65 is outside its bounds [1, 64]"));
    }

    #[test]
    fn bounds_wider_than_the_protocol_are_refused() {
        let err = dev_with(|g| {
            let p = g.params.get_mut("legit.passBps").unwrap();
            p.min = Quantity::Int(4000);
        })
        .unwrap_err();
        assert!(
            matches!(err, GenesisError::InvalidBounds { ref key, .. } if key == "legit.passBps")
        );
    }

    #[test]
    fn unknown_and_missing_keys_are_refused() {
        let err = dev_with(|g| {
            let p = g.params["work.maxFields"].clone();
            g.params.insert("work.maxFeilds".into(), p);
        })
        .unwrap_err();
        assert!(err.to_string().contains("unknown parameter `work.maxFeilds`"));
        let err = dev_with(|g| {
            g.params.remove("locks.maxQueue");
        })
        .unwrap_err();
        assert_eq!(err, GenesisError::MissingParam { key: "locks.maxQueue".into() });
    }

    #[test]
    fn malformed_addresses_are_refused_naming_the_field() {
        let err = dev_with(|g| g.token.holders[1].address = "0x1234".into()).unwrap_err();
        assert!(
            err.to_string().contains("`token.holders[1].address` = \"0x1234\" is not an address")
        );
        let err = dev_with(|g| g.bootstrap.guardians = vec!["0xZZ".into()]).unwrap_err();
        assert!(err.to_string().contains("bootstrap.guardians[0]"));
    }

    #[test]
    fn toml_errors_name_the_key() {
        let text = DEV_TOML
            .replace("[params.\"work.maxFields\"]", "[params.\"work.maxFields\"]\nbogus = 1");
        let err = Genesis::from_toml_str(&text, "x.toml").unwrap_err();
        assert!(err.to_string().contains("bogus"), "{err}");
    }

    #[test]
    fn json_round_trip() {
        let g = Genesis::dev();
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(Genesis::from_json_str(&json, "x.json").unwrap(), g);
    }
}
