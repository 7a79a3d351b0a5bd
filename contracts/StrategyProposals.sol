// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IStrategyProposals} from "./interfaces/IStrategyProposals.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {HalfLifeMath} from "./libraries/HalfLifeMath.sol";
import {ModuleKinds} from "./libraries/ModuleKinds.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title StrategyProposals — System 4
/// @notice See {IStrategyProposals}.
/// @dev Gas notes (measured per transaction, see docs/strategy-proposals.md). A
/// proposal is created with two storage slots (who and what; bond, age, state and
/// clock bookkeeping); its support and conviction take two more on first support. A
/// support position is one slot (amount and clock) plus one for its conviction, which
/// stays zero, and unwritten, until the position is touched again. Nothing iterates:
/// every function reads and writes a constant number of slots.
contract StrategyProposals is IStrategyProposals, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------

    /// @inheritdoc IStrategyProposals
    uint256 public constant CLOCK_BITS = HalfLifeMath.CLOCK_BITS;

    uint256 private constant _BPS = 10_000;
    /// @dev A proposal's clock stops this long after its creation: `strategy.maxAge`
    /// can never be longer (structural bound), and it keeps the clock below 2^48 units
    /// even at a one-second half-life (3650 days * 2^19 < 2^48).
    uint256 private constant _CLOCK_SPAN = ParamKeys.MAX_PERIOD;

    /// @inheritdoc IViableModule
    address public immutable constitution;
    /// @inheritdoc IViableModule
    bytes32 public constant moduleKind = ModuleKinds.STRATEGY;

    /// @dev The constitution's token, fixed there at deployment.
    IERC20 private immutable _token;
    /// @dev The lower hard bound of `strategy.maxAge`, fixed when the constitution was
    /// deployed: a proposal younger than this cannot have expired, whatever the current
    /// value, so the parameter need not be read.
    uint256 private immutable _maxAgeFloor;

    // ------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------

    /// @dev A question in TWO slots. Slot 0: opener (bits 0-159), openedAt (160-207),
    /// state (208-215). Slot 1: the bond.
    struct QuestionRecord {
        address opener;
        uint48 openedAt;
        QuestionState state;
        uint128 bond;
    }

    /// @dev Who and what, ONE slot, written at creation: proposer (bits 0-159), question
    /// (160-223), adopters bitmap (224-231).
    struct ProposalHead {
        address proposer;
        uint64 questionId;
        uint8 adoptedBy;
    }

    /// @dev Life and clock bookkeeping, ONE slot, written at creation and on every
    /// conviction update: bond (bits 0-127), createdAt (128-175), state (176-183),
    /// target (184-191), the half-life the clock last ran at (192-223) and the carried
    /// fraction of a clock unit, in 1/halfLife units (224-255).
    struct ProposalLife {
        uint128 bond;
        uint48 createdAt;
        ProposalState state;
        Target target;
        uint32 clockHalfLife;
        uint32 clockRemainder;
    }

    /// @dev Support and conviction, TWO slots. Slot 0: support S (bits 0-207) and the
    /// time of the last update (208-255). Slot 1: conviction c <= S (0-207) and the
    /// clock at the last update (208-255).
    struct Tally {
        uint208 support;
        uint48 updatedAt;
        uint208 conviction;
        uint48 clock;
    }

    struct ProposalRecord {
        ProposalHead head;
        ProposalLife life;
        Tally tally;
    }

    /// @dev A staker's support of one proposal, TWO slots. Slot 0: amount (bits 0-207)
    /// and the proposal clock it was last brought to (208-255). Slot 1: its conviction
    /// (<= amount; zero, and never written, for a position that only ever grew once).
    struct Position {
        uint208 amount;
        uint48 clock;
        uint208 conviction;
    }

    /// @dev A staker's stake, TWO slots: unassigned, and assigned to proposals.
    struct Stake {
        uint256 unassigned;
        uint256 assigned;
    }

    mapping(uint256 questionId => QuestionRecord) private _questions;
    mapping(uint256 proposalId => ProposalRecord) private _proposals;
    mapping(uint256 proposalId => mapping(address staker => Position)) private _positions;
    mapping(address staker => Stake) private _stakes;

    /// @dev Both counters and the bonds held, in ONE slot: question count (bits 0-63),
    /// proposal count (64-127), bonds held (128-255). Creating a question or a proposal
    /// touches this one slot, and the first proposal ever finds it non-zero (a question
    /// exists before any proposal), so it costs what the 10,000th costs.
    struct Book {
        uint64 questions;
        uint64 proposals;
        uint128 bonds;
    }

    Book private _book;
    uint256 private _totalStaked;

    // ------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------

    /// @param constitution_ The LegitimacyConstitution this module answers to; its
    /// `token()` is the governance token that is staked and bonded here.
    constructor(address constitution_) {
        if (constitution_.code.length == 0) revert StrategyProposalsInvalidConstitution(constitution_);
        constitution = constitution_;
        _token = IERC20(address(ILegitimacyConstitution(constitution_).token()));
        // slither-disable-next-line unused-return (the value left out is not needed)
        (_maxAgeFloor,) = ILegitimacyConstitution(constitution_).paramBounds(ParamKeys.STRATEGY_MAX_AGE);
    }

    // ------------------------------------------------------------------
    // External state-changing
    // ------------------------------------------------------------------

    /// @inheritdoc IStrategyProposals
    function openQuestion(bytes32 contentHash, string calldata uri)
        external
        nonReentrant
        returns (uint256 questionId)
    {
        if (contentHash == bytes32(0)) revert StrategyProposalsZeroContentHash();
        uint256 bond = _param(ParamKeys.STRATEGY_MIN_BOND);
        Book memory book = _book;
        questionId = uint256(book.questions) + 1;
        book.questions = questionId.toUint64();
        book.bonds = (uint256(book.bonds) + bond).toUint128();
        _book = book;
        _questions[questionId] = QuestionRecord({
            opener: msg.sender, openedAt: _now(), state: QuestionState.Open, bond: bond.toUint128()
        });
        if (bond != 0) _pull(msg.sender, bond);
        emit QuestionOpened(questionId, msg.sender, contentHash, uri, bond);
    }

    /// @inheritdoc IStrategyProposals
    function withdrawQuestion(uint256 questionId) external nonReentrant {
        QuestionRecord storage q = _questions[questionId];
        address opener = q.opener;
        if (opener == address(0)) revert StrategyProposalsUnknownQuestion(questionId);
        if (opener != msg.sender) revert StrategyProposalsNotOpener(questionId, msg.sender);
        if (q.state != QuestionState.Open) revert StrategyProposalsQuestionNotOpen(questionId, q.state);
        q.state = QuestionState.Withdrawn;
        uint256 bond = q.bond;
        _returnBond(opener, bond);
        emit QuestionWithdrawn(questionId, opener, bond);
    }

    /// @inheritdoc IStrategyProposals
    function propose(
        uint256 questionId,
        uint8 target,
        bytes32 contentHash,
        string calldata uri,
        bytes calldata suggestedActions
    ) external nonReentrant returns (uint256 proposalId) {
        if (target > uint8(type(Target).max)) {
            revert StrategyProposalsInvalidTarget(target);
        }
        if (contentHash == bytes32(0)) revert StrategyProposalsZeroContentHash();
        QuestionState qs = _questions[questionId].state;
        if (qs != QuestionState.Open) {
            if (qs == QuestionState.None) revert StrategyProposalsUnknownQuestion(questionId);
            revert StrategyProposalsQuestionNotOpen(questionId, qs);
        }
        uint256 bond = _param(ParamKeys.STRATEGY_MIN_BOND);
        Book memory book = _book;
        proposalId = uint256(book.proposals) + 1;
        book.proposals = proposalId.toUint64();
        book.bonds = (uint256(book.bonds) + bond).toUint128();
        _book = book;
        ProposalRecord storage p = _proposals[proposalId];
        p.head = ProposalHead({proposer: msg.sender, questionId: questionId.toUint64(), adoptedBy: 0});
        p.life = ProposalLife({
            bond: bond.toUint128(),
            createdAt: _now(),
            state: ProposalState.Open,
            target: Target(target),
            clockHalfLife: 0,
            clockRemainder: 0
        });
        if (bond != 0) _pull(msg.sender, bond);
        emit ProposalCreated(
            proposalId, questionId, msg.sender, Target(target), contentHash, uri, suggestedActions, bond
        );
    }

    /// @inheritdoc IStrategyProposals
    function withdraw(uint256 proposalId) external nonReentrant {
        ProposalRecord storage p = _proposals[proposalId];
        address proposer = p.head.proposer;
        if (proposer == address(0)) revert StrategyProposalsUnknownProposal(proposalId);
        if (proposer != msg.sender) revert StrategyProposalsNotProposer(proposalId, msg.sender);
        _requireOpen(proposalId, p.life.state);
        p.life.state = ProposalState.Withdrawn;
        uint256 bond = p.life.bond;
        _returnBond(proposer, bond);
        emit ProposalWithdrawn(proposalId, proposer, bond);
    }

    /// @inheritdoc IStrategyProposals
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert StrategyProposalsZeroAmount();
        _stakes[msg.sender].unassigned += amount;
        _totalStaked += amount;
        _pull(msg.sender, amount);
        emit Staked(msg.sender, amount);
    }

    /// @inheritdoc IStrategyProposals
    function unstake(uint256 amount) external nonReentrant {
        if (amount == 0) revert StrategyProposalsZeroAmount();
        Stake storage s = _stakes[msg.sender];
        uint256 unassigned = s.unassigned;
        if (unassigned < amount) revert StrategyProposalsInsufficientStake(msg.sender, amount, unassigned);
        unchecked {
            s.unassigned = unassigned - amount;
            _totalStaked -= amount; // the total includes this staker's `unassigned`
        }
        _token.safeTransfer(msg.sender, amount);
        emit Unstaked(msg.sender, amount);
    }

    /// @inheritdoc IStrategyProposals
    function support(uint256 proposalId, uint256 amount) external nonReentrant {
        if (amount == 0) revert StrategyProposalsZeroAmount();
        ProposalRecord storage p = _proposals[proposalId];
        ProposalLife memory life = p.life;
        _requireOpen(proposalId, life.state);
        _requireYoung(proposalId, life.createdAt);

        Stake storage s = _stakes[msg.sender];
        uint256 unassigned = s.unassigned;
        if (unassigned < amount) revert StrategyProposalsInsufficientStake(msg.sender, amount, unassigned);
        unchecked {
            s.unassigned = unassigned - amount;
            s.assigned += amount; // assigned + unassigned <= total staked
        }

        Tally memory t = p.tally;
        bool clockMoved = _accrue(life, t);
        Position storage pos = _positions[proposalId][msg.sender];
        uint256 held = pos.amount;
        if (held != 0) {
            uint256 positionConviction = _positionConviction(pos, held, t.clock);
            // forge-lint: disable-next-line(unsafe-typecast) positionConviction <= held < 2^208
            if (positionConviction != pos.conviction) pos.conviction = uint208(positionConviction);
        }
        uint256 position = held + amount;
        pos.amount = position.toUint208();
        pos.clock = t.clock;
        t.support = (uint256(t.support) + amount).toUint208();
        if (clockMoved) p.life = life;
        p.tally = t;
        emit Supported(proposalId, msg.sender, amount, position, t.support);
    }

    /// @inheritdoc IStrategyProposals
    function unsupport(uint256 proposalId, uint256 amount) external nonReentrant {
        if (amount == 0) revert StrategyProposalsZeroAmount();
        Position storage pos = _positions[proposalId][msg.sender];
        uint256 held = pos.amount;
        if (held < amount) revert StrategyProposalsInsufficientSupport(proposalId, msg.sender, amount, held);

        ProposalRecord storage p = _proposals[proposalId];
        ProposalLife memory life = p.life;
        Tally memory t = p.tally;
        // A proposal that is no longer Open keeps its clock where it stopped.
        bool clockMoved = life.state == ProposalState.Open && _accrue(life, t);
        uint256 positionConviction = _positionConviction(pos, held, t.clock);
        // The leaving support takes its share of the position's conviction, rounded up.
        uint256 taken = Math.mulDiv(positionConviction, amount, held, Math.Rounding.Ceil);
        uint256 position;
        // forge-lint: disable-start(unsafe-typecast) every value is at most `held` or S, both < 2^208
        unchecked {
            position = held - amount;
            positionConviction -= taken; // taken <= positionConviction as amount <= held
            t.support -= uint208(amount); // amount <= held <= support
            t.conviction = t.conviction > taken ? t.conviction - uint208(taken) : 0;
        }
        pos.amount = uint208(position);
        pos.clock = t.clock;
        pos.conviction = uint208(positionConviction);
        // forge-lint: disable-end(unsafe-typecast)
        if (clockMoved) p.life = life;
        p.tally = t;

        Stake storage s = _stakes[msg.sender];
        unchecked {
            s.assigned -= amount; // the position was part of it
            s.unassigned += amount;
        }
        emit Unsupported(proposalId, msg.sender, amount, position, t.support, taken);
    }

    /// @inheritdoc IStrategyProposals
    function promote(uint256 proposalId) external nonReentrant {
        ProposalRecord storage p = _proposals[proposalId];
        ProposalLife memory life = p.life;
        _requireOpen(proposalId, life.state);
        _requireYoung(proposalId, life.createdAt);
        // Conviction now, in memory: a Ready proposal's clock stops, so nothing is written
        // back but the state (the event records the conviction it was promoted with).
        Tally memory t = p.tally;
        _accrue(life, t);
        uint256 threshold_ = _threshold();
        if (t.conviction < threshold_) {
            revert StrategyProposalsBelowThreshold(proposalId, t.conviction, threshold_);
        }
        p.life.state = ProposalState.Ready;
        _returnBond(p.head.proposer, life.bond);
        emit ProposalReady(proposalId, life.target, t.conviction, threshold_);
    }

    /// @inheritdoc IStrategyProposals
    function expire(uint256 proposalId) external nonReentrant {
        ProposalRecord storage p = _proposals[proposalId];
        ProposalLife memory life = p.life;
        _requireOpen(proposalId, life.state);
        uint256 expiry = uint256(life.createdAt) + _param(ParamKeys.STRATEGY_MAX_AGE);
        if (block.timestamp < expiry) {
            revert StrategyProposalsNotExpired(proposalId, expiry, block.timestamp);
        }
        p.life.state = ProposalState.Expired;
        address proposer = p.head.proposer;
        _returnBond(proposer, life.bond);
        emit ProposalExpired(proposalId, proposer, life.bond);
    }

    /// @inheritdoc IStrategyProposals
    function markAdopted(uint256 proposalId) external nonReentrant {
        Adopter adopter = Adopter.Legitimacy;
        if (msg.sender != constitution) {
            address treasury =
                ILegitimacyConstitution(constitution).module(ILegitimacyConstitution.Module.Optimization);
            if (treasury == address(0) || msg.sender != treasury) {
                revert StrategyProposalsNotAdopter(msg.sender, treasury);
            }
            adopter = Adopter.Optimization;
        }
        ProposalRecord storage p = _proposals[proposalId];
        ProposalState state = p.life.state;
        if (state != ProposalState.Ready && state != ProposalState.Adopted) {
            revert StrategyProposalsNotAdoptable(proposalId, state);
        }
        if (state == ProposalState.Ready) p.life.state = ProposalState.Adopted;
        // forge-lint: disable-next-line(incorrect-shift) one bit per adopter
        p.head.adoptedBy |= uint8(1 << uint8(adopter));
        emit ProposalAdopted(proposalId, adopter, msg.sender);
    }

    // ------------------------------------------------------------------
    // External views
    // ------------------------------------------------------------------

    /// @inheritdoc IStrategyProposals
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc IStrategyProposals
    function questionCount() external view returns (uint256) {
        return _book.questions;
    }

    /// @inheritdoc IStrategyProposals
    function proposalCount() external view returns (uint256) {
        return _book.proposals;
    }

    /// @inheritdoc IStrategyProposals
    function question(uint256 questionId) external view returns (Question memory) {
        QuestionRecord memory q = _questions[questionId];
        return Question({opener: q.opener, state: q.state, openedAt: q.openedAt, bond: q.bond});
    }

    /// @inheritdoc IStrategyProposals
    function proposal(uint256 proposalId) external view returns (Proposal memory out) {
        ProposalRecord memory p = _proposals[proposalId];
        out.proposer = p.head.proposer;
        out.questionId = p.head.questionId;
        out.adoptedBy = p.head.adoptedBy;
        out.target = p.life.target;
        out.state = p.life.state;
        out.createdAt = p.life.createdAt;
        out.bond = p.life.bond;
        out.clockHalfLife = p.life.clockHalfLife;
        out.clockRemainder = p.life.clockRemainder;
        out.support = p.tally.support;
        out.conviction = p.tally.conviction;
        out.updatedAt = p.tally.updatedAt;
        out.clock = p.tally.clock;
    }

    /// @inheritdoc IStrategyProposals
    function conviction(uint256 proposalId) external view returns (uint256) {
        return _currentTally(proposalId).conviction;
    }

    /// @inheritdoc IStrategyProposals
    function threshold() external view returns (uint256) {
        return _threshold();
    }

    /// @inheritdoc IStrategyProposals
    function promotable(uint256 proposalId)
        external
        view
        returns (bool ready, uint256 conviction_, uint256 threshold_)
    {
        ProposalLife memory life = _proposals[proposalId].life;
        conviction_ = _currentTally(proposalId).conviction;
        threshold_ = _threshold();
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        ready = life.state == ProposalState.Open && block.timestamp < _expiry(life.createdAt)
            && conviction_ >= threshold_;
    }

    /// @inheritdoc IStrategyProposals
    function expiresAt(uint256 proposalId) external view returns (uint256) {
        ProposalLife memory life = _proposals[proposalId].life;
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (life.state == ProposalState.None) revert StrategyProposalsUnknownProposal(proposalId);
        return _expiry(life.createdAt);
    }

    /// @inheritdoc IStrategyProposals
    function supportOf(uint256 proposalId, address staker)
        external
        view
        returns (uint256 amount, uint256 positionConviction)
    {
        Position memory pos = _positions[proposalId][staker];
        amount = pos.amount;
        positionConviction =
            _decayedConviction(amount, pos.conviction, pos.clock, _currentTally(proposalId).clock);
    }

    /// @inheritdoc IStrategyProposals
    function stakeOf(address staker) external view returns (uint256 staked, uint256 assigned) {
        Stake memory s = _stakes[staker];
        return (s.unassigned + s.assigned, s.assigned);
    }

    /// @inheritdoc IStrategyProposals
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    /// @inheritdoc IStrategyProposals
    function totalBonds() external view returns (uint256) {
        return _book.bonds;
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    /// @dev Brings `t` (and the clock fields of `life`) up to now, in memory. The clock
    /// advances by the elapsed time in clock units, exactly: the fraction of a unit is
    /// carried in `clockRemainder`. The deficit S - c shrinks by the decay factor
    /// rounded up, so conviction is never overstated. With no support the clock stands
    /// still: no position has anything to decay. Returns whether `life` changed.
    function _accrue(ProposalLife memory life, Tally memory t) private view returns (bool clockMoved) {
        uint256 end = Math.min(block.timestamp, uint256(life.createdAt) + _CLOCK_SPAN);
        uint256 last = t.updatedAt;
        if (end <= last) return false;
        // forge-lint: disable-next-line(unsafe-typecast) end <= block.timestamp < 2^48
        t.updatedAt = uint48(end);
        uint256 supported = t.support;
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (supported == 0) return false;

        uint256 halfLife = _param(ParamKeys.STRATEGY_HALF_LIFE);
        uint256 remainder = life.clockRemainder;
        uint256 previous = life.clockHalfLife;
        // A new half-life: keep the carried fraction of a unit, rescaled.
        if (previous != halfLife) remainder = previous == 0 ? 0 : remainder * halfLife / previous;
        uint256 scaled = (end - last) * HalfLifeMath.CLOCK_UNITS + remainder;
        uint256 units = scaled / halfLife;
        // forge-lint: disable-start(unsafe-typecast) halfLife <= 3650 days < 2^32 (structural bound)
        life.clockHalfLife = uint32(halfLife);
        // slither-disable-next-line weak-prng (exact remainder, no randomness)
        life.clockRemainder = uint32(scaled % halfLife);
        // forge-lint: disable-end(unsafe-typecast)
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (units == 0) return true;

        uint256 current = t.conviction;
        if (current < supported) {
            uint256 deficit =
                HalfLifeMath.scale(supported - current, HalfLifeMath.fromClock(units, true), true);
            // forge-lint: disable-next-line(unsafe-typecast) supported - deficit <= supported < 2^208
            t.conviction = uint208(supported - deficit);
        }
        // The clock runs at most _CLOCK_SPAN * 2^19 units in total (halfLife >= 1): below 2^48.
        t.clock = (uint256(t.clock) + units).toUint48();
        return true;
    }

    /// @dev The conviction of position `pos`, holding `amount` (its first slot, already
    /// read), at proposal clock `clock`. Reads the second slot only for a non-empty
    /// position: an empty one has no conviction either.
    function _positionConviction(Position storage pos, uint256 amount, uint256 clock)
        private
        view
        returns (uint256)
    {
        if (amount == 0) return 0;
        return _decayedConviction(amount, pos.conviction, pos.clock, clock);
    }

    /// @dev The conviction of `amount` that had `current` at clock `from`, at clock `to`:
    /// the deficit amount - conviction shrinks by the decay factor rounded down, so a position's
    /// own conviction is never understated relative to the proposal's (which rounds the
    /// other way). That keeps the proposal's conviction at or below the sum of its
    /// positions', the inequality the leaving-stake rule rests on.
    function _decayedConviction(uint256 amount, uint256 current, uint256 from, uint256 to)
        private
        pure
        returns (uint256)
    {
        if (current >= amount || to <= from) return current;
        uint256 deficit =
            HalfLifeMath.scale(amount - current, HalfLifeMath.fromClock(to - from, false), false);
        return amount - deficit;
    }

    /// @dev The proposal's tally as it would be after an update now (for views).
    function _currentTally(uint256 proposalId) private view returns (Tally memory t) {
        ProposalRecord storage p = _proposals[proposalId];
        ProposalLife memory life = p.life;
        t = p.tally;
        if (life.state == ProposalState.Open) _accrue(life, t);
    }

    /// @dev max(1, ceil(readyBps * max(totalStaked, stakeFloor) / 10_000)).
    function _threshold() private view returns (uint256) {
        uint256 base = Math.max(_totalStaked, _param(ParamKeys.STRATEGY_STAKE_FLOOR));
        uint256 t = Math.mulDiv(base, _param(ParamKeys.STRATEGY_READY_BPS), _BPS, Math.Rounding.Ceil);
        return t == 0 ? 1 : t;
    }

    function _expiry(uint256 createdAt) private view returns (uint256) {
        return createdAt + _param(ParamKeys.STRATEGY_MAX_AGE);
    }

    function _requireOpen(uint256 proposalId, ProposalState state) private pure {
        if (state == ProposalState.Open) return;
        if (state == ProposalState.None) revert StrategyProposalsUnknownProposal(proposalId);
        revert StrategyProposalsWrongState(proposalId, state, ProposalState.Open);
    }

    /// @dev Reverts once the proposal's age passed `strategy.maxAge`; reads the parameter
    /// only past its hard lower bound.
    function _requireYoung(uint256 proposalId, uint256 createdAt) private view {
        if (block.timestamp < createdAt + _maxAgeFloor) return;
        uint256 expiry = _expiry(createdAt);
        if (block.timestamp >= expiry) {
            revert StrategyProposalsPastMaxAge(proposalId, expiry, block.timestamp);
        }
    }

    /// @dev Moves `amount` tokens from `from` into the module, or reverts with the facts.
    function _pull(address from, uint256 amount) private {
        if (!_token.trySafeTransferFrom(from, address(this), amount)) {
            revert StrategyProposalsTokenTransferFailed(
                from, amount, _token.balanceOf(from), _token.allowance(from, address(this))
            );
        }
    }

    /// @dev Sends a held bond back to its owner.
    function _returnBond(address owner, uint256 bond) private {
        if (bond == 0) return;
        // forge-lint: disable-next-line(unsafe-typecast) bond <= bonds held < 2^128
        _book.bonds -= uint128(bond);
        _token.safeTransfer(owner, bond);
    }

    function _param(bytes32 key) private view returns (uint256) {
        return ILegitimacyConstitution(constitution).param(key);
    }

    function _now() private view returns (uint48) {
        return block.timestamp.toUint48();
    }
}
