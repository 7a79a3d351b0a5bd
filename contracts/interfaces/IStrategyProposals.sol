// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";

/// @title IStrategyProposals — System 4 (the surface the constitution calls)
/// @notice Expanded when the strategy module lands.
interface IStrategyProposals is IViableModule {
    /// @notice Record that the caller's module took up Ready proposal `proposalId`.
    /// Callable by the constitution or the treasury only.
    function markAdopted(uint256 proposalId) external;
}
