// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";
import {CredentialValidator} from "./mocks/WorkValidatorMocks.sol";
import {Vm} from "./utils/Vm.sol";

/// @notice `registerSchema` and the schema views: content addressing, the stored
/// definition, and every rule a definition must keep.
contract WorkRegistrySchemaTest is WorkRegistryBase {
    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    function _assertSchema(
        bytes32 id,
        string memory name,
        IWorkRegistry.Field[] memory fields,
        IWorkRegistry.Acceptance memory acceptance,
        address validator
    ) internal view {
        IWorkRegistry.Schema memory s = workRegistry.schema(id);
        vm.assertEq(s.name, name);
        vm.assertEq(keccak256(abi.encode(s.fields)), keccak256(abi.encode(fields)), "fields");
        vm.assertEq(keccak256(abi.encode(s.acceptance)), keccak256(abi.encode(acceptance)), "acceptance");
        vm.assertEq(s.validator, validator);
        vm.assertEq(keccak256(abi.encode(s.name, s.fields, s.acceptance, s.validator)), id, "id");
    }

    function _register(string memory name, IWorkRegistry.Field[] memory fields) internal returns (bytes32) {
        return workRegistry.registerSchema(name, fields, _immediate(), address(0));
    }

    function _expectInvalid(bytes memory err, IWorkRegistry.Field memory f) internal {
        vm.expectRevert(err);
        workRegistry.registerSchema("bad", _one(f), _immediate(), address(0));
    }

    function _expectAcceptanceError(bytes memory err, IWorkRegistry.Acceptance memory a) internal {
        vm.expectRevert(err);
        workRegistry.registerSchema("bad", _taskFields(), a, address(0));
    }

    function _signers(uint256 n) internal pure returns (address[] memory a) {
        a = new address[](n);
        for (uint256 i; i < n; ++i) {
            a[i] = address(uint160(0x1000 + i));
        }
    }

    /// @dev Twelve fields of every type with bounds and lengths: two overflow descriptor words.
    function _wideFields() internal pure returns (IWorkRegistry.Field[] memory f) {
        f = new IWorkRegistry.Field[](12);
        for (uint256 i; i < 12; ++i) {
            IWorkRegistry.FieldType t = IWorkRegistry.FieldType(i % 8);
            if (t == IWorkRegistry.FieldType.Uint256) f[i] = _uint(i % 3 == 0, i, 1000 + i);
            else if (_isDynamic(t)) f[i] = _dynamic(t, i % 2 == 0, 10 + i);
            else f[i] = _static(t, i % 2 == 1);
        }
    }

    function _callRegister(bytes memory cd) internal returns (bool ok, bytes memory ret) {
        (ok, ret) = address(workRegistry).call(cd);
    }

    function _expectNonCanonical(bytes memory cd) internal {
        (bool ok, bytes memory ret) = _callRegister(cd);
        vm.assertFalse(ok, "accepted non-canonical calldata");
        vm.assertEq(ret, abi.encodeWithSelector(IWorkRegistry.WorkRegistryNonCanonicalDefinition.selector));
    }

    function _setWord(bytes memory b, uint256 at, uint256 value) internal pure {
        assembly {
            mstore(add(add(b, 0x20), at), value)
        }
    }

    function _taskCalldata() internal pure returns (bytes memory) {
        return abi.encodeCall(IWorkRegistry.registerSchema, ("abc", _taskFields(), _immediate(), address(0)));
    }

    // ------------------------------------------------------------------
    // registerSchema: success
    // ------------------------------------------------------------------

    function test_registerSchema_returnsContentAddressedId() public {
        bytes32 id = _register("new", _taskFields());
        vm.assertEq(id, _id("new", _taskFields(), _immediate(), address(0)));
        vm.assertEq(taskId, _id("task", _taskFields(), _immediate(), address(0)));
        vm.assertEq(reviewId, _id("review", _taskFields(), _reviewAcceptance(), address(0)));
    }

    function test_registerSchema_emitsSchemaRegistered() public {
        bytes32 id = _id("new", _taskFields(), _reviewAcceptance(), address(0));
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.SchemaRegistered(
            id, stranger, "new", _taskFields(), _reviewAcceptance(), address(0)
        );
        vm.prank(stranger);
        workRegistry.registerSchema("new", _taskFields(), _reviewAcceptance(), address(0));
    }

    function test_registerSchema_logDataHashesToId() public {
        vm.recordLogs();
        bytes32 id = _register("new", _wideFields());
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 1);
        vm.assertEq(logs[0].topics[0], IWorkRegistry.SchemaRegistered.selector);
        vm.assertEq(keccak256(logs[0].data), id);
    }

    function test_registerSchema_countsAndIndexes() public {
        vm.assertEq(workRegistry.schemaCount(), 4);
        vm.assertEq(workRegistry.schemaIdAt(1), taskId);
        vm.assertEq(workRegistry.schemaIdAt(3), reviewId);
        vm.assertEq(workRegistry.schemaIdAt(4), tickId);
        bytes32 id = _register("new", _taskFields());
        vm.assertEq(workRegistry.schemaCount(), 5);
        vm.assertEq(workRegistry.schemaIdAt(5), id);
    }

    function test_registerSchema_permissionless() public {
        vm.prank(stranger);
        _register("by stranger", _taskFields());
        vm.prank(address(constitution));
        _register("by constitution", _taskFields());
        vm.assertEq(workRegistry.schemaCount(), 6);
    }

    function test_registerSchema_zeroFields() public {
        bytes32 id = _register("hash only", new IWorkRegistry.Field[](0));
        _assertSchema(id, "hash only", new IWorkRegistry.Field[](0), _immediate(), address(0));
        vm.prank(alice);
        vm.assertEq(workRegistry.submit(id, HASH, ""), 1);
    }

    function test_registerSchema_maxFields() public {
        IWorkRegistry.Field[] memory f = new IWorkRegistry.Field[](16);
        bytes32 id = _register("sixteen", f);
        _assertSchema(id, "sixteen", f, _immediate(), address(0));
    }

    function test_registerSchema_sameFieldsOtherNameIsOtherSchema() public view {
        vm.assertNotEq(taskId, recognizedTaskId);
    }

    function test_registerSchema_maxAttesters() public {
        IWorkRegistry.Acceptance memory a = _attested(32, _signers(32), 600);
        bytes32 id = workRegistry.registerSchema("council", _taskFields(), a, address(0));
        _assertSchema(id, "council", _taskFields(), a, address(0));
    }

    function test_registerSchema_nameAtMaxLength() public {
        string memory name = string(new bytes(512));
        bytes32 id = _register(name, _taskFields());
        vm.assertEq(workRegistry.schema(id).name, name);
    }

    // ------------------------------------------------------------------
    // schema / schemaIdAt views
    // ------------------------------------------------------------------

    function test_schema_roundTripsImmediate() public view {
        _assertSchema(taskId, "task", _taskFields(), _immediate(), address(0));
    }

    function test_schema_roundTripsAttested() public view {
        _assertSchema(reviewId, "review", _taskFields(), _reviewAcceptance(), address(0));
    }

    function test_schema_roundTripsOverflowDescriptorsAndBounds() public {
        bytes32 id = _register("wide", _wideFields());
        _assertSchema(id, "wide", _wideFields(), _immediate(), address(0));
    }

    function test_schema_roundTripsOpenEndedBounds() public {
        IWorkRegistry.Field[] memory f = _two(_uint(false, 7, 0), _uint(true, 0, 9));
        bytes32 id = _register("open", f);
        _assertSchema(id, "open", f, _immediate(), address(0));
    }

    function test_schema_roundTripsValidator() public {
        CredentialValidator v = new CredentialValidator();
        bytes32 id = workRegistry.registerSchema("gated", _taskFields(), _reviewAcceptance(), address(v));
        _assertSchema(id, "gated", _taskFields(), _reviewAcceptance(), address(v));
    }

    function test_RevertWhen_schemaUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownSchema.selector, bytes32("nope"))
        );
        workRegistry.schema(bytes32("nope"));
    }

    /// The slim view the treasury and the SDK read refuses an unknown id the same way, rather
    /// than answering "Immediate, no validator" for a schema that does not exist.
    function test_RevertWhen_schemaAcceptanceUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownSchema.selector, bytes32("nope"))
        );
        workRegistry.schemaAcceptance(bytes32("nope"));
    }

    function test_RevertWhen_schemaIdAtOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownSchema.selector, bytes32(0)));
        workRegistry.schemaIdAt(0);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnknownSchema.selector, bytes32(0)));
        workRegistry.schemaIdAt(5);
    }

    function testFuzz_registerSchema_roundTrips(uint256 seed, uint256 n) public {
        n = bound(n, 0, 16);
        (IWorkRegistry.Field[] memory f,) = _randomSchema(seed, n);
        bytes32 id = _registerRandom(seed, f);
        _assertSchema(id, string.concat("fuzz-", vm.toString(seed)), f, _immediate(), address(0));
    }

    // ------------------------------------------------------------------
    // registerSchema: the rules of a definition
    // ------------------------------------------------------------------

    function test_RevertWhen_registerSchemaTwice() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistrySchemaExists.selector, taskId));
        vm.prank(stranger);
        workRegistry.registerSchema("task", _taskFields(), _immediate(), address(0));
    }

    function test_RevertWhen_nameEmpty() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidName.selector, 0, 512));
        _register("", _taskFields());
    }

    function test_RevertWhen_nameTooLong() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidName.selector, 513, 512));
        _register(string(new bytes(513)), _taskFields());
    }

    function test_RevertWhen_tooManyFields() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryTooManyFields.selector, 17, 16));
        _register("seventeen", new IWorkRegistry.Field[](17));
    }

    function test_RevertWhen_boundsInverted() public {
        _expectInvalid(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidBounds.selector, 0, 5, 4),
            _uint(false, 5, 4)
        );
    }

    function test_RevertWhen_boundsOnOtherTypes() public {
        for (uint256 t = 1; t < 8; ++t) {
            IWorkRegistry.FieldType ft = IWorkRegistry.FieldType(t);
            IWorkRegistry.Field memory f = _isDynamic(ft) ? _dynamic(ft, false, 8) : _static(ft, false);
            f.min = 1;
            _expectInvalid(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryBoundsNotAllowed.selector, 0, ft), f
            );
            (f.min, f.max) = (0, 1);
            _expectInvalid(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryBoundsNotAllowed.selector, 0, ft), f
            );
        }
    }

    function test_RevertWhen_maxLenOnStaticTypes() public {
        for (uint256 t; t < 5; ++t) {
            IWorkRegistry.FieldType ft = IWorkRegistry.FieldType(t);
            IWorkRegistry.Field memory f = _static(ft, false);
            f.maxLen = 1;
            _expectInvalid(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryMaxLenNotAllowed.selector, 0, ft), f
            );
        }
    }

    function test_RevertWhen_dynamicMaxLenOutOfRange() public {
        uint256 limit = type(uint32).max;
        for (uint256 t = 5; t < 8; ++t) {
            IWorkRegistry.FieldType ft = IWorkRegistry.FieldType(t);
            _expectInvalid(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidMaxLen.selector, 0, 0, limit),
                _dynamic(ft, false, 0)
            );
            _expectInvalid(
                abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidMaxLen.selector, 0, limit + 1, limit),
                _dynamic(ft, false, limit + 1)
            );
        }
    }

    function test_RevertWhen_ruleBrokenByLaterField() public {
        IWorkRegistry.Field[] memory f = _wideFields();
        f[9].maxLen = 3; // field 9 is an Int256
        vm.expectRevert(
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryMaxLenNotAllowed.selector, 9, IWorkRegistry.FieldType.Int256
            )
        );
        _register("late", f);
    }

    function test_RevertWhen_immediateWithAttestation() public {
        IWorkRegistry.Acceptance memory a = _immediate();
        a.quorum = 1;
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnexpectedAttestation.selector, 1, 0, 0), a
        );
        a = _immediate();
        a.attesters = _reviewers();
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnexpectedAttestation.selector, 0, 3, 0), a
        );
        a = _immediate();
        a.window = 60;
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryUnexpectedAttestation.selector, 0, 0, 60), a
        );
    }

    function test_RevertWhen_tooManyAttesters() public {
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryTooManyAttesters.selector, 33, 32),
            _attested(1, _signers(33), 60)
        );
    }

    function test_RevertWhen_quorumOutOfRange() public {
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidQuorum.selector, 0, 3),
            _attested(0, _reviewers(), 60)
        );
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidQuorum.selector, 4, 3),
            _attested(4, _reviewers(), 60)
        );
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidQuorum.selector, 1, 0),
            _attested(1, new address[](0), 60)
        );
    }

    function test_RevertWhen_attesterZero() public {
        address[] memory a = _reviewers();
        a[1] = address(0);
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidAttester.selector, 1, address(0)),
            _attested(1, a, 60)
        );
    }

    function test_RevertWhen_attesterListedTwice() public {
        address[] memory a = _reviewers();
        a[2] = alice;
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidAttester.selector, 2, alice),
            _attested(1, a, 60)
        );
    }

    function test_RevertWhen_windowOutOfRange() public {
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidWindow.selector, 0, 600),
            _attested(1, _reviewers(), 0)
        );
        _expectAcceptanceError(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidWindow.selector, 601, 600),
            _attested(1, _reviewers(), 601)
        );
    }

    function test_registerSchema_windowAtMax() public {
        workRegistry.registerSchema("slow", _taskFields(), _attested(1, _reviewers(), 600), address(0));
    }

    function test_RevertWhen_validatorNotContract() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidValidator.selector, stranger));
        workRegistry.registerSchema("gated", _taskFields(), _immediate(), stranger);
    }

    // ------------------------------------------------------------------
    // registerSchema: canonical calldata (the id hashes the calldata itself)
    // ------------------------------------------------------------------

    function test_registerSchema_canonicalCalldataAccepted() public {
        (bool ok,) = _callRegister(_taskCalldata());
        vm.assertTrue(ok);
    }

    function test_RevertWhen_calldataHasTrailingBytes() public {
        _expectNonCanonical(bytes.concat(_taskCalldata(), hex"00"));
    }

    function test_RevertWhen_nameHasDirtyPadding() public {
        bytes memory cd = _taskCalldata();
        cd[4 + 0xa0 + 3] = 0x01; // the byte right after "abc"
        _expectNonCanonical(cd);
    }

    function test_RevertWhen_headOffsetsNotCanonical() public {
        _expectNonCanonical(_spareWordAfterHead(0));
    }

    function test_RevertWhen_headOffsetsNotCanonicalAndSpareWordHuge() public {
        // Where the name's length would sit, a huge word: sizes derived from it must not
        // be trusted (nor copied) before the layout is known to be canonical.
        _expectNonCanonical(_spareWordAfterHead(type(uint256).max - 0x1000));
    }

    /// @dev Insert a word after the head and move all three offsets past it: a valid
    /// encoding that decodes to the same arguments, but not the canonical one.
    function _spareWordAfterHead(uint256 spare) internal pure returns (bytes memory moved) {
        bytes memory cd = _taskCalldata();
        bytes memory head = new bytes(4 + 0x80);
        for (uint256 i; i < head.length; ++i) {
            head[i] = cd[i];
        }
        bytes memory tail = new bytes(cd.length - head.length);
        for (uint256 i; i < tail.length; ++i) {
            tail[i] = cd[head.length + i];
        }
        moved = bytes.concat(head, abi.encode(spare), tail);
        for (uint256 k; k < 3; ++k) {
            uint256 at = 4 + 32 * k;
            uint256 off;
            assembly {
                off := mload(add(add(moved, 0x20), at))
            }
            _setWord(moved, at, off + 32);
        }
    }

    function test_RevertWhen_fieldTypeOutOfRange() public {
        bytes memory cd = _taskCalldata();
        _setWord(cd, 4 + 0xc0 + 0x20, 8); // field 0's type word (name "abc" takes one word)
        _expectNonCanonical(cd);
    }

    function test_RevertWhen_requiredNotBool() public {
        bytes memory cd = _taskCalldata();
        _setWord(cd, 4 + 0xc0 + 0x40, 2); // field 0's required word
        _expectNonCanonical(cd);
    }

    function test_RevertWhen_acceptanceModeOutOfRange() public {
        bytes memory cd = _taskCalldata();
        uint256 acceptanceAt = 0xc0 + 0x20 + 3 * 0xa0;
        _setWord(cd, 4 + acceptanceAt, 2);
        _expectNonCanonical(cd);
    }

    function test_RevertWhen_attestersOffsetNotCanonical() public {
        bytes memory cd = bytes.concat(_taskCalldata(), new bytes(32));
        uint256 acceptanceAt = 0xc0 + 0x20 + 3 * 0xa0;
        _setWord(cd, 4 + acceptanceAt + 0x40, 0xa0); // attesters (still empty) one word later
        _expectNonCanonical(cd);
    }
}
