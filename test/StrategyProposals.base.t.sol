// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {HalfLifeMath} from "../contracts/libraries/HalfLifeMath.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @notice Shared set-up of the StrategyProposals suites: the whole suite as the SDK
/// deploys it, token approvals for the holders, and helpers that perform one step and
/// return what it produced. The dev genesis numbers the suites rely on are restated
/// here, so a test fails if either side drifts.
abstract contract StrategyProposalsBase is Fixture {
    // Dev genesis (test/utils/Genesis.sol).
    uint256 internal constant MIN_BOND = 10 ether;
    uint256 internal constant HALF_LIFE = 180;
    uint256 internal constant READY_BPS = 2000;
    uint256 internal constant MAX_AGE = 3600;
    uint256 internal constant MAX_AGE_FLOOR = 600;
    uint256 internal constant STAKE_FLOOR = 1000 ether;

    uint256 internal constant ONE = 1 << 128;
    uint256 internal constant UNITS = 1 << 19;

    bytes32 internal constant TEXT = keccak256("what should we build next?");
    string internal constant URI = "ipfs://bafy-question";
    uint8 internal constant LEGITIMACY = uint8(IStrategyProposals.Target.Legitimacy);

    address internal dave = makeAddr("dave");

    /// @dev An Open question by carol, present in every suite.
    uint256 internal questionId;

    function setUp() public virtual {
        _deploySuite();
        address[4] memory holders = [alice, bob, carol, dave];
        vm.prank(alice);
        token.transfer(dave, HOLDING / 2);
        for (uint256 i; i < holders.length; ++i) {
            vm.prank(holders[i]);
            token.approve(address(strategy), type(uint256).max);
        }
        questionId = _openQuestion(carol);
    }

    // ------------------------------------------------------------------
    // Steps
    // ------------------------------------------------------------------

    function _openQuestion(address who) internal returns (uint256 id) {
        vm.prank(who);
        id = strategy.openQuestion(TEXT, URI);
    }

    function _propose(address who) internal returns (uint256 id) {
        return _propose(who, questionId);
    }

    function _propose(address who, uint256 qid) internal returns (uint256 id) {
        vm.prank(who);
        id = strategy.propose(qid, LEGITIMACY, keccak256(abi.encode(who, qid)), "ipfs://bafy-option", "");
    }

    function _stake(address who, uint256 amount) internal {
        vm.prank(who);
        strategy.stake(amount);
    }

    function _unstake(address who, uint256 amount) internal {
        vm.prank(who);
        strategy.unstake(amount);
    }

    function _support(address who, uint256 id, uint256 amount) internal {
        vm.prank(who);
        strategy.support(id, amount);
    }

    function _unsupport(address who, uint256 id, uint256 amount) internal {
        vm.prank(who);
        strategy.unsupport(id, amount);
    }

    function _stakeAndSupport(address who, uint256 id, uint256 amount) internal {
        _stake(who, amount);
        _support(who, id, amount);
    }

    function _promote(uint256 id) internal {
        vm.prank(stranger);
        strategy.promote(id);
    }

    function _warp(uint256 seconds_) internal {
        vm.warp(block.timestamp + seconds_);
    }

    // ------------------------------------------------------------------
    // Reads
    // ------------------------------------------------------------------

    function _state(uint256 id) internal view returns (IStrategyProposals.ProposalState) {
        return strategy.proposal(id).state;
    }

    function _assertState(uint256 id, IStrategyProposals.ProposalState expected) internal view {
        vm.assertEq(uint256(_state(id)), uint256(expected), "proposal state");
    }

    /// @dev The module's token balance is its stake plus its bonds, always.
    function _assertSolvent() internal view {
        vm.assertEq(
            token.balanceOf(address(strategy)),
            strategy.totalStaked() + strategy.totalBonds(),
            "balance = staked + bonds"
        );
    }

    /// @dev S - (S - c) * 2^(-dt/halfLife), the formula in exact arithmetic (rounded down).
    function _expected(uint256 c0, uint256 s, uint256 dt) internal pure returns (uint256) {
        return s - HalfLifeMath.scale(s - c0, HalfLifeMath.decay(dt, HALF_LIFE, false), false);
    }

    function _assertNear(uint256 a, uint256 b, uint256 tolerance, string memory what) internal pure {
        vm.assertLe(a > b ? a - b : b - a, tolerance, what);
    }

    // ------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------

    function _wrongState(
        uint256 id,
        IStrategyProposals.ProposalState current,
        IStrategyProposals.ProposalState required
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(
            IStrategyProposals.StrategyProposalsWrongState.selector, id, current, required
        );
    }
}
