//! What the WorkRegistry returns, typed.

use std::{fmt, str::FromStr};

use alloy::primitives::{Address, B256, Bytes, U256};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A packet id: a uint256 on chain (a counter from 1). Displays in decimal and
/// serializes as a JSON number while it fits in 64 bits (always, in practice),
/// as a decimal string otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PacketId(pub U256);

impl fmt::Display for PacketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for PacketId {
    type Err = <U256 as FromStr>::Err;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        U256::from_str(s).map(Self)
    }
}

impl From<u64> for PacketId {
    fn from(v: u64) -> Self {
        Self(U256::from(v))
    }
}

impl From<U256> for PacketId {
    fn from(v: U256) -> Self {
        Self(v)
    }
}

impl Serialize for PacketId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match u64::try_from(self.0) {
            Ok(v) => s.serialize_u64(v),
            Err(_) => s.serialize_str(&self.0.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for PacketId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(v) => Ok(Self::from(v)),
            Raw::S(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// A packet's status, in the contract's `Status` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PacketStatus {
    /// No such packet.
    None,
    /// Awaiting attestations.
    Pending,
    /// Accepted: its contributor was credited.
    Accepted,
    /// Its attestation window closed without a quorum.
    Expired,
    /// Withdrawn by its contributor.
    Retracted,
}

impl TryFrom<u8> for PacketStatus {
    type Error = u8;
    /// The status with this index; the index back when there is none.
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0 => Self::None,
            1 => Self::Pending,
            2 => Self::Accepted,
            3 => Self::Expired,
            4 => Self::Retracted,
            other => return Err(other),
        })
    }
}

impl fmt::Display for PacketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::None => "None",
            Self::Pending => "Pending",
            Self::Accepted => "Accepted",
            Self::Expired => "Expired",
            Self::Retracted => "Retracted",
        })
    }
}

/// A packet as read from the chain, with its data from the submission event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PacketInfo {
    /// Id.
    pub id: PacketId,
    /// Contributor.
    pub contributor: Address,
    /// Schema.
    pub schema_id: B256,
    /// Status.
    pub status: PacketStatus,
    /// Submission time.
    pub submitted_at: u64,
    /// Attestation deadline (0 for immediate schemas).
    pub deadline: u64,
    /// Attestations so far (at most the schema's attesters, 32).
    pub attestations: u64,
    /// Content hash.
    pub content_hash: B256,
    /// The encoded field tuple.
    pub data: Bytes,
}

/// How many packets are in each status, over the newest `scanned` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PacketTally {
    /// Packets ever submitted to the registry (`packetCount`).
    pub total: u64,
    /// How many of the newest were read (all of them unless a limit cut it).
    pub scanned: u64,
    /// Awaiting attestations.
    pub pending: u64,
    /// Accepted.
    pub accepted: u64,
    /// Expired.
    pub expired: u64,
    /// Retracted.
    pub retracted: u64,
}

impl PacketTally {
    /// Count one packet of `status`.
    pub fn add(&mut self, status: PacketStatus) {
        self.scanned += 1;
        match status {
            PacketStatus::Pending => self.pending += 1,
            PacketStatus::Accepted => self.accepted += 1,
            PacketStatus::Expired => self.expired += 1,
            PacketStatus::Retracted => self.retracted += 1,
            PacketStatus::None => {}
        }
    }

    /// The count for `status` (`None` is never counted).
    pub fn count(&self, status: PacketStatus) -> u64 {
        match status {
            PacketStatus::Pending => self.pending,
            PacketStatus::Accepted => self.accepted,
            PacketStatus::Expired => self.expired,
            PacketStatus::Retracted => self.retracted,
            PacketStatus::None => 0,
        }
    }
}

/// An account's standing in the Work House.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contribution {
    /// Points credited by accepted work (and genesis seeds).
    pub points: U256,
    /// Voting power in the Work House (the integer square root of the points).
    pub power: U256,
    /// Everyone's power together.
    pub total_power: U256,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_contract_order_and_refuse_unknown_values() {
        assert_eq!(PacketStatus::try_from(2), Ok(PacketStatus::Accepted));
        assert_eq!(PacketStatus::try_from(5), Err(5));
        assert_eq!(serde_json::to_value(PacketStatus::Pending).unwrap(), "Pending");
    }

    #[test]
    fn packet_ids_keep_all_256_bits_and_serialize_as_numbers_when_small() {
        assert_eq!(serde_json::to_value(PacketId::from(7)).unwrap(), serde_json::json!(7));
        let big = PacketId(U256::MAX);
        let json = serde_json::to_value(big).unwrap();
        assert_eq!(json, serde_json::json!(U256::MAX.to_string()));
        assert_eq!(serde_json::from_value::<PacketId>(json).unwrap(), big);
        assert_eq!(serde_json::from_value::<PacketId>(serde_json::json!(7)).unwrap(), 7.into());
    }
}
