// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice `propose`: who may propose, what an amendment commits to, its schedule and
/// snapshots, and the propose-time validation of every action kind.
/// Voting: `.amendments.voting.t.sol`; lifecycle: `.amendments.lifecycle.t.sol`;
/// actions and modules: `.amendments.actions.t.sol`; guardian veto: `.amendments.veto.t.sol`.
contract LegitimacyConstitutionAmendmentsTest is AmendmentsBase {
    bytes32 internal constant UNKNOWN_KEY = "not.a.param";
    bytes32 internal constant UNKNOWN_ROLE = "ADMIN";

    // ------------------------------------------------------------------
    // Ids, schedule, snapshots
    // ------------------------------------------------------------------

    function test_propose_idIsHashOfProposerAndBody() public {
        ILegitimacyConstitution.Action[] memory actions = _one(_setParam(ParamKeys.LOCKS_MAX_TTL, 600));
        vm.prank(alice);
        uint256 id = constitution.propose(actions, 0, "raise the lease");
        uint256 expected = uint256(
            keccak256(
                abi.encode(alice, keccak256(abi.encode(actions)), uint256(0), keccak256("raise the lease"))
            )
        );
        vm.assertEq(id, expected);
        vm.assertEq(constitution.hashAmendment(alice, _body(actions, 0, "raise the lease")), expected);
    }

    function test_propose_sameBodyByAnotherProposerIsAnotherAmendment() public {
        ILegitimacyConstitution.Action[] memory actions = _noop();
        vm.prank(alice);
        uint256 a = constitution.propose(actions, 0, "same");
        vm.prank(bob);
        uint256 b = constitution.propose(actions, 0, "same");
        vm.assertNotEq(a, b);
        _assertState(a, ILegitimacyConstitution.AmendmentState.Pending);
        _assertState(b, ILegitimacyConstitution.AmendmentState.Pending);
    }

    function test_RevertWhen_proposeSameBodyTwice() public {
        vm.prank(alice);
        uint256 id = constitution.propose(_noop(), 0, "same");
        vm.warp(block.timestamp + 1000);
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionAmendmentExists.selector, id)
        );
        constitution.propose(_noop(), 0, "same");
    }

    /// @notice Snapshots are fixed at creation, one tick in the past of each clock;
    /// voting opens after the notice period and lasts the voting period.
    function test_propose_storesScheduleAndSnapshotsAtCreation() public {
        vm.warp(block.timestamp + 77);
        uint256 t = block.timestamp;
        Proposal memory p = _propose(alice, _noop());
        ILegitimacyConstitution.AmendmentInfo memory info = constitution.amendment(p.id);
        vm.assertEq(info.voteStart, t + VOTING_DELAY);
        vm.assertEq(info.voteEnd, t + VOTING_DELAY + VOTING_PERIOD);
        vm.assertEq(info.tokenSnapshot, uint256(token.clock()) - 1);
        vm.assertEq(info.tokenSnapshot, t - 1);
        vm.assertEq(info.workSnapshot, t - 1);
        vm.assertEq(info.eta, 0);
        vm.assertFalse(info.executed);
        vm.assertFalse(info.cancelled);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Pending);

        ILegitimacyConstitution.Tallies memory tl = constitution.tallies(p.id);
        vm.assertEq(
            tl.tokenFor + tl.tokenAgainst + tl.tokenAbstain + tl.workFor + tl.workAgainst + tl.workAbstain, 0
        );
        vm.assertFalse(constitution.hasVoted(p.id, alice));

        // Quorums come from the houses' totals at the snapshot.
        (uint256 tq, uint256 wq) = constitution.quorums(p.id);
        vm.assertEq(tq, TOTAL_SUPPLY * TOKEN_QUORUM_BPS / 10_000);
        vm.assertEq(wq, 3); // ceil(24 * 1000 / 10000) = ceil(2.4)
    }

    function test_propose_emitsAmendmentProposed() public {
        ILegitimacyConstitution.Action[] memory actions =
            _two(_setParam(ParamKeys.LOCKS_MAX_TTL, 600), _setRole(steward_role, dave, true));
        uint256 id = constitution.hashAmendment(alice, _body(actions, 0, "two actions"));
        uint48 voteStart = SafeCast.toUint48(block.timestamp + VOTING_DELAY);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentProposed(
            id, alice, actions, 0, voteStart, SafeCast.toUint48(voteStart + VOTING_PERIOD), "two actions"
        );
        vm.prank(alice);
        constitution.propose(actions, 0, "two actions");
    }

    function test_propose_acceptsMaxActions() public {
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](16);
        for (uint256 i; i < actions.length; ++i) {
            actions[i] = _setParam(ParamKeys.LOCKS_MAX_QUEUE, 1 + i);
        }
        Proposal memory p = _propose(alice, actions);
        _carry(p.id);
        _queueAndWait(p.id);
        _execute(p);
        // Applied in order: the last action wins.
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_QUEUE), 16);
    }

    // ------------------------------------------------------------------
    // Thresholds
    // ------------------------------------------------------------------

    function test_RevertWhen_proposerBelowBothThresholds() public {
        vm.prank(stranger);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                stranger,
                0,
                TOKEN_THRESHOLD,
                0,
                WORK_THRESHOLD
            )
        );
        constitution.propose(_noop(), 0, "x");
    }

    function test_RevertWhen_proposerOneWeiBelowTokenThresholdWithoutPower() public {
        _give(alice, dave, TOKEN_THRESHOLD - 1);
        vm.warp(block.timestamp + 1);
        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                dave,
                TOKEN_THRESHOLD - 1,
                TOKEN_THRESHOLD,
                0,
                WORK_THRESHOLD
            )
        );
        constitution.propose(_noop(), 0, "x");
    }

    function test_propose_tokenOnlyProposerAtThreshold() public {
        _give(alice, dave, TOKEN_THRESHOLD);
        vm.warp(block.timestamp + 1);
        vm.assertEq(work.power(dave), 0);
        Proposal memory p = _propose(dave, _noop());
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Pending);
    }

    /// @notice A contributor without capital may propose: Work House power alone suffices.
    function test_propose_workOnlyProposer() public {
        _give(carol, stranger, HOLDING);
        vm.warp(block.timestamp + 1);
        vm.assertEq(token.getVotes(carol), 0);
        vm.assertEq(work.power(carol), CAROL_POWER);
        Proposal memory p = _propose(carol, _noop());
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Pending);
    }

    /// @notice Votes acquired in the proposal's own second (a flash loan) do not count.
    function test_RevertWhen_proposerBorrowsVotesInSameSecond() public {
        _give(alice, dave, HOLDING);
        vm.assertEq(token.getVotes(dave), HOLDING);
        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                dave,
                0,
                TOKEN_THRESHOLD,
                0,
                WORK_THRESHOLD
            )
        );
        constitution.propose(_noop(), 0, "x");
    }

    // ------------------------------------------------------------------
    // Propose-time validation
    // ------------------------------------------------------------------

    function test_RevertWhen_proposeNoActions() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionActionCount.selector, 0, 16)
        );
        constitution.propose(new ILegitimacyConstitution.Action[](0), 0, "x");
    }

    function test_RevertWhen_proposeTooManyActions() public {
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](17);
        for (uint256 i; i < actions.length; ++i) {
            actions[i] = _setParam(ParamKeys.LOCKS_MAX_QUEUE, 10);
        }
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionActionCount.selector, 17, 16)
        );
        constitution.propose(actions, 0, "x");
    }

    function test_RevertWhen_proposeSetParamUnknownKey() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, UNKNOWN_KEY
            )
        );
        constitution.propose(_one(_setParam(UNKNOWN_KEY, 1)), 0, "x");
    }

    function test_RevertWhen_proposeSetParamAboveMax() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                ParamKeys.LEGIT_PASS_BPS,
                9001,
                5000,
                9000
            )
        );
        constitution.propose(_one(_setParam(ParamKeys.LEGIT_PASS_BPS, 9001)), 0, "x");
    }

    function test_RevertWhen_proposeSetParamBelowMin() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                ParamKeys.LEGIT_PASS_BPS,
                4999,
                5000,
                9000
            )
        );
        constitution.propose(_one(_setParam(ParamKeys.LEGIT_PASS_BPS, 4999)), 0, "x");
    }

    /// @notice Fields a kind does not use must be zero; the error names the action's index.
    function test_RevertWhen_proposeMalformedAction() public {
        ILegitimacyConstitution.Action memory bad = _setParam(ParamKeys.LOCKS_MAX_TTL, 600);
        bad.account = dave;
        _expectMalformed(_two(_noop()[0], bad), 1);

        bad = _setParam(ParamKeys.LOCKS_MAX_TTL, 600);
        bad.uri = "ipfs://x";
        _expectMalformed(_one(bad), 0);

        bad = _setRecognition(keccak256("s"), 1);
        bad.account = dave;
        _expectMalformed(_one(bad), 0);

        bad = _setRole(steward_role, dave, true);
        bad.value = 2;
        _expectMalformed(_one(bad), 0);

        bad = _setRole(steward_role, dave, true);
        bad.uri = "x";
        _expectMalformed(_one(bad), 0);

        bad = _setArticle(0, keccak256("text"), "ipfs://a");
        bad.account = dave;
        _expectMalformed(_one(bad), 0);

        MockModule m = _mockModule(ILegitimacyConstitution.Module.Coordination);
        bad = _setModule(ILegitimacyConstitution.Module.Coordination, address(m));
        bad.key = bytes32(uint256(1));
        _expectMalformed(_one(bad), 0);

        bad = _setModule(ILegitimacyConstitution.Module.Coordination, address(m));
        bad.uri = "x";
        _expectMalformed(_one(bad), 0);
    }

    function _expectMalformed(ILegitimacyConstitution.Action[] memory actions, uint256 index) internal {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMalformedAction.selector, index
            )
        );
        constitution.propose(actions, 0, "x");
    }

    function test_RevertWhen_proposeRecognitionTooHigh() public {
        bytes32 s = keccak256("s");
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionRecognitionTooHigh.selector,
                s,
                1_000_001,
                1_000_000
            )
        );
        constitution.propose(_one(_setRecognition(s, 1_000_001)), 0, "x");
    }

    function test_RevertWhen_proposeUnknownRole() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownRole.selector, UNKNOWN_ROLE
            )
        );
        constitution.propose(_one(_setRole(UNKNOWN_ROLE, dave, true)), 0, "x");
    }

    function test_RevertWhen_proposeRoleForZeroAccount() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidAccount.selector, address(0)
            )
        );
        constitution.propose(_one(_setRole(guardian_role, address(0), true)), 0, "x");
    }

    function test_RevertWhen_proposeArticleBeyondEnd() public {
        vm.assertEq(constitution.articleCount(), 0);
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, 1, 0
            )
        );
        constitution.propose(_one(_setArticle(1, keccak256("text"), "ipfs://a")), 0, "x");
    }

    function test_RevertWhen_proposeEmptyArticleAppend() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, 0)
        );
        constitution.propose(_one(_appendArticle(bytes32(0), "ipfs://a")), 0, "x");
        // A zero hash at index == count is no append at all: there is nothing to repeal.
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, 0, 0
            )
        );
        constitution.propose(_one(_setArticle(0, bytes32(0), "ipfs://a")), 0, "x");
    }

    /// @notice One amendment may append several articles; each lands after the last.
    function test_propose_articleAppendsChain() public {
        Proposal memory p = _enact(
            _two(_appendArticle(keccak256("one"), "ipfs://1"), _appendArticle(keccak256("two"), "ipfs://2"))
        );
        vm.assertEq(constitution.articleCount(), 2);
        vm.assertEq(constitution.article(0).contentHash, keccak256("one"));
        vm.assertEq(constitution.article(0).uri, "ipfs://1");
        vm.assertEq(constitution.article(1).contentHash, keccak256("two"));
        vm.assertEq(constitution.article(1).uri, "ipfs://2");
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Executed);
    }

    function test_RevertWhen_proposeUnknownModule() public {
        MockModule m = _mockModule(ILegitimacyConstitution.Module.Coordination);
        ILegitimacyConstitution.Action memory a = _setModule(ILegitimacyConstitution.Module.Work, address(m));
        a.value = 4;
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionUnknownModule.selector, 4)
        );
        constitution.propose(_one(a), 0, "x");
    }

    function test_RevertWhen_proposeModuleOfAnotherConstitution() public {
        address other = makeAddr("other constitution");
        MockModule m = new MockModule(other);
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleMismatch.selector,
                ILegitimacyConstitution.Module.Coordination,
                address(m),
                other
            )
        );
        constitution.propose(
            _one(_setModule(ILegitimacyConstitution.Module.Coordination, address(m))), 0, "x"
        );
    }

    function test_RevertWhen_proposeModuleWithoutCode() public {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleMismatch.selector,
                ILegitimacyConstitution.Module.Work,
                dave,
                address(0)
            )
        );
        constitution.propose(_one(_setModule(ILegitimacyConstitution.Module.Work, dave)), 0, "x");
    }

    function test_RevertWhen_proposeCitesStrategyWhileUnset() public {
        // A deployment whose directory has no Strategy module (the suite's has one).
        _deployConstitution();
        ILegitimacyConstitution.BootstrapConfig memory config = _emptyBootstrap();
        vm.prank(deployer);
        constitution.bootstrap(config);
        vm.warp(block.timestamp + 1);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Strategy), address(0));
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleUnset.selector,
                ILegitimacyConstitution.Module.Strategy
            )
        );
        constitution.propose(_noop(), 7, "adopt strategy proposal 7");
    }
}
