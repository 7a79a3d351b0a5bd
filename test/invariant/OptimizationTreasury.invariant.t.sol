// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOptimizationTreasury} from "../../contracts/interfaces/IOptimizationTreasury.sol";
import {TreasuryBase} from "../OptimizationTreasury.base.t.sol";
import {FeeOnTransferToken} from "../mocks/TreasuryTokens.sol";
import {OptimizationTreasuryHandler} from "./handlers/OptimizationTreasuryHandler.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Properties of the OptimizationTreasury that must hold after any sequence of
/// deposits, line changes, allocations, bounty claims, cancels, vetoes, executes, claims
/// and the passing of time, over three assets and many epochs.
contract OptimizationTreasuryInvariantTest is TreasuryBase {
    OptimizationTreasuryHandler internal handler;

    function setUp() public override {
        super.setUp();
        FeeOnTransferToken fee = new FeeOnTransferToken(100);
        address[] memory assets = new address[](3);
        (assets[0], assets[1], assets[2]) = (ETH, address(usdc), address(fee));
        address[] memory stewards = new address[](2);
        (stewards[0], stewards[1]) = (steward, steward2);
        address[] memory contributors = new address[](5);
        (contributors[0], contributors[1], contributors[2], contributors[3], contributors[4]) =
        (contributor, contributor2, dave, erin, frank);
        bytes32[] memory schemas = new bytes32[](3);
        (schemas[0], schemas[1], schemas[2]) = (taskId, grantId, looseId);
        handler = new OptimizationTreasuryHandler(
            treasury, constitution, work, assets, stewards, contributors, schemas, guardian, reviewer
        );

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = OptimizationTreasuryHandler.deposit.selector;
        selectors[1] = OptimizationTreasuryHandler.createLine.selector;
        selectors[2] = OptimizationTreasuryHandler.updateLine.selector;
        selectors[3] = OptimizationTreasuryHandler.closeLine.selector;
        selectors[4] = OptimizationTreasuryHandler.submitWork.selector;
        selectors[5] = OptimizationTreasuryHandler.allocate.selector;
        selectors[6] = OptimizationTreasuryHandler.claimBounty.selector;
        selectors[7] = OptimizationTreasuryHandler.cancel.selector;
        selectors[8] = OptimizationTreasuryHandler.veto.selector;
        selectors[9] = OptimizationTreasuryHandler.execute.selector;
        selectors[10] = OptimizationTreasuryHandler.claim.selector;
        selectors[11] = OptimizationTreasuryHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Conservation: for every asset the treasury holds at least its free balance,
    /// this epoch's unspent budget, every pending amount and every unpaid claim (the spec's
    /// property). Every asset here (a fee-on-transfer token included) moves only by deposits
    /// credited with what arrived and by payments, so the books also balance exactly: one
    /// campaign checks both.
    function invariant_balanceCoversFreePlusCommitted() public view {
        address[] memory assets = handler.assets();
        for (uint256 i; i < assets.length; ++i) {
            IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(assets[i]);
            uint256 balance =
                assets[i] == ETH ? address(treasury).balance : IERC20(assets[i]).balanceOf(address(treasury));
            uint256 books = e.free + e.remainder + handler.owed(assets[i]);
            vm.assertGe(balance, books, "balance >= free + committed");
            vm.assertEq(balance, books, "balance = free + committed, to the wei");
        }
        vm.assertEq(handler.modelUnderflows(), 0, "no payment the model did not expect");
    }

    /// @notice Nothing leaves but executed allocations: paid never exceeds executed.
    function invariant_paidNeverExceedsExecuted() public view {
        address[] memory assets = handler.assets();
        for (uint256 i; i < assets.length; ++i) {
            vm.assertLe(handler.paid(assets[i]), handler.executed(assets[i]), "paid <= executed");
        }
    }

    /// @notice No recipient ever received more in an epoch than its cap of that epoch's budget.
    function invariant_noRecipientExceedsItsCap() public view {
        vm.assertEq(handler.recipientCapBreaches(), 0);
    }

    /// @notice No line ever allocated more in an epoch than its share of the budget, and
    /// no asset more than its budget.
    function invariant_noLineExceedsItsShare() public view {
        vm.assertEq(handler.lineShareBreaches(), 0);
        vm.assertEq(handler.budgetBreaches(), 0);
    }

    /// @notice Nothing executed before the end of its veto window.
    function invariant_nothingExecutesBeforeItsWindow() public view {
        vm.assertEq(handler.earlyExecutions(), 0);
    }

    /// @notice A vetoed or cancelled allocation is never paid (until its steward allocates
    /// the packet again, which is a new decision).
    function invariant_stoppedAllocationsAreNeverPaid() public view {
        vm.assertEq(handler.stoppedPaid(), 0);
    }

    /// @notice Only Accepted packets of recognized schemas were ever funded.
    function invariant_onlyAcceptedRecognizedPacketsFunded() public view {
        vm.assertEq(handler.unacceptedFunded(), 0);
    }

    /// @notice The epoch number never went back.
    function invariant_epochNeverGoesBack() public view {
        vm.assertEq(handler.epochRegressions(), 0);
    }
}
