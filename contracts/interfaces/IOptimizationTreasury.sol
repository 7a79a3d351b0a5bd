// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";
import {IWorkRegistry} from "./IWorkRegistry.sol";

/// @title IOptimizationTreasury — System 3 of the Viable System Model
/// @notice Pays accepted work by rule, inside the caps the constitution sets, with a
/// veto window between the decision and the payment. The treasury holds ETH (asset
/// `address(0)`) and ERC20 tokens. Time runs in epochs of `treasury.epochLength`; each
/// epoch, each asset gets a budget of `treasury.maxEpochSpendBps` of its free balance.
/// STEWARD accounts split that budget into budget lines (a share in bps, a steward, an
/// optional schema filter, bounty and cliff). A line's steward allocates to Accepted
/// packets of recognized schemas; anyone may claim a line's fixed bounty for a packet of
/// its schema. Every allocation is Pending for `treasury.vetoWindow`, during which the
/// line's steward may cancel it and a GUARDIAN, through the constitution, may veto it.
/// Afterwards anyone may execute it: a transfer, or a linear stream (optional cliff)
/// that the recipient claims as it vests.
///
/// @dev Books. Per asset the treasury keeps `free` (credited by what deposits actually
/// deliver, debited when an epoch budget is fixed) and the current epoch's bucket
/// (`budget`, `spent`). An allocation moves its amount from the bucket into the
/// allocation record; cancel and veto move it back (to the bucket of the epoch it was
/// made in while that bucket is live, otherwise to `free`); execute and claim pay it
/// out of the record. So for every asset, at all times:
///
///     balance >= free + (budget - spent) + pending + (executed - paid)
///
/// where the right-hand side is exactly what the treasury owes or may still spend, and
/// `free + (budget - spent)` is the spec's free balance (balance minus committed). The
/// treasury never reads a token's `balanceOf` except to measure a deposit, so its books
/// cannot be inflated by a token whose balance moves on its own; such (rebasing) tokens
/// are unsupported, see docs/optimization-treasury.md.
///
/// Epochs are numbered from 1 (0 means "never"). The clock is anchored: when
/// `treasury.epochLength` is amended, the epoch in progress under the old length keeps
/// its number and start, and the new length runs from that start, so the epoch number
/// never goes back.
///
/// Ids. A line id is sequential from 1. An allocation id packs its asset, line and
/// packet into one word: `uint160(asset) << 96 | lineId << 64 | packetId`, so it names
/// the one allocation a line may make for a packet.
///
/// Callers (PROTOCOL.md §2.1): `deposit` and plain ETH transfers — anyone;
/// `createLine`, `updateLine`, `closeLine` — an account with the STEWARD role;
/// `allocate`, `cancel` — the line's steward; `claimBounty` — anyone, for an Accepted
/// packet of the line's schema; `veto` — the constitution only; `execute` — anyone,
/// after the veto window; `claim` — the allocation's recipient; `migrate` — anyone,
/// once another treasury has replaced this one in the directory.
interface IOptimizationTreasury is IViableModule {
    // ---------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------

    /// @notice A budget line's lifecycle. `None`: no line has that id.
    enum LineStatus {
        None,
        Active,
        Closed
    }

    /// @notice An allocation's lifecycle. `None`: no allocation has that id.
    /// Pending → Cancelled (the line's steward) | Vetoed (a guardian, through the
    /// constitution) before the deadline; Pending → Paid | Claimable (execute) from the
    /// deadline on. Paid: transferred in full. Claimable: the recipient pulls it with
    /// `claim` — a stream that vests linearly, or a transfer whose push failed (all of
    /// it claimable at once).
    enum AllocationState {
        None,
        Pending,
        Cancelled,
        Vetoed,
        Paid,
        Claimable
    }

    /// @notice A budget line as the {line} view reports it.
    /// @param asset The asset it spends (`address(0)` for ETH); fixed at creation.
    /// @param steward The account that allocates from it and may cancel its allocations.
    /// @param shareBps Its share of the asset's epoch budget, in basis points.
    /// @param status Active or Closed.
    /// @param schemaId Only packets of this schema may be funded from it; zero: any
    /// recognized schema. Fixed at creation.
    /// @param bounty The fixed amount `claimBounty` allocates per packet; zero: none.
    /// @param cliffBps Streams of this line vest nothing before this share of their
    /// duration has passed.
    /// @param strategyProposalId The Strategy proposal the line adopts; zero: none.
    struct Line {
        address asset;
        address steward;
        uint256 shareBps;
        LineStatus status;
        bytes32 schemaId;
        uint256 bounty;
        uint256 cliffBps;
        uint256 strategyProposalId;
    }

    /// @notice An allocation as the {allocation} view reports it.
    /// @param asset The asset paid (from the line).
    /// @param lineId The line it was made from.
    /// @param packetId The packet it funds.
    /// @param recipient The packet's contributor at allocation time.
    /// @param amount The amount allocated.
    /// @param state Its lifecycle state.
    /// @param epoch The epoch whose budget it was counted in.
    /// @param deadline End of the veto window: cancel and veto work before it, execute
    /// from it on; a stream starts vesting at it.
    /// @param streamDuration Zero for a transfer, else the stream's length in seconds.
    /// @param cliff Seconds after `deadline` before a stream vests anything.
    /// @param vested What the recipient has earned so far (Claimable), or `amount` (Paid).
    /// @param claimed What the recipient has claimed so far.
    struct Allocation {
        address asset;
        uint256 lineId;
        uint256 packetId;
        address recipient;
        uint256 amount;
        AllocationState state;
        uint256 epoch;
        uint256 deadline;
        uint256 streamDuration;
        uint256 cliff;
        uint256 vested;
        uint256 claimed;
    }

    /// @notice An asset's books in the current epoch, as the {assetEpoch} view reports
    /// them (if the epoch's budget is not fixed yet: what it would be if fixed now).
    /// @param epoch The current epoch.
    /// @param budget The epoch's budget for the asset.
    /// @param spent Allocated from it this epoch (net of cancels and vetoes).
    /// @param remainder `budget - spent`.
    /// @param free Not committed and not in this epoch's budget.
    /// @param shareBps Sum of the shares of the asset's active lines.
    struct AssetEpoch {
        uint256 epoch;
        uint256 budget;
        uint256 spent;
        uint256 remainder;
        uint256 free;
        uint256 shareBps;
    }

    /// @notice A line's or a recipient's use of its cap in the current epoch.
    /// @param epoch The current epoch.
    /// @param cap The line's share, or the recipient's cap, of the asset's epoch budget.
    /// @param used Allocated against it this epoch (net of cancels and vetoes).
    /// @param remainder `cap - used`, or zero if an amendment or an update lowered the
    /// cap below what was already used.
    struct CapUse {
        uint256 epoch;
        uint256 cap;
        uint256 used;
        uint256 remainder;
    }

    // ---------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------

    /// @notice `from` sent `amount` of `asset` and the treasury received (and credited)
    /// `received`, which is less for a fee-on-transfer token.
    event Deposited(address indexed asset, address indexed from, uint256 amount, uint256 received);

    /// @notice The budget of `asset` for `epoch` was fixed at `budget`, out of a free
    /// balance of `free` (which includes what earlier epochs left unspent).
    event EpochBudgetFixed(address indexed asset, uint256 indexed epoch, uint256 budget, uint256 free);

    /// @notice `treasury.epochLength` changed: from epoch `epoch`, which began at
    /// `start`, epochs last `newLength` seconds instead of `oldLength`.
    event EpochLengthApplied(uint256 indexed epoch, uint256 start, uint256 oldLength, uint256 newLength);

    /// @notice A STEWARD (`creator`) opened line `lineId`.
    event LineCreated(
        uint256 indexed lineId,
        address indexed asset,
        address indexed steward,
        address creator,
        uint256 shareBps,
        bytes32 schemaId,
        uint256 bounty,
        uint256 cliffBps,
        uint256 strategyProposalId
    );

    /// @notice A STEWARD changed line `lineId`; old and new values.
    event LineUpdated(
        uint256 indexed lineId,
        address oldSteward,
        address newSteward,
        uint256 oldShareBps,
        uint256 newShareBps,
        uint256 oldBounty,
        uint256 newBounty,
        uint256 oldCliffBps,
        uint256 newCliffBps
    );

    /// @notice A STEWARD closed line `lineId`; its share returns to the asset.
    event LineClosed(uint256 indexed lineId, address indexed closer);

    /// @notice Allocation `allocationId` of `amount` from line `lineId` to `recipient`
    /// for packet `packetId` is Pending until `deadline`. `bounty`: made by `claimBounty`.
    event AllocationCreated(
        uint256 indexed allocationId,
        uint256 indexed lineId,
        address indexed recipient,
        uint256 packetId,
        uint256 amount,
        uint256 deadline,
        uint256 streamDuration,
        bool bounty
    );

    /// @notice The line's steward cancelled pending allocation `allocationId`.
    event AllocationCancelled(uint256 indexed allocationId);

    /// @notice A guardian, through the constitution, vetoed pending allocation `allocationId`.
    event AllocationVetoed(uint256 indexed allocationId);

    /// @notice Allocation `allocationId` executed: `state` is Paid (the transfer
    /// succeeded) or Claimable (a stream, or a transfer the recipient or token refused).
    event AllocationExecuted(uint256 indexed allocationId, address indexed recipient, AllocationState state);

    /// @notice The recipient of `allocationId` claimed `amount` (its total so far is in
    /// {allocation}).
    event Claimed(uint256 indexed allocationId, uint256 amount);

    /// @notice `amount` of `asset` (all of its uncommitted balance) went to `successor`,
    /// the treasury that replaced this one in the directory.
    event Migrated(address indexed asset, address indexed successor, uint256 amount);

    // ---------------------------------------------------------------------
    // Errors: callers
    // ---------------------------------------------------------------------

    /// @notice `constitution` is not a contract.
    error OptimizationTreasuryInvalidConstitution(address constitution);
    /// @notice `caller` does not hold the STEWARD role in the constitution.
    error OptimizationTreasuryNotSteward(address caller);
    /// @notice `caller` is not the steward of line `lineId`.
    error OptimizationTreasuryNotLineSteward(uint256 lineId, address caller);
    /// @notice Only the constitution may veto, and `caller` is not it.
    error OptimizationTreasuryNotConstitution(address caller);
    /// @notice `caller` is not the recipient of allocation `allocationId`.
    error OptimizationTreasuryNotRecipient(uint256 allocationId, address caller);
    /// @notice The call is already inside the treasury (a token or recipient called back).
    error OptimizationTreasuryReentrantCall();

    // ---------------------------------------------------------------------
    // Errors: directory
    // ---------------------------------------------------------------------

    /// @notice The directory names `entry`, not this treasury, as the Optimization module:
    /// guardians could not veto what this treasury allocates, so it allocates nothing.
    error OptimizationTreasuryNotInDirectory(address entry);
    /// @notice `migrate` needs another treasury in the directory; it names `entry`.
    error OptimizationTreasuryNotReplaced(address entry);
    /// @notice The directory has no Work module to read packets from.
    error OptimizationTreasuryWorkModuleUnset();
    /// @notice A line cites Strategy proposal `proposalId` but the directory has no
    /// Strategy module to mark it adopted.
    error OptimizationTreasuryStrategyModuleUnset(uint256 proposalId);

    // ---------------------------------------------------------------------
    // Errors: deposits and transfers
    // ---------------------------------------------------------------------

    /// @notice A deposit, allocation or bounty of zero.
    error OptimizationTreasuryZeroAmount();
    /// @notice `msg.value` is `value` but the call needs `expected`: an ETH deposit sends
    /// exactly its amount, an ERC20 deposit nothing.
    error OptimizationTreasuryValueMismatch(uint256 value, uint256 expected);
    /// @notice `asset` is neither `address(0)` (ETH) nor a contract.
    error OptimizationTreasuryInvalidAsset(address asset);
    /// @notice Paying `amount` of `asset` to `to` failed.
    error OptimizationTreasuryTransferFailed(address asset, address to, uint256 amount);
    /// @notice The caller left `available` gas for a push that needs `needed`: not enough
    /// to tell a refusing recipient from a starved call.
    error OptimizationTreasuryInsufficientGas(uint256 available, uint256 needed);

    // ---------------------------------------------------------------------
    // Errors: lines
    // ---------------------------------------------------------------------

    /// @notice No line has id `lineId`.
    error OptimizationTreasuryUnknownLine(uint256 lineId);
    /// @notice Line `lineId` is closed.
    error OptimizationTreasuryLineClosed(uint256 lineId);
    /// @notice `steward` cannot run a line: it is zero or lacks the STEWARD role.
    error OptimizationTreasuryInvalidSteward(address steward);
    /// @notice A line's share must be in `[1, 10_000]` bps; it is `shareBps`.
    error OptimizationTreasuryInvalidShare(uint256 shareBps);
    /// @notice The active lines of `asset` would hold `sumBps` > 10,000 bps.
    error OptimizationTreasuryShareSumExceeded(address asset, uint256 sumBps);
    /// @notice A cliff must be at most 10,000 bps of a stream; it is `cliffBps`.
    error OptimizationTreasuryInvalidCliff(uint256 cliffBps);
    /// @notice A bounty needs a schema filter (the packets it pays for).
    error OptimizationTreasuryBountyWithoutSchema(uint256 bounty);
    /// @notice `amount` exceeds the largest amount one allocation may carry, `max`.
    error OptimizationTreasuryAmountTooLarge(uint256 amount, uint256 max);
    /// @notice Line `lineId` has no bounty.
    error OptimizationTreasuryNoBounty(uint256 lineId);

    // ---------------------------------------------------------------------
    // Errors: allocations
    // ---------------------------------------------------------------------

    /// @notice Packet ids above 2^64 - 1 do not fit an allocation id; `packetId` does not.
    error OptimizationTreasuryPacketIdTooLarge(uint256 packetId);
    /// @notice Packet `packetId` is `status`; funding needs it Accepted.
    error OptimizationTreasuryPacketNotAccepted(uint256 packetId, IWorkRegistry.Status status);
    /// @notice Packet `packetId`'s schema `schemaId` is not recognized by the constitution.
    error OptimizationTreasurySchemaNotRecognized(uint256 packetId, bytes32 schemaId);
    /// @notice Packet `packetId` is of schema `schemaId`; line `lineId` funds only `required`.
    error OptimizationTreasurySchemaMismatch(
        uint256 lineId, uint256 packetId, bytes32 schemaId, bytes32 required
    );
    /// @notice Line `lineId` already made allocation `allocationId` (now `state`) for
    /// packet `packetId`: one per packet per line (a steward may re-allocate only after
    /// cancelling, with `allocate`).
    error OptimizationTreasuryAlreadyAllocated(
        uint256 lineId, uint256 packetId, uint256 allocationId, AllocationState state
    );
    /// @notice `amount` exceeds line `lineId`'s `remainder` in this epoch.
    error OptimizationTreasuryLineRemainderExceeded(uint256 lineId, uint256 amount, uint256 remainder);
    /// @notice `amount` exceeds `asset`'s epoch budget `remainder`.
    error OptimizationTreasuryEpochBudgetExceeded(address asset, uint256 amount, uint256 remainder);
    /// @notice `amount` exceeds `recipient`'s `remainder` of its epoch cap in `asset`.
    error OptimizationTreasuryRecipientCapExceeded(
        address recipient, address asset, uint256 amount, uint256 remainder
    );
    /// @notice A stream may last at most `max` seconds; `duration` was asked.
    error OptimizationTreasuryStreamTooLong(uint256 duration, uint256 max);
    /// @notice No allocation has id `allocationId`.
    error OptimizationTreasuryUnknownAllocation(uint256 allocationId);
    /// @notice Allocation `allocationId` is `current`; the call needs `required`.
    error OptimizationTreasuryWrongState(
        uint256 allocationId, AllocationState current, AllocationState required
    );
    /// @notice Allocation `allocationId` may execute from `deadline`; it is `now_`.
    error OptimizationTreasuryVetoWindowOpen(uint256 allocationId, uint256 deadline, uint256 now_);
    /// @notice Allocation `allocationId`'s window closed at `deadline` (it is `now_`):
    /// it can no longer be cancelled or vetoed.
    error OptimizationTreasuryVetoWindowClosed(uint256 allocationId, uint256 deadline, uint256 now_);
    /// @notice Allocation `allocationId` has `vested` vested and `claimed` claimed: nothing to claim.
    error OptimizationTreasuryNothingToClaim(uint256 allocationId, uint256 vested, uint256 claimed);
    /// @notice `asset` has no uncommitted balance to migrate.
    error OptimizationTreasuryNothingToMigrate(address asset);

    // ---------------------------------------------------------------------
    // State-changing: funds in
    // ---------------------------------------------------------------------

    /// @notice Deposit `amount` of `asset`. Anyone may. For ETH (`asset == address(0)`)
    /// send `amount` as `msg.value`; for a token, approve the treasury first.
    /// @dev Credits the balance difference the transfer produced (a fee-on-transfer token
    /// credits what arrived). If the asset's budget for the current epoch is not fixed
    /// yet, it is fixed now, after the credit. Reverts with {OptimizationTreasuryZeroAmount},
    /// {OptimizationTreasuryValueMismatch} or {OptimizationTreasuryInvalidAsset}.
    ///
    /// The treasury also accepts plain ETH transfers (`receive`): each is exactly
    /// `deposit(address(0), msg.value)` by its sender. It needs more than the 2,300 gas
    /// stipend of Solidity's `transfer`/`send`. (`receive` is not declared here so that
    /// callers holding a plain address, like the constitution, can still cast it.)
    /// @param asset `address(0)` for ETH, else an ERC20.
    /// @param amount What to send.
    function deposit(address asset, uint256 amount) external payable;

    // ---------------------------------------------------------------------
    // State-changing: lines (STEWARD role)
    // ---------------------------------------------------------------------

    /// @notice Open a budget line. Only an account with the STEWARD role.
    /// @dev The active lines of one asset may hold at most 10,000 bps between them. A
    /// non-zero `strategyProposalId` is marked adopted on the directory's Strategy module
    /// (which may refuse it, e.g. if it is not Ready); without a Strategy module the call
    /// reverts with {OptimizationTreasuryStrategyModuleUnset}.
    /// @param asset `address(0)` for ETH, else an ERC20 contract. Fixed for the line's life.
    /// @param steward Who allocates from the line; must hold the STEWARD role.
    /// @param shareBps Share of the asset's epoch budget, in `[1, 10_000]`.
    /// @param schemaId Schema filter (zero: any recognized schema). Fixed for the line's life.
    /// @param bounty Amount per packet for `claimBounty` (zero: none); needs a schema filter.
    /// @param cliffBps Share of a stream's duration before it vests anything, in `[0, 10_000]`.
    /// @param strategyProposalId The Ready Strategy proposal this line adopts, or zero.
    /// @return lineId The new line's id (sequential from 1).
    function createLine(
        address asset,
        address steward,
        uint256 shareBps,
        bytes32 schemaId,
        uint256 bounty,
        uint256 cliffBps,
        uint256 strategyProposalId
    ) external returns (uint256 lineId);

    /// @notice Change an active line's steward, share, bounty and cliff. Only an account
    /// with the STEWARD role.
    /// @dev A new share applies at once, also within the current epoch: the line's
    /// remainder becomes `budget * shareBps / 10_000 - spent` (zero if below). Pending
    /// allocations keep their amounts; the new steward may cancel them. A new cliff
    /// applies to allocations made afterwards.
    function updateLine(uint256 lineId, address steward, uint256 shareBps, uint256 bounty, uint256 cliffBps)
        external;

    /// @notice Close an active line. Only an account with the STEWARD role.
    /// @dev Its share returns to the asset at once. Its pending allocations stay as they
    /// are: its steward may still cancel them, a guardian may still veto them, and they
    /// execute after their window. What it spent this epoch stays counted in the asset's
    /// epoch budget, so the freed share cannot spend it twice.
    function closeLine(uint256 lineId) external;

    // ---------------------------------------------------------------------
    // State-changing: allocations
    // ---------------------------------------------------------------------

    /// @notice Allocate `amount` from line `lineId` to the contributor of packet
    /// `packetId`, Pending until `now + treasury.vetoWindow`. Only the line's steward,
    /// while it holds the STEWARD role.
    /// @dev Needs: this treasury in the directory; the line active; the packet Accepted,
    /// of the line's schema if it has one, and of a schema the constitution recognizes;
    /// no earlier allocation of the line for the packet (except one its steward
    /// cancelled); `amount` within the line's remainder, the asset's epoch remainder and
    /// the recipient's remainder of its epoch cap (`treasury.maxRecipientShareBps` of the
    /// asset's epoch budget). Fixes the epoch's budget for the asset if this is its first
    /// action in the epoch.
    /// @param lineId The line.
    /// @param packetId The packet (its contributor is the recipient).
    /// @param amount What to allocate, in the asset's smallest unit.
    /// @param streamDuration Zero for a transfer; else stream over this many seconds
    /// (at most {MAX_STREAM_DURATION}), starting at the deadline.
    /// @return allocationId `allocationIdOf(lineId, packetId)`.
    function allocate(uint256 lineId, uint256 packetId, uint256 amount, uint256 streamDuration)
        external
        returns (uint256 allocationId);

    /// @notice The rule-based path: allocate line `lineId`'s bounty to the contributor of
    /// packet `packetId`, as a transfer. Anyone may, for an Accepted packet of the line's
    /// schema that the constitution recognizes.
    /// @dev The same caps, the same veto window and the same one-allocation-per-packet
    /// rule as {allocate}; a bounty allocation the steward cancelled cannot be claimed again.
    /// @return allocationId `allocationIdOf(lineId, packetId)`.
    function claimBounty(uint256 lineId, uint256 packetId) external returns (uint256 allocationId);

    /// @notice Cancel a pending allocation before its deadline. Only the steward of its
    /// line (the line's current steward, even if the line is closed).
    /// @dev The amount returns to the line's remainder, the recipient's cap and the
    /// asset's budget of the epoch it was counted in, or to the free balance once that
    /// epoch's budget has been rolled over.
    function cancel(uint256 allocationId) external;

    /// @notice Stop a pending allocation before its deadline. Only the constitution,
    /// which calls it when a GUARDIAN calls `vetoAllocation`.
    /// @dev Returns the amount exactly as {cancel} does. A vetoed allocation is final:
    /// neither the steward nor a bounty claim can allocate for that packet on that line again.
    function veto(uint256 allocationId) external;

    /// @notice Execute a pending allocation once its deadline has passed. Anyone may
    /// (a keeper duty).
    /// @dev A transfer is pushed: ERC20 with SafeERC20 semantics, ETH with at most
    /// {ETH_PUSH_GAS} gas. If the push fails (a refusing recipient, a reverting or
    /// false-returning token) the allocation becomes Claimable instead, so no recipient
    /// or token can block anyone else. A stream becomes Claimable. Reverts with
    /// {OptimizationTreasuryInsufficientGas} if the caller's gas could have starved the push.
    function execute(uint256 allocationId) external;

    /// @notice Pay the recipient of a Claimable allocation what has vested and it has not
    /// claimed yet. Only the recipient.
    /// @return amount What was paid.
    function claim(uint256 allocationId) external returns (uint256 amount);

    /// @notice Move all of `asset`'s uncommitted balance (free plus the current epoch's
    /// unspent budget) to the treasury that replaced this one in the constitution's
    /// directory, through its `deposit`. Anyone may, once there is one.
    /// @dev Pending and Claimable allocations stay here and still execute and pay; amounts
    /// cancelled later become migratable. A replaced treasury allocates nothing.
    function migrate(address asset) external;

    // ---------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------

    /// @notice The asset id of ETH: `address(0)`.
    function ETH() external pure returns (address);

    /// @notice Longest stream, in seconds (ten years).
    function MAX_STREAM_DURATION() external pure returns (uint256);

    /// @notice Largest amount one allocation or bounty may carry: 2^112 - 1.
    function MAX_AMOUNT() external pure returns (uint256);

    /// @notice Gas an ETH push in {execute} forwards to the recipient.
    function ETH_PUSH_GAS() external pure returns (uint256);

    /// @notice The current epoch (numbered from 1), its start and its end (exclusive),
    /// under the current `treasury.epochLength`.
    function epoch() external view returns (uint256 index, uint256 start, uint256 end);

    /// @notice `asset`'s budget, spending, remainder and free balance this epoch.
    function assetEpoch(address asset) external view returns (AssetEpoch memory);

    /// @notice Line `lineId`'s cap, spending and remainder this epoch.
    function lineEpoch(uint256 lineId) external view returns (CapUse memory);

    /// @notice `recipient`'s cap, use and remainder in `asset` this epoch.
    function recipientEpoch(address asset, address recipient) external view returns (CapUse memory);

    /// @notice Line `lineId`. Reverts for an unknown id.
    function line(uint256 lineId) external view returns (Line memory);

    /// @notice Number of lines created; the latest line's id.
    function lineCount() external view returns (uint256);

    /// @notice The id line `lineId`'s allocation for packet `packetId` has (or would have).
    /// Reverts for an unknown line or a packet id above 2^64 - 1.
    function allocationIdOf(uint256 lineId, uint256 packetId) external view returns (uint256);

    /// @notice Allocation `allocationId`, with its state, deadline and, for a stream, its
    /// vested and claimed amounts. Reverts for an unknown id.
    function allocation(uint256 allocationId) external view returns (Allocation memory);

    /// @notice What the recipient of `allocationId` could claim now (zero unless Claimable).
    function claimable(uint256 allocationId) external view returns (uint256);
}
