//! Protecting every cell of a run together.
//!
//! For each population (the workforce, the applicants, each snapshot, the respondents):
//!
//! 1. People are grouped into inner cells by their attributes; each published count is a set of
//!    inner cells.
//! 2. **Small counts** (1 to below the threshold) are withheld and protected.
//! 3. **Group disclosure**: a distribution by ethnic group in which one group holds all but
//!    fewer than the threshold of the total is withheld whole, and "the others" in it (a count
//!    from 0 to below the threshold) is protected like a small count. So that withholding its
//!    zeros means something, each zero part gains a *possible* inner cell — a member of the
//!    total in that group instead — which an attacker cannot rule out unless a published
//!    count does.
//! 4. **Secondary cells** by witnesses ([`super::audit::witness`]): for each protected count and
//!    each end of its protection range (0 and the threshold; for "the others", the threshold),
//!    the cheapest change to the people's attributes that moves the count there while keeping
//!    every group at zero or more. Every published count that change alters is withheld, so
//!    the changed data agree with everything still published: the attacker cannot rule it out,
//!    and the count's range reaches that end. Withholding more never removes a witness, so
//!    each protected count keeps both ends whatever is withheld after it. Counts readers need
//!    most cost most to withhold (the population and each table's declared staff, then
//!    headcounts of a breakdown value, then counts by what they hold), so the change runs
//!    through small counts where it can.
//! 5. A count withheld only to protect others that the published counts still determine
//!    exactly is published again: showing it tells an attacker nothing new.

use std::collections::HashMap;

use super::audit::{self, System};
use super::cells::{Cell, Count, Disclosure, Ledger, ETHNICITY};

/// Why a cell is withheld. Never published: the outputs carry one marker, `[c]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// From 1 to below the threshold.
    Small,
    /// Part of a distribution in which one group holds all but a few.
    Group,
    /// Withheld so that a protected count's range reaches from 0 to the threshold.
    Secondary,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Small => "small: from 1 to below the threshold",
            Reason::Group => "group disclosure: one group holds all but a few of the row",
            Reason::Secondary => {
                "secondary: withheld so that a protected figure's possible values reach from 0 to the threshold"
            }
        }
    }
}

/// How much protecting a run took, for the annex and the methods text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProtectionSummary {
    pub cells: usize,
    pub withheld: usize,
    pub by_reason: std::collections::BTreeMap<Reason, usize>,
    /// Distributions withheld for group disclosure.
    pub group_rows: usize,
    /// Linear programmes solved (witnesses and checks).
    pub programmes: usize,
    /// Protected counts whose range could not be widened (none expected).
    pub unresolved: usize,
    /// Withheld counts published again because the other published counts determine them.
    pub determined_published: usize,
    /// Shown counts are rounded to a multiple of this (0 or 1: exact).
    pub rounded_to: u64,
}

impl ProtectionSummary {
    /// What was withheld and why, in plain words, for the methods of the annex.
    pub fn describe(&self, min_cell: u64) -> String {
        let by = |r: Reason| self.by_reason.get(&r).copied().unwrap_or(0);
        let mut out = format!(
            "The run's {} counts of people, in every table, chart and file, were protected together, against someone who holds every output and works through every total, sub-total and comparison between them. ",
            self.cells
        );
        let rounding = if self.rounded_to > 1 {
            format!(
                " Every count shown is then rounded to the nearest {} (halves up), and every share, rate, interval and test is computed from the rounded counts, so parts need not add up to their totals.",
                self.rounded_to
            )
        } else {
            String::new()
        };
        if self.withheld == 0 {
            out.push_str("None needed withholding.");
            out.push_str(&rounding);
            return out;
        }
        out.push_str(&format!(
            "{} of them are withheld and shown as [c]: {} because they count from 1 to {} people of an ethnic group (or with no stated ethnicity); {} because one ethnic group holds all but fewer than {min_cell} of a grade, a department or another row ({} such rows), which would reveal each member's group; and {} more, chosen so that for each of those the values anyone could work out from everything published run from 0 to at least {min_cell}, and no withheld count can be worked out exactly.",
            self.withheld,
            by(Reason::Small),
            min_cell.saturating_sub(1),
            by(Reason::Group),
            self.group_rows,
            by(Reason::Secondary),
        ));
        out.push_str(" A share, interval, ratio or test computed from a withheld count is withheld with it; a chi-square test pools the withheld groups into one category.");
        if self.determined_published > 0 {
            out.push_str(&format!(
                " {} further counts that the published figures give away anyway are shown.",
                self.determined_published
            ));
        }
        out.push_str(&rounding);
        out
    }
}

/// The decisions for every cell of a run.
#[derive(Debug, Default)]
pub struct Protection {
    min_cell: u64,
    /// Shown counts are rounded to a multiple of this (0 or 1: exact).
    round_to: u64,
    decisions: HashMap<Cell, Option<Reason>>,
    labels: std::collections::BTreeMap<(String, String), std::collections::BTreeMap<u32, String>>,
    pub summary: ProtectionSummary,
}

impl Protection {
    /// The same decisions, with every shown count rounded to a multiple of `base` (0 or 1:
    /// exact). Rounding after suppression cannot undo it: a rounded count tells less than the
    /// exact one.
    pub fn rounded_to(mut self, base: u64) -> Protection {
        self.round_to = base;
        self.summary.rounded_to = base;
        self
    }

    /// The private log of what was withheld and why, as CSV (`file,count of,reason`): for the
    /// analyst who asks for it, never among the outputs, since the reason narrows the value
    /// ("small" means 1 to below the threshold).
    pub fn log_csv(&self) -> String {
        let mut rows: Vec<[String; 3]> = Vec::new();
        for (cell, reason) in self.log() {
            let file = std::path::Path::new(&cell.population)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| cell.population.clone());
            let describe = |(dimension, codes): &(String, Vec<u32>)| {
                let labels = self
                    .labels
                    .get(&(cell.population.clone(), dimension.clone()));
                // A labelled dimension labels every code someone has: the others hold nobody.
                let values: Vec<String> = match labels {
                    Some(labels) => codes
                        .iter()
                        .filter_map(|c| labels.get(c).cloned())
                        .collect(),
                    None => codes.iter().map(|c| c.to_string()).collect(),
                };
                let name = dimension.strip_prefix("column ").unwrap_or(dimension);
                format!("{name} = {}", values.join(" or "))
            };
            let figure = if cell.conditions.is_empty() {
                "everyone".to_string()
            } else {
                cell.conditions
                    .iter()
                    .map(describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            rows.push([file, figure, reason.describe().to_string()]);
        }
        // The same people counted at two levels (Indian, and Asian when all Asian staff are
        // Indian) are one line.
        rows.dedup();
        let mut out = crate::output::csv_line(&["file", "count of", "reason"]);
        for row in &rows {
            out.push_str(&crate::output::csv_line(row));
        }
        out
    }

    /// Every withheld cell with why, in a stable order (for a private log).
    pub fn log(&self) -> Vec<(&Cell, Reason)> {
        let mut out: Vec<_> = self
            .decisions
            .iter()
            .filter_map(|(c, r)| r.map(|r| (c, r)))
            .collect();
        out.sort();
        out
    }
}

impl Disclosure for Protection {
    fn min_cell(&self) -> u64 {
        self.min_cell
    }
    fn dimension(&self, _: &str, _: &str, _: &[u32]) {}
    fn count(&self, cell: &Cell, n: u64) -> Count {
        let decision = self.decisions.get(cell);
        debug_assert!(
            decision.is_some(),
            "a cell published but never declared: {cell:?}"
        );
        // A cell the run did not protect is withheld: showing less is always safe.
        let withheld = decision.is_none_or(Option::is_some);
        Count {
            n: if withheld {
                n
            } else {
                super::round_count(n, self.round_to)
            },
            withheld,
        }
    }
    fn rounding(&self) -> u64 {
        self.round_to.max(1)
    }
    fn distribution(&self, _: &Cell, _: &[Cell]) {}
}

/// One population's people grouped by their attributes.
struct Inner {
    dimensions: Vec<String>,
    codes: Vec<Vec<u32>>,
    counts: Vec<u64>,
    index: HashMap<Vec<u32>, usize>,
}

impl Inner {
    fn new(dims: &std::collections::BTreeMap<String, Vec<u32>>) -> Inner {
        let dimensions: Vec<String> = dims.keys().cloned().collect();
        let columns: Vec<&Vec<u32>> = dims.values().collect();
        let rows = columns.first().map_or(0, |c| c.len());
        let mut inner = Inner {
            dimensions,
            codes: Vec::new(),
            counts: Vec::new(),
            index: HashMap::new(),
        };
        let mut tuple = Vec::with_capacity(columns.len());
        for r in 0..rows {
            tuple.clear();
            tuple.extend(columns.iter().map(|c| c[r]));
            let at = inner.add(&tuple);
            inner.counts[at] += 1;
        }
        inner
    }

    fn add(&mut self, tuple: &[u32]) -> usize {
        if let Some(&at) = self.index.get(tuple) {
            return at;
        }
        self.codes.push(tuple.to_vec());
        self.counts.push(0);
        self.index.insert(tuple.to_vec(), self.codes.len() - 1);
        self.codes.len() - 1
    }

    fn members(&self, cell: &Cell, from: usize) -> Vec<usize> {
        (from..self.codes.len())
            .filter(|&i| cell.contains(&self.dimensions, &self.codes[i]))
            .collect()
    }
}

/// Protect every cell in `ledger`.
pub fn protect(ledger: &Ledger, min_cell: u64) -> Protection {
    protect_with(ledger, min_cell, LOCAL_ABOVE)
}

/// [`protect`], seeking witnesses among neighbours first in populations of more than
/// `local_above` inner cells.
fn protect_with(ledger: &Ledger, min_cell: u64, local_above: usize) -> Protection {
    let mut protection = Protection {
        min_cell,
        ..Protection::default()
    };
    protection.summary.cells = ledger.cells.len();
    protection.labels = ledger.labels.clone();
    for (name, dims) in &ledger.populations {
        let ids: Vec<usize> = (0..ledger.cells.len())
            .filter(|&i| &ledger.cells[i].0.population == name)
            .collect();
        let decisions = protect_population(
            ledger,
            dims,
            &ids,
            min_cell,
            local_above,
            &mut protection.summary,
        );
        for (&id, reason) in ids.iter().zip(decisions) {
            protection
                .decisions
                .insert(ledger.cells[id].0.clone(), reason);
        }
    }
    // Cells of a population whose people were never described cannot be protected: withhold
    // them (no analysis does this; the debug check in `count` catches a new one).
    for (cell, _) in &ledger.cells {
        protection
            .decisions
            .entry(cell.clone())
            .or_insert(Some(Reason::Small));
    }
    protection.summary.withheld = protection
        .decisions
        .values()
        .filter(|r| r.is_some())
        .count();
    for reason in protection.decisions.values().flatten() {
        *protection.summary.by_reason.entry(*reason).or_default() += 1;
    }
    protection
}

fn protect_population(
    ledger: &Ledger,
    dims: &std::collections::BTreeMap<String, Vec<u32>>,
    ids: &[usize],
    min_cell: u64,
    local_above: usize,
    summary: &mut ProtectionSummary,
) -> Vec<Option<Reason>> {
    let mut inner = Inner::new(dims);
    let local: HashMap<usize, usize> = ids.iter().enumerate().map(|(l, &g)| (g, l)).collect();
    let cells: Vec<&Cell> = ids.iter().map(|&i| &ledger.cells[i].0).collect();
    let mut members: Vec<Vec<usize>> = cells.iter().map(|c| inner.members(c, 0)).collect();
    let value = |inner: &Inner, m: &[usize]| m.iter().map(|&i| inner.counts[i]).sum::<u64>();
    let mut reasons: Vec<Option<Reason>> = vec![None; cells.len()];
    let denominators: std::collections::HashSet<usize> = ids
        .iter()
        .enumerate()
        .filter(|(_, g)| ledger.denominators.contains(g))
        .map(|(l, _)| l)
        .collect();
    for (l, &g) in ids.iter().enumerate() {
        let n = value(&inner, &members[l]);
        debug_assert_eq!(n, ledger.cells[g].1, "count of {:?}", cells[l]);
        // A small count is disclosive when it is split by ethnic group; a headcount (of a
        // grade, a pay quarter, those not full-pay relevant) says nobody's group, and when its
        // people are split by group the row's parts and its group-disclosure check protect it.
        let by_group = cells[l].conditions.iter().any(|(d, _)| d == ETHNICITY);
        if n != ledger.cells[g].1 || (by_group && super::is_small(n, min_cell)) {
            reasons[l] = Some(Reason::Small);
        }
    }

    // Group disclosure.
    let first_phantom = inner.codes.len();
    let mut dominated: Vec<(usize, usize)> = Vec::new();
    for (total, parts) in &ledger.distributions {
        let (Some(&t), Some(parts)) = (
            local.get(total),
            parts
                .iter()
                .map(|p| local.get(p).copied())
                .collect::<Option<Vec<usize>>>(),
        ) else {
            continue;
        };
        let total_n = value(&inner, &members[t]);
        let Some(&dom) = parts
            .iter()
            .max_by_key(|&&p| (value(&inner, &members[p]), std::cmp::Reverse(p)))
        else {
            continue;
        };
        if total_n == 0 || total_n - value(&inner, &members[dom]) >= min_cell {
            continue;
        }
        summary.group_rows += 1;
        for &p in &parts {
            reasons[p].get_or_insert(Reason::Group);
        }
        // The attribute that splits the total into parts.
        let split = cells[dom]
            .conditions
            .iter()
            .find(|c| !cells[t].conditions.contains(c))
            .and_then(|(d, _)| inner.dimensions.binary_search(d).ok());
        if let Some(at) = split {
            let real: Vec<usize> = members[dom]
                .iter()
                .copied()
                .filter(|&i| i < first_phantom)
                .collect();
            for &p in &parts {
                if p == dom || value(&inner, &members[p]) > 0 {
                    continue;
                }
                let Some(code) = cells[p]
                    .conditions
                    .iter()
                    .find(|(d, _)| *d == inner.dimensions[at])
                    .and_then(|(_, codes)| codes.first().copied())
                else {
                    continue;
                };
                for &i in &real {
                    let mut tuple = inner.codes[i].clone();
                    tuple[at] = code;
                    inner.add(&tuple);
                }
            }
        }
        dominated.push((t, dom));
    }
    if inner.codes.len() > first_phantom {
        for (l, cell) in cells.iter().enumerate() {
            let extra = inner.members(cell, first_phantom);
            members[l].extend(extra);
        }
    }
    merge_alike(&mut inner, &mut members);
    // What each protected count must be shown able to be: (its inner cells, the values an
    // attacker must not be able to rule out).
    let mut requirements: Vec<(Vec<usize>, Vec<f64>)> = Vec::new();
    let high = min_cell as f64;
    for l in 0..cells.len() {
        if reasons[l] == Some(Reason::Small) {
            requirements.push((members[l].clone(), vec![0.0, high]));
        }
    }
    // The others of a dominated row could be as many as the threshold: the row may not be
    // all in one group.
    for &(t, dom) in &dominated {
        let others: Vec<usize> = members[t]
            .iter()
            .copied()
            .filter(|i| members[dom].binary_search(i).is_err())
            .collect();
        requirements.push((others, vec![high]));
    }

    // Counts readers need most cost most to withhold: the population and the denominators of
    // shares; then each table's total and the headcount of each breakdown value (counts not
    // by ethnic group); otherwise a count costs what it holds, so small counts go first.
    let totals: std::collections::HashSet<usize> = ledger
        .distributions
        .iter()
        .filter_map(|(t, _)| local.get(t).copied())
        .collect();
    let cost = |l: usize| {
        let n = value(&inner, &members[l]) as f64;
        if denominators.contains(&l) || cells[l].conditions.is_empty() {
            1_000_000.0 + n
        } else if totals.contains(&l) || !cells[l].conditions.iter().any(|(d, _)| d == ETHNICITY) {
            1_000.0 + n
        } else {
            1.0 + n
        }
    };
    let bounds: Vec<audit::Bound> = ledger
        .bounds
        .iter()
        .filter_map(|&(c, at_least, at_most)| {
            Some(audit::Bound {
                cells: &members[*local.get(&c)?],
                at_least: at_least as f64,
                at_most: at_most.map(|m| m as f64),
            })
        })
        .collect();
    let truth: audit::Solution = inner.counts.iter().map(|&n| n as f64).collect();
    let mut pool = vec![truth.clone()];
    // The counts holding each inner cell, to find a target's neighbours.
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); truth.len()];
    for (l, m) in members.iter().enumerate() {
        for &i in m {
            holders[i].push(l);
        }
    }
    // The people a witness for `target` most likely moves: those counted with it in a count by
    // ethnic group (not in a total, which holds everyone of a grade or the whole population).
    let near = |target: &[usize]| -> Vec<usize> {
        let mut out: Vec<usize> = target.to_vec();
        for &i in target {
            for &l in &holders[i] {
                if cost(l) < 1_000.0 {
                    out.extend_from_slice(&members[l]);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    for (target, reach) in &requirements {
        for &goal in reach {
            let at = |s: &audit::Solution| target.iter().map(|&i| s[i]).sum::<f64>();
            let shown = |s: &audit::Solution| {
                if goal > at(&truth) {
                    at(s) >= goal - 1e-6
                } else {
                    at(s) <= goal + 1e-6
                }
            };
            if pool.iter().any(shown) {
                continue;
            }
            let published: Vec<usize> =
                (0..cells.len()).filter(|&l| reasons[l].is_none()).collect();
            let candidates: Vec<audit::Candidate> = published
                .iter()
                .map(|&l| audit::Candidate {
                    cells: &members[l],
                    cost: cost(l),
                })
                .collect();
            summary.programmes += 1;
            // What the outputs reveal beyond the counts can leave no room (a population smaller
            // than the threshold whose size is known): then widen the range regardless, so
            // more is withheld than those facts would need.
            // In a large population, first among the target's neighbours (a programme a
            // fraction of the size, whose witness may cost more), then among everyone.
            let shift = goal - at(&truth);
            let local = (truth.len() > local_above)
                .then(|| {
                    let within = near(target);
                    audit::witness_within(&truth, &candidates, &bounds, target, shift, &within)
                })
                .flatten();
            let found = local
                .or_else(|| audit::witness(&truth, &candidates, &bounds, target, shift))
                .or_else(|| audit::witness(&truth, &candidates, &[], target, shift));
            match found {
                Some((solution, changed)) => {
                    for k in changed {
                        reasons[published[k]] = Some(Reason::Secondary);
                    }
                    pool.push(solution);
                }
                None => summary.unresolved += 1,
            }
        }
    }
    let equations: Vec<(&[usize], f64)> = (0..cells.len())
        .filter(|&l| reasons[l].is_none())
        .map(|l| (members[l].as_slice(), value(&inner, &members[l]) as f64))
        .collect();
    let system = System {
        width: inner.codes.len(),
        equations,
        bounds: &bounds,
    };
    publish_determined(&system, &inner, &members, &mut reasons, &pool, summary);
    reasons
}

/// Above this many inner cells, witnesses are sought among a target's neighbours first: a
/// programme over every cell of a large population takes about half a second (5,600 cells,
/// 1,300 counts), one over the neighbours a tenth of that, for a witness that may withhold a
/// little more.
const LOCAL_ABOVE: usize = 2_000;

/// Merge the inner cells that every count holds alike (in the same counts): no count, and so
/// no attacker, tells them apart, and the programmes are as exact with their sum. A run's
/// attributes make many such combinations (a flag that only one table splits by), and the
/// programmes' size falls with them.
fn merge_alike(inner: &mut Inner, members: &mut [Vec<usize>]) {
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); inner.counts.len()];
    for (l, m) in members.iter().enumerate() {
        for &i in m {
            holders[i].push(l);
        }
    }
    let mut merged: HashMap<&[usize], usize> = HashMap::new();
    let mut to: Vec<usize> = Vec::with_capacity(holders.len());
    let mut counts: Vec<u64> = Vec::new();
    for (i, h) in holders.iter().enumerate() {
        let next = counts.len();
        let k = *merged.entry(h.as_slice()).or_insert(next);
        if k == next {
            counts.push(0);
        }
        counts[k] += inner.counts[i];
        to.push(k);
    }
    for m in members.iter_mut() {
        let mut mapped: Vec<usize> = m.iter().map(|&i| to[i]).collect();
        mapped.sort_unstable();
        mapped.dedup();
        *m = mapped;
    }
    // Only the counts and the number of cells are read from here on.
    inner.codes.truncate(counts.len());
    inner.counts = counts;
}

/// Publish every withheld count that is not small but that the published counts determine
/// anyway (through the bounds that no group is negative, not only by linear relations):
/// showing it tells an attacker nothing new, and no withheld figure is then one an attacker
/// can work out exactly.
fn publish_determined(
    system: &System,
    inner: &Inner,
    members: &[Vec<usize>],
    reasons: &mut [Option<Reason>],
    pool: &[audit::Solution],
    summary: &mut ProtectionSummary,
) {
    // Withheld to protect others, or part of a group-disclosure row (where only a zero can be
    // determined: a row's dominant part ranges as widely as its others); published only when
    // both programmes solve and show a single value.
    let candidates: Vec<usize> = (0..members.len())
        .filter(|&l| matches!(reasons[l], Some(Reason::Secondary | Reason::Group)))
        .collect();
    for l in candidates {
        let truth = members[l].iter().map(|&i| inner.counts[i]).sum::<u64>() as f64;
        if pool
            .iter()
            .any(|s| (members[l].iter().map(|&i| s[i]).sum::<f64>() - truth).abs() > 0.5)
        {
            continue;
        }
        summary.programmes += 2;
        if let Some((low, high)) = system.range(&members[l]) {
            if high - low < 0.5 {
                reasons[l] = None;
                summary.determined_published += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::cells::Recorder;

    /// People of one population by group and grade.
    fn record(people: &[(u32, u32)], min_cell: u64) -> (Recorder, Vec<Cell>) {
        let rec = Recorder::new(min_cell);
        let groups: Vec<u32> = people.iter().map(|p| p.0).collect();
        let grades: Vec<u32> = people.iter().map(|p| p.1).collect();
        rec.dimension("w", ETHNICITY, &groups);
        rec.dimension("w", "grade", &grades);
        let count = |c: &Cell| {
            let dims = [ETHNICITY.to_string(), "grade".to_string()];
            people
                .iter()
                .filter(|p| c.contains(&dims, &[p.0, p.1]))
                .count() as u64
        };
        let mut cells = Vec::new();
        let max_group = *groups.iter().max().unwrap();
        let max_grade = *grades.iter().max().unwrap();
        let total = Cell::of("w");
        rec.count(&total, count(&total));
        let mut parts = Vec::new();
        for g in 0..=max_group {
            let c = Cell::of("w").with(ETHNICITY, [g]);
            rec.count(&c, count(&c));
            parts.push(c.clone());
            cells.push(c);
        }
        rec.distribution(&total, &parts);
        for grade in 0..=max_grade {
            let t = Cell::of("w").with("grade", [grade]);
            rec.count(&t, count(&t));
            let mut parts = Vec::new();
            for g in 0..=max_group {
                let c = Cell::of("w").with("grade", [grade]).with(ETHNICITY, [g]);
                rec.count(&c, count(&c));
                parts.push(c.clone());
                cells.push(c);
            }
            rec.distribution(&t, &parts);
        }
        (rec, cells)
    }

    #[test]
    fn a_small_cell_in_a_table_with_margins_is_protected_with_a_range() {
        // Group 2 has 2 people in grade 0; everyone else is spread widely.
        let mut people = Vec::new();
        for (group, grade, n) in [
            (0, 0, 20),
            (1, 0, 12),
            (2, 0, 2),
            (0, 1, 25),
            (1, 1, 10),
            (2, 1, 9),
        ] {
            people.extend(std::iter::repeat_n((group, grade), n));
        }
        let (rec, _) = record(&people, 5);
        let ledger = rec.into_ledger();
        let p = protect(&ledger, 5);
        let shown = |c: Cell| p.count(&c, 0).withheld;
        assert!(shown(Cell::of("w").with("grade", [0]).with(ETHNICITY, [2])));
        // Its row and its column each lose one more cell, and the rectangle closes.
        let withheld = p.summary.withheld;
        assert!(withheld >= 4, "{:?}", p.summary);
        assert_eq!(p.summary.unresolved, 0);
    }

    #[test]
    fn a_grade_all_in_one_group_withholds_its_distribution() {
        let mut people = Vec::new();
        for (group, grade, n) in [(0, 0, 30), (1, 0, 12), (2, 0, 9), (0, 1, 6)] {
            people.extend(std::iter::repeat_n((group, grade), n));
        }
        let (rec, _) = record(&people, 5);
        let ledger = rec.into_ledger();
        let p = protect(&ledger, 5);
        assert_eq!(p.summary.group_rows, 1);
        let withheld = |g: u32| {
            let c = Cell::of("w").with("grade", [1]).with(ETHNICITY, [g]);
            p.count(&c, 0).withheld
        };
        // The 6 in group 0 are withheld, and so is at least one zero, which an attacker
        // cannot then rule out holding people of grade 1 (a zero the published counts
        // determine anyway is shown).
        assert!(withheld(0));
        assert!(withheld(1) || withheld(2));
        // The grade's headcount is still shown.
        assert!(!p.count(&Cell::of("w").with("grade", [1]), 6).withheld);
        assert_eq!(p.summary.unresolved, 0);
    }

    /// An attacker who knows every published count and that no group of people is negative,
    /// but not which combinations of group and grade are empty: the range of a sum of
    /// combinations.
    fn attacker_range(
        groups: u32,
        grades: u32,
        published: &[(Vec<(u32, u32)>, f64)],
        target: &[(u32, u32)],
    ) -> (f64, f64) {
        use microlp::{ComparisonOp, OptimizationDirection, Problem};
        let mut out = [0.0; 2];
        for (k, dir) in [
            OptimizationDirection::Minimize,
            OptimizationDirection::Maximize,
        ]
        .into_iter()
        .enumerate()
        {
            let mut p = Problem::new(dir);
            let vars: Vec<_> = (0..groups * grades)
                .map(|i| {
                    let combo = (i / grades, i % grades);
                    let c = if target.contains(&combo) { 1.0 } else { 0.0 };
                    p.add_var(c, (0.0, f64::INFINITY))
                })
                .collect();
            for (combos, v) in published {
                let expr: Vec<_> = combos
                    .iter()
                    .map(|&(g, k)| (vars[(g * grades + k) as usize], 1.0))
                    .collect();
                p.add_constraint(expr.as_slice(), ComparisonOp::Eq, *v);
            }
            out[k] = match p.solve() {
                Ok(solution) => solution.objective(),
                // Nothing published bounds it: any value is possible.
                Err(microlp::Error::Unbounded) => f64::INFINITY,
                Err(e) => panic!("{e}"),
            };
        }
        (out[0], out[1])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Random workforces: every small count's range reaches from 0 to the threshold, every
        /// group-disclosure row's "others" can be at least the threshold, and no withheld count
        /// of people is determined.
        #[test]
        fn no_withheld_count_is_narrowed(
            people in proptest::collection::vec((0u32..4, 0u32..4), 20..150),
            skew in 0u32..3,
            min_cell in 3u64..7,
            neighbours_first in proptest::bool::ANY,
        ) {
            // Skew some grades towards group 0 so that group disclosure occurs.
            let people: Vec<(u32, u32)> = people
                .into_iter()
                .map(|(g, k)| if k < skew { (0, k) } else { (g, k) })
                .collect();
            let groups = people.iter().map(|p| p.0).max().unwrap() + 1;
            let grades = people.iter().map(|p| p.1).max().unwrap() + 1;
            let (rec, _) = record(&people, min_cell);
            let ledger = rec.into_ledger();
            // Half the cases seek witnesses among neighbours first, as large populations do.
            let p = protect_with(&ledger, min_cell, if neighbours_first { 0 } else { LOCAL_ABOVE });
            proptest::prop_assert_eq!(p.summary.unresolved, 0);
            let combos = |c: &Cell| -> Vec<(u32, u32)> {
                let dims = [ETHNICITY.to_string(), "grade".to_string()];
                (0..groups)
                    .flat_map(|g| (0..grades).map(move |k| (g, k)))
                    .filter(|&(g, k)| c.contains(&dims, &[g, k]))
                    .collect()
            };
            let published: Vec<(Vec<(u32, u32)>, f64)> = ledger
                .cells
                .iter()
                .filter(|(c, n)| !p.count(c, *n).withheld)
                .map(|(c, n)| (combos(c), *n as f64))
                .collect();
            for (c, n) in &ledger.cells {
                if !p.count(c, *n).withheld {
                    continue;
                }
                let (low, high) = attacker_range(groups, grades, &published, &combos(c));
                // A withheld zero may be known (its group has no-one at all); a withheld count
                // of people may not.
                proptest::prop_assert!(*n == 0 || high - low > 1e-6, "{c:?} = {n} determined");
                let by_group = c.conditions.iter().any(|(d, _)| d == ETHNICITY);
                if by_group && super::super::is_small(*n, min_cell) {
                    proptest::prop_assert!(low < 1e-6 && high > min_cell as f64 - 1e-6,
                        "{c:?} = {n}: range {low}..{high}");
                }
            }
            for (t, parts) in &ledger.distributions {
                let total = &ledger.cells[*t];
                let dom = parts.iter().max_by_key(|&&q| ledger.cells[q].1).unwrap();
                if total.1 == 0 || total.1 - ledger.cells[*dom].1 >= min_cell {
                    continue;
                }
                let others: Vec<(u32, u32)> = combos(&total.0)
                    .into_iter()
                    .filter(|x| !combos(&ledger.cells[*dom].0).contains(x))
                    .collect();
                let (_, high) = attacker_range(groups, grades, &published, &others);
                proptest::prop_assert!(high > min_cell as f64 - 1e-6,
                    "row {:?}: others at most {high}", total.0);
            }
        }
    }
}
