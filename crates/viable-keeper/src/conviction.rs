//! Conviction over time, and when it crosses a threshold.
//!
//! StrategyProposals keeps a normalized conviction `c` per proposal that moves toward
//! the supporting stake `S` with half-life `h`: after `t` seconds without a change,
//!
//! ```text
//! c(t) = S + (c0 − S) · 2^(−t/h)        (a = 2^(−1/h) per second)
//! ```
//!
//! so when `S > threshold > c0` it first reaches the threshold at
//! `t* = h · log2((S − c0) / (S − threshold))`. [`Conviction::crossing`] evaluates that
//! closed form, rounds up to a whole second and then verifies the answer against the
//! model (`c(t) ≥ threshold` and `c(t − 1) < threshold`), moving a few seconds if the
//! floating-point estimate landed on the wrong side. [`Conviction::crossing_by`] does
//! the same search against any monotone predicate, e.g. an exact copy of the
//! contract's fixed-point arithmetic once it exists.
//!
//! This module depends on nothing else in the keeper so that the SDK can own it later
//! (the keeper then re-exports it from there).

use alloy_primitives::U256;

/// A proposal's conviction state at its last update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conviction {
    /// Conviction at the last update.
    pub conviction: U256,
    /// Supporting stake since the last update.
    pub support: U256,
    /// Half-life in seconds (`strategy.halfLife`).
    pub half_life: u64,
}

/// When conviction reaches a threshold, counted from the last update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    /// It already has (at the last update).
    Reached,
    /// First whole second (after the last update) at which it has.
    At(u64),
    /// Never, with the current support.
    Never,
}

/// Most predicate evaluations [`Conviction::crossing_by`] makes before answering
/// [`Crossing::Never`].
const MAX_PROBES: u32 = 200;

impl Conviction {
    /// The model's conviction `elapsed` seconds after the last update (as `f64`).
    pub fn value_at(&self, elapsed: u64) -> f64 {
        let c0 = f64::from(self.conviction);
        let s = f64::from(self.support);
        if elapsed == 0 {
            return c0;
        }
        if self.half_life == 0 {
            return s;
        }
        s + (c0 - s) * decay(elapsed, self.half_life)
    }

    /// Whether the model's conviction `elapsed` seconds after the last update is at
    /// least `threshold`. Computed on the exact integer gaps `S − c0` and
    /// `S − threshold`, so a threshold a few units below a large support is still
    /// judged correctly.
    pub fn reaches(&self, threshold: U256, elapsed: u64) -> bool {
        let (c0, s) = (self.conviction, self.support);
        if elapsed == 0 {
            return c0 >= threshold;
        }
        if self.half_life == 0 {
            return s >= threshold;
        }
        let d = decay(elapsed, self.half_life);
        if s >= c0 {
            // Rising (or flat): c ≥ thr ⇔ thr ≤ S and (S − c0)·d ≤ S − thr.
            if threshold > s {
                return false;
            }
            f64::from(s - c0) * d <= f64::from(s - threshold)
        } else {
            // Falling toward S: c ≥ thr ⇔ thr ≤ S or (c0 − S)·d ≥ thr − S.
            if threshold <= s {
                return true;
            }
            f64::from(c0 - s) * d >= f64::from(threshold - s)
        }
    }

    /// The first whole second at which conviction reaches `threshold`, by the closed
    /// form, verified against [`Conviction::reaches`].
    pub fn crossing(&self, threshold: U256) -> Crossing {
        self.crossing_by(threshold, |t| self.reaches(threshold, t))
    }

    /// Like [`Conviction::crossing`], but the answer is the first second at which
    /// `reaches(t)` holds, searched from the closed-form estimate. `reaches` must be
    /// monotone (false, then true for ever) for `t ≥ 1`, which holds for rising
    /// conviction; it is how an exact model of the contract's arithmetic plugs in.
    pub fn crossing_by(&self, threshold: U256, mut reaches: impl FnMut(u64) -> bool) -> Crossing {
        if self.conviction >= threshold {
            return Crossing::Reached;
        }
        // Conviction only rises toward S; below the threshold it never gets there.
        if self.support <= threshold {
            return Crossing::Never;
        }
        let estimate = self.estimate(threshold);
        match first_true(estimate, &mut reaches) {
            Some(t) => Crossing::At(t),
            None => Crossing::Never,
        }
    }

    /// `ceil(h · log2((S − c0) / (S − thr)))`, at least 1; requires `S > thr > c0`.
    fn estimate(&self, threshold: U256) -> u64 {
        if self.half_life == 0 {
            return 1;
        }
        let gap0 = f64::from(self.support - self.conviction);
        let gap = f64::from(self.support - threshold);
        let t = self.half_life as f64 * (gap0 / gap).log2();
        if !t.is_finite() || t >= u64::MAX as f64 {
            return u64::MAX / 2;
        }
        // `as` saturates; a value in (0, 1] becomes 1.
        (t.ceil() as u64).max(1)
    }
}

/// `2^(−elapsed / half_life)`.
fn decay(elapsed: u64, half_life: u64) -> f64 {
    (-(elapsed as f64) / half_life as f64).exp2()
}

/// The least `t ≥ 1` with `pred(t)`, searched from `guess` by galloping and then
/// bisecting; `None` if none is found within [`MAX_PROBES`] probes or below
/// `u64::MAX / 2`.
fn first_true(guess: u64, pred: &mut impl FnMut(u64) -> bool) -> Option<u64> {
    let mut probes = 0u32;
    let mut probe = |t: u64, probes: &mut u32| {
        *probes += 1;
        pred(t)
    };
    let guess = guess.clamp(1, u64::MAX / 2);
    // Find lo < hi with !pred(lo) (or lo = 0) and pred(hi).
    let (mut lo, mut hi);
    if probe(guess, &mut probes) {
        hi = guess;
        let mut step = 1u64;
        loop {
            let candidate = hi.saturating_sub(step);
            if candidate == 0 {
                lo = 0;
                break;
            }
            if probe(candidate, &mut probes) {
                hi = candidate;
                step = step.saturating_mul(2);
            } else {
                lo = candidate;
                break;
            }
            if probes >= MAX_PROBES {
                return Some(hi);
            }
        }
    } else {
        lo = guess;
        let mut step = 1u64;
        loop {
            let candidate = lo.checked_add(step).filter(|c| *c <= u64::MAX / 2)?;
            if probe(candidate, &mut probes) {
                hi = candidate;
                break;
            }
            lo = candidate;
            step = step.saturating_mul(2);
            if probes >= MAX_PROBES {
                return None;
            }
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if probe(mid, &mut probes) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(n: u64) -> U256 {
        U256::from(n) * U256::from(10u64).pow(U256::from(18))
    }

    /// Conviction second by second, `c ← c·a + S·(1 − a)`, as the contract defines it;
    /// returns the first second with `c ≥ thr` and `c` at that second.
    fn brute_force(c0: f64, s: f64, thr: f64, half_life: u64, limit: u64) -> Option<(u64, f64)> {
        let a = (-1.0 / half_life as f64).exp2();
        let mut c = c0;
        for t in 1..=limit {
            c = c * a + s * (1.0 - a);
            if c >= thr {
                return Some((t, c));
            }
        }
        None
    }

    /// xorshift64*, so the cases are the same on every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn crossing_matches_brute_force_simulation() {
        let mut rng = Rng(0x5eed_1234_abcd_0042);
        let mut compared = 0;
        for _ in 0..300 {
            let half_life = 1 + rng.below(600);
            let support = 1 + rng.below(1_000_000);
            let c0 = rng.below(support);
            let thr = c0 + 1 + rng.below(support - c0);
            if thr >= support {
                continue;
            }
            let conv = Conviction {
                conviction: U256::from(c0) * tokens(1),
                support: U256::from(support) * tokens(1),
                half_life,
            };
            let threshold = U256::from(thr) * tokens(1);
            let Crossing::At(t) = conv.crossing(threshold) else {
                panic!("{c0} → {support} over {thr} must cross");
            };
            let scale = 1e18;
            let (bt, bc) = brute_force(
                c0 as f64 * scale,
                support as f64 * scale,
                thr as f64 * scale,
                half_life,
                t + 1000,
            )
            .expect("brute force crosses");
            let tie = ((bc - thr as f64 * scale) / (thr as f64 * scale)).abs() < 1e-9;
            if tie {
                assert!(t.abs_diff(bt) <= 1, "near tie: calculator {t}, simulation {bt}");
            } else {
                assert_eq!(t, bt, "c0 {c0} S {support} thr {thr} h {half_life}");
            }
            compared += 1;
        }
        assert!(compared > 250, "only {compared} cases compared");
    }

    #[test]
    fn crossing_is_first_whole_second_of_the_model() {
        let conv = Conviction { conviction: tokens(0), support: tokens(1000), half_life: 300 };
        let thr = tokens(600);
        let Crossing::At(t) = conv.crossing(thr) else { panic!("must cross") };
        // 300 · log2(1000/400) = 396.58… → 397.
        assert_eq!(t, 397);
        assert!(conv.reaches(thr, t));
        assert!(!conv.reaches(thr, t - 1));
        assert!(conv.value_at(t) >= 600e18 && conv.value_at(t - 1) < 600e18);
    }

    #[test]
    fn crossing_exactly_at_one_half_life() {
        // From 0 toward 2 with threshold 1: exactly one half-life; c(h) = thr counts.
        let conv = Conviction { conviction: U256::ZERO, support: U256::from(2), half_life: 1000 };
        assert_eq!(conv.crossing(U256::from(1)), Crossing::At(1000));
    }

    #[test]
    fn crossing_already_reached_or_never() {
        let conv = Conviction { conviction: tokens(700), support: tokens(100), half_life: 60 };
        assert_eq!(conv.crossing(tokens(600)), Crossing::Reached);
        let conv = Conviction { conviction: tokens(100), support: tokens(600), half_life: 60 };
        // Support equal to the threshold only approaches it.
        assert_eq!(conv.crossing(tokens(600)), Crossing::Never);
        assert_eq!(conv.crossing(tokens(601)), Crossing::Never);
    }

    #[test]
    fn crossing_with_a_threshold_one_unit_below_support() {
        let s = tokens(1_000_000);
        let conv = Conviction { conviction: U256::ZERO, support: s, half_life: 3 * 86_400 };
        let thr = s - U256::from(1);
        let Crossing::At(t) = conv.crossing(thr) else { panic!("must cross") };
        assert!(conv.reaches(thr, t) && !conv.reaches(thr, t - 1));
        // log2(1e24) ≈ 79.7 half-lives.
        assert!(t > 79 * 3 * 86_400 && t < 81 * 3 * 86_400, "{t}");
    }

    #[test]
    fn crossing_by_follows_the_given_predicate() {
        let conv = Conviction { conviction: tokens(0), support: tokens(1000), half_life: 300 };
        let thr = tokens(600);
        // A stricter exact model that crosses 5 s later than the float one.
        assert_eq!(
            conv.crossing_by(thr, |t| conv.reaches(thr, t.saturating_sub(5))),
            Crossing::At(402)
        );
        // And one that crosses far earlier.
        assert_eq!(conv.crossing_by(thr, |t| t >= 7), Crossing::At(7));
        // One that never holds.
        assert_eq!(conv.crossing_by(thr, |_| false), Crossing::Never);
    }

    #[test]
    fn zero_half_life_jumps_to_support() {
        let conv = Conviction { conviction: U256::ZERO, support: U256::from(10), half_life: 0 };
        assert_eq!(conv.crossing(U256::from(5)), Crossing::At(1));
        assert!(!conv.reaches(U256::from(5), 0));
        assert_eq!(conv.value_at(1), 10.0);
    }

    #[test]
    fn falling_conviction_reaches_until_it_decays() {
        let conv = Conviction { conviction: U256::from(1000), support: U256::ZERO, half_life: 10 };
        assert!(conv.reaches(U256::from(500), 10));
        assert!(!conv.reaches(U256::from(500), 11));
    }
}
