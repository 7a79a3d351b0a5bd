// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {MockWorkRegistry} from "./mocks/MockWorkRegistry.sol";
import {ReentrantDeployer, ReentrantWorkModule} from "./mocks/ReentrantBootstrap.sol";
import {Fixture} from "./utils/Fixture.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Each amendment is decided under the context frozen when it was proposed:
/// voting delay and period, timelock, grace period, both quorums, the pass threshold
/// and the Work House registry. A later amendment that changes any of them can neither
/// revive, flip nor expire one already under way; only amendments proposed after the
/// change follow the new rules.
/// @dev Every test below that guards an in-flight amendment says what the previous,
/// live-parameter constitution (`_values[...]` and `_modules[Work]` read at each call)
/// returned at the same point, so each one fails if the context is dropped.
contract LegitimacyConstitutionAmendmentsContextTest is AmendmentsBase {
    ILegitimacyConstitution.AmendmentState internal constant DEFEATED =
    ILegitimacyConstitution.AmendmentState.Defeated;
    ILegitimacyConstitution.AmendmentState internal constant SUCCEEDED =
    ILegitimacyConstitution.AmendmentState.Succeeded;
    ILegitimacyConstitution.AmendmentState internal constant QUEUED =
    ILegitimacyConstitution.AmendmentState.Queued;
    ILegitimacyConstitution.AmendmentState internal constant EXECUTED =
    ILegitimacyConstitution.AmendmentState.Executed;
    ILegitimacyConstitution.AmendmentState internal constant EXPIRED =
    ILegitimacyConstitution.AmendmentState.Expired;

    /// @dev `legit.tokenQuorumBps` (4%) of the 3,000,000-token supply.
    uint256 internal constant TOKEN_QUORUM = 120_000 ether;
    /// @dev `legit.workQuorumBps` (10%) of 24 power, rounded up.
    uint256 internal constant WORK_QUORUM = 3;
    /// @dev The dev genesis' lowest `legit.gracePeriod`.
    uint256 internal constant MIN_GRACE = 600;
    /// @dev The dev genesis' highest `legit.gracePeriod`.
    uint256 internal constant MAX_GRACE = 90 days;
    uint256 internal constant NEW_TTL = 600;

    /// @dev The amendment whose fate the tests watch: it raises `locks.maxTtl`.
    function _ttl() internal returns (Proposal memory) {
        return _propose(alice, _one(_setParam(ParamKeys.LOCKS_MAX_TTL, NEW_TTL)));
    }

    /// @dev Two amendments proposed in the same second share one schedule; alice and bob
    /// carry both (2/3 of the tokens, 18 of 24 power).
    function _carryTogether(uint256 a, uint256 b) internal {
        vm.assertEq(constitution.amendment(a).voteEnd, constitution.amendment(b).voteEnd, "same schedule");
        _toVoteStart(a);
        _vote(alice, a, FOR);
        _vote(bob, a, FOR);
        _vote(alice, b, FOR);
        _vote(bob, b, FOR);
        _toVoteEnd(a);
        _assertState(a, SUCCEEDED);
        _assertState(b, SUCCEEDED);
    }

    function _queue(uint256 id) internal {
        vm.prank(stranger);
        constitution.queue(id);
    }

    function _assertQuorums(uint256 id, uint256 tokenQuorum, uint256 workQuorum) internal view {
        (uint256 tq, uint256 wq) = constitution.quorums(id);
        vm.assertEq(tq, tokenQuorum, "token quorum");
        vm.assertEq(wq, workQuorum, "work quorum");
    }

    // ------------------------------------------------------------------
    // Expired stays Expired when the grace period is raised
    // ------------------------------------------------------------------

    /// @notice A Succeeded amendment nobody queued expires at voteEnd + its own grace and
    /// stays Expired after another amendment raises `legit.gracePeriod` to 90 days.
    /// Live-parameter behaviour: `state` read the new 90-day grace and returned Succeeded
    /// again, and `queue` accepted the stale decision.
    function test_state_expiredSucceededStaysExpiredAfterGraceRaised() public {
        Proposal memory p = _ttl();
        _carry(p.id);
        uint256 voteEnd = constitution.amendment(p.id).voteEnd;
        vm.warp(voteEnd + GRACE);
        _assertState(p.id, EXPIRED);

        _enact(_one(_setParam(ParamKeys.LEGIT_GRACE_PERIOD, MAX_GRACE)));
        vm.assertEq(constitution.param(ParamKeys.LEGIT_GRACE_PERIOD), MAX_GRACE);
        vm.assertLt(block.timestamp, voteEnd + MAX_GRACE, "inside the new grace period");

        _assertState(p.id, EXPIRED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, EXPIRED, SUCCEEDED));
        constitution.queue(p.id);
        vm.assertEq(constitution.amendment(p.id).eta, 0, "never queued");
    }

    /// @notice The same for a Queued amendment that expired at eta + grace.
    /// Live-parameter behaviour: Queued again, and `execute` applied it.
    function test_state_expiredQueuedStaysExpiredAfterGraceRaised() public {
        Proposal memory p = _ttl();
        _carry(p.id);
        _queueAndWait(p.id);
        uint256 eta = constitution.amendment(p.id).eta;
        vm.warp(eta + GRACE);
        _assertState(p.id, EXPIRED);

        _enact(_one(_setParam(ParamKeys.LEGIT_GRACE_PERIOD, MAX_GRACE)));
        vm.assertLt(block.timestamp, eta + MAX_GRACE, "inside the new grace period");

        _assertState(p.id, EXPIRED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, EXPIRED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), 300, "unchanged");
    }

    // ------------------------------------------------------------------
    // Defeated stays Defeated when a quorum is lowered
    // ------------------------------------------------------------------

    /// @notice An amendment that failed only the Token House quorum (100,000 of the
    /// 120,000 tokens needed) stays Defeated after another amendment lowers
    /// `legit.tokenQuorumBps` to 1% while the first is still inside its grace window.
    /// Live-parameter behaviour: Succeeded (100,000 >= 30,000) and queueable. A fresh
    /// amendment with the very same votes does succeed under the new quorum, so the
    /// lowered quorum is what the frozen context keeps out.
    function test_state_defeatedStaysDefeatedAfterTokenQuorumLowered() public {
        _give(carol, frank, HOLDING); // carol: Work House power only
        _give(alice, dave, 100_000 ether); // dave: tokens only, below the 4% quorum
        vm.warp(block.timestamp + 1);

        Proposal memory p = _ttl();
        Proposal memory q = _propose(alice, _one(_setParam(ParamKeys.LEGIT_TOKEN_QUORUM_BPS, 100)));
        _toVoteStart(p.id);
        _vote(dave, p.id, FOR);
        _vote(carol, p.id, FOR);
        _vote(alice, q.id, FOR);
        _vote(bob, q.id, FOR);
        _toVoteEnd(p.id);
        ILegitimacyConstitution.Tallies memory t = constitution.tallies(p.id);
        vm.assertEq(t.tokenFor, 100_000 ether);
        vm.assertEq(t.workFor, CAROL_POWER);
        _assertState(p.id, DEFEATED);
        _assertState(q.id, SUCCEEDED);

        _queueAndWait(q.id);
        _execute(q);
        vm.assertEq(constitution.param(ParamKeys.LEGIT_TOKEN_QUORUM_BPS), 100);
        vm.assertLt(block.timestamp, constitution.amendment(p.id).voteEnd + GRACE, "inside p's grace");

        _assertState(p.id, DEFEATED);
        _assertQuorums(p.id, TOKEN_QUORUM, WORK_QUORUM);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, DEFEATED, SUCCEEDED));
        constitution.queue(p.id);

        // Control: the same votes on an amendment proposed now carry.
        Proposal memory r = _ttl();
        _assertQuorums(r.id, 30_000 ether, WORK_QUORUM);
        _toVoteStart(r.id);
        _vote(dave, r.id, FOR);
        _vote(carol, r.id, FOR);
        _toVoteEnd(r.id);
        _assertState(r.id, SUCCEEDED);
    }

    // ------------------------------------------------------------------
    // Succeeded stays Succeeded when the bar is raised
    // ------------------------------------------------------------------

    /// @dev Proposes `p` (the ttl change) and `q` (`key` := `value`) in the same second;
    /// alice and bob carry `q`. On `p` only bob votes (For), or, if `carolAgainst`, alice
    /// and bob vote For and carol Against. `q` executes while `p` is Succeeded. Checks
    /// that `p` stays Succeeded with its quorums, then queues and executes it.
    function _raiseAfterSuccess(bytes32 key, uint256 value, bool carolAgainst) internal {
        Proposal memory p = _ttl();
        Proposal memory q = _propose(alice, _one(_setParam(key, value)));
        _toVoteStart(p.id);
        _vote(alice, q.id, FOR);
        _vote(bob, q.id, FOR);
        _vote(bob, p.id, FOR);
        if (carolAgainst) {
            _vote(alice, p.id, FOR);
            _vote(carol, p.id, AGAINST);
        }
        _toVoteEnd(p.id);
        _assertState(p.id, SUCCEEDED);

        _queueAndWait(q.id);
        _execute(q);
        vm.assertEq(constitution.param(key), value);

        _assertState(p.id, SUCCEEDED);
        _assertQuorums(p.id, TOKEN_QUORUM, WORK_QUORUM);
        _queueAndWait(p.id);
        _execute(p);
        _assertState(p.id, EXECUTED);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), NEW_TTL);
    }

    /// @notice Won 2:1 in tokens and 18:6 in power under `legit.passBps` = 50%; raising
    /// it to 90% afterwards does not flip the result.
    /// Live-parameter behaviour: Defeated (66.7% and 75% are not above 90%).
    function test_state_succeededStaysSucceededAfterPassBpsRaised() public {
        _raiseAfterSuccess(ParamKeys.LEGIT_PASS_BPS, 9000, true);
    }

    /// @notice bob alone (1/3 of the tokens) carries the Token House at 4%; raising
    /// `legit.tokenQuorumBps` to 50% afterwards does not flip the result.
    /// Live-parameter behaviour: Defeated (33% of the supply is below 50%).
    function test_state_succeededStaysSucceededAfterTokenQuorumRaised() public {
        _raiseAfterSuccess(ParamKeys.LEGIT_TOKEN_QUORUM_BPS, 5000, false);
    }

    /// @notice bob alone (8 of 24 power) carries the Work House at 10%; raising
    /// `legit.workQuorumBps` to 50% afterwards does not flip the result.
    /// Live-parameter behaviour: Defeated (8 < 12).
    function test_state_succeededStaysSucceededAfterWorkQuorumRaised() public {
        _raiseAfterSuccess(ParamKeys.LEGIT_WORK_QUORUM_BPS, 5000, false);
    }

    // ------------------------------------------------------------------
    // A lowered grace period does not expire an amendment early
    // ------------------------------------------------------------------

    /// @dev `p` (the ttl change) and `q` (grace := 600) are carried together and both
    /// queued; `q` executes at their common eta. Returns `p` and that eta.
    function _lowerGraceWhileQueued() internal returns (Proposal memory p, uint256 eta) {
        p = _ttl();
        Proposal memory q = _propose(alice, _one(_setParam(ParamKeys.LEGIT_GRACE_PERIOD, MIN_GRACE)));
        _carryTogether(p.id, q.id);
        _queue(p.id);
        _queueAndWait(q.id);
        _execute(q);
        eta = constitution.amendment(p.id).eta;
        vm.assertEq(eta, block.timestamp, "q executed at p's eta");
        vm.assertEq(constitution.param(ParamKeys.LEGIT_GRACE_PERIOD), MIN_GRACE);
    }

    /// @notice A Queued amendment expires at eta + the grace of its own context (1800 s),
    /// not of the live parameter (600 s).
    /// Live-parameter behaviour: Expired from eta + 600.
    function test_state_queuedKeepsOwnGraceAfterGraceLowered() public {
        (Proposal memory p, uint256 eta) = _lowerGraceWhileQueued();
        vm.warp(eta + MIN_GRACE);
        _assertState(p.id, QUEUED);
        vm.warp(eta + GRACE - 1);
        _assertState(p.id, QUEUED);
        vm.warp(eta + GRACE);
        _assertState(p.id, EXPIRED);
    }

    /// @notice ... and it can still execute in the last second of that grace.
    /// Live-parameter behaviour: WrongState(Expired, Queued).
    function test_execute_queuedAfterGraceLoweredAtLastSecondOfOwnGrace() public {
        (Proposal memory p, uint256 eta) = _lowerGraceWhileQueued();
        vm.warp(eta + GRACE - 1);
        _execute(p);
        _assertState(p.id, EXECUTED);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), NEW_TTL);
    }

    /// @notice The same for a Succeeded amendment not yet queued: it can be queued until
    /// voteEnd + its own grace.
    /// Live-parameter behaviour: Expired from voteEnd + 600; `queue` reverted.
    function test_queue_succeededAfterGraceLoweredWithinOwnGrace() public {
        Proposal memory p = _ttl();
        Proposal memory q = _propose(alice, _one(_setParam(ParamKeys.LEGIT_GRACE_PERIOD, MIN_GRACE)));
        _carryTogether(p.id, q.id);
        uint256 voteEnd = constitution.amendment(p.id).voteEnd;
        _queueAndWait(q.id);
        _execute(q);

        vm.warp(voteEnd + MIN_GRACE);
        _assertState(p.id, SUCCEEDED);
        vm.warp(voteEnd + GRACE - 1);
        _queue(p.id);
        _assertState(p.id, QUEUED);
    }

    // ------------------------------------------------------------------
    // The timelock is the one frozen at propose
    // ------------------------------------------------------------------

    /// @dev `p` (the ttl change) and `q` (timelock := `newTimelock`) are carried together;
    /// `q` is queued and executed, so `p` is Succeeded and not yet queued under the new
    /// live timelock.
    function _changeTimelockBeforeQueue(uint256 newTimelock) internal returns (Proposal memory p) {
        p = _ttl();
        Proposal memory q = _propose(alice, _one(_setParam(ParamKeys.LEGIT_TIMELOCK, newTimelock)));
        _carryTogether(p.id, q.id);
        _queueAndWait(q.id);
        _execute(q);
        vm.assertEq(constitution.param(ParamKeys.LEGIT_TIMELOCK), newTimelock);
        _assertState(p.id, SUCCEEDED);
    }

    /// @notice The timelock raised to a day between propose and queue: eta is queue time
    /// + 120 s, and the amendment executes then.
    /// Live-parameter behaviour: eta = queue time + 1 day; `execute` at +120 s reverted
    /// Timelocked.
    function test_queue_usesTimelockFrozenAtProposeWhenRaised() public {
        Proposal memory p = _changeTimelockBeforeQueue(1 days);
        uint48 eta = uint48(block.timestamp + TIMELOCK);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentQueued(p.id, eta);
        _queue(p.id);
        vm.assertEq(constitution.amendment(p.id).eta, eta);
        vm.warp(eta);
        _execute(p);
        _assertState(p.id, EXECUTED);

        // An amendment proposed now waits the new day.
        Proposal memory r = _ttl();
        _carry(r.id);
        _queue(r.id);
        vm.assertEq(constitution.amendment(r.id).eta, block.timestamp + 1 days);
    }

    /// @notice The timelock lowered to zero between propose and queue does not let an
    /// amendment already voted on skip its 120 s.
    /// Live-parameter behaviour: eta = queue time, executable in the same second.
    function test_RevertWhen_executeBeforeFrozenTimelockAfterTimelockLowered() public {
        Proposal memory p = _changeTimelockBeforeQueue(0);
        uint48 eta = uint48(block.timestamp + TIMELOCK);
        _queue(p.id);
        vm.assertEq(constitution.amendment(p.id).eta, eta);
        vm.prank(stranger);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionTimelocked.selector,
                p.id,
                eta,
                uint48(block.timestamp)
            )
        );
        constitution.execute(p.id, p.proposer, p.body);
        vm.warp(eta);
        _execute(p);
        _assertState(p.id, EXECUTED);
    }

    /// @notice For any new timelock, an amendment proposed before the change is queued
    /// with the old one and an amendment proposed after it with the new one.
    /// Live-parameter behaviour: both with the new one.
    function testFuzz_queue_timelockFrozenAtPropose(uint256 newTimelock) public {
        newTimelock = bound(newTimelock, 0, 30 days);
        Proposal memory p = _changeTimelockBeforeQueue(newTimelock);
        _queue(p.id);
        vm.assertEq(constitution.amendment(p.id).eta, block.timestamp + TIMELOCK, "old context");

        Proposal memory r = _ttl();
        _carry(r.id);
        _queue(r.id);
        vm.assertEq(constitution.amendment(r.id).eta, block.timestamp + newTimelock, "new context");
    }

    // ------------------------------------------------------------------
    // The Work House registry is frozen at propose
    // ------------------------------------------------------------------

    /// @notice SetModule(Work) to a new Work registry executes while amendment `p` is
    /// Active. `p` keeps counting the old registry: its quorum is 10% of the old 24
    /// power, alice and bob vote with their founding power, and dave, whom only the new
    /// registry credits, has none for it. An amendment proposed after the change counts
    /// the new registry only. (The new registry is a stand-in successor that reports its
    /// own figures, so that which registry was read is visible: a real successor gives
    /// the same answers as its predecessor for any second before the swap.)
    /// Live-parameter behaviour: `p` read the new registry at its snapshot (dave's 1000
    /// power): Work House quorum 103, and 18 For would miss it: `p` Defeated.
    function test_setModule_inFlightAmendmentKeepsItsWorkHouse() public {
        MockWorkRegistry work2 = new MockWorkRegistry(address(constitution), address(work));
        work2.setPower(alice, ALICE_POWER);
        work2.setPower(bob, BOB_POWER);
        work2.setPower(carol, CAROL_POWER);
        work2.setPower(dave, 1000);
        vm.assertEq(work.power(dave), 0);
        vm.warp(block.timestamp + 1);

        // q switches the registry; p is proposed while q is still Active, and its voting
        // window is open once q has executed.
        Proposal memory q =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Work, address(work2))));
        _toVoteStart(q.id);
        _vote(alice, q.id, FOR);
        _vote(bob, q.id, FOR);
        vm.warp(constitution.amendment(q.id).voteEnd - 1);
        Proposal memory p = _ttl();
        _toVoteEnd(q.id);
        _queueAndWait(q.id);
        _execute(q);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work2));
        vm.assertGe(block.timestamp, constitution.amendment(p.id).voteStart, "p is Active");
        vm.assertLt(block.timestamp, constitution.amendment(p.id).voteEnd, "p is Active");

        _assertQuorums(p.id, TOKEN_QUORUM, WORK_QUORUM);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, p.id, FOR);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, bob, ILegitimacyConstitution.VoteType.For, HOLDING, BOB_POWER, ""
        );
        _vote(bob, p.id, FOR);
        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, p.id, dave
            )
        );
        constitution.castVote(p.id, FOR);
        _toVoteEnd(p.id);
        vm.assertEq(constitution.tallies(p.id).workFor, ALICE_POWER + BOB_POWER);
        _assertState(p.id, SUCCEEDED);

        // Proposed after the change: the new registry (1024 power in all, quorum 103).
        Proposal memory r = _ttl();
        _assertQuorums(r.id, TOKEN_QUORUM, 103);
        _toVoteStart(r.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(r.id, dave, ILegitimacyConstitution.VoteType.For, 0, 1000, "");
        _vote(dave, r.id, FOR);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            r.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, r.id, FOR);
        _toVoteEnd(r.id);
        _assertState(r.id, SUCCEEDED);
    }

    // ------------------------------------------------------------------
    // Amendments proposed after a change use the new context
    // ------------------------------------------------------------------

    uint256 internal constant NEW_DELAY = 30;
    uint256 internal constant NEW_PERIOD = 900;
    uint256 internal constant NEW_TIMELOCK = 600;
    uint256 internal constant NEW_GRACE = 3600;
    uint256 internal constant NEW_TOKEN_QUORUM_BPS = 2000;
    uint256 internal constant NEW_WORK_QUORUM_BPS = 3000;
    uint256 internal constant NEW_PASS_BPS = 7000;

    function _newContextActions() internal pure returns (ILegitimacyConstitution.Action[] memory a) {
        a = new ILegitimacyConstitution.Action[](7);
        a[0] = _setParam(ParamKeys.LEGIT_VOTING_DELAY, NEW_DELAY);
        a[1] = _setParam(ParamKeys.LEGIT_VOTING_PERIOD, NEW_PERIOD);
        a[2] = _setParam(ParamKeys.LEGIT_TIMELOCK, NEW_TIMELOCK);
        a[3] = _setParam(ParamKeys.LEGIT_GRACE_PERIOD, NEW_GRACE);
        a[4] = _setParam(ParamKeys.LEGIT_TOKEN_QUORUM_BPS, NEW_TOKEN_QUORUM_BPS);
        a[5] = _setParam(ParamKeys.LEGIT_WORK_QUORUM_BPS, NEW_WORK_QUORUM_BPS);
        a[6] = _setParam(ParamKeys.LEGIT_PASS_BPS, NEW_PASS_BPS);
    }

    /// @notice After one amendment changes all seven context parameters, a new amendment
    /// is scheduled, counted, timelocked and expired by the new values, while one
    /// proposed before keeps the old quorums. (This guards the refresh: it fails if a
    /// context key stopped writing a new context.)
    function test_propose_afterContextChangeUsesNewContext() public {
        Proposal memory before = _ttl();
        _enact(_newContextActions());

        // Schedule: delay 30 s, period 900 s.
        uint256 t = block.timestamp;
        Proposal memory r = _ttl();
        vm.assertEq(constitution.amendment(r.id).voteStart, t + NEW_DELAY, "new voting delay");
        vm.assertEq(constitution.amendment(r.id).voteEnd, t + NEW_DELAY + NEW_PERIOD, "new voting period");

        // Quorums: 20% of 3,000,000 tokens, ceil(30% of 24) power; the older one keeps 4% and 10%.
        _assertQuorums(r.id, 600_000 ether, 8);
        _assertQuorums(before.id, TOKEN_QUORUM, WORK_QUORUM);

        // Pass 70%: 2:1 in tokens is not enough any more; 3:0 is.
        Proposal memory all = _ttl();
        _toVoteStart(r.id);
        _vote(alice, r.id, FOR);
        _vote(bob, r.id, FOR);
        _vote(carol, r.id, AGAINST);
        _vote(alice, all.id, FOR);
        _vote(bob, all.id, FOR);
        _vote(carol, all.id, FOR);
        _toVoteEnd(r.id);
        _assertState(r.id, DEFEATED);
        _assertState(all.id, SUCCEEDED);

        // Grace 3600 s before queueing, timelock 600 s, grace 3600 s after eta.
        uint256 voteEnd = constitution.amendment(all.id).voteEnd;
        vm.warp(voteEnd + NEW_GRACE - 1);
        _assertState(all.id, SUCCEEDED);
        _queue(all.id);
        uint256 eta = constitution.amendment(all.id).eta;
        vm.assertEq(eta, block.timestamp + NEW_TIMELOCK, "new timelock");
        vm.warp(eta + NEW_GRACE - 1);
        _assertState(all.id, QUEUED);
        vm.warp(eta + NEW_GRACE);
        _assertState(all.id, EXPIRED);
    }

    /// @notice A longer voting period reaches only amendments proposed after it; one
    /// already under way closes on its original schedule.
    function test_propose_newVotingPeriodOnlyForLaterAmendments() public {
        Proposal memory p = _ttl();
        uint256 pEnd = constitution.amendment(p.id).voteEnd;
        Proposal memory q = _propose(alice, _one(_setParam(ParamKeys.LEGIT_VOTING_PERIOD, 3 days)));
        _carryTogether(p.id, q.id);
        _queueAndWait(q.id);
        _execute(q);

        vm.assertEq(constitution.amendment(p.id).voteEnd, pEnd, "schedule kept");
        _assertState(p.id, SUCCEEDED);
        uint256 t = block.timestamp;
        Proposal memory r = _ttl();
        vm.assertEq(constitution.amendment(r.id).voteEnd, t + VOTING_DELAY + 3 days);
    }
}

/// @notice Propose-time validation after the fixes: action kinds are a uint8 checked by
/// the constitution, and article indexes are checked against the article count after
/// the earlier actions of the same amendment.
contract LegitimacyConstitutionAmendmentsValidationTest is AmendmentsBase {
    uint256 internal constant MAX_ACTIONS_ = 16;

    /// @dev An action of `kind` with every other field zero.
    function _kind(uint8 kind) internal pure returns (ILegitimacyConstitution.Action memory a) {
        a.kind = kind;
    }

    function _expectMalformed(ILegitimacyConstitution.Action[] memory actions, uint256 index) internal {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMalformedAction.selector, index
            )
        );
        constitution.propose(actions, 0, "unknown kind");
    }

    function _expectOutOfRange(ILegitimacyConstitution.Action[] memory actions, uint256 index, uint256 count)
        internal
    {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, index, count
            )
        );
        constitution.propose(actions, 0, "articles");
    }

    function _three(
        ILegitimacyConstitution.Action memory a,
        ILegitimacyConstitution.Action memory b,
        ILegitimacyConstitution.Action memory c
    ) internal pure returns (ILegitimacyConstitution.Action[] memory actions) {
        actions = new ILegitimacyConstitution.Action[](3);
        actions[0] = a;
        actions[1] = b;
        actions[2] = c;
    }

    // ------------------------------------------------------------------
    // Unknown action kinds
    // ------------------------------------------------------------------

    /// @notice Kind 5, the first past SetModule, after a valid action: the error names
    /// index 1. (As an enum field the ABI decoder refused it with empty revert data.)
    function test_RevertWhen_proposeActionKind5() public {
        _expectMalformed(_two(_noop()[0], _kind(5)), 1);
    }

    /// @notice Kind 255 shaped like a valid SetParam is still refused.
    function test_RevertWhen_proposeActionKind255() public {
        ILegitimacyConstitution.Action memory a = _setParam(ParamKeys.LOCKS_MAX_TTL, 600);
        a.kind = 255;
        _expectMalformed(_one(a), 0);
    }

    function testFuzz_RevertWhen_proposeUnknownActionKind(uint8 kind, uint256 position) public {
        kind = uint8(bound(kind, 5, type(uint8).max));
        position = bound(position, 0, MAX_ACTIONS_ - 1);
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](position + 1);
        for (uint256 i; i < position; ++i) {
            actions[i] = _noop()[0];
        }
        actions[position] = _kind(kind);
        _expectMalformed(actions, position);
    }

    /// @notice The highest kind, SetModule (4), is still a kind: the boundary is 4/5.
    function test_propose_highestActionKindAccepted() public {
        vm.assertEq(uint256(type(ILegitimacyConstitution.ActionKind).max), 4);
        vm.assertEq(constitution.MAX_ACTIONS(), MAX_ACTIONS_);
        MockModule m = _mockModule(ILegitimacyConstitution.Module.Coordination);
        ILegitimacyConstitution.Action memory a =
            _setModule(ILegitimacyConstitution.Module.Coordination, address(m));
        vm.assertEq(a.kind, 4);
        Proposal memory p = _propose(alice, _one(a));
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Pending);
    }

    // ------------------------------------------------------------------
    // Article indexes against the running count
    // ------------------------------------------------------------------

    /// @dev Enacts article 0 so the stored count is 1.
    function _oneArticle() internal {
        _enact(_one(_appendArticle(keccak256("I"), "ipfs://I")));
        vm.assertEq(constitution.articleCount(), 1);
        vm.assertEq(constitution.article(0).contentHash, keccak256("I"));
    }

    /// @notice Appends chain from a non-zero count: 1, 2, 3 after the stored 1.
    function test_propose_appendsChainFromStoredCount() public {
        _oneArticle();
        _enact(
            _three(
                _appendArticle(keccak256("II"), "ipfs://II"),
                _appendArticle(keccak256("III"), "ipfs://III"),
                _appendArticle(keccak256("IV"), "ipfs://IV")
            )
        );
        vm.assertEq(constitution.articleCount(), 4);
        vm.assertEq(constitution.article(0).contentHash, keccak256("I"));
        vm.assertEq(constitution.article(1).contentHash, keccak256("II"));
        vm.assertEq(constitution.article(2).contentHash, keccak256("III"));
        vm.assertEq(constitution.article(3).contentHash, keccak256("IV"));
        vm.assertEq(constitution.article(3).uri, "ipfs://IV");
    }

    /// @notice Positional indexes are checked against the running count, not the stored
    /// one: after two appends to an empty list, index 1 is an existing article, while
    /// index 2 (== the running count) and 3 are out of range of 2.
    function test_RevertWhen_proposeArticleSkipsIndexAfterAppends() public {
        _expectOutOfRange(
            _three(
                _appendArticle(keccak256("I"), "ipfs://I"),
                _appendArticle(keccak256("II"), "ipfs://II"),
                _setArticle(3, keccak256("IV"), "ipfs://IV")
            ),
            3,
            2
        );
        _expectOutOfRange(
            _three(
                _appendArticle(keccak256("I"), "ipfs://I"),
                _appendArticle(keccak256("II"), "ipfs://II"),
                _setArticle(2, keccak256("III"), "ipfs://III")
            ),
            2,
            2
        );
        _propose(
            alice,
            _three(
                _appendArticle(keccak256("I"), "ipfs://I"),
                _appendArticle(keccak256("II"), "ipfs://II"),
                _setArticle(1, keccak256("II'"), "ipfs://II2")
            )
        );
        vm.assertEq(constitution.articleCount(), 0, "propose stores nothing");
    }

    /// @notice A replacement does not extend the list: after replacing article 0 of one,
    /// index 1 (== count) and index 2 are out of range of 1.
    function test_RevertWhen_proposeArticleSkipsIndexAfterReplace() public {
        _oneArticle();
        _expectOutOfRange(
            _two(
                _setArticle(0, keccak256("I'"), "ipfs://I2"), _setArticle(2, keccak256("III"), "ipfs://III")
            ),
            2,
            1
        );
        _expectOutOfRange(
            _two(_setArticle(0, keccak256("I'"), "ipfs://I2"), _setArticle(1, keccak256("II"), "ipfs://II")),
            1,
            1
        );
    }

    /// @notice The fixed bug's other half: a positional index equal to the article count
    /// no longer appends and is refused at propose, whether the count is the stored one
    /// (0, then 1) or a running one (2, after an append in the same amendment). Under the
    /// old rule such an amendment, proposed while there were N articles, became a silent
    /// replacement of article N if another amendment appended first.
    function test_RevertWhen_proposePositionalAppendAtCount() public {
        _expectOutOfRange(_one(_setArticle(0, keccak256("I"), "ipfs://I")), 0, 0);
        _oneArticle();
        _expectOutOfRange(_one(_setArticle(1, keccak256("II"), "ipfs://II")), 1, 1);
        _expectOutOfRange(
            _two(
                _appendArticle(keccak256("II"), "ipfs://II"), _setArticle(2, keccak256("III"), "ipfs://III")
            ),
            2,
            2
        );
        // A zero hash there is no repeal either.
        _expectOutOfRange(_one(_setArticle(1, bytes32(0), "")), 1, 1);
        vm.assertEq(constitution.articleCount(), 1);
        vm.assertEq(constitution.article(0).contentHash, keccak256("I"));
    }

    /// @notice The bug ARTICLE_APPEND fixes: two amendments proposed while there are N
    /// articles both append. Executed one after the other they leave N + 2 articles, the
    /// first amendment's at N and the second's at N + 1; neither overwrites the other.
    /// (Positionally, both would have named index N and the second would have replaced
    /// the first's article.)
    function test_execute_concurrentAppendsBothLand() public {
        _oneArticle();
        _enact(_one(_appendArticle(keccak256("II"), "ipfs://II")));
        uint256 n = constitution.articleCount();
        vm.assertEq(n, 2);

        Proposal memory first = _propose(alice, _one(_appendArticle(keccak256("first"), "ipfs://first")));
        Proposal memory second = _propose(bob, _one(_appendArticle(keccak256("second"), "ipfs://second")));
        vm.assertEq(constitution.articleCount(), n, "both proposed while there are N articles");

        // Carry both in the same window and queue both.
        _toVoteStart(first.id);
        vm.assertEq(constitution.amendment(second.id).voteStart, constitution.amendment(first.id).voteStart);
        _vote(alice, first.id, FOR);
        _vote(bob, first.id, FOR);
        _vote(alice, second.id, FOR);
        _vote(bob, second.id, FOR);
        _toVoteEnd(first.id);
        _assertState(first.id, ILegitimacyConstitution.AmendmentState.Succeeded);
        _assertState(second.id, ILegitimacyConstitution.AmendmentState.Succeeded);
        vm.prank(stranger);
        constitution.queue(first.id);
        vm.prank(stranger);
        constitution.queue(second.id);
        vm.warp(constitution.amendment(second.id).eta);

        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ArticleSet(n, bytes32(0), keccak256("first"), "ipfs://first");
        _execute(first);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ArticleSet(n + 1, bytes32(0), keccak256("second"), "ipfs://second");
        _execute(second);
        _assertState(first.id, ILegitimacyConstitution.AmendmentState.Executed);
        _assertState(second.id, ILegitimacyConstitution.AmendmentState.Executed);

        vm.assertEq(constitution.articleCount(), n + 2, "N + 2 articles");
        vm.assertEq(constitution.article(0).contentHash, keccak256("I"), "earlier articles untouched");
        vm.assertEq(constitution.article(1).contentHash, keccak256("II"), "earlier articles untouched");
        vm.assertEq(constitution.article(n).contentHash, keccak256("first"), "first not overwritten");
        vm.assertEq(constitution.article(n).uri, "ipfs://first");
        vm.assertEq(constitution.article(n + 1).contentHash, keccak256("second"));
        vm.assertEq(constitution.article(n + 1).uri, "ipfs://second");
    }

    /// @notice A repeal (zero hash) of an existing article is fine and keeps the numbering.
    function test_propose_repealExistingArticle() public {
        _oneArticle();
        _enact(_one(_setArticle(0, bytes32(0), "")));
        vm.assertEq(constitution.articleCount(), 1, "numbering stable");
        vm.assertEq(constitution.article(0).contentHash, bytes32(0));
    }

    /// @notice An article appended earlier in the same amendment may be repealed by a
    /// later action: index 0 < running count 1.
    function test_propose_repealArticleAppendedEarlierInSameAmendment() public {
        _enact(_two(_appendArticle(keccak256("I"), "ipfs://I"), _setArticle(0, bytes32(0), "")));
        vm.assertEq(constitution.articleCount(), 1);
        vm.assertEq(constitution.article(0).contentHash, bytes32(0));
    }

    /// @notice Appending a zero hash is refused, also at a running count: after one
    /// append, an empty append reports the running count 1.
    function test_RevertWhen_proposeEmptyArticleAppendAfterAppend() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, 1)
        );
        constitution.propose(
            _two(_appendArticle(keccak256("I"), "ipfs://I"), _appendArticle(bytes32(0), "")), 0, "x"
        );
    }

    /// @notice A repeal does not extend the list: after repealing article 0 of one, an
    /// empty append reports the count 1.
    function test_RevertWhen_proposeEmptyArticleAppendAfterRepeal() public {
        _oneArticle();
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, 1)
        );
        constitution.propose(_two(_setArticle(0, bytes32(0), ""), _appendArticle(bytes32(0), "")), 0, "x");
    }

    /// @notice The index/count rule at propose against a reference model. `stored`
    /// articles are enacted first, then an amendment appends `appends` more and ends with
    /// one SetArticle at `index` (steered by `mode` to ARTICLE_APPEND, near the running
    /// count, or left arbitrary). With count = stored + appends it is accepted iff index
    /// is ARTICLE_APPEND with a non-zero hash, or index < count; else it reverts
    /// EmptyArticle(count) or ArticleOutOfRange(index, count). An accepted amendment
    /// also executes, with the outcome the model predicts.
    function testFuzz_propose_articleIndexAgainstRunningCount(
        uint256 stored,
        uint256 appends,
        uint256 index,
        uint8 mode,
        bool zeroHash
    ) public {
        stored = bound(stored, 0, 2);
        appends = bound(appends, 0, MAX_ACTIONS_ - 1);
        if (stored != 0) {
            ILegitimacyConstitution.Action[] memory seed = new ILegitimacyConstitution.Action[](stored);
            for (uint256 i; i < stored; ++i) {
                seed[i] = _appendArticle(keccak256(abi.encode(i)), "");
            }
            _enact(seed);
        }
        vm.assertEq(constitution.articleCount(), stored);
        uint256 count = stored + appends;
        if (mode % 3 == 0) index = ARTICLE_APPEND;
        else if (mode % 3 == 1) index = bound(index, 0, count + 2);
        bytes32 last = zeroHash ? bytes32(0) : keccak256("last");

        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](appends + 1);
        for (uint256 i; i < appends; ++i) {
            actions[i] = _appendArticle(keccak256(abi.encode(stored + i)), "");
        }
        actions[appends] = _setArticle(index, last, "ipfs://last");

        if (index == ARTICLE_APPEND) {
            if (zeroHash) {
                vm.prank(alice);
                _expectRevert(
                    abi.encodeWithSelector(
                        ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, count
                    )
                );
                constitution.propose(actions, 0, "articles");
                return;
            }
            _enact(actions);
            vm.assertEq(constitution.articleCount(), count + 1, "appended after the running count");
            vm.assertEq(constitution.article(count).contentHash, last);
            vm.assertEq(constitution.article(count).uri, "ipfs://last");
        } else if (index < count) {
            _enact(actions);
            vm.assertEq(constitution.articleCount(), count, "replace or repeal keeps the count");
            vm.assertEq(constitution.article(index).contentHash, last, "replaced in place");
            vm.assertEq(constitution.article(index).uri, "ipfs://last");
        } else {
            _expectOutOfRange(actions, index, count);
            vm.assertEq(constitution.articleCount(), stored);
            return;
        }
        for (uint256 i; i < count; ++i) {
            if (i == index) continue;
            vm.assertEq(constitution.article(i).contentHash, keccak256(abi.encode(i)), "others untouched");
        }
    }
}

/// @notice Deployment guards: a re-entrant `bootstrap` from a contract deployer, and the
/// genesis parameter cap.
contract LegitimacyConstitutionDeploymentGuardsTest is Fixture {
    address internal beneficiary = makeAddr("beneficiary");

    ReentrantDeployer internal reentrant;
    ReentrantWorkModule internal module_;

    function setUp() public {
        _deployConstitution(); // the token (and a constitution these tests do not use)
        reentrant = new ReentrantDeployer(Genesis.dev(), IVotes(address(token)), beneficiary);
        module_ = new ReentrantWorkModule(reentrant, ReentrantWorkModule.Mode.ViaDeployer);
    }

    /// @dev Work module `module_` and one founding seed, so bootstrap calls `seedContribution`.
    function _config() internal view returns (ILegitimacyConstitution.BootstrapConfig memory c) {
        c.modules[uint256(ILegitimacyConstitution.Module.Work)] = address(module_);
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: 100});
    }

    // ------------------------------------------------------------------
    // Re-entrant bootstrap
    // ------------------------------------------------------------------

    /// @notice The Work module calls back into the contract deployer during
    /// `seedContribution`, and the deployer calls `bootstrap` again (granting STEWARD to
    /// `beneficiary`). The inner call passes the deployer check and hits `_bootstrapping`:
    /// AlreadyBootstrapped bubbles up and the whole bootstrap reverts. Without the flag
    /// the inner bootstrap would apply its config and the outer one would complete.
    function test_RevertWhen_bootstrapReenteredByContractDeployer() public {
        LegitimacyConstitution c = reentrant.constitution();
        vm.assertEq(c.deployer(), address(reentrant), "the contract is the deployer");
        vm.assertEq(module_.constitution(), address(c));

        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionAlreadyBootstrapped.selector)
        );
        reentrant.bootstrap(_config());

        vm.assertFalse(c.bootstrapped());
        vm.assertFalse(c.hasRole(c.STEWARD_ROLE(), beneficiary), "no second config applied");
        vm.assertEq(c.module(ILegitimacyConstitution.Module.Work), address(0), "nothing wired");
        vm.assertEq(module_.seeds(), 0, "seeding rolled back");

        // Control: the same deployer and module without the call back bootstrap once, and
        // the reverted attempt left no flag behind.
        module_.setMode(ReentrantWorkModule.Mode.Off);
        reentrant.bootstrap(_config());
        vm.assertTrue(c.bootstrapped());
        vm.assertEq(module_.seeds(), 1);
        vm.assertEq(c.module(ILegitimacyConstitution.Module.Work), address(module_));
        vm.assertFalse(c.hasRole(c.STEWARD_ROLE(), beneficiary));
    }

    /// @notice A module calling `bootstrap` itself is not the deployer.
    function test_RevertWhen_bootstrapReenteredByModule() public {
        module_.setMode(ReentrantWorkModule.Mode.Direct);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNotDeployer.selector, address(module_)
            )
        );
        reentrant.bootstrap(_config());
        vm.assertFalse(reentrant.constitution().bootstrapped());
    }

    // ------------------------------------------------------------------
    // Genesis parameter cap
    // ------------------------------------------------------------------

    /// @dev Creation code of the constitution with a genesis of `count` all-zero entries
    /// and the fixture's token, built in one buffer: a Solidity `ParamInit[]` of 65,536
    /// entries plus its ABI copy does not fit the test's memory-gas budget.
    function _initcode(uint256 count) internal view returns (bytes memory init) {
        bytes memory code = type(LegitimacyConstitution).creationCode;
        // Constructor arguments: offset of `genesis`, `token`, then `genesis`' length; its
        // `count` entries of four words each stay zero.
        bytes memory head = abi.encode(uint256(0x40), address(token), count);
        init = new bytes(code.length + head.length + count * 128);
        assembly ("memory-safe") {
            // Creation code at the start of the buffer's data.
            mcopy(add(init, 0x20), add(code, 0x20), mload(code))
            // The three argument head words right after it.
            mcopy(add(add(init, 0x20), mload(code)), add(head, 0x20), mload(head))
        }
    }

    /// @notice Deploys the constitution with a genesis of `count` all-zero entries and
    /// bubbles up the constructor's revert. External so that a test can `expectRevert`
    /// it: a raw CREATE that fails does not revert the test's own frame.
    function deployRawGenesis(uint256 count) external returns (address deployed) {
        bytes memory init = _initcode(count);
        assembly ("memory-safe") {
            // No value; code from the bytes' data, length from its first word.
            deployed := create(0, add(init, 0x20), mload(init))
            // A failed CREATE returns 0 and leaves the constructor's revert data.
            if iszero(deployed) {
                // Copy the revert data to free memory ...
                let p := mload(0x40)
                returndatacopy(p, 0, returndatasize())
                // ... and revert with it unchanged.
                revert(p, returndatasize())
            }
        }
    }

    /// @notice 65,536 parameters do not fit the 16-bit index: refused before any is stored.
    /// Costs about 840M gas, almost all memory for the 8 MiB genesis.
    function test_RevertWhen_genesisHasMoreThan65535Params() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionTooManyParams.selector, 65_536, 65_535
            )
        );
        this.deployRawGenesis(65_536);
    }

    /// @notice 65,535 passes the cap: the constructor reaches the entries (and refuses
    /// the second all-zero one as a duplicate of the first).
    function test_constructor_paramCapIsInclusive() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionDuplicateParam.selector, bytes32(0)
            )
        );
        this.deployRawGenesis(65_535);
    }
}
