//! Secondary suppression by Gaussian elimination, after Statistics Norway's `GaussSuppression`.
//!
//! Every published count is a sum of *inner cells* (groups of people who are counted in exactly
//! the same cells), so a count is a vector over the inner cells and an attacker who holds every
//! output knows the published vectors' values. A withheld count is worked out exactly when its
//! vector is a linear combination of published ones. Cells are offered for publication one at a
//! time, most wanted first; a cell is published unless, with it, some protected vector would lie
//! in the span of the published ones. By construction no protected count is then determined by
//! the published counts; nor is any cell withheld here (if it were, so would be the protected
//! count its publication would have given away).
//!
//! The arithmetic is exact, in the field of integers modulo the prime 2³¹ − 1: the vectors have
//! 0/1 entries, and a linear relation over the rationals holds modulo the prime too, so no
//! relation is ever missed through rounding.

const P: u64 = 2_147_483_647;

fn mul(a: u64, b: u64) -> u64 {
    a * b % P
}

fn sub(a: u64, b: u64) -> u64 {
    (a + P - b) % P
}

fn inverse(a: u64) -> u64 {
    // Fermat: a^(P-2) = a^-1 for a ≠ 0.
    let (mut base, mut exp, mut out) = (a % P, P - 2, 1);
    while exp > 0 {
        if exp & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    out
}

/// `row -= factor × other`
fn subtract(row: &mut [u64], factor: u64, other: &[u64]) {
    for (a, &b) in row.iter_mut().zip(other) {
        if b != 0 {
            *a = sub(*a, mul(factor, b));
        }
    }
}

/// `v` scaled so that its first non-zero entry is 1; `None` for the zero vector.
fn normalised(v: &[u64]) -> Option<Vec<u64>> {
    let first = v.iter().position(|&x| x != 0)?;
    let inv = inverse(v[first]);
    Some(v.iter().map(|&x| mul(x, inv)).collect())
}

/// The published span in row echelon form: each basis row is 1 at its pivot and 0 at the
/// pivots of the rows before it, so reducing a vector against the rows in order leaves it 0 at
/// every pivot — a unique representative of its class modulo the span.
struct Basis {
    rows: Vec<Vec<u64>>,
    pivots: Vec<usize>,
}

impl Basis {
    fn reduce(&self, v: &mut [u64]) {
        for (row, &q) in self.rows.iter().zip(&self.pivots) {
            let f = v[q];
            if f != 0 {
                subtract(v, f, row);
            }
        }
    }

    /// Add a reduced, non-zero vector; returns its index.
    fn add(&mut self, mut v: Vec<u64>) -> usize {
        let q = v.iter().position(|&x| x != 0).expect("a non-zero vector");
        let inv = inverse(v[q]);
        v.iter_mut().for_each(|x| *x = mul(*x, inv));
        self.rows.push(v);
        self.pivots.push(q);
        self.pivots.len() - 1
    }
}

/// The outcome of [`secondary`].
#[derive(Debug, Clone, PartialEq)]
pub struct Elimination {
    /// Per candidate (in the order given): whether it is withheld.
    pub withheld: Vec<bool>,
    /// The candidates whose equations are independent: every published count follows from
    /// these, so an audit needs only them.
    pub independent: Vec<usize>,
}

/// Choose which `candidates` to withhold so that no `protected` vector is a linear
/// combination of the published candidates. Vectors are dense 0/1 over `width` inner cells;
/// candidates come most wanted for publication first.
pub fn secondary(width: usize, protected: &[Vec<u64>], candidates: &[Vec<u64>]) -> Elimination {
    let mut basis = Basis {
        rows: Vec::new(),
        pivots: Vec::new(),
    };
    // Each protected vector reduced modulo the published span, and its normalised form: a
    // candidate completes a protected vector exactly when their reductions are parallel.
    let mut reduced: Vec<Vec<u64>> = protected
        .iter()
        .map(|v| {
            debug_assert_eq!(v.len(), width);
            v.clone()
        })
        .collect();
    let mut keys: Vec<Option<Vec<u64>>> = reduced.iter().map(|v| normalised(v)).collect();
    let mut key_count: std::collections::HashMap<Vec<u64>, usize> =
        std::collections::HashMap::new();
    for k in keys.iter().flatten() {
        *key_count.entry(k.clone()).or_default() += 1;
    }
    let mut withheld = vec![false; candidates.len()];
    let mut independent = Vec::new();
    for (i, candidate) in candidates.iter().enumerate() {
        let mut v = candidate.clone();
        basis.reduce(&mut v);
        let Some(key) = normalised(&v) else {
            // Already determined by what is published: showing it adds nothing.
            continue;
        };
        if key_count.contains_key(&key) {
            withheld[i] = true;
            continue;
        }
        let at = basis.add(v);
        independent.push(i);
        let (row, q) = (&basis.rows[at], basis.pivots[at]);
        for (r, key) in reduced.iter_mut().zip(keys.iter_mut()) {
            let f = r[q];
            if f == 0 {
                continue;
            }
            subtract(r, f, row);
            if let Some(old) = key.take() {
                if let Some(n) = key_count.get_mut(&old) {
                    *n -= 1;
                    if *n == 0 {
                        key_count.remove(&old);
                    }
                }
            }
            *key = normalised(r);
            if let Some(k) = key {
                *key_count.entry(k.clone()).or_default() += 1;
            }
        }
    }
    Elimination {
        withheld,
        independent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(width: usize, ones: &[usize]) -> Vec<u64> {
        let mut v = vec![0; width];
        ones.iter().for_each(|&i| v[i] = 1);
        v
    }

    #[test]
    fn inverse_is_exact() {
        for a in [1, 2, 3, 12345, P - 1] {
            assert_eq!(mul(a, inverse(a)), 1);
        }
    }

    /// A row of four cells and its total: withholding one small cell takes one more with it.
    #[test]
    fn a_total_and_one_withheld_cell_takes_a_partner() {
        let w = 4;
        let small = vector(w, &[1]);
        let candidates = vec![
            vector(w, &[0, 1, 2, 3]), // total
            vector(w, &[0]),
            vector(w, &[2]),
            vector(w, &[3]),
        ];
        let e = secondary(w, &[small], &candidates);
        assert_eq!(e.withheld, vec![false, false, false, true]);
        assert_eq!(e.independent, vec![0, 1, 2]);
    }

    /// Two small cells in a row protect each other; a redundant total is still published.
    #[test]
    fn two_withheld_cells_need_no_partner() {
        let w = 3;
        let protected = [vector(w, &[0]), vector(w, &[1])];
        let candidates = vec![
            vector(w, &[0, 1, 2]),
            vector(w, &[2]),
            vector(w, &[0, 1, 2]),
        ];
        let e = secondary(w, &protected, &candidates);
        assert_eq!(e.withheld, vec![false; 3]);
    }

    /// A 2 × 2 table with margins: one withheld interior cell needs the whole rectangle.
    #[test]
    fn a_table_with_margins_withholds_a_rectangle() {
        // inner cells: a b / c d
        let w = 4;
        let a = vector(w, &[0]);
        let candidates = vec![
            vector(w, &[0, 1, 2, 3]),
            vector(w, &[0, 1]),
            vector(w, &[2, 3]),
            vector(w, &[0, 2]),
            vector(w, &[1, 3]),
            vector(w, &[1]),
            vector(w, &[2]),
            vector(w, &[3]),
        ];
        let e = secondary(w, &[a], &candidates);
        assert_eq!(
            e.withheld,
            vec![false, false, false, false, false, true, true, true]
        );
    }
}
