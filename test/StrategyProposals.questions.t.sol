// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StrategyProposals} from "../contracts/StrategyProposals.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {ModuleKinds} from "../contracts/libraries/ModuleKinds.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {StrategyProposalsBase} from "./StrategyProposals.base.t.sol";

/// @notice Construction, questions and options: opening, proposing, withdrawing, and
/// the bonds that go with them.
contract StrategyProposalsQuestionsTest is StrategyProposalsBase {
    // ------------------------------------------------------------------
    // Construction
    // ------------------------------------------------------------------

    function test_constructor_readsTheConstitution() public view {
        vm.assertEq(strategy.constitution(), address(constitution));
        vm.assertEq(strategy.moduleKind(), ModuleKinds.STRATEGY);
        vm.assertEq(address(strategy.token()), address(token));
        vm.assertEq(strategy.CLOCK_BITS(), 19);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Strategy), address(strategy));
    }

    function test_RevertWhen_constructedWithoutConstitution() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsInvalidConstitution.selector, stranger)
        );
        new StrategyProposals(stranger);
    }

    // ------------------------------------------------------------------
    // openQuestion
    // ------------------------------------------------------------------

    function test_openQuestion_takesTheBondAndRecords() public {
        uint256 before = token.balanceOf(alice);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.QuestionOpened(2, alice, TEXT, URI, MIN_BOND);
        uint256 id = _openQuestion(alice);
        vm.assertEq(id, 2);
        vm.assertEq(strategy.questionCount(), 2);
        IStrategyProposals.Question memory q = strategy.question(id);
        vm.assertEq(q.opener, alice);
        vm.assertEq(uint256(q.state), uint256(IStrategyProposals.QuestionState.Open));
        vm.assertEq(q.openedAt, block.timestamp);
        vm.assertEq(q.bond, MIN_BOND);
        vm.assertEq(token.balanceOf(alice), before - MIN_BOND);
        vm.assertEq(strategy.totalBonds(), 2 * MIN_BOND);
        _assertSolvent();
    }

    function test_openQuestion_withZeroBond() public {
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.param, (ParamKeys.STRATEGY_MIN_BOND)),
            abi.encode(0)
        );
        uint256 id = _openQuestion(stranger); // holds no tokens, needs none
        vm.assertEq(strategy.question(id).bond, 0);
        vm.prank(stranger);
        strategy.withdrawQuestion(id);
        _assertSolvent();
    }

    function test_RevertWhen_openQuestionWithoutContentHash() public {
        vm.prank(alice);
        vm.expectRevert(IStrategyProposals.StrategyProposalsZeroContentHash.selector);
        strategy.openQuestion(bytes32(0), URI);
    }

    function test_RevertWhen_openQuestionWithoutTheBond() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsTokenTransferFailed.selector, stranger, MIN_BOND, 0, 0
            )
        );
        strategy.openQuestion(TEXT, URI);
    }

    function test_RevertWhen_openQuestionWithoutAllowance() public {
        vm.prank(alice);
        token.approve(address(strategy), MIN_BOND - 1);
        uint256 balance = token.balanceOf(alice);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsTokenTransferFailed.selector,
                alice,
                MIN_BOND,
                balance,
                MIN_BOND - 1
            )
        );
        strategy.openQuestion(TEXT, URI);
    }

    /// @notice The bond is the parameter at the call, and the recorded bond is what comes
    /// back, whatever the parameter became meanwhile.
    function test_openQuestion_bondFollowsTheParameterAndIsRecorded() public {
        _setMinBond(25 ether);
        uint256 id = _openQuestion(alice);
        vm.assertEq(strategy.question(id).bond, 25 ether);
        _setMinBond(1 ether);
        uint256 before = token.balanceOf(alice);
        vm.prank(alice);
        strategy.withdrawQuestion(id);
        vm.assertEq(token.balanceOf(alice), before + 25 ether);
        _assertSolvent();
    }

    // ------------------------------------------------------------------
    // withdrawQuestion
    // ------------------------------------------------------------------

    function test_withdrawQuestion_returnsTheBondOnce() public {
        uint256 before = token.balanceOf(carol);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.QuestionWithdrawn(questionId, carol, MIN_BOND);
        vm.prank(carol);
        strategy.withdrawQuestion(questionId);
        vm.assertEq(token.balanceOf(carol), before + MIN_BOND);
        vm.assertEq(
            uint256(strategy.question(questionId).state), uint256(IStrategyProposals.QuestionState.Withdrawn)
        );
        vm.assertEq(strategy.totalBonds(), 0);

        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsQuestionNotOpen.selector,
                questionId,
                IStrategyProposals.QuestionState.Withdrawn
            )
        );
        strategy.withdrawQuestion(questionId);
        _assertSolvent();
    }

    /// @notice Options keep their own lifecycle when their question is withdrawn: they
    /// can still gain support, be promoted, withdrawn or expire; no new option can join.
    function test_withdrawQuestion_leavesOptionsAlive() public {
        uint256 a = _propose(alice);
        uint256 b = _propose(bob);
        vm.prank(carol);
        strategy.withdrawQuestion(questionId);

        _stakeAndSupport(alice, a, 1000 ether);
        _warp(5 * HALF_LIFE);
        _promote(a);
        _assertState(a, IStrategyProposals.ProposalState.Ready);
        vm.prank(bob);
        strategy.withdraw(b);
        _assertState(b, IStrategyProposals.ProposalState.Withdrawn);

        vm.prank(dave);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsQuestionNotOpen.selector,
                questionId,
                IStrategyProposals.QuestionState.Withdrawn
            )
        );
        strategy.propose(questionId, LEGITIMACY, TEXT, "", "");
        _assertSolvent();
    }

    function test_RevertWhen_withdrawQuestionByOther() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsNotOpener.selector, questionId, alice)
        );
        strategy.withdrawQuestion(questionId);
    }

    function test_RevertWhen_withdrawUnknownQuestion() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownQuestion.selector, 9)
        );
        strategy.withdrawQuestion(9);
    }

    // ------------------------------------------------------------------
    // propose
    // ------------------------------------------------------------------

    function test_propose_recordsTheOptionAndLogsItsActions() public {
        bytes memory actions = abi.encode(uint8(0), bytes32("strategy.readyBps"), address(0), 2500, "");
        uint256 before = token.balanceOf(alice);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalCreated(
            1, questionId, alice, IStrategyProposals.Target.Optimization, TEXT, "ipfs://x", actions, MIN_BOND
        );
        vm.prank(alice);
        uint256 id = strategy.propose(
            questionId, uint8(IStrategyProposals.Target.Optimization), TEXT, "ipfs://x", actions
        );
        vm.assertEq(id, 1);
        vm.assertEq(strategy.proposalCount(), 1);
        IStrategyProposals.Proposal memory p = strategy.proposal(id);
        vm.assertEq(p.proposer, alice);
        vm.assertEq(p.questionId, questionId);
        vm.assertEq(uint256(p.target), uint256(IStrategyProposals.Target.Optimization));
        vm.assertEq(uint256(p.state), uint256(IStrategyProposals.ProposalState.Open));
        vm.assertEq(p.adoptedBy, 0);
        vm.assertEq(p.createdAt, block.timestamp);
        vm.assertEq(p.bond, MIN_BOND);
        vm.assertEq(p.support, 0);
        vm.assertEq(p.conviction, 0);
        vm.assertEq(strategy.expiresAt(id), block.timestamp + MAX_AGE);
        vm.assertEq(token.balanceOf(alice), before - MIN_BOND);
        vm.assertEq(strategy.totalBonds(), 2 * MIN_BOND);
        _assertSolvent();
    }

    /// @notice Options under one question are parallel: any number, by anyone, each with
    /// its own bond and id.
    function test_propose_parallelOptions() public {
        uint256 a = _propose(alice);
        uint256 b = _propose(bob);
        uint256 c = _propose(alice);
        vm.assertEq(a, 1);
        vm.assertEq(b, 2);
        vm.assertEq(c, 3);
        vm.assertEq(strategy.totalBonds(), 4 * MIN_BOND);
        uint256 other = _openQuestion(bob);
        vm.assertEq(strategy.proposal(_propose(dave, other)).questionId, other);
    }

    function test_propose_everyTarget() public {
        for (uint8 t; t <= uint8(IStrategyProposals.Target.Legitimacy); ++t) {
            vm.prank(alice);
            uint256 id = strategy.propose(questionId, t, TEXT, "", "");
            vm.assertEq(uint256(strategy.proposal(id).target), t);
        }
    }

    function test_RevertWhen_proposeInvalidTarget() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStrategyProposals.StrategyProposalsInvalidTarget.selector, 5));
        strategy.propose(questionId, 5, TEXT, "", "");
    }

    function testFuzz_RevertWhen_proposeInvalidTarget(uint8 target) public {
        target = uint8(bound(target, 5, type(uint8).max));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsInvalidTarget.selector, target)
        );
        strategy.propose(questionId, target, TEXT, "", "");
    }

    function test_RevertWhen_proposeWithoutContentHash() public {
        vm.prank(alice);
        vm.expectRevert(IStrategyProposals.StrategyProposalsZeroContentHash.selector);
        strategy.propose(questionId, LEGITIMACY, bytes32(0), "", "");
    }

    function test_RevertWhen_proposeUnderUnknownQuestion() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownQuestion.selector, 0)
        );
        strategy.propose(0, LEGITIMACY, TEXT, "", "");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownQuestion.selector, 2)
        );
        strategy.propose(2, LEGITIMACY, TEXT, "", "");
    }

    function test_RevertWhen_proposeWithoutTheBond() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsTokenTransferFailed.selector, stranger, MIN_BOND, 0, 0
            )
        );
        strategy.propose(questionId, LEGITIMACY, TEXT, "", "");
    }

    // ------------------------------------------------------------------
    // withdraw
    // ------------------------------------------------------------------

    function test_withdraw_returnsTheBondOnce() public {
        uint256 id = _propose(alice);
        uint256 before = token.balanceOf(alice);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalWithdrawn(id, alice, MIN_BOND);
        vm.prank(alice);
        strategy.withdraw(id);
        vm.assertEq(token.balanceOf(alice), before + MIN_BOND);
        _assertState(id, IStrategyProposals.ProposalState.Withdrawn);
        vm.assertEq(strategy.totalBonds(), MIN_BOND); // the question's

        vm.prank(alice);
        vm.expectRevert(
            _wrongState(id, IStrategyProposals.ProposalState.Withdrawn, IStrategyProposals.ProposalState.Open)
        );
        strategy.withdraw(id);
        _assertSolvent();
    }

    /// @notice Withdrawing a supported proposal strands nobody: its supporters unsupport
    /// and unstake in full.
    function test_withdraw_supportersLeaveAfterwards() public {
        uint256 id = _propose(alice);
        _stakeAndSupport(bob, id, 300 ether);
        _warp(HALF_LIFE);
        vm.prank(alice);
        strategy.withdraw(id);
        _unsupport(bob, id, 300 ether);
        _unstake(bob, 300 ether);
        (uint256 staked, uint256 assigned) = strategy.stakeOf(bob);
        vm.assertEq(staked, 0);
        vm.assertEq(assigned, 0);
        vm.assertEq(token.balanceOf(bob), HOLDING);
        _assertSolvent();
    }

    function test_RevertWhen_withdrawByOther() public {
        uint256 id = _propose(alice);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsNotProposer.selector, id, bob)
        );
        strategy.withdraw(id);
    }

    function test_RevertWhen_withdrawUnknown() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownProposal.selector, 1)
        );
        strategy.withdraw(1);
    }

    function test_RevertWhen_withdrawReady() public {
        uint256 id = _propose(alice);
        _stakeAndSupport(bob, id, 1000 ether);
        _warp(5 * HALF_LIFE);
        _promote(id);
        vm.prank(alice);
        vm.expectRevert(
            _wrongState(id, IStrategyProposals.ProposalState.Ready, IStrategyProposals.ProposalState.Open)
        );
        strategy.withdraw(id);
    }

    // ------------------------------------------------------------------
    // Views of unknown ids
    // ------------------------------------------------------------------

    function test_views_unknownIds() public {
        vm.assertEq(uint256(strategy.question(7).state), uint256(IStrategyProposals.QuestionState.None));
        vm.assertEq(uint256(strategy.proposal(7).state), uint256(IStrategyProposals.ProposalState.None));
        vm.assertEq(strategy.conviction(7), 0);
        (bool ready,,) = strategy.promotable(7);
        vm.assertFalse(ready);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownProposal.selector, 7)
        );
        strategy.expiresAt(7);
    }

    function _setMinBond(uint256 value) internal {
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.param, (ParamKeys.STRATEGY_MIN_BOND)),
            abi.encode(value)
        );
    }
}
