use crate::workdir::{fixture, project, Workdir};

#[test]
fn demo_run_writes_every_output_and_no_row_level_data() {
    let wd = Workdir::new();
    let out = wd.run(&["run"]).ok();
    assert!(out.contains("Wrote 113 files to repgap-output"), "{out}");
    assert!(out.contains("[all · high]"));
    let files = wd.files();
    for f in [
        "repgap-output/population-profile.csv",
        "repgap-output/representation.csv",
        "repgap-output/representation.json",
        "repgap-output/annex/index.html",
        "repgap-output/annex/annex.md",
        "repgap-output/annex/charts/workforce-representation.png",
        "repgap-output/seniority.csv",
        "repgap-output/pay-gap.csv",
        "repgap-output/pay-quarters.csv",
        "repgap-output/recruitment.csv",
        "repgap-output/trends.csv",
        "repgap-output/workforce-deep-dive.json",
        "repgap-output/annex/charts/workforce-seniority-by_grade.svg",
        "repgap-output/annex/charts/workforce-pay_gap.png",
        "repgap-output/annex/charts/workforce-pay_quarters.csv",
        "repgap-output/annex/charts/recruitment-appointment.svg",
        "repgap-output/annex/charts/workforce-trends.svg",
        "repgap-output/survey-results.csv",
        "repgap-output/survey-profile.csv",
        "repgap-output/survey-weighting.csv",
        "repgap-output/survey-changes.csv",
        "repgap-output/annex/charts/survey-change-treats_fairly.png",
        "repgap-output/survey.json",
        "repgap-output/annex/charts/survey-sample_profile.svg",
        "repgap-output/annex/charts/survey-results-treats_fairly.png",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    // No row-level data or raw labels in outputs.
    for text in wd
        .files()
        .iter()
        .filter(|f| !f.ends_with(".png"))
        .map(|f| wd.read(f))
    {
        assert!(!text.contains("E10001"), "employee id leaked");
        assert!(!text.contains("A50001"), "applicant id leaked");
        assert!(!text.contains("P10001"), "snapshot employee id leaked");
        assert!(!text.contains("S00001"), "respondent id leaked");
        // Individual pay: the demo's first employee earns £18.58 an hour.
        assert!(!text.contains("18.58"), "an individual's pay leaked");
        // Raw labels of the data ("Nepalese" is named by the demo config's Nepali group, which
        // the annex quotes, so labels the config does not name are checked).
        assert!(
            !text.contains("White - Any other White background"),
            "raw label leaked"
        );
        assert!(
            !text.contains("Asian or Asian British - Any other Asian background"),
            "raw label leaked"
        );
    }
}

#[test]
fn explicit_config_and_output_dir() {
    let wd = Workdir::new();
    let config = project("datasets/demo/repgap.toml");
    wd.run(&["run", config.to_str().unwrap(), "--output-dir", "elsewhere"])
        .ok();
    assert!(wd.path("elsewhere/representation.csv").exists());
}

fn config(census: &str, workforce: &str) -> String {
    format!(
        "[census]\nfile = {census:?}\nareas = [\"E07000092\"]\n[workforce]\nfile = {workforce:?}\nid_column = \"employee_id\"\n[representation]\nlevels = [\"high\"]\nby = [\"grade\"]\n"
    )
}

#[test]
fn a_failing_run_writes_nothing() {
    let wd = Workdir::new();
    wd.write(
        "hr.csv",
        "employee_id,ethnicity,grade\n1,Indian,A\n2,Martian,B\n",
    );
    let census = fixture("census2021-tidy.csv");
    wd.write("run.toml", &config(census.to_str().unwrap(), "hr.csv"));
    wd.run(&["run", "run.toml"])
        .fails(1, &["hr.csv", "\"Martian\""]);
    assert!(!wd.path("repgap-output").exists());
}

#[test]
fn config_problems_are_usage_errors() {
    let wd = Workdir::new();
    wd.write("bad.toml", "[census]\nfile = 'c.csv'\n");
    wd.run(&["run", "bad.toml"])
        .fails(2, &["bad.toml", "workforce"]);
    wd.run(&["run", "absent.toml"])
        .fails(1, &["cannot read absent.toml"]);
}
