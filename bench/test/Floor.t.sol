// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoordinationLocks} from "../../contracts/interfaces/ICoordinationLocks.sol";
import {IStrategyProposals} from "../../contracts/interfaces/IStrategyProposals.sol";
import {Vm} from "../../test/utils/Vm.sol";
import {BenchBase} from "./BenchBase.sol";

/// @notice Coordination and strategy operations against their physical floor: what any
/// contract that keeps the same facts must pay at least (group `floor`,
/// bench/snapshots/floor.json).
/// @dev floor = 21,000 (the transaction) + the calldata (EIP-2028) + 22,100 per storage
/// slot that must go from zero to non-zero (EIP-2929 cold access + EIP-2200 set) + 5,000
/// per slot that must change or be cleared (cold access + reset) − the EIP-3529 refund
/// of a cleared slot (4,800, at most a fifth of the gas) + the logs the call emits (375
/// + 375 a topic + 8 a data byte: the events are what indexers and the SDK read). The
/// slots are the least the operation must write, named next to each call; reads, cold
/// accounts and checks are not in the floor: they are what Viable spends above it.
contract FloorBench is BenchBase {
    string internal constant G = "floor";

    struct Writes {
        uint256 fresh;
        uint256 changed;
        uint256 cleared;
    }

    function _logGas(Vm.Log[] memory logs) internal pure returns (uint256 g) {
        for (uint256 i; i < logs.length; ++i) {
            g += 375 + 375 * logs[i].topics.length + 8 * logs[i].data.length;
        }
    }

    /// @dev Records the last call and its floor under `name.*`; call `vm.recordLogs()`
    /// right before the measured call.
    function _floor(string memory name, bytes memory cd, Writes memory w) internal {
        uint256 txGas = _last();
        uint256 logGas = _logGas(vm.getRecordedLogs());
        vm.assertGt(logGas, 0, "the measured call emitted its event");
        uint256 cdGas = _calldataGas(cd);
        uint256 gross = 21_000 + cdGas + 22_100 * w.fresh + 5000 * (w.changed + w.cleared) + logGas;
        uint256 refund = 4800 * w.cleared;
        if (refund > gross / 5) refund = gross / 5;
        uint256 floor_ = gross - refund;
        vm.snapshotValue(G, string.concat(name, ".tx"), txGas);
        vm.snapshotValue(G, string.concat(name, ".calldata"), cdGas);
        vm.snapshotValue(G, string.concat(name, ".fresh"), w.fresh);
        vm.snapshotValue(G, string.concat(name, ".changed"), w.changed);
        vm.snapshotValue(G, string.concat(name, ".cleared"), w.cleared);
        vm.snapshotValue(G, string.concat(name, ".logs"), logGas);
        vm.snapshotValue(G, string.concat(name, ".floor"), floor_);
        vm.assertGe(txGas, floor_, "nothing beats the floor");
    }

    function _packet(address who, bytes32 schemaId, uint256 n) internal returns (uint256 id) {
        vm.prank(who);
        id = work.submit(schemaId, HASH, abi.encode(n));
    }

    /// @notice request (granted on a never-used resource; queued second behind a holder), renew,
    /// and release with no one waiting, each after an earlier lock exists.
    function test_floor_locks() public {
        bytes32 schemaId = _registerSchema(work, "bench.lock");
        bytes32 oracle = keccak256("interface:oracle");
        bytes32 docs = keccak256("docs:handbook");
        uint256 warm = _packet(carol, schemaId, 0);
        vm.prank(carol);
        locks.request(keccak256("warm"), warm, 0, 120, 0);

        uint256 a = _packet(alice, schemaId, 1);
        bytes memory cd = abi.encodeCall(ICoordinationLocks.request, (oracle, a, 0, 120, 0));
        vm.recordLogs();
        vm.prank(alice);
        locks.request(oracle, a, 0, 120, 0);
        // The lease: holder, mode and end in one word.
        _floor("locks.request", cd, Writes({fresh: 1, changed: 0, cleared: 0}));

        uint256 c = _packet(carol, schemaId, 4);
        vm.prank(carol);
        locks.request(oracle, c, 0, 120, 0);
        uint256 b = _packet(bob, schemaId, 2);
        cd = abi.encodeCall(ICoordinationLocks.request, (oracle, b, 0, 120, 0));
        vm.recordLogs();
        vm.prank(bob);
        locks.request(oracle, b, 0, 120, 0);
        // Second in the queue. The waiting request (requester, mode, ttl), and the
        // resource's queue tail.
        _floor("locks.requestQueued", cd, Writes({fresh: 1, changed: 1, cleared: 0}));

        vm.warp(block.timestamp + 10);
        cd = abi.encodeCall(ICoordinationLocks.renew, (oracle, a, 120));
        vm.recordLogs();
        vm.prank(alice);
        locks.renew(oracle, a, 120);
        // The lease's end.
        _floor("locks.renew", cd, Writes({fresh: 0, changed: 1, cleared: 0}));

        uint256 d = _packet(alice, schemaId, 3);
        vm.prank(alice);
        locks.request(docs, d, 0, 120, 0);
        cd = abi.encodeCall(ICoordinationLocks.release, (docs, d));
        vm.recordLogs();
        vm.prank(alice);
        locks.release(docs, d);
        // The lease, cleared.
        _floor("locks.release", cd, Writes({fresh: 0, changed: 0, cleared: 1}));
    }

    /// @notice openQuestion, propose (with its bond), stake and support, each in the
    /// steady state: an earlier question, proposal and stake exist, and the staker has
    /// staked before.
    function test_floor_strategy() public {
        address[3] memory holders = [alice, bob, carol];
        for (uint256 i; i < holders.length; ++i) {
            vm.prank(holders[i]);
            token.approve(address(strategy), type(uint256).max);
        }
        bytes32 text = keccak256("what should we build next?");
        string memory uri = "ipfs://bafy-question";
        vm.prank(carol);
        uint256 q = strategy.openQuestion(text, uri);
        vm.prank(carol);
        strategy.propose(q, 0, text, "ipfs://bafy-option", "");
        vm.prank(alice);
        strategy.stake(1 ether);
        vm.warp(block.timestamp + 1);

        bytes memory cd = abi.encodeCall(IStrategyProposals.openQuestion, (text, uri));
        vm.recordLogs();
        vm.prank(bob);
        strategy.openQuestion(text, uri);
        // The question (asker and status in one word; its content hash can live in the
        // event), and the question counter.
        _floor("strategy.openQuestion", cd, Writes({fresh: 1, changed: 1, cleared: 0}));

        vm.warp(block.timestamp + 1);
        cd = abi.encodeCall(IStrategyProposals.propose, (q, 0, text, "ipfs://bafy-option", ""));
        vm.recordLogs();
        vm.prank(alice);
        uint256 p = strategy.propose(q, 0, text, "ipfs://bafy-option", "");
        // The proposal (proposer, question, target, created, bond in one word), the
        // proposal counter, and the bond's move: two token balances.
        _floor("strategy.propose", cd, Writes({fresh: 1, changed: 3, cleared: 0}));

        vm.warp(block.timestamp + 1);
        cd = abi.encodeCall(IStrategyProposals.stake, (100 ether));
        vm.recordLogs();
        vm.prank(alice);
        strategy.stake(100 ether);
        // The staker's stake, and the token balances of staker and module.
        _floor("strategy.stake", cd, Writes({fresh: 0, changed: 3, cleared: 0}));

        vm.warp(block.timestamp + 1);
        cd = abi.encodeCall(IStrategyProposals.support, (p, 10 ether));
        vm.recordLogs();
        vm.prank(alice);
        strategy.support(p, 10 ether);
        // The new position, the proposal's support, the staker's unassigned stake.
        _floor("strategy.support", cd, Writes({fresh: 1, changed: 2, cleared: 0}));
    }
}
