// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockERC20} from "./mocks/TreasuryTokens.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Shared set-up of the OptimizationTreasury suites: the whole suite as the SDK
/// deploys it (`_deploySuite`, which wires the treasury into the directory), two
/// Attested schemas recognized by amendment (the constitution recognizes only schemas
/// someone other than the contributor checks), an unrecognized one, a second steward,
/// funds in ETH and a 6-decimal token, and helpers for each step of an allocation.
/// The dev genesis numbers the suites rely on are restated so a drift fails a test.
abstract contract TreasuryBase is AmendmentsBase {
    // Dev genesis (test/utils/Genesis.sol).
    uint256 internal constant EPOCH = 300;
    uint256 internal constant SPEND_BPS = 1000;
    uint256 internal constant RECIPIENT_BPS = 2500;
    uint256 internal constant WINDOW = 120;
    uint256 internal constant BPS = 10_000;

    address internal constant ETH = address(0);
    uint256 internal constant ETH_FUNDS = 1000 ether;
    uint256 internal constant USDC_FUNDS = 1_000_000e6;

    address internal reviewer = makeAddr("reviewer");
    address internal steward2 = makeAddr("steward2");
    address internal contributor = makeAddr("contributor");
    address internal contributor2 = makeAddr("contributor2");
    address internal keeper = makeAddr("keeper");

    MockERC20 internal usdc;

    /// @dev Attested by `reviewer`, recognized with weight 1.
    bytes32 internal taskId;
    /// @dev Attested by `reviewer`, recognized with weight 1 (a second kind of work).
    bytes32 internal grantId;
    /// @dev Attested by `reviewer`, never recognized.
    bytes32 internal looseId;

    uint256 private _packetNonce;
    /// @dev Every allocation the helpers made, for the books check.
    uint256[] internal ids;
    mapping(uint256 id => bool) private _tracked;

    function setUp() public virtual override {
        super.setUp();
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Optimization), address(treasury));
        vm.assertEq(constitution.param(ParamKeys.TREASURY_EPOCH_LENGTH), EPOCH);
        vm.assertEq(constitution.param(ParamKeys.TREASURY_MAX_EPOCH_SPEND_BPS), SPEND_BPS);
        vm.assertEq(constitution.param(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS), RECIPIENT_BPS);
        vm.assertEq(constitution.param(ParamKeys.TREASURY_VETO_WINDOW), WINDOW);

        taskId = _attestedSchema("task");
        grantId = _attestedSchema("grant");
        looseId = _attestedSchema("loose");
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](3);
        actions[0] = _setRecognition(taskId, 1);
        actions[1] = _setRecognition(grantId, 1);
        actions[2] = _setRole(steward_role, steward2, true);
        _enact(actions);

        usdc = new MockERC20("USDC", 6);
        _fund();
    }

    /// @dev Deposits the standard funds: the first action of the epoch fixes the budgets.
    function _fund() internal virtual {
        vm.deal(alice, ETH_FUNDS);
        vm.prank(alice);
        treasury.deposit{value: ETH_FUNDS}(ETH, ETH_FUNDS);
        usdc.mint(alice, USDC_FUNDS);
        vm.startPrank(alice);
        usdc.approve(address(treasury), USDC_FUNDS);
        treasury.deposit(address(usdc), USDC_FUNDS);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------
    // Work
    // ------------------------------------------------------------------

    /// @dev A one-field (uint256) schema Attested by `reviewer` (quorum 1).
    function _attestedSchema(string memory name) internal returns (bytes32) {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](1);
        fields[0] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Uint256, required: false, min: 0, max: 0, maxLen: 0
        });
        address[] memory attesters = new address[](1);
        attesters[0] = reviewer;
        IWorkRegistry.Acceptance memory acceptance = IWorkRegistry.Acceptance({
            mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 1, attesters: attesters, window: 600
        });
        return work.registerSchema(name, fields, acceptance, address(0));
    }

    /// @dev A pending packet of `schemaId` by `who`.
    function _submitted(address who, bytes32 schemaId) internal returns (uint256 packetId) {
        vm.prank(who);
        packetId = work.submit(schemaId, HASH, abi.encode(++_packetNonce));
    }

    /// @dev An Accepted packet of `schemaId` by `who`.
    function _accepted(address who, bytes32 schemaId) internal returns (uint256 packetId) {
        packetId = _submitted(who, schemaId);
        vm.prank(reviewer);
        work.attest(packetId);
    }

    // ------------------------------------------------------------------
    // Lines and allocations
    // ------------------------------------------------------------------

    function _line(address asset, uint256 shareBps) internal returns (uint256) {
        return _line(asset, shareBps, bytes32(0), 0, 0);
    }

    function _line(address asset, uint256 shareBps, bytes32 schemaId, uint256 bounty, uint256 cliffBps)
        internal
        returns (uint256 lineId)
    {
        vm.prank(steward);
        lineId = treasury.createLine(asset, steward, shareBps, schemaId, bounty, cliffBps, 0);
    }

    function _allocate(uint256 lineId, uint256 packetId, uint256 amount) internal returns (uint256) {
        return _allocate(lineId, packetId, amount, 0);
    }

    function _allocate(uint256 lineId, uint256 packetId, uint256 amount, uint256 duration)
        internal
        returns (uint256 id)
    {
        vm.prank(treasury.line(lineId).steward);
        id = treasury.allocate(lineId, packetId, amount, duration);
        _track(id);
    }

    /// @dev Adds `id` to the allocations the books check counts (once).
    function _track(uint256 id) internal {
        if (_tracked[id]) return;
        _tracked[id] = true;
        ids.push(id);
    }

    function _claimBounty(uint256 lineId, uint256 packetId) internal returns (uint256 id) {
        vm.prank(stranger);
        id = treasury.claimBounty(lineId, packetId);
        _track(id);
    }

    function _balance(address asset) internal view returns (uint256) {
        return asset == ETH ? address(treasury).balance : IERC20(asset).balanceOf(address(treasury));
    }

    /// @dev What the treasury owes on the allocations the helpers made: pending amounts
    /// and what Claimable ones have not paid yet.
    function _owed(address asset) internal view returns (uint256 owed) {
        for (uint256 i; i < ids.length; ++i) {
            IOptimizationTreasury.Allocation memory a = treasury.allocation(ids[i]);
            if (a.asset != asset) continue;
            if (a.state == IOptimizationTreasury.AllocationState.Pending) owed += a.amount;
            if (a.state == IOptimizationTreasury.AllocationState.Claimable) owed += a.amount - a.claimed;
        }
    }

    /// @dev The books balance to the wei for a well-behaved asset: what the treasury holds
    /// is its free balance, plus this epoch's unspent budget, plus what it owes.
    function _assertBooks(address asset) internal view {
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(asset);
        vm.assertEq(_balance(asset), e.free + e.remainder + _owed(asset), "balance = free + unspent + owed");
    }

    /// @dev Conservation for any asset: the treasury never owes or budgets more than it holds.
    function _assertSolvent(address asset) internal view {
        IOptimizationTreasury.AssetEpoch memory e = treasury.assetEpoch(asset);
        vm.assertGe(_balance(asset), e.free + e.remainder + _owed(asset), "balance >= free + unspent + owed");
    }

    function _toDeadline(uint256 allocationId) internal {
        vm.warp(treasury.allocation(allocationId).deadline);
    }

    function _execute(uint256 allocationId) internal {
        vm.prank(keeper);
        treasury.execute(allocationId);
    }

    function _allocState(uint256 allocationId) internal view returns (IOptimizationTreasury.AllocationState) {
        return treasury.allocation(allocationId).state;
    }

    function _assertState(uint256 allocationId, IOptimizationTreasury.AllocationState expected)
        internal
        view
    {
        vm.assertEq(uint256(_allocState(allocationId)), uint256(expected), "allocation state");
    }

    /// @dev The id `allocationIdOf` must return, computed independently.
    function _expectedId(address asset, uint256 lineId, uint256 packetId) internal pure returns (uint256) {
        return (uint256(uint160(asset)) << 96) | (lineId << 64) | packetId;
    }

    /// @dev Warps to the start of the next treasury epoch.
    function _nextEpoch() internal {
        (,, uint256 end) = treasury.epoch();
        vm.warp(end);
    }

    function _budget(address asset) internal view returns (uint256) {
        return treasury.assetEpoch(asset).budget;
    }

    function _err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }

    /// @dev A treasury error with its facts.
    function _expectTreasuryRevert(bytes memory err) internal {
        vm.expectRevert(err);
    }
}
