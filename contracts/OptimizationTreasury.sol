// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "./interfaces/IOptimizationTreasury.sol";
import {IStrategyProposals} from "./interfaces/IStrategyProposals.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {IWorkRegistry} from "./interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "./libraries/ModuleKinds.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title OptimizationTreasury — System 3
/// @notice See {IOptimizationTreasury}.
/// @dev Gas notes (measured per transaction, see docs/optimization-treasury.md). An
/// allocation is two fresh slots keyed by its id, which is also the one-per-packet-per-
/// line guard, so there is no counter and no second index. Execute and claim touch only
/// the allocation's own slots and the token: the asset is in the id, and no per-asset
/// total moves when money leaves (it left the books when it was allocated). Per-epoch
/// counters (a line's spending, a recipient's use, an asset's bucket) carry their epoch
/// and reset lazily, so a new epoch costs no loop and no fresh slot.
contract OptimizationTreasury is IOptimizationTreasury {
    using SafeERC20 for IERC20;
    using TransientSlot for *;

    // ------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------

    /// @inheritdoc IOptimizationTreasury
    address public constant ETH = address(0);
    /// @inheritdoc IOptimizationTreasury
    uint256 public constant MAX_STREAM_DURATION = 3650 days;
    /// @inheritdoc IOptimizationTreasury
    uint256 public constant MAX_AMOUNT = type(uint112).max;
    /// @inheritdoc IOptimizationTreasury
    uint256 public constant ETH_PUSH_GAS = 30_000;
    /// @inheritdoc IViableModule
    bytes32 public constant moduleKind = ModuleKinds.OPTIMIZATION;

    uint256 private constant _BPS = 10_000;
    /// @dev Gas a CALL with value may charge before the callee starts (cold account,
    /// value transfer, new account), plus what `execute` needs after the push.
    uint256 private constant _PUSH_OVERHEAD = 45_000;
    /// @dev Transient reentrancy flag (ERC-7201 style location).
    bytes32 private constant _GUARD = keccak256(
        abi.encode(uint256(keccak256("viable.OptimizationTreasury.guard")) - 1)
    ) & ~bytes32(uint256(0xff));

    /// @inheritdoc IViableModule
    address public immutable constitution;
    /// @dev The constitution's STEWARD role id (a constant of the constitution);
    /// membership is read at each call.
    bytes32 private immutable _stewardRole;

    // ------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------

    /// @dev The epoch clock in ONE slot (104 bits): epoch `index` began at `start` and
    /// epochs since then last `length` seconds. Rewritten only when
    /// `treasury.epochLength` changes, at the start of the epoch then in progress.
    struct Clock {
        uint40 start;
        uint32 index;
        uint32 length;
    }

    /// @dev A line in FIVE slots, laid out so `allocate` reads three (four with a
    /// schema filter) and writes one. Slot 0: steward, share, status, cliff, filter flag
    /// (216 bits). Slot 1: asset. Slot 2: this epoch's spending, the bounty and the epoch
    /// the spending belongs to (256 bits; the epoch is set at creation so the first
    /// allocation updates a non-zero slot). Slot 3: schema filter. Slot 4: adopted
    /// Strategy proposal (written once, never read on a hot path).
    struct LineRecord {
        address steward;
        uint16 shareBps;
        LineStatus status;
        uint16 cliffBps;
        bool filtered;
        address asset;
        uint112 spent;
        uint112 bounty;
        uint32 epoch;
        bytes32 schemaId;
        uint256 strategyProposalId;
    }

    /// @dev An asset's budget for one epoch in ONE slot: the epoch, the budget fixed for
    /// it and what is allocated from it (256 bits). Budgets are capped at 2^112 - 1.
    struct Bucket {
        uint32 epoch;
        uint112 budget;
        uint112 spent;
    }

    /// @dev A recipient's use of its cap in one asset in ONE slot (144 bits).
    struct Usage {
        uint32 epoch;
        uint112 used;
    }

    /// @dev An allocation in TWO slots. Slot 0: recipient, deadline, epoch, state and
    /// the stream's cliff (256 bits) — everything `execute`, `cancel` and `veto` decide
    /// on. Slot 1: amount, claimed and stream duration (256 bits). The asset, line and
    /// packet live in the id.
    struct Record {
        address recipient;
        uint40 deadline;
        uint32 epoch;
        AllocationState state;
        uint16 cliffBps;
        uint112 amount;
        uint112 claimed;
        uint32 duration;
    }

    Clock private _clock;
    uint256 private _lineCount;
    mapping(uint256 lineId => LineRecord) private _lines;
    /// @dev Uncommitted balance outside the current bucket. Credited by deposits and by
    /// amounts returned after their epoch's bucket rolled over; debited when a budget is fixed.
    mapping(address asset => uint256) private _free;
    /// @dev Sum of the shares of the asset's active lines (at most 10,000).
    mapping(address asset => uint256) private _shareSum;
    mapping(address asset => Bucket) private _buckets;
    mapping(address asset => mapping(address recipient => Usage)) private _usage;
    mapping(uint256 allocationId => Record) private _allocations;

    // ------------------------------------------------------------------
    // Modifiers
    // ------------------------------------------------------------------

    /// @dev One guard for every state-changing entry point: a token or a recipient
    /// called during a transfer cannot enter the treasury again.
    modifier nonReentrant() {
        if (_GUARD.asBoolean().tload()) revert OptimizationTreasuryReentrantCall();
        _GUARD.asBoolean().tstore(true);
        _;
        _GUARD.asBoolean().tstore(false);
    }

    // ------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------

    /// @param constitution_ The LegitimacyConstitution this treasury answers to. Epoch 1
    /// starts at deployment.
    constructor(address constitution_) {
        if (constitution_.code.length == 0) revert OptimizationTreasuryInvalidConstitution(constitution_);
        constitution = constitution_;
        _stewardRole = ILegitimacyConstitution(constitution_).STEWARD_ROLE();
        uint256 length = ILegitimacyConstitution(constitution_).param(ParamKeys.TREASURY_EPOCH_LENGTH);
        _clock =
            Clock({start: SafeCast.toUint40(block.timestamp), index: 1, length: SafeCast.toUint32(length)});
    }

    // ------------------------------------------------------------------
    // External state-changing: funds in
    // ------------------------------------------------------------------

    /// @inheritdoc IOptimizationTreasury
    function deposit(address asset, uint256 amount) external payable nonReentrant {
        if (amount == 0) revert OptimizationTreasuryZeroAmount();
        uint256 received;
        if (asset == ETH) {
            if (msg.value != amount) revert OptimizationTreasuryValueMismatch(msg.value, amount);
            received = amount;
        } else {
            if (msg.value != 0) revert OptimizationTreasuryValueMismatch(msg.value, 0);
            if (asset.code.length == 0) revert OptimizationTreasuryInvalidAsset(asset);
            IERC20 token = IERC20(asset);
            uint256 before = token.balanceOf(address(this));
            token.safeTransferFrom(msg.sender, address(this), amount);
            uint256 afterwards = token.balanceOf(address(this));
            // A token whose balance shrinks on receipt credits nothing.
            received = afterwards > before ? afterwards - before : 0;
        }
        _credit(asset, amount, received);
    }

    /// @notice A plain ETH transfer is `deposit(address(0), msg.value)` by its sender.
    receive() external payable nonReentrant {
        if (msg.value == 0) revert OptimizationTreasuryZeroAmount();
        _credit(ETH, msg.value, msg.value);
    }

    // ------------------------------------------------------------------
    // External state-changing: lines
    // ------------------------------------------------------------------

    /// @inheritdoc IOptimizationTreasury
    function createLine(
        address asset,
        address steward,
        uint256 shareBps,
        bytes32 schemaId,
        uint256 bounty,
        uint256 cliffBps,
        uint256 strategyProposalId
    ) external nonReentrant returns (uint256 lineId) {
        _onlySteward();
        if (asset != ETH && asset.code.length == 0) revert OptimizationTreasuryInvalidAsset(asset);
        _checkTerms(steward, shareBps, schemaId, bounty, cliffBps);
        uint256 sum = _shareSum[asset] + shareBps;
        if (sum > _BPS) revert OptimizationTreasuryShareSumExceeded(asset, sum);
        _shareSum[asset] = sum;

        lineId = ++_lineCount;
        // Allocation ids keep a line id in 32 bits.
        // slither-disable-next-line unused-return (the value left out is not needed)
        SafeCast.toUint32(lineId);
        LineRecord storage l = _lines[lineId];
        // forge-lint: disable-start(unsafe-typecast) _checkTerms bounds share and cliff by 10_000, bounty by 2^112 - 1
        l.steward = steward;
        l.shareBps = uint16(shareBps);
        l.status = LineStatus.Active;
        l.cliffBps = uint16(cliffBps);
        l.filtered = schemaId != bytes32(0);
        l.asset = asset;
        l.bounty = uint112(bounty);
        // forge-lint: disable-end(unsafe-typecast)
        l.epoch = _advanceEpoch(_param(ParamKeys.TREASURY_EPOCH_LENGTH));
        if (schemaId != bytes32(0)) l.schemaId = schemaId;
        if (strategyProposalId != 0) l.strategyProposalId = strategyProposalId;
        emit LineCreated(
            lineId, asset, steward, msg.sender, shareBps, schemaId, bounty, cliffBps, strategyProposalId
        );

        if (strategyProposalId != 0) {
            address strategy =
                ILegitimacyConstitution(constitution).module(ILegitimacyConstitution.Module.Strategy);
            if (strategy == address(0)) revert OptimizationTreasuryStrategyModuleUnset(strategyProposalId);
            IStrategyProposals(strategy).markAdopted(strategyProposalId);
        }
    }

    /// @inheritdoc IOptimizationTreasury
    function updateLine(uint256 lineId, address steward, uint256 shareBps, uint256 bounty, uint256 cliffBps)
        external
        nonReentrant
    {
        _onlySteward();
        LineRecord storage l = _activeLine(lineId);
        _checkTerms(steward, shareBps, l.schemaId, bounty, cliffBps);
        address asset = l.asset;
        uint256 sum = _shareSum[asset] - l.shareBps + shareBps;
        if (sum > _BPS) revert OptimizationTreasuryShareSumExceeded(asset, sum);
        _shareSum[asset] = sum;
        // Logged from storage before the write (no call in between), old and new side by side.
        emit LineUpdated(
            lineId, l.steward, steward, l.shareBps, shareBps, l.bounty, bounty, l.cliffBps, cliffBps
        );
        l.steward = steward;
        // forge-lint: disable-start(unsafe-typecast) _checkTerms bounds share and cliff by 10_000, bounty by 2^112 - 1
        l.shareBps = uint16(shareBps);
        l.cliffBps = uint16(cliffBps);
        l.bounty = uint112(bounty);
        // forge-lint: disable-end(unsafe-typecast)
    }

    /// @inheritdoc IOptimizationTreasury
    function closeLine(uint256 lineId) external nonReentrant {
        _onlySteward();
        LineRecord storage l = _activeLine(lineId);
        _shareSum[l.asset] -= l.shareBps;
        l.status = LineStatus.Closed;
        emit LineClosed(lineId, msg.sender);
    }

    // ------------------------------------------------------------------
    // External state-changing: allocations
    // ------------------------------------------------------------------

    /// @inheritdoc IOptimizationTreasury
    function allocate(uint256 lineId, uint256 packetId, uint256 amount, uint256 streamDuration)
        external
        nonReentrant
        returns (uint256 allocationId)
    {
        LineRecord storage l = _lines[lineId];
        LineStatus status = l.status;
        if (status == LineStatus.None) revert OptimizationTreasuryUnknownLine(lineId);
        if (msg.sender != l.steward) revert OptimizationTreasuryNotLineSteward(lineId, msg.sender);
        if (status != LineStatus.Active) revert OptimizationTreasuryLineClosed(lineId);
        if (!_isSteward(msg.sender)) revert OptimizationTreasuryNotSteward(msg.sender);
        if (streamDuration > MAX_STREAM_DURATION) {
            revert OptimizationTreasuryStreamTooLong(streamDuration, MAX_STREAM_DURATION);
        }
        return _fund(l, lineId, packetId, amount, streamDuration, false);
    }

    /// @inheritdoc IOptimizationTreasury
    function claimBounty(uint256 lineId, uint256 packetId)
        external
        nonReentrant
        returns (uint256 allocationId)
    {
        LineRecord storage l = _activeLine(lineId);
        uint256 bounty = l.bounty;
        if (bounty == 0) revert OptimizationTreasuryNoBounty(lineId);
        return _fund(l, lineId, packetId, bounty, 0, true);
    }

    /// @inheritdoc IOptimizationTreasury
    function cancel(uint256 allocationId) external nonReentrant {
        Record storage r = _record(allocationId);
        uint256 lineId = _lineOf(allocationId);
        if (msg.sender != _lines[lineId].steward) {
            revert OptimizationTreasuryNotLineSteward(lineId, msg.sender);
        }
        _stop(r, allocationId, AllocationState.Cancelled);
        emit AllocationCancelled(allocationId);
    }

    /// @inheritdoc IOptimizationTreasury
    function veto(uint256 allocationId) external nonReentrant {
        if (msg.sender != constitution) revert OptimizationTreasuryNotConstitution(msg.sender);
        Record storage r = _record(allocationId);
        _stop(r, allocationId, AllocationState.Vetoed);
        emit AllocationVetoed(allocationId);
    }

    /// @inheritdoc IOptimizationTreasury
    function execute(uint256 allocationId) external nonReentrant {
        Record storage r = _record(allocationId);
        AllocationState state = r.state;
        if (state != AllocationState.Pending) {
            revert OptimizationTreasuryWrongState(allocationId, state, AllocationState.Pending);
        }
        uint256 deadline = r.deadline;
        if (block.timestamp < deadline) {
            revert OptimizationTreasuryVetoWindowOpen(allocationId, deadline, block.timestamp);
        }
        address recipient = r.recipient;
        if (r.duration != 0) {
            state = AllocationState.Claimable;
            r.state = state;
        } else {
            // Effects first: the record says Paid before the push; a refused push turns
            // it into a claim instead of reverting, so nobody can block the queue.
            r.state = AllocationState.Paid;
            if (_push(_assetOf(allocationId), recipient, r.amount)) {
                state = AllocationState.Paid;
            } else {
                state = AllocationState.Claimable;
                r.state = state;
            }
        }
        emit AllocationExecuted(allocationId, recipient, state);
    }

    /// @inheritdoc IOptimizationTreasury
    function claim(uint256 allocationId) external nonReentrant returns (uint256 amount) {
        Record storage r = _allocations[allocationId];
        AllocationState state = r.state;
        address recipient = r.recipient;
        if (state == AllocationState.None) revert OptimizationTreasuryUnknownAllocation(allocationId);
        if (msg.sender != recipient) revert OptimizationTreasuryNotRecipient(allocationId, msg.sender);
        if (state != AllocationState.Claimable) {
            revert OptimizationTreasuryWrongState(allocationId, state, AllocationState.Claimable);
        }
        uint256 claimed = r.claimed;
        uint256 vested = _vested(r.amount, r.deadline, r.duration, r.cliffBps);
        if (vested <= claimed) revert OptimizationTreasuryNothingToClaim(allocationId, vested, claimed);
        unchecked {
            amount = vested - claimed;
        }
        // forge-lint: disable-next-line(unsafe-typecast) vested <= amount < 2^112
        r.claimed = uint112(vested);
        _pay(_assetOf(allocationId), recipient, amount);
        emit Claimed(allocationId, amount);
    }

    /// @inheritdoc IOptimizationTreasury
    function migrate(address asset) external nonReentrant {
        address successor =
            ILegitimacyConstitution(constitution).module(ILegitimacyConstitution.Module.Optimization);
        if (successor == address(0) || successor == address(this)) {
            revert OptimizationTreasuryNotReplaced(successor);
        }
        Bucket storage b = _buckets[asset];
        uint256 spent = b.spent;
        uint256 amount = _free[asset] + (b.budget - spent);
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (amount == 0) revert OptimizationTreasuryNothingToMigrate(asset);
        _free[asset] = 0;
        // forge-lint: disable-next-line(unsafe-typecast) spent <= budget < 2^112
        b.budget = uint112(spent);
        emit Migrated(asset, successor, amount);
        if (asset == ETH) {
            IOptimizationTreasury(successor).deposit{value: amount}(ETH, amount);
        } else {
            IERC20(asset).forceApprove(successor, amount);
            IOptimizationTreasury(successor).deposit(asset, amount);
            IERC20(asset).forceApprove(successor, 0);
        }
    }

    // ------------------------------------------------------------------
    // External views
    // ------------------------------------------------------------------

    /// @inheritdoc IOptimizationTreasury
    function epoch() external view returns (uint256 index, uint256 start, uint256 end) {
        uint256 length = _param(ParamKeys.TREASURY_EPOCH_LENGTH);
        (index, start,) = _epochAt(_clock, length);
        end = start + length;
    }

    /// @inheritdoc IOptimizationTreasury
    function assetEpoch(address asset) external view returns (AssetEpoch memory out) {
        (uint256 e,,) = _epochAt(_clock, _param(ParamKeys.TREASURY_EPOCH_LENGTH));
        Bucket memory b = _buckets[asset];
        out.epoch = e;
        out.free = _free[asset];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (b.epoch == e) {
            out.budget = b.budget;
            out.spent = b.spent;
        } else {
            uint256 free = out.free + (b.budget - b.spent);
            out.budget = _budgetOf(free);
            out.free = free - out.budget;
        }
        out.remainder = out.budget - out.spent;
        out.shareBps = _shareSum[asset];
    }

    /// @inheritdoc IOptimizationTreasury
    function lineEpoch(uint256 lineId) external view returns (CapUse memory out) {
        LineRecord storage l = _lines[lineId];
        if (l.status == LineStatus.None) revert OptimizationTreasuryUnknownLine(lineId);
        uint256 budget;
        (out.epoch, budget) = _currentBudget(l.asset);
        out.cap = budget * l.shareBps / _BPS;
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        out.used = l.epoch == out.epoch ? l.spent : 0;
        out.remainder = out.cap > out.used ? out.cap - out.used : 0;
    }

    /// @inheritdoc IOptimizationTreasury
    function recipientEpoch(address asset, address recipient) external view returns (CapUse memory out) {
        uint256 budget;
        (out.epoch, budget) = _currentBudget(asset);
        out.cap = budget * _param(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS) / _BPS;
        Usage memory u = _usage[asset][recipient];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        out.used = u.epoch == out.epoch ? u.used : 0;
        out.remainder = out.cap > out.used ? out.cap - out.used : 0;
    }

    /// @inheritdoc IOptimizationTreasury
    function line(uint256 lineId) external view returns (Line memory out) {
        LineRecord storage l = _lines[lineId];
        if (l.status == LineStatus.None) revert OptimizationTreasuryUnknownLine(lineId);
        out.asset = l.asset;
        out.steward = l.steward;
        out.shareBps = l.shareBps;
        out.status = l.status;
        out.schemaId = l.schemaId;
        out.bounty = l.bounty;
        out.cliffBps = l.cliffBps;
        out.strategyProposalId = l.strategyProposalId;
    }

    /// @inheritdoc IOptimizationTreasury
    function lineCount() external view returns (uint256) {
        return _lineCount;
    }

    /// @inheritdoc IOptimizationTreasury
    function allocationIdOf(uint256 lineId, uint256 packetId) external view returns (uint256) {
        LineRecord storage l = _lines[lineId];
        if (l.status == LineStatus.None) revert OptimizationTreasuryUnknownLine(lineId);
        return _idOf(l.asset, lineId, packetId);
    }

    /// @inheritdoc IOptimizationTreasury
    function allocation(uint256 allocationId) external view returns (Allocation memory out) {
        Record memory r = _allocations[allocationId];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (r.state == AllocationState.None) revert OptimizationTreasuryUnknownAllocation(allocationId);
        out.asset = _assetOf(allocationId);
        out.lineId = _lineOf(allocationId);
        // forge-lint: disable-next-line(unsafe-typecast) the low 64 bits are the packet id
        out.packetId = uint64(allocationId);
        out.recipient = r.recipient;
        out.amount = r.amount;
        out.state = r.state;
        out.epoch = r.epoch;
        out.deadline = r.deadline;
        out.streamDuration = r.duration;
        out.cliff = uint256(r.duration) * r.cliffBps / _BPS;
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (r.state == AllocationState.Paid) {
            out.vested = r.amount;
            out.claimed = r.amount;
            // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        } else if (r.state == AllocationState.Claimable) {
            out.vested = _vested(r.amount, r.deadline, r.duration, r.cliffBps);
            out.claimed = r.claimed;
        }
    }

    /// @inheritdoc IOptimizationTreasury
    function claimable(uint256 allocationId) external view returns (uint256) {
        Record memory r = _allocations[allocationId];
        if (r.state != AllocationState.Claimable) return 0;
        return _vested(r.amount, r.deadline, r.duration, r.cliffBps) - r.claimed;
    }

    // ------------------------------------------------------------------
    // Internal: funding
    // ------------------------------------------------------------------

    /// @dev The path `allocate` and `claimBounty` share: packet and recognition checks,
    /// the one-per-packet rule, the three caps, then the record.
    function _fund(
        LineRecord storage l,
        uint256 lineId,
        uint256 packetId,
        uint256 amount,
        uint256 duration,
        bool bounty
    ) internal returns (uint256 allocationId) {
        if (amount == 0) revert OptimizationTreasuryZeroAmount();
        if (packetId > type(uint64).max) revert OptimizationTreasuryPacketIdTooLarge(packetId);
        address recipient = _checkPacket(l, lineId, packetId);

        allocationId = _idOf(l.asset, lineId, packetId);
        AllocationState prior = _allocations[allocationId].state;
        // The steward may allocate again after cancelling its own decision; a veto, a
        // bounty claim after a cancel, or anything still live is final.
        if (prior != AllocationState.None && (bounty || prior != AllocationState.Cancelled)) {
            revert OptimizationTreasuryAlreadyAllocated(lineId, packetId, allocationId, prior);
        }

        (uint32 e, uint256 vetoWindow) = _reserve(l, lineId, recipient, amount);
        uint256 deadline = block.timestamp + vetoWindow;
        // forge-lint: disable-start(unsafe-typecast) deadline < 2^40 (window <= 10 years),
        // amount < 2^112 (checked by _reserve), duration <= MAX_STREAM_DURATION < 2^32
        _allocations[allocationId] = Record({
            recipient: recipient,
            deadline: uint40(deadline),
            epoch: e,
            state: AllocationState.Pending,
            cliffBps: duration == 0 ? 0 : l.cliffBps,
            amount: uint112(amount),
            claimed: 0,
            duration: uint32(duration)
        });
        // forge-lint: disable-end(unsafe-typecast)
        emit AllocationCreated(allocationId, lineId, recipient, packetId, amount, deadline, duration, bounty);
    }

    /// @dev Checks that this treasury is the directory's, that packet `packetId` is
    /// Accepted, of the line's schema if it has a filter, and of a recognized schema;
    /// returns its contributor.
    function _checkPacket(LineRecord storage l, uint256 lineId, uint256 packetId)
        internal
        view
        returns (address recipient)
    {
        ILegitimacyConstitution c = ILegitimacyConstitution(constitution);
        address entry = c.module(ILegitimacyConstitution.Module.Optimization);
        if (entry != address(this)) revert OptimizationTreasuryNotInDirectory(entry);
        bytes32 schemaId;
        (recipient, schemaId) = _acceptedPacket(c, packetId);
        if (l.filtered) {
            bytes32 required = l.schemaId;
            if (schemaId != required) {
                revert OptimizationTreasurySchemaMismatch(lineId, packetId, schemaId, required);
            }
        }
        if (c.recognition(schemaId) == 0) revert OptimizationTreasurySchemaNotRecognized(packetId, schemaId);
    }

    /// @dev Counts `amount` against the line's remainder, the asset's epoch budget and
    /// the recipient's cap in the current epoch (fixing the budget if needed); returns
    /// the epoch.
    function _reserve(LineRecord storage l, uint256 lineId, address recipient, uint256 amount)
        internal
        returns (uint32 e, uint256 vetoWindow)
    {
        // The three parameters an allocation needs, in one call (views: reading them
        // before the caps changes no outcome).
        uint256 epochLength;
        uint256 recipientShareBps;
        (epochLength, recipientShareBps, vetoWindow) = ILegitimacyConstitution(constitution)
            .param3(
                ParamKeys.TREASURY_EPOCH_LENGTH,
                ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS,
                ParamKeys.TREASURY_VETO_WINDOW
            );
        address asset = l.asset;
        e = _advanceEpoch(epochLength);
        Bucket memory b = _bucket(asset, e);
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        uint256 lineSpent = l.epoch == e ? l.spent : 0;
        uint256 lineCap = uint256(b.budget) * l.shareBps / _BPS;
        uint256 remainder = lineCap > lineSpent ? lineCap - lineSpent : 0;
        if (amount > remainder) revert OptimizationTreasuryLineRemainderExceeded(lineId, amount, remainder);
        remainder = b.budget - b.spent;
        if (amount > remainder) revert OptimizationTreasuryEpochBudgetExceeded(asset, amount, remainder);
        _useRecipientCap(asset, recipient, e, uint256(b.budget) * recipientShareBps / _BPS, amount);
        // amount <= budget - spent <= budget < 2^112, so every sum below fits.
        // forge-lint: disable-start(unsafe-typecast)
        l.spent = uint112(lineSpent + amount);
        l.epoch = e;
        _buckets[asset].spent = uint112(b.spent + amount);
        // forge-lint: disable-end(unsafe-typecast)
    }

    /// @dev Counts `amount` against `recipient`'s cap `cap` in `asset` in epoch `e`, or
    /// reverts with the remainder.
    function _useRecipientCap(address asset, address recipient, uint32 e, uint256 cap, uint256 amount)
        internal
    {
        Usage memory u = _usage[asset][recipient];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        uint256 used = u.epoch == e ? u.used : 0;
        uint256 remainder = cap > used ? cap - used : 0;
        if (amount > remainder) {
            revert OptimizationTreasuryRecipientCapExceeded(recipient, asset, amount, remainder);
        }
        // forge-lint: disable-next-line(unsafe-typecast) amount <= budget < 2^112 (the caller's checks)
        _usage[asset][recipient] = Usage({epoch: e, used: uint112(used + amount)});
    }

    /// @dev The contributor and schema of Accepted packet `packetId` in the directory's
    /// WorkRegistry (read at each call, so a replaced registry is followed at once).
    function _acceptedPacket(ILegitimacyConstitution c, uint256 packetId)
        internal
        view
        returns (address contributor, bytes32 schemaId)
    {
        address work = c.module(ILegitimacyConstitution.Module.Work);
        if (work == address(0)) revert OptimizationTreasuryWorkModuleUnset();
        IWorkRegistry.Status status;
        (contributor, schemaId, status) = IWorkRegistry(work).packetRef(packetId);
        if (status != IWorkRegistry.Status.Accepted) {
            revert OptimizationTreasuryPacketNotAccepted(packetId, status);
        }
    }

    /// @dev Cancel and veto: the allocation must be Pending and inside its window; its
    /// amount goes back to the counters of the epoch it was made in, where those still
    /// count that epoch, and otherwise to the free balance.
    function _stop(Record storage r, uint256 allocationId, AllocationState to) internal {
        AllocationState state = r.state;
        if (state != AllocationState.Pending) {
            revert OptimizationTreasuryWrongState(allocationId, state, AllocationState.Pending);
        }
        uint256 deadline = r.deadline;
        if (block.timestamp >= deadline) {
            revert OptimizationTreasuryVetoWindowClosed(allocationId, deadline, block.timestamp);
        }
        r.state = to;

        uint112 amount = r.amount;
        uint32 e = r.epoch;
        address asset = _assetOf(allocationId);
        LineRecord storage l = _lines[_lineOf(allocationId)];
        if (l.epoch == e) l.spent -= amount;
        Usage storage u = _usage[asset][r.recipient];
        if (u.epoch == e) u.used -= amount;
        Bucket storage b = _buckets[asset];
        if (b.epoch == e) b.spent -= amount;
        else _free[asset] += amount;
    }

    // ------------------------------------------------------------------
    // Internal: books and epochs
    // ------------------------------------------------------------------

    /// @dev Credit a deposit, then fix the asset's budget for this epoch if this is the
    /// first action on it in the epoch.
    function _credit(address asset, uint256 amount, uint256 received) internal {
        _free[asset] += received;
        emit Deposited(asset, msg.sender, amount, received);
        _bucket(asset, _advanceEpoch(_param(ParamKeys.TREASURY_EPOCH_LENGTH)));
    }

    /// @dev The asset's bucket for epoch `e`, fixing it first if it belongs to an earlier
    /// epoch: what that epoch left unspent returns to the free balance, and the new
    /// budget is `treasury.maxEpochSpendBps` of the result.
    function _bucket(address asset, uint32 e) internal returns (Bucket memory b) {
        b = _buckets[asset];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (b.epoch == e) return b;
        uint256 free = _free[asset] + (b.budget - b.spent);
        uint256 budget = _budgetOf(free);
        _free[asset] = free - budget;
        // forge-lint: disable-next-line(unsafe-typecast) _budgetOf caps at 2^112 - 1
        b = Bucket({epoch: e, budget: uint112(budget), spent: 0});
        _buckets[asset] = b;
        emit EpochBudgetFixed(asset, e, budget, free);
    }

    /// @dev `treasury.maxEpochSpendBps` of `free`, capped at {MAX_AMOUNT}.
    function _budgetOf(uint256 free) internal view returns (uint256 budget) {
        budget = free * _param(ParamKeys.TREASURY_MAX_EPOCH_SPEND_BPS) / _BPS;
        if (budget > MAX_AMOUNT) budget = MAX_AMOUNT;
    }

    /// @dev The current epoch; re-anchors the clock if `treasury.epochLength` (`length`,
    /// read by the caller) changed.
    function _advanceEpoch(uint256 length) internal returns (uint32) {
        Clock memory c = _clock;
        (uint256 index,, Clock memory anchor) = _epochAt(c, length);
        if (anchor.length != c.length) {
            _clock = anchor;
            emit EpochLengthApplied(anchor.index, anchor.start, c.length, length);
        }
        return SafeCast.toUint32(index);
    }

    /// @dev Epoch number and start at `block.timestamp` for clock `c` and current length
    /// `length`, and the clock anchored for that length. A changed length applies from
    /// the start of the epoch in progress under the old one, so numbers never decrease.
    function _epochAt(Clock memory c, uint256 length)
        internal
        view
        returns (uint256 index, uint256 start, Clock memory anchor)
    {
        start = c.start;
        index = c.index;
        anchor = c;
        if (length != c.length) {
            // slither-disable-next-line divide-before-multiply (floors to whole epochs on purpose)
            uint256 k = (block.timestamp - start) / c.length;
            start += k * c.length;
            index += k;
            // forge-lint: disable-start(unsafe-typecast) start <= now < 2^40; length <= 10 years < 2^32
            anchor = Clock({start: uint40(start), index: SafeCast.toUint32(index), length: uint32(length)});
            // forge-lint: disable-end(unsafe-typecast)
        }
        // slither-disable-next-line divide-before-multiply (floors to whole epochs on purpose)
        uint256 elapsed = (block.timestamp - start) / length;
        index += elapsed;
        start += elapsed * length;
    }

    /// @dev The current epoch and the asset's budget in it (prospective if not fixed yet).
    function _currentBudget(address asset) internal view returns (uint256 e, uint256 budget) {
        (e,,) = _epochAt(_clock, _param(ParamKeys.TREASURY_EPOCH_LENGTH));
        Bucket memory b = _buckets[asset];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        budget = b.epoch == e ? b.budget : _budgetOf(_free[asset] + (b.budget - b.spent));
    }

    /// @dev What a stream (or a zero-duration claim) has vested at `block.timestamp`.
    function _vested(uint256 amount, uint256 start, uint256 duration, uint256 cliffBps)
        internal
        view
        returns (uint256)
    {
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (duration == 0) return amount;
        if (block.timestamp <= start) return 0;
        // Bounds: start < now; duration < 2^32, cliffBps <= 10_000, amount < 2^112.
        unchecked {
            uint256 elapsed = block.timestamp - start;
            if (elapsed >= duration) return amount;
            if (elapsed < duration * cliffBps / _BPS) return 0;
            return amount * elapsed / duration;
        }
    }

    // ------------------------------------------------------------------
    // Internal: payments
    // ------------------------------------------------------------------

    /// @dev Push `amount` in `execute`; false if the recipient or the token refused. ETH
    /// gets {ETH_PUSH_GAS}; a token gets what is left. Either way, a failure that the
    /// caller's gas limit could have caused reverts instead of turning into a claim.
    function _push(address asset, address to, uint256 amount) internal returns (bool ok) {
        if (asset == ETH) {
            uint256 needed = ETH_PUSH_GAS * 64 / 63 + _PUSH_OVERHEAD;
            if (gasleft() < needed) revert OptimizationTreasuryInsufficientGas(gasleft(), needed);
            // slither-disable-next-line arbitrary-send-eth
            (ok,) = to.call{value: amount, gas: ETH_PUSH_GAS}("");
        } else {
            uint256 before = gasleft();
            ok = IERC20(asset).trySafeTransfer(to, amount);
            if (!ok && gasleft() <= before / 63) {
                revert OptimizationTreasuryInsufficientGas(gasleft(), before);
            }
        }
    }

    /// @dev Pay `amount` in `claim`; reverts if the transfer fails (the recipient asked).
    function _pay(address asset, address to, uint256 amount) internal {
        bool ok;
        if (asset == ETH) (ok,) = to.call{value: amount}("");
        else ok = IERC20(asset).trySafeTransfer(to, amount);
        if (!ok) revert OptimizationTreasuryTransferFailed(asset, to, amount);
    }

    // ------------------------------------------------------------------
    // Internal: callers, lines, ids, parameters
    // ------------------------------------------------------------------

    function _onlySteward() internal view {
        if (!_isSteward(msg.sender)) revert OptimizationTreasuryNotSteward(msg.sender);
    }

    function _isSteward(address account) internal view returns (bool) {
        return ILegitimacyConstitution(constitution).hasRole(_stewardRole, account);
    }

    /// @dev The rules every line's terms keep, at creation and at each update.
    function _checkTerms(
        address steward,
        uint256 shareBps,
        bytes32 schemaId,
        uint256 bounty,
        uint256 cliffBps
    ) internal view {
        if (steward == address(0) || !_isSteward(steward)) {
            revert OptimizationTreasuryInvalidSteward(steward);
        }
        if (shareBps == 0 || shareBps > _BPS) revert OptimizationTreasuryInvalidShare(shareBps);
        if (cliffBps > _BPS) revert OptimizationTreasuryInvalidCliff(cliffBps);
        if (bounty > MAX_AMOUNT) revert OptimizationTreasuryAmountTooLarge(bounty, MAX_AMOUNT);
        if (bounty != 0 && schemaId == bytes32(0)) revert OptimizationTreasuryBountyWithoutSchema(bounty);
    }

    function _activeLine(uint256 lineId) internal view returns (LineRecord storage l) {
        l = _lines[lineId];
        LineStatus status = l.status;
        if (status == LineStatus.None) revert OptimizationTreasuryUnknownLine(lineId);
        if (status != LineStatus.Active) revert OptimizationTreasuryLineClosed(lineId);
    }

    function _record(uint256 allocationId) internal view returns (Record storage r) {
        r = _allocations[allocationId];
        if (r.state == AllocationState.None) revert OptimizationTreasuryUnknownAllocation(allocationId);
    }

    /// @dev `uint160(asset) << 96 | lineId << 64 | packetId` (line ids stay below 2^32,
    /// packet ids are checked below 2^64).
    function _idOf(address asset, uint256 lineId, uint256 packetId) internal pure returns (uint256) {
        return (uint256(uint160(asset)) << 96) | (lineId << 64) | packetId;
    }

    function _assetOf(uint256 allocationId) internal pure returns (address) {
        // forge-lint: disable-next-line(unsafe-typecast) the top 160 bits are the asset
        return address(uint160(allocationId >> 96));
    }

    function _lineOf(uint256 allocationId) internal pure returns (uint256) {
        // forge-lint: disable-next-line(unsafe-typecast) bits 64-95 are the line id
        return uint32(allocationId >> 64);
    }

    function _param(bytes32 key) internal view returns (uint256) {
        return ILegitimacyConstitution(constitution).param(key);
    }
}
