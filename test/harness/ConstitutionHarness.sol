// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../../contracts/LegitimacyConstitution.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Test-only: exposes the constitution's internal setters, the ones executed
/// amendments will use, so their rules can be fuzzed before amendment voting exists.
/// Never deployed outside the test suite.
contract ConstitutionHarness is LegitimacyConstitution {
    constructor(ParamInit[] memory genesis, IVotes token_) LegitimacyConstitution(genesis, token_) {}

    function exposed_setParam(bytes32 key, uint256 value) external {
        _setParam(key, value);
    }

    function exposed_setRecognition(bytes32 schemaId, uint256 weight) external {
        _setRecognition(schemaId, weight);
    }

    function exposed_setRole(bytes32 role, address account, bool grant) external {
        _setRole(role, account, grant);
    }

    function exposed_setArticle(uint256 index, bytes32 contentHash, string calldata uri) external {
        _setArticle(index, contentHash, uri);
    }

    function exposed_setModule(uint256 index, address addr) external {
        _setModule(index, addr);
    }
}
