//! Weighted proportions with design-based standard errors, logit intervals and group-vs-rest
//! tests, as R's `survey` package computes them for `svydesign(ids = ~1, weights = ~w)` with
//! the raked weights treated as fixed (Lumley, *Complex Surveys*, 2010, ch. 2 and 5).
//!
//! - Proportion: p = Σw·y / Σw over the respondents in the domain who answered.
//! - Standard error (`svymean`): Taylor linearisation for a with-replacement single-stage
//!   design, √(N/(N−1)·Σ zᵢ²) with zᵢ = wᵢ(yᵢ − p)/Σw inside the domain and 0 outside, where N
//!   counts every respondent of the survey (R keeps the design's sample size when a design is
//!   subset).
//! - Interval (`svyciprop(method = "logit")`): logit(p) ± t·SE/(p(1−p)), back-transformed,
//!   with t on `degf()` of the subset: the domain's answering respondents minus 1.
//! - Group vs rest (`svyttest(y ~ in_group)`): the difference p_group − p_rest over its
//!   linearised SE (the same N/(N−1) factor), on t with (answering respondents − 2) degrees of
//!   freedom, two-sided.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// A weighted proportion and its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// Respondents in the domain who answered (the unweighted base).
    pub base_n: u64,
    pub weighted_base: f64,
    pub proportion: f64,
    pub se: f64,
    /// The logit interval; `None` when p is 0 or 1 or the base is below 2.
    pub interval: Option<(f64, f64)>,
    pub df: u64,
}

/// A group compared with everyone else who answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupTest {
    /// p_group − p_rest.
    pub difference: f64,
    pub se: f64,
    pub t: f64,
    pub df: u64,
    pub p_value: f64,
}

/// Student's t quantile; the normal quantile when df is huge.
pub fn t_quantile(probability: f64, df: u64) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .expect("df ≥ 1")
        .inverse_cdf(probability)
}

/// The weighted proportion of `y` among `(w, y)` pairs in the domain, with `design_n` the
/// number of respondents in the whole survey.
pub fn proportion(domain: &[(f64, bool)], design_n: usize, confidence: f64) -> Option<Proportion> {
    let n = domain.len();
    let weighted: f64 = domain.iter().map(|(w, _)| w).sum();
    if n == 0 || weighted <= 0.0 {
        return None;
    }
    let p = domain
        .iter()
        .filter(|(_, y)| *y)
        .map(|(w, _)| w)
        .sum::<f64>()
        / weighted;
    let sum_sq: f64 = domain
        .iter()
        .map(|&(w, y)| {
            let z = w * (f64::from(u8::from(y)) - p) / weighted;
            z * z
        })
        .sum();
    let big_n = design_n as f64;
    let se = (big_n / (big_n - 1.0) * sum_sq).sqrt();
    let df = n as u64 - 1;
    let interval = if p > 0.0 && p < 1.0 && df >= 1 {
        let t = t_quantile(1.0 - (1.0 - confidence) / 2.0, df);
        let logit = (p / (1.0 - p)).ln();
        let half = t * se / (p * (1.0 - p));
        let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
        Some((expit(logit - half), expit(logit + half)))
    } else {
        None
    };
    Some(Proportion {
        base_n: n as u64,
        weighted_base: weighted,
        proportion: p,
        se,
        interval,
        df,
    })
}

/// Test a group against the rest: `answered` holds (weight, positive, in group) for every
/// respondent who answered.
pub fn group_vs_rest(answered: &[(f64, bool, bool)], design_n: usize) -> Option<GroupTest> {
    let mut w = [0.0f64; 2];
    let mut wy = [0.0f64; 2];
    for &(wi, y, g) in answered {
        let k = usize::from(g);
        w[k] += wi;
        if y {
            wy[k] += wi;
        }
    }
    if w[0] <= 0.0 || w[1] <= 0.0 || answered.len() < 3 {
        return None;
    }
    let p = [wy[0] / w[0], wy[1] / w[1]];
    let sum_sq: f64 = answered
        .iter()
        .map(|&(wi, y, g)| {
            let k = usize::from(g);
            let z = wi * (f64::from(u8::from(y)) - p[k]) / w[k];
            z * z
        })
        .sum();
    let big_n = design_n as f64;
    let se = (big_n / (big_n - 1.0) * sum_sq).sqrt();
    let difference = p[1] - p[0];
    if se <= 0.0 {
        return None;
    }
    let t = difference / se;
    let df = answered.len() as u64 - 2;
    let dist = StudentsT::new(0.0, 1.0, df as f64).expect("df ≥ 1");
    let p_value = 2.0 * dist.cdf(-t.abs());
    Some(GroupTest {
        difference,
        se,
        t,
        df,
        p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal weights: p = x/n, and the linearised SE is √(p(1−p)/(n−1)) when the domain is the
    /// whole survey (N = n): here 3 of 10 → √(0.21/9).
    #[test]
    fn equal_weights_reduce_to_the_textbook_formula() {
        let domain: Vec<(f64, bool)> = (0..10).map(|i| (2.0, i < 3)).collect();
        let p = proportion(&domain, 10, 0.95).unwrap();
        assert!((p.proportion - 0.3).abs() < 1e-12);
        assert!((p.se - (0.21f64 / 9.0).sqrt()).abs() < 1e-12);
        assert_eq!(p.df, 9);
        let (lo, hi) = p.interval.unwrap();
        // logit(0.3) ± t(0.975, 9)·se/0.21, back-transformed.
        let t = 2.262157162798205;
        let l = (0.3f64 / 0.7).ln();
        let h = t * p.se / 0.21;
        assert!((lo - 1.0 / (1.0 + (-(l - h)).exp())).abs() < 1e-9);
        assert!((hi - 1.0 / (1.0 + (-(l + h)).exp())).abs() < 1e-9);
    }

    #[test]
    fn no_interval_at_zero_or_one() {
        let domain = vec![(1.0, true); 5];
        assert!(proportion(&domain, 5, 0.95).unwrap().interval.is_none());
    }

    #[test]
    fn group_difference_is_group_minus_rest() {
        let answered: Vec<(f64, bool, bool)> =
            (0..20).map(|i| (1.0, i % 2 == 0 || i < 4, i < 8)).collect();
        let t = group_vs_rest(&answered, 20).unwrap();
        // Group: rows 0–7, positive 0,1,2,3,4,6 = 6/8; rest: 8–19, even ones = 6/12.
        assert!((t.difference - (0.75 - 0.5)).abs() < 1e-12);
        assert_eq!(t.df, 18);
        assert!(t.p_value > 0.0 && t.p_value < 1.0);
    }
}
