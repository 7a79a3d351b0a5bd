//! What the constitution holds and returns, typed.

use std::{fmt, str::FromStr};

use alloy::primitives::{Address, B256, U256, keccak256};
use serde::{Deserialize, Serialize};

use crate::{bindings::ILegitimacyConstitution as IConst, deployment::Modules};

/// An amendment id: the hash of its proposer and body (`hashAmendment`), a uint256
/// on chain. Displays and serializes as `0x` and 64 hex digits (as every hash id is
/// shown); parses from that, shorter hex or decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct AmendmentId(pub U256);

impl fmt::Display for AmendmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#066x}", self.0)
    }
}

impl Serialize for AmendmentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AmendmentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for AmendmentId {
    type Err = <U256 as FromStr>::Err;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        U256::from_str(s).map(Self)
    }
}

impl From<U256> for AmendmentId {
    fn from(v: U256) -> Self {
        Self(v)
    }
}

impl From<AmendmentId> for U256 {
    fn from(v: AmendmentId) -> Self {
        v.0
    }
}

/// Lifecycle state of an amendment, in the contract's `AmendmentState` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AmendmentState {
    /// Proposed; voting has not opened.
    Pending,
    /// Voting is open.
    Active,
    /// Voting closed without both houses' quorum and majority.
    Defeated,
    /// Both houses ratified it; anyone may queue it.
    Succeeded,
    /// In the timelock.
    Queued,
    /// Applied.
    Executed,
    /// Not queued or not executed within the grace period.
    Expired,
    /// Withdrawn by its proposer before voting opened.
    Cancelled,
}

impl AmendmentState {
    /// Whether nothing can happen to the amendment any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Defeated | Self::Executed | Self::Expired | Self::Cancelled)
    }
}

impl TryFrom<u8> for AmendmentState {
    type Error = u8;
    /// The state with this index; the index back when there is none.
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0 => Self::Pending,
            1 => Self::Active,
            2 => Self::Defeated,
            3 => Self::Succeeded,
            4 => Self::Queued,
            5 => Self::Executed,
            6 => Self::Expired,
            7 => Self::Cancelled,
            other => return Err(other),
        })
    }
}

impl fmt::Display for AmendmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Pending => "Pending",
            Self::Active => "Active",
            Self::Defeated => "Defeated",
            Self::Succeeded => "Succeeded",
            Self::Queued => "Queued",
            Self::Executed => "Executed",
            Self::Expired => "Expired",
            Self::Cancelled => "Cancelled",
        })
    }
}

/// A constitutional role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May run treasury budget lines.
    Steward,
    /// May veto a pending treasury allocation.
    Guardian,
}

impl Role {
    /// The role's bytes32 id (`keccak256("viable.role.STEWARD")`, …).
    pub fn id(self) -> B256 {
        match self {
            Self::Steward => keccak256("viable.role.STEWARD"),
            Self::Guardian => keccak256("viable.role.GUARDIAN"),
        }
    }

    /// The role with this id.
    pub fn from_id(id: &B256) -> Option<Self> {
        [Self::Steward, Self::Guardian].into_iter().find(|r| r.id() == *id)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Steward => "STEWARD",
            Self::Guardian => "GUARDIAN",
        })
    }
}

/// How to vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    /// Against.
    Against = 0,
    /// For.
    For = 1,
    /// Abstain: counts toward quorum only.
    Abstain = 2,
}

impl FromStr for Support {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "for" | "yes" | "1" => Ok(Self::For),
            "against" | "no" | "0" => Ok(Self::Against),
            "abstain" | "2" => Ok(Self::Abstain),
            _ => Err(format!("`{s}`: vote for, against or abstain")),
        }
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::For => "for",
            Self::Against => "against",
            Self::Abstain => "abstain",
        })
    }
}

/// One parameter as read from the chain (or resolved from a genesis).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// Name (`work.maxFields`), or the hex key if it is not text.
    pub key: String,
    /// Current value.
    pub value: U256,
    /// Hard lower bound.
    pub min: U256,
    /// Hard upper bound.
    pub max: U256,
}

/// One article as read from the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Article {
    /// Position (stable; repealed articles keep their number).
    pub index: u64,
    /// Hash of the text; zero when repealed.
    pub content_hash: B256,
    /// Where the text lives.
    pub uri: String,
}

/// Everything the constitution holds, read in one go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConstitutionState {
    /// The constitution's address.
    pub address: Address,
    /// The Token House token.
    pub token: Address,
    /// Whether bootstrap has happened.
    pub bootstrapped: bool,
    /// The module directory.
    pub modules: Modules,
    /// Every parameter in genesis order.
    pub params: Vec<Param>,
    /// STEWARD holders.
    pub stewards: Vec<Address>,
    /// GUARDIAN holders.
    pub guardians: Vec<Address>,
    /// Recognized schemas and weights.
    pub recognitions: Vec<(B256, U256)>,
    /// The articles.
    pub articles: Vec<Article>,
}

/// An amendment as proposed (from its `AmendmentProposed` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProposedAmendment {
    /// The id.
    pub id: AmendmentId,
    /// Who proposed it.
    pub proposer: Address,
    /// The actions, rendered for people.
    pub actions: Vec<String>,
    /// The Strategy proposal it adopts (0 = none).
    pub strategy_proposal_id: U256,
    /// The rationale.
    pub description: String,
    /// Block it was proposed in.
    pub block: Option<u64>,
    /// What the id commits to (needed to execute or cancel).
    #[serde(skip)]
    pub body: IConst::AmendmentBody,
}

/// Everything about one amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AmendmentStatus {
    /// As proposed.
    #[serde(flatten)]
    pub proposal: ProposedAmendment,
    /// Lifecycle state.
    pub state: AmendmentState,
    /// Voting opens.
    pub vote_start: u64,
    /// Voting closes.
    pub vote_end: u64,
    /// Executable from (0 until queued).
    pub eta: u64,
    /// Token House For / Against / Abstain.
    pub token: [U256; 3],
    /// Work House For / Against / Abstain.
    pub work: [U256; 3],
    /// Quorum (For + Abstain) each house needs: token, work.
    pub quorums: [U256; 2],
    /// What happens next and when, e.g. `voting closes 2023-11-14 22:18:20 UTC`.
    pub next: String,
    /// When the next step is due (the time in `next`); `None` once final.
    pub next_at: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_contract_order_and_refuse_unknown_values() {
        assert_eq!(AmendmentState::try_from(4), Ok(AmendmentState::Queued));
        assert_eq!(AmendmentState::try_from(7), Ok(AmendmentState::Cancelled));
        assert_eq!(AmendmentState::try_from(8), Err(8));
        assert_eq!(serde_json::to_value(AmendmentState::Active).unwrap(), "Active");
    }

    #[test]
    fn amendment_ids_keep_all_256_bits() {
        let id: AmendmentId = format!("{}", U256::MAX).parse().unwrap();
        assert_eq!(id.0, U256::MAX);
        assert_eq!("0x10".parse::<AmendmentId>().unwrap(), AmendmentId(U256::from(16)));
        assert_eq!(id.to_string(), format!("0x{}", "f".repeat(64)));
        let small = AmendmentId(U256::from(0x837a));
        assert_eq!(small.to_string(), format!("0x{:0>64}", "837a"), "always 64 digits");
        assert_eq!(small.to_string().parse::<AmendmentId>().unwrap(), small);
        let json = serde_json::to_value(small).unwrap();
        assert_eq!(json, serde_json::json!(small.to_string()));
        assert_eq!(serde_json::from_value::<AmendmentId>(json).unwrap(), small);
    }
}
