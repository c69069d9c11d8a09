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
//!
//! **Calibration.** Raking makes the weights depend on the sample: the weighted margins are
//! fixed at the population's, so the part of each estimate that the margins explain does not
//! vary from sample to sample. With a [`Calibration`], each estimate's linearised values zᵢ are
//! first replaced by their residuals from the raking margins, as R's `survey` does for the
//! design `rake()` returns (`svyrecvar` on a "raking" post-stratification): ten passes over the
//! margins in raking order of zᵢ ← zᵢ − wᵢ·mean_c(z/w), the mean taken over every respondent in
//! zᵢ's category c of the margin, answering or not, inside the domain or not. The variance is
//! then N/(N−1)·Σ(zᵢ − z̄)² over the whole sample (Deville and Särndal 1992; Lumley 2010,
//! ch. 7). Without one, the weights are treated as fixed, as for
//! `svydesign(ids = ~1, weights = ~raked)`.

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

/// The margins a survey was raked to, for variances that know the weights were calibrated.
#[derive(Debug, Clone, Copy)]
pub struct Calibration<'a> {
    /// Per margin, in raking order, each respondent's category.
    categories: &'a [Vec<usize>],
    /// Per margin, its number of categories.
    sizes: &'a [usize],
    /// The raked weights.
    weights: &'a [f64],
}

impl<'a> Calibration<'a> {
    /// R's fixed number of passes over the margins (`svyrecvar`).
    const PASSES: usize = 10;

    pub fn new(
        categories: &'a [Vec<usize>],
        sizes: &'a [usize],
        weights: &'a [f64],
    ) -> Calibration<'a> {
        debug_assert!(categories.iter().all(|c| c.len() == weights.len()));
        Calibration {
            categories,
            sizes,
            weights,
        }
    }

    /// Replace the linearised values `z` (one per respondent of the survey) by their
    /// residuals from the margins.
    pub fn residualise(&self, z: &mut [f64]) {
        let w = self.weights;
        // A weight of 0 carries nothing to take out.
        let ratio = |zi: f64, wi: f64| if wi > 0.0 { zi / wi } else { 0.0 };
        for _ in 0..Self::PASSES {
            for (cats, &size) in self.categories.iter().zip(self.sizes) {
                let mut sum = vec![0.0; size];
                let mut count = vec![0usize; size];
                for ((&zi, &wi), &c) in z.iter().zip(w).zip(cats) {
                    sum[c] += ratio(zi, wi);
                    count[c] += 1;
                }
                for ((zi, &wi), &c) in z.iter_mut().zip(w).zip(cats) {
                    *zi -= wi * sum[c] / count[c] as f64;
                }
            }
        }
    }
}

/// The linearised standard error from each respondent's value `z`, for a with-replacement
/// single-stage design: √(N/(N−1)·Σ(zᵢ − z̄)²), N the survey's respondents.
fn linearised_se(z: &[f64]) -> f64 {
    let n = z.len() as f64;
    let mean = z.iter().sum::<f64>() / n;
    let sum_sq: f64 = z.iter().map(|zi| (zi - mean) * (zi - mean)).sum();
    (n / (n - 1.0) * sum_sq).sqrt()
}

/// Student's t quantile; the normal quantile when df is huge.
pub fn t_quantile(probability: f64, df: u64) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .expect("df ≥ 1")
        .inverse_cdf(probability)
}

/// The weighted proportion of `answers` (one per respondent of the survey: `None` outside the
/// domain or unanswered) with weights `weights`; with `calibration`, its variance knows the
/// weights were raked.
pub fn domain_proportion(
    weights: &[f64],
    answers: &[Option<bool>],
    calibration: Option<Calibration>,
    confidence: f64,
) -> Option<Proportion> {
    let (mut n, mut total, mut positive) = (0usize, 0.0f64, 0.0f64);
    for (&w, a) in weights.iter().zip(answers) {
        if let Some(y) = a {
            n += 1;
            total += w;
            if *y {
                positive += w;
            }
        }
    }
    if n == 0 || total <= 0.0 {
        return None;
    }
    let p = positive / total;
    // Each respondent's linearised value: wᵢ(yᵢ − p)/Σw in the domain, 0 outside.
    let mut z: Vec<f64> = weights
        .iter()
        .zip(answers)
        .map(|(&w, a)| a.map_or(0.0, |y| w * (f64::from(u8::from(y)) - p) / total))
        .collect();
    if let Some(calibration) = calibration {
        calibration.residualise(&mut z);
    }
    let se = linearised_se(&z);
    let df = n as u64 - 1;
    Some(Proportion {
        base_n: n as u64,
        weighted_base: total,
        proportion: p,
        se,
        interval: logit_interval(p, se, df, confidence),
        df,
    })
}

/// The logit interval of `svyciprop(method = "logit")`: logit(p) ± t·SE/(p(1−p)),
/// back-transformed; `None` when p is 0 or 1 or there are no degrees of freedom.
fn logit_interval(p: f64, se: f64, df: u64, confidence: f64) -> Option<(f64, f64)> {
    if !(p > 0.0 && p < 1.0 && df >= 1) {
        return None;
    }
    let t = t_quantile(1.0 - (1.0 - confidence) / 2.0, df);
    let logit = (p / (1.0 - p)).ln();
    let half = t * se / (p * (1.0 - p));
    let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
    Some((expit(logit - half), expit(logit + half)))
}

/// Test a group against the rest. `answers` holds, per respondent of the survey, `None` for
/// no answer or (positive, in group); with `calibration`, the variance knows the weights were
/// raked.
pub fn domain_group_vs_rest(
    weights: &[f64],
    answers: &[Option<(bool, bool)>],
    calibration: Option<Calibration>,
) -> Option<GroupTest> {
    let mut answered = 0usize;
    let mut w = [0.0f64; 2];
    let mut wy = [0.0f64; 2];
    for (&wi, a) in weights.iter().zip(answers) {
        if let Some((y, g)) = a {
            answered += 1;
            w[usize::from(*g)] += wi;
            if *y {
                wy[usize::from(*g)] += wi;
            }
        }
    }
    if w[0] <= 0.0 || w[1] <= 0.0 || answered < 3 {
        return None;
    }
    let p = [wy[0] / w[0], wy[1] / w[1]];
    // The difference's linearised value: + for the group, − for the rest.
    let mut z: Vec<f64> = weights
        .iter()
        .zip(answers)
        .map(|(&wi, a)| {
            a.map_or(0.0, |(y, g)| {
                let k = usize::from(g);
                let sign = if g { 1.0 } else { -1.0 };
                sign * wi * (f64::from(u8::from(y)) - p[k]) / w[k]
            })
        })
        .collect();
    if let Some(calibration) = calibration {
        calibration.residualise(&mut z);
    }
    let se = linearised_se(&z);
    if se <= 0.0 {
        return None;
    }
    Some(t_test(p[1] - p[0], se, answered as u64 - 2))
}

/// A two-sided t test of `difference` with standard error `se` on `df` degrees of freedom.
fn t_test(difference: f64, se: f64, df: u64) -> GroupTest {
    let t = difference / se;
    let dist = StudentsT::new(0.0, 1.0, df as f64).expect("df ≥ 1");
    GroupTest {
        difference,
        se,
        t,
        df,
        p_value: 2.0 * dist.cdf(-t.abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal weights: p = x/n, and the linearised SE is √(p(1−p)/(n−1)) when the domain is the
    /// whole survey (N = n): here 3 of 10 → √(0.21/9).
    #[test]
    fn equal_weights_reduce_to_the_textbook_formula() {
        let answers: Vec<Option<bool>> = (0..10).map(|i| Some(i < 3)).collect();
        let p = domain_proportion(&[2.0; 10], &answers, None, 0.95).unwrap();
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
        let answers = vec![Some(true); 5];
        assert!(domain_proportion(&[1.0; 5], &answers, None, 0.95)
            .unwrap()
            .interval
            .is_none());
    }

    #[test]
    fn calibration_takes_out_each_category_mean_by_hand() {
        // Four respondents of weight 1, one margin: categories 0, 0, 1, 1. p = 3/4 and
        // z = (y − p)/4 = (1/16, −3/16, 1/16, 1/16); the category means, −1/16 and 1/16, come
        // out: (1/8, −1/8, 0, 0), and SE = √(4/3 · 2/64).
        let categories = [vec![0, 0, 1, 1]];
        let calibration = Calibration::new(&categories, &[2], &[1.0; 4]);
        let answers = [Some(true), Some(false), Some(true), Some(true)];
        let p = domain_proportion(&[1.0; 4], &answers, Some(calibration), 0.95).unwrap();
        assert!((p.proportion - 0.75).abs() < 1e-15);
        assert!((p.se - (4.0f64 / 3.0 * 2.0 / 64.0).sqrt()).abs() < 1e-15);
        // Weights fixed: SE = √(4/3 · Σz²) = √(4/3 · 12/256).
        let fixed = domain_proportion(&[1.0; 4], &answers, None, 0.95).unwrap();
        assert!((fixed.se - (4.0f64 / 3.0 * 12.0 / 256.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn a_share_the_weights_were_raked_to_has_no_sampling_variance() {
        // Raked weights meet the margins in every sample, so the share of a margin's category
        // is the population's: its calibrated SE is 0, whatever the weights.
        let n = 12;
        let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i * 7 % 5) as f64 * 0.3).collect();
        let sex: Vec<usize> = (0..n).map(|i| i % 2).collect();
        let age: Vec<usize> = (0..n).map(|i| i % 3).collect();
        let answers: Vec<Option<bool>> = age.iter().map(|&a| Some(a == 1)).collect();
        let categories = [age, sex];
        let calibration = Calibration::new(&categories, &[3, 2], &weights);
        let cal = domain_proportion(&weights, &answers, Some(calibration), 0.95).unwrap();
        let fixed = domain_proportion(&weights, &answers, None, 0.95).unwrap();
        assert!(cal.se < 1e-12, "{}", cal.se);
        assert!(fixed.se > 0.05, "{}", fixed.se);
    }

    #[test]
    fn group_difference_is_group_minus_rest() {
        let answers: Vec<Option<(bool, bool)>> = (0..20)
            .map(|i| Some((i % 2 == 0 || i < 4, i < 8)))
            .collect();
        let t = domain_group_vs_rest(&[1.0; 20], &answers, None).unwrap();
        // Group: rows 0–7, positive 0,1,2,3,4,6 = 6/8; rest: 8–19, even ones = 6/12.
        assert!((t.difference - (0.75 - 0.5)).abs() < 1e-12);
        assert_eq!(t.df, 18);
        assert!(t.p_value > 0.0 && t.p_value < 1.0);
    }
}
