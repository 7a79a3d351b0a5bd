// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TreasuryBase} from "../../test/OptimizationTreasury.base.t.sol";
import {Vm} from "../../test/utils/Vm.sol";

/// @notice What every bench suite shares: the whole Viable suite as the SDK deploys it
/// (the treasury suite's set-up: constitution, four modules, funds, recognized schemas),
/// and one way to record a figure.
/// @dev The bench profile runs every test isolated: each call from a test is its own
/// transaction with cold accounts and slots, so `vm.lastCallGas` is the gas a receipt
/// would show (21,000 + calldata + execution, refunds applied). Figures are written with
/// `vm.snapshotValue` to bench/snapshots/<group>.json; bench/run.sh turns them into
/// bench/RESULTS.md.
abstract contract BenchBase is TreasuryBase {
    /// @dev The gas of the last call (a whole transaction under isolation).
    function _last() internal view returns (uint256) {
        Vm.Gas memory g = vm.lastCallGas();
        return g.gasTotalUsed;
    }

    /// @dev Records the last call's gas as `group`/`name` and returns it.
    function _rec(string memory group, string memory name) internal returns (uint256 gas) {
        gas = _last();
        vm.snapshotValue(group, name, gas);
    }

    /// @dev What the calldata of `cd` costs (EIP-2028: 4 per zero byte, 16 per other byte).
    function _calldataGas(bytes memory cd) internal pure returns (uint256 g) {
        for (uint256 i; i < cd.length; ++i) {
            g += cd[i] == 0 ? 4 : 16;
        }
    }

    /// @dev The 3-field task data both work registries record: the same bytes.
    function _taskData() internal pure returns (bytes memory) {
        return abi.encode(uint256(42), keccak256("commit"), "fixed the oracle");
    }
}
