//! Pure statistical functions: no I/O, no knowledge of ethnicity or files.
//!
//! References:
//! - Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
//!   inference. JASA 22, 209–212. (Score interval for a proportion.)
//! - The exact two-sided binomial test follows R's `binom.test` (and scipy's `binomtest`): the
//!   p-value sums the probabilities of every outcome no more likely than the one observed, with
//!   a relative tolerance of 1e-7 for ties.
//! - Pearson's chi-square goodness-of-fit test against fixed expected proportions.

use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, Discrete, DiscreteCDF, Normal};

/// The standard normal quantile for a two-sided interval at `confidence` (0.95 → 1.959964).
///
/// # Panics
/// If `confidence` is not strictly between 0 and 1; callers validate user input first.
pub fn z_for_confidence(confidence: f64) -> f64 {
    assert!(
        confidence > 0.0 && confidence < 1.0,
        "confidence must be in (0, 1)"
    );
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    normal.inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// Wilson score interval for `x` successes out of `n` at the given two-sided confidence.
/// `None` when `n` is 0.
pub fn wilson_interval(x: u64, n: u64, confidence: f64) -> Option<(f64, f64)> {
    if n == 0 || x > n {
        return None;
    }
    let z = z_for_confidence(confidence);
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // At x = 0 and x = n the bound is exactly 0 or 1; computing it leaves rounding noise.
    let low = if x == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if x == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((low, high))
}

/// Exact two-sided binomial test of H0: probability = `p`, as R's `binom.test`.
pub fn binomial_test_two_sided(x: u64, n: u64, p: f64) -> f64 {
    assert!((0.0..=1.0).contains(&p), "p must be in [0, 1]");
    assert!(x <= n, "x must not exceed n");
    if p == 0.0 {
        return if x == 0 { 1.0 } else { 0.0 };
    }
    if p == 1.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    let dist = Binomial::new(p, n).expect("valid binomial");
    let rel_err = 1.0 + 1e-7;
    let d = dist.pmf(x);
    let m = n as f64 * p;
    let pvalue = if (x as f64 - m).abs() < f64::EPSILON * m.max(1.0) {
        1.0
    } else if (x as f64) < m {
        // Beyond the mean the probabilities only fall, so the outcomes no more likely than x
        // form a tail: find where it starts by bisection instead of summing every term.
        let from = m.ceil() as u64;
        let start = first_index(from, n + 1, |i| dist.pmf(i) <= d * rel_err);
        let y = n + 1 - start;
        // P(X <= x) + P(X >= n - y + 1)
        dist.cdf(x) + if y == 0 { 0.0 } else { dist.sf(n - y) }
    } else {
        // Below the mean the probabilities only rise: the outcomes no more likely than x are
        // 0..y.
        let to = m.floor() as u64;
        let y = first_index(0, to + 1, |i| dist.pmf(i) > d * rel_err);
        // P(X <= y - 1) + P(X >= x)
        let lower = if y == 0 { 0.0 } else { dist.cdf(y - 1) };
        lower + dist.sf(x - 1)
    };
    pvalue.min(1.0)
}

/// The first `i` in `lo..hi` for which `pred` holds, given that `pred` is false and then true
/// over the range; `hi` when it never holds.
fn first_index(mut lo: u64, mut hi: u64, pred: impl Fn(u64) -> bool) -> u64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// A ratio of two proportions with its Katz log interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RelativeRisk {
    pub ratio: f64,
    /// `None` when an event count is 0 (the Katz interval is undefined there).
    pub interval: Option<(f64, f64)>,
}

/// Relative risk (a/n1) / (c/n2) with the Katz log interval
/// exp(ln RR ± z·√(1/a − 1/n1 + 1/c − 1/n2)) (Katz et al. 1978; scipy's `relative_risk`).
/// `None` when a group is empty or the denominator rate is 0.
pub fn relative_risk_katz(
    a: u64,
    n1: u64,
    c: u64,
    n2: u64,
    confidence: f64,
) -> Option<RelativeRisk> {
    if n1 == 0 || n2 == 0 || c == 0 || a > n1 || c > n2 {
        return None;
    }
    let (af, n1f, cf, n2f) = (a as f64, n1 as f64, c as f64, n2 as f64);
    let ratio = (af / n1f) / (cf / n2f);
    let interval = (a > 0).then(|| {
        let se = (1.0 / af - 1.0 / n1f + 1.0 / cf - 1.0 / n2f).sqrt();
        let z = z_for_confidence(confidence);
        ((ratio.ln() - z * se).exp(), (ratio.ln() + z * se).exp())
    });
    Some(RelativeRisk { ratio, interval })
}

/// Result of a chi-square goodness-of-fit test.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ChiSquareTest {
    pub statistic: f64,
    pub df: u64,
    pub p_value: f64,
    /// The smallest expected count: below 5 the chi-square approximation is doubtful.
    pub min_expected: f64,
}

/// Pearson's chi-square test of `observed` counts against `proportions` (rescaled to sum to 1).
/// `None` with fewer than two categories, no observations, or a zero expected proportion.
pub fn chi_square_goodness_of_fit(observed: &[u64], proportions: &[f64]) -> Option<ChiSquareTest> {
    assert_eq!(observed.len(), proportions.len());
    let n: u64 = observed.iter().sum();
    let total_p: f64 = proportions.iter().sum();
    if observed.len() < 2 || n == 0 || total_p <= 0.0 || proportions.iter().any(|&p| p <= 0.0) {
        return None;
    }
    let mut statistic = 0.0;
    let mut min_expected = f64::INFINITY;
    for (&o, &p) in observed.iter().zip(proportions) {
        let expected = n as f64 * p / total_p;
        min_expected = min_expected.min(expected);
        statistic += (o as f64 - expected).powi(2) / expected;
    }
    let df = observed.len() as u64 - 1;
    let p_value = ChiSquared::new(df as f64).expect("df >= 1").sf(statistic);
    Some(ChiSquareTest {
        statistic,
        df,
        p_value,
        min_expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn z_at_95_percent() {
        assert!(close(z_for_confidence(0.95), 1.959963984540054, 1e-12));
    }

    // Worked checks from the domain reference (hand-computed Wilson intervals).
    #[test]
    fn wilson_worked_examples() {
        let (lo, hi) = wilson_interval(42, 149, 0.95).unwrap();
        assert!(
            (lo - 0.2158).abs() < 5e-5 && (hi - 0.3589).abs() < 5e-5,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson_interval(7, 50, 0.95).unwrap();
        assert!(
            (lo - 0.069508).abs() < 5e-7 && (hi - 0.261862).abs() < 5e-7,
            "{lo} {hi}"
        );
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(wilson_interval(0, 0, 0.95), None);
        let (lo, hi) = wilson_interval(0, 10, 0.95).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.35);
        let (lo, hi) = wilson_interval(10, 10, 0.95).unwrap();
        assert_eq!(hi, 1.0);
        assert!(lo > 0.65);
    }

    #[test]
    fn binomial_test_hand_checks() {
        // n = 2, p = 0.5, x = 0: outcomes 0 and 2 each have probability 1/4.
        assert!(close(binomial_test_two_sided(0, 2, 0.5), 0.5, 1e-12));
        // n = 3, p = 0.5, x = 0: P(0) + P(3) = 1/8 + 1/8.
        assert!(close(binomial_test_two_sided(0, 3, 0.5), 0.25, 1e-12));
        // x equal to its expectation.
        assert_eq!(binomial_test_two_sided(5, 10, 0.5), 1.0);
        assert_eq!(binomial_test_two_sided(0, 10, 0.0), 1.0);
        assert_eq!(binomial_test_two_sided(1, 10, 0.0), 0.0);
    }

    #[test]
    fn chi_square_hand_check() {
        // observed 30/70 against 50/50: (20² + 20²)/50 = 16 on 1 df.
        let t = chi_square_goodness_of_fit(&[30, 70], &[0.5, 0.5]).unwrap();
        assert!(close(t.statistic, 16.0, 1e-12));
        assert_eq!(t.df, 1);
        // P(chi2_1 > 16) = erfc(sqrt(8)) = 6.334248e-05
        assert!(
            close(t.p_value, 6.334248366623988e-05, 1e-6),
            "{}",
            t.p_value
        );
        assert!(chi_square_goodness_of_fit(&[3], &[1.0]).is_none());
    }

    /// Worked checks from the domain reference, and scipy's `relative_risk` (Katz interval).
    #[test]
    fn katz_relative_risk() {
        let rr = relative_risk_katz(10, 75, 12, 225, 0.95).unwrap();
        assert!(close(rr.ratio, 2.5, 1e-12));
        let (lo, hi) = rr.interval.unwrap();
        assert!(
            close(lo, 1.1261564003469628, 1e-9) && close(hi, 5.549850800541033, 1e-9),
            "{lo} {hi}"
        );
        let rr = relative_risk_katz(40, 200, 10, 100, 0.95).unwrap();
        let (lo, hi) = rr.interval.unwrap();
        assert!(close(lo, 1.0440429898469923, 1e-9) && close(hi, 3.8312598608475046, 1e-9));
        assert_eq!(
            relative_risk_katz(0, 10, 3, 10, 0.95).unwrap().interval,
            None
        );
        assert!(relative_risk_katz(3, 10, 0, 10, 0.95).is_none());
    }

    /// Golden values from scipy/statsmodels: tests/oracle/representation_oracle.py.
    #[test]
    fn agrees_with_scipy_and_statsmodels() {
        let golden = include_str!("../../tests/oracle/stats_cases.csv");
        let mut reader = csv::Reader::from_reader(golden.as_bytes());
        let mut cases = 0;
        for record in reader.records() {
            let r = record.unwrap();
            let f = |i: usize| r[i].parse::<f64>().unwrap();
            let (x, n, p, conf) = (f(0) as u64, f(1) as u64, f(2), f(3));
            let (lo, hi) = wilson_interval(x, n, conf).unwrap();
            assert!(
                (lo - f(4)).abs() < 1e-12,
                "wilson low {x}/{n}: {lo} vs {}",
                f(4)
            );
            assert!(
                (hi - f(5)).abs() < 1e-12,
                "wilson high {x}/{n}: {hi} vs {}",
                f(5)
            );
            let pv = binomial_test_two_sided(x, n, p);
            assert!(
                close(pv, f(6), 1e-9) || (pv - f(6)).abs() < 1e-14,
                "binomial p {x}/{n} p={p}: {pv} vs {}",
                f(6)
            );
            cases += 1;
        }
        assert_eq!(cases, 11);
    }

    /// R's `binom.test` written out term by term, to check the bisection against.
    fn binomial_test_by_scanning(x: u64, n: u64, p: f64) -> f64 {
        let dist = Binomial::new(p, n).unwrap();
        let d = dist.pmf(x) * (1.0 + 1e-7);
        let m = n as f64 * p;
        let total: f64 = (0..=n)
            .filter(|&i| dist.pmf(i) <= d)
            .map(|i| dist.pmf(i))
            .sum();
        if (x as f64 - m).abs() < 1e-12 {
            1.0
        } else {
            total.min(1.0)
        }
    }

    proptest::proptest! {
        #[test]
        fn bisection_matches_scanning(n in 1u64..400, x_frac in 0.0f64..=1.0, p in 0.001f64..0.999) {
            let x = ((n as f64) * x_frac).round() as u64;
            let fast = binomial_test_two_sided(x, n, p);
            let slow = binomial_test_by_scanning(x, n, p);
            proptest::prop_assert!((fast - slow).abs() < 1e-9, "x={} n={} p={}: {} vs {}", x, n, p, fast, slow);
        }
    }
}
