// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "./interfaces/IOptimizationTreasury.sol";
import {IStrategyProposals} from "./interfaces/IStrategyProposals.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {IWorkRegistry} from "./interfaces/IWorkRegistry.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
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

    uint256 private constant _BPS = 10_000;
    uint8 private constant _EXECUTED = 1;
    uint8 private constant _CANCELLED = 2;

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

    bool private _bootstrapped;
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
    uint32 private _contextVersion;

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
    /// is ERC20Votes' own supply cap; Work House power is a sum of integer square
    /// roots and stays far below 2^48.
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
        if (_bootstrapped || _bootstrapping) revert LegitimacyConstitutionAlreadyBootstrapped();
        _bootstrapping = true;

        bool contextChanged;
        for (uint256 i; i < 4; ++i) {
            if (config.modules[i] != address(0)) {
                contextChanged = _setModule(i, config.modules[i]) || contextChanged;
            }
        }
        if (contextChanged) _newContext();
        for (uint256 i; i < config.roles.length; ++i) {
            _setRole(config.roles[i].role, config.roles[i].account, true);
        }
        for (uint256 i; i < config.recognitions.length; ++i) {
            _setRecognition(config.recognitions[i].schemaId, config.recognitions[i].weight);
        }
        for (uint256 i; i < config.articles.length; ++i) {
            _setArticle(ARTICLE_APPEND, config.articles[i].contentHash, config.articles[i].uri);
        }
        if (config.seeds.length != 0) {
            address work = _modules[uint256(Module.Work)];
            if (work == address(0)) revert LegitimacyConstitutionModuleUnset(Module.Work);
            for (uint256 i; i < config.seeds.length; ++i) {
                IWorkRegistry(work).seedContribution(config.seeds[i].contributor, config.seeds[i].points);
            }
        }
        // Set last: modules read `bootstrapped()` to know that seeding is still open.
        _bootstrapped = true;
        _bootstrapping = false;
        emit Bootstrapped(msg.sender);
    }

    /// @inheritdoc ILegitimacyConstitution
    function propose(Action[] calldata actions, uint256 strategyProposalId, string calldata description)
        external
        returns (uint256 id)
    {
        uint256 n = actions.length;
        if (n == 0 || n > MAX_ACTIONS) revert LegitimacyConstitutionActionCount(n, MAX_ACTIONS);
        // The article count is read only if an action needs it (see `_checkAction`).
        uint256 articles_ = type(uint256).max;
        for (uint256 i; i < n; ++i) {
            articles_ = _checkAction(i, actions[i], articles_);
        }
        if (strategyProposalId != 0 && _modules[uint256(Module.Strategy)] == address(0)) {
            revert LegitimacyConstitutionModuleUnset(Module.Strategy);
        }

        id = _hashAmendment(
            msg.sender, keccak256(abi.encode(actions)), strategyProposalId, keccak256(bytes(description))
        );
        (uint48 voteStart, uint48 voteEnd) = _open(id);
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
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        return _state(id, a, _contexts[a.context]);
    }

    /// @inheritdoc ILegitimacyConstitution
    function amendment(uint256 id) external view returns (AmendmentInfo memory) {
        Stored memory a = _amendments[id];
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
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        Context memory c = _contexts[a.context];
        tokenQuorum = _quorum(_token.getPastTotalSupply(a.tokenSnapshot), c.tokenQuorumBps);
        workQuorum = _quorum(_workTotal(_workAt[a.context], a.workSnapshot), c.workQuorumBps);
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
        return _bootstrapped;
    }

    /// @inheritdoc ILegitimacyConstitution
    function param(bytes32 key) external view returns (uint256) {
        Value memory v = _values[key];
        if (v.index == 0) revert LegitimacyConstitutionUnknownParam(key);
        return v.value;
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

    /// @return contextChanged Whether `key` is frozen into amendment contexts (the
    /// caller then writes a new context version once).
    function _setParam(bytes32 key, uint256 value) internal returns (bool contextChanged) {
        (uint256 min, uint256 max) = paramBounds(key);
        if (value < min || value > max) revert LegitimacyConstitutionParamOutOfBounds(key, value, min, max);
        Value storage v = _values[key];
        uint256 old = v.value;
        // forge-lint: disable-next-line(unsafe-typecast) value <= max < 2^128
        v.value = uint240(value);
        emit ParamSet(key, old, value);
        return ParamKeys.isContextKey(key);
    }

    function _setRecognition(bytes32 schemaId, uint256 weight) internal {
        if (weight > MAX_RECOGNITION_WEIGHT) {
            revert LegitimacyConstitutionRecognitionTooHigh(schemaId, weight, MAX_RECOGNITION_WEIGHT);
        }
        uint256 old = _recognition[schemaId];
        _recognition[schemaId] = weight;
        if (weight == 0) _recognized.remove(schemaId);
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
        emit ModuleSet(m, old, addr);
        return m == Module.Work;
    }

    /// @dev `addr` must be a contract that names this constitution as its own.
    function _checkModule(uint256 index, address addr) internal view returns (Module m) {
        if (index > uint256(type(Module).max)) revert LegitimacyConstitutionUnknownModule(index);
        m = Module(index);
        address reported;
        if (addr.code.length != 0) {
            uint256 word = _readWord(addr, abi.encodeCall(IViableModule.constitution, ()));
            // A dirty word is not an address; report it truncated, refuse it below.
            // forge-lint: disable-next-line(unsafe-typecast) truncation intended, checked next line
            reported = address(uint160(word));
            if (word >> 160 != 0) reported = address(0);
        }
        if (reported != address(this)) revert LegitimacyConstitutionModuleMismatch(m, addr, reported);
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
    function _open(uint256 id) internal returns (uint48 voteStart, uint48 voteEnd) {
        if (_amendments[id].voteStart != 0) revert LegitimacyConstitutionAmendmentExists(id);
        uint48 tokenSnapshot = IERC6372(address(_token)).clock() - 1;
        uint40 workSnapshot = uint40(block.timestamp) - 1;
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
            flags: 0,
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
    /// context. Abstain is read only when For alone falls short of a quorum.
    function _succeeded(uint256 id, Stored memory a, Context memory c) internal view returns (bool) {
        Tally[3] storage t = _tallies[id];
        Tally memory f = t[uint8(VoteType.For)];
        Tally memory ag = t[uint8(VoteType.Against)];
        if (!_passes(f.token, ag.token, c.passBps) || !_passes(f.work, ag.work, c.passBps)) return false;
        uint256 tokenTotal = _token.getPastTotalSupply(a.tokenSnapshot);
        uint256 workTotal = _workTotal(_workAt[a.context], a.workSnapshot);
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
        return product / _BPS + (product % _BPS == 0 ? 0 : 1);
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
        if (a.voteStart == 0) revert LegitimacyConstitutionUnknownAmendment(id);
        if (a.flags != 0 || block.timestamp < a.voteStart || block.timestamp >= a.voteEnd) {
            revert LegitimacyConstitutionWrongState(
                id, _state(id, a, _contexts[a.context]), AmendmentState.Active
            );
        }
        if (_voted[id][msg.sender]) revert LegitimacyConstitutionAlreadyVoted(id, msg.sender);

        uint256 tokenWeight = _token.getPastVotes(msg.sender, a.tokenSnapshot);
        uint256 workWeight = _workPower(_workAt[a.context], msg.sender, a.workSnapshot);
        if (tokenWeight == 0 && workWeight == 0) revert LegitimacyConstitutionNoVotingPower(id, msg.sender);

        _voted[id][msg.sender] = true;
        Tally storage t = _tallies[id][support];
        Tally memory cur = t;
        t.token = SafeCast.toUint208(cur.token + tokenWeight);
        t.work = SafeCast.toUint48(cur.work + workWeight);
        emit VoteCast(id, msg.sender, VoteType(support), tokenWeight, workWeight, reason);
    }

    function _checkThreshold(address account, uint48 tokenSnapshot, uint40 workSnapshot) internal view {
        uint256 tokenVotes = _token.getPastVotes(account, tokenSnapshot);
        uint256 tokenThreshold = _values[ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD].value;
        if (tokenVotes >= tokenThreshold) return;
        uint256 workPower = _workPower(_modules[uint256(Module.Work)], account, workSnapshot);
        uint256 workThreshold = _values[ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD].value;
        if (workPower >= workThreshold) return;
        revert LegitimacyConstitutionBelowThreshold(
            account, tokenVotes, tokenThreshold, workPower, workThreshold
        );
    }

    function _workPower(address work, address account, uint256 timepoint) internal view returns (uint256) {
        return work == address(0) ? 0 : IWorkRegistry(work).getPastPower(account, timepoint);
    }

    function _workTotal(address work, uint256 timepoint) internal view returns (uint256) {
        return work == address(0) ? 0 : IWorkRegistry(work).getPastTotalPower(timepoint);
    }

    /// @dev Propose-time validation of action `i`: its shape, and everything that can
    /// be known before execution. Execution re-checks through the setters.
    /// `count_` is the article count after the earlier actions (`type(uint256).max`
    /// until an action needs it); returns it after this one.
    function _checkAction(uint256 i, Action calldata a, uint256 count_) internal view returns (uint256) {
        uint8 kind = a.kind;
        bool noUri = bytes(a.uri).length == 0;
        if (kind == uint8(ActionKind.SetParam)) {
            if (a.account != address(0) || !noUri) revert LegitimacyConstitutionMalformedAction(i);
            (uint256 min, uint256 max) = paramBounds(a.key);
            if (a.value < min || a.value > max) {
                revert LegitimacyConstitutionParamOutOfBounds(a.key, a.value, min, max);
            }
        } else if (kind == uint8(ActionKind.SetRecognition)) {
            if (a.account != address(0) || !noUri) revert LegitimacyConstitutionMalformedAction(i);
            if (a.value > MAX_RECOGNITION_WEIGHT) {
                revert LegitimacyConstitutionRecognitionTooHigh(a.key, a.value, MAX_RECOGNITION_WEIGHT);
            }
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

    /// @dev The first word `target` returns for `data`, or 0 if the call fails or
    /// returns less than a word.
    function _readWord(address target, bytes memory data) private view returns (uint256 word) {
        (bool ok, bytes memory ret) = target.staticcall(data);
        if (ok && ret.length >= 32) word = abi.decode(ret, (uint256));
    }
}
