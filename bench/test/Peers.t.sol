// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../../contracts/libraries/ParamKeys.sol";
import {BenchBase} from "./BenchBase.sol";
import {BenchGovernor} from "./peers/BenchGovernor.sol";
import {
    AttestationRequest,
    AttestationRequestData,
    IEAS
} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";
import {ISchemaRegistry} from "@ethereum-attestation-service/eas-contracts/contracts/ISchemaRegistry.sol";
import {
    ISchemaResolver
} from "@ethereum-attestation-service/eas-contracts/contracts/resolver/ISchemaResolver.sol";
import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @dev The one cheatcode the bench needs beyond the project's Vm interface.
interface CodeReader {
    function getCode(string calldata artifactPath) external view returns (bytes memory creationBytecode);
}

/// @notice Viable next to what a user would deploy instead, for the same job, in the same
/// run, each call a transaction of its own (group `peers`, bench/snapshots/peers.json).
/// EAS is deployed from the bytecode its npm package ships (compiled by its authors);
/// the OpenZeppelin contracts are compiled here with the project's settings.
contract PeersBench is BenchBase {
    string internal constant G = "peers";
    string internal constant EAS_ARTIFACTS =
        "bench/node_modules/@ethereum-attestation-service/eas-contracts/artifacts/contracts/";
    /// @dev The EAS schema with the same three fields as the Viable task schema.
    string internal constant EAS_SCHEMA = "uint256 amount,bytes32 commit,string note";
    string internal constant DESCRIPTION = "Raise the longest lease to ten minutes";

    address internal payee = makeAddr("payee");

    // ------------------------------------------------------------------
    // Record a unit of work
    // ------------------------------------------------------------------

    function _easDeploy() internal returns (ISchemaRegistry registry, IEAS eas) {
        CodeReader r = CodeReader(address(vm));
        bytes memory code = r.getCode(string.concat(EAS_ARTIFACTS, "SchemaRegistry.sol/SchemaRegistry.json"));
        address a;
        assembly ("memory-safe") {
            a := create(0, add(code, 0x20), mload(code))
        }
        registry = ISchemaRegistry(a);
        code = abi.encodePacked(
            r.getCode(string.concat(EAS_ARTIFACTS, "EAS.sol/EAS.json")), abi.encode(address(registry))
        );
        assembly ("memory-safe") {
            a := create(0, add(code, 0x20), mload(code))
        }
        eas = IEAS(a);
        vm.assertTrue(address(eas) != address(0) && address(registry) != address(0), "EAS deployed");
    }

    function _attestRequest(bytes32 schema) internal pure returns (AttestationRequest memory) {
        return AttestationRequest({
            schema: schema,
            data: AttestationRequestData({
                recipient: address(0),
                expirationTime: 0,
                revocable: true,
                refUID: bytes32(0),
                data: _taskData(),
                value: 0
            })
        });
    }

    function _benchFields() internal pure returns (IWorkRegistry.Field[] memory f) {
        f = new IWorkRegistry.Field[](3);
        f[0].fieldType = IWorkRegistry.FieldType.Uint256;
        f[1] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Bytes32, required: true, min: 0, max: 0, maxLen: 0
        });
        f[2] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.String, required: false, min: 0, max: 0, maxLen: 64
        });
    }

    /// @notice A three-field schema registered on each side (after earlier ones), then
    /// the same data bytes recorded against it twice; the second record is the figure
    /// (the steady state: neither side's first write of anything global).
    function test_peers_recordWork() public {
        (ISchemaRegistry registry, IEAS eas) = _easDeploy();
        IWorkRegistry.Acceptance memory immediate;

        vm.prank(contributor);
        bytes32 schemaId = work.registerSchema("bench.task", _benchFields(), immediate, address(0));
        _rec(G, "record.viable.registerSchema");
        vm.prank(contributor);
        registry.register("uint256 warmup", ISchemaResolver(address(0)), true);
        vm.prank(contributor);
        bytes32 easSchema = registry.register(EAS_SCHEMA, ISchemaResolver(address(0)), true);
        _rec(G, "record.eas.register");

        for (uint256 i; i < 2; ++i) {
            vm.prank(contributor);
            work.submit(schemaId, HASH, _taskData());
        }
        _rec(G, "record.viable.submit");
        for (uint256 i; i < 2; ++i) {
            vm.prank(contributor);
            eas.attest(_attestRequest(easSchema));
        }
        _rec(G, "record.eas.attest");
        vm.snapshotValue(G, "record.dataBytes", _taskData().length);
    }

    // ------------------------------------------------------------------
    // Pay a contributor for accepted work
    // ------------------------------------------------------------------

    function _governor() internal returns (BenchGovernor gov, TimelockController timelock) {
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        timelock = new TimelockController(120, none, anyone, address(this));
        gov = new BenchGovernor(IVotes(address(token)), timelock);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(gov));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(gov));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));
    }

    /// @dev The Governor's whole path for one action, each step as `step.governor.*`:
    /// alice proposes and votes For (a first vote), bob votes For (a later vote), anyone
    /// queues and executes.
    function _governorPath(string memory job, BenchGovernor gov, address target, bytes memory data) internal {
        address[] memory targets = new address[](1);
        targets[0] = target;
        uint256[] memory values = new uint256[](1);
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = data;
        string memory p = string.concat(job, ".governor.");

        vm.prank(alice);
        uint256 id = gov.propose(targets, values, calldatas, DESCRIPTION);
        _rec(G, string.concat(p, "propose"));
        vm.warp(gov.proposalSnapshot(id) + 1);
        vm.prank(alice);
        gov.castVote(id, 1);
        _rec(G, string.concat(p, "castVote"));
        vm.prank(bob);
        gov.castVote(id, 1);
        _rec(G, string.concat(p, "castVoteLater"));
        vm.warp(gov.proposalDeadline(id) + 1);
        vm.prank(stranger);
        gov.queue(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        _rec(G, string.concat(p, "queue"));
        vm.warp(gov.proposalEta(id));
        vm.prank(stranger);
        gov.execute(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        _rec(G, string.concat(p, "execute"));
        vm.assertEq(uint256(gov.state(id)), 7, "Governor proposal executed");
    }

    /// @notice 1,000 USDC to someone who never held it: the steward's allocation against
    /// the contributor's accepted packet and its execution after the veto window, against
    /// a Governor proposal that makes the timelock transfer it (propose, vote, queue,
    /// execute). The line has paid someone before, as in steady use.
    function test_peers_pay() public {
        uint256 lineId = _line(address(usdc), 5000);
        _allocate(lineId, _accepted(contributor2, taskId), 1e6);
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1000e6, 0);
        _rec(G, "pay.viable.allocate");
        vm.warp(block.timestamp + WINDOW);
        vm.prank(keeper);
        treasury.execute(id);
        _rec(G, "pay.viable.execute");
        vm.assertEq(usdc.balanceOf(contributor), 1000e6, "Viable paid");

        (BenchGovernor gov, TimelockController timelock) = _governor();
        usdc.mint(address(timelock), 10_000e6);
        _governorPath("pay", gov, address(usdc), abi.encodeCall(usdc.transfer, (payee, 1000e6)));
        vm.assertEq(usdc.balanceOf(payee), 1000e6, "Governor paid");
    }

    /// @notice A stream of 1,000 USDC over 1,000 s, claimed at 250 s and at 500 s: the
    /// treasury's `claim` against OpenZeppelin's VestingWallet `release` (each
    /// beneficiary holds none of the token before). The treasury's set-up of the stream
    /// (allocate, execute into the stream) is shown too; the wallet's (a contract
    /// deployment) is not measured.
    function test_peers_stream() public {
        uint256 lineId = _line(address(usdc), 5000);
        _allocate(lineId, _accepted(contributor2, taskId), 1e6);
        uint256 packetId = _accepted(contributor, taskId);
        vm.prank(steward);
        uint256 id = treasury.allocate(lineId, packetId, 1000e6, 1000);
        _rec(G, "stream.viable.allocate");
        vm.warp(block.timestamp + WINDOW);
        vm.prank(keeper);
        treasury.execute(id);
        _rec(G, "stream.viable.execute");
        uint256 start = block.timestamp;

        VestingWallet wallet = new VestingWallet(payee, uint64(start), 1000);
        usdc.mint(address(wallet), 1000e6);

        vm.warp(start + 250);
        vm.prank(contributor);
        treasury.claim(id);
        _rec(G, "stream.viable.claimFirst");
        vm.prank(payee);
        wallet.release(address(usdc));
        _rec(G, "stream.vesting.releaseFirst");
        vm.warp(start + 500);
        vm.prank(contributor);
        treasury.claim(id);
        _rec(G, "stream.viable.claimLater");
        vm.prank(payee);
        wallet.release(address(usdc));
        _rec(G, "stream.vesting.releaseLater");
        vm.assertEq(usdc.balanceOf(contributor), 500e6, "Viable streamed half");
        vm.assertEq(usdc.balanceOf(payee), 500e6, "the wallet released half");
    }

    // ------------------------------------------------------------------
    // Ratify a rule change
    // ------------------------------------------------------------------

    /// @notice One parameter changed by the full path, with the same description: Viable's
    /// amendment (`locks.maxTtl` to 600; votes counted in the Token and the Work House)
    /// against the Governor's proposal (its voting period to 600 s, through the timelock).
    function test_peers_ruleChange() public {
        ILegitimacyConstitution.Action[] memory actions = _one(_setParam(ParamKeys.LOCKS_MAX_TTL, 600));
        vm.prank(alice);
        uint256 id = constitution.propose(actions, 0, DESCRIPTION);
        _rec(G, "rule.viable.propose");
        _toVoteStart(id);
        vm.prank(alice);
        constitution.castVote(id, FOR);
        _rec(G, "rule.viable.castVote");
        vm.prank(bob);
        constitution.castVote(id, FOR);
        _rec(G, "rule.viable.castVoteLater");
        _toVoteEnd(id);
        vm.prank(stranger);
        constitution.queue(id);
        _rec(G, "rule.viable.queue");
        vm.warp(constitution.amendment(id).eta);
        ILegitimacyConstitution.AmendmentBody memory body = _body(actions, 0, DESCRIPTION);
        vm.prank(stranger);
        constitution.execute(id, alice, body);
        _rec(G, "rule.viable.execute");
        vm.assertEq(constitution.param(ParamKeys.LOCKS_MAX_TTL), 600, "Viable amended");

        (BenchGovernor gov,) = _governor();
        _governorPath("rule", gov, address(gov), abi.encodeCall(gov.setVotingPeriod, (600)));
        vm.assertEq(gov.votingPeriod(), 600, "Governor amended");
    }
}
