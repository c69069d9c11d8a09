//! What an analysis publishes, described so that the run can protect it: a count of people is a
//! [`Cell`] — a population and a condition on its people's attributes — and the run decides,
//! once for every output, which cells are withheld.
//!
//! An analysis speaks to a [`Disclosure`]: it declares the attributes (dimensions) of the people
//! it counts, each count it publishes and each distribution by ethnic group it shows, and for
//! every count it learns whether it may be shown. The run asks every analysis twice: first with
//! a [`Recorder`], which learns every cell of the run, then, after protecting them all together,
//! with the decisions (see [`super::Protection`]). The same code path answers both times, so the
//! cells protected are exactly the cells published.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use super::is_small;

/// The attribute that is protected: each person's ethnic group. Counts not split by it
/// (headcounts of a grade, a department) are what tables are read against, so they are the
/// last withheld to protect others.
pub const ETHNICITY: &str = "ethnicity";

/// A count of some people of a population: those whose attributes satisfy every condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub population: String,
    /// (dimension, allowed codes), sorted by dimension; codes sorted and distinct.
    pub conditions: Vec<(String, Vec<u32>)>,
}

impl Cell {
    /// Everyone in `population`.
    pub fn of(population: &str) -> Cell {
        Cell {
            population: population.to_string(),
            conditions: Vec::new(),
        }
    }

    /// Only the people whose `dimension` has one of `codes` (narrowing any earlier condition on
    /// the same dimension).
    pub fn with(mut self, dimension: &str, codes: impl IntoIterator<Item = u32>) -> Cell {
        let mut codes: Vec<u32> = codes.into_iter().collect();
        codes.sort_unstable();
        codes.dedup();
        match self
            .conditions
            .binary_search_by(|(d, _)| d.as_str().cmp(dimension))
        {
            Ok(i) => self.conditions[i]
                .1
                .retain(|c| codes.binary_search(c).is_ok()),
            Err(i) => self.conditions.insert(i, (dimension.to_string(), codes)),
        }
        self
    }

    /// Whether a person with `codes` (one per dimension, in `dimensions` order) is counted.
    pub(crate) fn contains(&self, dimensions: &[String], codes: &[u32]) -> bool {
        self.conditions.iter().all(|(d, allowed)| {
            let at = dimensions
                .binary_search(d)
                .expect("every condition names a declared dimension");
            allowed.binary_search(&codes[at]).is_ok()
        })
    }
}

/// A count as published: its value, and whether it is withheld (`[c]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// The value as published: rounded when the run rounds counts (see
    /// [`Disclosure::rounding`]); when withheld, the exact value, which is never published.
    pub n: u64,
    pub withheld: bool,
}

impl Count {
    /// The value, or `None` when withheld.
    pub fn shown(self) -> Option<u64> {
        (!self.withheld).then_some(self.n)
    }
}

/// How an analysis learns what it may publish.
pub trait Disclosure: Send + Sync {
    /// Counts from 1 to below this are never shown.
    fn min_cell(&self) -> u64;
    /// The base shown counts are rounded to (1: exact). [`Disclosure::count`] gives the
    /// rounded value; figures computed from counts (shares, rates, tests) must be computed
    /// from what it gives, or they would give the exact counts back.
    fn rounding(&self) -> u64 {
        1
    }
    /// Declare an attribute of `population`'s people: one code per person (row).
    fn dimension(&self, population: &str, name: &str, codes: &[u32]);
    /// The count of `cell`, `n` people, as it may be published.
    fn count(&self, cell: &Cell, n: u64) -> Count;
    /// [`Disclosure::count`] for a denominator, which is published before other counts when
    /// one of them must go: withholding it would take every share over it.
    fn denominator(&self, cell: &Cell, n: u64) -> Count {
        self.count(cell, n)
    }
    /// `parts` split `total` by ethnic group and are published side by side, so that if one
    /// part holds all of `total` but a few, the row reveals each member's group.
    fn distribution(&self, total: &Cell, parts: &[Cell]);
    /// The outputs reveal that `cell` (already counted) holds from `at_least` to `at_most`
    /// people even where its count is withheld: a figure shown only for groups of at least 10,
    /// a note that says "fewer than 10". Protection keeps every withheld count's range within
    /// what these allow, so no such fact narrows it.
    fn bounded(&self, _cell: &Cell, _at_least: u64, _at_most: Option<u64>) {}
    /// What the codes of a dimension mean, for the private log of what was withheld.
    fn labels(&self, _population: &str, _dimension: &str, _labels: &[(u32, String)]) {}
}

/// Every cell of one run, as the analyses declared them.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Per population: per dimension, one code per person.
    pub populations: BTreeMap<String, BTreeMap<String, Vec<u32>>>,
    /// In a canonical order (see [`Recorder::into_ledger`]), each once, with the count the
    /// analysis gave.
    pub cells: Vec<(Cell, u64)>,
    pub index: HashMap<Cell, usize>,
    /// Cells declared as denominators (see [`Disclosure::denominator`]).
    pub denominators: std::collections::HashSet<usize>,
    /// (total, parts) as cell indices.
    pub distributions: Vec<(usize, Vec<usize>)>,
    /// (cell, at least, at most) as [`Disclosure::bounded`] declared them.
    pub bounds: Vec<(usize, u64, Option<u64>)>,
    /// Per (population, dimension): what its codes mean.
    pub labels: BTreeMap<(String, String), BTreeMap<u32, String>>,
}

impl Ledger {
    fn cell(&mut self, cell: &Cell, n: u64) -> usize {
        if let Some(&i) = self.index.get(cell) {
            return i;
        }
        self.cells.push((cell.clone(), n));
        self.index.insert(cell.clone(), self.cells.len() - 1);
        self.cells.len() - 1
    }
}

/// The first pass: learns every cell and answers as if only small counts were withheld.
#[derive(Debug)]
pub struct Recorder {
    min_cell: u64,
    ledger: Mutex<Ledger>,
}

impl Recorder {
    pub fn new(min_cell: u64) -> Recorder {
        Recorder {
            min_cell,
            ledger: Mutex::new(Ledger::default()),
        }
    }

    /// The cells in a canonical order: analyses run side by side, so the order they declared
    /// cells in varies from run to run, and protection must not (reruns are byte-identical).
    pub fn into_ledger(self) -> Ledger {
        let declared = self.ledger.into_inner().expect("no analysis panicked");
        let mut order: Vec<usize> = (0..declared.cells.len()).collect();
        order.sort_by(|&a, &b| declared.cells[a].0.cmp(&declared.cells[b].0));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let cells: Vec<(Cell, u64)> = order.iter().map(|&i| declared.cells[i].clone()).collect();
        let mut distributions: Vec<(usize, Vec<usize>)> = declared
            .distributions
            .iter()
            .map(|(t, parts)| (new_index[*t], parts.iter().map(|&p| new_index[p]).collect()))
            .collect();
        distributions.sort();
        let mut bounds: Vec<(usize, u64, Option<u64>)> = declared
            .bounds
            .iter()
            .map(|&(c, low, high)| (new_index[c], low, high))
            .collect();
        bounds.sort();
        bounds.dedup();
        Ledger {
            bounds,
            labels: declared.labels,
            populations: declared.populations,
            index: cells
                .iter()
                .enumerate()
                .map(|(i, (c, _))| (c.clone(), i))
                .collect(),
            cells,
            denominators: declared
                .denominators
                .iter()
                .map(|&i| new_index[i])
                .collect(),
            distributions,
        }
    }
}

impl Disclosure for Recorder {
    fn min_cell(&self) -> u64 {
        self.min_cell
    }

    fn dimension(&self, population: &str, name: &str, codes: &[u32]) {
        let mut ledger = self.ledger.lock().expect("no analysis panicked");
        let dims = ledger
            .populations
            .entry(population.to_string())
            .or_default();
        match dims.get(name) {
            // Two analyses describing the same attribute must agree on it.
            Some(existing) => assert_eq!(
                existing.as_slice(),
                codes,
                "dimension {name} of {population} declared twice, differently"
            ),
            None => {
                dims.insert(name.to_string(), codes.to_vec());
            }
        }
    }

    fn count(&self, cell: &Cell, n: u64) -> Count {
        self.ledger
            .lock()
            .expect("no analysis panicked")
            .cell(cell, n);
        Count {
            n,
            withheld: is_small(n, self.min_cell),
        }
    }

    fn denominator(&self, cell: &Cell, n: u64) -> Count {
        let mut ledger = self.ledger.lock().expect("no analysis panicked");
        let c = ledger.cell(cell, n);
        ledger.denominators.insert(c);
        Count {
            n,
            withheld: is_small(n, self.min_cell),
        }
    }

    fn distribution(&self, total: &Cell, parts: &[Cell]) {
        let mut ledger = self.ledger.lock().expect("no analysis panicked");
        let Some(&t) = ledger.index.get(total) else {
            return;
        };
        let parts: Option<Vec<usize>> =
            parts.iter().map(|p| ledger.index.get(p).copied()).collect();
        // Only the parts the analysis counted can be published.
        if let Some(parts) = parts {
            if !ledger.distributions.contains(&(t, parts.clone())) {
                ledger.distributions.push((t, parts));
            }
        }
    }

    fn labels(&self, population: &str, dimension: &str, labels: &[(u32, String)]) {
        let mut ledger = self.ledger.lock().expect("no analysis panicked");
        ledger
            .labels
            .entry((population.to_string(), dimension.to_string()))
            .or_default()
            .extend(labels.iter().cloned());
    }

    fn bounded(&self, cell: &Cell, at_least: u64, at_most: Option<u64>) {
        let mut ledger = self.ledger.lock().expect("no analysis panicked");
        if let Some(&c) = ledger.index.get(cell) {
            ledger.bounds.push((c, at_least, at_most));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_canonical() {
        let a = Cell::of("w").with("grade", [2, 1]).with("eth", [3]);
        let b = Cell::of("w").with("eth", [3, 3]).with("grade", [1, 2]);
        assert_eq!(a, b);
        let narrowed = Cell::of("w").with("eth", [1, 2, 3]).with("eth", [2, 5]);
        assert_eq!(narrowed.conditions, vec![("eth".to_string(), vec![2])]);
    }

    #[test]
    fn membership_follows_the_conditions() {
        let dims = vec!["eth".to_string(), "grade".to_string()];
        let c = Cell::of("w").with("grade", [1]).with("eth", [4, 5]);
        assert!(c.contains(&dims, &[5, 1]));
        assert!(!c.contains(&dims, &[5, 2]));
        assert!(!c.contains(&dims, &[3, 1]));
        assert!(Cell::of("w").contains(&dims, &[0, 0]));
    }
}
