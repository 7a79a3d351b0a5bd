// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {CoordinationLocksBase} from "./CoordinationLocks.base.t.sol";

/// @notice The queue: `withdraw` by the requester (head, middle, tail), `grantNext` by
/// anyone, `notBefore` blocking the queue, and the views an app and a keeper read.
contract CoordinationLocksQueueTest is CoordinationLocksBase {
    uint256 internal holder;
    uint256 internal q1;
    uint256 internal q2;
    uint256 internal q3;

    /// @dev alice holds ORACLE exclusively; bob, carol and bob again wait behind her.
    function setUp() public override {
        super.setUp();
        holder = _lock(alice, ORACLE, EXCLUSIVE);
        q1 = _lock(bob, ORACLE, EXCLUSIVE);
        q2 = _lock(carol, ORACLE, SHARED);
        q3 = _lock(bob, ORACLE, SHARED);
        _assertQueue(ORACLE, _ids(q1, q2, q3));
    }

    // ------------------------------------------------------------------
    // withdraw
    // ------------------------------------------------------------------

    function test_withdraw_head() public {
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.RequestWithdrawn(ORACLE, q1, bob);
        _withdraw(bob, ORACLE, q1, 0);
        _assertState(ORACLE, q1, NONE);
        _assertQueue(ORACLE, _ids(q2, q3));
        _assertHolders(ORACLE, 1, EXCLUSIVE);
    }

    function test_withdraw_middle() public {
        _withdraw(carol, ORACLE, q2, q1);
        _assertState(ORACLE, q2, NONE);
        _assertQueue(ORACLE, _ids(q1, q3));
    }

    function test_withdraw_tail() public {
        _withdraw(bob, ORACLE, q3, q2);
        _assertQueue(ORACLE, _ids(q1, q2));
        // The new tail takes the next request behind it.
        uint256 q4 = _lock(carol, ORACLE, SHARED);
        _assertQueue(ORACLE, _ids(q1, q2, q4));
    }

    function test_withdraw_everyoneEmptiesTheQueue() public {
        _withdraw(carol, ORACLE, q2, q1);
        _withdraw(bob, ORACLE, q3, q1);
        _withdraw(bob, ORACLE, q1, 0);
        _assertQueue(ORACLE, _ids());
        // Empty again: the next request becomes head and tail.
        uint256 q4 = _lock(carol, ORACLE, SHARED);
        _assertQueue(ORACLE, _ids(q4));
    }

    function test_withdraw_thenRequestAgainJoinsTheTail() public {
        _withdraw(bob, ORACLE, q1, 0);
        _request(bob, ORACLE, q1, EXCLUSIVE, TTL, 0);
        _assertQueue(ORACLE, _ids(q2, q3, q1));
    }

    /// @notice Withdrawing the waiting Exclusive head lets the Shared run behind it in
    /// beside Shared holders.
    function test_withdraw_headGrantsTheCompatibleRunBehind() public {
        bytes32 r = DOCS;
        _lock(alice, r, SHARED);
        uint256 x = _lock(bob, r, EXCLUSIVE);
        uint256 s1 = _lock(carol, r, SHARED);
        uint256 s2 = _lock(carol, r, SHARED);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.RequestWithdrawn(r, x, bob);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockGranted(
            r, s1, carol, ICoordinationLocks.Mode.Shared, block.timestamp + TTL
        );
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockGranted(
            r, s2, carol, ICoordinationLocks.Mode.Shared, block.timestamp + TTL
        );
        _withdraw(bob, r, x, 0);
        _assertHolders(r, 3, SHARED);
        _assertQueue(r, _ids());
    }

    function test_RevertWhen_withdrawNothingQueued() public {
        uint256 id = _packet(bob);
        vm.expectRevert(_notQueued(ORACLE, id, NONE));
        _withdraw(bob, ORACLE, id, 0);
    }

    /// @notice A granted request can be released, never withdrawn.
    function test_RevertWhen_withdrawAHeldLock() public {
        vm.expectRevert(_notQueued(ORACLE, holder, HELD));
        _withdraw(alice, ORACLE, holder, 0);
    }

    function testFuzz_RevertWhen_withdrawByNonRequester(address caller) public {
        vm.assume(caller != carol);
        vm.expectRevert(_notRequester(ORACLE, q2, caller));
        _withdraw(caller, ORACLE, q2, q1);
    }

    function test_RevertWhen_withdrawWrongPredecessor() public {
        bytes4 sel = ICoordinationLocks.CoordinationLocksWrongPredecessor.selector;
        // Not the head.
        vm.expectRevert(abi.encodeWithSelector(sel, ORACLE, q2, 0));
        _withdraw(carol, ORACLE, q2, 0);
        // Ahead, but not just ahead.
        vm.expectRevert(abi.encodeWithSelector(sel, ORACLE, q3, q1));
        _withdraw(bob, ORACLE, q3, q1);
        // Behind it.
        vm.expectRevert(abi.encodeWithSelector(sel, ORACLE, q2, q3));
        _withdraw(carol, ORACLE, q2, q3);
        // Itself.
        vm.expectRevert(abi.encodeWithSelector(sel, ORACLE, q2, q2));
        _withdraw(carol, ORACLE, q2, q2);
        // The holder, which is not in the queue.
        vm.expectRevert(abi.encodeWithSelector(sel, ORACLE, q1, holder));
        _withdraw(bob, ORACLE, q1, holder);
        _assertQueue(ORACLE, _ids(q1, q2, q3));
    }

    /// @notice A predecessor that has left the queue is refused: its link was cleared.
    function test_RevertWhen_withdrawPredecessorHasLeft() public {
        _withdraw(bob, ORACLE, q1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksWrongPredecessor.selector, ORACLE, q2, q1
            )
        );
        _withdraw(carol, ORACLE, q2, q1);
        _withdraw(carol, ORACLE, q2, 0);
        _assertQueue(ORACLE, _ids(q3));
    }

    // ------------------------------------------------------------------
    // grantNext and notBefore
    // ------------------------------------------------------------------

    function test_grantNext_grantsAHeadWhoseNotBeforeCame() public {
        uint256 a = _packet(alice);
        uint256 nb = block.timestamp + 60;
        _request(alice, DOCS, a, EXCLUSIVE, TTL, nb);
        uint256 b = _lock(bob, DOCS, SHARED);
        vm.warp(nb - 1);
        vm.expectRevert(_nothingToGrant(DOCS, a));
        locks.grantNext(DOCS);

        vm.warp(nb);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockGranted(DOCS, a, alice, ICoordinationLocks.Mode.Exclusive, nb + TTL);
        vm.prank(stranger);
        vm.assertEq(locks.grantNext(DOCS), 1);
        _assertHeld(DOCS, a, alice, EXCLUSIVE, nb + TTL);
        _assertQueue(DOCS, _ids(b));
    }

    /// @notice The longest a request that holds nothing can block a resource: a head at the
    /// `notBefore` horizon (`maxTtl` ahead) on an idle resource. At the horizon anyone moves
    /// it and the Shared run behind it; then its lease ends like any other.
    function test_notBefore_horizonBoundsHeadOfLineBlocking() public {
        bytes32 r = DOCS;
        uint256 a = _packet(alice);
        uint256 horizon = block.timestamp + MAX_TTL;
        _request(alice, r, a, SHARED, MAX_TTL, horizon);
        uint256 b = _lock(bob, r, SHARED);
        uint256 c = _lock(carol, r, EXCLUSIVE);
        vm.warp(horizon - 1);
        vm.expectRevert(_nothingToGrant(r, a));
        locks.grantNext(r);
        vm.warp(horizon);
        vm.prank(stranger);
        vm.assertEq(locks.grantNext(r), 2);
        _assertHolders(r, 2, SHARED);
        _assertQueue(r, _ids(c));
        vm.warp(horizon + MAX_TTL);
        _expire(r, a);
        _expire(r, b);
        _assertHeld(r, c, carol, EXCLUSIVE, block.timestamp + TTL);
    }

    function test_RevertWhen_grantNextOnAnEmptyQueue() public {
        vm.expectRevert(_nothingToGrant(DOCS, 0));
        locks.grantNext(DOCS);
    }

    function test_RevertWhen_grantNextHeadIncompatible() public {
        vm.expectRevert(_nothingToGrant(ORACLE, q1));
        locks.grantNext(ORACLE);
    }

    /// @notice A head with a future `notBefore` blocks even after the holder has gone, and
    /// a holder's expiry then grants nothing; `grantNext` does once the time comes.
    function test_notBefore_headBlocksAfterTheHolderLeaves() public {
        bytes32 r = DOCS;
        uint256 a = _lock(alice, r, EXCLUSIVE);
        uint256 b = _packet(bob);
        uint256 nb = block.timestamp + TTL + 100;
        _request(bob, r, b, SHARED, TTL, nb);
        uint256 c = _lock(carol, r, SHARED);
        vm.warp(block.timestamp + TTL);
        _expire(r, a);
        _assertHolders(r, 0, 0);
        _assertQueue(r, _ids(b, c));
        vm.warp(nb);
        vm.assertEq(locks.grantNext(r), 2, "the run behind the head comes along");
        _assertHolders(r, 2, SHARED);
    }

    // ------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------

    function test_queue_pagesThroughTheLinks() public view {
        (uint256[] memory page, uint256 next) = locks.queue(ORACLE, 0, 2);
        vm.assertEq(page.length, 2);
        vm.assertEq(page[0], q1);
        vm.assertEq(page[1], q2);
        vm.assertEq(next, q3);
        (page, next) = locks.queue(ORACLE, next, 2);
        vm.assertEq(page.length, 1);
        vm.assertEq(page[0], q3);
        vm.assertEq(next, 0);
        (page, next) = locks.queue(ORACLE, q2, 0);
        vm.assertEq(page.length, 0);
        vm.assertEq(next, q2, "nothing read: continue where asked");
        (page, next) = locks.queue(DOCS, 0, 5);
        vm.assertEq(page.length, 0);
        vm.assertEq(next, 0);
    }

    function test_RevertWhen_queueFromARequestNotQueued() public {
        vm.expectRevert(_notQueued(ORACLE, holder, HELD));
        locks.queue(ORACLE, holder, 1);
    }

    function test_resourceInfo_reportsHoldersAndQueue() public view {
        ICoordinationLocks.ResourceInfo memory s = locks.resourceInfo(ORACLE);
        vm.assertEq(s.holders, 1);
        vm.assertEq(uint256(s.mode), EXCLUSIVE);
        vm.assertEq(s.queueLength, 3);
        vm.assertEq(s.head, q1);
        vm.assertEq(s.tail, q3);
        vm.assertEq(s.expiresBy, block.timestamp + TTL);
        ICoordinationLocks.ResourceInfo memory idle = locks.resourceInfo(DOCS);
        vm.assertEq(idle.holders + idle.queueLength + idle.head + idle.tail + idle.expiresBy, 0);
    }

    function test_position_zeroForAnythingNotQueued() public view {
        vm.assertEq(locks.position(ORACLE, holder), 0);
        vm.assertEq(locks.position(ORACLE, 999), 0);
        vm.assertEq(locks.position(DOCS, q1), 0);
    }

    function test_locksOf_listsStatesForTheGivenResources() public view {
        bytes32[] memory rs = new bytes32[](2);
        (rs[0], rs[1]) = (ORACLE, DOCS);
        ICoordinationLocks.RequestState[] memory s = locks.locksOf(q1, rs);
        vm.assertEq(uint256(s[0]), uint256(QUEUED));
        vm.assertEq(uint256(s[1]), uint256(NONE));
        s = locks.locksOf(holder, rs);
        vm.assertEq(uint256(s[0]), uint256(HELD));
        vm.assertEq(locks.locksOf(holder, new bytes32[](0)).length, 0);
    }

    function test_nextExpiry_zeroOnceNobodyHolds() public {
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + TTL);
        _withdraw(bob, ORACLE, q1, 0);
        _withdraw(carol, ORACLE, q2, 0);
        _withdraw(bob, ORACLE, q3, 0);
        _release(alice, ORACLE, holder);
        vm.assertEq(locks.nextExpiry(ORACLE), 0);
        vm.assertEq(locks.resourceInfo(ORACLE).expiresBy, 0);
    }
}
