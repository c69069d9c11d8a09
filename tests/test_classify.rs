use crate::workdir::{not_for_publication, parse_csv, Workdir};

#[test]
fn shows_each_label_with_its_mapping_and_suppressed_counts() {
    let wd = Workdir::new();
    let mut hr = String::from("id,Ethnic Origin\n");
    for i in 0..6 {
        hr.push_str(&format!("{i},Asian or Asian British - Indian\n"));
    }
    hr.push_str("7,Nepalese\n8,Prefer not to say\n9,\n");
    wd.write("hr.csv", &hr);
    let out = wd
        .run(&[
            "classify",
            "hr.csv",
            "--ethnicity-column",
            "ethnic origin",
            "--format",
            "csv",
        ])
        .ok();
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 4);
    let indian = rows
        .iter()
        .find(|r| r["label"] == "Asian or Asian British - Indian")
        .unwrap();
    assert_eq!(indian["rows"], "6");
    assert_eq!(
        indian["census_2021_category"],
        "Asian, Asian British or Asian Welsh: Indian"
    );
    let nepalese = rows.iter().find(|r| r["label"] == "Nepalese").unwrap();
    assert_eq!(nepalese["rows"], "<5");
    assert_eq!(
        nepalese["census_2021_category"],
        "Asian, Asian British or Asian Welsh: Other Asian"
    );
    let blank = rows.iter().find(|r| r["label"].is_empty()).unwrap();
    assert_eq!(blank["status"], "not stated");
    let all = wd
        .run(&[
            "classify",
            "hr.csv",
            "--ethnicity-column",
            "Ethnic Origin",
            "--format",
            "csv",
            "--min-cell",
            "0",
            "--not-for-publication",
        ])
        .ok();
    assert!(not_for_publication(&all).contains("Nepalese,1,"));
}

#[test]
fn unmapped_labels_exit_1_after_listing_them() {
    let wd = Workdir::new();
    wd.write("hr.csv", "id,ethnicity\n1,Whit British\n2,Indian\n");
    let run = wd.run(&["classify", "hr.csv"]);
    run.fails(1, &["1 label(s) are not recognised", "--mapping"]);
    assert!(
        run.stdout()
            .contains("UNMAPPED (first at row 2); closest: White British"),
        "{}",
        run.stdout()
    );
}
