// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../contracts/CoordinationLocks.sol";
import {ICoordinationLocks} from "../contracts/interfaces/ICoordinationLocks.sol";
import {CoordinationLocksBase} from "./CoordinationLocks.base.t.sol";

/// @notice PROTOCOL.md §2.1 for CoordinationLocks: every state-changing function called
/// by every class of caller. A function with one class of caller refuses all the others
/// with the module's own error; a function anyone may call works for every class once
/// its rule holds (and for none before). The ABI walk pins the list of functions.
///
/// | function        | who may call                              | anyone else gets        |
/// |-----------------|-------------------------------------------|-------------------------|
/// | request         | the contributor of the Accepted packet    | NotContributor          |
/// | release, renew  | the holder (the packet's contributor)     | NotHolder               |
/// | withdraw        | the requester of the queued request       | NotRequester            |
/// | grantNext       | anyone, when the head is grantable        | (no caller class)       |
/// | expire          | anyone, once the lease has ended          | (no caller class)       |
contract BoundaryLocksTest is CoordinationLocksBase {
    /// @dev alice holds ORACLE; bob's request waits behind her; carol contributed a packet
    /// of her own; dave contributed `davePacket`, which has no request yet.
    uint256 internal held;
    uint256 internal queued;
    uint256 internal carolPacket;
    uint256 internal davePacket;

    function setUp() public override {
        super.setUp();
        held = _lock(alice, ORACLE, EXCLUSIVE);
        queued = _lock(bob, ORACLE, EXCLUSIVE);
        carolPacket = _packet(carol);
        davePacket = _packet(dave);
    }

    /// @dev Every class of caller: anyone, the contributor of another packet, the holder,
    /// the requester, the packet's contributor, the roles, the constitution, the deployer
    /// (powerless after bootstrap), the Work registry and the module itself.
    function _everyone() internal view returns (address[10] memory) {
        return [
            stranger,
            carol,
            alice,
            bob,
            dave,
            steward,
            guardian,
            address(constitution),
            deployer,
            address(work)
        ];
    }

    // ------------------------------------------------------------------
    // The list of state-changing functions
    // ------------------------------------------------------------------

    function test_abi_stateChangingFunctionsAreTheBoundaryTable() public view {
        string memory json = vm.readFile(vm.getArtifactPathByCode(type(CoordinationLocks).creationCode));
        string[6] memory expected = ["request", "release", "renew", "withdraw", "grantNext", "expire"];
        bool[6] memory seen;
        uint256 mutating;
        for (uint256 i;; ++i) {
            string memory entry = string.concat(".abi[", vm.toString(i), "]");
            if (!vm.keyExistsJson(json, entry)) break;
            bytes32 kind = keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".type"))));
            vm.assertTrue(kind != keccak256("fallback") && kind != keccak256("receive"), "no catch-all");
            if (kind != keccak256("function")) continue;
            bytes32 mutability =
                keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".stateMutability"))));
            if (mutability == keccak256("view") || mutability == keccak256("pure")) continue;
            vm.assertEq(mutability, keccak256("nonpayable"), "nothing payable");
            bytes32 name = keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".name"))));
            bool listed;
            for (uint256 j; j < expected.length; ++j) {
                if (name == keccak256(bytes(expected[j]))) {
                    vm.assertFalse(seen[j], "listed once");
                    seen[j] = true;
                    listed = true;
                }
            }
            vm.assertTrue(listed, "state-changing function without a boundary row");
            ++mutating;
        }
        vm.assertEq(mutating, expected.length);
    }

    // ------------------------------------------------------------------
    // request: the contributor of the Accepted packet
    // ------------------------------------------------------------------

    function test_boundary_requestOnlyByThePacketsContributor() public {
        address[10] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == dave) continue;
            vm.expectRevert(_notContributor(davePacket, c[i]));
            _request(c[i], DOCS, davePacket, EXCLUSIVE, TTL, 0);
        }
        vm.assertEq(uint256(_request(dave, DOCS, davePacket, EXCLUSIVE, TTL, 0)), uint256(HELD));
    }

    // ------------------------------------------------------------------
    // release, renew: the holder
    // ------------------------------------------------------------------

    function test_boundary_releaseOnlyByTheHolder() public {
        address[10] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == alice) continue;
            vm.expectRevert(_notHolder(ORACLE, held, c[i]));
            _release(c[i], ORACLE, held);
        }
        _release(alice, ORACLE, held);
        _assertState(ORACLE, queued, HELD);
    }

    function test_boundary_renewOnlyByTheHolder() public {
        address[10] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == alice) continue;
            vm.expectRevert(_notHolder(ORACLE, held, c[i]));
            _renew(c[i], ORACLE, held, TTL);
        }
        vm.warp(block.timestamp + 1);
        _renew(alice, ORACLE, held, TTL);
        vm.assertEq(locks.leaseEnd(ORACLE, held), block.timestamp + TTL);
    }

    // ------------------------------------------------------------------
    // withdraw: the requester
    // ------------------------------------------------------------------

    function test_boundary_withdrawOnlyByTheRequester() public {
        address[10] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == bob) continue;
            vm.expectRevert(_notRequester(ORACLE, queued, c[i]));
            _withdraw(c[i], ORACLE, queued, 0);
        }
        _withdraw(bob, ORACLE, queued, 0);
        _assertState(ORACLE, queued, NONE);
    }

    // ------------------------------------------------------------------
    // grantNext, expire: anyone, when the rule holds
    // ------------------------------------------------------------------

    function test_boundary_grantNextByAnyoneOnceGrantable() public {
        address[10] memory c = _everyone();
        uint256 nb = block.timestamp + 30;
        bytes32[10] memory rs;
        for (uint256 i; i < c.length; ++i) {
            rs[i] = keccak256(abi.encode("grantNext", i));
            _request(dave, rs[i], davePacket, EXCLUSIVE, TTL, nb);
        }
        // Before the head's notBefore: nobody can.
        for (uint256 i; i < c.length; ++i) {
            vm.expectRevert(_nothingToGrant(rs[i], davePacket));
            vm.prank(c[i]);
            locks.grantNext(rs[i]);
        }
        vm.warp(nb);
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            vm.assertEq(locks.grantNext(rs[i]), 1);
            _assertState(rs[i], davePacket, HELD);
        }
    }

    function test_boundary_expireByAnyoneOnceEnded() public {
        address[10] memory c = _everyone();
        bytes32[10] memory rs;
        for (uint256 i; i < c.length; ++i) {
            rs[i] = keccak256(abi.encode("expire", i));
            _request(dave, rs[i], davePacket, SHARED, TTL, 0);
        }
        uint256 end = block.timestamp + TTL;
        vm.warp(end - 1);
        // Before the end: nobody can, the holder included.
        for (uint256 i; i < c.length; ++i) {
            vm.expectRevert(_leaseNotEnded(rs[i], davePacket, end, end - 1));
            vm.prank(c[i]);
            locks.expire(rs[i], davePacket);
        }
        vm.warp(end);
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            locks.expire(rs[i], davePacket);
            _assertState(rs[i], davePacket, NONE);
        }
    }
}
