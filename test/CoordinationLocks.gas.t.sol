// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {CoordinationLocksBase} from "./CoordinationLocks.base.t.sol";

/// @notice Measures, inside one transaction, what the reads a `request` makes of other
/// contracts cost: the directory lookup (with the constitution's cold account), the
/// registry's one-slot `packetStatus` view (with the registry's cold account), the
/// `param2` read of `locks.maxTtl` and `locks.maxHold` (the constitution then warm), and
/// one more parameter read alone. Exactly the calls CoordinationLocks makes for a grant.
contract ExternalReadsProbe {
    function measure(address constitution, uint256 packetId)
        external
        view
        returns (uint256 directory, uint256 packetView, uint256 twoParams, uint256 param)
    {
        uint256 g = gasleft();
        address work = ILegitimacyConstitution(constitution).module(ILegitimacyConstitution.Module.Work);
        directory = g - gasleft();
        g = gasleft();
        IWorkRegistry(work).packetStatus(packetId);
        packetView = g - gasleft();
        g = gasleft();
        ILegitimacyConstitution(constitution).param2(ParamKeys.LOCKS_MAX_TTL, ParamKeys.LOCKS_MAX_HOLD);
        twoParams = g - gasleft();
        g = gasleft();
        ILegitimacyConstitution(constitution).param(ParamKeys.LOCKS_MAX_QUEUE);
        param = g - gasleft();
    }

    /// @dev The full `packet` view with the registry's cold account, as `request` read
    /// the packet before `packetStatus` existed (for the comparison in the module note).
    function measureFullPacket(address work, uint256 packetId) external view returns (uint256 packetView) {
        uint256 g = gasleft();
        IWorkRegistry(work).packet(packetId);
        packetView = g - gasleft();
    }
}

/// @notice Gas of the hot paths, written to snapshots/CoordinationLocks.json.
/// @dev Every test runs isolated (`isolate = true`): each call from the test is its own
/// transaction with cold accounts and slots, as on chain, and `snapshotGasLastCall` then
/// records the transaction's gas *including* the 21,000 base and the calldata (the
/// figure the issue's targets are stated in). `<op>.execution` subtracts 21,000 and the
/// calldata cost (4 gas per zero byte, 16 per non-zero byte), which is what a
/// non-isolated `snapshotGasLastCall` reports. Targets per transaction: a granted request
/// on a never-used resource <= 85,000; a queued request <= 90,000; release with an empty
/// queue <= 40,000; expire granting one queued successor <= 65,000; and the 1st and the
/// 10,000th request (distinct resources, and 64 deep on one resource) within 2%.
contract CoordinationLocksGasTest is CoordinationLocksBase {
    string internal constant GROUP = "CoordinationLocks";

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

    /// @dev `who` requests and the call's calldata, for `_snap`.
    function _req(address who, bytes32 resource, uint256 packetId, uint8 mode)
        internal
        returns (bytes memory cd)
    {
        cd = abi.encodeCall(ICoordinationLocks.request, (resource, packetId, mode, TTL, 0));
        _request(who, resource, packetId, mode, TTL, 0);
    }

    function _key(uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode("gas.resource", i));
    }

    function _within2Percent(uint256 a, uint256 b) internal pure {
        uint256 diff = a > b ? a - b : b - a;
        vm.assertLe(diff * 100, 2 * (a < b ? a : b), "within 2%");
    }

    // ------------------------------------------------------------------
    // request
    // ------------------------------------------------------------------

    /// @notice A granted request on a resource never used before: two fresh slots.
    /// forge-config: default.isolate = true
    function test_gas_requestGrantedOnNewResource() public {
        uint256 id = _packet(alice);
        bytes memory cd = _req(alice, ORACLE, id, EXCLUSIVE);
        _snap("requestGrantedNewResource", cd);
        uint256 other = _packet(bob);
        cd = _req(bob, DOCS, other, SHARED);
        _snap("requestGrantedNewResourceShared", cd);
        // A ttl within the entrenched floors of maxTtl and maxHold (10 s in the dev
        // genesis) needs neither read.
        uint256 c = _packet(carol);
        cd = abi.encodeCall(ICoordinationLocks.request, (keccak256("floor"), c, EXCLUSIVE, TTL_FLOOR, 0));
        _request(carol, keccak256("floor"), c, EXCLUSIVE, TTL_FLOOR, 0);
        _snap("requestGrantedNewResourceTtlWithinFloors", cd);
    }

    /// @notice A granted request on a resource used before (its slot is non-zero), and a
    /// Shared request beside a Shared holder.
    /// forge-config: default.isolate = true
    function test_gas_requestGrantedOnUsedResource() public {
        uint256 a = _lock(alice, ORACLE, SHARED);
        _release(alice, ORACLE, a);
        uint256 id = _packet(bob);
        bytes memory cd = _req(bob, ORACLE, id, SHARED);
        _snap("requestGrantedUsedResource", cd);
        uint256 c = _packet(carol);
        cd = _req(carol, ORACLE, c, SHARED);
        _snap("requestGrantedBesideShared", cd);
    }

    /// @notice Queued requests at depth 1 (the head: no link to write), 2 and 64
    /// (`locks.maxQueue` in the dev genesis) on one resource. Depth 2 and 64 cost the same.
    /// forge-config: default.isolate = true
    function test_gas_requestQueued() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 id = _packet(bob);
        bytes memory cd = _req(bob, ORACLE, id, EXCLUSIVE);
        _snap("requestQueuedDepth1", cd);
        id = _packet(carol);
        cd = _req(carol, ORACLE, id, SHARED);
        uint256 second = _snap("requestQueuedDepth2", cd);
        for (uint256 i = 3; i < MAX_QUEUE; ++i) {
            _lock(bob, ORACLE, SHARED);
        }
        id = _packet(carol);
        cd = _req(carol, ORACLE, id, SHARED);
        uint256 last = _snap("requestQueuedDepth64", cd);
        vm.assertEq(locks.resourceInfo(ORACLE).queueLength, MAX_QUEUE);
        _within2Percent(second, last);
    }

    /// @notice The 1st and the 10,000th granted request, each on a resource never used
    /// before, under one packet: nothing grows with the number of locks.
    /// forge-config: default.isolate = true
    function test_gas_request10000Resources() public {
        uint256 id = _packet(alice);
        bytes memory cd = _req(alice, _key(0), id, SHARED);
        uint256 first = _snap("requestGranted1st", cd);
        for (uint256 i = 1; i < 9999; ++i) {
            _request(alice, _key(i), id, SHARED, TTL, 0);
        }
        cd = _req(alice, _key(9999), id, SHARED);
        uint256 last = _snap("requestGranted10000th", cd);
        _assertState(_key(9999), id, HELD);
        _within2Percent(first, last);
    }

    /// @notice The cross-contract reads inside `request` (see `ExternalReadsProbe`).
    /// forge-config: default.isolate = true
    function test_gas_externalReadsOfRequest() public {
        uint256 id = _packet(alice);
        ExternalReadsProbe probe = new ExternalReadsProbe();
        (uint256 directory, uint256 packetView, uint256 twoParams, uint256 param) =
            probe.measure(address(constitution), id);
        vm.snapshotValue(GROUP, "readWorkModuleFromDirectory", directory);
        vm.snapshotValue(GROUP, "readPacketStatusFromWorkRegistry", packetView);
        vm.snapshotValue(GROUP, "readTwoParams", twoParams);
        vm.snapshotValue(GROUP, "readOneParam", param);
        // A separate transaction, so the registry's account and slots are cold again.
        vm.snapshotValue(GROUP, "readFullPacketFromWorkRegistry", probe.measureFullPacket(address(work), id));
    }

    // ------------------------------------------------------------------
    // release, expire, renew
    // ------------------------------------------------------------------

    /// forge-config: default.isolate = true
    function test_gas_release() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        bytes memory cd = abi.encodeCall(ICoordinationLocks.release, (ORACLE, a));
        _release(alice, ORACLE, a);
        _snap("releaseEmptyQueue", cd);

        a = _lock(alice, DOCS, EXCLUSIVE);
        uint256 b = _lock(bob, DOCS, EXCLUSIVE);
        _lock(carol, DOCS, EXCLUSIVE);
        cd = abi.encodeCall(ICoordinationLocks.release, (DOCS, a));
        _release(alice, DOCS, a);
        _snap("releaseGrantingOne", cd);
        _assertState(DOCS, b, HELD);
    }

    /// forge-config: default.isolate = true
    function test_gas_expire() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        uint256 b = _lock(bob, ORACLE, EXCLUSIVE);
        _lock(carol, ORACLE, EXCLUSIVE);
        uint256 d = _lock(alice, DOCS, EXCLUSIVE);
        vm.warp(block.timestamp + TTL);
        bytes memory cd = abi.encodeCall(ICoordinationLocks.expire, (ORACLE, a));
        _expire(ORACLE, a);
        _snap("expireGrantingOne", cd);
        _assertState(ORACLE, b, HELD);

        cd = abi.encodeCall(ICoordinationLocks.expire, (DOCS, d));
        _expire(DOCS, d);
        _snap("expireEmptyQueue", cd);
    }

    /// forge-config: default.isolate = true
    function test_gas_renew() public {
        uint256 a = _lock(alice, ORACLE, EXCLUSIVE);
        vm.warp(block.timestamp + 60);
        bytes memory cd = abi.encodeCall(ICoordinationLocks.renew, (ORACLE, a, TTL));
        _renew(alice, ORACLE, a, TTL);
        _snap("renew", cd);
    }

    // ------------------------------------------------------------------
    // withdraw, grantNext
    // ------------------------------------------------------------------

    /// forge-config: default.isolate = true
    function test_gas_withdraw() public {
        _lock(alice, ORACLE, EXCLUSIVE);
        uint256 q1 = _lock(bob, ORACLE, EXCLUSIVE);
        uint256 q2 = _lock(carol, ORACLE, EXCLUSIVE);
        uint256 q3 = _lock(bob, ORACLE, EXCLUSIVE);
        uint256 q4 = _lock(carol, ORACLE, EXCLUSIVE);
        bytes memory cd = abi.encodeCall(ICoordinationLocks.withdraw, (ORACLE, q2, q1));
        _withdraw(carol, ORACLE, q2, q1);
        _snap("withdrawMiddle", cd);
        cd = abi.encodeCall(ICoordinationLocks.withdraw, (ORACLE, q1, 0));
        _withdraw(bob, ORACLE, q1, 0);
        _snap("withdrawHead", cd);
        cd = abi.encodeCall(ICoordinationLocks.withdraw, (ORACLE, q4, q3));
        _withdraw(carol, ORACLE, q4, q3);
        _snap("withdrawTail", cd);
    }

    /// forge-config: default.isolate = true
    function test_gas_grantNext() public {
        uint256 a = _packet(alice);
        _request(alice, ORACLE, a, EXCLUSIVE, TTL, block.timestamp + 10);
        _lock(bob, ORACLE, EXCLUSIVE);
        vm.warp(block.timestamp + 10);
        bytes memory cd = abi.encodeCall(ICoordinationLocks.grantNext, (ORACLE));
        vm.prank(stranger);
        locks.grantNext(ORACLE);
        _snap("grantNextOne", cd);

        uint256 x = _lock(alice, DOCS, EXCLUSIVE);
        for (uint256 i; i < 9; ++i) {
            _lock(bob, DOCS, SHARED);
        }
        cd = abi.encodeCall(ICoordinationLocks.release, (DOCS, x));
        _release(alice, DOCS, x);
        _snap("releaseGrantingSharedRun8", cd);
        vm.assertEq(locks.resourceInfo(DOCS).holders, 8);
    }
}
