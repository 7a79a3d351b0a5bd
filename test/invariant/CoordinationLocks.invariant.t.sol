// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../../contracts/CoordinationLocks.sol";
import {ViableToken} from "../../contracts/ViableToken.sol";
import {WorkRegistry} from "../../contracts/WorkRegistry.sol";
import {ICoordinationLocks} from "../../contracts/interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../../contracts/libraries/ParamKeys.sol";
import {ConstitutionHarness} from "../harness/ConstitutionHarness.sol";
import {Fixture} from "../utils/Fixture.sol";
import {Genesis} from "../utils/Genesis.sol";
import {Test} from "../utils/Test.sol";
import {CoordinationLocksHandler} from "./handlers/CoordinationLocksHandler.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice CoordinationLocks driven by {CoordinationLocksHandler} against its model, and the
/// checks of every property, shared by the invariant suite below and the fuzzed sequences
/// of `test/CoordinationLocks.fuzz.t.sol`. Five contributors with two Accepted packets each
/// (and one Pending packet) on two resources. The constitution is the test harness that
/// exposes its internal setter, so a bound changes in one call instead of an amendment's
/// eight minutes; the setter keeps every value inside its hard bounds as an amendment would.
abstract contract CoordinationLocksModelled is Fixture {
    CoordinationLocksHandler internal handler;
    ConstitutionHarness internal harness;
    CoordinationLocks internal lockModule;
    WorkRegistry internal registry;

    function _deployModelled() internal {
        vm.warp(1_700_000_000);
        address[] memory actors = new address[](5);
        (actors[0], actors[1], actors[2], actors[3], actors[4]) = (alice, bob, carol, steward, stranger);
        uint256[] memory amounts = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            amounts[i] = HOLDING;
        }
        vm.startPrank(deployer);
        token = new ViableToken("Viable Dev", "VIA", actors, amounts);
        harness = new ConstitutionHarness(Genesis.dev(), IVotes(address(token)));
        constitution = harness;
        registry = new WorkRegistry(address(harness));
        lockModule = new CoordinationLocks(address(harness));
        ILegitimacyConstitution.BootstrapConfig memory c;
        c.modules[uint256(ILegitimacyConstitution.Module.Work)] = address(registry);
        c.modules[uint256(ILegitimacyConstitution.Module.Coordination)] = address(lockModule);
        // A bootstrap must leave the Work House able to reach quorum.
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: 100});
        harness.bootstrap(c);
        vm.stopPrank();

        IWorkRegistry.Field[] memory f = new IWorkRegistry.Field[](1);
        f[0].fieldType = IWorkRegistry.FieldType.Uint256;
        IWorkRegistry.Acceptance memory immediate;
        bytes32 task = registry.registerSchema("task", f, immediate, address(0));
        address[] memory attesters = new address[](1);
        attesters[0] = guardian;
        bytes32 review = registry.registerSchema(
            "review",
            f,
            IWorkRegistry.Acceptance({
                mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 1, attesters: attesters, window: 300
            }),
            address(0)
        );

        uint256[] memory packetIds = new uint256[](10);
        address[] memory contributors = new address[](10);
        for (uint256 i; i < 10; ++i) {
            contributors[i] = actors[i % 5];
            vm.prank(contributors[i]);
            packetIds[i] = registry.submit(task, keccak256("work"), abi.encode(i));
        }
        vm.prank(alice);
        uint256 pending = registry.submit(review, keccak256("work"), abi.encode(uint256(99)));

        bytes32[] memory rs = new bytes32[](2);
        (rs[0], rs[1]) = (keccak256("interface:oracle"), keccak256("docs:handbook"));
        handler =
            new CoordinationLocksHandler(lockModule, harness, rs, actors, packetIds, contributors, pending);
    }

    // ------------------------------------------------------------------
    // Properties
    // ------------------------------------------------------------------

    /// @dev Never an Exclusive holder beside any other holder, and the resource's holder
    /// count and mode are those of its held requests. This and the next checks read the live requests the handler's model lists;
    /// `_checkModelAgrees` proves, over every packet, that the model lists exactly the
    /// module's live requests.
    function _checkExclusiveHolderIsAlone() internal view {
        bytes32[] memory rs = handler.resources();
        for (uint256 i; i < rs.length; ++i) {
            (uint256[] memory ids,) = handler.heldOf(rs[i]);
            uint256 exclusive;
            for (uint256 j; j < ids.length; ++j) {
                ICoordinationLocks.RequestInfo memory q = lockModule.requestInfo(rs[i], ids[j]);
                vm.assertEq(uint256(q.state), uint256(ICoordinationLocks.RequestState.Held), "held");
                if (q.mode == ICoordinationLocks.Mode.Exclusive) ++exclusive;
            }
            if (exclusive != 0) vm.assertEq(ids.length, 1, "an Exclusive holder is alone");
            ICoordinationLocks.ResourceInfo memory s = lockModule.resourceInfo(rs[i]);
            vm.assertEq(s.holders, ids.length, "holder count");
            if (ids.length != 0) {
                vm.assertEq(exclusive != 0, s.mode == ICoordinationLocks.Mode.Exclusive, "holders' mode");
            }
        }
    }

    /// @dev Grants follow request order per resource: no grant ever left an earlier
    /// request waiting, and the queue is always in request order.
    function _checkGrantsFollowRequestOrder() internal view {
        vm.assertEq(handler.fifoViolations(), 0, "a grant skipped an earlier request");
        bytes32[] memory rs = handler.resources();
        for (uint256 i; i < rs.length; ++i) {
            (uint256[] memory q,) = lockModule.queue(rs[i], 0, type(uint256).max);
            for (uint256 j = 1; j < q.length; ++j) {
                vm.assertLt(handler.ticketOf(rs[i], q[j - 1]), handler.ticketOf(rs[i], q[j]), "queue order");
            }
        }
    }

    /// @dev A queue never holds more than `locks.maxQueue` requests, except those that
    /// were already waiting when the bound was lowered (nobody joins such a queue).
    function _checkQueueWithinMaxQueue() internal view {
        vm.assertEq(handler.overfullEnqueues(), 0, "a request joined a full queue");
        uint256 maxQueue = harness.param(ParamKeys.LOCKS_MAX_QUEUE);
        bytes32[] memory rs = handler.resources();
        for (uint256 i; i < rs.length; ++i) {
            uint256 length = lockModule.resourceInfo(rs[i]).queueLength;
            uint256 allowed = handler.lengthAtCapChange(rs[i]);
            if (maxQueue > allowed) allowed = maxQueue;
            vm.assertLe(length, allowed, "queue length");
        }
    }

    /// @dev Every holder's packet is Accepted, and the holder is its contributor; a
    /// Pending packet never has a request.
    function _checkHoldersHoldAcceptedPackets() internal view {
        bytes32[] memory rs = handler.resources();
        for (uint256 i; i < rs.length; ++i) {
            (uint256[] memory ids,) = handler.heldOf(rs[i]);
            for (uint256 j; j < ids.length; ++j) {
                IWorkRegistry.Packet memory p = registry.packet(ids[j]);
                vm.assertEq(uint256(p.status), uint256(IWorkRegistry.Status.Accepted), "Accepted packet");
                vm.assertEq(lockModule.requestInfo(rs[i], ids[j]).requester, p.contributor, "its contributor");
            }
        }
        ICoordinationLocks.RequestState[] memory pending = lockModule.locksOf(handler.pendingPacket(), rs);
        for (uint256 i; i < pending.length; ++i) {
            vm.assertEq(uint256(pending[i]), 0, "a Pending packet never requests");
        }
    }

    /// @dev No lease outlives `locks.maxHold`: a lease ends at most `maxHold` (as in force
    /// when its end was set, and at most the largest ever) after its grant.
    function _checkNoLeaseOutlivesMaxHold() internal view {
        bytes32[] memory rs = handler.resources();
        uint256 maxHoldEver = handler.maxHoldEver();
        for (uint256 i; i < rs.length; ++i) {
            (uint256[] memory ids, uint256[] memory caps) = handler.heldOf(rs[i]);
            for (uint256 j; j < ids.length; ++j) {
                ICoordinationLocks.RequestInfo memory q = lockModule.requestInfo(rs[i], ids[j]);
                vm.assertLe(q.leaseEnd - q.grantedAt, caps[j], "within maxHold at the time");
                vm.assertLe(q.leaseEnd - q.grantedAt, maxHoldEver, "within every maxHold");
                vm.assertLe(q.grantedAt, block.timestamp, "granted in the past");
            }
        }
    }

    /// @dev An ended lease is never renewed.
    function _checkEndedLeaseNeverRenewed() internal view {
        vm.assertEq(handler.renewedAfterEnd(), 0);
    }

    /// @dev A withdrawn request is never granted.
    function _checkWithdrawnRequestNeverGranted() internal view {
        vm.assertEq(handler.withdrawnGranted(), 0);
    }

    /// @dev The module does exactly what the handler's independent model does: the same
    /// calls succeed, the same requests are granted in the same order, and every packet's
    /// request on every resource is in the same state, with the same lease, in the same
    /// queue; and the module's own bookkeeping agrees with itself (links, ends, length,
    /// positions, `nextExpiry`).
    function _checkModelAgrees() internal view {
        vm.assertEq(handler.mispredictions(), 0, "success or refusal as predicted");
        vm.assertEq(handler.grantMismatches(), 0, "grants as predicted");
        bytes32[] memory rs = handler.resources();
        uint256[] memory ps = handler.packets();
        ICoordinationLocks.RequestState[][] memory states = new ICoordinationLocks.RequestState[][](rs.length);
        uint256[][] memory ends = new uint256[][](rs.length);
        for (uint256 i; i < rs.length; ++i) {
            (states[i], ends[i]) = handler.modelStates(rs[i]);
        }
        for (uint256 j; j < ps.length; ++j) {
            ICoordinationLocks.RequestState[] memory actual = lockModule.locksOf(ps[j], rs);
            for (uint256 i; i < rs.length; ++i) {
                vm.assertEq(uint256(actual[i]), uint256(states[i][j]), "state");
                if (actual[i] == ICoordinationLocks.RequestState.Held) {
                    vm.assertEq(lockModule.leaseEnd(rs[i], ps[j]), ends[i][j], "lease end");
                }
            }
        }
        for (uint256 i; i < rs.length; ++i) {
            uint256[] memory expected = handler.modelQueue(rs[i]);
            (uint256[] memory q,) = lockModule.queue(rs[i], 0, type(uint256).max);
            vm.assertEq(q.length, expected.length, "queue length");
            for (uint256 j; j < q.length; ++j) {
                vm.assertEq(q[j], expected[j], "queue order");
            }
        }
        _assertQueueAndExpiryConsistent();
    }

    /// @dev The queue's links, ends and length agree, and `nextExpiry` bounds every
    /// holder's lease (exactly, for an Exclusive holder).
    function _assertQueueAndExpiryConsistent() internal view {
        bytes32[] memory rs = handler.resources();
        for (uint256 i; i < rs.length; ++i) {
            ICoordinationLocks.ResourceInfo memory s = lockModule.resourceInfo(rs[i]);
            uint256 id = s.head;
            uint256 last;
            uint256 n;
            while (id != 0) {
                ICoordinationLocks.RequestInfo memory q = lockModule.requestInfo(rs[i], id);
                vm.assertEq(
                    uint256(q.state), uint256(ICoordinationLocks.RequestState.Queued), "linked = queued"
                );
                vm.assertEq(lockModule.position(rs[i], id), ++n, "position");
                last = id;
                id = q.next;
            }
            vm.assertEq(n, s.queueLength, "length");
            vm.assertEq(last, s.tail, "tail");
            uint256 expiry = lockModule.nextExpiry(rs[i]);
            (uint256[] memory ids,) = handler.heldOf(rs[i]);
            for (uint256 j; j < ids.length; ++j) {
                ICoordinationLocks.RequestInfo memory q = lockModule.requestInfo(rs[i], ids[j]);
                vm.assertGe(expiry, q.leaseEnd, "nextExpiry bounds every lease");
                if (q.mode == ICoordinationLocks.Mode.Exclusive) vm.assertEq(expiry, q.leaseEnd, "exact");
            }
            if (s.holders == 0) vm.assertEq(expiry, 0, "nobody holds it");
        }
    }

    /// @dev Liveness, after every run: from whatever state the run left, letting time pass
    /// and calling only the permissionless `expire` and `grantNext` grants every waiting
    /// request in order and ends every lease, in a bounded number of steps.
    function _drain() internal {
        bytes32[] memory rs = handler.resources();
        uint256[] memory ps = handler.packets();
        uint256 maxHold = harness.param(ParamKeys.LOCKS_MAX_HOLD);
        if (handler.maxHoldEver() > maxHold) maxHold = handler.maxHoldEver();
        // Each round ends every lease and grants the next head or run: at most one round per request.
        for (uint256 round; round <= ps.length + 1; ++round) {
            vm.warp(block.timestamp + maxHold + 1);
            bool busy;
            for (uint256 i; i < rs.length; ++i) {
                for (uint256 j; j < ps.length; ++j) {
                    ICoordinationLocks.RequestInfo memory q = lockModule.requestInfo(rs[i], ps[j]);
                    // A lease granted earlier in this round has not ended yet: next round.
                    if (q.state == ICoordinationLocks.RequestState.Held && q.leaseEnd <= block.timestamp) {
                        vm.prank(stranger);
                        lockModule.expire(rs[i], ps[j]);
                    }
                    if (q.state != ICoordinationLocks.RequestState.None) busy = true;
                }
                ICoordinationLocks.ResourceInfo memory s = lockModule.resourceInfo(rs[i]);
                if (s.queueLength != 0 && s.holders == 0) {
                    vm.prank(stranger);
                    lockModule.grantNext(rs[i]);
                }
                busy = busy || lockModule.resourceInfo(rs[i]).queueLength != 0;
            }
            if (!busy) return;
        }
        revert("a queue did not drain");
    }
}

/// @notice Properties of CoordinationLocks that must hold after any sequence of requests,
/// releases, renewals, withdrawals, expiries, `grantNext` calls, the passing of time and
/// amendments of `locks.maxTtl`, `locks.maxHold` and `locks.maxQueue` (up and down, while
/// leases are held and queues wait). Each property's check is documented where it is
/// written, in {CoordinationLocksModelled}.
contract CoordinationLocksInvariantTest is CoordinationLocksModelled {
    function setUp() public {
        _deployModelled();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](8);
        selectors[0] = CoordinationLocksHandler.request.selector;
        selectors[1] = CoordinationLocksHandler.release.selector;
        selectors[2] = CoordinationLocksHandler.renew.selector;
        selectors[3] = CoordinationLocksHandler.withdraw.selector;
        selectors[4] = CoordinationLocksHandler.expire.selector;
        selectors[5] = CoordinationLocksHandler.grantNext.selector;
        selectors[6] = CoordinationLocksHandler.warp.selector;
        selectors[7] = CoordinationLocksHandler.setBound.selector;
        targetSelector(Test.FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Never an Exclusive holder beside any other holder.
    function invariant_exclusiveHolderIsAlone() public view {
        _checkExclusiveHolderIsAlone();
    }

    /// @notice Grants follow request order per resource.
    function invariant_grantsFollowRequestOrder() public view {
        _checkGrantsFollowRequestOrder();
    }

    /// @notice A queue never holds more than `locks.maxQueue` requests, except those already waiting when the bound was lowered.
    function invariant_queueWithinMaxQueue() public view {
        _checkQueueWithinMaxQueue();
    }

    /// @notice Every holder's packet is Accepted, and the holder is its contributor.
    function invariant_holdersHoldAcceptedPackets() public view {
        _checkHoldersHoldAcceptedPackets();
    }

    /// @notice No lease outlives `locks.maxHold`.
    function invariant_noLeaseOutlivesMaxHold() public view {
        _checkNoLeaseOutlivesMaxHold();
    }

    /// @notice An ended lease is never renewed.
    function invariant_endedLeaseNeverRenewed() public view {
        _checkEndedLeaseNeverRenewed();
    }

    /// @notice A withdrawn request is never granted.
    function invariant_withdrawnRequestNeverGranted() public view {
        _checkWithdrawnRequestNeverGranted();
    }

    /// @notice The module does exactly what an independent model of it does, and its bookkeeping agrees with itself.
    function invariant_modelAgrees() public view {
        _checkModelAgrees();
    }

    /// @notice Liveness, after every run: from whatever state the run left, time passing and
    /// only the permissionless `expire` and `grantNext` end every lease and grant every
    /// waiting request, in a bounded number of steps.
    function afterInvariant() public {
        _drain();
    }
}
