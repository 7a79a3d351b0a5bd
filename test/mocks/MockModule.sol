// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IViableModule} from "../../contracts/interfaces/IViableModule.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";

/// @notice A stand-in module for directory tests. `constitution()` reports whatever
/// address the test configures, so a test can build a module that belongs to this
/// deployment, to another one, or to none. It also records `seedContribution` calls
/// (the one call the constitution makes into the Work module during bootstrap),
/// together with what the constitution's `bootstrapped()` said at that moment. As a
/// stand-in Work module its total power is the number of seeds recorded, it has no
/// predecessor, and it reports every schema as Attested (checked by others).
contract MockModule is IViableModule {
    struct Seed {
        address contributor;
        uint256 points;
        bool bootstrappedAtCall;
        address caller;
    }

    address private _constitution;
    bytes32 private _kind;
    Seed[] private _seeds;

    constructor(address constitution_) {
        _constitution = constitution_;
    }

    /// @notice Set what `moduleKind()` reports (zero until set).
    function setModuleKind(bytes32 kind) external {
        _kind = kind;
    }

    /// @inheritdoc IViableModule
    function moduleKind() external view returns (bytes32) {
        return _kind;
    }

    /// @notice Re-point what `constitution()` reports.
    function setConstitution(address constitution_) external {
        _constitution = constitution_;
    }

    /// @inheritdoc IViableModule
    function constitution() external view returns (address) {
        return _constitution;
    }

    /// @notice Records the call; mirrors IWorkRegistry.seedContribution's signature.
    function seedContribution(address contributor, uint256 points) external {
        bool done = ILegitimacyConstitution(msg.sender).bootstrapped();
        _seeds.push(
            Seed({contributor: contributor, points: points, bootstrappedAtCall: done, caller: msg.sender})
        );
    }

    /// @notice Mirrors IWorkRegistry.totalPower: non-zero once seeded.
    function totalPower() external view returns (uint256) {
        return _seeds.length;
    }

    /// @notice Mirrors IWorkRegistry.predecessor: a first registry.
    function predecessor() external pure returns (address) {
        return address(0);
    }

    /// @notice Mirrors IWorkRegistry.schemaAcceptance: every schema is Attested.
    function schemaAcceptance(bytes32) external pure returns (IWorkRegistry.AcceptanceMode, address) {
        return (IWorkRegistry.AcceptanceMode.Attested, address(0));
    }

    function seedCount() external view returns (uint256) {
        return _seeds.length;
    }

    function seedAt(uint256 i) external view returns (Seed memory) {
        return _seeds[i];
    }
}
