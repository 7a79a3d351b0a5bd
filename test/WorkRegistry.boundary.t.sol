// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";

/// @notice The WorkRegistry rows of the boundary matrix (PROTOCOL.md §2.1): every
/// state-changing function called by every class of caller. A function with one class
/// of caller rejects all the others with the registry's own error; a permissionless
/// one works for all of them.
///
/// | function           | who may call                                  |
/// |--------------------|-----------------------------------------------|
/// | registerSchema     | anyone                                        |
/// | submit             | anyone                                        |
/// | attest             | an attester listed in the packet's schema     |
/// | retract            | the packet's contributor, while Pending       |
/// | expire             | anyone, after the attestation deadline        |
/// | seedContribution   | the constitution, only during bootstrap       |
contract WorkRegistryBoundaryTest is WorkRegistryBase {
    address internal otherAttester = makeAddr("otherAttester");
    uint256 internal pending;

    function setUp() public override {
        super.setUp();
        address[] memory a = new address[](1);
        a[0] = otherAttester;
        workRegistry.registerSchema("other", _taskFields(), _attested(1, a, WINDOW), address(0));
        pending = _submit(contributor, reviewId);
    }

    /// @dev Every class of caller there is, whatever its role in this packet.
    function _everyone() internal view returns (address[] memory c) {
        c = new address[](11);
        c[0] = contributor;
        c[1] = alice; // attester of `review`
        c[2] = bob; // attester of `review`
        c[3] = carol; // attester of `review`
        c[4] = otherAttester; // attester of another schema
        c[5] = stranger;
        c[6] = deployer;
        c[7] = steward;
        c[8] = guardian;
        c[9] = address(constitution);
        c[10] = address(workRegistry);
    }

    function _isReviewer(address who) internal view returns (bool) {
        return who == alice || who == bob || who == carol;
    }

    function test_boundary_registerSchemaByAnyone() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            workRegistry.registerSchema(vm.toString(i), _taskFields(), _immediate(), address(0));
        }
        vm.assertEq(workRegistry.schemaCount(), 5 + c.length);
    }

    function test_boundary_submitByAnyone() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            vm.assertEq(workRegistry.packet(_submit(c[i], taskId)).contributor, c[i]);
        }
    }

    function test_boundary_attestOnlyByListedAttester() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (_isReviewer(c[i])) continue;
            vm.expectRevert(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotAttester.selector, pending, c[i])
            );
            vm.prank(c[i]);
            workRegistry.attest(pending);
        }
        vm.prank(alice);
        workRegistry.attest(pending);
    }

    function test_boundary_retractOnlyByContributor() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == contributor) continue;
            vm.expectRevert(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotContributor.selector, pending, c[i])
            );
            vm.prank(c[i]);
            workRegistry.retract(pending);
        }
        vm.prank(contributor);
        workRegistry.retract(pending);
    }

    function test_boundary_expireByAnyoneAfterDeadline() public {
        address[] memory c = _everyone();
        uint256[] memory ids = new uint256[](c.length);
        for (uint256 i; i < c.length; ++i) {
            ids[i] = _submit(contributor, reviewId);
        }
        vm.warp(block.timestamp + WINDOW + 1);
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            workRegistry.expire(ids[i]);
            vm.assertEq(uint8(workRegistry.packet(ids[i]).status), uint8(IWorkRegistry.Status.Expired));
        }
    }

    function test_boundary_seedOnlyByConstitutionDuringBootstrap() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == address(constitution)) {
                // The constitution itself, but bootstrap is over.
                vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistrySeedingClosed.selector));
            } else {
                vm.expectRevert(
                    abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotConstitution.selector, c[i])
                );
            }
            vm.prank(c[i]);
            workRegistry.seedContribution(c[i], 1);
        }
    }
}
