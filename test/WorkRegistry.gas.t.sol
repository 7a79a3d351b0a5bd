// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";

/// @notice Gas snapshots of the hot paths, written to snapshots/WorkRegistry.json.
/// @dev Every test runs isolated (`isolate = true`): each call from the test is its own
/// transaction with cold accounts and slots, exactly as on chain, and forge then
/// reports the transaction's gas *including* the 21,000 base and the calldata
/// (checked against anvil receipts: identical). `<op>` is that per-transaction
/// figure; `<op>.execution` subtracts 21,000 and the calldata cost (4 gas per zero
/// byte, 16 per non-zero byte; the EIP-7623 floor never applies here), which is
/// what a non-isolated `snapshotGasLastCall` would show. All measurements are of
/// the steady state: earlier packets and schemas exist (counters are non-zero).
contract WorkRegistryGasTest is WorkRegistryBase {
    string internal constant GROUP = "WorkRegistry";

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

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

    function _submitAs(address who, bytes32 id) internal returns (uint256 packetId, bytes memory cd) {
        cd = abi.encodeCall(IWorkRegistry.submit, (id, HASH, _taskData()));
        vm.prank(who);
        packetId = workRegistry.submit(id, HASH, _taskData());
    }

    // ------------------------------------------------------------------
    // Snapshots
    // ------------------------------------------------------------------

    /// forge-config: default.isolate = true
    function test_gas_registerSchema() public {
        bytes memory cd = abi.encodeCall(
            IWorkRegistry.registerSchema, ("gas.task", _taskFields(), _immediate(), address(0))
        );
        workRegistry.registerSchema("gas.task", _taskFields(), _immediate(), address(0));
        _snap("register3Fields", cd);

        cd = abi.encodeCall(
            IWorkRegistry.registerSchema, ("gas.review", _taskFields(), _reviewAcceptance(), address(0))
        );
        workRegistry.registerSchema("gas.review", _taskFields(), _reviewAcceptance(), address(0));
        _snap("register3FieldsAttested3", cd);
    }

    /// forge-config: default.isolate = true
    function test_gas_submitImmediateUnrecognized() public {
        (, bytes memory cd) = _submitAs(contributor, taskId);
        _snap("submitFirstPacketEver", cd);
        (, cd) = _submitAs(contributor, taskId);
        _snap("submitImmediateUnrecognized", cd);
    }

    /// forge-config: default.isolate = true
    function test_gas_submitImmediateRecognized() public {
        _submitAs(alice, taskId); // the packet counter is non-zero from here on
        (, bytes memory cd) = _submitAs(contributor, recognizedTaskId);
        _snap("submitImmediateRecognizedFirstCredit", cd);
        vm.warp(block.timestamp + 1);
        (, cd) = _submitAs(contributor, recognizedTaskId); // 100 -> 200 points, power 10 -> 14
        _snap("submitImmediateRecognized", cd);
        (, cd) = _submitAs(contributor, recognizedTaskId); // same second: checkpoints overwritten
        _snap("submitImmediateRecognizedSameSecond", cd);
    }

    /// forge-config: default.isolate = true
    function test_gas_attest() public {
        _submitAs(alice, taskId);
        (uint256 id,) = _submitAs(contributor, reviewId);
        bytes memory cd = abi.encodeCall(IWorkRegistry.attest, (id));
        vm.prank(alice);
        workRegistry.attest(id);
        _snap("attest", cd);
        vm.prank(bob);
        workRegistry.attest(id); // quorum: Accepted, contributor credited 9 (first credit)
        _snap("attestReachingQuorum", cd);
    }

    /// forge-config: default.isolate = true
    function test_gas_retract() public {
        _submitAs(alice, taskId);
        (uint256 id,) = _submitAs(contributor, reviewId);
        vm.prank(contributor);
        workRegistry.retract(id);
        _snap("retract", abi.encodeCall(IWorkRegistry.retract, (id)));
    }

    /// forge-config: default.isolate = true
    function test_gas_expire() public {
        _submitAs(alice, taskId);
        (uint256 id,) = _submitAs(contributor, reviewId);
        vm.warp(block.timestamp + WINDOW + 1);
        workRegistry.expire(id);
        _snap("expire", abi.encodeCall(IWorkRegistry.expire, (id)));
    }
}
