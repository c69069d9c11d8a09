//! The workforce deep-dive through `repgap run`: pay gap, seniority, recruitment and trends, with
//! hand-worked figures and the bad-input errors.

use crate::workdir::{fixture, not_for_publication, parse_csv, Workdir};

/// 12 White British staff paid £10–£21 an hour (mean and median £15.50) and 10 Indian staff
/// paid £9–£18 (mean and median £13.50), two not stated, one not full-pay relevant.
/// Mean and median gap: (15.50 − 13.50) / 15.50 = 12.903226%.
fn workforce() -> String {
    let mut out = String::from("employee_id,ethnicity,grade,hourly_pay,fpr,pay,hours\n");
    let mut id = 0;
    let mut row = |label: &str, grade: &str, pay: f64, fpr: &str| {
        id += 1;
        out.push_str(&format!(
            "E{id},{label},{grade},{pay:.2},{fpr},{:.2},{}\n",
            pay * 150.0,
            150
        ));
    };
    for i in 0..12 {
        row(
            "White British",
            if i < 6 { "G1" } else { "G2" },
            10.0 + i as f64,
            "yes",
        );
    }
    for i in 0..10 {
        row(
            "Indian",
            if i < 7 { "G1" } else { "G2" },
            9.0 + i as f64,
            "y",
        );
    }
    row("Prefer not to say", "G2", 30.0, "yes");
    row("Not known", "G1", 12.0, "yes");
    row("White British", "G2", 99.0, "no");
    out
}

fn config(extra: &str) -> String {
    let census = fixture("census2021-tidy.csv");
    format!(
        "[census]\nfile = {census:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = \"hr.csv\"\nid_column = \"employee_id\"\n[representation]\nmin_cell = 5\n{extra}"
    )
}

const PAY: &str =
    "[pay_gap]\nhourly_pay_column = \"hourly_pay\"\nfull_pay_relevant_column = \"fpr\"\n";

#[test]
fn pay_gap_matches_the_hand_worked_figures() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    wd.write("run.toml", &config(PAY));
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let rows = parse_csv(&wd.read("out/pay-gap.csv"));
    let by_group = |g: &str| rows.iter().find(|r| r["group"] == g).unwrap();
    let wb = by_group("White British");
    // 12, withheld: with the 10 Asian staff and the 24 in the quarters it would give away the
    // two with no known ethnicity. Its pay figures stay (a group of at least 10).
    assert_eq!(wb["n"], "[c]");
    assert_eq!(wb["mean_hourly"], "15.5000");
    let asian = by_group("Asian, Asian British or Asian Welsh");
    assert_eq!(asian["n"], "10");
    assert_eq!(asian["mean_gap_pct"], "12.90");
    assert_eq!(asian["median_gap_pct"], "12.90");
    // 2 of 24 full-pay relevant employees have no known ethnicity: two people, so the share
    // (which with the published 24 would give them away) is withheld; with suppression off
    // (min_cell = 1) it is shown.
    assert_eq!(asian["unknown_ethnicity_share"], "");
    wd.write(
        "open.toml",
        &format!(
            "{}[disclosure]\npublish = false\n",
            config(PAY).replace("min_cell = 5", "min_cell = 1")
        ),
    );
    wd.run(&["run", "open.toml", "--output-dir", "open"]).ok();
    let open = parse_csv(not_for_publication(&wd.read("open/pay-gap.csv")));
    assert_eq!(open[0]["unknown_ethnicity_share"], "0.083333");
    let all = by_group("All other ethnic groups combined");
    assert_eq!(all["mean_gap_pct"], "12.90");
    // Quarters of 6: shares are fractions of 6 or suppressed.
    let quarters = parse_csv(&wd.read("out/pay-quarters.csv"));
    assert_eq!(quarters.len(), 4 * 7);
    assert!(quarters.iter().all(|q| q["quarter_size"] == "6"));

    // The same figures from pay and hours in the same period (pay = hourly × 150 hours).
    let by_hours = PAY.replace(
        "hourly_pay_column = \"hourly_pay\"",
        "pay_column = \"pay\"\nhours_column = \"hours\"",
    );
    wd.write("hours.toml", &config(&by_hours));
    wd.run(&["run", "hours.toml", "--output-dir", "out2"]).ok();
    assert_eq!(wd.read("out2/pay-gap.csv"), wd.read("out/pay-gap.csv"));
}

#[test]
fn bad_pay_names_the_cell_and_writes_nothing() {
    for (bad, needles) in [
        (
            "-12.00",
            vec!["row 3", "'hourly_pay'", "\"-12.00\"", "negative"],
        ),
        (
            "twelve",
            vec!["row 3", "'hourly_pay'", "\"twelve\"", "not a number"],
        ),
        // A decimal comma (as a European-locale spreadsheet writes it) is never 1,100.
        (
            "\"11,00\"",
            vec![
                "row 3",
                "'hourly_pay'",
                "\"11,00\"",
                "decimal comma",
                "decimal point",
            ],
        ),
        (
            "NaN",
            vec!["row 3", "\"NaN\"", "not a finite number (NaN or infinity)"],
        ),
        ("1e308", vec!["row 3", "\"1e308\"", "larger than a billion"]),
    ] {
        let wd = Workdir::new();
        let text = workforce().replacen("11.00,yes", &format!("{bad},yes"), 1);
        wd.write("hr.csv", &text);
        wd.write("run.toml", &config(PAY));
        let mut expected = vec!["hr.csv"];
        expected.extend(needles);
        wd.run(&["run", "run.toml"]).fails(1, &expected);
        assert!(!wd.path("repgap-output").exists());
    }
    let wd = Workdir::new();
    wd.write(
        "hr.csv",
        &workforce().replacen(",1650.00,150", ",1650.00,0", 1),
    );
    wd.write(
        "run.toml",
        &config("[pay_gap]\npay_column = \"pay\"\nhours_column = \"hours\"\n"),
    );
    wd.run(&["run", "run.toml"])
        .fails(1, &["hr.csv", "row 3", "'hours'", "hours of zero"]);
    // Both ways of giving pay at once is a config error.
    wd.write(
        "both.toml",
        &config("[pay_gap]\nhourly_pay_column = \"hourly_pay\"\npay_column = \"pay\"\n"),
    );
    wd.run(&["run", "both.toml"])
        .fails(2, &["both.toml", "either hourly_pay_column"]);
}

#[test]
fn seniority_ladder_in_the_configured_order() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    wd.write(
        "run.toml",
        &config("[seniority]\ncolumn = \"grade\"\norder = [\"G2\", \"G1\"]\n"),
    );
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let rows = parse_csv(&wd.read("out/seniority.csv"));
    let minority: Vec<_> = rows
        .iter()
        .filter(|r| r["group"] == "Ethnic minorities (excluding White minorities)")
        .collect();
    // G2 first as configured: Indian 3 of 10 placed (withheld), so G1 (7 of 13) is
    // withheld too: the total is published.
    assert_eq!(minority[0]["grade"], "G2");
    assert_eq!(minority[0]["n"], "10");
    assert_eq!(minority[0]["count"], "[c]");
    assert_eq!(minority[1]["count"], "[c]");
    assert_eq!(minority[1]["suppressed"], "[c]");
    wd.write(
        "short.toml",
        &config("[seniority]\ncolumn = \"grade\"\norder = [\"G1\"]\n"),
    );
    wd.run(&["run", "short.toml"])
        .fails(1, &["hr.csv", "'grade'", "\"G2\"", "configured order"]);
}

#[test]
fn recruitment_and_trends_from_their_own_files() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    let mut applicants = String::from("id,ethnicity,stage\n");
    for (label, stage, n) in [
        ("White British", "applied", 300),
        ("White British", "Shortlisted", 160),
        ("White British", "appointed", 40),
        ("Black Caribbean", "applied", 200),
        ("Black Caribbean", "shortlisted", 90),
        ("Black Caribbean", "appointed", 10),
    ] {
        for _ in 0..n {
            applicants.push_str(&format!("x,{label},{stage}\n"));
        }
    }
    wd.write("applicants.csv", &applicants);
    let mut snapshots = String::from("snapshot_date,ethnicity\n");
    for (date, label, n) in [
        ("31/03/2021", "White British", 32),
        ("31/03/2021", "Indian", 48),
        ("31 March 2022", "White British", 14),
        ("31 March 2022", "Indian", 56),
    ] {
        for _ in 0..n {
            snapshots.push_str(&format!("{date},{label}\n"));
        }
    }
    wd.write("snapshots.csv", &snapshots);
    let extra = "[recruitment]\nfile = \"applicants.csv\"\n[trends]\nfile = \"snapshots.csv\"\n";
    wd.write("run.toml", &config(extra));
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    // (40/200) / (10/100) = 2.0, 95% Katz CI 1.0440–3.8313 (domain worked example).
    let rec = parse_csv(&wd.read("out/recruitment.csv"));
    let appointed = &rec[6];
    assert_eq!(appointed["outcome"], "appointed from shortlisting");
    assert_eq!(appointed["relative_likelihood"], "2.0000");
    assert_eq!(
        (appointed["ci_low"].as_str(), appointed["ci_high"].as_str()),
        ("1.0440", "3.8313")
    );
    assert!(appointed["direction"].contains("White applicants are more likely"));
    // Minority 48/80 → 56/70: +20.0 pp, Newcombe 95% CI 5.24 to 33.39 (statsmodels).
    let trend = parse_csv(&wd.read("out/trends.csv"));
    let change = trend
        .iter()
        .find(|r| {
            r["group"] == "Ethnic minorities (excluding White minorities)"
                && r["date"] == "2022-03-31"
        })
        .unwrap();
    assert_eq!(change["change_pp"], "20.00");
    assert_eq!(
        (
            change["change_ci_low_pp"].as_str(),
            change["change_ci_high_pp"].as_str()
        ),
        ("5.24", "33.39")
    );
    assert!(wd
        .read("out/annex/annex.md")
        .contains("recruitment.appointment"));

    wd.write(
        "applicants.csv",
        &applicants.replacen("applied", "interviewed", 2),
    );
    wd.run(&["run", "run.toml"]).fails(
        1,
        &[
            "applicants.csv",
            "row 2",
            "'stage'",
            "\"interviewed\" (2 row(s)",
            "applied, shortlisted, appointed",
        ],
    );
    wd.write("applicants.csv", &applicants);
    wd.write(
        "snapshots.csv",
        &snapshots.replacen("31/03/2021", "2021-31-03", 1),
    );
    wd.run(&["run", "run.toml"]).fails(
        1,
        &[
            "snapshots.csv",
            "row 2",
            "'snapshot_date'",
            "\"2021-31-03\"",
            "not a date",
        ],
    );
}

#[test]
fn a_misspelt_pay_column_is_named_with_the_columns_there_are() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    wd.write(
        "run.toml",
        &config("[pay_gap]\nhourly_pay_column = \"hourly_rate\"\n"),
    );
    wd.run(&["run", "run.toml"]).fails(
        1,
        &[
            "hr.csv",
            "no column named 'hourly_rate'",
            "hourly_pay",
            "[pay_gap] columns",
        ],
    );
}

/// A threshold below 3 shows counts of 1 and 2 people: refused for a run to publish, allowed
/// for checking figures, and then every output says so on its first line.
#[test]
fn a_threshold_below_three_is_only_for_runs_not_for_publication() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    let low = config(PAY).replace("min_cell = 5", "min_cell = 2");
    wd.write("low.toml", &low);
    wd.run(&["run", "low.toml", "--output-dir", "out"]).fails(
        2,
        &[
            "low.toml",
            "min_cell = 2",
            "counts of 1 or 2 people identify them",
            "[disclosure] publish = false",
        ],
    );
    assert!(!wd.path("out").exists());
    wd.write(
        "check.toml",
        &format!("{low}[disclosure]\npublish = false\n"),
    );
    wd.run(&["run", "check.toml", "--output-dir", "out"]).ok();
    let mut checked = 0;
    for name in wd.files() {
        let Some(extension) = name.rsplit('.').next() else {
            continue;
        };
        if !name.starts_with("out/") {
            continue;
        }
        if !["csv", "json", "md", "html", "svg", "xlsx", "docx"].contains(&extension) {
            continue;
        }
        let text = wd.read(&name);
        assert!(
            text.lines().next().unwrap().contains("NOT FOR PUBLICATION"),
            "{name}"
        );
        if extension == "xlsx" {
            // Every table sheet's title too (and the contents, which repeat them).
            let titles: Vec<&str> = text.lines().filter(|l| l.contains(".csv)")).collect();
            for title in &titles {
                assert!(title.contains("NOT FOR PUBLICATION"), "{title}");
            }
            let sheets = titles
                .iter()
                .filter(|l| l.starts_with("NOT FOR PUBLICATION"))
                .count();
            assert!(sheets >= 3, "{sheets} sheets");
        }
        if extension == "json" {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(value["notice"].is_string(), "{name}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} files checked");
    // The command-line tables say it too.
    wd.run(&[
        "representation",
        "--census",
        fixture("census2021-tidy.csv").to_str().unwrap(),
        "--area",
        "E07000092",
        "--workforce",
        "hr.csv",
        "--min-cell",
        "1",
    ])
    .fails(2, &["--min-cell 1", "--not-for-publication"]);
}

/// The reasons stay out of the outputs (every withheld figure is `[c]`); an analyst who asks
/// gets them in a private log, which may not sit among the outputs.
#[test]
fn the_reasons_for_withholding_go_to_a_private_log_only_when_asked() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    let seniority = "[seniority]\ncolumn = \"grade\"\norder = [\"G2\", \"G1\"]\n";
    wd.write(
        "run.toml",
        &config(&format!(
            "{seniority}[disclosure]\nlog = \"private/withheld.csv\"\n"
        )),
    );
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let log = parse_csv(&wd.read("private/withheld.csv"));
    assert!(log.iter().any(|r| r["file"] == "hr.csv"
        && r["count of"].contains("grade = G2")
        && r["count of"].contains("Asian, Asian British or Asian Welsh: Indian")
        && r["reason"].starts_with("small")));
    assert!(log.iter().any(|r| r["reason"].starts_with("secondary")));
    for name in wd
        .files()
        .iter()
        .filter(|f| f.starts_with("out/") && !f.ends_with(".png"))
    {
        let text = wd.read(name);
        assert!(
            !text.contains("primary") && !text.contains("secondary"),
            "{name} says why a figure was withheld"
        );
    }
    wd.write(
        "inside.toml",
        &config(&format!(
            "{seniority}[disclosure]\nlog = \"out/withheld.csv\"\n"
        )),
    );
    wd.run(&["run", "inside.toml", "--output-dir", "out"])
        .fails(2, &["inside.toml", "inside the output folder"]);
}
