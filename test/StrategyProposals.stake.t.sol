// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {StrategyProposalsBase} from "./StrategyProposals.base.t.sol";

/// @notice Stake and support: moving tokens in and out, assigning stake to proposals
/// and taking it back, in every state a proposal can be in.
contract StrategyProposalsStakeTest is StrategyProposalsBase {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _propose(carol);
    }

    // ------------------------------------------------------------------
    // stake / unstake
    // ------------------------------------------------------------------

    function test_stake_movesTokensIn() public {
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.Staked(alice, 100 ether);
        _stake(alice, 100 ether);
        _stake(alice, 50 ether);
        (uint256 staked, uint256 assigned) = strategy.stakeOf(alice);
        vm.assertEq(staked, 150 ether);
        vm.assertEq(assigned, 0);
        vm.assertEq(strategy.totalStaked(), 150 ether);
        vm.assertEq(token.balanceOf(alice), HOLDING / 2 - 150 ether);
        _assertSolvent();
    }

    /// @notice Staking raises the threshold (a share of all stake), above the floor.
    function test_stake_raisesTheThreshold() public {
        vm.assertEq(strategy.threshold(), STAKE_FLOOR * READY_BPS / 10_000);
        _stake(alice, 10_000 ether);
        vm.assertEq(strategy.threshold(), 10_000 ether * READY_BPS / 10_000);
    }

    function test_unstake_movesTokensOut() public {
        _stake(alice, 100 ether);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.Unstaked(alice, 40 ether);
        _unstake(alice, 40 ether);
        (uint256 staked,) = strategy.stakeOf(alice);
        vm.assertEq(staked, 60 ether);
        vm.assertEq(strategy.totalStaked(), 60 ether);
        vm.assertEq(token.balanceOf(alice), HOLDING / 2 - 60 ether);
        _unstake(alice, 60 ether);
        vm.assertEq(token.balanceOf(alice), HOLDING / 2);
        _assertSolvent();
    }

    function test_RevertWhen_stakeZero() public {
        vm.prank(alice);
        vm.expectRevert(IStrategyProposals.StrategyProposalsZeroAmount.selector);
        strategy.stake(0);
    }

    function test_RevertWhen_stakeMoreThanHeld() public {
        uint256 held = token.balanceOf(alice);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsTokenTransferFailed.selector,
                alice,
                held + 1,
                held,
                type(uint256).max
            )
        );
        strategy.stake(held + 1);
    }

    function test_RevertWhen_unstakeZero() public {
        vm.prank(alice);
        vm.expectRevert(IStrategyProposals.StrategyProposalsZeroAmount.selector);
        strategy.unstake(0);
    }

    function test_RevertWhen_unstakeMoreThanUnassigned() public {
        _stake(alice, 100 ether);
        _support(alice, id, 70 ether);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsInsufficientStake.selector, alice, 31 ether, 30 ether
            )
        );
        strategy.unstake(31 ether);
        _unstake(alice, 30 ether);
    }

    // ------------------------------------------------------------------
    // support / unsupport
    // ------------------------------------------------------------------

    function test_support_assignsStake() public {
        _stake(alice, 100 ether);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.Supported(id, alice, 60 ether, 60 ether, 60 ether);
        _support(alice, id, 60 ether);
        (uint256 staked, uint256 assigned) = strategy.stakeOf(alice);
        vm.assertEq(staked, 100 ether);
        vm.assertEq(assigned, 60 ether);
        (uint256 amount, uint256 c) = strategy.supportOf(id, alice);
        vm.assertEq(amount, 60 ether);
        vm.assertEq(c, 0, "new support has no conviction yet");
        vm.assertEq(strategy.proposal(id).support, 60 ether);
        vm.assertEq(strategy.conviction(id), 0);
    }

    /// @notice One staker supports any number of proposals; each position is its own,
    /// and the total never exceeds the stake.
    function test_support_manyProposalsNoCap() public {
        _stake(alice, 300 ether);
        for (uint256 i; i < 300; ++i) {
            _support(alice, _propose(bob), 1 ether);
        }
        (uint256 staked, uint256 assigned) = strategy.stakeOf(alice);
        vm.assertEq(assigned, 300 ether);
        vm.assertEq(staked, 300 ether);
        uint256 next = _propose(bob);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsInsufficientStake.selector, alice, 1, 0
            )
        );
        strategy.support(next, 1);
    }

    function test_RevertWhen_supportZero() public {
        vm.prank(alice);
        vm.expectRevert(IStrategyProposals.StrategyProposalsZeroAmount.selector);
        strategy.support(id, 0);
    }

    function test_RevertWhen_supportMoreThanUnassigned() public {
        _stake(alice, 100 ether);
        _support(alice, id, 80 ether);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsInsufficientStake.selector, alice, 21 ether, 20 ether
            )
        );
        strategy.support(id, 21 ether);
    }

    function test_RevertWhen_supportWithoutStake() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsInsufficientStake.selector, stranger, 1, 0
            )
        );
        strategy.support(id, 1);
    }

    function test_RevertWhen_supportUnknownProposal() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownProposal.selector, 99)
        );
        strategy.support(99, 1 ether);
    }

    function test_RevertWhen_supportNotOpen() public {
        _stake(alice, 1 ether);
        vm.prank(carol);
        strategy.withdraw(id);
        vm.prank(alice);
        vm.expectRevert(
            _wrongState(id, IStrategyProposals.ProposalState.Withdrawn, IStrategyProposals.ProposalState.Open)
        );
        strategy.support(id, 1 ether);
    }

    function test_RevertWhen_supportPastMaxAge() public {
        _stake(alice, 1 ether);
        uint256 expiry = strategy.expiresAt(id);
        vm.warp(expiry - 1);
        _support(alice, id, 1);
        vm.warp(expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsPastMaxAge.selector, id, expiry, block.timestamp
            )
        );
        strategy.support(id, 1);
    }

    function test_unsupport_freesStake() public {
        _stake(alice, 100 ether);
        _support(alice, id, 60 ether);
        _warp(HALF_LIFE);
        (, uint256 c) = strategy.supportOf(id, alice);
        uint256 taken = (c * 20 ether + 60 ether - 1) / (60 ether);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.Unsupported(id, alice, 20 ether, 40 ether, 40 ether, taken);
        _unsupport(alice, id, 20 ether);
        (uint256 staked, uint256 assigned) = strategy.stakeOf(alice);
        vm.assertEq(staked, 100 ether);
        vm.assertEq(assigned, 40 ether);
        (uint256 amount, uint256 left) = strategy.supportOf(id, alice);
        vm.assertEq(amount, 40 ether);
        vm.assertEq(left, c - taken);
        // The proposal keeps what the remaining support earned, rounded down (a wei or two).
        vm.assertLe(strategy.conviction(id), left);
        vm.assertLe(left - strategy.conviction(id), 2);
        _unstake(alice, 60 ether);
        _assertSolvent();
    }

    function test_RevertWhen_unsupportZero() public {
        vm.prank(alice);
        vm.expectRevert(IStrategyProposals.StrategyProposalsZeroAmount.selector);
        strategy.unsupport(id, 0);
    }

    function test_RevertWhen_unsupportMoreThanSupported() public {
        _stakeAndSupport(alice, id, 10 ether);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsInsufficientSupport.selector,
                id,
                alice,
                10 ether + 1,
                10 ether
            )
        );
        strategy.unsupport(id, 10 ether + 1);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsInsufficientSupport.selector, id, bob, 1, 0
            )
        );
        strategy.unsupport(id, 1);
    }

    // ------------------------------------------------------------------
    // Nothing stuck: support on a proposal in every final state comes back
    // ------------------------------------------------------------------

    function test_unsupport_afterReady() public {
        _stakeAndSupport(alice, id, 1000 ether);
        _warp(5 * HALF_LIFE);
        _promote(id);
        _leaveCompletely(alice, 1000 ether);
    }

    function test_unsupport_afterAdopted() public {
        _stakeAndSupport(alice, id, 1000 ether);
        _warp(5 * HALF_LIFE);
        _promote(id);
        vm.prank(address(constitution));
        strategy.markAdopted(id);
        _leaveCompletely(alice, 1000 ether);
    }

    function test_unsupport_afterExpired() public {
        _stakeAndSupport(alice, id, 100 ether);
        _warp(MAX_AGE);
        strategy.expire(id);
        _leaveCompletely(alice, 100 ether);
    }

    function test_unsupport_pastMaxAgeBeforeExpiry() public {
        _stakeAndSupport(alice, id, 100 ether);
        _warp(MAX_AGE + 1 days);
        _assertState(id, IStrategyProposals.ProposalState.Open);
        _leaveCompletely(alice, 100 ether);
    }

    function test_unsupport_afterWithdrawn() public {
        _stakeAndSupport(alice, id, 100 ether);
        vm.prank(carol);
        strategy.withdraw(id);
        _leaveCompletely(alice, 100 ether);
    }

    /// @dev Unsupports `amount` (all of it) and unstakes it; alice ends as she began.
    function _leaveCompletely(address who, uint256 amount) internal {
        uint256 before = token.balanceOf(who);
        _unsupport(who, id, amount);
        _unstake(who, amount);
        vm.assertEq(token.balanceOf(who), before + amount);
        (uint256 staked, uint256 assigned) = strategy.stakeOf(who);
        vm.assertEq(staked, 0);
        vm.assertEq(assigned, 0);
        (uint256 left, uint256 c) = strategy.supportOf(id, who);
        vm.assertEq(left, 0);
        vm.assertEq(c, 0);
        vm.assertEq(strategy.proposal(id).support, 0);
        _assertSolvent();
    }
}
