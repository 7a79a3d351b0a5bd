// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {IWorkRegistry} from "./interfaces/IWorkRegistry.sol";
import {IWorkValidator} from "./interfaces/IWorkValidator.sol";
import {ModuleKinds} from "./libraries/ModuleKinds.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {SchemaData} from "./libraries/SchemaData.sol";
import {WorkHouse} from "./libraries/WorkHouse.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title WorkRegistry — System 1
/// @notice See {IWorkRegistry}.
/// @dev Gas notes (measured per transaction, see docs/work-registry.md): a schema
/// costs three new storage slots (header by id, id by index, name) plus the counter;
/// a packet costs its two slots plus the counter. Everything else is kept off the
/// hot paths: schema parameters the constitution guarantees by its entrenched hard
/// bounds are not re-read. The packed records are written as whole structs in Solidity
/// (a raw SSTORE saved 0.4% of a registration and 0.8% of a submission, too little to
/// hide the writes from static analysers).
contract WorkRegistry is IWorkRegistry {
    using Checkpoints for Checkpoints.Trace208;

    // ------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------

    /// @inheritdoc IWorkRegistry
    uint256 public constant VALIDATOR_GAS_LIMIT = 100_000;
    /// @inheritdoc IWorkRegistry
    uint256 public constant MAX_ATTESTERS = 32;
    /// @inheritdoc IWorkRegistry
    uint256 public constant MAX_NAME_LENGTH = 512;
    /// @inheritdoc IWorkRegistry
    uint256 public constant MAX_TOTAL_POWER = WorkHouse.MAX_TOTAL_POWER;
    /// @inheritdoc IWorkRegistry
    uint256 public constant MAX_SEED_POINTS = WorkHouse.MAX_SEED_POINTS;
    /// @inheritdoc IWorkRegistry
    uint256 public constant MAX_GENERATIONS = WorkHouse.MAX_GENERATIONS;

    /// @dev Header flag: the schema is Attested (otherwise Immediate).
    uint256 private constant _ATTESTED = 1;
    /// @dev Header flag: the schema names a validator (kept in its `SchemaRule`).
    uint256 private constant _VALIDATED = 2;

    /// @inheritdoc IViableModule
    address public immutable constitution;
    /// @inheritdoc IViableModule
    bytes32 public constant moduleKind = ModuleKinds.WORK;
    /// @inheritdoc IWorkRegistry
    address public immutable predecessor;
    /// @inheritdoc IWorkRegistry
    uint256 public immutable generation;

    /// @dev The lower hard bounds of `work.maxFields` and `work.maxDataBytes`, fixed when
    /// the constitution was deployed: no amendment can ever set those parameters below
    /// them, so a schema or a packet within them needs no cross-contract read.
    uint256 private immutable _fieldsFloor;
    uint256 private immutable _dataBytesFloor;

    // ------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------

    /// @dev What `submit` needs from a schema, in ONE slot keyed by schema id:
    /// descriptors of fields 0-4 (bits 0-199), field count (200-207), flags (208-215),
    /// the schema's 1-based index (216-247; zero: no such schema). Stored as the packed
    /// word (`_headers`), written once by a plain Solidity assignment: a struct
    /// assignment would read the slot back first (measured: 519 gas more per
    /// registration on anvil, past the 116,000 target), and raw assembly would hide the
    /// write from static analysers. Read through `_header`.
    struct SchemaHeader {
        uint200 descriptors;
        uint8 fieldCount;
        uint8 flags;
        uint32 index;
    }

    /// @dev Acceptance rule and validator in ONE slot (208 bits), written only for an
    /// Attested or validated schema.
    struct SchemaRule {
        address validator;
        uint8 quorum;
        uint8 attesterCount;
        uint32 window;
    }

    /// @dev The rest of a schema, keyed by its compact index so that a packet (which
    /// stores only the index) reaches it in one hop. Slot 0: the id; slot 1: the rule;
    /// slot 2: the name (one slot up to 31 bytes); then mappings.
    struct SchemaStore {
        bytes32 id;
        SchemaRule rule;
        string name;
        SchemaData.Layout layout;
        mapping(uint256 position => address) attesters;
        mapping(address attester => uint256) positions;
    }

    /// @dev A packet in TWO slots. Slot 0: contributor (bits 0-159), schema index
    /// (160-191), status (192-199), submittedAt (200-247). Slot 1: the content hash.
    /// The data lives only in the `PacketSubmitted` event; attestations in `_attested`.
    struct PacketRecord {
        address contributor;
        uint32 schemaIndex;
        Status status;
        uint48 submittedAt;
        bytes32 contentHash;
    }

    mapping(bytes32 schemaId => uint256 header) private _headers;
    mapping(uint256 index => SchemaStore) private _schemas;
    uint256 private _schemaCount;

    mapping(uint256 packetId => PacketRecord) private _packets;
    /// @dev Bit `p - 1` is set once the attester at position `p` of the schema attested.
    mapping(uint256 packetId => uint256 bitmap) private _attested;
    uint256 private _packetCount;

    /// @dev Points and power recorded here. A contributor of the predecessor has no
    /// entry until its first credit here, which carries its points over; until then
    /// `_points` is 0 and reads go to the predecessor (points only grow, so 0 means
    /// "not here yet"). Power checkpoints are written when the integer root moves.
    mapping(address account => uint256) private _points;
    mapping(address account => Checkpoints.Trace208) private _power;
    /// @dev The power credited here, on top of the predecessor's total (for the first
    /// registry of a deployment, the whole total).
    Checkpoints.Trace208 private _totalPower;

    // ------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------

    /// @notice The one way a registry is built, first or successor alike: it continues
    /// the Work House of the constitution's Work module at this moment (none before
    /// the bootstrap).
    /// @param constitution_ The LegitimacyConstitution this registry answers to.
    constructor(address constitution_) {
        if (constitution_.code.length == 0) revert WorkRegistryInvalidConstitution(constitution_);
        constitution = constitution_;
        ILegitimacyConstitution c = ILegitimacyConstitution(constitution_);
        // slither-disable-next-line unused-return (the value left out is not needed)
        (_fieldsFloor,) = c.paramBounds(ParamKeys.WORK_MAX_FIELDS);
        // slither-disable-next-line unused-return (the value left out is not needed)
        (_dataBytesFloor,) = c.paramBounds(ParamKeys.WORK_MAX_DATA_BYTES);
        address previous = c.module(ILegitimacyConstitution.Module.Work);
        // slither-disable-next-line uninitialized-local (starts at zero on purpose)
        uint256 gen;
        if (previous != address(0)) {
            gen = IWorkRegistry(previous).generation() + 1;
            if (gen >= MAX_GENERATIONS) revert WorkRegistryTooManyGenerations(gen, MAX_GENERATIONS - 1);
        }
        predecessor = previous;
        generation = gen;
    }

    // ------------------------------------------------------------------
    // External state-changing
    // ------------------------------------------------------------------

    /// @inheritdoc IWorkRegistry
    function registerSchema(
        string calldata name,
        Field[] calldata fields,
        Acceptance calldata acceptance,
        address validator
    ) external returns (bytes32 schemaId) {
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) {
            revert WorkRegistryInvalidName(nameLength, MAX_NAME_LENGTH);
        }
        uint256 fieldCount = fields.length;
        if (fieldCount > _fieldsFloor) {
            uint256 maxFields = _param(ParamKeys.WORK_MAX_FIELDS);
            if (fieldCount > maxFields) revert WorkRegistryTooManyFields(fieldCount, maxFields);
        }
        // The id commits to abi.encode(name, fields, acceptance, validator). Canonical
        // calldata is exactly those bytes, so hash (and log) it instead of re-encoding.
        bytes memory definition = _canonicalDefinition();
        schemaId = keccak256(definition);
        if (_headers[schemaId] != 0) revert WorkRegistrySchemaExists(schemaId);

        uint256 index = ++_schemaCount;
        SchemaStore storage s = _schemas[index];
        s.id = schemaId;
        s.name = name;
        uint256 descriptors = _storeFields(s, fields);
        uint256 flags = _storeAcceptance(s, acceptance, validator);
        // The layout of `SchemaHeader`: descriptors (< 2^200) | count (<= 64) | flags (< 4) | index.
        _headers[schemaId] =
            descriptors | (fieldCount << 200) | (flags << 208) | (uint256(SafeCast.toUint32(index)) << 216);
        _emitSchemaRegistered(schemaId, definition);
    }

    /// @inheritdoc IWorkRegistry
    function submit(bytes32 schemaId, bytes32 contentHash, bytes calldata data)
        external
        returns (uint256 packetId)
    {
        SchemaHeader memory header = _header(schemaId);
        if (header.index == 0) revert WorkRegistryUnknownSchema(schemaId);
        if (contentHash == bytes32(0)) revert WorkRegistryZeroContentHash();
        if (data.length > _dataBytesFloor) {
            uint256 maxData = _param(ParamKeys.WORK_MAX_DATA_BYTES);
            if (data.length > maxData) revert WorkRegistryDataTooLarge(data.length, maxData);
        }

        SchemaStore storage s = _schemas[header.index];
        SchemaData.validate(data, header.fieldCount, header.descriptors, s.layout);
        if (header.flags & _VALIDATED != 0) _consultValidator(schemaId, s.rule.validator, contentHash, data);

        packetId = ++_packetCount;
        bool immediate = header.flags & _ATTESTED == 0;
        _packets[packetId] = PacketRecord({
            contributor: msg.sender,
            schemaIndex: header.index,
            status: immediate ? Status.Accepted : Status.Pending,
            submittedAt: clock(),
            contentHash: contentHash
        });
        emit PacketSubmitted(packetId, schemaId, msg.sender, contentHash, data);
        if (immediate) _accept(packetId, schemaId, msg.sender);
    }

    /// @inheritdoc IWorkRegistry
    function attest(uint256 packetId) external {
        PacketRecord storage p = _packets[packetId];
        Status status = p.status;
        if (status == Status.None) revert WorkRegistryUnknownPacket(packetId);
        SchemaStore storage s = _schemas[p.schemaIndex];
        uint256 position = s.positions[msg.sender];
        if (position == 0) revert WorkRegistryNotAttester(packetId, msg.sender);
        if (p.contributor == msg.sender) revert WorkRegistrySelfAttestation(packetId, msg.sender);
        if (status != Status.Pending) revert WorkRegistryWrongStatus(packetId, status);
        SchemaRule memory rule = s.rule;
        uint256 deadline = uint256(p.submittedAt) + rule.window;
        // forge-lint: disable-next-line(block-timestamp) windows are minutes to days; seconds of drift are moot
        if (block.timestamp > deadline) {
            revert WorkRegistryDeadlinePassed(packetId, deadline, block.timestamp);
        }

        uint256 bits = _attested[packetId];
        // forge-lint: disable-next-line(incorrect-shift) a one-bit mask at the attester's position
        uint256 bit = 1 << (position - 1);
        if (bits & bit != 0) revert WorkRegistryAlreadyAttested(packetId, msg.sender);
        bits |= bit;
        _attested[packetId] = bits;
        uint256 count = _popcount(bits);
        emit PacketAttested(packetId, msg.sender, count);

        if (count >= rule.quorum) {
            p.status = Status.Accepted;
            _accept(packetId, s.id, p.contributor);
        }
    }

    /// @inheritdoc IWorkRegistry
    function retract(uint256 packetId) external {
        PacketRecord storage p = _packets[packetId];
        Status status = p.status;
        if (status == Status.None) revert WorkRegistryUnknownPacket(packetId);
        if (p.contributor != msg.sender) revert WorkRegistryNotContributor(packetId, msg.sender);
        if (status != Status.Pending) revert WorkRegistryWrongStatus(packetId, status);
        // Past its deadline a pending packet's fate is settled: it can only expire.
        uint256 deadline = uint256(p.submittedAt) + _schemas[p.schemaIndex].rule.window;
        if (block.timestamp > deadline) {
            revert WorkRegistryDeadlinePassed(packetId, deadline, block.timestamp);
        }
        p.status = Status.Retracted;
        emit PacketRetracted(packetId);
    }

    /// @inheritdoc IWorkRegistry
    function expire(uint256 packetId) external {
        PacketRecord storage p = _packets[packetId];
        Status status = p.status;
        if (status == Status.None) revert WorkRegistryUnknownPacket(packetId);
        if (status != Status.Pending) revert WorkRegistryWrongStatus(packetId, status);
        uint256 deadline = uint256(p.submittedAt) + _schemas[p.schemaIndex].rule.window;
        // forge-lint: disable-next-line(block-timestamp) windows are minutes to days; seconds of drift are moot
        if (block.timestamp <= deadline) {
            revert WorkRegistryDeadlineNotReached(packetId, deadline, block.timestamp);
        }
        p.status = Status.Expired;
        emit PacketExpired(packetId);
    }

    /// @inheritdoc IWorkRegistry
    function seedContribution(address contributor, uint256 amount) external {
        if (msg.sender != constitution) revert WorkRegistryNotConstitution(msg.sender);
        if (ILegitimacyConstitution(constitution).bootstrapped()) revert WorkRegistrySeedingClosed();
        if (contributor == address(0) || amount == 0 || amount > MAX_SEED_POINTS) {
            revert WorkRegistryInvalidSeed(contributor, amount);
        }
        _credit(contributor, amount, 0, bytes32(0));
    }

    // ------------------------------------------------------------------
    // External views
    // ------------------------------------------------------------------

    /// @inheritdoc IWorkRegistry
    function schema(bytes32 schemaId) external view returns (Schema memory out) {
        SchemaHeader memory header = _header(schemaId);
        if (header.index == 0) revert WorkRegistryUnknownSchema(schemaId);
        SchemaStore storage s = _schemas[header.index];
        out.name = s.name;
        out.fields = new Field[](header.fieldCount);
        for (uint256 i; i < header.fieldCount; ++i) {
            out.fields[i] =
                SchemaData.field(SchemaData.descriptorAt(header.descriptors, s.layout, i), s.layout, i);
        }
        SchemaRule memory rule = s.rule;
        out.validator = rule.validator;
        if (header.flags & _ATTESTED != 0) {
            out.acceptance.mode = AcceptanceMode.Attested;
            out.acceptance.quorum = rule.quorum;
            out.acceptance.window = rule.window;
            out.acceptance.attesters = new address[](rule.attesterCount);
            for (uint256 i; i < rule.attesterCount; ++i) {
                out.acceptance.attesters[i] = s.attesters[i + 1];
            }
        }
    }

    /// @inheritdoc IWorkRegistry
    function schemaIdAt(uint256 index) external view returns (bytes32) {
        if (index == 0 || index > _schemaCount) revert WorkRegistryUnknownSchema(bytes32(0));
        return _schemas[index].id;
    }

    /// @inheritdoc IWorkRegistry
    function schemaCount() external view returns (uint256) {
        return _schemaCount;
    }

    /// @inheritdoc IWorkRegistry
    function packet(uint256 packetId) external view returns (Packet memory out) {
        PacketRecord memory p = _packets[packetId];
        // slither-disable-next-line incorrect-equality (a state, flag or sentinel: no balance)
        if (p.status == Status.None) revert WorkRegistryUnknownPacket(packetId);
        SchemaStore storage s = _schemas[p.schemaIndex];
        out.contributor = p.contributor;
        out.schemaId = s.id;
        out.status = p.status;
        out.submittedAt = p.submittedAt;
        if (_header(s.id).flags & _ATTESTED != 0) out.deadline = p.submittedAt + s.rule.window;
        out.attestations = _popcount(_attested[packetId]);
        out.contentHash = p.contentHash;
    }

    /// @inheritdoc IWorkRegistry
    function packetStatus(uint256 packetId) external view returns (address contributor, Status status) {
        PacketRecord storage p = _packets[packetId];
        // Both members sit in the record's first slot: one SLOAD.
        (contributor, status) = (p.contributor, p.status);
        if (status == Status.None) revert WorkRegistryUnknownPacket(packetId);
    }

    /// @inheritdoc IWorkRegistry
    function packetRef(uint256 packetId)
        external
        view
        returns (address contributor, bytes32 schemaId, Status status)
    {
        PacketRecord storage p = _packets[packetId];
        uint32 index;
        (contributor, index, status) = (p.contributor, p.schemaIndex, p.status);
        if (status == Status.None) revert WorkRegistryUnknownPacket(packetId);
        schemaId = _schemas[index].id;
    }

    /// @inheritdoc IWorkRegistry
    function packetCount() external view returns (uint256) {
        return _packetCount;
    }

    /// @inheritdoc IWorkRegistry
    function hasAttested(uint256 packetId, address attester) external view returns (bool) {
        PacketRecord storage p = _packets[packetId];
        if (p.status == Status.None) return false;
        uint256 position = _schemas[p.schemaIndex].positions[attester];
        // forge-lint: disable-next-line(incorrect-shift) a one-bit mask at the attester's position
        return position != 0 && _attested[packetId] & (1 << (position - 1)) != 0;
    }

    /// @inheritdoc IWorkRegistry
    function schemaAcceptance(bytes32 schemaId)
        external
        view
        returns (AcceptanceMode mode, address validator)
    {
        SchemaHeader memory header = _header(schemaId);
        if (header.index == 0) revert WorkRegistryUnknownSchema(schemaId);
        if (header.flags & _ATTESTED != 0) mode = AcceptanceMode.Attested;
        if (header.flags & _VALIDATED != 0) validator = _schemas[header.index].rule.validator;
    }

    /// @inheritdoc IWorkRegistry
    function points(address account) public view returns (uint256 p) {
        p = _points[account];
        if (p == 0 && predecessor != address(0)) p = IWorkRegistry(predecessor).points(account);
    }

    /// @inheritdoc IWorkRegistry
    function power(address account) external view returns (uint256 p) {
        p = _power[account].latest();
        if (p == 0 && predecessor != address(0)) p = IWorkRegistry(predecessor).power(account);
    }

    /// @inheritdoc IWorkRegistry
    function totalPower() public view returns (uint256 total) {
        total = _totalPower.latest();
        if (predecessor != address(0)) total += IWorkRegistry(predecessor).totalPower();
    }

    /// @inheritdoc IWorkRegistry
    /// @dev A zero here means no power recorded here by then: the predecessor's answer
    /// for the same second stands (a contributor's power, once non-zero, never drops).
    function getPastPower(address account, uint256 timepoint) external view returns (uint256 p) {
        p = _power[account].upperLookupRecent(_pastTimepoint(timepoint));
        if (p == 0 && predecessor != address(0)) {
            p = IWorkRegistry(predecessor).getPastPower(account, timepoint);
        }
    }

    /// @inheritdoc IWorkRegistry
    function getPastTotalPower(uint256 timepoint) external view returns (uint256 total) {
        total = _totalPower.upperLookupRecent(_pastTimepoint(timepoint));
        if (predecessor != address(0)) total += IWorkRegistry(predecessor).getPastTotalPower(timepoint);
    }

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return SafeCast.toUint48(block.timestamp);
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    /// @dev The four `registerSchema` arguments as they sit in calldata, after checking
    /// that they are encoded canonically, i.e. that these bytes are exactly
    /// `abi.encode(name, fields, acceptance, validator)`. Solidity has already decoded
    /// the arguments (every offset and length lies inside the calldata); canonical also
    /// needs each offset where the encoder puts it, no bytes after the last tail, and a
    /// zero-padded name and a valid acceptance mode. The remaining words are values that
    /// are checked where they are read: the validator address by the ABI decoder, the
    /// field words by {SchemaData.describe}, the attesters by their calldata accessor.
    function _canonicalDefinition() private pure returns (bytes memory definition) {
        bool canonical;
        // Assembly: re-encoding the arguments with `abi.encode` costs about 1,300 gas more
        // per registration (measured: 117,291 -> 116,022 gas per transaction) and the
        // checks below need raw word reads. Offsets are relative to the arguments' start
        // (calldata byte 4), as in the encoding.
        assembly ("memory-safe") {
            // The name's length word sits right after the four head words.
            let nameLength := calldataload(0x84)
            // Fields come after the name's length word and its zero-padded bytes.
            let fieldsAt := add(0xa0, and(add(nameLength, 31), not(31)))
            // The field count is the first word of the fields tail.
            let fieldCount := calldataload(add(4, fieldsAt))
            // The acceptance tuple follows the fields: five words per Field.
            let acceptanceAt := add(add(fieldsAt, 0x20), mul(fieldCount, 0xa0))
            // The attester count sits after the acceptance's four head words.
            let attesterCount := calldataload(add(4, add(acceptanceAt, 0x80)))
            // Head: the name at 0x80, the fields and the acceptance where computed above.
            // (Once these hold, the name and field counts are the ones the decoder bounded.)
            canonical := and(eq(calldataload(4), 0x80), eq(calldataload(0x24), fieldsAt))
            canonical := and(canonical, eq(calldataload(0x44), acceptanceAt))
            // The acceptance mode is a valid enum value (0 or 1).
            canonical := and(canonical, lt(calldataload(add(4, acceptanceAt)), 2))
            // Inside the acceptance tuple, the attesters array starts right after its head.
            canonical := and(canonical, eq(calldataload(add(4, add(acceptanceAt, 0x40))), 0x80))
            // The attester count is not yet bounded by the decoder: bound it so `end` cannot wrap.
            canonical := and(canonical, lt(attesterCount, calldatasize()))
            // Nothing follows the last attester.
            let end := add(add(acceptanceAt, 0xa0), mul(attesterCount, 0x20))
            canonical := and(canonical, eq(calldatasize(), add(4, end)))
            // Bytes of the name's last word beyond its length must be zero.
            let partial := and(nameLength, 31)
            // Shift the content bytes out of the last word; what remains is the padding.
            if partial {
                let last := calldataload(add(0xa4, and(nameLength, not(31))))
                canonical := and(canonical, iszero(shl(mul(partial, 8), last)))
            }
            // Only canonical calldata is copied: otherwise `end` may be garbage of any size.
            if canonical {
                // Copy the arguments into a fresh bytes array at the free memory pointer.
                definition := mload(0x40)
                // Its length: everything after the selector.
                mstore(definition, end)
                // Its content: the arguments, verbatim.
                calldatacopy(add(definition, 0x20), 4, end)
                // Move the free memory pointer past it (end is a multiple of 32).
                mstore(0x40, add(add(definition, 0x20), end))
            }
        }
        if (!canonical) revert WorkRegistryNonCanonicalDefinition();
    }

    /// @dev Check and pack every field. The first INLINE_FIELDS descriptors are returned
    /// for the header; the rest go to overflow words, each written once it is full (or
    /// the fields end). Bounds of bounded Uint256 fields are stored by field index.
    function _storeFields(SchemaStore storage s, Field[] calldata fields)
        private
        returns (uint256 inlineDescriptors)
    {
        uint256 fieldCount = fields.length;
        // slither-disable-next-line uninitialized-local (starts at zero on purpose)
        uint256 word;
        for (uint256 i; i < fieldCount; ++i) {
            (uint256 d, bool bounded) = SchemaData.describe(fields[i], i);
            if (bounded) s.layout.bounds[i] = SchemaData.Bounds({min: fields[i].min, max: fields[i].max});
            if (i < SchemaData.INLINE_FIELDS) {
                inlineDescriptors |= d << (SchemaData.DESCRIPTOR_BITS * i);
                continue;
            }
            uint256 j = i - SchemaData.INLINE_FIELDS;
            word |= d << (SchemaData.DESCRIPTOR_BITS * (j % SchemaData.WORD_FIELDS));
            if (j % SchemaData.WORD_FIELDS == SchemaData.WORD_FIELDS - 1 || i == fieldCount - 1) {
                s.layout.descriptors[j / SchemaData.WORD_FIELDS] = word;
                word = 0;
            }
        }
    }

    /// @dev Check the acceptance rule and the validator and store them; return the
    /// header flags.
    function _storeAcceptance(SchemaStore storage s, Acceptance calldata acceptance, address validator)
        private
        returns (uint256 flags)
    {
        if (acceptance.mode == AcceptanceMode.Attested) {
            flags = _ATTESTED;
            _storeAttesters(s, acceptance);
        } else if (acceptance.quorum != 0 || acceptance.attesters.length != 0 || acceptance.window != 0) {
            revert WorkRegistryUnexpectedAttestation(
                acceptance.quorum, acceptance.attesters.length, acceptance.window
            );
        }
        if (validator != address(0)) {
            if (validator.code.length == 0) revert WorkRegistryInvalidValidator(validator);
            flags |= _VALIDATED;
            s.rule.validator = validator;
        }
    }

    /// @dev Check an Attested acceptance rule and store it with its attester list.
    function _storeAttesters(SchemaStore storage s, Acceptance calldata acceptance) private {
        uint256 count = acceptance.attesters.length;
        if (count > MAX_ATTESTERS) revert WorkRegistryTooManyAttesters(count, MAX_ATTESTERS);
        if (acceptance.quorum == 0 || acceptance.quorum > count) {
            revert WorkRegistryInvalidQuorum(acceptance.quorum, count);
        }
        uint256 maxWindow = _param(ParamKeys.WORK_MAX_ATTEST_WINDOW);
        if (acceptance.window == 0 || acceptance.window > maxWindow) {
            revert WorkRegistryInvalidWindow(acceptance.window, maxWindow);
        }
        for (uint256 i; i < count; ++i) {
            address a = acceptance.attesters[i];
            if (a == address(0) || s.positions[a] != 0) revert WorkRegistryInvalidAttester(i, a);
            s.positions[a] = i + 1;
            s.attesters[i + 1] = a;
        }
        // forge-lint: disable-start(unsafe-typecast) quorum <= count <= 32; window <= maxWindow <= 3650 days
        s.rule.quorum = uint8(acceptance.quorum);
        s.rule.attesterCount = uint8(count);
        s.rule.window = uint32(acceptance.window);
        // forge-lint: disable-end(unsafe-typecast)
    }

    /// @dev Record the acceptance of `packetId` (its status is already Accepted) and
    /// credit the contributor with the schema's current recognition weight, which the
    /// constitution gives only to its Work module: a replaced registry credits nothing.
    function _accept(uint256 packetId, bytes32 schemaId, address contributor) private {
        emit PacketAccepted(packetId, schemaId, contributor);
        uint256 weight = ILegitimacyConstitution(constitution).creditWeight(schemaId);
        if (weight != 0) _credit(contributor, weight, packetId, schemaId);
    }

    /// @dev Add `weight` points to `contributor` and checkpoint power and total power
    /// when the integer square root moves. A contributor's first credit here starts from
    /// its points in the predecessor. Reverts rather than lift the total above
    /// MAX_TOTAL_POWER, so the constitution's 48-bit Work tally can never overflow.
    function _credit(address contributor, uint256 weight, uint256 packetId, bytes32 schemaId) private {
        uint256 oldPoints = _points[contributor];
        if (oldPoints == 0 && predecessor != address(0)) {
            oldPoints = IWorkRegistry(predecessor).points(contributor);
        }
        uint256 newPoints = oldPoints + weight;
        _points[contributor] = newPoints;
        uint256 oldPower = Math.sqrt(oldPoints);
        uint256 newPower = Math.sqrt(newPoints);
        if (newPower != oldPower) {
            uint256 own = _totalPower.latest() + (newPower - oldPower);
            uint256 total = own;
            if (predecessor != address(0)) total += IWorkRegistry(predecessor).totalPower();
            if (total > MAX_TOTAL_POWER) revert WorkRegistryPowerCapReached(total, MAX_TOTAL_POWER);
            uint48 now_ = clock();
            // forge-lint: disable-start(unsafe-typecast) newPower <= own <= total <= MAX_TOTAL_POWER < 2^208
            // slither-disable-next-line unused-return (the value left out is not needed)
            _power[contributor].push(now_, uint208(newPower));
            // slither-disable-next-line unused-return (the value left out is not needed)
            _totalPower.push(now_, uint208(own));
            // forge-lint: disable-end(unsafe-typecast)
        }
        emit ContributionCredited(contributor, packetId, schemaId, weight, newPoints, newPower);
    }

    /// @dev Ask the schema's validator; revert unless it answers its selector. STATICCALL
    /// with a fixed gas cap; at most one word of return data is copied, so a validator
    /// cannot make the registry pay for a huge return (a "returndata bomb").
    function _consultValidator(bytes32 schemaId, address validator, bytes32 contentHash, bytes calldata data)
        private
        view
    {
        bytes memory callData =
            abi.encodeCall(IWorkValidator.validatePacket, (msg.sender, schemaId, contentHash, data));
        bytes4 magic = IWorkValidator.validatePacket.selector;
        bool accepted;
        // Assembly: Solidity's call syntax copies all return data into memory, which is
        // exactly what a returndata bomb exploits; here at most 32 bytes are copied.
        assembly ("memory-safe") {
            // Call with the fixed cap; copy at most 32 bytes of the answer to scratch space.
            let ok :=
                staticcall(VALIDATOR_GAS_LIMIT, validator, add(callData, 0x20), mload(callData), 0x00, 0x20)
            // Take it only if the call succeeded, returned a full word, and that word is the
            // selector left-aligned with zero padding (exactly `abi.encode(magic)`).
            accepted := and(ok, and(gt(returndatasize(), 0x1f), eq(mload(0x00), magic)))
        }
        if (!accepted) revert WorkRegistryValidatorRefused(schemaId, validator);
    }

    /// @dev Emit {SchemaRegistered} with `definition` (the ABI encoding of the four
    /// `registerSchema` arguments, which is exactly the event's data) without encoding
    /// the same arguments again for the log.
    function _emitSchemaRegistered(bytes32 schemaId, bytes memory definition) private {
        bytes32 topic0 = SchemaRegistered.selector;
        // Assembly: `emit` would ABI-encode the four arguments a second time (about
        // 2,000 gas for three fields); `definition` already holds those bytes.
        assembly ("memory-safe") {
            // log3(data offset, data size, event signature, schemaId, registrant)
            log3(add(definition, 0x20), mload(definition), topic0, schemaId, caller())
        }
    }

    /// @dev Schema `schemaId`'s header, unpacked (all zero for an unknown id).
    function _header(bytes32 schemaId) private view returns (SchemaHeader memory h) {
        uint256 word = _headers[schemaId];
        // forge-lint: disable-start(unsafe-typecast) each member's bits, as packed in `registerSchema`
        h.descriptors = uint200(word);
        h.fieldCount = uint8(word >> 200);
        h.flags = uint8(word >> 208);
        h.index = uint32(word >> 216);
        // forge-lint: disable-end(unsafe-typecast)
    }

    /// @dev A constitution parameter.
    function _param(bytes32 key) private view returns (uint256) {
        return ILegitimacyConstitution(constitution).param(key);
    }

    /// @dev `timepoint` as a checkpoint key, reverting unless it is in the past.
    function _pastTimepoint(uint256 timepoint) private view returns (uint48) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert WorkRegistryFutureLookup(timepoint, now_);
        // forge-lint: disable-next-line(unsafe-typecast) timepoint < now_ < 2^48
        return uint48(timepoint);
    }

    /// @dev Number of set bits of `x` (at most MAX_ATTESTERS are ever set).
    function _popcount(uint256 x) private pure returns (uint256 n) {
        for (; x != 0; ++n) {
            x &= x - 1;
        }
    }
}
