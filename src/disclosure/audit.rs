//! The attacker's ranges, by linear programming.
//!
//! An attacker who holds every output knows each published count exactly, and that every group
//! of people (inner cell) is at least zero. The smallest and largest values of a withheld count
//! consistent with that are two linear programmes. Protection requires each range to reach from
//! 0 to at least the threshold; rather than solve two programmes per withheld count, each
//! solution found (and the true data, which is one) is kept, and a count whose range one of
//! them already shows wide enough needs no programme of its own.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// Published counts as equations over the inner cells.
pub struct System<'a> {
    pub width: usize,
    /// (inner cells, value) of each independent published count.
    pub equations: Vec<(&'a [usize], f64)>,
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

/// What an attacker's range must cover for one withheld count.
#[derive(Debug, Clone)]
pub struct Requirement<'a> {
    pub cells: &'a [usize],
    pub need: Need,
}

#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// Every value from `low` to `high`.
    Cover { low: f64, high: f64 },
    /// Some value other than the true one: the count is not determined.
    Vary { truth: f64 },
}

/// Which requirements the published counts fail; `pool` holds solutions already known (start it
/// with the true data) and gains every solution found.
pub fn failures(
    system: &System,
    requirements: &[Requirement],
    pool: &mut Vec<Solution>,
    programmes: &mut usize,
) -> Vec<usize> {
    let mut failed = Vec::new();
    for (i, req) in requirements.iter().enumerate() {
        let ok = match req.need {
            Need::Cover { low, high } => {
                reaches(system, req.cells, pool, programmes, false, |v| {
                    v <= low + TOLERANCE
                }) && reaches(system, req.cells, pool, programmes, true, |v| {
                    v >= high - TOLERANCE
                })
            }
            Need::Vary { truth } => {
                let differs = |v: f64| (v - truth).abs() > 0.5;
                reaches(system, req.cells, pool, programmes, true, differs)
                    || reaches(system, req.cells, pool, programmes, false, differs)
            }
        };
        if !ok {
            failed.push(i);
        }
    }
    failed
}

/// Whether some solution puts the sum of `cells` where `good` holds: one already in `pool`, or
/// the optimum in the given direction (added to the pool).
fn reaches(
    system: &System,
    cells: &[usize],
    pool: &mut Vec<Solution>,
    programmes: &mut usize,
    maximise: bool,
    good: impl Fn(f64) -> bool,
) -> bool {
    if pool.iter().any(|s| good(value_of(s, cells))) {
        return true;
    }
    *programmes += 1;
    match system.optimise(cells, maximise) {
        Some((s, real)) => {
            let ok = good(value_of(&s, cells));
            // Only real solutions may vouch for other counts.
            if real {
                pool.push(s);
            }
            ok
        }
        // A failed solve proves nothing: treated as not wide enough, so more is withheld.
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row a + b + c = 10 with c = 7 published: a and b withheld, each in [0, 3].
    #[test]
    fn a_narrow_pair_fails_and_a_wide_pair_passes() {
        let (a, b, c, abc) = (vec![0], vec![1], vec![2], vec![0, 1, 2]);
        let system = System {
            width: 3,
            equations: vec![(abc.as_slice(), 10.0), (c.as_slice(), 7.0)],
        };
        let reqs = [
            Requirement {
                cells: &a,
                need: Need::Cover {
                    low: 0.0,
                    high: 5.0,
                },
            },
            Requirement {
                cells: &b,
                need: Need::Vary { truth: 2.0 },
            },
        ];
        let mut pool = vec![vec![1.0, 2.0, 7.0]];
        let mut n = 0;
        // a cannot reach 5; b is not determined, which is all it needs.
        assert_eq!(failures(&system, &reqs, &mut pool, &mut n), vec![0]);

        // Withhold c as well: each of a and b can now be anything from 0 to 10.
        let system = System {
            width: 3,
            equations: vec![(abc.as_slice(), 10.0)],
        };
        let mut pool = vec![vec![1.0, 2.0, 7.0]];
        assert!(failures(&system, &reqs, &mut pool, &mut n).is_empty());
    }
}
