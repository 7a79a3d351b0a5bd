// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IOptimizationTreasury} from "../../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";

/// @notice A contract contributor: it submits packets (so treasury allocations name it
/// as recipient) and claims, and it answers ETH in one of several hostile ways.
contract TreasuryRecipient {
    enum Mode {
        Accept,
        Revert,
        BurnGas,
        ReturnBomb,
        Reenter
    }

    error TreasuryRecipientRefused();

    Mode public mode;
    address public reenterTarget;
    bytes public reenterPayload;
    bool public lastReentryOk;
    bytes public lastReentryData;
    uint256 public received;

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function setReentry(address target, bytes calldata payload) external {
        reenterTarget = target;
        reenterPayload = payload;
    }

    function submit(IWorkRegistry registry, bytes32 schemaId, bytes32 contentHash, bytes calldata data)
        external
        returns (uint256)
    {
        return registry.submit(schemaId, contentHash, data);
    }

    function claim(IOptimizationTreasury treasury, uint256 allocationId) external returns (uint256) {
        return treasury.claim(allocationId);
    }

    receive() external payable {
        Mode m = mode;
        if (m == Mode.Revert) revert TreasuryRecipientRefused();
        if (m == Mode.BurnGas) {
            while (true) {}
        }
        if (m == Mode.ReturnBomb) {
            assembly {
                return(0, 60000)
            }
        }
        if (m == Mode.Reenter) {
            (lastReentryOk, lastReentryData) = reenterTarget.call(reenterPayload);
        }
        received += msg.value;
    }
}
