// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";

/// @notice Minimal test base: the cheatcode handle, a `bound` helper for fuzz
/// inputs, and the target-selection hooks forge reads for invariant runs.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetContracts;
    address[] private _targetSenders;
    FuzzSelector[] private _targetSelectors;
    address[] private _excludeSenders;

    /// @dev Maps `x` into `[min, max]` uniformly enough for fuzzing, keeping
    /// values already in range unchanged so shrinking stays readable.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    function makeAddr(string memory name) internal returns (address a) {
        a = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(a, name);
    }

    function targetContract(address a) internal {
        _targetContracts.push(a);
    }

    function targetSender(address a) internal {
        _targetSenders.push(a);
    }

    function excludeSender(address a) internal {
        _excludeSenders.push(a);
    }

    function targetSelector(FuzzSelector memory s) internal {
        _targetSelectors.push(s);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetSenders;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludeSenders;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }
}
