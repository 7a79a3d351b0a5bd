// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ModuleKinds} from "../contracts/libraries/ModuleKinds.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";
import {ConstitutionHarness} from "./harness/ConstitutionHarness.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {Genesis} from "./utils/Genesis.sol";
import {Vm} from "./utils/Vm.sol";

/// @notice The internal setters that bootstrap and (later) executed amendments share,
/// reached through a test-only harness. Every rule here must hold on every path.
contract LegitimacyConstitutionSettersTest is ConstitutionBase {
    ConstitutionHarness internal h;
    /// @dev The harness's Work module: a stand-in that reports every schema as Attested,
    /// so recognitions pass the "checked by others" rule (tested in the finding-5 suite).
    MockModule internal hWork;
    bytes32 internal stewardRole;
    bytes32 internal guardianRole;

    function setUp() public {
        _deployConstitution();
        h = _harness(Genesis.dev());
        hWork = _moduleOf(address(h), 0);
        h.exposed_setModule(0, address(hWork));
        stewardRole = h.STEWARD_ROLE();
        guardianRole = h.GUARDIAN_ROLE();
        vm.assertEq(h.ARTICLE_APPEND(), APPEND, "ARTICLE_APPEND is max uint256");
    }

    function _moduleOf(address c, uint256 slot) internal returns (MockModule m) {
        m = new MockModule(c);
        m.setModuleKind(ModuleKinds.forSlot(slot));
    }

    function _harness(ILegitimacyConstitution.ParamInit[] memory g) internal returns (ConstitutionHarness) {
        return new ConstitutionHarness(g, token);
    }

    function _expectParamSet(bytes32 key, uint256 oldValue, uint256 newValue) internal {
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ParamSet(key, oldValue, newValue);
    }

    function _expectOutOfBounds(bytes32 key, uint256 value, uint256 min, uint256 max) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector, key, value, min, max
            )
        );
    }

    /// @dev The SetArticle index that appends; `setUp` checks the harness agrees.
    uint256 internal constant APPEND = type(uint256).max;

    /// @dev Appends `n` articles: article `i` has hash keccak256(abi.encode(i)) and uri "x".
    function _addArticles(uint256 n) internal {
        uint256 start = h.articleCount();
        for (uint256 i; i < n; ++i) {
            h.exposed_setArticle(APPEND, keccak256(abi.encode(start + i)), "x");
        }
        vm.assertEq(h.articleCount(), start + n);
    }

    function _expectArticleOutOfRange(uint256 index, uint256 count) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionArticleOutOfRange.selector, index, count
            )
        );
    }

    // ------------------------------------------------------------------
    // SetParam
    // ------------------------------------------------------------------

    function test_setParam_withinBoundsEmitsOldAndNew() public {
        _expectParamSet(ParamKeys.WORK_MAX_FIELDS, 16, 32);
        h.exposed_setParam(ParamKeys.WORK_MAX_FIELDS, 32);
        vm.assertEq(h.param(ParamKeys.WORK_MAX_FIELDS), 32);

        _expectParamSet(ParamKeys.WORK_MAX_FIELDS, 32, 1);
        h.exposed_setParam(ParamKeys.WORK_MAX_FIELDS, 1);
        vm.assertEq(h.param(ParamKeys.WORK_MAX_FIELDS), 1);

        // Bounds never move.
        (uint256 min, uint256 max) = h.paramBounds(ParamKeys.WORK_MAX_FIELDS);
        vm.assertEq(min, 1);
        vm.assertEq(max, 64);
    }

    function test_setParam_exactBoundsAccepted() public {
        _expectParamSet(ParamKeys.LEGIT_PASS_BPS, 5000, 9000);
        h.exposed_setParam(ParamKeys.LEGIT_PASS_BPS, 9000);
        _expectParamSet(ParamKeys.LEGIT_PASS_BPS, 9000, 5000);
        h.exposed_setParam(ParamKeys.LEGIT_PASS_BPS, 5000);
    }

    /// @dev Setting the current value is a no-op that is still logged.
    function test_setParam_sameValueLogged() public {
        _expectParamSet(ParamKeys.LOCKS_MAX_QUEUE, 64, 64);
        h.exposed_setParam(ParamKeys.LOCKS_MAX_QUEUE, 64);
        vm.assertEq(h.param(ParamKeys.LOCKS_MAX_QUEUE), 64);
    }

    /// @dev The update keeps the key's slot intact: params() still lists it in place.
    function test_setParam_reflectedInParams() public {
        h.exposed_setParam(ParamKeys.STRATEGY_MIN_BOND, 1_000_000 ether);
        ILegitimacyConstitution.ParamInfo[] memory p = h.params();
        vm.assertEq(p.length, REQUIRED_COUNT);
        vm.assertEq(p[10].key, ParamKeys.STRATEGY_MIN_BOND);
        vm.assertEq(p[10].value, 1_000_000 ether);
        vm.assertEq(p[11].key, ParamKeys.STRATEGY_HALF_LIFE);
        vm.assertEq(p[11].value, 180);
    }

    function test_RevertWhen_setParamBelowMin() public {
        _expectOutOfBounds(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS, 99, 100, 10_000);
        h.exposed_setParam(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS, 99);
        vm.assertEq(h.param(ParamKeys.TREASURY_MAX_RECIPIENT_SHARE_BPS), 2500);
    }

    function test_RevertWhen_setParamAboveMax() public {
        _expectOutOfBounds(ParamKeys.LEGIT_PASS_BPS, 9001, 5000, 9000);
        h.exposed_setParam(ParamKeys.LEGIT_PASS_BPS, 9001);
        _expectOutOfBounds(ParamKeys.LEGIT_PASS_BPS, type(uint256).max, 5000, 9000);
        h.exposed_setParam(ParamKeys.LEGIT_PASS_BPS, type(uint256).max);
        vm.assertEq(h.param(ParamKeys.LEGIT_PASS_BPS), 5000);
    }

    /// @dev A value above the 2^128 - 1 ceiling of every bound is out of bounds first.
    function test_RevertWhen_setParamExtensionBeyondUint128() public {
        ConstitutionHarness x = _harness(_genesisPlus(_init(EXT_KEY, 0, 0, MAX_VALUE)));
        x.exposed_setParam(EXT_KEY, MAX_VALUE);
        vm.assertEq(x.param(EXT_KEY), MAX_VALUE);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                EXT_KEY,
                MAX_VALUE + 1,
                0,
                MAX_VALUE
            )
        );
        x.exposed_setParam(EXT_KEY, MAX_VALUE + 1);
        vm.assertEq(x.param(EXT_KEY), MAX_VALUE);
    }

    function test_RevertWhen_setParamUnknownKey() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, UNKNOWN_KEY
            )
        );
        h.exposed_setParam(UNKNOWN_KEY, 1);
    }

    /// @notice For any key with any genesis bounds, a sequence of fuzzed set attempts
    /// succeeds exactly when the value is inside `[min, max]`, and the stored value is
    /// inside the bounds after every attempt.
    function testFuzz_setParam_neverLeavesBounds(
        uint256 keySeed,
        uint256 minSeed,
        uint256 maxSeed,
        uint256[8] memory values
    ) public {
        uint256 i = keySeed % (REQUIRED_COUNT + 1);
        (bytes32 key, uint256 floor, uint256 ceiling) = _spec(i);
        uint256 min = bound(minSeed, floor, ceiling);
        uint256 max = bound(maxSeed, min, ceiling);
        ConstitutionHarness x = _harness(_genesisWith(i, _init(key, min, min, max)));

        for (uint256 k; k < values.length; ++k) {
            uint256 v = values[k];
            // Steer three in four attempts: just below min, just above max, inside.
            if (v % 4 == 0) v = min > 0 ? min - 1 : 0;
            else if (v % 4 == 1) v = max < type(uint256).max ? max + 1 : max;
            else if (v % 4 == 2) v = bound(v, min, max);
            uint256 before = x.param(key);
            bool inside = v >= min && v <= max;
            // A token proposal threshold above the supply is refused inside the bounds too.
            bool unreachable = inside && key == ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD && v > TOTAL;
            if (unreachable) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ILegitimacyConstitution.LegitimacyConstitutionThresholdUnreachable.selector,
                        key,
                        v,
                        TOTAL
                    )
                );
                inside = false;
            } else if (inside) {
                vm.expectEmit(true, true, true, true, address(x));
                emit ILegitimacyConstitution.ParamSet(key, before, v);
            } else {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                        key,
                        v,
                        min,
                        max
                    )
                );
            }
            x.exposed_setParam(key, v);

            uint256 stored = x.param(key);
            vm.assertEq(stored, inside ? v : before);
            vm.assertGe(stored, min);
            vm.assertLe(stored, max);
            (uint256 bMin, uint256 bMax) = x.paramBounds(key);
            vm.assertEq(bMin, min);
            vm.assertEq(bMax, max);
        }
    }

    /// @dev Setting one key never disturbs another (the packed slots are per key).
    function testFuzz_setParam_isolatedPerKey(uint256 keySeed, uint256 value) public {
        uint256 i = keySeed % REQUIRED_COUNT;
        ILegitimacyConstitution.ParamInit[] memory g = Genesis.dev();
        uint256 max = g[i].max;
        if (g[i].key == ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD) max = TOTAL; // reachable only
        value = bound(value, g[i].min, max);
        h.exposed_setParam(g[i].key, value);
        for (uint256 k; k < g.length; ++k) {
            vm.assertEq(h.param(g[k].key), k == i ? value : g[k].value);
        }
    }

    // ------------------------------------------------------------------
    // SetRecognition
    // ------------------------------------------------------------------

    function test_setRecognition_grantChangeWithdraw() public {
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 0, 10);
        h.exposed_setRecognition(SCHEMA_A, 10);
        h.exposed_setRecognition(SCHEMA_B, 1);

        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 10, 20);
        h.exposed_setRecognition(SCHEMA_A, 20);
        (bytes32[] memory ids, uint256[] memory w) = h.recognizedSchemas();
        vm.assertEq(ids.length, 2);
        vm.assertEq(w[0], 20);

        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.RecognitionSet(SCHEMA_A, 20, 0);
        h.exposed_setRecognition(SCHEMA_A, 0);
        vm.assertEq(h.recognition(SCHEMA_A), 0);
        (ids, w) = h.recognizedSchemas();
        vm.assertEq(ids.length, 1);
        vm.assertEq(ids[0], SCHEMA_B);
        vm.assertEq(w[0], 1);
    }

    function test_RevertWhen_setRecognitionTooHigh() public {
        h.exposed_setRecognition(SCHEMA_A, 5);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionRecognitionTooHigh.selector,
                SCHEMA_A,
                1_000_001,
                1_000_000
            )
        );
        h.exposed_setRecognition(SCHEMA_A, 1_000_001);
        vm.assertEq(h.recognition(SCHEMA_A), 5);
    }

    /// @notice recognizedSchemas() lists exactly the schemas with a non-zero weight.
    function testFuzz_setRecognition_setMatchesWeights(uint8[12] memory picks, uint24[12] memory weights)
        public
    {
        bytes32[4] memory schemas = [SCHEMA_A, SCHEMA_B, SCHEMA_C, keccak256("schema.D")];
        uint256[4] memory model;
        for (uint256 k; k < picks.length; ++k) {
            uint256 s = picks[k] % 4;
            uint256 w = weights[k] % 3 == 0 ? 0 : bound(weights[k], 0, 1_000_000);
            h.exposed_setRecognition(schemas[s], w);
            model[s] = w;
        }
        (bytes32[] memory ids, uint256[] memory w2) = h.recognizedSchemas();
        uint256 nonZero;
        for (uint256 s; s < 4; ++s) {
            vm.assertEq(h.recognition(schemas[s]), model[s]);
            if (model[s] != 0) ++nonZero;
        }
        vm.assertEq(ids.length, nonZero);
        for (uint256 j; j < ids.length; ++j) {
            vm.assertGt(w2[j], 0);
            vm.assertEq(w2[j], h.recognition(ids[j]));
        }
    }

    // ------------------------------------------------------------------
    // SetRole
    // ------------------------------------------------------------------

    function test_setRole_grantAndRevoke() public {
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.RoleGranted(guardianRole, guardian);
        h.exposed_setRole(guardianRole, guardian, true);
        vm.assertTrue(h.hasRole(guardianRole, guardian));

        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.RoleRevoked(guardianRole, guardian);
        h.exposed_setRole(guardianRole, guardian, false);
        vm.assertFalse(h.hasRole(guardianRole, guardian));
        vm.assertEq(h.roleMembers(guardianRole).length, 0);
    }

    /// @dev Revoking a non-member and re-granting a member change nothing and log nothing.
    function test_setRole_noOpsAreSilent() public {
        h.exposed_setRole(stewardRole, steward, true);
        vm.recordLogs();
        h.exposed_setRole(stewardRole, steward, true);
        h.exposed_setRole(stewardRole, stranger, false);
        h.exposed_setRole(guardianRole, steward, false);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 0);
        vm.assertEq(h.roleMembers(stewardRole).length, 1);
        vm.assertTrue(h.hasRole(stewardRole, steward));
    }

    function test_RevertWhen_setRoleUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionUnknownRole.selector, bytes32(0)
            )
        );
        h.exposed_setRole(bytes32(0), steward, false);
    }

    function test_RevertWhen_setRoleZeroAccount() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidAccount.selector, address(0)
            )
        );
        h.exposed_setRole(stewardRole, address(0), false);
    }

    // ------------------------------------------------------------------
    // SetArticle
    // ------------------------------------------------------------------

    function test_setArticle_replace() public {
        _addArticles(2);
        bytes32 old = h.article(1).contentHash;
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ArticleSet(1, old, keccak256("v2"), "ipfs://v2");
        h.exposed_setArticle(1, keccak256("v2"), "ipfs://v2");
        vm.assertEq(h.articleCount(), 2);
        vm.assertEq(h.article(1).contentHash, keccak256("v2"));
        vm.assertEq(h.article(1).uri, "ipfs://v2");
        // The neighbour is untouched.
        vm.assertEq(h.article(0).contentHash, keccak256(abi.encode(uint256(0))));
    }

    /// @dev Repeal keeps the slot so numbering stays stable.
    function test_setArticle_repeal() public {
        _addArticles(3);
        bytes32 old = h.article(0).contentHash;
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ArticleSet(0, old, bytes32(0), "");
        h.exposed_setArticle(0, bytes32(0), "");
        vm.assertEq(h.articleCount(), 3);
        vm.assertEq(h.article(0).contentHash, bytes32(0));
        vm.assertEq(h.articles().length, 3);
        vm.assertEq(h.article(2).contentHash, keccak256(abi.encode(uint256(2))));
    }

    /// @dev ARTICLE_APPEND adds at the end: the new article gets index `count`.
    function test_setArticle_append() public {
        _addArticles(1);
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ArticleSet(1, bytes32(0), keccak256("new"), "u");
        h.exposed_setArticle(APPEND, keccak256("new"), "u");
        vm.assertEq(h.articleCount(), 2);
        vm.assertEq(h.article(1).contentHash, keccak256("new"));
        vm.assertEq(h.article(1).uri, "u");
        // The existing article is untouched.
        vm.assertEq(h.article(0).contentHash, keccak256(abi.encode(uint256(0))));
        vm.assertEq(h.article(0).uri, "x");
    }

    /// @dev Appending to an empty list gives article 0.
    function test_setArticle_appendToEmpty() public {
        vm.assertEq(h.articleCount(), 0);
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ArticleSet(0, bytes32(0), keccak256("first"), "u0");
        h.exposed_setArticle(APPEND, keccak256("first"), "u0");
        vm.assertEq(h.articleCount(), 1);
        vm.assertEq(h.article(0).contentHash, keccak256("first"));
    }

    /// @dev Appending is never positional: index == count no longer appends.
    function test_RevertWhen_setArticleAtCount() public {
        _expectArticleOutOfRange(0, 0);
        h.exposed_setArticle(0, keccak256("new"), "u");
        vm.assertEq(h.articleCount(), 0);

        _addArticles(1);
        _expectArticleOutOfRange(1, 1);
        h.exposed_setArticle(1, keccak256("new"), "u");
        vm.assertEq(h.articleCount(), 1);
        vm.assertEq(h.article(0).contentHash, keccak256(abi.encode(uint256(0))));
    }

    function test_RevertWhen_setArticleBeyondCount() public {
        _addArticles(2);
        _expectArticleOutOfRange(3, 2);
        h.exposed_setArticle(3, keccak256("gap"), "");
        vm.assertEq(h.articleCount(), 2);
    }

    /// @dev The highest positional index, one below ARTICLE_APPEND, is out of range.
    function test_RevertWhen_setArticleJustBelowAppend() public {
        _addArticles(2);
        _expectArticleOutOfRange(APPEND - 1, 2);
        h.exposed_setArticle(APPEND - 1, keccak256("near"), "");
        vm.assertEq(h.articleCount(), 2);
    }

    function test_RevertWhen_setArticleAppendEmpty() public {
        _addArticles(2);
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, 2)
        );
        h.exposed_setArticle(APPEND, bytes32(0), "");
        vm.assertEq(h.articleCount(), 2);
    }

    /// @dev A zero hash at index == count is neither a repeal (no such article) nor an
    /// append (not ARTICLE_APPEND): it is out of range.
    function test_RevertWhen_setArticleEmptyAtCount() public {
        _addArticles(2);
        _expectArticleOutOfRange(2, 2);
        h.exposed_setArticle(2, bytes32(0), "");
        vm.assertEq(h.articleCount(), 2);
    }

    /// @dev The whole index/count rule against a reference model. `mode` steers the index
    /// to ARTICLE_APPEND, to the neighbourhood of `count`, or leaves it arbitrary; the
    /// expected outcome depends only on the final index, count and hash.
    function testFuzz_setArticle_indexAgainstCount(
        uint256 n,
        uint256 index,
        uint8 mode,
        bytes32 contentHash,
        bool zeroHash
    ) public {
        n = bound(n, 0, 6);
        _addArticles(n);
        if (mode % 3 == 0) index = APPEND;
        else if (mode % 3 == 1) index = bound(index, 0, n + 2);
        if (zeroHash) contentHash = bytes32(0);

        if (index == APPEND) {
            if (contentHash == bytes32(0)) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ILegitimacyConstitution.LegitimacyConstitutionEmptyArticle.selector, n
                    )
                );
                h.exposed_setArticle(index, contentHash, "f");
                vm.assertEq(h.articleCount(), n, "empty append adds nothing");
            } else {
                vm.expectEmit(true, true, true, true, address(h));
                emit ILegitimacyConstitution.ArticleSet(n, bytes32(0), contentHash, "f");
                h.exposed_setArticle(index, contentHash, "f");
                vm.assertEq(h.articleCount(), n + 1, "append adds one");
                vm.assertEq(h.article(n).contentHash, contentHash, "appended at the end");
                vm.assertEq(h.article(n).uri, "f");
            }
        } else if (index < n) {
            vm.expectEmit(true, true, true, true, address(h));
            emit ILegitimacyConstitution.ArticleSet(index, keccak256(abi.encode(index)), contentHash, "f");
            h.exposed_setArticle(index, contentHash, "f");
            vm.assertEq(h.articleCount(), n, "replace or repeal keeps the count");
            vm.assertEq(h.article(index).contentHash, contentHash, "replaced in place");
            vm.assertEq(h.article(index).uri, "f");
        } else {
            _expectArticleOutOfRange(index, n);
            h.exposed_setArticle(index, contentHash, "f");
            vm.assertEq(h.articleCount(), n, "out of range changes nothing");
        }
        // Every other article keeps its text.
        for (uint256 i; i < n; ++i) {
            if (i == index) continue;
            vm.assertEq(h.article(i).contentHash, keccak256(abi.encode(i)), "neighbour untouched");
            vm.assertEq(h.article(i).uri, "x");
        }
    }

    // ------------------------------------------------------------------
    // SetModule
    // ------------------------------------------------------------------

    function test_setModule_repoint() public {
        MockModule a = _moduleOf(address(h), 1);
        MockModule b = _moduleOf(address(h), 1);
        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ModuleSet(
            ILegitimacyConstitution.Module.Coordination, address(0), address(a)
        );
        h.exposed_setModule(1, address(a));

        vm.expectEmit(true, true, true, true, address(h));
        emit ILegitimacyConstitution.ModuleSet(
            ILegitimacyConstitution.Module.Coordination, address(a), address(b)
        );
        h.exposed_setModule(1, address(b));
        vm.assertEq(h.module(ILegitimacyConstitution.Module.Coordination), address(b));
        address[4] memory dir = h.modules();
        vm.assertEq(dir[0], address(hWork));
        vm.assertEq(dir[1], address(b));
    }

    function test_RevertWhen_setModuleUnknownIndex() public {
        MockModule a = new MockModule(address(h));
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionUnknownModule.selector, 4)
        );
        h.exposed_setModule(4, address(a));
    }

    /// @dev No path clears a directory entry: zero is a mismatch too.
    function test_RevertWhen_setModuleZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleMismatch.selector,
                ILegitimacyConstitution.Module.Work,
                address(0),
                address(0)
            )
        );
        h.exposed_setModule(0, address(0));
        vm.assertEq(h.module(ILegitimacyConstitution.Module.Work), address(hWork));
    }

    /// @dev A module of the fixture's constitution is not a module of the harness.
    function test_RevertWhen_setModuleOfOtherConstitution() public {
        MockModule a = new MockModule(address(constitution));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleMismatch.selector,
                ILegitimacyConstitution.Module.Strategy,
                address(a),
                address(constitution)
            )
        );
        h.exposed_setModule(3, address(a));
    }
}
