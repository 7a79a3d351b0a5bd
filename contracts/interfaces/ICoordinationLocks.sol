// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";
import {IWorkRegistry} from "./IWorkRegistry.sol";

/// @title ICoordinationLocks — System 2 of the Viable System Model
/// @notice Lets valid work coexist without judging its value: leases on resource keys,
/// fair FIFO queues and not-before times. Traffic lights, not a planning office.
///
/// A *resource* is any `bytes32` key; nothing is registered. A key named by text is
/// `keccak256` of the UTF-8 bytes of that text, e.g. `keccak256(bytes("interface:oracle"))`
/// (the SDK and CLI hash text keys the same way). The contributor of an Accepted work
/// packet may `request` a resource under that packet, in one of two modes: `Exclusive`
/// (alone) or `Shared` (with other Shared holders). A request is identified by its
/// resource and its packet: a packet has at most one live request (queued or held) per
/// resource, and the pair `(resource, packetId)` is the request's id in every function,
/// view and event.
///
/// Life of a request:
/// ```
/// request ──► Held ──release (holder) | expire (anyone, lease ended)──► (gone)
///    │          ▲  └─renew (holder, lease running)─┘
///    │          │ granted in FIFO order by release, expire, withdraw or grantNext
///    └──► Queued ──withdraw (requester)──► (gone)
/// ```
/// A record is deleted when its request ends (state `None` again); the events keep the
/// history.
///
/// **FIFO, strictly.** A request is granted at once only when nobody waits on the
/// resource, its `notBefore` has come, and its mode is compatible with the current holders
/// (Shared with Shared; Exclusive with nobody). Otherwise it joins the tail of the queue:
/// nobody barges, so a Shared request behind a waiting Exclusive one waits too. The head
/// of the queue is granted when it becomes compatible: after the release or expiry of a
/// holder, after a withdrawal, or through `grantNext`, which anyone may call. **A queued
/// request whose `notBefore` is still in the future blocks every request behind it**
/// until that time (then anyone may `grantNext` it); `notBefore` may therefore lie at most
/// `locks.maxTtl` after the request, so that a request that holds nothing yet blocks no
/// longer than one lease could.
///
/// **Bounded work.** Every function does O(1) work, or work bounded by the constant
/// {MAX_GRANTS_PER_CALL}, whatever the number of resources, requests, holders or packets.
/// A grant step grants the head of the queue: one Exclusive request, or a run of
/// consecutive Shared requests of at most {MAX_GRANTS_PER_CALL}; a longer run continues
/// with the next `grantNext` (or release, expiry or withdrawal).
///
/// **Constitutional bounds, read at each call.** `locks.maxTtl` bounds the lease a
/// request or a renewal asks for, and how far ahead `notBefore` may lie; `locks.maxHold`
/// bounds a lock's whole hold from its grant, renewals included; `locks.maxQueue`
/// bounds the requests waiting on one resource. An amendment takes effect at once and
/// never touches a lease already granted or a request already queued: a lowered
/// `maxQueue` refuses new requests until the queue drains below it; a lowered `maxTtl`
/// or `maxHold` cuts the lease of a queued request when it is granted, and every renewal
/// after that.
///
/// **Liveness.** Every lease ends (`expire`, by anyone, once its end has come); every
/// queued request is either granted or withdrawn; a head that waits for its
/// `notBefore` or whose requester has vanished is granted by anyone's `grantNext` and
/// then expires like any other lease. The head of a queue waits at most for the current
/// holders' leases (each within `locks.maxHold` of its grant) and for its own `notBefore`
/// (within `locks.maxTtl` of its request).
/// @dev There is no owner, no admin and no vote: the constitution only bounds this
/// module through the three parameters. The Work registry is looked up in the
/// constitution's directory at each `request`, so a Work swap takes effect at once;
/// packet ids are those of the registry in force when the request was made. Times are
/// `block.timestamp` seconds. A lease runs while `block.timestamp < leaseEnd`; from
/// `leaseEnd` on it can no longer be renewed and anyone may expire it.
interface ICoordinationLocks is IViableModule {
    // ---------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------

    /// @notice How a lock is held. In calls it is passed as a `uint8` (0 or 1).
    enum Mode {
        /// @dev Held alone: granted only when nobody holds the resource.
        Exclusive,
        /// @dev Held together with other Shared holders, never beside an Exclusive one.
        Shared
    }

    /// @notice Where a request stands. `None`: no live request (never made, or ended by
    /// release, expiry or withdrawal).
    enum RequestState {
        None,
        Queued,
        Held
    }

    /// @notice A resource as the {resourceInfo} view reports it.
    /// @param holders How many requests hold the resource now (Shared holders, or one
    /// Exclusive holder). A holder whose lease has ended counts until it is expired.
    /// @param mode The holders' mode; meaningless when `holders` is 0.
    /// @param queueLength How many requests wait.
    /// @param head The packet id of the first waiting request (0: the queue is empty).
    /// @param tail The packet id of the last waiting request (0: the queue is empty).
    /// @param expiresBy The time by which every current holder's lease has ended (see
    /// {nextExpiry}); 0 when nobody holds the resource.
    struct ResourceInfo {
        uint256 holders;
        Mode mode;
        uint256 queueLength;
        uint256 head;
        uint256 tail;
        uint256 expiresBy;
    }

    /// @notice A request as the {requestInfo} view reports it. Fields that do not apply to
    /// the request's state are 0.
    /// @param state None, Queued or Held.
    /// @param mode The mode asked for.
    /// @param requester The packet's contributor, who made the request (the holder once granted).
    /// @param ttl Queued: the lease asked for, in seconds (cut to the bounds in force at the grant).
    /// @param notBefore Queued: the earliest time it may be granted.
    /// @param next Queued: the packet id of the request behind it (0: it is the tail).
    /// @param leaseEnd Held: the time from which the lease has ended.
    /// @param grantedAt Held: the time of the grant, from which `locks.maxHold` counts.
    struct RequestInfo {
        RequestState state;
        Mode mode;
        address requester;
        uint256 ttl;
        uint256 notBefore;
        uint256 next;
        uint256 leaseEnd;
        uint256 grantedAt;
    }

    // ---------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------

    /// @notice The request of packet `packetId` for `resource` by `requester` joined the
    /// queue at `position` (1 = head): it asks for `mode`, a lease of `ttl` seconds, and
    /// not before `notBefore`.
    event LockQueued(
        bytes32 indexed resource,
        uint256 indexed packetId,
        address indexed requester,
        Mode mode,
        uint256 ttl,
        uint256 notBefore,
        uint256 position
    );

    /// @notice `holder` now holds `resource` in `mode` under packet `packetId`, until
    /// `leaseEnd`. Emitted for a request granted at once and for a queued one granted later.
    event LockGranted(
        bytes32 indexed resource,
        uint256 indexed packetId,
        address indexed holder,
        Mode mode,
        uint256 leaseEnd
    );

    /// @notice `holder` renewed its lock on `resource` under packet `packetId`: the lease
    /// now ends at `leaseEnd`.
    event LockRenewed(
        bytes32 indexed resource, uint256 indexed packetId, address indexed holder, uint256 leaseEnd
    );

    /// @notice `holder` released its lock on `resource` under packet `packetId`.
    event LockReleased(bytes32 indexed resource, uint256 indexed packetId, address indexed holder);

    /// @notice The lease of `holder` on `resource` under packet `packetId` ended at
    /// `leaseEnd` and was expired.
    event LockExpired(
        bytes32 indexed resource, uint256 indexed packetId, address indexed holder, uint256 leaseEnd
    );

    /// @notice `requester` withdrew the queued request of packet `packetId` for `resource`.
    event RequestWithdrawn(bytes32 indexed resource, uint256 indexed packetId, address indexed requester);

    // ---------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------

    /// @notice `constitution` is not a contract.
    error CoordinationLocksInvalidConstitution(address constitution);
    /// @notice The constitution's directory has no Work registry yet.
    error CoordinationLocksWorkUnset();
    /// @notice `mode` is not a {Mode} (0 Exclusive, 1 Shared).
    error CoordinationLocksInvalidMode(uint8 mode);
    /// @notice `packetId` is 0 or above `2^64 - 1` (queue links are 64 bits; the
    /// WorkRegistry numbers packets from 1).
    error CoordinationLocksInvalidPacketId(uint256 packetId);
    /// @notice A lease of `ttl` seconds was asked for; it must be in `[1, maxTtl]` (`locks.maxTtl`).
    error CoordinationLocksInvalidTtl(uint256 ttl, uint256 maxTtl);
    /// @notice `notBefore` lies after `latest` (now + `locks.maxTtl`).
    error CoordinationLocksNotBeforeTooLate(uint256 notBefore, uint256 latest);
    /// @notice `caller` is not the contributor of packet `packetId`.
    error CoordinationLocksNotContributor(uint256 packetId, address caller);
    /// @notice Packet `packetId` is `status`; only an Accepted packet may request a lock.
    error CoordinationLocksPacketNotAccepted(uint256 packetId, IWorkRegistry.Status status);
    /// @notice Packet `packetId` already has a request for `resource`, in `state`.
    error CoordinationLocksAlreadyRequested(bytes32 resource, uint256 packetId, RequestState state);
    /// @notice `length` requests wait on `resource`; `locks.maxQueue` is `maxQueue`.
    error CoordinationLocksQueueFull(bytes32 resource, uint256 length, uint256 maxQueue);
    /// @notice The request of packet `packetId` for `resource` is `state`, not Held.
    error CoordinationLocksNotHeld(bytes32 resource, uint256 packetId, RequestState state);
    /// @notice `caller` is not the holder of the lock of packet `packetId` on `resource`.
    error CoordinationLocksNotHolder(bytes32 resource, uint256 packetId, address caller);
    /// @notice The lease of packet `packetId` on `resource` ended at `leaseEnd` (it is
    /// `now_`); it can be released or expired, not renewed.
    error CoordinationLocksLeaseEnded(bytes32 resource, uint256 packetId, uint256 leaseEnd, uint256 now_);
    /// @notice The lease of packet `packetId` on `resource` runs until `leaseEnd` (it is `now_`).
    error CoordinationLocksLeaseNotEnded(bytes32 resource, uint256 packetId, uint256 leaseEnd, uint256 now_);
    /// @notice The lock of packet `packetId` on `resource` has been held for all of
    /// `locks.maxHold`: its hold ended at `holdEnd`, so it cannot be renewed.
    error CoordinationLocksHoldExhausted(bytes32 resource, uint256 packetId, uint256 holdEnd);
    /// @notice The request of packet `packetId` for `resource` is `state`, not Queued.
    error CoordinationLocksNotQueued(bytes32 resource, uint256 packetId, RequestState state);
    /// @notice `caller` is not the requester of the queued request of packet `packetId` for `resource`.
    error CoordinationLocksNotRequester(bytes32 resource, uint256 packetId, address caller);
    /// @notice `prev` is not the request just ahead of packet `packetId` in `resource`'s
    /// queue (0 stands for "it is the head").
    error CoordinationLocksWrongPredecessor(bytes32 resource, uint256 packetId, uint256 prev);
    /// @notice Nothing in `resource`'s queue can be granted now: it is empty (`head` 0),
    /// or its head waits for its `notBefore` or for incompatible holders to leave.
    error CoordinationLocksNothingToGrant(bytes32 resource, uint256 head);

    // ---------------------------------------------------------------------
    // State-changing
    // ---------------------------------------------------------------------

    /// @notice Request `resource` under packet `packetId`. Only the packet's contributor,
    /// only for an Accepted packet. Granted at once when nobody waits on the resource,
    /// `notBefore` has come and `mode` is compatible with the current holders; queued
    /// otherwise.
    /// @dev Checks, in order: `mode` ({CoordinationLocksInvalidMode}); `packetId` in
    /// `[1, 2^64 - 1]` ({CoordinationLocksInvalidPacketId}); `ttl` in `[1, locks.maxTtl]`
    /// ({CoordinationLocksInvalidTtl}); `notBefore <= now + locks.maxTtl`
    /// ({CoordinationLocksNotBeforeTooLate}); the Work registry is set
    /// ({CoordinationLocksWorkUnset}) and knows the packet (its own
    /// `WorkRegistryUnknownPacket` otherwise); the caller is the packet's contributor
    /// ({CoordinationLocksNotContributor}); the packet is Accepted
    /// ({CoordinationLocksPacketNotAccepted}); the packet has no live request for this
    /// resource ({CoordinationLocksAlreadyRequested}); and, if it must wait, fewer than
    /// `locks.maxQueue` requests wait ({CoordinationLocksQueueFull}). A lease granted at
    /// once ends at `now + min(ttl, locks.maxHold)`. A queued request's lease is fixed
    /// when it is granted: `min(ttl, locks.maxTtl, locks.maxHold)` with the values in
    /// force then. A `notBefore` in the past or 0 means "now".
    /// @param resource The resource key (see the notes at the top for text keys).
    /// @param packetId The Accepted packet the lock is held under.
    /// @param mode A {Mode}: 0 Exclusive, 1 Shared.
    /// @param ttl The lease asked for, in seconds.
    /// @param notBefore The earliest time the lock may be granted.
    /// @return state `Held` if granted at once, `Queued` otherwise.
    function request(bytes32 resource, uint256 packetId, uint8 mode, uint256 ttl, uint256 notBefore)
        external
        returns (RequestState state);

    /// @notice Give up a held lock, whether or not its lease has ended. Only the holder
    /// (the packet's contributor who requested it). Then grants the head of the queue if
    /// it has become compatible (see {grantNext}).
    /// @param resource The resource.
    /// @param packetId The packet the lock is held under.
    function release(bytes32 resource, uint256 packetId) external;

    /// @notice Reset the remaining lease of a held lock: it now ends at
    /// `min(now + ttl, grantedAt + locks.maxHold)`. Only the holder, only while the lease
    /// runs.
    /// @dev Reverts with {CoordinationLocksLeaseEnded} from `leaseEnd` on (an ended lease is
    /// never revived), {CoordinationLocksInvalidTtl} for `ttl` outside `[1, locks.maxTtl]`,
    /// and {CoordinationLocksHoldExhausted} when `grantedAt + locks.maxHold` has passed
    /// (possible after `maxHold` was lowered). A shorter `ttl` than what remains shortens
    /// the lease.
    /// @param resource The resource.
    /// @param packetId The packet the lock is held under.
    /// @param ttl Seconds from now the lease should last, at most `locks.maxTtl`.
    function renew(bytes32 resource, uint256 packetId, uint256 ttl) external;

    /// @notice Withdraw a queued request. Only its requester. Then grants the head of the
    /// queue if it has become compatible (see {grantNext}).
    /// @dev The queue is singly linked, so the caller names the request just ahead,
    /// `prev` (0 if the request is the head), and the contract checks it in O(1)
    /// ({CoordinationLocksWrongPredecessor} if it is not; read it from {requestInfo}'s
    /// `next` links or {queue} just before sending).
    /// @param resource The resource.
    /// @param packetId The packet of the queued request.
    /// @param prev The packet id of the request just ahead in the queue, or 0 for the head.
    function withdraw(bytes32 resource, uint256 packetId, uint256 prev) external;

    /// @notice Grant the head of `resource`'s queue if it is compatible and its `notBefore`
    /// has come: one Exclusive request, or a run of consecutive Shared ones (at most
    /// {MAX_GRANTS_PER_CALL}; call again for the rest). Anyone may call (a keeper duty).
    /// @dev Reverts with {CoordinationLocksNothingToGrant} when it would grant nothing.
    /// @param resource The resource.
    /// @return granted How many requests were granted.
    function grantNext(bytes32 resource) external returns (uint256 granted);

    /// @notice End a lease whose time has come (`block.timestamp >= leaseEnd`). Anyone may
    /// call (a keeper duty). Then grants the head of the queue if it has become compatible
    /// (see {grantNext}).
    /// @param resource The resource.
    /// @param packetId The packet the lock is held under.
    function expire(bytes32 resource, uint256 packetId) external;

    // ---------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------

    /// @notice The most requests one call grants from the head of a queue.
    function MAX_GRANTS_PER_CALL() external pure returns (uint256);

    /// @notice `resource`'s holders, mode, queue ends and length, and {nextExpiry}.
    function resourceInfo(bytes32 resource) external view returns (ResourceInfo memory);

    /// @notice The request of packet `packetId` for `resource` (all zero when there is none).
    function requestInfo(bytes32 resource, uint256 packetId) external view returns (RequestInfo memory);

    /// @notice The queued request's place in `resource`'s queue, 1 for the head; 0 if the
    /// packet has no queued request there.
    /// @dev Walks the queue from its head: at most the queue's length, which never exceeds
    /// the largest `locks.maxQueue` (at most 1024, a structural bound of the constitution).
    function position(bytes32 resource, uint256 packetId) external view returns (uint256);

    /// @notice Up to `limit` packet ids of `resource`'s queue in order, starting at packet
    /// `from` (0: the head), and the packet id to pass as `from` to continue (0: the end).
    /// @dev Reverts with {CoordinationLocksNotQueued} when `from` is not 0 and has no
    /// queued request there.
    function queue(bytes32 resource, uint256 from, uint256 limit)
        external
        view
        returns (uint256[] memory packetIds, uint256 next);

    /// @notice When the lease of packet `packetId` on `resource` ends; 0 if it holds no lock there.
    function leaseEnd(bytes32 resource, uint256 packetId) external view returns (uint256);

    /// @notice The time by which every current holder's lease on `resource` has ended, so
    /// that all of them can be expired and the head of the queue granted; 0 when nobody
    /// holds it. For an Exclusive holder it is exactly that holder's lease end; for Shared
    /// holders it is the latest lease end granted or renewed since the resource last had
    /// no holder (a holder that released early or shortened its lease can leave it later
    /// than the true latest end, never earlier).
    /// @dev The earliest end among several Shared holders is not kept: keeping it exact
    /// under releases would need an ordered structure, and every operation here is O(1).
    /// Keepers learn each holder's lease from {LockGranted} and {LockRenewed}.
    function nextExpiry(bytes32 resource) external view returns (uint256);

    /// @notice The locks held or requested under packet `packetId`, for each of `resources`:
    /// the state of its request there (None, Queued or Held).
    /// @dev Bounded by the input. The module keeps no per-packet index (it would cost a
    /// third fresh storage slot on a packet's first grant); a packet's full history is in
    /// the events, indexed by packet id.
    function locksOf(uint256 packetId, bytes32[] calldata resources)
        external
        view
        returns (RequestState[] memory states);
}
