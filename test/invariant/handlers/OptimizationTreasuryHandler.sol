// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../../../contracts/LegitimacyConstitution.sol";
import {OptimizationTreasury} from "../../../contracts/OptimizationTreasury.sol";
import {WorkRegistry} from "../../../contracts/WorkRegistry.sol";
import {IOptimizationTreasury} from "../../../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../../../contracts/interfaces/IWorkRegistry.sol";
import {MockERC20} from "../../mocks/TreasuryTokens.sol";
import {Test} from "../../utils/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Drives the OptimizationTreasury for the invariant suite: deposits in three
/// assets (ETH, a plain token, a fee-on-transfer token), lines created, updated and
/// closed by two stewards, packets of recognized and unrecognized schemas, allocations
/// and bounty claims, cancels, guardian vetoes through the constitution, executes,
/// claims, and time passing over many epochs. It keeps ghost totals (what was executed,
/// what was paid, what each recipient, line and asset received per epoch) and counts
/// every breach of a rule at the moment it happens; the invariant suite asserts the
/// counts stay zero.
contract OptimizationTreasuryHandler is Test {
    uint256 internal constant BPS = 10_000;

    OptimizationTreasury public immutable treasury;
    LegitimacyConstitution public immutable constitution;
    WorkRegistry public immutable work;
    address internal immutable _guardian;
    address internal immutable _reviewer;

    address[] internal _assets;
    address[] internal _stewards;
    address[] internal _contributors;
    bytes32[] internal _schemas; // [0], [1] recognized; [2] not

    uint256[] internal _lines;
    uint256[] internal _packets;
    uint256[] public allocations;
    mapping(uint256 id => bool) internal _known;

    // Ghost totals.
    mapping(address asset => uint256) public executed;
    mapping(address asset => uint256) public paid;
    /// @notice What the model says the treasury owes per asset: pending amounts plus
    /// what executed claims have not paid yet.
    mapping(address asset => uint256) public owed;
    mapping(uint256 id => bool) public stopped;
    mapping(address asset => mapping(uint256 epoch => mapping(address recipient => uint256))) internal _used;
    mapping(uint256 lineId => mapping(uint256 epoch => uint256)) internal _lineSpent;
    mapping(address asset => mapping(uint256 epoch => uint256)) internal _assetSpent;
    uint256 internal _lastEpoch;

    // Breaches, counted when they happen.
    uint256 public recipientCapBreaches;
    uint256 public lineShareBreaches;
    uint256 public budgetBreaches;
    uint256 public earlyExecutions;
    uint256 public unacceptedFunded;
    uint256 public epochRegressions;
    uint256 public stoppedPaid;
    /// @notice Times the model would have gone below zero (a payment it did not expect).
    uint256 public modelUnderflows;

    mapping(bytes4 selector => uint256) public successes;

    constructor(
        OptimizationTreasury treasury_,
        LegitimacyConstitution constitution_,
        WorkRegistry work_,
        address[] memory assets_,
        address[] memory stewards_,
        address[] memory contributors_,
        bytes32[] memory schemas_,
        address guardian_,
        address reviewer_
    ) {
        treasury = treasury_;
        constitution = constitution_;
        work = work_;
        _assets = assets_;
        _stewards = stewards_;
        _contributors = contributors_;
        _schemas = schemas_;
        _guardian = guardian_;
        _reviewer = reviewer_;
        (_lastEpoch,,) = treasury_.epoch();
    }

    modifier tick() {
        _;
        (uint256 e,,) = treasury.epoch();
        if (e < _lastEpoch) ++epochRegressions;
        _lastEpoch = e;
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    function deposit(uint256 assetSeed, uint256 amount) external tick {
        address asset = _assets[assetSeed % _assets.length];
        amount = bound(amount, 1, 1000 ether);
        address from = _contributors[amount % _contributors.length];
        if (asset == address(0)) {
            vm.deal(from, amount);
            vm.prank(from);
            treasury.deposit{value: amount}(asset, amount);
        } else {
            MockERC20(asset).mint(from, amount);
            vm.startPrank(from);
            IERC20(asset).approve(address(treasury), amount);
            treasury.deposit(asset, amount);
            vm.stopPrank();
        }
        ++successes[this.deposit.selector];
    }

    function createLine(
        uint256 assetSeed,
        uint256 stewardSeed,
        uint256 share,
        uint256 filterSeed,
        uint256 bounty
    ) external tick {
        if (_lines.length >= 10) return;
        address asset = _assets[assetSeed % _assets.length];
        address steward = _stewards[stewardSeed % _stewards.length];
        share = bound(share, 1, 6000);
        bytes32 schemaId = filterSeed % 3 == 0 ? bytes32(0) : _schemas[filterSeed % _schemas.length];
        bounty = schemaId == bytes32(0) ? 0 : bound(bounty, 0, 5 ether);
        vm.prank(steward);
        try treasury.createLine(asset, steward, share, schemaId, bounty, filterSeed % 5000, 0) returns (
            uint256 lineId
        ) {
            _lines.push(lineId);
            ++successes[this.createLine.selector];
        } catch {}
    }

    function updateLine(uint256 lineSeed, uint256 stewardSeed, uint256 share, uint256 bounty) external tick {
        if (_lines.length == 0) return;
        uint256 lineId = _lines[lineSeed % _lines.length];
        IOptimizationTreasury.Line memory l = treasury.line(lineId);
        share = bound(share, 1, 6000);
        bounty = l.schemaId == bytes32(0) ? 0 : bound(bounty, 0, 5 ether);
        vm.prank(_stewards[stewardSeed % _stewards.length]);
        try treasury.updateLine(lineId, _stewards[share % _stewards.length], share, bounty, l.cliffBps) {
            ++successes[this.updateLine.selector];
        } catch {}
    }

    function closeLine(uint256 lineSeed) external tick {
        if (_lines.length == 0 || lineSeed % 4 != 0) return; // close rarely
        vm.prank(_stewards[0]);
        try treasury.closeLine(_lines[lineSeed % _lines.length]) {
            ++successes[this.closeLine.selector];
        } catch {}
    }

    /// @dev A packet by a contributor; accepted unless the seed says to leave it pending.
    function submitWork(uint256 contributorSeed, uint256 schemaSeed) external tick {
        address who = _contributors[contributorSeed % _contributors.length];
        bytes32 schemaId = _schemas[schemaSeed % _schemas.length];
        vm.prank(who);
        uint256 packetId = work.submit(schemaId, keccak256("work"), abi.encode(_packets.length));
        if (schemaSeed % 7 != 0) {
            vm.prank(_reviewer);
            work.attest(packetId);
        }
        _packets.push(packetId);
    }

    function allocate(uint256 lineSeed, uint256 packetSeed, uint256 amount, uint256 duration) external tick {
        if (_lines.length == 0 || _packets.length == 0) return;
        uint256 lineId = _lines[lineSeed % _lines.length];
        uint256 packetId = _packets[packetSeed % _packets.length];
        // Scaled to the asset's budget so every cap is sometimes the one that binds.
        uint256 budget = treasury.assetEpoch(treasury.line(lineId).asset).budget;
        amount = bound(amount, 1, budget / 3 + 1);
        duration = duration % 3 == 0 ? 0 : bound(duration, 1, 2000);
        vm.prank(treasury.line(lineId).steward);
        try treasury.allocate(lineId, packetId, amount, duration) returns (uint256 id) {
            _funded(id, lineId, packetId);
            ++successes[this.allocate.selector];
        } catch {}
    }

    function claimBounty(uint256 lineSeed, uint256 packetSeed) external tick {
        if (_lines.length == 0 || _packets.length == 0) return;
        uint256 lineId = _lines[lineSeed % _lines.length];
        uint256 packetId = _packets[packetSeed % _packets.length];
        try treasury.claimBounty(lineId, packetId) returns (uint256 id) {
            _funded(id, lineId, packetId);
            ++successes[this.claimBounty.selector];
        } catch {}
    }

    function cancel(uint256 seed) external tick {
        if (allocations.length == 0) return;
        uint256 id = allocations[seed % allocations.length];
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.prank(treasury.line(a.lineId).steward);
        try treasury.cancel(id) {
            _stopped(id, a);
            ++successes[this.cancel.selector];
        } catch {}
    }

    function veto(uint256 seed) external tick {
        if (allocations.length == 0) return;
        uint256 id = allocations[seed % allocations.length];
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.prank(_guardian);
        try constitution.vetoAllocation(id, "invariant") {
            _stopped(id, a);
            ++successes[this.veto.selector];
        } catch {}
    }

    function execute(uint256 seed) external tick {
        if (allocations.length == 0) return;
        uint256 id = allocations[seed % allocations.length];
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        try treasury.execute(id) {
            if (block.timestamp < a.deadline) ++earlyExecutions;
            if (stopped[id]) ++stoppedPaid;
            executed[a.asset] += a.amount;
            if (treasury.allocation(id).state == IOptimizationTreasury.AllocationState.Paid) {
                paid[a.asset] += a.amount;
                _debit(a.asset, a.amount);
            }
            ++successes[this.execute.selector];
        } catch {}
    }

    function claim(uint256 seed) external tick {
        if (allocations.length == 0) return;
        uint256 id = allocations[seed % allocations.length];
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.prank(a.recipient);
        try treasury.claim(id) returns (uint256 amount) {
            if (stopped[id]) ++stoppedPaid;
            paid[a.asset] += amount;
            _debit(a.asset, amount);
            ++successes[this.claim.selector];
        } catch {}
    }

    function warp(uint256 seconds_) external tick {
        vm.warp(block.timestamp + bound(seconds_, 1, 400));
    }

    // ------------------------------------------------------------------
    // Views for the invariant suite
    // ------------------------------------------------------------------

    function allocationCount() external view returns (uint256) {
        return allocations.length;
    }

    function assets() external view returns (address[] memory) {
        return _assets;
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    /// @dev A successful allocation or bounty claim: check, at this moment, that its packet
    /// is Accepted and recognized and that every cap holds, then book it in the ghosts.
    function _funded(uint256 id, uint256 lineId, uint256 packetId) internal {
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        IWorkRegistry.Packet memory p = work.packet(packetId);
        if (p.status != IWorkRegistry.Status.Accepted || constitution.recognition(p.schemaId) == 0) {
            ++unacceptedFunded;
        }
        uint256 budget = treasury.assetEpoch(a.asset).budget;
        _used[a.asset][a.epoch][a.recipient] += a.amount;
        _lineSpent[lineId][a.epoch] += a.amount;
        _assetSpent[a.asset][a.epoch] += a.amount;
        if (
            _used[a.asset][a.epoch][a.recipient]
                > budget * constitution.param("treasury.maxRecipientShareBps") / BPS
        ) {
            ++recipientCapBreaches;
        }
        if (_lineSpent[lineId][a.epoch] > budget * treasury.line(lineId).shareBps / BPS) ++lineShareBreaches;
        if (_assetSpent[a.asset][a.epoch] > budget) ++budgetBreaches;
        owed[a.asset] += a.amount;
        stopped[id] = false;
        if (!_known[id]) {
            _known[id] = true;
            allocations.push(id);
        }
    }

    function _stopped(uint256 id, IOptimizationTreasury.Allocation memory a) internal {
        stopped[id] = true;
        _debit(a.asset, a.amount);
        _used[a.asset][a.epoch][a.recipient] -= a.amount;
        _lineSpent[a.lineId][a.epoch] -= a.amount;
        _assetSpent[a.asset][a.epoch] -= a.amount;
    }

    /// @dev Lowers the model's debt without reverting: a revert here would roll back the
    /// treasury call that caused it and hide the bug.
    function _debit(address asset, uint256 amount) internal {
        if (owed[asset] < amount) {
            ++modelUnderflows;
            owed[asset] = 0;
        } else {
            owed[asset] -= amount;
        }
    }
}
