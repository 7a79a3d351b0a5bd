//! What the StrategyProposals returns, typed.

use std::{fmt, str::FromStr};

use alloy::primitives::{Address, B256, Bytes, U256};
use serde::{Serialize, Serializer};

use super::conviction::Crossing;

macro_rules! counter_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub U256);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = <U256 as FromStr>::Err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                U256::from_str(s).map(Self)
            }
        }

        impl From<u64> for $name {
            fn from(v: u64) -> Self {
                Self(U256::from(v))
            }
        }

        impl From<U256> for $name {
            fn from(v: U256) -> Self {
                Self(v)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0.to_string())
            }
        }
    };
}

counter_id!(
    /// A question id: a counter from 1 (decimal; a decimal string in JSON).
    QuestionId
);
counter_id!(
    /// A proposal id: a counter from 1 (decimal; a decimal string in JSON).
    ProposalId
);

macro_rules! state_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $v:ident = $i:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $v),+
        }

        impl TryFrom<u8> for $name {
            type Error = u8;
            /// The value with this index; the index back when there is none.
            fn try_from(v: u8) -> Result<Self, u8> {
                match v {
                    $($i => Ok(Self::$v),)+
                    other => Err(other),
                }
            }
        }

        impl $name {
            /// The contract's index.
            pub fn index(self) -> u8 {
                match self {
                    $(Self::$v => $i),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(match self {
                    $(Self::$v => stringify!($v)),+
                })
            }
        }
    };
}

state_enum!(
    /// A question's state, in the contract's `QuestionState` order.
    QuestionState {
        /// No such question.
        None = 0,
        /// Open: takes options.
        Open = 1,
        /// Withdrawn by its opener.
        Withdrawn = 2,
    }
);

state_enum!(
    /// A proposal's state, in the contract's `ProposalState` order.
    ProposalState {
        /// No such proposal.
        None = 0,
        /// Gathering conviction.
        Open = 1,
        /// Promoted: a standing recommendation to its target.
        Ready = 2,
        /// Taken up by the constitution or the treasury.
        Adopted = 3,
        /// Withdrawn by its proposer.
        Withdrawn = 4,
        /// Past `strategy.maxAge` and closed.
        Expired = 5,
    }
);

state_enum!(
    /// The module a recommendation is for (the contract's `Target`).
    Target {
        /// System 1, the WorkRegistry.
        Work = 0,
        /// System 2, the CoordinationLocks.
        Coordination = 1,
        /// System 3, the OptimizationTreasury.
        Optimization = 2,
        /// System 4, the StrategyProposals.
        Strategy = 3,
        /// System 5, the constitution (an amendment).
        Legitimacy = 4,
    }
);

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "work" => Self::Work,
            "coordination" => Self::Coordination,
            "optimization" => Self::Optimization,
            "strategy" => Self::Strategy,
            "legitimacy" | "constitution" => Self::Legitimacy,
            _ => {
                return Err(format!(
                    "unknown target \"{s}\": one of work, coordination, optimization, strategy, legitimacy"
                ));
            }
        })
    }
}

state_enum!(
    /// Who took a Ready recommendation up (the contract's `Adopter`).
    Adopter {
        /// The constitution, through an executed amendment.
        Legitimacy = 0,
        /// The treasury, through a budget line.
        Optimization = 1,
    }
);

/// A question as read from the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuestionInfo {
    /// Id.
    pub id: QuestionId,
    /// Who opened it and posted the bond.
    pub opener: Address,
    /// State.
    pub state: QuestionState,
    /// When it was opened.
    pub opened_at: u64,
    /// Its bond (held while Open).
    pub bond: U256,
}

/// A proposal's stored record (the `proposal` view), typed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProposalRecord {
    /// Id.
    pub id: ProposalId,
    /// Who proposed it and posted the bond.
    pub proposer: Address,
    /// The question it answers.
    pub question_id: QuestionId,
    /// The module the recommendation is for.
    pub target: Target,
    /// State.
    pub state: ProposalState,
    /// Who took it up, as {Adopter}s.
    pub adopted_by: Vec<Adopter>,
    /// When it was proposed.
    pub created_at: u64,
    /// Its bond.
    pub bond: U256,
    /// S: the stake assigned to it.
    pub support: U256,
    /// c as of `updated_at`.
    pub conviction: U256,
    /// When conviction was last brought up to date.
    pub updated_at: u64,
    /// The proposal's clock at `updated_at`, in 2^-19 half-lives.
    pub clock: u64,
    /// The half-life the clock last ran at (0 before any support).
    pub clock_half_life: u64,
    /// The carried fraction of a clock unit, in 1/`clock_half_life` units.
    pub clock_remainder: u64,
}

/// A proposal with what its creation event said and where it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProposalInfo {
    /// The stored record.
    pub record: ProposalRecord,
    /// Hash of the option's text (from `ProposalCreated`).
    pub content_hash: B256,
    /// Where the text can be read.
    pub uri: String,
    /// The suggested actions as logged (information only).
    pub suggested_actions: Bytes,
    /// Conviction now (the contract's `conviction` view).
    pub conviction_now: U256,
    /// The threshold now (the same for every proposal).
    pub threshold: U256,
    /// When it may expire (`createdAt + strategy.maxAge`).
    pub expires_at: u64,
    /// When conviction crosses the threshold if nothing changes (Open proposals).
    pub ready_at: Option<Crossing>,
}

/// A staker's stake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StakeInfo {
    /// All of the staker's stake in the module.
    pub staked: U256,
    /// How much of it is assigned to proposals.
    pub assigned: U256,
}

impl StakeInfo {
    /// Stake free to support or unstake.
    pub fn unassigned(&self) -> U256 {
        self.staked.saturating_sub(self.assigned)
    }
}
