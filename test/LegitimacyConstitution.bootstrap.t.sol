// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "../contracts/libraries/ModuleKinds.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {Genesis} from "./utils/Genesis.sol";
import {Vm} from "./utils/Vm.sol";

/// @dev A would-be module that answers every call with success and no data.
contract SilentModule {
    fallback() external {}
}

/// @dev A would-be module whose `constitution()` returns a word with bits above the
/// address: `address(this)` in the low 160 bits, garbage above.
contract DirtyModule {
    address private immutable _target;

    constructor(address target) {
        _target = target;
    }

    fallback(bytes calldata) external returns (bytes memory) {
        return abi.encode(uint256(uint160(_target)) | (uint256(1) << 200));
    }
}

/// @notice `bootstrap`: who may call it, once, and everything it wires.
contract LegitimacyConstitutionBootstrapTest is ConstitutionBase {
    bytes32 internal stewardRole;
    bytes32 internal guardianRole;

    function setUp() public {
        _deployConstitution();
        stewardRole = constitution.STEWARD_ROLE();
        guardianRole = constitution.GUARDIAN_ROLE();
    }

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    function _roles(bytes32 r0, address a0)
        internal
        pure
        returns (ILegitimacyConstitution.RoleInit[] memory r)
    {
        r = new ILegitimacyConstitution.RoleInit[](1);
        r[0] = ILegitimacyConstitution.RoleInit({role: r0, account: a0});
    }

    function _recognitions(bytes32 s0, uint256 w0)
        internal
        pure
        returns (ILegitimacyConstitution.RecognitionInit[] memory r)
    {
        r = new ILegitimacyConstitution.RecognitionInit[](1);
        r[0] = ILegitimacyConstitution.RecognitionInit({schemaId: s0, weight: w0});
    }

    function _seeds(address c0, uint256 p0)
        internal
        pure
        returns (ILegitimacyConstitution.SeedInit[] memory s)
    {
        s = new ILegitimacyConstitution.SeedInit[](1);
        s[0] = ILegitimacyConstitution.SeedInit({contributor: c0, points: p0});
    }

    function _expectMismatch(ILegitimacyConstitution.Module m, address addr, address reported) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleMismatch.selector, m, addr, reported
            )
        );
    }

    function _assertUntouched() internal view {
        vm.assertFalse(constitution.bootstrapped());
        address[4] memory m = constitution.modules();
        for (uint256 i; i < 4; ++i) {
            vm.assertEq(m[i], address(0));
        }
        vm.assertEq(constitution.roleMembers(stewardRole).length, 0);
        vm.assertEq(constitution.roleMembers(guardianRole).length, 0);
        (bytes32[] memory ids,) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 0);
        vm.assertEq(constitution.articleCount(), 0);
    }

    // ------------------------------------------------------------------
    // The whole wiring, every event
    // ------------------------------------------------------------------

    function test_bootstrap_wiresEverythingAndEmitsInOrder() public {
        MockModule[4] memory mods = _modules();
        ILegitimacyConstitution.BootstrapConfig memory c = _nothing();
        for (uint256 i; i < 4; ++i) {
            c.modules[i] = address(mods[i]);
        }
        c.roles = new ILegitimacyConstitution.RoleInit[](3);
        c.roles[0] = ILegitimacyConstitution.RoleInit({role: stewardRole, account: steward});
        c.roles[1] = ILegitimacyConstitution.RoleInit({role: guardianRole, account: guardian});
        c.roles[2] = ILegitimacyConstitution.RoleInit({role: guardianRole, account: alice});
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](2);
        c.recognitions[0] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_A, weight: 3});
        c.recognitions[1] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_B, weight: 1});
        c.articles = new ILegitimacyConstitution.Article[](2);
        c.articles[0] = ILegitimacyConstitution.Article({contentHash: keccak256("Preamble"), uri: "ipfs://p"});
        c.articles[1] = ILegitimacyConstitution.Article({contentHash: keccak256("Art. 1"), uri: "ipfs://1"});
        c.seeds = new ILegitimacyConstitution.SeedInit[](2);
        c.seeds[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: 100});
        c.seeds[1] = ILegitimacyConstitution.SeedInit({contributor: bob, points: 25});

        address k = address(constitution);
        for (uint256 i; i < 4; ++i) {
            vm.expectEmit(true, true, true, true, k);
            emit ILegitimacyConstitution.ModuleSet(
                ILegitimacyConstitution.Module(i), address(0), address(mods[i])
            );
        }
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.RoleGranted(stewardRole, steward);
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.RoleGranted(guardianRole, guardian);
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.RoleGranted(guardianRole, alice);
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 0, 3);
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_B, 0, 1);
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.ArticleSet(0, bytes32(0), keccak256("Preamble"), "ipfs://p");
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.ArticleSet(1, bytes32(0), keccak256("Art. 1"), "ipfs://1");
        vm.expectEmit(true, true, true, true, k);
        emit ILegitimacyConstitution.Bootstrapped(deployer);
        vm.expectCall(address(mods[0]), abi.encodeCall(IWorkRegistry.seedContribution, (alice, 100)));
        vm.expectCall(address(mods[0]), abi.encodeCall(IWorkRegistry.seedContribution, (bob, 25)));
        _bootstrap(c);

        vm.assertTrue(constitution.bootstrapped());
        for (uint256 i; i < 4; ++i) {
            vm.assertEq(constitution.module(ILegitimacyConstitution.Module(i)), address(mods[i]));
        }
        vm.assertTrue(constitution.hasRole(stewardRole, steward));
        vm.assertTrue(constitution.hasRole(guardianRole, guardian));
        vm.assertTrue(constitution.hasRole(guardianRole, alice));
        vm.assertEq(constitution.recognition(SCHEMA_A), 3);
        vm.assertEq(constitution.recognition(SCHEMA_B), 1);
        vm.assertEq(constitution.articleCount(), 2);

        // Seeds went to the Work module only, in order, from the constitution,
        // while seeding was still open.
        vm.assertEq(mods[0].seedCount(), 2);
        for (uint256 i = 1; i < 4; ++i) {
            vm.assertEq(mods[i].seedCount(), 0);
        }
        MockModule.Seed memory s0 = mods[0].seedAt(0);
        MockModule.Seed memory s1 = mods[0].seedAt(1);
        vm.assertEq(s0.contributor, alice);
        vm.assertEq(s0.points, 100);
        vm.assertEq(s1.contributor, bob);
        vm.assertEq(s1.points, 25);
        vm.assertEq(s0.caller, address(constitution));
        vm.assertFalse(s0.bootstrappedAtCall);
        vm.assertFalse(s1.bootstrappedAtCall);
    }

    /// @dev The least config (a Work module and one seed) wires the Work module, flips
    /// the flag and nothing else.
    function test_bootstrap_minimalConfigOnlyWiresTheWorkHouse() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        vm.recordLogs();
        _bootstrap(c);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 2);
        vm.assertEq(logs[0].emitter, address(constitution));
        vm.assertEq(logs[0].topics[0], ILegitimacyConstitution.ModuleSet.selector);
        vm.assertEq(logs[1].emitter, address(constitution));
        vm.assertEq(logs[1].topics[0], ILegitimacyConstitution.Bootstrapped.selector);
        vm.assertEq(logs[1].topics[1], bytes32(uint256(uint160(deployer))));
        vm.assertTrue(constitution.bootstrapped());
        address[4] memory m = constitution.modules();
        vm.assertEq(m[0], c.modules[0]);
        for (uint256 i = 1; i < 4; ++i) {
            vm.assertEq(m[i], address(0));
        }
        vm.assertEq(MockModule(c.modules[0]).seedCount(), 1);
    }

    // ------------------------------------------------------------------
    // Only the deployer, only once
    // ------------------------------------------------------------------

    function test_RevertWhen_bootstrapCalledByNonDeployer() public {
        address[5] memory callers = [stranger, alice, steward, address(this), address(constitution)];
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionNotDeployer.selector, callers[i]
                )
            );
            vm.prank(callers[i]);
            constitution.bootstrap(c);
        }
        _assertUntouched();
    }

    function testFuzz_bootstrap_onlyDeployer(address caller) public {
        vm.assume(caller != deployer);
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionNotDeployer.selector, caller)
        );
        vm.prank(caller);
        constitution.bootstrap(c);
        _assertUntouched();

        // The deployer still can.
        _bootstrap(c);
        vm.assertTrue(constitution.bootstrapped());
    }

    function test_RevertWhen_bootstrapTwice() public {
        _bootstrap(_emptyBootstrap());

        // A second config that would grant new powers: refused, nothing changes.
        ILegitimacyConstitution.BootstrapConfig memory again = _blank();
        again.roles = _roles(stewardRole, deployer);
        again.recognitions = _recognitions(SCHEMA_A, 5);
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionAlreadyBootstrapped.selector)
        );
        _bootstrap(again);

        vm.assertFalse(constitution.hasRole(stewardRole, deployer));
        vm.assertEq(constitution.recognition(SCHEMA_A), 0);
        vm.assertEq(constitution.roleMembers(stewardRole).length, 1);
    }

    /// @dev After bootstrap nobody passes: the deployer hits AlreadyBootstrapped and
    /// everyone else still hits NotDeployer.
    function testFuzz_bootstrap_nobodyAfterBootstrap(address caller) public {
        _bootstrap(_blank());
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = _roles(guardianRole, caller == address(0) ? stranger : caller);
        if (caller == deployer) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionAlreadyBootstrapped.selector
                )
            );
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionNotDeployer.selector, caller
                )
            );
        }
        vm.prank(caller);
        constitution.bootstrap(c);
        vm.assertEq(constitution.roleMembers(guardianRole).length, 0);
    }

    /// @dev A bootstrap that fails part-way leaves no trace and can be retried.
    function test_bootstrap_failureIsAtomic() public {
        MockModule[4] memory mods = _modules();
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[0] = address(mods[0]);
        c.roles = _roles(stewardRole, steward);
        c.recognitions = _recognitions(SCHEMA_A, 9);
        c.articles = new ILegitimacyConstitution.Article[](2);
        c.articles[0] = ILegitimacyConstitution.Article({contentHash: keccak256("I"), uri: "a"});
        c.articles[1] = ILegitimacyConstitution.Article({contentHash: bytes32(0), uri: "b"});
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, 1)
        );
        _bootstrap(c);
        _assertUntouched();

        c.articles[1].contentHash = keccak256("II");
        _bootstrap(c);
        vm.assertTrue(constitution.bootstrapped());
        vm.assertEq(constitution.articleCount(), 2);
    }

    // ------------------------------------------------------------------
    // Roles
    // ------------------------------------------------------------------

    function test_bootstrap_grantsRoles() public {
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RoleGranted(stewardRole, steward);
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RoleGranted(guardianRole, guardian);
        _bootstrap(_emptyBootstrap());
        vm.assertTrue(constitution.hasRole(stewardRole, steward));
        vm.assertTrue(constitution.hasRole(guardianRole, guardian));
    }

    function test_bootstrap_sameAccountBothRoles() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = new ILegitimacyConstitution.RoleInit[](2);
        c.roles[0] = ILegitimacyConstitution.RoleInit({role: stewardRole, account: carol});
        c.roles[1] = ILegitimacyConstitution.RoleInit({role: guardianRole, account: carol});
        _bootstrap(c);
        vm.assertTrue(constitution.hasRole(stewardRole, carol));
        vm.assertTrue(constitution.hasRole(guardianRole, carol));
    }

    /// @dev Granting a role twice keeps one membership and logs one grant.
    function test_bootstrap_duplicateGrantIsIdempotent() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = new ILegitimacyConstitution.RoleInit[](2);
        c.roles[0] = ILegitimacyConstitution.RoleInit({role: stewardRole, account: steward});
        c.roles[1] = ILegitimacyConstitution.RoleInit({role: stewardRole, account: steward});
        vm.recordLogs();
        _bootstrap(c);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 grants;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == ILegitimacyConstitution.RoleGranted.selector) ++grants;
        }
        vm.assertEq(grants, 1);
        vm.assertEq(constitution.roleMembers(stewardRole).length, 1);
    }

    function test_RevertWhen_bootstrapRoleUnknown() public {
        bytes32 admin = keccak256("viable.role.ADMIN");
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = _roles(admin, steward);
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionUnknownRole.selector, admin)
        );
        _bootstrap(c);
        _assertUntouched();
    }

    function testFuzz_bootstrap_unknownRoleReverts(bytes32 role) public {
        vm.assume(role != stewardRole && role != guardianRole);
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = _roles(role, steward);
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionUnknownRole.selector, role)
        );
        _bootstrap(c);
    }

    function test_RevertWhen_bootstrapRoleForZeroAccount() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = _roles(guardianRole, address(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidAccount.selector, address(0)
            )
        );
        _bootstrap(c);
        _assertUntouched();
    }

    // ------------------------------------------------------------------
    // Recognitions
    // ------------------------------------------------------------------

    function test_bootstrap_setsRecognitions() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](3);
        c.recognitions[0] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_A, weight: 2});
        c.recognitions[1] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_B, weight: 1_000_000});
        // Same schema again: the log carries the previous weight.
        c.recognitions[2] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_A, weight: 4});
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 0, 2);
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_B, 0, 1_000_000);
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 2, 4);
        _bootstrap(c);

        vm.assertEq(constitution.recognition(SCHEMA_A), 4);
        vm.assertEq(constitution.recognition(SCHEMA_B), 1_000_000);
        (bytes32[] memory ids, uint256[] memory weights) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 2);
        vm.assertEq(ids[0], SCHEMA_A);
        vm.assertEq(weights[0], 4);
        vm.assertEq(ids[1], SCHEMA_B);
        vm.assertEq(weights[1], 1_000_000);
    }

    function test_bootstrap_zeroWeightLeavesSchemaUnrecognized() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.recognitions = _recognitions(SCHEMA_C, 0);
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_C, 0, 0);
        _bootstrap(c);
        vm.assertEq(constitution.recognition(SCHEMA_C), 0);
        (bytes32[] memory ids,) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 0);
    }

    /// @dev A later zero in the same bootstrap withdraws an earlier grant.
    function test_bootstrap_zeroWeightWithdrawsEarlierGrant() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](2);
        c.recognitions[0] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_A, weight: 8});
        c.recognitions[1] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_A, weight: 0});
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 0, 8);
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 8, 0);
        _bootstrap(c);
        vm.assertEq(constitution.recognition(SCHEMA_A), 0);
        (bytes32[] memory ids,) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 0);
    }

    function test_RevertWhen_bootstrapRecognitionTooHigh() public {
        uint256 max = constitution.MAX_RECOGNITION_WEIGHT();
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.recognitions = _recognitions(SCHEMA_A, max + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionRecognitionTooHigh.selector,
                SCHEMA_A,
                max + 1,
                max
            )
        );
        _bootstrap(c);
        _assertUntouched();
    }

    function testFuzz_bootstrap_recognition(bytes32 schemaId, uint256 weight) public {
        uint256 max = constitution.MAX_RECOGNITION_WEIGHT();
        if (weight % 2 == 0) weight = bound(weight, 0, max + 1);
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.recognitions = _recognitions(schemaId, weight);
        if (weight > max) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionRecognitionTooHigh.selector,
                    schemaId,
                    weight,
                    max
                )
            );
            _bootstrap(c);
            vm.assertEq(constitution.recognition(schemaId), 0);
            return;
        }
        _bootstrap(c);
        vm.assertEq(constitution.recognition(schemaId), weight);
        (bytes32[] memory ids,) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, weight == 0 ? 0 : 1);
    }

    // ------------------------------------------------------------------
    // Articles
    // ------------------------------------------------------------------

    function test_bootstrap_appendsArticles() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.articles = new ILegitimacyConstitution.Article[](3);
        for (uint256 i; i < 3; ++i) {
            c.articles[i] = ILegitimacyConstitution.Article({
                contentHash: keccak256(abi.encode("article", i)),
                uri: string.concat("ipfs://", vm.toString(i))
            });
            vm.expectEmit(true, true, true, true, address(constitution));
            emit ILegitimacyConstitution.ArticleSet(
                i, bytes32(0), c.articles[i].contentHash, c.articles[i].uri
            );
        }
        _bootstrap(c);
        vm.assertEq(constitution.articleCount(), 3);
        for (uint256 i; i < 3; ++i) {
            vm.assertEq(constitution.article(i).contentHash, c.articles[i].contentHash);
            vm.assertEq(constitution.article(i).uri, c.articles[i].uri);
        }
    }

    function test_RevertWhen_bootstrapArticleHashZero() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.articles = new ILegitimacyConstitution.Article[](1);
        c.articles[0] = ILegitimacyConstitution.Article({contentHash: bytes32(0), uri: "ipfs://empty"});
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, 0)
        );
        _bootstrap(c);
        _assertUntouched();
    }

    // ------------------------------------------------------------------
    // Modules
    // ------------------------------------------------------------------

    function test_bootstrap_setsCorrectModule() public {
        MockModule m = _module(uint256(ILegitimacyConstitution.Module.Optimization));
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[uint256(ILegitimacyConstitution.Module.Optimization)] = address(m);
        vm.expectEmit(true, true, true, true, address(constitution));
        emit ILegitimacyConstitution.ModuleSet(
            ILegitimacyConstitution.Module.Optimization, address(0), address(m)
        );
        _bootstrap(c);
        address[4] memory dir = constitution.modules();
        vm.assertEq(dir[0], c.modules[0]);
        vm.assertEq(dir[1], address(0));
        vm.assertEq(dir[2], address(m));
        vm.assertEq(dir[3], address(0));
    }

    function test_RevertWhen_bootstrapModuleIsEOA() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[1] = stranger;
        _expectMismatch(ILegitimacyConstitution.Module.Coordination, stranger, address(0));
        _bootstrap(c);
        _assertUntouched();
    }

    function test_RevertWhen_bootstrapModuleHasNoConstitutionFunction() public {
        // The token is a contract without `constitution()` (and without a fallback).
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[0] = address(token);
        _expectMismatch(ILegitimacyConstitution.Module.Work, address(token), address(0));
        _bootstrap(c);
        _assertUntouched();
    }

    function test_RevertWhen_bootstrapModuleReportsAnotherConstitution() public {
        vm.prank(deployer);
        LegitimacyConstitution other = new LegitimacyConstitution(Genesis.dev(), token);
        MockModule m = new MockModule(address(other));
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[3] = address(m);
        _expectMismatch(ILegitimacyConstitution.Module.Strategy, address(m), address(other));
        _bootstrap(c);
        _assertUntouched();
    }

    function test_RevertWhen_bootstrapModuleReportsZero() public {
        MockModule m = new MockModule(address(0));
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[2] = address(m);
        _expectMismatch(ILegitimacyConstitution.Module.Optimization, address(m), address(0));
        _bootstrap(c);
    }

    /// @dev A mismatch in a later slot undoes the earlier, valid ones.
    function test_RevertWhen_bootstrapLastModuleMismatches() public {
        MockModule[4] memory mods = _modules();
        mods[3].setConstitution(stranger);
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        for (uint256 i; i < 4; ++i) {
            c.modules[i] = address(mods[i]);
        }
        _expectMismatch(ILegitimacyConstitution.Module.Strategy, address(mods[3]), stranger);
        _bootstrap(c);
        _assertUntouched();
    }

    function testFuzz_bootstrap_moduleMustReportThisConstitution(uint8 slot, address reported) public {
        uint256 i = bound(slot, 0, 3);
        if (slot % 2 == 0) reported = address(constitution);
        MockModule m = new MockModule(reported);
        m.setModuleKind(ModuleKinds.forSlot(i));
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[i] = address(m);
        if (reported != address(constitution)) {
            _expectMismatch(ILegitimacyConstitution.Module(i), address(m), reported);
            _bootstrap(c);
            vm.assertEq(constitution.module(ILegitimacyConstitution.Module(i)), address(0));
        } else {
            _bootstrap(c);
            vm.assertEq(constitution.module(ILegitimacyConstitution.Module(i)), address(m));
        }
    }

    /// @dev A call that succeeds with no data reports nothing: ModuleMismatch with a
    /// zero `reported`, not an undecodable revert.
    function test_RevertWhen_bootstrapModuleFallbackReturnsNothing() public {
        address m = address(new SilentModule());
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[0] = m;
        _expectMismatch(ILegitimacyConstitution.Module.Work, m, address(0));
        _bootstrap(c);
    }

    /// @dev A dirty word is no address, even if its low bits name this constitution.
    function test_RevertWhen_bootstrapModuleReturnsDirtyWord() public {
        address m = address(new DirtyModule(address(constitution)));
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.modules[1] = m;
        _expectMismatch(ILegitimacyConstitution.Module.Coordination, m, address(0));
        _bootstrap(c);
        _assertUntouched();
    }

    // ------------------------------------------------------------------
    // Seeds
    // ------------------------------------------------------------------

    function test_RevertWhen_bootstrapSeedsWithoutWorkModule() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _nothing();
        c.seeds = _seeds(alice, 10);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleUnset.selector,
                ILegitimacyConstitution.Module.Work
            )
        );
        _bootstrap(c);
        _assertUntouched();
    }

    /// @dev Other modules in the directory do not stand in for the Work module.
    function test_RevertWhen_bootstrapSeedsWithOnlyOtherModules() public {
        MockModule[4] memory mods = _modules();
        ILegitimacyConstitution.BootstrapConfig memory c = _nothing();
        for (uint256 i = 1; i < 4; ++i) {
            c.modules[i] = address(mods[i]);
        }
        c.seeds = _seeds(alice, 10);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleUnset.selector,
                ILegitimacyConstitution.Module.Work
            )
        );
        _bootstrap(c);
        _assertUntouched();
    }

    /// @dev Roles alone used to be a valid bootstrap; with no Work House no amendment
    /// could ever pass, so it is refused (the finding-1 tests cover every variant).
    function test_RevertWhen_bootstrapRolesOnly() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.modules[0] = address(0);
        c.seeds = new ILegitimacyConstitution.SeedInit[](0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleUnset.selector,
                ILegitimacyConstitution.Module.Work
            )
        );
        _bootstrap(c);
        _assertUntouched();
    }

    function test_bootstrap_seedsCallWorkModule() public {
        MockModule workModule = _module(0);
        ILegitimacyConstitution.BootstrapConfig memory c = _nothing();
        c.modules[0] = address(workModule);
        c.seeds = _seeds(carol, 49);
        vm.expectCall(address(workModule), abi.encodeCall(IWorkRegistry.seedContribution, (carol, 49)), 1);
        _bootstrap(c);
        vm.assertEq(workModule.seedCount(), 1);
        vm.assertFalse(workModule.seedAt(0).bootstrappedAtCall);
        vm.assertTrue(constitution.bootstrapped());
    }
}
