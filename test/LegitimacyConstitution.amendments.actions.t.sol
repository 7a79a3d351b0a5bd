// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {MockStrategy} from "./mocks/MockStrategy.sol";
import {MockTreasury} from "./mocks/MockTreasury.sol";
import {Genesis} from "./utils/Genesis.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice What executed amendments do: every action kind through its setter with its
/// event, SetParam fuzzed against the hard bounds, SetModule re-pointing the directory
/// (and the Work House with it), and `markAdopted` on the Strategy module.
contract LegitimacyConstitutionAmendmentsActionsTest is AmendmentsBase {
    // ------------------------------------------------------------------
    // SetParam against the hard bounds
    // ------------------------------------------------------------------

    /// @dev A value in one of three regions of `[min, max]`'s complement and inside:
    /// mode 0 below `min` (when there is room), 1 inside, 2 above `max`.
    function _pick(uint256 raw, uint256 mode, uint256 min, uint256 max) internal pure returns (uint256) {
        mode %= 3;
        if (mode == 0 && min > 0) return bound(raw, 0, min - 1);
        if (mode == 2) return bound(raw, max + 1, type(uint256).max);
        return bound(raw, min, max);
    }

    /// @notice propose succeeds iff the value lies within the key's hard bounds (else
    /// ParamOutOfBounds with the bounds); after the amendment passes and executes,
    /// `param(key)` is the value and every parameter is still within bounds.
    function testFuzz_setParam_withinHardBoundsIffAccepted(uint256 keyIndex, uint256 raw, uint256 mode)
        public
    {
        ILegitimacyConstitution.ParamInit memory g = Genesis.dev()[bound(keyIndex, 0, 23)];
        uint256 value = _pick(raw, mode, g.min, g.max);
        ILegitimacyConstitution.Action[] memory actions = _one(_setParam(g.key, value));

        if (value < g.min || value > g.max) {
            vm.prank(alice);
            _expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                    g.key,
                    value,
                    g.min,
                    g.max
                )
            );
            constitution.propose(actions, 0, "out of bounds");
            vm.assertEq(constitution.param(g.key), g.value, "unchanged");
            return;
        }
        if (_unreachable(g.key, value)) {
            vm.prank(alice);
            _expectRevert(_unreachableError(value));
            constitution.propose(actions, 0, "beyond the supply");
            return;
        }
        Proposal memory p = _propose(alice, actions);
        _carry(p.id);
        _queueAndWait(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ParamSet(g.key, g.value, value);
        _execute(p);
        vm.assertEq(constitution.param(g.key), value);
        _assertAllWithinBounds();
    }

    /// @dev A token proposal threshold above the supply is refused even inside its bounds:
    /// nobody could ever meet it.
    function _unreachable(bytes32 key, uint256 value) internal pure returns (bool) {
        return key == ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD && value > TOTAL_SUPPLY;
    }

    function _unreachableError(uint256 value) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionThresholdUnreachable.selector,
            ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD,
            value,
            TOTAL_SUPPLY
        );
    }

    /// @notice A list of up to eight SetParam actions: propose refuses the first one out of
    /// bounds (by its own values); an accepted list executes in order, so each key ends at
    /// the last value the list gave it, and the bounds hold.
    function testFuzz_setParam_actionListKeepsBounds(
        uint8 count,
        uint256[8] memory keyIndexes,
        uint256[8] memory raws,
        uint256[8] memory modes
    ) public {
        uint256 n = bound(count, 1, 8);
        ILegitimacyConstitution.ParamInit[] memory dev = Genesis.dev();
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](n);
        uint256[] memory expected = new uint256[](dev.length);
        for (uint256 k; k < dev.length; ++k) {
            expected[k] = dev[k].value;
        }
        bool rejected;
        for (uint256 i; i < n; ++i) {
            uint256 k = bound(keyIndexes[i], 0, dev.length - 1);
            // Mostly in range, so that whole lists pass often enough.
            uint256 value = _pick(raws[i], modes[i] % 8 < 6 ? 1 : modes[i], dev[k].min, dev[k].max);
            actions[i] = _setParam(dev[k].key, value);
            bool inside = value >= dev[k].min && value <= dev[k].max;
            if (!rejected && inside && _unreachable(dev[k].key, value)) {
                rejected = true;
                vm.expectRevert(_unreachableError(value));
            }
            if (!rejected && (value < dev[k].min || value > dev[k].max)) {
                rejected = true;
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                        dev[k].key,
                        value,
                        dev[k].min,
                        dev[k].max
                    )
                );
            }
            expected[k] = value;
        }
        if (rejected) {
            vm.prank(alice);
            constitution.propose(actions, 0, "list");
            return;
        }
        _enact(actions);
        for (uint256 k; k < dev.length; ++k) {
            vm.assertEq(constitution.param(dev[k].key), expected[k], "last write wins");
        }
    }

    // ------------------------------------------------------------------
    // Every kind, with its event
    // ------------------------------------------------------------------

    function test_execute_appliesEveryActionKindWithEvents() public {
        bytes32 schemaId = _registerSchema(work, "review");
        MockTreasury mockTreasury = new MockTreasury(address(constitution));
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](5);
        actions[0] = _setParam(ParamKeys.TREASURY_VETO_WINDOW, 3600);
        actions[1] = _setRecognition(schemaId, 25);
        actions[2] = _setRole(steward_role, dave, true);
        actions[3] = _appendArticle(keccak256("article one"), "ipfs://one");
        actions[4] = _setModule(ILegitimacyConstitution.Module.Optimization, address(mockTreasury));

        Proposal memory p = _propose(alice, actions);
        _carry(p.id);
        _queueAndWait(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ParamSet(ParamKeys.TREASURY_VETO_WINDOW, 120, 3600);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(schemaId, 0, 25);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RoleGranted(steward_role, dave);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ArticleSet(0, bytes32(0), keccak256("article one"), "ipfs://one");
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ModuleSet(
            ILegitimacyConstitution.Module.Optimization, address(treasury), address(mockTreasury)
        );
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentExecuted(p.id);
        _execute(p);

        vm.assertEq(constitution.param(ParamKeys.TREASURY_VETO_WINDOW), 3600);
        vm.assertEq(constitution.recognition(schemaId), 25);
        vm.assertTrue(constitution.hasRole(steward_role, dave));
        vm.assertEq(constitution.articleCount(), 1);
        vm.assertEq(constitution.article(0).uri, "ipfs://one");
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Optimization), address(mockTreasury));
        _assertAllWithinBounds();

        // And back: revoke, withdraw recognition, repeal.
        actions = new ILegitimacyConstitution.Action[](3);
        actions[0] = _setRole(steward_role, dave, false);
        actions[1] = _setRecognition(schemaId, 0);
        actions[2] = _setArticle(0, bytes32(0), "");
        p = _propose(alice, actions);
        _carry(p.id);
        _queueAndWait(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RoleRevoked(steward_role, dave);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(schemaId, 25, 0);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ArticleSet(0, keccak256("article one"), bytes32(0), "");
        _execute(p);
        vm.assertFalse(constitution.hasRole(steward_role, dave));
        vm.assertEq(constitution.recognition(schemaId), 0);
        (bytes32[] memory ids,) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 0);
        vm.assertEq(constitution.articleCount(), 1, "numbering is stable");
        vm.assertEq(constitution.article(0).contentHash, bytes32(0));
    }

    // ------------------------------------------------------------------
    // SetModule: the directory, and the Work House with it
    // ------------------------------------------------------------------

    /// @notice After SetModule(Work) the constitution reads the new registry for every
    /// amendment proposed afterwards: thresholds, votes and quorums. The new registry
    /// continues the old one's Work House (founding power still counts, through it), and
    /// credits by the constitution's recognition. A SetRecognition after the swap in the
    /// same amendment is checked against the new registry, at propose as at execute.
    function test_setModule_workHouseFollowsNewRegistry() public {
        WorkRegistry work2 = _newWorkRegistry();
        vm.assertEq(work2.predecessor(), address(work), "built while work is wired: its successor");
        bytes32 schemaId = _registerSchema(work2, "task"); // known to work2 only
        Proposal memory setWork = _propose(
            alice,
            _two(
                _setModule(ILegitimacyConstitution.Module.Work, address(work2)),
                _setRecognition(schemaId, 100)
            )
        );
        _carry(setWork.id);
        _queueAndWait(setWork.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.ModuleSet(
            ILegitimacyConstitution.Module.Work, address(work), address(work2)
        );
        _execute(setWork);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work2));
        vm.assertEq(work2.constitution(), address(constitution));

        _submit(work2, dave, schemaId, 1); // 100 points on the new registry: power 10
        vm.assertEq(work2.power(dave), 10);
        vm.assertEq(work.power(alice), ALICE_POWER, "old registry untouched");
        vm.assertEq(work2.power(alice), ALICE_POWER, "founding power read through");
        vm.assertEq(work2.totalPower(), TOTAL_POWER + 10);
        vm.warp(block.timestamp + 1);

        // dave has no tokens: only the new registry's power lets him propose.
        Proposal memory p = _propose(dave, _noop());
        (, uint256 wq) = constitution.quorums(p.id);
        vm.assertEq(wq, 4, "ceil(34 * 10%)");
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, p.id, FOR);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(p.id, dave, ILegitimacyConstitution.VoteType.For, 0, 10, "");
        _vote(dave, p.id, FOR);
        _toVoteEnd(p.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);

        // carol's founding power still counts: with no tokens she can propose alone.
        _give(carol, stranger, HOLDING);
        vm.warp(block.timestamp + 1);
        _propose(carol, _noop());
    }

    function test_setModule_repointsEveryDirectoryEntry() public {
        MockTreasury treasury = new MockTreasury(address(constitution));
        MockStrategy strategy = new MockStrategy(address(constitution));
        MockModule coordination = _mockModule(ILegitimacyConstitution.Module.Coordination);
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](3);
        actions[0] = _setModule(ILegitimacyConstitution.Module.Coordination, address(coordination));
        actions[1] = _setModule(ILegitimacyConstitution.Module.Optimization, address(treasury));
        actions[2] = _setModule(ILegitimacyConstitution.Module.Strategy, address(strategy));
        _enact(actions);
        address[4] memory m = constitution.modules();
        vm.assertEq(m[0], address(work));
        vm.assertEq(m[1], address(coordination));
        vm.assertEq(m[2], address(treasury));
        vm.assertEq(m[3], address(strategy));

        // Replace one: the directory moves, the others stay.
        MockStrategy strategy2 = new MockStrategy(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Strategy, address(strategy2))));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Strategy), address(strategy2));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Optimization), address(treasury));
    }

    // ------------------------------------------------------------------
    // markAdopted
    // ------------------------------------------------------------------

    function _withStrategy() internal returns (MockStrategy strategy) {
        strategy = new MockStrategy(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Strategy, address(strategy))));
    }

    function test_execute_marksStrategyProposalAdopted() public {
        MockStrategy strategy = _withStrategy();
        ILegitimacyConstitution.Action[] memory actions = _one(_setParam(ParamKeys.STRATEGY_READY_BPS, 2500));
        uint256 id = constitution.hashAmendment(alice, _body(actions, 42, "adopt 42"));
        uint48 voteStart = SafeCast.toUint48(block.timestamp + VOTING_DELAY);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AmendmentProposed(
            id, alice, actions, 42, voteStart, SafeCast.toUint48(voteStart + VOTING_PERIOD), "adopt 42"
        );
        vm.prank(alice);
        constitution.propose(actions, 42, "adopt 42");
        Proposal memory p = Proposal({id: id, proposer: alice, body: _body(actions, 42, "adopt 42")});

        _carry(p.id);
        _queueAndWait(p.id);
        vm.expectCall(address(strategy), abi.encodeCall(IStrategyProposals.markAdopted, (42)), 1);
        _execute(p);
        vm.assertEq(strategy.adoptionCount(), 1);
        vm.assertEq(strategy.adoptionAt(0).caller, address(constitution));
        vm.assertEq(strategy.adoptionAt(0).proposalId, 42);
        vm.assertEq(constitution.param(ParamKeys.STRATEGY_READY_BPS), 2500);
    }

    function test_execute_withoutStrategyProposalDoesNotCallStrategy() public {
        MockStrategy strategy = _withStrategy();
        Proposal memory p = _propose(alice, _noop());
        _carry(p.id);
        _queueAndWait(p.id);
        vm.expectCall(address(strategy), abi.encodeWithSelector(IStrategyProposals.markAdopted.selector), 0);
        _execute(p);
        vm.assertEq(strategy.adoptionCount(), 0);
    }

    /// @notice The Strategy module refusing (proposal not Ready) fails the execution; the
    /// amendment stays Queued and may be retried.
    function test_execute_strategyRefusalLeavesQueued() public {
        MockStrategy strategy = _withStrategy();
        Proposal memory p = _propose(alice, _one(_setParam(ParamKeys.STRATEGY_READY_BPS, 2500)), 42);
        _carry(p.id);
        _queueAndWait(p.id);
        strategy.setRefuse(true);
        vm.prank(stranger);
        _expectRevert(abi.encodeWithSelector(MockStrategy.MockStrategyRefused.selector, 42));
        constitution.execute(p.id, p.proposer, p.body);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Queued);
        vm.assertEq(constitution.param(ParamKeys.STRATEGY_READY_BPS), 2000, "rolled back");

        strategy.setRefuse(false);
        _execute(p);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Executed);
        vm.assertEq(strategy.adoptionCount(), 1);
    }
}
