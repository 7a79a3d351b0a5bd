// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {Genesis} from "./utils/Genesis.sol";

/// @notice The read side: parameters, recognition, roles, articles, directory.
contract LegitimacyConstitutionViewsTest is ConstitutionBase {
    function setUp() public {
        _deployConstitution();
    }

    // ------------------------------------------------------------------
    // Constants and identity
    // ------------------------------------------------------------------

    function test_constants_matchSpec() public view {
        vm.assertEq(constitution.STEWARD_ROLE(), keccak256("viable.role.STEWARD"));
        vm.assertEq(constitution.GUARDIAN_ROLE(), keccak256("viable.role.GUARDIAN"));
        vm.assertNotEq(constitution.STEWARD_ROLE(), constitution.GUARDIAN_ROLE());
        vm.assertEq(constitution.MAX_RECOGNITION_WEIGHT(), 1_000_000);
    }

    function test_token_isGenesisToken() public view {
        vm.assertEq(address(constitution.token()), address(token));
    }

    function test_deployer_isCreator() public {
        vm.assertEq(constitution.deployer(), deployer);
        vm.prank(stranger);
        LegitimacyConstitution other = new LegitimacyConstitution(Genesis.dev(), token);
        vm.assertEq(other.deployer(), stranger);
    }

    function test_bootstrapped_flipsOnBootstrap() public {
        vm.assertFalse(constitution.bootstrapped());
        _bootstrap(_blank());
        vm.assertTrue(constitution.bootstrapped());
    }

    // ------------------------------------------------------------------
    // param, paramBounds, params
    // ------------------------------------------------------------------

    function test_param_returnsGenesisValue() public view {
        vm.assertEq(constitution.param(ParamKeys.WORK_MAX_FIELDS), 16);
        vm.assertEq(constitution.param(ParamKeys.STRATEGY_MIN_BOND), 10 ether);
        vm.assertEq(constitution.param(ParamKeys.LEGIT_PASS_BPS), 5000);
        vm.assertEq(constitution.param(ParamKeys.LEGIT_VOTING_DELAY), 60);
    }

    function test_paramBounds_returnsGenesisBounds() public view {
        (uint256 min, uint256 max) = constitution.paramBounds(ParamKeys.WORK_MAX_DATA_BYTES);
        vm.assertEq(min, 256);
        vm.assertEq(max, 65_536);
        (min, max) = constitution.paramBounds(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD);
        vm.assertEq(min, 0);
        vm.assertEq(max, 100_000_000 ether);
    }

    function test_RevertWhen_paramUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, UNKNOWN_KEY
            )
        );
        constitution.param(UNKNOWN_KEY);
    }

    function test_RevertWhen_paramBoundsUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, UNKNOWN_KEY
            )
        );
        constitution.paramBounds(UNKNOWN_KEY);
    }

    /// @dev The zero key is not a parameter unless a genesis defines it.
    function test_RevertWhen_paramZeroKey() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, bytes32(0)
            )
        );
        constitution.param(bytes32(0));
    }

    function testFuzz_param_unknownKeyReverts(bytes32 key) public {
        ILegitimacyConstitution.ParamInit[] memory g = Genesis.dev();
        for (uint256 i; i < g.length; ++i) {
            vm.assume(key != g[i].key);
        }
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, key)
        );
        constitution.param(key);
    }

    function test_params_listsDevGenesisInOrder() public view {
        ILegitimacyConstitution.ParamInit[] memory g = Genesis.dev();
        ILegitimacyConstitution.ParamInfo[] memory p = constitution.params();
        vm.assertEq(p.length, g.length);
        for (uint256 i; i < g.length; ++i) {
            vm.assertEq(p[i].key, g[i].key);
            vm.assertEq(p[i].value, g[i].value);
            vm.assertEq(p[i].min, g[i].min);
            vm.assertEq(p[i].max, g[i].max);
        }
    }

    /// @dev Order follows the genesis, not the spec's key order: reverse the dev
    /// genesis and interleave extension keys.
    function test_params_followsGenesisOrderNotSpecOrder() public {
        ILegitimacyConstitution.ParamInit[] memory dev = Genesis.dev();
        ILegitimacyConstitution.ParamInit[] memory g = new ILegitimacyConstitution.ParamInit[](dev.length + 2);
        g[0] = _init("ext.first", 1, 0, 2);
        for (uint256 i; i < dev.length; ++i) {
            g[i + 1] = dev[dev.length - 1 - i];
        }
        g[dev.length + 1] = _init("ext.last", 3, 3, 3);
        LegitimacyConstitution c = _deploy(g);

        ILegitimacyConstitution.ParamInfo[] memory p = c.params();
        vm.assertEq(p.length, g.length);
        for (uint256 i; i < g.length; ++i) {
            vm.assertEq(p[i].key, g[i].key);
            vm.assertEq(p[i].value, g[i].value);
            vm.assertEq(p[i].min, g[i].min);
            vm.assertEq(p[i].max, g[i].max);
        }
    }

    // ------------------------------------------------------------------
    // recognition, recognizedSchemas
    // ------------------------------------------------------------------

    function test_recognition_zeroBeforeBootstrap() public view {
        vm.assertEq(constitution.recognition(SCHEMA_A), 0);
        (bytes32[] memory ids, uint256[] memory weights) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 0);
        vm.assertEq(weights.length, 0);
    }

    function test_recognizedSchemas_listsGrantsInOrderWithWeights() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](3);
        c.recognitions[0] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_B, weight: 7});
        c.recognitions[1] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_C, weight: 0});
        c.recognitions[2] = ILegitimacyConstitution.RecognitionInit({schemaId: SCHEMA_A, weight: 1_000_000});
        _bootstrap(c);

        vm.assertEq(constitution.recognition(SCHEMA_A), 1_000_000);
        vm.assertEq(constitution.recognition(SCHEMA_B), 7);
        vm.assertEq(constitution.recognition(SCHEMA_C), 0);
        (bytes32[] memory ids, uint256[] memory weights) = constitution.recognizedSchemas();
        vm.assertEq(ids.length, 2);
        vm.assertEq(weights.length, 2);
        vm.assertEq(ids[0], SCHEMA_B);
        vm.assertEq(weights[0], 7);
        vm.assertEq(ids[1], SCHEMA_A);
        vm.assertEq(weights[1], 1_000_000);
    }

    // ------------------------------------------------------------------
    // hasRole, roleMembers
    // ------------------------------------------------------------------

    function test_hasRole_falseBeforeBootstrap() public view {
        vm.assertFalse(constitution.hasRole(constitution.STEWARD_ROLE(), steward));
        vm.assertEq(constitution.roleMembers(constitution.STEWARD_ROLE()).length, 0);
        vm.assertEq(constitution.roleMembers(constitution.GUARDIAN_ROLE()).length, 0);
    }

    function test_hasRole_reflectsGrantsPerRole() public {
        _bootstrap(_emptyBootstrap());
        bytes32 s = constitution.STEWARD_ROLE();
        bytes32 g = constitution.GUARDIAN_ROLE();
        vm.assertTrue(constitution.hasRole(s, steward));
        vm.assertTrue(constitution.hasRole(g, guardian));
        // Roles do not leak across each other or to bystanders.
        vm.assertFalse(constitution.hasRole(s, guardian));
        vm.assertFalse(constitution.hasRole(g, steward));
        vm.assertFalse(constitution.hasRole(s, deployer));
        vm.assertFalse(constitution.hasRole(g, deployer));
        vm.assertFalse(constitution.hasRole(keccak256("viable.role.ADMIN"), steward));

        address[] memory stewards = constitution.roleMembers(s);
        vm.assertEq(stewards.length, 1);
        vm.assertEq(stewards[0], steward);
        address[] memory guardians = constitution.roleMembers(g);
        vm.assertEq(guardians.length, 1);
        vm.assertEq(guardians[0], guardian);
        vm.assertEq(constitution.roleMembers(keccak256("viable.role.ADMIN")).length, 0);
    }

    // ------------------------------------------------------------------
    // articles, article, articleCount
    // ------------------------------------------------------------------

    function test_articleCount_zeroBeforeBootstrap() public view {
        vm.assertEq(constitution.articleCount(), 0);
        vm.assertEq(constitution.articles().length, 0);
    }

    function test_articles_returnsAllInOrder() public {
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.articles = new ILegitimacyConstitution.Article[](3);
        c.articles[0] = ILegitimacyConstitution.Article({contentHash: keccak256("I"), uri: "ipfs://one"});
        c.articles[1] = ILegitimacyConstitution.Article({contentHash: keccak256("II"), uri: ""});
        c.articles[2] = ILegitimacyConstitution.Article({contentHash: keccak256("III"), uri: "ipfs://three"});
        _bootstrap(c);

        vm.assertEq(constitution.articleCount(), 3);
        ILegitimacyConstitution.Article[] memory all = constitution.articles();
        vm.assertEq(all.length, 3);
        for (uint256 i; i < 3; ++i) {
            ILegitimacyConstitution.Article memory a = constitution.article(i);
            vm.assertEq(a.contentHash, c.articles[i].contentHash);
            vm.assertEq(a.uri, c.articles[i].uri);
            vm.assertEq(all[i].contentHash, c.articles[i].contentHash);
            vm.assertEq(all[i].uri, c.articles[i].uri);
        }
    }

    function test_RevertWhen_articleIndexOutOfRange() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, 0, 0
            )
        );
        constitution.article(0);

        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.articles = new ILegitimacyConstitution.Article[](2);
        c.articles[0] = ILegitimacyConstitution.Article({contentHash: keccak256("I"), uri: "a"});
        c.articles[1] = ILegitimacyConstitution.Article({contentHash: keccak256("II"), uri: "b"});
        _bootstrap(c);

        constitution.article(1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, 2, 2
            )
        );
        constitution.article(2);
    }

    function testFuzz_article_outOfRange(uint256 index) public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, index, 0
            )
        );
        constitution.article(index);
    }

    // ------------------------------------------------------------------
    // module, modules
    // ------------------------------------------------------------------

    function test_modules_unsetBeforeBootstrap() public view {
        address[4] memory m = constitution.modules();
        for (uint256 i; i < 4; ++i) {
            vm.assertEq(m[i], address(0));
            vm.assertEq(constitution.module(ILegitimacyConstitution.Module(i)), address(0));
        }
    }

    function test_modules_directoryInModuleOrder() public {
        MockModule[4] memory mods = _modules();
        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        for (uint256 i; i < 4; ++i) {
            c.modules[i] = address(mods[i]);
        }
        _bootstrap(c);

        address[4] memory m = constitution.modules();
        for (uint256 i; i < 4; ++i) {
            vm.assertEq(m[i], address(mods[i]));
        }
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(mods[0]));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Coordination), address(mods[1]));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Optimization), address(mods[2]));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Strategy), address(mods[3]));
    }

    /// @dev An out-of-range enum value is rejected by the ABI decoder.
    function test_RevertWhen_moduleIndexOutOfEnum() public view {
        (bool ok,) =
            address(constitution).staticcall(abi.encodeWithSelector(constitution.module.selector, uint256(4)));
        vm.assertFalse(ok);
    }
}
