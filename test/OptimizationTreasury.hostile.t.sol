// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {TreasuryRecipient} from "./mocks/TreasuryRecipient.sol";
import {
    FalseReturningToken,
    FeeOnTransferToken,
    GasBurningToken,
    MockERC20,
    ReentrantToken,
    RevertingToken
} from "./mocks/TreasuryTokens.sol";

/// @notice Hostile tokens and recipients: none can break the books, pay twice, or block
/// anyone else's allocation. A refused push becomes a claim; a token that cannot move
/// blocks only its own allocations.
contract OptimizationTreasuryHostileTest is TreasuryBase {
    uint256 internal ethLine;
    uint256 internal usdcLine;
    TreasuryRecipient internal wallet;

    function setUp() public override {
        super.setUp();
        ethLine = _line(ETH, 5000);
        usdcLine = _line(address(usdc), 5000);
        wallet = new TreasuryRecipient();
    }

    /// @dev An Accepted packet whose contributor is the `wallet` contract.
    function _walletPacket() internal returns (uint256 packetId) {
        packetId = wallet.submit(IWorkRegistry(address(work)), taskId, HASH, abi.encode(uint256(7)));
        vm.prank(reviewer);
        work.attest(packetId);
    }

    /// @dev A funded line of `token` (share 100%).
    function _tokenLine(MockERC20 token, uint256 funds) internal returns (uint256 lineId) {
        token.mint(alice, funds);
        vm.startPrank(alice);
        token.approve(address(treasury), funds);
        treasury.deposit(address(token), funds);
        vm.stopPrank();
        lineId = _line(address(token), 10_000);
    }

    // ------------------------------------------------------------------
    // ETH recipients
    // ------------------------------------------------------------------

    /// @notice A recipient that refuses ETH gets a claim instead; the next allocation in
    /// the queue executes as usual.
    function test_refusingEthRecipient_becomesClaimableAndBlocksNobody() public {
        wallet.setMode(TreasuryRecipient.Mode.Revert);
        uint256 refused = _allocate(ethLine, _walletPacket(), 2 ether);
        uint256 other = _allocate(ethLine, _accepted(contributor, taskId), 1 ether);
        _toDeadline(refused);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.AllocationExecuted(
            refused, address(wallet), IOptimizationTreasury.AllocationState.Claimable
        );
        _execute(refused);
        _execute(other);
        vm.assertEq(contributor.balance, 1 ether);
        vm.assertEq(treasury.claimable(refused), 2 ether);
        _assertBooks(ETH);

        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryTransferFailed.selector,
                ETH,
                address(wallet),
                2 ether
            )
        );
        wallet.claim(treasury, refused);
        wallet.setMode(TreasuryRecipient.Mode.Accept);
        vm.assertEq(wallet.claim(treasury, refused), 2 ether);
        vm.assertEq(address(wallet).balance, 2 ether);
        vm.assertEq(treasury.claimable(refused), 0);
        _assertBooks(ETH);
    }

    /// @notice A recipient that burns its gas costs the executor at most the push stipend.
    function test_gasBurningEthRecipient_boundedByTheStipend() public {
        wallet.setMode(TreasuryRecipient.Mode.BurnGas);
        uint256 id = _allocate(ethLine, _walletPacket(), 1 ether);
        _toDeadline(id);
        uint256 gasBefore = gasleft();
        _execute(id);
        vm.assertLt(gasBefore - gasleft(), 100_000, "the push gets ETH_PUSH_GAS, no more");
        _assertState(id, IOptimizationTreasury.AllocationState.Claimable);
        _assertBooks(ETH);
    }

    /// @notice A recipient that answers with a large return buffer cannot make execute expensive.
    function test_returnBombEthRecipient_bounded() public {
        wallet.setMode(TreasuryRecipient.Mode.ReturnBomb);
        uint256 id = _allocate(ethLine, _walletPacket(), 1 ether);
        _toDeadline(id);
        uint256 gasBefore = gasleft();
        _execute(id);
        vm.assertLt(gasBefore - gasleft(), 150_000);
        _assertBooks(ETH);
    }

    /// @notice A recipient that calls back into `execute` from its receive hook (within the
    /// push stipend) cannot execute another allocation or be paid twice.
    function test_reenteringEthRecipient_cannotExecuteAnother() public {
        wallet.setMode(TreasuryRecipient.Mode.Reenter);
        uint256 id = _allocate(ethLine, _walletPacket(), 1 ether);
        uint256 other = _allocate(ethLine, _accepted(contributor, taskId), 1 ether);
        wallet.setReentry(address(treasury), abi.encodeCall(IOptimizationTreasury.execute, (other)));
        _toDeadline(id);
        _execute(id);
        _assertState(other, IOptimizationTreasury.AllocationState.Pending);
        vm.assertEq(contributor.balance, 0);
        vm.assertEq(address(wallet).balance + treasury.claimable(id), 1 ether, "paid or owed once");
        _assertBooks(ETH);
    }

    /// @notice With all the gas it wants (its own `claim`), a recipient that calls `claim`
    /// again from its receive hook meets the guard and is paid once.
    function test_reenteringEthRecipient_cannotClaimTwice() public {
        uint256 id = _allocate(ethLine, _walletPacket(), 1 ether, 100);
        _toDeadline(id);
        _execute(id);
        vm.warp(block.timestamp + 50);
        wallet.setMode(TreasuryRecipient.Mode.Reenter);
        wallet.setReentry(address(treasury), abi.encodeCall(IOptimizationTreasury.claim, (id)));
        vm.assertEq(wallet.claim(treasury, id), 0.5 ether);
        vm.assertFalse(wallet.lastReentryOk());
        vm.assertEq(
            wallet.lastReentryData(), _err(IOptimizationTreasury.OptimizationTreasuryReentrantCall.selector)
        );
        vm.assertEq(address(wallet).balance, 0.5 ether, "paid once");
        _assertBooks(ETH);
    }

    /// @notice An executor cannot starve the push to turn a payment into a claim.
    function test_RevertWhen_executorStarvesThePush() public {
        uint256 id = _allocate(ethLine, _accepted(contributor, taskId), 1 ether);
        _toDeadline(id);
        vm.prank(keeper);
        vm.expectRevert();
        treasury.execute{gas: 60_000}(id);
        _assertState(id, IOptimizationTreasury.AllocationState.Pending);
        _execute(id);
        vm.assertEq(contributor.balance, 1 ether);
    }

    // ------------------------------------------------------------------
    // Tokens
    // ------------------------------------------------------------------

    function test_falseReturningToken_claimableAndOthersUnaffected() public {
        FalseReturningToken t = new FalseReturningToken();
        uint256 tLine = _tokenLine(t, 1000 ether);
        uint256 bad = _allocate(tLine, _accepted(contributor, taskId), 10 ether);
        uint256 good = _allocate(usdcLine, _accepted(contributor, grantId), 10e6);
        t.setFailing(true);
        _toDeadline(bad);
        _execute(bad);
        _execute(good);
        _assertState(bad, IOptimizationTreasury.AllocationState.Claimable);
        vm.assertEq(usdc.balanceOf(contributor), 10e6);
        vm.prank(contributor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryTransferFailed.selector,
                address(t),
                contributor,
                10 ether
            )
        );
        treasury.claim(bad);
        t.setFailing(false);
        vm.prank(contributor);
        treasury.claim(bad);
        vm.assertEq(t.balanceOf(contributor), 10 ether);
        _assertBooks(address(t));
        _assertBooks(address(usdc));
    }

    /// @notice A USDC-style blocklist: the blocked recipient's payment waits as a claim.
    function test_revertingToken_blockedRecipientClaimsLater() public {
        RevertingToken t = new RevertingToken();
        uint256 tLine = _tokenLine(t, 1_000_000e6);
        uint256 id = _allocate(tLine, _accepted(contributor, taskId), 100e6);
        uint256 other = _allocate(tLine, _accepted(contributor2, taskId), 100e6);
        t.setBlocked(contributor, true);
        _toDeadline(id);
        _execute(id);
        _execute(other);
        _assertState(id, IOptimizationTreasury.AllocationState.Claimable);
        vm.assertEq(t.balanceOf(contributor2), 100e6, "the same token still pays others");
        t.setBlocked(contributor, false);
        vm.prank(contributor);
        treasury.claim(id);
        vm.assertEq(t.balanceOf(contributor), 100e6);
        _assertBooks(address(t));
    }

    /// @notice A token that burns all gas on transfer blocks only its own allocations:
    /// they revert (the guard cannot tell it from a starved call) and stay Pending;
    /// other assets execute.
    function test_gasBurningToken_blocksOnlyItsOwnAllocations() public {
        GasBurningToken t = new GasBurningToken();
        uint256 tLine = _tokenLine(t, 1000 ether);
        uint256 bad = _allocate(tLine, _accepted(contributor, taskId), 1 ether);
        uint256 good = _allocate(ethLine, _accepted(contributor, grantId), 1 ether);
        t.setBurning(true);
        _toDeadline(bad);
        vm.prank(keeper);
        vm.expectRevert();
        treasury.execute{gas: 1_000_000}(bad);
        _assertState(bad, IOptimizationTreasury.AllocationState.Pending);
        _execute(good);
        vm.assertEq(contributor.balance, 1 ether);
        _assertBooks(address(t));
    }

    /// @notice A token that calls back into the treasury from `transfer` meets the guard;
    /// the execute pays once.
    function test_reentrantToken_cannotExecuteTwice() public {
        ReentrantToken t = new ReentrantToken();
        uint256 tLine = _tokenLine(t, 1000 ether);
        uint256 id = _allocate(tLine, _accepted(contributor, taskId), 10 ether);
        uint256 other = _allocate(tLine, _accepted(contributor2, taskId), 10 ether);
        _toDeadline(id);
        t.arm(address(treasury), abi.encodeCall(IOptimizationTreasury.execute, (other)));
        _execute(id);
        vm.assertFalse(t.lastCallbackOk());
        vm.assertEq(
            t.lastCallbackData(), _err(IOptimizationTreasury.OptimizationTreasuryReentrantCall.selector)
        );
        vm.assertEq(t.balanceOf(contributor), 10 ether);
        _assertState(other, IOptimizationTreasury.AllocationState.Pending);
        _execute(other);
        vm.assertEq(t.balanceOf(contributor2), 10 ether);
        _assertBooks(address(t));
    }

    function test_reentrantToken_cannotClaimTwice() public {
        ReentrantToken t = new ReentrantToken();
        uint256 tLine = _tokenLine(t, 1000 ether);
        uint256 id = _allocate(tLine, _accepted(contributor, taskId), 10 ether, 100);
        _toDeadline(id);
        _execute(id);
        vm.warp(block.timestamp + 50);
        t.arm(address(treasury), abi.encodeCall(IOptimizationTreasury.claim, (id)));
        vm.prank(contributor);
        treasury.claim(id);
        vm.assertFalse(t.lastCallbackOk());
        vm.assertEq(t.balanceOf(contributor), 5 ether);
        _assertBooks(address(t));
    }

    /// @notice A fee-on-transfer token: the books credit what arrived, the recipient gets
    /// the amount less the token's fee, and the treasury never owes more than it holds.
    function test_feeOnTransferToken_booksHold() public {
        FeeOnTransferToken t = new FeeOnTransferToken(200);
        uint256 tLine = _tokenLine(t, 1000 ether);
        vm.assertEq(t.balanceOf(address(treasury)), 980 ether);
        uint256 id = _allocate(tLine, _accepted(contributor, taskId), 20 ether);
        _toDeadline(id);
        _execute(id);
        vm.assertEq(t.balanceOf(contributor), 19.6 ether, "the token keeps its fee");
        _assertBooks(address(t));
    }
}
