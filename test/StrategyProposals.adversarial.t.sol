// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {StrategyProposals} from "../contracts/StrategyProposals.sol";
import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {StrategyProposalsBase} from "./StrategyProposals.base.t.sol";
import {ReentrantVotesToken} from "./mocks/ReentrantVotesToken.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @notice A holder that acts through a contract and, when its token calls it back in
/// the middle of a transfer, re-enters the module with the call it was given.
contract Reenterer {
    address internal immutable _strategy;
    bytes internal _reentry;

    constructor(address strategy_) {
        _strategy = strategy_;
    }

    function setReentry(bytes calldata data) external {
        _reentry = data;
    }

    /// @dev Called by the token mid-transfer; bubbles the module's answer.
    function onTransfer() external {
        _call(_strategy, _reentry);
    }

    function exec(address target, bytes calldata data) external returns (bytes memory) {
        return _call(target, data);
    }

    function _call(address target, bytes memory data) internal returns (bytes memory ret) {
        bool ok;
        (ok, ret) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }
}

/// @notice The self-review, one test per finding: double refunds, spam, re-entry through
/// the token, and the threshold that fresh stake raises at once. (Flash stake, flash
/// support, temporary stake, rounding against S, huge time steps and the supply cap are
/// in StrategyProposals.conviction.t.sol; adoption by others in boundary/BoundaryMatrix.t.sol;
/// accounting drift in the invariant suite.)
contract StrategyProposalsAdversarialTest is StrategyProposalsBase {
    // ------------------------------------------------------------------
    // Double refunds: every way a bond can come back, tried after every other
    // ------------------------------------------------------------------

    /// @notice Once a proposal's bond came back (Ready, Withdrawn or Expired), no path
    /// returns it again: each is refused with the module's error and the books stay whole.
    function test_bond_comesBackAtMostOnce() public {
        uint256 ready = _propose(alice);
        uint256 withdrawn = _propose(alice);
        uint256 expired = _propose(alice);
        _stakeAndSupport(bob, ready, 1000 ether);
        _warp(3 * HALF_LIFE);
        _promote(ready);
        vm.prank(alice);
        strategy.withdraw(withdrawn);
        _warp(MAX_AGE);
        strategy.expire(expired);
        uint256 balance = token.balanceOf(alice);

        uint256[3] memory ids = [ready, withdrawn, expired];
        for (uint256 i; i < ids.length; ++i) {
            IStrategyProposals.ProposalState s = _state(ids[i]);
            vm.prank(alice);
            vm.expectRevert(_wrongState(ids[i], s, IStrategyProposals.ProposalState.Open));
            strategy.withdraw(ids[i]);
            vm.expectRevert(_wrongState(ids[i], s, IStrategyProposals.ProposalState.Open));
            strategy.expire(ids[i]);
            vm.expectRevert(_wrongState(ids[i], s, IStrategyProposals.ProposalState.Open));
            strategy.promote(ids[i]);
        }
        vm.prank(address(constitution));
        strategy.markAdopted(ready); // adoption moves no tokens
        vm.assertEq(token.balanceOf(alice), balance, "no bond twice");
        vm.assertEq(strategy.totalBonds(), MIN_BOND, "only the question's bond is held");
        _assertSolvent();
    }

    // ------------------------------------------------------------------
    // Spam
    // ------------------------------------------------------------------

    /// @notice Spam proposals cost their author a bond each for up to `strategy.maxAge`
    /// (returned at expiry) and change nothing for anyone else: not the threshold, not
    /// another proposal's conviction, not the path to Ready. No function iterates over
    /// proposals, so their number costs nobody gas (the 1st and the 10,000th proposal
    /// cost the same: StrategyProposals.gas.t.sol).
    function test_spam_changesNothingForOthers() public {
        uint256 honest = _propose(alice);
        _stakeAndSupport(bob, honest, 1000 ether);
        uint256 thresholdBefore = strategy.threshold();
        uint256 spamBalance = token.balanceOf(dave);
        uint256[] memory spam = new uint256[](200);
        for (uint256 i; i < spam.length; ++i) {
            spam[i] = _propose(dave);
        }
        vm.assertEq(token.balanceOf(dave), spamBalance - 200 * MIN_BOND, "a bond each");
        vm.assertEq(strategy.threshold(), thresholdBefore, "spam does not move the threshold");
        _warp(3 * HALF_LIFE);
        vm.assertEq(strategy.conviction(honest), 875 ether, "nor anyone's conviction");
        _promote(honest);
        _warp(MAX_AGE);
        for (uint256 i; i < spam.length; ++i) {
            strategy.expire(spam[i]);
        }
        vm.assertEq(token.balanceOf(dave), spamBalance, "bonds back at expiry");
        _assertSolvent();
    }

    // ------------------------------------------------------------------
    // Fresh stake raises the threshold at once
    // ------------------------------------------------------------------

    /// @notice Known limit, by design of "a share of all stake": stake that arrives counts
    /// in the threshold at once, so a large holder can stake just before a promotion to
    /// hold it back and unstake just after. It cannot make anything Ready, costs it a
    /// transaction each time, and anyone may promote again in the next block (or send
    /// the promotion privately). Staked tokens not assigned to any proposal act as
    /// abstention that counts against every proposal.
    function test_freshStake_raisesThresholdAtOnce() public {
        uint256 id = _propose(alice);
        _stakeAndSupport(bob, id, 1000 ether);
        _warp(3 * HALF_LIFE);
        (bool ready,,) = strategy.promotable(id);
        vm.assertTrue(ready);
        _stake(dave, 100_000 ether); // front-run
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsBelowThreshold.selector,
                id,
                strategy.conviction(id),
                (101_000 ether * READY_BPS) / 10_000
            )
        );
        strategy.promote(id);
        _unstake(dave, 100_000 ether); // back-run
        _promote(id); // the next attempt succeeds
        _assertState(id, IStrategyProposals.ProposalState.Ready);
    }

    // ------------------------------------------------------------------
    // Re-entry through the token
    // ------------------------------------------------------------------

    /// @notice A token that calls the holder back mid-transfer (as a hooked token could)
    /// gets no second unstake, no second bond and no call in at all: the guard refuses
    /// every re-entry, and the state was already final before the transfer (checks,
    /// effects, then the transfer).
    function test_reentry_throughTokenIsRefused() public {
        address holder = makeAddr("holder");
        ReentrantVotesToken rt = new ReentrantVotesToken(holder, 1_000_000 ether);
        LegitimacyConstitution c = new LegitimacyConstitution(Genesis.dev(), IVotes(address(rt)));
        StrategyProposals s = new StrategyProposals(address(c));
        Reenterer attacker = new Reenterer(address(s));
        vm.prank(holder);
        rt.transfer(address(attacker), 10_000 ether);
        attacker.exec(
            address(rt), abi.encodeWithSignature("approve(address,uint256)", address(s), type(uint256).max)
        );
        uint256 q =
            abi.decode(attacker.exec(address(s), abi.encodeCall(s.openQuestion, (TEXT, URI))), (uint256));
        uint256 id = abi.decode(
            attacker.exec(address(s), abi.encodeCall(s.propose, (q, LEGITIMACY, TEXT, "", ""))), (uint256)
        );
        bytes memory guarded =
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);

        // Mid-stake (the pull), try to support with the stake arriving.
        _arm(rt, attacker, abi.encodeCall(s.support, (id, 1000 ether)));
        attacker.exec(address(s), abi.encodeCall(s.stake, (1000 ether)));
        _assertRefused(rt, guarded);
        (uint256 staked, uint256 assigned) = s.stakeOf(address(attacker));
        vm.assertEq(staked, 1000 ether);
        vm.assertEq(assigned, 0);

        // Mid-unstake (the push), try to unstake again.
        _arm(rt, attacker, abi.encodeCall(s.unstake, (1000 ether)));
        attacker.exec(address(s), abi.encodeCall(s.unstake, (1000 ether)));
        _assertRefused(rt, guarded);
        vm.assertEq(rt.balanceOf(address(attacker)), 10_000 ether - 2 * MIN_BOND, "one unstake only");

        // Mid-promotion (the bond going back), try to withdraw for the bond again.
        vm.startPrank(holder);
        rt.approve(address(s), type(uint256).max);
        s.stake(2000 ether);
        s.support(id, 2000 ether);
        vm.stopPrank();
        vm.warp(block.timestamp + 3 * HALF_LIFE);
        _arm(rt, attacker, abi.encodeCall(s.withdraw, (id)));
        s.promote(id);
        _assertRefused(rt, guarded);
        vm.assertEq(uint256(s.proposal(id).state), uint256(IStrategyProposals.ProposalState.Ready));
        vm.assertEq(rt.balanceOf(address(attacker)), 10_000 ether - MIN_BOND, "the bond came back once");
        vm.assertEq(rt.balanceOf(address(s)), s.totalStaked() + s.totalBonds(), "balance = staked + bonds");
    }

    function _arm(ReentrantVotesToken rt, Reenterer attacker, bytes memory reentry) internal {
        attacker.setReentry(reentry);
        rt.arm(address(attacker), abi.encodeCall(Reenterer.onTransfer, ()));
    }

    function _assertRefused(ReentrantVotesToken rt, bytes memory expected) internal view {
        vm.assertTrue(rt.reentered(), "the token called back");
        vm.assertFalse(rt.reentrySucceeded(), "the re-entry was refused");
        vm.assertEq(rt.reentryReturn(), expected, "by the guard");
    }
}
