// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStrategyProposals — System 4 of the Viable System Model
/// @notice Keeps the future visible. Anyone may open a question, and anyone may
/// propose an option under an open question; options under one question are parallel
/// alternatives. Each costs a bond of `strategy.minBond` in the governance token.
/// Token holders stake into the module and spread their stake as support over any
/// number of proposals. Support turns into conviction over time, and a proposal whose
/// conviction reaches the threshold may be promoted to Ready: a recommendation to the
/// module it names, which the constitution (through an amendment that cites it) or the
/// treasury (through a budget line) may take up. The module executes nothing and moves
/// tokens only back to the stakers and bond owners they came from.
/// @dev Conviction. A proposal with supporting stake S has conviction c that follows
/// c <- c * a^dt + S * (1 - a^dt), a = 2^(-1/halfLife) (`strategy.halfLife`, read at
/// each call): it approaches S, and halves its distance to S every half-life. The
/// module keeps the same quantity per support position (a staker on a proposal), and
/// when support leaves, it takes its own conviction with it: unsupporting `x` of a
/// position with amount s and conviction c_i removes ceil(c_i * x / s) from the
/// proposal. Hence a proposal's conviction never exceeds its current support and never
/// exceeds what its remaining positions have earned themselves, so stake that leaves
/// can never make Ready a proposal that the remaining supporters alone would not carry
/// (see docs/strategy-proposals.md for the proof and the rounding).
///
/// Clock. Conviction advances on a per-proposal clock counting 2^(-19) half-lives per
/// unit (`CLOCK_BITS`); elapsed seconds convert to units exactly, the fraction of a unit
/// carried to the next update. The proposal and its positions read the same clock, so
/// they agree even after an amendment changes the half-life (the new one applies from
/// each proposal's next update). Every update is O(1): there is no loop over
/// supporters, proposals or a staker's positions, and no cap on how many proposals one
/// staker supports.
///
/// Threshold. Promotion needs c >= threshold = max(1, ceil(`strategy.readyBps` *
/// max(total staked, `strategy.stakeFloor`) / 10_000)), read at the call.
///
/// Bonds. The bond in force at creation is recorded with the question or proposal and
/// exactly that amount goes back to its owner when a question is withdrawn, or when a
/// proposal becomes Ready, is withdrawn or expires. The token balance of the module is
/// always `totalStaked() + totalBonds()`. The token must be a plain ERC-20 (the
/// constitution's ERC20Votes): no fee on transfer, no rebasing.
interface IStrategyProposals is IViableModule {
    // ---------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------

    /// @notice Lifecycle of a question: Open -> Withdrawn (by its opener).
    enum QuestionState {
        None,
        Open,
        Withdrawn
    }

    /// @notice Lifecycle of a proposal: Open -> Ready -> Adopted, or Open -> Withdrawn,
    /// or Open -> Expired. Ready and Adopted are final for the bond (returned at Ready);
    /// Adopted records further adopters.
    enum ProposalState {
        None,
        Open,
        Ready,
        Adopted,
        Withdrawn,
        Expired
    }

    /// @notice The module a recommendation is for. The first four are the constitution's
    /// `Module` indices; `Legitimacy` is the constitution itself (an amendment).
    enum Target {
        Work,
        Coordination,
        Optimization,
        Strategy,
        Legitimacy
    }

    /// @notice Who may take a Ready recommendation up: the constitution (an executed
    /// amendment citing it) or the treasury (the directory's Optimization module).
    enum Adopter {
        Legitimacy,
        Optimization
    }

    /// @notice A question as the `question` view reports it.
    /// @param opener Who opened it and posted its bond.
    /// @param state Open or Withdrawn (None for an unknown id).
    /// @param openedAt When it was opened.
    /// @param bond The bond it holds or held, fixed at opening.
    struct Question {
        address opener;
        QuestionState state;
        uint48 openedAt;
        uint256 bond;
    }

    /// @notice A proposal as the `proposal` view reports it.
    /// @param proposer Who proposed it and posted its bond.
    /// @param questionId The question it answers.
    /// @param target The module the recommendation is for.
    /// @param state Its lifecycle state (None for an unknown id).
    /// @param adoptedBy Bit `1 << uint8(adopter)` is set for each {Adopter} that took it up.
    /// @param createdAt When it was proposed; it may expire from `createdAt + strategy.maxAge`.
    /// @param bond The bond it holds or held, fixed at proposal.
    /// @param support S: the stake currently assigned to it.
    /// @param conviction c as of `updatedAt` (use `conviction(id)` for now).
    /// @param updatedAt When conviction was last brought up to date.
    /// @param clock The proposal's clock at `updatedAt`, in 2^(-19) half-lives.
    /// @param clockHalfLife The half-life the clock last ran at (0 before any support).
    /// @param clockRemainder The fraction of a clock unit carried, in 1/`clockHalfLife` units.
    struct Proposal {
        address proposer;
        uint256 questionId;
        Target target;
        ProposalState state;
        uint8 adoptedBy;
        uint48 createdAt;
        uint256 bond;
        uint256 support;
        uint256 conviction;
        uint48 updatedAt;
        uint48 clock;
        uint32 clockHalfLife;
        uint32 clockRemainder;
    }

    // ---------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------

    /// @notice `opener` opened question `questionId`, posting `bond`.
    event QuestionOpened(
        uint256 indexed questionId, address indexed opener, bytes32 contentHash, string uri, uint256 bond
    );
    /// @notice `opener` withdrew question `questionId`; `bond` went back to them.
    event QuestionWithdrawn(uint256 indexed questionId, address indexed opener, uint256 bond);
    /// @notice `proposer` proposed option `proposalId` under `questionId`, posting `bond`.
    /// @dev `suggestedActions` is information only (e.g. ABI-encoded amendment actions
    /// that the SDK turns into an amendment file); this event is the only place it is kept.
    event ProposalCreated(
        uint256 indexed proposalId,
        uint256 indexed questionId,
        address indexed proposer,
        Target target,
        bytes32 contentHash,
        string uri,
        bytes suggestedActions,
        uint256 bond
    );
    /// @notice `proposer` withdrew proposal `proposalId`; `bond` went back to them.
    event ProposalWithdrawn(uint256 indexed proposalId, address indexed proposer, uint256 bond);
    /// @notice Proposal `proposalId` passed `strategy.maxAge`; `bond` went back to `proposer`.
    event ProposalExpired(uint256 indexed proposalId, address indexed proposer, uint256 bond);
    /// @notice Proposal `proposalId` became Ready: a recommendation to `target`, carried
    /// by `conviction` against `threshold`. Its bond went back to its proposer.
    event ProposalReady(
        uint256 indexed proposalId, Target indexed target, uint256 conviction, uint256 threshold
    );
    /// @notice `adopter` (called by `caller`) took Ready proposal `proposalId` up.
    event ProposalAdopted(uint256 indexed proposalId, Adopter indexed adopter, address indexed caller);
    /// @notice `staker` moved `amount` tokens into the module as stake.
    event Staked(address indexed staker, uint256 amount);
    /// @notice `staker` took `amount` of unassigned stake back.
    event Unstaked(address indexed staker, uint256 amount);
    /// @notice `staker` assigned `amount` of stake to `proposalId`; their position is now
    /// `position` and the proposal's support `support`.
    event Supported(
        uint256 indexed proposalId, address indexed staker, uint256 amount, uint256 position, uint256 support
    );
    /// @notice `staker` took `amount` of support off `proposalId`, and with it
    /// `convictionTaken` of the proposal's conviction; their position is now `position`
    /// and the proposal's support `support`.
    event Unsupported(
        uint256 indexed proposalId,
        address indexed staker,
        uint256 amount,
        uint256 position,
        uint256 support,
        uint256 convictionTaken
    );

    // ---------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------

    /// @notice `constitution` has no code, so it cannot be the constitution.
    error StrategyProposalsInvalidConstitution(address constitution);
    /// @notice An amount of zero was given where tokens must move or support change.
    error StrategyProposalsZeroAmount();
    /// @notice A question or proposal needs a non-zero content hash.
    error StrategyProposalsZeroContentHash();
    /// @notice The token refused to move `amount` from `from` (which holds `balance` and
    /// allows the module `allowance`).
    error StrategyProposalsTokenTransferFailed(
        address from, uint256 amount, uint256 balance, uint256 allowance
    );
    /// @notice `staker` asked for `amount` of stake not assigned to any proposal and has `unassigned`.
    error StrategyProposalsInsufficientStake(address staker, uint256 amount, uint256 unassigned);
    /// @notice `staker` asked to take `amount` off `proposalId` and supports it with `supported`.
    error StrategyProposalsInsufficientSupport(
        uint256 proposalId, address staker, uint256 amount, uint256 supported
    );
    /// @notice No question has id `questionId`.
    error StrategyProposalsUnknownQuestion(uint256 questionId);
    /// @notice Question `questionId` is `state`, not Open.
    error StrategyProposalsQuestionNotOpen(uint256 questionId, QuestionState state);
    /// @notice Only the opener may withdraw question `questionId`; `caller` is not.
    error StrategyProposalsNotOpener(uint256 questionId, address caller);
    /// @notice No proposal has id `proposalId`.
    error StrategyProposalsUnknownProposal(uint256 proposalId);
    /// @notice `target` is not a {Target}.
    error StrategyProposalsInvalidTarget(uint8 target);
    /// @notice Only the proposer may withdraw proposal `proposalId`; `caller` is not.
    error StrategyProposalsNotProposer(uint256 proposalId, address caller);
    /// @notice The call needs proposal `proposalId` in `required`; it is in `current`.
    error StrategyProposalsWrongState(uint256 proposalId, ProposalState current, ProposalState required);
    /// @notice Proposal `proposalId` passed its age at `expiresAt` (now `now_`): it can
    /// gain no support and cannot be promoted, only expired.
    error StrategyProposalsPastMaxAge(uint256 proposalId, uint256 expiresAt, uint256 now_);
    /// @notice Proposal `proposalId` may expire from `expiresAt`; it is now `now_`.
    error StrategyProposalsNotExpired(uint256 proposalId, uint256 expiresAt, uint256 now_);
    /// @notice Proposal `proposalId` has `conviction`, below `threshold`.
    error StrategyProposalsBelowThreshold(uint256 proposalId, uint256 conviction, uint256 threshold);
    /// @notice Only the constitution or the treasury (`treasury`, the directory's
    /// Optimization module) may mark a proposal adopted; `caller` is neither.
    error StrategyProposalsNotAdopter(address caller, address treasury);
    /// @notice Proposal `proposalId` is `state`; only a Ready (or already Adopted) one can be adopted.
    error StrategyProposalsNotAdoptable(uint256 proposalId, ProposalState state);

    // ---------------------------------------------------------------------
    // State-changing
    // ---------------------------------------------------------------------

    /// @notice Open a question, posting the current `strategy.minBond`. Anyone who
    /// posts the bond (approve the module first).
    /// @param contentHash Hash of the question's text (non-zero).
    /// @param uri Where the text can be read.
    /// @return questionId The new question's id (from 1).
    function openQuestion(bytes32 contentHash, string calldata uri) external returns (uint256 questionId);

    /// @notice Withdraw an Open question and take its bond back. Its opener only.
    /// Options already proposed under it keep their own lifecycle; no new ones can join.
    function withdrawQuestion(uint256 questionId) external;

    /// @notice Propose an option under an Open question, posting the current
    /// `strategy.minBond`. Anyone who posts the bond (approve the module first).
    /// @param questionId The question this option answers.
    /// @param target The module the recommendation is for, a {Target} as uint8.
    /// @param contentHash Hash of the option's text (non-zero).
    /// @param uri Where the text can be read.
    /// @param suggestedActions Information only: e.g. ABI-encoded amendment actions. Logged, not stored.
    /// @return proposalId The new proposal's id (from 1).
    function propose(
        uint256 questionId,
        uint8 target,
        bytes32 contentHash,
        string calldata uri,
        bytes calldata suggestedActions
    ) external returns (uint256 proposalId);

    /// @notice Withdraw an Open proposal and take its bond back. Its proposer only.
    /// Its supporters keep their positions until they unsupport.
    function withdraw(uint256 proposalId) external;

    /// @notice Move `amount` governance tokens into the module as unassigned stake
    /// (approve the module first). Any token holder.
    /// @dev Staking raises the total stake and with it every proposal's threshold.
    function stake(uint256 amount) external;

    /// @notice Take `amount` of unassigned stake back. Any staker; stake assigned to a
    /// proposal must be unsupported first. O(1) whatever the staker supports.
    function unstake(uint256 amount) external;

    /// @notice Assign `amount` of your unassigned stake to Open proposal `proposalId`,
    /// before its age passes. The new support starts with no conviction.
    function support(uint256 proposalId, uint256 amount) external;

    /// @notice Take `amount` of your support off `proposalId`, in any state, making it
    /// unassigned stake again. The removed support takes its share of your position's
    /// conviction off the proposal.
    function unsupport(uint256 proposalId, uint256 amount) external;

    /// @notice Make an Open proposal Ready once its conviction reaches the threshold,
    /// before its age passes; the bond goes back to the proposer. Anyone (keeper duty).
    function promote(uint256 proposalId) external;

    /// @notice Close an Open proposal past `strategy.maxAge`; the bond goes back to the
    /// proposer. Anyone (keeper duty).
    function expire(uint256 proposalId) external;

    /// @notice Record that the caller's module took up Ready proposal `proposalId`.
    /// Callable by the constitution or the treasury only. Ready becomes Adopted; a
    /// further adoption of an Adopted proposal is recorded too, so that an amendment
    /// citing a recommendation another module already took up can still execute.
    function markAdopted(uint256 proposalId) external;

    // ---------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------

    /// @notice Clock units per half-life, as a power of two: 19.
    function CLOCK_BITS() external pure returns (uint256);

    /// @notice The governance token: the constitution's `token()`, fixed at construction.
    function token() external view returns (IERC20);

    /// @notice Number of questions opened (ids run from 1 to this).
    function questionCount() external view returns (uint256);

    /// @notice Number of proposals made (ids run from 1 to this).
    function proposalCount() external view returns (uint256);

    /// @notice Question `questionId` (state None for an unknown id).
    function question(uint256 questionId) external view returns (Question memory);

    /// @notice Proposal `proposalId` as stored (state None for an unknown id).
    function proposal(uint256 proposalId) external view returns (Proposal memory);

    /// @notice The conviction of `proposalId` now. For a proposal no longer Open, the
    /// clock has stopped: this is its conviction as of its last update (the conviction
    /// a Ready proposal was promoted with is in {ProposalReady}).
    function conviction(uint256 proposalId) external view returns (uint256);

    /// @notice The conviction a proposal needs now to be promoted (the same for all).
    function threshold() external view returns (uint256);

    /// @notice Whether `promote(proposalId)` would succeed now, with the conviction and
    /// threshold it would compare.
    function promotable(uint256 proposalId)
        external
        view
        returns (bool ready, uint256 conviction_, uint256 threshold_);

    /// @notice When `proposalId`, while Open, stops taking support and may be expired:
    /// `createdAt + strategy.maxAge` (as set now). Reverts for an unknown id.
    function expiresAt(uint256 proposalId) external view returns (uint256);

    /// @notice `staker`'s support of `proposalId` and that position's conviction now.
    function supportOf(uint256 proposalId, address staker)
        external
        view
        returns (uint256 amount, uint256 positionConviction);

    /// @notice `staker`'s stake in the module and how much of it is assigned to proposals.
    function stakeOf(address staker) external view returns (uint256 staked, uint256 assigned);

    /// @notice All stake held by the module.
    function totalStaked() external view returns (uint256);

    /// @notice All bonds held by the module (of Open questions and Open proposals).
    /// @dev Kept in 128 bits: a genesis whose `strategy.minBond` lets held bonds pass
    /// 2^128 would see further questions and proposals revert until some bonds return.
    function totalBonds() external view returns (uint256);
}
