// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";

/// @notice The packet state machine of Attested schemas: `attest`, `retract`, `expire`,
/// their deadlines, and the attestation views.
contract WorkRegistryLifecycleTest is WorkRegistryBase {
    uint256 internal pending; // a Pending packet of `review` by `contributor`
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        pending = _submit(contributor, reviewId);
        deadline = block.timestamp + WINDOW;
    }

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    function _attest(address who, uint256 id) internal {
        vm.prank(who);
        workRegistry.attest(id);
    }

    function _status(uint256 id) internal view returns (uint8) {
        return uint8(workRegistry.packet(id).status);
    }

    function _wrongStatus(uint256 id, IWorkRegistry.Status s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IWorkRegistry.WorkRegistryWrongStatus.selector, id, s);
    }

    // ------------------------------------------------------------------
    // attest
    // ------------------------------------------------------------------

    function test_attest_recordsAttestation() public {
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketAttested(pending, alice, 1);
        _attest(alice, pending);
        vm.assertTrue(workRegistry.hasAttested(pending, alice));
        vm.assertFalse(workRegistry.hasAttested(pending, bob));
        vm.assertEq(workRegistry.packet(pending).attestations, 1);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Pending));
        vm.assertEq(workRegistry.points(contributor), 0);
    }

    function test_attest_quorumAccepts() public {
        _attest(carol, pending);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketAttested(pending, alice, 2);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketAccepted(pending, reviewId, contributor);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.ContributionCredited(contributor, pending, reviewId, REVIEW_WEIGHT, 9, 3);
        _attest(alice, pending);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Accepted));
        vm.assertEq(workRegistry.packet(pending).attestations, 2);
        vm.assertEq(workRegistry.points(contributor), REVIEW_WEIGHT);
        vm.assertEq(workRegistry.power(contributor), 3);
    }

    function test_attest_atDeadline() public {
        vm.warp(deadline);
        _attest(bob, pending);
        vm.assertTrue(workRegistry.hasAttested(pending, bob));
    }

    function test_attest_bitForEveryPosition() public {
        address[] memory a = new address[](32);
        for (uint256 i; i < 32; ++i) {
            a[i] = address(uint160(0x1000 + i));
        }
        bytes32 id = workRegistry.registerSchema("council", _taskFields(), _attested(32, a, 60), address(0));
        uint256 p = _submit(contributor, id);
        for (uint256 i; i < 32; ++i) {
            vm.assertEq(_status(p), uint8(IWorkRegistry.Status.Pending));
            _attest(a[31 - i], p);
            vm.assertEq(workRegistry.packet(p).attestations, i + 1);
            vm.assertTrue(workRegistry.hasAttested(p, a[31 - i]));
        }
        vm.assertEq(_status(p), uint8(IWorkRegistry.Status.Accepted));
    }

    function test_RevertWhen_attestAfterDeadline() public {
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryDeadlinePassed.selector, pending, deadline, deadline + 1
            )
        );
        _attest(alice, pending);
    }

    function test_RevertWhen_attestTwice() public {
        _attest(alice, pending);
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryAlreadyAttested.selector, pending, alice)
        );
        _attest(alice, pending);
    }

    function test_RevertWhen_attestByNonAttester() public {
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotAttester.selector, pending, stranger)
        );
        _attest(stranger, pending);
    }

    function test_RevertWhen_attestOwnPacket() public {
        uint256 p = _submit(alice, reviewId);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistrySelfAttestation.selector, p, alice));
        _attest(alice, p);
        _attest(bob, p);
        _attest(carol, p);
        vm.assertEq(_status(p), uint8(IWorkRegistry.Status.Accepted));
    }

    function test_RevertWhen_attestUnknownPacket() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 99));
        _attest(alice, 99);
    }

    function test_RevertWhen_attestAfterQuorum() public {
        _attest(alice, pending);
        _attest(bob, pending);
        vm.expectRevert(_wrongStatus(pending, IWorkRegistry.Status.Accepted));
        _attest(carol, pending);
    }

    function test_RevertWhen_attestImmediatePacket() public {
        uint256 p = _submit(contributor, taskId);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotAttester.selector, p, alice));
        _attest(alice, p);
    }

    function test_RevertWhen_attestRetracted() public {
        vm.prank(contributor);
        workRegistry.retract(pending);
        vm.expectRevert(_wrongStatus(pending, IWorkRegistry.Status.Retracted));
        _attest(alice, pending);
    }

    function test_RevertWhen_attestExpired() public {
        vm.warp(deadline + 1);
        workRegistry.expire(pending);
        vm.expectRevert(_wrongStatus(pending, IWorkRegistry.Status.Expired));
        _attest(alice, pending);
    }

    function test_hasAttested_falseForUnknownOrUnlisted() public {
        _attest(alice, pending);
        vm.assertFalse(workRegistry.hasAttested(99, alice));
        vm.assertFalse(workRegistry.hasAttested(pending, stranger));
    }

    // ------------------------------------------------------------------
    // retract
    // ------------------------------------------------------------------

    function test_retract_byContributor() public {
        _attest(alice, pending);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketRetracted(pending);
        vm.prank(contributor);
        workRegistry.retract(pending);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Retracted));
        vm.assertEq(workRegistry.packet(pending).attestations, 1);
    }

    /// @dev Up to and including the deadline the contributor may still withdraw.
    function test_retract_atDeadline() public {
        vm.warp(deadline);
        vm.prank(contributor);
        workRegistry.retract(pending);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Retracted));
    }

    /// @dev Past its deadline a pending packet's fate is settled: it can only become
    /// Expired, never Retracted (the state machine gives each second one outcome).
    function test_RevertWhen_retractAfterDeadlineWhileStillPending() public {
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryDeadlinePassed.selector, pending, deadline, deadline + 1
            )
        );
        vm.prank(contributor);
        workRegistry.retract(pending);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Pending));
        workRegistry.expire(pending);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Expired));
    }

    /// @dev Every second after submission allows exactly one of {retract, expire}.
    function testFuzz_retractOrExpire_partitionTime(uint256 dt) public {
        dt = bound(dt, 0, 2 * WINDOW);
        vm.warp(block.timestamp + dt);
        uint256 snap = vm.snapshotState();
        vm.prank(contributor);
        (bool retracted,) = address(workRegistry).call(abi.encodeCall(IWorkRegistry.retract, (pending)));
        vm.revertToState(snap);
        (bool expired,) = address(workRegistry).call(abi.encodeCall(IWorkRegistry.expire, (pending)));
        vm.assertTrue(retracted != expired, "exactly one of retract and expire");
        vm.assertEq(retracted, block.timestamp <= deadline);
    }

    function test_RevertWhen_retractByOther() public {
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotContributor.selector, pending, alice)
        );
        vm.prank(alice);
        workRegistry.retract(pending);
    }

    function test_RevertWhen_retractAccepted() public {
        uint256 p = _submit(contributor, taskId);
        vm.expectRevert(_wrongStatus(p, IWorkRegistry.Status.Accepted));
        vm.prank(contributor);
        workRegistry.retract(p);
    }

    function test_RevertWhen_retractTwice() public {
        vm.startPrank(contributor);
        workRegistry.retract(pending);
        vm.expectRevert(_wrongStatus(pending, IWorkRegistry.Status.Retracted));
        workRegistry.retract(pending);
        vm.stopPrank();
    }

    function test_RevertWhen_retractUnknownPacket() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 99));
        vm.prank(contributor);
        workRegistry.retract(99);
    }

    // ------------------------------------------------------------------
    // expire
    // ------------------------------------------------------------------

    function test_expire_afterDeadline() public {
        _attest(alice, pending);
        vm.warp(deadline + 1);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketExpired(pending);
        vm.prank(stranger);
        workRegistry.expire(pending);
        vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Expired));
        vm.assertEq(workRegistry.points(contributor), 0);
    }

    function test_RevertWhen_expireAtDeadline() public {
        vm.warp(deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryDeadlineNotReached.selector, pending, deadline, deadline
            )
        );
        workRegistry.expire(pending);
    }

    function test_RevertWhen_expireAccepted() public {
        _attest(alice, pending);
        _attest(bob, pending);
        vm.warp(deadline + 1);
        vm.expectRevert(_wrongStatus(pending, IWorkRegistry.Status.Accepted));
        workRegistry.expire(pending);
    }

    function test_RevertWhen_expireImmediatePacket() public {
        uint256 p = _submit(contributor, taskId);
        vm.warp(block.timestamp + 10_000);
        vm.expectRevert(_wrongStatus(p, IWorkRegistry.Status.Accepted));
        workRegistry.expire(p);
    }

    function test_RevertWhen_expireTwice() public {
        vm.warp(deadline + 1);
        workRegistry.expire(pending);
        vm.expectRevert(_wrongStatus(pending, IWorkRegistry.Status.Expired));
        workRegistry.expire(pending);
    }

    function test_RevertWhen_expireUnknownPacket() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 0));
        workRegistry.expire(0);
    }

    function testFuzz_attestOrExpire_partitionTime(uint256 dt) public {
        // Every moment after submission is either attestable or expirable, never both.
        dt = bound(dt, 0, 2 * WINDOW);
        vm.warp(block.timestamp + dt);
        if (block.timestamp <= deadline) {
            _attest(alice, pending);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IWorkRegistry.WorkRegistryDeadlineNotReached.selector, pending, deadline, block.timestamp
                )
            );
            workRegistry.expire(pending);
        } else {
            workRegistry.expire(pending);
            vm.assertEq(_status(pending), uint8(IWorkRegistry.Status.Expired));
        }
    }
}
