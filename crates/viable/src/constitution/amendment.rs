//! Amendments: typed actions on the constitution, built in Rust or loaded from TOML,
//! checked against the chain's bounds before anything is sent.

// Amendment errors carry values for callers to match on; cold path.
#![allow(clippy::result_large_err)]

use std::str::FromStr;

use alloy::primitives::{Address, B256, U256, keccak256};
use serde::{Deserialize, Serialize};

use super::types::{Param, Role};
use crate::{
    bindings::ILegitimacyConstitution as IConst,
    deployment::Module,
    display::parse_address,
    error::{CheckError, Error},
    genesis::Quantity,
    keys::{self, ParamKey},
};

/// Most actions one amendment may carry (the contract's `MAX_ACTIONS`).
pub const MAX_ACTIONS: usize = 16;
/// The SetArticle index that appends (the contract's `ARTICLE_APPEND`).
pub const ARTICLE_APPEND: U256 = U256::MAX;

/// One action as written in an amendment file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionSpec {
    /// Set a parameter.
    SetParam {
        /// Parameter name.
        key: String,
        /// New value (`"3 days"`, `"10 ether"`, 2500).
        value: Quantity,
    },
    /// Set a schema's recognition weight (0 withdraws it).
    Recognize {
        /// Schema id.
        schema: String,
        /// Weight.
        weight: u64,
    },
    /// Grant a role.
    Grant {
        /// Role.
        role: Role,
        /// Account.
        account: String,
    },
    /// Revoke a role.
    Revoke {
        /// Role.
        role: Role,
        /// Account.
        account: String,
    },
    /// Append an article (no `index`), or replace or repeal (`repeal = true`) the
    /// article at `index` (0-based).
    Article {
        /// Position of an existing article; absent appends.
        #[serde(default)]
        index: Option<u64>,
        /// The text (hashed), unless `content_hash` is given or `repeal` is set.
        #[serde(default)]
        text: Option<String>,
        /// The hash of the text.
        #[serde(default)]
        content_hash: Option<String>,
        /// Where the text lives.
        #[serde(default)]
        uri: String,
        /// Repeal the article at `index`.
        #[serde(default)]
        repeal: bool,
    },
    /// Re-point the directory.
    SetModule {
        /// Which module.
        module: Module,
        /// Its new address.
        address: String,
    },
}

/// An amendment file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendmentFile {
    /// Rationale, hashed into the id.
    pub description: String,
    /// The Strategy proposal this adopts (0 or absent: none).
    #[serde(default)]
    pub adopts: u64,
    /// The actions, applied in order.
    pub actions: Vec<ActionSpec>,
}

/// An amendment being built: typed actions, the Strategy proposal it adopts and a description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amendment {
    actions: Vec<IConst::Action>,
    strategy_proposal_id: U256,
    description: String,
}

/// Why an amendment was refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmendmentError {
    /// The file does not parse.
    #[error("amendment {source_name}: {message}")]
    Parse {
        /// File name.
        source_name: String,
        /// Parser message.
        message: String,
    },
    /// Action `index` is invalid.
    #[error("amendment action {index}: {message}")]
    Action {
        /// Position in the list.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// Too few or too many actions.
    #[error("an amendment needs 1 to {MAX_ACTIONS} actions, this one has {0}")]
    Count(usize),
    /// A SetParam outside the chain's hard bounds for the key.
    #[error(
        "amendment action {index}: `{key}` = {shown} is outside its hard bounds [{min_shown}, {max_shown}]"
    )]
    OutOfBounds {
        /// Position in the list.
        index: usize,
        /// The parameter.
        key: String,
        /// The value.
        value: U256,
        /// Lower bound.
        min: U256,
        /// Upper bound.
        max: U256,
        /// The value with its unit.
        shown: String,
        /// The lower bound with its unit.
        min_shown: String,
        /// The upper bound with its unit.
        max_shown: String,
    },
}

impl Amendment {
    /// An empty amendment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set the description (the rationale voters read; hashed into the id).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Adopt Strategy proposal `id` (the constitution calls `markAdopted` on execution).
    pub fn adopting(mut self, strategy_proposal_id: u64) -> Self {
        self.strategy_proposal_id = U256::from(strategy_proposal_id);
        self
    }

    fn push(mut self, kind: u8, key: B256, account: Address, value: U256, uri: String) -> Self {
        self.actions.push(IConst::Action { kind, key, account, value, uri });
        self
    }

    /// Set parameter `key` to `value` (its hard bounds are checked against the chain
    /// when proposing).
    pub fn set_param(self, key: ParamKey, value: impl Into<U256>) -> Self {
        self.push(0, key.word(), Address::ZERO, value.into(), String::new())
    }

    /// Set the recognition weight of `schema` (0 withdraws recognition).
    pub fn recognize(self, schema: B256, weight: u64) -> Self {
        self.push(1, schema, Address::ZERO, U256::from(weight), String::new())
    }

    /// Grant `role` to `account`.
    pub fn grant(self, role: Role, account: Address) -> Self {
        self.push(2, role.id(), account, U256::from(1), String::new())
    }

    /// Revoke `role` from `account`.
    pub fn revoke(self, role: Role, account: Address) -> Self {
        self.push(2, role.id(), account, U256::ZERO, String::new())
    }

    /// Replace existing article `index` (0-based).
    pub fn article(self, index: u64, content_hash: B256, uri: impl Into<String>) -> Self {
        self.push(3, content_hash, Address::ZERO, U256::from(index), uri.into())
    }

    /// Append a new article at the end (the contract's `ARTICLE_APPEND` index, so two
    /// amendments that each append can never overwrite one another).
    pub fn append_article(self, content_hash: B256, uri: impl Into<String>) -> Self {
        self.push(3, content_hash, Address::ZERO, ARTICLE_APPEND, uri.into())
    }

    /// Repeal article `index` (it keeps its number, with an empty hash).
    pub fn repeal_article(self, index: u64) -> Self {
        self.push(3, B256::ZERO, Address::ZERO, U256::from(index), String::new())
    }

    /// Point the directory entry of `module` at `address`.
    pub fn set_module(self, module: Module, address: Address) -> Self {
        self.push(4, B256::ZERO, address, U256::from(module.index()), String::new())
    }

    /// The actions.
    pub fn actions(&self) -> &[IConst::Action] {
        &self.actions
    }

    /// The description.
    pub fn description_text(&self) -> &str {
        &self.description
    }

    /// The body the amendment id commits to.
    pub fn body(&self) -> IConst::AmendmentBody {
        IConst::AmendmentBody {
            actions: self.actions.clone(),
            strategyProposalId: self.strategy_proposal_id,
            descriptionHash: keccak256(self.description.as_bytes()),
        }
    }

    /// The Strategy proposal adopted (0 = none).
    pub fn strategy_proposal_id(&self) -> U256 {
        self.strategy_proposal_id
    }

    /// Parse an amendment file (TOML).
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Self, AmendmentError> {
        let file: AmendmentFile = crate::config::from_toml(text).map_err(|message| {
            AmendmentError::Parse { source_name: source_name.into(), message }
        })?;
        Self::from_file(&file)
    }

    /// Build from a parsed file, checking every field.
    pub fn from_file(file: &AmendmentFile) -> Result<Self, AmendmentError> {
        let mut a = Self::new().description(file.description.clone()).adopting(file.adopts);
        for (index, spec) in file.actions.iter().enumerate() {
            let bad = |message: String| AmendmentError::Action { index, message };
            let addr = |text: &str, field: &str| {
                parse_address(text).map_err(|e| bad(format!("{field}: {e}")))
            };
            a = match spec {
                ActionSpec::SetParam { key, value } => {
                    let k: ParamKey = key.parse().map_err(|e| bad(format!("{e}")))?;
                    let v = value.to_u256().map_err(|m| bad(format!("set_param `{key}`: {m}")))?;
                    a.set_param(k, v)
                }
                ActionSpec::Recognize { schema, weight } => {
                    let id = B256::from_str(schema)
                        .map_err(|_| bad(format!("schema \"{schema}\" is not a 32-byte hex id")))?;
                    a.recognize(id, *weight)
                }
                ActionSpec::Grant { role, account } => {
                    a.grant(*role, addr(account, "grant.account")?)
                }
                ActionSpec::Revoke { role, account } => {
                    a.revoke(*role, addr(account, "revoke.account")?)
                }
                ActionSpec::Article { index: i, text, content_hash, uri, repeal } => {
                    let hash = match (text, content_hash) {
                        (Some(t), None) => Some(keccak256(t.as_bytes())),
                        (None, Some(h)) => Some(B256::from_str(h).map_err(|_| {
                            bad(format!("content_hash \"{h}\" is not 32-byte hex"))
                        })?),
                        _ => None,
                    };
                    match (repeal, hash, i) {
                        (true, None, Some(i)) => a.repeal_article(*i),
                        (false, Some(h), Some(i)) => a.article(*i, h, uri.clone()),
                        (false, Some(h), None) => a.append_article(h, uri.clone()),
                        _ => {
                            return Err(bad(
                                "article: give `text` or `content_hash` (with `index` to replace, without to append), or `index` and `repeal = true`".into(),
                            ));
                        }
                    }
                }
                ActionSpec::SetModule { module, address } => {
                    a.set_module(*module, addr(address, "set_module.address")?)
                }
            };
        }
        a.check_shape()?;
        Ok(a)
    }

    /// Checks that need no chain: count, keys, weights, role accounts.
    pub fn check_shape(&self) -> Result<(), AmendmentError> {
        if self.actions.is_empty() || self.actions.len() > MAX_ACTIONS {
            return Err(AmendmentError::Count(self.actions.len()));
        }
        for (index, a) in self.actions.iter().enumerate() {
            let bad = |message: String| Err(AmendmentError::Action { index, message });
            match a.kind {
                0 if ParamKey::from_word(&a.key).is_none() => {
                    return bad(format!("unknown parameter {}", a.key));
                }
                1 if a.value > U256::from(1_000_000) => {
                    return bad(format!("recognition weight {} exceeds 1000000", a.value));
                }
                2 if a.account.is_zero() => return bad("a role cannot be granted to 0x0".into()),
                4 if a.account.is_zero() => {
                    return bad("a module cannot be the zero address".into());
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Check every SetParam against the chain's hard bounds (`params` from
    /// [`crate::constitution::Constitution::params`]), so an out-of-bounds value is
    /// refused before gas is spent.
    pub fn check_bounds(&self, params: &[Param]) -> Result<(), AmendmentError> {
        for (index, a) in self.actions.iter().enumerate().filter(|(_, a)| a.kind == 0) {
            let key = keys::bytes32_to_text(&a.key).unwrap_or_else(|| a.key.to_string());
            let Some(p) = params.iter().find(|p| p.key == key) else {
                return Err(AmendmentError::Action {
                    index,
                    message: format!("`{key}` is not a parameter of this deployment"),
                });
            };
            if a.value < p.min || a.value > p.max {
                return Err(AmendmentError::OutOfBounds {
                    index,
                    shown: keys::display_value(&key, a.value),
                    min_shown: keys::display_bound(&key, p.min),
                    max_shown: keys::display_bound(&key, p.max),
                    key,
                    value: a.value,
                    min: p.min,
                    max: p.max,
                });
            }
        }
        Ok(())
    }

    /// The id this amendment gets when `proposer` proposes it.
    pub fn id(&self, proposer: Address) -> U256 {
        use alloy::sol_types::SolValue;
        let body = self.body();
        let actions_hash = keccak256(body.actions.abi_encode());
        let encoded =
            (proposer, actions_hash, body.strategyProposalId, body.descriptionHash).abi_encode();
        U256::from_be_bytes(keccak256(encoded).0)
    }
}

impl From<AmendmentError> for Error {
    fn from(e: AmendmentError) -> Self {
        CheckError::new("constitution", e).into()
    }
}

/// One action, for people.
pub fn render_action(a: &IConst::Action) -> String {
    let role = |k: &B256| Role::from_id(k).map_or_else(|| k.to_string(), |r| r.to_string());
    match a.kind {
        0 => {
            let key = keys::bytes32_to_text(&a.key).unwrap_or_else(|| a.key.to_string());
            let v = keys::display_value(&key, a.value);
            format!("set {key} = {v}")
        }
        1 => format!("recognize schema {} with weight {}", a.key, a.value),
        2 if a.value == U256::from(1) => format!("grant {} to {}", role(&a.key), a.account),
        2 => format!("revoke {} from {}", role(&a.key), a.account),
        3 if a.value == ARTICLE_APPEND => format!("append an article {} ({})", a.key, a.uri),
        3 if a.key.is_zero() => format!("repeal article {}", a.value + U256::from(1)),
        3 => format!("replace article {} with {} ({})", a.value + U256::from(1), a.key, a.uri),
        4 => {
            let slot = u8::try_from(a.value).ok().and_then(|v| Module::try_from(v).ok());
            match slot {
                Some(m) => format!("point {m} at {}", a.account),
                None => format!("point directory slot {} at {}", a.value, a.account),
            }
        }
        k => format!("unknown action kind {k}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_actions_render_every_slot_by_name() {
        for m in Module::ALL {
            let a = Amendment::new().set_module(m, Address::repeat_byte(1));
            assert!(render_action(&a.actions()[0]).starts_with(&format!("point {m} at")));
        }
    }

    #[test]
    fn builder_matches_the_issue_example() {
        let guardian = Address::repeat_byte(7);
        let a = Amendment::new()
            .set_param(ParamKey::TreasuryVetoWindow, U256::from(3 * 86_400))
            .grant(Role::Guardian, guardian)
            .description("Longer veto window, one more guardian");
        assert_eq!(a.actions().len(), 2);
        assert_eq!(a.actions()[1].account, guardian);
        a.check_shape().unwrap();
        assert_ne!(
            a.id(Address::repeat_byte(1)),
            a.id(Address::repeat_byte(2)),
            "ids include the proposer"
        );
    }

    #[test]
    fn toml_file_parses_and_errors_name_the_action() {
        let text = r#"
description = "Slower votes"
[[actions]]
set_param = { key = "legit.votingPeriod", value = "7 days" }
[[actions]]
grant = { role = "steward", account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }
[[actions]]
article = { text = "Article 3.", uri = "ipfs://x" }
"#;
        let a = Amendment::from_toml_str(text, "a.toml").unwrap();
        assert_eq!(a.actions()[0].value, U256::from(7 * 86_400));
        let bad = text.replace("legit.votingPeriod", "legit.votingPeriods");
        let err = Amendment::from_toml_str(&bad, "a.toml").unwrap_err();
        assert_eq!(err.to_string(), "amendment action 0: unknown parameter `legit.votingPeriods`");
        let bad = text.replace("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x7099");
        assert!(
            Amendment::from_toml_str(&bad, "a.toml").unwrap_err().to_string().contains("action 1")
        );
    }

    #[test]
    fn bounds_are_checked_against_the_chain() {
        let params = vec![Param {
            key: "legit.passBps".into(),
            value: U256::from(5000),
            min: U256::from(5000),
            max: U256::from(9000),
        }];
        let ok = Amendment::new().set_param(ParamKey::LegitPassBps, U256::from(6000u64));
        ok.check_bounds(&params).unwrap();
        let err = Amendment::new()
            .set_param(ParamKey::LegitPassBps, U256::from(9500u64))
            .check_bounds(&params)
            .unwrap_err();
        assert!(err.to_string().contains("outside its hard bounds [5000, 9000]"));
        assert!(matches!(err, AmendmentError::OutOfBounds { index: 0, .. }));
        // Typed, not flattened: the SDK error keeps the amendment error.
        let sdk: Error = err.into();
        assert!(matches!(sdk.check::<AmendmentError>(), Some(AmendmentError::OutOfBounds { .. })));
    }
}
