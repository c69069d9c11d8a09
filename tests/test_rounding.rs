//! Rounding shown counts to a base (`[disclosure] round_to`): the demo run twice, exact and
//! rounded to 5, compared figure by figure.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::workdir::{parse_csv, project, Workdir};

const BASE: u64 = 5;

/// `n` to the nearest multiple of 5, halves up, worked out here independently.
fn nearest_five(n: f64) -> f64 {
    let below = (n / 5.0).floor() * 5.0;
    if n - below >= 2.5 {
        below + 5.0
    } else {
        below
    }
}

/// A copy of the demo (its folder and the Census it reads) with `extra` added to its
/// `[disclosure]` section, which ends the file.
fn demo_with(wd: &Workdir, extra: &str) -> std::path::PathBuf {
    for folder in ["demo", "census"] {
        let from = project(&format!("datasets/{folder}"));
        for entry in std::fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = path.file_name().unwrap().to_str().unwrap();
                std::fs::create_dir_all(wd.path(folder)).unwrap();
                std::fs::copy(&path, wd.path(&format!("{folder}/{name}"))).unwrap();
            }
        }
    }
    let config = wd.path("demo/repgap.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.trim_end()
            .rsplit_once("\n[")
            .unwrap()
            .1
            .starts_with("disclosure]"),
        "the demo config should end with its [disclosure] section"
    );
    std::fs::write(&config, format!("{text}\n{extra}\n")).unwrap();
    config
}

/// Every CSV the run wrote, by path inside the output folder.
fn csv_outputs(dir: &Path) -> BTreeMap<String, Vec<std::collections::HashMap<String, String>>> {
    let mut out = BTreeMap::new();
    for sub in ["", "annex/charts"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(name, parse_csv(&std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

/// Columns that count people in the run's own CSVs (Census counts are published by the ONS
/// and are not rounded).
const COUNT_COLUMNS: &[&str] = &[
    "workforce_n",
    "n",
    "count",
    "quarter_size",
    "white_n",
    "white_events",
    "minority_n",
    "minority_events",
    "not_placed_n",
    "base_n",
    "previous_base_n",
    "current_base_n",
];

/// Keys of the JSON outputs that count people.
fn is_count_key(key: &str) -> bool {
    !key.starts_with("population")
        && !key.starts_with("min_")
        && (key == "n"
            || key.ends_with("_n")
            || matches!(
                key,
                "count"
                    | "size"
                    | "headcount"
                    | "events"
                    | "applicants"
                    | "shortlisted"
                    | "appointed"
                    | "respondents"
                    | "previous_respondents"
                    | "rows"
            ))
}

/// Every (path, number) under a counting key of `value`.
fn json_counts(value: &Value, path: &str, out: &mut Vec<(String, f64)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}.{k}");
                match v {
                    // Rows of a file are people in the survey's own file only (not in its
                    // margins or the Census).
                    Value::Number(n)
                        if is_count_key(k) && (k != "rows" || path.ends_with(".survey")) =>
                    {
                        out.push((here, n.as_f64().unwrap()))
                    }
                    _ => json_counts(v, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                json_counts(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn number(text: &str) -> Option<f64> {
    text.parse().ok()
}

#[test]
fn rounded_counts_are_the_exact_ones_rounded_and_every_figure_follows_them() {
    let exact = Workdir::new();
    exact
        .run(&["run", demo_with(&exact, "").to_str().unwrap()])
        .ok();
    let rounded = Workdir::new();
    let out = rounded
        .run(&[
            "run",
            demo_with(&rounded, &format!("round_to = {BASE}"))
                .to_str()
                .unwrap(),
        ])
        .ok();
    assert!(out.contains("Wrote 113 files"), "{out}");
    let exact_dir = exact.path("repgap-output");
    let rounded_dir = rounded.path("repgap-output");

    // Rounding comes after suppression: the same figures are withheld, and every shown
    // count is the exact one rounded.
    let exact_csv = csv_outputs(&exact_dir);
    let rounded_csv = csv_outputs(&rounded_dir);
    assert_eq!(
        exact_csv.keys().collect::<Vec<_>>(),
        rounded_csv.keys().collect::<Vec<_>>()
    );
    let mut counts_checked = 0;
    let mut changed = 0;
    for (name, rows) in &rounded_csv {
        let exact_rows = &exact_csv[name];
        assert_eq!(rows.len(), exact_rows.len(), "{name}");
        for (row, exact_row) in rows.iter().zip(exact_rows) {
            for (column, value) in row {
                let was = &exact_row[column];
                assert_eq!(
                    value == "[c]",
                    was == "[c]",
                    "{name} {column}: {value:?} rounded, {was:?} exact"
                );
                if !COUNT_COLUMNS.contains(&column.as_str()) || name.contains("population") {
                    continue;
                }
                let (Some(r), Some(e)) = (number(value), number(was)) else {
                    continue;
                };
                assert_eq!(r, nearest_five(e), "{name} {column}: {e} rounds to {r}?");
                counts_checked += 1;
                changed += usize::from(r != e);
            }
        }
    }
    assert!(
        counts_checked > 400 && changed > 100,
        "{counts_checked} counts checked, {changed} changed by rounding"
    );

    // Every count in the JSON outputs is a multiple of 5.
    let mut json_checked = 0;
    for name in [
        "representation.json",
        "relative-likelihood.json",
        "workforce-deep-dive.json",
        "survey.json",
    ] {
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(rounded_dir.join(name)).unwrap())
                .unwrap();
        let mut found = Vec::new();
        json_counts(&value, name, &mut found);
        for (path, n) in found {
            assert_eq!(n % 5.0, 0.0, "{path} = {n} is not rounded");
            json_checked += 1;
        }
    }
    assert!(json_checked > 400, "{json_checked} JSON counts checked");

    // Shares, rates and intervals come from the rounded counts, not the exact ones.
    let representation: Value = serde_json::from_str(
        &std::fs::read_to_string(rounded_dir.join("representation.json")).unwrap(),
    )
    .unwrap();
    let mut shares_checked = 0;
    for table in representation["tables"].as_array().unwrap() {
        let Some(declared) = table["declared_n"].as_f64() else {
            continue;
        };
        for row in table["rows"].as_array().unwrap() {
            if let (Some(n), Some(share)) =
                (row["workforce_n"].as_f64(), row["workforce_share"].as_f64())
            {
                assert!((share - n / declared).abs() < 1e-12, "{row}");
                shares_checked += 1;
            }
        }
    }
    for (name, count, of, share) in [
        ("trends.csv", "count", "n", "share"),
        ("seniority.csv", "count", "n", "share"),
        ("recruitment.csv", "white_events", "white_n", "white_rate"),
        (
            "recruitment.csv",
            "minority_events",
            "minority_n",
            "minority_rate",
        ),
    ] {
        for row in &rounded_csv[name] {
            if let (Some(x), Some(n), Some(s)) =
                (number(&row[count]), number(&row[of]), number(&row[share]))
            {
                // Written to 6 decimals.
                assert!((s - x / n).abs() < 5e-7, "{name}: {x} / {n} is not {s}");
                shares_checked += 1;
            }
        }
    }
    // The survey's unweighted shares, over the rounded number of respondents.
    let respondents = rounded_csv["survey-weighting.csv"]
        .iter()
        .find(|r| r["measure"] == "respondents")
        .and_then(|r| number(&r["value"]))
        .unwrap();
    assert_eq!(respondents % 5.0, 0.0);
    for row in &rounded_csv["survey-profile.csv"] {
        if let (Some(n), Some(share)) = (number(&row["n"]), number(&row["unweighted_share"])) {
            assert!((share - n / respondents).abs() < 5e-7, "{row:?}");
            shares_checked += 1;
        }
    }
    assert!(shares_checked > 60, "{shares_checked} shares checked");
    // The Asian share of all staff at the high level, by hand: 40 of 385 (the exact counts
    // are 38 of 386).
    let asian = representation["tables"][0]["rows"][0].clone();
    assert_eq!(asian["workforce_n"], 40);
    assert_eq!(representation["tables"][0]["declared_n"], 385);
    assert!((asian["workforce_share"].as_f64().unwrap() - 40.0 / 385.0).abs() < 1e-15);

    // The inputs' rows are people too, except the Census table's, the register's and the
    // configuration's.
    let annex = std::fs::read_to_string(rounded_dir.join("annex/annex.md")).unwrap();
    let inputs = annex.split("| Input | File | Data rows |").nth(1).unwrap();
    let mut people_files = 0;
    for line in inputs.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if [
            "Workforce extract",
            "Recruitment extract",
            "Workforce snapshots",
            "Resident survey",
        ]
        .iter()
        .any(|r| cells[1].starts_with(r))
        {
            let rows: u64 = cells[3].parse().unwrap();
            assert_eq!(rows % 5, 0, "{line}");
            people_files += 1;
        }
    }
    // The survey has two waves.
    assert_eq!(people_files, 5, "{inputs}");

    // The annex says so.
    assert!(
        annex.contains("Every count shown is then rounded to the nearest 5"),
        "the annex does not say counts are rounded"
    );
}

#[test]
fn a_base_of_zero_is_refused() {
    let wd = Workdir::new();
    let config = demo_with(&wd, "round_to = 0");
    wd.run(&["run", config.to_str().unwrap()])
        .fails(2, &["round_to = 0", "round_to = 5"]);
}

#[test]
fn the_commands_round_too() {
    let wd = Workdir::new();
    let census = project("datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv");
    let workforce = project("datasets/demo/workforce-synthetic.csv");
    let out = wd
        .run(&[
            "representation",
            "--census",
            census.to_str().unwrap(),
            "--area",
            "E07000092",
            "--workforce",
            workforce.to_str().unwrap(),
            "--id-column",
            "employee_id",
            "--level",
            "high,detailed",
            "--round-to",
            "5",
            "--format",
            "csv",
        ])
        .ok();
    let rows = parse_csv(&out);
    let shown: Vec<f64> = rows
        .iter()
        .filter_map(|r| number(&r["workforce_n"]))
        .collect();
    assert!(shown.len() > 5, "{out}");
    assert!(shown.iter().all(|n| n % 5.0 == 0.0), "{shown:?}");
    // Asian staff: 40 of 385 rounded (38 of 386 exact), so the share is 0.103896.
    let asian = &rows[0];
    assert_eq!(asian["workforce_n"], "40");
    assert_eq!(asian["workforce_share"], "0.103896");
    let survey = wd
        .run(&[
            "survey",
            "--config",
            project("datasets/demo/repgap.toml").to_str().unwrap(),
            "--round-to",
            "5",
            "--format",
            "csv",
        ])
        .ok();
    let bases: Vec<f64> = parse_csv(&survey)
        .iter()
        .filter_map(|r| number(&r["base_n"]))
        .collect();
    assert!(
        bases.len() > 10 && bases.iter().all(|n| n % 5.0 == 0.0),
        "{bases:?}"
    );
    wd.run(&[
        "likelihood",
        "--workforce",
        workforce.to_str().unwrap(),
        "--outcome",
        "left_in_period",
        "--round-to",
        "0",
    ])
    .fails(2, &["--round-to", "use 5"]);
}
