// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice The amendment state machine: Pending → Active → Defeated | Succeeded →
/// Queued → Executed | Expired, Cancelled by the proposer while Pending, every
/// transition at its exact second, and executions that fail leaving the amendment
/// Queued until it expires.
contract LegitimacyConstitutionAmendmentsLifecycleTest is AmendmentsBase {
    ILegitimacyConstitution.AmendmentState internal constant PENDING =
    ILegitimacyConstitution.AmendmentState.Pending;
    ILegitimacyConstitution.AmendmentState internal constant ACTIVE =
    ILegitimacyConstitution.AmendmentState.Active;
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
    ILegitimacyConstitution.AmendmentState internal constant CANCELLED =
    ILegitimacyConstitution.AmendmentState.Cancelled;

    uint256 internal constant NEW_TTL = 600;

    function _ttlAmendment() internal returns (Proposal memory) {
        return _propose(alice, _one(_setParam(ParamKeys.LOCKS_MAX_TTL, NEW_TTL)));
    }

    // ------------------------------------------------------------------
    // The happy path, second by second
    // ------------------------------------------------------------------

    function test_lifecycle_pendingActiveSucceededQueuedExecuted() public {
        uint256 t = block.timestamp;
        Proposal memory p = _ttlAmendment();
        _assertState(p.id, PENDING);
        vm.warp(t + VOTING_DELAY - 1);
        _assertState(p.id, PENDING);
        vm.warp(t + VOTING_DELAY);
        _assertState(p.id, ACTIVE);
        _vote(alice, p.id, FOR);
        _vote(bob, p.id, FOR);
        vm.warp(t + VOTING_DELAY + VOTING_PERIOD - 1);
        _assertState(p.id, ACTIVE);
        vm.warp(t + VOTING_DELAY + VOTING_PERIOD);
        _assertState(p.id, SUCCEEDED);

        uint48 eta = SafeCast.toUint48(block.timestamp + TIMELOCK);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentQueued(p.id, eta);
        vm.prank(stranger);
        constitution.queue(p.id);
        _assertState(p.id, QUEUED);
        vm.assertEq(constitution.amendment(p.id).eta, eta);

        vm.warp(eta - 1);
        vm.prank(stranger);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionTimelocked.selector, p.id, eta, uint48(eta - 1)
            )
        );
        constitution.execute(p.id, p.proposer, p.body);
        _assertState(p.id, QUEUED);

        vm.warp(eta);
        uint256 oldTtl = constitution.param(ParamKeys.LOCKS_MAX_TTL);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ParamSet(ParamKeys.LOCKS_MAX_TTL, oldTtl, NEW_TTL);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentExecuted(p.id);
        _execute(p);
        _assertState(p.id, EXECUTED);
        vm.assertTrue(constitution.amendment(p.id).executed);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), NEW_TTL);
        _assertAllWithinBounds();

        // Executed is final.
        vm.warp(block.timestamp + 365 days);
        _assertState(p.id, EXECUTED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, EXECUTED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
    }

    function test_lifecycle_defeatedIsFinal() public {
        Proposal memory p = _ttlAmendment();
        _toVoteStart(p.id);
        _vote(alice, p.id, AGAINST);
        _toVoteEnd(p.id);
        _assertState(p.id, DEFEATED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, DEFEATED, SUCCEEDED));
        constitution.queue(p.id);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, DEFEATED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
        vm.warp(block.timestamp + GRACE + 365 days);
        _assertState(p.id, DEFEATED);
    }

    // ------------------------------------------------------------------
    // WrongState: each call in each wrong state
    // ------------------------------------------------------------------

    /// @notice The voting delay is a notice period: no votes yet.
    function test_RevertWhen_castVoteWhilePending() public {
        Proposal memory p = _ttlAmendment();
        vm.warp(constitution.amendment(p.id).voteStart - 1);
        vm.prank(alice);
        _expectRevert(_wrongState(p.id, PENDING, ACTIVE));
        constitution.castVote(p.id, FOR);
    }

    function test_RevertWhen_castVoteAtVoteEnd() public {
        Proposal memory p = _ttlAmendment();
        _carry(p.id); // now at voteEnd
        vm.prank(carol);
        _expectRevert(_wrongState(p.id, SUCCEEDED, ACTIVE));
        constitution.castVote(p.id, AGAINST);
        vm.prank(stranger);
        constitution.queue(p.id);
        vm.prank(carol);
        _expectRevert(_wrongState(p.id, QUEUED, ACTIVE));
        constitution.castVoteWithReason(p.id, AGAINST, "late");
    }

    function test_RevertWhen_queueBeforeVotingEnds() public {
        Proposal memory p = _ttlAmendment();
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, PENDING, SUCCEEDED));
        constitution.queue(p.id);
        _toVoteStart(p.id);
        _vote(alice, p.id, FOR);
        _vote(bob, p.id, FOR);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, ACTIVE, SUCCEEDED));
        constitution.queue(p.id);
    }

    function test_RevertWhen_queueTwice() public {
        Proposal memory p = _ttlAmendment();
        _carry(p.id);
        constitution.queue(p.id);
        uint48 eta = constitution.amendment(p.id).eta;
        vm.warp(block.timestamp + 1);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, QUEUED, SUCCEEDED));
        constitution.queue(p.id);
        vm.assertEq(constitution.amendment(p.id).eta, eta, "eta unchanged");
    }

    function test_RevertWhen_executeNotQueued() public {
        Proposal memory p = _ttlAmendment();
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, PENDING, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
        _toVoteStart(p.id);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, ACTIVE, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
        _vote(alice, p.id, FOR);
        _vote(bob, p.id, FOR);
        _toVoteEnd(p.id);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, SUCCEEDED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
    }

    function test_RevertWhen_unknownAmendment() public {
        uint256 id = 12_345;
        bytes memory err = abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionUnknownAmendment.selector, id
        );
        _expectRevert(err);
        constitution.state(id);
        _expectRevert(err);
        constitution.amendment(id);
        _expectRevert(err);
        constitution.quorums(id);
        _expectRevert(err);
        constitution.workHouse(id);
        _expectRevert(err);
        constitution.queue(id);
        ILegitimacyConstitution.AmendmentBody memory body = _body(_noop(), 0, "never proposed");
        _expectRevert(err);
        vm.prank(alice);
        constitution.cancel(id, body);

        // execute checks the body first; a body that hashes to an unproposed id is unknown.
        uint256 unproposed = constitution.hashAmendment(alice, body);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownAmendment.selector, unproposed
            )
        );
        constitution.execute(unproposed, alice, body);
    }

    /// @notice The body must hash to the id with the proposer: any change is refused.
    function test_RevertWhen_executeWithAnotherBody() public {
        Proposal memory p = _ttlAmendment();
        _carry(p.id);
        _queueAndWait(p.id);
        bytes memory err = abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionAmendmentMismatch.selector, p.id
        );

        ILegitimacyConstitution.AmendmentBody memory b =
            _body(_one(_setParam(ParamKeys.LOCKS_MAX_TTL, 601)), 0, "");
        b.descriptionHash = p.body.descriptionHash;
        _expectRevert(err);
        constitution.execute(p.id, p.proposer, b);

        _expectRevert(err);
        constitution.execute(p.id, bob, p.body);

        b = _body(p.body.actions, 0, "another description");
        _expectRevert(err);
        constitution.execute(p.id, p.proposer, b);

        b = _body(p.body.actions, 1, "");
        b.descriptionHash = p.body.descriptionHash;
        _expectRevert(err);
        constitution.execute(p.id, p.proposer, b);

        _assertState(p.id, QUEUED);
        _execute(p);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), NEW_TTL);
    }

    // ------------------------------------------------------------------
    // Expiry
    // ------------------------------------------------------------------

    function test_state_succeededNeverQueuedExpiresAfterGrace() public {
        Proposal memory p = _ttlAmendment();
        _carry(p.id);
        uint256 voteEnd = constitution.amendment(p.id).voteEnd;
        vm.warp(voteEnd + GRACE - 1);
        _assertState(p.id, SUCCEEDED);
        vm.warp(voteEnd + GRACE);
        _assertState(p.id, EXPIRED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, EXPIRED, SUCCEEDED));
        constitution.queue(p.id);
    }

    function test_state_queuedExpiresAtEtaPlusGrace() public {
        Proposal memory p = _ttlAmendment();
        _carry(p.id);
        _queueAndWait(p.id);
        uint256 eta = constitution.amendment(p.id).eta;
        vm.warp(eta + GRACE - 1);
        _assertState(p.id, QUEUED);
        vm.warp(eta + GRACE);
        _assertState(p.id, EXPIRED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, EXPIRED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), 300, "unchanged");
    }

    function test_execute_atLastSecondOfGrace() public {
        Proposal memory p = _ttlAmendment();
        _carry(p.id);
        _queueAndWait(p.id);
        vm.warp(block.timestamp + GRACE - 1);
        _execute(p);
        _assertState(p.id, EXECUTED);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), NEW_TTL);
    }

    // ------------------------------------------------------------------
    // Cancel
    // ------------------------------------------------------------------

    function test_cancel_byProposerWhilePending() public {
        Proposal memory p = _ttlAmendment();
        vm.warp(constitution.amendment(p.id).voteStart - 1);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentCancelled(p.id);
        vm.prank(alice);
        constitution.cancel(p.id, p.body);
        _assertState(p.id, CANCELLED);
        vm.assertTrue(constitution.amendment(p.id).cancelled);
        vm.assertFalse(constitution.amendment(p.id).executed);
    }

    function testFuzz_RevertWhen_cancelByOther(address caller) public {
        vm.assume(caller != alice);
        Proposal memory p = _ttlAmendment();
        vm.prank(caller);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNotProposer.selector, p.id, caller
            )
        );
        constitution.cancel(p.id, p.body);
        _assertState(p.id, PENDING);
    }

    /// @notice The proposer proves itself with the body; a wrong body is not its amendment.
    function test_RevertWhen_cancelByProposerWithWrongBody() public {
        Proposal memory p = _ttlAmendment();
        ILegitimacyConstitution.AmendmentBody memory b = _body(p.body.actions, 0, "not the description");
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNotProposer.selector, p.id, alice
            )
        );
        constitution.cancel(p.id, b);
    }

    function test_RevertWhen_cancelOnceActive() public {
        Proposal memory p = _ttlAmendment();
        _toVoteStart(p.id);
        vm.prank(alice);
        _expectRevert(_wrongState(p.id, ACTIVE, PENDING));
        constitution.cancel(p.id, p.body);
        _carry(p.id);
        vm.prank(alice);
        _expectRevert(_wrongState(p.id, SUCCEEDED, PENDING));
        constitution.cancel(p.id, p.body);
    }

    function test_RevertWhen_cancelTwice() public {
        Proposal memory p = _ttlAmendment();
        vm.prank(alice);
        constitution.cancel(p.id, p.body);
        vm.prank(alice);
        _expectRevert(_wrongState(p.id, CANCELLED, PENDING));
        constitution.cancel(p.id, p.body);
    }

    /// @notice A cancelled amendment can never be voted, queued or executed, at any time,
    /// and its id cannot be proposed again.
    function test_cancelled_canNeverExecute() public {
        Proposal memory p = _ttlAmendment();
        vm.prank(alice);
        constitution.cancel(p.id, p.body);

        _toVoteStart(p.id);
        _assertState(p.id, CANCELLED);
        vm.prank(alice);
        _expectRevert(_wrongState(p.id, CANCELLED, ACTIVE));
        constitution.castVote(p.id, FOR);

        _toVoteEnd(p.id);
        _assertState(p.id, CANCELLED);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, CANCELLED, SUCCEEDED));
        constitution.queue(p.id);
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, CANCELLED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);

        vm.warp(block.timestamp + GRACE + 365 days);
        _assertState(p.id, CANCELLED);

        // Same proposer, same body: same id, and it stays taken.
        string memory description = "amendment #1";
        vm.assertEq(keccak256(bytes(description)), p.body.descriptionHash);
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionAmendmentExists.selector, p.id
            )
        );
        constitution.propose(p.body.actions, 0, description);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), 300);
        ILegitimacyConstitution.Tallies memory t = constitution.tallies(p.id);
        vm.assertEq(t.tokenFor + t.workFor, 0);
    }

    // ------------------------------------------------------------------
    // Failed execution: stays Queued, then Expires
    // ------------------------------------------------------------------

    /// @notice A module that passed propose-time validation but names another
    /// constitution when the amendment executes: execute reverts, the amendment stays
    /// Queued, and after the grace period it is Expired for good.
    function test_execute_moduleMismatchLeavesQueuedThenExpired() public {
        MockModule m = _mockModule(ILegitimacyConstitution.Module.Coordination);
        Proposal memory p =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Coordination, address(m))));
        _carry(p.id);
        _queueAndWait(p.id);
        uint256 eta = constitution.amendment(p.id).eta;

        address other = makeAddr("other constitution");
        m.setConstitution(other);
        vm.prank(stranger);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleMismatch.selector,
                ILegitimacyConstitution.Module.Coordination,
                address(m),
                other
            )
        );
        constitution.execute(p.id, p.proposer, p.body);
        _assertState(p.id, QUEUED);
        vm.assertFalse(constitution.amendment(p.id).executed);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Coordination), address(locks));

        vm.warp(eta + GRACE);
        _assertState(p.id, EXPIRED);
        m.setConstitution(address(constitution)); // even once valid again
        vm.prank(stranger);
        _expectRevert(_wrongState(p.id, EXPIRED, QUEUED));
        constitution.execute(p.id, p.proposer, p.body);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Coordination), address(locks));
    }

    /// @notice No deadlock either way: a failed execution may be retried while Queued.
    function test_execute_retryAfterFailureWithinGrace() public {
        MockModule m = _mockModule(ILegitimacyConstitution.Module.Coordination);
        Proposal memory p =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Coordination, address(m))));
        _carry(p.id);
        _queueAndWait(p.id);
        m.setConstitution(address(0xdead));
        vm.prank(stranger);
        vm.expectRevert();
        constitution.execute(p.id, p.proposer, p.body);

        m.setConstitution(address(constitution));
        vm.warp(block.timestamp + GRACE - TIMELOCK);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ModuleSet(
            ILegitimacyConstitution.Module.Coordination, address(locks), address(m)
        );
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentExecuted(p.id);
        _execute(p);
        _assertState(p.id, EXECUTED);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Coordination), address(m));
    }

    /// @notice A positional article index must name an article that exists once the
    /// earlier actions of the same amendment have run; an amendment that does not is
    /// refused whole at propose (its SetParam too), so it never reaches a vote.
    /// @dev Article indexes are checked at propose against the count after the earlier
    /// actions; articles are never removed, so an index valid then is valid at execution.
    function test_RevertWhen_proposeArticleBeyondEarlierAppends() public {
        vm.assertEq(constitution.articleCount(), 0);
        // Beyond the end.
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, 1, 0
            )
        );
        constitution.propose(
            _two(
                _setParam(ParamKeys.LOCKS_MAX_TTL, NEW_TTL), _setArticle(1, keccak256("text"), "ipfs://text")
            ),
            0,
            "article 2 without article 1"
        );
        // At the end: index == count no longer appends.
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, 0, 0
            )
        );
        constitution.propose(
            _two(
                _setParam(ParamKeys.LOCKS_MAX_TTL, NEW_TTL), _setArticle(0, keccak256("text"), "ipfs://text")
            ),
            0,
            "positional append"
        );
        // Appending first makes index 0 an existing article, and execution agrees.
        _enact(
            _two(_appendArticle(keccak256("one"), "ipfs://1"), _setArticle(0, keccak256("two"), "ipfs://2"))
        );
        vm.assertEq(constitution.articleCount(), 1);
        vm.assertEq(constitution.article(0).contentHash, keccak256("two"));
        vm.assertEq(constitution.article(0).uri, "ipfs://2");
    }
}
