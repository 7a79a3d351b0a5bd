// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {AcceptingValidator} from "./mocks/WorkValidatorMocks.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @notice Shared set-up and helpers of the WorkRegistry suite: the dev genesis, the
/// registry bootstrapped into the constitution (one founding seed: `founder`, power
/// FOUNDER_POWER) with a few schemas registered and recognized at genesis, schema
/// builders, and a reference encoder that builds canonical ABI data for any field list
/// out of solc's own `abi.encode` (checked against `abi.encode` of whole tuples in
/// `WorkRegistry.encoding.t.sol`).
abstract contract WorkRegistryBase is Fixture {
    /// @dev A value for one field of the reference encoder: `word` for static types,
    /// `blob` for string and bytes, `arr` for bytes32[].
    struct Value {
        uint256 word;
        bytes blob;
        bytes32[] arr;
    }

    uint256 internal constant WINDOW = 300;
    uint256 internal constant TASK_WEIGHT = 100;
    uint256 internal constant REVIEW_WEIGHT = 9;
    uint256 internal constant TICK_WEIGHT = 1;
    bytes32 internal constant HASH = keccak256("the work");

    /// @dev Immediate (uint256, bytes32, string <= 64), not recognized.
    bytes32 internal taskId;
    /// @dev The same fields under another name, Immediate with `acceptingValidator` (a recognized
    /// Immediate schema needs someone else's check), recognized with TASK_WEIGHT.
    bytes32 internal recognizedTaskId;
    /// @dev Attested by alice, bob, carol (quorum 2, WINDOW), recognized with REVIEW_WEIGHT.
    bytes32 internal reviewId;
    /// @dev Immediate (uint256) with `acceptingValidator`, recognized with TICK_WEIGHT: moves power
    /// only now and then.
    bytes32 internal tickId;

    /// @dev The validator of the recognized Immediate schemas: accepts every packet.
    address internal acceptingValidator;

    /// @dev A contributor who is nobody's attester.
    address internal contributor = makeAddr("contributor");

    function setUp() public virtual {
        _deployConstitution();
        _deployWork();
        _registerStandardSchemas();
        _bootstrapWithWork(_recognitions(), new ILegitimacyConstitution.SeedInit[](0));
    }

    /// @dev The genesis recognitions of the standard schemas (registered before bootstrap:
    /// only a schema the registry knows can be recognized).
    function _recognitions() internal view returns (ILegitimacyConstitution.RecognitionInit[] memory r) {
        r = new ILegitimacyConstitution.RecognitionInit[](3);
        r[0] = ILegitimacyConstitution.RecognitionInit({schemaId: recognizedTaskId, weight: TASK_WEIGHT});
        r[1] = ILegitimacyConstitution.RecognitionInit({schemaId: reviewId, weight: REVIEW_WEIGHT});
        r[2] = ILegitimacyConstitution.RecognitionInit({schemaId: tickId, weight: TICK_WEIGHT});
    }

    function _registerStandardSchemas() internal {
        if (acceptingValidator == address(0)) acceptingValidator = address(new AcceptingValidator());
        taskId = workRegistry.registerSchema("task", _taskFields(), _immediate(), address(0));
        recognizedTaskId =
            workRegistry.registerSchema("task.recognized", _taskFields(), _immediate(), acceptingValidator);
        vm.assertEq(recognizedTaskId, _id("task.recognized", _taskFields(), _immediate(), acceptingValidator));
        reviewId = workRegistry.registerSchema("review", _taskFields(), _reviewAcceptance(), address(0));
        tickId = workRegistry.registerSchema("tick", _one(_uint(false)), _immediate(), acceptingValidator);
    }

    // ------------------------------------------------------------------
    // Schema builders
    // ------------------------------------------------------------------

    /// @dev The id `registerSchema` must return: the SDK computes it the same way.
    function _id(
        string memory name,
        IWorkRegistry.Field[] memory fields,
        IWorkRegistry.Acceptance memory acceptance,
        address validator
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(name, fields, acceptance, validator));
    }

    function _uint(bool required) internal pure returns (IWorkRegistry.Field memory) {
        return _uint(required, 0, 0);
    }

    function _uint(bool required, uint256 min, uint256 max)
        internal
        pure
        returns (IWorkRegistry.Field memory)
    {
        return IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Uint256, required: required, min: min, max: max, maxLen: 0
        });
    }

    function _static(IWorkRegistry.FieldType t, bool required)
        internal
        pure
        returns (IWorkRegistry.Field memory)
    {
        if (t == IWorkRegistry.FieldType.Uint256) return _uint(required);
        return IWorkRegistry.Field({fieldType: t, required: required, min: 0, max: 0, maxLen: 0});
    }

    function _dynamic(IWorkRegistry.FieldType t, bool required, uint256 maxLen)
        internal
        pure
        returns (IWorkRegistry.Field memory)
    {
        return IWorkRegistry.Field({fieldType: t, required: required, min: 0, max: 0, maxLen: maxLen});
    }

    /// @dev (uint256 units, bytes32 commit, string note <= 64): the gas-target shape.
    function _taskFields() internal pure returns (IWorkRegistry.Field[] memory f) {
        f = new IWorkRegistry.Field[](3);
        f[0] = _uint(false);
        f[1] = _static(IWorkRegistry.FieldType.Bytes32, true);
        f[2] = _dynamic(IWorkRegistry.FieldType.String, false, 64);
    }

    function _one(IWorkRegistry.Field memory a) internal pure returns (IWorkRegistry.Field[] memory f) {
        f = new IWorkRegistry.Field[](1);
        f[0] = a;
    }

    function _two(IWorkRegistry.Field memory a, IWorkRegistry.Field memory b)
        internal
        pure
        returns (IWorkRegistry.Field[] memory f)
    {
        f = new IWorkRegistry.Field[](2);
        f[0] = a;
        f[1] = b;
    }

    function _immediate() internal pure returns (IWorkRegistry.Acceptance memory a) {
        a.mode = IWorkRegistry.AcceptanceMode.Immediate;
    }

    function _attested(uint256 quorum, address[] memory attesters, uint256 window)
        internal
        pure
        returns (IWorkRegistry.Acceptance memory a)
    {
        a = IWorkRegistry.Acceptance({
            mode: IWorkRegistry.AcceptanceMode.Attested, quorum: quorum, attesters: attesters, window: window
        });
    }

    function _reviewers() internal view returns (address[] memory a) {
        a = new address[](3);
        a[0] = alice;
        a[1] = bob;
        a[2] = carol;
    }

    function _reviewAcceptance() internal view returns (IWorkRegistry.Acceptance memory) {
        return _attested(2, _reviewers(), WINDOW);
    }

    // ------------------------------------------------------------------
    // Packets
    // ------------------------------------------------------------------

    function _taskData() internal pure returns (bytes memory) {
        return abi.encode(uint256(42), keccak256("commit"), "fixed the oracle");
    }

    function _submit(address who, bytes32 schemaId) internal returns (uint256 packetId) {
        vm.prank(who);
        packetId = workRegistry.submit(schemaId, HASH, _taskData());
    }

    // ------------------------------------------------------------------
    // Reference encoder
    // ------------------------------------------------------------------

    function _isDynamic(IWorkRegistry.FieldType t) internal pure returns (bool) {
        return uint8(t) >= uint8(IWorkRegistry.FieldType.String);
    }

    /// @dev The canonical encoding of `values` as a tuple of `fields`' types, assembled
    /// from `abi.encode` of each value (a dynamic value's own encoding minus its leading
    /// offset word is exactly its tail).
    function _encode(IWorkRegistry.Field[] memory fields, Value[] memory values)
        internal
        pure
        returns (bytes memory)
    {
        bytes memory head;
        bytes memory tail;
        for (uint256 i; i < fields.length; ++i) {
            IWorkRegistry.FieldType t = fields[i].fieldType;
            if (!_isDynamic(t)) {
                head = bytes.concat(head, abi.encode(values[i].word));
                continue;
            }
            head = bytes.concat(head, abi.encode(fields.length * 32 + tail.length));
            bytes memory own = t == IWorkRegistry.FieldType.Bytes32Array
                ? abi.encode(values[i].arr)
                : abi.encode(values[i].blob);
            tail = bytes.concat(tail, _dropWord(own));
        }
        return bytes.concat(head, tail);
    }

    function _dropWord(bytes memory b) internal pure returns (bytes memory out) {
        out = new bytes(b.length - 32);
        for (uint256 i; i < out.length; ++i) {
            out[i] = b[i + 32];
        }
    }

    // ------------------------------------------------------------------
    // Random schemas and values (fuzz)
    // ------------------------------------------------------------------

    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev A random field of type `t`: random `required`, random bounds for Uint256
    /// (sometimes none), a small random `maxLen` for dynamic types.
    function _randomField(uint256 r, IWorkRegistry.FieldType t)
        internal
        pure
        returns (IWorkRegistry.Field memory f)
    {
        f.fieldType = t;
        f.required = _rand(r, 1) & 1 == 1;
        if (t == IWorkRegistry.FieldType.Uint256) {
            uint256 shape = _rand(r, 2) % 4;
            // 0: unbounded; 1: min only; 2: max only; 3: both. Magnitudes vary through
            // a random right shift of each draw.
            if (shape == 1 || shape == 3) f.min = _rand(r, 3) >> (_rand(r, 4) % 256);
            if (shape >= 2) {
                uint256 width = _rand(r, 5) >> (_rand(r, 6) % 256);
                f.max = width > type(uint256).max - f.min ? type(uint256).max : f.min + width;
                if (f.max == 0) f.max = 1;
            }
        } else if (t == IWorkRegistry.FieldType.Bytes32Array) {
            f.maxLen = 1 + _rand(r, 7) % 8;
        } else if (_isDynamic(t)) {
            f.maxLen = 1 + _rand(r, 7) % 96;
        }
    }

    /// @dev A random value that keeps every rule of `f`.
    function _randomValue(uint256 r, IWorkRegistry.Field memory f) internal pure returns (Value memory v) {
        IWorkRegistry.FieldType t = f.fieldType;
        uint256 x = _rand(r, 10);
        if (t == IWorkRegistry.FieldType.Uint256) {
            v.word = bound(x, f.min, f.max == 0 ? type(uint256).max : f.max);
            if (f.required && v.word == 0) v.word = 1; // min == 0 here, and max is 0 or >= 1
        } else if (t == IWorkRegistry.FieldType.Address) {
            v.word = uint160(x);
        } else if (t == IWorkRegistry.FieldType.Bool) {
            v.word = x & 1;
        } else if (!_isDynamic(t)) {
            v.word = x; // Int256, Bytes32: any word
        } else {
            uint256 len = _rand(r, 11) % (f.maxLen + 1);
            if (f.required && len == 0) len = 1;
            if (t == IWorkRegistry.FieldType.Bytes32Array) {
                v.arr = new bytes32[](len);
                for (uint256 k; k < len; ++k) {
                    v.arr[k] = bytes32(_rand(r, 100 + k));
                }
            } else {
                v.blob = _randomBytes(r, len);
            }
            return v;
        }
        if (f.required && v.word == 0) v.word = 1;
    }

    function _randomBytes(uint256 r, uint256 len) internal pure returns (bytes memory b) {
        b = new bytes(len);
        for (uint256 k; k < len; ++k) {
            b[k] = bytes1(uint8(_rand(r, 1000 + k)));
        }
    }

    /// @dev `n` random fields (types drawn uniformly) with valid random values.
    function _randomSchema(uint256 seed, uint256 n)
        internal
        pure
        returns (IWorkRegistry.Field[] memory fields, Value[] memory values)
    {
        fields = new IWorkRegistry.Field[](n);
        values = new Value[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = _rand(seed, i);
            fields[i] = _randomField(r, IWorkRegistry.FieldType(r % 8));
            values[i] = _randomValue(r, fields[i]);
        }
    }

    function _registerRandom(uint256 seed, IWorkRegistry.Field[] memory fields) internal returns (bytes32) {
        return workRegistry.registerSchema(
            string.concat("fuzz-", vm.toString(seed)), fields, _immediate(), address(0)
        );
    }
}
