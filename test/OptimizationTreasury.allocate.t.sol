// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";

/// @notice `allocate` (the line's steward) and `claimBounty` (anyone): the packet must be
/// Accepted, of the line's schema and recognized; one allocation per packet per line;
/// the line's remainder, the asset's epoch budget and the recipient's cap all hold.
contract OptimizationTreasuryAllocateTest is TreasuryBase {
    uint256 internal lineId;
    uint256 internal budget;

    function setUp() public override {
        super.setUp();
        lineId = _line(ETH, 5000);
        budget = _budget(ETH); // 100 ether
    }

    // ------------------------------------------------------------------
    // allocate
    // ------------------------------------------------------------------

    function test_allocate_recordsPendingAllocation() public {
        uint256 packetId = _accepted(contributor, taskId);
        uint256 expected = _expectedId(ETH, lineId, packetId);
        vm.assertEq(treasury.allocationIdOf(lineId, packetId), expected);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationCreated(
            expected, lineId, contributor, packetId, 3 ether, block.timestamp + WINDOW, 0, false
        );
        uint256 id = _allocate(lineId, packetId, 3 ether);
        vm.assertEq(id, expected);

        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.assertEq(a.asset, ETH);
        vm.assertEq(a.lineId, lineId);
        vm.assertEq(a.packetId, packetId);
        vm.assertEq(a.recipient, contributor);
        vm.assertEq(a.amount, 3 ether);
        vm.assertEq(uint256(a.state), uint256(IOptimizationTreasury.AllocationState.Pending));
        (uint256 e,,) = treasury.epoch();
        vm.assertEq(a.epoch, e);
        vm.assertEq(a.deadline, block.timestamp + WINDOW);
        vm.assertEq(a.streamDuration, 0);
        vm.assertEq(a.vested, 0);
        vm.assertEq(a.claimed, 0);

        IOptimizationTreasury.CapUse memory l = treasury.lineEpoch(lineId);
        vm.assertEq(l.cap, budget / 2);
        vm.assertEq(l.used, 3 ether);
        vm.assertEq(l.remainder, budget / 2 - 3 ether);
        IOptimizationTreasury.CapUse memory r = treasury.recipientEpoch(ETH, contributor);
        vm.assertEq(r.cap, budget / 4);
        vm.assertEq(r.used, 3 ether);
        IOptimizationTreasury.AssetEpoch memory ae = treasury.assetEpoch(ETH);
        vm.assertEq(ae.spent, 3 ether);
        vm.assertEq(ae.remainder, budget - 3 ether);
        _assertBooks(ETH);
    }

    function test_allocate_streamTakesTheLineCliff() public {
        uint256 cliffLine = _line(address(usdc), 1000, bytes32(0), 0, 2500);
        uint256 id = _allocate(cliffLine, _accepted(contributor, taskId), 100e6, 1000);
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.assertEq(a.streamDuration, 1000);
        vm.assertEq(a.cliff, 250);
        // A transfer has no cliff.
        a = treasury.allocation(_allocate(cliffLine, _accepted(contributor, taskId), 1e6));
        vm.assertEq(a.cliff, 0);
    }

    function test_RevertWhen_allocateByAnyoneButTheLineSteward() public {
        uint256 packetId = _accepted(contributor, taskId);
        address[6] memory callers =
            [stranger, steward2, guardian, contributor, address(constitution), deployer];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotLineSteward.selector, lineId, callers[i]
                )
            );
            treasury.allocate(lineId, packetId, 1 ether, 0);
        }
    }

    function test_RevertWhen_allocateUnknownOrClosedLine() public {
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 77)
        );
        treasury.allocate(77, packetId, 1 ether, 0);
        vm.prank(steward);
        treasury.closeLine(lineId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryLineClosed.selector, lineId)
        );
        treasury.allocate(lineId, packetId, 1 ether, 0);
    }

    /// @notice Running a line needs the STEWARD role now, not only when it was created.
    function test_RevertWhen_lineStewardLostTheRole() public {
        uint256 line2 = _line(ETH, 1000);
        vm.prank(steward);
        treasury.updateLine(line2, steward2, 1000, 0, 0);
        _enact(_one(_setRole(steward_role, steward2, false)));
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward2);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNotSteward.selector, steward2)
        );
        treasury.allocate(line2, packetId, 1 ether, 0);
    }

    function test_RevertWhen_allocateBadAmountOrDuration() public {
        uint256 packetId = _accepted(contributor, taskId);
        vm.startPrank(steward);
        vm.expectRevert(_err(IOptimizationTreasury.OptimizationTreasuryZeroAmount.selector));
        treasury.allocate(lineId, packetId, 0, 0);
        uint256 tooLong = treasury.MAX_STREAM_DURATION() + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryStreamTooLong.selector, tooLong, tooLong - 1
            )
        );
        treasury.allocate(lineId, packetId, 1 ether, tooLong);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryLineRemainderExceeded.selector,
                lineId,
                type(uint256).max,
                budget / 2
            )
        );
        treasury.allocate(lineId, packetId, type(uint256).max, 0);
        vm.stopPrank();
    }

    /// The longest stream allowed is MAX_STREAM_DURATION itself.
    function test_allocate_streamOfTheMaximumDuration() public {
        uint256 packetId = _accepted(contributor, taskId);
        uint256 longest = treasury.MAX_STREAM_DURATION();
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1 ether, longest);
        vm.assertEq(treasury.allocation(id).streamDuration, longest);
    }

    function test_RevertWhen_packetIdDoesNotFitAnAllocationId() public {
        uint256 big = uint256(type(uint64).max) + 1;
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryPacketIdTooLarge.selector, big)
        );
        treasury.allocate(lineId, big, 1 ether, 0);
    }

    function test_RevertWhen_packetIsNotAccepted() public {
        uint256 pending = _submitted(contributor, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryPacketNotAccepted.selector,
                pending,
                IWorkRegistry.Status.Pending
            )
        );
        treasury.allocate(lineId, pending, 1 ether, 0);

        vm.prank(contributor);
        work.retract(pending);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryPacketNotAccepted.selector,
                pending,
                IWorkRegistry.Status.Retracted
            )
        );
        treasury.allocate(lineId, pending, 1 ether, 0);

        vm.prank(steward);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 999));
        treasury.allocate(lineId, 999, 1 ether, 0);
    }

    function test_RevertWhen_schemaIsNotRecognized() public {
        uint256 packetId = _accepted(contributor, looseId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasurySchemaNotRecognized.selector, packetId, looseId
            )
        );
        treasury.allocate(lineId, packetId, 1 ether, 0);
    }

    /// @notice Recognition is read at each call: withdrawn recognition stops new funding.
    function test_RevertWhen_recognitionWithdrawn() public {
        uint256 packetId = _accepted(contributor, taskId);
        _enact(_one(_setRecognition(taskId, 0)));
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasurySchemaNotRecognized.selector, packetId, taskId
            )
        );
        treasury.allocate(lineId, packetId, 1 ether, 0);
    }

    function test_RevertWhen_schemaFilterDiffers() public {
        uint256 grants = _line(ETH, 1000, grantId, 0, 0);
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasurySchemaMismatch.selector,
                grants,
                packetId,
                taskId,
                grantId
            )
        );
        treasury.allocate(grants, packetId, 1 ether, 0);
        _allocate(grants, _accepted(contributor, grantId), 1 ether);
    }

    function test_RevertWhen_alreadyAllocated() public {
        uint256 packetId = _accepted(contributor, taskId);
        uint256 id = _allocate(lineId, packetId, 1 ether);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryAlreadyAllocated.selector,
                lineId,
                packetId,
                id,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        treasury.allocate(lineId, packetId, 1 ether, 0);
        // Another line may fund the same packet.
        _allocate(_line(ETH, 1000), packetId, 1 ether);
    }

    function test_RevertWhen_allocateAfterVeto() public {
        uint256 packetId = _accepted(contributor, taskId);
        uint256 id = _allocate(lineId, packetId, 1 ether);
        vm.prank(guardian);
        constitution.vetoAllocation(id, "no");
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryAlreadyAllocated.selector,
                lineId,
                packetId,
                id,
                IOptimizationTreasury.AllocationState.Vetoed
            )
        );
        treasury.allocate(lineId, packetId, 1 ether, 0);
    }

    /// @notice A steward who cancels may decide again (a fixed amount, say): the same id,
    /// caps re-checked.
    function test_allocate_againAfterCancel() public {
        uint256 packetId = _accepted(contributor, taskId);
        uint256 id = _allocate(lineId, packetId, 10 ether);
        vm.prank(steward);
        treasury.cancel(id);
        vm.assertEq(treasury.lineEpoch(lineId).used, 0);
        uint256 again = _allocate(lineId, packetId, 4 ether, 600);
        vm.assertEq(again, id);
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.assertEq(uint256(a.state), uint256(IOptimizationTreasury.AllocationState.Pending));
        vm.assertEq(a.amount, 4 ether);
        vm.assertEq(a.streamDuration, 600);
        vm.assertEq(treasury.lineEpoch(lineId).used, 4 ether);
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).used, 4 ether);
        _assertBooks(ETH);
    }

    // ------------------------------------------------------------------
    // Caps
    // ------------------------------------------------------------------

    function test_RevertWhen_lineRemainderExceeded() public {
        _allocate(lineId, _accepted(contributor, taskId), 25 ether);
        _allocate(lineId, _accepted(contributor2, taskId), 20 ether);
        uint256 packetId = _accepted(bob, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryLineRemainderExceeded.selector,
                lineId,
                5 ether + 1,
                5 ether
            )
        );
        treasury.allocate(lineId, packetId, 5 ether + 1, 0);
        _allocate(lineId, packetId, 5 ether);
        vm.assertEq(treasury.lineEpoch(lineId).remainder, 0);
    }

    function test_RevertWhen_recipientCapExceeded() public {
        uint256 other = _line(ETH, 5000);
        _allocate(lineId, _accepted(contributor, taskId), 20 ether);
        uint256 packetId = _accepted(contributor, grantId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryRecipientCapExceeded.selector,
                contributor,
                ETH,
                5 ether + 1,
                5 ether
            )
        );
        treasury.allocate(other, packetId, 5 ether + 1, 0); // the cap spans lines
        _allocate(other, packetId, 5 ether);
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).remainder, 0);
        vm.assertEq(treasury.recipientEpoch(address(usdc), contributor).used, 0, "caps are per asset");
    }

    /// @notice Closing a line and opening another cannot spend the epoch twice: the
    /// asset's own budget still counts what the closed line spent.
    function test_RevertWhen_closeAndReopenWouldSpendTwice() public {
        uint256 other = _line(ETH, 5000);
        _allocate(lineId, _accepted(contributor, taskId), 25 ether);
        _allocate(lineId, _accepted(contributor2, taskId), 25 ether);
        _allocate(other, _accepted(bob, taskId), 25 ether);
        vm.startPrank(steward);
        treasury.closeLine(lineId);
        uint256 reopened = treasury.createLine(ETH, steward, 5000, 0, 0, 0, 0);
        vm.stopPrank();
        uint256 packetId = _accepted(carol, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryEpochBudgetExceeded.selector,
                ETH,
                25 ether + 1,
                25 ether
            )
        );
        treasury.allocate(reopened, packetId, 25 ether + 1, 0);
        _allocate(reopened, packetId, 25 ether);
        vm.assertEq(treasury.assetEpoch(ETH).remainder, 0);
    }

    /// @notice A share lowered below what the line spent leaves no remainder; pending
    /// allocations keep their amounts.
    function test_updateLine_shareBelowSpentLeavesNoRemainder() public {
        uint256 id = _allocate(lineId, _accepted(contributor, taskId), 20 ether);
        vm.prank(steward);
        treasury.updateLine(lineId, steward, 1000, 0, 0); // cap 10 ether
        IOptimizationTreasury.CapUse memory l = treasury.lineEpoch(lineId);
        vm.assertEq(l.cap, 10 ether);
        vm.assertEq(l.used, 20 ether);
        vm.assertEq(l.remainder, 0);
        uint256 packetId = _accepted(contributor2, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryLineRemainderExceeded.selector, lineId, 1, 0
            )
        );
        treasury.allocate(lineId, packetId, 1, 0);
        vm.assertEq(treasury.allocation(id).amount, 20 ether);
        // Cancelling brings the line back under its new share.
        vm.prank(steward);
        treasury.cancel(id);
        _allocate(lineId, packetId, 10 ether);
    }

    /// @notice Any amount succeeds exactly when it is within all three remainders.
    function testFuzz_allocate_amountWithinEveryCap(uint256 shareBps, uint256 used, uint256 amount) public {
        shareBps = bound(shareBps, 1, 5000);
        vm.prank(steward);
        treasury.updateLine(lineId, steward, shareBps, 0, 0);
        uint256 lineCap = budget * shareBps / BPS;
        uint256 recipientCap = budget * RECIPIENT_BPS / BPS;
        used = bound(used, 0, lineCap < recipientCap ? lineCap : recipientCap);
        if (used != 0) _allocate(lineId, _accepted(contributor, taskId), used);
        amount = bound(amount, 1, budget);
        uint256 packetId = _accepted(contributor, grantId);
        uint256 lineLeft = lineCap - used;
        uint256 capLeft = recipientCap - used;
        vm.prank(steward);
        if (amount > lineLeft) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryLineRemainderExceeded.selector,
                    lineId,
                    amount,
                    lineLeft
                )
            );
        } else if (amount > capLeft) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryRecipientCapExceeded.selector,
                    contributor,
                    ETH,
                    amount,
                    capLeft
                )
            );
        }
        uint256 id = treasury.allocate(lineId, packetId, amount, 0);
        if (amount <= lineLeft && amount <= capLeft) _track(id);
        vm.assertLe(treasury.lineEpoch(lineId).used, lineCap);
        vm.assertLe(treasury.recipientEpoch(ETH, contributor).used, recipientCap);
        _assertBooks(ETH);
    }

    // ------------------------------------------------------------------
    // claimBounty
    // ------------------------------------------------------------------

    function test_claimBounty_byAnyone() public {
        uint256 bountyLine = _line(address(usdc), 2000, taskId, 50e6, 0);
        uint256 packetId = _accepted(contributor, taskId);
        uint256 expected = _expectedId(address(usdc), bountyLine, packetId);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationCreated(
            expected, bountyLine, contributor, packetId, 50e6, block.timestamp + WINDOW, 0, true
        );
        uint256 id = _claimBounty(bountyLine, packetId);
        vm.assertEq(id, expected);
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.assertEq(a.recipient, contributor, "paid to the contributor, not the caller");
        vm.assertEq(a.amount, 50e6);
        vm.assertEq(a.streamDuration, 0);
        vm.assertEq(treasury.lineEpoch(bountyLine).used, 50e6);
        _assertBooks(address(usdc));
    }

    function test_RevertWhen_claimBountyInvalid() public {
        uint256 bountyLine = _line(address(usdc), 2000, taskId, 50e6, 0);
        uint256 packetId = _accepted(contributor, taskId);
        uint256 grantPacket = _accepted(contributor, grantId);
        vm.startPrank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 99)
        );
        treasury.claimBounty(99, packetId);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNoBounty.selector, lineId)
        );
        treasury.claimBounty(lineId, packetId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasurySchemaMismatch.selector,
                bountyLine,
                grantPacket,
                grantId,
                taskId
            )
        );
        treasury.claimBounty(bountyLine, grantPacket);
        uint256 id = treasury.claimBounty(bountyLine, packetId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryAlreadyAllocated.selector,
                bountyLine,
                packetId,
                id,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        treasury.claimBounty(bountyLine, packetId);
        vm.stopPrank();

        vm.prank(steward);
        treasury.closeLine(bountyLine);
        uint256 later = _accepted(contributor2, taskId);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryLineClosed.selector, bountyLine)
        );
        treasury.claimBounty(bountyLine, later);
    }

    /// @notice A bounty line whose schema loses recognition pays no more bounties.
    function test_RevertWhen_claimBountyOfUnrecognizedSchema() public {
        uint256 bountyLine = _line(address(usdc), 2000, looseId, 50e6, 0);
        uint256 packetId = _accepted(contributor, looseId);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasurySchemaNotRecognized.selector, packetId, looseId
            )
        );
        treasury.claimBounty(bountyLine, packetId);
    }

    /// @notice The steward's cancel of a bounty allocation is final for the rule-based path.
    function test_RevertWhen_claimBountyAfterStewardCancelled() public {
        uint256 bountyLine = _line(address(usdc), 2000, taskId, 50e6, 0);
        uint256 packetId = _accepted(contributor, taskId);
        uint256 id = _claimBounty(bountyLine, packetId);
        vm.prank(steward);
        treasury.cancel(id);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryAlreadyAllocated.selector,
                bountyLine,
                packetId,
                id,
                IOptimizationTreasury.AllocationState.Cancelled
            )
        );
        treasury.claimBounty(bountyLine, packetId);
    }

    function test_RevertWhen_bountyOverTheCaps() public {
        uint256 bountyLine = _line(address(usdc), 100, taskId, 2000e6, 0); // line cap 1,000 USDC
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryLineRemainderExceeded.selector,
                bountyLine,
                2000e6,
                1000e6
            )
        );
        treasury.claimBounty(bountyLine, packetId);
    }

    // ------------------------------------------------------------------
    // Directory
    // ------------------------------------------------------------------

    /// @notice A treasury that is not the directory's Optimization module allocates
    /// nothing: guardians could not reach it to veto.
    function test_RevertWhen_treasuryIsNotInTheDirectory() public {
        OptimizationTreasury successor = new OptimizationTreasury(address(constitution));
        uint256 packetId = _accepted(contributor, taskId);
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(successor))));
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNotInDirectory.selector, address(successor)
            )
        );
        treasury.allocate(lineId, packetId, 1 ether, 0);
    }

    /// @notice Without a Work module there are no packets to fund.
    function test_RevertWhen_workModuleUnset() public {
        // The constitution refuses a bootstrap without a Work module, so an empty slot
        // cannot be reached through it; the treasury still guards the read.
        vm.prank(steward);
        uint256 l = treasury.createLine(ETH, steward, 100, 0, 0, 0, 0);
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.module, (ILegitimacyConstitution.Module.Work)),
            abi.encode(address(0))
        );
        vm.prank(steward);
        vm.expectRevert(_err(IOptimizationTreasury.OptimizationTreasuryWorkModuleUnset.selector));
        treasury.allocate(l, 1, 1, 0);
    }
}
