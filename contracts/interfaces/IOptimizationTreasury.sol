// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";

/// @title IOptimizationTreasury — System 3 (the surface the constitution calls)
/// @notice Expanded when the treasury lands. Only the constitution may veto, on a
/// guardian's behalf.
interface IOptimizationTreasury is IViableModule {
    /// @notice Stop a pending allocation before its veto window ends. Constitution only.
    function veto(uint256 allocationId) external;
}
