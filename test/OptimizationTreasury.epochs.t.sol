// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {ViableToken} from "../contracts/ViableToken.sol";
import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {Fixture} from "./utils/Fixture.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Epochs: budgets fixed lazily per asset, counters that reset with the epoch,
/// amounts returned across a rollover, parameters amended mid-epoch, and an epoch clock
/// that an amended length can never move backwards.
contract OptimizationTreasuryEpochsTest is TreasuryBase {
    uint256 internal ethLine;

    function setUp() public override {
        super.setUp();
        ethLine = _line(ETH, 5000);
    }

    function _index() internal view returns (uint256 index) {
        (index,,) = treasury.epoch();
    }

    /// @dev Sets `treasury.epochLength` by amendment, then moves to the start of an epoch
    /// under it and fixes the ETH budget there.
    function _epochLength(uint256 length) internal {
        _enact(_one(_setParam(ParamKeys.TREASURY_EPOCH_LENGTH, length)));
        _nextEpoch();
        vm.deal(bob, 1);
        vm.prank(bob);
        treasury.deposit{value: 1}(ETH, 1);
    }

    function test_epoch_numberedFromOneAtDeployment() public {
        _deployConstitution();
        OptimizationTreasury fresh = new OptimizationTreasury(address(constitution));
        (uint256 index, uint256 start, uint256 end) = fresh.epoch();
        vm.assertEq(index, 1);
        vm.assertEq(start, block.timestamp);
        vm.assertEq(end, block.timestamp + EPOCH);
        vm.warp(block.timestamp + EPOCH * 3 + 7);
        (index, start, end) = fresh.epoch();
        vm.assertEq(index, 4);
        vm.assertEq(end - start, EPOCH);
        vm.assertLe(start, block.timestamp);
        vm.assertGt(end, block.timestamp);
    }

    function test_rollover_budgetFromFreePlusUnspent() public {
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 20 ether);
        uint256 e = _index();
        _nextEpoch();
        // Not fixed yet: the views show what the first action would fix.
        IOptimizationTreasury.AssetEpoch memory view_ = treasury.assetEpoch(ETH);
        vm.assertEq(view_.epoch, e + 1);
        vm.assertEq(view_.budget, 98 ether, "10% of 1000 - 20 committed");
        vm.assertEq(view_.spent, 0);
        vm.assertEq(treasury.lineEpoch(ethLine).used, 0, "line spending resets");
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).used, 0, "recipient use resets");
        // The caps the views show come from that same prospective budget.
        uint256 lineShare = treasury.line(ethLine).shareBps;
        vm.assertEq(treasury.lineEpoch(ethLine).cap, 98 ether * lineShare / 10_000, "line cap");
        uint256 recipientBps = constitution.param(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS);
        vm.assertEq(
            treasury.recipientEpoch(ETH, contributor).cap, 98 ether * recipientBps / 10_000, "recipient cap"
        );

        uint256 packetId = _accepted(contributor2, taskId);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.EpochBudgetFixed(ETH, e + 1, 98 ether, 980 ether);
        _allocate(ethLine, packetId, 1 ether);
        IOptimizationTreasury.AssetEpoch memory fixed_ = treasury.assetEpoch(ETH);
        vm.assertEq(fixed_.budget, 98 ether);
        vm.assertEq(fixed_.free, 882 ether);
        _toDeadline(id);
        _execute(id);
        _assertBooks(ETH);
    }

    /// @notice An allocation made at the end of an epoch and cancelled in the next returns
    /// its amount to the free balance, not to the new epoch's budget or caps.
    function test_cancelAcrossTheRollover_returnsToFree() public {
        (,, uint256 end) = treasury.epoch();
        vm.warp(end - 10);
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 25 ether);
        vm.warp(end);
        _allocate(ethLine, _accepted(contributor2, taskId), 1 ether); // fixes the new epoch
        IOptimizationTreasury.AssetEpoch memory before = treasury.assetEpoch(ETH);
        vm.prank(steward);
        treasury.cancel(id);
        IOptimizationTreasury.AssetEpoch memory afterwards = treasury.assetEpoch(ETH);
        vm.assertEq(afterwards.free, before.free + 25 ether);
        vm.assertEq(afterwards.spent, before.spent, "the new epoch's budget is untouched");
        vm.assertEq(treasury.lineEpoch(ethLine).used, 1 ether);
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).used, 0);
        _assertBooks(ETH);
    }

    /// @notice If nothing happened in the new epoch yet, the old epoch's bucket is still
    /// live: the amount goes back to it and returns to free when the next budget is fixed.
    function test_cancelAcrossTheRollover_beforeAnyAction() public {
        (,, uint256 end) = treasury.epoch();
        vm.warp(end - 10);
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 25 ether);
        vm.warp(end + 1);
        vm.prank(steward);
        treasury.cancel(id);
        _assertBooks(ETH);
        vm.assertEq(treasury.assetEpoch(ETH).budget, 100 ether, "nothing committed: 10% of 1000");
        _allocate(ethLine, _accepted(contributor2, taskId), 1 ether);
        vm.assertEq(treasury.assetEpoch(ETH).budget, 100 ether);
        _assertBooks(ETH);
    }

    function testFuzz_rollover_booksBalance(uint256 amount, uint256 offset, uint256 gap) public {
        amount = bound(amount, 1, 25 ether);
        (,, uint256 end) = treasury.epoch();
        offset = bound(offset, 1, EPOCH);
        vm.warp(end - offset);
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), amount);
        gap = bound(gap, 0, 5 * EPOCH);
        vm.warp(block.timestamp + gap);
        if (block.timestamp < treasury.allocation(id).deadline) {
            vm.prank(steward);
            treasury.cancel(id);
        } else {
            _execute(id);
        }
        _assertBooks(ETH);
        _allocate(ethLine, _accepted(contributor2, taskId), 1 ether);
        _assertBooks(ETH);
    }

    // ------------------------------------------------------------------
    // Parameters amended mid-epoch
    // ------------------------------------------------------------------

    /// @notice The epoch's budget is fixed; a new `treasury.maxEpochSpendBps` shapes the next.
    function test_spendBpsAmended_appliesFromTheNextEpoch() public {
        _epochLength(1 days);
        uint256 budget = _budget(ETH);
        _enact(_one(_setParam(ParamKeys.TREASURY_MAX_EPOCH_SPEND_BPS, 2000)));
        vm.assertEq(_budget(ETH), budget, "fixed for this epoch");
        _nextEpoch();
        _allocate(ethLine, _accepted(contributor, taskId), 1 ether);
        vm.assertEq(_budget(ETH), (ETH_FUNDS + 1) * 2000 / BPS);
    }

    /// @notice A new `treasury.maxRecipientShareBps` applies at once.
    function test_recipientBpsAmended_appliesAtOnce() public {
        _epochLength(1 days);
        uint256 budget = _budget(ETH);
        _allocate(ethLine, _accepted(contributor, taskId), 20 ether);
        _enact(_one(_setParam(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS, 1000)));
        IOptimizationTreasury.CapUse memory r = treasury.recipientEpoch(ETH, contributor);
        vm.assertEq(r.cap, budget / 10);
        vm.assertEq(r.remainder, 0, "already above the lowered cap");
        uint256 packetId = _accepted(contributor, grantId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryRecipientCapExceeded.selector,
                contributor,
                ETH,
                1,
                0
            )
        );
        treasury.allocate(ethLine, packetId, 1, 0);
    }

    /// @notice A new `treasury.vetoWindow` applies to allocations made afterwards.
    function test_vetoWindowAmended_keepsExistingDeadlines() public {
        _enact(_one(_setParam(ParamKeys.TREASURY_VETO_WINDOW, 7 days)));
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 1 ether);
        uint256 deadline = treasury.allocation(id).deadline;
        vm.assertEq(deadline, block.timestamp + 7 days);
        _enact(_one(_setParam(ParamKeys.TREASURY_VETO_WINDOW, 60)));
        vm.assertEq(treasury.allocation(id).deadline, deadline);
        uint256 id2 = _allocate(ethLine, _accepted(contributor2, taskId), 1 ether);
        vm.assertEq(treasury.allocation(id2).deadline, block.timestamp + 60);
    }

    // ------------------------------------------------------------------
    // Amended epoch length: the clock never goes back
    // ------------------------------------------------------------------

    function test_epochLengthAmended_shorter() public {
        uint256 before = _index();
        _enact(_one(_setParam(ParamKeys.TREASURY_EPOCH_LENGTH, 60)));
        (uint256 index, uint256 start, uint256 end) = treasury.epoch();
        vm.assertGe(index, before);
        vm.assertEq(end - start, 60);
        vm.expectEmit(false, false, false, false, address(treasury));
        emit IOptimizationTreasury.EpochLengthApplied(0, 0, EPOCH, 60);
        vm.deal(bob, 1);
        vm.prank(bob);
        treasury.deposit{value: 1}(ETH, 1);
        vm.assertEq(_index(), index, "the view and the write agree");
        vm.warp(block.timestamp + 60);
        vm.assertEq(_index(), index + 1);
    }

    /// @notice The new length counts from the start of the epoch in progress under the old
    /// one: the index and start after the change are exact, not just monotonic.
    function test_epochLengthAmended_countsFromTheEpochInProgress() public {
        (uint256 index0, uint256 start0,) = treasury.epoch();
        _enact(_one(_setParam(ParamKeys.TREASURY_EPOCH_LENGTH, 60)));
        uint256 now_ = block.timestamp;
        uint256 oldEpochs = (now_ - start0) / EPOCH;
        vm.assertGt(oldEpochs, 0, "the amendment outlasts an old epoch");
        uint256 anchor = start0 + oldEpochs * EPOCH; // the old epoch in progress began here
        uint256 newEpochs = (now_ - anchor) / 60;
        (uint256 index, uint256 start, uint256 end) = treasury.epoch();
        vm.assertEq(index, index0 + oldEpochs + newEpochs, "index");
        vm.assertEq(start, anchor + newEpochs * 60, "start");
        vm.assertEq(end, start + 60, "end");
    }

    function test_epochLengthAmended_longerKeepsTheEpochInProgress() public {
        _enact(_one(_setParam(ParamKeys.TREASURY_EPOCH_LENGTH, 1 days)));
        uint256 observed = _index();
        (, uint256 start,) = treasury.epoch();
        vm.deal(bob, 1);
        vm.prank(bob);
        treasury.deposit{value: 1}(ETH, 1);
        (uint256 index, uint256 start2, uint256 end) = treasury.epoch();
        vm.assertEq(index, observed);
        vm.assertEq(start2, start, "the epoch in progress keeps its start");
        vm.assertEq(end, start + 1 days);
    }

    /// @notice Whatever lengths an amendment sets and whenever the treasury acts, the
    /// epoch number it acts in never decreases. Lengths are stood in with a mocked
    /// `param` (the constitution's own amendment path is covered above).
    function testFuzz_epochLength_monotonic(uint256[6] memory lengths, uint256[6] memory gaps) public {
        uint256 last = _index();
        for (uint256 i; i < lengths.length; ++i) {
            uint256 length = bound(lengths[i], 60, 90 days);
            vm.mockCall(
                address(constitution),
                abi.encodeCall(ILegitimacyConstitution.param, (ParamKeys.TREASURY_EPOCH_LENGTH)),
                abi.encode(length)
            );
            vm.warp(block.timestamp + bound(gaps[i], 0, 30 days));
            vm.assertGe(_index(), last, "view");
            vm.deal(bob, 1);
            vm.prank(bob);
            treasury.deposit{value: 1}(ETH, 1);
            uint256 now_ = _index();
            vm.assertGe(now_, last, "write");
            (, uint256 start, uint256 end) = treasury.epoch();
            vm.assertLe(start, block.timestamp);
            vm.assertGt(end, block.timestamp);
            vm.assertEq(end - start, length);
            last = now_;
        }
        _assertBooks(ETH);
    }
}

/// @notice With `treasury.vetoWindow` at zero (a genesis may allow it) an allocation is
/// executable at once and nobody can cancel or veto it.
contract OptimizationTreasuryZeroWindowTest is Fixture {
    bytes32 internal taskId;
    address internal reviewer = makeAddr("reviewer");
    address internal contributor = makeAddr("contributor");

    function setUp() public {
        vm.warp(1_700_000_000);
        ILegitimacyConstitution.ParamInit[] memory genesis = Genesis.dev();
        genesis[9] = ILegitimacyConstitution.ParamInit({
            key: ParamKeys.TREASURY_VETO_WINDOW, value: 0, min: 0, max: 30 days
        });
        address[] memory holders = new address[](1);
        holders[0] = alice;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = HOLDING;
        vm.startPrank(deployer);
        token = new ViableToken("Viable Dev", "VIA", holders, amounts);
        constitution = new LegitimacyConstitution(genesis, IVotes(address(token)));
        work = new WorkRegistry(address(constitution));
        treasury = new OptimizationTreasury(address(constitution));
        (
            string memory name,
            IWorkRegistry.Field[] memory fields,
            IWorkRegistry.Acceptance memory acceptance
        ) = _schema();
        taskId = keccak256(abi.encode(name, fields, acceptance, address(0)));
        // A recognized schema must exist in the Work registry before bootstrap.
        vm.assertEq(work.registerSchema(name, fields, acceptance, address(0)), taskId);
        workRegistry = work;
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.modules[uint256(ILegitimacyConstitution.Module.Work)] = address(work);
        c.modules[uint256(ILegitimacyConstitution.Module.Optimization)] = address(treasury);
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](1);
        c.recognitions[0] = ILegitimacyConstitution.RecognitionInit({schemaId: taskId, weight: 1});
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: 100});
        constitution.bootstrap(c);
        vm.stopPrank();
        vm.deal(alice, 100 ether);
        vm.prank(alice);
        treasury.deposit{value: 100 ether}(address(0), 100 ether);
    }

    function _schema()
        internal
        view
        returns (string memory name, IWorkRegistry.Field[] memory fields, IWorkRegistry.Acceptance memory a)
    {
        name = "task";
        fields = new IWorkRegistry.Field[](1);
        fields[0] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Uint256, required: false, min: 0, max: 0, maxLen: 0
        });
        address[] memory attesters = new address[](1);
        attesters[0] = reviewer;
        a = IWorkRegistry.Acceptance({
            mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 1, attesters: attesters, window: 600
        });
    }

    function test_zeroWindow_executesAtOnceAndCannotBeStopped() public {
        vm.prank(contributor);
        uint256 packetId = work.submit(taskId, keccak256("w"), abi.encode(uint256(1)));
        vm.prank(reviewer);
        work.attest(packetId);
        vm.prank(steward);
        uint256 lineId = treasury.createLine(address(0), steward, 10_000, 0, 0, 0, 0);
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1 ether, 0);
        vm.assertEq(treasury.allocation(id).deadline, block.timestamp);

        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryVetoWindowClosed.selector,
                id,
                block.timestamp,
                block.timestamp
            )
        );
        treasury.cancel(id);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryVetoWindowClosed.selector,
                id,
                block.timestamp,
                block.timestamp
            )
        );
        constitution.vetoAllocation(id, "too late by design");

        vm.prank(stranger);
        treasury.execute(id);
        vm.assertEq(contributor.balance, 1 ether);
    }
}
