//! The files councils really have, as their tools write them (see tests/fixtures/real):
//! Windows encodings, UTF-16, semicolons, title rows above the header.

use std::path::Path;

use crate::workdir::{fixture, parse_csv, Workdir};

/// `repgap representation` of `workforce` (a path as the command sees it) against `area` of
/// `census`, with `extra` arguments.
fn representation(
    wd: &Workdir,
    census: &Path,
    area: &str,
    workforce: &str,
    extra: &[&str],
) -> crate::workdir::Run {
    let mut args = vec![
        "representation",
        "--census",
        census.to_str().unwrap(),
        "--area",
        area,
        "--workforce",
        workforce,
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

/// `repgap representation` on a fixture of tests/fixtures/real against Rushmoor, as CSV.
fn by_department(wd: &Workdir, file: &str, extra: &[&str]) -> crate::workdir::Run {
    let workforce = fixture(&format!("real/{file}"));
    let mut args = vec!["--format", "csv"];
    args.extend_from_slice(extra);
    representation(
        wd,
        &fixture("census2021-tidy.csv"),
        "E07000092",
        workforce.to_str().unwrap(),
        &args,
    )
}

/// The departments of a by-department table, and the high-level counts of all staff.
fn departments_and_counts(csv: &str) -> (Vec<String>, Vec<String>) {
    let rows = parse_csv(csv);
    let mut departments: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r["breakdown"]
                .split_once('=')
                .map(|(_, department)| department.to_string())
        })
        .collect();
    departments.dedup();
    let counts = rows
        .iter()
        .filter(|r| r["breakdown"] == "all")
        .map(|r| r["workforce_n"].clone())
        .collect();
    (departments, counts)
}

/// Asian 20 (12 Indian, 8 Pakistani), Black 12, Mixed 0, White 65, Other 0: the fixtures'
/// 100 staff less 3 who preferred not to say.
const COUNTS: [&str; 5] = ["20", "12", "0", "65", "0"];

#[test]
fn windows_1252_with_title_rows_keeps_every_character() {
    let wd = Workdir::new();
    let run = by_department(
        &wd,
        "hr-windows-1252.csv",
        &["--ethnicity-column", "Ethnic Origin", "--by", "Department"],
    );
    let (departments, counts) = departments_and_counts(&run.ok());
    // Each accented department stays itself: none replaced, none merged.
    assert_eq!(
        departments,
        [
            "Adults’ Social Care",
            "Café and Catering",
            "Hèusing",
            "Hôusing"
        ]
    );
    assert_eq!(counts, COUNTS);
    let err = run.stderr();
    assert!(err.contains("read as Windows-1252 text"), "{err}");
    assert!(
        err.contains("the column names are on row 4; the 3 row(s) above them"),
        "{err}"
    );
}

#[test]
fn rows_keep_their_spreadsheet_numbers_below_title_rows() {
    let wd = Workdir::new();
    // Line 10 of the file (the 6th employee) gets a label no one knows.
    let bytes = std::fs::read(fixture("real/hr-windows-1252.csv")).unwrap();
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let at = lines[9]
        .windows(13)
        .position(|w| w == b"White British")
        .expect("line 10 is a White British employee");
    lines[9].splice(at..at + 13, b"Martian".iter().copied());
    let path = wd.write("hr.csv", "");
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    let census = fixture("census2021-tidy.csv");
    representation(
        &wd,
        &census,
        "E07000092",
        "hr.csv",
        &["--ethnicity-column", "Ethnic Origin"],
    )
    .fails(1, &["\"Martian\"", "row 10"]);
}

#[test]
fn unicode_text_is_read_as_utf16_with_tabs() {
    let wd = Workdir::new();
    let run = by_department(
        &wd,
        "hr-unicode-text.txt",
        &["--ethnicity-column", "Ethnic Origin", "--by", "Department"],
    );
    let (departments, counts) = departments_and_counts(&run.ok());
    assert_eq!(
        departments,
        [
            "Adults’ Social Care",
            "Café and Catering",
            "Hèusing",
            "Hôusing"
        ]
    );
    assert_eq!(counts, COUNTS);
    assert!(run.stderr().contains("read as UTF-16 (little-endian) text"));
}

#[test]
fn semicolons_are_detected_and_can_be_configured() {
    let wd = Workdir::new();
    let run = by_department(&wd, "hr-semicolon.csv", &["--by", "department"]);
    let (departments, counts) = departments_and_counts(&run.ok());
    assert_eq!(departments.len(), 4);
    assert_eq!(counts, COUNTS);
    // In a run, the same file with its delimiter and header row stated in the config.
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = {:?}\ndelimiter = \";\"\nheader_row = 1\n[representation]\nlevels = [\"high\"]\nby = [\"department\"]\n",
            fixture("census2021-tidy.csv"),
            fixture("real/hr-semicolon.csv")
        ),
    );
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let rows = parse_csv(&wd.read("out/representation.csv"));
    let all: Vec<&str> = rows
        .iter()
        .filter(|r| r["breakdown"] == "all")
        .map(|r| r["workforce_n"].as_str())
        .collect();
    assert_eq!(all, COUNTS);
    // A header row the file does not have is refused, naming the setting.
    wd.write(
        "bad.toml",
        &wd.read("run.toml")
            .replace("header_row = 1", "header_row = 0"),
    );
    wd.run(&["run", "bad.toml", "--output-dir", "out2"])
        .fails(1, &["header_row = 0", "rows are numbered from 1"]);
}

#[test]
fn a_file_mixing_encodings_is_refused_not_mangled() {
    let wd = Workdir::new();
    // UTF-8 "Café" and a Windows-1252 apostrophe (0x92) in one file: reading either way would
    // corrupt the other.
    let path = wd.write("hr.csv", "");
    std::fs::write(
        &path,
        b"id,ethnicity,department\n1,Indian,Caf\xC3\xA9\n2,Arab,Adults\x92 Care\n",
    )
    .unwrap();
    let census = fixture("census2021-tidy.csv");
    representation(&wd, &census, "E07000092", "hr.csv", &[])
        .fails(1, &["hr.csv", "line 3 is not valid UTF-8", "CSV UTF-8"]);
}

#[test]
fn hourly_pay_no_one_is_paid_is_a_warning_naming_the_rows() {
    let wd = Workdir::new();
    // Annual salary over weekly hours: about £700 an hour for everyone but two, whose hours
    // are far too many (hours of several years).
    let mut hr = String::from("employee_id,ethnicity,salary,weekly_hours\n");
    for i in 0..30 {
        let label = if i % 3 == 0 {
            "Indian"
        } else {
            "White British"
        };
        let hours = if i < 2 { 10_000.0 } else { 37.0 };
        hr.push_str(&format!("E{i},{label},{},{hours}\n", 24_000 + i * 500));
    }
    wd.write("hr.csv", &hr);
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = \"hr.csv\"\n[pay_gap]\npay_column = \"salary\"\nhours_column = \"weekly_hours\"\n",
            fixture("census2021-tidy.csv")
        ),
    );
    let run = wd.run(&["run", "run.toml"]);
    run.ok();
    let err = run.stderr();
    assert!(
        err.contains("28 full-pay relevant employee(s) have hourly pay above £300 from columns 'salary' ÷ 'weekly_hours' (rows 4, 5, 6, 7, 8, 9, 10, 11 and 20 more)"),
        "{err}"
    );
    assert!(err.contains("annual pay over weekly hours"), "{err}");
    assert!(
        err.contains("2 full-pay relevant employee(s) have hourly pay below £6.10")
            && err.contains("(rows 2, 3)"),
        "{err}"
    );
    // The rows are for the analyst only: no output names them.
    for file in wd
        .files()
        .iter()
        .filter(|f| f.starts_with("repgap-output/") && !f.ends_with(".png"))
    {
        assert!(!wd.read(file).contains("rows 4, 5"), "{file}");
    }
}

#[test]
fn snapshot_dates_in_excel_forms() {
    let wd = Workdir::new();
    wd.copy_fixture("workforce-small.csv");
    // Three snapshots written three ways an HR system or Excel writes 31 March: with a time,
    // as d-mmm-yy, and as Excel's serial day number (=DATE(2026,3,31) is 46112).
    let mut snapshots = String::from("employee_id,ethnicity,snapshot_date\n");
    for (date, n) in [("31/03/2024 00:00", 40), ("31-Mar-25", 45), ("46112", 50)] {
        for i in 0..n {
            let label = if i % 4 == 0 {
                "Indian"
            } else {
                "White British"
            };
            snapshots.push_str(&format!("P{i},{label},{date}\n"));
        }
    }
    wd.write("snapshots.csv", &snapshots);
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = \"workforce-small.csv\"\n[trends]\nfile = \"snapshots.csv\"\n",
            fixture("census2021-tidy.csv")
        ),
    );
    wd.run(&["run", "run.toml"]).ok();
    let mut dates: Vec<String> = parse_csv(&wd.read("repgap-output/trends.csv"))
        .iter()
        .map(|r| r["date"].clone())
        .collect();
    dates.dedup();
    assert_eq!(dates[..3], ["2024-03-31", "2025-03-31", "2026-03-31"]);
}

#[test]
fn a_windows_path_in_the_config_gets_a_fix_not_a_parser_message() {
    let wd = Workdir::new();
    wd.write(
        "run.toml",
        "[census]\nfile = \"C:\\Users\\me\\census.csv\"\nareas = [\"E07000092\"]\n",
    );
    wd.run(&["run", "run.toml"]).fails(
        2,
        &["run.toml", "line 2", "forward slashes", "single quotes"],
    );
}

#[test]
fn a_run_without_a_register_shows_the_evidence_alone() {
    let wd = Workdir::new();
    wd.copy_fixture("workforce-small.csv");
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = \"workforce-small.csv\"\n",
            fixture("census2021-tidy.csv")
        ),
    );
    wd.run(&["run", "run.toml"]).ok();
    let annex = wd.read("repgap-output/annex/annex.md");
    assert!(annex.contains("## Evidence\n"), "{annex}");
    assert!(annex.contains("No recommendations register was given"));
    assert!(!annex.contains("Module 1"), "no empty modules");
    assert!(!annex.contains("Every recommendation has evidence linked"));
    assert!(
        annex.contains("### Workforce representation: 5 high-level groups"),
        "the evidence itself"
    );
}

#[test]
fn labels_councils_forms_use_are_placed_where_the_census_places_them() {
    let wd = Workdir::new();
    let mut hr = String::from("id,ethnicity\n");
    for (i, label) in [
        "Black/African/Caribbean",
        "Gypsy/Roma/Traveller",
        "Somali",
        "Other (please specify)",
        "Kurdish",
    ]
    .iter()
    .enumerate()
    {
        hr.push_str(&format!("{i},{label}\n"));
    }
    wd.write("hr.csv", &hr);
    let run = wd.run(&["classify", "hr.csv", "--format", "csv"]);
    assert_eq!(run.code(), 1, "Kurdish is not known: exit 1 after the list");
    let rows = parse_csv(&run.stdout());
    let row = |label: &str| rows.iter().find(|r| r["label"] == label).unwrap().clone();
    assert_eq!(
        row("Black/African/Caribbean")["high_level_group"],
        "Black, Black British, Black Welsh, Caribbean or African"
    );
    assert_eq!(row("Gypsy/Roma/Traveller")["high_level_group"], "White");
    assert!(row("Gypsy/Roma/Traveller")["census_2021_category"].starts_with("White minorities"));
    assert_eq!(
        row("Somali")["census_2021_category"],
        "Black, Black British, Black Welsh, Caribbean or African: African"
    );
    assert_eq!(
        row("Other (please specify)")["high_level_group"],
        "Other ethnic group"
    );
    // No misleading suggestion for a label the classification has no category for.
    let kurdish = row("Kurdish");
    assert!(kurdish["status"].starts_with("UNMAPPED"), "{kurdish:?}");
    assert!(!kurdish["status"].contains("closest"), "{kurdish:?}");
}

#[test]
fn workbooks_are_read_sheet_by_name_or_the_first() {
    let wd = Workdir::new();
    // Written by openpyxl: a notes sheet first, then "Staff" with title rows, pay formatted
    // as £ and dates as dd/mm/yyyy.
    let first = by_department(
        &wd,
        "hr-openpyxl.xlsx",
        &["--ethnicity-column", "Ethnic Origin", "--by", "Department"],
    );
    first.fails(
        1,
        &[
            "hr-openpyxl.xlsx (sheet Notes; other sheets",
            "Staff",
            "no column named 'Ethnic Origin'",
        ],
    );
    let staff = by_department(
        &wd,
        "hr-openpyxl.xlsx",
        &[
            "--sheet",
            "staff",
            "--ethnicity-column",
            "Ethnic Origin",
            "--by",
            "Department",
        ],
    );
    let (departments, counts) = departments_and_counts(&staff.ok());
    assert_eq!(
        departments,
        [
            "Adults’ Social Care",
            "Café and Catering",
            "Hèusing",
            "Hôusing"
        ]
    );
    assert_eq!(counts, COUNTS);
    assert!(staff.stderr().contains("read sheet 'Staff'"));
    assert!(staff.stderr().contains("the column names are on row 4"));
    // An OpenDocument spreadsheet written by pandas with odfpy.
    let ods = by_department(&wd, "hr-odfpy.ods", &["--by", "department"]);
    let (departments, counts) = departments_and_counts(&ods.ok());
    assert_eq!(departments.len(), 4);
    assert_eq!(counts, COUNTS);
    // A sheet the workbook does not have names the ones it has.
    by_department(&wd, "hr-openpyxl.xlsx", &["--sheet", "Payroll"])
        .fails(1, &["no sheet called 'Payroll'", "Notes, Staff"]);
}

#[test]
fn a_workbook_in_a_run_with_its_sheet_in_the_config() {
    let wd = Workdir::new();
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = {:?}\nsheet = \"Staff\"\nethnicity_column = \"Ethnic Origin\"\n[representation]\nlevels = [\"high\"]\n[pay_gap]\nhourly_pay_column = \"Hourly Rate\"\n",
            fixture("census2021-tidy.csv"),
            fixture("real/hr-openpyxl.xlsx")
        ),
    );
    wd.run(&["run", "run.toml"]).ok();
    let rows = parse_csv(&wd.read("repgap-output/representation.csv"));
    let all: Vec<&str> = rows.iter().map(|r| r["workforce_n"].as_str()).collect();
    // Asian and White as in every copy of the file (with the pay tables, Black is withheld
    // to protect other counts).
    assert_eq!((all[0], all[3]), (COUNTS[0], COUNTS[3]));
    // Pay held as numbers formatted "£#,##0.00" is read as the numbers. By hand: the 60 White
    // British staff are rows i = 0..59 with rate 18 + (i mod 7) × 0.5; i mod 7 sums to
    // 8 × 21 + (0 + 1 + 2 + 3) = 174, so the mean is 18 + 0.5 × 174 / 60 = £19.45.
    let pay = parse_csv(&wd.read("repgap-output/pay-gap.csv"));
    let white_british = pay.iter().find(|r| r["group"] == "White British").unwrap();
    assert_eq!(white_british["mean_hourly"], "19.4500", "{pay:?}");
    // Provenance names the workbook and hashes the file itself.
    let annex = wd.read("repgap-output/annex/annex.md");
    assert!(
        annex.contains("| Workforce extract | hr-openpyxl.xlsx | 100 |"),
        "{annex}"
    );
}

#[test]
fn blank_lines_of_a_one_column_file_are_people_with_no_stated_ethnicity() {
    let wd = Workdir::new();
    // A published profile expanded to one row per person, as a spreadsheet saves one column:
    // 5 people with no stated ethnicity are 5 empty cells, so 5 blank lines (two inside, three
    // at the end).
    let mut text = String::from("ethnicity\r\n");
    for i in 0..95 {
        text.push_str(if i < 80 {
            "White British\r\n"
        } else {
            "Indian\r\n"
        });
        if i == 10 || i == 50 {
            text.push_str("\r\n");
        }
    }
    text.push_str("\r\n\r\n\r\n");
    wd.write("profile.csv", &text);
    let run = representation(
        &wd,
        &fixture("census2021-tidy.csv"),
        "E07000092",
        "profile.csv",
        &["--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    let all = &report["tables"][0];
    assert_eq!(all["headcount"], 100);
    assert_eq!(all["not_stated_n"], 5);
    assert_eq!(all["declared_n"], 95);
    assert!(run.stderr().contains("5 blank line(s) read as empty cells"));
}

/// A council's published workforce profile (counts per group, a row per group per year, in the
/// labels such profiles use) against Calderdale's Census 2021 population (the real Nomis
/// TS021 row).
#[test]
fn a_published_profile_of_counts_against_the_census() {
    let wd = Workdir::new();
    let census = fixture("real/census2021-ts021-calderdale.csv");
    let profile = fixture("real/profile-counts.csv");
    let run = representation(
        &wd,
        &census,
        "Calderdale",
        profile.to_str().unwrap(),
        &[
            "--ethnicity-column",
            "Ethnic Origin",
            "--count-column",
            "Headcount",
            "--by",
            "Year",
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    let table = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["breakdown"] == "Year=2024/25")
        .unwrap();
    // By hand from the file: 2,779 staff, 33 not stated, 2,746 placed; Asian 293.
    assert_eq!(table["headcount"], 2779);
    assert_eq!(table["not_stated_n"], 33);
    assert_eq!(table["declared_n"], 2746);
    let asian = &table["rows"][0];
    assert_eq!(asian["workforce_n"], 293);
    let share = asian["workforce_share"].as_f64().unwrap();
    assert!((share - 293.0 / 2746.0).abs() < 1e-12);
    // Calderdale's residents from TS021: 21,726 Asian of 206,631.
    let population = asian["population_share"].as_f64().unwrap();
    assert!((population - 21726.0 / 206631.0).abs() < 1e-12);
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("gives numbers of people (column 'Headcount')"),
        "{notes}"
    );
    assert!(run
        .stderr()
        .contains("column 'Headcount' gives counts: 5578 people in 16 rows"));

    // A count that is not a whole number of people is refused, naming the cell.
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replacen(",14\n", ",14.5\n", 1);
    wd.write("bad.csv", &text);
    representation(
        &wd,
        &census,
        "Calderdale",
        "bad.csv",
        &[
            "--ethnicity-column",
            "Ethnic Origin",
            "--count-column",
            "Headcount",
        ],
    )
    .fails(1, &["bad.csv, row 3, column 'Headcount'", "whole number"]);
}

#[test]
fn a_census_table_of_the_wrong_kind_is_named_with_what_to_use() {
    let wd = Workdir::new();
    // A detailed table is rolled up to the 19 categories; the first 60 of its 287 rows are
    // not a whole table.
    let detailed = fixture("real/census2021-ts022-detailed-extract.csv");
    wd.run(&["census", detailed.to_str().unwrap()]).fails(
        1,
        &[
            "Bolton (E08000001) has no count for",
            "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
            "check the export is complete",
        ],
    );
    // A table crossing ethnic group with a variable asked only of residents aged 16 and over
    // is read as those residents, summed over the variable; it cannot give all residents.
    let crossed = fixture("real/census2021-rm038-extract.csv");
    let out = wd
        .run(&["census", crossed.to_str().unwrap(), "--area", "E06000001"])
        .ok();
    assert!(
        out.contains("usual residents aged 16 and over, Hartlepool"),
        "{out}"
    );
    wd.run(&[
        "census",
        crossed.to_str().unwrap(),
        "--area",
        "E06000001",
        "--comparator",
        "all-residents",
    ])
    .fails(
        1,
        &[
            "counts residents aged 16 and over",
            "Gender identity (4 categories)",
            "aged-16-plus",
            "TS021",
        ],
    );
}

#[test]
fn init_starts_a_council_run_that_works_once_the_workforce_is_filled_in() {
    let wd = Workdir::new();
    let census = fixture("census2021-tidy.csv");
    let out = wd
        .run(&[
            "init",
            "--area",
            "E07000092",
            "--census",
            census.to_str().unwrap(),
            "--dir",
            "council",
        ])
        .ok();
    assert!(
        out.contains("Next: put one row per employee in workforce.csv"),
        "{out}"
    );
    for file in [
        "repgap.toml",
        "workforce.csv",
        "recommendations.csv",
        "survey.csv",
    ] {
        assert!(wd.path(&format!("council/{file}")).exists(), "{file}");
    }
    let config = wd.read("council/repgap.toml");
    assert!(config.contains("areas = [\"E07000092\"]"), "{config}");
    // Header only: the first run says what is missing.
    wd.run(&["run", "council/repgap.toml"])
        .fails(1, &["workforce.csv", "no data rows"]);
    // Filled in, it runs.
    let mut workforce = wd.read("council/workforce.csv");
    for i in 0..40 {
        let label = ["White British", "Indian", "African", "Polish"][i % 4];
        let grade = ["G1", "G2"][i % 2];
        workforce.push_str(&format!("E{i},{label},{grade},Housing,,,,,,\n"));
    }
    wd.write("council/workforce.csv", &workforce);
    wd.run(&["run", "council/repgap.toml"]).ok();
    // output_dir is taken from the current folder.
    assert!(wd.path("repgap-output/annex/index.html").exists());
    // Nothing is ever replaced, and an area the table does not hold is refused at once.
    wd.run(&["init", "--area", "E07000092", "--dir", "council"])
        .fails(2, &["council/repgap.toml", "never replaces a file"]);
    wd.run(&[
        "init",
        "--area",
        "Nowhere",
        "--census",
        census.to_str().unwrap(),
        "--dir",
        "elsewhere",
    ])
    .fails(1, &["no area matches 'Nowhere'"]);
    assert!(!wd.path("elsewhere").exists());
}

/// The same profile as published wide: a row per year, a column per group, a total.
#[test]
fn a_wide_published_profile_gives_the_same_figures_as_the_long_one() {
    let wd = Workdir::new();
    let census = fixture("real/census2021-ts021-calderdale.csv");
    let run = |file: &str, extra: &[&str]| {
        let workforce = fixture(&format!("real/{file}"));
        let mut args = vec!["--by", "Year", "--level", "high,white", "--format", "csv"];
        args.extend_from_slice(extra);
        representation(
            &wd,
            &census,
            "Calderdale",
            workforce.to_str().unwrap(),
            &args,
        )
    };
    let wide = run("profile-wide.csv", &["--wide"]);
    let long = run(
        "profile-counts.csv",
        &[
            "--ethnicity-column",
            "Ethnic Origin",
            "--count-column",
            "Headcount",
        ],
    );
    assert_eq!(wide.ok(), long.ok());
    assert!(wide
        .stderr()
        .contains("read as a wide profile: 8 ethnic-group columns"));
    // A total that is not the sum of the groups is refused: a column was missed or misread.
    let text = std::fs::read_to_string(fixture("real/profile-wide.csv"))
        .unwrap()
        .replace(",2779\n", ",2780\n");
    wd.write("wide.csv", &text);
    let workforce = wd.path("wide.csv");
    representation(
        &wd,
        &census,
        "Calderdale",
        workforce.to_str().unwrap(),
        &["--wide", "--by", "Year"],
    )
    .fails(1, &["wide.csv, row 3, column 'Total'", "add up to 2779"]);
    // A column that is neither a group nor used is named, not dropped with its people.
    wd.write("typo.csv", &wd.read("wide.csv").replace("Mixed,", "Mixd,"));
    representation(
        &wd,
        &census,
        "Calderdale",
        "typo.csv",
        &["--wide", "--by", "Year"],
    )
    .fails(
        1,
        &[
            "'Mixd'",
            "neither an ethnic group nor a column the run uses",
        ],
    );
}

#[test]
fn a_nomis_web_download_with_its_metadata_rows_and_footer() {
    let wd = Workdir::new();
    let web = fixture("real/census2021-ts021-nomis-web.csv");
    let run = wd.run(&["census", web.to_str().unwrap(), "--format", "csv"]);
    let rows = parse_csv(&run.ok());
    // The real TS021 figures for Rushmoor: 14,658 Asian of 99,759 residents in the 19
    // categories.
    let asian = rows
        .iter()
        .find(|r| r["level"] == "high" && r["group"].starts_with("Asian"))
        .unwrap();
    assert_eq!(asian["population_n"], "14658");
    let err = run.stderr();
    assert!(err.contains("the column names are on row 7"), "{err}");
    assert!(
        err.contains("the rows from row 10 on are notes below the table"),
        "{err}"
    );
}

#[test]
fn pounds_in_a_windows_1252_file_are_read_as_pay() {
    let wd = Workdir::new();
    // "£18.50" is 0xA3 then the digits in Windows-1252: read as a replacement character, it
    // was refused as not a number.
    wd.write(
        "run.toml",
        &format!(
            "[census]\nfile = {:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = {:?}\nethnicity_column = \"Ethnic Origin\"\n[representation]\nlevels = [\"high\"]\n[pay_gap]\nhourly_pay_column = \"Hourly Rate\"\n",
            fixture("census2021-tidy.csv"),
            fixture("real/hr-windows-1252.csv")
        ),
    );
    wd.run(&["run", "run.toml"]).ok();
    // By hand, as for the workbook: the White British mean of 18 + (i mod 7) × 0.5 over their
    // 60 rows is £19.45.
    let pay = parse_csv(&wd.read("repgap-output/pay-gap.csv"));
    let white_british = pay.iter().find(|r| r["group"] == "White British").unwrap();
    assert_eq!(white_british["mean_hourly"], "19.4500", "{pay:?}");
}
