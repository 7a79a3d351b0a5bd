// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {WorkHouse} from "./WorkHouse.sol";

/// @title ParamKeys
/// @notice The constitution's parameter keys and their structural limits.
/// @dev A key is the ASCII name left-aligned in a bytes32 (`bytes32("work.maxFields")`),
/// so it reads as text in events and explorers. Every key in `required()` must be
/// defined at genesis. `structuralBounds` is the entrenched layer beneath the
/// genesis hard bounds: a genesis may narrow it, never widen it. It exists so that
/// no deployment can make a module divide by zero (a zero period) or pass a vote
/// with a minority (`legit.passBps` below one half).
library ParamKeys {
    bytes32 internal constant WORK_MAX_FIELDS = "work.maxFields";
    bytes32 internal constant WORK_MAX_DATA_BYTES = "work.maxDataBytes";
    bytes32 internal constant WORK_MAX_ATTEST_WINDOW = "work.maxAttestWindow";

    bytes32 internal constant LOCKS_MAX_TTL = "locks.maxTtl";
    bytes32 internal constant LOCKS_MAX_HOLD = "locks.maxHold";
    bytes32 internal constant LOCKS_MAX_QUEUE = "locks.maxQueue";

    bytes32 internal constant TREASURY_EPOCH_LENGTH = "treasury.epochLength";
    bytes32 internal constant TREASURY_MAX_EPOCH_SPEND_BPS = "treasury.maxEpochSpendBps";
    bytes32 internal constant TREASURY_MAX_RECIPIENT_SHARE_BPS = "treasury.maxRecipientShareBps";
    bytes32 internal constant TREASURY_VETO_WINDOW = "treasury.vetoWindow";

    bytes32 internal constant STRATEGY_MIN_BOND = "strategy.minBond";
    bytes32 internal constant STRATEGY_HALF_LIFE = "strategy.halfLife";
    bytes32 internal constant STRATEGY_READY_BPS = "strategy.readyBps";
    bytes32 internal constant STRATEGY_MAX_AGE = "strategy.maxAge";
    bytes32 internal constant STRATEGY_STAKE_FLOOR = "strategy.stakeFloor";

    bytes32 internal constant LEGIT_VOTING_DELAY = "legit.votingDelay";
    bytes32 internal constant LEGIT_VOTING_PERIOD = "legit.votingPeriod";
    bytes32 internal constant LEGIT_TIMELOCK = "legit.timelock";
    bytes32 internal constant LEGIT_GRACE_PERIOD = "legit.gracePeriod";
    bytes32 internal constant LEGIT_TOKEN_QUORUM_BPS = "legit.tokenQuorumBps";
    bytes32 internal constant LEGIT_WORK_QUORUM_BPS = "legit.workQuorumBps";
    bytes32 internal constant LEGIT_PASS_BPS = "legit.passBps";
    bytes32 internal constant LEGIT_TOKEN_PROPOSAL_THRESHOLD = "legit.tokenProposalThreshold";
    bytes32 internal constant LEGIT_WORK_PROPOSAL_THRESHOLD = "legit.workProposalThreshold";

    uint256 internal constant BPS = 10_000;
    /// @dev Longest period any timing parameter may take: ten years. Keeps every
    /// timestamp sum far inside uint48.
    uint256 internal constant MAX_PERIOD = 3650 days;
    /// @dev Highest value or bound any parameter may have (both bounds share one slot).
    uint256 internal constant MAX_VALUE = type(uint128).max;

    /// @notice The keys every genesis must define, in the order the spec lists them.
    function required() internal pure returns (bytes32[] memory keys) {
        keys = new bytes32[](24);
        keys[0] = WORK_MAX_FIELDS;
        keys[1] = WORK_MAX_DATA_BYTES;
        keys[2] = WORK_MAX_ATTEST_WINDOW;
        keys[3] = LOCKS_MAX_TTL;
        keys[4] = LOCKS_MAX_HOLD;
        keys[5] = LOCKS_MAX_QUEUE;
        keys[6] = TREASURY_EPOCH_LENGTH;
        keys[7] = TREASURY_MAX_EPOCH_SPEND_BPS;
        keys[8] = TREASURY_MAX_RECIPIENT_SHARE_BPS;
        keys[9] = TREASURY_VETO_WINDOW;
        keys[10] = STRATEGY_MIN_BOND;
        keys[11] = STRATEGY_HALF_LIFE;
        keys[12] = STRATEGY_READY_BPS;
        keys[13] = STRATEGY_MAX_AGE;
        keys[14] = STRATEGY_STAKE_FLOOR;
        keys[15] = LEGIT_VOTING_DELAY;
        keys[16] = LEGIT_VOTING_PERIOD;
        keys[17] = LEGIT_TIMELOCK;
        keys[18] = LEGIT_GRACE_PERIOD;
        keys[19] = LEGIT_TOKEN_QUORUM_BPS;
        keys[20] = LEGIT_WORK_QUORUM_BPS;
        keys[21] = LEGIT_PASS_BPS;
        keys[22] = LEGIT_TOKEN_PROPOSAL_THRESHOLD;
        keys[23] = LEGIT_WORK_PROPOSAL_THRESHOLD;
    }

    /// @notice Whether `key` is one of the amendment parameters frozen into each
    /// amendment's context (timing, quorums, pass threshold).
    function isContextKey(bytes32 key) internal pure returns (bool) {
        return key == LEGIT_VOTING_DELAY || key == LEGIT_VOTING_PERIOD || key == LEGIT_TIMELOCK
            || key == LEGIT_GRACE_PERIOD || key == LEGIT_TOKEN_QUORUM_BPS || key == LEGIT_WORK_QUORUM_BPS
            || key == LEGIT_PASS_BPS;
    }

    /// @notice The widest bounds a genesis may give `key`.
    /// @dev Keys outside the required set (extension parameters) get `[0, MAX_VALUE]`.
    function structuralBounds(bytes32 key) internal pure returns (uint256 min, uint256 max) {
        if (key == WORK_MAX_FIELDS) return (1, 64);
        if (key == WORK_MAX_DATA_BYTES) return (32, 1 << 20);
        if (key == LOCKS_MAX_QUEUE) return (1, 1024);
        if (
            key == TREASURY_MAX_EPOCH_SPEND_BPS || key == TREASURY_MAX_RECIPIENT_SHARE_BPS
                || key == STRATEGY_READY_BPS
        ) return (1, BPS);
        if (key == LEGIT_TOKEN_QUORUM_BPS || key == LEGIT_WORK_QUORUM_BPS) return (0, BPS);
        if (key == LEGIT_PASS_BPS) return (BPS / 2, BPS - 1);
        if (
            key == WORK_MAX_ATTEST_WINDOW || key == LOCKS_MAX_TTL || key == LOCKS_MAX_HOLD
                || key == TREASURY_EPOCH_LENGTH || key == STRATEGY_HALF_LIFE || key == STRATEGY_MAX_AGE
                || key == LEGIT_VOTING_PERIOD || key == LEGIT_GRACE_PERIOD
        ) return (1, MAX_PERIOD);
        if (key == TREASURY_VETO_WINDOW || key == LEGIT_VOTING_DELAY || key == LEGIT_TIMELOCK) {
            return (0, MAX_PERIOD);
        }
        if (key == STRATEGY_MIN_BOND || key == STRATEGY_STAKE_FLOOR) return (0, MAX_VALUE);
        if (key == LEGIT_TOKEN_PROPOSAL_THRESHOLD) return (0, MAX_VALUE);
        // No contributor can ever hold more power than the Work House's total cap.
        if (key == LEGIT_WORK_PROPOSAL_THRESHOLD) return (0, WorkHouse.MAX_TOTAL_POWER);
        return (0, MAX_VALUE);
    }
}
