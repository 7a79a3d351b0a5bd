// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";
import {HalfLifeMath} from "../../contracts/libraries/HalfLifeMath.sol";
import {SchemaData} from "../../contracts/libraries/SchemaData.sol";
import {WorkHouse} from "../../contracts/libraries/WorkHouse.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Symbolic checks (Halmos, `tools/halmos.sh`) of the pure libraries. Every
/// `check_` function is proved for ALL values of its arguments (paths that revert
/// inside the check itself are assumptions, not failures). `forge test` ignores them:
/// forge only runs `test` functions. See docs/security.md, "Symbolic checks".

/// @dev Exposes the library functions as external calls, so a check can see whether
/// they revert.
contract SchemaDataHarness {
    SchemaData.Layout internal _layout;

    function describe(IWorkRegistry.Field calldata f, uint256 i)
        external
        pure
        returns (uint256 descriptor, bool bounded)
    {
        return SchemaData.describe(f, i);
    }

    function setBounds(uint256 i, uint256 min, uint256 max) external {
        _layout.bounds[i] = SchemaData.Bounds(min, max);
    }

    function field(uint256 descriptor, uint256 i) external view returns (IWorkRegistry.Field memory) {
        return SchemaData.field(descriptor, _layout, i);
    }

    function validate(bytes calldata data, uint256 fieldCount, uint256 inlineDescriptors) external view {
        SchemaData.validate(data, fieldCount, inlineDescriptors, _layout);
    }
}

contract SchemaDataSymbolic {
    uint256 internal constant _REQUIRED = 0x08;
    uint256 internal constant _BOUNDED = 0x10;
    uint256 internal constant _STRING = uint256(IWorkRegistry.FieldType.String);
    uint256 internal constant _ARRAY = uint256(IWorkRegistry.FieldType.Bytes32Array);

    SchemaDataHarness internal h = new SchemaDataHarness();

    /// `describe` accepts a field's five raw ABI words exactly when they are a valid
    /// field, and its 40-bit descriptor holds the type, `required`, `bounded` and
    /// `maxLen`; `field` reads the same values back.
    function check_describeExact(uint256 t, uint256 required, uint256 min, uint256 max, uint256 maxLen)
        external
    {
        (bool ok, bytes memory ret) =
            address(h).call(abi.encodeWithSelector(h.describe.selector, t, required, min, max, maxLen, 0));
        bool valid = t <= _ARRAY && required <= 1
            && (t == 0 ? (max == 0 || min <= max) : (min == 0 && max == 0))
            && (t >= _STRING ? (maxLen != 0 && maxLen <= type(uint32).max) : maxLen == 0);
        assert(ok == valid);
        if (!ok) return;
        (uint256 d, bool bounded) = abi.decode(ret, (uint256, bool));
        assert(d >> 40 == 0);
        assert(d & 7 == t);
        assert((d & _REQUIRED != 0) == (required == 1));
        assert(bounded == (t == 0 && (min != 0 || max != 0)));
        assert((d & _BOUNDED != 0) == bounded);
        assert(d >> 8 == maxLen);
        IWorkRegistry.Field memory back = h.field(d, 0);
        assert(uint256(back.fieldType) == t && back.required == (required == 1) && back.maxLen == maxLen);
    }

    /// One `Uint256` field, any bounds and `required`, any word: `validate` accepts
    /// exactly the words inside the bounds (max 0: no upper bound) that are non-zero
    /// when required.
    function check_validateUintBounds(uint256 word, uint256 min, uint256 max, bool required) external {
        h.setBounds(0, min, max);
        bool bounded = min != 0 || max != 0;
        uint256 d = (required ? _REQUIRED : 0) | (bounded ? _BOUNDED : 0);
        (bool ok,) = address(h).call(abi.encodeCall(h.validate, (abi.encode(word), 1, d)));
        bool valid = (word != 0 || !required) && (!bounded || (word >= min && (max == 0 || word <= max)));
        assert(ok == valid);
    }

    /// One `Address` or `Bool` field: a dirty word (high bits set) is refused.
    function check_validateCleanWords(uint256 word, bool isBool) external view {
        uint256 t = isBool ? uint256(IWorkRegistry.FieldType.Bool) : uint256(IWorkRegistry.FieldType.Address);
        (bool ok,) = address(h).staticcall(abi.encodeCall(h.validate, (abi.encode(word), 1, t)));
        assert(ok == (isBool ? word <= 1 : word >> 160 == 0));
    }

    /// One static field, data of any length: only exactly 32 bytes can pass.
    function check_validateStaticLength(bytes calldata data) external view {
        (bool ok,) = address(h).staticcall(abi.encodeCall(h.validate, (data, 1, 0)));
        assert(!ok || data.length == 32);
    }

    /// One `String`/`Bytes` field with any `maxLen` and `required`; data is a head word,
    /// a length word and one content word (96 bytes). Accepted exactly when the head
    /// points right after itself (32), the length is 1..32 (the tail is one word),
    /// within `maxLen`, non-zero when required, and the unused bytes are zero. Lengths
    /// outside 1..32 here; each length in 1..32 below.
    function check_validateStringTail(
        uint256 offset,
        uint256 len,
        uint256 content,
        uint32 maxLen,
        bool required,
        bool isBytes
    ) external view {
        if (len >= 1 && len <= 32) return;
        assert(!_stringAccepted(offset, len, content, maxLen, required, isBytes));
    }

    /// Lengths 1 (one byte, 31 of padding), 17, 31 and 32 (no padding), each for any
    /// head, content, `maxLen` and `required`.
    function check_validateStringTailLen1(uint256 o, uint256 c, uint32 m, bool r, bool b) external view {
        _checkOneWord(1, o, c, m, r, b);
    }

    function check_validateStringTailLen17(uint256 o, uint256 c, uint32 m, bool r, bool b) external view {
        _checkOneWord(17, o, c, m, r, b);
    }

    function check_validateStringTailLen31(uint256 o, uint256 c, uint32 m, bool r, bool b) external view {
        _checkOneWord(31, o, c, m, r, b);
    }

    function check_validateStringTailLen32(uint256 o, uint256 c, uint32 m, bool r, bool b) external view {
        _checkOneWord(32, o, c, m, r, b);
    }

    function _checkOneWord(
        uint256 len,
        uint256 offset,
        uint256 content,
        uint32 maxLen,
        bool required,
        bool isBytes
    ) internal view {
        uint256 rem = len % 32;
        bool valid = offset == 32 && len <= maxLen && (rem == 0 || content << (rem * 8) == 0);
        assert(_stringAccepted(offset, len, content, maxLen, required, isBytes) == valid);
    }

    function _stringAccepted(
        uint256 offset,
        uint256 len,
        uint256 content,
        uint32 maxLen,
        bool required,
        bool isBytes
    ) internal view returns (bool ok) {
        uint256 t = isBytes ? uint256(IWorkRegistry.FieldType.Bytes) : _STRING;
        uint256 d = t | (required ? _REQUIRED : 0) | (uint256(maxLen) << 8);
        (ok,) = address(h).staticcall(abi.encodeCall(h.validate, (abi.encode(offset, len, content), 1, d)));
    }

    /// One `Bytes32Array` field, data of any length: accepted data is a head of 32, a
    /// length word n <= maxLen and exactly n words.
    function check_validateArrayLength(bytes calldata data, uint32 maxLen) external view {
        uint256 d = _ARRAY | (uint256(maxLen) << 8);
        (bool ok,) = address(h).staticcall(abi.encodeCall(h.validate, (data, 1, d)));
        if (!ok) return;
        assert(data.length >= 64);
        uint256 n = uint256(bytes32(data[32:64]));
        assert(uint256(bytes32(data[0:32])) == 32);
        assert(n <= maxLen && data.length == 64 + 32 * n);
    }
}

contract MathSymbolic {
    /// WorkHouse's limits agree: the largest seed's power is exactly MAX_TOTAL_POWER.
    function check_seedLimitsAgree() external pure {
        assert(Math.sqrt(WorkHouse.MAX_SEED_POINTS) == WorkHouse.MAX_TOTAL_POWER);
        assert(Math.sqrt(WorkHouse.MAX_SEED_POINTS + 1) > WorkHouse.MAX_TOTAL_POWER);
    }
}

contract HalfLifeMathSymbolic {
    uint256 internal constant ONE = HalfLifeMath.ONE;

    /// A whole number n of half-lives (any n) decays to exactly 2^(-n): both roundings
    /// give ONE >> n, and past 128 half-lives they give 0 and 1.
    function check_fromClockWholeHalfLives(uint256 n) external pure {
        if (n >= 1 << 200) return;
        uint256 down = HalfLifeMath.fromClock(n << 19, false);
        uint256 up = HalfLifeMath.fromClock(n << 19, true);
        if (n > 128) {
            assert(down == 0 && up == 1);
        } else {
            assert(down == ONE >> n && up == ONE >> n);
        }
    }

    /// Conviction's decay bounds, for any number n of whole half-lives and any of the
    /// fractions formed by the top three and the lowest bit of the 19-bit fraction:
    /// down <= up <= ONE, up - down <= ceil(TABLE_ERROR / 2^n) + 1, and one more
    /// half-life halves the lower bound (rounded down).
    function check_fromClockBounds(uint256 n, uint8 bits) external pure {
        if (n >= 1 << 200) return;
        uint256 f = (uint256(bits & 7) << 16) | (uint256(bits >> 3) & 1);
        uint256 units = (n << 19) | f;
        uint256 down = HalfLifeMath.fromClock(units, false);
        uint256 up = HalfLifeMath.fromClock(units, true);
        assert(down <= up && up <= ONE);
        uint256 slack = n >= 8 ? 1 : (HalfLifeMath.TABLE_ERROR + (1 << n) - 1) >> n;
        assert(up - down <= slack + 1);
        if (n < 1 << 199) assert(HalfLifeMath.fromClock(units + (1 << 19), false) == down >> 1);
    }
}
