//! An off-chain mirror of the contract's conviction: `HalfLifeMath` and the
//! proposal clock in integers (`U256`, with 512-bit products), so that
//! [`ConvictionState::crossing`] predicts the exact second from which `promote`
//! succeeds if nothing changes (support, total stake, parameters).
//!
//! The closed form `t* = t0 + halfLife · log2((S − c0) / (S − T))` (in `f64`) gives a
//! candidate; the answer is then checked, and moved if needed, against
//! [`ConvictionState::conviction_at`], which reproduces `_accrue` bit for bit: the clock
//! in 2^-19 half-lives with its carried remainder, the deficit shrunk by the decay
//! factor rounded up and the product rounded up.

use alloy::primitives::{U256, U512};
use serde::Serialize;

/// Clock units per half-life, as a power of two (`CLOCK_BITS`).
pub const CLOCK_BITS: u32 = 19;
/// Clock units per half-life.
pub const CLOCK_UNITS: u64 = 1 << CLOCK_BITS;
/// A proposal's clock stops this long after its creation (`ParamKeys.MAX_PERIOD`).
pub const CLOCK_SPAN: u64 = 3650 * 86_400;
const TABLE_ERROR: u64 = 38;
const FRACTION_MASK: u64 = CLOCK_UNITS - 1;

/// K_k = 2^(-2^(-k)) floored to Q128, for the fraction's bits from 2^18 down to 2^0
/// (the library's table).
const TABLE: [u128; 19] = [
    0xb504f333f9de6484597d89b3754abe9f,
    0xd744fccad69d6af439a68bb9902d3fde,
    0xeac0c6e7dd24392ed02d75b3706e54fa,
    0xf5257d152486cc2c7b9d0c7aed980fc3,
    0xfa83b2db722a033a7c25bb14315d7fcc,
    0xfd3e0c0cf486c174853f3a5931e0ee03,
    0xfe9e115c7b8f884badd25995e79d2f09,
    0xff4ecb59511ec8a5301ba217ef18dd7c,
    0xffa756521c8daed19f3a1b48fb94c589,
    0xffd3a751c0f7e10bd3b9f8ae012fbe06,
    0xffe9d2b2f7db2755ddf1d28a378a438c,
    0xfff4e91bff1b8c3d88338e0ebf284a4d,
    0xfffa747ea0040664238f92f792405805,
    0xfffd3a3b7814eb53cd7629d70fea116a,
    0xfffe9d1cc60ddab126de1aec4a87e7b8,
    0xffff4e8e25879bfa09ea263360240c1a,
    0xffffa7470363f4515426d76c762b6b61,
    0xffffd3a37dda03133bde87a8379c8932,
    0xffffe9d1bdf703aef21ea4dcfb0682d8,
];

fn one() -> U256 {
    U256::from(1) << 128
}

/// 2^(-f/2^19) in Q128 rounded down, for f < 2^19 (`_fraction`).
fn fraction(f: u64) -> U256 {
    let mut r = one();
    for (i, k) in TABLE.iter().enumerate() {
        if f & (1 << (18 - i)) != 0 {
            r = (r * U256::from(*k)) >> 128;
        }
    }
    r
}

fn shift(r: U256, n: u64, error: u64, round_up: bool) -> U256 {
    if n > 128 {
        return if round_up { U256::from(1) } else { U256::ZERO };
    }
    let n = n as usize;
    if !round_up {
        return r >> n;
    }
    let hi = r + U256::from(error);
    let mask = (U256::from(1) << n) - U256::from(1);
    let up = (hi >> n) + U256::from(u8::from(hi & mask != U256::ZERO));
    up.min(one())
}

/// 2^(-units/2^19) in Q128, rounded down or up (`HalfLifeMath.fromClock`).
pub fn from_clock(units: u64, round_up: bool) -> U256 {
    let f = units & FRACTION_MASK;
    let error = if f == 0 { 0 } else { TABLE_ERROR };
    shift(fraction(f), units >> CLOCK_BITS, error, round_up)
}

/// `amount · factor / 2^128`, rounded down or up, in 512 bits (`HalfLifeMath.scale`).
pub fn scale(amount: U256, factor: U256, round_up: bool) -> U256 {
    let p: U512 = amount.widening_mul(factor);
    let mut q: U512 = p >> 128;
    if round_up && p & ((U512::from(1) << 128) - U512::from(1)) != U512::ZERO {
        q += U512::from(1);
    }
    let limbs = q.as_limbs();
    debug_assert!(limbs[4..].iter().all(|l| *l == 0), "scale: factor above 1.0");
    U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]])
}

/// When conviction reaches a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "at")]
pub enum Crossing {
    /// It already has: `promote` succeeds now (if the proposal is young enough).
    Reached,
    /// From this Unix second on, if nothing changes.
    At(u64),
    /// Never with the current support and threshold.
    Never,
}

/// What the contract's `_accrue` reads: a proposal's tally and clock bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConvictionState {
    /// S: supporting stake.
    pub support: U256,
    /// c at `updated_at`.
    pub conviction: U256,
    /// When it was last brought up to date.
    pub updated_at: u64,
    /// When the proposal was created (its clock stops `CLOCK_SPAN` later).
    pub created_at: u64,
    /// The half-life the clock last ran at (0 before any support).
    pub clock_half_life: u64,
    /// The carried fraction of a clock unit, in 1/`clock_half_life` units.
    pub clock_remainder: u64,
}

impl ConvictionState {
    /// A state from the proposal's stored record.
    pub fn new(
        support: U256,
        conviction: U256,
        updated_at: u64,
        created_at: u64,
        clock_half_life: u64,
        clock_remainder: u64,
    ) -> Self {
        Self { support, conviction, updated_at, created_at, clock_half_life, clock_remainder }
    }

    /// The contract's conviction at time `now` with half-life `half_life` (seconds), as
    /// its `conviction` view and `promote` would compute it then, if nothing changed.
    pub fn conviction_at(&self, now: u64, half_life: u64) -> U256 {
        let end = now.min(self.created_at.saturating_add(CLOCK_SPAN));
        let s = self.support;
        let c = self.conviction;
        if end <= self.updated_at || s.is_zero() || half_life == 0 || c >= s {
            return c;
        }
        let h = U256::from(half_life);
        let mut remainder = U256::from(self.clock_remainder);
        if self.clock_half_life != half_life {
            remainder = if self.clock_half_life == 0 {
                U256::ZERO
            } else {
                remainder * h / U256::from(self.clock_half_life)
            };
        }
        let scaled = U256::from(end - self.updated_at) * U256::from(CLOCK_UNITS) + remainder;
        let units: u64 = (scaled / h).saturating_to();
        if units == 0 {
            return c;
        }
        s - scale(s - c, from_clock(units, true), true)
    }

    /// The `f64` closed form: `t0 + h · log2((S − c0) / (S − T))`, rounded up; `None`
    /// when the threshold is at or above the support.
    pub fn estimate(&self, threshold: U256, half_life: u64) -> Option<u64> {
        if threshold >= self.support {
            return None;
        }
        let s: f64 = self.support.into();
        let c0: f64 = self.conviction.into();
        let t: f64 = threshold.into();
        let dt = half_life as f64 * ((s - c0) / (s - t)).log2();
        Some(self.updated_at.saturating_add(dt.max(0.0).ceil() as u64))
    }

    /// The first second `t ≥ now` at which `conviction_at(t) ≥ threshold`, if nothing
    /// changes: the `f64` estimate, checked and corrected against the exact integers
    /// (conviction never decreases with time while support stands).
    pub fn crossing(&self, threshold: U256, half_life: u64, now: u64) -> Crossing {
        let reached = |t: u64| self.conviction_at(t, half_life) >= threshold;
        if reached(now) {
            return Crossing::Reached;
        }
        let last = self.created_at.saturating_add(CLOCK_SPAN);
        if last <= now || !reached(last) {
            return Crossing::Never;
        }
        // Candidate from the closed form, then the exact predicate decides.
        let guess = self.estimate(threshold, half_life).unwrap_or(last).clamp(now + 1, last);
        if reached(guess) && !reached(guess - 1) {
            return Crossing::At(guess);
        }
        // Bracket (lo fails, hi succeeds) by galloping from the guess, then bisect.
        let (mut lo, mut hi) = if reached(guess) {
            let mut step = 1u64;
            let mut hi = guess;
            loop {
                let lo = hi.saturating_sub(step).max(now);
                if !reached(lo) {
                    break (lo, hi);
                }
                hi = lo;
                step = step.saturating_mul(2);
            }
        } else {
            let mut step = 1u64;
            let mut lo = guess;
            loop {
                let hi = lo.saturating_add(step).min(last);
                if reached(hi) {
                    break (lo, hi);
                }
                lo = hi;
                step = step.saturating_mul(2);
            }
        };
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if reached(mid) { hi = mid } else { lo = mid }
        }
        Crossing::At(hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_half_lives_are_exact_shifts() {
        assert_eq!(from_clock(0, false), one());
        assert_eq!(from_clock(CLOCK_UNITS, false), one() >> 1);
        assert_eq!(from_clock(CLOCK_UNITS, true), one() >> 1);
        assert_eq!(from_clock(200 * CLOCK_UNITS, false), U256::ZERO);
        assert_eq!(from_clock(200 * CLOCK_UNITS, true), U256::from(1));
    }

    #[test]
    fn table_matches_f64_and_bounds_bracket() {
        for units in [1u64, 7, 1000, 262_144, 300_001, 524_287, 1_000_000, 3_000_000] {
            let down = from_clock(units, false);
            let up = from_clock(units, true);
            assert!(down <= up && up - down <= U256::from(40), "{units}");
            let exact = (-(units as f64) / CLOCK_UNITS as f64).exp2();
            let got = f64::from(down) / 2f64.powi(128);
            assert!((got - exact).abs() < 1e-12, "{units}: {got} vs {exact}");
        }
    }

    #[test]
    fn conviction_moves_towards_support_and_crossing_is_the_first_second() {
        let ether = U256::from(10u64).pow(U256::from(18));
        let s = U256::from(1000u64) * ether;
        let state = ConvictionState::new(s, U256::ZERO, 1_000, 900, 0, 0);
        let h = 180;
        let mut prev = U256::ZERO;
        for t in (1_000..5_000).step_by(37) {
            let c = state.conviction_at(t, h);
            assert!(c >= prev && c < s);
            prev = c;
        }
        // One half-life in: half the support, to within the rounding.
        let half = state.conviction_at(1_000 + h, h);
        assert!(s / U256::from(2) - half < U256::from(1000));
        let threshold = U256::from(600u64) * ether;
        let Crossing::At(t) = state.crossing(threshold, h, 1_000) else { panic!() };
        assert!(state.conviction_at(t, h) >= threshold);
        assert!(state.conviction_at(t - 1, h) < threshold);
        assert_eq!(state.crossing(threshold, h, t), Crossing::Reached);
        assert_eq!(state.crossing(s, h, 1_000), Crossing::Never);
        // Supply-cap stake: no overflow.
        let cap = (U256::from(1) << 208) - U256::from(1);
        let big = ConvictionState::new(cap, U256::ZERO, 0, 0, 0, 0);
        assert!(big.conviction_at(CLOCK_SPAN, 1) < cap);
        assert!(matches!(big.crossing(cap / U256::from(5), 1, 0), Crossing::At(_)));
    }

    #[test]
    fn carried_remainder_is_rescaled_on_a_new_half_life() {
        let s = U256::from(1_000_000u64);
        let a = ConvictionState::new(s, U256::from(10u64), 100, 0, 180, 90);
        let b = ConvictionState::new(s, U256::from(10u64), 100, 0, 360, 180);
        assert_eq!(a.conviction_at(150, 360), b.conviction_at(150, 360));
    }
}
