// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CoordinationLocks} from "../../contracts/CoordinationLocks.sol";
import {LegitimacyConstitution} from "../../contracts/LegitimacyConstitution.sol";
import {OptimizationTreasury} from "../../contracts/OptimizationTreasury.sol";
import {StrategyProposals} from "../../contracts/StrategyProposals.sol";
import {ViableToken} from "../../contracts/ViableToken.sol";
import {WorkRegistry} from "../../contracts/WorkRegistry.sol";
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

    uint256 internal constant HOLDING = 1_000_000 ether;

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

    /// @dev Deploys token and constitution; does not bootstrap.
    function _deployConstitution() internal {
        vm.warp(1_700_000_000);
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

    /// @dev The bootstrap config with no modules: roles only.
    function _emptyBootstrap() internal view returns (ILegitimacyConstitution.BootstrapConfig memory c) {
        c.roles = new ILegitimacyConstitution.RoleInit[](2);
        c.roles[0] = ILegitimacyConstitution.RoleInit({role: constitution.STEWARD_ROLE(), account: steward});
        c.roles[1] = ILegitimacyConstitution.RoleInit({role: constitution.GUARDIAN_ROLE(), account: guardian});
    }

    // ------------------------------------------------------------------
    // WorkRegistry (System 1)
    // ------------------------------------------------------------------

    WorkRegistry internal workRegistry;

    /// @dev Deploys the WorkRegistry for the constitution (after `_deployConstitution`).
    function _deployWork() internal {
        vm.prank(deployer);
        workRegistry = new WorkRegistry(address(constitution));
    }

    /// @dev Bootstraps with the WorkRegistry in the directory, the roles of
    /// `_emptyBootstrap`, and the given recognitions and founding seeds.
    function _bootstrapWithWork(
        ILegitimacyConstitution.RecognitionInit[] memory recognitions,
        ILegitimacyConstitution.SeedInit[] memory seeds
    ) internal {
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.modules[uint256(ILegitimacyConstitution.Module.Work)] = address(workRegistry);
        c.recognitions = recognitions;
        c.seeds = seeds;
        vm.prank(deployer);
        constitution.bootstrap(c);
    }

    /// @dev The whole suite as the SDK deploys it: token, constitution, WorkRegistry,
    /// OptimizationTreasury, then bootstrap (steward, guardian, founding points for alice, bob and carol),
    /// then one second so genesis balances and points sit before any snapshot.
    function _deploySuite() internal {
        _deployConstitution();
        vm.startPrank(deployer);
        work = new WorkRegistry(address(constitution));
        locks = new CoordinationLocks(address(constitution));
        treasury = new OptimizationTreasury(address(constitution));
        strategy = new StrategyProposals(address(constitution));
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.modules[uint256(ILegitimacyConstitution.Module.Work)] = address(work);
        c.modules[uint256(ILegitimacyConstitution.Module.Coordination)] = address(locks);
        c.modules[uint256(ILegitimacyConstitution.Module.Optimization)] = address(treasury);
        c.modules[uint256(ILegitimacyConstitution.Module.Strategy)] = address(strategy);
        c.seeds = new ILegitimacyConstitution.SeedInit[](3);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: ALICE_POINTS});
        c.seeds[1] = ILegitimacyConstitution.SeedInit({contributor: bob, points: BOB_POINTS});
        c.seeds[2] = ILegitimacyConstitution.SeedInit({contributor: carol, points: CAROL_POINTS});
        constitution.bootstrap(c);
        vm.stopPrank();
        vm.warp(block.timestamp + 1);
    }
}
