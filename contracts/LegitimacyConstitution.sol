// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "./interfaces/ILegitimacyConstitution.sol";
import {IViableModule} from "./interfaces/IViableModule.sol";
import {IWorkRegistry} from "./interfaces/IWorkRegistry.sol";
import {ParamKeys} from "./libraries/ParamKeys.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

/// @title LegitimacyConstitution — System 5
/// @notice See {ILegitimacyConstitution}.
contract LegitimacyConstitution is ILegitimacyConstitution {
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    // ------------------------------------------------------------------
    // Constants and immutables
    // ------------------------------------------------------------------

    /// @inheritdoc ILegitimacyConstitution
    bytes32 public constant STEWARD_ROLE = keccak256("viable.role.STEWARD");
    /// @inheritdoc ILegitimacyConstitution
    bytes32 public constant GUARDIAN_ROLE = keccak256("viable.role.GUARDIAN");
    /// @inheritdoc ILegitimacyConstitution
    uint256 public constant MAX_RECOGNITION_WEIGHT = 1_000_000;

    IVotes private immutable _token;
    address private immutable _deployer;

    // ------------------------------------------------------------------
    // Storage
    // ------------------------------------------------------------------

    /// @dev A parameter's value and its 1-based position in `_paramKeys` share one
    /// slot, so a module's `param` read is a single SLOAD. `index == 0`: unknown key.
    /// Values are capped at 2^240 - 1 by {ParamKeys.structuralBounds}.
    struct Value {
        uint240 value;
        uint16 index;
    }

    /// @dev Hard bounds, read only when a value is set (two slots).
    struct Bounds {
        uint256 min;
        uint256 max;
    }

    mapping(bytes32 key => Value) private _values;
    mapping(bytes32 key => Bounds) private _bounds;
    bytes32[] private _paramKeys;

    mapping(bytes32 schemaId => uint256) private _recognition;
    EnumerableSet.Bytes32Set private _recognized;

    mapping(bytes32 role => EnumerableSet.AddressSet) private _roleMembers;

    Article[] private _articles;

    address[4] private _modules;

    bool private _bootstrapped;

    // ------------------------------------------------------------------
    // Constructor
    // ------------------------------------------------------------------

    /// @param genesis Every parameter with its initial value and hard bounds. All
    /// keys of {ParamKeys.required} must be present; extra keys are kept for
    /// extension modules.
    /// @param token_ The IVotes (ERC-6372) token of the Token House.
    constructor(ParamInit[] memory genesis, IVotes token_) {
        _deployer = msg.sender;
        _checkToken(address(token_));
        _token = token_;

        if (genesis.length > type(uint16).max) {
            revert LegitimacyConstitutionActionCount(genesis.length, type(uint16).max);
        }
        for (uint256 i; i < genesis.length; ++i) {
            ParamInit memory p = genesis[i];
            if (_values[p.key].index != 0) revert LegitimacyConstitutionDuplicateParam(p.key);
            (uint256 floor, uint256 ceiling) = ParamKeys.structuralBounds(p.key);
            if (p.min > p.max || p.min < floor || p.max > ceiling) {
                revert LegitimacyConstitutionInvalidBounds(p.key, p.min, p.max, floor, ceiling);
            }
            if (p.value < p.min || p.value > p.max) {
                revert LegitimacyConstitutionParamOutOfBounds(p.key, p.value, p.min, p.max);
            }
            _paramKeys.push(p.key);
            _bounds[p.key] = Bounds({min: p.min, max: p.max});
            // forge-lint: disable-next-line(unsafe-typecast) value <= max <= ceiling < 2^240
            _values[p.key] = Value({value: uint240(p.value), index: uint16(_paramKeys.length)});
            emit ParamDefined(p.key, p.value, p.min, p.max);
        }

        bytes32[] memory required = ParamKeys.required();
        for (uint256 i; i < required.length; ++i) {
            if (_values[required[i]].index == 0) revert LegitimacyConstitutionMissingParam(required[i]);
        }
    }

    // ------------------------------------------------------------------
    // External state-changing
    // ------------------------------------------------------------------

    /// @inheritdoc ILegitimacyConstitution
    function bootstrap(BootstrapConfig calldata config) external {
        if (msg.sender != _deployer) revert LegitimacyConstitutionNotDeployer(msg.sender);
        if (_bootstrapped) revert LegitimacyConstitutionAlreadyBootstrapped();

        for (uint256 i; i < 4; ++i) {
            if (config.modules[i] != address(0)) _setModule(i, config.modules[i]);
        }
        for (uint256 i; i < config.roles.length; ++i) {
            _setRole(config.roles[i].role, config.roles[i].account, true);
        }
        for (uint256 i; i < config.recognitions.length; ++i) {
            _setRecognition(config.recognitions[i].schemaId, config.recognitions[i].weight);
        }
        for (uint256 i; i < config.articles.length; ++i) {
            _setArticle(_articles.length, config.articles[i].contentHash, config.articles[i].uri);
        }
        if (config.seeds.length != 0) {
            address work = _modules[uint256(Module.Work)];
            if (work == address(0)) revert LegitimacyConstitutionModuleUnset(Module.Work);
            for (uint256 i; i < config.seeds.length; ++i) {
                IWorkRegistry(work).seedContribution(config.seeds[i].contributor, config.seeds[i].points);
            }
        }
        // Set last: modules read `bootstrapped()` to know that seeding is still open.
        // Re-entry is impossible, since only the deployer passes the first check.
        _bootstrapped = true;
        emit Bootstrapped(msg.sender);
    }

    // ------------------------------------------------------------------
    // External views
    // ------------------------------------------------------------------

    /// @inheritdoc ILegitimacyConstitution
    function token() external view returns (IVotes) {
        return _token;
    }

    /// @inheritdoc ILegitimacyConstitution
    function deployer() external view returns (address) {
        return _deployer;
    }

    /// @inheritdoc ILegitimacyConstitution
    function bootstrapped() external view returns (bool) {
        return _bootstrapped;
    }

    /// @inheritdoc ILegitimacyConstitution
    function param(bytes32 key) external view returns (uint256) {
        Value memory v = _values[key];
        if (v.index == 0) revert LegitimacyConstitutionUnknownParam(key);
        return v.value;
    }

    /// @inheritdoc ILegitimacyConstitution
    function paramBounds(bytes32 key) public view returns (uint256 min, uint256 max) {
        if (_values[key].index == 0) revert LegitimacyConstitutionUnknownParam(key);
        Bounds memory b = _bounds[key];
        return (b.min, b.max);
    }

    /// @inheritdoc ILegitimacyConstitution
    function params() external view returns (ParamInfo[] memory out) {
        out = new ParamInfo[](_paramKeys.length);
        for (uint256 i; i < out.length; ++i) {
            bytes32 key = _paramKeys[i];
            (uint256 min, uint256 max) = paramBounds(key);
            out[i] = ParamInfo({key: key, value: _values[key].value, min: min, max: max});
        }
    }

    /// @inheritdoc ILegitimacyConstitution
    function recognition(bytes32 schemaId) external view returns (uint256) {
        return _recognition[schemaId];
    }

    /// @inheritdoc ILegitimacyConstitution
    function recognizedSchemas()
        external
        view
        returns (bytes32[] memory schemaIds, uint256[] memory weights)
    {
        schemaIds = _recognized.values();
        weights = new uint256[](schemaIds.length);
        for (uint256 i; i < schemaIds.length; ++i) {
            weights[i] = _recognition[schemaIds[i]];
        }
    }

    /// @inheritdoc ILegitimacyConstitution
    function hasRole(bytes32 role, address account) external view returns (bool) {
        return _roleMembers[role].contains(account);
    }

    /// @inheritdoc ILegitimacyConstitution
    function roleMembers(bytes32 role) external view returns (address[] memory) {
        return _roleMembers[role].values();
    }

    /// @inheritdoc ILegitimacyConstitution
    function articleCount() external view returns (uint256) {
        return _articles.length;
    }

    /// @inheritdoc ILegitimacyConstitution
    function article(uint256 index) external view returns (Article memory) {
        if (index >= _articles.length) {
            revert LegitimacyConstitutionArticleOutOfRange(index, _articles.length);
        }
        return _articles[index];
    }

    /// @inheritdoc ILegitimacyConstitution
    function articles() external view returns (Article[] memory) {
        return _articles;
    }

    /// @inheritdoc ILegitimacyConstitution
    function module(Module module_) external view returns (address) {
        return _modules[uint256(module_)];
    }

    /// @inheritdoc ILegitimacyConstitution
    function modules() external view returns (address[4] memory) {
        return _modules;
    }

    // ------------------------------------------------------------------
    // Internal: the only setters. Bootstrap and executed amendments use these
    // and nothing else, so every rule below holds on every path.
    // ------------------------------------------------------------------

    function _setParam(bytes32 key, uint256 value) internal {
        (uint256 min, uint256 max) = paramBounds(key);
        if (value < min || value > max) revert LegitimacyConstitutionParamOutOfBounds(key, value, min, max);
        Value storage v = _values[key];
        uint256 old = v.value;
        // forge-lint: disable-next-line(unsafe-typecast) value <= max < 2^240
        v.value = uint240(value);
        emit ParamSet(key, old, value);
    }

    function _setRecognition(bytes32 schemaId, uint256 weight) internal {
        if (weight > MAX_RECOGNITION_WEIGHT) {
            revert LegitimacyConstitutionRecognitionTooHigh(schemaId, weight, MAX_RECOGNITION_WEIGHT);
        }
        uint256 old = _recognition[schemaId];
        _recognition[schemaId] = weight;
        if (weight == 0) _recognized.remove(schemaId);
        else _recognized.add(schemaId);
        emit RecognitionSet(schemaId, old, weight);
    }

    function _setRole(bytes32 role, address account, bool grant) internal {
        if (role != STEWARD_ROLE && role != GUARDIAN_ROLE) revert LegitimacyConstitutionUnknownRole(role);
        if (account == address(0)) revert LegitimacyConstitutionInvalidAccount(account);
        if (grant) {
            if (_roleMembers[role].add(account)) emit RoleGranted(role, account);
        } else {
            if (_roleMembers[role].remove(account)) emit RoleRevoked(role, account);
        }
    }

    function _setArticle(uint256 index, bytes32 contentHash, string calldata uri) internal {
        uint256 count = _articles.length;
        if (index > count) revert LegitimacyConstitutionArticleOutOfRange(index, count);
        if (index == count) {
            if (contentHash == bytes32(0)) revert LegitimacyConstitutionEmptyArticle(index);
            _articles.push(Article({contentHash: contentHash, uri: uri}));
            emit ArticleSet(index, bytes32(0), contentHash, uri);
        } else {
            bytes32 old = _articles[index].contentHash;
            _articles[index] = Article({contentHash: contentHash, uri: uri});
            emit ArticleSet(index, old, contentHash, uri);
        }
    }

    function _setModule(uint256 index, address addr) internal {
        if (index > uint256(type(Module).max)) revert LegitimacyConstitutionUnknownModule(index);
        Module m = Module(index);
        address reported;
        if (addr.code.length != 0) {
            try IViableModule(addr).constitution() returns (address c) {
                reported = c;
            } catch {}
        }
        if (reported != address(this)) revert LegitimacyConstitutionModuleMismatch(m, addr, reported);
        address old = _modules[index];
        _modules[index] = addr;
        emit ModuleSet(m, old, addr);
    }

    /// @dev The token must answer the ERC-6372 clock and IVotes reads the Token House makes.
    function _checkToken(address token_) private view {
        if (token_.code.length == 0) revert LegitimacyConstitutionInvalidToken(token_);
        try IERC6372(token_).clock() returns (uint48 now_) {
            if (now_ == 0) revert LegitimacyConstitutionInvalidToken(token_);
        } catch {
            revert LegitimacyConstitutionInvalidToken(token_);
        }
        try IERC6372(token_).CLOCK_MODE() returns (string memory) {}
        catch {
            revert LegitimacyConstitutionInvalidToken(token_);
        }
    }
}
