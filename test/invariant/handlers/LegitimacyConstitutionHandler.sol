// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../../../contracts/LegitimacyConstitution.sol";
import {ViableToken} from "../../../contracts/ViableToken.sol";
import {WorkRegistry} from "../../../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../../../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../../../contracts/libraries/ParamKeys.sol";
import {MockWorkRegistry} from "../../mocks/MockWorkRegistry.sol";
import {AcceptingValidator} from "../../mocks/WorkValidatorMocks.sol";
import {Test} from "../../utils/Test.sol";

/// @notice Drives the constitution for its invariant suite: a fixed set of actors
/// propose (SetParam of context and ordinary keys, SetRecognition, SetRole, SetArticle,
/// SetModule swapping the Work registry for a successor, restoring the one it replaced,
/// or wiring a faulty one), vote, queue, execute and cancel amendments, move tokens and
/// delegations, submit recognized work, and let time pass. It keeps a model of what the
/// constitution must report: every voter's snapshot weights summed per amendment and
/// vote type, who voted, and the last state seen of every amendment.
contract LegitimacyConstitutionHandler is Test {
    using ParamKeysList for uint256;
    using ParamKeysList for bytes32;

    /// @notice An amendment the handler proposed, with what it needs to follow it.
    struct Tracked {
        uint256 id;
        address proposer;
        bytes body; // abi.encode(AmendmentBody)
        address work; // the Work registry of its context (the Work module at propose)
        uint48 tokenSnapshot;
        uint48 workSnapshot;
    }

    bytes32 internal constant HASH = keccak256("work");
    uint8 internal constant FOR = 1;
    /// @dev Amendments followed at once. A new one takes the place of one that reached a
    /// final state, so long runs keep proposing while every call stays cheap.
    uint256 internal constant MAX_TRACKED = 8;

    LegitimacyConstitution public immutable constitution;
    ViableToken public immutable token;
    address[] internal _actors;
    Tracked[] internal _proposals;
    uint256 internal _nonce;

    /// @notice The one schema the actors submit: Immediate, gated by a validator that
    /// accepts everything (so it may be recognized). Content-addressed, so the same id
    /// in every registry that registers it.
    bytes32 public schemaId;
    address internal _validator;

    /// @notice The Work module each registry replaced when it was wired (what a repair
    /// restores), and the registries that cannot be read.
    mapping(address registry => address) public replaced;
    mapping(address registry => bool) public faulty;

    // Ghost state: the model.
    mapping(uint256 id => mapping(uint8 support => uint256)) public ghostTokenTally;
    mapping(uint256 id => mapping(uint8 support => uint256)) public ghostWorkTally;
    mapping(uint256 id => mapping(address voter => bool)) public ghostVoted;
    mapping(uint256 id => ILegitimacyConstitution.AmendmentState) internal _lastSeen;

    /// @notice A second vote by the same voter that was accepted.
    uint256 public doubleVotes;
    /// @notice A state change against the lifecycle.
    uint256 public illegalTransitions;
    /// @notice A call whose outcome the model could tell and got wrong.
    uint256 public mispredictions;
    mapping(bytes32 action => uint256) public successes;

    constructor(LegitimacyConstitution constitution_, ViableToken token_, address[] memory actors_) {
        constitution = constitution_;
        token = token_;
        _actors = actors_;
        _validator = address(new AcceptingValidator());
        _ensureSchema(constitution_.module(ILegitimacyConstitution.Module.Work));
    }

    // ------------------------------------------------------------------
    // Amendments
    // ------------------------------------------------------------------

    function propose(uint256 actorSeed, uint256 kindSeed, uint256 a, uint256 b) external {
        uint256 slot = _freeSlot();
        if (slot == type(uint256).max) return;
        address proposer = _actor(actorSeed);
        (ILegitimacyConstitution.Action[] memory actions, bool mustRevert) = _actionFor(kindSeed, a, b);
        if (actions.length == 0) return;
        string memory description = string.concat("handler #", vm.toString(++_nonce));
        address work = constitution.module(ILegitimacyConstitution.Module.Work);
        vm.prank(proposer);
        try constitution.propose(actions, 0, description) returns (uint256 id) {
            ++successes["propose"];
            if (mustRevert) ++mispredictions;
            ILegitimacyConstitution.AmendmentInfo memory info = constitution.amendment(id);
            Tracked memory t = Tracked({
                id: id,
                proposer: proposer,
                body: abi.encode(
                    ILegitimacyConstitution.AmendmentBody({
                        actions: actions,
                        strategyProposalId: 0,
                        descriptionHash: keccak256(bytes(description))
                    })
                ),
                work: work,
                tokenSnapshot: info.tokenSnapshot,
                workSnapshot: info.workSnapshot
            });
            if (slot == _proposals.length) _proposals.push(t);
            else _proposals[slot] = t;
            _lastSeen[id] = ILegitimacyConstitution.AmendmentState.Pending;
        } catch {}
        _checkTransitions();
    }

    function vote(uint256 actorSeed, uint256 proposalSeed, uint8 supportSeed) external {
        if (_proposals.length == 0) return;
        _vote(
            _actor(actorSeed), _pick(proposalSeed, ILegitimacyConstitution.AmendmentState.Active), supportSeed
        );
        _checkTransitions();
    }

    /// @notice A round of voting: every actor who has not voted on an Active amendment
    /// votes on it, each with its own support drawn from `supportSeeds`.
    function voteRound(uint256 proposalSeed, uint256 supportSeeds) external {
        if (_proposals.length == 0) return;
        Tracked memory p = _pick(proposalSeed, ILegitimacyConstitution.AmendmentState.Active);
        for (uint256 k; k < _actors.length; ++k) {
            if (!ghostVoted[p.id][_actors[k]]) _vote(_actors[k], p, uint8(supportSeeds >> (8 * k)));
        }
        _checkTransitions();
    }

    function queue(uint256 proposalSeed) external {
        if (_proposals.length == 0) return;
        Tracked memory p = _pick(proposalSeed, ILegitimacyConstitution.AmendmentState.Succeeded);
        bool ok = constitution.state(p.id) == ILegitimacyConstitution.AmendmentState.Succeeded;
        try constitution.queue(p.id) {
            ++successes["queue"];
            if (!ok) ++mispredictions;
        } catch {
            if (ok) ++mispredictions;
        }
        _checkTransitions();
    }

    function execute(uint256 proposalSeed) external {
        if (_proposals.length == 0) return;
        Tracked memory p = _pick(proposalSeed, ILegitimacyConstitution.AmendmentState.Queued);
        ILegitimacyConstitution.AmendmentBody memory body =
            abi.decode(p.body, (ILegitimacyConstitution.AmendmentBody));
        address work = constitution.module(ILegitimacyConstitution.Module.Work);
        try constitution.execute(p.id, p.proposer, body) {
            ++successes["execute"];
            address now_ = constitution.module(ILegitimacyConstitution.Module.Work);
            if (now_ != work && replaced[now_] == address(0) && replaced[work] != now_) {
                replaced[now_] = work;
            }
            if (now_ != work && !faulty[now_]) _ensureSchema(now_);
        } catch {}
        _checkTransitions();
    }

    function cancel(uint256 proposalSeed, bool asProposer, uint256 actorSeed) external {
        if (_proposals.length == 0) return;
        Tracked memory p = _pick(proposalSeed, ILegitimacyConstitution.AmendmentState.Pending);
        ILegitimacyConstitution.AmendmentBody memory body =
            abi.decode(p.body, (ILegitimacyConstitution.AmendmentBody));
        address caller = asProposer ? p.proposer : _actor(actorSeed);
        bool ok = caller == p.proposer
            && constitution.state(p.id) == ILegitimacyConstitution.AmendmentState.Pending;
        vm.prank(caller);
        try constitution.cancel(p.id, body) {
            ++successes["cancel"];
            if (!ok) ++mispredictions;
        } catch {
            if (ok) ++mispredictions;
        }
        _checkTransitions();
    }

    // ------------------------------------------------------------------
    // Tokens, work and time
    // ------------------------------------------------------------------

    /// @dev Tokens only move between actors, and a receiver with no delegate delegates to
    /// itself, so every token keeps counting in the Token House.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(to, amount);
        if (token.delegates(to) == address(0)) {
            vm.prank(to);
            token.delegate(to);
        }
        _checkTransitions();
    }

    function delegate(uint256 fromSeed, uint256 toSeed) external {
        vm.prank(_actor(fromSeed));
        token.delegate(_actor(toSeed));
        _checkTransitions();
    }

    function submitWork(uint256 actorSeed, uint256 units) external {
        address work = constitution.module(ILegitimacyConstitution.Module.Work);
        if (faulty[work]) return;
        vm.prank(_actor(actorSeed));
        try WorkRegistry(work).submit(schemaId, HASH, abi.encode(units)) {
            ++successes["submit"];
        } catch {
            ++mispredictions; // a well-formed packet of a registered schema is always taken
        }
        _checkTransitions();
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 400));
        _checkTransitions();
    }

    // ------------------------------------------------------------------
    // Liveness: a fresh amendment with every actor's support passes
    // ------------------------------------------------------------------

    /// @notice From the current state: if the Work House cannot be read, a repair passes
    /// on the Token House alone; then an ordinary amendment passes both houses. Every
    /// actor supports both; every token is pooled in one proposer by delegation (so the
    /// token threshold, never above the supply, is met). Reverts if anything fails.
    function proveLiveness() external {
        address work = constitution.module(ILegitimacyConstitution.Module.Work);
        if (faulty[work]) {
            ILegitimacyConstitution.Action[] memory repair = new ILegitimacyConstitution.Action[](1);
            repair[0] = _setModule(replaced[work]);
            _passWithEveryone(repair);
            require(
                constitution.module(ILegitimacyConstitution.Module.Work) == replaced[work], "repair applied"
            );
        }
        ILegitimacyConstitution.Action[] memory ordinary = new ILegitimacyConstitution.Action[](1);
        ordinary[0] = _setParam(ParamKeys.LOCKS_MAX_TTL, constitution.param(ParamKeys.LOCKS_MAX_TTL));
        _passWithEveryone(ordinary);
    }

    function _passWithEveryone(ILegitimacyConstitution.Action[] memory actions) internal {
        address lead = _actors[0];
        for (uint256 i; i < _actors.length; ++i) {
            vm.prank(_actors[i]);
            token.delegate(lead);
        }
        vm.warp(block.timestamp + 1);
        vm.prank(lead);
        uint256 id = constitution.propose(actions, 0, string.concat("liveness #", vm.toString(++_nonce)));
        vm.warp(constitution.amendment(id).voteStart);
        for (uint256 i; i < _actors.length; ++i) {
            vm.prank(_actors[i]);
            // An actor with no tokens and no power has nothing to give: skip it.
            try constitution.castVote(id, FOR) {} catch {}
        }
        vm.warp(constitution.amendment(id).voteEnd);
        require(
            constitution.state(id) == ILegitimacyConstitution.AmendmentState.Succeeded, "carried by everyone"
        );
        constitution.queue(id);
        vm.warp(constitution.amendment(id).eta);
        constitution.execute(
            id,
            lead,
            ILegitimacyConstitution.AmendmentBody({
                actions: actions,
                strategyProposalId: 0,
                descriptionHash: keccak256(bytes(string.concat("liveness #", vm.toString(_nonce))))
            })
        );
        require(constitution.state(id) == ILegitimacyConstitution.AmendmentState.Executed, "executed");
    }

    // ------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------

    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    function proposalAt(uint256 i) external view returns (uint256 id) {
        return _proposals[i].id;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    /// @dev Where a new amendment goes: a fresh slot while fewer than MAX_TRACKED are
    /// followed, else the slot of one in a final state (none: `type(uint256).max`).
    function _freeSlot() internal view returns (uint256) {
        uint256 n = _proposals.length;
        if (n < MAX_TRACKED) return n;
        for (uint256 i; i < n; ++i) {
            if (_final(_lastSeen[_proposals[i].id])) return i;
        }
        return type(uint256).max;
    }

    function _final(ILegitimacyConstitution.AmendmentState s_) internal pure returns (bool) {
        return s_ == ILegitimacyConstitution.AmendmentState.Defeated
            || s_ == ILegitimacyConstitution.AmendmentState.Executed
            || s_ == ILegitimacyConstitution.AmendmentState.Expired
            || s_ == ILegitimacyConstitution.AmendmentState.Cancelled;
    }

    /// @dev `voter` votes on `p` (mostly For, so that amendments pass often enough to
    /// exercise what follows); on success the model adds the voter's snapshot weights,
    /// read independently from the token and from the registry of `p`'s context.
    function _vote(address voter, Tracked memory p, uint8 supportSeed) internal {
        uint8 support = supportSeed % 5 < 3 ? FOR : supportSeed % 5 == 3 ? 0 : 2;
        uint256 tokenWeight = token.getPastVotes(voter, p.tokenSnapshot);
        uint256 workWeight = faulty[p.work] ? 0 : IWorkRegistry(p.work).getPastPower(voter, p.workSnapshot);
        vm.prank(voter);
        try constitution.castVote(p.id, support) {
            ++successes["vote"];
            if (ghostVoted[p.id][voter]) ++doubleVotes;
            ghostVoted[p.id][voter] = true;
            ghostTokenTally[p.id][support] += tokenWeight;
            ghostWorkTally[p.id][support] += workWeight;
        } catch {}
    }

    /// @dev A tracked amendment from `seed`: three times in four the first one in state
    /// `wanted` at or after a random start (wrapping), so that calls on live amendments
    /// are frequent; otherwise, or if none is, the one at the start.
    function _pick(uint256 seed, ILegitimacyConstitution.AmendmentState wanted)
        internal
        view
        returns (Tracked memory)
    {
        uint256 n = _proposals.length;
        uint256 start = (seed >> 2) % n;
        if (seed % 4 != 0) {
            for (uint256 k; k < n; ++k) {
                uint256 i = (start + k) % n;
                if (constitution.state(_proposals[i].id) == wanted) return _proposals[i];
            }
        }
        return _proposals[start];
    }

    /// @dev One action of a kind chosen by `kindSeed`, with values from `a` and `b`;
    /// `mustRevert` when the constitution must refuse it at propose. Empty: nothing to do.
    function _actionFor(uint256 kindSeed, uint256 a, uint256 b)
        internal
        returns (ILegitimacyConstitution.Action[] memory actions, bool mustRevert)
    {
        actions = new ILegitimacyConstitution.Action[](1);
        uint256 kind = kindSeed % 16;
        address work = constitution.module(ILegitimacyConstitution.Module.Work);
        if (kind < 4) {
            // A context key, kept to minutes so runs move through whole lifecycles.
            bytes32 key = (a % 7).contextKey();
            (uint256 min, uint256 max) = constitution.paramBounds(key);
            if (key.isPeriod() && max > 3600) max = 3600 < min ? min : 3600;
            actions[0] = _setParam(key, bound(b, min, max));
        } else if (kind < 6) {
            bytes32 key = (a % 3).ordinaryKey();
            (uint256 min, uint256 max) = constitution.paramBounds(key);
            actions[0] = _setParam(key, bound(b, min, max));
        } else if (kind == 6) {
            // The token threshold: refused above the supply, even inside its bounds.
            (uint256 min, uint256 max) = constitution.paramBounds(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD);
            uint256 value = bound(b, min, max);
            actions[0] = _setParam(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, value);
            mustRevert = value > token.totalSupply();
        } else if (kind < 9) {
            if (!faulty[work]) _ensureSchema(work);
            actions[0] = ILegitimacyConstitution.Action({
                kind: uint8(ILegitimacyConstitution.ActionKind.SetRecognition),
                key: schemaId,
                account: address(0),
                value: a % 4 == 0 ? 0 : bound(b, 1, 1000),
                uri: ""
            });
        } else if (kind == 9) {
            actions[0] = ILegitimacyConstitution.Action({
                kind: uint8(ILegitimacyConstitution.ActionKind.SetRole),
                key: a % 2 == 0 ? constitution.STEWARD_ROLE() : constitution.GUARDIAN_ROLE(),
                account: _actor(b),
                value: b % 2,
                uri: ""
            });
        } else if (kind == 10) {
            actions[0] = ILegitimacyConstitution.Action({
                kind: uint8(ILegitimacyConstitution.ActionKind.SetArticle),
                key: keccak256(abi.encode(a)),
                account: address(0),
                value: type(uint256).max,
                uri: "ipfs://article"
            });
        } else if (kind < 13) {
            // A successor of the current registry, built now (refused past the last generation).
            if (faulty[work]) return (new ILegitimacyConstitution.Action[](0), false);
            try new WorkRegistry(address(constitution)) returns (WorkRegistry next) {
                _ensureSchema(address(next));
                actions[0] = _setModule(address(next));
            } catch {
                return (new ILegitimacyConstitution.Action[](0), false);
            }
        } else if (kind < 15) {
            // Restore the registry the current one replaced.
            if (replaced[work] == address(0)) return (new ILegitimacyConstitution.Action[](0), false);
            actions[0] = _setModule(replaced[work]);
        } else {
            // A registry that names this constitution, the Work kind and the current
            // registry as predecessor, and whose every read reverts.
            if (faulty[work]) return (new ILegitimacyConstitution.Action[](0), false);
            MockWorkRegistry bad = new MockWorkRegistry(address(constitution), work);
            bad.setMode(MockWorkRegistry.Mode.Revert, false);
            faulty[address(bad)] = true;
            actions[0] = _setModule(address(bad));
        }
    }

    function _setParam(bytes32 key, uint256 value)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetParam),
            key: key,
            account: address(0),
            value: value,
            uri: ""
        });
    }

    function _setModule(address work) internal pure returns (ILegitimacyConstitution.Action memory) {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetModule),
            key: bytes32(0),
            account: work,
            value: uint256(ILegitimacyConstitution.Module.Work),
            uri: ""
        });
    }

    /// @dev Register the handler's schema in `registry` unless it is already there.
    function _ensureSchema(address registry) internal {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](1);
        IWorkRegistry.Acceptance memory immediate;
        bytes32 id = keccak256(abi.encode("handler.task", fields, immediate, _validator));
        schemaId = id;
        try IWorkRegistry(registry).schemaAcceptance(id) {}
        catch {
            IWorkRegistry(registry).registerSchema("handler.task", fields, immediate, _validator);
        }
    }

    /// @dev Compare every amendment's state with the one seen after the previous call.
    function _checkTransitions() internal {
        for (uint256 i; i < _proposals.length; ++i) {
            uint256 id = _proposals[i].id;
            ILegitimacyConstitution.AmendmentState was = _lastSeen[id];
            ILegitimacyConstitution.AmendmentState now_ = constitution.state(id);
            if (now_ != was && !_legal(was, now_)) ++illegalTransitions;
            _lastSeen[id] = now_;
        }
    }

    /// @dev The lifecycle, forward only (time may skip states):
    /// Pending -> Active -> Defeated | Succeeded -> Queued -> Executed, with Expired after
    /// Succeeded or Queued, and Cancelled from Pending. The rest are final.
    function _legal(ILegitimacyConstitution.AmendmentState from, ILegitimacyConstitution.AmendmentState to)
        internal
        pure
        returns (bool)
    {
        uint8 f = uint8(from);
        uint8 t = uint8(to);
        if (from == ILegitimacyConstitution.AmendmentState.Pending) {
            return t != uint8(ILegitimacyConstitution.AmendmentState.Queued)
                && t != uint8(ILegitimacyConstitution.AmendmentState.Executed);
        }
        if (from == ILegitimacyConstitution.AmendmentState.Active) {
            return to == ILegitimacyConstitution.AmendmentState.Defeated
                || to == ILegitimacyConstitution.AmendmentState.Succeeded
                || to == ILegitimacyConstitution.AmendmentState.Expired;
        }
        if (from == ILegitimacyConstitution.AmendmentState.Succeeded) {
            return to == ILegitimacyConstitution.AmendmentState.Queued
                || to == ILegitimacyConstitution.AmendmentState.Expired;
        }
        if (from == ILegitimacyConstitution.AmendmentState.Queued) {
            return to == ILegitimacyConstitution.AmendmentState.Executed
                || to == ILegitimacyConstitution.AmendmentState.Expired;
        }
        return f == t; // Defeated, Executed, Expired, Cancelled are final
    }
}

/// @dev The keys the handler amends, by index.
library ParamKeysList {
    function contextKey(uint256 i) internal pure returns (bytes32) {
        if (i == 0) return ParamKeys.LEGIT_VOTING_DELAY;
        if (i == 1) return ParamKeys.LEGIT_VOTING_PERIOD;
        if (i == 2) return ParamKeys.LEGIT_TIMELOCK;
        if (i == 3) return ParamKeys.LEGIT_GRACE_PERIOD;
        if (i == 4) return ParamKeys.LEGIT_TOKEN_QUORUM_BPS;
        if (i == 5) return ParamKeys.LEGIT_WORK_QUORUM_BPS;
        return ParamKeys.LEGIT_PASS_BPS;
    }

    function ordinaryKey(uint256 i) internal pure returns (bytes32) {
        if (i == 0) return ParamKeys.LOCKS_MAX_TTL;
        if (i == 1) return ParamKeys.TREASURY_VETO_WINDOW;
        return ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD;
    }

    function isPeriod(bytes32 key) internal pure returns (bool) {
        return key == ParamKeys.LEGIT_VOTING_DELAY || key == ParamKeys.LEGIT_VOTING_PERIOD
            || key == ParamKeys.LEGIT_TIMELOCK || key == ParamKeys.LEGIT_GRACE_PERIOD;
    }
}
