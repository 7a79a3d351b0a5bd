// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOptimizationTreasury} from "../contracts/interfaces/IOptimizationTreasury.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {IWorkValidator} from "../contracts/interfaces/IWorkValidator.sol";
import {TreasuryBase} from "./OptimizationTreasury.base.t.sol";
import {BountyFarmer} from "./mocks/BountyFarmer.sol";
import {WordValidator} from "./mocks/WorkValidatorMocks.sol";
import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";

/// @notice Gas snapshots of the treasury's hot paths, written to
/// snapshots/OptimizationTreasury.json.
/// @dev Every test runs isolated (`isolate = true`): each call from the test is its own
/// transaction with cold accounts and slots, as on chain, and forge reports the
/// transaction's gas including the 21,000 base and the calldata. `<op>` is that
/// per-transaction figure; `<op>.execution` subtracts 21,000 and the calldata cost
/// (4 gas per zero byte, 16 per non-zero byte), which is what `snapshotGasLastCall`
/// shows without isolation. Steady state: the epoch's budget is fixed (by the deposit
/// in set-up) and the line has spent before, unless a name says otherwise.
contract OptimizationTreasuryGasTest is TreasuryBase {
    string internal constant GROUP = "OptimizationTreasury";

    function _calldataGas(bytes memory cd) internal pure returns (uint256 g) {
        for (uint256 i; i < cd.length; ++i) {
            g += cd[i] == 0 ? 4 : 16;
        }
    }

    function _snap(string memory name, bytes memory cd) internal returns (uint256 perTx) {
        perTx = vm.snapshotGasLastCall(GROUP, name);
        vm.snapshotValue(GROUP, string.concat(name, ".execution"), perTx - 21_000 - _calldataGas(cd));
    }

    function _allocateCd(uint256 lineId, uint256 packetId, uint256 amount, uint256 duration)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeCall(IOptimizationTreasury.allocate, (lineId, packetId, amount, duration));
    }

    /// @notice The issue's pair: allocate to a contributor the treasury never paid, then
    /// execute the ERC20 transfer to them as a new holder of the token. Then the same for
    /// a returning recipient (its cap slot and token balance already exist).
    /// forge-config: default.isolate = true
    function test_gas_allocateAndExecuteErc20() public {
        uint256 lineId = _line(address(usdc), 5000);
        _allocate(lineId, _accepted(contributor2, taskId), 1e6); // the line has spent before

        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1000e6, 0);
        uint256 a = _snap("allocate", _allocateCd(lineId, packetId, 1000e6, 0));

        uint256 again = _accepted(contributor, grantId);
        vm.prank(steward);
        uint256 id2 = treasury.allocate(lineId, again, 1000e6, 0);
        _snap("allocateReturningRecipient", _allocateCd(lineId, again, 1000e6, 0));

        vm.warp(block.timestamp + WINDOW);
        vm.prank(keeper);
        treasury.execute(id);
        uint256 e = _snap("executeErc20NewHolder", abi.encodeCall(IOptimizationTreasury.execute, (id)));
        vm.snapshotValue(GROUP, "allocatePlusExecuteErc20", a + e);
        vm.prank(keeper);
        treasury.execute(id2);
        _snap("executeErc20", abi.encodeCall(IOptimizationTreasury.execute, (id2)));
    }

    /// forge-config: default.isolate = true
    function test_gas_cancelAndVeto() public {
        uint256 lineId = _line(address(usdc), 5000);
        uint256 id = _allocate(lineId, _accepted(contributor, taskId), 1000e6);
        vm.prank(steward);
        treasury.cancel(id);
        _snap("cancel", abi.encodeCall(IOptimizationTreasury.cancel, (id)));
        id = _allocate(lineId, _accepted(contributor, grantId), 1000e6);
        vm.prank(guardian);
        constitution.vetoAllocation(id, "duplicate");
        _snap(
            "vetoAllocationThroughConstitution",
            abi.encodeWithSignature("vetoAllocation(uint256,string)", id, "duplicate")
        );
    }

    /// forge-config: default.isolate = true
    function test_gas_depositAndLines() public {
        usdc.mint(bob, 10e6);
        vm.prank(bob);
        usdc.approve(address(treasury), 10e6);
        vm.prank(bob);
        treasury.deposit(address(usdc), 10e6);
        _snap("depositErc20", abi.encodeCall(IOptimizationTreasury.deposit, (address(usdc), 10e6)));
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        treasury.deposit{value: 1 ether}(ETH, 1 ether);
        _snap("depositEth", abi.encodeCall(IOptimizationTreasury.deposit, (ETH, 1 ether)));
        vm.prank(steward);
        uint256 lineId = treasury.createLine(address(usdc), steward, 5000, taskId, 10e6, 0, 0);
        _snap(
            "createLine",
            abi.encodeCall(
                IOptimizationTreasury.createLine, (address(usdc), steward, 5000, taskId, 10e6, 0, 0)
            )
        );
        vm.prank(steward);
        treasury.updateLine(lineId, steward, 4000, 10e6, 0);
        _snap(
            "updateLine", abi.encodeCall(IOptimizationTreasury.updateLine, (lineId, steward, 4000, 10e6, 0))
        );
    }

    /// forge-config: default.isolate = true
    function test_gas_stream() public {
        uint256 lineId = _line(address(usdc), 5000);
        _allocate(lineId, _accepted(contributor2, taskId), 1e6);
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1000e6, 1000);
        vm.warp(block.timestamp + WINDOW);
        vm.prank(keeper);
        treasury.execute(id);
        _snap("executeIntoStream", abi.encodeCall(IOptimizationTreasury.execute, (id)));
        vm.warp(block.timestamp + 250);
        vm.prank(contributor);
        treasury.claim(id);
        _snap("claimStreamFirst", abi.encodeCall(IOptimizationTreasury.claim, (id)));
        vm.warp(block.timestamp + 250);
        vm.prank(contributor);
        treasury.claim(id);
        _snap("claimStreamLater", abi.encodeCall(IOptimizationTreasury.claim, (id)));
    }

    /// forge-config: default.isolate = true
    function test_gas_claimBounty() public {
        uint256 lineId = _line(address(usdc), 5000, taskId, 100e6, 0);
        _allocate(lineId, _accepted(contributor2, taskId), 1e6);
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(stranger);
        treasury.claimBounty(lineId, packetId);
        _snap("claimBounty", abi.encodeCall(IOptimizationTreasury.claimBounty, (lineId, packetId)));
    }

    /// forge-config: default.isolate = true
    function test_gas_eth() public {
        uint256 lineId = _line(ETH, 5000);
        _allocate(lineId, _accepted(contributor2, taskId), 1 ether);
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1 ether, 0);
        _snap("allocateEth", _allocateCd(lineId, packetId, 1 ether, 0));
        vm.warp(block.timestamp + WINDOW);
        vm.prank(keeper);
        treasury.execute(id);
        _snap("executeEth", abi.encodeCall(IOptimizationTreasury.execute, (id)));
        vm.assertEq(contributor.balance, 1 ether, "pushed, not left as a claim");
    }

    /// @notice The reference for `claim`: OpenZeppelin's VestingWallet `release`, same
    /// token, same harness, same shape (a stream of 1000 over 1000 s, claimed at 250 s
    /// and 500 s into it, to a beneficiary who holds none of the token at first).
    /// forge-config: default.isolate = true
    function test_gas_referenceVestingWallet() public {
        address beneficiary = makeAddr("beneficiary");
        VestingWallet wallet = new VestingWallet(beneficiary, uint64(block.timestamp), 1000);
        usdc.mint(address(wallet), 1000e6);
        vm.warp(block.timestamp + 250);
        bytes memory cd = abi.encodeWithSignature("release(address)", address(usdc));
        wallet.release(address(usdc));
        _snap("reference.vestingWalletReleaseFirst", cd);
        vm.warp(block.timestamp + 250);
        wallet.release(address(usdc));
        _snap("reference.vestingWalletReleaseLater", cd);
    }

    /// @notice The 1st and the 10,000th allocation cost the same: nothing in an
    /// allocation grows with the number of allocations (no counter, no list). Both are
    /// made by the steward on the same line, for a new packet by a new contributor, in
    /// the same epoch with its budget fixed. The 9,998 allocations between them are real:
    /// bounty claims on a second line of the same asset, made by a contract that submits
    /// its own packets, in batches (forge's isolation mode slows down quadratically with
    /// the number of isolated calls, so the batches keep the test fast), unmetered.
    /// forge-config: default.isolate = true
    function test_gas_allocationCostDoesNotGrow() public {
        bytes32 schemaId = _validatedSchema();
        uint256 lineId = _line(ETH, 5000);
        uint256 bountyLine = _line(ETH, 5000, schemaId, 0.001 ether, 0);
        BountyFarmer farmer = new BountyFarmer();

        vm.prank(contributor);
        uint256 packetId = work.submit(schemaId, HASH, abi.encode(uint256(1)));
        vm.prank(steward);
        treasury.allocate(lineId, packetId, 0.001 ether, 0);
        uint256 first = _snap("allocate1st", _allocateCd(lineId, packetId, 0.001 ether, 0));

        vm.pauseGasMetering();
        for (uint256 b; b < 99; ++b) {
            farmer.farm(work, treasury, schemaId, bountyLine, 100);
        }
        farmer.farm(work, treasury, schemaId, bountyLine, 98);
        vm.resumeGasMetering();
        vm.assertEq(treasury.assetEpoch(ETH).spent, 9999 * 0.001 ether, "9,999 allocations so far");

        vm.prank(contributor2);
        packetId = work.submit(schemaId, HASH, abi.encode(uint256(2)));
        vm.prank(steward);
        treasury.allocate(lineId, packetId, 0.001 ether, 0);
        uint256 last = _snap("allocate10000th", _allocateCd(lineId, packetId, 0.001 ether, 0));
        vm.assertEq(treasury.assetEpoch(ETH).spent, 10_000 * 0.001 ether, "the 10,000th");
        vm.assertLe(last * 100, first * 102, "10,000th within 2% of the 1st");
        vm.assertLe(first * 100, last * 102, "1st within 2% of the 10,000th");
    }

    /// @dev An Immediate one-field schema whose validator accepts every packet,
    /// recognized by amendment (a validated schema may be recognized).
    function _validatedSchema() internal returns (bytes32 schemaId) {
        WordValidator validator = new WordValidator(bytes32(IWorkValidator.validatePacket.selector));
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](1);
        fields[0] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Uint256, required: false, min: 0, max: 0, maxLen: 0
        });
        IWorkRegistry.Acceptance memory immediate;
        schemaId = work.registerSchema("validated", fields, immediate, address(validator));
        _enact(_one(_setRecognition(schemaId, 1)));
        // The amendment took several epochs: fix this epoch's budget with a deposit.
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        treasury.deposit{value: 1 ether}(ETH, 1 ether);
    }
}
