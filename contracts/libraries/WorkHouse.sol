// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title WorkHouse
/// @notice The numeric limits of the Work House, shared by the WorkRegistry (which
/// enforces them when it credits points), the constitution (whose Work tally holds the
/// sums) and {ParamKeys} (whose bound on `legit.workProposalThreshold` follows them).
/// @dev One chain of reasoning, end to end: the constitution tallies Work votes in 48
/// bits; a tally is at most the total power at the snapshot; the registry refuses any
/// credit that would lift the total above `MAX_TOTAL_POWER`; so no tally can overflow,
/// and no proposal threshold above `MAX_TOTAL_POWER` could ever be met.
library WorkHouse {
    /// @notice The most power the Work House can ever hold in total (so also the most
    /// any one contributor can hold): the width of the constitution's Work tally.
    uint256 internal constant MAX_TOTAL_POWER = type(uint48).max;

    /// @notice The most points one founding seed may carry: its power,
    /// `isqrt(2^96 - 1) = 2^48 - 1`, is exactly `MAX_TOTAL_POWER`.
    uint256 internal constant MAX_SEED_POINTS = (1 << 96) - 1;

    /// @notice The most registries one Work House may span. A successor registry reads
    /// the contributions its predecessors recorded, so a read walks at most this many
    /// registries; the constitution's gas cap on a Work House read covers that walk.
    uint256 internal constant MAX_GENERATIONS = 8;
}
