// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IWorkRegistry} from "../interfaces/IWorkRegistry.sol";

/// @title SchemaData — the WorkRegistry's packed field descriptors and its on-chain
/// canonical-ABI validator
/// @notice A schema field is stored as a 40-bit descriptor; `validate` checks that packet
/// data is exactly the canonical ABI encoding of the schema's field tuple and that each
/// value keeps its field's rules, reverting with the {IWorkRegistry} error that names the
/// field and the facts.
/// @dev Descriptor layout (40 bits): bits 0-2 the {IWorkRegistry.FieldType}, bit 3
/// `required`, bit 4 `bounded` (a `Uint256` field with a non-zero `min` or `max`; its
/// bounds then live in `Layout.bounds`), bits 8-39 `maxLen`.
/// The first {INLINE_FIELDS} descriptors live inline in the schema's header word (bits
/// `40 * i`); descriptor `i >= INLINE_FIELDS` lives in `Layout.descriptors[w]`,
/// `w = (i - INLINE_FIELDS) / WORD_FIELDS`, at bits `40 * ((i - INLINE_FIELDS) % WORD_FIELDS)`.
library SchemaData {
    /// @notice The `[min, max]` of a bounded `Uint256` field (`max` 0: no upper bound).
    struct Bounds {
        uint256 min;
        uint256 max;
    }

    /// @notice Where a schema keeps what does not fit in its header word.
    /// @param descriptors Descriptor words for fields beyond the inline ones.
    /// @param bounds Bounds of the bounded `Uint256` fields, by field index.
    struct Layout {
        mapping(uint256 word => uint256) descriptors;
        mapping(uint256 field => Bounds) bounds;
    }

    /// @dev Bits per descriptor.
    uint256 internal constant DESCRIPTOR_BITS = 40;
    /// @dev Descriptors that fit in the header word (5 * 40 = 200 bits).
    uint256 internal constant INLINE_FIELDS = 5;
    /// @dev Descriptors per overflow word (6 * 40 = 240 bits).
    uint256 internal constant WORD_FIELDS = 6;
    /// @dev Largest `maxLen` a descriptor can hold.
    uint256 internal constant MAX_LEN_LIMIT = type(uint32).max;

    uint256 private constant _DESCRIPTOR_MASK = type(uint40).max; // DESCRIPTOR_BITS ones
    uint256 private constant _TYPE_MASK = 0x07;
    uint256 private constant _REQUIRED = 0x08;
    uint256 private constant _BOUNDED = 0x10;
    uint256 private constant _MAX_LEN_SHIFT = 8;
    uint256 private constant _FIRST_DYNAMIC = uint256(IWorkRegistry.FieldType.String);

    // ------------------------------------------------------------------
    // Descriptors
    // ------------------------------------------------------------------

    /// @notice Check `f` (field number `i` of a schema being registered) and pack it.
    /// @dev Reads the five raw words of `f`; a `fieldType` beyond the enum or a
    /// `required` other than 0 or 1 is not a canonical encoding and reverts.
    /// @return descriptor The 40-bit descriptor.
    /// @return bounded Whether `f`'s bounds must be stored in `Layout.bounds`.
    function describe(IWorkRegistry.Field calldata f, uint256 i)
        internal
        pure
        returns (uint256 descriptor, bool bounded)
    {
        uint256 t;
        uint256 required;
        uint256 min;
        uint256 max;
        uint256 maxLen;
        // Assembly: reading the five members through Solidity's calldata struct accessors
        // costs about 450 gas more per field (measured: registerSchema of three fields,
        // 118,976 -> 117,581 gas per transaction).
        assembly ("memory-safe") {
            // `f` is the calldata offset of a static struct: its five members are the
            // five consecutive words from there.
            t := calldataload(f) // fieldType
            required := calldataload(add(f, 0x20)) // required
            min := calldataload(add(f, 0x40)) // min
            max := calldataload(add(f, 0x60)) // max
            maxLen := calldataload(add(f, 0x80)) // maxLen
        }
        if (t > uint256(type(IWorkRegistry.FieldType).max) || required > 1) {
            revert IWorkRegistry.WorkRegistryNonCanonicalDefinition();
        }
        if (t == uint256(IWorkRegistry.FieldType.Uint256)) {
            if (max != 0 && min > max) revert IWorkRegistry.WorkRegistryInvalidBounds(i, min, max);
            bounded = min != 0 || max != 0;
        } else if (min != 0 || max != 0) {
            revert IWorkRegistry.WorkRegistryBoundsNotAllowed(i, IWorkRegistry.FieldType(t));
        }
        if (t >= _FIRST_DYNAMIC) {
            if (maxLen == 0 || maxLen > MAX_LEN_LIMIT) {
                revert IWorkRegistry.WorkRegistryInvalidMaxLen(i, maxLen, MAX_LEN_LIMIT);
            }
        } else if (maxLen != 0) {
            revert IWorkRegistry.WorkRegistryMaxLenNotAllowed(i, IWorkRegistry.FieldType(t));
        }
        descriptor =
            t | (required == 0 ? 0 : _REQUIRED) | (bounded ? _BOUNDED : 0) | (maxLen << _MAX_LEN_SHIFT);
    }

    /// @notice Descriptor `i` of a schema whose header holds `inlineDescriptors` and whose other
    /// descriptors are in `layout`.
    function descriptorAt(uint256 inlineDescriptors, Layout storage layout, uint256 i)
        internal
        view
        returns (uint256)
    {
        if (i < INLINE_FIELDS) return (inlineDescriptors >> (DESCRIPTOR_BITS * i)) & _DESCRIPTOR_MASK;
        i -= INLINE_FIELDS;
        return
            (layout.descriptors[i / WORD_FIELDS] >> (DESCRIPTOR_BITS * (i % WORD_FIELDS))) & _DESCRIPTOR_MASK;
    }

    /// @notice Rebuild field `i` from its descriptor (and stored bounds).
    function field(uint256 descriptor, Layout storage layout, uint256 i)
        internal
        view
        returns (IWorkRegistry.Field memory f)
    {
        f.fieldType = IWorkRegistry.FieldType(descriptor & _TYPE_MASK);
        f.required = descriptor & _REQUIRED != 0;
        f.maxLen = descriptor >> _MAX_LEN_SHIFT;
        if (descriptor & _BOUNDED != 0) {
            Bounds storage b = layout.bounds[i];
            (f.min, f.max) = (b.min, b.max);
        }
    }

    /// @notice Whether `t` is encoded as an offset to a tail.
    function isDynamic(IWorkRegistry.FieldType t) internal pure returns (bool) {
        return t >= IWorkRegistry.FieldType.String;
    }

    // ------------------------------------------------------------------
    // Validation
    // ------------------------------------------------------------------

    /// @notice Revert unless `data` is the canonical ABI encoding of a tuple of
    /// `fieldCount` fields described by `inlineDescriptors` and `layout` that keeps every field's rules.
    /// @dev One pass, in field order: the head word of field `i` is at `32 * i`; the tail
    /// of each dynamic field starts where the previous tail ended (the canonical offset,
    /// beginning right after the head). Every read is preceded by a length check, so a
    /// short `data` reverts with {IWorkRegistry.WorkRegistryDataLength}, never out of bounds.
    function validate(
        bytes calldata data,
        uint256 fieldCount,
        uint256 inlineDescriptors,
        Layout storage layout
    ) internal view {
        uint256 length = data.length;
        uint256 expected = fieldCount * 32;
        if (length < expected) revert IWorkRegistry.WorkRegistryDataLength(length, expected);

        // Stream the descriptors: shift the current word right after each field and
        // load the next overflow word when the current one is used up.
        uint256 descriptors = inlineDescriptors;
        for (uint256 i; i < fieldCount; ++i) {
            if (i >= INLINE_FIELDS && (i - INLINE_FIELDS) % WORD_FIELDS == 0) {
                descriptors = layout.descriptors[(i - INLINE_FIELDS) / WORD_FIELDS];
            }
            uint256 d = descriptors & _DESCRIPTOR_MASK;
            descriptors >>= DESCRIPTOR_BITS;
            uint256 word = _word(data, i * 32);
            if (d & _TYPE_MASK >= _FIRST_DYNAMIC) {
                // The head word must point exactly where this tail has to start.
                if (word != expected) revert IWorkRegistry.WorkRegistryBadOffset(i, word, expected);
                expected = _checkTail(data, i, d, expected);
            } else {
                _checkWord(i, d, word, layout);
            }
        }
        if (length != expected) revert IWorkRegistry.WorkRegistryDataLength(length, expected);
    }

    /// @dev Static field `i` (descriptor `d`) holds `word`: clean word, `required`, bounds.
    function _checkWord(uint256 i, uint256 d, uint256 word, Layout storage layout) private view {
        IWorkRegistry.FieldType t = IWorkRegistry.FieldType(d & _TYPE_MASK);
        if (t == IWorkRegistry.FieldType.Address) {
            if (word >> 160 != 0) revert IWorkRegistry.WorkRegistryDirtyWord(i, bytes32(word));
        } else if (t == IWorkRegistry.FieldType.Bool) {
            if (word > 1) revert IWorkRegistry.WorkRegistryDirtyWord(i, bytes32(word));
        }
        if (word == 0 && d & _REQUIRED != 0) revert IWorkRegistry.WorkRegistryFieldRequired(i);
        if (d & _BOUNDED != 0) {
            Bounds storage b = layout.bounds[i];
            (uint256 min, uint256 max) = (b.min, b.max);
            if (word < min || (max != 0 && word > max)) {
                revert IWorkRegistry.WorkRegistryFieldOutOfRange(i, word, min, max);
            }
        }
    }

    /// @dev The tail of dynamic field `i` (descriptor `d`) starts at `start`: length word,
    /// `maxLen`, `required`, content present, zero padding.
    /// @return end Where the tail ends: the next tail's canonical offset.
    function _checkTail(bytes calldata data, uint256 i, uint256 d, uint256 start)
        private
        pure
        returns (uint256 end)
    {
        uint256 length = data.length;
        if (length < start + 32) revert IWorkRegistry.WorkRegistryDataLength(length, start + 32);
        uint256 len = _word(data, start);
        uint256 maxLen = d >> _MAX_LEN_SHIFT;
        if (len > maxLen) revert IWorkRegistry.WorkRegistryFieldTooLong(i, len, maxLen);
        if (len == 0 && d & _REQUIRED != 0) revert IWorkRegistry.WorkRegistryFieldRequired(i);

        // len <= maxLen < 2^32: nothing below can overflow.
        bool isArray = IWorkRegistry.FieldType(d & _TYPE_MASK) == IWorkRegistry.FieldType.Bytes32Array;
        end = start + 32 + (isArray ? len * 32 : (len + 31) & ~uint256(31));
        if (length < end) revert IWorkRegistry.WorkRegistryDataLength(length, end);
        uint256 rem = len & 31;
        if (!isArray && rem != 0) {
            // The last word holds `rem` content bytes on the left; the rest must be zero.
            if (_word(data, end - 32) << (rem * 8) != 0) revert IWorkRegistry.WorkRegistryBadPadding(i);
        }
    }

    /// @dev The 32-byte word of `data` at byte `offset`; the caller has checked that
    /// `offset + 32 <= data.length`. Assembly: a checked calldata slice and its bytes32
    /// conversion cost about 300 gas per read, `calldataload` 3; the validator reads up to
    /// two words per field (measured, with the descriptor streaming above: `validate` of
    /// the three-field packet 4,893 -> 2,778 gas).
    function _word(bytes calldata data, uint256 offset) private pure returns (uint256 w) {
        assembly ("memory-safe") {
            // Load 32 bytes of calldata starting `offset` bytes into `data`.
            w := calldataload(add(data.offset, offset))
        }
    }
}
