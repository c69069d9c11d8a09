//! Raking (iterative proportional fitting) of design weights to population margins.
//!
//! Each cycle multiplies every respondent's weight, margin by margin, by target ÷ current
//! weighted total of the respondent's category (post-stratification on one variable at a
//! time), as R's `survey::rake()` does (Deming and Stephan 1940; Lumley, *Complex Surveys*,
//! 2010, ch. 7). The fixed point is the same as R's, so the final weights agree with it to
//! rounding; the iteration counts differ, because R stops on the change in the full
//! cross-table between cycles and repgap on the distance of the margins from their targets.
//!
//! Optional trimming caps weights at multiples of the mean weight, hands the excess to the
//! untrimmed weights (so the total is unchanged) and rakes again, until the weights are within
//! the bounds or the iteration cap is reached.

use serde::Serialize;

/// One weighting variable's population margin, scaled to the sample's weighted total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Margin {
    pub variable: String,
    pub categories: Vec<String>,
    pub targets: Vec<f64>,
}

/// One merge of a small weighting category into a neighbour, for the methods note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merge {
    pub variable: String,
    pub category: String,
    pub respondents: usize,
    pub into: String,
}

/// Merge each category of `margin` with fewer than `min` respondents into a neighbour, until
/// none is left (or one category remains): into `stated[category]` when given; for an
/// `ordered` variable (age bands), into the smaller of the categories beside it; otherwise
/// into the smallest other category, so that small groups merge with each other first. A
/// merged category's target is the sum of its parts and its name joins theirs with " + ", in
/// the margin's order. `keep` names a category never merged (the kept "Not stated", whose
/// target is the sample's own share). `categories` is remapped in place.
pub fn merge_small(
    margin: &mut Margin,
    categories: &mut [usize],
    min: usize,
    ordered: bool,
    stated: &std::collections::BTreeMap<String, String>,
    keep: &str,
) -> Vec<Merge> {
    let mut merges = Vec::new();
    // Each current category's parts, in the margin's order.
    let mut parts: Vec<Vec<String>> = margin.categories.iter().map(|c| vec![c.clone()]).collect();
    loop {
        let mut counts = vec![0usize; margin.targets.len()];
        for &c in categories.iter() {
            counts[c] += 1;
        }
        let movable: Vec<usize> = (0..counts.len())
            .filter(|&i| margin.categories[i] != keep)
            .collect();
        if movable.len() < 2 {
            break;
        }
        let Some(&small) = movable
            .iter()
            .filter(|&&i| counts[i] < min)
            .min_by_key(|&&i| (counts[i], i))
        else {
            break;
        };
        // Names compare as labels do everywhere: ignoring case, spaces and punctuation.
        let key = crate::classify::normalise_label;
        let named = stated
            .iter()
            .find(|(from, _)| key(from) == key(&margin.categories[small]))
            .and_then(|(_, n)| {
                movable
                    .iter()
                    .copied()
                    .find(|&i| i != small && parts[i].iter().any(|p| key(p) == key(n)))
            });
        let into = named.unwrap_or_else(|| {
            if ordered {
                let at = movable.iter().position(|&i| i == small).expect("movable");
                let before = at.checked_sub(1).map(|j| movable[j]);
                let after = movable.get(at + 1).copied();
                match (before, after) {
                    (Some(b), Some(a)) => {
                        if counts[a] < counts[b] {
                            a
                        } else {
                            b
                        }
                    }
                    (Some(b), None) => b,
                    (None, Some(a)) => a,
                    (None, None) => unreachable!("two movable categories"),
                }
            } else {
                *movable
                    .iter()
                    .filter(|&&i| i != small)
                    .min_by_key(|&&i| (counts[i], i))
                    .expect("two movable categories")
            }
        });
        merges.push(Merge {
            variable: margin.variable.clone(),
            category: margin.categories[small].clone(),
            respondents: counts[small],
            into: margin.categories[into].clone(),
        });
        // The merged category takes the earlier place; the later one goes.
        let (keep_at, gone) = if small < into {
            (small, into)
        } else {
            (into, small)
        };
        let moved = std::mem::take(&mut parts[gone]);
        parts[keep_at].extend(moved);
        parts.remove(gone);
        margin.targets[keep_at] += margin.targets[gone];
        margin.targets.remove(gone);
        margin.categories.remove(gone);
        margin.categories[keep_at] = parts[keep_at].join(" + ");
        for c in categories.iter_mut() {
            if *c == gone {
                *c = keep_at;
            } else if *c > gone {
                *c -= 1;
            }
        }
    }
    merges
}

/// The result of raking.
#[derive(Debug, Clone, PartialEq)]
pub struct RakeOutcome {
    pub weights: Vec<f64>,
    /// Full cycles used (raking and, with trimming, re-raking).
    pub iterations: usize,
    pub converged: bool,
    /// Trim-and-rerake rounds (0 without trimming).
    pub trim_rounds: usize,
    /// Whether all weights lie within the trim bounds (true without trimming).
    pub within_bounds: bool,
    /// The largest |weighted total − target| ÷ total weight after the last cycle.
    pub max_deviation: f64,
}

/// Weighted totals of each category of one margin.
pub fn margin_totals(weights: &[f64], categories: &[usize], n_categories: usize) -> Vec<f64> {
    let mut totals = vec![0.0; n_categories];
    for (w, &c) in weights.iter().zip(categories) {
        totals[c] += w;
    }
    totals
}

/// The largest distance of any margin from its targets, as a fraction of the total weight.
pub fn max_deviation(weights: &[f64], categories: &[Vec<usize>], margins: &[Margin]) -> f64 {
    let total: f64 = weights.iter().sum();
    margins
        .iter()
        .zip(categories)
        .flat_map(|(m, cats)| {
            margin_totals(weights, cats, m.targets.len())
                .into_iter()
                .zip(&m.targets)
                .map(|(t, target)| (t - target).abs() / total)
                .collect::<Vec<_>>()
        })
        .fold(0.0, f64::max)
}

/// Rake `weights` so that, for each margin `k`, the weights of respondents in category
/// `categories[k][i]` sum to `margins[k].targets`. Every category must hold a respondent.
pub fn rake(
    design: &[f64],
    categories: &[Vec<usize>],
    margins: &[Margin],
    max_iterations: usize,
    tolerance: f64,
) -> RakeOutcome {
    let mut weights = design.to_vec();
    let mut iterations = 0;
    // Each margin's totals, and the total weight, in one pass. The loop below fuses the
    // passes of the textbook algorithm (totals of a margin, its adjustment, the check after a
    // cycle) without changing the order of any sum, so the weights are the same to the bit.
    let mut totals: Vec<Vec<f64>> = margins.iter().map(|m| vec![0.0; m.targets.len()]).collect();
    let mut total = 0.0;
    for (i, &w) in weights.iter().enumerate() {
        total += w;
        for (t, cats) in totals.iter_mut().zip(categories) {
            t[cats[i]] += w;
        }
    }
    let mut deviation = deviation_of(&totals, total, margins);
    while iterations < max_iterations {
        iterations += 1;
        let mut current = totals[0].clone();
        for (k, (margin, cats)) in margins.iter().zip(categories).enumerate() {
            let factors: Vec<f64> = margin
                .targets
                .iter()
                .zip(&current)
                .map(|(t, s)| if *s > 0.0 { t / s } else { 1.0 })
                .collect();
            if let Some(next_cats) = categories.get(k + 1) {
                // Adjust to this margin, and total the next one as we go.
                let mut next = vec![0.0; margins[k + 1].targets.len()];
                for ((w, &c), &n) in weights.iter_mut().zip(cats).zip(next_cats) {
                    *w *= factors[c];
                    next[n] += *w;
                }
                current = next;
            } else {
                // The last margin of the cycle: adjust, and total everything for the check.
                for t in totals.iter_mut() {
                    t.iter_mut().for_each(|x| *x = 0.0);
                }
                total = 0.0;
                for (i, (w, &c)) in weights.iter_mut().zip(cats).enumerate() {
                    *w *= factors[c];
                    total += *w;
                    for (t, cats) in totals.iter_mut().zip(categories) {
                        t[cats[i]] += *w;
                    }
                }
            }
        }
        deviation = deviation_of(&totals, total, margins);
        if deviation < tolerance {
            break;
        }
    }
    RakeOutcome {
        weights,
        iterations,
        converged: deviation < tolerance,
        trim_rounds: 0,
        within_bounds: true,
        max_deviation: deviation,
    }
}

/// [`max_deviation`] from margin totals already summed.
fn deviation_of(totals: &[Vec<f64>], total: f64, margins: &[Margin]) -> f64 {
    margins
        .iter()
        .zip(totals)
        .flat_map(|(m, t)| {
            t.iter()
                .zip(&m.targets)
                .map(|(t, target)| (t - target).abs() / total)
                .collect::<Vec<_>>()
        })
        .fold(0.0, f64::max)
}

/// Rake, then while any weight lies outside `[lower, upper]` × mean weight: cap it, hand the
/// excess (or shortfall) to the weights within the bounds in proportion to their size, and
/// rake again; at most `max_iterations` rounds.
pub fn rake_trimmed(
    design: &[f64],
    categories: &[Vec<usize>],
    margins: &[Margin],
    max_iterations: usize,
    tolerance: f64,
    bounds: [f64; 2],
) -> RakeOutcome {
    let mut outcome = rake(design, categories, margins, max_iterations, tolerance);
    let slack = 1e-9;
    let mut rounds = 0;
    loop {
        let total: f64 = outcome.weights.iter().sum();
        let mean = total / outcome.weights.len() as f64;
        let (lo, hi) = (bounds[0] * mean, bounds[1] * mean);
        let out_of_bounds = |w: f64| w < lo * (1.0 - slack) || w > hi * (1.0 + slack);
        if !outcome.weights.iter().any(|&w| out_of_bounds(w)) {
            outcome.within_bounds = true;
            break;
        }
        if rounds >= max_iterations || !outcome.converged {
            outcome.within_bounds = false;
            break;
        }
        rounds += 1;
        let mut capped = outcome.weights.clone();
        for w in capped.iter_mut() {
            *w = w.clamp(lo, hi);
        }
        let inside: f64 = capped
            .iter()
            .zip(&outcome.weights)
            .filter(|(c, w)| *c == *w)
            .map(|(c, _)| c)
            .sum();
        let capped_total: f64 = capped.iter().sum();
        if inside > 0.0 {
            let factor = (inside + total - capped_total) / inside;
            for (c, w) in capped.iter_mut().zip(&outcome.weights) {
                if *c == *w {
                    *c *= factor;
                }
            }
        }
        let iterations = outcome.iterations;
        outcome = rake(&capped, categories, margins, max_iterations, tolerance);
        outcome.iterations += iterations;
    }
    outcome.trim_rounds = rounds;
    outcome
}

/// Kish's design effect from unequal weights: n·Σw² / (Σw)².
pub fn kish_deff(weights: &[f64]) -> f64 {
    let n = weights.len() as f64;
    let sum: f64 = weights.iter().sum();
    let sum_sq: f64 = weights.iter().map(|w| w * w).sum();
    n * sum_sq / (sum * sum)
}

/// Kish's effective sample size: (Σw)² / Σw² = n / deff.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let sum: f64 = weights.iter().sum();
    let sum_sq: f64 = weights.iter().map(|w| w * w).sum();
    sum * sum / sum_sq
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_age_band_merges_with_the_smaller_band_beside_it() {
        let mut margin = Margin {
            variable: "age_band".into(),
            categories: vec!["16-34".into(), "35-54".into(), "55-74".into(), "75+".into()],
            targets: vec![30.0, 35.0, 25.0, 10.0],
        };
        // 25, 4, 30, 6 respondents.
        let mut cats: Vec<usize> = [vec![0; 25], vec![1; 4], vec![2; 30], vec![3; 6]].concat();
        let merges = merge_small(
            &mut margin,
            &mut cats,
            20,
            true,
            &Default::default(),
            "Not stated",
        );
        // 35-54 (4) goes to the smaller neighbour, 16-34 (25); then 75+ (6) to 55-74.
        assert_eq!(merges.len(), 2);
        assert_eq!(
            (merges[0].category.as_str(), merges[0].into.as_str()),
            ("35-54", "16-34")
        );
        assert_eq!(
            (merges[1].category.as_str(), merges[1].into.as_str()),
            ("75+", "55-74")
        );
        assert_eq!(margin.categories, ["16-34 + 35-54", "55-74 + 75+"]);
        assert_eq!(margin.targets, [65.0, 35.0]);
        assert_eq!(cats.iter().filter(|&&c| c == 0).count(), 29);
        assert_eq!(cats.iter().filter(|&&c| c == 1).count(), 36);
        // Nothing to merge, or nothing left to merge with.
        let before = margin.clone();
        assert!(merge_small(&mut margin, &mut cats, 0, true, &Default::default(), "").is_empty());
        assert_eq!(margin, before);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    /// A 2×2 table with one respondent per cell, raked to rows (30, 70) and columns (40, 60).
    /// IPF converges to the table with the same interaction (odds ratio 1): w = row·col / 100,
    /// i.e. 12, 18, 28, 42.
    #[test]
    fn rakes_a_two_by_two_table_by_hand() {
        let design = vec![1.0; 4];
        let rows = vec![0, 0, 1, 1];
        let cols = vec![0, 1, 0, 1];
        let margins = vec![
            Margin {
                variable: "row".into(),
                categories: vec!["a".into(), "b".into()],
                targets: vec![30.0, 70.0],
            },
            Margin {
                variable: "col".into(),
                categories: vec!["x".into(), "y".into()],
                targets: vec![40.0, 60.0],
            },
        ];
        let out = rake(&design, &[rows, cols], &margins, 100, 1e-12);
        assert!(out.converged);
        // With independent margins one cycle is exact.
        assert_eq!(out.iterations, 1);
        for (w, want) in out.weights.iter().zip([12.0, 18.0, 28.0, 42.0]) {
            assert!(close(*w, want), "{:?}", out.weights);
        }
    }

    /// Unequal starting weights keep their odds ratio: start 1,2,3,4 (OR = 4·1/(2·3) = 2/3)
    /// and the raked table satisfies both margins.
    #[test]
    fn raking_keeps_the_interaction_of_the_design_weights() {
        let design = vec![1.0, 2.0, 3.0, 4.0];
        let rows = vec![0, 0, 1, 1];
        let cols = vec![0, 1, 0, 1];
        let margins = vec![
            Margin {
                variable: "row".into(),
                categories: vec!["a".into(), "b".into()],
                targets: vec![5.0, 5.0],
            },
            Margin {
                variable: "col".into(),
                categories: vec!["x".into(), "y".into()],
                targets: vec![5.0, 5.0],
            },
        ];
        let out = rake(&design, &[rows.clone(), cols.clone()], &margins, 100, 1e-13);
        assert!(out.converged && out.iterations > 1);
        let w = &out.weights;
        assert!(close(w[0] + w[1], 5.0) && close(w[0] + w[2], 5.0));
        assert!(close(w[0] * w[3] / (w[1] * w[2]), 4.0 / 6.0));
        // Symmetric margins: w = (a, 5−a, 5−a, a) with a²/(5−a)² = 2/3.
        let r = (2.0f64 / 3.0).sqrt();
        assert!(close(w[0], 5.0 * r / (1.0 + r)));
    }

    #[test]
    fn kish_deff_of_one_one_two_two() {
        // n = 4, Σw = 6, Σw² = 10: deff = 40/36, ESS = 3.6.
        let w = [1.0, 1.0, 2.0, 2.0];
        assert!(close(kish_deff(&w), 10.0 / 9.0));
        assert!(close(effective_sample_size(&w), 3.6));
        assert!(close(kish_deff(&[3.0; 5]), 1.0));
    }

    #[test]
    fn one_cycle_is_not_enough_for_a_skewed_sample() {
        let design = vec![1.0, 2.0, 3.0, 4.0];
        let margins = vec![
            Margin {
                variable: "row".into(),
                categories: vec!["a".into(), "b".into()],
                targets: vec![5.0, 5.0],
            },
            Margin {
                variable: "col".into(),
                categories: vec!["x".into(), "y".into()],
                targets: vec![5.0, 5.0],
            },
        ];
        let out = rake(
            &design,
            &[vec![0, 0, 1, 1], vec![0, 1, 0, 1]],
            &margins,
            1,
            1e-10,
        );
        assert!(!out.converged);
        assert!(out.max_deviation > 1e-3);
    }

    #[test]
    fn trimming_keeps_weights_within_bounds_and_margins_met() {
        // Ten respondents, one of them alone in a category with a large target.
        let design = vec![1.0; 10];
        let cats = vec![0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        let margins = vec![Margin {
            variable: "v".into(),
            categories: vec!["rare".into(), "common".into()],
            targets: vec![4.0, 6.0],
        }];
        let untrimmed = rake(&design, std::slice::from_ref(&cats), &margins, 100, 1e-12);
        assert!(close(untrimmed.weights[0], 4.0));
        let out = rake_trimmed(&design, &[cats], &margins, 100, 1e-12, [0.2, 3.0]);
        // A single-variable rake puts the weight back: bounds and margins conflict, and the
        // outcome says so rather than silently breaking the margin.
        assert!(out.converged);
        assert!(!out.within_bounds);
        assert!(close(out.weights[0], 4.0));
    }

    #[test]
    fn trimming_caps_an_extreme_weight_when_the_margins_allow_it() {
        // Row "a" (4 respondents, one with design weight 4) must carry 6 of 20; columns are
        // even. Untrimmed, the heavy respondent ends above 2.5 × the mean weight of 1.
        let mut design = vec![1.0, 1.0, 1.0, 4.0];
        design.extend(std::iter::repeat_n(1.0, 16));
        let rows: Vec<usize> = (0..20).map(|i| usize::from(i >= 4)).collect();
        let cols: Vec<usize> = (0..20).map(|i| i % 2).collect();
        let margins = vec![
            Margin {
                variable: "row".into(),
                categories: vec!["a".into(), "b".into()],
                targets: vec![6.0, 14.0],
            },
            Margin {
                variable: "col".into(),
                categories: vec!["x".into(), "y".into()],
                targets: vec![10.0, 10.0],
            },
        ];
        let cats = [rows, cols];
        let plain = rake(&design, &cats, &margins, 100, 1e-12);
        assert!(plain.weights[3] > 2.5);
        let out = rake_trimmed(&design, &cats, &margins, 100, 1e-12, [0.2, 2.5]);
        assert!(out.converged && out.within_bounds && out.trim_rounds > 0);
        let mean = out.weights.iter().sum::<f64>() / 20.0;
        assert!(out.weights.iter().all(|&w| w <= 2.5 * mean * (1.0 + 1e-9)));
        assert!(max_deviation(&out.weights, &cats, &margins) < 1e-12);
    }
}
