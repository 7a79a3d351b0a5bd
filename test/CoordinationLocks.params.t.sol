// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {CoordinationLocksBase} from "./CoordinationLocks.base.t.sol";

/// @notice The constitution bounds the module through `locks.maxTtl`, `locks.maxHold` and
/// `locks.maxQueue`, read at each call. Each test amends a bound through the real
/// amendment path while leases are held and requests wait, and shows that the amendment
/// takes effect at once for what comes next and leaves granted leases and queued
/// requests where they were. (An amendment takes about eight minutes of dev-genesis
/// time; leases that must outlive one are granted under raised bounds first.)
contract CoordinationLocksParamsTest is CoordinationLocksBase {
    uint256 internal constant HOUR = 3600;

    /// @dev Raise maxTtl to an hour and maxHold to two, so that leases outlive an amendment.
    function _raiseBounds() internal {
        _enact(_two(_setParam(ParamKeys.LOCKS_MAX_TTL, HOUR), _setParam(ParamKeys.LOCKS_MAX_HOLD, 2 * HOUR)));
    }

    // ------------------------------------------------------------------
    // locks.maxQueue
    // ------------------------------------------------------------------

    /// @notice Lowered below a queue's length: nobody waiting is dropped, new requests are
    /// refused until the queue drains below the new bound, then accepted up to it.
    function test_maxQueueLowered_keepsTheQueueAndRefusesNewcomers() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256[] memory q = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            q[i] = _lock(bob, ORACLE, EXCLUSIVE);
        }
        _enact(_one(_setParam(ParamKeys.LOCKS_MAX_QUEUE, 3)));
        vm.assertEq(locks.resourceInfo(ORACLE).queueLength, 5, "nobody dropped");
        for (uint256 i; i < 5; ++i) {
            _assertState(ORACLE, q[i], QUEUED);
        }

        uint256 late = _packet(carol);
        vm.expectRevert(_queueFull(ORACLE, 5, 3));
        _request(carol, ORACLE, late, SHARED, TTL, 0);

        _expire(ORACLE, a); // alice's lease ended during the amendment: q[0] is granted
        _assertState(ORACLE, q[0], HELD);
        vm.expectRevert(_queueFull(ORACLE, 4, 3));
        _request(carol, ORACLE, late, SHARED, TTL, 0);

        _withdraw(bob, ORACLE, q[4], q[3]);
        _withdraw(bob, ORACLE, q[3], q[2]);
        vm.assertEq(uint256(_request(carol, ORACLE, late, SHARED, TTL, 0)), uint256(QUEUED));
        uint256 later = _packet(carol);
        vm.expectRevert(_queueFull(ORACLE, 3, 3));
        _request(carol, ORACLE, later, SHARED, TTL, 0);
        _assertQueue(ORACLE, _ids(q[1], q[2], late));
    }

    // ------------------------------------------------------------------
    // locks.maxTtl
    // ------------------------------------------------------------------

    /// @notice Lowered: the granted lease keeps its end; a request queued under the old
    /// bound gets a lease cut to the new one when it is granted; new requests and renewals
    /// must fit the new bound, and so must a new request's `notBefore`.
    function test_maxTtlLowered_cutsQueuedLeasesAndBoundsNewOnes() public {
        _raiseBounds();
        uint256 a = _packet(alice);
        _request(alice, ORACLE, a, EXCLUSIVE, HOUR, 0);
        uint256 end = block.timestamp + HOUR;
        uint256 b = _packet(bob);
        _request(bob, ORACLE, b, EXCLUSIVE, HOUR, 0);

        _enact(_one(_setParam(ParamKeys.LOCKS_MAX_TTL, 60)));
        vm.assertEq(locks.leaseEnd(ORACLE, a), end, "held lease untouched");
        vm.assertEq(locks.requestInfo(ORACLE, b).ttl, HOUR, "queued request untouched");

        vm.expectRevert(_invalidTtl(61, 60));
        _renew(alice, ORACLE, a, 61);
        uint256 c = _packet(carol);
        vm.expectRevert(_invalidTtl(61, 60));
        _request(carol, DOCS, c, EXCLUSIVE, 61, 0);
        uint256 latest = block.timestamp + 60;
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksNotBeforeTooLate.selector, latest + 1, latest
            )
        );
        _request(carol, DOCS, c, EXCLUSIVE, 60, latest + 1);

        _release(alice, ORACLE, a);
        _assertHeld(ORACLE, b, bob, EXCLUSIVE, block.timestamp + 60);
    }

    // ------------------------------------------------------------------
    // locks.maxHold
    // ------------------------------------------------------------------

    /// @notice At the entrenched floor (1, the hard lower bound, which the module checks
    /// without reading the parameter) the queue is full with one waiting.
    function test_RevertWhen_queueFullAtTheFloorOfMaxQueue() public {
        _enact(_one(_setParam(ParamKeys.LOCKS_MAX_QUEUE, 1)));
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _lock(bob, ORACLE, EXCLUSIVE);
        _assertState(ORACLE, b, QUEUED);
        uint256 late = _packet(carol);
        vm.expectRevert(_queueFull(ORACLE, 1, 1));
        _request(carol, ORACLE, late, SHARED, TTL, 0);
    }

    /// @notice A short request (ttl and notBefore within the entrenched floor) joining a
    /// non-empty queue reads only `locks.maxQueue`, and is queued against its real value.
    function test_shortRequestJoinsAQueueUnderItsBound() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _packet(bob);
        vm.assertEq(uint256(_request(bob, ORACLE, b, EXCLUSIVE, 5, 0)), uint256(QUEUED));
        uint256 c = _packet(carol);
        vm.assertEq(uint256(_request(carol, ORACLE, c, EXCLUSIVE, 5, 0)), uint256(QUEUED));
        vm.assertEq(locks.resourceInfo(ORACLE).queueLength, 2);
    }

    /// @notice The hold end is inclusive: at `grantedAt + maxHold` itself a running lease
    /// can no longer be renewed.
    function test_RevertWhen_renewedAtTheHoldEndItself() public {
        _raiseBounds();
        uint256 a = _packet(alice);
        _request(alice, ORACLE, a, EXCLUSIVE, HOUR, 0);
        uint256 grantedAt = block.timestamp;
        _enact(_one(_setParam(ParamKeys.LOCKS_MAX_HOLD, 600)));
        vm.warp(grantedAt + 600);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksHoldExhausted.selector, ORACLE, a, grantedAt + 600
            )
        );
        _renew(alice, ORACLE, a, 60);
    }

    /// @notice Lowered while a lock is held: its lease keeps its end, but it can no longer
    /// be renewed past `grantedAt + maxHold` — and once that has passed, not at all.
    function test_maxHoldLowered_boundsRenewalsOfHeldLocks() public {
        _raiseBounds();
        uint256 a = _packet(alice);
        _request(alice, ORACLE, a, EXCLUSIVE, HOUR, 0);
        uint256 grantedAt = block.timestamp;
        uint256 d = _packet(alice);
        _request(alice, DOCS, d, EXCLUSIVE, HOUR, 0);

        _enact(_one(_setParam(ParamKeys.LOCKS_MAX_HOLD, 600)));
        vm.assertLt(block.timestamp, grantedAt + 600, "the amendment took less than ten minutes");
        vm.assertEq(locks.leaseEnd(ORACLE, a), grantedAt + HOUR, "held lease untouched");

        // Renewing now is cut at the new hold end (here shortening the lease).
        _renew(alice, DOCS, d, HOUR);
        vm.assertEq(locks.leaseEnd(DOCS, d), grantedAt + 600);

        // Past the new hold end, the lease still runs but cannot be renewed.
        vm.warp(grantedAt + 700);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksHoldExhausted.selector, ORACLE, a, grantedAt + 600
            )
        );
        _renew(alice, ORACLE, a, 60);
        _assertState(ORACLE, a, HELD);
        vm.expectRevert(_leaseNotEnded(ORACLE, a, grantedAt + HOUR, block.timestamp));
        _expire(ORACLE, a);
        vm.warp(grantedAt + HOUR);
        _expire(ORACLE, a);
    }

    /// @notice Lowered: a queued request's lease is cut to it at the grant, and so is a
    /// lease granted at once when `maxHold` is below `maxTtl`.
    function test_maxHoldLowered_cutsNewLeases() public {
        _raiseBounds();
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _packet(bob);
        _request(bob, ORACLE, b, SHARED, HOUR, 0);

        _enact(_one(_setParam(ParamKeys.LOCKS_MAX_HOLD, 600)));
        _expire(ORACLE, a);
        _assertHeld(ORACLE, b, bob, SHARED, block.timestamp + 600);

        uint256 c = _packet(carol);
        _request(carol, DOCS, c, EXCLUSIVE, HOUR, 0);
        _assertHeld(DOCS, c, carol, EXCLUSIVE, block.timestamp + 600);
    }

    // ------------------------------------------------------------------
    // Work swap
    // ------------------------------------------------------------------

    /// @notice The Work registry is looked up at each request: after a swap, packets are
    /// those of the new registry; a lock held under an old packet is still released by
    /// its holder.
    function test_workSwap_requestsUseTheNewRegistry() public {
        uint256 old = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 oldQueued = _packet(alice);
        WorkRegistry fresh = new WorkRegistry(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(fresh))));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(fresh));

        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, oldQueued));
        _request(alice, DOCS, oldQueued, EXCLUSIVE, TTL, 0);

        bytes32 schema = _registerSchema(fresh, "fresh.task");
        vm.prank(bob);
        uint256 id = fresh.submit(schema, HASH, abi.encode(uint256(1)));
        vm.assertEq(id, 1);
        vm.expectRevert(_notContributor(id, alice));
        _request(alice, DOCS, id, EXCLUSIVE, TTL, 0);
        vm.assertEq(uint256(_request(bob, DOCS, id, EXCLUSIVE, TTL, 0)), uint256(HELD));

        _release(alice, ORACLE, old);
        _assertState(ORACLE, old, NONE);
    }

    /// @notice Packet ids restart with a new registry. A new packet that shares its id with
    /// a live request made under the old registry is refused on that resource until the
    /// old request ends; its contributor cannot touch the old lock, which stays its
    /// holder's.
    function test_workSwap_reusedPacketIdWaitsForTheOldRequest() public {
        uint256 old = _lock(alice, ORACLE, EXCLUSIVE);
        WorkRegistry fresh = new WorkRegistry(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(fresh))));
        bytes32 schema = _registerSchema(fresh, "fresh.task");
        uint256 id;
        while (id < old) {
            vm.prank(bob);
            id = fresh.submit(schema, HASH, abi.encode(id));
        }
        vm.assertEq(id, old, "the same id, another packet");

        vm.expectRevert(
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksAlreadyRequested.selector, ORACLE, id, HELD
            )
        );
        _request(bob, ORACLE, id, SHARED, TTL, 0);
        vm.expectRevert(_notHolder(ORACLE, old, bob));
        _release(bob, ORACLE, old);
        vm.expectRevert(_notHolder(ORACLE, old, bob));
        _renew(bob, ORACLE, old, TTL);
        // Elsewhere the new packet is free to request; here, once the old lock has ended.
        vm.assertEq(uint256(_request(bob, DOCS, id, SHARED, TTL, 0)), uint256(HELD));
        _release(alice, ORACLE, old);
        vm.assertEq(uint256(_request(bob, ORACLE, id, SHARED, TTL, 0)), uint256(HELD));
        vm.assertEq(locks.requestInfo(ORACLE, id).requester, bob);
    }
}
