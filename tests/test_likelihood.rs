use crate::workdir::{not_for_publication, parse_csv, Workdir};

/// 200 White staff (50 of them White minorities) of whom 40 had the outcome, and 100 ethnic
/// minority staff of whom 10 did: White ÷ minority = (40/200)/(10/100) = 2.0, 95% Katz CI
/// 1.04404–3.83126 (domain reference; scipy.stats.contingency.relative_risk agrees).
fn workforce() -> String {
    let mut out = String::from("id,ethnicity,appointed\n");
    for i in 0..200 {
        let label = if i % 4 == 0 {
            "White Irish"
        } else {
            "White British"
        };
        out.push_str(&format!(
            "W{i},{label},{}\n",
            if i < 40 { "yes" } else { "no" }
        ));
    }
    for i in 0..100 {
        out.push_str(&format!(
            "M{i},Black African,{}\n",
            if i < 10 { "Y" } else { "" }
        ));
    }
    out.push_str("N1,Prefer not to say,yes\n");
    out
}

#[test]
fn relative_likelihood_matches_the_worked_example() {
    let wd = Workdir::new();
    wd.write("hr.csv", &workforce());
    let out = wd
        .run(&[
            "likelihood",
            "--workforce",
            "hr.csv",
            "--outcome",
            "appointed",
            "--direction",
            "white-over-minority",
            "--format",
            "csv",
        ])
        .ok();
    let rows = parse_csv(&out);
    // The White / ethnic minority ratio, then each group against White British.
    assert_eq!(rows.len(), 6);
    let r = &rows[0];
    assert_eq!(
        r["comparison"],
        "White and ethnic minorities (excluding White minorities)"
    );
    // White British 30/150 against Black 10/100: 2.0 again (scipy relative_risk:
    // 95% CI 1.0240–3.9063).
    let black = &rows[3];
    assert_eq!(
        black["comparison"],
        "White British and Black, Black British, Black Welsh, Caribbean or African"
    );
    assert!(black["direction"].starts_with("White British ÷ Black"));
    assert_eq!(black["white_n"], "150");
    assert_eq!(black["relative_likelihood"], "2.0000");
    assert_eq!(
        (black["ci_low"].as_str(), black["ci_high"].as_str()),
        ("1.0240", "3.9063")
    );
    assert_eq!(
        (r["white_n"].as_str(), r["white_events"].as_str()),
        ("200", "40")
    );
    assert_eq!(
        (r["minority_n"].as_str(), r["minority_events"].as_str()),
        ("100", "10")
    );
    // One member of staff did not state an ethnicity: a count of one person is withheld, and
    // shown only with suppression off.
    assert_eq!(r["not_placed_n"], "[c]");
    let open = wd
        .run(&[
            "likelihood",
            "--workforce",
            "hr.csv",
            "--outcome",
            "appointed",
            "--format",
            "csv",
            "--min-cell",
            "1",
            "--not-for-publication",
        ])
        .ok();
    assert_eq!(
        parse_csv(not_for_publication(&open))[0]["not_placed_n"],
        "1"
    );
    assert_eq!(r["relative_likelihood"], "2.0000");
    assert_eq!(r["ci_low"], "1.0440");
    assert_eq!(r["ci_high"], "3.8313");
    assert_eq!(r["four_fifths_flag"], "yes");
    assert_eq!(r["non_adverse_0_80_1_25"], "no");
    assert!(r["direction"]
        .contains("above 1 means White staff are more likely to have the outcome 'appointed'"));
    let flipped = parse_csv(
        &wd.run(&[
            "likelihood",
            "--workforce",
            "hr.csv",
            "--outcome",
            "appointed",
            "--format",
            "csv",
        ])
        .ok(),
    );
    assert_eq!(flipped[0]["relative_likelihood"], "0.5000");
}

#[test]
fn bad_flag_values_name_the_cell() {
    let wd = Workdir::new();
    wd.write(
        "hr.csv",
        "id,ethnicity,appointed\n1,Indian,yes\n2,Arab,perhaps\n",
    );
    wd.run(&[
        "likelihood",
        "--workforce",
        "hr.csv",
        "--outcome",
        "appointed",
    ])
    .fails(
        1,
        &["hr.csv, row 3, column 'appointed'", "\"perhaps\"", "yes/no"],
    );
    wd.run(&["likelihood", "--workforce", "hr.csv", "--outcome", "hired"])
        .fails(1, &["no column named 'hired'"]);
}
