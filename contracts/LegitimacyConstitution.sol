// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "./interfaces/IOptimizationTreasury.sol";
import {IStrategyProposals} from "./interfaces/IStrategyProposals.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {IWorkRegistry} from "./interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "./libraries/ModuleKinds.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {WorkHouse} from "./libraries/WorkHouse.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC20} from "@openzeppelin/contracts/interfaces/IERC20.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

/// @title LegitimacyConstitution — System 5
/// @notice See {ILegitimacyConstitution}.
contract LegitimacyConstitution is ILegitimacyConstitution {
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    // ------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------

    /// @inheritdoc ILegitimacyConstitution
    bytes32 public constant STEWARD_ROLE = keccak256("viable.role.STEWARD");
    /// @inheritdoc ILegitimacyConstitution
    bytes32 public constant GUARDIAN_ROLE = keccak256("viable.role.GUARDIAN");
    /// @inheritdoc ILegitimacyConstitution
    uint256 public constant MAX_RECOGNITION_WEIGHT = 1_000_000;
    /// @inheritdoc ILegitimacyConstitution
    uint256 public constant MAX_ACTIONS = 16;
    /// @inheritdoc ILegitimacyConstitution
    uint256 public constant ARTICLE_APPEND = type(uint256).max;
    /// @inheritdoc ILegitimacyConstitution
    /// @dev Covers a Work House read through {WorkHouse.MAX_GENERATIONS} registries, each a
    /// cold call and a binary search over its checkpoints (about 75,000 gas at most each).
    uint256 public constant WORK_READ_GAS = 1_000_000;

    /// @dev The gas a caller must have left before a Work House read for its failure to
    /// be the registry's fault: the cap, the 1/64 the EVM withholds, and the overhead.
    uint256 private constant _WORK_READ_MIN_GAS = WORK_READ_GAS + WORK_READ_GAS / 63 + 5000;
    uint256 private constant _BPS = 10_000;
    uint8 private constant _EXECUTED = 1;
    uint8 private constant _CANCELLED = 2;
    /// @dev Every action restores the Work registry the current one replaced.
    uint8 private constant _WORK_REPAIR = 4;
    /// @dev A vote's Work House read failed.
    uint8 private constant _WORK_FAULT = 8;

    IVotes private immutable _token;
    address private immutable _deployer;

    // ------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------

    /// @dev A parameter's value and its 1-based position in `_paramKeys` share one
    /// slot, so a module's `param` read is a single SLOAD. `index == 0`: unknown key.
    /// Values are capped at 2^240 - 1 by {ParamKeys.structuralBounds}.
    struct Value {
        uint240 value;
        uint16 index;
    }

    /// @dev Hard bounds in one slot, read only when a value is set. Every bound is
    /// below 2^128 ({ParamKeys.MAX_VALUE}).
    struct Bounds {
        uint128 min;
        uint128 max;
    }

    mapping(bytes32 key => Value) private _values;
    mapping(bytes32 key => Bounds) private _bounds;
    bytes32[] private _paramKeys;

    mapping(bytes32 schemaId => uint256) private _recognition;
    EnumerableSet.Bytes32Set private _recognized;

    mapping(bytes32 role => EnumerableSet.AddressSet) private _roleMembers;

    Article[] private _articles;

    address[4] private _modules;

    /// @dev What the constitution knows of a registry that has been its Work module, in
    /// one slot: that it was (a registry is wired as a successor at most once), and the
    /// Work module it replaced (the one registry a repair may restore).
    struct WorkRecord {
        bool wired;
        address predecessor;
    }

    mapping(address registry => WorkRecord) private _workRecords;

    bool private _bootstrapping;

    /// @dev The rules an amendment is decided under, frozen when it is proposed: the
    /// amendment parameters (one slot, 176 bits) and, in `_workAt`, the Work House
    /// registry. A new version is written only when one of them changes, so a later
    /// change of quorum, grace period or WorkRegistry can neither revive, flip nor
    /// expire an amendment already under way.
    struct Context {
        uint32 votingDelay;
        uint32 votingPeriod;
        uint32 timelock;
        uint32 gracePeriod;
        uint16 tokenQuorumBps;
        uint16 workQuorumBps;
        uint16 passBps;
    }

    mapping(uint32 version => Context) private _contexts;
    mapping(uint32 version => address) private _workAt;
    /// @dev One slot, read together by `propose`: the current context version and the
    /// bootstrap's timestamp (0 until then), before which no snapshot may lie.
    uint32 private _contextVersion;
    uint40 private _bootstrappedAt;

    /// @dev An amendment in one slot (248 bits): its schedule, flags and context
    /// version. Timestamps in 40 bits last until the year 36812; the token snapshot
    /// keeps ERC-6372's 48 bits. The proposer, the actions, the adopted Strategy
    /// proposal and the description are not stored: the id commits to them.
    struct Stored {
        uint40 voteStart;
        uint40 voteEnd;
        uint48 tokenSnapshot;
        uint40 workSnapshot;
        uint40 eta;
        uint8 flags;
        uint32 context;
    }

    /// @dev The weight one vote type received in each house, in one slot. uint208
    /// is ERC20Votes' own supply cap. A Work tally never exceeds the Work House's total
    /// at the snapshot, which the WorkRegistry keeps at or below
    /// {WorkHouse.MAX_TOTAL_POWER} = 2^48 - 1; a read beyond that counts as a fault.
    struct Tally {
        uint208 token;
        uint48 work;
    }

    mapping(uint256 id => Stored) private _amendments;
    mapping(uint256 id => Tally[3]) private _tallies;
    mapping(uint256 id => mapping(address voter => bool)) private _voted;

    // ------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------

    /// @param genesis Every parameter with its initial value and hard bounds. All
    /// keys of {ParamKeys.required} must be present; extra keys are kept for
    /// extension modules.
    /// @param token_ The IVotes (ERC-6372) token of the Token House.
    constructor(ParamInit[] memory genesis, IVotes token_) {
        _deployer = msg.sender;
        _checkToken(address(token_));
        _token = token_;

        if (genesis.length > type(uint16).max) {
            revert LegitimacyConstitutionTooManyParams(genesis.length, type(uint16).max);
        }
        for (uint256 i; i < genesis.length; ++i) {
            ParamInit memory p = genesis[i];
            if (_values[p.key].index != 0) revert LegitimacyConstitutionDuplicateParam(p.key);
            (uint256 floor, uint256 ceiling) = ParamKeys.structuralBounds(p.key);
            if (p.min > p.max || p.min < floor || p.max > ceiling) {
                revert LegitimacyConstitutionInvalidBounds(p.key, p.min, p.max, floor, ceiling);
            }
            if (p.value < p.min || p.value > p.max) {
                revert LegitimacyConstitutionParamOutOfBounds(p.key, p.value, p.min, p.max);
            }
            _paramKeys.push(p.key);
            // forge-lint: disable-next-line(unsafe-typecast) min <= max <= ceiling < 2^128
            _bounds[p.key] = Bounds({min: uint128(p.min), max: uint128(p.max)});
            // forge-lint: disable-next-line(unsafe-typecast) value <= max <= ceiling < 2^128
            _values[p.key] = Value({value: uint240(p.value), index: uint16(_paramKeys.length)});
            emit ParamDefined(p.key, p.value, p.min, p.max);
        }

        bytes32[] memory required = ParamKeys.required();
        for (uint256 i; i < required.length; ++i) {
            if (_values[required[i]].index == 0) revert LegitimacyConstitutionMissingParam(required[i]);
        }
        _newContext();
    }

    // ------------------------------------------------------------------
    // External state-changing
    // ------------------------------------------------------------------

    /// @inheritdoc ILegitimacyConstitution
    function bootstrap(BootstrapConfig calldata config) external {
        if (msg.sender != _deployer) revert LegitimacyConstitutionNotDeployer(msg.sender);
        // `_bootstrapping` also refuses a re-entrant call from a contract deployer.
        if (_bootstrappedAt != 0 || _bootstrapping) revert LegitimacyConstitutionAlreadyBootstrapped();
        _bootstrapping = true;

        address work = config.modules[uint256(Module.Work)];
        if (work == address(0)) revert LegitimacyConstitutionModuleUnset(Module.Work);
        for (uint256 i; i < 4; ++i) {
            if (config.modules[i] != address(0)) _setModule(i, config.modules[i]);
        }
        _newContext();
        for (uint256 i; i < config.roles.length; ++i) {
            _setRole(config.roles[i].role, config.roles[i].account, true);
        }
        for (uint256 i; i < config.recognitions.length; ++i) {
            _setRecognition(config.recognitions[i].schemaId, config.recognitions[i].weight);
        }
        for (uint256 i; i < config.articles.length; ++i) {
            _setArticle(ARTICLE_APPEND, config.articles[i].contentHash, config.articles[i].uri);
        }
        for (uint256 i; i < config.seeds.length; ++i) {
            // slither-disable-next-line reentrancy-no-eth (deployer-only, _bootstrapping guard)
            IWorkRegistry(work).seedContribution(config.seeds[i].contributor, config.seeds[i].points);
        }
        // Both houses must be able to reach quorum, or no amendment could ever pass.
        if (_readWord(work, abi.encodeCall(IWorkRegistry.totalPower, ())) == 0) {
            revert LegitimacyConstitutionWorkHouseEmpty(work);
        }
        uint256 supply = _tokenSupply();
        if (supply == 0) revert LegitimacyConstitutionTokenHouseEmpty(address(_token));
        _checkParam(
            ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, _values[ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD].value
        );
        // Set last: modules read `bootstrapped()` to know that seeding is still open.
        _bootstrappedAt = uint40(block.timestamp);
        _bootstrapping = false;
        emit Bootstrapped(msg.sender);
    }

    /// @inheritdoc ILegitimacyConstitution
    function propose(Action[] calldata actions, uint256 strategyProposalId, string calldata description)
        external
        returns (uint256 id)
    {
        bool repair = _checkActions(actions);
        if (strategyProposalId != 0 && _modules[uint256(Module.Strategy)] == address(0)) {
            revert LegitimacyConstitutionModuleUnset(Module.Strategy);
        }

        id = _hashAmendment(
            msg.sender, keccak256(abi.encode(actions)), strategyProposalId, keccak256(bytes(description))
        );
        (uint48 voteStart, uint48 voteEnd) = _open(id, repair);
        emit AmendmentProposed(id, msg.sender, actions, strategyProposalId, voteStart, voteEnd, description);
    }

    /// @inheritdoc ILegitimacyConstitution
    function castVote(uint256 id, uint8 support) external {
        _castVote(id, support, "");
    }

    /// @inheritdoc ILegitimacyConstitution
    function castVoteWithReason(uint256 id, uint8 support, string calldata reason) external {
        _castVote(id, support, reason);
    }

    /// @inheritdoc ILegitimacyConstitution
    function queue(uint256 id) external {
        Stored storage stored = _amendments[id];
        Stored memory a = stored;
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        Context memory c = _contexts[a.context];
        AmendmentState current = _state(id, a, c);
        if (current != AmendmentState.Succeeded) {
            revert LegitimacyConstitutionWrongState(id, current, AmendmentState.Succeeded);
        }
        uint40 eta = uint40(block.timestamp + c.timelock);
        stored.eta = eta;
        emit AmendmentQueued(id, eta);
    }

    /// @inheritdoc ILegitimacyConstitution
    function execute(uint256 id, address proposer, AmendmentBody calldata body) external {
        if (hashAmendment(proposer, body) != id) revert LegitimacyConstitutionAmendmentMismatch(id);
        Stored storage stored = _amendments[id];
        Stored memory a = stored;
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        AmendmentState current = _state(id, a, _contexts[a.context]);
        if (current != AmendmentState.Queued) {
            revert LegitimacyConstitutionWrongState(id, current, AmendmentState.Queued);
        }
        if (block.timestamp < a.eta) {
            revert LegitimacyConstitutionTimelocked(id, a.eta, uint48(block.timestamp));
        }

        // Effects first: a reverting action undoes this too, leaving it Queued.
        stored.flags = a.flags | _EXECUTED;
        uint256 n = body.actions.length;
        // slither-disable-next-line uninitialized-local (starts at zero on purpose)
        bool contextChanged;
        for (uint256 i; i < n; ++i) {
            contextChanged = _apply(i, body.actions[i]) || contextChanged;
        }
        // One new context version however many context parameters changed.
        if (contextChanged) _newContext();
        if (body.strategyProposalId != 0) {
            address strategy = _modules[uint256(Module.Strategy)];
            if (strategy == address(0)) revert LegitimacyConstitutionModuleUnset(Module.Strategy);
            IStrategyProposals(strategy).markAdopted(body.strategyProposalId);
        }
        emit AmendmentExecuted(id);
    }

    /// @inheritdoc ILegitimacyConstitution
    function cancel(uint256 id, AmendmentBody calldata body) external {
        Stored storage stored = _amendments[id];
        Stored memory a = stored;
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        if (hashAmendment(msg.sender, body) != id) revert LegitimacyConstitutionNotProposer(id, msg.sender);
        AmendmentState current = _state(id, a, _contexts[a.context]);
        if (current != AmendmentState.Pending) {
            revert LegitimacyConstitutionWrongState(id, current, AmendmentState.Pending);
        }
        stored.flags = a.flags | _CANCELLED;
        emit AmendmentCancelled(id);
    }

    /// @inheritdoc ILegitimacyConstitution
    function vetoAllocation(uint256 allocationId, string calldata reason) external {
        if (!_roleMembers[GUARDIAN_ROLE].contains(msg.sender)) {
            revert LegitimacyConstitutionMissingRole(GUARDIAN_ROLE, msg.sender);
        }
        address treasury = _modules[uint256(Module.Optimization)];
        if (treasury == address(0)) revert LegitimacyConstitutionModuleUnset(Module.Optimization);
        IOptimizationTreasury(treasury).veto(allocationId);
        emit AllocationVetoed(allocationId, msg.sender, reason);
    }

    // ------------------------------------------------------------------
    // External views
    // ------------------------------------------------------------------

    /// @inheritdoc ILegitimacyConstitution
    function hashAmendment(address proposer, AmendmentBody calldata body) public pure returns (uint256) {
        return _hashAmendment(
            proposer, keccak256(abi.encode(body.actions)), body.strategyProposalId, body.descriptionHash
        );
    }

    /// @inheritdoc ILegitimacyConstitution
    function state(uint256 id) external view returns (AmendmentState) {
        Stored memory a = _amendments[id];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        return _state(id, a, _contexts[a.context]);
    }

    /// @inheritdoc ILegitimacyConstitution
    function amendment(uint256 id) external view returns (AmendmentInfo memory) {
        Stored memory a = _amendments[id];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        return AmendmentInfo({
            voteStart: a.voteStart,
            voteEnd: a.voteEnd,
            tokenSnapshot: a.tokenSnapshot,
            workSnapshot: a.workSnapshot,
            eta: a.eta,
            executed: a.flags & _EXECUTED != 0,
            cancelled: a.flags & _CANCELLED != 0
        });
    }

    /// @inheritdoc ILegitimacyConstitution
    function tallies(uint256 id) external view returns (Tallies memory t) {
        Tally[3] storage s = _tallies[id];
        t.tokenAgainst = s[uint8(VoteType.Against)].token;
        t.tokenFor = s[uint8(VoteType.For)].token;
        t.tokenAbstain = s[uint8(VoteType.Abstain)].token;
        t.workAgainst = s[uint8(VoteType.Against)].work;
        t.workFor = s[uint8(VoteType.For)].work;
        t.workAbstain = s[uint8(VoteType.Abstain)].work;
    }

    /// @inheritdoc ILegitimacyConstitution
    function quorums(uint256 id) external view returns (uint256 tokenQuorum, uint256 workQuorum) {
        Stored memory a = _amendments[id];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        Context memory c = _contexts[a.context];
        tokenQuorum = _quorum(_token.getPastTotalSupply(a.tokenSnapshot), c.tokenQuorumBps);
        (bool readable, uint256 workTotal) = _workTotal(a);
        if (readable) workQuorum = _quorum(workTotal, c.workQuorumBps);
    }

    /// @inheritdoc ILegitimacyConstitution
    function workHouse(uint256 id) external view returns (bool readable, bool repair) {
        Stored memory a = _amendments[id];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        (readable,) = _workTotal(a);
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        readable = readable && a.flags & _WORK_FAULT == 0;
        repair = a.flags & _WORK_REPAIR != 0;
    }

    /// @inheritdoc ILegitimacyConstitution
    function hasVoted(uint256 id, address account) external view returns (bool) {
        return _voted[id][account];
    }

    /// @inheritdoc ILegitimacyConstitution
    function token() external view returns (IVotes) {
        return _token;
    }

    /// @inheritdoc ILegitimacyConstitution
    function deployer() external view returns (address) {
        return _deployer;
    }

    /// @inheritdoc ILegitimacyConstitution
    function bootstrapped() external view returns (bool) {
        return _bootstrappedAt != 0;
    }

    /// @inheritdoc ILegitimacyConstitution
    function param(bytes32 key) external view returns (uint256) {
        return _param(key);
    }

    /// @inheritdoc ILegitimacyConstitution
    function param2(bytes32 keyA, bytes32 keyB) external view returns (uint256 a, uint256 b) {
        (a, b) = (_param(keyA), _param(keyB));
    }

    /// @inheritdoc ILegitimacyConstitution
    function param3(bytes32 keyA, bytes32 keyB, bytes32 keyC)
        external
        view
        returns (uint256 a, uint256 b, uint256 c)
    {
        (a, b, c) = (_param(keyA), _param(keyB), _param(keyC));
    }

    /// @inheritdoc ILegitimacyConstitution
    function paramBounds(bytes32 key) public view returns (uint256 min, uint256 max) {
        if (_values[key].index == 0) revert LegitimacyConstitutionUnknownParam(key);
        Bounds memory b = _bounds[key];
        return (b.min, b.max);
    }

    /// @inheritdoc ILegitimacyConstitution
    function params() external view returns (ParamInfo[] memory out) {
        out = new ParamInfo[](_paramKeys.length);
        for (uint256 i; i < out.length; ++i) {
            bytes32 key = _paramKeys[i];
            (uint256 min, uint256 max) = paramBounds(key);
            out[i] = ParamInfo({key: key, value: _values[key].value, min: min, max: max});
        }
    }

    /// @inheritdoc ILegitimacyConstitution
    function recognition(bytes32 schemaId) external view returns (uint256) {
        return _recognition[schemaId];
    }

    /// @inheritdoc ILegitimacyConstitution
    function creditWeight(bytes32 schemaId) external view returns (uint256 weight) {
        weight = _recognition[schemaId];
        if (weight != 0 && msg.sender != _modules[uint256(Module.Work)]) weight = 0;
    }

    /// @inheritdoc ILegitimacyConstitution
    function recognizedSchemas()
        external
        view
        returns (bytes32[] memory schemaIds, uint256[] memory weights)
    {
        schemaIds = _recognized.values();
        weights = new uint256[](schemaIds.length);
        for (uint256 i; i < schemaIds.length; ++i) {
            weights[i] = _recognition[schemaIds[i]];
        }
    }

    /// @inheritdoc ILegitimacyConstitution
    function hasRole(bytes32 role, address account) external view returns (bool) {
        return _roleMembers[role].contains(account);
    }

    /// @inheritdoc ILegitimacyConstitution
    function roleMembers(bytes32 role) external view returns (address[] memory) {
        return _roleMembers[role].values();
    }

    /// @inheritdoc ILegitimacyConstitution
    function articleCount() external view returns (uint256) {
        return _articles.length;
    }

    /// @inheritdoc ILegitimacyConstitution
    function article(uint256 index) external view returns (Article memory) {
        if (index >= _articles.length) {
            revert LegitimacyConstitutionArticleOutOfRange(index, _articles.length);
        }
        return _articles[index];
    }

    /// @inheritdoc ILegitimacyConstitution
    function articles() external view returns (Article[] memory) {
        return _articles;
    }

    /// @inheritdoc ILegitimacyConstitution
    function module(Module module_) external view returns (address) {
        return _modules[uint256(module_)];
    }

    /// @inheritdoc ILegitimacyConstitution
    function modules() external view returns (address[4] memory) {
        return _modules;
    }

    // ------------------------------------------------------------------
    // Internal: the only setters. Bootstrap and executed amendments use these
    // and nothing else, so every rule below holds on every path.
    // ------------------------------------------------------------------

    /// @dev Current value of `key`; reverts for an unknown key. One SLOAD: the value
    /// shares its slot with the key's index.
    function _param(bytes32 key) private view returns (uint256) {
        Value memory v = _values[key];
        if (v.index == 0) revert LegitimacyConstitutionUnknownParam(key);
        return v.value;
    }

    /// @return contextChanged Whether `key` is frozen into amendment contexts (the
    /// caller then writes a new context version once).
    function _setParam(bytes32 key, uint256 value) internal returns (bool contextChanged) {
        _checkParam(key, value);
        Value storage v = _values[key];
        uint256 old = v.value;
        // forge-lint: disable-next-line(unsafe-typecast) value <= max < 2^128
        v.value = uint240(value);
        emit ParamSet(key, old, value);
        return ParamKeys.isContextKey(key);
    }

    function _setRecognition(bytes32 schemaId, uint256 weight) internal {
        _checkRecognition(schemaId, weight, _modules[uint256(Module.Work)]);
        uint256 old = _recognition[schemaId];
        _recognition[schemaId] = weight;
        // slither-disable-next-line unused-return (the value left out is not needed)
        if (weight == 0) _recognized.remove(schemaId);
        // slither-disable-next-line unused-return (the value left out is not needed)
        else _recognized.add(schemaId);
        emit RecognitionSet(schemaId, old, weight);
    }

    function _setRole(bytes32 role, address account, bool grant) internal {
        if (role != STEWARD_ROLE && role != GUARDIAN_ROLE) revert LegitimacyConstitutionUnknownRole(role);
        if (account == address(0)) revert LegitimacyConstitutionInvalidAccount(account);
        if (grant) {
            if (_roleMembers[role].add(account)) emit RoleGranted(role, account);
        } else {
            if (_roleMembers[role].remove(account)) emit RoleRevoked(role, account);
        }
    }

    /// @dev `index == ARTICLE_APPEND` appends; a lower existing index replaces or,
    /// with a zero hash, repeals. Appending is never positional, so two amendments
    /// that each append cannot overwrite one another.
    function _setArticle(uint256 index, bytes32 contentHash, string calldata uri) internal {
        uint256 count = _articles.length;
        if (index == ARTICLE_APPEND) {
            if (contentHash == bytes32(0)) revert LegitimacyConstitutionEmptyArticle(count);
            _articles.push(Article({contentHash: contentHash, uri: uri}));
            emit ArticleSet(count, bytes32(0), contentHash, uri);
        } else {
            if (index >= count) revert LegitimacyConstitutionArticleOutOfRange(index, count);
            bytes32 old = _articles[index].contentHash;
            _articles[index] = Article({contentHash: contentHash, uri: uri});
            emit ArticleSet(index, old, contentHash, uri);
        }
    }

    /// @return contextChanged Whether the Work House registry changed (the caller
    /// then writes a new context version once).
    function _setModule(uint256 index, address addr) internal returns (bool contextChanged) {
        Module m = _checkModule(index, addr);
        address old = _modules[index];
        _modules[index] = addr;
        if (m == Module.Work) {
            // A fresh registry is recorded with the module it replaced (checked to be its
            // predecessor); a restored one keeps its record.
            WorkRecord storage r = _workRecords[addr];
            if (!r.wired) {
                r.wired = true;
                r.predecessor = old;
            }
        }
        emit ModuleSet(m, old, addr);
        return m == Module.Work;
    }

    /// @dev `addr` must be a contract that names this constitution as its own and reports
    /// the kind of slot `index`; a Work module must also continue the Work House.
    function _checkModule(uint256 index, address addr) internal view returns (Module m) {
        if (index > uint256(type(Module).max)) revert LegitimacyConstitutionUnknownModule(index);
        m = Module(index);
        address reported = _readAddress(addr, abi.encodeCall(IViableModule.constitution, ()));
        if (reported != address(this)) revert LegitimacyConstitutionModuleMismatch(m, addr, reported);
        bytes32 expected = ModuleKinds.forSlot(index);
        bytes32 kind = bytes32(_readWord(addr, abi.encodeCall(IViableModule.moduleKind, ())));
        if (kind != expected) revert LegitimacyConstitutionModuleKindMismatch(m, addr, expected, kind);
        if (m == Module.Work) _checkSuccession(addr);
    }

    /// @dev Replacing the Work module must never reset the Work House or hand it to
    /// newcomers: the new registry either succeeds the current one (it was built while
    /// the current one was wired, so it reads its points, and it was never wired before,
    /// so it credited nothing of its own) or is the registry the current one replaced.
    function _checkSuccession(address addr) internal view {
        address current = _modules[uint256(Module.Work)];
        if (current == address(0) || addr == current || addr == _workRecords[current].predecessor) return;
        address predecessor = _readAddress(addr, abi.encodeCall(IWorkRegistry.predecessor, ()));
        if (predecessor != current || _workRecords[addr].wired) {
            revert LegitimacyConstitutionWorkNotSuccessor(addr, current, predecessor);
        }
    }

    /// @dev Whether action `a` restores the Work registry the current one replaced.
    function _restoresWork(Action calldata a) internal view returns (bool) {
        if (a.kind != uint8(ActionKind.SetModule) || a.value != uint256(Module.Work)) return false;
        address restored = _workRecords[_modules[uint256(Module.Work)]].predecessor;
        return restored != address(0) && a.account == restored;
    }

    /// @dev `value` must lie in `key`'s hard bounds; a token proposal threshold must also
    /// stay within reach of the Token House (the whole supply pooled by delegation).
    function _checkParam(bytes32 key, uint256 value) internal view {
        (uint256 min, uint256 max) = paramBounds(key);
        if (value < min || value > max) revert LegitimacyConstitutionParamOutOfBounds(key, value, min, max);
        if (key == ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD) {
            uint256 supply = _tokenSupply();
            if (value > supply) revert LegitimacyConstitutionThresholdUnreachable(key, value, supply);
        }
    }

    /// @dev A non-zero weight needs a schema registered in the Work module `work` and
    /// checked by someone other than its contributor (Attested, or a validator).
    /// Withdrawing recognition (weight 0) is always allowed.
    function _checkRecognition(bytes32 schemaId, uint256 weight, address work) internal view {
        if (weight > MAX_RECOGNITION_WEIGHT) {
            revert LegitimacyConstitutionRecognitionTooHigh(schemaId, weight, MAX_RECOGNITION_WEIGHT);
        }
        if (weight == 0) return;
        (bool ok, bytes memory ret) =
            work.staticcall(abi.encodeCall(IWorkRegistry.schemaAcceptance, (schemaId)));
        if (!ok || ret.length < 64) revert LegitimacyConstitutionSchemaUnknown(schemaId, work);
        (uint256 mode, uint256 validator) = abi.decode(ret, (uint256, uint256));
        if (mode == uint256(IWorkRegistry.AcceptanceMode.Immediate) && validator == 0) {
            revert LegitimacyConstitutionSchemaUnchecked(schemaId, work);
        }
    }

    // ------------------------------------------------------------------
    // Internal: amendments
    // ------------------------------------------------------------------

    function _hashAmendment(
        address proposer,
        bytes32 actionsHash,
        uint256 strategyProposalId,
        bytes32 descriptionHash
    ) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(proposer, actionsHash, strategyProposalId, descriptionHash)));
    }

    /// @dev Check the proposer's weight and store amendment `id`'s schedule. Both
    /// snapshots are one tick in the past: final, and out of reach of a same-block loan.
    function _open(uint256 id, bool repair) internal returns (uint48 voteStart, uint48 voteEnd) {
        if (_amendments[id].voteStart != 0) revert LegitimacyConstitutionAmendmentExists(id);
        uint48 tokenSnapshot = IERC6372(address(_token)).clock() - 1;
        uint40 workSnapshot = uint40(block.timestamp) - 1;
        // Before the bootstrap's second the houses had no weight: such a vote could never pass.
        uint40 bootstrappedAt = _bootstrappedAt;
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (bootstrappedAt == 0 || workSnapshot < bootstrappedAt) {
            revert LegitimacyConstitutionSnapshotBeforeBootstrap(workSnapshot, bootstrappedAt);
        }
        _checkThreshold(msg.sender, tokenSnapshot, workSnapshot);
        uint32 version = _contextVersion;
        Context memory c = _contexts[version];
        voteStart = uint48(block.timestamp + c.votingDelay);
        voteEnd = voteStart + c.votingPeriod;
        // forge-lint: disable-start(unsafe-typecast) timestamps stay below 2^40 until the year 36812
        _amendments[id] = Stored({
            voteStart: uint40(voteStart),
            voteEnd: uint40(voteEnd),
            tokenSnapshot: tokenSnapshot,
            workSnapshot: workSnapshot,
            eta: 0,
            flags: repair ? _WORK_REPAIR : 0,
            context: version
        });
        // forge-lint: disable-end(unsafe-typecast)
    }

    /// @dev Lifecycle, derived from the stored schedule, the tallies and the
    /// amendment's own context. A Succeeded amendment nobody queues, like a Queued one
    /// nobody executes, expires once its context's grace period has passed; no later
    /// parameter change can revive, flip or expire it early.
    function _state(uint256 id, Stored memory a, Context memory c) internal view returns (AmendmentState) {
        if (a.flags & _EXECUTED != 0) return AmendmentState.Executed;
        if (a.flags & _CANCELLED != 0) return AmendmentState.Cancelled;
        if (block.timestamp < a.voteStart) return AmendmentState.Pending;
        if (block.timestamp < a.voteEnd) return AmendmentState.Active;
        if (a.eta != 0) {
            return
                block.timestamp < uint256(a.eta) + c.gracePeriod
                    ? AmendmentState.Queued
                    : AmendmentState.Expired;
        }
        if (!_succeeded(id, a, c)) return AmendmentState.Defeated;
        return block.timestamp < uint256(a.voteEnd) + c.gracePeriod
            ? AmendmentState.Succeeded
            : AmendmentState.Expired;
    }

    /// @dev Both houses must pass and reach quorum, under the amendment's own
    /// context. Abstain is read only when For alone falls short of a quorum. If the Work
    /// House cannot be read, only a Work repair can pass, on the Token House alone.
    function _succeeded(uint256 id, Stored memory a, Context memory c) internal view returns (bool) {
        Tally[3] storage t = _tallies[id];
        Tally memory f = t[uint8(VoteType.For)];
        Tally memory ag = t[uint8(VoteType.Against)];
        if (!_passes(f.token, ag.token, c.passBps)) return false;
        uint256 tokenTotal = _token.getPastTotalSupply(a.tokenSnapshot);
        (bool readable, uint256 workTotal) = _workTotal(a);
        if (!readable || a.flags & _WORK_FAULT != 0) {
            // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
            if (a.flags & _WORK_REPAIR == 0) return false;
            return _meets(uint256(f.token) + t[uint8(VoteType.Abstain)].token, tokenTotal, c.tokenQuorumBps);
        }
        if (!_passes(f.work, ag.work, c.passBps)) return false;
        if (_meets(f.token, tokenTotal, c.tokenQuorumBps) && _meets(f.work, workTotal, c.workQuorumBps)) {
            return true;
        }
        Tally memory ab = t[uint8(VoteType.Abstain)];
        return _meets(uint256(f.token) + ab.token, tokenTotal, c.tokenQuorumBps)
            && _meets(uint256(f.work) + ab.work, workTotal, c.workQuorumBps);
    }

    /// @dev For exceeds `passBps` of For + Against (a tie never passes).
    function _passes(uint256 forVotes, uint256 against, uint256 passBps) internal pure returns (bool) {
        return forVotes * _BPS > passBps * (forVotes + against);
    }

    /// @dev `weight` (For, or For + Abstain) reaches `quorumBps` of `total`.
    function _meets(uint256 weight, uint256 total, uint256 quorumBps) internal pure returns (bool) {
        return weight * _BPS >= total * quorumBps;
    }

    /// @dev The weight (For + Abstain) a house needs, rounded up.
    function _quorum(uint256 total, uint256 quorumBps) internal pure returns (uint256) {
        uint256 product = total * quorumBps;
        // slither-disable-next-line incorrect-equality,weak-prng (rounds up: no balance, no randomness)
        return product / _BPS + (product % _BPS == 0 ? 0 : 1);
    }

    /// @dev A proposal threshold capped at the house's quorum of `total` (at least 1, so a
    /// proposer always holds some weight).
    function _reachable(uint256 threshold, uint256 total, uint256 quorumBps) internal pure returns (uint256) {
        uint256 quorum = _quorum(total, quorumBps);
        // slither-disable-next-line incorrect-equality (a quorum, no balance)
        if (quorum == 0) quorum = 1;
        return quorum < threshold ? quorum : threshold;
    }

    /// @dev Write a new context version from the current parameters and Work module.
    function _newContext() internal {
        uint32 version = _contextVersion + 1;
        // forge-lint: disable-start(unsafe-typecast) structural bounds: periods <= 10 years < 2^32, bps <= 10_000
        _contexts[version] = Context({
            votingDelay: uint32(_values[ParamKeys.LEGIT_VOTING_DELAY].value),
            votingPeriod: uint32(_values[ParamKeys.LEGIT_VOTING_PERIOD].value),
            timelock: uint32(_values[ParamKeys.LEGIT_TIMELOCK].value),
            gracePeriod: uint32(_values[ParamKeys.LEGIT_GRACE_PERIOD].value),
            tokenQuorumBps: uint16(_values[ParamKeys.LEGIT_TOKEN_QUORUM_BPS].value),
            workQuorumBps: uint16(_values[ParamKeys.LEGIT_WORK_QUORUM_BPS].value),
            passBps: uint16(_values[ParamKeys.LEGIT_PASS_BPS].value)
        });
        // forge-lint: disable-end(unsafe-typecast)
        _workAt[version] = _modules[uint256(Module.Work)];
        _contextVersion = version;
    }

    function _castVote(uint256 id, uint8 support, string memory reason) internal {
        if (support > uint8(VoteType.Abstain)) revert LegitimacyConstitutionInvalidSupport(support);
        Stored memory a = _amendments[id];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        if (
            a.flags & (_EXECUTED | _CANCELLED) != 0 || block.timestamp < a.voteStart
                || block.timestamp >= a.voteEnd
        ) {
            revert LegitimacyConstitutionWrongState(
                id, _state(id, a, _contexts[a.context]), AmendmentState.Active
            );
        }
        if (_voted[id][msg.sender]) revert LegitimacyConstitutionAlreadyVoted(id, msg.sender);

        uint256 tokenWeight = _token.getPastVotes(msg.sender, a.tokenSnapshot);
        address work = _workAt[a.context];
        (bool readable, uint256 workWeight) =
            _readWork(work, abi.encodeCall(IWorkRegistry.getPastPower, (msg.sender, a.workSnapshot)));
        // A failed read goes through with zero Work weight, so that the fault is recorded.
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (tokenWeight == 0 && workWeight == 0 && readable) {
            revert LegitimacyConstitutionNoVotingPower(id, msg.sender);
        }

        _voted[id][msg.sender] = true;
        Tally storage t = _tallies[id][support];
        Tally memory cur = t;
        uint256 workTally = cur.work + workWeight;
        // More than the house can hold means the registry misreports: a fault as well.
        if (workTally > WorkHouse.MAX_TOTAL_POWER) {
            (readable, workWeight, workTally) = (false, 0, cur.work);
        }
        t.token = SafeCast.toUint208(cur.token + tokenWeight);
        // forge-lint: disable-next-line(unsafe-typecast) workTally <= MAX_TOTAL_POWER = 2^48 - 1
        t.work = uint48(workTally);
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (!readable && a.flags & _WORK_FAULT == 0) {
            _amendments[id].flags = a.flags | _WORK_FAULT;
            emit WorkHouseUnreadable(id, work, msg.sender);
        }
        emit VoteCast(id, msg.sender, VoteType(support), tokenWeight, workWeight, reason);
    }

    /// @dev `account` may propose when its weight in either house at the snapshots reaches
    /// that house's proposal threshold, or the house's quorum where that is lower (at least
    /// 1; a Work House whose total cannot be read, or is 0, keeps its stored threshold).
    /// Whoever could carry the Token House's quorum (votes pooled by delegation) can
    /// always put an amendment forward, so no threshold an amendment sets can shut
    /// proposing off: an amendment that could pass can be proposed. The stored thresholds
    /// are tried first and the quorums read only if neither is met, so a proposer who
    /// meets either stored threshold pays what it did before the caps.
    function _checkThreshold(address account, uint48 tokenSnapshot, uint40 workSnapshot) internal view {
        uint256 tokenVotes = _token.getPastVotes(account, tokenSnapshot);
        uint256 tokenThreshold = _values[ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD].value;
        if (tokenVotes >= tokenThreshold) return;
        address work = _modules[uint256(Module.Work)];
        (, uint256 workPower) =
            _readWork(work, abi.encodeCall(IWorkRegistry.getPastPower, (account, workSnapshot)));
        uint256 workThreshold = _values[ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD].value;
        if (workPower >= workThreshold) return;
        // The quorums the amendment would be counted with: the current context's.
        Context storage c = _contexts[_contextVersion];
        tokenThreshold =
            _reachable(tokenThreshold, _token.getPastTotalSupply(tokenSnapshot), c.tokenQuorumBps);
        if (tokenVotes >= tokenThreshold) return;
        (, uint256 workTotal) =
            _readWork(work, abi.encodeCall(IWorkRegistry.getPastTotalPower, (workSnapshot)));
        if (workTotal != 0) workThreshold = _reachable(workThreshold, workTotal, c.workQuorumBps);
        if (workPower >= workThreshold) return;
        revert LegitimacyConstitutionBelowThreshold(
            account, tokenVotes, tokenThreshold, workPower, workThreshold
        );
    }

    /// @dev The Work House total of amendment `a`, read from its context's registry. An
    /// empty house could never reach quorum: like a failed read, it is no house to count.
    function _workTotal(Stored memory a) internal view returns (bool readable, uint256 total) {
        (readable, total) =
            _readWork(_workAt[a.context], abi.encodeCall(IWorkRegistry.getPastTotalPower, (a.workSnapshot)));
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (total == 0) readable = false;
    }

    /// @dev One Work House read, `data` sent to `work` with at most WORK_READ_GAS gas.
    /// `readable` is false if the registry reverts, answers less than a word, answers
    /// more than the house can hold, or runs out of its gas. The read can never make the
    /// caller revert on the registry's account, so a faulty registry cannot lock
    /// governance; and a caller cannot fake a fault with a short gas limit, because a
    /// failure with less than the full cap available reverts instead.
    function _readWork(address work, bytes memory data) internal view returns (bool readable, uint256 value) {
        uint256 before = gasleft();
        bool answered;
        // Assembly: a Solidity call would copy the whole return data, which a faulty
        // registry could make huge (a returndata bomb), and costs more on the hot paths
        // (measured with `staticcall` + `abi.decode`: 407 gas more per vote, 404 per queue).
        assembly ("memory-safe") {
            // At most WORK_READ_GAS gas; copy at most one word of the answer to scratch space.
            answered := staticcall(WORK_READ_GAS, work, add(data, 0x20), mload(data), 0x00, 0x20)
            // A whole word must have come back.
            readable := and(answered, gt(returndatasize(), 0x1f))
            // The word (stale scratch data if the call failed; discarded below).
            value := mload(0x00)
        }
        if (!readable) {
            // A failed call may be the caller's short gas limit; a short answer never is.
            if (!answered && before < _WORK_READ_MIN_GAS) {
                revert LegitimacyConstitutionWorkReadGas(before, _WORK_READ_MIN_GAS);
            }
            return (false, 0);
        }
        if (value > WorkHouse.MAX_TOTAL_POWER) return (false, 0);
    }

    /// @dev Propose-time validation of every action, in order.
    /// @return repair Whether every action restores the Work registry the current one replaced.
    function _checkActions(Action[] calldata actions) internal view returns (bool repair) {
        uint256 n = actions.length;
        if (n == 0 || n > MAX_ACTIONS) revert LegitimacyConstitutionActionCount(n, MAX_ACTIONS);
        // The article count is read only if an action needs it (see `_checkAction`).
        uint256 articles_ = type(uint256).max;
        repair = true;
        // The Work module as an earlier action of this amendment sets it (zero: unchanged).
        // slither-disable-next-line uninitialized-local (starts at zero on purpose)
        address work;
        for (uint256 i; i < n; ++i) {
            Action calldata a = actions[i];
            articles_ = _checkAction(i, a, articles_, work);
            repair = repair && _restoresWork(a);
            if (a.kind == uint8(ActionKind.SetModule) && a.value == uint256(Module.Work)) work = a.account;
        }
    }

    /// @dev Propose-time validation of action `i`: its shape, and everything that can
    /// be known before execution. Execution re-checks through the setters.
    /// `count_` is the article count after the earlier actions (`type(uint256).max`
    /// until an action needs it); returns it after this one. `work` is the Work module
    /// an earlier action sets (zero: the current one), which a SetRecognition reads.
    function _checkAction(uint256 i, Action calldata a, uint256 count_, address work)
        internal
        view
        returns (uint256)
    {
        uint8 kind = a.kind;
        bool noUri = bytes(a.uri).length == 0;
        if (kind == uint8(ActionKind.SetParam)) {
            if (a.account != address(0) || !noUri) revert LegitimacyConstitutionMalformedAction(i);
            _checkParam(a.key, a.value);
        } else if (kind == uint8(ActionKind.SetRecognition)) {
            if (a.account != address(0) || !noUri) revert LegitimacyConstitutionMalformedAction(i);
            _checkRecognition(a.key, a.value, work == address(0) ? _modules[uint256(Module.Work)] : work);
        } else if (kind == uint8(ActionKind.SetRole)) {
            if (a.value > 1 || !noUri) revert LegitimacyConstitutionMalformedAction(i);
            if (a.key != STEWARD_ROLE && a.key != GUARDIAN_ROLE) {
                revert LegitimacyConstitutionUnknownRole(a.key);
            }
            if (a.account == address(0)) revert LegitimacyConstitutionInvalidAccount(a.account);
        } else if (kind == uint8(ActionKind.SetArticle)) {
            if (a.account != address(0)) revert LegitimacyConstitutionMalformedAction(i);
            if (count_ == type(uint256).max) count_ = _articles.length;
            if (a.value == ARTICLE_APPEND) {
                if (a.key == bytes32(0)) revert LegitimacyConstitutionEmptyArticle(count_);
                ++count_;
            } else if (a.value >= count_) {
                // Replacing or repealing needs an article that exists (earlier appends
                // in this amendment count); appending uses ARTICLE_APPEND.
                revert LegitimacyConstitutionArticleOutOfRange(a.value, count_);
            }
        } else if (kind == uint8(ActionKind.SetModule)) {
            if (a.key != bytes32(0) || !noUri) revert LegitimacyConstitutionMalformedAction(i);
            _checkModule(a.value, a.account);
        } else {
            revert LegitimacyConstitutionMalformedAction(i);
        }
        return count_;
    }

    /// @dev Apply action `i` through the one setter of its kind.
    /// @return contextChanged Whether the action changed an amendment-context input.
    function _apply(uint256 i, Action calldata a) internal returns (bool contextChanged) {
        uint8 kind = a.kind;
        if (kind == uint8(ActionKind.SetParam)) {
            return _setParam(a.key, a.value);
        } else if (kind == uint8(ActionKind.SetRecognition)) {
            _setRecognition(a.key, a.value);
        } else if (kind == uint8(ActionKind.SetRole)) {
            if (a.value > 1) revert LegitimacyConstitutionMalformedAction(i);
            _setRole(a.key, a.account, a.value == 1);
        } else if (kind == uint8(ActionKind.SetArticle)) {
            _setArticle(a.value, a.key, a.uri);
        } else if (kind == uint8(ActionKind.SetModule)) {
            return _setModule(a.value, a.account);
        } else {
            revert LegitimacyConstitutionMalformedAction(i);
        }
    }

    /// @dev The token must answer the ERC-6372 clock and IVotes reads the Token House makes.
    function _checkToken(address token_) private view {
        if (token_.code.length == 0) revert LegitimacyConstitutionInvalidToken(token_);
        // Low-level reads: a token whose fallback returns nothing or garbage must be
        // refused with the named error, not with an undecodable revert.
        uint256 now_ = _readWord(token_, abi.encodeCall(IERC6372.clock, ()));
        if (now_ == 0 || now_ > type(uint48).max) revert LegitimacyConstitutionInvalidToken(token_);
        (bool ok, bytes memory mode) = token_.staticcall(abi.encodeCall(IERC6372.CLOCK_MODE, ()));
        if (!ok || mode.length < 64) revert LegitimacyConstitutionInvalidToken(token_);
    }

    /// @dev The token's supply now: ERC-20 `totalSupply`, or for an IVotes token without
    /// it, the past total supply one tick ago on the token's own clock.
    function _tokenSupply() private view returns (uint256 supply) {
        address t = address(_token);
        supply = _readWord(t, abi.encodeCall(IERC20.totalSupply, ()));
        if (supply == 0) {
            uint256 now_ = _readWord(t, abi.encodeCall(IERC6372.clock, ()));
            if (now_ != 0) supply = _readWord(t, abi.encodeCall(IVotes.getPastTotalSupply, (now_ - 1)));
        }
    }

    /// @dev The address `target` returns for `data`, or zero if it is not a contract, the
    /// call fails, or the word is not a clean address.
    function _readAddress(address target, bytes memory data) private view returns (address) {
        if (target.code.length == 0) return address(0);
        uint256 word = _readWord(target, data);
        // forge-lint: disable-next-line(unsafe-typecast) a clean word is an address; a dirty one is refused
        return word >> 160 == 0 ? address(uint160(word)) : address(0);
    }

    /// @dev The first word `target` returns for `data`, or 0 if the call fails or
    /// returns less than a word.
    function _readWord(address target, bytes memory data) private view returns (uint256 word) {
        (bool ok, bytes memory ret) = target.staticcall(data);
        if (ok && ret.length >= 32) word = abi.decode(ret, (uint256));
    }
}
