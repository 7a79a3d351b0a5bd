// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {MockStrategy} from "./mocks/MockStrategy.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice Budget lines: created, updated and closed by STEWARD accounts; the active
/// lines of an asset hold at most 10,000 bps; a line may adopt a Strategy proposal.
contract OptimizationTreasuryLinesTest is TreasuryBase {
    function _create(address asset, address lineSteward, uint256 share, bytes32 schemaId, uint256 bounty)
        internal
        returns (uint256 lineId)
    {
        vm.prank(steward);
        lineId = treasury.createLine(asset, lineSteward, share, schemaId, bounty, 0, 0);
    }

    function test_createLine_storesTermsAndEmits() public {
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.LineCreated(
            1, address(usdc), steward2, steward, 2500, taskId, 7e6, 1000, 0
        );
        vm.prank(steward);
        uint256 lineId = treasury.createLine(address(usdc), steward2, 2500, taskId, 7e6, 1000, 0);
        vm.assertEq(lineId, 1);
        vm.assertEq(treasury.lineCount(), 1);
        IOptimizationTreasury.Line memory l = treasury.line(lineId);
        vm.assertEq(l.asset, address(usdc));
        vm.assertEq(l.steward, steward2);
        vm.assertEq(l.shareBps, 2500);
        vm.assertEq(uint256(l.status), uint256(IOptimizationTreasury.LineStatus.Active));
        vm.assertEq(l.schemaId, taskId);
        vm.assertEq(l.bounty, 7e6);
        vm.assertEq(l.cliffBps, 1000);
        vm.assertEq(l.strategyProposalId, 0);
        vm.assertEq(treasury.assetEpoch(address(usdc)).shareBps, 2500);
        vm.assertEq(treasury.assetEpoch(ETH).shareBps, 0, "shares are per asset");
        vm.assertEq(treasury.allocationIdOf(lineId, 9), _expectedId(address(usdc), lineId, 9));
    }

    function test_createLine_anySteward_sequentialIds() public {
        vm.assertEq(_create(ETH, steward, 100, 0, 0), 1);
        vm.prank(steward2);
        vm.assertEq(treasury.createLine(ETH, steward, 100, 0, 0, 0, 0), 2);
        vm.assertEq(treasury.assetEpoch(ETH).shareBps, 200);
    }

    /// Allocation ids carry the line id in 32 bits, so line 2^32 - 1 is the last one:
    /// the next is refused rather than aliasing line 0's ids. (`_lineCount` is slot 1.)
    function test_RevertWhen_lineIdOutgrowsThirtyTwoBits() public {
        vm.store(address(treasury), bytes32(uint256(1)), bytes32(uint256(type(uint32).max) - 1));
        vm.assertEq(_create(ETH, steward, 100, 0, 0), type(uint32).max);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 32, uint256(1) << 32)
        );
        vm.prank(steward);
        treasury.createLine(ETH, steward, 100, 0, 0, 0, 0);
        vm.assertEq(treasury.lineCount(), type(uint32).max, "the refused line left no trace");
    }

    function test_createLine_sharesUpToTenThousandPerAsset() public {
        _create(ETH, steward, 6000, 0, 0);
        _create(ETH, steward, 4000, 0, 0);
        _create(address(usdc), steward, 10_000, 0, 0);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryShareSumExceeded.selector, ETH, 10_001
            )
        );
        treasury.createLine(ETH, steward, 1, 0, 0, 0, 0);
    }

    function testFuzz_createLine_shareSum(uint256 a, uint256 b) public {
        a = bound(a, 1, BPS);
        b = bound(b, 1, BPS);
        _create(ETH, steward, a, 0, 0);
        vm.prank(steward);
        if (a + b > BPS) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryShareSumExceeded.selector, ETH, a + b
                )
            );
        }
        treasury.createLine(ETH, steward, b, 0, 0, 0, 0);
        vm.assertLe(treasury.assetEpoch(ETH).shareBps, BPS);
    }

    function test_RevertWhen_createLineByNonSteward() public {
        address[4] memory callers = [stranger, guardian, address(constitution), deployer];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IOptimizationTreasury.OptimizationTreasuryNotSteward.selector, callers[i]
                )
            );
            treasury.createLine(ETH, steward, 100, 0, 0, 0, 0);
        }
    }

    function test_RevertWhen_createLineTermsAreInvalid() public {
        vm.startPrank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidAsset.selector, bob)
        );
        treasury.createLine(bob, steward, 100, 0, 0, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryInvalidSteward.selector, address(0)
            )
        );
        treasury.createLine(ETH, address(0), 100, 0, 0, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidSteward.selector, bob)
        );
        treasury.createLine(ETH, bob, 100, 0, 0, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidShare.selector, 0)
        );
        treasury.createLine(ETH, steward, 0, 0, 0, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidShare.selector, 10_001)
        );
        treasury.createLine(ETH, steward, 10_001, 0, 0, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidCliff.selector, 10_001)
        );
        treasury.createLine(ETH, steward, 100, 0, 0, 10_001, 0);
        uint256 tooMuch = uint256(type(uint112).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryAmountTooLarge.selector, tooMuch, type(uint112).max
            )
        );
        treasury.createLine(ETH, steward, 100, taskId, tooMuch, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryBountyWithoutSchema.selector, 5)
        );
        treasury.createLine(ETH, steward, 100, 0, 5, 0, 0);
        vm.stopPrank();
        vm.assertEq(treasury.lineCount(), 0);
    }

    function test_RevertWhen_createLineCitesProposalWithoutStrategyModule() public {
        // The suite fixture wires a Strategy module; a deployment may leave the slot empty.
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.module, (ILegitimacyConstitution.Module.Strategy)),
            abi.encode(address(0))
        );
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Strategy), address(0));
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryStrategyModuleUnset.selector, 42)
        );
        treasury.createLine(ETH, steward, 100, 0, 0, 0, 42);
    }

    function test_createLine_marksTheCitedProposalAdopted() public {
        MockStrategy strategy = new MockStrategy(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Strategy, address(strategy))));
        vm.prank(steward);
        uint256 lineId = treasury.createLine(ETH, steward, 100, 0, 0, 0, 42);
        vm.assertEq(strategy.adoptionCount(), 1);
        vm.assertEq(strategy.adoptionAt(0).caller, address(treasury));
        vm.assertEq(strategy.adoptionAt(0).proposalId, 42);
        vm.assertEq(treasury.line(lineId).strategyProposalId, 42);
    }

    function test_RevertWhen_strategyModuleRefusesAdoption() public {
        MockStrategy strategy = new MockStrategy(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Strategy, address(strategy))));
        strategy.setRefuse(true);
        vm.prank(steward);
        vm.expectRevert(abi.encodeWithSelector(MockStrategy.MockStrategyRefused.selector, 42));
        treasury.createLine(ETH, steward, 100, 0, 0, 0, 42);
        vm.assertEq(treasury.lineCount(), 0, "the whole creation reverts");
    }

    function test_updateLine_changesTermsAndLogsOldAndNew() public {
        uint256 lineId = _create(address(usdc), steward, 3000, taskId, 5e6);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.LineUpdated(lineId, steward, steward2, 3000, 7000, 5e6, 9e6, 0, 2500);
        vm.prank(steward2); // any STEWARD, not only the creator
        treasury.updateLine(lineId, steward2, 7000, 9e6, 2500);
        IOptimizationTreasury.Line memory l = treasury.line(lineId);
        vm.assertEq(l.steward, steward2);
        vm.assertEq(l.shareBps, 7000);
        vm.assertEq(l.bounty, 9e6);
        vm.assertEq(l.cliffBps, 2500);
        vm.assertEq(l.schemaId, taskId, "the filter never changes");
        vm.assertEq(treasury.assetEpoch(address(usdc)).shareBps, 7000);
    }

    function test_updateLine_shareSumCountsTheLineOnce() public {
        uint256 a = _create(ETH, steward, 6000, 0, 0);
        _create(ETH, steward, 4000, 0, 0);
        vm.startPrank(steward);
        treasury.updateLine(a, steward, 6000, 0, 0); // unchanged: 10,000, fine
        treasury.updateLine(a, steward, 1000, 0, 0);
        vm.assertEq(treasury.assetEpoch(ETH).shareBps, 5000);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryShareSumExceeded.selector, ETH, 10_001
            )
        );
        treasury.updateLine(a, steward, 6001, 0, 0);
        vm.stopPrank();
    }

    function test_RevertWhen_updateLineInvalid() public {
        uint256 lineId = _create(ETH, steward, 100, 0, 0);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNotSteward.selector, stranger)
        );
        treasury.updateLine(lineId, steward, 100, 0, 0);
        vm.startPrank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 9)
        );
        treasury.updateLine(9, steward, 100, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryInvalidSteward.selector, bob)
        );
        treasury.updateLine(lineId, bob, 100, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryBountyWithoutSchema.selector, 1)
        );
        treasury.updateLine(lineId, steward, 100, 1, 0);
        treasury.closeLine(lineId);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryLineClosed.selector, lineId)
        );
        treasury.updateLine(lineId, steward, 100, 0, 0);
        vm.stopPrank();
    }

    function test_closeLine_returnsItsShare() public {
        uint256 lineId = _create(ETH, steward, 10_000, 0, 0);
        vm.expectEmit(address(treasury));
        emit IOptimizationTreasury.LineClosed(lineId, steward2);
        vm.prank(steward2);
        treasury.closeLine(lineId);
        vm.assertEq(uint256(treasury.line(lineId).status), uint256(IOptimizationTreasury.LineStatus.Closed));
        vm.assertEq(treasury.assetEpoch(ETH).shareBps, 0);
        _create(ETH, steward, 10_000, 0, 0);
    }

    function test_RevertWhen_closeLineInvalid() public {
        uint256 lineId = _create(ETH, steward, 100, 0, 0);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNotSteward.selector, guardian)
        );
        treasury.closeLine(lineId);
        vm.startPrank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 2)
        );
        treasury.closeLine(2);
        treasury.closeLine(lineId);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryLineClosed.selector, lineId)
        );
        treasury.closeLine(lineId);
        vm.stopPrank();
    }

    /// @notice The STEWARD role is read from the constitution at each call: once an
    /// amendment revokes it, line management stops for that account.
    function test_RevertWhen_stewardRoleRevoked() public {
        uint256 lineId = _create(ETH, steward2, 100, 0, 0);
        _enact(_one(_setRole(steward_role, steward2, false)));
        vm.prank(steward2);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryNotSteward.selector, steward2)
        );
        treasury.closeLine(lineId);
        // Another steward can hand the line to someone who still holds the role.
        vm.prank(steward);
        treasury.updateLine(lineId, steward, 100, 0, 0);
    }

    function test_RevertWhen_viewsOfUnknownLine() public {
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 1)
        );
        treasury.line(1);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 1)
        );
        treasury.lineEpoch(1);
        vm.expectRevert(
            abi.encodeWithSelector(IOptimizationTreasury.OptimizationTreasuryUnknownLine.selector, 1)
        );
        treasury.allocationIdOf(1, 1);
    }
}
