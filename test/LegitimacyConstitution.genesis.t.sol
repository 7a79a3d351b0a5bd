// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @dev A contract with neither `clock()` nor a fallback.
contract NoClock {
    function decimals() external pure returns (uint8) {
        return 18;
    }
}

/// @dev ERC-6372 clock at zero: no snapshot could ever be taken.
contract ZeroClock {
    function clock() external pure returns (uint48) {
        return 0;
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }
}

/// @dev `clock()` but no `CLOCK_MODE()`.
contract ClockOnly {
    function clock() external view returns (uint48) {
        return uint48(block.timestamp);
    }
}

/// @dev Answers every call with success and no return data.
contract SilentFallback {
    fallback() external {}
}

/// @dev A valid `clock()`; every other call (CLOCK_MODE included) succeeds with no data.
contract SilentClockMode {
    function clock() external view returns (uint48) {
        return uint48(block.timestamp);
    }

    fallback() external {}
}

/// @dev A valid `clock()`; every other call (CLOCK_MODE included) answers with the
/// bytes given at construction, as they are.
contract RawClockMode {
    bytes internal _answer;

    constructor(bytes memory answer) {
        _answer = answer;
    }

    function clock() external view returns (uint48) {
        return uint48(block.timestamp);
    }

    fallback() external {
        bytes memory a = _answer;
        assembly ("memory-safe") {
            return(add(a, 32), mload(a))
        }
    }
}

/// @dev `clock()` whose return value does not fit in a uint48.
contract WideClock {
    function clock() external pure returns (uint256) {
        return uint256(type(uint48).max) + 1;
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }
}

/// @notice Constructor: genesis validation, the token check and the ParamDefined log.
contract LegitimacyConstitutionGenesisTest is ConstitutionBase {
    function setUp() public {
        _deployConstitution();
    }

    // ------------------------------------------------------------------
    // The spec's keys and structural bounds
    // ------------------------------------------------------------------

    function test_required_matchesSpecKeysInOrder() public pure {
        bytes32[] memory req = ParamKeys.required();
        vm.assertEq(req.length, REQUIRED_COUNT);
        for (uint256 i; i < REQUIRED_COUNT; ++i) {
            (bytes32 key,,) = _spec(i);
            vm.assertEq(req[i], key);
        }
    }

    function test_structuralBounds_matchSpec() public pure {
        for (uint256 i; i <= REQUIRED_COUNT; ++i) {
            (bytes32 key, uint256 floor, uint256 ceiling) = _spec(i);
            (uint256 f, uint256 c) = ParamKeys.structuralBounds(key);
            vm.assertEq(f, floor);
            vm.assertEq(c, ceiling);
        }
    }

    // ------------------------------------------------------------------
    // Success
    // ------------------------------------------------------------------

    function test_constructor_storesDevGenesis() public view {
        ILegitimacyConstitution.ParamInit[] memory g = Genesis.dev();
        for (uint256 i; i < g.length; ++i) {
            vm.assertEq(constitution.param(g[i].key), g[i].value);
            (uint256 min, uint256 max) = constitution.paramBounds(g[i].key);
            vm.assertEq(min, g[i].min);
            vm.assertEq(max, g[i].max);
        }
        vm.assertEq(address(constitution.token()), address(token));
        vm.assertEq(constitution.deployer(), deployer);
        vm.assertFalse(constitution.bootstrapped());
    }

    function test_constructor_emitsParamDefinedForEveryKey() public {
        ILegitimacyConstitution.ParamInit[] memory g = _genesisPlus(_init(EXT_KEY, 7, 1, 9));
        address next = _nextDeployed();
        for (uint256 i; i < g.length; ++i) {
            vm.expectEmit(true, true, true, true, next);
            emit ILegitimacyConstitution.ParamDefined(g[i].key, g[i].value, g[i].min, g[i].max);
        }
        LegitimacyConstitution c = _deploy(g);
        vm.assertEq(address(c), next);
    }

    function test_constructor_acceptsExtensionKeys() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            new ILegitimacyConstitution.ParamInit[](REQUIRED_COUNT + 2);
        ILegitimacyConstitution.ParamInit[] memory dev = Genesis.dev();
        for (uint256 i; i < dev.length; ++i) {
            g[i] = dev[i];
        }
        g[REQUIRED_COUNT] = _init(EXT_KEY, MAX_VALUE, 0, MAX_VALUE);
        g[REQUIRED_COUNT + 1] = _init("ext.zero", 0, 0, 0);
        LegitimacyConstitution c = _deploy(g);

        vm.assertEq(c.param(EXT_KEY), MAX_VALUE);
        (uint256 min, uint256 max) = c.paramBounds(EXT_KEY);
        vm.assertEq(min, 0);
        vm.assertEq(max, MAX_VALUE);
        vm.assertEq(c.param("ext.zero"), 0);
        vm.assertEq(c.params().length, REQUIRED_COUNT + 2);
    }

    function test_constructor_acceptsExactStructuralBounds() public {
        for (uint256 i; i <= REQUIRED_COUNT; ++i) {
            (bytes32 key, uint256 floor, uint256 ceiling) = _spec(i);
            LegitimacyConstitution c = _deploy(_genesisWith(i, _init(key, ceiling, floor, ceiling)));
            vm.assertEq(c.param(key), ceiling);
            (uint256 min, uint256 max) = c.paramBounds(key);
            vm.assertEq(min, floor);
            vm.assertEq(max, ceiling);
        }
    }

    function test_constructor_acceptsPointBounds() public {
        LegitimacyConstitution c = _deploy(_genesisWith(0, _init(ParamKeys.WORK_MAX_FIELDS, 9, 9, 9)));
        vm.assertEq(c.param(ParamKeys.WORK_MAX_FIELDS), 9);
    }

    // ------------------------------------------------------------------
    // ParamOutOfBounds
    // ------------------------------------------------------------------

    function test_RevertWhen_genesisValueBelowMin() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            _genesisWith(0, _init(ParamKeys.WORK_MAX_FIELDS, 3, 4, 10));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                ParamKeys.WORK_MAX_FIELDS,
                3,
                4,
                10
            )
        );
        _deploy(g);
    }

    function test_RevertWhen_genesisValueAboveMax() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            _genesisWith(21, _init(ParamKeys.LEGIT_PASS_BPS, 9001, 5000, 9000));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                ParamKeys.LEGIT_PASS_BPS,
                9001,
                5000,
                9000
            )
        );
        _deploy(g);
    }

    function test_RevertWhen_extensionValueOutsideItsBounds() public {
        ILegitimacyConstitution.ParamInit[] memory g = _genesisPlus(_init(EXT_KEY, 11, 1, 10));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector, EXT_KEY, 11, 1, 10
            )
        );
        _deploy(g);
    }

    // ------------------------------------------------------------------
    // InvalidBounds
    // ------------------------------------------------------------------

    function test_RevertWhen_genesisMinAboveMax() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            _genesisWith(0, _init(ParamKeys.WORK_MAX_FIELDS, 10, 11, 10));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                ParamKeys.WORK_MAX_FIELDS,
                11,
                10,
                1,
                64
            )
        );
        _deploy(g);
    }

    /// @dev Every key, its floor lowered by one (where there is room below it).
    function test_RevertWhen_genesisMinBelowStructuralFloor() public {
        uint256 checked;
        for (uint256 i; i < REQUIRED_COUNT; ++i) {
            (bytes32 key, uint256 floor, uint256 ceiling) = _spec(i);
            if (floor == 0) continue;
            ILegitimacyConstitution.ParamInit[] memory g =
                _genesisWith(i, _init(key, floor, floor - 1, ceiling));
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                    key,
                    floor - 1,
                    ceiling,
                    floor,
                    ceiling
                )
            );
            _deploy(g);
            ++checked;
        }
        vm.assertEq(checked, 15);
    }

    /// @dev Every key, including an extension key, its ceiling raised by one.
    function test_RevertWhen_genesisMaxAboveStructuralCeiling() public {
        for (uint256 i; i <= REQUIRED_COUNT; ++i) {
            (bytes32 key, uint256 floor, uint256 ceiling) = _spec(i);
            ILegitimacyConstitution.ParamInit[] memory g =
                _genesisWith(i, _init(key, floor, floor, ceiling + 1));
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                    key,
                    floor,
                    ceiling + 1,
                    floor,
                    ceiling
                )
            );
            _deploy(g);
        }
    }

    /// @dev `legit.passBps` below one half would let a minority pass an amendment.
    function test_RevertWhen_passBpsMinBelowHalf() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            _genesisWith(21, _init(ParamKeys.LEGIT_PASS_BPS, 5000, 4999, 9000));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                ParamKeys.LEGIT_PASS_BPS,
                4999,
                9000,
                5000,
                9999
            )
        );
        _deploy(g);
    }

    /// @dev Bounds are checked before the value: inverted bounds report InvalidBounds
    /// even when the value is also outside them.
    function test_RevertWhen_boundsAndValueBothInvalid_reportsBounds() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            _genesisWith(0, _init(ParamKeys.WORK_MAX_FIELDS, 100, 0, 65));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                ParamKeys.WORK_MAX_FIELDS,
                0,
                65,
                1,
                64
            )
        );
        _deploy(g);
    }

    // ------------------------------------------------------------------
    // DuplicateParam, MissingParam
    // ------------------------------------------------------------------

    function test_RevertWhen_genesisDefinesKeyTwice() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            _genesisPlus(_init(ParamKeys.LOCKS_MAX_QUEUE, 8, 1, 16));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionDuplicateParam.selector,
                ParamKeys.LOCKS_MAX_QUEUE
            )
        );
        _deploy(g);
    }

    function test_RevertWhen_genesisDefinesExtensionKeyTwice() public {
        ILegitimacyConstitution.ParamInit[] memory g =
            new ILegitimacyConstitution.ParamInit[](REQUIRED_COUNT + 2);
        ILegitimacyConstitution.ParamInit[] memory dev = Genesis.dev();
        for (uint256 i; i < dev.length; ++i) {
            g[i] = dev[i];
        }
        g[REQUIRED_COUNT] = _init(EXT_KEY, 1, 0, 1);
        g[REQUIRED_COUNT + 1] = _init(EXT_KEY, 1, 0, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionDuplicateParam.selector, EXT_KEY
            )
        );
        _deploy(g);
    }

    function test_RevertWhen_genesisOmitsRequiredKey() public {
        for (uint256 i; i < REQUIRED_COUNT; ++i) {
            (bytes32 key,,) = _spec(i);
            ILegitimacyConstitution.ParamInit[] memory g = _genesisWithout(i);
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionMissingParam.selector, key
                )
            );
            _deploy(g);
        }
    }

    /// @dev A required key replaced by an extension key is still missing.
    function test_RevertWhen_requiredKeyReplacedByExtension() public {
        ILegitimacyConstitution.ParamInit[] memory g = _genesisWith(23, _init(EXT_KEY, 1, 0, 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMissingParam.selector,
                ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD
            )
        );
        _deploy(g);
    }

    function test_RevertWhen_genesisEmpty() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionMissingParam.selector, ParamKeys.WORK_MAX_FIELDS
            )
        );
        _deploy(new ILegitimacyConstitution.ParamInit[](0));
    }

    // ------------------------------------------------------------------
    // InvalidToken
    // ------------------------------------------------------------------

    function _deployWithToken(address t) internal returns (LegitimacyConstitution c) {
        ILegitimacyConstitution.ParamInit[] memory g = Genesis.dev();
        vm.prank(deployer);
        c = new LegitimacyConstitution(g, IVotes(t));
    }

    function _expectInvalidToken(address t) internal {
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionInvalidToken.selector, t)
        );
    }

    function test_RevertWhen_tokenIsEOA() public {
        _expectInvalidToken(stranger);
        _deployWithToken(stranger);
    }

    function test_RevertWhen_tokenIsZeroAddress() public {
        _expectInvalidToken(address(0));
        _deployWithToken(address(0));
    }

    function test_RevertWhen_tokenHasNoClock() public {
        address t = address(new NoClock());
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    function test_RevertWhen_tokenIsAModuleNotAToken() public {
        address t = address(new MockModule(address(0)));
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    function test_RevertWhen_tokenClockIsZero() public {
        address t = address(new ZeroClock());
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    function test_RevertWhen_tokenHasNoClockMode() public {
        address t = address(new ClockOnly());
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    /// @dev A call that succeeds with no data is not an answer: named error, not an
    /// undecodable revert (a `try ... returns (uint48)` would not catch this).
    function test_RevertWhen_tokenFallbackReturnsNothing() public {
        address t = address(new SilentFallback());
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    /// @dev A clock value wider than uint48 is not an ERC-6372 clock.
    function test_RevertWhen_tokenClockWiderThanUint48() public {
        address t = address(new WideClock());
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    function test_RevertWhen_tokenClockModeReturnsNothing() public {
        address t = address(new SilentClockMode());
        _expectInvalidToken(t);
        _deployWithToken(t);
    }

    /// @dev CLOCK_MODE must answer with an ABI-encoded string: at least its offset and
    /// length words (64 bytes). 63 bytes are refused; the empty string, exactly 64
    /// bytes, is an answer (the mode's text is not interpreted: the clock is read).
    function test_tokenClockMode_mustBeAnAbiString() public {
        address t = address(new RawClockMode(new bytes(63)));
        _expectInvalidToken(t);
        _deployWithToken(t);
        t = address(new RawClockMode(abi.encode("")));
        vm.assertEq(address(_deployWithToken(t).token()), t);
    }

    /// @dev The widest clock value ERC-6372 allows is accepted.
    function test_constructor_acceptsMaxUint48Clock() public {
        vm.warp(type(uint48).max);
        LegitimacyConstitution c = _deployWithToken(address(token));
        vm.assertEq(address(c.token()), address(token));
    }

    /// @dev The token check runs first: a bad token is reported even with a bad genesis.
    function test_RevertWhen_tokenInvalidAndGenesisEmpty_reportsToken() public {
        _expectInvalidToken(stranger);
        vm.prank(deployer);
        new LegitimacyConstitution(new ILegitimacyConstitution.ParamInit[](0), IVotes(stranger));
    }

    // ------------------------------------------------------------------
    // Fuzz: bounds can never be escaped at genesis
    // ------------------------------------------------------------------

    /// @dev Maps a seed to a value near the interesting edges of `[floor, ceiling]`:
    /// just below the floor, just above the ceiling, inside, or anywhere.
    function _pick(uint256 seed, uint256 floor, uint256 ceiling) internal pure returns (uint256) {
        if (floor > ceiling) (floor, ceiling) = (ceiling, floor);
        uint256 mode = seed % 10;
        uint256 r = seed >> 8;
        if (mode == 0) return floor >= r % 3 ? floor - r % 3 : 0;
        if (mode == 1) return ceiling <= type(uint256).max - r % 3 ? ceiling + r % 3 : type(uint256).max;
        if (mode == 2) {
            return bound(r, 0, ceiling < type(uint256).max / 2 ? ceiling * 2 + 2 : type(uint256).max);
        }
        if (mode == 3) return seed;
        return bound(r, floor, ceiling);
    }

    /// @notice Construction succeeds iff floor <= min <= value <= max <= ceiling, and
    /// then the stored value and bounds are exactly the genesis ones.
    function testFuzz_constructor_boundsNeverEscaped(
        uint256 keySeed,
        uint256 minSeed,
        uint256 valueSeed,
        uint256 maxSeed
    ) public {
        uint256 i = keySeed % (REQUIRED_COUNT + 1);
        (bytes32 key, uint256 floor, uint256 ceiling) = _spec(i);
        uint256 min = _pick(minSeed, floor, ceiling);
        uint256 max = _pick(maxSeed, min, ceiling);
        uint256 value = _pick(valueSeed, min, max);
        ILegitimacyConstitution.ParamInit[] memory g = _genesisWith(i, _init(key, value, min, max));

        bool boundsOk = floor <= min && min <= max && max <= ceiling;
        bool valueOk = min <= value && value <= max;
        if (!boundsOk) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                    key,
                    min,
                    max,
                    floor,
                    ceiling
                )
            );
        } else if (!valueOk) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILegitimacyConstitution.LegitimacyConstitutionParamOutOfBounds.selector,
                    key,
                    value,
                    min,
                    max
                )
            );
        }
        LegitimacyConstitution c = _deploy(g);
        if (!(boundsOk && valueOk)) return;

        uint256 stored = c.param(key);
        (uint256 bMin, uint256 bMax) = c.paramBounds(key);
        vm.assertEq(stored, value);
        vm.assertEq(bMin, min);
        vm.assertEq(bMax, max);
        vm.assertLe(floor, bMin);
        vm.assertLe(bMin, stored);
        vm.assertLe(stored, bMax);
        vm.assertLe(bMax, ceiling);
    }
}
