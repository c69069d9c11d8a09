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

/// The two-sided p-value of a standard normal statistic `z`.
pub fn normal_two_sided_p(z: f64) -> f64 {
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    (2.0 * normal.sf(z.abs())).min(1.0)
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

/// The Cochran–Armitage test for a linear trend in proportions across ordered groups.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TrendTest {
    /// The standardised statistic Z; positive when the proportion rises with the score.
    pub z: f64,
    /// Z², referred to chi-square on 1 degree of freedom (as R's `prop.trend.test`).
    pub chi_square: f64,
    pub p_value: f64,
}

/// Cochran–Armitage trend test of `x[i]` successes out of `n[i]` at scores `scores[i]`:
/// T = Σ sᵢ(xᵢ − nᵢp̄), Var T = p̄(1−p̄)(Σ nᵢsᵢ² − (Σ nᵢsᵢ)²/N), Z = T/√Var T, two-sided
/// p-value from the normal distribution. This is the classic form (variance with N, as R's
/// `prop.trend.test`), not the N−1 linear-by-linear association variant. `None` when there are
/// fewer than two non-empty groups or every proportion is 0 or 1.
pub fn cochran_armitage(x: &[u64], n: &[u64], scores: &[f64]) -> Option<TrendTest> {
    assert!(x.len() == n.len() && n.len() == scores.len());
    if n.iter().filter(|&&k| k > 0).count() < 2 {
        return None;
    }
    let total: f64 = n.iter().map(|&k| k as f64).sum();
    let successes: f64 = x.iter().map(|&k| k as f64).sum();
    let p = successes / total;
    let mut t = 0.0;
    let (mut sum_ns, mut sum_ns2) = (0.0, 0.0);
    for ((&xi, &ni), &s) in x.iter().zip(n).zip(scores) {
        let (xi, ni) = (xi as f64, ni as f64);
        t += s * (xi - ni * p);
        sum_ns += ni * s;
        sum_ns2 += ni * s * s;
    }
    let variance = p * (1.0 - p) * (sum_ns2 - sum_ns * sum_ns / total);
    if variance <= 0.0 {
        return None;
    }
    let z = t / variance.sqrt();
    Some(TrendTest {
        z,
        chi_square: z * z,
        p_value: normal_two_sided_p(z),
    })
}

/// Newcombe's hybrid score interval for the difference of two independent proportions
/// p₁ − p₂ (Newcombe 1998, method 10; statsmodels `confint_proportions_2indep(method="newcomb")`):
/// from the Wilson intervals (l₁, u₁) and (l₂, u₂),
/// (d − √((p₁−l₁)² + (u₂−p₂)²), d + √((u₁−p₁)² + (p₂−l₂)²)). `None` when a group is empty.
pub fn newcombe_difference_interval(
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
    confidence: f64,
) -> Option<(f64, f64)> {
    let (l1, u1) = wilson_interval(x1, n1, confidence)?;
    let (l2, u2) = wilson_interval(x2, n2, confidence)?;
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let d = p1 - p2;
    Some((
        d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
    ))
}

/// The median of values sorted ascending (mean of the middle two for an even count).
pub fn median_sorted(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
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

    /// Cases from tests/oracle/workforce_oracle.py (statsmodels and scipy).
    #[test]
    fn workforce_oracle_cases() {
        let text = include_str!("../../tests/oracle/workforce_stats_expected.csv");
        let mut checked = 0;
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let num = |i: usize| f[i].parse::<f64>().unwrap();
            let pairs: Vec<(u64, u64, f64)> = f[1]
                .split(' ')
                .map(|p| {
                    let (xn, score) = p.split_once('@').unwrap_or((p, "0"));
                    let (x, n) = xn.split_once('/').unwrap();
                    (
                        x.parse().unwrap(),
                        n.parse().unwrap(),
                        score.parse().unwrap(),
                    )
                })
                .collect();
            match f[0] {
                "trend" => {
                    let x: Vec<u64> = pairs.iter().map(|p| p.0).collect();
                    let n: Vec<u64> = pairs.iter().map(|p| p.1).collect();
                    let s: Vec<f64> = pairs.iter().map(|p| p.2).collect();
                    let t = cochran_armitage(&x, &n, &s).unwrap();
                    assert!(close(t.z, num(5), 1e-9), "{line}: {t:?}");
                    assert!(close(t.chi_square, num(6), 1e-9), "{line}: {t:?}");
                    assert!(close(t.p_value, num(7), 1e-9), "{line}: {t:?}");
                }
                "newcombe" => {
                    let (a, b) = (pairs[0], pairs[1]);
                    let (lo, hi) = newcombe_difference_interval(a.0, a.1, b.0, b.1, 0.95).unwrap();
                    assert!((lo - num(3)).abs() < 1e-9, "{line}: {lo}");
                    assert!((hi - num(4)).abs() < 1e-9, "{line}: {hi}");
                }
                "katz" => {
                    let (a, b) = (pairs[0], pairs[1]);
                    let rr = relative_risk_katz(a.0, a.1, b.0, b.1, 0.95).unwrap();
                    let (lo, hi) = rr.interval.unwrap();
                    assert!(close(rr.ratio, num(2), 1e-12), "{line}");
                    assert!(close(lo, num(3), 1e-9) && close(hi, num(4), 1e-9), "{line}");
                }
                other => panic!("unknown case kind {other}"),
            }
            checked += 1;
        }
        assert_eq!(checked, 12);
    }

    /// By hand: 5/50, 10/50, 15/50 at scores 1, 2, 3. p̄ = 0.2, T = 10, Var T = 0.16 × 100 = 16,
    /// Z = 2.5.
    #[test]
    fn cochran_armitage_by_hand() {
        let t = cochran_armitage(&[5, 10, 15], &[50, 50, 50], &[1.0, 2.0, 3.0]).unwrap();
        assert!(close(t.z, 2.5, 1e-12));
        assert!(cochran_armitage(&[0, 0], &[5, 5], &[1.0, 2.0]).is_none());
        assert!(cochran_armitage(&[3, 0], &[5, 0], &[1.0, 2.0]).is_none());
    }

    #[test]
    fn medians() {
        assert_eq!(median_sorted(&[]), None);
        assert_eq!(median_sorted(&[1.0, 2.0, 9.0]), Some(2.0));
        assert_eq!(median_sorted(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
    }
}
