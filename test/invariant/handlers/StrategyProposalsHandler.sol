// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StrategyProposals} from "../../../contracts/StrategyProposals.sol";
import {IStrategyProposals} from "../../../contracts/interfaces/IStrategyProposals.sol";
import {Test} from "../../utils/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Drives StrategyProposals for the invariant suite: a few holders open
/// questions, propose, stake, support, unsupport, unstake and withdraw; anyone promotes
/// and expires; the constitution adopts; time passes. It keeps a model of the stake,
/// the positions, the bonds and the states, predicts whether each call must succeed,
/// and counts every disagreement instead of hiding it. The model's states move only
/// along the machine (each success sets the one state its function leads to, from the
/// one state it may start from), so a module whose states always equal the model's
/// moves only along the machine too.
contract StrategyProposalsHandler is Test {
    uint256 public constant BOND = 10 ether;
    uint256 public constant MAX_AGE = 3600;
    uint256 public constant HALF_LIFE = 180;
    uint256 public constant MAX_QUESTIONS = 3;
    uint256 public constant MAX_PROPOSALS = 10;

    StrategyProposals public immutable strategy;
    IERC20 public immutable token;
    address public immutable constitution;
    address[] internal _actors;

    // Ghost state: the model.
    mapping(address actor => uint256) public ghostStaked;
    mapping(address actor => uint256) public ghostAssigned;
    mapping(uint256 proposalId => mapping(address actor => uint256)) public ghostPosition;
    uint256 public ghostBonds;
    mapping(uint256 proposalId => IStrategyProposals.ProposalState) public ghostState;
    mapping(uint256 questionId => IStrategyProposals.QuestionState) internal _questionState;
    mapping(uint256 questionId => address) internal _opener;
    mapping(uint256 proposalId => address) internal _proposer;
    mapping(uint256 proposalId => uint256) internal _createdAt;
    uint256 public questionCount;
    uint256 public proposalCount;

    /// @notice Calls whose outcome (success or revert) differed from the model's prediction.
    uint256 public mispredictions;
    /// @notice Promotions the remaining positions' own conviction did not carry.
    uint256 public carriedByLeavers;
    /// @notice Promotions seen (so a run that never promotes is visible).
    uint256 public promotions;

    constructor(StrategyProposals strategy_, address[] memory actors_) {
        strategy = strategy_;
        token = strategy_.token();
        constitution = strategy_.constitution();
        _actors = actors_;
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    function openQuestion(uint256 actorSeed) external {
        if (questionCount >= MAX_QUESTIONS) return;
        address actor = _actor(actorSeed);
        vm.prank(actor);
        try strategy.openQuestion(keccak256(abi.encode(actorSeed)), "") returns (uint256 id) {
            ++questionCount;
            if (id != questionCount) ++mispredictions;
            _questionState[id] = IStrategyProposals.QuestionState.Open;
            _opener[id] = actor;
            ghostBonds += BOND;
        } catch {
            ++mispredictions;
        }
    }

    function withdrawQuestion(uint256 actorSeed, uint256 questionSeed, bool asOpener) external {
        if (questionCount == 0) return;
        uint256 id = 1 + questionSeed % questionCount;
        address actor = asOpener ? _opener[id] : _actor(actorSeed);
        bool ok = actor == _opener[id] && _questionState[id] == IStrategyProposals.QuestionState.Open;
        vm.prank(actor);
        try strategy.withdrawQuestion(id) {
            if (!ok) ++mispredictions;
            _questionState[id] = IStrategyProposals.QuestionState.Withdrawn;
            ghostBonds -= BOND;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function propose(uint256 actorSeed, uint256 questionSeed, uint8 target) external {
        if (proposalCount >= MAX_PROPOSALS || questionCount == 0) return;
        address actor = _actor(actorSeed);
        uint256 q = 1 + questionSeed % questionCount;
        target = uint8(target % 6); // 5 is not a target
        bool ok = _questionState[q] == IStrategyProposals.QuestionState.Open && target <= 4;
        vm.prank(actor);
        try strategy.propose(q, target, keccak256(abi.encode(actorSeed, q)), "", "") returns (uint256 id) {
            if (!ok) ++mispredictions;
            ++proposalCount;
            if (id != proposalCount) ++mispredictions;
            _proposer[id] = actor;
            _createdAt[id] = block.timestamp;
            ghostState[id] = IStrategyProposals.ProposalState.Open;
            ghostBonds += BOND;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function withdraw(uint256 actorSeed, uint256 proposalSeed, bool asProposer) external {
        // Proposers seldom give up (three calls in four do nothing), so proposals live.
        if (proposalCount == 0 || actorSeed % 4 != 0) return;
        actorSeed >>= 2;
        uint256 id = _pick(proposalSeed);
        address actor = asProposer ? _proposer[id] : _actor(actorSeed);
        bool ok = actor == _proposer[id] && ghostState[id] == IStrategyProposals.ProposalState.Open;
        vm.prank(actor);
        try strategy.withdraw(id) {
            if (!ok) ++mispredictions;
            ghostState[id] = IStrategyProposals.ProposalState.Withdrawn;
            ghostBonds -= BOND;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function stake(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        amount = bound(amount, 0, 1000 ether);
        vm.prank(actor);
        try strategy.stake(amount) {
            if (amount == 0) ++mispredictions;
            ghostStaked[actor] += amount;
        } catch {
            if (amount != 0) ++mispredictions;
        }
    }

    function unstake(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        uint256 unassigned = ghostStaked[actor] - ghostAssigned[actor];
        amount = amount % 8 == 0 ? unassigned + 1 : unassigned * (amount % 101) / 100;
        bool ok = amount != 0 && amount <= unassigned;
        vm.prank(actor);
        try strategy.unstake(amount) {
            if (!ok) ++mispredictions;
            ghostStaked[actor] -= amount;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function support(uint256 actorSeed, uint256 proposalSeed, uint256 amount) external {
        if (proposalCount == 0) return;
        address actor = _actor(actorSeed);
        uint256 id = _pick(proposalSeed);
        uint256 unassigned = ghostStaked[actor] - ghostAssigned[actor];
        // Mostly a good share of what is free, sometimes one wei too much.
        amount = amount % 8 == 0 ? unassigned + 1 : unassigned * (25 + amount % 76) / 100;
        bool ok = amount != 0 && amount <= unassigned
            && ghostState[id] == IStrategyProposals.ProposalState.Open
            && block.timestamp < _createdAt[id] + MAX_AGE;
        vm.prank(actor);
        try strategy.support(id, amount) {
            if (!ok) ++mispredictions;
            ghostAssigned[actor] += amount;
            ghostPosition[id][actor] += amount;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function unsupport(uint256 actorSeed, uint256 proposalSeed, uint256 amount) external {
        if (proposalCount == 0) return;
        address actor = _actor(actorSeed);
        uint256 id = _pick(proposalSeed);
        uint256 held = ghostPosition[id][actor];
        // Support leaves less often than it comes (two calls in three do nothing), so that
        // conviction builds up and promotions, the moment the rule matters, happen.
        if (amount % 3 != 0) return;
        amount >>= 2;
        amount = amount % 8 == 0 ? held + 1 : held * (amount % 101) / 100;
        bool ok = amount != 0 && amount <= held;
        vm.prank(actor);
        try strategy.unsupport(id, amount) {
            if (!ok) ++mispredictions;
            ghostAssigned[actor] -= amount;
            ghostPosition[id][actor] -= amount;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    /// @dev Also checks the leaving-stake rule at the moment it matters: a proposal that
    /// becomes Ready is carried by the conviction its current positions earned themselves.
    /// Half the time the keeper first waits up to two half-lives.
    function promote(uint256 actorSeed, uint256 proposalSeed, uint256 wait) external {
        if (proposalCount == 0) return;
        if (wait % 2 == 0) vm.warp(block.timestamp + (wait >> 1) % (2 * HALF_LIFE));
        uint256 id = _pick(proposalSeed);
        (bool ok,, uint256 threshold) = strategy.promotable(id);
        uint256 own = _positionsConviction(id);
        vm.prank(_actor(actorSeed));
        try strategy.promote(id) {
            if (!ok) ++mispredictions;
            ++promotions;
            if (own < threshold) ++carriedByLeavers;
            ghostState[id] = IStrategyProposals.ProposalState.Ready;
            ghostBonds -= BOND;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function expire(uint256 actorSeed, uint256 proposalSeed) external {
        if (proposalCount == 0) return;
        uint256 id = _pick(proposalSeed);
        bool ok = ghostState[id] == IStrategyProposals.ProposalState.Open
            && block.timestamp >= _createdAt[id] + MAX_AGE;
        vm.prank(_actor(actorSeed));
        try strategy.expire(id) {
            if (!ok) ++mispredictions;
            ghostState[id] = IStrategyProposals.ProposalState.Expired;
            ghostBonds -= BOND;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function markAdopted(uint256 proposalSeed) external {
        if (proposalCount == 0) return;
        uint256 id = _pick(proposalSeed);
        IStrategyProposals.ProposalState s = ghostState[id];
        bool ok = s == IStrategyProposals.ProposalState.Ready || s == IStrategyProposals.ProposalState.Adopted;
        vm.prank(constitution);
        try strategy.markAdopted(id) {
            if (!ok) ++mispredictions;
            ghostState[id] = IStrategyProposals.ProposalState.Adopted;
        } catch {
            if (ok) ++mispredictions;
        }
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 2 * HALF_LIFE));
    }

    // ------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    /// @notice The sum of the current positions' own conviction on `id`, now.
    function positionsConviction(uint256 id) external view returns (uint256) {
        return _positionsConviction(id);
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    function _positionsConviction(uint256 id) internal view returns (uint256 sum) {
        for (uint256 i; i < _actors.length; ++i) {
            (, uint256 c) = strategy.supportOf(id, _actors[i]);
            sum += c;
        }
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    /// @dev A proposal id from `seed`: a quarter of the time any one; otherwise the first
    /// Open one at or after the oldest (half of the time) or after `1 + seed % count`
    /// (wrapping), so that actions on live proposals are frequent and support gathers.
    function _pick(uint256 seed) internal view returns (uint256) {
        uint256 n = proposalCount;
        uint256 id = seed % 8 < 4 ? 1 : 1 + (seed >> 3) % n;
        if (seed % 4 == 0) return 1 + (seed >> 3) % n;
        for (uint256 k; k < n; ++k) {
            uint256 c = 1 + (id - 1 + k) % n;
            if (ghostState[c] == IStrategyProposals.ProposalState.Open) return c;
        }
        return id;
    }
}
