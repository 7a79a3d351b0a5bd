// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "./IViableModule.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";

/// @title IWorkRegistry — System 1 of the Viable System Model
/// @notice Makes completed work legible. Anyone may register a schema (a name, an
/// ordered list of typed fields, an acceptance mode and an optional validator), and
/// anyone may submit a work packet that conforms to a registered schema. The registry
/// checks on-chain that a packet's data is the canonical ABI encoding of the schema's
/// field tuple and that every field keeps its schema's rules, records the packet in
/// two storage slots, and carries the data itself only in the {PacketSubmitted} event.
/// A packet of an `Immediate` schema is Accepted at once; a packet of an `Attested`
/// schema waits for a quorum of the schema's listed attesters until its deadline.
/// When a packet of a schema the constitution recognizes is accepted by the registry
/// that is the constitution's Work module, its contributor earns contribution points
/// (the recognition weight); power, the integer square root of points, is checkpointed
/// per contributor and in total for the Work House.
/// @dev The registry judges format only, never value: it cannot fund, lock or vote.
/// Schemas are permissionless, content-addressed and immutable. There is no owner and
/// no admin; the only privileged caller is the constitution, and only to seed founding
/// points during its one bootstrap. The clock is `block.timestamp` (ERC-6372
/// `mode=timestamp`), like the constitution's Work House snapshots.
///
/// Succession. A registry deployed after the constitution's bootstrap takes the Work
/// module in the directory at that moment as its {predecessor} and continues its Work
/// House: a contributor's points, power and history there count here too (read
/// through the predecessor until the contributor's first credit here, which carries
/// the points over), and the total starts from the predecessor's. Only the registry
/// that is the constitution's Work module credits points ({ILegitimacyConstitution-creditWeight}),
/// so a replaced registry is frozen at the swap and its successor continues from
/// exactly there. A chain spans at most {MAX_GENERATIONS} registries.
///
/// Canonical encoding. `data` must be exactly what `abi.encode(v0, v1, ..., vn)`
/// produces for the schema's field types: a head of one 32-byte word per field, then
/// the tails of the dynamic fields in field order, each at the offset the encoder
/// would choose, each length-prefixed, strings and bytes right-padded with zero bytes
/// to a whole word, and nothing after the last tail. The size limit
/// (`work.maxDataBytes`) is checked first; then checks run in field order and
/// the first failure reverts; within a field the order is: offset, length word,
/// `maxLen`, `required`, content present, padding (dynamic fields); clean word,
/// `required`, then `[min, max]` (static fields).
interface IWorkRegistry is IViableModule, IERC6372 {
    // ---------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------

    /// @notice The ABI type of a schema field. Every type occupies one head word of the
    /// encoding; the last three are dynamic (the head word is the offset of a tail).
    enum FieldType {
        Uint256,
        Int256,
        Address,
        Bool,
        Bytes32,
        String,
        Bytes,
        Bytes32Array
    }

    /// @notice One field of a schema.
    /// @param fieldType The field's ABI type.
    /// @param required The value must be non-zero (static types: a non-zero word, i.e.
    /// `true` for bool, a non-zero address) or non-empty (dynamic types: length > 0).
    /// @param min Lowest allowed value of a `Uint256` field; 0 for every other type.
    /// @param max Highest allowed value of a `Uint256` field, or 0 for no upper bound (a
    /// zeroed `Field` is an unbounded, optional field); 0 for every other type.
    /// @param maxLen Longest allowed length of a dynamic field, in bytes for `String` and
    /// `Bytes`, in elements for `Bytes32Array`; in `[1, 2^32 - 1]` for a dynamic field,
    /// 0 for a static one.
    struct Field {
        FieldType fieldType;
        bool required;
        uint256 min;
        uint256 max;
        uint256 maxLen;
    }

    /// @notice How a conforming packet becomes Accepted.
    enum AcceptanceMode {
        /// @dev Accepted in the same transaction as `submit`.
        Immediate,
        /// @dev Pending until `quorum` distinct listed attesters attest; Expired if
        /// `window` seconds pass first.
        Attested
    }

    /// @notice A schema's acceptance rule.
    /// @param mode Immediate or Attested.
    /// @param quorum Attested: attestations needed, in `[1, attesters.length]`. Immediate: 0.
    /// @param attesters Attested: the distinct, non-zero accounts that may attest, at most
    /// {MAX_ATTESTERS}. Immediate: empty.
    /// @param window Attested: seconds from submission to the attestation deadline, in
    /// `[1, work.maxAttestWindow]` at registration. Immediate: 0.
    struct Acceptance {
        AcceptanceMode mode;
        uint256 quorum;
        address[] attesters;
        uint256 window;
    }

    /// @notice A schema's full definition, as registered and as the {schema} view returns it.
    /// @dev The schema id is `keccak256(abi.encode(name, fields, acceptance, validator))`,
    /// i.e. the hash of the ABI encoding of `registerSchema`'s four arguments (equivalently
    /// of this struct's four members encoded as separate values, not as one tuple).
    struct Schema {
        string name;
        Field[] fields;
        Acceptance acceptance;
        address validator;
    }

    /// @notice A packet's lifecycle. `None` means no packet has that id.
    /// Pending → Accepted | Expired | Retracted; an Immediate packet is Accepted at once.
    enum Status {
        None,
        Pending,
        Accepted,
        Expired,
        Retracted
    }

    /// @notice A packet as the {packet} view reports it.
    /// @param contributor The account that submitted the packet.
    /// @param schemaId The packet's schema.
    /// @param status The packet's status.
    /// @param submittedAt The block timestamp of `submit`.
    /// @param deadline Attested schemas: `submittedAt + window`, the last second at which
    /// an attestation counts; `expire` works from `deadline + 1`. Immediate schemas: 0.
    /// @param attestations Distinct attestations received so far.
    /// @param contentHash The hash of the work's off-chain content.
    struct Packet {
        address contributor;
        bytes32 schemaId;
        Status status;
        uint48 submittedAt;
        uint48 deadline;
        uint256 attestations;
        bytes32 contentHash;
    }

    // ---------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------

    /// @notice `registrant` registered schema `schemaId` with this definition.
    /// @dev The event's data is exactly `abi.encode(name, fields, acceptance, validator)`,
    /// so `keccak256` of the log data is `schemaId`. The schema's position in the
    /// registration order is {schemaCount} right after this event.
    event SchemaRegistered(
        bytes32 indexed schemaId,
        address indexed registrant,
        string name,
        Field[] fields,
        Acceptance acceptance,
        address validator
    );

    /// @notice `contributor` submitted packet `packetId` of `schemaId`. `data` is the
    /// packet's field tuple (canonical ABI encoding); this event is the only place it is kept.
    event PacketSubmitted(
        uint256 indexed packetId,
        bytes32 indexed schemaId,
        address indexed contributor,
        bytes32 contentHash,
        bytes data
    );

    /// @notice `attester` attested packet `packetId`, which now has `attestations`.
    event PacketAttested(uint256 indexed packetId, address indexed attester, uint256 attestations);

    /// @notice Packet `packetId` of `schemaId` by `contributor` became Accepted (at
    /// `submit` for Immediate schemas, at the quorum-reaching attestation otherwise).
    event PacketAccepted(uint256 indexed packetId, bytes32 indexed schemaId, address indexed contributor);

    /// @notice The contributor withdrew pending packet `packetId`.
    event PacketRetracted(uint256 indexed packetId);

    /// @notice Pending packet `packetId` passed its deadline without reaching quorum.
    event PacketExpired(uint256 indexed packetId);

    /// @notice `contributor` earned `weight` points, for accepted packet `packetId` of
    /// recognized schema `schemaId`, or as a bootstrap seed (`packetId` and `schemaId` zero).
    /// `points` and `power` are the contributor's totals afterwards.
    event ContributionCredited(
        address indexed contributor,
        uint256 indexed packetId,
        bytes32 indexed schemaId,
        uint256 weight,
        uint256 points,
        uint256 power
    );

    // ---------------------------------------------------------------------
    // Errors: construction and seeding
    // ---------------------------------------------------------------------

    /// @notice `constitution` is not a contract.
    error WorkRegistryInvalidConstitution(address constitution);
    /// @notice Only the constitution may seed points, and `caller` is not it.
    error WorkRegistryNotConstitution(address caller);
    /// @notice The constitution has finished its bootstrap; no more seeding.
    error WorkRegistrySeedingClosed();
    /// @notice A seed needs a non-zero contributor and points in `[1, MAX_SEED_POINTS]`.
    error WorkRegistryInvalidSeed(address contributor, uint256 points);
    /// @notice This registry would be generation `generation` (the number of registries
    /// before it in its Work House); the last allowed generation is `max`.
    error WorkRegistryTooManyGenerations(uint256 generation, uint256 max);
    /// @notice The credit would lift the Work House's total power to `totalPower`,
    /// above `max` ({MAX_TOTAL_POWER}, the width of the constitution's Work tally).
    error WorkRegistryPowerCapReached(uint256 totalPower, uint256 max);

    // ---------------------------------------------------------------------
    // Errors: schemas
    // ---------------------------------------------------------------------

    /// @notice The `registerSchema` calldata is not the canonical ABI encoding of its
    /// arguments (an offset elsewhere than the encoder puts it, bytes after the last one,
    /// a non-zero byte in the name's padding, or an enum or bool word out of range).
    error WorkRegistryNonCanonicalDefinition();
    /// @notice A schema with this exact definition, `schemaId`, is already registered.
    error WorkRegistrySchemaExists(bytes32 schemaId);
    /// @notice No schema has id `schemaId`.
    error WorkRegistryUnknownSchema(bytes32 schemaId);
    /// @notice A schema name must be 1 to `maxLength` bytes; it is `length`.
    error WorkRegistryInvalidName(uint256 length, uint256 maxLength);
    /// @notice The schema declares `count` fields; `work.maxFields` is `max`.
    error WorkRegistryTooManyFields(uint256 count, uint256 max);
    /// @notice `Uint256` field `field` has an upper bound `max` (non-zero) below `min`.
    error WorkRegistryInvalidBounds(uint256 field, uint256 min, uint256 max);
    /// @notice Field `field` of type `fieldType` sets `min` or `max`; only `Uint256` may.
    error WorkRegistryBoundsNotAllowed(uint256 field, FieldType fieldType);
    /// @notice Static field `field` of type `fieldType` sets `maxLen`; only dynamic types may.
    error WorkRegistryMaxLenNotAllowed(uint256 field, FieldType fieldType);
    /// @notice Dynamic field `field` has `maxLen` outside `[1, limit]`.
    error WorkRegistryInvalidMaxLen(uint256 field, uint256 maxLen, uint256 limit);
    /// @notice An Immediate schema sets `quorum`, `attesters` or `window`; all must be zero/empty.
    error WorkRegistryUnexpectedAttestation(uint256 quorum, uint256 attesters, uint256 window);
    /// @notice An Attested schema lists `count` attesters; at most `max` are allowed.
    error WorkRegistryTooManyAttesters(uint256 count, uint256 max);
    /// @notice An Attested schema's `quorum` is outside `[1, attesters]`.
    error WorkRegistryInvalidQuorum(uint256 quorum, uint256 attesters);
    /// @notice Attester number `index` is zero or listed twice.
    error WorkRegistryInvalidAttester(uint256 index, address attester);
    /// @notice An Attested schema's `window` is outside `[1, maxWindow]` (`work.maxAttestWindow`).
    error WorkRegistryInvalidWindow(uint256 window, uint256 maxWindow);
    /// @notice `validator` is neither zero nor a contract.
    error WorkRegistryInvalidValidator(address validator);

    // ---------------------------------------------------------------------
    // Errors: packet data (canonical ABI encoding and field rules)
    // ---------------------------------------------------------------------

    /// @notice The content hash is zero.
    error WorkRegistryZeroContentHash();
    /// @notice `data` is `length` bytes; `work.maxDataBytes` is `max`.
    error WorkRegistryDataTooLarge(uint256 length, uint256 max);
    /// @notice `data` is `length` bytes; the canonical encoding is `expected` bytes. When the
    /// data ends before a length word or a tail it needs, `expected` is the length needed to
    /// read that far (a lower bound of the canonical length).
    error WorkRegistryDataLength(uint256 length, uint256 expected);
    /// @notice The head word of dynamic field `field` is `offset`; the canonical offset is `expected`.
    error WorkRegistryBadOffset(uint256 field, uint256 offset, uint256 expected);
    /// @notice Dynamic field `field` has length `len`, above its `maxLen`.
    error WorkRegistryFieldTooLong(uint256 field, uint256 len, uint256 maxLen);
    /// @notice Required field `field` is zero or empty.
    error WorkRegistryFieldRequired(uint256 field);
    /// @notice `Uint256` field `field` holds `value`, outside `[min, max]` (`max` 0: no upper bound).
    error WorkRegistryFieldOutOfRange(uint256 field, uint256 value, uint256 min, uint256 max);
    /// @notice Field `field` (an address with a non-zero upper 12 bytes, or a bool other
    /// than 0 or 1) holds the non-canonical `word`.
    error WorkRegistryDirtyWord(uint256 field, bytes32 word);
    /// @notice The bytes after the content of string/bytes field `field` in its last word are not zero.
    error WorkRegistryBadPadding(uint256 field);
    /// @notice The schema's validator `validator` refused the packet (answered otherwise,
    /// reverted, or ran out of gas).
    error WorkRegistryValidatorRefused(bytes32 schemaId, address validator);

    // ---------------------------------------------------------------------
    // Errors: packet lifecycle
    // ---------------------------------------------------------------------

    /// @notice No packet has id `packetId`.
    error WorkRegistryUnknownPacket(uint256 packetId);
    /// @notice `caller` is not a listed attester of packet `packetId`'s schema.
    error WorkRegistryNotAttester(uint256 packetId, address caller);
    /// @notice `attester` is the contributor of packet `packetId`: nobody attests their own work.
    error WorkRegistrySelfAttestation(uint256 packetId, address attester);
    /// @notice `caller` is not the contributor of packet `packetId`.
    error WorkRegistryNotContributor(uint256 packetId, address caller);
    /// @notice Packet `packetId` is `status`; the call needs it Pending.
    error WorkRegistryWrongStatus(uint256 packetId, Status status);
    /// @notice Packet `packetId`'s deadline `deadline` has passed (it is `now_`).
    error WorkRegistryDeadlinePassed(uint256 packetId, uint256 deadline, uint256 now_);
    /// @notice Packet `packetId`'s deadline `deadline` has not passed (it is `now_`).
    error WorkRegistryDeadlineNotReached(uint256 packetId, uint256 deadline, uint256 now_);
    /// @notice `attester` already attested packet `packetId`.
    error WorkRegistryAlreadyAttested(uint256 packetId, address attester);

    // ---------------------------------------------------------------------
    // Errors: views
    // ---------------------------------------------------------------------

    /// @notice `timepoint` is not in the past (the clock reads `now_`).
    error WorkRegistryFutureLookup(uint256 timepoint, uint48 now_);

    // ---------------------------------------------------------------------
    // State-changing
    // ---------------------------------------------------------------------

    /// @notice Register a schema. Anyone may; a schema can never change or be removed.
    /// @dev The calldata must be the canonical ABI encoding of the arguments (what every
    /// ABI encoder produces), since the id is the hash of those bytes; otherwise
    /// {WorkRegistryNonCanonicalDefinition}. Reverts with {WorkRegistrySchemaExists} if the
    /// identical definition exists, and with the schema errors above if the definition is
    /// malformed: a name of 1 to {MAX_NAME_LENGTH} bytes; at most `work.maxFields` fields;
    /// bounds only on `Uint256` (`min <= max` unless `max` is 0); `maxLen` in
    /// `[1, 2^32 - 1]` on dynamic fields and 0 on static ones; an Immediate acceptance with
    /// nothing else set, or an Attested one with 1 to {MAX_ATTESTERS} distinct non-zero
    /// attesters, quorum in `[1, attesters]` and window in `[1, work.maxAttestWindow]`; a
    /// validator that is zero or a contract.
    /// @param name Human-readable name (by convention it may spell out field names).
    /// @param fields The ordered fields; a packet's data encodes exactly this tuple.
    /// @param acceptance The acceptance rule.
    /// @param validator An {IWorkValidator} consulted on every submission, or zero.
    /// @return schemaId `keccak256(abi.encode(name, fields, acceptance, validator))`.
    function registerSchema(
        string calldata name,
        Field[] calldata fields,
        Acceptance calldata acceptance,
        address validator
    ) external returns (bytes32 schemaId);

    /// @notice Submit a work packet. Anyone may; the packet must conform to its schema.
    /// @dev Reverts if the schema is unknown, `contentHash` is zero, `data` exceeds
    /// `work.maxDataBytes`, `data` is not the canonical encoding of a tuple that keeps the
    /// schema's field rules (see the notes at the top for the order of checks), or the
    /// schema's validator refuses. Immediate schemas: the packet is Accepted at once and,
    /// if the schema is recognized, the caller is credited.
    /// @param schemaId The schema the packet conforms to.
    /// @param contentHash Hash of the work's off-chain content; must not be zero.
    /// @param data `abi.encode(v0, ..., vn)` of the schema's field values.
    /// @return packetId The new packet's id; ids are sequential from 1.
    function submit(bytes32 schemaId, bytes32 contentHash, bytes calldata data)
        external
        returns (uint256 packetId);

    /// @notice Attest a pending packet. Only a listed attester of the packet's schema who is
    /// not its contributor, once per packet, no later than its deadline. The attestation
    /// that reaches the quorum accepts the packet and, if the schema is recognized, credits
    /// the contributor with the recognition weight in force at that moment.
    /// @param packetId The packet to attest.
    function attest(uint256 packetId) external;

    /// @notice Withdraw a pending packet. Only its contributor, no later than its
    /// deadline: from `deadline + 1` a pending packet can only become Expired, so every
    /// second after submission is either attestable and retractable, or expirable.
    /// @param packetId The packet to retract.
    function retract(uint256 packetId) external;

    /// @notice Mark a pending packet Expired once its deadline has passed. Anyone may
    /// (a keeper duty); it changes nothing but the packet's status.
    /// @param packetId The packet to expire.
    function expire(uint256 packetId) external;

    /// @notice Credit `amount` founding points to `contributor`. Only the constitution, only
    /// during its bootstrap (while `bootstrapped()` is false). Same path as an accepted
    /// packet: points grow and power and total power are checkpointed, and the total may
    /// not exceed {MAX_TOTAL_POWER}.
    /// @param contributor The founding contributor (non-zero).
    /// @param amount Points to add, in `[1, MAX_SEED_POINTS]`.
    function seedContribution(address contributor, uint256 amount) external;

    // ---------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------

    /// @notice The gas the registry gives a validator's `validatePacket` call.
    function VALIDATOR_GAS_LIMIT() external pure returns (uint256);

    /// @notice The most attesters an Attested schema may list.
    function MAX_ATTESTERS() external pure returns (uint256);

    /// @notice The longest schema name, in bytes.
    function MAX_NAME_LENGTH() external pure returns (uint256);

    /// @notice The most power the Work House can hold in total: 2^48 - 1, the width of
    /// the constitution's Work tally. A credit beyond it reverts.
    function MAX_TOTAL_POWER() external pure returns (uint256);

    /// @notice The most points one founding seed may carry: 2^96 - 1 (power 2^48 - 1).
    function MAX_SEED_POINTS() external pure returns (uint256);

    /// @notice The most registries one Work House may span (this one and its predecessors).
    function MAX_GENERATIONS() external pure returns (uint256);

    /// @notice The registry this one continues (the constitution's Work module when this
    /// one was deployed), or zero for the first registry of a deployment.
    function predecessor() external view returns (address);

    /// @notice How many predecessors this registry has (0 for the first one).
    function generation() external view returns (uint256);

    /// @notice Who checks a packet of `schemaId` besides its contributor: its acceptance
    /// mode and its validator. The constitution reads it to refuse recognizing a schema
    /// nobody else checks. Reverts with {WorkRegistryUnknownSchema} for an unknown id.
    function schemaAcceptance(bytes32 schemaId) external view returns (AcceptanceMode mode, address validator);

    /// @notice The full definition of schema `schemaId`. Reverts for an unknown id.
    function schema(bytes32 schemaId) external view returns (Schema memory);

    /// @notice The id of the `index`-th registered schema (from 1 to {schemaCount}).
    /// Reverts with {WorkRegistryUnknownSchema} (id zero) outside that range.
    function schemaIdAt(uint256 index) external view returns (bytes32);

    /// @notice Number of registered schemas.
    function schemaCount() external view returns (uint256);

    /// @notice Packet `packetId`. Reverts for an unknown id.
    function packet(uint256 packetId) external view returns (Packet memory);

    /// @notice The contributor and status of packet `packetId`, as {packet} gives them,
    /// from one storage slot: the read a module makes to check that a caller's packet is
    /// Accepted. Reverts with {WorkRegistryUnknownPacket} for an unknown id, as {packet}.
    function packetStatus(uint256 packetId) external view returns (address contributor, Status status);

    /// @notice The contributor, schema id and status of packet `packetId`, as {packet}
    /// gives them, from two storage slots (the packet's first and its schema's id).
    /// Reverts with {WorkRegistryUnknownPacket} for an unknown id, as {packet}.
    function packetRef(uint256 packetId)
        external
        view
        returns (address contributor, bytes32 schemaId, Status status);

    /// @notice Number of packets submitted; the latest packet's id.
    function packetCount() external view returns (uint256);

    /// @notice Whether `attester` has attested packet `packetId` (false for an unknown packet
    /// or an account its schema does not list).
    function hasAttested(uint256 packetId, address attester) external view returns (bool);

    /// @notice `account`'s contribution points: the sum of recognition weights of its
    /// accepted packets, plus any bootstrap seed, including what it earned in the
    /// predecessors this registry continues.
    function points(address account) external view returns (uint256);

    /// @notice `account`'s contribution power now: the integer square root of its points.
    function power(address account) external view returns (uint256);

    /// @notice The sum of every contributor's power now, across the predecessors too.
    function totalPower() external view returns (uint256);

    /// @notice `account`'s contribution power (isqrt of points) at `timepoint` (a past timestamp).
    /// @dev Reverts with {WorkRegistryFutureLookup} if `timepoint >= clock()`.
    function getPastPower(address account, uint256 timepoint) external view returns (uint256);

    /// @notice Sum of all contributors' power at `timepoint` (a past timestamp).
    /// @dev Reverts with {WorkRegistryFutureLookup} if `timepoint >= clock()`.
    function getPastTotalPower(uint256 timepoint) external view returns (uint256);
}
