// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";

/// @notice An allocation's life: Pending for the veto window (the line's steward may
/// cancel, a guardian may veto through the constitution), then anyone executes it: a
/// transfer, or a stream the recipient claims as it vests.
contract OptimizationTreasuryLifecycleTest is TreasuryBase {
    uint256 internal ethLine;
    uint256 internal usdcLine;

    function setUp() public override {
        super.setUp();
        ethLine = _line(ETH, 5000);
        usdcLine = _line(address(usdc), 5000);
    }

    function _pending(uint256 amount) internal returns (uint256) {
        return _allocate(ethLine, _accepted(contributor, taskId), amount);
    }

    // ------------------------------------------------------------------
    // cancel
    // ------------------------------------------------------------------

    function test_cancel_returnsTheAmountToEveryCap() public {
        uint256 id = _pending(10 ether);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationCancelled(id);
        vm.prank(steward);
        treasury.cancel(id);
        _assertState(id, IOptimizationTreasury.AllocationState.Cancelled);
        vm.assertEq(treasury.lineEpoch(ethLine).used, 0);
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).used, 0);
        vm.assertEq(treasury.assetEpoch(ETH).spent, 0);
        _assertBooks(ETH);
    }

    function test_RevertWhen_cancelByAnyoneButTheLineSteward() public {
        uint256 id = _pending(1 ether);
        address[6] memory callers =
            [stranger, steward2, guardian, contributor, address(constitution), deployer];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotLineSteward.selector, ethLine, callers[i]
                )
            );
            treasury.cancel(id);
        }
    }

    /// @notice The line's current steward cancels, on a closed line too, and whether or
    /// not it still holds the STEWARD role (cancelling only ever stops spending).
    function test_cancel_byTheCurrentStewardOfAClosedLine() public {
        _enact(_one(_setParam("treasury.vetoWindow", 3600))); // room for one more amendment
        uint256 id = _pending(1 ether);
        vm.prank(steward);
        treasury.updateLine(ethLine, steward2, 5000, 0, 0);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNotLineSteward.selector, ethLine, steward
            )
        );
        treasury.cancel(id);
        vm.prank(steward);
        treasury.closeLine(ethLine);
        _enact(_one(_setRole(steward_role, steward2, false)));
        vm.prank(steward2);
        treasury.cancel(id);
        _assertState(id, IOptimizationTreasury.AllocationState.Cancelled);
    }

    /// The view names an id nobody allocated rather than returning an empty record
    /// that reads like a real allocation of zero to address(0).
    function test_RevertWhen_allocationViewOfAnUnknownId() public {
        uint256 id = _pending(1 ether);
        vm.assertEq(treasury.allocation(id).amount, 1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryUnknownAllocation.selector, id + 1
            )
        );
        treasury.allocation(id + 1);
    }

    function test_RevertWhen_cancelOutsideItsWindowOrState() public {
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownAllocation.selector, 5)
        );
        treasury.cancel(5);

        uint256 id = _pending(1 ether);
        uint256 deadline = block.timestamp + WINDOW;
        vm.warp(deadline);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryVetoWindowClosed.selector, id, deadline, deadline
            )
        );
        treasury.cancel(id);

        uint256 id2 = _pending2(1 ether);
        vm.prank(steward);
        treasury.cancel(id2);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                id2,
                IOptimizationTreasury.AllocationState.Cancelled,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        treasury.cancel(id2);
    }

    function _pending2(uint256 amount) internal returns (uint256) {
        return _allocate(ethLine, _accepted(contributor2, taskId), amount);
    }

    // ------------------------------------------------------------------
    // veto (a guardian, through the constitution)
    // ------------------------------------------------------------------

    function test_veto_guardianThroughTheConstitution() public {
        uint256 id = _pending(10 ether);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationVetoed(id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AllocationVetoed(id, guardian, "duplicate of #3");
        vm.prank(guardian);
        constitution.vetoAllocation(id, "duplicate of #3");
        _assertState(id, IOptimizationTreasury.AllocationState.Vetoed);
        vm.assertEq(treasury.lineEpoch(ethLine).used, 0);
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).used, 0);
        vm.assertEq(treasury.assetEpoch(ETH).spent, 0);
        _assertBooks(ETH);

        _toDeadline(id);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                id,
                IOptimizationTreasury.AllocationState.Vetoed,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        treasury.execute(id);
        vm.assertEq(contributor.balance, 0, "a vetoed allocation is never paid");
    }

    function test_RevertWhen_vetoNotByTheConstitution() public {
        uint256 id = _pending(1 ether);
        address[5] memory callers = [guardian, steward, stranger, contributor, deployer];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotConstitution.selector, callers[i]
                )
            );
            treasury.veto(id);
        }
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMissingRole.selector, guardian_role, steward
            )
        );
        constitution.vetoAllocation(id, "stewards cannot veto");
    }

    function test_RevertWhen_vetoTooLateOrTwice() public {
        uint256 id = _pending(1 ether);
        vm.prank(guardian);
        constitution.vetoAllocation(id, "once");
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                id,
                IOptimizationTreasury.AllocationState.Vetoed,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        constitution.vetoAllocation(id, "twice");

        uint256 id2 = _pending2(1 ether);
        _toDeadline(id2);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryVetoWindowClosed.selector,
                id2,
                block.timestamp,
                block.timestamp
            )
        );
        constitution.vetoAllocation(id2, "late");

        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownAllocation.selector, 8)
        );
        constitution.vetoAllocation(8, "unknown");
    }

    /// @notice Executed money cannot be vetoed back.
    function test_RevertWhen_vetoAfterExecute() public {
        uint256 id = _pending(1 ether);
        _toDeadline(id);
        _execute(id);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                id,
                IOptimizationTreasury.AllocationState.Paid,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        constitution.vetoAllocation(id, "too late");
    }

    // ------------------------------------------------------------------
    // execute
    // ------------------------------------------------------------------

    function test_execute_paysEthFromTheDeadlineOn() public {
        uint256 id = _pending(3 ether);
        uint256 deadline = block.timestamp + WINDOW;
        vm.warp(deadline - 1);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryVetoWindowOpen.selector, id, deadline, deadline - 1
            )
        );
        treasury.execute(id);
        vm.warp(deadline);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationExecuted(
            id, contributor, IOptimizationTreasury.AllocationState.Paid
        );
        _execute(id);
        vm.assertEq(contributor.balance, 3 ether);
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.assertEq(uint256(a.state), uint256(IOptimizationTreasury.AllocationState.Paid));
        vm.assertEq(a.vested, 3 ether);
        vm.assertEq(a.claimed, 3 ether);
        vm.assertEq(treasury.claimable(id), 0);
        _assertBooks(ETH);
    }

    function test_execute_paysErc20() public {
        uint256 id = _allocate(usdcLine, _accepted(contributor, taskId), 1234e6);
        _toDeadline(id);
        _execute(id);
        vm.assertEq(usdc.balanceOf(contributor), 1234e6);
        _assertBooks(address(usdc));
    }

    function test_RevertWhen_executeTwice() public {
        uint256 id = _pending(1 ether);
        _toDeadline(id);
        _execute(id);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                id,
                IOptimizationTreasury.AllocationState.Paid,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        treasury.execute(id);
        vm.assertEq(contributor.balance, 1 ether, "paid once");
    }

    function test_RevertWhen_executeCancelledOrUnknown() public {
        uint256 id = _pending(1 ether);
        vm.prank(steward);
        treasury.cancel(id);
        _toDeadline(id);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                id,
                IOptimizationTreasury.AllocationState.Cancelled,
                IOptimizationTreasury.AllocationState.Pending
            )
        );
        treasury.execute(id);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownAllocation.selector, 3)
        );
        treasury.execute(3);
        vm.assertEq(contributor.balance, 0, "a cancelled allocation is never paid");
    }

    /// @notice Chosen: recognition and packet checks happen at allocation. Withdrawing a
    /// schema's recognition later does not stop a pending allocation; the guardians'
    /// veto window is the stop.
    function test_execute_afterRecognitionWithdrawn() public {
        _enact(_one(_setParam("treasury.vetoWindow", 3600)));
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 1 ether);
        _enact(_one(_setRecognition(taskId, 0)));
        _toDeadline(id);
        _execute(id);
        vm.assertEq(contributor.balance, 1 ether);
    }

    /// @notice A closed line's pending allocations still execute.
    function test_execute_onAClosedLine() public {
        uint256 id = _pending(1 ether);
        vm.prank(steward);
        treasury.closeLine(ethLine);
        _toDeadline(id);
        _execute(id);
        vm.assertEq(contributor.balance, 1 ether);
    }

    // ------------------------------------------------------------------
    // streams and claims
    // ------------------------------------------------------------------

    function test_stream_vestsLinearlyFromTheDeadline() public {
        uint256 id = _allocate(usdcLine, _accepted(contributor, taskId), 1000e6, 1000);
        uint256 start = block.timestamp + WINDOW;
        vm.warp(start);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationExecuted(
            id, contributor, IOptimizationTreasury.AllocationState.Claimable
        );
        _execute(id);
        vm.assertEq(usdc.balanceOf(contributor), 0, "a stream pays nothing at execute");
        vm.assertEq(treasury.claimable(id), 0);

        vm.warp(start + 250);
        vm.assertEq(treasury.claimable(id), 250e6);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.Claimed(id, 250e6);
        vm.prank(contributor);
        vm.assertEq(treasury.claim(id), 250e6);
        vm.prank(contributor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNothingToClaim.selector, id, 250e6, 250e6
            )
        );
        treasury.claim(id);
        _assertBooks(address(usdc));

        vm.warp(start + 5000);
        vm.prank(contributor);
        vm.assertEq(treasury.claim(id), 750e6);
        vm.assertEq(usdc.balanceOf(contributor), 1000e6);
        IOptimizationTreasury.Allocation memory a = treasury.allocation(id);
        vm.assertEq(a.vested, 1000e6);
        vm.assertEq(a.claimed, 1000e6);
        _assertBooks(address(usdc));
    }

    /// @notice A stream executed late has vested since its deadline.
    function test_stream_executedLateHasVestedSinceTheDeadline() public {
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 8 ether, 400);
        vm.warp(block.timestamp + WINDOW + 1000);
        _execute(id);
        vm.prank(contributor);
        vm.assertEq(treasury.claim(id), 8 ether);
        vm.assertEq(contributor.balance, 8 ether);
        _assertBooks(ETH);
    }

    function test_stream_cliff() public {
        uint256 cliffLine = _line(address(usdc), 1000, bytes32(0), 0, 2500);
        uint256 id = _allocate(cliffLine, _accepted(contributor, taskId), 100e6, 1000);
        uint256 start = block.timestamp + WINDOW;
        vm.warp(start);
        _execute(id);
        vm.warp(start + 249);
        vm.assertEq(treasury.claimable(id), 0);
        vm.prank(contributor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNothingToClaim.selector, id, 0, 0
            )
        );
        treasury.claim(id);
        vm.warp(start + 250);
        vm.assertEq(treasury.claimable(id), 25e6, "at the cliff, what accrued since the start");
        // A cliff changed later applies to later allocations only.
        vm.prank(steward);
        treasury.updateLine(cliffLine, steward, 1000, 0, 0);
        vm.assertEq(treasury.allocation(id).cliff, 250);
    }

    function test_RevertWhen_claimByAnyoneButTheRecipient() public {
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 1 ether, 100);
        _toDeadline(id);
        _execute(id);
        vm.warp(block.timestamp + 100);
        address[6] memory callers = [stranger, steward, guardian, keeper, address(constitution), deployer];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotRecipient.selector, id, callers[i]
                )
            );
            treasury.claim(id);
        }
    }

    function test_RevertWhen_claimBeforeExecuteOrOfATransfer() public {
        uint256 stream = _allocate(ethLine, _accepted(contributor, taskId), 1 ether, 100);
        vm.prank(contributor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                stream,
                IOptimizationTreasury.AllocationState.Pending,
                IOptimizationTreasury.AllocationState.Claimable
            )
        );
        treasury.claim(stream);
        uint256 transfer = _allocate(ethLine, _accepted(contributor, grantId), 1 ether);
        _toDeadline(transfer);
        _execute(transfer);
        vm.prank(contributor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryWrongState.selector,
                transfer,
                IOptimizationTreasury.AllocationState.Paid,
                IOptimizationTreasury.AllocationState.Claimable
            )
        );
        treasury.claim(transfer);
        vm.prank(contributor);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownAllocation.selector, 4)
        );
        treasury.claim(4);
    }

    /// @notice Rounding never pays more than the amount nor less in the end: claims at
    /// any times sum to the amount exactly, and never exceed what has vested.
    function testFuzz_stream_claimsSumToTheAmount(uint256 amount, uint256 duration, uint256 t1, uint256 t2)
        public
    {
        amount = bound(amount, 1, USDC_FUNDS / 40); // the recipient's cap: 25% of 10%
        duration = bound(duration, 1, 10 * 365 days);
        uint256 id = _allocate(usdcLine, _accepted(contributor, taskId), amount, duration);
        uint256 start = block.timestamp + WINDOW;
        vm.warp(start);
        _execute(id);
        t1 = bound(t1, 1, duration);
        t2 = bound(t2, t1, duration + 1);
        uint256 paid;
        vm.warp(start + t1);
        if (treasury.claimable(id) != 0) {
            vm.prank(contributor);
            paid += treasury.claim(id);
        }
        vm.assertLe(paid, amount * t1 / duration, "never ahead of vesting");
        vm.warp(start + t2);
        if (treasury.claimable(id) != 0) {
            vm.prank(contributor);
            paid += treasury.claim(id);
        }
        vm.warp(start + duration);
        if (treasury.claimable(id) != 0) {
            vm.prank(contributor);
            paid += treasury.claim(id);
        }
        vm.assertEq(paid, amount);
        vm.assertEq(usdc.balanceOf(contributor), amount);
        _assertBooks(address(usdc));
    }

    function test_stream_ethClaimedInTwoParts() public {
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 10 ether, 100);
        _toDeadline(id);
        _execute(id);
        vm.warp(block.timestamp + 40);
        vm.prank(contributor);
        treasury.claim(id);
        vm.warp(block.timestamp + 60);
        vm.prank(contributor);
        treasury.claim(id);
        vm.assertEq(contributor.balance, 10 ether);
        _assertBooks(ETH);
    }
}
