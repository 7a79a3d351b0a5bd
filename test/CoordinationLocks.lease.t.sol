// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {CoordinationLocksBase} from "./CoordinationLocks.base.t.sol";

/// @notice Held locks: `release` and `renew` by the holder, `expire` by anyone once the
/// lease has ended, and the grants from the head of the queue that follow a release or
/// an expiry (one Exclusive request, or a bounded run of Shared ones).
contract CoordinationLocksLeaseTest is CoordinationLocksBase {
    // ------------------------------------------------------------------
    // release
    // ------------------------------------------------------------------

    function test_release_freesTheResource() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockReleased(ORACLE, id, alice);
        _release(alice, ORACLE, id);
        _assertState(ORACLE, id, NONE);
        _assertHolders(ORACLE, 0, 0);
        vm.assertEq(locks.nextExpiry(ORACLE), 0, "nobody holds it");
        vm.assertEq(locks.leaseEnd(ORACLE, id), 0);
        ICoordinationLocks.RequestInfo memory r = locks.requestInfo(ORACLE, id);
        vm.assertEq(r.requester, address(0), "record deleted");
        // Free for anyone at once.
        uint256 b = _packet(bob);
        vm.assertEq(uint256(_request(bob, ORACLE, b, EXCLUSIVE, TTL, 0)), uint256(HELD));
    }

    function test_release_afterTheLeaseEnded() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        vm.warp(block.timestamp + TTL + 50);
        _release(alice, ORACLE, id);
        _assertState(ORACLE, id, NONE);
    }

    function test_release_grantsTheExclusiveHead() public {
        uint256 a = _lock(alice, ORACLE, SHARED);
        uint256 b = _lock(bob, ORACLE, EXCLUSIVE);
        uint256 c = _lock(carol, ORACLE, SHARED);
        vm.warp(block.timestamp + 7);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockReleased(ORACLE, a, alice);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockGranted(
            ORACLE, b, bob, ICoordinationLocks.Mode.Exclusive, block.timestamp + TTL
        );
        _release(alice, ORACLE, a);
        _assertHeld(ORACLE, b, bob, EXCLUSIVE, block.timestamp + TTL);
        vm.assertEq(locks.requestInfo(ORACLE, b).grantedAt, block.timestamp, "maxHold counts from now");
        _assertHolders(ORACLE, 1, EXCLUSIVE);
        _assertQueue(ORACLE, _ids(c));
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + TTL);
    }

    /// @notice The Exclusive head waits until the last Shared holder has gone.
    function test_release_exclusiveWaitsForEverySharedHolder() public {
        uint256 a = _lock(alice, ORACLE, SHARED);
        uint256 b = _lock(bob, ORACLE, SHARED);
        uint256 c = _lock(carol, ORACLE, EXCLUSIVE);
        _release(alice, ORACLE, a);
        _assertState(ORACLE, c, QUEUED);
        _assertHolders(ORACLE, 1, SHARED);
        _release(bob, ORACLE, b);
        _assertState(ORACLE, c, HELD);
        _assertHolders(ORACLE, 1, EXCLUSIVE);
    }

    /// @notice A run of Shared requests behind an Exclusive holder is granted together,
    /// and stops at the next Exclusive one.
    function test_release_grantsTheSharedRunUpToAnExclusive() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 s1 = _lock(bob, ORACLE, SHARED);
        uint256 s2 = _lock(carol, ORACLE, SHARED);
        uint256 s3 = _lock(bob, ORACLE, SHARED);
        uint256 x = _lock(carol, ORACLE, EXCLUSIVE);
        uint256 s4 = _lock(bob, ORACLE, SHARED);
        _release(alice, ORACLE, a);
        _assertState(ORACLE, s1, HELD);
        _assertState(ORACLE, s2, HELD);
        _assertState(ORACLE, s3, HELD);
        _assertHolders(ORACLE, 3, SHARED);
        _assertQueue(ORACLE, _ids(x, s4));
    }

    /// @notice A run is bounded per call; `grantNext` (anyone) continues it.
    function test_release_sharedRunIsBoundedPerCall() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 n = locks.MAX_GRANTS_PER_CALL() + 3;
        uint256[] memory ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = _lock(bob, ORACLE, SHARED);
        }
        vm.recordLogs();
        _release(alice, ORACLE, a);
        vm.assertEq(vm.getRecordedLogs().length, 1 + 8, "released + 8 grants");
        _assertHolders(ORACLE, 8, SHARED);
        _assertQueue(ORACLE, _ids(ids[8], ids[9], ids[10]));

        vm.prank(stranger);
        vm.assertEq(locks.grantNext(ORACLE), 3);
        _assertHolders(ORACLE, 11, SHARED);
        _assertQueue(ORACLE, _ids());
        for (uint256 i; i < n; ++i) {
            _assertState(ORACLE, ids[i], HELD);
        }
    }

    /// @notice A Shared request in the run whose `notBefore` has not come stops the run,
    /// and those behind it wait too.
    function test_release_sharedRunStopsAtAFutureNotBefore() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 s1 = _lock(bob, ORACLE, SHARED);
        uint256 later = _packet(carol);
        _request(carol, ORACLE, later, SHARED, TTL, block.timestamp + 100);
        uint256 s3 = _lock(bob, ORACLE, SHARED);
        _release(alice, ORACLE, a);
        _assertState(ORACLE, s1, HELD);
        _assertQueue(ORACLE, _ids(later, s3));
        vm.warp(block.timestamp + 100);
        vm.assertEq(locks.grantNext(ORACLE), 2);
        _assertState(ORACLE, later, HELD);
        _assertState(ORACLE, s3, HELD);
    }

    function test_RevertWhen_releaseNothingHeld() public {
        uint256 id = _packet(alice);
        vm.expectRevert(_notHeld(ORACLE, id, NONE));
        _release(alice, ORACLE, id);
    }

    function test_RevertWhen_releaseQueuedRequest() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _lock(bob, ORACLE, EXCLUSIVE);
        vm.expectRevert(_notHeld(ORACLE, b, QUEUED));
        _release(bob, ORACLE, b);
    }

    function testFuzz_RevertWhen_releaseByNonHolder(address caller) public {
        vm.assume(caller != alice);
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        vm.expectRevert(_notHolder(ORACLE, id, caller));
        _release(caller, ORACLE, id);
        _assertState(ORACLE, id, HELD);
    }

    // ------------------------------------------------------------------
    // renew
    // ------------------------------------------------------------------

    function test_renew_resetsTheLease() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 grantedAt = block.timestamp;
        vm.warp(block.timestamp + 100);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockRenewed(ORACLE, id, alice, block.timestamp + MAX_TTL);
        _renew(alice, ORACLE, id, MAX_TTL);
        _assertHeld(ORACLE, id, alice, EXCLUSIVE, block.timestamp + MAX_TTL);
        vm.assertEq(locks.requestInfo(ORACLE, id).grantedAt, grantedAt, "maxHold still counts from the grant");
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + MAX_TTL);
    }

    function test_renew_shorterTtlShortensTheLease() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        _renew(alice, ORACLE, id, 20);
        vm.assertEq(locks.leaseEnd(ORACLE, id), block.timestamp + 20);
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + 20, "exact for an Exclusive holder");
    }

    /// @notice Renewals never carry a lock past `grantedAt + maxHold`: the last one is cut
    /// there, and then the lease ends for good.
    function test_renew_cutAtMaxHoldFromTheGrant() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 holdEnd = block.timestamp + MAX_HOLD;
        for (uint256 t = block.timestamp + 100; t < holdEnd - MAX_TTL; t += 250) {
            vm.warp(t);
            _renew(alice, ORACLE, id, MAX_TTL);
            vm.assertEq(locks.leaseEnd(ORACLE, id), t + MAX_TTL);
        }
        vm.warp(holdEnd - 100);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockRenewed(ORACLE, id, alice, holdEnd);
        _renew(alice, ORACLE, id, MAX_TTL);
        vm.assertEq(locks.leaseEnd(ORACLE, id), holdEnd, "cut at maxHold");
        vm.warp(holdEnd - 1);
        _renew(alice, ORACLE, id, MAX_TTL);
        vm.assertEq(locks.leaseEnd(ORACLE, id), holdEnd, "still cut");
        vm.warp(holdEnd);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksLeaseEnded.selector, ORACLE, id, holdEnd, holdEnd
            )
        );
        _renew(alice, ORACLE, id, MAX_TTL);
    }

    function testFuzz_renew_neverPastMaxHold(uint256 wait, uint256 ttl) public {
        uint256 id = _lock(alice, ORACLE, SHARED);
        uint256 grantedAt = block.timestamp;
        wait = bound(wait, 0, TTL - 1);
        ttl = bound(ttl, 1, MAX_TTL);
        vm.warp(block.timestamp + wait);
        _renew(alice, ORACLE, id, ttl);
        uint256 end = locks.leaseEnd(ORACLE, id);
        vm.assertLe(end - grantedAt, MAX_HOLD);
        vm.assertEq(end, block.timestamp + ttl);
    }

    function test_renew_sharedKeepsTheLatestEnd() public {
        uint256 a = _lock(alice, ORACLE, SHARED);
        uint256 b = _packet(bob);
        _request(bob, ORACLE, b, SHARED, MAX_TTL, 0);
        uint256 latest = block.timestamp + MAX_TTL;
        _renew(alice, ORACLE, a, 30);
        vm.assertEq(locks.nextExpiry(ORACLE), latest, "bob's end is still the latest");
        vm.warp(block.timestamp + 20);
        _renew(alice, ORACLE, a, MAX_TTL);
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + MAX_TTL, "alice's end is now later");
        // A Shared holder that shortens leaves the bound where it was (never earlier than a true end).
        _renew(alice, ORACLE, a, 5);
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + MAX_TTL);
        vm.assertGe(locks.nextExpiry(ORACLE), locks.leaseEnd(ORACLE, b));
    }

    function test_RevertWhen_renewNothingHeld() public {
        uint256 id = _packet(alice);
        vm.expectRevert(_notHeld(ORACLE, id, NONE));
        _renew(alice, ORACLE, id, TTL);
        _lock(bob, ORACLE, EXCLUSIVE);
        _request(alice, ORACLE, id, EXCLUSIVE, TTL, 0);
        vm.expectRevert(_notHeld(ORACLE, id, QUEUED));
        _renew(alice, ORACLE, id, TTL);
    }

    function testFuzz_RevertWhen_renewByNonHolder(address caller) public {
        vm.assume(caller != alice);
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        vm.expectRevert(_notHolder(ORACLE, id, caller));
        _renew(caller, ORACLE, id, TTL);
    }

    /// @notice An ended lease is never revived, even one second late and before anyone expired it.
    function test_RevertWhen_renewAfterTheLeaseEnded() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 end = block.timestamp + TTL;
        vm.warp(end - 1);
        _renew(alice, ORACLE, id, 1);
        vm.assertEq(locks.leaseEnd(ORACLE, id), end);
        vm.warp(end);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksLeaseEnded.selector, ORACLE, id, end, end
            )
        );
        _renew(alice, ORACLE, id, TTL);
    }

    function test_RevertWhen_renewTtlOutOfBounds() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        vm.expectRevert(_invalidTtl(0, MAX_TTL));
        _renew(alice, ORACLE, id, 0);
        vm.expectRevert(_invalidTtl(MAX_TTL + 1, MAX_TTL));
        _renew(alice, ORACLE, id, MAX_TTL + 1);
    }

    // ------------------------------------------------------------------
    // expire
    // ------------------------------------------------------------------

    function test_expire_byAnyoneOnceTheLeaseEnded() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 end = block.timestamp + TTL;
        vm.warp(end);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockExpired(ORACLE, id, alice, end);
        _expire(ORACLE, id);
        _assertState(ORACLE, id, NONE);
        _assertHolders(ORACLE, 0, 0);
    }

    function test_expire_grantsTheQueuedSuccessor() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _lock(bob, ORACLE, EXCLUSIVE);
        vm.warp(block.timestamp + TTL);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockExpired(ORACLE, a, alice, block.timestamp);
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockGranted(
            ORACLE, b, bob, ICoordinationLocks.Mode.Exclusive, block.timestamp + TTL
        );
        _expire(ORACLE, a);
        _assertHeld(ORACLE, b, bob, EXCLUSIVE, block.timestamp + TTL);
        _assertQueue(ORACLE, _ids());
    }

    function test_expire_theHolderMayExpireItsOwn() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        vm.warp(block.timestamp + TTL);
        vm.prank(alice);
        locks.expire(ORACLE, id);
        _assertState(ORACLE, id, NONE);
    }

    function test_RevertWhen_expireBeforeTheLeaseEnds() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 end = block.timestamp + TTL;
        vm.warp(end - 1);
        vm.expectRevert(_leaseNotEnded(ORACLE, id, end, end - 1));
        _expire(ORACLE, id);
        // Not even the holder.
        vm.expectRevert(_leaseNotEnded(ORACLE, id, end, end - 1));
        vm.prank(alice);
        locks.expire(ORACLE, id);
    }

    function test_RevertWhen_expireNothingHeld() public {
        uint256 id = _packet(alice);
        vm.expectRevert(_notHeld(ORACLE, id, NONE));
        _expire(ORACLE, id);
        _lock(bob, ORACLE, EXCLUSIVE);
        _request(alice, ORACLE, id, EXCLUSIVE, TTL, 0);
        vm.warp(block.timestamp + MAX_HOLD);
        vm.expectRevert(_notHeld(ORACLE, id, QUEUED));
        _expire(ORACLE, id);
    }

    /// @notice The lease boundary: every second after the grant is either renewable or
    /// expirable, never both.
    function testFuzz_renewOrExpire_partitionTime(uint256 wait) public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 end = block.timestamp + TTL;
        wait = bound(wait, 0, 2 * TTL);
        vm.warp(block.timestamp + wait);
        bool running = block.timestamp < end;
        vm.prank(alice);
        (bool renewed,) = address(locks).call(abi.encodeCall(ICoordinationLocks.renew, (ORACLE, id, 1)));
        vm.assertEq(renewed, running, "renewable only while running");
        if (!renewed) {
            _expire(ORACLE, id);
            _assertState(ORACLE, id, NONE);
        } else {
            vm.expectRevert(_leaseNotEnded(ORACLE, id, block.timestamp + 1, block.timestamp));
            _expire(ORACLE, id);
        }
    }
}
