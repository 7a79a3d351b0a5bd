// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WorkRegistry} from "../../../contracts/WorkRegistry.sol";
import {IWorkRegistry} from "../../../contracts/interfaces/IWorkRegistry.sol";
import {Test} from "../../utils/Test.sol";

/// @notice Drives the WorkRegistry for the invariant suite with valid-looking calls from
/// a fixed set of actors, and keeps a model of what must happen: the status of every
/// packet, its attestations, and every actor's points. Each call first predicts whether
/// the registry must accept it; a disagreement is counted, never hidden.
contract WorkRegistryHandler is Test {
    /// @notice A schema the handler uses, with its recognition weight.
    struct SchemaInfo {
        bytes32 id;
        bool attested;
        uint256 weight;
    }

    uint256 public constant QUORUM = 2;
    uint256 public constant WINDOW = 300;

    WorkRegistry public immutable registry;
    address[] internal _actors; // _actors[0..2] are the attesters of the attested schemas
    SchemaInfo[] internal _schemas;

    // Ghost state: the model.
    mapping(address actor => uint256) public ghostPoints;
    mapping(uint256 packetId => IWorkRegistry.Status) public ghostStatus;
    mapping(uint256 packetId => address) internal _contributor;
    mapping(uint256 packetId => uint256) internal _schemaOf;
    mapping(uint256 packetId => uint256) internal _deadline;
    mapping(uint256 packetId => uint256) internal _attestations;
    mapping(uint256 packetId => mapping(address => bool)) internal _attestedBy;
    uint256 public ghostPacketCount;

    /// @notice Statuses seen to move other than Pending -> Accepted | Expired | Retracted.
    uint256 public illegalTransitions;
    /// @notice Calls whose outcome (success or revert) differed from the model's prediction.
    uint256 public mispredictions;
    mapping(uint256 packetId => IWorkRegistry.Status) internal _lastSeen;
    mapping(bytes32 selector => uint256) public successes;

    constructor(
        WorkRegistry registry_,
        address[] memory actors_,
        SchemaInfo[] memory schemas_,
        uint256[] memory seeds
    ) {
        registry = registry_;
        _actors = actors_;
        for (uint256 i; i < schemas_.length; ++i) {
            _schemas.push(schemas_[i]);
        }
        for (uint256 i; i < actors_.length; ++i) {
            ghostPoints[actors_[i]] = seeds[i];
        }
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    function submit(uint256 actorSeed, uint256 schemaSeed, uint256 units) external {
        address actor = _actor(actorSeed);
        uint256 s = schemaSeed % _schemas.length;
        SchemaInfo memory info = _schemas[s];
        bytes memory data = abi.encode(units, keccak256(abi.encode(units)), "work");
        vm.prank(actor);
        try registry.submit(info.id, keccak256(data), data) returns (uint256 id) {
            ++successes["submit"];
            ++ghostPacketCount;
            if (id != ghostPacketCount) ++mispredictions;
            _contributor[id] = actor;
            _schemaOf[id] = s;
            _deadline[id] = block.timestamp + WINDOW;
            if (info.attested) {
                ghostStatus[id] = IWorkRegistry.Status.Pending;
            } else {
                ghostStatus[id] = IWorkRegistry.Status.Accepted;
                ghostPoints[actor] += info.weight;
            }
            _lastSeen[id] = IWorkRegistry.Status.None;
        } catch {
            ++mispredictions; // a well-formed packet of a registered schema is always taken
        }
        _checkTransitions();
    }

    function attest(uint256 actorSeed, uint256 packetSeed) external {
        if (ghostPacketCount == 0) return;
        // Mostly a listed attester on a pending packet, sometimes anyone on anything.
        address actor = actorSeed % 4 == 0 ? _actor(actorSeed >> 2) : _actors[(actorSeed >> 2) % 3];
        uint256 id = _pick(packetSeed);
        SchemaInfo memory info = _schemas[_schemaOf[id]];
        bool listed = info.attested && _isAttester(actor);
        bool ok = listed && actor != _contributor[id] && ghostStatus[id] == IWorkRegistry.Status.Pending
            && block.timestamp <= _deadline[id] && !_attestedBy[id][actor];
        vm.prank(actor);
        try registry.attest(id) {
            ++successes["attest"];
            if (!ok) ++mispredictions;
            _attestedBy[id][actor] = true;
            if (++_attestations[id] >= QUORUM) {
                ghostStatus[id] = IWorkRegistry.Status.Accepted;
                ghostPoints[_contributor[id]] += info.weight;
            }
        } catch {
            if (ok) ++mispredictions;
        }
        _checkTransitions();
    }

    function retract(uint256 actorSeed, uint256 packetSeed, bool asContributor) external {
        if (ghostPacketCount == 0) return;
        uint256 id = _pick(packetSeed);
        address actor = asContributor ? _contributor[id] : _actor(actorSeed);
        // Retraction ends at the deadline: past it a pending packet can only expire.
        bool ok = actor == _contributor[id] && ghostStatus[id] == IWorkRegistry.Status.Pending
            && block.timestamp <= _deadline[id];
        vm.prank(actor);
        try registry.retract(id) {
            ++successes["retract"];
            if (!ok) ++mispredictions;
            ghostStatus[id] = IWorkRegistry.Status.Retracted;
        } catch {
            if (ok) ++mispredictions;
        }
        _checkTransitions();
    }

    function expire(uint256 actorSeed, uint256 packetSeed) external {
        if (ghostPacketCount == 0) return;
        uint256 id = _pick(packetSeed);
        bool ok = ghostStatus[id] == IWorkRegistry.Status.Pending && block.timestamp > _deadline[id];
        vm.prank(_actor(actorSeed));
        try registry.expire(id) {
            ++successes["expire"];
            if (!ok) ++mispredictions;
            ghostStatus[id] = IWorkRegistry.Status.Expired;
        } catch {
            if (ok) ++mispredictions;
        }
        _checkTransitions();
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, WINDOW / 5));
    }

    // ------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    /// @dev A packet id from `seed`: three times in four the first Pending packet at or
    /// after `1 + seed % count` (wrapping), so that actions on live packets are frequent.
    function _pick(uint256 seed) internal view returns (uint256) {
        uint256 n = ghostPacketCount;
        uint256 id = 1 + (seed >> 2) % n;
        if (seed % 4 == 0) return id;
        for (uint256 k; k < n; ++k) {
            uint256 c = 1 + (id - 1 + k) % n;
            if (ghostStatus[c] == IWorkRegistry.Status.Pending) return c;
        }
        return id;
    }

    function _isAttester(address a) internal view returns (bool) {
        return a == _actors[0] || a == _actors[1] || a == _actors[2];
    }

    /// @dev Compare every packet's status with the one seen after the previous call.
    function _checkTransitions() internal {
        for (uint256 id = 1; id <= ghostPacketCount; ++id) {
            IWorkRegistry.Status was = _lastSeen[id];
            IWorkRegistry.Status now_ = registry.packet(id).status;
            if (now_ != was && !_legal(was, now_)) ++illegalTransitions;
            _lastSeen[id] = now_;
        }
    }

    function _legal(IWorkRegistry.Status from, IWorkRegistry.Status to) internal pure returns (bool) {
        if (from == IWorkRegistry.Status.None) {
            return to == IWorkRegistry.Status.Pending || to == IWorkRegistry.Status.Accepted;
        }
        if (from == IWorkRegistry.Status.Pending) return to != IWorkRegistry.Status.None;
        return false; // Accepted, Expired and Retracted are final
    }
}
