// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "./interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {IWorkRegistry} from "./interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "./libraries/ModuleKinds.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title CoordinationLocks — System 2
/// @notice See {ICoordinationLocks}.
/// @dev Storage is laid out so that a lock granted at once on a resource never used
/// before writes exactly two fresh slots (the resource and the request), and a queued
/// request one fresh slot for itself plus the link from the request ahead of it. Records
/// and links are deleted when a request ends. The constitution's three parameters are
/// read at each call, except where the parameter's entrenched lower hard bound (read
/// once at construction; no amendment can go below it) already answers the question.
contract CoordinationLocks is ICoordinationLocks {
    // ------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------

    /// @inheritdoc ICoordinationLocks
    uint256 public constant MAX_GRANTS_PER_CALL = 8;

    /// @inheritdoc IViableModule
    address public immutable constitution;
    /// @inheritdoc IViableModule
    bytes32 public constant moduleKind = ModuleKinds.COORDINATION;

    /// @dev The lower hard bounds of `locks.maxTtl`, `locks.maxHold` and `locks.maxQueue`,
    /// fixed when the constitution was deployed: a value within them needs no read.
    uint256 private immutable _ttlFloor;
    uint256 private immutable _holdFloor;
    uint256 private immutable _queueFloor;

    // ------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------

    /// @dev A resource in ONE slot: holders (bits 0-31), the holders' mode (32-39), the
    /// queue length (40-55; at most 1024, the structural bound of `locks.maxQueue`), the
    /// packet ids of the queue's head (56-119) and tail (120-183), and `expiresBy`
    /// (184-223), the latest lease end granted or renewed since the resource last had no
    /// holder. `expiresBy` is never reset to zero, so a resource once used keeps a
    /// non-zero slot and later grants update it instead of paying for a fresh one.
    struct Resource {
        uint32 holders;
        Mode mode;
        uint16 queueLength;
        uint64 head;
        uint64 tail;
        uint40 expiresBy;
    }

    /// @dev A request in ONE slot: requester (bits 0-159), state (160-167), mode
    /// (168-175), then two times whose meaning follows the state. Queued: `notBefore`
    /// (176-215) and the `ttl` asked for (216-255). Held: the lease end (176-215) and
    /// the grant time (216-255). Deleted when the request ends.
    struct Request {
        address requester;
        RequestState state;
        Mode mode;
        uint40 leaseEndOrNotBefore;
        uint40 grantedAtOrTtl;
    }

    mapping(bytes32 resource => Resource) private _resources;
    mapping(bytes32 resource => mapping(uint256 packetId => Request)) private _requests;
    /// @dev The queue links: for a queued request, the packet id of the request behind it
    /// (0 for the tail). Non-zero only for queued requests; cleared when one leaves the
    /// queue, so a non-zero link always belongs to a request still waiting.
    mapping(bytes32 resource => mapping(uint256 packetId => uint64 next)) private _next;

    // ------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------

    /// @param constitution_ The LegitimacyConstitution this module answers to.
    constructor(address constitution_) {
        if (constitution_.code.length == 0) revert CoordinationLocksInvalidConstitution(constitution_);
        constitution = constitution_;
        ILegitimacyConstitution c = ILegitimacyConstitution(constitution_);
        // slither-disable-next-line unused-return (the value left out is not needed)
        (_ttlFloor,) = c.paramBounds(ParamKeys.LOCKS_MAX_TTL);
        // slither-disable-next-line unused-return (the value left out is not needed)
        (_holdFloor,) = c.paramBounds(ParamKeys.LOCKS_MAX_HOLD);
        // slither-disable-next-line unused-return (the value left out is not needed)
        (_queueFloor,) = c.paramBounds(ParamKeys.LOCKS_MAX_QUEUE);
    }

    // ------------------------------------------------------------------
    // External state-changing
    // ------------------------------------------------------------------

    /// @inheritdoc ICoordinationLocks
    function request(bytes32 resource, uint256 packetId, uint8 mode, uint256 ttl, uint256 notBefore)
        external
        returns (RequestState state)
    {
        if (mode > uint8(Mode.Shared)) revert CoordinationLocksInvalidMode(mode);
        if (packetId == 0 || packetId > type(uint64).max) revert CoordinationLocksInvalidPacketId(packetId);
        if (ttl == 0) revert CoordinationLocksInvalidTtl(ttl, _param(ParamKeys.LOCKS_MAX_TTL));

        Resource memory s = _resources[resource];
        Mode m = Mode(mode);
        bool grant = s.queueLength == 0 && notBefore <= block.timestamp
            && (s.holders == 0 || (s.mode == Mode.Shared && m == Mode.Shared));
        // The parameters this request needs, in one call to the constitution: `maxTtl`
        // beyond its floor (the ttl, or a `notBefore` past the floor's horizon), and
        // `maxHold` for a grant or `maxQueue` for a queued request beyond theirs.
        (uint256 maxTtl, uint256 limit) = _requestParams(ttl, notBefore, grant, s.queueLength);
        if (ttl > _ttlFloor && ttl > maxTtl) revert CoordinationLocksInvalidTtl(ttl, maxTtl);
        // A waiting head blocks everyone behind it, so it may wait at most one lease ahead.
        if (notBefore > block.timestamp + _ttlFloor) {
            uint256 latest = block.timestamp + maxTtl;
            if (notBefore > latest) revert CoordinationLocksNotBeforeTooLate(notBefore, latest);
        }
        _checkPacket(packetId);

        Request storage r = _requests[resource][packetId];
        if (r.state != RequestState.None) {
            revert CoordinationLocksAlreadyRequested(resource, packetId, r.state);
        }

        if (grant) {
            // The `ttl` is within `locks.maxTtl` (checked above); the hold bound cuts it.
            uint256 end = block.timestamp + (ttl > _holdFloor && ttl > limit ? limit : ttl);
            _storeHeld(r, msg.sender, m, end);
            _addHolder(s, m, end);
            _storeResource(resource, s);
            emit LockGranted(resource, packetId, msg.sender, m, end);
            return RequestState.Held;
        }

        _enqueue(resource, packetId, r, s, m, ttl, notBefore, limit);
        return RequestState.Queued;
    }

    /// @inheritdoc ICoordinationLocks
    function release(bytes32 resource, uint256 packetId) external {
        _heldBy(resource, packetId, msg.sender);
        delete _requests[resource][packetId];
        emit LockReleased(resource, packetId, msg.sender);
        Resource memory s = _resources[resource];
        --s.holders;
        _grantRun(resource, s);
        _storeResource(resource, s);
    }

    /// @inheritdoc ICoordinationLocks
    function renew(bytes32 resource, uint256 packetId, uint256 ttl) external {
        Request storage r = _heldBy(resource, packetId, msg.sender);
        uint256 end = r.leaseEndOrNotBefore;
        if (block.timestamp >= end) {
            revert CoordinationLocksLeaseEnded(resource, packetId, end, block.timestamp);
        }
        _checkTtl(ttl);
        uint256 grantedAt = r.grantedAtOrTtl;
        uint256 newEnd = block.timestamp + ttl;
        if (newEnd - grantedAt > _holdFloor) {
            uint256 holdEnd = grantedAt + _param(ParamKeys.LOCKS_MAX_HOLD);
            if (holdEnd <= block.timestamp) {
                revert CoordinationLocksHoldExhausted(resource, packetId, holdEnd);
            }
            if (newEnd > holdEnd) newEnd = holdEnd;
        }
        r.leaseEndOrNotBefore = SafeCast.toUint40(newEnd);

        Resource storage s = _resources[resource];
        // An Exclusive holder is the only one: its end is the resource's. Shared: the
        // latest end stays an upper bound.
        if (s.mode == Mode.Exclusive || newEnd > s.expiresBy) s.expiresBy = SafeCast.toUint40(newEnd);
        emit LockRenewed(resource, packetId, msg.sender, newEnd);
    }

    /// @inheritdoc ICoordinationLocks
    function withdraw(bytes32 resource, uint256 packetId, uint256 prev) external {
        Request storage r = _requests[resource][packetId];
        RequestState state = r.state;
        if (state != RequestState.Queued) revert CoordinationLocksNotQueued(resource, packetId, state);
        if (r.requester != msg.sender) revert CoordinationLocksNotRequester(resource, packetId, msg.sender);

        Resource memory s = _resources[resource];
        // Only a waiting request has a non-zero link, so `prev` is proven to be the
        // request just ahead when its link points here.
        if (prev == 0 ? s.head != packetId : _next[resource][prev] != packetId) {
            revert CoordinationLocksWrongPredecessor(resource, packetId, prev);
        }
        uint64 next = _next[resource][packetId];
        if (prev == 0) s.head = next;
        else _next[resource][prev] = next;
        if (next != 0) delete _next[resource][packetId];
        else s.tail = SafeCast.toUint64(prev);
        --s.queueLength;
        delete _requests[resource][packetId];
        emit RequestWithdrawn(resource, packetId, msg.sender);

        _grantRun(resource, s);
        _storeResource(resource, s);
    }

    /// @inheritdoc ICoordinationLocks
    function grantNext(bytes32 resource) external returns (uint256 granted) {
        Resource memory s = _resources[resource];
        granted = _grantRun(resource, s);
        if (granted == 0) revert CoordinationLocksNothingToGrant(resource, s.head);
        _storeResource(resource, s);
    }

    /// @inheritdoc ICoordinationLocks
    function expire(bytes32 resource, uint256 packetId) external {
        Request storage r = _requests[resource][packetId];
        RequestState state = r.state;
        if (state != RequestState.Held) revert CoordinationLocksNotHeld(resource, packetId, state);
        uint256 end = r.leaseEndOrNotBefore;
        if (block.timestamp < end) {
            revert CoordinationLocksLeaseNotEnded(resource, packetId, end, block.timestamp);
        }
        address holder = r.requester;
        delete _requests[resource][packetId];
        emit LockExpired(resource, packetId, holder, end);
        Resource memory s = _resources[resource];
        --s.holders;
        _grantRun(resource, s);
        _storeResource(resource, s);
    }

    // ------------------------------------------------------------------
    // External views
    // ------------------------------------------------------------------

    /// @inheritdoc ICoordinationLocks
    function resourceInfo(bytes32 resource) external view returns (ResourceInfo memory info) {
        Resource memory s = _resources[resource];
        info.holders = s.holders;
        info.mode = s.mode;
        info.queueLength = s.queueLength;
        info.head = s.head;
        info.tail = s.tail;
        if (s.holders != 0) info.expiresBy = s.expiresBy;
    }

    /// @inheritdoc ICoordinationLocks
    function requestInfo(bytes32 resource, uint256 packetId) external view returns (RequestInfo memory info) {
        Request memory r = _requests[resource][packetId];
        info.state = r.state;
        info.mode = r.mode;
        info.requester = r.requester;
        if (r.state == RequestState.Queued) {
            info.notBefore = r.leaseEndOrNotBefore;
            info.ttl = r.grantedAtOrTtl;
            info.next = _next[resource][packetId];
        } else if (r.state == RequestState.Held) {
            info.leaseEnd = r.leaseEndOrNotBefore;
            info.grantedAt = r.grantedAtOrTtl;
        }
    }

    /// @inheritdoc ICoordinationLocks
    function position(bytes32 resource, uint256 packetId) external view returns (uint256 place) {
        if (_requests[resource][packetId].state != RequestState.Queued) return 0;
        uint256 id = _resources[resource].head;
        for (place = 1; id != packetId; ++place) {
            id = _next[resource][id];
        }
    }

    /// @inheritdoc ICoordinationLocks
    function queue(bytes32 resource, uint256 from, uint256 limit)
        external
        view
        returns (uint256[] memory packetIds, uint256 next)
    {
        if (from == 0) {
            from = _resources[resource].head;
        } else {
            RequestState state = _requests[resource][from].state;
            if (state != RequestState.Queued) revert CoordinationLocksNotQueued(resource, from, state);
        }
        // Count first (the queue holds at most 1024 requests), then copy.
        // slither-disable-next-line uninitialized-local (starts at zero on purpose)
        uint256 count;
        for (next = from; next != 0 && count < limit; ++count) {
            next = _next[resource][next];
        }
        packetIds = new uint256[](count);
        next = from;
        for (uint256 i; i < count; ++i) {
            packetIds[i] = next;
            next = _next[resource][next];
        }
    }

    /// @inheritdoc ICoordinationLocks
    function leaseEnd(bytes32 resource, uint256 packetId) external view returns (uint256) {
        Request memory r = _requests[resource][packetId];
        return r.state == RequestState.Held ? r.leaseEndOrNotBefore : 0;
    }

    /// @inheritdoc ICoordinationLocks
    function nextExpiry(bytes32 resource) external view returns (uint256) {
        Resource memory s = _resources[resource];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        return s.holders == 0 ? 0 : s.expiresBy;
    }

    /// @inheritdoc ICoordinationLocks
    function locksOf(uint256 packetId, bytes32[] calldata resources)
        external
        view
        returns (RequestState[] memory states)
    {
        states = new RequestState[](resources.length);
        for (uint256 i; i < resources.length; ++i) {
            states[i] = _requests[resources[i]][packetId].state;
        }
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    /// @dev Grants from the head of `resource`'s queue while the head is compatible with
    /// the holders and its `notBefore` has come: one Exclusive request, or consecutive
    /// Shared ones, at most MAX_GRANTS_PER_CALL. Updates `s` in memory; the caller stores it.
    function _grantRun(bytes32 resource, Resource memory s) internal returns (uint256 granted) {
        // slither-disable-next-line uninitialized-local (starts at zero on purpose)
        uint256 maxTtl;
        uint256 maxHold;
        while (granted < MAX_GRANTS_PER_CALL) {
            uint256 id = s.head;
            // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
            if (id == 0) break;
            Request storage r = _requests[resource][id];
            Mode m = r.mode;
            // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
            if (s.holders != 0 && (s.mode == Mode.Exclusive || m == Mode.Exclusive)) break;
            if (r.leaseEndOrNotBefore > block.timestamp) break;

            // The lease is cut to the bounds in force now (read once per call, and only
            // when the entrenched floors do not already cover the ttl).
            uint256 ttl = r.grantedAtOrTtl;
            if (ttl > _ttlFloor) {
                if (maxTtl == 0) maxTtl = _param(ParamKeys.LOCKS_MAX_TTL);
                if (ttl > maxTtl) ttl = maxTtl;
            }
            if (ttl > _holdFloor) {
                if (maxHold == 0) maxHold = _param(ParamKeys.LOCKS_MAX_HOLD);
                if (ttl > maxHold) ttl = maxHold;
            }
            uint256 end = block.timestamp + ttl;
            address holder = r.requester;
            _storeHeld(r, holder, m, end);

            uint64 next = _next[resource][id];
            if (next != 0) delete _next[resource][id];
            else s.tail = 0;
            s.head = next;
            --s.queueLength;
            _addHolder(s, m, end);
            ++granted;
            emit LockGranted(resource, id, holder, m, end);
            if (m == Mode.Exclusive) break;
        }
    }

    /// @dev Queues request `r` at the tail of `resource`'s queue `s` (in memory, stored
    /// here), unless the queue is full: `maxQueue` was read only if its length reached
    /// the parameter's floor.
    function _enqueue(
        bytes32 resource,
        uint256 packetId,
        Request storage r,
        Resource memory s,
        Mode m,
        uint256 ttl,
        uint256 notBefore,
        uint256 maxQueue
    ) internal {
        uint256 length = s.queueLength;
        if (length >= _queueFloor && length >= maxQueue) {
            revert CoordinationLocksQueueFull(resource, length, maxQueue);
        }
        // Both times fit 40 bits: notBefore <= now + maxTtl and ttl <= maxTtl, each at
        // most ten years (ParamKeys.MAX_PERIOD).
        _storeRequest(r, msg.sender, RequestState.Queued, m, notBefore, ttl);
        // forge-lint: disable-next-line(unsafe-typecast) packetId < 2^64, checked on entry
        uint64 id = uint64(packetId);
        if (s.tail == 0) s.head = id;
        else _next[resource][s.tail] = id;
        s.tail = id;
        // At most 1024: `locks.maxQueue`'s structural bound.
        s.queueLength = SafeCast.toUint16(length + 1);
        _storeResource(resource, s);
        emit LockQueued(resource, packetId, msg.sender, m, ttl, notBefore, length + 1);
    }

    /// @dev A held record: holder, state, mode, lease end, grant time.
    function _storeHeld(Request storage r, address holder, Mode m, uint256 end) internal {
        _storeRequest(r, holder, RequestState.Held, m, end, block.timestamp);
    }

    /// @dev Writes a request record, laid out as documented on `Request`, in ONE SSTORE
    /// instead of Solidity's read-modify-write per member (measured: about 700 gas per
    /// request granted or queued).
    function _storeRequest(
        Request storage r,
        address requester,
        RequestState state,
        Mode m,
        uint256 leaseEndOrNotBefore,
        uint256 grantedAtOrTtl
    ) internal {
        uint256 packed = uint256(uint160(requester)) | (uint256(state) << 160) | (uint256(m) << 168)
            | (uint256(SafeCast.toUint40(leaseEndOrNotBefore)) << 176)
            | (uint256(SafeCast.toUint40(grantedAtOrTtl)) << 216);
        assembly ("memory-safe") {
            // Write the whole record word to the request's slot.
            sstore(r.slot, packed)
        }
    }

    /// @dev Writes `s` back, laid out as documented on `Resource`, in ONE SSTORE instead
    /// of Solidity's member-by-member copy (measured: about 600 gas per operation).
    function _storeResource(bytes32 resource, Resource memory s) internal {
        Resource storage stored = _resources[resource];
        uint256 packed = uint256(s.holders) | (uint256(s.mode) << 32) | (uint256(s.queueLength) << 40)
            | (uint256(s.head) << 56) | (uint256(s.tail) << 120) | (uint256(s.expiresBy) << 184);
        assembly ("memory-safe") {
            // Write the whole resource word to the resource's slot.
            sstore(stored.slot, packed)
        }
    }

    /// @dev One more holder in mode `m` whose lease ends at `end`.
    function _addHolder(Resource memory s, Mode m, uint256 end) internal pure {
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (s.holders == 0) {
            s.mode = m;
            s.expiresBy = SafeCast.toUint40(end);
        } else if (end > s.expiresBy) {
            s.expiresBy = SafeCast.toUint40(end);
        }
        ++s.holders;
    }

    /// @dev The held record of (`resource`, `packetId`), which `caller` must hold.
    function _heldBy(bytes32 resource, uint256 packetId, address caller)
        internal
        view
        returns (Request storage r)
    {
        r = _requests[resource][packetId];
        RequestState state = r.state;
        if (state != RequestState.Held) revert CoordinationLocksNotHeld(resource, packetId, state);
        if (r.requester != caller) revert CoordinationLocksNotHolder(resource, packetId, caller);
    }

    /// @dev `ttl` must be in `[1, locks.maxTtl]`. Returns `locks.maxTtl` if it was read, else 0.
    function _checkTtl(uint256 ttl) internal view returns (uint256 maxTtl) {
        if (ttl == 0) revert CoordinationLocksInvalidTtl(ttl, _param(ParamKeys.LOCKS_MAX_TTL));
        if (ttl > _ttlFloor) {
            maxTtl = _param(ParamKeys.LOCKS_MAX_TTL);
            if (ttl > maxTtl) revert CoordinationLocksInvalidTtl(ttl, maxTtl);
        }
    }

    /// @dev The caller must be the contributor of Accepted packet `packetId` in the Work
    /// registry the constitution's directory names now.
    function _checkPacket(uint256 packetId) internal view {
        address work = ILegitimacyConstitution(constitution).module(ILegitimacyConstitution.Module.Work);
        if (work == address(0)) revert CoordinationLocksWorkUnset();
        (address contributor, IWorkRegistry.Status status) = IWorkRegistry(work).packetStatus(packetId);
        if (contributor != msg.sender) revert CoordinationLocksNotContributor(packetId, msg.sender);
        if (status != IWorkRegistry.Status.Accepted) {
            revert CoordinationLocksPacketNotAccepted(packetId, status);
        }
    }

    /// @dev The parameters a `request` needs, each read only past its entrenched floor,
    /// and together in one call when both are: `locks.maxTtl` (0 if not read) for a ttl or
    /// a `notBefore` beyond the floor, and as `limit` `locks.maxHold` for a grant whose
    /// ttl exceeds its floor, or `locks.maxQueue` for a queued request whose queue has
    /// reached its floor (0 if not read).
    function _requestParams(uint256 ttl, uint256 notBefore, bool grant, uint256 queueLength)
        internal
        view
        returns (uint256 maxTtl, uint256 limit)
    {
        bool readTtl = ttl > _ttlFloor || notBefore > block.timestamp + _ttlFloor;
        bool readLimit = grant ? ttl > _holdFloor : queueLength >= _queueFloor;
        bytes32 limitKey = grant ? ParamKeys.LOCKS_MAX_HOLD : ParamKeys.LOCKS_MAX_QUEUE;
        if (readTtl && readLimit) {
            (maxTtl, limit) = ILegitimacyConstitution(constitution).param2(ParamKeys.LOCKS_MAX_TTL, limitKey);
        } else if (readTtl) {
            maxTtl = _param(ParamKeys.LOCKS_MAX_TTL);
        } else if (readLimit) {
            limit = _param(limitKey);
        }
    }

    function _param(bytes32 key) internal view returns (uint256) {
        return ILegitimacyConstitution(constitution).param(key);
    }
}
