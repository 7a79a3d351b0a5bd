// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";

/// @title IWorkRegistry — System 1 (placeholder surface until the WorkRegistry lands)
/// @notice The part of the WorkRegistry the constitution relies on: founding
/// contribution points and the Work House's checkpointed power.
interface IWorkRegistry is IViableModule {
    /// @notice Credit founding `points` to `contributor`. Only the constitution, only during bootstrap.
    function seedContribution(address contributor, uint256 points) external;

    /// @notice `account`'s contribution power (isqrt of points) at `timepoint` (a past timestamp).
    function getPastPower(address account, uint256 timepoint) external view returns (uint256);

    /// @notice Sum of all contributors' power at `timepoint` (a past timestamp).
    function getPastTotalPower(uint256 timepoint) external view returns (uint256);
}
