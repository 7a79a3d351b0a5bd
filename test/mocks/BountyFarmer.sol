// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IOptimizationTreasury} from "../../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";

/// @notice Submits packets and claims a bounty line's bounty for each, many per call:
/// a cheap way for a benchmark to put thousands of real allocations into a treasury.
contract BountyFarmer {
    uint256 private _nonce;

    function farm(
        IWorkRegistry registry,
        IOptimizationTreasury treasury,
        bytes32 schemaId,
        uint256 lineId,
        uint256 count
    ) external {
        for (uint256 i; i < count; ++i) {
            uint256 packetId = registry.submit(schemaId, keccak256("farmed"), abi.encode(++_nonce));
            treasury.claimBounty(lineId, packetId);
        }
    }

    receive() external payable {}
}
