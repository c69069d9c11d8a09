//! The attacker's ranges, by linear programming.
//!
//! An attacker who holds every output knows each published count exactly, and that every group
//! of people (inner cell) is at least zero. The smallest and largest values of a withheld count
//! consistent with that are two linear programmes ([`System::range`]). Protection needs each
//! small count's range to reach from 0 to the threshold: [`witness`] finds, for one end of the
//! range, the cheapest set of counts to withhold so that it does.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// Published counts as equations over the inner cells.
pub struct System<'a> {
    pub width: usize,
    /// (inner cells, value) of each independent published count.
    pub equations: Vec<(&'a [usize], f64)>,
    /// What the outputs reveal beyond the counts.
    pub bounds: &'a [Bound<'a>],
}

/// A count's range as the outputs reveal it (see [`crate::disclosure::Disclosure::bounded`]).
#[derive(Debug, Clone)]
pub struct Bound<'a> {
    pub cells: &'a [usize],
    pub at_least: f64,
    pub at_most: Option<f64>,
}

impl Bound<'_> {
    /// Add `low <= sum of cells (+ offset) <= high` over `vars` to `problem`.
    fn constrain(&self, problem: &mut Problem, vars: &[microlp::Variable], offset: f64) {
        let expr: Vec<_> = self.cells.iter().map(|&i| (vars[i], 1.0)).collect();
        problem.add_constraint(expr.as_slice(), ComparisonOp::Ge, self.at_least - offset);
        if let Some(high) = self.at_most {
            problem.add_constraint(expr.as_slice(), ComparisonOp::Le, high - offset);
        }
    }
}

/// Values of the inner cells that agree with everything published.
pub type Solution = Vec<f64>;

const TOLERANCE: f64 = 1e-6;

fn value_of(solution: &Solution, cells: &[usize]) -> f64 {
    cells.iter().map(|&i| solution[i]).sum()
}

impl System<'_> {
    /// The minimum (`maximise` false) or maximum of the sum of `cells`; `None` when unbounded
    /// or when the solver fails (treated as "not shown wide enough", so more is withheld).
    /// With the solution, whether it is a real one (agrees with everything published) rather
    /// than a stand-in for "unbounded".
    fn optimise(&self, cells: &[usize], maximise: bool) -> Option<(Solution, bool)> {
        let direction = if maximise {
            OptimizationDirection::Maximize
        } else {
            OptimizationDirection::Minimize
        };
        let mut problem = Problem::new(direction);
        let mut objective = vec![0.0; self.width];
        cells.iter().for_each(|&i| objective[i] = 1.0);
        let vars: Vec<_> = objective
            .iter()
            .map(|&c| problem.add_var(c, (0.0, f64::INFINITY)))
            .collect();
        for (members, value) in &self.equations {
            let expr: Vec<_> = members.iter().map(|&i| (vars[i], 1.0)).collect();
            problem.add_constraint(expr.as_slice(), ComparisonOp::Eq, *value);
        }
        for bound in self.bounds {
            bound.constrain(&mut problem, &vars, 0.0);
        }
        match problem.solve() {
            Ok(solution) => Some((vars.iter().map(|&v| solution[v].max(0.0)).collect(), true)),
            // Nothing published bounds the count above: any value is possible. Stand in a
            // solution far above any threshold (only the count's own sum is read from it).
            Err(microlp::Error::Unbounded) if maximise => {
                let mut far = vec![0.0; self.width];
                cells
                    .iter()
                    .for_each(|&i| far[i] = f64::MAX / 4.0 / cells.len().max(1) as f64);
                Some((far, false))
            }
            Err(_) => None,
        }
    }
}

impl System<'_> {
    /// The attacker's range of the sum of `cells`; `None` when a solve fails.
    pub fn range(&self, cells: &[usize]) -> Option<(f64, f64)> {
        let low = value_of(&self.optimise(cells, false)?.0, cells);
        let high = value_of(&self.optimise(cells, true)?.0, cells);
        Some((low, high))
    }
}

/// A published count as the witness programme sees it: its inner cells and what withholding it
/// costs.
pub struct Candidate<'a> {
    pub cells: &'a [usize],
    pub cost: f64,
}

/// The cheapest way to show an attacker that `target` could be `shift` away from its true
/// value: a change `y` to the true counts `truth` (no group below zero) that moves the sum of
/// `target` by at least `shift` (up when positive, down when negative) while changing as
/// little as possible of what is published: each person moved through a candidate costs the
/// candidate's `cost` (the linear relaxation of "each count withheld costs its cost").
/// Withholding the candidates whose sums change leaves `truth + y` consistent with everything
/// still published, so the attacker's range of `target` reaches `truth + shift`.
///
/// The change also keeps every `bounds` (facts the outputs reveal beyond the counts).
///
/// Returns `truth + y` and the candidates that change; `None` when the solver fails.
pub fn witness(
    truth: &Solution,
    candidates: &[Candidate],
    bounds: &[Bound],
    target: &[usize],
    shift: f64,
) -> Option<(Solution, Vec<usize>)> {
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let change: Vec<_> = truth
        .iter()
        .map(|&x| problem.add_var(0.0, (-x, f64::INFINITY)))
        .collect();
    // The changed data must agree with what the outputs reveal beyond the counts too.
    for bound in bounds {
        bound.constrain(&mut problem, &change, value_of(truth, bound.cells));
    }
    // |change of candidate c| <= size[c], paid at its cost.
    for c in candidates {
        let size = problem.add_var(c.cost, (0.0, f64::INFINITY));
        let mut up: Vec<_> = c.cells.iter().map(|&i| (change[i], 1.0)).collect();
        up.push((size, -1.0));
        problem.add_constraint(up.as_slice(), ComparisonOp::Le, 0.0);
        let mut down: Vec<_> = c.cells.iter().map(|&i| (change[i], -1.0)).collect();
        down.push((size, -1.0));
        problem.add_constraint(down.as_slice(), ComparisonOp::Le, 0.0);
    }
    let moved: Vec<_> = target.iter().map(|&i| (change[i], 1.0)).collect();
    if shift >= 0.0 {
        problem.add_constraint(moved.as_slice(), ComparisonOp::Ge, shift);
    } else {
        problem.add_constraint(moved.as_slice(), ComparisonOp::Le, shift);
    }
    let solution = problem.solve().ok()?;
    let y: Vec<f64> = change.iter().map(|&v| solution[v]).collect();
    let changed = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| value_of(&y, c.cells).abs() > TOLERANCE)
        .map(|(k, _)| k)
        .collect();
    let moved_to = truth
        .iter()
        .zip(&y)
        .map(|(&x, &d)| (x + d).max(0.0))
        .collect();
    Some((moved_to, changed))
}

/// [`witness`] with only the inner cells `within` (sorted) allowed to change: a smaller
/// programme, whose witness is as valid (the others keep their true values) though perhaps
/// dearer than the best over every cell; `None` when none exists within them.
pub fn witness_within(
    truth: &Solution,
    candidates: &[Candidate],
    bounds: &[Bound],
    target: &[usize],
    shift: f64,
    within: &[usize],
) -> Option<(Solution, Vec<usize>)> {
    let local = |i: usize| within.binary_search(&i).ok();
    let local_truth: Solution = within.iter().map(|&i| truth[i]).collect();
    // A count's cells inside, and the true value of its part outside (which stays).
    let split = |cells: &[usize]| -> (Vec<usize>, f64) {
        let mut inside = Vec::new();
        let mut outside = 0.0;
        for &i in cells {
            match local(i) {
                Some(k) => inside.push(k),
                None => outside += truth[i],
            }
        }
        (inside, outside)
    };
    let kept: Vec<(usize, Vec<usize>)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let (inside, _) = split(c.cells);
            (!inside.is_empty()).then_some((k, inside))
        })
        .collect();
    let local_candidates: Vec<Candidate> = kept
        .iter()
        .map(|(k, inside)| Candidate {
            cells: inside,
            cost: candidates[*k].cost,
        })
        .collect();
    let bound_parts: Vec<(Vec<usize>, f64)> = bounds.iter().map(|b| split(b.cells)).collect();
    let local_bounds: Vec<Bound> = bounds
        .iter()
        .zip(&bound_parts)
        .filter(|(_, (inside, _))| !inside.is_empty())
        .map(|(b, (inside, outside))| Bound {
            cells: inside,
            at_least: b.at_least - outside,
            at_most: b.at_most.map(|m| m - outside),
        })
        .collect();
    let (inside, _) = split(target);
    let (moved, changed) = witness(
        &local_truth,
        &local_candidates,
        &local_bounds,
        &inside,
        shift,
    )?;
    let mut solution = truth.clone();
    for (k, &i) in within.iter().enumerate() {
        solution[i] = moved[k];
    }
    Some((solution, changed.into_iter().map(|c| kept[c].0).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row a + b + c = 10 with a = 1, b = 2, c = 7; each person moved through a count costs
    /// that count's cost.
    #[test]
    fn a_witness_moves_people_through_the_cheapest_counts() {
        let (a, b, c, abc) = (vec![0], vec![1], vec![2], vec![0, 1, 2]);
        let truth = vec![1.0, 2.0, 7.0];
        let candidates = [
            Candidate {
                cells: &abc,
                cost: 1e6,
            },
            Candidate {
                cells: &a,
                cost: 2.0,
            },
            Candidate {
                cells: &b,
                cost: 30.0,
            },
            Candidate {
                cells: &c,
                cost: 8.0,
            },
        ];
        // a up to 5: 4 people come from c (32) rather than 2 from b and 2 from c (76); the
        // total stays.
        let (moved, changed) = witness(&truth, &candidates, &[], &a, 4.0).unwrap();
        assert_eq!(changed, vec![1, 3]);
        assert!((moved[0] - 5.0).abs() < 1e-9 && (moved[2] - 3.0).abs() < 1e-9);
        // a down to 0: its one person goes to c, the cheaper neighbour.
        let (moved, changed) = witness(&truth, &candidates, &[], &a, -1.0).unwrap();
        assert_eq!(changed, vec![1, 3]);
        assert!(moved[0].abs() < 1e-9 && (moved[2] - 8.0).abs() < 1e-9);
        // With b cheap, the person goes there instead.
        let cheap_b = [
            Candidate {
                cells: &abc,
                cost: 1e6,
            },
            Candidate {
                cells: &a,
                cost: 2.0,
            },
            Candidate {
                cells: &b,
                cost: 1.0,
            },
            Candidate {
                cells: &c,
                cost: 8.0,
            },
        ];
        let (_, changed) = witness(&truth, &cheap_b, &[], &a, -1.0).unwrap();
        assert_eq!(changed, vec![1, 2]);
    }

    #[test]
    fn a_witness_among_neighbours_keeps_the_others_as_they_are() {
        let (a, b, c, abc) = (vec![0], vec![1], vec![2], vec![0, 1, 2]);
        let truth = vec![1.0, 2.0, 7.0];
        let candidates = [
            Candidate {
                cells: &abc,
                cost: 1e6,
            },
            Candidate {
                cells: &a,
                cost: 2.0,
            },
            Candidate {
                cells: &b,
                cost: 1.0,
            },
            Candidate {
                cells: &c,
                cost: 8.0,
            },
        ];
        // b would be cheaper, but only a and c may change.
        let (moved, changed) = witness_within(&truth, &candidates, &[], &a, -1.0, &[0, 2]).unwrap();
        assert_eq!(changed, vec![1, 3]);
        assert_eq!(moved[1], 2.0);
        assert!(moved[0].abs() < 1e-9 && (moved[2] - 8.0).abs() < 1e-9);
        // A bound over a count partly outside: b's 2 stay, so a + b <= 2 leaves a at most 0.
        let ab = vec![0, 1];
        let bound = [Bound {
            cells: &ab,
            at_least: 0.0,
            at_most: Some(2.0),
        }];
        assert!(witness_within(&truth, &candidates, &bound, &a, 1.0, &[0, 2]).is_none());
    }

    #[test]
    fn the_range_is_what_the_published_counts_allow() {
        let (a, b, abc) = (vec![0], vec![1], vec![0, 1, 2]);
        let system = System {
            width: 3,
            equations: vec![(abc.as_slice(), 10.0), (b.as_slice(), 2.0)],
            bounds: &[],
        };
        let (low, high) = system.range(&a).unwrap();
        assert!(low.abs() < 1e-9 && (high - 8.0).abs() < 1e-9);
        // Nothing bounds a count no published count holds.
        let open = System {
            width: 3,
            equations: vec![(b.as_slice(), 2.0)],
            bounds: &[],
        };
        assert!(open.range(&a).unwrap().1 > 1e9);
    }
}
