// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "../../contracts/interfaces/IViableModule.sol";
import {ModuleKinds} from "../../contracts/libraries/ModuleKinds.sol";

/// @notice A stand-in StrategyProposals module for amendments that cite a Strategy
/// proposal. It reports the constitution the test gives it and records every
/// `markAdopted` call with its caller. `setRefuse(true)` makes `markAdopted` revert,
/// as a real module does for a proposal that is not Ready.
contract MockStrategy is IViableModule {
    struct AdoptCall {
        address caller;
        uint256 proposalId;
    }

    /// @notice The module refused to mark `proposalId` adopted.
    error MockStrategyRefused(uint256 proposalId);

    address private _constitution;
    bool private _refuse;
    AdoptCall[] private _adoptions;

    constructor(address constitution_) {
        _constitution = constitution_;
    }

    /// @notice Re-point what `constitution()` reports.
    function setConstitution(address constitution_) external {
        _constitution = constitution_;
    }

    /// @notice Make `markAdopted` revert (true) or record (false).
    function setRefuse(bool refuse) external {
        _refuse = refuse;
    }

    /// @notice Records the call (IStrategyProposals.markAdopted), or refuses.
    function markAdopted(uint256 proposalId) external {
        if (_refuse) revert MockStrategyRefused(proposalId);
        _adoptions.push(AdoptCall({caller: msg.sender, proposalId: proposalId}));
    }

    /// @notice The constitution this module answers to.
    function constitution() external view returns (address) {
        return _constitution;
    }

    function moduleKind() external pure returns (bytes32) {
        return ModuleKinds.STRATEGY;
    }

    function adoptionCount() external view returns (uint256) {
        return _adoptions.length;
    }

    function adoptionAt(uint256 i) external view returns (AdoptCall memory) {
        return _adoptions[i];
    }
}
