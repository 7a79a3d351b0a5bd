// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocksModelled} from "./invariant/CoordinationLocks.invariant.t.sol";

/// @notice Fuzzed sequences of request, release, renew, withdraw, expire and `grantNext`
/// calls, with time passing and the bounds amended in between, driven through the
/// invariant suite's handler (which predicts each call and checks each grant against its
/// model). After the sequence every property holds and the model and the module agree on
/// every request; then the permissionless calls alone drain every queue.
contract CoordinationLocksFuzzTest is CoordinationLocksModelled {
    uint256 internal constant STEPS = 24;

    function setUp() public {
        _deployModelled();
    }

    /// @dev One step chosen by `x`: mostly requests (so that queues form), then the calls
    /// that end or move them, time, and now and then a bound amendment.
    function _step(uint256 x) internal {
        uint256 a = uint256(keccak256(abi.encode(x, 1)));
        uint256 b = uint256(keccak256(abi.encode(x, 2)));
        uint256 c = uint256(keccak256(abi.encode(x, 3)));
        uint256 kind = x % 16;
        if (kind < 5) handler.request(a, b, c, a >> 7, b >> 9, c >> 11);
        else if (kind < 7) handler.release(a, b, c);
        else if (kind < 9) handler.renew(a, b, c, a >> 3);
        else if (kind < 11) handler.withdraw(a, b, c);
        else if (kind < 13) handler.expire(a, b, c);
        else if (kind == 13) handler.grantNext(a, b);
        else if (kind == 14) handler.warp(a);
        else handler.setBound(a, b);
    }

    function _checkCounters() internal view {
        vm.assertEq(handler.mispredictions(), 0, "success or refusal as predicted");
        vm.assertEq(handler.grantMismatches(), 0, "grants as predicted");
        vm.assertEq(handler.fifoViolations(), 0, "FIFO");
        vm.assertEq(handler.withdrawnGranted(), 0, "withdrawn never granted");
        vm.assertEq(handler.renewedAfterEnd(), 0, "ended never renewed");
        vm.assertEq(handler.overfullEnqueues(), 0, "no request joins a full queue");
    }

    function testFuzz_sequence(uint256 seed) public {
        for (uint256 i; i < STEPS; ++i) {
            _step(uint256(keccak256(abi.encode(seed, i))));
            _checkCounters();
        }
        _checkExclusiveHolderIsAlone();
        _checkGrantsFollowRequestOrder();
        _checkQueueWithinMaxQueue();
        _checkHoldersHoldAcceptedPackets();
        _checkNoLeaseOutlivesMaxHold();
        _checkModelAgrees();
        _drain(); // straight to the module, past the model: it reverts unless everything ends
    }

    /// @notice The same, with time frozen between calls: requests pile up in queues that only
    /// releases and withdrawals can move.
    function testFuzz_sequenceWithoutTime(uint256 seed) public {
        for (uint256 i; i < STEPS; ++i) {
            uint256 x = uint256(keccak256(abi.encode(seed, i)));
            if (x % 16 >= 14) continue;
            _step(x);
            _checkCounters();
        }
        _checkExclusiveHolderIsAlone();
        _checkGrantsFollowRequestOrder();
        _checkModelAgrees();
        _drain();
    }
}
