// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title HalfLifeMath
/// @notice Exponential decay counted in half-lives, in fixed point: 2^(-x) as a Q128
/// number (1.0 is 2^128). With a = 2^(-1/halfLife), a^dt = 2^(-dt/halfLife), which is
/// `decay(dt, halfLife)`. {StrategyProposals} keeps time on a clock that counts
/// 2^(-19) half-lives per unit and uses `fromClock`.
/// @dev Method. Write x = n + f with n an integer and 0 <= f < 1; then
/// 2^(-x) = 2^(-f) / 2^n, and the division is a shift. 2^(-f) is a product over the
/// top 19 bits of f: bit k (worth 2^(-k)) multiplies by the constant
/// K_k = 2^(-2^(-k)), tabulated below rounded down to Q128. A clock reading has no
/// more bits than that. `decay` has an exact fraction dt/halfLife instead; what is
/// left of it below 2^(-19), call it y, contributes 2^(-y) = e^(-z) with
/// z = y ln 2 < 2^(-19.5), taken from the alternating series 1 - z + z^2/2 - ... - z^5/120,
/// which lies below e^(-z) by less than z^6/720 (2.5 units of 2^(-128)).
///
/// Error bound (units of 2^(-128), "ulp"). Every constant is rounded down and every
/// product is rounded down, so the product before the shift, r, is never above the
/// true 2^(-f) * 2^128. Each multiplication loses less than 2 (one for the constant,
/// one for the rounding), so r is short by at most `TABLE_ERROR` = 38 after the table;
/// the series and its product lose at most 12 more (`MAX_ERROR` = 50); a whole number
/// of half-lives is exact (error 0). As
/// 2^(-f) >= 1/2, that is a relative error below 2^(-121). Rounding down returns
/// floor(r / 2^n); rounding up returns ceil((r + error) / 2^n), capped at 1.0. For every
/// input therefore:
///     down <= 2^(-x) * 2^128 <= up,   up - down <= ceil(error / 2^n) + 1.
/// Past 128 half-lives the true value is below one ulp: down is 0 and up is 1.
///
/// No overflow, for any input: r <= 2^128 and every K_k < 2^128, so each product is
/// below 2^256; `decay` takes any dt and any halfLife from 1 to 2^200 (both as
/// uint256), so ten years of seconds and a one-second half-life (x about 3.2e8) simply
/// decay to the bounds above. Tested against a slower reference computed in the test
/// suite (the Taylor series of e^(-x ln 2) in Q192, with ln 2 from its own series).
library HalfLifeMath {
    /// @notice 1.0 in Q128.
    uint256 internal constant ONE = 1 << 128;
    /// @notice Fraction bits of a clock reading: one clock unit is 2^(-19) half-lives.
    uint256 internal constant CLOCK_BITS = 19;
    /// @notice Clock units per half-life.
    uint256 internal constant CLOCK_UNITS = 1 << 19;
    /// @notice Largest shortfall, in ulp before the shift, of the table product.
    uint256 internal constant TABLE_ERROR = 38;
    /// @notice Largest shortfall, in ulp before the shift, of table and series together.
    uint256 internal constant MAX_ERROR = 50;
    /// @notice Largest half-life `decay` accepts (keeps `halfLife * CLOCK_UNITS` far from overflow).
    uint256 internal constant MAX_HALF_LIFE = 1 << 200;

    /// @dev floor(ln 2 * 2^128).
    uint256 private constant _LN2 = 0xb17217f7d1cf79abc9e3b39803f2f6af;
    uint256 private constant _FRACTION_MASK = (1 << 19) - 1;

    /// @notice `halfLife` is zero or above `MAX_HALF_LIFE`.
    error HalfLifeMathInvalidHalfLife(uint256 halfLife);

    /// @notice 2^(-units / 2^19) in Q128: the decay over `units` clock units.
    /// @param units Elapsed time in clock units (2^(-19) half-lives each); any value.
    /// @param roundUp Whether to return an upper bound instead of a lower bound.
    function fromClock(uint256 units, bool roundUp) internal pure returns (uint256) {
        uint256 f = units & _FRACTION_MASK;
        // A whole number of half-lives is an exact shift: no error to allow for.
        return _shift(_fraction(f), units >> CLOCK_BITS, f == 0 ? 0 : TABLE_ERROR, roundUp);
    }

    /// @notice a^dt = 2^(-dt / halfLife) in Q128, with the exponent taken exactly.
    /// @param dt Elapsed time, in the same unit as `halfLife`; any value.
    /// @param halfLife The half-life, 1 to `MAX_HALF_LIFE`.
    /// @param roundUp Whether to return an upper bound instead of a lower bound.
    function decay(uint256 dt, uint256 halfLife, bool roundUp) internal pure returns (uint256) {
        if (halfLife == 0 || halfLife > MAX_HALF_LIFE) revert HalfLifeMathInvalidHalfLife(halfLife);
        uint256 n = dt / halfLife;
        uint256 rest = dt % halfLife;
        // rest / halfLife = (f + tail / halfLife) / 2^19, with f < 2^19 and tail < halfLife.
        uint256 scaled = rest * CLOCK_UNITS;
        uint256 f = scaled / halfLife;
        uint256 r = _fraction(f);
        uint256 error = f == 0 ? 0 : TABLE_ERROR;
        uint256 tail = scaled % halfLife;
        if (tail != 0) {
            error = MAX_ERROR;
            // z = tail * ln2 / (halfLife * 2^19), rounded up and widened by one ulp for
            // the rounding of ln 2, so that e^(-z) is a lower bound.
            uint256 z = Math.mulDiv(tail, _LN2, halfLife * CLOCK_UNITS, Math.Rounding.Ceil) + 1;
            r = (r * _expNegSmall(z)) >> 128;
        }
        return _shift(r, n, error, roundUp);
    }

    /// @notice `amount * factor / 2^128`, rounded down or up, without overflow for any
    /// `amount` and a `factor` up to `ONE`.
    function scale(uint256 amount, uint256 factor, bool roundUp) internal pure returns (uint256) {
        return Math.mulDiv(amount, factor, ONE, roundUp ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }

    /// @dev Applies the integer part: floor(r / 2^n), or ceil((r + error) / 2^n) capped at ONE.
    function _shift(uint256 r, uint256 n, uint256 error, bool roundUp) private pure returns (uint256) {
        if (n > 128) return roundUp ? 1 : 0;
        if (!roundUp) return r >> n;
        uint256 hi = r + error;
        // forge-lint: disable-next-line(incorrect-shift) the mask of the n bits shifted out
        uint256 up = (hi >> n) + (hi & ((1 << n) - 1) == 0 ? 0 : 1);
        return up > ONE ? ONE : up;
    }

    /// @dev 2^(-f / 2^19) * 2^128 rounded down, for f < 2^19: one multiplication by K_k
    /// per set bit, highest first. r starts at 2^128 and only shrinks, so r * K < 2^256.
    function _fraction(uint256 f) private pure returns (uint256 r) {
        r = ONE;
        if (f == 0) return r;
        unchecked {
            if (f & 0x40000 != 0) r = (r * 0xb504f333f9de6484597d89b3754abe9f) >> 128;
            if (f & 0x20000 != 0) r = (r * 0xd744fccad69d6af439a68bb9902d3fde) >> 128;
            if (f & 0x10000 != 0) r = (r * 0xeac0c6e7dd24392ed02d75b3706e54fa) >> 128;
            if (f & 0x8000 != 0) r = (r * 0xf5257d152486cc2c7b9d0c7aed980fc3) >> 128;
            if (f & 0x4000 != 0) r = (r * 0xfa83b2db722a033a7c25bb14315d7fcc) >> 128;
            if (f & 0x2000 != 0) r = (r * 0xfd3e0c0cf486c174853f3a5931e0ee03) >> 128;
            if (f & 0x1000 != 0) r = (r * 0xfe9e115c7b8f884badd25995e79d2f09) >> 128;
            if (f & 0x800 != 0) r = (r * 0xff4ecb59511ec8a5301ba217ef18dd7c) >> 128;
            if (f & 0x400 != 0) r = (r * 0xffa756521c8daed19f3a1b48fb94c589) >> 128;
            if (f & 0x200 != 0) r = (r * 0xffd3a751c0f7e10bd3b9f8ae012fbe06) >> 128;
            if (f & 0x100 != 0) r = (r * 0xffe9d2b2f7db2755ddf1d28a378a438c) >> 128;
            if (f & 0x80 != 0) r = (r * 0xfff4e91bff1b8c3d88338e0ebf284a4d) >> 128;
            if (f & 0x40 != 0) r = (r * 0xfffa747ea0040664238f92f792405805) >> 128;
            if (f & 0x20 != 0) r = (r * 0xfffd3a3b7814eb53cd7629d70fea116a) >> 128;
            if (f & 0x10 != 0) r = (r * 0xfffe9d1cc60ddab126de1aec4a87e7b8) >> 128;
            if (f & 0x8 != 0) r = (r * 0xffff4e8e25879bfa09ea263360240c1a) >> 128;
            if (f & 0x4 != 0) r = (r * 0xffffa7470363f4515426d76c762b6b61) >> 128;
            if (f & 0x2 != 0) r = (r * 0xffffd3a37dda03133bde87a8379c8932) >> 128;
            if (f & 0x1 != 0) r = (r * 0xffffe9d1bdf703aef21ea4dcfb0682d8) >> 128;
        }
    }

    /// @dev A lower bound on e^(-z) * 2^128 for a Q128 z below 2^108.5 (z < 2^(-19.5)):
    /// the series to the z^5 term (which ends on a negative term, so it lies below
    /// e^(-z)), positive terms rounded down and negative ones rounded up.
    function _expNegSmall(uint256 z) private pure returns (uint256) {
        uint256 z2Down = (z * z) >> 128;
        uint256 z2Up = Math.mulDiv(z, z, ONE, Math.Rounding.Ceil);
        uint256 t2 = z2Down >> 1;
        uint256 t3 = Math.mulDiv(z2Up, z, 6 * ONE, Math.Rounding.Ceil);
        uint256 z4Down = (z2Down * z2Down) >> 128;
        uint256 t4 = z4Down / 24;
        uint256 z4Up = Math.mulDiv(z2Up, z2Up, ONE, Math.Rounding.Ceil);
        uint256 t5 = Math.mulDiv(z4Up, z, 120 * ONE, Math.Rounding.Ceil);
        return ONE - z + t2 - t3 + t4 - t5;
    }
}
