// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IViableModule
/// @notice What every module of a Viable deployment exposes: the constitution it
/// answers to, fixed at construction, and the kind of module it is. The
/// constitution checks both before wiring a module into its directory, so a module
/// built for another deployment, or a module of the wrong kind for a slot, cannot
/// be plugged in by mistake or by a careless amendment.
interface IViableModule {
    /// @notice The LegitimacyConstitution this module reads its parameters from.
    function constitution() external view returns (address);

    /// @notice Which directory slot this module fills: one of the ids in
    /// {ModuleKinds} (`keccak256("viable.module.Work")` and so on).
    /// @dev A hash rather than a small integer, so that a contract whose fallback
    /// returns a zero word can never pass for the first slot.
    function moduleKind() external view returns (bytes32);
}
