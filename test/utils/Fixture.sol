// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CoordinationLocks} from "../../contracts/CoordinationLocks.sol";
import {LegitimacyConstitution} from "../../contracts/LegitimacyConstitution.sol";
import {OptimizationTreasury} from "../../contracts/OptimizationTreasury.sol";
import {StrategyProposals} from "../../contracts/StrategyProposals.sol";
import {ViableToken} from "../../contracts/ViableToken.sol";
import {WorkRegistry} from "../../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {Genesis} from "./Genesis.sol";
import {Test} from "./Test.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Deploys the suite the way the SDK's `deploy` does: token, constitution
/// with the dev genesis, then the modules, then `bootstrap` by the deployer.
abstract contract Fixture is Test {
    address internal deployer = makeAddr("deployer");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal steward = makeAddr("steward");
    address internal guardian = makeAddr("guardian");
    address internal stranger = makeAddr("stranger");
    /// @dev The founding contributor of the minimal bootstraps (`_emptyBootstrap`).
    address internal founder = makeAddr("founder");

    uint256 internal constant HOLDING = 1_000_000 ether;
    /// @dev The token supply: three holdings.
    uint256 internal constant TOTAL = 3 * HOLDING;

    ViableToken internal token;
    LegitimacyConstitution internal constitution;
    WorkRegistry internal work;
    CoordinationLocks internal locks;
    OptimizationTreasury internal treasury;
    StrategyProposals internal strategy;

    /// @dev Founding contribution points in `_deploySuite`: powers 10, 8 and 6 (total 24).
    uint256 internal constant ALICE_POINTS = 100;
    uint256 internal constant BOB_POINTS = 64;
    uint256 internal constant CAROL_POINTS = 36;

    /// @dev The one founding seed of `_emptyBootstrap` and `_bootstrapWithWork`: power 1,
    /// the least that lets the Work House reach quorum.
    uint256 internal constant FOUNDER_POINTS = 1;
    uint256 internal constant FOUNDER_POWER = 1;

    /// @dev Deploys token and constitution; does not bootstrap.
    function _deployConstitution() internal {
        vm.warp(1_700_000_000);
        // A new constitution needs its own WorkRegistry (`_emptyBootstrap` deploys one).
        workRegistry = WorkRegistry(address(0));
        address[] memory holders = new address[](3);
        holders[0] = alice;
        holders[1] = bob;
        holders[2] = carol;
        uint256[] memory amounts = new uint256[](3);
        amounts[0] = HOLDING;
        amounts[1] = HOLDING;
        amounts[2] = HOLDING;
        vm.startPrank(deployer);
        token = new ViableToken("Viable Dev", "VIA", holders, amounts);
        constitution = new LegitimacyConstitution(Genesis.dev(), IVotes(address(token)));
        vm.stopPrank();
    }

    /// @dev The least a bootstrap may be: the roles, and a Work House that can reach
    /// quorum (a WorkRegistry, deployed here if `_deployWork` has not run, and one
    /// founding seed of FOUNDER_POINTS). A bootstrap with no Work House is refused.
    function _emptyBootstrap() internal returns (ILegitimacyConstitution.BootstrapConfig memory c) {
        if (address(workRegistry) == address(0)) _deployWork();
        c.modules[uint256(ILegitimacyConstitution.Module.Work)] = address(workRegistry);
        c.roles = new ILegitimacyConstitution.RoleInit[](2);
        c.roles[0] = ILegitimacyConstitution.RoleInit({role: constitution.STEWARD_ROLE(), account: steward});
        c.roles[1] = ILegitimacyConstitution.RoleInit({role: constitution.GUARDIAN_ROLE(), account: guardian});
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: founder, points: FOUNDER_POINTS});
    }

    // ------------------------------------------------------------------
    // WorkRegistry (System 1)
    // ------------------------------------------------------------------

    WorkRegistry internal workRegistry;

    /// @dev The one place the suite builds a WorkRegistry (as the deployer), so that a
    /// factory can later replace it. Built after bootstrap, a registry succeeds the
    /// constitution's Work module of that moment.
    function _newWorkRegistry() internal returns (WorkRegistry r) {
        vm.prank(deployer);
        r = new WorkRegistry(address(constitution));
    }

    /// @dev Deploys the WorkRegistry for the constitution (after `_deployConstitution`).
    function _deployWork() internal {
        workRegistry = _newWorkRegistry();
    }

    /// @dev Bootstraps with the WorkRegistry in the directory, the roles of
    /// `_emptyBootstrap`, and the given recognitions and founding seeds (none given: the
    /// founder's). Recognized schemas must be registered first.
    function _bootstrapWithWork(
        ILegitimacyConstitution.RecognitionInit[] memory recognitions,
        ILegitimacyConstitution.SeedInit[] memory seeds
    ) internal {
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.recognitions = recognitions;
        if (seeds.length != 0) c.seeds = seeds;
        vm.prank(deployer);
        constitution.bootstrap(c);
    }

    /// @dev The whole suite as the SDK deploys it: token, constitution, WorkRegistry,
    /// OptimizationTreasury, then bootstrap (steward, guardian, founding points for alice, bob and carol),
    /// then one second so genesis balances and points sit before any snapshot.
    function _deploySuite() internal {
        _deployConstitution();
        work = _newWorkRegistry();
        workRegistry = work;
        vm.startPrank(deployer);
        locks = new CoordinationLocks(address(constitution));
        treasury = new OptimizationTreasury(address(constitution));
        strategy = new StrategyProposals(address(constitution));
        vm.stopPrank();
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.modules[uint256(ILegitimacyConstitution.Module.Coordination)] = address(locks);
        c.modules[uint256(ILegitimacyConstitution.Module.Optimization)] = address(treasury);
        c.modules[uint256(ILegitimacyConstitution.Module.Strategy)] = address(strategy);
        c.seeds = new ILegitimacyConstitution.SeedInit[](3);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: ALICE_POINTS});
        c.seeds[1] = ILegitimacyConstitution.SeedInit({contributor: bob, points: BOB_POINTS});
        c.seeds[2] = ILegitimacyConstitution.SeedInit({contributor: carol, points: CAROL_POINTS});
        vm.prank(deployer);
        constitution.bootstrap(c);
        vm.warp(block.timestamp + 1);
    }
}
