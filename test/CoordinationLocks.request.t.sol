// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../contracts/CoordinationLocks.sol";
import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "../contracts/libraries/ModuleKinds.sol";
import {CoordinationLocksBase} from "./CoordinationLocks.base.t.sol";

/// @notice `request`: granted at once when nobody waits, `notBefore` has come and the
/// mode is compatible; queued otherwise (FIFO, no barging); and every refusal.
contract CoordinationLocksRequestTest is CoordinationLocksBase {
    // ------------------------------------------------------------------
    // Construction
    // ------------------------------------------------------------------

    function test_constructor_answersToTheConstitution() public view {
        vm.assertEq(locks.constitution(), address(constitution));
        vm.assertEq(locks.moduleKind(), ModuleKinds.COORDINATION);
        vm.assertEq(locks.moduleKind(), keccak256("viable.module.Coordination"));
        vm.assertEq(locks.MAX_GRANTS_PER_CALL(), 8);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Coordination), address(locks));
    }

    function test_RevertWhen_constructorConstitutionIsNotAContract() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksInvalidConstitution.selector, address(0xC0FFEE)
            )
        );
        new CoordinationLocks(address(0xC0FFEE));
    }

    // ------------------------------------------------------------------
    // Granted at once
    // ------------------------------------------------------------------

    function test_request_grantsExclusiveOnIdleResource() public {
        uint256 id = _packet(alice);
        uint256 end = block.timestamp + TTL;
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockGranted(ORACLE, id, alice, ICoordinationLocks.Mode.Exclusive, end);
        vm.assertEq(uint256(_request(alice, ORACLE, id, EXCLUSIVE, TTL, 0)), uint256(HELD));

        _assertHeld(ORACLE, id, alice, EXCLUSIVE, end);
        vm.assertEq(locks.requestInfo(ORACLE, id).grantedAt, block.timestamp, "granted now");
        _assertHolders(ORACLE, 1, EXCLUSIVE);
        _assertQueue(ORACLE, _ids());
        vm.assertEq(locks.nextExpiry(ORACLE), end, "next expiry is the holder's end");
        vm.assertEq(locks.resourceInfo(ORACLE).expiresBy, end);
        vm.assertEq(locks.position(ORACLE, id), 0, "a holder has no queue position");
    }

    function test_request_grantsSharedBesideShared() public {
        uint256 a = _lock(alice, ORACLE, SHARED);
        vm.warp(block.timestamp + 10);
        uint256 b = _packet(bob);
        vm.assertEq(uint256(_request(bob, ORACLE, b, SHARED, TTL + 30, 0)), uint256(HELD));
        _assertHeld(ORACLE, a, alice, SHARED, block.timestamp - 10 + TTL);
        _assertHeld(ORACLE, b, bob, SHARED, block.timestamp + TTL + 30);
        _assertHolders(ORACLE, 2, SHARED);
        vm.assertEq(locks.nextExpiry(ORACLE), block.timestamp + TTL + 30, "the later end");
    }

    function test_request_pastOrPresentNotBeforeGrantsAtOnce() public {
        uint256 a = _packet(alice);
        vm.assertEq(uint256(_request(alice, ORACLE, a, SHARED, TTL, block.timestamp - 100)), uint256(HELD));
        uint256 b = _packet(bob);
        vm.assertEq(uint256(_request(bob, ORACLE, b, SHARED, TTL, block.timestamp)), uint256(HELD));
    }

    function test_request_onePacketHoldsManyResources() public {
        uint256 id = _packet(alice);
        _request(alice, ORACLE, id, EXCLUSIVE, TTL, 0);
        _request(alice, DOCS, id, SHARED, TTL, 0);
        bytes32[] memory rs = new bytes32[](3);
        (rs[0], rs[1], rs[2]) = (ORACLE, DOCS, keccak256("other"));
        ICoordinationLocks.RequestState[] memory states = locks.locksOf(id, rs);
        vm.assertEq(states.length, 3);
        vm.assertEq(uint256(states[0]), uint256(HELD));
        vm.assertEq(uint256(states[1]), uint256(HELD));
        vm.assertEq(uint256(states[2]), uint256(NONE));
    }

    function test_request_againAfterRelease() public {
        uint256 id = _lock(alice, ORACLE, EXCLUSIVE);
        _release(alice, ORACLE, id);
        _assertState(ORACLE, id, NONE);
        vm.assertEq(uint256(_request(alice, ORACLE, id, SHARED, TTL, 0)), uint256(HELD));
        _assertHeld(ORACLE, id, alice, SHARED, block.timestamp + TTL);
    }

    function test_request_textKeyIsKeccakOfUtf8() public pure {
        vm.assertEq(ORACLE, keccak256(bytes("interface:oracle")));
    }

    // ------------------------------------------------------------------
    // Queued
    // ------------------------------------------------------------------

    function test_request_queuesExclusiveBehindShared() public {
        _lock(alice, ORACLE, SHARED);
        uint256 b = _packet(bob);
        uint256 nb = block.timestamp + 5;
        vm.expectEmit(address(locks));
        emit ICoordinationLocks.LockQueued(ORACLE, b, bob, ICoordinationLocks.Mode.Exclusive, TTL, nb, 1);
        vm.assertEq(uint256(_request(bob, ORACLE, b, EXCLUSIVE, TTL, nb)), uint256(QUEUED));

        ICoordinationLocks.RequestInfo memory r = locks.requestInfo(ORACLE, b);
        vm.assertEq(r.requester, bob);
        vm.assertEq(uint256(r.mode), EXCLUSIVE);
        vm.assertEq(r.ttl, TTL);
        vm.assertEq(r.notBefore, nb);
        vm.assertEq(r.leaseEnd, 0);
        vm.assertEq(r.grantedAt, 0);
        vm.assertEq(locks.leaseEnd(ORACLE, b), 0, "no lease while queued");
        _assertQueue(ORACLE, _ids(b));
        _assertHolders(ORACLE, 1, SHARED);
    }

    function test_request_queuesSharedBehindExclusive() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _packet(bob);
        vm.assertEq(uint256(_request(bob, ORACLE, b, SHARED, TTL, 0)), uint256(QUEUED));
        uint256 c = _packet(carol);
        vm.assertEq(uint256(_request(carol, ORACLE, c, EXCLUSIVE, TTL, 0)), uint256(QUEUED));
        _assertQueue(ORACLE, _ids(b, c));
    }

    /// @notice No barging: a Shared request behind a waiting Exclusive one waits, though
    /// it would be compatible with the Shared holders.
    function test_request_sharedBehindWaitingExclusiveWaits() public {
        _lock(alice, ORACLE, SHARED);
        uint256 b = _packet(bob);
        _request(bob, ORACLE, b, EXCLUSIVE, TTL, 0);
        uint256 c = _packet(carol);
        vm.assertEq(uint256(_request(carol, ORACLE, c, SHARED, TTL, 0)), uint256(QUEUED));
        _assertQueue(ORACLE, _ids(b, c));
        _assertHolders(ORACLE, 1, SHARED);
    }

    /// @notice A future `notBefore` queues even on an idle resource, and blocks whatever
    /// comes behind it, compatible or not (strict FIFO).
    function test_request_futureNotBeforeQueuesAndBlocks() public {
        uint256 a = _packet(alice);
        vm.assertEq(uint256(_request(alice, ORACLE, a, SHARED, TTL, block.timestamp + 60)), uint256(QUEUED));
        _assertHolders(ORACLE, 0, 0);
        uint256 b = _packet(bob);
        vm.assertEq(uint256(_request(bob, ORACLE, b, SHARED, TTL, 0)), uint256(QUEUED));
        _assertQueue(ORACLE, _ids(a, b));
    }

    /// @notice A queue on one resource does not touch another.
    function test_request_resourcesAreIndependent() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _packet(bob);
        _request(bob, ORACLE, b, EXCLUSIVE, TTL, 0);
        uint256 c = _packet(carol);
        vm.assertEq(uint256(_request(carol, DOCS, c, EXCLUSIVE, TTL, 0)), uint256(HELD));
        _assertQueue(DOCS, _ids());
        _assertQueue(ORACLE, _ids(b));
    }

    function test_request_queueFillsToMaxQueue() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        for (uint256 i; i < MAX_QUEUE; ++i) {
            _lock(bob, ORACLE, SHARED);
        }
        vm.assertEq(locks.resourceInfo(ORACLE).queueLength, MAX_QUEUE);
        uint256 late = _packet(carol);
        vm.expectRevert(_queueFull(ORACLE, MAX_QUEUE, MAX_QUEUE));
        _request(carol, ORACLE, late, SHARED, TTL, 0);
    }

    /// @notice Filling a queue only makes newcomers wait their turn: a slot freed anywhere
    /// in a full queue is taken at the tail, never ahead of those already waiting.
    function test_request_freedSlotInAFullQueueIsAtTheTail() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256[] memory q = new uint256[](MAX_QUEUE);
        for (uint256 i; i < MAX_QUEUE; ++i) {
            q[i] = _lock(bob, ORACLE, SHARED);
        }
        uint256 late = _packet(carol);
        vm.expectRevert(_queueFull(ORACLE, MAX_QUEUE, MAX_QUEUE));
        _request(carol, ORACLE, late, SHARED, TTL, 0);
        _withdraw(bob, ORACLE, q[10], q[9]);
        vm.assertEq(uint256(_request(carol, ORACLE, late, SHARED, TTL, 0)), uint256(QUEUED));
        vm.assertEq(locks.position(ORACLE, late), MAX_QUEUE, "last");
        vm.assertEq(locks.resourceInfo(ORACLE).tail, late);
        vm.assertEq(locks.position(ORACLE, q[11]), 11, "those behind the leaver moved up one");
    }

    // ------------------------------------------------------------------
    // Refusals, in the order the checks run
    // ------------------------------------------------------------------

    function test_RevertWhen_requestModeIsNotAMode() public {
        uint256 id = _packet(alice);
        vm.expectRevert(abi.encodeWithSelector(ICoordinationLocks.CoordinationLocksInvalidMode.selector, 2));
        _request(alice, ORACLE, id, 2, TTL, 0);
        vm.expectRevert(abi.encodeWithSelector(ICoordinationLocks.CoordinationLocksInvalidMode.selector, 255));
        _request(alice, ORACLE, id, 255, TTL, 0);
    }

    function test_RevertWhen_requestPacketIdZeroOrBeyond64Bits() public {
        vm.expectRevert(
            abi.encodeWithSelector(ICoordinationLocks.CoordinationLocksInvalidPacketId.selector, 0)
        );
        _request(alice, ORACLE, 0, EXCLUSIVE, TTL, 0);
        uint256 big = uint256(type(uint64).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(ICoordinationLocks.CoordinationLocksInvalidPacketId.selector, big)
        );
        _request(alice, ORACLE, big, EXCLUSIVE, TTL, 0);
        // 2^64 - 1 is a well-formed id: the request gets past the format check and is
        // refused only because no such packet exists.
        vm.prank(alice);
        try locks.request(ORACLE, type(uint64).max, EXCLUSIVE, TTL, 0) {
            vm.assertTrue(false, "no packet has that id");
        } catch (bytes memory err) {
            vm.assertNotEq(bytes4(err), ICoordinationLocks.CoordinationLocksInvalidPacketId.selector);
        }
    }

    function test_RevertWhen_requestTtlZero() public {
        uint256 id = _packet(alice);
        vm.expectRevert(_invalidTtl(0, MAX_TTL));
        _request(alice, ORACLE, id, EXCLUSIVE, 0, 0);
    }

    function test_RevertWhen_requestTtlAboveMaxTtl() public {
        uint256 id = _packet(alice);
        vm.expectRevert(_invalidTtl(MAX_TTL + 1, MAX_TTL));
        _request(alice, ORACLE, id, EXCLUSIVE, MAX_TTL + 1, 0);
        // The bound itself is fine.
        vm.assertEq(uint256(_request(alice, ORACLE, id, EXCLUSIVE, MAX_TTL, 0)), uint256(HELD));
    }

    function testFuzz_request_ttlWithinBounds(uint256 ttl) public {
        uint256 id = _packet(alice);
        if (ttl == 0 || ttl > MAX_TTL) {
            vm.expectRevert(_invalidTtl(ttl, MAX_TTL));
            _request(alice, ORACLE, id, EXCLUSIVE, ttl, 0);
        } else {
            _request(alice, ORACLE, id, EXCLUSIVE, ttl, 0);
            vm.assertEq(locks.leaseEnd(ORACLE, id), block.timestamp + ttl);
        }
    }

    /// @notice A request that holds nothing yet may block the queue behind it for at most
    /// one lease: `notBefore` lies at most `maxTtl` ahead.
    function test_RevertWhen_requestNotBeforeBeyondMaxTtl() public {
        uint256 id = _packet(alice);
        uint256 latest = block.timestamp + MAX_TTL;
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksNotBeforeTooLate.selector, latest + 1, latest
            )
        );
        _request(alice, ORACLE, id, EXCLUSIVE, TTL, latest + 1);
        vm.assertEq(uint256(_request(alice, ORACLE, id, EXCLUSIVE, TTL, latest)), uint256(QUEUED));
    }

    /// @notice A `notBefore` exactly at the entrenched floor's horizon needs no read of
    /// `locks.maxTtl` (no maxTtl can be below the floor): a short request waiting that
    /// long is accepted.
    function test_request_notBeforeAtTheFloorsHorizonIsAccepted() public {
        uint256 id = _packet(alice);
        uint256 notBefore = block.timestamp + TTL_FLOOR;
        vm.assertEq(uint256(_request(alice, ORACLE, id, EXCLUSIVE, TTL_FLOOR, notBefore)), uint256(QUEUED));
    }

    function test_RevertWhen_requestWorkRegistryUnset() public {
        // The constitution refuses a bootstrap without a Work module, so an empty slot
        // cannot be reached through it; the module still guards the directory read.
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.module, (ILegitimacyConstitution.Module.Work)),
            abi.encode(address(0))
        );
        vm.expectRevert(ICoordinationLocks.CoordinationLocksWorkUnset.selector);
        vm.prank(alice);
        locks.request(ORACLE, 1, EXCLUSIVE, TTL, 0);
    }

    function test_RevertWhen_requestUnknownPacket() public {
        uint256 unknown = work.packetCount() + 1;
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, unknown));
        _request(alice, ORACLE, unknown, EXCLUSIVE, TTL, 0);
    }

    function test_RevertWhen_requestByNonContributor() public {
        uint256 id = _packet(alice);
        vm.expectRevert(_notContributor(id, bob));
        _request(bob, ORACLE, id, EXCLUSIVE, TTL, 0);
    }

    function testFuzz_RevertWhen_requestByNonContributor(address caller) public {
        vm.assume(caller != alice);
        uint256 id = _packet(alice);
        vm.expectRevert(_notContributor(id, caller));
        _request(caller, ORACLE, id, EXCLUSIVE, TTL, 0);
    }

    function test_RevertWhen_requestPacketPending() public {
        uint256 id = _pendingPacket(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksPacketNotAccepted.selector,
                id,
                IWorkRegistry.Status.Pending
            )
        );
        _request(alice, ORACLE, id, EXCLUSIVE, TTL, 0);
        // Once attested it may.
        vm.prank(reviewer);
        work.attest(id);
        vm.assertEq(uint256(_request(alice, ORACLE, id, EXCLUSIVE, TTL, 0)), uint256(HELD));
    }

    function test_RevertWhen_requestPacketRetractedOrExpired() public {
        uint256 retracted = _pendingPacket(alice);
        vm.prank(alice);
        work.retract(retracted);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksPacketNotAccepted.selector,
                retracted,
                IWorkRegistry.Status.Retracted
            )
        );
        _request(alice, ORACLE, retracted, EXCLUSIVE, TTL, 0);

        uint256 expired = _pendingPacket(alice);
        vm.warp(block.timestamp + 301);
        work.expire(expired);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksPacketNotAccepted.selector,
                expired,
                IWorkRegistry.Status.Expired
            )
        );
        _request(alice, ORACLE, expired, EXCLUSIVE, TTL, 0);
    }

    function test_RevertWhen_requestAgainWhileHeld() public {
        uint256 id = _lock(alice, ORACLE, SHARED);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksAlreadyRequested.selector, ORACLE, id, HELD
            )
        );
        _request(alice, ORACLE, id, SHARED, TTL, 0);
    }

    function test_RevertWhen_requestAgainWhileQueued() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 id = _lock(bob, ORACLE, EXCLUSIVE);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksAlreadyRequested.selector, ORACLE, id, QUEUED
            )
        );
        _request(bob, ORACLE, id, EXCLUSIVE, TTL, 0);
        _assertQueue(ORACLE, _ids(id));
    }
}

