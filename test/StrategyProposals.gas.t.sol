// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {StrategyProposalsBase} from "./StrategyProposals.base.t.sol";

/// @notice Gas snapshots of the hot paths, written to snapshots/StrategyProposals.json.
/// @dev Every test runs isolated (`isolate = true`): each call from the test is its own
/// transaction with cold accounts and slots, as on chain, and `snapshotGasLastCall`
/// records the whole transaction: 21,000 intrinsic + calldata + execution. `<op>` is
/// that per-transaction figure and `<op>.execution` subtracts 21,000 and the calldata
/// (16 gas per non-zero byte, 4 per zero byte), what a non-isolated run would show.
///
/// Most of a token-moving call is the token's own work. ViableToken is an ERC20Votes and
/// its genesis holders are self-delegated, so moving their tokens also writes a vote
/// checkpoint (a new one per second: about 29,000 gas for the proposer or staker).
/// Each such operation is measured for a self-delegated holder (alice, the common case
/// in a dev deployment) and for a holder without a delegate (dave), whose transfer is
/// a plain ERC-20 move.
///
/// Targets per transaction: stake <= 80,000; support <= 90,000; propose (bond included)
/// <= 150,000; promote (bond returned) <= 75,000; unstake the same for a staker who
/// supports 1 proposal and 1,000; the 1st and the 10,000th proposal within 2%.
contract StrategyProposalsGasTest is StrategyProposalsBase {
    string internal constant GROUP = "StrategyProposals";
    bytes internal constant ACTIONS =
        abi.encode(uint8(0), bytes32("strategy.readyBps"), address(0), 2500, "");

    function _calldataGas(bytes memory cd) internal pure returns (uint256 g) {
        for (uint256 i; i < cd.length; ++i) {
            g += cd[i] == 0 ? 4 : 16;
        }
    }

    /// @dev Snapshot the last call as `name` (per transaction) and `name.execution`.
    function _snap(string memory name, bytes memory cd) internal returns (uint256 perTx) {
        perTx = vm.snapshotGasLastCall(GROUP, name);
        vm.snapshotValue(GROUP, string.concat(name, ".execution"), perTx - 21_000 - _calldataGas(cd));
    }

    function _proposeMeasured(address who, string memory name) internal returns (uint256 id, uint256 perTx) {
        bytes memory cd = abi.encodeCall(
            IStrategyProposals.propose, (questionId, LEGITIMACY, TEXT, "ipfs://bafy-option", ACTIONS)
        );
        vm.prank(who);
        id = strategy.propose(questionId, LEGITIMACY, TEXT, "ipfs://bafy-option", ACTIONS);
        perTx = _snap(name, cd);
    }

    /// @dev Leaves alice and dave holding stake, and alice's self-delegation checkpoints
    /// in an earlier second, as on a live chain.
    function _warm() internal {
        _stake(alice, 1 ether);
        _stake(dave, 1 ether);
        _warp(1);
    }

    // ------------------------------------------------------------------
    // Questions and proposals
    // ------------------------------------------------------------------

    /// forge-config: default.isolate = true
    function test_gas_openQuestionAndPropose() public {
        _warm();
        bytes memory cd = abi.encodeCall(IStrategyProposals.openQuestion, (TEXT, URI));
        vm.prank(alice);
        strategy.openQuestion(TEXT, URI);
        _snap("openQuestion", cd);
        _warp(1);
        _proposeMeasured(alice, "propose");
        _warp(1);
        _proposeMeasured(dave, "proposeUndelegated");
    }

    /// @notice The 1st proposal ever and the 10,000th cost the same: nothing in propose
    /// depends on how many proposals exist (the counter shares its slot with the
    /// question counter, non-zero once a question exists).
    /// forge-config: default.isolate = true
    function test_gas_proposeFirstAndTenThousandth() public {
        _warm();
        (, uint256 first) = _proposeMeasured(alice, "proposeFirstEver");
        // The 9,998 in between by bob, off the gas meter (so the loop fits the test's gas limit).
        vm.pauseGasMetering();
        for (uint256 i = 2; i < 10_000; ++i) {
            vm.prank(bob);
            strategy.propose(questionId, LEGITIMACY, TEXT, "", "");
        }
        vm.resumeGasMetering();
        _warp(1);
        (uint256 id, uint256 tenThousandth) = _proposeMeasured(alice, "proposeTenThousandth");
        vm.assertEq(id, 10_000);
        uint256 diff = first > tenThousandth ? first - tenThousandth : tenThousandth - first;
        vm.assertLe(diff * 100, first * 2, "within 2%");
    }

    /// forge-config: default.isolate = true
    function test_gas_withdrawAndExpire() public {
        _warm();
        uint256 a = _propose(alice);
        uint256 b = _propose(alice);
        _warp(1);
        vm.prank(alice);
        strategy.withdraw(a);
        _snap("withdraw", abi.encodeCall(IStrategyProposals.withdraw, (a)));
        _warp(MAX_AGE);
        vm.prank(stranger);
        strategy.expire(b);
        _snap("expire", abi.encodeCall(IStrategyProposals.expire, (b)));
    }

    // ------------------------------------------------------------------
    // Stake
    // ------------------------------------------------------------------

    /// forge-config: default.isolate = true
    function test_gas_stake() public {
        _warm();
        bytes memory cd = abi.encodeCall(IStrategyProposals.stake, (100 ether));
        _stake(bob, 100 ether);
        _snap("stakeFirst", cd);
        _warp(1);
        _stake(alice, 100 ether);
        _snap("stake", cd);
        _stake(dave, 100 ether);
        _snap("stakeUndelegated", cd);
    }

    /// @notice Unstaking reads and writes the staker's unassigned stake and the total,
    /// whatever the staker supports: the same gas for 1 and for 1,000 proposals.
    /// forge-config: default.isolate = true
    function test_gas_unstakeIndependentOfPositions() public {
        _warm();
        _stake(alice, 2000 ether);
        _stake(bob, 2000 ether);
        uint256 first = _propose(carol);
        _support(alice, first, 1 ether);
        _support(bob, first, 1 ether);
        for (uint256 i = 1; i < 1000; ++i) {
            uint256 id = _propose(carol);
            _support(bob, id, 1 ether);
        }
        _warp(1);
        bytes memory cd = abi.encodeCall(IStrategyProposals.unstake, (500 ether));
        _unstake(alice, 500 ether);
        uint256 one = _snap("unstakeSupporting1", cd);
        _unstake(bob, 500 ether);
        uint256 thousand = _snap("unstakeSupporting1000", cd);
        vm.assertEq(one, thousand, "same gas for 1 and 1,000 positions");
    }

    // ------------------------------------------------------------------
    // Support
    // ------------------------------------------------------------------

    /// @notice Support in its cases. One-time writes from zero: the first support of a
    /// proposal (its support slot), the second (its conviction slot, once the clock has
    /// run), a staker's first support ever (their assigned counter), the first time a
    /// position grows again (its conviction slot). The steady state: a new position on
    /// a proposal with conviction, by a staker who supports something else; adding to a
    /// position; unsupporting part of one, and all of one.
    /// forge-config: default.isolate = true
    function test_gas_support() public {
        _warm();
        uint256 id = _propose(carol);
        uint256 other = _propose(carol);
        _stake(alice, 100 ether);
        _stake(bob, 100 ether);
        _stake(carol, 100 ether);
        _stake(dave, 100 ether);
        _support(alice, other, 10 ether);
        _support(dave, other, 10 ether);
        _warp(1);
        bytes memory cd = abi.encodeCall(IStrategyProposals.support, (id, 10 ether));
        _support(bob, id, 10 ether);
        _snap("supportFirstOnProposal", cd);
        _warp(30);
        _support(alice, id, 10 ether);
        _snap("supportSecondOnProposal", cd);
        _warp(30);
        _support(carol, id, 10 ether);
        _snap("supportFirstByStaker", cd);
        _warp(30);
        _support(dave, id, 10 ether);
        _snap("support", cd);
        _warp(30);
        _support(alice, id, 10 ether);
        _snap("supportAddToPositionFirst", cd);
        _warp(30);
        _support(alice, id, 10 ether);
        _snap("supportAddToPosition", cd);
        _warp(30);
        cd = abi.encodeCall(IStrategyProposals.unsupport, (id, 5 ether));
        _unsupport(alice, id, 5 ether);
        _snap("unsupport", cd);
        cd = abi.encodeCall(IStrategyProposals.unsupport, (id, 10 ether));
        _unsupport(bob, id, 10 ether);
        _snap("unsupportAll", cd);
    }

    // ------------------------------------------------------------------
    // Promote and adopt
    // ------------------------------------------------------------------

    /// @notice Promotion of a proposal three half-lives after its support came (inside
    /// the age any amendment allows, so `strategy.maxAge` is not read), with the bond
    /// returned to a self-delegated proposer and to one without a delegate.
    /// forge-config: default.isolate = true
    function test_gas_promote() public {
        _warm();
        uint256 a = _propose(alice);
        uint256 d = _propose(dave);
        _stake(bob, 2000 ether);
        _support(bob, a, 1000 ether);
        _support(bob, d, 1000 ether);
        _warp(3 * HALF_LIFE);
        vm.prank(stranger);
        strategy.promote(a);
        _snap("promote", abi.encodeCall(IStrategyProposals.promote, (a)));
        vm.prank(stranger);
        strategy.promote(d);
        _snap("promoteUndelegatedProposer", abi.encodeCall(IStrategyProposals.promote, (d)));
        vm.prank(address(constitution));
        strategy.markAdopted(a);
        _snap("markAdopted", abi.encodeCall(IStrategyProposals.markAdopted, (a)));
    }
}
