// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../../contracts/libraries/ParamKeys.sol";

/// @notice The dev genesis used by the forge suite. It mirrors the SDK's `dev`
/// preset (crates/viable/genesis/dev.toml); `GenesisParity.t.sol` reads that file
/// and fails if the two ever disagree.
library Genesis {
    function dev() internal pure returns (ILegitimacyConstitution.ParamInit[] memory p) {
        p = new ILegitimacyConstitution.ParamInit[](24);
        p[0] = _p(ParamKeys.WORK_MAX_FIELDS, 16, 1, 64);
        p[1] = _p(ParamKeys.WORK_MAX_DATA_BYTES, 4096, 256, 65_536);
        p[2] = _p(ParamKeys.WORK_MAX_ATTEST_WINDOW, 600, 60, 90 days);
        p[3] = _p(ParamKeys.LOCKS_MAX_TTL, 300, 10, 30 days);
        p[4] = _p(ParamKeys.LOCKS_MAX_HOLD, 1200, 10, 90 days);
        p[5] = _p(ParamKeys.LOCKS_MAX_QUEUE, 64, 1, 256);
        p[6] = _p(ParamKeys.TREASURY_EPOCH_LENGTH, 300, 60, 90 days);
        p[7] = _p(ParamKeys.TREASURY_MAX_EPOCH_SPEND_BPS, 1000, 1, 5000);
        p[8] = _p(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS, 2500, 100, 10_000);
        p[9] = _p(ParamKeys.TREASURY_VETO_WINDOW, 120, 30, 30 days);
        p[10] = _p(ParamKeys.STRATEGY_MIN_BOND, 10 ether, 0, 1_000_000 ether);
        p[11] = _p(ParamKeys.STRATEGY_HALF_LIFE, 180, 30, 30 days);
        p[12] = _p(ParamKeys.STRATEGY_READY_BPS, 2000, 100, 10_000);
        p[13] = _p(ParamKeys.STRATEGY_MAX_AGE, 3600, 600, 365 days);
        p[14] = _p(ParamKeys.STRATEGY_STAKE_FLOOR, 1000 ether, 0, 100_000_000 ether);
        p[15] = _p(ParamKeys.LEGIT_VOTING_DELAY, 60, 0, 14 days);
        p[16] = _p(ParamKeys.LEGIT_VOTING_PERIOD, 300, 60, 30 days);
        p[17] = _p(ParamKeys.LEGIT_TIMELOCK, 120, 0, 30 days);
        p[18] = _p(ParamKeys.LEGIT_GRACE_PERIOD, 1800, 600, 90 days);
        p[19] = _p(ParamKeys.LEGIT_TOKEN_QUORUM_BPS, 400, 100, 5000);
        p[20] = _p(ParamKeys.LEGIT_WORK_QUORUM_BPS, 1000, 100, 5000);
        p[21] = _p(ParamKeys.LEGIT_PASS_BPS, 5000, 5000, 9000);
        p[22] = _p(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, 1000 ether, 0, 100_000_000 ether);
        p[23] = _p(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, 1, 0, 1_000_000);
    }

    function _p(bytes32 key, uint256 value, uint256 min, uint256 max)
        private
        pure
        returns (ILegitimacyConstitution.ParamInit memory)
    {
        return ILegitimacyConstitution.ParamInit({key: key, value: value, min: min, max: max});
    }
}
