use std::collections::HashMap;

use crate::workdir::{fixture, not_for_publication, parse_csv, project, Workdir};

fn representation(wd: &Workdir, extra: &[&str]) -> crate::workdir::Run {
    let census = fixture("census2021-tidy.csv");
    let workforce = fixture("workforce-small.csv");
    let mut args = vec![
        "representation",
        "--census",
        census.to_str().unwrap(),
        "--workforce",
        workforce.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

fn oracle_rows() -> Vec<HashMap<String, String>> {
    parse_csv(
        &std::fs::read_to_string(project("tests/oracle/representation_expected.csv")).unwrap(),
    )
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-12)
}

/// Every figure of the high-level table agrees with scipy/statsmodels
/// (tests/oracle/representation_oracle.py), for one area and for two areas summed.
#[test]
fn json_figures_match_the_scipy_oracle() {
    let expected_summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project("tests/oracle/representation_expected.json")).unwrap(),
    )
    .unwrap();
    for (comparator, areas) in [
        ("E07000092", vec!["E07000092"]),
        ("E07000092+E07000089", vec!["E07000092", "E07000089"]),
    ] {
        let wd = Workdir::new();
        let mut args = vec![
            "--min-cell",
            "0",
            "--not-for-publication",
            "--format",
            "json",
        ];
        for a in &areas {
            args.extend(["--area", a]);
        }
        let out = representation(&wd, &args).ok();
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(json["notice"]
            .as_str()
            .unwrap()
            .starts_with("NOT FOR PUBLICATION"));
        let table = &json["tables"][0];
        assert_eq!(table["breakdown"], "all");
        assert_eq!(table["headcount"], expected_summary["headcount"]);
        assert_eq!(table["not_stated_n"], expected_summary["not_stated_n"]);
        assert_eq!(table["declared_n"], expected_summary["declared_n"]);
        assert!(close(
            table["declaration_rate"].as_f64().unwrap(),
            expected_summary["declaration_rate"].as_f64().unwrap(),
            1e-12
        ));
        let chi = &expected_summary["chi_square"][comparator];
        assert!(close(
            table["chi_square"]["statistic"].as_f64().unwrap(),
            chi["statistic"].as_f64().unwrap(),
            1e-9
        ));
        assert!(close(
            table["chi_square"]["p_value"].as_f64().unwrap(),
            chi["p_value"].as_f64().unwrap(),
            1e-6
        ));
        assert_eq!(table["chi_square"]["df"], chi["df"]);
        let expected: Vec<_> = oracle_rows()
            .into_iter()
            .filter(|r| r["comparator"] == comparator)
            .collect();
        let rows = table["rows"].as_array().unwrap();
        assert_eq!(rows.len(), expected.len());
        for (row, want) in rows.iter().zip(&expected) {
            assert_eq!(row["group"].as_str().unwrap(), want["group"]);
            assert_eq!(
                row["workforce_n"].as_u64().unwrap().to_string(),
                want["workforce_n"]
            );
            assert_eq!(
                row["population_n"].as_u64().unwrap().to_string(),
                want["population_n"]
            );
            assert_eq!(
                row["assessment"].as_str().unwrap(),
                want["assessment"],
                "{}",
                want["group"]
            );
            for field in [
                "workforce_share",
                "workforce_ci_low",
                "workforce_ci_high",
                "population_share",
                "gap_pp",
                "ratio",
                "ratio_ci_low",
                "ratio_ci_high",
                "p_value",
            ] {
                let got = row[field].as_f64().unwrap();
                let want: f64 = want[field].parse().unwrap();
                assert!(
                    close(got, want, 1e-9),
                    "{comparator} {} {field}: {got} vs {want}",
                    row["group"]
                );
            }
        }
    }
}

/// With suppression on (the default), the chi-square test pools the suppressed groups (Mixed, 2
/// staff; Other, 1) into one category; scipy computes the same pooled test.
#[test]
fn pooled_chi_square_matches_the_scipy_oracle() {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project("tests/oracle/representation_expected.json")).unwrap(),
    )
    .unwrap();
    for (comparator, areas) in [
        ("E07000092 pooled", vec!["E07000092"]),
        ("E07000092+E07000089 pooled", vec!["E07000092", "E07000089"]),
    ] {
        let wd = Workdir::new();
        let mut args = vec!["--format", "json"];
        for a in &areas {
            args.extend(["--area", a]);
        }
        let json: serde_json::Value =
            serde_json::from_str(&representation(&wd, &args).ok()).unwrap();
        let got = &json["tables"][0]["chi_square"];
        let want = &expected["chi_square"][comparator];
        assert!(
            close(
                got["statistic"].as_f64().unwrap(),
                want["statistic"].as_f64().unwrap(),
                1e-9
            ),
            "{comparator}"
        );
        assert!(
            close(
                got["p_value"].as_f64().unwrap(),
                want["p_value"].as_f64().unwrap(),
                1e-6
            ),
            "{comparator}"
        );
        assert_eq!(got["df"], want["df"]);
    }
}

#[test]
fn csv_has_exactly_the_documented_columns_and_rounded_figures() {
    let wd = Workdir::new();
    let out = representation(
        &wd,
        &[
            "--area",
            "E07000092",
            "--min-cell",
            "0",
            "--not-for-publication",
            "--format",
            "csv",
        ],
    )
    .ok();
    let out = not_for_publication(&out);
    let header = out.lines().next().unwrap();
    assert_eq!(
        header,
        "breakdown,level,group,workforce_n,workforce_share,workforce_ci_low,workforce_ci_high,population_n,population_share,gap_pp,ratio,ratio_ci_low,ratio_ci_high,p_value,assessment,suppressed"
    );
    let rows = parse_csv(out);
    let expected: Vec<_> = oracle_rows()
        .into_iter()
        .filter(|r| r["comparator"] == "E07000092")
        .collect();
    for (row, want) in rows.iter().zip(&expected) {
        for (field, tolerance) in [
            ("workforce_share", 5e-7),
            ("workforce_ci_low", 5e-7),
            ("gap_pp", 5e-5),
            ("ratio", 5e-5),
        ] {
            let got: f64 = row[field].parse().unwrap();
            let want: f64 = want[field].parse().unwrap();
            assert!((got - want).abs() <= tolerance, "{field}: {got} vs {want}");
        }
        assert_eq!(row["breakdown"], "all");
        assert_eq!(row["level"], "high");
        assert_eq!(row["suppressed"], "");
    }
}

/// Mixed (2 staff) and Other (1) are below the default threshold of 5: their figures are
/// withheld, marked `[c]` and never zero. Together they hold 3, which the declared total less the
/// shown groups would give away, bounding each below 5: Black (5, the smallest other group) is
/// withheld with them.
#[test]
fn small_counts_are_suppressed_by_default_with_everything_derived_from_them() {
    let wd = Workdir::new();
    let rows = parse_csv(&representation(&wd, &["--area", "E07000092", "--format", "csv"]).ok());
    for row in &rows {
        let withheld = row["group"] == "Mixed or Multiple ethnic groups"
            || row["group"] == "Other ethnic group"
            || row["group"].starts_with("Black");
        if withheld {
            for field in [
                "workforce_n",
                "workforce_share",
                "workforce_ci_low",
                "workforce_ci_high",
                "gap_pp",
                "ratio",
                "ratio_ci_low",
                "ratio_ci_high",
                "p_value",
                "assessment",
                "suppressed",
            ] {
                assert_eq!(row[field], "[c]", "{} {field}", row["group"]);
            }
            assert!(
                !row["population_n"].is_empty(),
                "public Census figures stay"
            );
        } else {
            assert_eq!(row["suppressed"], "", "{}", row["group"]);
        }
    }
    let table = representation(&wd, &["--area", "E07000092"]).ok();
    assert!(table.contains("[c]"));
}

#[test]
fn binary_levels_are_labelled_precisely() {
    let wd = Workdir::new();
    let rows = parse_csv(
        &representation(
            &wd,
            &[
                "--area",
                "E07000092",
                "--level",
                "white-british,white",
                "--format",
                "csv",
            ],
        )
        .ok(),
    );
    let groups: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["level"].as_str(), r["group"].as_str()))
        .collect();
    assert_eq!(
        groups,
        [
            ("white-british", "White British"),
            ("white-british", "All other ethnic groups combined"),
            ("white", "White"),
            ("white", "Ethnic minorities (excluding White minorities)"),
        ]
    );
    // 40 White British of 62 declared; 46 White.
    assert_eq!(rows[0]["workforce_n"], "40");
    assert_eq!(rows[2]["workforce_n"], "46");
    assert_eq!(rows[3]["workforce_n"], "16");
}

#[test]
fn by_grade_rows_name_their_breakdown() {
    let wd = Workdir::new();
    let rows = parse_csv(
        &representation(
            &wd,
            &["--area", "E07000092", "--by", "grade", "--format", "csv"],
        )
        .ok(),
    );
    let breakdowns: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["breakdown"].as_str()).collect();
    assert_eq!(
        breakdowns.into_iter().collect::<Vec<_>>(),
        ["all", "grade=Grade A", "grade=Grade B"]
    );
}

#[test]
fn configured_order_of_grades_is_followed_and_must_be_complete() {
    let wd = Workdir::new();
    let rows = parse_csv(
        &representation(
            &wd,
            &[
                "--area",
                "E07000092",
                "--by",
                "grade",
                "--order",
                "grade=Grade B,Grade A",
                "--format",
                "csv",
            ],
        )
        .ok(),
    );
    let order: Vec<&str> = rows
        .iter()
        .map(|r| r["breakdown"].as_str())
        .collect::<Vec<_>>();
    let first_b = order.iter().position(|b| *b == "grade=Grade B").unwrap();
    let first_a = order.iter().position(|b| *b == "grade=Grade A").unwrap();
    assert!(first_b < first_a, "{order:?}");
    // Row 2 of the fixture is the first employee in Grade A.
    representation(
        &wd,
        &[
            "--area",
            "E07000092",
            "--by",
            "grade",
            "--order",
            "grade=Grade B",
            "--format",
            "csv",
        ],
    )
    .fails(
        1,
        &[
            "workforce-small.csv, row 2, column 'grade'",
            "\"Grade A\"",
            "not in the configured order",
            "the order has: Grade B",
        ],
    );
    representation(&wd, &["--area", "E07000092", "--order", "grade=Grade B"])
        .fails(2, &["not a --by column"]);
}

#[test]
fn output_file_is_written_and_inputs_are_never_overwritten() {
    let wd = Workdir::new();
    let workforce = wd.copy_fixture("workforce-small.csv");
    let census = wd.copy_fixture("census2021-tidy.csv");
    let before = std::fs::read(&workforce).unwrap();
    let base = [
        "representation",
        "--census",
        "census2021-tidy.csv",
        "--area",
        "E07000092",
        "--workforce",
        "workforce-small.csv",
    ];
    let mut args = base.to_vec();
    args.extend(["--output", "workforce-small.csv", "--format", "csv"]);
    wd.run(&args).fails(
        2,
        &["refusing to write workforce-small.csv", "one of the inputs"],
    );
    assert_eq!(std::fs::read(&workforce).unwrap(), before);
    let mut args = base.to_vec();
    args.extend(["--output", "out/rep.csv", "--format", "csv"]);
    wd.run(&args).ok();
    assert!(wd.read("out/rep.csv").starts_with("breakdown,level,group"));
    assert!(census.exists());
}

fn workforce_case(wd: &Workdir, name: &str, contents: &str, extra: &[&str]) -> crate::workdir::Run {
    wd.write(name, contents);
    let census = fixture("census2021-tidy.csv");
    let mut args = vec![
        "representation",
        "--census",
        census.to_str().unwrap(),
        "--area",
        "E07000092",
        "--workforce",
        name,
        "--output",
        "result.csv",
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

#[test]
fn bad_workforce_files_fail_with_file_row_column_and_fix_and_write_nothing() {
    let wd = Workdir::new();
    workforce_case(
        &wd,
        "nocol.csv",
        "id,ethnic_origin,grade\n1,Indian,A\n",
        &[],
    )
    .fails(
        1,
        &[
            "nocol.csv: no column named 'ethnicity'",
            "did you mean 'ethnic_origin'",
            "columns in the file: id, ethnic_origin, grade",
            "--ethnicity-column",
        ],
    );
    workforce_case(
        &wd,
        "unmapped.csv",
        "id,ethnicity\n1,Indian\n2,Martian\n3,Martian\n4,Pakistanni\n",
        &[],
    )
    .fails(
        1,
        &[
            "unmapped.csv: 2 ethnicity label(s) are not recognised",
            "\"Martian\" in column 'ethnicity': 2 row(s), first at row 3",
            "\"Pakistanni\"",
            "closest known label: 'Pakistani",
            "--mapping",
        ],
    );
    workforce_case(
        &wd,
        "dups.csv",
        "id,ethnicity\nA1,Indian\n,Arab\nA1,Arab\n",
        &["--id-column", "id"],
    )
    .fails(
        1,
        &[
            "dups.csv",
            "column 'id'",
            "row 3: the id is empty",
            "row 4: id \"A1\" was already used on row 2",
        ],
    );
    workforce_case(&wd, "empty.csv", "", &[]).fails(1, &["empty.csv: the file is empty"]);
    workforce_case(&wd, "header.csv", "id,ethnicity\n", &[])
        .fails(1, &["header.csv: the file has a header but no data rows"]);
    // A delimiter given that the file does not use (semicolons are otherwise detected).
    workforce_case(
        &wd,
        "semi.csv",
        "id;ethnicity\n1;Indian\n",
        &["--delimiter", ","],
    )
    .fails(1, &["semi.csv", "semicolons", "--delimiter ';'"]);
    workforce_case(&wd, "ragged.csv", "id,ethnicity\n1,Indian\n2\n", &[]).fails(
        1,
        &[
            "ragged.csv: malformed CSV at row 3",
            "1 fields but the header has 2",
        ],
    );
    workforce_case(
        &wd,
        "ok.csv",
        "id,ethnicity\n1,Indian\n",
        &["--by", "grade"],
    )
    .fails(1, &["no column named 'grade'"]);
    workforce_case(
        &wd,
        "nofile.csv",
        "id,ethnicity\n1,Indian\n",
        &["--mapping", "absent.csv"],
    )
    .fails(1, &["cannot read absent.csv"]);
    assert!(
        !wd.path("result.csv").exists(),
        "nothing is written on failure"
    );
}

#[test]
fn usage_errors_exit_2() {
    let wd = Workdir::new();
    workforce_case(
        &wd,
        "ok.csv",
        "id,ethnicity\n1,Indian\n",
        &["--level", "fine"],
    )
    .fails(2, &["unknown level \"fine\"", "detailed, high"]);
    workforce_case(
        &wd,
        "ok.csv",
        "id,ethnicity\n1,Indian\n",
        &["--confidence", "95"],
    )
    .fails(2, &["--confidence 95", "0.95"]);
    wd.run(&["representation", "--census"]).fails(2, &[]);
    wd.run(&["frobnicate"]).fails(2, &["frobnicate"]);
    assert!(!wd.path("result.csv").exists());
}

#[test]
fn mapping_file_extends_the_built_in_labels() {
    let wd = Workdir::new();
    wd.write(
        "map.csv",
        "raw_label,group\nMartian,Any other ethnic group\nDeclined to answer,Not stated\n",
    );
    wd.write(
        "hr.csv",
        "id,ethnicity\n1,Martian\n2,Declined to answer\n3,Indian\n",
    );
    let census = fixture("census2021-tidy.csv");
    let out = wd
        .run(&[
            "representation",
            "--census",
            census.to_str().unwrap(),
            "--area",
            "E07000092",
            "--workforce",
            "hr.csv",
            "--mapping",
            "map.csv",
            "--min-cell",
            "0",
            "--not-for-publication",
            "--format",
            "json",
        ])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["tables"][0]["not_stated_n"], 1);
    assert_eq!(
        json["tables"][0]["rows"][4]["workforce_n"], 1,
        "Other ethnic group"
    );
    wd.write("badmap.csv", "raw_label,group\nMartian,Martians\n");
    wd.run(&["classify", "hr.csv", "--mapping", "badmap.csv"])
        .fails(
            1,
            &[
                "badmap.csv, row 2, column 'group'",
                "\"Martians\"",
                "not a group repgap knows",
            ],
        );
}

#[test]
fn help_has_examples() {
    let wd = Workdir::new();
    for cmd in ["census", "classify", "likelihood", "representation", "run"] {
        let out = wd.run(&[cmd, "--help"]).ok();
        assert!(out.contains("Examples:"), "{cmd} --help");
        assert!(out.contains("repgap "), "{cmd} --help");
    }
}

/// Census 2011 has no Roma category (Roma were counted in Other White): against a 2011
/// comparator, Roma staff are compared within Other White, and the output says so.
#[test]
fn roma_staff_are_compared_within_other_white_against_census_2011() {
    let wd = Workdir::new();
    let mut hr = String::from("id,ethnicity\n");
    for (label, n) in [
        ("White Roma", 6),
        ("Other White", 4),
        ("White British", 20),
        ("Indian", 6),
    ] {
        for i in 0..n {
            hr.push_str(&format!("{label}{i},{label}\n"));
        }
    }
    wd.write("hr.csv", &hr);
    let census = fixture("census2011-qs201ew-nomis.csv");
    let run = wd.run(&[
        "representation",
        "--census",
        census.to_str().unwrap(),
        "--area",
        "E07000092",
        "--workforce",
        "hr.csv",
        "--level",
        "detailed",
        "--min-cell",
        "0",
        "--not-for-publication",
        "--format",
        "csv",
    ]);
    let rows = parse_csv(not_for_publication(&run.ok()));
    assert_eq!(rows.len(), 18, "18 categories in 2011");
    assert!(rows.iter().all(|r| r["group"] != "White: Roma"));
    let other_white = rows
        .iter()
        .find(|r| r["group"] == "White: Other White")
        .unwrap();
    assert_eq!(other_white["workforce_n"], "10");
    // Rushmoor 2011: Other White 3,136 of 93,807 usual residents.
    assert_eq!(other_white["population_n"], "3136");
    assert!(run
        .stderr()
        .contains("Roma staff are compared within Other White"));
}

/// A breakdown by something nearly unique to a person would publish each person's group as
/// the lone count of their row: refused, saying why, before anything is written.
#[test]
fn a_breakdown_by_an_identifier_is_refused() {
    let wd = Workdir::new();
    let area = ["--area", "E07000092"];
    let run = representation(&wd, &[&area[..], &["--by", "employee_id"]].concat());
    assert_ne!(run.code(), 0);
    let err = run.stderr();
    assert!(
        err.contains("'employee_id'") && err.contains("67 different values for 67 people"),
        "{err}"
    );
    assert!(err.contains("grade or department"), "{err}");
    assert!(run.stdout().is_empty());
    // With every threshold off (min_cell 0: the oracle comparisons) it is not refused.
    representation(
        &wd,
        &[
            &area[..],
            &[
                "--by",
                "employee_id",
                "--min-cell",
                "0",
                "--not-for-publication",
            ],
        ]
        .concat(),
    )
    .ok();
}
