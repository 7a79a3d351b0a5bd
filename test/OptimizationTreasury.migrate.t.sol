// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";

/// @notice Replacing the treasury by amendment: the old one allocates nothing more (its
/// guardians could no longer veto), keeps paying what it owes, and anyone may move its
/// uncommitted balance to the successor, so nothing is stuck.
contract OptimizationTreasuryMigrateTest is TreasuryBase {
    OptimizationTreasury internal successor;
    uint256 internal ethLine;
    uint256 internal pending;

    function setUp() public override {
        super.setUp();
        ethLine = _line(ETH, 5000);
        _enact(_one(_setParam("treasury.vetoWindow", 3600)));
        pending = _allocate(ethLine, _accepted(contributor, taskId), 10 ether);
        successor = new OptimizationTreasury(address(constitution));
    }

    function _replace() internal {
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(successor))));
    }

    function test_RevertWhen_migrateWhileInTheDirectory() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNotReplaced.selector, address(treasury)
            )
        );
        treasury.migrate(ETH);
    }

    function test_migrate_movesUncommittedFundsToTheSuccessor() public {
        _replace();
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(ETH);
        uint256 uncommitted = e.free + e.remainder;
        vm.assertEq(uncommitted, ETH_FUNDS - 10 ether);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.Migrated(ETH, address(successor), uncommitted);
        vm.prank(stranger);
        treasury.migrate(ETH);
        vm.assertEq(address(successor).balance, uncommitted);
        vm.assertEq(address(treasury).balance, 10 ether, "what it owes stays");
        IOptimizationTreasury.AssetEpoch memory s = successor.assetEpoch(ETH);
        vm.assertEq(s.free + s.budget, uncommitted, "the successor credits the deposit");

        vm.prank(stranger);
        treasury.migrate(address(usdc));
        vm.assertEq(usdc.balanceOf(address(successor)), USDC_FUNDS);
        vm.assertEq(usdc.allowance(address(treasury), address(successor)), 0);

        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNothingToMigrate.selector, ETH)
        );
        treasury.migrate(ETH);
        _assertBooks(ETH);
    }

    /// @notice The old treasury still pays what it owes; what its steward cancels later
    /// becomes migratable too.
    function test_replacedTreasury_paysWhatItOwesAndMigratesCancellations() public {
        uint256 second = _allocate(ethLine, _accepted(contributor2, taskId), 5 ether);
        _replace();
        vm.prank(stranger);
        treasury.migrate(ETH);
        vm.prank(steward);
        treasury.cancel(second);
        vm.prank(stranger);
        treasury.migrate(ETH);
        vm.assertEq(address(successor).balance, ETH_FUNDS - 10 ether);
        _toDeadline(pending);
        _execute(pending);
        vm.assertEq(contributor.balance, 10 ether);
        vm.assertEq(address(treasury).balance, 0);
    }

    function test_RevertWhen_replacedTreasuryAllocates() public {
        uint256 bountyLine = _line(ETH, 1000, taskId, 1 ether, 0);
        _replace();
        uint256 packetId = _accepted(contributor2, taskId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNotInDirectory.selector, address(successor)
            )
        );
        treasury.allocate(ethLine, packetId, 1 ether, 0);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNotInDirectory.selector, address(successor)
            )
        );
        treasury.claimBounty(bountyLine, packetId);
    }

    /// @notice Guardians now reach the successor: a veto of the old treasury's pending
    /// allocation goes to the successor, which does not know it.
    function test_replacedTreasury_guardiansReachTheSuccessor() public {
        _replace();
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryUnknownAllocation.selector, pending
            )
        );
        constitution.vetoAllocation(pending, "wrong treasury");
    }

    /// @notice Before it is wired into the directory a treasury allocates nothing and has
    /// nothing to migrate to.
    function test_RevertWhen_notYetInTheDirectory() public {
        _deployConstitution();
        OptimizationTreasury early = new OptimizationTreasury(address(constitution));
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        vm.prank(deployer);
        constitution.bootstrap(c);
        vm.prank(steward);
        uint256 l = early.createLine(ETH, steward, 100, 0, 0, 0, 0);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryNotInDirectory.selector, address(0)
            )
        );
        early.allocate(l, 1, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNotReplaced.selector, address(0))
        );
        early.migrate(ETH);
    }
}
