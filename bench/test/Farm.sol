// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "../../contracts/interfaces/ICoordinationLocks.sol";
import {IStrategyProposals} from "../../contracts/interfaces/IStrategyProposals.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Performs many real operations of one kind in one call, so that the scaling
/// suite can put thousands of them on chain between its measured ones (forge's isolation
/// mode makes every top-level call a transaction, and slows down with their number). It
/// acts as an ordinary user: its packets, its locks, its stake.
contract Farm {
    uint256 private _nonce;

    function submit(IWorkRegistry work, bytes32 schemaId, bytes calldata data, uint256 count) external {
        for (uint256 i; i < count; ++i) {
            work.submit(schemaId, keccak256("farmed"), data);
        }
    }

    function registerSchemas(IWorkRegistry work, IWorkRegistry.Field[] calldata fields, uint256 count)
        external
    {
        IWorkRegistry.Acceptance memory immediate;
        for (uint256 i; i < count; ++i) {
            work.registerSchema(string.concat("farmed.", _name(++_nonce)), fields, immediate, address(0));
        }
    }

    /// @dev `count` granted locks, each on a resource never used, each under a new packet;
    /// released at once when `release` is set.
    function lock(IWorkRegistry work, ICoordinationLocks locks, bytes32 schemaId, uint256 count, bool release)
        external
    {
        for (uint256 i; i < count; ++i) {
            uint256 n = ++_nonce;
            uint256 packetId = work.submit(schemaId, keccak256("farmed"), abi.encode(n));
            bytes32 resource = keccak256(abi.encode("farmed.resource", n));
            locks.request(resource, packetId, 0, 120, 0);
            if (release) locks.release(resource, packetId);
        }
    }

    function stake(IERC20 token, IStrategyProposals strategy, uint256 amount, uint256 count) external {
        token.approve(address(strategy), type(uint256).max);
        for (uint256 i; i < count; ++i) {
            strategy.stake(amount);
        }
    }

    function support(IStrategyProposals strategy, uint256 proposalId, uint256 amount, uint256 count)
        external
    {
        for (uint256 i; i < count; ++i) {
            strategy.support(proposalId, amount);
        }
    }

    function _name(uint256 n) private pure returns (string memory s) {
        bytes memory b = new bytes(8);
        for (uint256 i = 8; i > 0; --i) {
            b[i - 1] = bytes1(uint8(48 + (n % 10)));
            n /= 10;
        }
        s = string(b);
    }
}
