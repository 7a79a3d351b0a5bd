// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {AmendmentsBase} from "../LegitimacyConstitution.amendments.base.t.sol";
import {LegitimacyConstitutionHandler} from "./handlers/LegitimacyConstitutionHandler.sol";

/// @notice Properties of the constitution that must hold after any sequence of
/// proposals (every action kind, Work registry swaps, restores and a faulty registry
/// included), votes, queues, executions, cancellations, token moves, delegations,
/// recognized work and the passing of time, by five actors on the suite as the SDK
/// deploys it.
/// @dev Liveness is checked once per run, in `afterInvariant` (its state is thrown
/// away), because it drives two whole amendments: checking it after every call would
/// multiply the suite's time by the depth. Every call re-reads the state of every
/// followed amendment (at most MAX_TRACKED of them), so a run costs more per call than
/// the WorkRegistry's; the `ci` profile runs it at 128 x 64 (twice the default's calls)
/// rather than 256 x 128, which keeps it to about a minute there.
contract LegitimacyConstitutionInvariantTest is AmendmentsBase {
    LegitimacyConstitutionHandler internal handler;
    address[] internal actors;

    function setUp() public override {
        super.setUp();
        actors = new address[](5);
        (actors[0], actors[1], actors[2], actors[3], actors[4]) = (alice, bob, carol, dave, steward);
        handler = new LegitimacyConstitutionHandler(constitution, token, actors);

        targetContract(address(handler));
        // Weighted by repetition: amendments need several votes and steps to move on.
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = LegitimacyConstitutionHandler.propose.selector;
        selectors[1] = LegitimacyConstitutionHandler.propose.selector;
        selectors[2] = LegitimacyConstitutionHandler.vote.selector;
        selectors[3] = LegitimacyConstitutionHandler.voteRound.selector;
        selectors[4] = LegitimacyConstitutionHandler.voteRound.selector;
        selectors[5] = LegitimacyConstitutionHandler.queue.selector;
        selectors[6] = LegitimacyConstitutionHandler.execute.selector;
        selectors[7] = LegitimacyConstitutionHandler.execute.selector;
        selectors[8] = LegitimacyConstitutionHandler.cancel.selector;
        selectors[9] = LegitimacyConstitutionHandler.transfer.selector;
        selectors[10] = LegitimacyConstitutionHandler.delegate.selector;
        selectors[11] = LegitimacyConstitutionHandler.submitWork.selector;
        selectors[12] = LegitimacyConstitutionHandler.warp.selector;
        selectors[13] = LegitimacyConstitutionHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice The entrenched rule: every parameter stays inside its hard bounds, and the
    /// token proposal threshold within the supply, whatever amendments passed.
    /// forge-config: ci.invariant.runs = 128
    /// forge-config: ci.invariant.depth = 64
    function invariant_paramsStayWithinHardBounds() public view {
        ILegitimacyConstitution.ParamInfo[] memory ps = constitution.params();
        for (uint256 i; i < ps.length; ++i) {
            vm.assertGe(ps[i].value, ps[i].min, "value >= min");
            vm.assertLe(ps[i].value, ps[i].max, "value <= max");
        }
        vm.assertLe(constitution.param("legit.tokenProposalThreshold"), token.totalSupply());
    }

    /// @notice Each house's tallies equal the sum of its voters' weights at the
    /// amendment's snapshots, per vote type: no weight is lost, invented or counted twice.
    /// forge-config: ci.invariant.runs = 128
    /// forge-config: ci.invariant.depth = 64
    function invariant_talliesAreSumsOfSnapshotWeights() public view {
        for (uint256 i; i < handler.proposalCount(); ++i) {
            uint256 id = handler.proposalAt(i);
            ILegitimacyConstitution.Tallies memory t = constitution.tallies(id);
            vm.assertEq(t.tokenAgainst, handler.ghostTokenTally(id, 0), "token Against");
            vm.assertEq(t.tokenFor, handler.ghostTokenTally(id, 1), "token For");
            vm.assertEq(t.tokenAbstain, handler.ghostTokenTally(id, 2), "token Abstain");
            vm.assertEq(t.workAgainst, handler.ghostWorkTally(id, 0), "work Against");
            vm.assertEq(t.workFor, handler.ghostWorkTally(id, 1), "work For");
            vm.assertEq(t.workAbstain, handler.ghostWorkTally(id, 2), "work Abstain");
        }
    }

    /// @notice Nobody votes twice on an amendment, and `hasVoted` says exactly who voted.
    /// forge-config: ci.invariant.runs = 128
    /// forge-config: ci.invariant.depth = 64
    function invariant_nobodyVotesTwice() public view {
        vm.assertEq(handler.doubleVotes(), 0, "a second vote was accepted");
        for (uint256 i; i < handler.proposalCount(); ++i) {
            uint256 id = handler.proposalAt(i);
            for (uint256 k; k < actors.length; ++k) {
                vm.assertEq(constitution.hasVoted(id, actors[k]), handler.ghostVoted(id, actors[k]));
            }
        }
    }

    /// @notice States move only forward along the lifecycle (a decided amendment is never
    /// revived or flipped), and queue and cancel succeed exactly when the state allows.
    /// forge-config: ci.invariant.runs = 128
    /// forge-config: ci.invariant.depth = 64
    function invariant_statesFollowTheLifecycle() public view {
        vm.assertEq(handler.illegalTransitions(), 0, "illegal transition");
        vm.assertEq(handler.mispredictions(), 0, "constitution and model disagree");
    }

    /// @notice Liveness: from any state the run reached, a fresh amendment with the
    /// support of every actor in both houses still passes and executes; if the Work House
    /// cannot be read, a repair first passes on the Token House alone.
    function afterInvariant() external {
        handler.proveLiveness();
    }
}
