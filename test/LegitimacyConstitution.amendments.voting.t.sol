// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";

/// @notice Two-house counting: one vote counts in both houses, each house can block
/// alone, quorum and pass edges, ties, Abstain, and why weight cannot be used twice.
contract LegitimacyConstitutionAmendmentsVotingTest is AmendmentsBase {
    /// @dev Exactly `legit.tokenQuorumBps` of the supply: 3,000,000 * 4% = 120,000 tokens.
    uint256 internal constant TOKEN_QUORUM = 120_000 ether;

    // ------------------------------------------------------------------
    // One vote, both houses
    // ------------------------------------------------------------------

    function test_castVote_countsInBothHouses() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, p.id, FOR);
        _assertTallies(p.id, [HOLDING, 0, 0], [ALICE_POWER, 0, 0]);
        vm.assertTrue(constitution.hasVoted(p.id, alice));
        vm.assertFalse(constitution.hasVoted(p.id, bob));
    }

    function test_castVote_againstAndAbstainTallies() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, bob, ILegitimacyConstitution.VoteType.Against, HOLDING, BOB_POWER, ""
        );
        _vote(bob, p.id, AGAINST);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, carol, ILegitimacyConstitution.VoteType.Abstain, HOLDING, CAROL_POWER, ""
        );
        _vote(carol, p.id, ABSTAIN);
        _assertTallies(p.id, [0, HOLDING, HOLDING], [0, BOB_POWER, CAROL_POWER]);
    }

    function test_castVoteWithReason_emitsReason() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, carol, ILegitimacyConstitution.VoteType.Against, HOLDING, CAROL_POWER, "too early"
        );
        vm.prank(carol);
        constitution.castVoteWithReason(p.id, AGAINST, "too early");
        _assertTallies(p.id, [0, HOLDING, 0], [0, CAROL_POWER, 0]);
        vm.assertTrue(constitution.hasVoted(p.id, carol));
    }

    function test_castVote_tokenOnlyVoter() public {
        _give(alice, dave, 5000 ether);
        vm.warp(block.timestamp + 1);
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, dave, ILegitimacyConstitution.VoteType.For, 5000 ether, 0, ""
        );
        _vote(dave, p.id, FOR);
    }

    function test_castVote_workOnlyVoter() public {
        _give(carol, stranger, HOLDING);
        vm.warp(block.timestamp + 1);
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, carol, ILegitimacyConstitution.VoteType.For, 0, CAROL_POWER, ""
        );
        _vote(carol, p.id, FOR);
    }

    function test_RevertWhen_castVoteWithoutPower() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.prank(stranger);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, p.id, stranger
            )
        );
        constitution.castVote(p.id, FOR);
    }

    function testFuzz_RevertWhen_castVoteInvalidSupport(uint8 support) public {
        support = uint8(bound(support, 3, type(uint8).max));
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidSupport.selector, support
            )
        );
        constitution.castVote(p.id, support);
    }

    function test_RevertWhen_castVoteUnknownAmendment() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownAmendment.selector, 42
            )
        );
        constitution.castVote(42, FOR);
    }

    // ------------------------------------------------------------------
    // Each house can block alone; both must carry
    // ------------------------------------------------------------------

    /// @notice Capital cannot override contributors: the Token House carries 2:1 but the
    /// Work House votes it down. The control amendment (same snapshot) differs only in
    /// carol's vote and succeeds, so the Work House was decisive.
    function test_state_workHouseBlocksAlone() public {
        _give(carol, alice, HOLDING); // alice 2M/10, bob 1M/8, carol 0/6
        vm.warp(block.timestamp + 1);
        Proposal memory blocked = _propose(alice, _noop());
        Proposal memory control = _propose(alice, _noop());
        _toVoteStart(blocked.id);
        _vote(alice, blocked.id, FOR);
        _vote(bob, blocked.id, AGAINST);
        _vote(carol, blocked.id, AGAINST);
        _vote(alice, control.id, FOR);
        _vote(bob, control.id, AGAINST);
        _vote(carol, control.id, FOR);
        _toVoteEnd(blocked.id);

        _assertTallies(blocked.id, [2 * HOLDING, HOLDING, 0], [ALICE_POWER, BOB_POWER + CAROL_POWER, 0]);
        _assertState(blocked.id, ILegitimacyConstitution.AmendmentState.Defeated);
        _assertState(control.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    /// @notice Contributors cannot override capital: the Work House carries 18:6 but the
    /// Token House votes it down 2:1.
    function test_state_tokenHouseBlocksAlone() public {
        _give(bob, carol, HOLDING); // alice 1M/10, bob 0/8, carol 2M/6
        vm.warp(block.timestamp + 1);
        Proposal memory blocked = _propose(alice, _noop());
        Proposal memory control = _propose(alice, _noop());
        _toVoteStart(blocked.id);
        _vote(alice, blocked.id, FOR);
        _vote(bob, blocked.id, FOR);
        _vote(carol, blocked.id, AGAINST);
        _vote(alice, control.id, FOR);
        _vote(bob, control.id, FOR);
        _vote(carol, control.id, ABSTAIN);
        _toVoteEnd(blocked.id);

        _assertTallies(blocked.id, [HOLDING, 2 * HOLDING, 0], [ALICE_POWER + BOB_POWER, CAROL_POWER, 0]);
        _assertState(blocked.id, ILegitimacyConstitution.AmendmentState.Defeated);
        _assertState(control.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    function test_state_noVotesIsDefeated() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteEnd(p.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
        vm.warp(block.timestamp + 365 days);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    /// @notice The outcome is exactly the two-house rule of PROTOCOL.md §3, computed here
    /// from balances and powers independently of the contract, for any distribution of
    /// tokens among the three founders and any votes (3 = does not vote).
    function testFuzz_state_matchesTwoHouseRule(
        uint256 aliceToBob,
        uint256 bobToCarol,
        uint8[3] memory choices
    ) public {
        aliceToBob = bound(aliceToBob, 0, HOLDING);
        bobToCarol = bound(bobToCarol, 0, HOLDING + aliceToBob);
        _give(alice, bob, aliceToBob);
        _give(bob, carol, bobToCarol);
        vm.warp(block.timestamp + 1);
        Proposal memory p = _propose(carol, _noop());
        _toVoteStart(p.id);

        address[3] memory voters = [alice, bob, carol];
        uint256[3] memory tokenWeight =
            [HOLDING - aliceToBob, HOLDING + aliceToBob - bobToCarol, HOLDING + bobToCarol];
        uint256[3] memory workWeight = [ALICE_POWER, BOB_POWER, CAROL_POWER];
        uint256[3] memory tokenTally; // Against, For, Abstain
        uint256[3] memory workTally;
        for (uint256 i; i < 3; ++i) {
            uint8 s = uint8(bound(choices[i], 0, 3));
            if (s == 3) continue;
            _vote(voters[i], p.id, s);
            tokenTally[s] += tokenWeight[i];
            workTally[s] += workWeight[i];
        }
        _toVoteEnd(p.id);

        _assertTallies(
            p.id, [tokenTally[1], tokenTally[0], tokenTally[2]], [workTally[1], workTally[0], workTally[2]]
        );
        bool tokenCarries = _carries(tokenTally, TOTAL_SUPPLY, TOKEN_QUORUM_BPS);
        bool workCarries = _carries(workTally, TOTAL_POWER, WORK_QUORUM_BPS);
        _assertState(
            p.id,
            tokenCarries && workCarries
                ? ILegitimacyConstitution.AmendmentState.Succeeded
                : ILegitimacyConstitution.AmendmentState.Defeated
        );
    }

    /// @dev The spec's rule for one house, written out independently of the contract.
    function _carries(uint256[3] memory tally, uint256 total, uint256 quorumBps)
        internal
        pure
        returns (bool)
    {
        uint256 againstVotes = tally[0];
        uint256 forVotes = tally[1];
        uint256 abstain = tally[2];
        bool quorum = (forVotes + abstain) * 10_000 >= total * quorumBps;
        bool passes = forVotes * 10_000 > PASS_BPS * (forVotes + againstVotes);
        return quorum && passes;
    }

    // ------------------------------------------------------------------
    // Token House: quorum edges, Abstain, ties
    // ------------------------------------------------------------------

    /// @dev carol keeps her Work House power but parks her tokens with a non-voter, so
    /// her vote carries the Work House alone; dave holds `daveTokens` and no power.
    function _tokenEdgeSetup(uint256 daveTokens) internal returns (Proposal memory p) {
        _give(carol, stranger, HOLDING);
        _give(alice, dave, daveTokens);
        vm.warp(block.timestamp + 1);
        p = _propose(alice, _noop());
        _toVoteStart(p.id);
        _vote(carol, p.id, FOR); // Work House: 6 of 24 For, quorum 2.4
    }

    function test_state_tokenQuorumExactlyReachedPasses() public {
        Proposal memory p = _tokenEdgeSetup(TOKEN_QUORUM);
        (uint256 tq,) = constitution.quorums(p.id);
        vm.assertEq(tq, TOKEN_QUORUM);
        _vote(dave, p.id, FOR);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [TOKEN_QUORUM, 0, 0], [CAROL_POWER, 0, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    function test_state_tokenQuorumOneWeiShortFails() public {
        Proposal memory p = _tokenEdgeSetup(TOKEN_QUORUM - 1);
        _vote(dave, p.id, FOR);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [TOKEN_QUORUM - 1, 0, 0], [CAROL_POWER, 0, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    /// @notice Abstain fills the quorum: 1 wei For plus (quorum - 1) Abstain carries.
    function test_state_abstainCountsTowardTokenQuorum() public {
        _give(alice, erin, 1);
        Proposal memory p = _tokenEdgeSetup(TOKEN_QUORUM - 1);
        _vote(dave, p.id, ABSTAIN);
        _vote(erin, p.id, FOR);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [uint256(1), 0, TOKEN_QUORUM - 1], [CAROL_POWER, 0, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    /// @notice Abstain does not count toward passing: with quorum reached by Abstain,
    /// 1 wei For against 1 wei Against is a tie and fails.
    function test_state_abstainDoesNotCountTowardPassing() public {
        _give(alice, erin, 1);
        _give(alice, frank, 1);
        Proposal memory p = _tokenEdgeSetup(TOKEN_QUORUM);
        _vote(dave, p.id, ABSTAIN);
        _vote(erin, p.id, FOR);
        _vote(frank, p.id, AGAINST);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [uint256(1), 1, TOKEN_QUORUM], [CAROL_POWER, 0, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    /// @notice Only Abstain: quorum is met but nothing passes (0 > 0 is false).
    function test_state_onlyAbstainFails() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        _vote(alice, p.id, ABSTAIN);
        _vote(bob, p.id, ABSTAIN);
        _vote(carol, p.id, ABSTAIN);
        _toVoteEnd(p.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    /// @notice A Token House tie fails, one wei more For passes. The Work House carries
    /// both (10 For against 8).
    function test_state_tokenTieFailsOneWeiMorePasses() public {
        Proposal memory tie = _propose(alice, _noop());
        _give(carol, alice, 1);
        vm.warp(block.timestamp + 1);
        Proposal memory more = _propose(alice, _noop());
        _toVoteStart(more.id);
        _vote(alice, tie.id, FOR);
        _vote(bob, tie.id, AGAINST);
        _vote(alice, more.id, FOR);
        _vote(bob, more.id, AGAINST);
        _toVoteEnd(more.id);
        _assertTallies(tie.id, [HOLDING, HOLDING, 0], [ALICE_POWER, BOB_POWER, 0]);
        _assertTallies(more.id, [HOLDING + 1, HOLDING, 0], [ALICE_POWER, BOB_POWER, 0]);
        _assertState(tie.id, ILegitimacyConstitution.AmendmentState.Defeated);
        _assertState(more.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    // ------------------------------------------------------------------
    // Work House: quorum edges, Abstain, ties
    // ------------------------------------------------------------------

    address internal whale = makeAddr("whale");

    /// @dev A weight-1 recognized schema and three new contributors with powers 1, 2
    /// and 3 (dave, erin, frank: 1, 4 and 9 packets), so the Work House totals 30 and its
    /// quorum is exactly 3. whale holds alice's tokens and no power: it carries the
    /// Token House alone.
    function _workEdgeSetup() internal returns (Proposal memory p) {
        bytes32 schemaId = _recognizedSchema("unit", 1);
        _submit(work, dave, schemaId, 1);
        _submit(work, erin, schemaId, 4);
        _submit(work, frank, schemaId, 9);
        _give(alice, whale, HOLDING);
        vm.warp(block.timestamp + 1);
        vm.assertEq(work.power(dave), 1);
        vm.assertEq(work.power(erin), 2);
        vm.assertEq(work.power(frank), 3);
        vm.assertEq(work.totalPower(), 30);
        p = _propose(bob, _noop());
        (, uint256 wq) = constitution.quorums(p.id);
        vm.assertEq(wq, 3);
        _toVoteStart(p.id);
        _vote(whale, p.id, FOR);
    }

    function test_state_workQuorumExactlyReachedPasses() public {
        Proposal memory p = _workEdgeSetup();
        _vote(erin, p.id, FOR);
        _vote(dave, p.id, FOR);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [HOLDING, 0, 0], [uint256(3), 0, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    function test_state_workQuorumOneBelowFails() public {
        Proposal memory p = _workEdgeSetup();
        _vote(erin, p.id, FOR);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [HOLDING, 0, 0], [uint256(2), 0, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    function test_state_abstainCountsTowardWorkQuorum() public {
        Proposal memory p = _workEdgeSetup();
        _vote(dave, p.id, FOR);
        _vote(erin, p.id, ABSTAIN);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [HOLDING, 0, 0], [uint256(1), 0, 2]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    /// @notice Work House tie (3 For, 1 + 2 Against) fails although the Token House carries.
    function test_state_workTieFails() public {
        Proposal memory p = _workEdgeSetup();
        _vote(frank, p.id, FOR);
        _vote(dave, p.id, AGAINST);
        _vote(erin, p.id, AGAINST);
        _toVoteEnd(p.id);
        _assertTallies(p.id, [HOLDING, 0, 0], [uint256(3), 3, 0]);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    // ------------------------------------------------------------------
    // Double voting is impossible
    // ------------------------------------------------------------------

    function test_RevertWhen_castVoteTwice() public {
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        _vote(alice, p.id, FOR);
        bytes memory err = abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionAlreadyVoted.selector, p.id, alice
        );
        vm.prank(alice);
        _expectRevert(err);
        constitution.castVote(p.id, AGAINST);
        vm.prank(alice);
        _expectRevert(err);
        constitution.castVoteWithReason(p.id, FOR, "again");
        _assertTallies(p.id, [HOLDING, 0, 0], [ALICE_POWER, 0, 0]);
    }

    /// @notice Tokens moved after the snapshot vote nowhere new: the receiver had nothing
    /// at the snapshot, the sender still votes its snapshot weight, and a holder who
    /// received more votes only what it had.
    function test_castVote_transferAfterSnapshotDoesNotMoveWeight() public {
        Proposal memory p = _propose(alice, _noop());
        _give(alice, dave, HOLDING); // during the notice period
        _give(bob, alice, HOLDING);
        _toVoteStart(p.id);
        vm.assertEq(token.getVotes(alice), HOLDING);
        vm.assertEq(token.getVotes(bob), 0);

        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, p.id, dave
            )
        );
        constitution.castVote(p.id, FOR);

        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, bob, ILegitimacyConstitution.VoteType.For, HOLDING, BOB_POWER, ""
        );
        _vote(bob, p.id, FOR);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, p.id, FOR);
        _assertTallies(p.id, [2 * HOLDING, 0, 0], [ALICE_POWER + BOB_POWER, 0, 0]);
    }

    /// @notice Delegating after the snapshot moves no weight in this amendment: the
    /// delegator keeps its snapshot weight and the delegatee gains nothing, so the
    /// houses never count more than the supply.
    function test_castVote_delegationAfterSnapshotDoesNotMoveWeight() public {
        Proposal memory p = _propose(alice, _noop());
        vm.prank(alice);
        token.delegate(bob);
        vm.prank(carol);
        token.delegate(alice);
        _toVoteStart(p.id);
        vm.assertEq(token.getVotes(bob), 2 * HOLDING);

        _vote(bob, p.id, FOR);
        _vote(alice, p.id, FOR);
        _vote(carol, p.id, AGAINST);
        _assertTallies(p.id, [2 * HOLDING, HOLDING, 0], [ALICE_POWER + BOB_POWER, CAROL_POWER, 0]);

        // The delegation is real: an amendment proposed now sees it.
        Proposal memory later = _propose(bob, _noop());
        _toVoteStart(later.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            later.id, bob, ILegitimacyConstitution.VoteType.For, 2 * HOLDING, BOB_POWER, ""
        );
        _vote(bob, later.id, FOR);
    }

    /// @notice Packets accepted after the snapshot add no Work House weight to it: a new
    /// contributor cannot vote, and an existing one votes its snapshot power.
    function test_castVote_packetsAfterSnapshotDoNotCount() public {
        bytes32 schemaId = _recognizedSchema("task", 125);
        vm.warp(block.timestamp + 1);
        Proposal memory p = _propose(alice, _noop());
        _submit(work, alice, schemaId, 1); // 100 + 125 points: power 10 -> 15
        _submit(work, dave, schemaId, 1); // 125 points: power 0 -> 11
        vm.assertEq(work.power(alice), 15);
        vm.assertEq(work.power(dave), 11);
        _toVoteStart(p.id);

        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, p.id, dave
            )
        );
        constitution.castVote(p.id, FOR);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, p.id, FOR);
        (, uint256 wq) = constitution.quorums(p.id);
        vm.assertEq(wq, 3, "quorum from the snapshot total (24), not the current 50");

        // The new power is real: an amendment proposed now counts it.
        Proposal memory later = _propose(dave, _noop());
        _toVoteStart(later.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(later.id, dave, ILegitimacyConstitution.VoteType.For, 0, 11, "");
        _vote(dave, later.id, FOR);
    }

    /// @notice Tokens received one second before the proposal count; in the proposal's
    /// own second they do not (the snapshot is `clock() - 1`).
    function test_castVote_snapshotIsOneSecondBeforeCreation() public {
        _give(alice, dave, 10 ether);
        vm.warp(block.timestamp + 1);
        _give(alice, erin, 10 ether);
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, dave, ILegitimacyConstitution.VoteType.For, 10 ether, 0, ""
        );
        _vote(dave, p.id, FOR);
        vm.prank(erin);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, p.id, erin
            )
        );
        constitution.castVote(p.id, FOR);
    }

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    /// @dev `token` and `work` are [For, Against, Abstain].
    function _assertTallies(uint256 id, uint256[3] memory tokenVotes, uint256[3] memory workVotes)
        internal
        view
    {
        ILegitimacyConstitution.Tallies memory t = constitution.tallies(id);
        vm.assertEq(t.tokenFor, tokenVotes[0], "tokenFor");
        vm.assertEq(t.tokenAgainst, tokenVotes[1], "tokenAgainst");
        vm.assertEq(t.tokenAbstain, tokenVotes[2], "tokenAbstain");
        vm.assertEq(t.workFor, workVotes[0], "workFor");
        vm.assertEq(t.workAgainst, workVotes[1], "workAgainst");
        vm.assertEq(t.workAbstain, workVotes[2], "workAbstain");
    }
}

/// @notice Founding points count in every amendment that can exist: before the
/// bootstrap, and in its own second, the houses had no weight at the snapshot, so a
/// proposal is refused (it could never pass); the first one accepted counts the seeds.
/// The suite is wired by hand so that a proposal can be tried before bootstrap.
contract LegitimacyConstitutionAmendmentsSeedSnapshotTest is AmendmentsBase {
    function setUp() public override {
        _deployConstitution();
        work = _newWorkRegistry();
        workRegistry = work;
        vm.warp(block.timestamp + 1);
    }

    function _expectBeforeBootstrap(uint256 snapshot, uint256 bootstrappedAt) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSnapshotBeforeBootstrap.selector,
                snapshot,
                bootstrappedAt
            )
        );
    }

    function test_castVote_seedsCountFromTheFirstPossibleSnapshot() public {
        // Token House weight would suffice, but before bootstrap nothing can pass.
        _expectBeforeBootstrap(block.timestamp - 1, 0);
        vm.prank(alice);
        constitution.propose(_noop(), 0, "too early");

        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: ALICE_POINTS});
        vm.prank(deployer);
        constitution.bootstrap(c);
        vm.assertEq(work.power(alice), ALICE_POWER);

        // Same second as the bootstrap: the snapshot precedes the seeds.
        _expectBeforeBootstrap(block.timestamp - 1, block.timestamp);
        vm.prank(alice);
        constitution.propose(_noop(), 0, "same second");

        vm.warp(block.timestamp + 1);
        Proposal memory first = _propose(alice, _noop());
        _toVoteStart(first.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            first.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, first.id, FOR);
        (, uint256 wq) = constitution.quorums(first.id);
        vm.assertEq(wq, 1, "10% of power 10, rounded up");
        _toVoteEnd(first.id);
        _assertState(first.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }
}
