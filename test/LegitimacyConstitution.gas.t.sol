// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";

/// @notice Gas of the amendment hot paths, each call measured as its own transaction
/// (`isolate`): every account and slot is cold and SSTORE prices use the value at the
/// start of that transaction, as on chain. (`vm.cool` is not enough: it cools storage
/// but leaves the token and registry accounts warm, which under-reports 2,500 gas per
/// external contract a call touches.) In isolation `snapshotGasLastCall` records the
/// whole transaction: 21,000 intrinsic + calldata + execution. `<name>Call` records the
/// execution alone (transaction minus 21,000 and the calldata: 16 gas per non-zero byte,
/// 4 per zero byte), the figure a non-isolated forge run reports.
/// Targets per transaction: propose of one action <= 85,000; first vote <= 95,500;
/// later vote <= 76,000; queue + execute of one SetParam <= 105,000.
contract LegitimacyConstitutionGasTest is AmendmentsBase {
    string internal constant GROUP = "LegitimacyConstitution";

    function _calldataGas(bytes memory data) internal pure returns (uint256 g) {
        for (uint256 i; i < data.length; ++i) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev Snapshots the last call (a whole transaction) and its execution gas; returns
    /// the transaction gas.
    function _snap(string memory name, bytes memory data) internal returns (uint256 txGas) {
        txGas = vm.snapshotGasLastCall(GROUP, name);
        vm.snapshotValue(GROUP, string.concat(name, "Call"), txGas - 21_000 - _calldataGas(data));
    }

    /// @notice One amendment's whole life, each step a cold transaction: a fresh one-action
    /// amendment (after an earlier one, so the proposer's token checkpoints and the
    /// registry's are as on a live chain), the first vote, a later vote with the same
    /// support, queue and execute.
    /// forge-config: default.isolate = true
    function test_gas_amendmentLifecycle1SetParam() public {
        // An earlier amendment: the constitution is not pristine.
        Proposal memory earlier = _propose(bob, _noop());
        _carry(earlier.id);
        vm.warp(block.timestamp + 1);

        ILegitimacyConstitution.Action[] memory actions = _one(_setParam(ParamKeys.LOCKS_MAX_TTL, 600));
        string memory description = "Raise the longest lease to ten minutes";

        vm.prank(alice);
        uint256 id = constitution.propose(actions, 0, description);
        _snap("propose1SetParam", abi.encodeCall(constitution.propose, (actions, 0, description)));

        _toVoteStart(id);
        vm.prank(alice);
        constitution.castVote(id, FOR);
        _snap("castVoteFirst", abi.encodeCall(constitution.castVote, (id, FOR)));

        vm.prank(bob);
        constitution.castVote(id, FOR);
        _snap("castVoteLater", abi.encodeCall(constitution.castVote, (id, FOR)));

        _toVoteEnd(id);
        vm.prank(stranger);
        constitution.queue(id);
        uint256 queueTx = _snap("queue1SetParam", abi.encodeCall(constitution.queue, (id)));

        vm.warp(constitution.amendment(id).eta);
        ILegitimacyConstitution.AmendmentBody memory body = _body(actions, 0, description);
        vm.prank(stranger);
        constitution.execute(id, alice, body);
        uint256 executeTx = _snap("execute1SetParam", abi.encodeCall(constitution.execute, (id, alice, body)));
        vm.snapshotValue(GROUP, "queueAndExecute1SetParam", queueTx + executeTx);

        // The measured path really happened.
        _assertState(id, ILegitimacyConstitution.AmendmentState.Executed);
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), 600);
    }
}
