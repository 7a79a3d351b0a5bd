// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";

/// @notice The on-chain canonical-ABI check against solc's own encoder: for random
/// schemas (random types, flags, bounds, lengths) and random values, `abi.encode`'s
/// output is accepted; and each kind of mutation of it is rejected with its own error.
/// Every mutation hits one `target` field; the fields before it are valid, so the
/// error must name the target.
contract WorkRegistryEncodingTest is WorkRegistryBase {
    uint256 internal constant MAX_FUZZ_FIELDS = 8;

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    /// @dev A random schema of 1..8 fields whose field `target` has type `t` (and is
    /// regenerated with fresh flags), with valid values for every field.
    function _case(uint256 seed, uint256 n, uint256 target, IWorkRegistry.FieldType t)
        internal
        pure
        returns (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k)
    {
        n = bound(n, 1, MAX_FUZZ_FIELDS);
        k = target % n;
        (fields, values) = _randomSchema(seed, n);
        uint256 r = _rand(seed, 999);
        fields[k] = _randomField(r, t);
        values[k] = _randomValue(r, fields[k]);
    }

    function _expectSubmitReverts(bytes32 id, bytes memory data, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(contributor);
        workRegistry.submit(id, HASH, data);
    }

    function _word(bytes memory b, uint256 at) internal pure returns (uint256 w) {
        assembly {
            w := mload(add(add(b, 0x20), at))
        }
    }

    function _setWord(bytes memory b, uint256 at, uint256 w) internal pure {
        assembly {
            mstore(add(add(b, 0x20), at), w)
        }
    }

    function _dynamicType(uint256 r) internal pure returns (IWorkRegistry.FieldType) {
        return IWorkRegistry.FieldType(5 + r % 3);
    }

    // ------------------------------------------------------------------
    // The reference encoder is solc's encoder
    // ------------------------------------------------------------------

    function testFuzz_encode_matchesAbiEncode(
        uint256 a,
        int256 b,
        address c,
        bool d,
        bytes32 e,
        string memory s,
        bytes memory f,
        bytes32[] memory g
    ) public pure {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](8);
        Value[] memory values = new Value[](8);
        for (uint256 i; i < 8; ++i) {
            fields[i].fieldType = IWorkRegistry.FieldType(i);
        }
        values[0].word = a;
        values[1].word = uint256(b);
        values[2].word = uint160(c);
        values[3].word = d ? 1 : 0;
        values[4].word = uint256(e);
        values[5].blob = bytes(s);
        values[6].blob = f;
        values[7].arr = g;
        vm.assertEq(_encode(fields, values), abi.encode(a, b, c, d, e, s, f, g));
    }

    function testFuzz_encode_matchesAbiEncodeReordered(
        bytes memory x,
        uint256 y,
        bytes32[] memory z,
        string memory w
    ) public pure {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](4);
        fields[0].fieldType = IWorkRegistry.FieldType.Bytes;
        fields[1].fieldType = IWorkRegistry.FieldType.Uint256;
        fields[2].fieldType = IWorkRegistry.FieldType.Bytes32Array;
        fields[3].fieldType = IWorkRegistry.FieldType.String;
        Value[] memory values = new Value[](4);
        values[0].blob = x;
        values[1].word = y;
        values[2].arr = z;
        values[3].blob = bytes(w);
        vm.assertEq(_encode(fields, values), abi.encode(x, y, z, w));
    }

    // ------------------------------------------------------------------
    // Canonical data is accepted
    // ------------------------------------------------------------------

    function testFuzz_submit_acceptsCanonicalEncoding(uint256 seed, uint256 n) public {
        n = bound(n, 0, MAX_FUZZ_FIELDS);
        (IWorkRegistry.Field[] memory fields, Value[] memory values) = _randomSchema(seed, n);
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.PacketSubmitted(1, id, contributor, HASH, data);
        vm.prank(contributor);
        vm.assertEq(workRegistry.submit(id, HASH, data), 1);
    }

    function testFuzz_submit_acceptsAbiEncodeOfEveryType(
        uint256 a,
        int256 b,
        address c,
        bool d,
        bytes32 e,
        string memory s,
        bytes memory f,
        bytes32[] memory g
    ) public {
        vm.assume(bytes(s).length <= 200 && f.length <= 200 && g.length <= 20);
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](8);
        for (uint256 i; i < 8; ++i) {
            fields[i].fieldType = IWorkRegistry.FieldType(i);
            if (i >= 5) fields[i].maxLen = 200;
        }
        bytes32 id = workRegistry.registerSchema("all types", fields, _immediate(), address(0));
        vm.prank(contributor);
        workRegistry.submit(id, HASH, abi.encode(a, b, c, d, e, s, f, g));
    }

    // ------------------------------------------------------------------
    // Each mutation is rejected with its own error
    // ------------------------------------------------------------------

    function testFuzz_RevertWhen_truncated(uint256 seed, uint256 n, uint256 cut) public {
        (IWorkRegistry.Field[] memory fields, Value[] memory values) =
            _randomSchema(seed, bound(n, 1, MAX_FUZZ_FIELDS));
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        cut = bound(cut, 1, data.length);
        assembly {
            mstore(data, sub(mload(data), cut))
        }
        vm.expectPartialRevert(IWorkRegistry.WorkRegistryDataLength.selector);
        vm.prank(contributor);
        workRegistry.submit(id, HASH, data);
    }

    function testFuzz_RevertWhen_trailingBytes(uint256 seed, uint256 n, uint256 extra) public {
        (IWorkRegistry.Field[] memory fields, Value[] memory values) =
            _randomSchema(seed, bound(n, 0, MAX_FUZZ_FIELDS));
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        extra = bound(extra, 1, 64);
        bytes memory longer = bytes.concat(data, _randomBytes(seed, extra));
        _expectSubmitReverts(
            id,
            longer,
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryDataLength.selector, data.length + extra, data.length
            )
        );
    }

    function testFuzz_RevertWhen_offsetNotCanonical(uint256 seed, uint256 n, uint256 target, uint256 bad)
        public
    {
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) =
            _case(seed, n, target, _dynamicType(seed));
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        uint256 expected = _word(data, 32 * k);
        vm.assume(bad != expected);
        _setWord(data, 32 * k, bad);
        _expectSubmitReverts(
            id, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryBadOffset.selector, k, bad, expected)
        );
    }

    function testFuzz_RevertWhen_addressDirty(uint256 seed, uint256 n, uint256 target, uint256 dirt) public {
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) =
            _case(seed, n, target, IWorkRegistry.FieldType.Address);
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        uint256 word = _word(data, 32 * k) | (bound(dirt, 1, type(uint96).max) << 160);
        _setWord(data, 32 * k, word);
        _expectSubmitReverts(
            id, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryDirtyWord.selector, k, bytes32(word))
        );
    }

    function testFuzz_RevertWhen_boolDirty(uint256 seed, uint256 n, uint256 target, uint256 word) public {
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) =
            _case(seed, n, target, IWorkRegistry.FieldType.Bool);
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        word = bound(word, 2, type(uint256).max);
        _setWord(data, 32 * k, word);
        _expectSubmitReverts(
            id, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryDirtyWord.selector, k, bytes32(word))
        );
    }

    function testFuzz_RevertWhen_dynamicTooLong(uint256 seed, uint256 n, uint256 target, uint256 over)
        public
    {
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) =
            _case(seed, n, target, _dynamicType(seed));
        bytes32 id = _registerRandom(seed, fields);
        uint256 len = fields[k].maxLen + bound(over, 1, 4);
        if (fields[k].fieldType == IWorkRegistry.FieldType.Bytes32Array) values[k].arr = new bytes32[](len);
        else values[k].blob = _randomBytes(seed, len);
        _expectSubmitReverts(
            id,
            _encode(fields, values),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldTooLong.selector, k, len, fields[k].maxLen)
        );
    }

    function testFuzz_RevertWhen_uintOutOfRange(
        uint256 seed,
        uint256 n,
        uint256 target,
        uint256 x,
        bool below
    ) public {
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) =
            _case(seed, n, target, IWorkRegistry.FieldType.Uint256);
        IWorkRegistry.Field memory f = fields[k];
        f.required = false;
        if (below) {
            f.min = bound(f.min, 1, type(uint256).max);
            if (f.max != 0 && f.max < f.min) f.max = f.min;
            values[k].word = bound(x, 0, f.min - 1);
        } else {
            f.max = bound(f.max, 1, type(uint256).max - 1);
            if (f.min > f.max) f.min = f.max;
            values[k].word = bound(x, f.max + 1, type(uint256).max);
        }
        bytes32 id = _registerRandom(seed, fields);
        _expectSubmitReverts(
            id,
            _encode(fields, values),
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryFieldOutOfRange.selector, k, values[k].word, f.min, f.max
            )
        );
    }

    function testFuzz_RevertWhen_requiredMissing(uint256 seed, uint256 n, uint256 target, uint8 t) public {
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) =
            _case(seed, n, target, IWorkRegistry.FieldType(t % 8));
        fields[k].required = true;
        values[k] = Value({word: 0, blob: "", arr: new bytes32[](0)});
        bytes32 id = _registerRandom(seed, fields);
        _expectSubmitReverts(
            id,
            _encode(fields, values),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFieldRequired.selector, k)
        );
    }

    function testFuzz_RevertWhen_paddingNotZero(uint256 seed, uint256 n, uint256 target, uint256 pos, uint8 b)
        public
    {
        IWorkRegistry.FieldType t =
            seed & 1 == 0 ? IWorkRegistry.FieldType.String : IWorkRegistry.FieldType.Bytes;
        (IWorkRegistry.Field[] memory fields, Value[] memory values, uint256 k) = _case(seed, n, target, t);
        // A length that leaves padding: 1..31 bytes (within maxLen).
        uint256 len = 1 + _rand(seed, 77) % (fields[k].maxLen < 31 ? fields[k].maxLen : 31);
        values[k].blob = _randomBytes(seed, len);
        bytes32 id = _registerRandom(seed, fields);
        bytes memory data = _encode(fields, values);
        uint256 content = _word(data, 32 * k) + 32;
        data[content + bound(pos, len, 31)] = bytes1(uint8(bound(b, 1, 255)));
        _expectSubmitReverts(
            id, data, abi.encodeWithSelector(IWorkRegistry.WorkRegistryBadPadding.selector, k)
        );
    }
}
