// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IWorkValidator — an optional, read-only gate on a WorkRegistry schema
/// @notice A schema may name a validator contract. Before a packet of that schema is
/// recorded, the WorkRegistry asks the validator whether to take it, e.g. because the
/// contributor must hold a credential. The validator can refuse a packet; it cannot
/// change any state, and it cannot make a non-conforming packet acceptable (the
/// registry's own format check runs first).
/// @dev The registry calls `validatePacket` with STATICCALL and a fixed gas cap
/// ({IWorkRegistry.VALIDATOR_GAS_LIMIT}), and reads at most 32 bytes of what it returns.
/// The packet is taken only if the call succeeds and returns exactly the ABI encoding
/// of `IWorkValidator.validatePacket.selector`. Any other answer, a revert, or running
/// out of gas refuses the packet and `submit` reverts with
/// {IWorkRegistry.WorkRegistryValidatorRefused}.
interface IWorkValidator {
    /// @notice Decide whether the WorkRegistry may record a packet.
    /// @param contributor The account submitting the packet.
    /// @param schemaId The packet's schema (a schema naming this validator).
    /// @param contentHash The packet's content hash (never zero).
    /// @param data The packet's data, already checked to be the canonical ABI encoding
    /// of the schema's field tuple.
    /// @return magic `IWorkValidator.validatePacket.selector` to accept; anything else refuses.
    function validatePacket(address contributor, bytes32 schemaId, bytes32 contentHash, bytes calldata data)
        external
        view
        returns (bytes4 magic);
}
