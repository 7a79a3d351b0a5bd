// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LegitimacyConstitution} from "../../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {ModuleKinds} from "../../contracts/libraries/ModuleKinds.sol";
import {MockModule} from "../mocks/MockModule.sol";
import {Fixture} from "../utils/Fixture.sol";
import {Genesis} from "../utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Shared helpers for the constitution suites. The spec tables here
/// (required keys, structural bounds) are written out independently of
/// {ParamKeys}, so a test that compares the two can fail when either drifts.
abstract contract ConstitutionBase is Fixture {
    uint256 internal constant REQUIRED_COUNT = 24;
    uint256 internal constant MAX_PERIOD = 3650 days;
    uint256 internal constant MAX_VALUE = type(uint128).max;

    bytes32 internal constant EXT_KEY = "ext.custom";
    bytes32 internal constant UNKNOWN_KEY = "not.a.param";

    bytes32 internal constant SCHEMA_A = keccak256("schema.A");
    bytes32 internal constant SCHEMA_B = keccak256("schema.B");
    bytes32 internal constant SCHEMA_C = keccak256("schema.C");

    /// @dev PROTOCOL.md §3's keys in the order the spec lists them, with the widest
    /// bounds a genesis may give each (the structural layer).
    function _spec(uint256 i) internal pure returns (bytes32 key, uint256 floor, uint256 ceiling) {
        if (i == 0) return ("work.maxFields", 1, 64);
        if (i == 1) return ("work.maxDataBytes", 32, 1 << 20);
        if (i == 2) return ("work.maxAttestWindow", 1, MAX_PERIOD);
        if (i == 3) return ("locks.maxTtl", 1, MAX_PERIOD);
        if (i == 4) return ("locks.maxHold", 1, MAX_PERIOD);
        if (i == 5) return ("locks.maxQueue", 1, 1024);
        if (i == 6) return ("treasury.epochLength", 1, MAX_PERIOD);
        if (i == 7) return ("treasury.maxEpochSpendBps", 1, 10_000);
        if (i == 8) return ("treasury.maxRecipientShareBps", 1, 10_000);
        if (i == 9) return ("treasury.vetoWindow", 0, MAX_PERIOD);
        if (i == 10) return ("strategy.minBond", 0, type(uint128).max);
        if (i == 11) return ("strategy.halfLife", 1, MAX_PERIOD);
        if (i == 12) return ("strategy.readyBps", 1, 10_000);
        if (i == 13) return ("strategy.maxAge", 1, MAX_PERIOD);
        if (i == 14) return ("strategy.stakeFloor", 0, type(uint128).max);
        if (i == 15) return ("legit.votingDelay", 0, MAX_PERIOD);
        if (i == 16) return ("legit.votingPeriod", 1, MAX_PERIOD);
        if (i == 17) return ("legit.timelock", 0, MAX_PERIOD);
        if (i == 18) return ("legit.gracePeriod", 1, MAX_PERIOD);
        if (i == 19) return ("legit.tokenQuorumBps", 0, 10_000);
        if (i == 20) return ("legit.workQuorumBps", 0, 10_000);
        if (i == 21) return ("legit.passBps", 5000, 9999);
        if (i == 22) return ("legit.tokenProposalThreshold", 0, type(uint128).max);
        if (i == 23) return ("legit.workProposalThreshold", 0, type(uint48).max);
        // Any other key is an extension parameter.
        return (EXT_KEY, 0, MAX_VALUE);
    }

    function _init(bytes32 key, uint256 value, uint256 min, uint256 max)
        internal
        pure
        returns (ILegitimacyConstitution.ParamInit memory)
    {
        return ILegitimacyConstitution.ParamInit({key: key, value: value, min: min, max: max});
    }

    /// @dev The dev genesis with entry `i` dropped.
    function _genesisWithout(uint256 i) internal pure returns (ILegitimacyConstitution.ParamInit[] memory g) {
        ILegitimacyConstitution.ParamInit[] memory dev = Genesis.dev();
        g = new ILegitimacyConstitution.ParamInit[](dev.length - 1);
        uint256 j;
        for (uint256 k; k < dev.length; ++k) {
            if (k != i) g[j++] = dev[k];
        }
    }

    /// @dev The dev genesis with `extra` appended.
    function _genesisPlus(ILegitimacyConstitution.ParamInit memory extra)
        internal
        pure
        returns (ILegitimacyConstitution.ParamInit[] memory g)
    {
        ILegitimacyConstitution.ParamInit[] memory dev = Genesis.dev();
        g = new ILegitimacyConstitution.ParamInit[](dev.length + 1);
        for (uint256 k; k < dev.length; ++k) {
            g[k] = dev[k];
        }
        g[dev.length] = extra;
    }

    /// @dev The dev genesis with entry `i` replaced by `p` (`i == 24` appends instead).
    function _genesisWith(uint256 i, ILegitimacyConstitution.ParamInit memory p)
        internal
        pure
        returns (ILegitimacyConstitution.ParamInit[] memory g)
    {
        if (i >= REQUIRED_COUNT) return _genesisPlus(p);
        g = Genesis.dev();
        g[i] = p;
    }

    /// @dev Deploys a constitution as `deployer` over the fixture's token.
    function _deploy(ILegitimacyConstitution.ParamInit[] memory genesis)
        internal
        returns (LegitimacyConstitution c)
    {
        vm.prank(deployer);
        c = new LegitimacyConstitution(genesis, IVotes(address(token)));
    }

    /// @dev The address the deployer's next CREATE will produce.
    function _nextDeployed() internal view returns (address) {
        return vm.computeCreateAddress(deployer, vm.getNonce(deployer));
    }

    /// @dev A bootstrap config with nothing in it: refused, it leaves the Work House empty.
    function _nothing() internal pure returns (ILegitimacyConstitution.BootstrapConfig memory c) {
        c.roles = new ILegitimacyConstitution.RoleInit[](0);
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](0);
        c.articles = new ILegitimacyConstitution.Article[](0);
        c.seeds = new ILegitimacyConstitution.SeedInit[](0);
    }

    /// @dev The least bootstrap config that is accepted: a stand-in Work module (a fresh
    /// MockModule of the Work kind, returned in `c.modules[0]`) with one founding seed.
    function _blank() internal returns (ILegitimacyConstitution.BootstrapConfig memory c) {
        c = _nothing();
        c.modules[0] = address(_module(0));
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: founder, points: FOUNDER_POINTS});
    }

    /// @dev A module reporting the fixture's constitution and the kind of slot `i`.
    function _module(uint256 i) internal returns (MockModule m) {
        m = new MockModule(address(constitution));
        m.setModuleKind(ModuleKinds.forSlot(i));
    }

    function _bootstrap(ILegitimacyConstitution.BootstrapConfig memory c) internal {
        vm.prank(deployer);
        constitution.bootstrap(c);
    }

    /// @dev Four modules that all report the fixture's constitution, each of its slot's kind.
    function _modules() internal returns (MockModule[4] memory m) {
        for (uint256 i; i < 4; ++i) {
            m[i] = _module(i);
        }
    }
}
