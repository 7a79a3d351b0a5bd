// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";

/// @notice Shared set-up of the CoordinationLocks suites: the whole suite as the SDK
/// deploys it (`_deploySuite`, which wires `locks` into the Coordination slot), an
/// Immediate schema so that contributors have Accepted packets, an Attested one for
/// packets that are not, and helpers that request, check and build the module's errors.
/// It extends the amendment base so that the parameter suites can amend the lock bounds
/// through the real amendment path. The dev genesis numbers are restated here.
abstract contract CoordinationLocksBase is AmendmentsBase {
    // Dev genesis (test/utils/Genesis.sol).
    uint256 internal constant MAX_TTL = 300;
    uint256 internal constant MAX_HOLD = 1200;
    uint256 internal constant MAX_QUEUE = 64;
    uint256 internal constant TTL_FLOOR = 10;

    uint8 internal constant EXCLUSIVE = 0;
    uint8 internal constant SHARED = 1;
    uint256 internal constant TTL = 120;

    ICoordinationLocks.RequestState internal constant NONE = ICoordinationLocks.RequestState.None;
    ICoordinationLocks.RequestState internal constant QUEUED = ICoordinationLocks.RequestState.Queued;
    ICoordinationLocks.RequestState internal constant HELD = ICoordinationLocks.RequestState.Held;

    bytes32 internal constant ORACLE = keccak256("interface:oracle");
    bytes32 internal constant DOCS = keccak256("docs:handbook");

    /// @dev Immediate, one uint256 field: every packet is Accepted at once.
    bytes32 internal taskSchema;
    /// @dev Attested by `reviewer` (quorum 1, 300 s): packets stay Pending until attested.
    bytes32 internal reviewSchema;
    address internal reviewer = makeAddr("reviewer");

    uint256 private _packetNonce;

    function setUp() public virtual override {
        super.setUp();
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), MAX_TTL, "dev maxTtl");
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_HOLD), MAX_HOLD, "dev maxHold");
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_QUEUE), MAX_QUEUE, "dev maxQueue");
        (uint256 ttlFloor,) = constitution.paramBounds(ParamKeys.LOCKS_MAX_TTL);
        vm.assertEq(ttlFloor, TTL_FLOOR, "dev maxTtl floor");

        taskSchema = _registerSchema(work, "locks.task");
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](1);
        fields[0].fieldType = IWorkRegistry.FieldType.Uint256;
        address[] memory attesters = new address[](1);
        attesters[0] = reviewer;
        reviewSchema = work.registerSchema(
            "locks.review",
            fields,
            IWorkRegistry.Acceptance({
                mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 1, attesters: attesters, window: 300
            }),
            address(0)
        );
    }

    // ------------------------------------------------------------------
    // Packets
    // ------------------------------------------------------------------

    /// @dev A new Accepted packet by `who`.
    function _packet(address who) internal returns (uint256 id) {
        vm.prank(who);
        id = work.submit(taskSchema, HASH, abi.encode(++_packetNonce));
    }

    /// @dev A new Pending packet by `who` (of the Attested schema).
    function _pendingPacket(address who) internal returns (uint256 id) {
        vm.prank(who);
        id = work.submit(reviewSchema, HASH, abi.encode(++_packetNonce));
    }

    // ------------------------------------------------------------------
    // Calls
    // ------------------------------------------------------------------

    function _request(
        address who,
        bytes32 resource,
        uint256 packetId,
        uint8 mode,
        uint256 ttl,
        uint256 notBefore
    ) internal returns (ICoordinationLocks.RequestState) {
        vm.prank(who);
        return locks.request(resource, packetId, mode, ttl, notBefore);
    }

    /// @dev `who` requests `resource` in `mode` under a new packet, for TTL, now.
    function _lock(address who, bytes32 resource, uint8 mode) internal returns (uint256 id) {
        id = _packet(who);
        _request(who, resource, id, mode, TTL, 0);
    }

    function _release(address who, bytes32 resource, uint256 packetId) internal {
        vm.prank(who);
        locks.release(resource, packetId);
    }

    function _renew(address who, bytes32 resource, uint256 packetId, uint256 ttl) internal {
        vm.prank(who);
        locks.renew(resource, packetId, ttl);
    }

    function _withdraw(address who, bytes32 resource, uint256 packetId, uint256 prev) internal {
        vm.prank(who);
        locks.withdraw(resource, packetId, prev);
    }

    function _expire(bytes32 resource, uint256 packetId) internal {
        vm.prank(stranger);
        locks.expire(resource, packetId);
    }

    // ------------------------------------------------------------------
    // Checks
    // ------------------------------------------------------------------

    function _state(bytes32 resource, uint256 packetId)
        internal
        view
        returns (ICoordinationLocks.RequestState)
    {
        return locks.requestInfo(resource, packetId).state;
    }

    function _assertState(bytes32 resource, uint256 packetId, ICoordinationLocks.RequestState expected)
        internal
        view
    {
        vm.assertEq(uint256(_state(resource, packetId)), uint256(expected), "request state");
    }

    function _assertHeld(bytes32 resource, uint256 packetId, address holder, uint8 mode, uint256 end)
        internal
        view
    {
        ICoordinationLocks.RequestInfo memory r = locks.requestInfo(resource, packetId);
        vm.assertEq(uint256(r.state), uint256(HELD), "held");
        vm.assertEq(r.requester, holder, "holder");
        vm.assertEq(uint256(r.mode), mode, "mode");
        vm.assertEq(r.leaseEnd, end, "lease end");
        vm.assertEq(locks.leaseEnd(resource, packetId), end, "leaseEnd view");
        vm.assertEq(r.ttl, 0, "no ttl once held");
        vm.assertEq(r.notBefore, 0, "no notBefore once held");
        vm.assertEq(r.next, 0, "no link once held");
    }

    function _assertHolders(bytes32 resource, uint256 holders, uint8 mode) internal view {
        ICoordinationLocks.ResourceInfo memory s = locks.resourceInfo(resource);
        vm.assertEq(s.holders, holders, "holders");
        if (holders != 0) vm.assertEq(uint256(s.mode), mode, "holders' mode");
    }

    /// @dev The queue is exactly `ids`, in order: head, tail, length, the links, each
    /// position, and the `queue` view.
    function _assertQueue(bytes32 resource, uint256[] memory ids) internal view {
        ICoordinationLocks.ResourceInfo memory s = locks.resourceInfo(resource);
        vm.assertEq(s.queueLength, ids.length, "queue length");
        vm.assertEq(s.head, ids.length == 0 ? 0 : ids[0], "head");
        vm.assertEq(s.tail, ids.length == 0 ? 0 : ids[ids.length - 1], "tail");
        for (uint256 i; i < ids.length; ++i) {
            ICoordinationLocks.RequestInfo memory r = locks.requestInfo(resource, ids[i]);
            vm.assertEq(uint256(r.state), uint256(QUEUED), "queued");
            vm.assertEq(r.next, i + 1 < ids.length ? ids[i + 1] : 0, "link");
            vm.assertEq(locks.position(resource, ids[i]), i + 1, "position");
        }
        (uint256[] memory all, uint256 next) = locks.queue(resource, 0, type(uint256).max);
        vm.assertEq(next, 0, "whole queue read");
        vm.assertEq(all.length, ids.length, "queue view length");
        for (uint256 i; i < ids.length; ++i) {
            vm.assertEq(all[i], ids[i], "queue view order");
        }
    }

    function _ids() internal pure returns (uint256[] memory) {
        return new uint256[](0);
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        (ids[0], ids[1]) = (a, b);
    }

    function _ids(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](3);
        (ids[0], ids[1], ids[2]) = (a, b, c);
    }

    // ------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------

    function _notHeld(bytes32 resource, uint256 packetId, ICoordinationLocks.RequestState state)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ICoordinationLocks.CoordinationLocksNotHeld.selector, resource, packetId, state
        );
    }

    function _notHolder(bytes32 resource, uint256 packetId, address caller)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ICoordinationLocks.CoordinationLocksNotHolder.selector, resource, packetId, caller
        );
    }

    function _notQueued(bytes32 resource, uint256 packetId, ICoordinationLocks.RequestState state)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ICoordinationLocks.CoordinationLocksNotQueued.selector, resource, packetId, state
        );
    }

    function _notRequester(bytes32 resource, uint256 packetId, address caller)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ICoordinationLocks.CoordinationLocksNotRequester.selector, resource, packetId, caller
        );
    }

    function _notContributor(uint256 packetId, address caller) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksNotContributor.selector, packetId, caller
            );
    }

    function _nothingToGrant(bytes32 resource, uint256 head) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                ICoordinationLocks.CoordinationLocksNothingToGrant.selector, resource, head
            );
    }

    function _leaseNotEnded(bytes32 resource, uint256 packetId, uint256 end, uint256 now_)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ICoordinationLocks.CoordinationLocksLeaseNotEnded.selector, resource, packetId, end, now_
        );
    }

    function _invalidTtl(uint256 ttl, uint256 maxTtl) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICoordinationLocks.CoordinationLocksInvalidTtl.selector, ttl, maxTtl);
    }

    function _queueFull(bytes32 resource, uint256 length, uint256 maxQueue)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ICoordinationLocks.CoordinationLocksQueueFull.selector, resource, length, maxQueue
        );
    }
}
