use crate::workdir::{fixture, parse_csv, Workdir};

fn profile(file: &str, areas: &[&str]) -> serde_json::Value {
    let wd = Workdir::new();
    let path = fixture(file);
    let mut args = vec!["census", path.to_str().unwrap(), "--format", "json"];
    for a in areas {
        args.extend(["--area", a]);
    }
    serde_json::from_str(&wd.run(&args).ok()).unwrap()
}

fn count(json: &serde_json::Value, level: &str, group: &str) -> u64 {
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["level"] == level && r["group"] == group)
        .unwrap_or_else(|| panic!("no {level} {group}"))["population_n"]
        .as_u64()
        .unwrap()
}

// Rushmoor, Census 2021: 99,759 usual residents, White British 70,917, Other Asian 10,526
// (ONS, "Ethnic group, England and Wales: Census 2021").
#[test]
fn three_census_2021_layouts_agree_and_never_double_count_subtotals() {
    for file in [
        "census2021-tidy.csv",
        "census2021-ts021-nomis.csv",
        "census2021-ons-custom.csv",
    ] {
        let json = profile(file, &["E07000092"]);
        assert_eq!(json["population_total"], 99_759, "{file}");
        assert_eq!(json["census_year"], 2021, "{file}");
        assert_eq!(
            count(
                &json,
                "detailed",
                "White: English, Welsh, Scottish, Northern Irish or British"
            ),
            70_917
        );
        assert_eq!(
            count(
                &json,
                "detailed",
                "Asian, Asian British or Asian Welsh: Other Asian"
            ),
            10_526
        );
        assert_eq!(
            count(
                &json,
                "detailed",
                "Asian, Asian British or Asian Welsh: Bangladeshi"
            ),
            297
        );
        // 297 + 507 + 2105 + 1223 + 10526
        assert_eq!(
            count(&json, "high", "Asian, Asian British or Asian Welsh"),
            14_658
        );
    }
}

#[test]
fn census_2011_nomis_layout() {
    // Rushmoor, Census 2011 (QS201EW): 93,807 usual residents, Other Asian 7,107.
    let wd = Workdir::new();
    let path = fixture("census2011-qs201ew-nomis.csv");
    let run = wd.run(&[
        "census",
        path.to_str().unwrap(),
        "--area",
        "Rushmoor",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    assert_eq!(json["population_total"], 93_807);
    assert_eq!(json["census_year"], 2011);
    assert_eq!(
        count(
            &json,
            "detailed",
            "Asian, Asian British or Asian Welsh: Other Asian"
        ),
        7_107
    );
    assert!(json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["group"] != "White: Roma"));
    assert!(run.stderr().contains("no Roma category"));
}

#[test]
fn several_areas_are_summed_by_code_or_name() {
    let rushmoor = profile("census2021-tidy.csv", &["E07000092"]);
    let hart = profile("census2021-tidy.csv", &["hart"]);
    let both = profile("census2021-tidy.csv", &["Rushmoor", "E07000089"]);
    assert_eq!(
        both["population_total"].as_u64().unwrap(),
        rushmoor["population_total"].as_u64().unwrap() + hart["population_total"].as_u64().unwrap()
    );
    assert_eq!(both["areas"].as_array().unwrap().len(), 2);
}

#[test]
fn csv_profile_shares_sum_to_one_per_level() {
    let wd = Workdir::new();
    let path = fixture("census2021-ts021-nomis.csv");
    let out = wd
        .run(&[
            "census",
            path.to_str().unwrap(),
            "--area",
            "E07000089",
            "--format",
            "csv",
        ])
        .ok();
    let rows = parse_csv(&out);
    for level in ["high", "detailed"] {
        let sum: f64 = rows
            .iter()
            .filter(|r| r["level"] == level)
            .map(|r| r["population_share"].parse::<f64>().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-5, "{level}: {sum}");
    }
}

#[test]
fn list_areas() {
    // Hart: 99,404 usual residents, the sum of its 19 categories in the ONS bulletin figures.
    let wd = Workdir::new();
    let path = fixture("census2021-tidy.csv");
    let out = wd
        .run(&[
            "census",
            path.to_str().unwrap(),
            "--list-areas",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(
        out,
        "area_code,area_name,population_n\nE07000092,Rushmoor,99759\nE07000089,Hart,99404\n"
    );
}

#[test]
fn unknown_area_lists_the_closest() {
    let wd = Workdir::new();
    let path = fixture("census2021-tidy.csv");
    wd.run(&["census", path.to_str().unwrap(), "--area", "E07000093"])
        .fails(
            1,
            &[
                "census2021-tidy.csv",
                "no area matches 'E07000093'",
                "E07000092 Rushmoor",
            ],
        );
    wd.run(&["census", path.to_str().unwrap(), "--area", "Rushmor"])
        .fails(1, &["E07000092 Rushmoor"]);
}

#[test]
fn several_areas_without_area_is_a_usage_error() {
    let wd = Workdir::new();
    let path = fixture("census2021-tidy.csv");
    wd.run(&["census", path.to_str().unwrap()])
        .fails(2, &["holds 2 areas", "--area E07000092"]);
}

const TIDY_HEADER: &str = "area_code,area_name,ethnic_group,count\n";

/// Every Census 2021 category for one area, each with `count`, in the tidy layout (no header).
fn complete_area(code: &str, name: &str, count: u64, delimiter: char) -> String {
    repgap::classify::EthnicGroup::ALL
        .iter()
        .map(|g| {
            format!(
                "{code}{delimiter}{name}{delimiter}\"{}\"{delimiter}{count}\n",
                g.label()
            )
        })
        .collect()
}

fn tidy_with(bad: &str) -> String {
    format!(
        "{TIDY_HEADER}E1,Town,\"Asian, Asian British or Asian Welsh: Indian\",10\nE1,Town,White: Irish,{bad}\nE1,Town,White: Roma,0\n"
    )
}

#[test]
fn bad_census_counts_name_file_row_column_and_value() {
    let wd = Workdir::new();
    wd.write("text.csv", &tidy_with("ten"));
    wd.run(&["census", "text.csv"]).fails(
        1,
        &[
            "text.csv, row 3, column 'count'",
            "\"ten\"",
            "must be a number",
        ],
    );
    wd.write("negative.csv", &tidy_with("-4"));
    wd.run(&["census", "negative.csv"]).fails(
        1,
        &[
            "negative.csv, row 3, column 'count'",
            "\"-4\"",
            "cannot be negative",
        ],
    );
    wd.write("percent.csv", &tidy_with("0.7"));
    wd.run(&["census", "percent.csv"])
        .fails(1, &["row 3", "whole number", "percentages"]);
    wd.write("blank.csv", &tidy_with(""));
    wd.run(&["census", "blank.csv"])
        .fails(1, &["row 3", "missing"]);
}

#[test]
fn area_with_zero_population_is_an_error() {
    let wd = Workdir::new();
    wd.write(
        "zero.csv",
        &format!(
            "{TIDY_HEADER}{}{}",
            complete_area("E1", "Town", 0, ','),
            complete_area("E2", "City", 5, ',')
        ),
    );
    wd.run(&["census", "zero.csv", "--area", "E1"])
        .fails(1, &["zero.csv", "Town (E1)", "population of 0"]);
}

#[test]
fn a_missing_category_is_an_error_not_a_zero() {
    let wd = Workdir::new();
    let full = complete_area("E1", "Town", 7, ',');
    // Drop the Pakistani row: a truncated export.
    let truncated: String = full
        .lines()
        .filter(|l| !l.contains("Pakistani"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.write("truncated.csv", &format!("{TIDY_HEADER}{truncated}"));
    wd.run(&["census", "truncated.csv"]).fails(
        1,
        &[
            "truncated.csv, row 2",
            "Town (E1) has no count for 1 of the categories",
            "Asian, Asian British or Asian Welsh: Pakistani",
            "write 0",
        ],
    );
    wd.write("full.csv", &format!("{TIDY_HEADER}{full}"));
    wd.run(&["census", "full.csv"]).ok();
}

#[test]
fn unreadable_census_files() {
    let wd = Workdir::new();
    wd.run(&["census", "missing.csv"])
        .fails(1, &["cannot read missing.csv"]);
    wd.write("empty.csv", "");
    wd.run(&["census", "empty.csv"])
        .fails(1, &["empty.csv: the file is empty"]);
    wd.write("header.csv", TIDY_HEADER);
    wd.run(&["census", "header.csv"])
        .fails(1, &["header.csv", "no data rows"]);
    wd.write(
        "semi.csv",
        &format!(
            "area_code;area_name;ethnic_group;count\n{}",
            complete_area("E1", "Town", 4, ';')
        ),
    );
    // Semicolons are detected; a delimiter given that the file does not use is refused.
    wd.run(&["census", "semi.csv", "--delimiter", ","])
        .fails(1, &["semi.csv", "semicolons", "--delimiter ';'"]);
    wd.run(&["census", "semi.csv", "--format", "csv"]).ok();
    wd.run(&["census", "semi.csv", "--delimiter", ";", "--format", "csv"])
        .ok();
    wd.write("other.csv", "a,b,c\n1,2,3\n");
    wd.run(&["census", "other.csv"]).fails(
        1,
        &["other.csv", "cannot tell which Census layout", "a,b,c"],
    );
    wd.write(
        "nocount.csv",
        "area_code,area_name,ethnic_group,people\nE1,T,White: Irish,4\n",
    );
    wd.run(&["census", "nocount.csv"]).fails(
        1,
        &[
            "no column named 'count'",
            "area_code, area_name, ethnic_group, people",
        ],
    );
}

#[test]
fn detailed_table_is_refused_with_its_columns_named() {
    let wd = Workdir::new();
    wd.write(
        "ts022.csv",
        "date,geography,geography code,Ethnic group (detailed): Total: All usual residents,\"Ethnic group (detailed): Asian, Asian British or Asian Welsh: Afghan\"\n2021,Town,E1,10,10\n",
    );
    wd.run(&["census", "ts022.csv"])
        .fails(1, &["Afghan", "TS022 are not supported"]);
}
