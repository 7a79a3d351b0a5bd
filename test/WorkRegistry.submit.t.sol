// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {IWorkValidator} from "../contracts/interfaces/IWorkValidator.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";
import {
    CostlyValidator,
    CredentialValidator,
    GasBurningValidator,
    ReturnBombValidator,
    RevertingValidator,
    ShortAnswerValidator,
    StateChangingValidator,
    WordValidator
} from "./mocks/WorkValidatorMocks.sol";
import {Vm} from "./utils/Vm.sol";

/// @notice `submit`: the packet record, its events, the canonical-encoding and field
/// rules (one unit test per error, with its facts), and the optional validator.
contract WorkRegistrySubmitTest is WorkRegistryBase {
    bytes32 internal boundedId; // (uint256 required in [10, 100])
    bytes32 internal addrId; // (address required)
    bytes32 internal flagId; // (bool)
    bytes32 internal blobId; // (bytes <= 8)
    bytes32 internal listId; // (bytes32[] required, <= 2)
    bytes32 internal bigId; // (bytes <= 10_000)

    function setUp() public override {
        super.setUp();
        boundedId = _reg("bounded", _one(_uint(true, 10, 100)));
        addrId = _reg("addr", _one(_static(IWorkRegistry.FieldType.Address, true)));
        flagId = _reg("flag", _one(_static(IWorkRegistry.FieldType.Bool, false)));
        blobId = _reg("blob", _one(_dynamic(IWorkRegistry.FieldType.Bytes, false, 8)));
        listId = _reg("list", _one(_dynamic(IWorkRegistry.FieldType.Bytes32Array, true, 2)));
        bigId = _reg("big", _one(_dynamic(IWorkRegistry.FieldType.Bytes, false, 10_000)));
    }

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    function _reg(string memory name, IWorkRegistry.Field[] memory f) internal returns (bytes32) {
        return workRegistry.registerSchema(name, f, _immediate(), address(0));
    }

    function _expectData(bytes32 schemaId, bytes memory data, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(contributor);
        workRegistry.submit(schemaId, HASH, data);
    }

    function _accepts(bytes32 schemaId, bytes memory data) internal returns (uint256 id) {
        vm.prank(contributor);
        id = workRegistry.submit(schemaId, HASH, data);
    }

    function _sel(bytes4 s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(s);
    }

    function _gated(address validator) internal returns (bytes32) {
        return workRegistry.registerSchema("gated", _taskFields(), _immediate(), validator);
    }

    function _refused(bytes32 id, address validator) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IWorkRegistry.WorkRegistryValidatorRefused.selector, id, validator);
    }

    // ------------------------------------------------------------------
    // The packet record and its events
    // ------------------------------------------------------------------

    function test_submit_immediateIsAccepted() public {
        uint256 id = _submit(contributor, taskId);
        vm.assertEq(id, 1);
        vm.assertEq(workRegistry.packetCount(), 1);
        IWorkRegistry.Packet memory p = workRegistry.packet(id);
        vm.assertEq(p.contributor, contributor);
        vm.assertEq(p.schemaId, taskId);
        vm.assertEq(uint8(p.status), uint8(IWorkRegistry.Status.Accepted));
        vm.assertEq(p.submittedAt, block.timestamp);
        vm.assertEq(p.deadline, 0);
        vm.assertEq(p.attestations, 0);
        vm.assertEq(p.contentHash, HASH);
    }

    function test_submit_emitsSubmittedThenAccepted() public {
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketSubmitted(1, taskId, contributor, HASH, _taskData());
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketAccepted(1, taskId, contributor);
        _submit(contributor, taskId);
    }

    function test_submit_attestedIsPending() public {
        vm.recordLogs();
        uint256 id = _submit(contributor, reviewId);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 1, "only PacketSubmitted");
        vm.assertEq(logs[0].topics[0], IWorkRegistry.PacketSubmitted.selector);
        IWorkRegistry.Packet memory p = workRegistry.packet(id);
        vm.assertEq(uint8(p.status), uint8(IWorkRegistry.Status.Pending));
        vm.assertEq(p.deadline, block.timestamp + WINDOW);
        vm.assertEq(workRegistry.points(contributor), 0);
    }

    function test_submit_idsAreSequential() public {
        vm.assertEq(_submit(alice, taskId), 1);
        vm.warp(block.timestamp + 7);
        vm.assertEq(_submit(bob, reviewId), 2);
        vm.assertEq(_submit(stranger, taskId), 3);
        vm.assertEq(workRegistry.packetCount(), 3);
        IWorkRegistry.Packet memory p = workRegistry.packet(2);
        vm.assertEq(p.contributor, bob);
        vm.assertEq(p.schemaId, reviewId);
        vm.assertEq(p.submittedAt, block.timestamp);
    }

    function test_submit_storesFullWidthValues() public {
        // The packed record keeps every bit of contributor, index and timestamp.
        address max = address(type(uint160).max);
        vm.warp(type(uint40).max);
        vm.prank(max);
        uint256 id = workRegistry.submit(tickId, HASH, abi.encode(uint256(7)));
        IWorkRegistry.Packet memory p = workRegistry.packet(id);
        vm.assertEq(p.contributor, max);
        vm.assertEq(p.schemaId, tickId);
        vm.assertEq(p.submittedAt, type(uint40).max);
        vm.assertEq(uint8(p.status), uint8(IWorkRegistry.Status.Accepted));
    }

    function test_RevertWhen_packetUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 0));
        workRegistry.packet(0);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownPacket.selector, 1));
        workRegistry.packet(1);
    }

    function test_RevertWhen_submitUnknownSchema() public {
        _expectData(
            bytes32("nope"),
            _taskData(),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownSchema.selector, bytes32("nope"))
        );
    }

    function test_RevertWhen_contentHashZero() public {
        vm.expectRevert(_sel(IWorkRegistry.WorkRegistryZeroContentHash.selector));
        workRegistry.submit(taskId, bytes32(0), _taskData());
    }

    // ------------------------------------------------------------------
    // Size limit (work.maxDataBytes = 4096 in the dev genesis, hard floor 256)
    // ------------------------------------------------------------------

    function test_submit_dataAtMaxDataBytes() public {
        bytes memory data = abi.encode(new bytes(4096 - 64));
        vm.assertEq(data.length, 4096);
        _accepts(bigId, data);
    }

    function test_submit_dataAboveHardFloor() public {
        _accepts(bigId, abi.encode(new bytes(300)));
    }

    function test_RevertWhen_dataTooLarge() public {
        bytes memory data = abi.encode(new bytes(4096 - 63));
        _expectData(
            bigId, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryDataTooLarge.selector, 4128, 4096)
        );
    }

    // ------------------------------------------------------------------
    // Canonical encoding
    // ------------------------------------------------------------------

    function test_RevertWhen_dataShorterThanHead() public {
        _expectData(
            taskId,
            abi.encode(uint256(1), bytes32("x")),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryDataLength.selector, 64, 96)
        );
    }

    function test_RevertWhen_dataEndsBeforeLengthWord() public {
        bytes memory data = abi.encode(uint256(1), bytes32("x"), uint256(0x60));
        _expectData(
            taskId, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryDataLength.selector, 96, 128)
        );
    }

    function test_RevertWhen_dataEndsInsideTail() public {
        bytes memory data = abi.encode(uint256(1), bytes32("x"), uint256(0x60), uint256(5));
        _expectData(
            taskId, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryDataLength.selector, 128, 160)
        );
    }

    function test_RevertWhen_dataHasTrailingBytes() public {
        _expectData(
            taskId,
            bytes.concat(_taskData(), hex"00"),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryDataLength.selector, 161, 160)
        );
    }

    function test_RevertWhen_zeroFieldSchemaGetsData() public {
        bytes32 id = _reg("hash only", new IWorkRegistry.Field[](0));
        _expectData(id, hex"00", abi.encodeWithSelector(IWorkRegistry.WorkRegistryDataLength.selector, 1, 0));
    }

    function test_RevertWhen_offsetNotCanonical() public {
        // Same string, one spare word before it: decodable, not canonical.
        bytes memory data =
            abi.encode(uint256(1), bytes32("x"), uint256(0x80), uint256(0), uint256(3), bytes32("abc"));
        _expectData(
            taskId, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryBadOffset.selector, 2, 0x80, 0x60)
        );
    }

    function test_RevertWhen_paddingNotZero() public {
        bytes memory data = abi.encode(bytes("abc"));
        data[64 + 3] = 0x01;
        _expectData(blobId, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryBadPadding.selector, 0));
    }

    function test_submit_fullWordNeedsNoPadding() public {
        _accepts(blobId, abi.encode(bytes("12345678")));
        _accepts(taskId, abi.encode(uint256(1), bytes32("x"), string(new bytes(64))));
    }

    // ------------------------------------------------------------------
    // Field rules
    // ------------------------------------------------------------------

    function test_RevertWhen_stringTooLong() public {
        _expectData(
            taskId,
            abi.encode(uint256(1), bytes32("x"), string(new bytes(65))),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldTooLong.selector, 2, 65, 64)
        );
    }

    function test_RevertWhen_arrayTooLong() public {
        _expectData(
            listId,
            abi.encode(new bytes32[](3)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldTooLong.selector, 0, 3, 2)
        );
    }

    function test_RevertWhen_lengthWordHuge() public {
        // A length that would overflow any size computation is caught by maxLen first.
        bytes memory data = abi.encode(uint256(0x20), type(uint256).max);
        _expectData(
            blobId,
            data,
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldTooLong.selector, 0, type(uint256).max, 8)
        );
    }

    function test_RevertWhen_requiredBytes32Zero() public {
        _expectData(
            taskId,
            abi.encode(uint256(1), bytes32(0), "note"),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldRequired.selector, 1)
        );
    }

    function test_RevertWhen_requiredAddressZero() public {
        _expectData(
            addrId,
            abi.encode(address(0)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldRequired.selector, 0)
        );
    }

    function test_RevertWhen_requiredArrayEmpty() public {
        _expectData(
            listId,
            abi.encode(new bytes32[](0)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldRequired.selector, 0)
        );
    }

    function test_RevertWhen_requiredCheckedBeforeRange() public {
        _expectData(
            boundedId,
            abi.encode(uint256(0)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldRequired.selector, 0)
        );
    }

    function test_RevertWhen_uintBelowMin() public {
        _expectData(
            boundedId,
            abi.encode(uint256(9)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldOutOfRange.selector, 0, 9, 10, 100)
        );
    }

    function test_RevertWhen_uintAboveMax() public {
        _expectData(
            boundedId,
            abi.encode(uint256(101)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldOutOfRange.selector, 0, 101, 10, 100)
        );
    }

    function test_submit_uintAtBounds() public {
        _accepts(boundedId, abi.encode(uint256(10)));
        _accepts(boundedId, abi.encode(uint256(100)));
    }

    function test_submit_openUpperBound() public {
        bytes32 id = _reg("floor", _one(_uint(false, 5, 0)));
        _accepts(id, abi.encode(type(uint256).max));
        _expectData(
            id,
            abi.encode(uint256(4)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldOutOfRange.selector, 0, 4, 5, 0)
        );
    }

    function test_RevertWhen_addressWordDirty() public {
        bytes32 word = bytes32(uint256(uint160(alice)) | (1 << 160));
        _expectData(
            addrId,
            abi.encode(word),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryDirtyWord.selector, 0, word)
        );
    }

    function test_RevertWhen_boolWordDirty() public {
        _expectData(
            flagId,
            abi.encode(uint256(2)),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryDirtyWord.selector, 0, bytes32(uint256(2)))
        );
    }

    function test_submit_cleanBoolAndAddress() public {
        _accepts(flagId, abi.encode(false));
        _accepts(flagId, abi.encode(true));
        _accepts(addrId, abi.encode(address(type(uint160).max)));
    }

    function test_RevertWhen_laterFieldBreaksRule() public {
        // Fields are checked in order: the first bad field is the one reported.
        _expectData(
            taskId,
            abi.encode(uint256(1), bytes32(0), string(new bytes(65))),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldRequired.selector, 1)
        );
    }

    // ------------------------------------------------------------------
    // Validator
    // ------------------------------------------------------------------

    function test_submit_validatorAccepts() public {
        CredentialValidator v = new CredentialValidator();
        bytes32 id = _gated(address(v));
        v.grant(contributor);
        vm.expectCall(
            address(v), abi.encodeCall(IWorkValidator.validatePacket, (contributor, id, HASH, _taskData()))
        );
        _accepts(id, _taskData());
    }

    function test_RevertWhen_validatorRefuses() public {
        CredentialValidator v = new CredentialValidator();
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
    }

    function test_RevertWhen_validatorAnswersWrongMagic() public {
        WordValidator v = new WordValidator(bytes32(bytes4(0xdeadbeef)));
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
    }

    function test_RevertWhen_validatorAnswersDirtyMagic() public {
        WordValidator v =
            new WordValidator(bytes32(IWorkValidator.validatePacket.selector) | bytes32(uint256(1)));
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
    }

    function test_submit_validatorAnswersExactMagic() public {
        WordValidator v = new WordValidator(bytes32(IWorkValidator.validatePacket.selector));
        _accepts(_gated(address(v)), _taskData());
    }

    function test_RevertWhen_validatorAnswersShort() public {
        ShortAnswerValidator v = new ShortAnswerValidator();
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
    }

    function test_RevertWhen_validatorReverts() public {
        RevertingValidator v = new RevertingValidator();
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
    }

    function test_RevertWhen_validatorRunsOutOfGas() public {
        GasBurningValidator v = new GasBurningValidator();
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
    }

    function test_RevertWhen_validatorWritesState() public {
        StateChangingValidator v = new StateChangingValidator();
        bytes32 id = _gated(address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));
        vm.assertEq(v.calls(), 0);
    }

    function test_submit_validatorReturnBombIsNotCopied() public {
        // The validator returns its selector and then ~160 KB, as much as its gas cap
        // lets it. The registry copies 32 bytes, so its own cost stays bounded by the
        // cap: copying it all would add ~80,000 gas of memory on the registry's side.
        WordValidator plain = new WordValidator(bytes32(IWorkValidator.validatePacket.selector));
        ReturnBombValidator bomb = new ReturnBombValidator(160_000);
        bytes32 plainId = _gated(address(plain));
        bytes32 bombId = workRegistry.registerSchema("bombed", _taskFields(), _immediate(), address(bomb));
        _accepts(plainId, _taskData()); // warm the counter for both measurements

        vm.prank(contributor);
        uint256 before = gasleft();
        workRegistry.submit(plainId, HASH, _taskData());
        uint256 plainGas = before - gasleft();
        vm.prank(contributor);
        before = gasleft();
        workRegistry.submit(bombId, HASH, _taskData());
        uint256 bombGas = before - gasleft();
        vm.assertLe(
            bombGas, plainGas + workRegistry.VALIDATOR_GAS_LIMIT(), "registry paid for the return data"
        );
    }

    /// @dev An Attested schema gated by a validator: both flags set. A check of the flag
    /// by equality (`flags == VALIDATED`) instead of a bit test would skip this validator.
    function test_RevertWhen_attestedSchemaValidatorRefuses() public {
        RevertingValidator v = new RevertingValidator();
        bytes32 id =
            workRegistry.registerSchema("gated.review", _taskFields(), _reviewAcceptance(), address(v));
        _expectData(id, _taskData(), _refused(id, address(v)));

        CredentialValidator c = new CredentialValidator();
        bytes32 credentialed = workRegistry.registerSchema(
            "credentialed.review", _taskFields(), _reviewAcceptance(), address(c)
        );
        _expectData(credentialed, _taskData(), _refused(credentialed, address(c)));
        c.grant(contributor);
        uint256 packetId = _accepts(credentialed, _taskData());
        vm.assertEq(uint8(workRegistry.packet(packetId).status), uint8(IWorkRegistry.Status.Pending));
    }

    /// @dev The validator gets VALIDATOR_GAS_LIMIT and no more: a finite validator that
    /// needs more than the cap is refused even though the caller sent plenty of gas,
    /// and one that needs a little less is accepted.
    function test_RevertWhen_validatorNeedsMoreThanTheCap() public {
        uint256 cap = workRegistry.VALIDATOR_GAS_LIMIT();
        CostlyValidator over = new CostlyValidator(cap + 20_000);
        bytes32 overId = _gated(address(over));
        vm.prank(contributor);
        vm.expectRevert(_refused(overId, address(over)));
        workRegistry.submit{gas: 5_000_000}(overId, HASH, _taskData());

        CostlyValidator under = new CostlyValidator(cap - 20_000);
        _accepts(_gated(address(under)), _taskData());
    }
}
