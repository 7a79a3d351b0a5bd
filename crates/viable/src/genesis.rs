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

use crate::{
    keys::{self, Unit},
    work::{Schema, SchemaDef},
};

/// The dev preset: every period in seconds or minutes, so a demo runs quickly.
pub const DEV_TOML: &str = include_str!("../genesis/dev.toml");
/// The local preset: the dev preset's parameters, token, roles and founders, plus
/// registered and recognized schemas and a funded treasury with budget lines (what
/// `viable dev` deploys).
pub const LOCAL_TOML: &str = include_str!("../genesis/local.toml");
/// The production preset: the specification's defaults.
pub const PRODUCTION_TOML: &str = include_str!("../genesis/production.toml");

/// The most power the Work House can hold in total, 2^48 - 1: the width of the
/// constitution's Work tally (`WorkHouse.MAX_TOTAL_POWER`).
pub const MAX_TOTAL_POWER: u64 = (1 << 48) - 1;
/// The most points one founding seed may carry, 2^96 - 1 (`WorkHouse.MAX_SEED_POINTS`).
/// A seed in a genesis file is a `u64`, always below it.
pub const MAX_SEED_POINTS: u128 = (1 << 96) - 1;
/// Token addresses below this are placeholders (like the production preset's `0x…01`)
/// or precompiles, never an IVotes token.
const PLACEHOLDER_BELOW: u64 = 1 << 16;

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
    /// Schemas the deploy registers in the new WorkRegistry before `bootstrap`, so the
    /// genesis can recognize them (same format as a `viable work schema register` file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<SchemaDef>,
    /// Initial schema recognitions. The constitution recognizes only a schema already
    /// registered in its WorkRegistry and checked by someone other than the contributor:
    /// a recognition must name a schema of `schemas` (by name or id) that is Attested or
    /// has a validator. Any other schema is recognized by amendment once registered.
    #[serde(default)]
    pub recognitions: Vec<RecognitionSpec>,
    /// Founding contributors' points, so the Work House can reach quorum. Required: at
    /// least one, with at least one point.
    #[serde(default)]
    pub seeds: Vec<SeedSpec>,
    /// An ETH deposit into the treasury and budget lines, made by the deployer after
    /// `bootstrap` (lines need the deployer to be one of `stewards`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treasury: Option<TreasurySpec>,
}

/// The treasury's start: an ETH deposit and budget lines over it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreasurySpec {
    /// ETH the deployer deposits (`"100 ether"`; zero or absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit: Option<Quantity>,
    /// ETH budget lines, opened in order (ids 1, 2, …).
    #[serde(default)]
    pub lines: Vec<LineSpec>,
}

/// A budget line of ETH.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// Who allocates from it; must be one of `bootstrap.stewards`.
    pub steward: String,
    /// Share of the epoch budget, in `[1, 10000]` bps; all lines together at most 10000.
    pub share_bps: u64,
    /// Fund only packets of this schema: a name or id of `bootstrap.schemas`, or any id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Amount per accepted packet through `claimBounty` (needs `schema`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounty: Option<Quantity>,
    /// Share of a stream's duration before it vests, in `[0, 10000]` bps.
    #[serde(default)]
    pub cliff_bps: u64,
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
    /// The name of a schema of `bootstrap.schemas`, or its id (hex bytes32).
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
    let decimals = match unit {
        "wei" => 0,
        "gwei" => 9,
        _ => 18,
    };
    // More digits after the point than the unit has would be cut off silently.
    if let Some((_, frac)) = number.split_once('.')
        && frac.trim_end_matches('0').len() > decimals
    {
        return Err(format!("`{text}` has more than {decimals} decimal places for {unit}"));
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

#[cfg(test)]
mod quantity_tests {
    use super::*;

    #[test]
    fn amounts_with_more_decimals_than_their_unit_are_refused_not_rounded() {
        let ether = U256::from(10u64).pow(U256::from(18));
        assert_eq!(parse_quantity("1.5 ether").unwrap(), ether * U256::from(3) / U256::from(2));
        assert_eq!(parse_quantity("0.000000000000000001 ether").unwrap(), U256::from(1));
        assert_eq!(parse_quantity("1.10 gwei").unwrap(), U256::from(1_100_000_000u64));
        let err = parse_quantity("1.0000000000000000001 ether").unwrap_err();
        assert!(err.contains("more than 18 decimal places"), "{err}");
        assert!(parse_quantity("1.0000000001 gwei").is_err());
        assert!(parse_quantity("1.5 wei").is_err());
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
    /// The token section is inconsistent, or leaves the Token House without weight.
    #[error("genesis: [token]: {0}")]
    Token(String),
    /// No founding seed: the Work House would have no power, so no amendment could ever
    /// pass (the contract refuses it with `LegitimacyConstitutionWorkHouseEmpty`).
    #[error(
        "genesis: [bootstrap] seeds is empty: the Work House would have no power and no amendment \
         could ever pass (LegitimacyConstitutionWorkHouseEmpty); list at least one founding contributor"
    )]
    NoFoundingPower,
    /// The seeds give the Work House more power than it can hold (the registry refuses
    /// the seed that passes the cap with `WorkRegistryPowerCapReached`).
    #[error(
        "genesis: [bootstrap] the seeds give the Work House {total} power, above its cap of {max} \
         (WorkRegistryPowerCapReached)"
    )]
    WorkHouseTooLarge {
        /// The total power of the seeds (sum of the integer square roots of each
        /// contributor's points).
        total: U256,
        /// `MAX_TOTAL_POWER`.
        max: U256,
    },
    /// `legit.tokenProposalThreshold` above the new token's supply: not even every token
    /// delegated to one account could meet it.
    #[error(
        "genesis: `legit.tokenProposalThreshold` = {value} is above the token supply {supply}: \
         nobody could ever propose through the Token House \
         (LegitimacyConstitutionThresholdUnreachable)"
    )]
    ThresholdUnreachable {
        /// The threshold.
        value: U256,
        /// The token's total supply.
        supply: U256,
    },
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
    /// Schemas registered before `bootstrap`, in order, as the chain sees them.
    pub schemas: Vec<Schema>,
    /// Recognitions: (schema id, weight), each of a schema of `schemas`.
    pub recognitions: Vec<(B256, U256)>,
    /// Seeds: (contributor, points).
    pub seeds: Vec<(Address, U256)>,
    /// The treasury's start (deposit and lines), if any.
    pub treasury: Option<ResolvedTreasury>,
    /// keccak256 of the genesis's canonical JSON, recorded in the deployment file.
    pub hash: B256,
}

/// The checked treasury start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedTreasury {
    /// ETH deposited (wei; zero: none).
    pub deposit: U256,
    /// ETH lines, in order.
    pub lines: Vec<ResolvedLine>,
}

/// A checked ETH budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedLine {
    /// Its steward.
    pub steward: Address,
    /// Share of the epoch budget, bps.
    pub share_bps: u64,
    /// Schema filter (zero: any recognized schema).
    pub schema_id: B256,
    /// Bounty per packet (zero: none).
    pub bounty: U256,
    /// Cliff, bps of a stream's duration.
    pub cliff_bps: u64,
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

    /// The local preset: the dev preset and a world to work in (see [`LOCAL_TOML`]).
    pub fn local() -> Self {
        Self::from_toml_str(LOCAL_TOML, "preset local")
            .expect("the local preset is valid (unit-tested)")
    }

    /// The production preset. Its token is a placeholder; set `token.address`.
    pub fn production() -> Self {
        Self::from_toml_str(PRODUCTION_TOML, "preset production")
            .expect("the production preset is valid (unit-tested)")
    }

    /// A preset by name (`dev`, `local` or `production`).
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "dev" => Some(Self::dev()),
            "local" => Some(Self::local()),
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

        let value_of = |key: &str| {
            params.iter().find(|p| p.key == key).map(|p| p.value.saturating_to::<u64>())
        };
        let schemas = self.resolve_schemas(
            value_of("work.maxFields").unwrap_or_default(),
            value_of("work.maxAttestWindow").unwrap_or_default(),
        )?;
        let recognitions = self.resolve_recognitions(&schemas)?;
        let treasury = self.resolve_treasury(&schemas, &stewards)?;

        let seeds = self.resolve_seeds()?;
        if let ResolvedToken::Deploy { holders, .. } = &token {
            let supply =
                holders.iter().fold(U256::ZERO, |acc, (_, amount)| acc.saturating_add(*amount));
            let threshold = params
                .iter()
                .find(|p| p.key == "legit.tokenProposalThreshold")
                .map(|p| p.value)
                .unwrap_or_default();
            if threshold > supply {
                return Err(GenesisError::ThresholdUnreachable { value: threshold, supply });
            }
        }

        let canonical = serde_json::to_vec(self).expect("genesis serializes");
        Ok(ResolvedGenesis {
            params,
            token,
            stewards,
            guardians,
            articles,
            schemas,
            recognitions,
            seeds,
            treasury,
            hash: keccak256(canonical),
        })
    }

    /// The schemas the deploy registers, checked as the registry would with the
    /// genesis's own `work.maxFields` and `work.maxAttestWindow`; no two alike.
    fn resolve_schemas(
        &self,
        max_fields: u64,
        max_window: u64,
    ) -> Result<Vec<Schema>, GenesisError> {
        let mut out: Vec<Schema> = Vec::new();
        for (i, def) in self.bootstrap.schemas.iter().enumerate() {
            let field = format!("bootstrap.schemas[{i}]");
            let schema = def.resolve(max_fields, max_window).map_err(|e| {
                GenesisError::BadValue { field: field.clone(), message: e.to_string() }
            })?;
            if out.iter().any(|s| s.id() == schema.id()) {
                return Err(GenesisError::BadValue {
                    field,
                    message: format!(
                        "the same schema as an earlier one (id {}): the registry would refuse it \
                         (WorkRegistrySchemaExists)",
                        schema.id()
                    ),
                });
            }
            out.push(schema);
        }
        Ok(out)
    }

    /// A schema named in the genesis: the name of one of `schemas`, else a hex id.
    fn schema_ref(schemas: &[Schema], text: &str, field: &str) -> Result<B256, GenesisError> {
        let named: Vec<&Schema> = schemas.iter().filter(|s| s.name == text.trim()).collect();
        match named.as_slice() {
            [one] => Ok(one.id()),
            [] => parse_b256(text, field).map_err(|_| GenesisError::BadValue {
                field: field.into(),
                message: format!(
                    "\"{text}\" is neither the name of a schema in [[bootstrap.schemas]] nor a \
                     32-byte hex schema id"
                ),
            }),
            _ => Err(GenesisError::BadValue {
                field: field.into(),
                message: format!("{} schemas are named \"{text}\": name it by id", named.len()),
            }),
        }
    }

    /// Recognitions, each of a schema the deploy registers and someone other than the
    /// contributor checks (the constitution's rules at bootstrap).
    fn resolve_recognitions(&self, schemas: &[Schema]) -> Result<Vec<(B256, U256)>, GenesisError> {
        let mut out: Vec<(B256, U256)> = Vec::new();
        for (i, r) in self.bootstrap.recognitions.iter().enumerate() {
            let field = format!("bootstrap.recognitions[{i}]");
            let id = Self::schema_ref(schemas, &r.schema, &format!("{field}.schema"))?;
            if r.weight == 0 || r.weight > 1_000_000 {
                return Err(GenesisError::BadValue {
                    field: format!("{field}.weight"),
                    message: format!("{} must be between 1 and 1000000", r.weight),
                });
            }
            let Some(schema) = schemas.iter().find(|s| s.id() == id) else {
                return Err(GenesisError::BadValue {
                    field: format!("{field}.schema"),
                    message: format!(
                        "{id} cannot be recognized at genesis: it is not in [[bootstrap.schemas]], \
                         so the new WorkRegistry does not know it (LegitimacyConstitutionSchemaUnknown); \
                         add its definition to [[bootstrap.schemas]], or register it after the deploy \
                         and recognize it by amendment"
                    ),
                });
            };
            if schema.acceptance.mode == 0 && schema.validator.is_zero() {
                return Err(GenesisError::BadValue {
                    field: format!("{field}.schema"),
                    message: format!(
                        "\"{}\" ({id}) accepts packets immediately and has no validator: nobody but \
                         the contributor checks its work, so it cannot be recognized \
                         (LegitimacyConstitutionSchemaUnchecked); give it attesters or a validator",
                        schema.name
                    ),
                });
            }
            if out.iter().any(|(s, _)| *s == id) {
                return Err(GenesisError::BadValue {
                    field: format!("{field}.schema"),
                    message: format!("{id} is recognized twice"),
                });
            }
            out.push((id, U256::from(r.weight)));
        }
        Ok(out)
    }

    /// The treasury's start: a deposit and ETH lines within the treasury's rules.
    fn resolve_treasury(
        &self,
        schemas: &[Schema],
        stewards: &[Address],
    ) -> Result<Option<ResolvedTreasury>, GenesisError> {
        let Some(t) = &self.bootstrap.treasury else { return Ok(None) };
        let deposit = match &t.deposit {
            None => U256::ZERO,
            Some(q) => q.to_u256().map_err(|message| GenesisError::BadValue {
                field: "bootstrap.treasury.deposit".into(),
                message,
            })?,
        };
        let mut lines = Vec::new();
        let mut sum = 0u64;
        for (i, l) in t.lines.iter().enumerate() {
            let field = format!("bootstrap.treasury.lines[{i}]");
            let bad = |part: &str, message: String| GenesisError::BadValue {
                field: format!("{field}.{part}"),
                message,
            };
            let steward = parse_address(&l.steward, &format!("{field}.steward"))?;
            if !stewards.contains(&steward) {
                return Err(bad(
                    "steward",
                    format!(
                        "{steward} is not in [bootstrap] stewards; a line's steward must hold the \
                         STEWARD role (OptimizationTreasuryInvalidSteward)"
                    ),
                ));
            }
            if l.share_bps == 0 || l.share_bps > 10_000 {
                return Err(bad(
                    "share_bps",
                    format!(
                        "{} must be in [1, 10000] (OptimizationTreasuryInvalidShare)",
                        l.share_bps
                    ),
                ));
            }
            sum += l.share_bps;
            if sum > 10_000 {
                return Err(bad(
                    "share_bps",
                    format!(
                        "the lines' shares add up to {sum} bps, above 10000 \
                         (OptimizationTreasuryShareSumExceeded)"
                    ),
                ));
            }
            if l.cliff_bps > 10_000 {
                return Err(bad(
                    "cliff_bps",
                    format!(
                        "{} must be in [0, 10000] (OptimizationTreasuryInvalidCliff)",
                        l.cliff_bps
                    ),
                ));
            }
            let schema_id = match &l.schema {
                None => B256::ZERO,
                Some(text) => Self::schema_ref(schemas, text, &format!("{field}.schema"))?,
            };
            let bounty = match &l.bounty {
                None => U256::ZERO,
                Some(q) => q.to_u256().map_err(|m| bad("bounty", m))?,
            };
            if !bounty.is_zero() && schema_id.is_zero() {
                return Err(bad(
                    "bounty",
                    "a bounty needs a `schema` filter (OptimizationTreasuryBountyWithoutSchema)"
                        .into(),
                ));
            }
            lines.push(ResolvedLine {
                steward,
                share_bps: l.share_bps,
                schema_id,
                bounty,
                cliff_bps: l.cliff_bps,
            });
        }
        Ok(Some(ResolvedTreasury { deposit, lines }))
    }

    /// The founding seeds: at least one, each a non-zero contributor with at least one
    /// point, and a Work House within `MAX_TOTAL_POWER` (the contract's rules).
    fn resolve_seeds(&self) -> Result<Vec<(Address, U256)>, GenesisError> {
        if self.bootstrap.seeds.is_empty() {
            return Err(GenesisError::NoFoundingPower);
        }
        let mut seeds = Vec::new();
        let mut points: BTreeMap<Address, U256> = BTreeMap::new();
        for (i, s) in self.bootstrap.seeds.iter().enumerate() {
            let field = format!("bootstrap.seeds[{i}]");
            let who = parse_address(&s.contributor, &format!("{field}.contributor"))?;
            if who.is_zero() || s.points == 0 {
                return Err(GenesisError::BadValue {
                    field,
                    message: format!(
                        "a seed needs a non-zero contributor and 1 to {MAX_SEED_POINTS} points \
                         (WorkRegistryInvalidSeed)"
                    ),
                });
            }
            *points.entry(who).or_default() += U256::from(s.points);
            seeds.push((who, U256::from(s.points)));
        }
        let total = work_house_power(points.values());
        if total > U256::from(MAX_TOTAL_POWER) {
            return Err(GenesisError::WorkHouseTooLarge {
                total,
                max: U256::from(MAX_TOTAL_POWER),
            });
        }
        Ok(seeds)
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
                if U256::from_be_slice(addr.as_slice()) < U256::from(PLACEHOLDER_BELOW) {
                    return Err(GenesisError::Token(format!(
                        "address {addr} is a placeholder, not a token: name your IVotes (ERC-6372) \
                         token, with a non-zero supply"
                    )));
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
                    if addr.is_zero() {
                        return Err(GenesisError::BadAddress {
                            field: format!("token.holders[{i}].address"),
                            value: h.address.clone(),
                        });
                    }
                    holders.push((addr, amount));
                }
                if holders.iter().all(|(_, amount)| amount.is_zero()) {
                    return Err(GenesisError::Token(
                        "the holders' amounts add up to zero: the Token House would have no \
                         weight and no amendment could ever pass \
                         (LegitimacyConstitutionTokenHouseEmpty)"
                            .into(),
                    ));
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
    /// The constitution's constructor input: every parameter with its bounds, in
    /// protocol order (what both deploy paths send).
    pub(crate) fn param_inits(&self) -> Vec<crate::bindings::ILegitimacyConstitution::ParamInit> {
        self.params
            .iter()
            .map(|p| crate::bindings::ILegitimacyConstitution::ParamInit {
                key: keys::text_to_bytes32(&p.key).expect("protocol keys fit in bytes32"),
                value: p.value,
                min: p.min,
                max: p.max,
            })
            .collect()
    }

    /// The value of `key`.
    pub fn param(&self, key: &str) -> Option<U256> {
        self.params.iter().find(|p| p.key == key).map(|p| p.value)
    }

    /// The Work House's total power after the founding seeds: the sum over founding
    /// contributors of the integer square root of their points.
    pub fn founding_power(&self) -> U256 {
        let mut points: BTreeMap<Address, U256> = BTreeMap::new();
        for (who, p) in &self.seeds {
            *points.entry(*who).or_default() += *p;
        }
        work_house_power(points.values())
    }

    /// The supply of a token the deploy creates (`None` for an existing token, whose
    /// supply the contract checks at bootstrap).
    pub fn token_supply(&self) -> Option<U256> {
        match &self.token {
            ResolvedToken::Existing(_) => None,
            ResolvedToken::Deploy { holders, .. } => {
                Some(holders.iter().fold(U256::ZERO, |acc, (_, a)| acc.saturating_add(*a)))
            }
        }
    }

    /// Whether every period is short enough for a local demo (all under an hour).
    pub fn is_quick(&self) -> bool {
        self.params
            .iter()
            .filter(|p| keys::unit(&p.key) == Unit::Seconds)
            .all(|p| p.value <= U256::from(3_600))
    }
}

impl ResolvedGenesis {
    /// What `script/Deploy.s.sol` reads (`viable genesis export`): each group the
    /// deploy sends, ABI-encoded exactly as [`crate::Viable::deploy_resolved`] encodes
    /// it, so `forge script` and the SDK deploy the same suite from the same genesis.
    ///
    /// - `tokenAddress`: the existing token, or zero to deploy a ViableToken with
    ///   `tokenArgs` = `abi.encode(name, symbol, holders, amounts)`;
    /// - `params`: `abi.encode(ParamInit[])`; `schemas`: `abi.encode(bytes[])`, each
    ///   `abi.encode(name, fields, acceptance, validator)`; `roles`, `recognitions`,
    ///   `articles`, `seeds`: the `BootstrapConfig` arrays, each `abi.encode(T[])`;
    /// - `deposit` (wei, decimal) and `lines`: `abi.encode((address steward, uint256
    ///   shareBps, bytes32 schemaId, uint256 bounty, uint256 cliffBps)[])`;
    /// - `genesisHash`, recorded in the deployment file.
    pub fn script_input(&self) -> serde_json::Value {
        use alloy::{
            hex,
            primitives::Bytes,
            sol_types::{SolValue, private::SolTypeValue},
        };

        use crate::{bindings::ILegitimacyConstitution as IConst, constitution::Role};
        fn enc<T: SolValue + SolTypeValue<T::SolType>>(v: T) -> String
        where
            T::SolType: alloy::sol_types::SolType,
        {
            hex::encode_prefixed(v.abi_encode())
        }
        let (token_address, token_args) = match &self.token {
            ResolvedToken::Existing(a) => (*a, String::from("0x")),
            ResolvedToken::Deploy { name, symbol, holders } => {
                let (who, amounts): (Vec<Address>, Vec<U256>) = holders.iter().copied().unzip();
                (
                    Address::ZERO,
                    hex::encode_prefixed(
                        (name.clone(), symbol.clone(), who, amounts).abi_encode_params(),
                    ),
                )
            }
        };
        let params = self.param_inits();
        let schemas: Vec<Bytes> = self
            .schemas
            .iter()
            .map(|s| {
                (s.name.clone(), s.fields.clone(), s.acceptance.clone(), s.validator)
                    .abi_encode_params()
                    .into()
            })
            .collect();
        let mut roles = Vec::new();
        roles.extend(
            self.stewards
                .iter()
                .map(|a| IConst::RoleInit { role: Role::Steward.id(), account: *a }),
        );
        roles.extend(
            self.guardians
                .iter()
                .map(|a| IConst::RoleInit { role: Role::Guardian.id(), account: *a }),
        );
        let recognitions: Vec<IConst::RecognitionInit> = self
            .recognitions
            .iter()
            .map(|(id, w)| IConst::RecognitionInit { schemaId: *id, weight: *w })
            .collect();
        let articles: Vec<IConst::Article> = self
            .articles
            .iter()
            .map(|(h, uri)| IConst::Article { contentHash: *h, uri: uri.clone() })
            .collect();
        let seeds: Vec<IConst::SeedInit> = self
            .seeds
            .iter()
            .map(|(a, p)| IConst::SeedInit { contributor: *a, points: *p })
            .collect();
        let (deposit, lines) = match &self.treasury {
            None => (U256::ZERO, Vec::new()),
            Some(t) => (
                t.deposit,
                t.lines
                    .iter()
                    .map(|l| {
                        (
                            l.steward,
                            U256::from(l.share_bps),
                            l.schema_id,
                            l.bounty,
                            U256::from(l.cliff_bps),
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
        };
        serde_json::json!({
            "genesisHash": self.hash.to_string(),
            "tokenAddress": token_address.to_checksum(None),
            "tokenArgs": token_args,
            "params": enc(params),
            "schemas": enc(schemas),
            "roles": enc(roles),
            "recognitions": enc(recognitions),
            "articles": enc(articles),
            "seeds": enc(seeds),
            "deposit": deposit.to_string(),
            "lines": enc(lines),
        })
    }
}

/// The Work House's total power for contributors with these points: power is the
/// integer square root of each contributor's points.
fn work_house_power<'a>(points: impl Iterator<Item = &'a U256>) -> U256 {
    points.fold(U256::ZERO, |acc, p| acc + p.root(2))
}

/// Parse an address with a message naming the field. Mixed case must be the EIP-55
/// checksum (as everywhere else in the SDK): a wrong capital is most likely a typo.
pub fn parse_address(text: &str, field: &str) -> Result<Address, GenesisError> {
    crate::display::parse_address(text).map_err(|e| match e {
        crate::display::AddressError::BadChecksum(..) => {
            GenesisError::BadValue { field: field.into(), message: e.to_string() }
        }
        _ => GenesisError::BadAddress { field: field.into(), value: text.into() },
    })
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
        assert_eq!(dev.founding_power(), U256::from(24));
        assert_eq!(
            dev.token_supply(),
            Some(U256::from(10_000_000u64) * U256::from(10u64).pow(U256::from(18)))
        );
        assert!(dev.schemas.is_empty() && dev.recognitions.is_empty() && dev.treasury.is_none());
        // The local genesis registers two schemas, recognizes the attested one, and funds
        // the treasury with two ETH lines run by account 1.
        let local = Genesis::local().resolve().unwrap();
        assert_eq!(
            local.schemas.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["review", "note"]
        );
        assert_eq!(local.recognitions, vec![(local.schemas[0].id(), U256::from(10))]);
        let t = local.treasury.as_ref().unwrap();
        assert_eq!(t.deposit, U256::from(100u64) * U256::from(10u64).pow(U256::from(18)));
        assert_eq!(t.lines.iter().map(|l| l.share_bps).collect::<Vec<_>>(), [6000, 3000]);
        assert!(t.lines.iter().all(|l| l.schema_id == local.schemas[0].id()));
        assert!(t.lines.iter().all(|l| local.stewards.contains(&l.steward)));
        let prod = production_filled().resolve().unwrap();
        assert_eq!(prod.param("legit.votingPeriod"), Some(U256::from(5 * 86_400)));
        assert!(!prod.is_quick());
    }

    /// The production preset with what its comment asks for: a token and a founder.
    fn production_filled() -> Genesis {
        let mut g = Genesis::production();
        g.token.address = Some("0x5FbDB2315678afecb367f032d93F642f64180aa3".into());
        g.bootstrap.seeds = vec![SeedSpec {
            contributor: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".into(),
            points: 100,
        }];
        g
    }

    /// Finding 1: the production preset is a template. Its placeholder token and its
    /// empty seed list would leave the houses without weight; both are refused offline,
    /// as the contract refuses them at bootstrap.
    #[test]
    fn production_preset_is_refused_until_filled() {
        let err = Genesis::production().resolve().unwrap_err();
        assert!(matches!(err, GenesisError::Token(ref m) if m.contains("placeholder")), "{err}");
        let mut g = production_filled();
        g.bootstrap.seeds.clear();
        assert_eq!(g.resolve().unwrap_err(), GenesisError::NoFoundingPower);
        assert!(
            GenesisError::NoFoundingPower
                .to_string()
                .contains("LegitimacyConstitutionWorkHouseEmpty")
        );
    }

    /// Finding 1: a genesis that leaves either house without weight is refused.
    #[test]
    fn empty_houses_are_refused() {
        let err = dev_with(|g| g.bootstrap.seeds.clear()).unwrap_err();
        assert_eq!(err, GenesisError::NoFoundingPower);
        let err = dev_with(|g| g.bootstrap.seeds[1].points = 0).unwrap_err();
        assert!(err.to_string().contains("`bootstrap.seeds[1]`"), "{err}");
        assert!(err.to_string().contains("WorkRegistryInvalidSeed"), "{err}");
        let err = dev_with(|g| {
            g.bootstrap.seeds[0].contributor = "0x0000000000000000000000000000000000000000".into()
        })
        .unwrap_err();
        assert!(err.to_string().contains("`bootstrap.seeds[0]`"), "{err}");
        let err = dev_with(|g| {
            for h in &mut g.token.holders {
                h.amount = Quantity::Int(0);
            }
        })
        .unwrap_err();
        assert!(
            matches!(err, GenesisError::Token(ref m) if m.contains("LegitimacyConstitutionTokenHouseEmpty")),
            "{err}"
        );
        let err = dev_with(|g| {
            g.token = TokenSpec {
                address: Some("0x0000000000000000000000000000000000000001".into()),
                name: None,
                symbol: None,
                holders: vec![],
            }
        })
        .unwrap_err();
        assert!(matches!(err, GenesisError::Token(ref m) if m.contains("placeholder")), "{err}");
    }

    /// The token threshold must stay within the supply of a token the deploy creates.
    #[test]
    fn token_threshold_above_the_supply_is_refused() {
        let err = dev_with(|g| {
            g.token.holders.truncate(1);
            g.token.holders[0].amount = Quantity::Text("500 ether".into());
        })
        .unwrap_err();
        let ether = U256::from(10u64).pow(U256::from(18));
        assert_eq!(
            err,
            GenesisError::ThresholdUnreachable {
                value: U256::from(1000) * ether,
                supply: U256::from(500) * ether
            }
        );
    }

    /// Finding 4: the Work House's cap, and the bound of `legit.workProposalThreshold`
    /// that follows it. One u64 seed can never pass the cap (its power is below 2^32), but
    /// 65,537 maximal ones can.
    #[test]
    fn work_house_caps_match_the_contract() {
        assert_eq!(MAX_TOTAL_POWER, (1u64 << 48) - 1);
        assert_eq!(
            keys::structural_bounds("legit.workProposalThreshold").1,
            U256::from(MAX_TOTAL_POWER)
        );
        let err = dev_with(|g| {
            let p = g.params.get_mut("legit.workProposalThreshold").unwrap();
            p.max = Quantity::Text(format!("{}", MAX_TOTAL_POWER + 1));
        })
        .unwrap_err();
        assert!(
            matches!(err, GenesisError::InvalidBounds { ref key, .. } if key == "legit.workProposalThreshold"),
            "{err}"
        );
        let big = |n: u64| {
            move |g: &mut Genesis| {
                g.bootstrap.seeds = (0..n)
                    .map(|i| SeedSpec {
                        contributor: format!("0x{:040x}", i + 1),
                        points: u64::MAX,
                    })
                    .collect();
            }
        };
        let per = U256::from(u64::MAX).root(2); // 2^32 - 1
        let fits = MAX_TOTAL_POWER / 4_294_967_295;
        assert!(dev_with(big(fits)).is_ok());
        assert_eq!(
            dev_with(big(fits + 1)).unwrap_err(),
            GenesisError::WorkHouseTooLarge {
                total: per * U256::from(fits + 1),
                max: U256::from(MAX_TOTAL_POWER)
            }
        );
    }

    /// Finding 5, as far as it can be checked offline: a genesis names schemas by id
    /// only, and the deploy registers none, so any recognition would be refused on chain.
    #[test]
    fn genesis_recognitions_are_refused() {
        let err = dev_with(|g| {
            g.bootstrap.recognitions =
                vec![RecognitionSpec { schema: format!("{}", B256::repeat_byte(7)), weight: 5 }];
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`bootstrap.recognitions[0].schema`"), "{text}");
        assert!(
            text.contains("register it after the deploy and recognize it by amendment"),
            "{text}"
        );
    }

    /// The local preset is the dev preset plus a world: same token, parameters,
    /// guardians, articles and founders; its stewards add the deployer (account 0).
    #[test]
    fn local_preset_extends_dev() {
        let (dev, local) = (Genesis::dev(), Genesis::local());
        assert_eq!(local.token, dev.token);
        assert_eq!(local.params, dev.params);
        let (d, l) = (&dev.bootstrap, &local.bootstrap);
        assert_eq!((&l.guardians, &l.articles, &l.seeds), (&d.guardians, &d.articles, &d.seeds));
        assert_eq!(l.stewards[..d.stewards.len()], d.stewards[..]);
        assert_eq!(l.stewards[d.stewards.len()..], ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]);
        assert_eq!(Genesis::preset("local"), Some(local));
    }

    /// A recognition must name a schema the deploy registers, and one that someone other
    /// than the contributor checks; by name or by id.
    #[test]
    fn genesis_recognitions_follow_the_constitution_rules() {
        let review = Genesis::local().resolve().unwrap().schemas[0].id();
        let by_id =
            local_with(|g| g.bootstrap.recognitions[0].schema = format!("{review}")).unwrap();
        assert_eq!(by_id.recognitions, vec![(review, U256::from(10))]);
        let err = local_with(|g| g.bootstrap.recognitions[0].schema = "note".into()).unwrap_err();
        assert!(err.to_string().contains("LegitimacyConstitutionSchemaUnchecked"), "{err}");
        let err =
            local_with(|g| g.bootstrap.recognitions[0].schema = "reviews".into()).unwrap_err();
        assert!(err.to_string().contains("neither the name of a schema"), "{err}");
        let err = local_with(|g| {
            let again = g.bootstrap.recognitions[0].clone();
            g.bootstrap.recognitions.push(again);
        })
        .unwrap_err();
        assert!(err.to_string().contains("recognized twice"), "{err}");
        let err = local_with(|g| {
            let again = g.bootstrap.schemas[0].clone();
            g.bootstrap.schemas.push(again);
        })
        .unwrap_err();
        assert!(err.to_string().contains("WorkRegistrySchemaExists"), "{err}");
        let err = local_with(|g| g.bootstrap.schemas[1].name = String::new()).unwrap_err();
        assert!(err.to_string().contains("`bootstrap.schemas[1]`"), "{err}");
    }

    /// The treasury's start follows the treasury's own rules for lines.
    #[test]
    fn genesis_lines_follow_the_treasury_rules() {
        fn lines(g: &mut Genesis) -> &mut Vec<LineSpec> {
            &mut g.bootstrap.treasury.as_mut().unwrap().lines
        }
        let err = local_with(|g| {
            lines(g)[0].steward = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC".into()
        })
        .unwrap_err();
        assert!(err.to_string().contains("OptimizationTreasuryInvalidSteward"), "{err}");
        let err = local_with(|g| lines(g)[1].share_bps = 4001).unwrap_err();
        assert!(err.to_string().contains("10001 bps"), "{err}");
        let err = local_with(|g| lines(g)[0].share_bps = 0).unwrap_err();
        assert!(err.to_string().contains("OptimizationTreasuryInvalidShare"), "{err}");
        let err = local_with(|g| lines(g)[1].schema = None).unwrap_err();
        assert!(err.to_string().contains("OptimizationTreasuryBountyWithoutSchema"), "{err}");
        let err = local_with(|g| lines(g)[0].cliff_bps = 10_001).unwrap_err();
        assert!(err.to_string().contains("OptimizationTreasuryInvalidCliff"), "{err}");
        // Without a treasury section, nothing is deposited and no line opened.
        assert_eq!(local_with(|g| g.bootstrap.treasury = None).unwrap().treasury, None);
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

    fn local_with(edit: impl FnOnce(&mut Genesis)) -> Result<ResolvedGenesis, GenesisError> {
        let mut g = Genesis::local();
        edit(&mut g);
        g.resolve()
    }

    fn dev_with(edit: impl FnOnce(&mut Genesis)) -> Result<ResolvedGenesis, GenesisError> {
        let mut g = Genesis::dev();
        edit(&mut g);
        g.resolve()
    }

    #[test]
    fn addresses_with_a_wrong_checksum_are_refused() {
        let good = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        assert!(parse_address(good, "f").is_ok());
        assert!(parse_address(&good.to_lowercase(), "f").is_ok());
        // One capital lowered: valid hex, wrong EIP-55 checksum.
        let typo = good.replacen('C', "c", 1);
        let err = parse_address(&typo, "bootstrap.guardians[0]").unwrap_err();
        assert!(
            matches!(err, GenesisError::BadValue { ref field, .. } if field == "bootstrap.guardians[0]")
        );
        assert!(err.to_string().contains("checksum"), "{err}");
        let err = parse_address("0x1234", "token.address").unwrap_err();
        assert!(matches!(err, GenesisError::BadAddress { .. }));
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
