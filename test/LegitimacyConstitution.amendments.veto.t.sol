// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockTreasury} from "./mocks/MockTreasury.sol";

/// @notice Guardian veto: a GUARDIAN stops a pending allocation through the
/// constitution, which calls the treasury's `veto`; nobody else can, and the role moves
/// only by amendment. The treasury is wired by a SetModule amendment, as it would be
/// on a live deployment that adds the module after genesis.
contract LegitimacyConstitutionAmendmentsVetoTest is AmendmentsBase {
    MockTreasury internal mockTreasury;

    function setUp() public override {
        super.setUp();
        mockTreasury = new MockTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(mockTreasury))));
    }

    function testFuzz_vetoAllocation_callsTreasuryAndEmits(uint256 allocationId) public {
        vm.expectCall(address(mockTreasury), abi.encodeCall(IOptimizationTreasury.veto, (allocationId)), 1);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.AllocationVetoed(allocationId, guardian, "over the recipient cap");
        vm.prank(guardian);
        constitution.vetoAllocation(allocationId, "over the recipient cap");
        vm.assertEq(mockTreasury.vetoCount(), 1);
        vm.assertEq(mockTreasury.vetoAt(0).caller, address(constitution));
        vm.assertEq(mockTreasury.vetoAt(0).allocationId, allocationId);
    }

    function testFuzz_RevertWhen_vetoByNonGuardian(address caller, uint256 allocationId) public {
        vm.assume(caller != guardian);
        vm.prank(caller);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMissingRole.selector, guardian_role, caller
            )
        );
        constitution.vetoAllocation(allocationId, "no");
        vm.assertEq(mockTreasury.vetoCount(), 0);
    }

    /// @notice A steward runs budget lines but cannot veto.
    function test_RevertWhen_vetoBySteward() public {
        vm.assertTrue(constitution.hasRole(steward_role, steward));
        vm.prank(steward);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMissingRole.selector, guardian_role, steward
            )
        );
        constitution.vetoAllocation(1, "no");
    }

    /// @notice The treasury's own refusal (allocation not pending) reaches the guardian.
    function test_RevertWhen_treasuryRefusesVeto() public {
        mockTreasury.setRefuse(true);
        vm.prank(guardian);
        _expectRevert(abi.encodeWithSelector(MockTreasury.MockTreasuryRefused.selector, 7));
        constitution.vetoAllocation(7, "late");
    }

    /// @notice GUARDIAN is granted and revoked only by amendment, and the veto follows it.
    function test_vetoAllocation_followsRoleAmendments() public {
        Proposal memory grant = _propose(alice, _one(_setRole(guardian_role, dave, true)));
        _carry(grant.id);
        _queueAndWait(grant.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RoleGranted(guardian_role, dave);
        _execute(grant);
        vm.prank(dave);
        constitution.vetoAllocation(3, "dave vetoes");
        vm.assertEq(mockTreasury.vetoCount(), 1);

        Proposal memory revoke = _propose(
            alice, _two(_setRole(guardian_role, dave, false), _setRole(guardian_role, guardian, false))
        );
        _carry(revoke.id);
        _queueAndWait(revoke.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RoleRevoked(guardian_role, dave);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.RoleRevoked(guardian_role, guardian);
        _execute(revoke);

        address[2] memory former = [dave, guardian];
        for (uint256 i; i < 2; ++i) {
            vm.prank(former[i]);
            _expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionMissingRole.selector,
                    guardian_role,
                    former[i]
                )
            );
            constitution.vetoAllocation(4, "no longer");
        }
        vm.assertEq(mockTreasury.vetoCount(), 1);
    }
}

/// @notice Without a treasury in the directory there is nothing to veto.
contract LegitimacyConstitutionAmendmentsVetoUnsetTest is AmendmentsBase {
    /// @dev Bootstraps without a treasury (the standard suite wires one).
    function setUp() public override {
        _deployConstitution();
        _deployWork();
        _bootstrapWithWork(
            new ILegitimacyConstitution.RecognitionInit[](0), new ILegitimacyConstitution.SeedInit[](0)
        );
    }

    function test_RevertWhen_vetoWithoutTreasury() public {
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Optimization), address(0));
        vm.prank(guardian);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleUnset.selector,
                ILegitimacyConstitution.Module.Optimization
            )
        );
        constitution.vetoAllocation(1, "nothing to stop");
    }
}
