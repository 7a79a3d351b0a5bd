// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {
    FalseReturningToken,
    FeeOnTransferToken,
    RebasingToken,
    ReentrantToken
} from "./mocks/TreasuryTokens.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice Funds in: ETH and token deposits credit what actually arrived, a plain ETH
/// transfer is a deposit, and the first action on an asset in an epoch fixes its budget.
contract OptimizationTreasuryDepositTest is TreasuryBase {
    function test_setUp_fixedBudgetsFromTheFirstDeposit() public view {
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(ETH);
        vm.assertEq(e.budget, ETH_FUNDS * SPEND_BPS / BPS);
        vm.assertEq(e.free, ETH_FUNDS - e.budget);
        vm.assertEq(e.spent, 0);
        vm.assertEq(e.remainder, e.budget);
        vm.assertEq(treasury.assetEpoch(address(usdc)).budget, USDC_FUNDS / 10);
        _assertBooks(ETH);
        _assertBooks(address(usdc));
    }

    function test_deposit_ethLaterInTheEpochCountsNextEpoch() public {
        uint256 budget = _budget(ETH);
        vm.deal(bob, 10 ether);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.Deposited(ETH, bob, 10 ether, 10 ether);
        vm.prank(bob);
        treasury.deposit{value: 10 ether}(ETH, 10 ether);
        vm.assertEq(_budget(ETH), budget, "this epoch's budget is fixed");
        vm.assertEq(treasury.assetEpoch(ETH).free, ETH_FUNDS - budget + 10 ether);
        _assertBooks(ETH);

        _nextEpoch();
        (uint256 e,,) = treasury.epoch();
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.EpochBudgetFixed(ETH, e, (ETH_FUNDS + 11 ether) / 10, ETH_FUNDS + 11 ether);
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        treasury.deposit{value: 1 ether}(ETH, 1 ether);
        vm.assertEq(_budget(ETH), (ETH_FUNDS + 11 ether) / 10, "unspent budget and both deposits count");
        _assertBooks(ETH);
    }

    function test_receive_isADepositBySender() public {
        vm.deal(bob, 5 ether);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.Deposited(ETH, bob, 5 ether, 5 ether);
        vm.prank(bob);
        (bool ok,) = address(treasury).call{value: 5 ether}("");
        vm.assertTrue(ok);
        vm.assertEq(treasury.assetEpoch(ETH).free, ETH_FUNDS * 9 / 10 + 5 ether);
        _assertBooks(ETH);
    }

    function test_RevertWhen_receiveZero() public {
        vm.prank(bob);
        vm.expectRevert(_err(IOptimizationTreasury.OptimizationTreasuryZeroAmount.selector));
        (bool ok,) = address(treasury).call("");
        ok;
    }

    /// @notice Solidity's `transfer` forwards 2,300 gas: too little to book a deposit.
    function test_receive_refusesTheStipend() public {
        vm.deal(address(this), 1 ether);
        bool ok = payable(address(treasury)).send(1 ether);
        vm.assertFalse(ok);
        vm.assertEq(address(treasury).balance, ETH_FUNDS);
    }

    function test_deposit_erc20() public {
        usdc.mint(bob, 500e6);
        vm.startPrank(bob);
        usdc.approve(address(treasury), 500e6);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.Deposited(address(usdc), bob, 500e6, 500e6);
        treasury.deposit(address(usdc), 500e6);
        vm.stopPrank();
        vm.assertEq(usdc.balanceOf(address(treasury)), USDC_FUNDS + 500e6);
        _assertBooks(address(usdc));
    }

    /// @notice Allo v2's pool-funding failure: a fee-on-transfer token credits what arrived.
    function test_deposit_feeOnTransferCreditsWhatArrived() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100); // 1%
        fee.mint(bob, 1000 ether);
        vm.startPrank(bob);
        fee.approve(address(treasury), 1000 ether);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.Deposited(address(fee), bob, 1000 ether, 990 ether);
        treasury.deposit(address(fee), 1000 ether);
        vm.stopPrank();
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(address(fee));
        vm.assertEq(e.free + e.budget, 990 ether);
        vm.assertEq(fee.balanceOf(address(treasury)), 990 ether);
        _assertBooks(address(fee));
    }

    function testFuzz_deposit_feeOnTransfer(uint256 amount, uint256 feeBps) public {
        amount = bound(amount, 1, 1e30);
        feeBps = bound(feeBps, 0, BPS);
        FeeOnTransferToken fee = new FeeOnTransferToken(feeBps);
        fee.mint(bob, amount);
        vm.startPrank(bob);
        fee.approve(address(treasury), amount);
        treasury.deposit(address(fee), amount);
        vm.stopPrank();
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(address(fee));
        vm.assertEq(e.free + e.budget, amount - amount * feeBps / BPS, "credited = arrived");
        vm.assertEq(e.budget, (amount - amount * feeBps / BPS) * SPEND_BPS / BPS);
        _assertBooks(address(fee));
    }

    function testFuzz_deposit_eth(uint256 amount) public {
        amount = bound(amount, 1, 1e40);
        vm.deal(bob, amount);
        vm.prank(bob);
        treasury.deposit{value: amount}(ETH, amount);
        _assertBooks(ETH);
    }

    /// Deployed against an address with no code, the treasury refuses with its own error
    /// rather than failing later on the constitution's first read.
    function test_RevertWhen_constructedWithoutConstitution() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryInvalidConstitution.selector, stranger
            )
        );
        new OptimizationTreasury(stranger);
    }

    function test_RevertWhen_depositZero() public {
        vm.prank(bob);
        vm.expectRevert(_err(IOptimizationTreasury.OptimizationTreasuryZeroAmount.selector));
        treasury.deposit(address(usdc), 0);
    }

    function test_RevertWhen_depositEthValueDiffers() public {
        vm.deal(bob, 2 ether);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryValueMismatch.selector, 1 ether, 2 ether
            )
        );
        treasury.deposit{value: 1 ether}(ETH, 2 ether);
    }

    function test_RevertWhen_depositTokenWithValue() public {
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryValueMismatch.selector, 1 ether, 0
            )
        );
        treasury.deposit{value: 1 ether}(address(usdc), 5);
    }

    function test_RevertWhen_depositAssetIsNotAContract() public {
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidAsset.selector, stranger)
        );
        treasury.deposit(stranger, 5);
    }

    function test_RevertWhen_depositTokenReturnsFalse() public {
        FalseReturningToken t = new FalseReturningToken();
        t.mint(bob, 10);
        t.setFailing(true);
        vm.startPrank(bob);
        t.approve(address(treasury), 10);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(t)));
        treasury.deposit(address(t), 10);
        vm.stopPrank();
    }

    /// @notice A token that calls back into `deposit` from inside `transferFrom` is refused
    /// by the guard, and the outer deposit credits once.
    function test_deposit_reentrantTokenCannotDepositTwice() public {
        ReentrantToken t = new ReentrantToken();
        t.mint(bob, 100);
        vm.prank(bob);
        t.approve(address(treasury), 100);
        t.arm(address(treasury), abi.encodeCall(IOptimizationTreasury.deposit, (address(t), 1)));
        vm.prank(bob);
        treasury.deposit(address(t), 50);
        vm.assertEq(t.callbacks(), 1);
        vm.assertFalse(t.lastCallbackOk());
        vm.assertEq(
            t.lastCallbackData(), _err(IOptimizationTreasury.OptimizationTreasuryReentrantCall.selector)
        );
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(address(t));
        vm.assertEq(e.free + e.budget, 50);
        _assertBooks(address(t));
    }

    /// @notice Rebasing tokens are unsupported: the books follow transfers only. A positive
    /// rebase stays outside the books (never spent); a negative one leaves the books above
    /// the balance, which is why docs/optimization-treasury.md tells DAOs to hold the
    /// wrapped, non-rebasing form.
    function test_deposit_rebasingTokenBooksFollowTransfersOnly() public {
        RebasingToken t = new RebasingToken();
        t.mint(bob, 1000 ether);
        vm.startPrank(bob);
        t.approve(address(treasury), 1000 ether);
        treasury.deposit(address(t), 1000 ether);
        vm.stopPrank();
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(address(t));
        vm.assertEq(e.free + e.budget, 1000 ether);

        t.rebase(1.1e18);
        e = treasury.assetEpoch(address(t));
        vm.assertEq(e.free + e.budget, 1000 ether, "a positive rebase is not credited");
        vm.assertEq(t.balanceOf(address(treasury)), 1100 ether);
        _assertSolvent(address(t));

        t.rebase(0.9e18);
        vm.assertLt(t.balanceOf(address(treasury)), e.free + e.budget, "unsupported: books above balance");
    }
}
