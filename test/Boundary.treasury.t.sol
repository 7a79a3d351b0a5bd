// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {MockStrategy} from "./mocks/MockStrategy.sol";

/// @notice The OptimizationTreasury rows of the boundary matrix (PROTOCOL.md §2.1): every
/// state-changing function called by every class of caller. A function with one class
/// of caller rejects all the others with the treasury's own error; a permissionless one
/// works for all of them.
///
/// | function                              | who may call                                   |
/// |---------------------------------------|------------------------------------------------|
/// | deposit / plain ETH transfer          | anyone                                         |
/// | createLine, updateLine, closeLine     | an account with the STEWARD role               |
/// | allocate, cancel                      | the line's steward                             |
/// | claimBounty                           | anyone (Accepted packet of the line's schema)  |
/// | veto                                  | the constitution (a guardian acts through it)  |
/// | execute                               | anyone, after the veto window                  |
/// | claim                                 | the allocation's recipient                     |
/// | migrate                               | anyone, once another treasury replaced this one|
contract BoundaryTreasuryTest is TreasuryBase {
    uint256 internal lineId; // run by `steward`
    uint256 internal otherLine; // run by `steward2`
    uint256 internal bountyLine;
    MockStrategy internal otherModule;

    function setUp() public override {
        super.setUp();
        _enact(_one(_setParam("treasury.vetoWindow", 3600)));
        lineId = _line(ETH, 4000);
        bountyLine = _line(ETH, 1000, taskId, 0.1 ether, 0);
        vm.prank(steward2);
        otherLine = treasury.createLine(ETH, steward2, 1000, 0, 0, 0, 0);
        otherModule = new MockStrategy(address(constitution));
    }

    /// @dev Every class of caller: anyone, a contributor, the steward of another line, the
    /// line's steward, a guardian acting directly, the constitution, the deployer, and
    /// other modules (the WorkRegistry, a Strategy-kind module).
    function _everyone() internal view returns (address[] memory c) {
        c = new address[](9);
        c[0] = stranger;
        c[1] = contributor;
        c[2] = steward2;
        c[3] = steward;
        c[4] = guardian;
        c[5] = address(constitution);
        c[6] = deployer;
        c[7] = address(work);
        c[8] = address(otherModule);
    }

    function _isSteward(address who) internal view returns (bool) {
        return who == steward || who == steward2;
    }

    function test_boundary_depositAndReceiveByAnyone() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            vm.deal(c[i], 2 ether);
            vm.prank(c[i]);
            treasury.deposit{value: 1 ether}(ETH, 1 ether);
            vm.prank(c[i]);
            (bool ok,) = address(treasury).call{value: 1 ether}("");
            vm.assertTrue(ok);
        }
        vm.assertEq(address(treasury).balance, ETH_FUNDS + 2 ether * c.length);
    }

    function test_boundary_lineManagementOnlyBySteward() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (_isSteward(c[i])) continue;
            bytes memory err =
                abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNotSteward.selector, c[i]);
            vm.startPrank(c[i]);
            vm.expectRevert(err);
            treasury.createLine(ETH, steward, 100, 0, 0, 0, 0);
            vm.expectRevert(err);
            treasury.updateLine(lineId, steward, 100, 0, 0);
            vm.expectRevert(err);
            treasury.closeLine(lineId);
            vm.stopPrank();
        }
        vm.prank(steward2);
        uint256 created = treasury.createLine(ETH, steward, 100, 0, 0, 0, 0);
        vm.prank(steward);
        treasury.updateLine(created, steward2, 200, 0, 0);
        vm.prank(steward2);
        treasury.closeLine(created);
    }

    function test_boundary_allocateOnlyByTheLineSteward() public {
        uint256 packetId = _accepted(contributor, taskId);
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == steward) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotLineSteward.selector, lineId, c[i]
                )
            );
            treasury.allocate(lineId, packetId, 1 ether, 0);
        }
        _allocate(lineId, packetId, 1 ether);
    }

    function test_boundary_cancelOnlyByTheLineSteward() public {
        uint256 id = _allocate(lineId, _accepted(contributor, taskId), 1 ether);
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == steward) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotLineSteward.selector, lineId, c[i]
                )
            );
            treasury.cancel(id);
        }
        vm.prank(steward);
        treasury.cancel(id);
    }

    function test_boundary_claimBountyByAnyone() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            uint256 packetId = _accepted(contributor, taskId);
            vm.prank(c[i]);
            uint256 id = treasury.claimBounty(bountyLine, packetId);
            vm.assertEq(treasury.allocation(id).recipient, contributor);
        }
    }

    function test_boundary_vetoOnlyByTheConstitution() public {
        uint256 id = _allocate(lineId, _accepted(contributor, taskId), 1 ether);
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == address(constitution)) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotConstitution.selector, c[i]
                )
            );
            treasury.veto(id);
        }
        vm.prank(address(constitution));
        treasury.veto(id);
        _assertState(id, IOptimizationTreasury.AllocationState.Vetoed);
    }

    function test_boundary_executeByAnyoneAfterTheWindow() public {
        address[] memory c = _everyone();
        uint256[] memory allocations = new uint256[](c.length);
        for (uint256 i; i < c.length; ++i) {
            allocations[i] = _allocate(lineId, _accepted(contributor, taskId), 0.1 ether);
        }
        for (uint256 i; i < c.length; ++i) {
            uint256 deadline = treasury.allocation(allocations[i]).deadline;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryVetoWindowOpen.selector,
                    allocations[i],
                    deadline,
                    block.timestamp
                )
            );
            treasury.execute(allocations[i]);
        }
        _toDeadline(allocations[0]);
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            treasury.execute(allocations[i]);
        }
        vm.assertEq(contributor.balance, 0.1 ether * c.length);
    }

    function test_boundary_claimOnlyByTheRecipient() public {
        uint256 id = _allocate(lineId, _accepted(contributor, taskId), 1 ether, 100);
        _toDeadline(id);
        _execute(id);
        vm.warp(block.timestamp + 100);
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == contributor) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotRecipient.selector, id, c[i]
                )
            );
            treasury.claim(id);
        }
        vm.prank(contributor);
        treasury.claim(id);
    }

    function test_boundary_migrateByAnyoneOnceReplaced() public {
        address[] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotReplaced.selector, address(treasury)
                )
            );
            treasury.migrate(ETH);
        }
        OptimizationTreasury successor = new OptimizationTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(successor))));
        for (uint256 i; i < c.length; ++i) {
            vm.deal(bob, 1 ether);
            vm.prank(bob);
            treasury.deposit{value: 1 ether}(ETH, 1 ether);
            vm.prank(c[i]);
            treasury.migrate(ETH);
        }
        vm.assertEq(address(successor).balance, ETH_FUNDS + c.length * 1 ether);
    }
}
