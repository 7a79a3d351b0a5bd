// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";

/// @notice `packetStatus` and `packetRef`, the slim packet views the other modules read:
/// they give exactly the fields `packet` gives, through every status, and refuse an
/// unknown id with the same error.
contract WorkRegistrySlimViewsTest is WorkRegistryBase {
    function _assertAgrees(uint256 id) internal view {
        IWorkRegistry.Packet memory full = workRegistry.packet(id);
        (address contributor, IWorkRegistry.Status status) = workRegistry.packetStatus(id);
        vm.assertEq(contributor, full.contributor, "packetStatus contributor");
        vm.assertEq(uint8(status), uint8(full.status), "packetStatus status");
        bytes32 schemaId;
        (contributor, schemaId, status) = workRegistry.packetRef(id);
        vm.assertEq(contributor, full.contributor, "packetRef contributor");
        vm.assertEq(schemaId, full.schemaId, "packetRef schema");
        vm.assertEq(uint8(status), uint8(full.status), "packetRef status");
    }

    function test_slimViews_agreeWithPacket_throughEveryStatus() public {
        uint256 accepted = _submit(contributor, taskId);
        (address who, IWorkRegistry.Status status) = workRegistry.packetStatus(accepted);
        vm.assertEq(who, contributor);
        vm.assertEq(uint8(status), uint8(IWorkRegistry.Status.Accepted));
        _assertAgrees(accepted);

        uint256 recognized = _submit(alice, recognizedTaskId);
        (, bytes32 schemaId,) = workRegistry.packetRef(recognized);
        vm.assertEq(schemaId, recognizedTaskId);
        _assertAgrees(recognized);

        uint256 pending = _submit(contributor, reviewId);
        (, status) = workRegistry.packetStatus(pending);
        vm.assertEq(uint8(status), uint8(IWorkRegistry.Status.Pending));
        _assertAgrees(pending);

        vm.prank(contributor);
        workRegistry.retract(pending);
        (, status) = workRegistry.packetStatus(pending);
        vm.assertEq(uint8(status), uint8(IWorkRegistry.Status.Retracted));
        _assertAgrees(pending);

        uint256 expiring = _submit(contributor, reviewId);
        vm.warp(block.timestamp + WINDOW + 1);
        workRegistry.expire(expiring);
        (, bytes32 reviewSchema, IWorkRegistry.Status expired) = workRegistry.packetRef(expiring);
        vm.assertEq(reviewSchema, reviewId);
        vm.assertEq(uint8(expired), uint8(IWorkRegistry.Status.Expired));
        _assertAgrees(expiring);
    }

    function test_RevertWhen_slimViewsOfUnknownPacket() public {
        uint256 next = workRegistry.packetCount() + 1;
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, next));
        workRegistry.packetStatus(next);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, next));
        workRegistry.packetRef(next);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 0));
        workRegistry.packetStatus(0);
    }
}
