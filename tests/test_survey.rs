//! `repgap survey`: golden values from R's survey package (tests/oracle/survey_oracle.R) and
//! the errors a council officer can fix.

use std::collections::HashMap;

use crate::workdir::{fixture, parse_csv, project, Workdir};

const TOLERANCE: f64 = 1e-6;

struct Golden {
    rows: Vec<HashMap<String, String>>,
}

impl Golden {
    fn load() -> Golden {
        let text = std::fs::read_to_string(project("tests/oracle/survey_expected.csv")).unwrap();
        Golden {
            rows: parse_csv(&text),
        }
    }

    fn get(&self, quantity: &str, group: &str, question: &str) -> f64 {
        self.rows
            .iter()
            .find(|r| r["quantity"] == quantity && r["group"] == group && r["question"] == question)
            .unwrap_or_else(|| panic!("no golden {quantity} {group} {question}"))["value"]
            .parse()
            .unwrap()
    }

    fn all(&self, quantity: &str) -> Vec<&HashMap<String, String>> {
        self.rows
            .iter()
            .filter(|r| r["quantity"] == quantity)
            .collect()
    }
}

/// Relative difference, recorded so the largest can be reported.
fn check(max_rel: &mut f64, what: &str, got: f64, want: f64) {
    let rel = (got - want).abs() / want.abs().max(1e-300);
    *max_rel = max_rel.max(rel);
    assert!(
        rel <= TOLERANCE,
        "{what}: repgap {got:.15} vs R {want:.15} (relative difference {rel:.2e})"
    );
}

/// Each respondent's raked weight against R's, golden quantity `quantity`, in file order.
fn check_weights(max_rel: &mut f64, golden: &Golden, quantity: &str, weights: &[f64]) {
    let want = golden.all(quantity);
    assert_eq!(want.len(), weights.len());
    for (row, w) in want.iter().zip(weights) {
        check(
            max_rel,
            &format!("weight of {}", row["group"]),
            *w,
            row["value"].parse().unwrap(),
        );
    }
}

#[test]
fn raked_weights_match_r_rake() {
    let golden = Golden::load();
    let (config, base) =
        repgap::survey::SurveyConfig::load(&fixture("survey/survey.toml")).unwrap();
    let ws = repgap::survey::weight(&config, &base, None).unwrap();
    let mut max_rel = 0.0f64;
    check_weights(&mut max_rel, &golden, "weight", &ws.outcome.weights);
    // A threshold of 0 withholds no count: every figure is compared with R.
    let report = repgap::survey::report(&config, &ws, 0);
    let all = "All respondents";
    check(
        &mut max_rel,
        "deff",
        report.weighting.deff,
        golden.get("deff", all, ""),
    );
    check(
        &mut max_rel,
        "ess",
        report.weighting.effective_sample_size,
        golden.get("ess", all, ""),
    );
    check(
        &mut max_rel,
        "weight_min",
        report.weighting.weight_min,
        golden.get("weight_min", all, ""),
    );
    check(
        &mut max_rel,
        "weight_max",
        report.weighting.weight_max,
        golden.get("weight_max", all, ""),
    );
    for row in &report.profile {
        if row.variable == "ward" {
            continue;
        }
        let key = format!("{}={}", row.variable, row.category);
        check(
            &mut max_rel,
            &key,
            row.design_share.unwrap(),
            golden.get("design_share", &key, ""),
        );
        check(
            &mut max_rel,
            &key,
            row.raked_share.unwrap(),
            golden.get("raked_share", &key, ""),
        );
    }
    eprintln!("weights: largest relative difference from R {max_rel:.2e}");
}

/// Every estimate of `repgap survey` on the oracle fixture against R's, the golden
/// quantities named with `prefix`; returns the largest relative difference.
fn results_match_r(variance: Option<&str>, prefix: &str) -> f64 {
    let golden = Golden::load();
    let wd = fixture_dir();
    if let Some(v) = variance {
        replace_in(
            &wd,
            "survey/survey.toml",
            "suppress_base = 0",
            &format!("suppress_base = 0\nvariance = \"{v}\""),
        );
    }
    let report = fixture_report(&wd);
    let mut max_rel = 0.0f64;
    let mut compared = 0;
    let golden_of = |quantity: &str, group: &str, name: &str| {
        golden.get(&format!("{prefix}{quantity}"), group, name)
    };
    for q in report["questions"].as_array().unwrap() {
        let name = q["name"].as_str().unwrap();
        for g in q["groups"].as_array().unwrap() {
            let group = g["group"].as_str().unwrap();
            let num = |k: &str| {
                g[k].as_f64()
                    .unwrap_or_else(|| panic!("{name} {group} {k}: {}", g[k]))
            };
            assert_eq!(
                num("base_n"),
                golden_of("base_n", group, name),
                "{name} {group} base"
            );
            for (ours, theirs) in [
                ("proportion", "proportion"),
                ("se", "se"),
                ("ci_low", "ci_low"),
                ("ci_high", "ci_high"),
            ] {
                check(
                    &mut max_rel,
                    &format!("{name} {group} {ours}"),
                    num(ours),
                    golden_of(theirs, group, name),
                );
                compared += 1;
            }
            if group != "All respondents" {
                for (ours, theirs) in [
                    ("difference", "test_difference"),
                    ("t", "test_t"),
                    ("test_df", "test_df"),
                    ("p_value", "test_p"),
                ] {
                    check(
                        &mut max_rel,
                        &format!("{name} {group} {ours}"),
                        num(ours),
                        golden_of(theirs, group, name),
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 3 * (6 * 4 + 5 * 4));
    max_rel
}

#[test]
fn results_match_r_svymean_svyciprop_and_svyttest() {
    let max_rel = results_match_r(Some("fixed-weights"), "");
    eprintln!("results, weights fixed: largest relative difference from R {max_rel:.2e}");
}

/// The default: the variance of the design `rake()` returns, which knows the weights were
/// calibrated to the margins.
#[test]
fn calibrated_results_match_r_on_the_raked_design() {
    let max_rel = results_match_r(None, "cal_");
    eprintln!("results, calibrated: largest relative difference from R {max_rel:.2e}");
}

fn fixture_dir() -> Workdir {
    let wd = Workdir::new();
    for f in ["survey.csv", "margins.csv", "survey.toml"] {
        let name = format!("survey/{f}");
        copy_fixture(&wd, &name, &name);
    }
    wd
}

/// Copy fixture `name` (under tests/fixtures) to `to` in `wd`.
fn copy_fixture(wd: &Workdir, name: &str, to: &str) {
    wd.write(to, &std::fs::read_to_string(fixture(name)).unwrap());
}

/// The fixture survey as configured in `wd`, read and weighted through the library.
fn weigh(wd: &Workdir) -> (repgap::survey::SurveyConfig, repgap::survey::WeightedSurvey) {
    let (config, base) =
        repgap::survey::SurveyConfig::load(&wd.path("survey/survey.toml")).unwrap();
    let ws = repgap::survey::weight(&config, &base, None).unwrap();
    (config, ws)
}

/// The JSON report of the fixture survey as configured in `wd`.
fn fixture_report(wd: &Workdir) -> serde_json::Value {
    fixture_report_with(wd, &[])
}

/// The JSON report of the fixture survey, with more options.
fn fixture_report_with(wd: &Workdir, options: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "survey",
        "--config",
        "survey/survey.toml",
        "--format",
        "json",
    ];
    args.extend_from_slice(options);
    serde_json::from_str(&wd.run(&args).ok()).unwrap()
}

/// The sample-profile row of one weighting category.
fn profile_row<'a>(
    report: &'a serde_json::Value,
    variable: &str,
    category: &str,
) -> &'a serde_json::Value {
    report["profile"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["variable"] == variable && r["category"] == category)
        .unwrap_or_else(|| panic!("no profile row for {variable} {category}"))
}

fn replace_in(wd: &Workdir, name: &str, from: &str, to: &str) {
    let text = wd.read(name);
    assert!(text.contains(from), "{name} lacks {from:?}");
    wd.write(name, &text.replacen(from, to, 1));
}

#[test]
fn small_bases_are_flagged_and_suppressed() {
    let wd = fixture_dir();
    replace_in(
        &wd,
        "survey/survey.toml",
        "suppress_base = 0\ncaution_base = 0\n",
        "",
    );
    let out = wd
        .run(&[
            "survey",
            "--config",
            "survey/survey.toml",
            "--format",
            "csv",
        ])
        .ok();
    let rows = parse_csv(&out);
    let row = |q: &str, g: &str| {
        rows.iter()
            .find(|r| r["question"] == q && r["group"] == g)
            .unwrap()
            .clone()
    };
    let white = row("q_fair", "White");
    assert_eq!(white["base_flag"], "");
    assert!(!white["proportion"].is_empty());
    let asian = row("q_fair", "Asian, Asian British or Asian Welsh");
    assert_eq!(
        (asian["base_n"].as_str(), asian["base_flag"].as_str()),
        ("37", "caution")
    );
    assert!(!asian["ci_low"].is_empty());
    let other = row("q_fair", "Other ethnic group");
    assert_eq!(
        (other["base_n"].as_str(), other["base_flag"].as_str()),
        ("10", "suppressed")
    );
    for k in [
        "weighted_base",
        "proportion",
        "se",
        "ci_low",
        "ci_high",
        "difference_vs_rest",
        "p_value",
    ] {
        assert_eq!(other[k], "", "{k} of a suppressed group must be empty");
    }
}

#[test]
fn output_dir_writes_every_table() {
    let wd = fixture_dir();
    wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--output-dir",
        "out",
    ])
    .ok();
    let profile = parse_csv(&wd.read("out/survey-profile.csv"));
    let sex: Vec<_> = profile.iter().filter(|r| r["variable"] == "sex").collect();
    assert_eq!(sex.len(), 2);
    assert_eq!(sex[0]["raked_share"], "0.510000");
    assert_eq!(sex[0]["population_share"], "0.510000");
    let weighting = parse_csv(&wd.read("out/survey-weighting.csv"));
    assert!(weighting
        .iter()
        .any(|r| r["measure"] == "converged" && r["value"] == "yes"));
    assert!(wd
        .read("out/survey-results.csv")
        .starts_with("question,question_label,positive,group,base_n"));
    assert!(wd
        .read("out/survey.json")
        .contains("\"effective_sample_size\""));
}

#[test]
fn unknown_answers_are_listed_with_rows_and_the_allowed_answers() {
    let wd = fixture_dir();
    let text = wd.read("survey/survey.csv");
    // Row 2 is the first respondent; give two respondents an answer off the scale.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for i in [1usize, 4] {
        lines[i] = lines[i]
            .replacen(",No", ",Maybe", 1)
            .replacen(",Yes", ",Maybe", 1);
    }
    wd.write("survey/survey.csv", &(lines.join("\n") + "\n"));
    let err = wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "survey.csv",
            "column 'q_discrimination'",
            "\"Maybe\": 2 row(s), first at row(s) 2, 5",
            "allowed answers: Yes; No",
            "hint:",
        ],
    );
    assert!(err.contains("missing = [...]"), "{err}");
}

#[test]
fn bad_design_weights_name_the_row_and_value() {
    for (bad, what) in [
        ("0", "zero or negative"),
        ("-1", "zero or negative"),
        ("abc", "not a number"),
        ("", "missing"),
    ] {
        let wd = fixture_dir();
        let text = wd.read("survey/survey.csv");
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut fields: Vec<String> = lines[3].split(',').map(String::from).collect();
        fields[5] = bad.to_string();
        lines[3] = fields.join(",");
        wd.write("survey/survey.csv", &(lines.join("\n") + "\n"));
        wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
            1,
            &[
                "survey.csv, row 4, column 'design_weight'",
                what,
                &format!("(value {bad:?})"),
                "hint: design weights must be positive numbers",
            ],
        );
    }
}

#[test]
fn margins_with_different_totals_are_refused_naming_each_total() {
    let wd = fixture_dir();
    replace_in(
        &wd,
        "survey/margins.csv",
        "sex,Male,49000",
        "sex,Male,59000",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "do not sum to the same population total",
            "ethnic_group (margins.csv) 100000",
            "age_band (margins.csv) 100000",
            "sex (margins.csv) 110000",
        ],
    );
}

#[test]
fn category_mismatch_lists_both_sides() {
    let wd = fixture_dir();
    replace_in(
        &wd,
        "survey/margins.csv",
        "age_band,55+,35000",
        "age_band,55 and over,35000",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "age_band",
            "in the survey but not the margins: 55+",
            "in the margins but not the survey: 55 and over",
            "survey categories: 35-54; 55+; 16-34",
            "hint:",
        ],
    );
    // A margin category with nobody in the survey.
    let wd = fixture_dir();
    replace_in(
        &wd,
        "survey/margins.csv",
        "sex,Male,49000",
        "sex,Male,48000\nsex,Other,1000",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "in the survey but not the margins: (none)",
            "in the margins but not the survey: Other",
        ],
    );
}

#[test]
fn raking_that_does_not_converge_names_the_margins() {
    let wd = fixture_dir();
    replace_in(
        &wd,
        "survey/survey.toml",
        "min_respondents = 0\n",
        "min_respondents = 0\nmax_iterations = 2\n",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "raking did not converge in 2 iteration(s)",
            "ethnic_group 'White'",
            "off by",
            "max_iterations",
        ],
    );
}

/// No answer to a weighting variable: kept by default in a "Not stated" category held at its
/// design-weighted share of the sample, so the respondents are weighted on the other
/// variables only; the stated categories share the rest in the population's proportions.
#[test]
fn respondents_who_do_not_give_a_weighting_variable_are_kept_at_their_sample_share() {
    let wd = fixture_dir();
    let text = wd.read("survey/survey.csv");
    wd.write(
        "survey/survey.csv",
        &text
            .replacen(
                "R002,White British,55+,Female",
                "R002,White British,55+,Prefer not to say",
                1,
            )
            .replacen(
                "R003,White British,55+,Female",
                "R003,White British,55+,",
                1,
            )
            .replacen("R001,White British", "R001,Prefer not to say", 1),
    );
    let run = wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--format",
        "json",
        "--min-cell",
        "0",
        "--not-for-publication",
    ]);
    let stderr = run.stderr();
    let report: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    assert!(
        stderr.contains("did not give their sex are kept"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did not give their ethnic group are kept"),
        "{stderr}"
    );
    assert_eq!(report["respondents"], 240);
    let profile = report["profile"].as_array().unwrap();
    let row = |variable: &str, category: &str| {
        profile
            .iter()
            .find(|r| r["variable"] == variable && r["category"] == category)
            .unwrap_or_else(|| panic!("no {variable} {category}"))
    };
    let share = |r: &serde_json::Value, k: &str| r[k].as_f64().unwrap();
    // Sex: R002 (design weight 1.5) and R003 (1.0) did not say.
    let ns = row("sex", "Not stated");
    assert_eq!(ns["n"], 2);
    let total_design: f64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(5).unwrap().parse::<f64>().unwrap())
        .sum();
    let s = 2.5 / total_design;
    assert!((share(ns, "design_share") - s).abs() < 1e-12);
    assert!((share(ns, "raked_share") - s).abs() < 1e-9);
    assert!(ns["population_count"].is_null());
    for (category, count) in [("Female", 51000.0), ("Male", 49000.0)] {
        let want = count / 100000.0 * (1.0 - s);
        assert!((share(row("sex", category), "raked_share") - want).abs() < 1e-9);
    }
    // Ethnic group: R001 (0.8) did not say; age bands are met in full.
    let s = 0.8 / total_design;
    let ns = row("ethnic_group", "Not stated");
    assert!((share(ns, "raked_share") - s).abs() < 1e-9);
    let white = row("ethnic_group", "White");
    assert!((share(white, "raked_share") - 0.8 * (1.0 - s)).abs() < 1e-9);
    for (category, count) in [("16-34", 30000.0), ("35-54", 35000.0), ("55+", 35000.0)] {
        let want = count / 100000.0;
        assert!((share(row("age_band", category), "raked_share") - want).abs() < 1e-9);
    }

    // Or left out.
    replace_in(
        &wd,
        "survey/survey.toml",
        "suppress_base = 0",
        "suppress_base = 0\nweighting_missing = \"drop\"",
    );
    let run = wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--format",
        "json",
    ]);
    let stderr = run.stderr();
    let report: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    assert_eq!(report["respondents"], 237);
    assert!(
        stderr.contains(
            "fewer than 5 respondent(s) who did not answer a weighting variable are left out"
        ),
        "{stderr}"
    );
    assert!(!report["profile"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["category"] == "Not stated"));
}

#[test]
fn an_aggregate_label_is_not_weighted_as_not_stated() {
    let wd = fixture_dir();
    replace_in(&wd, "survey/survey.csv", "R002,White British", "R002,BME");
    wd.write(
        "survey/margins.csv",
        &format!(
            "{}ethnic_group,Not stated,1000\n",
            wd.read("survey/margins.csv")
        ),
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "survey.csv, row 3, column 'Ethnic group'",
            "\"BME\"",
            "names no high-level group",
            "mapping",
        ],
    );
}

#[test]
fn demo_survey_weights_to_rushmoor() {
    let wd = Workdir::new();
    let config = project("datasets/demo/repgap.toml");
    let json = wd
        .run(&[
            "survey",
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
        ])
        .ok();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["respondents"], 1500);
    assert_eq!(report["weighting"]["converged"], true);
    // One population, residents aged 16 and over, by ethnic group, age band, sex and ward,
    // the margins read from the bundled Census files and no tolerance loosened.
    assert_eq!(
        report["weighting"]["variables"],
        serde_json::json!(["ethnic_group", "age_band", "sex", "ward"])
    );
    let names: Vec<&str> = report["margin_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for file in [
        "census2021-rm038-rushmoor-and-neighbours.csv",
        "census2021-ts007-rushmoor-and-neighbours.csv",
        "census2021-ts022-rushmoor-wards.csv",
    ] {
        assert!(names.contains(&file), "{names:?}");
    }
    assert!(!std::fs::read_to_string(&config)
        .unwrap()
        .contains("margin_tolerance"));
    let wards = report["profile"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["variable"] == "ward")
        .count();
    assert_eq!(wards, 13);
    assert!(report["census"]
        .as_str()
        .unwrap()
        .contains("Rushmoor (E07000092)"));
    let other = &report["questions"][0]["groups"][5];
    assert_eq!(other["group"], "Other ethnic group");
    assert_eq!(other["flag"], "suppressed");
    assert!(other["proportion"].is_null());
}

#[test]
fn unstated_ethnicity_is_weighted_as_its_own_category_when_the_margins_have_one() {
    let wd = fixture_dir();
    let text = wd.read("survey/survey.csv");
    wd.write(
        "survey/survey.csv",
        &text
            .replacen("R002,White British", "R002,Prefer not to say", 1)
            .replacen("R003,White British", "R003,Not stated", 1),
    );
    replace_in(
        &wd,
        "survey/margins.csv",
        "ethnic_group,White,80000",
        "ethnic_group,White,79000\nethnic_group,Not stated,1000",
    );
    // By default the 2 not stated are too few to show.
    let report = fixture_report(&wd);
    let profile = report["profile"].as_array().unwrap();
    let ns = profile
        .iter()
        .find(|r| r["category"] == "Not stated")
        .unwrap();
    assert!(ns["n"].is_null() && ns["design_share"].is_null());
    // With every count shown, for checking the arithmetic.
    let report = fixture_report_with(&wd, &["--min-cell", "0", "--not-for-publication"]);
    assert_eq!(report["ethnicity_not_stated"], 2);
    let profile = report["profile"].as_array().unwrap();
    let ns = profile
        .iter()
        .find(|r| r["category"] == "Not stated")
        .unwrap();
    assert_eq!(ns["n"], 2);
    assert!((ns["raked_share"].as_f64().unwrap() - 0.01).abs() < 1e-9);
    assert_eq!(ns["population_count"], 1000.0);
    // In the overall base, in no group's.
    let q = &report["questions"][2];
    let groups = q["groups"].as_array().unwrap();
    let overall = groups[0]["base_n"].as_u64().unwrap();
    let in_groups: u64 = groups[1..]
        .iter()
        .map(|g| g["base_n"].as_u64().unwrap())
        .sum();
    assert_eq!(overall, in_groups + 2);
}

#[test]
fn unknown_codes_on_a_numbered_scale_are_listed() {
    let wd = fixture_dir();
    let text = wd.read("survey/survey.csv");
    wd.write(
        "survey/survey.csv",
        &text.replacen("Very satisfied,1,Yes", "Very satisfied,7,Yes", 1),
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "column 'q_fair' (question 'q_fair')",
            "\"7\": 1 row(s), first at row(s) 2",
            "allowed answers: 1; 2; 3; 4; 5; no answer: blank",
        ],
    );
}

/// `--variance` overrides the configuration, and the weighting table says which was used.
#[test]
fn the_variance_can_be_chosen_on_the_command_line_and_is_reported() {
    let golden = Golden::load();
    let wd = fixture_dir();
    let se_of = |args: &[&str]| -> f64 {
        let mut all = vec![
            "survey",
            "--config",
            "survey/survey.toml",
            "--format",
            "json",
        ];
        all.extend_from_slice(args);
        let report: serde_json::Value = serde_json::from_str(&wd.run(&all).ok()).unwrap();
        assert_eq!(
            report["weighting"]["variance"],
            if args.is_empty() {
                "calibrated"
            } else {
                args[1]
            }
        );
        report["questions"][0]["groups"][0]["se"].as_f64().unwrap()
    };
    let all = "All respondents";
    let fixed = se_of(&["--variance", "fixed-weights"]);
    let calibrated = se_of(&[]);
    assert!((fixed - golden.get("se", all, "q_satisfaction")).abs() < 1e-9);
    assert!((calibrated - golden.get("cal_se", all, "q_satisfaction")).abs() < 1e-9);
    wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--output-dir",
        "out",
    ])
    .ok();
    assert!(wd
        .read("out/survey-weighting.csv")
        .contains("variance,calibrated"));
    wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--variance",
        "exact",
    ])
    .fails(2, &["exact", "calibrated", "fixed-weights"]);
}

/// Weighting categories with fewer than 20 respondents merge before raking: in the fixture,
/// Other (11 respondents) with the next smallest, Mixed (15), then Black (19) with those
/// (26): three margins of 3,000, 3,000 and 2,000 of 100,000 become one of 8%.
#[test]
fn small_weighting_categories_merge_with_a_neighbour_before_raking() {
    let wd = fixture_dir();
    replace_in(&wd, "survey/survey.toml", "min_respondents = 0\n", "");
    let run = wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--format",
        "json",
    ]);
    let stderr = run.stderr();
    let report: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    for note in [
        "ethnic_group: 'Other ethnic group' has 11 respondent(s), fewer than the 20 a weighting category needs, so it is merged with 'Mixed or Multiple ethnic groups' before raking",
        "ethnic_group: 'Black, Black British, Black Welsh, Caribbean or African' has 19 respondent(s), fewer than the 20 a weighting category needs, so it is merged with 'Mixed or Multiple ethnic groups + Other ethnic group'",
    ] {
        assert!(stderr.contains(note), "{note}\n{stderr}");
    }
    let merged = "Black, Black British, Black Welsh, Caribbean or African + Mixed or Multiple ethnic groups + Other ethnic group";
    let ethnic: Vec<(String, f64)> = report["profile"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["variable"] == "ethnic_group")
        .map(|r| {
            (
                r["category"].as_str().unwrap().to_string(),
                r["raked_share"].as_f64().unwrap(),
            )
        })
        .collect();
    let names: Vec<&str> = ethnic.iter().map(|(c, _)| c.as_str()).collect();
    // In the margins file's order, White first.
    assert_eq!(
        names,
        ["White", "Asian, Asian British or Asian Welsh", merged]
    );
    for ((_, got), want) in ethnic.iter().zip([0.80, 0.12, 0.08]) {
        assert!((got - want).abs() < 1e-9, "{got} against {want}");
    }
    assert_eq!(report["weighting"]["merged"].as_array().unwrap().len(), 2);
    // Estimates by group still come group by group.
    let groups = report["questions"][0]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 6);

    // A stated neighbour: Other with Asian.
    replace_in(
        &wd,
        "survey/survey.toml",
        "[survey.raking]\n",
        "[survey.raking]\nmerge = { ethnic_group = { \"Other ethnic group\" = \"Asian, Asian British or Asian Welsh\" } }\n",
    );
    let stderr = wd
        .run(&[
            "survey",
            "--config",
            "survey/survey.toml",
            "--format",
            "json",
        ])
        .stderr();
    assert!(
        stderr.contains("'Other ethnic group' has 11 respondent(s), fewer than the 20 a weighting category needs, so it is merged with 'Asian, Asian British or Asian Welsh'"),
        "{stderr}"
    );
    // A neighbour that is not a category is an error, not a quiet fall back to the default.
    replace_in(
        &wd,
        "survey/survey.toml",
        "= \"Asian, Asian British or Asian Welsh\"",
        "= \"Asain\"",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        2,
        &[
            "[survey.raking.merge] ethnic_group: 'Asain' is not one of its categories",
            "White",
        ],
    );
}

/// Any survey column with a population margin is a weighting variable: here ward, a fourth
/// margin read from the tidy file, raked in the order weight_by gives (R's rake() with the
/// same four margins: tests/oracle/survey_oracle.R, "ward_weight").
#[test]
fn a_ward_margin_weights_the_survey_as_r_rakes_it() {
    let golden = Golden::load();
    let wd = fixture_dir();
    copy_fixture(&wd, "survey/margins-with-ward.csv", "survey/margins.csv");
    replace_in(
        &wd,
        "survey/survey.toml",
        "margins = \"margins.csv\"",
        "margins = \"margins.csv\"\nweight_by = [\"ethnic_group\", \"age_band\", \"sex\", \"ward\"]",
    );
    let (config, ws) = weigh(&wd);
    assert_eq!(ws.margins.len(), 4);
    assert_eq!(ws.margins[3].variable, "ward");
    let mut max_rel = 0.0f64;
    check_weights(&mut max_rel, &golden, "ward_weight", &ws.outcome.weights);
    // The profile shows the wards once, as a weighting variable with their population share.
    let report = repgap::survey::report(&config, &ws, 0);
    let wards: Vec<_> = report
        .profile
        .iter()
        .filter(|r| r.variable == "ward")
        .collect();
    assert_eq!(wards.len(), 4);
    let aldershot = wards
        .iter()
        .find(|r| r.category == "Aldershot Park")
        .unwrap();
    assert!((aldershot.raked_share.unwrap() - 0.26).abs() < 1e-9);
    assert_eq!(aldershot.population_count, Some(26000.0));
    eprintln!("weights with ward: largest relative difference from R {max_rel:.2e}");

    // A ward the margins do not have is an error naming it, the column and the fix.
    replace_in(
        &wd,
        "survey/survey.csv",
        "R001,White British,35-54,Male,Aldershot Park",
        "R001,White British,35-54,Male,Farnborough",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"])
        .fails(1, &["ward (survey column 'Ward'", "Farnborough"]);
}

/// Age-band margins read straight from Census TS007 (age by single year), cut into the
/// survey's bands: Rushmoor's residents aged 16–34 are the 19 single years 16 … 34 summed.
#[test]
fn age_margins_come_from_the_census_single_years_cut_into_the_surveys_bands() {
    let wd = fixture_dir();
    copy_fixture(
        &wd,
        "census2021-ts007-rushmoor.csv",
        "census/ts007-rushmoor.csv",
    );
    let margins = wd.read("survey/margins.csv");
    let without_age: String = margins
        .lines()
        .filter(|l| !l.starts_with("age_band"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.write("survey/margins.csv", &without_age);
    replace_in(
        &wd,
        "survey/survey.toml",
        "[survey.raking]",
        "[survey.age_census]\nfile = \"../census/ts007-rushmoor.csv\"\nareas = [\"E07000092\"]\nbands = [\"16-34\", \"35-54\", \"55+\"]\n\n[survey.raking]",
    );
    // Bands that share an age, or an area named twice, are refused with the configuration.
    replace_in(
        &wd,
        "survey/survey.toml",
        "\"35-54\", \"55+\"",
        "\"30-54\", \"55+\"",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        2,
        &["survey.toml", "the age bands '16-34' and '30-54' overlap"],
    );
    replace_in(
        &wd,
        "survey/survey.toml",
        "\"30-54\", \"55+\"",
        "\"35-54\", \"55+\"",
    );
    replace_in(
        &wd,
        "survey/survey.toml",
        "areas = [\"E07000092\"]",
        "areas = [\"E07000092\", \"e07000092\"]",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"])
        .fails(2, &["names an area twice"]);
    replace_in(&wd, "survey/survey.toml", ", \"e07000092\"]", "]");
    // Residents aged 16 and over against margins of 100,000 people of every age: refused.
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "age_band (ts007-rushmoor.csv) 80873",
            "same population total",
        ],
    );
    // Ethnic group and sex for the same 80,873 people.
    wd.write(
        "survey/margins.csv",
        "variable,category,count\nethnic_group,White,64698\nethnic_group,Asian,9705\nethnic_group,Black,2426\nethnic_group,Mixed,2426\nethnic_group,Other,1618\nsex,Female,41245\nsex,Male,39628\n",
    );
    let report = fixture_report(&wd);
    // By hand from the fixture's single years: 16–34 26,025; 35–54 28,096; 55–74 19,895 and
    // 75+ 6,857.
    for (band, count) in [("16-34", 26025.0), ("35-54", 28096.0), ("55+", 26752.0)] {
        let row = profile_row(&report, "age_band", band);
        assert_eq!(row["population_count"], count, "{band}");
        let raked = row["raked_share"].as_f64().unwrap();
        assert!((raked - count / 80873.0).abs() < 1e-9, "{band}: {raked}");
    }
    assert!(report["margin_sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "ts007-rushmoor.csv"));
}

/// A ward margin read from a Census table with one row per ward (TS022 by ward, real rows):
/// the wards' counts of all usual residents, whose shares are applied to the survey's
/// population only when the configuration says so.
#[test]
fn a_ward_margin_comes_from_a_census_table_of_wards() {
    let wd = fixture_dir();
    // Four of Rushmoor's wards, copied from the bundled table.
    let wards: String = std::fs::read_to_string(project(
        "datasets/census/census2021-ts022-rushmoor-wards.csv",
    ))
    .unwrap()
    .lines()
    .filter(|l| {
        [
            "date,",
            "2021,Aldershot Park,",
            "2021,Cove and Southwood,",
            "2021,Knellwood,",
            "2021,Manor Park (Rushmoor),",
        ]
        .iter()
        .any(|p| l.starts_with(p))
    })
    .map(|l| format!("{l}\n"))
    .collect();
    assert_eq!(wards.lines().count(), 5);
    wd.write("census/ts022-wards.csv", &wards);
    replace_in(
        &wd,
        "survey/survey.toml",
        "margins = \"margins.csv\"",
        "margins = \"margins.csv\"\nweight_by = [\"ethnic_group\", \"age_band\", \"sex\", \"ward\"]",
    );
    replace_in(
        &wd,
        "survey/survey.toml",
        "[survey.raking]",
        "[survey.area_census]\nvariable = \"ward\"\nfile = \"../census/ts022-wards.csv\"\nareas = [\"E05008989\", \"E05008991\", \"E05008994\", \"E05008995\"]\n\n[survey.raking]",
    );
    // 31,084 residents of every age against margins of 100,000: refused, with both fixes named.
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "ward (ts022-wards.csv) 31084",
            "use_shares = true",
            "ages = \"16+\"",
        ],
    );
    replace_in(
        &wd,
        "survey/survey.toml",
        "\"E05008995\"]",
        "\"E05008995\"]\nuse_shares = true",
    );
    let report = fixture_report(&wd);
    // By hand from the table: 7,000 + 7,348 + 7,430 + 9,306 = 31,084. "Manor Park (Rushmoor)"
    // is the survey's "Manor Park".
    for (ward, count) in [
        ("Aldershot Park", 7000.0),
        ("Cove and Southwood", 7348.0),
        ("Knellwood", 7430.0),
        ("Manor Park", 9306.0),
    ] {
        let row = profile_row(&report, "ward", ward);
        assert_eq!(row["population_count"], count, "{ward}");
        let raked = row["raked_share"].as_f64().unwrap();
        assert!((raked - count / 31084.0).abs() < 1e-9, "{ward}: {raked}");
    }
    let described = report["weighting"]["area_margins"][0].as_str().unwrap();
    for part in [
        "ward: the areas' shares of all usual residents of 4 areas in ts022-wards.csv (31,084)",
        "applied to the other margins' total (100,000)",
        "assumes each area's share is the same",
    ] {
        assert!(described.contains(part), "{described}");
    }

    // A ward code the table lacks, a variable not weighted by, and ages from a table without
    // single years: each names the fix.
    replace_in(&wd, "survey/survey.toml", "\"E05008994\"", "\"E05099999\"");
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &["ts022-wards.csv", "the area E05099999 is not in the table"],
    );
    replace_in(&wd, "survey/survey.toml", "\"E05099999\"", "\"E05008994\"");
    replace_in(&wd, "survey/survey.toml", ", \"ward\"]", "]");
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        2,
        &["[survey.area_census]", "'ward', which is not in weight_by"],
    );
    replace_in(&wd, "survey/survey.toml", "\"sex\"]", "\"sex\", \"ward\"]");
    replace_in(
        &wd,
        "survey/survey.toml",
        "use_shares = true",
        "ages = \"16+\"",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &["ts022-wards.csv", "no column counts a single year of age"],
    );
}

/// The fixture survey with its earlier wave configured.
fn two_wave_dir() -> Workdir {
    let wd = fixture_dir();
    copy_fixture(
        &wd,
        "survey/survey-previous.csv",
        "survey/survey-previous.csv",
    );
    replace_in(
        &wd,
        "survey/survey.toml",
        "[survey.raking]",
        "wave = \"2025\"\n\n[survey.previous_wave]\nfile = \"survey-previous.csv\"\nwave = \"2022\"\n\n[survey.raking]",
    );
    wd
}

/// Each group's change between two waves against R: the waves stacked as strata of one design,
/// raked within each wave, and svyglm(pos ~ current) on it, for both variances. The interval
/// and p-value follow from R's SE: change ± 1.959964·SE and 2·(1 − Φ(|change| / SE)).
#[test]
fn changes_between_waves_match_r() {
    use statrs::distribution::{ContinuousCDF, Normal};
    let golden = Golden::load();
    let wd = two_wave_dir();
    let normal = Normal::new(0.0, 1.0).unwrap();
    let z = normal.inverse_cdf(0.975);
    for (variance, prefix) in [("calibrated", "wave_"), ("fixed-weights", "wave_fixed_")] {
        let report = fixture_report_with(&wd, &["--variance", variance]);
        let changes = &report["changes"];
        assert_eq!(changes["previous_wave"], "2022");
        assert_eq!(changes["current_wave"], "2025");
        assert_eq!(changes["previous_respondents"], 240);
        let mut max_rel = 0.0f64;
        let mut compared = 0;
        for q in changes["questions"].as_array().unwrap() {
            let name = q["name"].as_str().unwrap();
            for g in q["groups"].as_array().unwrap() {
                let group = g["group"].as_str().unwrap();
                let want_change = golden.get(&format!("{prefix}change"), group, name);
                let want_se = golden.get(&format!("{prefix}se"), group, name);
                let what = format!("{variance} {name} {group}");
                let f = |k: &str| g[k].as_f64().unwrap_or_else(|| panic!("{what}: no {k}"));
                check(
                    &mut max_rel,
                    &format!("{what} change"),
                    f("change"),
                    want_change,
                );
                check(&mut max_rel, &format!("{what} se"), f("se"), want_se);
                check(
                    &mut max_rel,
                    &format!("{what} ci_low"),
                    f("ci_low"),
                    want_change - z * want_se,
                );
                check(
                    &mut max_rel,
                    &format!("{what} ci_high"),
                    f("ci_high"),
                    want_change + z * want_se,
                );
                let want_p = 2.0 * normal.sf((want_change / want_se).abs());
                check(&mut max_rel, &format!("{what} p"), f("p_value"), want_p);
                // The change is the difference of the two waves' published proportions.
                assert!((f("current") - f("previous") - f("change")).abs() < 1e-12);
                compared += 1;
            }
        }
        assert_eq!(compared, 18);
        eprintln!(
            "changes between waves, {variance}: largest relative difference from R {max_rel:.2e}"
        );
    }
}

/// The waves' changes reach every output: the CSV, the charts and the terminal table; a group
/// either wave withholds has no change; a wrong earlier wave is a clear error.
#[test]
fn changes_between_waves_are_written_and_withheld_where_a_wave_withholds_the_group() {
    let wd = two_wave_dir();
    replace_in(
        &wd,
        "survey/survey.toml",
        "suppress_base = 0",
        "suppress_base = 30",
    );
    wd.run(&[
        "survey",
        "--config",
        "survey/survey.toml",
        "--output-dir",
        "out",
    ])
    .ok();
    let csv = parse_csv(&wd.read("out/survey-changes.csv"));
    assert_eq!(csv.len(), 18);
    let results = parse_csv(&wd.read("out/survey-results.csv"));
    for row in &csv {
        let published = |q: &str, g: &str| {
            results
                .iter()
                .any(|r| r["question"] == q && r["group"] == g && !r["proportion"].is_empty())
        };
        assert_eq!(row["previous_wave"], "2022");
        if !published(&row["question"], &row["group"]) {
            assert!(row["change"].is_empty() && row["se"].is_empty(), "{row:?}");
            assert_eq!(row["assessment"], "not published in both waves");
        }
    }
    let overall_fair = csv
        .iter()
        .find(|r| r["question"] == "q_fair" && r["group"] == "All respondents")
        .unwrap();
    assert!(!overall_fair["change"].is_empty());
    assert!(wd.path("out/charts/survey-change-q_fair.svg").is_file());
    assert!(wd.path("out/charts/survey-change-q_fair.png").is_file());
    let table = wd.run(&["survey", "--config", "survey/survey.toml"]).ok();
    assert!(
        table.contains("Change since 2022 (240 respondents, survey-previous.csv)"),
        "{table}"
    );

    // The earlier wave's file missing a question's column is an error naming that file.
    let previous = wd.read("survey/survey-previous.csv");
    wd.write(
        "survey/survey-previous.csv",
        &previous.replacen("q_fair", "q_fairness", 1),
    );
    wd.run(&["survey", "--config", "survey/survey.toml"])
        .fails(1, &["survey-previous.csv", "q_fair"]);
    // Two waves of one name cannot be told apart in the outputs.
    replace_in(
        &wd,
        "survey/survey.toml",
        "wave = \"2022\"",
        "wave = \"2025\"",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"])
        .fails(2, &["[survey.previous_wave]", "both named '2025'"]);
}

/// Sex margins from a Census table crossing ethnic group with sex and age (the RM032 layout),
/// cut to residents aged 16 and over: for ethnic code e, age band a and sex s the fixture
/// counts 100e + 10a + s, so over the 19 categories and the five bands from 16 females are
/// 500·190 + 190·20 + 95 = 98,895 and males 95 more, 98,990.
#[test]
fn sex_margins_come_from_a_census_cross_table_cut_to_the_surveys_ages() {
    let wd = fixture_dir();
    copy_fixture(&wd, "census2021-rm032-layout.csv", "census/rm032.csv");
    // Ethnic group and age for the same 197,885 people; no sex rows.
    wd.write(
        "survey/margins.csv",
        "variable,category,count\nethnic_group,White,158308\nethnic_group,Asian,23746\nethnic_group,Black,5937\nethnic_group,Mixed,5937\nethnic_group,Other,3957\nage_band,16-34,59366\nage_band,35-54,69260\nage_band,55+,69259\n",
    );
    replace_in(
        &wd,
        "survey/survey.toml",
        "[survey.raking]",
        "[survey.sex_census]\nfile = \"../census/rm032.csv\"\nareas = [\"E99999901\"]\ncomparator = \"aged-16-plus\"\n\n[survey.raking]",
    );
    let report = fixture_report(&wd);
    for (sex, count) in [("Female", 98895.0), ("Male", 98990.0)] {
        let row = profile_row(&report, "sex", sex);
        assert_eq!(row["population_count"], count, "{sex}");
        let raked = row["raked_share"].as_f64().unwrap();
        assert!((raked - count / 197885.0).abs() < 1e-9, "{sex}: {raked}");
    }
    assert!(report["margin_sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "rm032.csv"));

    // All ages would be another population: refused, naming each total.
    replace_in(
        &wd,
        "survey/survey.toml",
        "comparator = \"aged-16-plus\"\n",
        "",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"])
        .fails(1, &["sex (rm032.csv)", "same population total"]);
    // A table with no sex (RM038 crosses ethnic group with gender identity) names what it has.
    wd.write(
        "census/rm038.csv",
        &std::fs::read_to_string(project(
            "datasets/census/census2021-rm038-rushmoor-and-neighbours.csv",
        ))
        .unwrap(),
    );
    replace_in(&wd, "survey/survey.toml", "rm032.csv", "rm038.csv");
    replace_in(&wd, "survey/survey.toml", "E99999901", "E07000092");
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "rm038.csv",
            "the table has no variable 'sex'",
            "Gender identity (4 categories)",
            "RM032",
        ],
    );
}

/// Weighting at the 8 categories (White British and Other White apart) against R's rake(),
/// with results still by high-level group; a respondent recorded only as "White" cannot be
/// placed at that level and is named.
#[test]
fn the_ethnic_margin_can_be_weighted_at_the_eight_categories_as_r_rakes_it() {
    let golden = Golden::load();
    let wd = fixture_dir();
    copy_fixture(&wd, "survey/margins-eight.csv", "survey/margins.csv");
    replace_in(
        &wd,
        "survey/survey.toml",
        "margins = \"margins.csv\"",
        "margins = \"margins.csv\"\nethnic_level = \"eight-categories\"",
    );
    let (_, ws) = weigh(&wd);
    let mut max_rel = 0.0f64;
    check_weights(&mut max_rel, &golden, "eight_weight", &ws.outcome.weights);
    eprintln!("weights at the 8 categories: largest relative difference from R {max_rel:.2e}");
    let report = fixture_report(&wd);
    let white_british = profile_row(
        &report,
        "ethnic_group",
        "White: English, Welsh, Scottish, Northern Irish or British",
    );
    assert!((white_british["raked_share"].as_f64().unwrap() - 0.70).abs() < 1e-9);
    let groups: Vec<&str> = report["questions"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert!(groups.contains(&"White") && groups.len() == 6, "{groups:?}");

    replace_in(
        &wd,
        "survey/survey.toml",
        "ethnic_level = \"eight-categories\"",
        "ethnic_level = \"eight\"",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"])
        .fails(2, &["ethnic_level = 'eight'", "\"eight-categories\""]);
    replace_in(
        &wd,
        "survey/survey.toml",
        "ethnic_level = \"eight\"",
        "ethnic_level = \"eight-categories\"",
    );
    replace_in(
        &wd,
        "survey/survey.csv",
        "R001,White British,",
        "R001,White,",
    );
    wd.run(&["survey", "--config", "survey/survey.toml"]).fails(
        1,
        &[
            "too broad to place among the 8 Census 2021 categories",
            "rows 2",
            "ethnic_level = \"high\"",
        ],
    );
}
