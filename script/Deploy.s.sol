// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../contracts/CoordinationLocks.sol";
import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {OptimizationTreasury} from "../contracts/OptimizationTreasury.sol";
import {StrategyProposals} from "../contracts/StrategyProposals.sol";
import {ViableToken} from "../contracts/ViableToken.sol";
import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @dev The Foundry cheatcodes this script uses.
interface ScriptVm {
    function envOr(string calldata name, string calldata defaultValue) external view returns (string memory);
    function envUint(string calldata name) external view returns (uint256);
    function readFile(string calldata path) external view returns (string memory);
    function writeFile(string calldata path, string calldata data) external;
    function createDir(string calldata path, bool recursive) external;
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
    function parseJsonAddress(string calldata json, string calldata key) external pure returns (address);
    function parseJsonUint(string calldata json, string calldata key) external pure returns (uint256);
    function parseJsonBytes32(string calldata json, string calldata key) external pure returns (bytes32);
    function addr(uint256 privateKey) external pure returns (address);
    function startBroadcast(uint256 privateKey) external;
    function stopBroadcast() external;
    function toString(address value) external pure returns (string memory);
    function toString(uint256 value) external pure returns (string memory);
    function toString(bytes32 value) external pure returns (string memory);
}

/// @title Deploy
/// @notice Deploys the Viable suite from a genesis, exactly as `viable deploy` does, and
/// records it in `deployments/<chainId>.json` in the same format.
/// @dev Reads the genesis as `viable genesis export` writes it (each group ABI-encoded
/// as the SDK sends it), so both paths deploy the same suite from the same file:
///
///     viable genesis export genesis.toml --out cache/viable/genesis.json
///     VIABLE_GENESIS_JSON=cache/viable/genesis.json VIABLE_PRIVATE_KEY=0x… \
///       forge script script/Deploy.s.sol --rpc-url "$ETH_RPC_URL" --broadcast
///
/// Environment: VIABLE_PRIVATE_KEY (the deployer, as for the CLI), VIABLE_GENESIS_JSON
/// (default cache/viable/genesis.json), VIABLE_DEPLOYMENT_FILE (default
/// deployments/<chainId>.json), VIABLE_GIT_COMMIT (recorded if set). The order of
/// transactions is the SDK's: token, constitution, the four modules, the genesis's
/// schemas, bootstrap, then the treasury's deposit and lines.
contract Deploy {
    ScriptVm internal constant VM = ScriptVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev A budget line as `viable genesis export` encodes it.
    struct LineInit {
        address steward;
        uint256 shareBps;
        bytes32 schemaId;
        uint256 bounty;
        uint256 cliffBps;
    }

    /// @dev What was deployed, for the deployment file.
    struct Deployed {
        address token;
        address constitution;
        address[4] modules;
        uint256 deployBlock;
        address deployer;
    }

    function run() external returns (Deployed memory d) {
        string memory json = VM.readFile(VM.envOr("VIABLE_GENESIS_JSON", string("cache/viable/genesis.json")));
        uint256 key = VM.envUint("VIABLE_PRIVATE_KEY");
        d.deployer = VM.addr(key);
        // The first transaction lands in a later block: a lower bound for event scans.
        d.deployBlock = block.number + 1;

        VM.startBroadcast(key);
        d.token = VM.parseJsonAddress(json, ".tokenAddress");
        if (d.token == address(0)) {
            (string memory name, string memory symbol, address[] memory holders, uint256[] memory amounts) =
                abi.decode(VM.parseJsonBytes(json, ".tokenArgs"), (string, string, address[], uint256[]));
            d.token = address(new ViableToken(name, symbol, holders, amounts));
        }
        LegitimacyConstitution c = new LegitimacyConstitution(
            abi.decode(VM.parseJsonBytes(json, ".params"), (ILegitimacyConstitution.ParamInit[])),
            IVotes(d.token)
        );
        d.constitution = address(c);
        WorkRegistry work = new WorkRegistry(address(c));
        d.modules = [
            address(work),
            address(new CoordinationLocks(address(c))),
            address(new OptimizationTreasury(address(c))),
            address(new StrategyProposals(address(c)))
        ];

        bytes[] memory schemas = abi.decode(VM.parseJsonBytes(json, ".schemas"), (bytes[]));
        for (uint256 i; i < schemas.length; ++i) {
            (
                string memory name,
                IWorkRegistry.Field[] memory fields,
                IWorkRegistry.Acceptance memory acceptance,
                address validator
            ) = abi.decode(schemas[i], (string, IWorkRegistry.Field[], IWorkRegistry.Acceptance, address));
            work.registerSchema(name, fields, acceptance, validator);
        }

        c.bootstrap(
            ILegitimacyConstitution.BootstrapConfig({
                modules: d.modules,
                roles: abi.decode(VM.parseJsonBytes(json, ".roles"), (ILegitimacyConstitution.RoleInit[])),
                recognitions: abi.decode(
                    VM.parseJsonBytes(json, ".recognitions"), (ILegitimacyConstitution.RecognitionInit[])
                ),
                articles: abi.decode(
                    VM.parseJsonBytes(json, ".articles"), (ILegitimacyConstitution.Article[])
                ),
                seeds: abi.decode(VM.parseJsonBytes(json, ".seeds"), (ILegitimacyConstitution.SeedInit[]))
            })
        );

        OptimizationTreasury treasury = OptimizationTreasury(payable(d.modules[2]));
        uint256 deposit = VM.parseJsonUint(json, ".deposit");
        if (deposit != 0) treasury.deposit{value: deposit}(address(0), deposit);
        LineInit[] memory lines = abi.decode(VM.parseJsonBytes(json, ".lines"), (LineInit[]));
        for (uint256 i; i < lines.length; ++i) {
            LineInit memory l = lines[i];
            treasury.createLine(address(0), l.steward, l.shareBps, l.schemaId, l.bounty, l.cliffBps, 0);
        }
        VM.stopBroadcast();

        _record(d, VM.parseJsonBytes32(json, ".genesisHash"));
    }

    /// @dev Write the deployment file `viable` reads (the SDK's `Deployment`).
    function _record(Deployed memory d, bytes32 genesisHash) internal {
        string memory path = VM.envOr(
            "VIABLE_DEPLOYMENT_FILE", string.concat("deployments/", VM.toString(block.chainid), ".json")
        );
        string memory commit = VM.envOr("VIABLE_GIT_COMMIT", string(""));
        string memory body = string.concat(
            "{\n  \"chainId\": ",
            VM.toString(block.chainid),
            ",\n  \"constitution\": \"",
            VM.toString(d.constitution),
            "\",\n  \"token\": \"",
            VM.toString(d.token),
            "\",\n  \"modules\": {\n    \"workRegistry\": \"",
            VM.toString(d.modules[0]),
            "\",\n    \"coordinationLocks\": \"",
            VM.toString(d.modules[1]),
            "\",\n    \"optimizationTreasury\": \"",
            VM.toString(d.modules[2]),
            "\",\n    \"strategyProposals\": \"",
            VM.toString(d.modules[3])
        );
        body = string.concat(
            body,
            "\"\n  },\n  \"deployBlock\": ",
            VM.toString(d.deployBlock),
            ",\n  \"genesisHash\": \"",
            VM.toString(genesisHash),
            bytes(commit).length == 0 ? "\"" : string.concat("\",\n  \"gitCommit\": \"", commit, "\""),
            ",\n  \"deployer\": \"",
            VM.toString(d.deployer),
            "\"\n}\n"
        );
        VM.writeFile(path, body);
    }
}
