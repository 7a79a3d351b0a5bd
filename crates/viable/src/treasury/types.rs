//! What the OptimizationTreasury returns, typed.

use std::{fmt, str::FromStr};

use alloy::primitives::{Address, B256, U256};
use serde::{Serialize, Serializer};

use crate::work::PacketId;

/// A budget line id: a counter from 1. Displays in decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct LineId(pub U256);

impl fmt::Display for LineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for LineId {
    type Err = <U256 as FromStr>::Err;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        U256::from_str(s).map(Self)
    }
}

impl From<u64> for LineId {
    fn from(v: u64) -> Self {
        Self(U256::from(v))
    }
}

impl Serialize for LineId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// An allocation id: the contract packs asset, line and packet into one word
/// (`uint160(asset) << 96 | lineId << 64 | packetId`). Too large for a counter, so it
/// displays as `0x` and 64 hex digits; it parses from hex or decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct AllocationId(pub U256);

impl AllocationId {
    /// The id line `line` (of `asset`) gives its allocation for `packet`, as the
    /// contract's `allocationIdOf` computes it.
    pub fn of(asset: Address, line: LineId, packet: PacketId) -> Self {
        let asset = U256::from_be_slice(asset.as_slice());
        let line = line.0 & U256::from(u32::MAX);
        let packet = packet.0 & U256::from(u64::MAX);
        Self((asset << 96) | (line << 64) | packet)
    }

    /// The asset it pays.
    pub fn asset(self) -> Address {
        Address::from_word(B256::from(self.0 >> 96))
    }

    /// The line it was made from.
    pub fn line(self) -> LineId {
        LineId((self.0 >> 64) & U256::from(u32::MAX))
    }

    /// The packet it funds.
    pub fn packet(self) -> PacketId {
        PacketId(self.0 & U256::from(u64::MAX))
    }
}

impl fmt::Display for AllocationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", B256::from(self.0))
    }
}

impl FromStr for AllocationId {
    type Err = <U256 as FromStr>::Err;
    /// `0x…` hex or decimal.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        U256::from_str(s).map(Self)
    }
}

impl From<U256> for AllocationId {
    fn from(v: U256) -> Self {
        Self(v)
    }
}

impl Serialize for AllocationId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

macro_rules! chain_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $i:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[non_exhaustive]
        pub enum $name { $($(#[$vm])* $v),* }

        impl TryFrom<u8> for $name {
            type Error = u8;
            /// The value with this index; the index back when there is none.
            fn try_from(v: u8) -> Result<Self, u8> {
                match v { $($i => Ok(Self::$v),)* other => Err(other) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(match self { $(Self::$v => stringify!($v)),* })
            }
        }
    };
}

chain_enum!(
    /// A budget line's lifecycle, in the contract's `LineStatus` order.
    LineStatus {
        /// No line has that id.
        None = 0,
        /// Open: its steward allocates from it.
        Active = 1,
        /// Closed: its share returned to the asset.
        Closed = 2,
    }
);

chain_enum!(
    /// An allocation's lifecycle, in the contract's `AllocationState` order.
    AllocationState {
        /// No allocation has that id.
        None = 0,
        /// In its veto window (or past it, not executed yet).
        Pending = 1,
        /// Cancelled by its line's steward.
        Cancelled = 2,
        /// Vetoed by a guardian through the constitution.
        Vetoed = 3,
        /// Transferred in full.
        Paid = 4,
        /// A stream, or a refused push: the recipient claims it.
        Claimable = 5,
    }
);

/// An asset's name for people: `address(0)` is ETH (`ether`, 18 decimals); a token
/// has its own symbol and decimals, read from the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AssetInfo {
    /// `address(0)` for ETH.
    pub address: Address,
    /// `ether`, or the token's `symbol()`.
    pub symbol: String,
    /// 18 for ETH, or the token's `decimals()`.
    pub decimals: u8,
}

impl AssetInfo {
    /// ETH: `address(0)`, `ether`, 18 decimals.
    pub fn eth() -> Self {
        Self { address: Address::ZERO, symbol: "ether".into(), decimals: 18 }
    }

    /// A token with this symbol and these decimals.
    pub fn token(address: Address, symbol: impl Into<String>, decimals: u8) -> Self {
        Self { address, symbol: symbol.into(), decimals }
    }

    /// Whether this is ETH.
    pub fn is_eth(&self) -> bool {
        self.address.is_zero()
    }
}

/// A budget line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Line {
    /// Id.
    pub id: LineId,
    /// The asset it spends (`address(0)`: ETH).
    pub asset: Address,
    /// Who allocates from it.
    pub steward: Address,
    /// Share of the asset's epoch budget, in bps.
    pub share_bps: u64,
    /// Active or Closed.
    pub status: LineStatus,
    /// Schema filter (zero: any recognized schema).
    pub schema_id: B256,
    /// Fixed bounty per packet (zero: none).
    pub bounty: U256,
    /// Share of a stream before it vests anything, in bps.
    pub cliff_bps: u64,
    /// The Strategy proposal it adopts (zero: none).
    pub strategy_proposal_id: U256,
}

/// An allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Allocation {
    /// Id.
    pub id: AllocationId,
    /// The asset paid.
    pub asset: Address,
    /// The line it was made from.
    pub line_id: LineId,
    /// The packet it funds.
    pub packet_id: PacketId,
    /// The packet's contributor.
    pub recipient: Address,
    /// Amount, in the asset's smallest unit.
    pub amount: U256,
    /// State.
    pub state: AllocationState,
    /// The epoch whose budget it counts in.
    pub epoch: u64,
    /// End of the veto window (Unix seconds).
    pub deadline: u64,
    /// Zero for a transfer, else the stream's length in seconds.
    pub stream_duration: u64,
    /// Seconds after the deadline before a stream vests anything.
    pub cliff: u64,
    /// Earned so far (Claimable), or `amount` (Paid).
    pub vested: U256,
    /// Claimed so far.
    pub claimed: U256,
}

impl Allocation {
    /// What the recipient could claim now (vested − claimed), as of the view's block.
    pub fn claimable(&self) -> U256 {
        if self.state == AllocationState::Claimable {
            self.vested.saturating_sub(self.claimed)
        } else {
            U256::ZERO
        }
    }
}

/// The current epoch: index (from 1), start and end (exclusive), Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Epoch {
    /// Index, from 1.
    pub index: u64,
    /// Start.
    pub start: u64,
    /// End (exclusive).
    pub end: u64,
}

/// An asset's books in the current epoch (if its budget is not fixed yet: what it
/// would be if fixed now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AssetEpoch {
    /// The current epoch.
    pub epoch: u64,
    /// The epoch's budget for the asset.
    pub budget: U256,
    /// Allocated from it (net of cancels and vetoes).
    pub spent: U256,
    /// `budget - spent`.
    pub remainder: U256,
    /// Not committed and not in this epoch's budget.
    pub free: U256,
    /// Sum of the shares of the asset's active lines.
    pub share_bps: u64,
}

/// A line's or a recipient's use of its cap in the current epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CapUse {
    /// The current epoch.
    pub epoch: u64,
    /// The cap.
    pub cap: U256,
    /// Used against it (net of cancels and vetoes).
    pub used: U256,
    /// `cap - used` (zero if the cap fell below the use).
    pub remainder: U256,
}

/// An asset's books this epoch, with what the treasury holds of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AssetBooks {
    /// The asset, its symbol and decimals.
    pub asset: AssetInfo,
    /// Budget, spent, remainder, free and the active lines' share sum.
    pub books: AssetEpoch,
    /// What the treasury holds of it.
    pub balance: U256,
}

/// A line with its cap, use and remainder this epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LineBooks {
    /// The line.
    pub line: Line,
    /// Its cap, use and remainder this epoch.
    pub this_epoch: CapUse,
}

/// The treasury's books this epoch: every asset in use, and the newest lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Books {
    /// The current epoch.
    pub epoch: Epoch,
    /// Lines ever created (the newest line's id).
    pub line_count: u64,
    /// ETH, then each other asset of the lines read, in the order first seen.
    pub assets: Vec<AssetBooks>,
    /// The newest lines read, oldest first (active and closed).
    pub lines: Vec<LineBooks>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_contract_order_and_refuse_unknown_values() {
        assert_eq!(AllocationState::try_from(3), Ok(AllocationState::Vetoed));
        assert_eq!(AllocationState::try_from(6), Err(6));
        assert_eq!(LineStatus::try_from(2), Ok(LineStatus::Closed));
        assert_eq!(LineStatus::try_from(3), Err(3));
        assert_eq!(AllocationState::Claimable.to_string(), "Claimable");
    }

    #[test]
    fn allocation_ids_pack_asset_line_and_packet() {
        let asset = Address::repeat_byte(0xab);
        let id = AllocationId::of(asset, 7.into(), 9.into());
        assert_eq!((id.asset(), id.line(), id.packet()), (asset, 7.into(), 9.into()));
        assert_eq!(id.to_string().len(), 66);
        assert_eq!(id.to_string().parse::<AllocationId>().unwrap(), id);
        let eth = AllocationId::of(Address::ZERO, 1.into(), 2.into());
        assert_eq!(eth.0, (U256::from(1) << 64) | U256::from(2));
    }
}
