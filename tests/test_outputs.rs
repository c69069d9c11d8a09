//! Every output of a demo run, read as an adversary would: no count of people from 1 to below
//! the threshold anywhere (headcounts and not-stated counts of every breakdown included), and
//! the same figure is shown or withheld alike wherever it appears.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::workdir::Workdir;

/// Columns and JSON members that count people (workforce, applicants, respondents). Census
/// populations are public and are not among them.
const PEOPLE_COUNTS: &[&str] = &[
    "workforce_n",
    "headcount",
    "headcounts",
    "not_stated_n",
    "unplaced_n",
    "declared_n",
    "n",
    "count",
    "white_n",
    "white_events",
    "minority_n",
    "minority_events",
    "events",
    "not_placed_n",
    "quarter_size",
    "size",
    "base_n",
    "applicants",
    "shortlisted",
    "appointed",
    "full_pay_relevant_n",
    "not_full_pay_relevant_n",
    "unknown_ethnicity_n",
    "reference_n",
    "respondents",
    "ethnicity_not_stated",
    "answered_n",
    "no_answer_n",
];

const MIN_CELL: f64 = 5.0;

/// A number a file publishes as a count of people, with where it was found.
fn small(value: f64) -> bool {
    // A fractional pay-quarter count (a tie split across a boundary) is small below the
    // threshold too.
    value > 0.0 && value < MIN_CELL
}

fn scan_json(file: &str, path: &str, value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{path}.{key}");
                if PEOPLE_COUNTS.contains(&key.as_str()) {
                    let numbers: Vec<f64> = match v {
                        Value::Number(n) => n.as_f64().into_iter().collect(),
                        Value::Array(items) => items.iter().filter_map(Value::as_f64).collect(),
                        _ => Vec::new(),
                    };
                    for n in numbers.into_iter().filter(|&n| small(n)) {
                        found.push(format!("{file} {here} = {n}"));
                    }
                }
                scan_json(file, &here, v, found);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                scan_json(file, &format!("{path}[{i}]"), v, found);
            }
        }
        _ => {}
    }
}

fn scan_csv(file: &str, text: &str, found: &mut Vec<String>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let measure = headers.iter().position(|h| h == "measure");
    for (row, record) in reader.records().enumerate() {
        let record = record.unwrap();
        for (i, header) in headers.iter().enumerate() {
            // Two-column `measure,value` tables name the count in the row.
            let name = match measure {
                Some(m) if header == "value" => &record[m],
                _ => header,
            };
            if !PEOPLE_COUNTS.contains(&name) {
                continue;
            }
            if let Ok(n) = record[i].parse::<f64>() {
                if small(n) {
                    found.push(format!("{file} row {} {name} = {n}", row + 2));
                }
            }
        }
    }
}

/// Read every CSV and JSON file under `dir` of `wd` and fail on any small count of people;
/// at least `expected` files must be read.
fn assert_no_small_counts(wd: &Workdir, dir: &str, expected: usize) {
    let mut found = Vec::new();
    let mut scanned = 0;
    for file in wd.files().into_iter().filter(|f| f.starts_with(dir)) {
        if file.ends_with(".json") {
            let text = wd.read(&file);
            scan_json(&file, "", &serde_json::from_str(&text).unwrap(), &mut found);
        } else if file.ends_with(".csv") {
            scan_csv(&file, &wd.read(&file), &mut found);
        } else {
            continue;
        }
        scanned += 1;
    }
    assert!(scanned >= expected, "only {scanned} CSV and JSON files");
    assert!(
        found.is_empty(),
        "{} small counts of people published:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn no_output_of_the_demo_shows_a_small_count_of_people() {
    let wd = Workdir::new();
    wd.run(&["run"]).ok();
    assert_no_small_counts(&wd, "repgap-output/", 30);
}

/// The declaration table of the annex and representation.json hold the same headcounts and
/// not-stated counts, shown or withheld alike: suppression happens once, before rendering.
#[test]
fn annex_and_json_agree_on_every_headcount() {
    let wd = Workdir::new();
    wd.run(&["run"]).ok();
    let report: Value =
        serde_json::from_str(&wd.read("repgap-output/representation.json")).unwrap();
    let mut json: BTreeMap<String, (String, String)> = BTreeMap::new();
    for t in report["tables"].as_array().unwrap() {
        if t["level"] != "high" {
            continue;
        }
        let label = match t["breakdown"].as_str().unwrap() {
            "all" => "All staff".to_string(),
            b => b.replacen('=', ": ", 1),
        };
        let text = |v: &Value| {
            v.as_u64()
                .map(|n| n.to_string())
                // The withheld marker, escaped as Markdown text.
                .unwrap_or(r"\[c\]".into())
        };
        json.insert(label, (text(&t["headcount"]), text(&t["not_stated_n"])));
    }
    let annex = wd.read("repgap-output/annex/annex.md");
    let start = annex
        .find("*Staff who have stated their ethnicity*")
        .unwrap();
    let mut checked = 0;
    for line in annex[start..].lines().skip(4) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let (headcount, not_stated) = &json[&cells[0].replace("\\\\", "")];
        assert_eq!(
            (cells[1], cells[3]),
            (headcount.as_str(), not_stated.as_str()),
            "{line}"
        );
        checked += 1;
    }
    assert_eq!(checked, json.len());
}

/// A small council's run: 46 staff, 30 applicants, two snapshots of 23. Most counts are small
/// here, so every analysis has to withhold; none may publish a count of 1 to 4 people.
#[test]
fn no_output_of_a_small_workforce_shows_a_small_count_of_people() {
    let wd = Workdir::new();
    let labels = [
        "White British",
        "White British",
        "White British",
        "Indian",
        "White British",
        "Black African",
        "Other White",
        "White British",
        "Prefer not to say",
        "Pakistani",
        "White British",
        "Mixed White and Asian",
    ];
    let mut hr =
        String::from("employee_id,ethnicity,grade,department,hourly_pay,fpr,bonus,left,training\n");
    for i in 0..46 {
        hr.push_str(&format!(
            "E{i},{},G{},{},{:.2},{},{},{},{}\n",
            labels[i % labels.len()],
            1 + (i * 7) % 4,
            ["Finance", "Housing", "Planning"][i % 3],
            11.0 + (i * 13 % 17) as f64,
            if i % 9 == 4 { "no" } else { "yes" },
            if i % 5 == 0 { "250" } else { "" },
            if i % 6 == 1 { "yes" } else { "no" },
            if i % 3 == 0 { "yes" } else { "no" },
        ));
    }
    let mut applicants = String::from("ethnicity,stage\n");
    for i in 0..30 {
        let stage = ["applied", "applied", "shortlisted", "appointed"][i % 4];
        applicants.push_str(&format!("{},{stage}\n", labels[(i * 5) % labels.len()]));
    }
    let mut snapshots = String::from("ethnicity,snapshot_date\n");
    for date in ["2025-03-31", "2026-03-31"] {
        for i in 0..23 {
            snapshots.push_str(&format!("{},{date}\n", labels[(i * 7) % labels.len()]));
        }
    }
    wd.write("hr.csv", &hr);
    wd.write("applicants.csv", &applicants);
    wd.write("snapshots.csv", &snapshots);
    let census = crate::workdir::fixture("census2021-tidy.csv");
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {census:?}\nareas = [\"E07000092\"]\n\
             [workforce]\nfile = \"hr.csv\"\nid_column = \"employee_id\"\n\
             [representation]\nlevels = [\"high\", \"detailed\", \"white-british\", \"white\"]\nby = [\"grade\", \"department\"]\n\
             [likelihood]\noutcomes = [\"left\", \"training\"]\n\
             [seniority]\ncolumn = \"grade\"\n\
             [pay_gap]\nhourly_pay_column = \"hourly_pay\"\nfull_pay_relevant_column = \"fpr\"\nbonus_column = \"bonus\"\n\
             [recruitment]\nfile = \"applicants.csv\"\n\
             [trends]\nfile = \"snapshots.csv\"\n"
        ),
    );
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    assert_no_small_counts(&wd, "out/", 20);
}

/// Between the tables of one run: the seniority ladder counts the same people by the same grade
/// as the representation tables, so it must withhold exactly what they withhold; and nothing
/// the representation tables withhold can be worked out from their own relations.
#[test]
fn the_demo_tables_withhold_alike_and_reveal_nothing_by_subtraction() {
    let wd = Workdir::new();
    wd.run(&["run"]).ok();
    let report: Value =
        serde_json::from_str(&wd.read("repgap-output/representation.json")).unwrap();
    assert_eq!(
        crate::test_disclosure::recoverable(&report),
        Vec::<crate::test_disclosure::Cell>::new()
    );
    let mut representation: BTreeMap<(String, String), Option<u64>> = BTreeMap::new();
    for t in report["tables"].as_array().unwrap() {
        let Some(grade) = t["breakdown"].as_str().unwrap().strip_prefix("grade=") else {
            continue;
        };
        let rows = t["rows"].as_array().unwrap();
        match t["level"].as_str().unwrap() {
            "high" => {
                for r in rows {
                    representation.insert(
                        (grade.to_string(), r["group"].as_str().unwrap().to_string()),
                        r["workforce_n"].as_u64(),
                    );
                }
            }
            "white" => {
                representation.insert(
                    (
                        grade.to_string(),
                        rows[1]["group"].as_str().unwrap().to_string(),
                    ),
                    rows[1]["workforce_n"].as_u64(),
                );
            }
            _ => {}
        }
    }
    let ladder = crate::workdir::parse_csv(&wd.read("repgap-output/seniority.csv"));
    assert_eq!(ladder.len(), representation.len());
    for row in &ladder {
        let key = (row["grade"].clone(), row["group"].clone());
        let shown = row["count"].parse::<u64>().ok();
        assert_eq!(shown, representation[&key], "{key:?}");
    }
}

/// `tables.xlsx` holds every table of the run's folder, one per sheet after a cover, contents
/// and notes, its title in A1; read back, every figure equals the CSV's (shares as the same
/// fractions, with a percentage format), `[c]` stays `[c]` and an empty cell is `[x]`.
#[test]
fn the_workbook_reads_back_with_the_figures_of_the_csvs() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let wd = Workdir::new();
    wd.run(&["run"]).ok();
    let mut book: Xlsx<_> = open_workbook(wd.path("repgap-output/tables.xlsx")).unwrap();
    let names = book.sheet_names().to_vec();
    assert_eq!(&names[..3], ["Cover", "Contents", "Notes"]);
    // Every table sheet holds one named Excel table, as do the contents and notes.
    book.load_tables().unwrap();
    let tables: Vec<String> = book.table_names().into_iter().cloned().collect();
    assert_eq!(tables.len(), names.len() - 1, "{tables:?}");
    for name in ["Table_Contents", "Table_Notes", "Table_representation"] {
        assert!(tables.iter().any(|t| t == name), "{name} not in {tables:?}");
    }
    let notes = book.worksheet_range("Notes").unwrap();
    assert_eq!(notes.get((2, 0)).unwrap().to_string(), "Note number");
    assert_eq!(notes.get((3, 0)).unwrap().to_string(), "Note 1");
    let mut checked = 0;
    for file in wd.files() {
        let Some(stem) = file
            .strip_prefix("repgap-output/")
            .and_then(|f| f.strip_suffix(".csv"))
            .filter(|s| !s.contains('/'))
        else {
            continue;
        };
        let sheet = repgap::output::workbook::sheet_name(stem);
        let range = book.worksheet_range(&sheet).unwrap();
        let title = range.get((0, 0)).unwrap().to_string();
        assert!(title.contains(stem), "{sheet}: A1 is {title:?}");
        let csv = wd.read(&file);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        for (r, record) in reader.records().enumerate() {
            let record = record.unwrap();
            for (c, value) in record.iter().enumerate() {
                let cell = range.get((r + 2, c)).unwrap_or(&Data::Empty);
                match (value.trim(), cell) {
                    ("", Data::String(s)) => assert_eq!(s, "[x]", "{sheet} {r},{c}"),
                    (v, Data::Float(x)) => {
                        let want: f64 = v.parse().unwrap();
                        assert!(
                            (want - x).abs() <= 1e-12 * want.abs().max(1.0),
                            "{sheet} {r},{c}: {v} against {x}"
                        );
                    }
                    (v, Data::Int(x)) => {
                        assert_eq!(v.parse::<i64>().unwrap(), *x, "{sheet} {r},{c}")
                    }
                    (v, Data::String(s)) => assert_eq!(v, s, "{sheet} {r},{c}"),
                    (v, other) => panic!("{sheet} {r},{c}: {v:?} read back as {other:?}"),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked} cells");
}
