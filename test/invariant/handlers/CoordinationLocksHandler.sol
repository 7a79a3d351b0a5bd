// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../../../contracts/CoordinationLocks.sol";
import {ICoordinationLocks} from "../../../contracts/interfaces/ICoordinationLocks.sol";
import {ParamKeys} from "../../../contracts/libraries/ParamKeys.sol";
import {ConstitutionHarness} from "../../harness/ConstitutionHarness.sol";
import {Test} from "../../utils/Test.sol";
import {Vm} from "../../utils/Vm.sol";

/// @notice Drives CoordinationLocks for the invariant suite: requests, releases, renewals,
/// withdrawals, expiries and `grantNext` by a fixed set of contributors on two resources,
/// the passing of time, and amendments of the three bounds (through the constitution's
/// own setter, inside its hard bounds). It keeps an exact model of what the module must
/// do: each call's success or refusal is predicted, and the grants it must make (read
/// back from the `LockGranted` logs) are compared with the model's. Disagreements and
/// property violations are counted, never hidden.
contract CoordinationLocksHandler is Test {
    /// @notice The model of one request.
    struct Req {
        ICoordinationLocks.RequestState state;
        uint8 mode;
        address requester;
        uint256 ttl;
        uint256 notBefore;
        uint256 end;
        uint256 grantedAt;
        uint256 holdCap; // locks.maxHold when `end` was last set
    }

    uint8 internal constant EXCLUSIVE = 0;
    uint8 internal constant SHARED = 1;
    uint256 internal constant MAX_GRANTS = 8;

    CoordinationLocks public immutable locks;
    ConstitutionHarness public immutable constitution;

    bytes32[] internal _resources;
    uint256[] internal _packets; // Accepted
    uint256 public immutable pendingPacket;
    address[] internal _actors;
    mapping(uint256 packetId => address) public contributorOf;

    // The model.
    mapping(bytes32 resource => mapping(uint256 packetId => Req)) internal _m;
    mapping(bytes32 resource => uint256[]) internal _queue;
    mapping(bytes32 resource => uint256) public modelHolders;
    mapping(bytes32 resource => uint8) internal _modelMode;
    mapping(bytes32 resource => uint256[]) internal _held;

    // Ghosts.
    uint256 internal _nextTicket;
    /// @notice The order in which the live request of a packet on a resource was made.
    mapping(bytes32 resource => mapping(uint256 packetId => uint256)) public ticketOf;
    mapping(bytes32 resource => mapping(uint256 packetId => uint256)) internal _withdrawnTicket;
    /// @notice A resource's queue length when `locks.maxQueue` last changed.
    mapping(bytes32 resource => uint256) public lengthAtCapChange;
    /// @notice The largest `locks.maxHold` ever in force.
    uint256 public maxHoldEver;
    /// @dev The three bounds as last set (only `setBound` changes them), so that a call
    /// needs no reads of its own to predict the module.
    uint256 internal _maxTtl;
    uint256 internal _maxHold;
    uint256 internal _maxQueue;

    // Counters: every one must stay zero.
    uint256 public mispredictions;
    uint256 public grantMismatches;
    uint256 public fifoViolations;
    uint256 public withdrawnGranted;
    uint256 public renewedAfterEnd;
    uint256 public overfullEnqueues;
    mapping(string action => uint256) public successes;

    bytes32 internal constant GRANTED = keccak256("LockGranted(bytes32,uint256,address,uint8,uint256)");

    constructor(
        CoordinationLocks locks_,
        ConstitutionHarness constitution_,
        bytes32[] memory resources_,
        address[] memory actors_,
        uint256[] memory packets_,
        address[] memory contributors_,
        uint256 pending_
    ) {
        locks = locks_;
        constitution = constitution_;
        _resources = resources_;
        _actors = actors_;
        _packets = packets_;
        for (uint256 i; i < packets_.length; ++i) {
            contributorOf[packets_[i]] = contributors_[i];
        }
        pendingPacket = pending_;
        contributorOf[pending_] = actors_[0];
        _maxTtl = constitution_.param(ParamKeys.LOCKS_MAX_TTL);
        _maxHold = constitution_.param(ParamKeys.LOCKS_MAX_HOLD);
        _maxQueue = constitution_.param(ParamKeys.LOCKS_MAX_QUEUE);
        maxHoldEver = _maxHold;
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    /// @dev One request's inputs, kept in memory (too many for the stack).
    struct Call {
        bytes32 r;
        uint256 p;
        address caller;
        uint8 mode;
        uint256 ttl;
        uint256 nb;
        uint256 maxHold;
        bool ok;
        bool immediate;
    }

    function request(
        uint256 actorSeed,
        uint256 packetSeed,
        uint256 resourceSeed,
        uint256 modeSeed,
        uint256 ttlSeed,
        uint256 nbSeed
    ) external {
        Call memory c;
        c.r = _resource(resourceSeed);
        c.p = packetSeed % 16 == 0 ? pendingPacket : _packets[packetSeed % _packets.length];
        c.caller = actorSeed % 8 == 0 ? _actors[(actorSeed >> 8) % _actors.length] : contributorOf[c.p];
        c.mode = modeSeed % 32 == 0 ? 2 : uint8(modeSeed % 2);
        uint256 maxTtl;
        uint256 maxQueue;
        (maxTtl, c.maxHold, maxQueue) = _bounds();
        c.ttl = bound(ttlSeed, 0, maxTtl + 2);
        if (nbSeed % 4 == 1) c.nb = block.timestamp + bound(nbSeed >> 8, 1, 120);
        else if (nbSeed % 4 == 2) c.nb = block.timestamp + bound(nbSeed >> 8, 0, maxTtl + 2);
        else if (nbSeed % 4 == 3) c.nb = block.timestamp - bound(nbSeed >> 8, 0, 1000);

        c.ok = c.mode <= SHARED && c.ttl >= 1 && c.ttl <= maxTtl && c.nb <= block.timestamp + maxTtl
            && c.caller == contributorOf[c.p] && c.p != pendingPacket
            && _m[c.r][c.p].state == ICoordinationLocks.RequestState.None;
        c.immediate = c.ok && _queue[c.r].length == 0 && c.nb <= block.timestamp
            && (modelHolders[c.r] == 0 || (_modelMode[c.r] == SHARED && c.mode == SHARED));
        if (c.ok && !c.immediate && _queue[c.r].length >= maxQueue) c.ok = false;
        _request(c, maxQueue);
    }

    function _request(Call memory c, uint256 maxQueue) internal {
        uint256 lengthBefore = locks.resourceInfo(c.r).queueLength;
        vm.recordLogs();
        vm.prank(c.caller);
        (bool success,) =
            address(locks).call(abi.encodeCall(ICoordinationLocks.request, (c.r, c.p, c.mode, c.ttl, c.nb)));
        if (success != c.ok) ++mispredictions;
        if (!success) return;
        ++successes["request"];

        ticketOf[c.r][c.p] = ++_nextTicket;
        uint256[] memory expected;
        if (c.immediate) {
            expected = new uint256[](1);
            expected[0] = c.p;
            _modelGrant(c.r, c.p, c.mode, c.caller, c.ttl < c.maxHold ? c.ttl : c.maxHold, c.maxHold);
        } else {
            if (lengthBefore >= maxQueue) ++overfullEnqueues;
            Req storage q = _m[c.r][c.p];
            q.state = ICoordinationLocks.RequestState.Queued;
            q.mode = c.mode;
            q.requester = c.caller;
            q.ttl = c.ttl;
            q.notBefore = c.nb;
            _queue[c.r].push(c.p);
            expected = new uint256[](0);
        }
        _checkGrants(c.r, expected);
    }

    function release(uint256 resourceSeed, uint256 packetSeed, uint256 callerSeed) external {
        bytes32 r = _resource(resourceSeed);
        uint256 p = _packets[packetSeed % _packets.length];
        Req memory q = _m[r][p];
        address caller = callerSeed % 8 == 0 ? _actors[(callerSeed >> 8) % _actors.length] : contributorOf[p];
        bool ok = q.state == ICoordinationLocks.RequestState.Held && caller == q.requester;

        vm.recordLogs();
        vm.prank(caller);
        (bool success,) = address(locks).call(abi.encodeCall(ICoordinationLocks.release, (r, p)));
        if (success != ok) ++mispredictions;
        if (!success) return;
        ++successes["release"];
        _modelRemoveHolder(r, p);
        _checkGrants(r, _modelGrantRun(r));
    }

    function renew(uint256 resourceSeed, uint256 packetSeed, uint256 ttlSeed, uint256 callerSeed) external {
        bytes32 r = _resource(resourceSeed);
        uint256 p = _packets[packetSeed % _packets.length];
        Req memory q = _m[r][p];
        address caller = callerSeed % 8 == 0 ? _actors[(callerSeed >> 8) % _actors.length] : contributorOf[p];
        (uint256 maxTtl, uint256 maxHold,) = _bounds();
        uint256 ttl = bound(ttlSeed, 0, maxTtl + 2);
        bool ok = q.state == ICoordinationLocks.RequestState.Held && caller == q.requester
            && block.timestamp < q.end && ttl >= 1 && ttl <= maxTtl && q.grantedAt + maxHold > block.timestamp;

        uint256 endBefore = locks.leaseEnd(r, p);
        vm.prank(caller);
        (bool success,) = address(locks).call(abi.encodeCall(ICoordinationLocks.renew, (r, p, ttl)));
        if (success != ok) ++mispredictions;
        if (!success) return;
        ++successes["renew"];
        if (block.timestamp >= endBefore) ++renewedAfterEnd;
        uint256 end = block.timestamp + ttl;
        if (end > q.grantedAt + maxHold) end = q.grantedAt + maxHold;
        _m[r][p].end = end;
        _m[r][p].holdCap = maxHold;
    }

    function withdraw(uint256 resourceSeed, uint256 packetSeed, uint256 prevSeed) external {
        bytes32 r = _resource(resourceSeed);
        uint256 p = _packets[packetSeed % _packets.length];
        Req memory q = _m[r][p];
        address caller = contributorOf[p];
        uint256 prev;
        bool ok = q.state == ICoordinationLocks.RequestState.Queued;
        uint256 index;
        if (ok) {
            index = _indexOf(r, p);
            prev = index == 0 ? 0 : _queue[r][index - 1];
        }
        if (prevSeed % 8 == 0) {
            uint256 wrong = prevSeed % 3 == 0 ? 0 : _packets[(prevSeed >> 8) % _packets.length];
            ok = ok && wrong == prev;
            prev = wrong;
        }

        vm.recordLogs();
        vm.prank(caller);
        (bool success,) = address(locks).call(abi.encodeCall(ICoordinationLocks.withdraw, (r, p, prev)));
        if (success != ok) ++mispredictions;
        if (!success) return;
        ++successes["withdraw"];
        _withdrawnTicket[r][p] = ticketOf[r][p];
        _removeFromQueue(r, index);
        delete _m[r][p];
        _checkGrants(r, _modelGrantRun(r));
    }

    function expire(uint256 resourceSeed, uint256 packetSeed, uint256 callerSeed) external {
        bytes32 r = _resource(resourceSeed);
        uint256 p = _packets[packetSeed % _packets.length];
        Req memory q = _m[r][p];
        bool ok = q.state == ICoordinationLocks.RequestState.Held && block.timestamp >= q.end;

        vm.recordLogs();
        vm.prank(_actors[callerSeed % _actors.length]);
        (bool success,) = address(locks).call(abi.encodeCall(ICoordinationLocks.expire, (r, p)));
        if (success != ok) ++mispredictions;
        if (!success) return;
        ++successes["expire"];
        _modelRemoveHolder(r, p);
        _checkGrants(r, _modelGrantRun(r));
    }

    function grantNext(uint256 resourceSeed, uint256 callerSeed) external {
        bytes32 r = _resource(resourceSeed);
        vm.recordLogs();
        vm.prank(_actors[callerSeed % _actors.length]);
        (bool success,) = address(locks).call(abi.encodeCall(ICoordinationLocks.grantNext, (r)));
        uint256[] memory expected = _modelGrantRunIf(r, success);
        if (success != (expected.length != 0)) ++mispredictions;
        if (!success) return;
        ++successes["grantNext"];
        _checkGrants(r, expected);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 400));
    }

    /// @notice Amend one bound (through the constitution's own setter), up or down.
    function setBound(uint256 which, uint256 value) external {
        bytes32 key;
        if (which % 3 == 0) {
            key = ParamKeys.LOCKS_MAX_TTL;
            value = bound(value, 10, 400);
        } else if (which % 3 == 1) {
            key = ParamKeys.LOCKS_MAX_HOLD;
            value = bound(value, 10, 1500);
            if (value > maxHoldEver) maxHoldEver = value;
        } else {
            key = ParamKeys.LOCKS_MAX_QUEUE;
            value = bound(value, 1, 8);
            for (uint256 i; i < _resources.length; ++i) {
                lengthAtCapChange[_resources[i]] = locks.resourceInfo(_resources[i]).queueLength;
            }
        }
        constitution.exposed_setParam(key, value);
        if (key == ParamKeys.LOCKS_MAX_TTL) _maxTtl = value;
        else if (key == ParamKeys.LOCKS_MAX_HOLD) _maxHold = value;
        else _maxQueue = value;
        ++successes["setBound"];
    }

    // ------------------------------------------------------------------
    // Model
    // ------------------------------------------------------------------

    function _bounds() internal view returns (uint256 maxTtl, uint256 maxHold, uint256 maxQueue) {
        return (_maxTtl, _maxHold, _maxQueue);
    }

    function _modelGrant(bytes32 r, uint256 p, uint8 mode, address holder, uint256 lease, uint256 maxHold)
        internal
    {
        _m[r][p] = Req({
            state: ICoordinationLocks.RequestState.Held,
            mode: mode,
            requester: holder,
            ttl: 0,
            notBefore: 0,
            end: block.timestamp + lease,
            grantedAt: block.timestamp,
            holdCap: maxHold
        });
        if (modelHolders[r] == 0) _modelMode[r] = mode;
        ++modelHolders[r];
        _held[r].push(p);
    }

    function _modelRemoveHolder(bytes32 r, uint256 p) internal {
        delete _m[r][p];
        --modelHolders[r];
        uint256[] storage h = _held[r];
        for (uint256 i; i < h.length; ++i) {
            if (h[i] == p) {
                h[i] = h[h.length - 1];
                h.pop();
                return;
            }
        }
    }

    function _modelGrantRunIf(bytes32 r, bool apply_) internal returns (uint256[] memory granted) {
        if (apply_) return _modelGrantRun(r);
        // Predict without applying: a head that is grantable now.
        if (_queue[r].length == 0) return new uint256[](0);
        Req memory h = _m[r][_queue[r][0]];
        bool grantable = h.notBefore <= block.timestamp
            && (modelHolders[r] == 0 || (_modelMode[r] == SHARED && h.mode == SHARED));
        return new uint256[](grantable ? 1 : 0);
    }

    /// @dev The module's grant step, written independently: FIFO, compatibility,
    /// notBefore, at most MAX_GRANTS, lease cut to the bounds in force now.
    function _modelGrantRun(bytes32 r) internal returns (uint256[] memory granted) {
        (uint256 maxTtl, uint256 maxHold,) = _bounds();
        granted = new uint256[](MAX_GRANTS);
        uint256 n;
        while (n < MAX_GRANTS && _queue[r].length != 0) {
            uint256 head = _queue[r][0];
            Req memory h = _m[r][head];
            if (modelHolders[r] != 0 && (_modelMode[r] == EXCLUSIVE || h.mode == EXCLUSIVE)) break;
            if (h.notBefore > block.timestamp) break;
            uint256 lease = h.ttl;
            if (lease > maxTtl) lease = maxTtl;
            if (lease > maxHold) lease = maxHold;
            _removeFromQueue(r, 0);
            _modelGrant(r, head, h.mode, h.requester, lease, maxHold);
            granted[n++] = head;
            if (h.mode == EXCLUSIVE) break;
        }
        assembly ("memory-safe") {
            mstore(granted, n)
        }
    }

    function _indexOf(bytes32 r, uint256 p) internal view returns (uint256) {
        uint256[] storage q = _queue[r];
        for (uint256 i; i < q.length; ++i) {
            if (q[i] == p) return i;
        }
        revert("not in the model queue");
    }

    function _removeFromQueue(bytes32 r, uint256 index) internal {
        uint256[] storage q = _queue[r];
        for (uint256 i = index; i + 1 < q.length; ++i) {
            q[i] = q[i + 1];
        }
        q.pop();
    }

    /// @dev The grants the call logged must be exactly `expected`, in order; none may be a
    /// withdrawn request, and none may leave an earlier request waiting.
    function _checkGrants(bytes32 r, uint256[] memory expected) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(locks) || logs[i].topics[0] != GRANTED) continue;
            uint256 p = uint256(logs[i].topics[2]);
            if (logs[i].topics[1] != r || n >= expected.length || expected[n] != p) ++grantMismatches;
            ++n;
            if (_withdrawnTicket[r][p] != 0 && _withdrawnTicket[r][p] == ticketOf[r][p]) ++withdrawnGranted;
            (uint256[] memory waiting,) = locks.queue(r, 0, type(uint256).max);
            for (uint256 j; j < waiting.length; ++j) {
                if (ticketOf[r][waiting[j]] < ticketOf[r][p]) ++fifoViolations;
            }
        }
        if (n != expected.length) ++grantMismatches;
    }

    // ------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------

    function resources() external view returns (bytes32[] memory) {
        return _resources;
    }

    function packets() external view returns (uint256[] memory) {
        return _packets;
    }

    /// @notice The model's holders of `r` and, for each, `locks.maxHold` when its end was set.
    function heldOf(bytes32 r) external view returns (uint256[] memory ids, uint256[] memory holdCaps) {
        ids = _held[r];
        holdCaps = new uint256[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            holdCaps[i] = _m[r][ids[i]].holdCap;
        }
    }

    /// @notice The model's state and lease end of every packet's request on `r`, in `packets()` order.
    function modelStates(bytes32 r)
        external
        view
        returns (ICoordinationLocks.RequestState[] memory states, uint256[] memory ends)
    {
        states = new ICoordinationLocks.RequestState[](_packets.length);
        ends = new uint256[](_packets.length);
        for (uint256 i; i < _packets.length; ++i) {
            Req storage q = _m[r][_packets[i]];
            states[i] = q.state;
            ends[i] = q.end;
        }
    }

    function modelQueue(bytes32 r) external view returns (uint256[] memory) {
        return _queue[r];
    }

    function _resource(uint256 seed) internal view returns (bytes32) {
        return _resources[seed % _resources.length];
    }
}
