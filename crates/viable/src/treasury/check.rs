//! Client-side checks: the contract's own rules, in its order, with its error names
//! and facts, so a refusal costs no gas. Checks of the caller (STEWARD role, the
//! line's steward, the recipient) are left to the simulation every send runs first,
//! which reports the same named error.

// Treasury errors carry the facts the contract's errors carry, for callers to match
// on; cold path.
#![allow(clippy::result_large_err)]

use alloy::primitives::{Address, B256, U256};

use super::types::{AllocationId, AllocationState, AssetEpoch, CapUse, LineId};
use crate::{
    error::{CheckError, Error},
    work::{PacketId, PacketStatus},
};

/// Why the treasury would refuse a call, named as the contract names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreasuryError {
    /// An amount of zero.
    #[error("OptimizationTreasuryZeroAmount: the amount must not be zero")]
    ZeroAmount,
    /// More than one allocation may carry.
    #[error("OptimizationTreasuryAmountTooLarge: amount {amount} exceeds {max}")]
    AmountTooLarge {
        /// Asked.
        amount: U256,
        /// `MAX_AMOUNT`.
        max: U256,
    },
    /// A share outside `[1, 10_000]`.
    #[error("OptimizationTreasuryInvalidShare: share {share_bps} bps is outside [1, 10000]")]
    InvalidShare {
        /// Asked.
        share_bps: u64,
    },
    /// The asset's active lines would exceed 10,000 bps.
    #[error(
        "OptimizationTreasuryShareSumExceeded: the active lines of {asset} would hold {sum_bps} bps, more than 10000"
    )]
    ShareSumExceeded {
        /// The asset.
        asset: Address,
        /// Their sum with this share.
        sum_bps: u64,
    },
    /// A cliff above 10,000 bps.
    #[error("OptimizationTreasuryInvalidCliff: cliff {cliff_bps} bps exceeds 10000")]
    InvalidCliff {
        /// Asked.
        cliff_bps: u64,
    },
    /// A bounty on a line without a schema filter.
    #[error("OptimizationTreasuryBountyWithoutSchema: a bounty of {bounty} needs a schema filter")]
    BountyWithoutSchema {
        /// Asked.
        bounty: U256,
    },
    /// A steward of zero.
    #[error("OptimizationTreasuryInvalidSteward: {steward} cannot run a line")]
    InvalidSteward {
        /// Asked.
        steward: Address,
    },
    /// No line has this id.
    #[error("OptimizationTreasuryUnknownLine: no line {line}")]
    UnknownLine {
        /// The id.
        line: LineId,
    },
    /// The line is closed.
    #[error("OptimizationTreasuryLineClosed: line {line} is closed")]
    LineClosed {
        /// The id.
        line: LineId,
    },
    /// The line has no bounty.
    #[error("OptimizationTreasuryNoBounty: line {line} has no bounty")]
    NoBounty {
        /// The id.
        line: LineId,
    },
    /// A stream longer than `MAX_STREAM_DURATION`.
    #[error("OptimizationTreasuryStreamTooLong: a stream of {duration} s, at most {max} s")]
    StreamTooLong {
        /// Asked, seconds.
        duration: u64,
        /// The longest, seconds.
        max: u64,
    },
    /// The packet id does not fit 64 bits.
    #[error("OptimizationTreasuryPacketIdTooLarge: packet {packet} does not fit an allocation id")]
    PacketIdTooLarge {
        /// The packet.
        packet: PacketId,
    },
    /// The packet is not Accepted.
    #[error(
        "OptimizationTreasuryPacketNotAccepted: packet {packet} is {status}; funding needs it Accepted"
    )]
    PacketNotAccepted {
        /// The packet.
        packet: PacketId,
        /// Its status.
        status: PacketStatus,
    },
    /// The packet's schema is not the line's.
    #[error(
        "OptimizationTreasurySchemaMismatch: packet {packet} is of schema {schema}; line {line} funds only {required}"
    )]
    SchemaMismatch {
        /// The line.
        line: LineId,
        /// The packet.
        packet: PacketId,
        /// Its schema.
        schema: B256,
        /// The line's.
        required: B256,
    },
    /// The packet's schema is not recognized by the constitution.
    #[error(
        "OptimizationTreasurySchemaNotRecognized: packet {packet}'s schema {schema} is not recognized by the constitution"
    )]
    SchemaNotRecognized {
        /// The packet.
        packet: PacketId,
        /// Its schema.
        schema: B256,
    },
    /// The line already allocated for this packet.
    #[error(
        "OptimizationTreasuryAlreadyAllocated: line {line} already made allocation {allocation} ({state}) for packet {packet}"
    )]
    AlreadyAllocated {
        /// The line.
        line: LineId,
        /// The packet.
        packet: PacketId,
        /// The allocation.
        allocation: AllocationId,
        /// Its state.
        state: AllocationState,
    },
    /// More than the line's remainder this epoch.
    #[error(
        "OptimizationTreasuryLineRemainderExceeded: {amount} exceeds line {line}'s remainder {remainder} this epoch"
    )]
    LineRemainderExceeded {
        /// The line.
        line: LineId,
        /// Asked.
        amount: U256,
        /// What is left.
        remainder: U256,
    },
    /// More than the asset's epoch remainder.
    #[error(
        "OptimizationTreasuryEpochBudgetExceeded: {amount} exceeds the epoch remainder {remainder} of {asset}"
    )]
    EpochBudgetExceeded {
        /// The asset.
        asset: Address,
        /// Asked.
        amount: U256,
        /// What is left.
        remainder: U256,
    },
    /// More than the recipient's remainder of its epoch cap.
    #[error(
        "OptimizationTreasuryRecipientCapExceeded: {amount} exceeds {recipient}'s remainder {remainder} of its epoch cap in {asset}"
    )]
    RecipientCapExceeded {
        /// The recipient.
        recipient: Address,
        /// The asset.
        asset: Address,
        /// Asked.
        amount: U256,
        /// What is left.
        remainder: U256,
    },
    /// The allocation is in the wrong state for the call.
    #[error(
        "OptimizationTreasuryWrongState: allocation {allocation} is {current}; the call needs {required}"
    )]
    WrongState {
        /// The allocation.
        allocation: AllocationId,
        /// Its state.
        current: AllocationState,
        /// The state the call needs.
        required: AllocationState,
    },
    /// The veto window is still open.
    #[error(
        "OptimizationTreasuryVetoWindowOpen: allocation {allocation} may execute from {deadline}; it is {now}"
    )]
    VetoWindowOpen {
        /// The allocation.
        allocation: AllocationId,
        /// When it may execute (Unix seconds).
        deadline: u64,
        /// The chain's time.
        now: u64,
    },
    /// The veto window has closed.
    #[error(
        "OptimizationTreasuryVetoWindowClosed: allocation {allocation}'s window closed at {deadline}; it is {now}"
    )]
    VetoWindowClosed {
        /// The allocation.
        allocation: AllocationId,
        /// When the window closed (Unix seconds).
        deadline: u64,
        /// The chain's time.
        now: u64,
    },
    /// Nothing vested beyond what was claimed.
    #[error(
        "OptimizationTreasuryNothingToClaim: allocation {allocation} has {vested} vested and {claimed} claimed"
    )]
    NothingToClaim {
        /// The allocation.
        allocation: AllocationId,
        /// Vested.
        vested: U256,
        /// Claimed.
        claimed: U256,
    },
    /// A negative amount (never sent).
    #[error("negative amount {text:?}: amounts are at least zero")]
    NegativeAmount {
        /// What was given.
        text: String,
    },
    /// An amount that does not read.
    #[error("invalid amount {text:?}: {why}")]
    InvalidAmount {
        /// What was given.
        text: String,
        /// Why.
        why: String,
    },
    /// A unit that is not the asset's.
    #[error("unit {unit:?} is not this asset's: use {symbol}, wei, or no unit")]
    UnitMismatch {
        /// What was given.
        unit: String,
        /// The asset's symbol.
        symbol: String,
    },
}

impl From<TreasuryError> for Error {
    fn from(e: TreasuryError) -> Self {
        CheckError::new("treasury", e).into()
    }
}

/// A line's terms as `createLine` and `updateLine` check them.
pub(crate) struct Terms {
    pub(crate) steward: Address,
    /// Whether `steward` holds the STEWARD role.
    pub(crate) steward_ok: bool,
    pub(crate) share_bps: u64,
    pub(crate) has_schema: bool,
    pub(crate) bounty: U256,
    pub(crate) cliff_bps: u64,
}

/// `createLine`'s and `updateLine`'s checks of `t`, in the contract's order.
/// `other_shares` is the sum of the asset's other active lines.
pub(crate) fn check_line(
    asset: Address,
    t: &Terms,
    other_shares: u64,
    max_amount: U256,
) -> Result<(), TreasuryError> {
    if t.steward.is_zero() || !t.steward_ok {
        return Err(TreasuryError::InvalidSteward { steward: t.steward });
    }
    if t.share_bps == 0 || t.share_bps > 10_000 {
        return Err(TreasuryError::InvalidShare { share_bps: t.share_bps });
    }
    if t.cliff_bps > 10_000 {
        return Err(TreasuryError::InvalidCliff { cliff_bps: t.cliff_bps });
    }
    if t.bounty > max_amount {
        return Err(TreasuryError::AmountTooLarge { amount: t.bounty, max: max_amount });
    }
    if !t.bounty.is_zero() && !t.has_schema {
        return Err(TreasuryError::BountyWithoutSchema { bounty: t.bounty });
    }
    let sum = other_shares + t.share_bps;
    if sum > 10_000 {
        return Err(TreasuryError::ShareSumExceeded { asset, sum_bps: sum });
    }
    Ok(())
}

/// The three caps `allocate` and `claimBounty` check, in the contract's order: the
/// line's remainder, the asset's epoch remainder, the recipient's remainder.
pub(crate) fn check_caps(
    line: LineId,
    asset: Address,
    recipient: Address,
    amount: U256,
    line_use: &CapUse,
    books: &AssetEpoch,
    recipient_use: &CapUse,
) -> Result<(), TreasuryError> {
    if amount > line_use.remainder {
        return Err(TreasuryError::LineRemainderExceeded {
            line,
            amount,
            remainder: line_use.remainder,
        });
    }
    if amount > books.remainder {
        return Err(TreasuryError::EpochBudgetExceeded {
            asset,
            amount,
            remainder: books.remainder,
        });
    }
    if amount > recipient_use.remainder {
        return Err(TreasuryError::RecipientCapExceeded {
            recipient,
            asset,
            amount,
            remainder: recipient_use.remainder,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(remainder: u64) -> CapUse {
        CapUse {
            epoch: 1,
            cap: U256::from(100),
            used: U256::ZERO,
            remainder: U256::from(remainder),
        }
    }

    fn books(remainder: u64) -> AssetEpoch {
        AssetEpoch {
            epoch: 1,
            budget: U256::from(100),
            spent: U256::ZERO,
            remainder: U256::from(remainder),
            free: U256::ZERO,
            share_bps: 10_000,
        }
    }

    #[test]
    fn caps_are_checked_in_the_contracts_order() {
        let (l, a, r) = (LineId::from(1), Address::ZERO, Address::repeat_byte(2));
        let check = |amount: u64, line: u64, asset: u64, rec: u64| {
            check_caps(l, a, r, U256::from(amount), &cap(line), &books(asset), &cap(rec))
        };
        assert_eq!(check(10, 10, 10, 10), Ok(()));
        assert!(matches!(check(11, 10, 5, 5), Err(TreasuryError::LineRemainderExceeded { .. })));
        assert!(matches!(check(11, 20, 10, 5), Err(TreasuryError::EpochBudgetExceeded { .. })));
        let e = check(11, 20, 20, 10).unwrap_err();
        assert!(e.to_string().starts_with("OptimizationTreasuryRecipientCapExceeded"), "{e}");
    }

    #[test]
    fn lines_are_checked_like_the_contract() {
        let s = Address::repeat_byte(1);
        let max = U256::from(1000);
        let line = |share_bps, others, has_schema, bounty: u64, cliff_bps| {
            let t = Terms {
                steward: s,
                steward_ok: true,
                share_bps,
                has_schema,
                bounty: U256::from(bounty),
                cliff_bps,
            };
            check_line(Address::ZERO, &t, others, max)
        };
        assert_eq!(line(5000, 5000, false, 0, 0), Ok(()));
        assert!(matches!(line(0, 0, false, 0, 0), Err(TreasuryError::InvalidShare { .. })));
        assert!(matches!(
            line(5001, 5000, false, 0, 0),
            Err(TreasuryError::ShareSumExceeded { sum_bps: 10_001, .. })
        ));
        assert!(matches!(line(1, 0, false, 0, 10_001), Err(TreasuryError::InvalidCliff { .. })));
        assert!(matches!(line(1, 0, false, 5, 0), Err(TreasuryError::BountyWithoutSchema { .. })));
        assert!(matches!(line(1, 0, false, 1001, 0), Err(TreasuryError::AmountTooLarge { .. })));
    }
}
