// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @title ILegitimacyConstitution — System 5 of the Viable System Model
/// @notice The root of a Viable deployment. It holds the module directory and every
/// parameter the other four modules read, decides which kinds of work the system
/// reinforces (schema recognition), keeps the STEWARD and GUARDIAN roles and the
/// human-readable articles, and changes any of these only by an amendment that both
/// houses ratify: the Token House (an IVotes token) and the Work House (contribution
/// power from the WorkRegistry).
/// @dev There is no owner, no admin key and no upgrade path. The deployer may call
/// `bootstrap` once, which wires the directory and genesis roles and then leaves
/// the deployer with no power at all. Every later change is an `Action` of an
/// executed amendment, applied by the same internal setters bootstrap used.
interface ILegitimacyConstitution {
    // ---------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------

    /// @notice The four modules the constitution directs.
    enum Module {
        Work,
        Coordination,
        Optimization,
        Strategy
    }

    /// @notice One parameter at genesis: its value and its hard bounds.
    /// @param key The parameter's name as a left-aligned ASCII bytes32.
    /// @param value The initial value, within `[min, max]`.
    /// @param min The lowest value any amendment may ever set.
    /// @param max The highest value any amendment may ever set.
    struct ParamInit {
        bytes32 key;
        uint256 value;
        uint256 min;
        uint256 max;
    }

    /// @notice A parameter as the `params()` view reports it.
    struct ParamInfo {
        bytes32 key;
        uint256 value;
        uint256 min;
        uint256 max;
    }

    /// @notice One norm of the constitution's human text.
    /// @param contentHash Hash of the article's text; zero marks a repealed article.
    /// @param uri Where the text can be read.
    struct Article {
        bytes32 contentHash;
        string uri;
    }

    /// @notice A schema's recognition grant made at bootstrap.
    struct RecognitionInit {
        bytes32 schemaId;
        uint256 weight;
    }

    /// @notice A role grant made at bootstrap.
    struct RoleInit {
        bytes32 role;
        address account;
    }

    /// @notice Contribution points credited to a founding contributor at bootstrap,
    /// so the Work House can reach quorum before any work has been accepted.
    struct SeedInit {
        address contributor;
        uint256 points;
    }

    /// @notice Everything `bootstrap` wires, once.
    /// @param modules The WorkRegistry, CoordinationLocks, OptimizationTreasury and
    /// StrategyProposals, in `Module` order. The WorkRegistry is required (the Work
    /// House is half of every decision); a zero address leaves any other module unset
    /// (to be set later by a SetModule amendment).
    /// @param recognitions Initial recognitions; a non-zero weight needs a schema
    /// already registered in the WorkRegistry and checked by someone other than the
    /// contributor (see `SetRecognition`).
    /// @param seeds Founding points; together they must give the Work House power.
    struct BootstrapConfig {
        address[4] modules;
        RoleInit[] roles;
        RecognitionInit[] recognitions;
        Article[] articles;
        SeedInit[] seeds;
    }

    /// @notice The kinds of amendment action. Each one changes the constitution's own
    /// state and nothing else; none can call an arbitrary contract.
    enum ActionKind {
        /// @dev `key` = parameter key, `value` = new value (within the key's hard bounds).
        SetParam,
        /// @dev `key` = schema id, `value` = recognition weight (0 withdraws recognition).
        /// A non-zero weight needs a schema registered in the current WorkRegistry whose
        /// packets someone other than the contributor checks: Attested acceptance or a
        /// validator. Otherwise anyone could mint Work House power.
        SetRecognition,
        /// @dev `key` = role, `account` = member, `value` = 1 to grant, 0 to revoke.
        SetRole,
        /// @dev `value` = an existing article index to replace (or, with a zero `key`,
        /// repeal), or `ARTICLE_APPEND` to add one at the end; `key` = content hash;
        /// `uri` = where the text lives.
        SetArticle,
        /// @dev `value` = `Module` index, `account` = the new module address: a module of
        /// the slot's kind that names this constitution. A new Work module must continue
        /// the Work House: either a registry never wired before whose predecessor is the
        /// current Work module, or the registry the current one replaced (a repair).
        SetModule
    }

    /// @notice One typed action of an amendment. Fields a kind does not use must be zero.
    /// @dev `kind` is an {ActionKind} carried as a uint8, so an unknown kind reverts
    /// with {LegitimacyConstitutionMalformedAction} instead of an empty ABI-decoder revert.
    struct Action {
        uint8 kind;
        bytes32 key;
        address account;
        uint256 value;
        string uri;
    }

    /// @notice Lifecycle of an amendment.
    enum AmendmentState {
        Pending,
        Active,
        Defeated,
        Succeeded,
        Queued,
        Executed,
        Expired,
        Cancelled
    }

    /// @notice How a voter votes.
    enum VoteType {
        Against,
        For,
        Abstain
    }

    /// @notice What an amendment commits to. Its id is the hash of the proposer and
    /// this body (`hashAmendment`), so nobody else can occupy it, and the actions
    /// live in the `AmendmentProposed` event rather than in storage.
    struct AmendmentBody {
        Action[] actions;
        uint256 strategyProposalId;
        bytes32 descriptionHash;
    }

    /// @notice An amendment's schedule and status as stored (one slot).
    /// @param voteStart First second votes are accepted.
    /// @param voteEnd First second votes are no longer accepted.
    /// @param tokenSnapshot Token House timepoint, in the token's ERC-6372 clock.
    /// @param workSnapshot Work House timepoint (a timestamp).
    /// @param eta When a queued amendment may execute (0 until queued).
    /// @param executed Whether it executed.
    /// @param cancelled Whether the proposer cancelled it.
    struct AmendmentInfo {
        uint48 voteStart;
        uint48 voteEnd;
        uint48 tokenSnapshot;
        uint48 workSnapshot;
        uint48 eta;
        bool executed;
        bool cancelled;
    }

    /// @notice Votes per house.
    struct Tallies {
        uint256 tokenFor;
        uint256 tokenAgainst;
        uint256 tokenAbstain;
        uint256 workFor;
        uint256 workAgainst;
        uint256 workAbstain;
    }

    // ---------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------

    /// @notice A parameter was defined at genesis with its hard bounds.
    event ParamDefined(bytes32 indexed key, uint256 value, uint256 min, uint256 max);
    /// @notice A parameter changed.
    event ParamSet(bytes32 indexed key, uint256 oldValue, uint256 newValue);
    /// @notice A schema's recognition weight changed.
    event RecognitionSet(bytes32 indexed schemaId, uint256 oldWeight, uint256 newWeight);
    /// @notice `account` received `role`.
    event RoleGranted(bytes32 indexed role, address indexed account);
    /// @notice `account` lost `role`.
    event RoleRevoked(bytes32 indexed role, address indexed account);
    /// @notice Article `index` was added, replaced or repealed (`newHash` zero).
    event ArticleSet(uint256 indexed index, bytes32 oldHash, bytes32 newHash, string uri);
    /// @notice The directory entry of `module` changed.
    event ModuleSet(Module indexed module, address oldAddress, address newAddress);
    /// @notice The one bootstrap happened; the deployer has no power from here on.
    event Bootstrapped(address indexed deployer);

    /// @notice An amendment was proposed. The actions live only in this event and in
    /// the amendment id, which commits to them; `amendment(id)` gives the snapshots.
    event AmendmentProposed(
        uint256 indexed id,
        address indexed proposer,
        Action[] actions,
        uint256 strategyProposalId,
        uint48 voteStart,
        uint48 voteEnd,
        string description
    );
    /// @notice `voter` voted with `tokenWeight` in the Token House and `workWeight` in the Work House.
    event VoteCast(
        uint256 indexed id,
        address indexed voter,
        VoteType support,
        uint256 tokenWeight,
        uint256 workWeight,
        string reason
    );
    /// @notice A succeeded amendment entered the timelock; it may execute from `eta`.
    event AmendmentQueued(uint256 indexed id, uint48 eta);
    /// @notice An amendment's actions were applied.
    event AmendmentExecuted(uint256 indexed id);
    /// @notice The proposer withdrew an amendment before voting began.
    event AmendmentCancelled(uint256 indexed id);
    /// @notice A guardian stopped a pending treasury allocation.
    event AllocationVetoed(uint256 indexed allocationId, address indexed guardian, string reason);
    /// @notice Amendment `id`'s Work House registry `work` could not be read for `voter`'s
    /// vote; from now on only a Work repair can pass it, on the Token House alone.
    event WorkHouseUnreadable(uint256 indexed id, address indexed work, address voter);

    // ---------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------

    /// @notice `key` is not a parameter of this deployment.
    error LegitimacyConstitutionUnknownParam(bytes32 key);
    /// @notice `value` for `key` lies outside its hard bounds `[min, max]`.
    error LegitimacyConstitutionParamOutOfBounds(bytes32 key, uint256 value, uint256 min, uint256 max);
    /// @notice Genesis bounds `[min, max]` for `key` are inverted or wider than the
    /// structural bounds `[floor, ceiling]` the protocol allows.
    error LegitimacyConstitutionInvalidBounds(
        bytes32 key, uint256 min, uint256 max, uint256 floor, uint256 ceiling
    );
    /// @notice The genesis defines `key` twice.
    error LegitimacyConstitutionDuplicateParam(bytes32 key);
    /// @notice The genesis lists `count` parameters; at most `max` fit the registry's index.
    error LegitimacyConstitutionTooManyParams(uint256 count, uint256 max);
    /// @notice The genesis omits the required `key`.
    error LegitimacyConstitutionMissingParam(bytes32 key);
    /// @notice `token` does not answer the IVotes/ERC-6372 clock calls.
    error LegitimacyConstitutionInvalidToken(address token);
    /// @notice Only the deployer may bootstrap, and `caller` is not the deployer.
    error LegitimacyConstitutionNotDeployer(address caller);
    /// @notice `bootstrap` was already called.
    error LegitimacyConstitutionAlreadyBootstrapped();
    /// @notice `role` is neither STEWARD nor GUARDIAN.
    error LegitimacyConstitutionUnknownRole(bytes32 role);
    /// @notice `account` cannot hold a role (the zero address).
    error LegitimacyConstitutionInvalidAccount(address account);
    /// @notice `module` index is not one of the four modules.
    error LegitimacyConstitutionUnknownModule(uint256 module);
    /// @notice `addr` cannot serve as `module`: it is zero, has no code, or reports
    /// `reported` as its constitution instead of this contract.
    error LegitimacyConstitutionModuleMismatch(Module module, address addr, address reported);
    /// @notice `addr` reports the module kind `reported`; slot `module` needs `expected`
    /// ({ModuleKinds}).
    error LegitimacyConstitutionModuleKindMismatch(
        Module module, address addr, bytes32 expected, bytes32 reported
    );
    /// @notice `addr` cannot replace the Work module `current`: a new Work module must be
    /// a registry never wired before whose predecessor is `current` (it reports
    /// `predecessor`), or the registry `current` replaced.
    error LegitimacyConstitutionWorkNotSuccessor(address addr, address current, address predecessor);
    /// @notice The Work module `work` has no power after the founding seeds: the Work
    /// House could never reach quorum, so no amendment could ever pass.
    error LegitimacyConstitutionWorkHouseEmpty(address work);
    /// @notice The token `token` has no supply at its clock: the Token House could never
    /// reach quorum, so no amendment could ever pass.
    error LegitimacyConstitutionTokenHouseEmpty(address token);
    /// @notice `value` for `key` exceeds the token supply `supply`: not even every token
    /// delegated to one account could ever meet it.
    error LegitimacyConstitutionThresholdUnreachable(bytes32 key, uint256 value, uint256 supply);
    /// @notice Amendments open from the second after bootstrap: the snapshot `snapshot`
    /// (now - 1) precedes `bootstrappedAt` (0 while not bootstrapped), when the houses
    /// had no weight yet.
    error LegitimacyConstitutionSnapshotBeforeBootstrap(uint256 snapshot, uint256 bootstrappedAt);
    /// @notice `schemaId` is not registered in the Work module `work`; a schema can be
    /// recognized only once registered there.
    error LegitimacyConstitutionSchemaUnknown(bytes32 schemaId, address work);
    /// @notice `schemaId` (in the Work module `work`) is Immediate with no validator:
    /// nobody but the contributor checks its packets, so it cannot be recognized.
    error LegitimacyConstitutionSchemaUnchecked(bytes32 schemaId, address work);
    /// @notice A Work House read failed with `gasLeft` gas available; at least
    /// `required` is needed to tell a faulty registry from a short gas limit. Retry
    /// with more gas.
    error LegitimacyConstitutionWorkReadGas(uint256 gasLeft, uint256 required);
    /// @notice Article `index` is beyond the end of the list (`count` articles).
    error LegitimacyConstitutionArticleOutOfRange(uint256 index, uint256 count);
    /// @notice An article without a content hash can only repeal an existing one.
    error LegitimacyConstitutionEmptyArticle(uint256 index);
    /// @notice `weight` for `schemaId` exceeds the highest recognition weight `max`.
    error LegitimacyConstitutionRecognitionTooHigh(bytes32 schemaId, uint256 weight, uint256 max);
    /// @notice The call needs `module` in the directory (bootstrap always needs the Work module).
    error LegitimacyConstitutionModuleUnset(Module module);
    /// @notice Action `index` has fields its kind does not use, or an unknown kind.
    error LegitimacyConstitutionMalformedAction(uint256 index);
    /// @notice An amendment needs at least one action and at most `max`.
    error LegitimacyConstitutionActionCount(uint256 count, uint256 max);
    /// @notice `proposer` has `tokenVotes` and `workPower`, below both proposal thresholds
    /// as applied: each the stored threshold, or its house's quorum where that is lower.
    error LegitimacyConstitutionBelowThreshold(
        address proposer, uint256 tokenVotes, uint256 tokenThreshold, uint256 workPower, uint256 workThreshold
    );
    /// @notice An amendment with id `id` already exists.
    error LegitimacyConstitutionAmendmentExists(uint256 id);
    /// @notice No amendment has id `id`.
    error LegitimacyConstitutionUnknownAmendment(uint256 id);
    /// @notice The call needs amendment `id` in `required`, but it is in `current`.
    error LegitimacyConstitutionWrongState(uint256 id, AmendmentState current, AmendmentState required);
    /// @notice `voter` already voted on amendment `id`.
    error LegitimacyConstitutionAlreadyVoted(uint256 id, address voter);
    /// @notice `voter` had no power in either house at the amendment's snapshots.
    error LegitimacyConstitutionNoVotingPower(uint256 id, address voter);
    /// @notice `support` is not Against (0), For (1) or Abstain (2).
    error LegitimacyConstitutionInvalidSupport(uint8 support);
    /// @notice The supplied body does not hash to amendment `id`.
    error LegitimacyConstitutionAmendmentMismatch(uint256 id);
    /// @notice Only the proposer may cancel amendment `id`; `caller` is not the proposer.
    error LegitimacyConstitutionNotProposer(uint256 id, address caller);
    /// @notice Amendment `id` may execute at `eta`; it is now `now_`.
    error LegitimacyConstitutionTimelocked(uint256 id, uint48 eta, uint48 now_);
    /// @notice `caller` lacks `role`.
    error LegitimacyConstitutionMissingRole(bytes32 role, address caller);

    // ---------------------------------------------------------------------
    // State-changing
    // ---------------------------------------------------------------------

    /// @notice Wire the directory, genesis roles, recognitions, articles and founding
    /// contribution points. Callable once, by the deployer, after which the deployer
    /// has no power left.
    /// @dev Each non-zero module must report this contract as its constitution and the
    /// kind of its slot. Refused if it would leave either house unable to reach quorum:
    /// no Work module, no Work power after the seeds, or a token with no supply (or a
    /// token proposal threshold above that supply).
    function bootstrap(BootstrapConfig calldata config) external;

    /// @notice Propose an amendment: typed actions on the constitution itself.
    /// @dev The caller needs `legit.tokenProposalThreshold` votes in the Token House
    /// or `legit.workProposalThreshold` power in the Work House, both read one tick
    /// before now (so a flash loan in the same block cannot count); each threshold is
    /// capped at its house's quorum (at least 1), so whoever could carry the Token
    /// House's quorum can always propose. The snapshots of
    /// both houses are fixed here, at creation: nobody can acquire weight in a vote
    /// after seeing it proposed. `legit.votingDelay` is a notice period before
    /// voting opens. Every action is checked now, and again when it executes.
    /// Proposals open one second after bootstrap (the snapshot must not precede it).
    /// @param actions One to `MAX_ACTIONS` actions, applied in order.
    /// @param strategyProposalId The Strategy proposal this amendment adopts, or 0.
    /// @param description Human-readable rationale (hashed into the id).
    /// @return id `hashAmendment(msg.sender, body)`.
    function propose(Action[] calldata actions, uint256 strategyProposalId, string calldata description)
        external
        returns (uint256 id);

    /// @notice Vote on an Active amendment with your weight in both houses at its snapshots.
    /// @dev The Work House weight is read with a gas cap ({WORK_READ_GAS}); if the
    /// registry cannot answer, the vote counts in the Token House only and the amendment
    /// is marked: only a Work repair can then pass it ({workHouse}).
    /// @param support 0 = Against, 1 = For, 2 = Abstain.
    function castVote(uint256 id, uint8 support) external;

    /// @notice `castVote` with a reason logged in `VoteCast`.
    function castVoteWithReason(uint256 id, uint8 support, string calldata reason) external;

    /// @notice Start the timelock of a Succeeded amendment. Anyone may call.
    function queue(uint256 id) external;

    /// @notice Apply a Queued amendment's actions once its timelock has passed.
    /// Anyone may call, with the body the id commits to. If an action fails
    /// validation the call reverts and the amendment stays Queued until it expires.
    function execute(uint256 id, address proposer, AmendmentBody calldata body) external;

    /// @notice Withdraw a Pending amendment. Only its proposer, proven by the body.
    function cancel(uint256 id, AmendmentBody calldata body) external;

    /// @notice Stop a pending treasury allocation. GUARDIAN only; the constitution
    /// calls the treasury's `veto`. A guardian can stop, never create or redirect.
    function vetoAllocation(uint256 allocationId, string calldata reason) external;

    // ---------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------

    /// @notice The id of an amendment by `proposer` with `body`.
    function hashAmendment(address proposer, AmendmentBody calldata body) external pure returns (uint256);

    /// @notice The lifecycle state of amendment `id` (reverts for an unknown id).
    function state(uint256 id) external view returns (AmendmentState);

    /// @notice Schedule and flags of amendment `id`.
    function amendment(uint256 id) external view returns (AmendmentInfo memory);

    /// @notice Votes per house on amendment `id`.
    function tallies(uint256 id) external view returns (Tallies memory);

    /// @notice Quorum each house needs for amendment `id` (For + Abstain), from the
    /// houses' totals at its snapshots and the quorum parameters frozen in its context.
    /// `workQuorum` is 0 when the Work House cannot be read.
    function quorums(uint256 id) external view returns (uint256 tokenQuorum, uint256 workQuorum);

    /// @notice Whether amendment `id`'s Work House could be read (its registry answered
    /// the total at the snapshot and every vote's power), and whether the amendment is a
    /// Work repair: every action restores the Work registry the current one replaced.
    /// When the Work House cannot be read, a repair passes on the Token House alone and
    /// any other amendment is Defeated.
    function workHouse(uint256 id) external view returns (bool readable, bool repair);

    /// @notice Whether `account` voted on amendment `id`.
    function hasVoted(uint256 id, address account) external view returns (bool);

    /// @notice Most actions one amendment may carry.
    function MAX_ACTIONS() external pure returns (uint256);

    /// @notice The SetArticle index that appends a new article.
    function ARTICLE_APPEND() external pure returns (uint256);

    /// @notice The STEWARD role: may run treasury budget lines.
    function STEWARD_ROLE() external pure returns (bytes32);

    /// @notice The GUARDIAN role: may veto a pending treasury allocation.
    function GUARDIAN_ROLE() external pure returns (bytes32);

    /// @notice The highest recognition weight a schema may be given.
    function MAX_RECOGNITION_WEIGHT() external pure returns (uint256);

    /// @notice The gas a Work House read may use. A registry that reverts, answers short
    /// or beyond {WorkHouse.MAX_TOTAL_POWER}, or needs more gas, counts as unreadable.
    function WORK_READ_GAS() external pure returns (uint256);

    /// @notice The governance token whose votes form the Token House.
    function token() external view returns (IVotes);

    /// @notice The account that deployed the constitution (powerless after bootstrap).
    function deployer() external view returns (address);

    /// @notice Whether `bootstrap` has happened.
    function bootstrapped() external view returns (bool);

    /// @notice Current value of parameter `key`. Reverts for an unknown key.
    function param(bytes32 key) external view returns (uint256);

    /// @notice Current values of parameters `keyA` and `keyB`, as two {param} calls give
    /// them, in one call (a module that needs both saves a call's overhead). Reverts
    /// with {LegitimacyConstitutionUnknownParam} for the first unknown key.
    function param2(bytes32 keyA, bytes32 keyB) external view returns (uint256 a, uint256 b);

    /// @notice Current values of parameters `keyA`, `keyB` and `keyC`, as three {param}
    /// calls give them, in one call. Reverts with {LegitimacyConstitutionUnknownParam}
    /// for the first unknown key.
    function param3(bytes32 keyA, bytes32 keyB, bytes32 keyC)
        external
        view
        returns (uint256 a, uint256 b, uint256 c);

    /// @notice The hard bounds of `key`, fixed at deployment.
    function paramBounds(bytes32 key) external view returns (uint256 min, uint256 max);

    /// @notice Every parameter with its value and bounds, in genesis order.
    function params() external view returns (ParamInfo[] memory);

    /// @notice The recognition weight of `schemaId` (0 = not recognized).
    function recognition(bytes32 schemaId) external view returns (uint256);

    /// @notice The points an accepted packet of `schemaId` earns when the caller credits
    /// it: `recognition(schemaId)` if the caller is the Work module in the directory, 0
    /// for anyone else. A replaced WorkRegistry therefore credits nothing, and its
    /// successor continues the Work House from exactly the swap.
    function creditWeight(bytes32 schemaId) external view returns (uint256);

    /// @notice Every recognized schema and its weight.
    function recognizedSchemas() external view returns (bytes32[] memory schemaIds, uint256[] memory weights);

    /// @notice Whether `account` holds `role`.
    function hasRole(bytes32 role, address account) external view returns (bool);

    /// @notice Every holder of `role`.
    function roleMembers(bytes32 role) external view returns (address[] memory);

    /// @notice Number of articles (repealed ones included, so numbering is stable).
    function articleCount() external view returns (uint256);

    /// @notice Article `index`.
    function article(uint256 index) external view returns (Article memory);

    /// @notice All articles in order.
    function articles() external view returns (Article[] memory);

    /// @notice The directory entry of `module` (zero if unset).
    function module(Module module_) external view returns (address);

    /// @notice The whole directory in `Module` order.
    function modules() external view returns (address[4] memory);
}
