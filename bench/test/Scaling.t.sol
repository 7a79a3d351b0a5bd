// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";
import {BountyFarmer} from "../../test/mocks/BountyFarmer.sol";
import {BenchBase} from "./BenchBase.sol";
import {Farm} from "./Farm.sol";

/// @notice The gas of the 1st, 100th, 1,000th and 10,000th operation of each kind, all of
/// them real (group `scaling`, bench/snapshots/scaling.json). The measured operation is
/// made by the same account in the same shape each time, one second after the last one;
/// the operations in between are made by a `Farm` contract, many per transaction. The
/// 1st also pays the one-time writes of a first use (a counter or a record going from
/// zero), which is why it can cost more than the others: what must not grow is the
/// 100th to the 10,000th.
contract ScalingBench is BenchBase {
    string internal constant G = "scaling";
    uint256 internal constant BATCH = 500;

    Farm internal farm;

    function setUp() public override {
        super.setUp();
        farm = new Farm();
    }

    /// @dev The points at which the operation is measured.
    function _points() internal pure returns (uint256[4] memory) {
        return [uint256(1), 100, 1000, 10_000];
    }

    /// @dev Calls `fill(k)` in batches until `count` operations have been made.
    function _fill(function(uint256) internal fill, uint256 count) internal {
        while (count != 0) {
            uint256 k = count < BATCH ? count : BATCH;
            fill(k);
            count -= k;
        }
    }

    function _key(string memory kind, uint256 n) internal pure returns (string memory) {
        return string.concat(kind, ".", vm.toString(n));
    }

    /// @dev Records the last call as `kind.n` (the transaction) and `kind.n.exec` (less
    /// the 21,000 and the calldata, which differs by a few bytes as ids grow).
    function _recAt(string memory kind, uint256 n, bytes memory cd) internal {
        uint256 gas = _rec(G, _key(kind, n));
        vm.snapshotValue(G, string.concat(_key(kind, n), ".exec"), gas - 21_000 - _calldataGas(cd));
    }

    // ------------------------------------------------------------------
    // WorkRegistry
    // ------------------------------------------------------------------

    bytes32 private _schema;
    IWorkRegistry.Field[] private _fields;

    function _task() internal pure returns (IWorkRegistry.Field[] memory f) {
        f = new IWorkRegistry.Field[](3);
        f[0].fieldType = IWorkRegistry.FieldType.Uint256;
        f[1] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Bytes32, required: true, min: 0, max: 0, maxLen: 0
        });
        f[2] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.String, required: false, min: 0, max: 0, maxLen: 64
        });
    }

    function _fillSubmit(uint256 k) internal {
        farm.submit(work, _schema, _taskData(), k);
    }

    /// @notice `submit` of the same 3-field data to an unrecognized Immediate schema; the
    /// 1st is the first packet ever.
    function test_scaling_submit() public {
        IWorkRegistry.Acceptance memory immediate;
        _schema = work.registerSchema("bench.task", _task(), immediate, address(0));
        uint256 done;
        uint256[4] memory at = _points();
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillSubmit, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            vm.prank(contributor);
            uint256 id = work.submit(_schema, HASH, _taskData());
            _recAt("work.submit", at[i], abi.encodeCall(work.submit, (_schema, HASH, _taskData())));
            vm.assertEq(id, at[i], "the n-th packet");
            done = at[i];
        }
    }

    function _fillRegister(uint256 k) internal {
        farm.registerSchemas(work, _task(), k);
    }

    /// @notice `registerSchema` of 3 fields under a new name each time (the fixture has
    /// registered three schemas before the 1st).
    function test_scaling_registerSchema() public {
        IWorkRegistry.Acceptance memory immediate;
        uint256 done;
        uint256[4] memory at = _points();
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillRegister, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            vm.prank(contributor);
            string memory name = string.concat("bench.", vm.toString(at[i]));
            work.registerSchema(name, _task(), immediate, address(0));
            _recAt(
                "work.registerSchema",
                at[i],
                abi.encodeCall(work.registerSchema, (name, _task(), immediate, address(0)))
            );
            done = at[i];
        }
    }

    // ------------------------------------------------------------------
    // CoordinationLocks
    // ------------------------------------------------------------------

    function _fillLock(uint256 k) internal {
        farm.lock(work, locks, _schema, k, false);
    }

    function _fillLockRelease(uint256 k) internal {
        farm.lock(work, locks, _schema, k, true);
    }

    /// @notice A granted `request` on a never-used resource under a new packet, and the
    /// `release` of such a lock with no one waiting (each counted on its own: the n-th
    /// request, the n-th release).
    function test_scaling_locks() public {
        _schema = _registerSchema(work, "bench.lock");
        uint256 done;
        uint256[4] memory at = _points();
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillLock, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            vm.prank(alice);
            uint256 packetId = work.submit(_schema, HASH, abi.encode(at[i]));
            bytes32 resource = keccak256(abi.encode("bench.resource", at[i]));
            vm.prank(alice);
            locks.request(resource, packetId, 0, 120, 0);
            _recAt("locks.request", at[i], abi.encodeCall(locks.request, (resource, packetId, 0, 120, 0)));
            done = at[i];
        }
        // Releases: the farm's locks above are still held; the n-th release is counted
        // from here.
        done = 0;
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillLockRelease, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            vm.prank(alice);
            uint256 packetId = work.submit(_schema, HASH, abi.encode(at[i] + 1_000_000));
            bytes32 resource = keccak256(abi.encode("bench.released", at[i]));
            vm.prank(alice);
            locks.request(resource, packetId, 0, 120, 0);
            vm.prank(alice);
            locks.release(resource, packetId);
            _recAt("locks.release", at[i], abi.encodeCall(locks.release, (resource, packetId)));
            done = at[i];
        }
    }

    // ------------------------------------------------------------------
    // OptimizationTreasury
    // ------------------------------------------------------------------

    BountyFarmer private _bounties;
    uint256 private _bountyLine;

    function _fillAllocate(uint256 k) internal {
        _bounties.farm(work, treasury, _schema, _bountyLine, k);
    }

    /// @notice The steward's `allocate` of 0.001 ETH to a new contributor's accepted
    /// packet, all in one epoch with its budget fixed; the allocations in between are
    /// bounty claims (each one an allocation) on a second line of the same asset.
    function test_scaling_allocate() public {
        _schema = _recognizedSchema("bench.bounty", 1);
        // The amendment took several epochs: fix this epoch's budget with a deposit.
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        treasury.deposit{value: 1 ether}(ETH, 1 ether);
        uint256 lineId = _line(ETH, 5000);
        _bountyLine = _line(ETH, 5000, _schema, 0.001 ether, 0);
        _bounties = new BountyFarmer();
        uint256 done;
        uint256[4] memory at = _points();
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillAllocate, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            address who = makeAddr(string.concat("recipient", vm.toString(at[i])));
            vm.prank(who);
            uint256 packetId = work.submit(_schema, HASH, abi.encode(at[i]));
            vm.prank(steward);
            treasury.allocate(lineId, packetId, 0.001 ether, 0);
            _recAt(
                "treasury.allocate",
                at[i],
                abi.encodeCall(treasury.allocate, (lineId, packetId, 0.001 ether, 0))
            );
            done = at[i];
        }
        vm.assertEq(treasury.assetEpoch(ETH).spent, 10_000 * 0.001 ether, "10,000 allocations in the epoch");
    }

    // ------------------------------------------------------------------
    // StrategyProposals
    // ------------------------------------------------------------------

    uint256 private _proposal;

    function _fillStake(uint256 k) internal {
        farm.stake(token, strategy, 1 ether, k);
    }

    function _fillSupport(uint256 k) internal {
        farm.support(strategy, _proposal, 1 ether, k);
    }

    /// @notice `stake` of 100 tokens by the same holder, then `support` of 1 token for
    /// the same proposal by the same staker (the farm stakes and supports in between;
    /// the staker's own 2nd support, unmeasured, is counted).
    function test_scaling_strategy() public {
        vm.prank(alice);
        token.approve(address(strategy), type(uint256).max);
        vm.prank(bob);
        token.transfer(address(farm), 100_000 ether);
        uint256 done;
        uint256[4] memory at = _points();
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillStake, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            vm.prank(alice);
            strategy.stake(100 ether);
            _recAt("strategy.stake", at[i], abi.encodeCall(strategy.stake, (100 ether)));
            done = at[i];
        }

        vm.prank(carol);
        token.approve(address(strategy), type(uint256).max);
        vm.prank(carol);
        uint256 q = strategy.openQuestion(keccak256("q"), "ipfs://q");
        vm.prank(carol);
        _proposal = strategy.propose(q, 0, keccak256("p"), "ipfs://p", "");
        done = 0;
        for (uint256 i; i < at.length; ++i) {
            _fill(_fillSupport, at[i] - 1 - done);
            vm.warp(block.timestamp + 1);
            vm.prank(alice);
            strategy.support(_proposal, 1 ether);
            _recAt("strategy.support", at[i], abi.encodeCall(strategy.support, (_proposal, 1 ether)));
            done = at[i];
            if (i == 0) {
                // The 2nd, unmeasured: a position's second support writes its conviction
                // slot for the first time; from the 3rd on the position is steady.
                vm.warp(block.timestamp + 1);
                vm.prank(alice);
                strategy.support(_proposal, 1 ether);
                done = 2;
            }
        }
    }
}
