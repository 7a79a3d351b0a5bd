// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ModuleKinds
/// @notice The kind ids that modules report through {IViableModule.moduleKind}, one
/// per directory slot, in the constitution's `Module` order.
library ModuleKinds {
    bytes32 internal constant WORK = keccak256("viable.module.Work");
    bytes32 internal constant COORDINATION = keccak256("viable.module.Coordination");
    bytes32 internal constant OPTIMIZATION = keccak256("viable.module.Optimization");
    bytes32 internal constant STRATEGY = keccak256("viable.module.Strategy");

    /// @notice The kind id a module in directory slot `index` must report.
    /// @dev `index` must be a valid slot (0..3); anything else returns zero, which no
    /// module reports.
    function forSlot(uint256 index) internal pure returns (bytes32) {
        if (index == 0) return WORK;
        if (index == 1) return COORDINATION;
        if (index == 2) return OPTIMIZATION;
        if (index == 3) return STRATEGY;
        return bytes32(0);
    }
}
