// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {MockERC20, RebasingToken, ReentrantToken} from "./mocks/TreasuryTokens.sol";

/// @notice One test per finding of the adversarial review (docs/optimization-treasury.md,
/// "Review"): each pins down either a defence or a documented limit.
contract OptimizationTreasuryReviewTest is TreasuryBase {
    uint256 internal ethLine;

    function setUp() public override {
        super.setUp();
        ethLine = _line(ETH, 10_000);
    }

    /// @notice Cap bypass by cancel and re-allocate: the re-allocation is checked against
    /// the caps like any other, so cancelling frees exactly what it returned.
    function test_review_cancelAndReallocateCannotBypassTheCap() public {
        uint256 cap = _budget(ETH) * RECIPIENT_BPS / BPS;
        uint256 a = _allocate(ethLine, _accepted(contributor, taskId), cap);
        vm.prank(steward);
        treasury.cancel(a);
        _allocate(ethLine, _accepted(contributor, taskId), cap / 2);
        uint256 again = _allocate(ethLine, treasury.allocation(a).packetId, cap / 2);
        vm.assertEq(again, a);
        uint256 packetId = _accepted(contributor, grantId);
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryRecipientCapExceeded.selector,
                contributor,
                ETH,
                1,
                0
            )
        );
        treasury.allocate(ethLine, packetId, 1, 0);
        _assertBooks(ETH);
    }

    /// @notice A budget above 2^112 - 1 is capped there; the rest stays free.
    function test_review_budgetCappedAt112Bits() public {
        MockERC20 huge = new MockERC20("HUGE", 18);
        uint256 funds = uint256(type(uint120).max);
        huge.mint(alice, funds);
        vm.startPrank(alice);
        huge.approve(address(treasury), funds);
        treasury.deposit(address(huge), funds);
        vm.stopPrank();
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(address(huge));
        vm.assertEq(e.budget, type(uint112).max);
        vm.assertEq(e.free + e.budget, funds);
        _assertBooks(address(huge));
    }

    /// @notice Documented limit: the first action of an epoch fixes the budget, so a 1 wei
    /// deposit early in an epoch means a large deposit later counts from the next epoch.
    /// It delays spending by at most one epoch and never lowers what can be spent overall.
    function test_review_earlyDepositFixesTheBudget() public {
        _nextEpoch();
        vm.deal(stranger, 1);
        vm.prank(stranger);
        treasury.deposit{value: 1}(ETH, 1);
        uint256 budget = _budget(ETH);
        vm.deal(bob, 1000 ether);
        vm.prank(bob);
        treasury.deposit{value: 1000 ether}(ETH, 1000 ether);
        vm.assertEq(_budget(ETH), budget, "the large deposit waits for the next epoch");
        _nextEpoch();
        vm.assertEq(_budget(ETH), (2 * ETH_FUNDS + 1) / 10);
    }

    /// @notice Documented limit: an allocation id is (asset, line, packet id). After the
    /// Work module is replaced packet ids start again at 1, so a line that already
    /// funded packet 1 of the old registry cannot fund packet 1 of the new one; a new
    /// line can. Recipients are unaffected: each allocation keeps its own recipient.
    function test_review_workRegistrySwapReusesPacketIds() public {
        WorkRegistry fresh = new WorkRegistry(address(constitution));
        // Make sure packet 1 of the old registry is funded on `ethLine`.
        while (work.packetCount() < 1) _accepted(contributor, taskId);
        vm.assertEq(work.packet(1).status == IWorkRegistry.Status.Accepted, true);
        vm.prank(steward);
        uint256 funded = treasury.allocate(ethLine, 1, 1 ether, 0);

        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(fresh))));
        bytes32 schemaId = fresh.registerSchema("task", _oneUint(), _reviewerAcceptance(), address(0));
        vm.assertEq(schemaId, taskId, "same definition, same id, still recognized");
        vm.prank(contributor2);
        uint256 packetId = fresh.submit(schemaId, HASH, abi.encode(uint256(1)));
        vm.prank(reviewer);
        fresh.attest(packetId);
        vm.assertEq(packetId, 1);

        IOptimizationTreasury.AllocationState s = treasury.allocation(funded).state;
        vm.prank(steward);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOptimizationTreasury.OptimizationTreasuryAlreadyAllocated.selector, ethLine, 1, funded, s
            )
        );
        treasury.allocate(ethLine, 1, 1 ether, 0);
        vm.prank(steward);
        treasury.closeLine(ethLine);
        uint256 id = _allocate(_line(ETH, 10_000), 1, 1 ether);
        vm.assertEq(treasury.allocation(id).recipient, contributor2);
        vm.assertEq(treasury.allocation(funded).recipient, work.packet(1).contributor);
    }

    /// @notice A token whose balance shrank (a negative rebase) cannot strand a payment in
    /// Pending: the failed push becomes a claim, payable once the balance allows.
    function test_review_negativeRebaseTurnsThePushIntoAClaim() public {
        RebasingToken t = new RebasingToken();
        t.mint(alice, 100 ether);
        vm.startPrank(alice);
        t.approve(address(treasury), 100 ether);
        treasury.deposit(address(t), 100 ether);
        vm.stopPrank();
        uint256 tLine = _line(address(t), 10_000);
        uint256 id = _allocate(tLine, _accepted(contributor, taskId), 2.5 ether);
        t.rebase(0.01e18); // the treasury now holds 1 token
        _toDeadline(id);
        _execute(id);
        _assertState(id, IOptimizationTreasury.AllocationState.Claimable);
        t.rebase(1e18);
        vm.prank(contributor);
        treasury.claim(id);
        vm.assertEq(t.balanceOf(contributor), 2.5 ether);
    }

    /// @notice A token that calls back into the old treasury while the successor pulls
    /// the migrated funds meets the guard.
    function test_review_migrateWithAReentrantToken() public {
        ReentrantToken t = new ReentrantToken();
        t.mint(alice, 100 ether);
        vm.startPrank(alice);
        t.approve(address(treasury), 100 ether);
        treasury.deposit(address(t), 100 ether);
        vm.stopPrank();
        OptimizationTreasury successor = new OptimizationTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(successor))));
        t.arm(address(treasury), abi.encodeCall(IOptimizationTreasury.migrate, (address(t))));
        treasury.migrate(address(t));
        vm.assertFalse(t.lastCallbackOk());
        vm.assertEq(
            t.lastCallbackData(), _err(IOptimizationTreasury.OptimizationTreasuryReentrantCall.selector)
        );
        vm.assertEq(t.balanceOf(address(successor)), 100 ether);
        vm.assertEq(t.balanceOf(address(treasury)), 0);
    }

    /// @notice By design, two bounty lines of one schema each pay a packet once: the rule
    /// is one allocation per packet per line, and stewards decide how many lines exist.
    function test_review_bountyOncePerLine() public {
        vm.prank(steward);
        treasury.updateLine(ethLine, steward, 5000, 0, 0);
        uint256 b1 = _line(ETH, 2500, taskId, 1 ether, 0);
        uint256 b2 = _line(ETH, 2500, taskId, 1 ether, 0);
        uint256 packetId = _accepted(contributor, taskId);
        _claimBounty(b1, packetId);
        _claimBounty(b2, packetId);
        vm.prank(stranger);
        vm.expectRevert();
        treasury.claimBounty(b1, packetId);
        vm.assertEq(treasury.recipientEpoch(ETH, contributor).used, 2 ether);
    }

    /// @notice Stream edges: a one-second stream, and a cliff of the whole duration, pay
    /// exactly the amount and nothing early.
    function test_review_streamEdges() public {
        uint256 cliffLine = _line(address(usdc), 5000, bytes32(0), 0, 10_000);
        uint256 id = _allocate(cliffLine, _accepted(contributor, taskId), 7, 3);
        uint256 oneSecond = _allocate(cliffLine, _accepted(contributor, grantId), 5, 1);
        _toDeadline(id);
        _execute(id);
        _execute(oneSecond);
        uint256 start = block.timestamp;
        vm.assertEq(treasury.claimable(id), 0);
        vm.assertEq(treasury.claimable(oneSecond), 0);
        vm.warp(start + 2);
        vm.assertEq(treasury.claimable(id), 0, "whole-duration cliff");
        vm.assertEq(treasury.claimable(oneSecond), 5);
        vm.warp(start + 3);
        vm.assertEq(treasury.claimable(id), 7);
        vm.prank(contributor);
        treasury.claim(id);
        vm.prank(contributor);
        treasury.claim(oneSecond);
        vm.assertEq(usdc.balanceOf(contributor), 12);
        _assertBooks(address(usdc));
    }

    function _oneUint() internal pure returns (IWorkRegistry.Field[] memory fields) {
        fields = new IWorkRegistry.Field[](1);
        fields[0] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Uint256, required: false, min: 0, max: 0, maxLen: 0
        });
    }

    function _reviewerAcceptance() internal view returns (IWorkRegistry.Acceptance memory) {
        address[] memory attesters = new address[](1);
        attesters[0] = reviewer;
        return IWorkRegistry.Acceptance({
            mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 1, attesters: attesters, window: 600
        });
    }
}
