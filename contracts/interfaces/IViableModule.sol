// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IViableModule
/// @notice What every module of a Viable deployment exposes: the constitution it
/// answers to, fixed at construction. The constitution checks it before wiring a
/// module into its directory, so a module built for another deployment cannot be
/// plugged in by mistake.
interface IViableModule {
    /// @notice The LegitimacyConstitution this module reads its parameters from.
    function constitution() external view returns (address);
}
