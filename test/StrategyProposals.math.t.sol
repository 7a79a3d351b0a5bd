// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {HalfLifeMath} from "../contracts/libraries/HalfLifeMath.sol";
import {Test} from "./utils/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Exposes the library so that reverts and gas can be observed on a call.
contract HalfLifeMathHarness {
    function fromClock(uint256 units, bool roundUp) external pure returns (uint256) {
        return HalfLifeMath.fromClock(units, roundUp);
    }

    function decay(uint256 dt, uint256 halfLife, bool roundUp) external pure returns (uint256) {
        return HalfLifeMath.decay(dt, halfLife, roundUp);
    }

    function scale(uint256 amount, uint256 factor, bool roundUp) external pure returns (uint256) {
        return HalfLifeMath.scale(amount, factor, roundUp);
    }
}

/// @notice {HalfLifeMath} against a reference computed here by a different and slower
/// method: e^(-y) from its Taylor series in Q192 with y = (fraction of the exponent) * ln 2,
/// and ln 2 itself from the series sum 1/(k 2^k), also in Q192. The reference is within
/// `REF_SLACK` units of 2^(-192) of the truth, that is far below one unit of the
/// library's Q128, so it brackets the true value between two adjacent Q128 numbers and
/// the library's documented bound is asserted against that bracket.
contract StrategyProposalsMathTest is Test {
    uint256 internal constant Q192 = 1 << 192;
    uint256 internal constant ONE = 1 << 128;
    uint256 internal constant TEN_YEARS = 3650 days;
    /// @dev Bound on the reference's own error, in units of 2^(-192): ln 2 loses < 1 per
    /// series term (192 terms) and the exponential < 1 per term (under 64 terms).
    uint256 internal constant REF_SLACK = 512;

    HalfLifeMathHarness internal h;
    uint256 internal ln2Q192;

    function setUp() public {
        h = new HalfLifeMathHarness();
        // ln 2 = sum_{k>=1} 1 / (k 2^k), every term rounded down.
        for (uint256 k = 1; k < 192; ++k) {
            ln2Q192 += (Q192 >> k) / k;
        }
    }

    // ------------------------------------------------------------------
    // The reference
    // ------------------------------------------------------------------

    /// @dev e^(-y) * 2^192 for y (Q192) in [0, 1): the Taylor series to the last non-zero term.
    function _expNegRef(uint256 y) internal pure returns (uint256) {
        uint256 pos = Q192;
        uint256 neg;
        uint256 term = Q192;
        for (uint256 k = 1; term != 0; ++k) {
            term = Math.mulDiv(term, y, Q192 * k);
            if (k % 2 == 1) neg += term;
            else pos += term;
        }
        return pos - neg;
    }

    /// @dev Q128 numbers lo <= 2^(-dt / halfLife) * 2^128 <= hi, one apart at most.
    function _ref(uint256 dt, uint256 halfLife) internal view returns (uint256 lo, uint256 hi) {
        uint256 n = dt / halfLife;
        if (n > 190) return (0, 1);
        uint256 y = Math.mulDiv(dt % halfLife, ln2Q192, halfLife);
        uint256 e = _expNegRef(y);
        uint256 shift = 64 + n;
        lo = e > REF_SLACK ? (e - REF_SLACK) >> shift : 0;
        hi = Math.mulDiv(e + REF_SLACK, 1, 1 << shift, Math.Rounding.Ceil);
    }

    /// @dev Asserts the documented bound for `(down, up)` of 2^(-dt/halfLife).
    function _assertBound(uint256 down, uint256 up, uint256 dt, uint256 halfLife, uint256 error)
        internal
        view
    {
        (uint256 lo, uint256 hi) = _ref(dt, halfLife);
        vm.assertLe(down, hi, "down is not above the true value");
        vm.assertGe(up, lo, "up is not below the true value");
        vm.assertLe(down, up, "down <= up");
        vm.assertLe(up, ONE, "never above 1.0");
        uint256 n = dt / halfLife;
        uint256 allowed = (n >= 256 ? 0 : Math.ceilDiv(error, 1 << n)) + 1;
        vm.assertLe(up - down, allowed, "up - down within the documented bound");
        // Shortfall of down against the truth (>= lo): error / 2^n + 1 at most.
        if (lo > down) vm.assertLe(lo - down, allowed, "down within the bound of the truth");
        if (up > hi) vm.assertLe(up - hi, allowed, "up within the bound of the truth");
    }

    // ------------------------------------------------------------------
    // The table
    // ------------------------------------------------------------------

    /// @notice Every tabulated constant K_k is 2^(-2^(-k)) rounded down to Q128: one
    /// clock unit of weight 2^(19-k) gives exactly that constant (one multiplication).
    function test_fromClock_singleBitsAreTheConstantsRoundedDown() public view {
        for (uint256 k = 1; k <= 19; ++k) {
            uint256 units = 1 << (19 - k);
            uint256 got = h.fromClock(units, false);
            // The truth in Q192, bracketed.
            uint256 e = _expNegRef(Math.mulDiv(1, ln2Q192, 1 << k));
            vm.assertLe(got << 64, e + REF_SLACK, "constant not above the truth");
            vm.assertTrue((got + 1) << 64 > e - REF_SLACK, "constant is the truth rounded down");
        }
    }

    function test_fromClock_wholeHalfLivesAreExactShifts() public view {
        for (uint256 n; n <= 128; ++n) {
            vm.assertEq(h.fromClock(n << 19, false), ONE >> n);
        }
        vm.assertEq(h.fromClock(129 << 19, false), 0);
        vm.assertEq(h.fromClock(129 << 19, true), 1);
    }

    function test_fromClock_zeroIsOne() public view {
        vm.assertEq(h.fromClock(0, false), ONE);
        vm.assertEq(h.fromClock(0, true), ONE);
        vm.assertEq(h.decay(0, 1, false), ONE);
        vm.assertEq(h.decay(0, 1, true), ONE);
    }

    function test_decay_oneHalfLifeIsOneHalf() public view {
        vm.assertEq(h.decay(3 days, 3 days, false), ONE / 2);
        vm.assertEq(h.decay(6 days, 3 days, false), ONE / 4);
    }

    // ------------------------------------------------------------------
    // Against the reference
    // ------------------------------------------------------------------

    /// @notice Clock readings over the whole range a proposal can reach (ten years at a
    /// one-second half-life is below 2^48 units).
    function testFuzz_fromClock_withinErrorBound(uint256 units) public view {
        units = bound(units, 0, (1 << 48) - 1);
        _assertBound(
            h.fromClock(units, false), h.fromClock(units, true), units, 1 << 19, HalfLifeMath.TABLE_ERROR
        );
    }

    /// @notice The first few half-lives, where the value is large and every ulp shows.
    function testFuzz_fromClock_withinErrorBoundEarly(uint256 units) public view {
        units = bound(units, 0, 8 << 19);
        _assertBound(
            h.fromClock(units, false), h.fromClock(units, true), units, 1 << 19, HalfLifeMath.TABLE_ERROR
        );
    }

    /// @notice a^dt for dt up to ten years and any half-life from one second to ten years.
    function testFuzz_decay_withinErrorBound(uint256 dt, uint256 halfLife) public view {
        dt = bound(dt, 0, TEN_YEARS);
        halfLife = bound(halfLife, 1, TEN_YEARS);
        _assertBound(
            h.decay(dt, halfLife, false), h.decay(dt, halfLife, true), dt, halfLife, HalfLifeMath.MAX_ERROR
        );
    }

    /// @notice Within a few half-lives of a long half-life, where the exact fraction has
    /// bits far below 2^(-19) and the series term matters.
    function testFuzz_decay_withinErrorBoundFineFractions(uint256 dt, uint256 halfLife) public view {
        halfLife = bound(halfLife, 1 days, TEN_YEARS);
        dt = bound(dt, 0, 3 * halfLife);
        _assertBound(
            h.decay(dt, halfLife, false), h.decay(dt, halfLife, true), dt, halfLife, HalfLifeMath.MAX_ERROR
        );
    }

    /// @notice On clock-aligned exponents `decay` and `fromClock` agree exactly.
    function testFuzz_decay_agreesWithClockOnWholeUnits(uint256 units) public view {
        units = bound(units, 0, (1 << 48) - 1);
        vm.assertEq(h.decay(units, 1 << 19, false), h.fromClock(units, false));
    }

    /// @notice Longer time never decays less (rounded down and rounded up alike).
    function testFuzz_fromClock_nonIncreasing(uint256 a, uint256 b) public view {
        a = bound(a, 0, (1 << 48) - 1);
        b = bound(b, a, (1 << 48) - 1);
        vm.assertGe(h.fromClock(a, false), h.fromClock(b, false));
        vm.assertGe(h.fromClock(a, true), h.fromClock(b, true));
    }

    function testFuzz_decay_nonIncreasingInTime(uint256 a, uint256 b, uint256 halfLife) public view {
        halfLife = bound(halfLife, 1, TEN_YEARS);
        a = bound(a, 0, TEN_YEARS);
        b = bound(b, a, TEN_YEARS);
        vm.assertGe(h.decay(a, halfLife, false), h.decay(b, halfLife, false));
    }

    // ------------------------------------------------------------------
    // Extremes: no overflow
    // ------------------------------------------------------------------

    function test_extremes_noOverflow() public view {
        uint256 max = type(uint256).max;
        vm.assertEq(h.fromClock(max, false), 0);
        vm.assertEq(h.fromClock(max, true), 1);
        vm.assertEq(h.decay(max, 1, false), 0);
        vm.assertEq(h.decay(max, 1, true), 1);
        vm.assertEq(h.decay(TEN_YEARS, 1, false), 0);
        vm.assertEq(h.decay(TEN_YEARS, TEN_YEARS, false), ONE / 2);
        vm.assertLt(h.decay(1, TEN_YEARS, false), ONE);
        // The largest half-life with the largest fraction: the series path at its limit.
        uint256 big = HalfLifeMath.MAX_HALF_LIFE;
        _assertBound(h.decay(big - 1, big, false), h.decay(big - 1, big, true), big - 1, big, 50);
        vm.assertEq(h.decay(max, big, false), 0);
        // Amounts up to any supply: scale never overflows.
        vm.assertEq(h.scale(max, ONE, false), max);
        vm.assertEq(h.scale(type(uint208).max, ONE / 2, true), (uint256(type(uint208).max) + 1) / 2);
        vm.assertEq(h.scale(type(uint208).max, 0, true), 0);
    }

    function test_RevertWhen_decayHalfLifeZero() public {
        vm.expectRevert(abi.encodeWithSelector(HalfLifeMath.HalfLifeMathInvalidHalfLife.selector, 0));
        h.decay(1, 0, false);
    }

    function test_RevertWhen_decayHalfLifeAboveMax() public {
        uint256 tooLong = HalfLifeMath.MAX_HALF_LIFE + 1;
        vm.expectRevert(abi.encodeWithSelector(HalfLifeMath.HalfLifeMathInvalidHalfLife.selector, tooLong));
        h.decay(1, tooLong, false);
    }
}
