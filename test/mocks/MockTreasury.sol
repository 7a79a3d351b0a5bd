// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "../../contracts/interfaces/IViableModule.sol";
import {ModuleKinds} from "../../contracts/libraries/ModuleKinds.sol";

/// @notice A stand-in OptimizationTreasury for the constitution's guardian veto. It
/// reports the constitution the test gives it and records every `veto` call with its
/// caller, so a test can prove the constitution (and only the constitution) forwarded
/// a guardian's veto. `setRefuse(true)` makes `veto` revert, as a real treasury does
/// for an allocation that is no longer pending. It implements only the surface the
/// constitution calls (`veto` and {IViableModule}), not the whole IOptimizationTreasury.
contract MockTreasury is IViableModule {
    struct VetoCall {
        address caller;
        uint256 allocationId;
    }

    /// @notice The treasury refused to veto `allocationId`.
    error MockTreasuryRefused(uint256 allocationId);

    address private _constitution;
    bool private _refuse;
    VetoCall[] private _vetoes;

    constructor(address constitution_) {
        _constitution = constitution_;
    }

    /// @notice Re-point what `constitution()` reports.
    function setConstitution(address constitution_) external {
        _constitution = constitution_;
    }

    /// @notice Make `veto` revert (true) or record (false).
    function setRefuse(bool refuse) external {
        _refuse = refuse;
    }

    /// @notice Stand-in for IOptimizationTreasury.veto: records or refuses.
    function veto(uint256 allocationId) external {
        if (_refuse) revert MockTreasuryRefused(allocationId);
        _vetoes.push(VetoCall({caller: msg.sender, allocationId: allocationId}));
    }

    /// @notice The constitution this module answers to.
    function constitution() external view returns (address) {
        return _constitution;
    }

    function moduleKind() external pure returns (bytes32) {
        return ModuleKinds.OPTIMIZATION;
    }

    function vetoCount() external view returns (uint256) {
        return _vetoes.length;
    }

    function vetoAt(uint256 i) external view returns (VetoCall memory) {
        return _vetoes[i];
    }
}
