// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockTreasury} from "./mocks/MockTreasury.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice PROTOCOL.md §2.1 for the LegitimacyConstitution: every state-changing
/// function has exactly one class of caller, and a caller of any other class gets the
/// constitution's own error. The ABI walk pins the list, so a new state-changing
/// function fails here until it gets its row.
///
/// | function             | who may call                          | anyone else gets   |
/// |----------------------|---------------------------------------|--------------------|
/// | bootstrap            | the deployer, once                    | NotDeployer        |
/// | propose              | over the threshold in either house    | BelowThreshold     |
/// | castVote(WithReason) | power in either house at the snapshot | NoVotingPower      |
/// | queue, execute       | anyone, when the rule holds           | (no caller class)  |
/// | cancel               | the proposer, while Pending           | NotProposer        |
/// | vetoAllocation       | a GUARDIAN                            | MissingRole        |
contract BoundaryConstitutionTest is AmendmentsBase {
    MockTreasury internal mockTreasury;
    /// @dev A Pending amendment by alice (a Proposal cannot live in storage; it is rebuilt).
    uint256 internal pendingId;

    function setUp() public override {
        super.setUp();
        mockTreasury = new MockTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(mockTreasury))));
        vm.prank(alice);
        pendingId = constitution.propose(_noop(), 0, "pending");
    }

    function _pending() internal pure returns (ILegitimacyConstitution.AmendmentBody memory) {
        return _body(_noop(), 0, "pending");
    }

    /// @dev Every other class of caller: the deployer (powerless after bootstrap), the
    /// roles, a module, the constitution itself, and nobody in particular.
    function _outsiders() internal view returns (address[6] memory) {
        return [deployer, steward, guardian, address(work), address(constitution), stranger];
    }

    // ------------------------------------------------------------------
    // The list of state-changing functions
    // ------------------------------------------------------------------

    function test_abi_stateChangingFunctionsAreTheBoundaryTable() public view {
        string memory json = vm.readFile(vm.getArtifactPathByCode(type(LegitimacyConstitution).creationCode));
        string[8] memory expected = [
            "bootstrap",
            "propose",
            "castVote",
            "castVoteWithReason",
            "queue",
            "execute",
            "cancel",
            "vetoAllocation"
        ];
        bool[8] memory seen;
        uint256 mutating;
        for (uint256 i;; ++i) {
            string memory entry = string.concat(".abi[", vm.toString(i), "]");
            if (!vm.keyExistsJson(json, entry)) break;
            bytes32 kind = keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".type"))));
            vm.assertTrue(kind != keccak256("fallback") && kind != keccak256("receive"), "no catch-all");
            if (kind != keccak256("function")) continue;
            string memory mutability = vm.parseJsonString(json, string.concat(entry, ".stateMutability"));
            if (
                keccak256(bytes(mutability)) == keccak256("view")
                    || keccak256(bytes(mutability)) == keccak256("pure")
            ) {
                continue;
            }
            vm.assertEq(mutability, "nonpayable");
            bytes32 name = keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".name"))));
            bool listed;
            for (uint256 j; j < expected.length; ++j) {
                if (name == keccak256(bytes(expected[j]))) {
                    vm.assertFalse(seen[j], "listed once");
                    seen[j] = true;
                    listed = true;
                }
            }
            vm.assertTrue(listed, "state-changing function without a boundary row");
            ++mutating;
        }
        vm.assertEq(mutating, expected.length);
    }

    // ------------------------------------------------------------------
    // bootstrap: the deployer, once
    // ------------------------------------------------------------------

    function testFuzz_RevertWhen_bootstrapByNonDeployer(address caller) public {
        vm.assume(caller != deployer);
        // A fresh, un-bootstrapped constitution: the deployer check comes first.
        vm.prank(deployer);
        LegitimacyConstitution fresh = new LegitimacyConstitution(Genesis.dev(), IVotes(address(token)));
        ILegitimacyConstitution.BootstrapConfig memory c;
        vm.prank(caller);
        _expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionNotDeployer.selector, caller)
        );
        fresh.bootstrap(c);
        vm.assertFalse(fresh.bootstrapped());
    }

    function test_RevertWhen_bootstrapByEachOutsider() public {
        address[6] memory outsiders = _outsiders();
        ILegitimacyConstitution.BootstrapConfig memory c;
        for (uint256 i = 1; i < outsiders.length; ++i) {
            vm.prank(outsiders[i]);
            _expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionNotDeployer.selector, outsiders[i]
                )
            );
            constitution.bootstrap(c);
        }
    }

    // ------------------------------------------------------------------
    // propose: over the threshold in either house
    // ------------------------------------------------------------------

    function testFuzz_RevertWhen_proposeBelowThreshold(address caller) public {
        vm.assume(caller != alice && caller != bob && caller != carol);
        vm.prank(caller);
        _expectRevert(_belowThreshold(caller));
        constitution.propose(_noop(), 0, "boundary");
    }

    function test_RevertWhen_proposeByEachOutsider() public {
        address[6] memory outsiders = _outsiders();
        for (uint256 i; i < outsiders.length; ++i) {
            vm.prank(outsiders[i]);
            _expectRevert(_belowThreshold(outsiders[i]));
            constitution.propose(_noop(), 0, "boundary");
        }
    }

    function _belowThreshold(address who) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
            who,
            0,
            TOKEN_THRESHOLD,
            0,
            WORK_THRESHOLD
        );
    }

    // ------------------------------------------------------------------
    // castVote, castVoteWithReason: power in either house at the snapshot
    // ------------------------------------------------------------------

    function testFuzz_RevertWhen_castVoteWithoutPower(address caller, uint8 support) public {
        vm.assume(caller != alice && caller != bob && caller != carol);
        support = uint8(bound(support, 0, 2));
        _toVoteStart(pendingId);
        bytes memory err = abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, pendingId, caller
        );
        vm.prank(caller);
        _expectRevert(err);
        constitution.castVote(pendingId, support);
        vm.prank(caller);
        _expectRevert(err);
        constitution.castVoteWithReason(pendingId, support, "boundary");
        vm.assertFalse(constitution.hasVoted(pendingId, caller));
    }

    function test_RevertWhen_castVoteByEachOutsider() public {
        _toVoteStart(pendingId);
        address[6] memory outsiders = _outsiders();
        for (uint256 i; i < outsiders.length; ++i) {
            bytes memory err = abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNoVotingPower.selector, pendingId, outsiders[i]
            );
            vm.prank(outsiders[i]);
            _expectRevert(err);
            constitution.castVote(pendingId, FOR);
            vm.prank(outsiders[i]);
            _expectRevert(err);
            constitution.castVoteWithReason(pendingId, FOR, "boundary");
        }
    }

    // ------------------------------------------------------------------
    // queue, execute: anyone, when the rule holds
    // ------------------------------------------------------------------

    function testFuzz_queueAndExecute_byAnyone(address queuer, address executor) public {
        vm.assume(queuer != address(0) && executor != address(0));
        _carry(pendingId);
        vm.prank(queuer);
        constitution.queue(pendingId);
        vm.warp(constitution.amendment(pendingId).eta);
        vm.prank(executor);
        constitution.execute(pendingId, alice, _pending());
        _assertState(pendingId, ILegitimacyConstitution.AmendmentState.Executed);
    }

    // ------------------------------------------------------------------
    // cancel: the proposer
    // ------------------------------------------------------------------

    function testFuzz_RevertWhen_cancelByNonProposer(address caller) public {
        vm.assume(caller != alice);
        vm.prank(caller);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNotProposer.selector, pendingId, caller
            )
        );
        constitution.cancel(pendingId, _pending());
        _assertState(pendingId, ILegitimacyConstitution.AmendmentState.Pending);
    }

    function test_RevertWhen_cancelByEachOutsider() public {
        address[6] memory outsiders = _outsiders();
        for (uint256 i; i < outsiders.length; ++i) {
            vm.prank(outsiders[i]);
            _expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionNotProposer.selector,
                    pendingId,
                    outsiders[i]
                )
            );
            constitution.cancel(pendingId, _pending());
        }
        // Another founder, with votes of its own, is still not the proposer.
        vm.prank(bob);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionNotProposer.selector, pendingId, bob
            )
        );
        constitution.cancel(pendingId, _pending());
    }

    // ------------------------------------------------------------------
    // vetoAllocation: a GUARDIAN
    // ------------------------------------------------------------------

    function testFuzz_RevertWhen_vetoByNonGuardian(address caller) public {
        vm.assume(caller != guardian);
        vm.prank(caller);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMissingRole.selector, guardian_role, caller
            )
        );
        constitution.vetoAllocation(1, "boundary");
        vm.assertEq(mockTreasury.vetoCount(), 0);
    }

    function test_RevertWhen_vetoByEachOutsider() public {
        address[6] memory outsiders = _outsiders();
        address[3] memory founders = [alice, bob, carol];
        for (uint256 i; i < outsiders.length + founders.length; ++i) {
            address who = i < outsiders.length ? outsiders[i] : founders[i - outsiders.length];
            if (who == guardian) continue;
            vm.prank(who);
            _expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionMissingRole.selector, guardian_role, who
                )
            );
            constitution.vetoAllocation(1, "boundary");
        }
        vm.prank(guardian);
        constitution.vetoAllocation(1, "the one class");
        vm.assertEq(mockTreasury.vetoCount(), 1);
    }
}
