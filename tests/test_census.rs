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

fn profile_with(file: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let wd = Workdir::new();
    let mut args = vec!["census", file.to_str().unwrap(), "--format", "json"];
    args.extend(extra);
    serde_json::from_str(&wd.run(&args).ok()).unwrap()
}

const ASIAN: &str = "Asian, Asian British or Asian Welsh";
const WHITE_BRITISH: &str = "White: English, Welsh, Scottish, Northern Irish or British";
const WHITE_OTHER: &str = "White: Gypsy or Irish Traveller, Roma or Other White";

/// Rushmoor's real RM038 rows, summed over gender identity by hand: Asian 10,876 + 196 + 1,017
/// = 12,089; White British 55,108 + 197 + 2,444 = 57,749; Gypsy or Irish Traveller, Roma or
/// Other White 4,310 + 50 + 399 = 4,759; all 80,872 residents aged 16 and over.
#[test]
fn rm038_gives_residents_aged_16_and_over_in_8_categories() {
    let file =
        crate::workdir::project("datasets/census/census2021-rm038-rushmoor-and-neighbours.csv");
    let json = profile_with(
        &file,
        &[
            "--area",
            "E07000092",
            "--level",
            "high,eight-categories,detailed",
        ],
    );
    assert_eq!(json["population_total"], 80_872);
    assert_eq!(
        json["comparator"],
        "Census 2021 usual residents aged 16 and over, Rushmoor (E07000092)"
    );
    assert_eq!(count(&json, "eight-categories", ASIAN), 12_089);
    assert_eq!(count(&json, "high", ASIAN), 12_089);
    assert_eq!(count(&json, "eight-categories", WHITE_BRITISH), 57_749);
    assert_eq!(count(&json, "eight-categories", WHITE_OTHER), 4_759);
    assert_eq!(count(&json, "high", "White"), 57_749 + 599 + 1 + 38 + 4_759);
    // The 19 categories cannot come from 8: left out of the profile, never guessed.
    assert!(!json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["level"] == "detailed"));
    // Two areas summed into one comparator.
    let both = profile_with(&file, &["--area", "E07000092", "--area", "E07000089"]);
    assert_eq!(both["areas"].as_array().unwrap().len(), 2);
    assert!(both["population_total"].as_u64().unwrap() > 80_872);
}

/// Census 2011 DC2101EW (Nomis bulk, 1,587 columns of sex × age × ethnic group), the real South
/// East row. Checked against the table's own "All categories" and subtotal columns, which
/// repgap does not add up: all persons aged 16 to 64 are 5,510,646, of them Asian 322,690 and
/// Other White 295,517.
#[test]
fn working_age_from_a_census_2011_dc2101ew_table() {
    let file = fixture("census2011-dc2101ew-south-east.csv");
    let all = profile_with(&file, &["--level", "high"]);
    assert_eq!(all["population_total"], 8_634_750);
    let json = profile_with(
        &file,
        &["--comparator", "working-age", "--level", "high,detailed"],
    );
    assert_eq!(json["population_total"], 5_510_646);
    assert_eq!(json["census_year"], 2011);
    assert_eq!(
        json["comparator"],
        "Census 2011 working-age residents (16–64), South East (E12000008)"
    );
    assert_eq!(count(&json, "high", ASIAN), 322_690);
    assert_eq!(count(&json, "detailed", "White: Other White"), 295_517);
    let wd = Workdir::new();
    wd.run(&[
        "census",
        file.to_str().unwrap(),
        "--comparator",
        "working-age",
        "--ages",
        "18-60",
    ])
    .fails(
        1,
        &[
            "do not split at ages 18–60",
            "the bands are 0–4, 5–7, 8–9, 10–14, 15, 16–17, 18–19",
            "85+",
            "ages = [16, 64]",
        ],
    );
}

/// An RM032-layout table (ONS custom dataset: ethnic group 20 categories × sex × age in 6
/// bands) whose count for ethnic code e, age band a (1–6) and sex s (1–2) is 100e + 10a + s.
/// Indian (code 3) aged 16–64 is bands 2–5 for both sexes: 8 × 300 + 10 × 2 × (2 + 3 + 4 + 5)
/// + 4 × (1 + 2) = 2,692; aged 16–34, bands 2–3: 4 × 300 + 10 × 2 × 5 + 2 × 3 = 1,306.
#[test]
fn working_age_from_an_rm032_layout_table() {
    let file = fixture("census2021-rm032-layout.csv");
    let indian = "Asian, Asian British or Asian Welsh: Indian";
    let json = profile_with(
        &file,
        &[
            "--area",
            "E99999901",
            "--comparator",
            "working-age",
            "--level",
            "detailed",
        ],
    );
    assert_eq!(count(&json, "detailed", indian), 2_692);
    assert_eq!(json["residents"], "working-age residents (16–64)");
    let json = profile_with(
        &file,
        &[
            "--area", "Testtown", "--ages", "16-34", "--level", "detailed",
        ],
    );
    assert_eq!(count(&json, "detailed", indian), 1_306);
    // All residents: every band, both sexes: 12 × 300 + 10 × 2 × 21 + 6 × 3 = 4,038.
    let json = profile_with(&file, &["--area", "E99999901", "--level", "detailed"]);
    assert_eq!(count(&json, "detailed", indian), 4_038);
    let wd = Workdir::new();
    wd.run(&[
        "census",
        file.to_str().unwrap(),
        "--area",
        "E99999901",
        "--ages",
        "20-64",
    ])
    .fails(
        1,
        &[
            "'Age (6 categories)'",
            "0–15, 16–24, 25–34, 35–49, 50–64, 65+",
        ],
    );
    wd.run(&[
        "census",
        file.to_str().unwrap(),
        "--comparator",
        "all-residents",
        "--ages",
        "16-64",
    ])
    .fails(2, &["working-age"]);
    wd.run(&["census", file.to_str().unwrap(), "--comparator", "everyone"])
        .fails(2, &["not a comparator", "aged-16-plus"]);
}

/// An RM018-layout table (economic activity × 8 ethnic categories) whose count for ethnic code
/// e and activity code a is 1000e + 10a. Asian (e = 1), aged 16 and over: activities 1–6,
/// 6,000 + 210 = 6,210; economically active, activities 1–3 (in employment, unemployed, a
/// full-time student active): 3,000 + 60 = 3,060.
#[test]
fn economically_active_from_an_rm018_layout_table() {
    let file = fixture("census2021-rm018-layout.csv");
    let json = profile_with(&file, &["--level", "eight-categories"]);
    assert_eq!(count(&json, "eight-categories", ASIAN), 6_210);
    let json = profile_with(
        &file,
        &[
            "--comparator",
            "economically-active",
            "--level",
            "eight-categories",
        ],
    );
    assert_eq!(count(&json, "eight-categories", ASIAN), 3_060);
    assert_eq!(
        json["comparator"],
        "Census 2021 economically active residents aged 16 and over, Testtown (E99999901)"
    );
    let wd = Workdir::new();
    let ts021 = fixture("census2021-tidy.csv");
    wd.run(&[
        "census",
        ts021.to_str().unwrap(),
        "--area",
        "E07000092",
        "--comparator",
        "economically-active",
    ])
    .fails(1, &["no economic activity", "RM018"]);
    wd.run(&[
        "census",
        ts021.to_str().unwrap(),
        "--area",
        "E07000092",
        "--comparator",
        "aged-16-plus",
    ])
    .fails(1, &["usual residents of all ages", "RM032", "RM038"]);
}

/// The workforce against working-age residents, through `representation`: the comparator is
/// named in the report and the population counts are the 16–64 ones; a level the comparator's
/// table cannot give is refused with the levels it can.
#[test]
fn representation_names_the_comparator_and_refuses_levels_it_cannot_give() {
    let wd = Workdir::new();
    let workforce = fixture("workforce-small.csv");
    let rm032 = fixture("census2021-rm032-layout.csv");
    let out = wd
        .run(&[
            "representation",
            "--census",
            rm032.to_str().unwrap(),
            "--area",
            "E99999901",
            "--comparator",
            "working-age",
            "--workforce",
            workforce.to_str().unwrap(),
            "--level",
            "detailed",
            "--format",
            "json",
        ])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["comparator"],
        "Census 2021 working-age residents (16–64), Testtown (E99999901)"
    );
    assert_eq!(json["residents"], "working-age residents (16–64)");
    let indian = json["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "Asian, Asian British or Asian Welsh: Indian")
        .unwrap()
        .clone();
    assert_eq!(indian["population_n"], 2_692);

    let dc2101 = fixture("census2011-dc2101ew-south-east.csv");
    let out = wd
        .run(&[
            "representation",
            "--census",
            dc2101.to_str().unwrap(),
            "--comparator",
            "working-age",
            "--workforce",
            workforce.to_str().unwrap(),
            "--format",
            "json",
        ])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["population_total"], 5_510_646);
    let asian = &json["tables"][0]["rows"][0];
    assert_eq!(asian["population_n"], 322_690);

    let rm038 =
        crate::workdir::project("datasets/census/census2021-rm038-rushmoor-and-neighbours.csv");
    wd.run(&[
        "representation",
        "--census",
        rm038.to_str().unwrap(),
        "--area",
        "E07000092",
        "--workforce",
        workforce.to_str().unwrap(),
        "--level",
        "high,detailed",
    ])
    .fails(
        2,
        &[
            "usual residents aged 16 and over, Rushmoor (E07000092)",
            "cannot give level detailed",
            "eight-categories",
            "levels = [\"high\"]",
            "RM032",
        ],
    );
}

/// The detailed table (TS022, 287 answers) rolled up to the 19 categories agrees with the
/// published 19-category table (TS021) in all 10 Greater Manchester districts, to within the
/// few people Census perturbation moves (largest difference measured: 20, Manchester's
/// Caribbean).
#[test]
fn detailed_answers_roll_up_to_the_published_19_categories() {
    let detailed = fixture("census2021-ts022-greater-manchester.csv");
    let published = fixture("census2021-ts021-greater-manchester.csv");
    let codes: Vec<String> = (1..=10).map(|i| format!("E080000{i:02}")).collect();
    let mut largest = 0i64;
    for code in &codes {
        let rolled = profile_with(&detailed, &["--area", code, "--level", "high,detailed"]);
        let table = profile_with(&published, &["--area", code, "--level", "high,detailed"]);
        let rows = |j: &serde_json::Value| -> Vec<(String, String, i64)> {
            j["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["level"].as_str().unwrap().to_string(),
                        r["group"].as_str().unwrap().to_string(),
                        r["population_n"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let (a, b) = (rows(&rolled), rows(&table));
        assert_eq!(a.len(), 24, "{code}");
        for ((level, group, x), (_, group_b, y)) in a.iter().zip(&b) {
            assert_eq!(group, group_b);
            let diff = (x - y).abs();
            assert!(
                diff <= 25,
                "{code} {level} {group}: {x} rolled up against {y} published"
            );
            largest = largest.max(diff);
        }
        let total = |j: &serde_json::Value| j["population_total"].as_i64().unwrap();
        assert!((total(&rolled) - total(&table)).abs() <= 15, "{code}");
    }
    assert!(
        largest > 0,
        "perturbation makes the tables differ somewhere"
    );
}

/// A group across the classification, from the detailed table: Rushmoor's Nepali residents are
/// 8,990 "Asian …: Nepali (includes Gurkha)" + 1,583 "Other ethnic group: Nepali (includes
/// Gurkha)" = 10,573 over its 13 wards, of 99,760 (10.6%).
#[test]
fn a_group_across_the_classification_from_the_detailed_table() {
    let wards = crate::workdir::project("datasets/census/census2021-ts022-rushmoor-wards.csv");
    let nepali = "Nepali=Asian, Asian British or Asian Welsh: Nepali (includes Gurkha)|Other ethnic group: Nepali (includes Gurkha)";
    let json = profile_with(&wards, &["--area", "all", "--group", nepali]);
    assert_eq!(json["population_total"], 99_760);
    assert_eq!(json["groups"][0]["group"], "Nepali");
    assert_eq!(json["groups"][0]["population_n"], 10_573);
    let share = json["groups"][0]["population_share"].as_f64().unwrap();
    assert!((share - 10_573.0 / 99_760.0).abs() < 1e-12);
    // One ward.
    let json = profile_with(&wards, &["--area", "Empress", "--group", nepali]);
    assert!(json["groups"][0]["population_n"].as_u64().unwrap() < 10_573);
    let wd = Workdir::new();
    wd.run(&[
        "census",
        wards.to_str().unwrap(),
        "--area",
        "all",
        "--group",
        "Nepali=Asian: Nepali",
    ])
    .fails(
        1,
        &[
            "no detailed group 'Asian: Nepali'",
            "\"Asian, Asian British or Asian Welsh: Nepali (includes Gurkha)\"",
        ],
    );
    let ts021 = fixture("census2021-tidy.csv");
    wd.run(&[
        "census",
        ts021.to_str().unwrap(),
        "--area",
        "E07000092",
        "--group",
        nepali,
    ])
    .fails(1, &["no detailed ethnic groups", "TS022"]);
}

/// The demo's Nepali group (staff recorded as "Nepalese", "Nepali" or "Gurkha") against
/// Rushmoor's Nepali residents, worked by hand: 17 of the 386 staff who stated an ethnicity
/// (9 "Gurkha" + 8 "Nepalese" in the synthetic file), 4.404%; Wilson 95% interval
/// (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n) with z = 1.959964: 2.7676% to 6.9392%;
/// residents 10,573 of 99,760 = 10.598%; gap −6.194 points.
#[test]
fn the_demo_nepali_group_against_residents_by_hand() {
    let wd = Workdir::new();
    wd.run(&["run"]).ok();
    let rows = parse_csv(&wd.read("repgap-output/workforce-groups.csv"));
    let nepali = rows.iter().find(|r| r["group"] == "Nepali").unwrap();
    let (x, n) = (17.0f64, 386.0f64);
    let z = 1.959_963_984_540_054f64;
    let p = x / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    let num = |k: &str| nepali[k].parse::<f64>().unwrap();
    assert_eq!(nepali["workforce_n"], "17");
    assert!((num("workforce_share") - p).abs() < 1e-6);
    assert!((num("workforce_ci_low") - (centre - half)).abs() < 1e-6);
    assert!((num("workforce_ci_high") - (centre + half)).abs() < 1e-6);
    assert!((num("workforce_ci_low") - 0.027676).abs() < 1e-6);
    assert!((num("workforce_ci_high") - 0.069392).abs() < 1e-6);
    assert_eq!(nepali["population_n"], "10573");
    let pop = 10_573.0 / 99_760.0;
    assert!((num("population_share") - pop).abs() < 1e-6);
    assert!((num("gap_pp") - (p - pop) * 100.0).abs() < 1e-4);
    assert_eq!(nepali["assessment"], "under-represented");
    let others = rows.iter().find(|r| r["group"] != "Nepali").unwrap();
    assert_eq!(others["workforce_n"], "369");
    assert_eq!(others["population_n"], (99_760 - 10_573).to_string());
    let annex = wd.read("repgap-output/annex/annex.md");
    assert!(
        annex.contains("10,573 residents (10.6%) are Nepali: 8,990"),
        "annex"
    );
    assert!(annex.contains("Census 2021 usual residents, Rushmoor (13 wards)"));
}

/// Rushmoor from Census 2011 (QS201EW) to Census 2021 (TS021), by hand: Other Asian 7,107 of
/// 93,807 (7.5762%) to 10,526 of 99,759 (10.5514%), +2.9752 points; Other White with Roma at
/// both censuses 3,136 to 5,346 + 108 = 5,454.
#[test]
fn change_since_2011_with_roma_in_other_white() {
    let later = crate::workdir::project(
        "datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv",
    );
    let earlier =
        crate::workdir::project("datasets/census/census2011-qs201ew-rushmoor-and-neighbours.csv");
    let json = profile_with(
        &later,
        &["--area", "Rushmoor", "--since", earlier.to_str().unwrap()],
    );
    assert_eq!(json["earlier_total"], 93_807);
    assert_eq!(json["later_total"], 99_759);
    let row = |group: &str| {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["level"] == "detailed" && r["group"] == group)
            .unwrap_or_else(|| panic!("no {group}"))
            .clone()
    };
    let other_asian = row("Asian, Asian British or Asian Welsh: Other Asian");
    assert_eq!(other_asian["earlier_n"], 7_107);
    assert_eq!(other_asian["later_n"], 10_526);
    let expected = (10_526.0 / 99_759.0 - 7_107.0 / 93_807.0) * 100.0;
    assert!((other_asian["change_pp"].as_f64().unwrap() - expected).abs() < 1e-9);
    assert!((expected - 2.9752).abs() < 1e-4);
    let other_white = row("White: Other White (including Roma)");
    assert_eq!(other_white["earlier_n"], 3_136);
    assert_eq!(other_white["later_n"], 5_454);
    let detailed = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "detailed")
        .count();
    assert_eq!(detailed, 18, "Roma are not a row of their own");
    let harmonised = json["harmonisations"].to_string();
    assert!(harmonised.contains("no Roma category"));
    assert!(harmonised.contains("Asian/Asian British"));
    // The same residents at both censuses, or an error.
    let wd = Workdir::new();
    let rm038 =
        crate::workdir::project("datasets/census/census2021-rm038-rushmoor-and-neighbours.csv");
    wd.run(&[
        "census",
        rm038.to_str().unwrap(),
        "--area",
        "E07000092",
        "--since",
        earlier.to_str().unwrap(),
    ])
    .fails(2, &["count different residents"]);
    wd.run(&[
        "census",
        earlier.to_str().unwrap(),
        "--area",
        "E07000092",
        "--since",
        later.to_str().unwrap(),
    ])
    .fails(2, &["earlier table is from Census 2021"]);
}

/// The demo annex gives Rushmoor's change since 2011 under the recommendation to refresh the
/// borough profile, with every harmonisation stated.
#[test]
fn the_demo_annex_states_the_change_since_2011_and_its_harmonisations() {
    let wd = Workdir::new();
    wd.run(&["run"]).ok();
    let annex = wd.read("repgap-output/annex/annex.md");
    for needle in [
        "Change since Census 2011 (`census.change_since_2011`)",
        "Between Census 2011 and Census 2021, Rushmoor went from 93,807 to 99,759 residents.",
        "The White British share went from 80.5% to 71.1% (-9.4 points).",
        "areas matched by code (E07000092)",
        "Roma wrote in under Other White",
        "Asian/Asian British as Asian, Asian British or Asian Welsh",
        "cell key method",
    ] {
        assert!(annex.contains(needle), "annex lacks {needle:?}");
    }
    let csv = parse_csv(&wd.read("repgap-output/census-change.csv"));
    assert_eq!(csv.len(), 5 + 18);
}

/// Each ward's profile from the real TS022 ward table: Cherrywood's Nepali residents are
/// 1,845 + 429 = 2,274 of its 8,810 (25.81%), Knellwood's 106 + 16 = 122 of 7,430 (1.64%); the
/// 13 wards' Nepali residents sum to 10,573.
#[test]
fn each_ward_s_profile_shows_where_communities_live() {
    let wards = crate::workdir::project("datasets/census/census2021-ts022-rushmoor-wards.csv");
    let nepali = "Nepali=Asian, Asian British or Asian Welsh: Nepali (includes Gurkha)|Other ethnic group: Nepali (includes Gurkha)";
    let wd = Workdir::new();
    let out = wd
        .run(&[
            "census",
            wards.to_str().unwrap(),
            "--area",
            "all",
            "--by-area",
            "--group",
            nepali,
            "--format",
            "csv",
        ])
        .ok();
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 13 * 6);
    let nepali_rows: Vec<_> = rows.iter().filter(|r| r["group"] == "Nepali").collect();
    let sum: u64 = nepali_rows
        .iter()
        .map(|r| r["population_n"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(sum, 10_573);
    let cherrywood = nepali_rows
        .iter()
        .find(|r| r["area_name"] == "Cherrywood")
        .unwrap();
    assert_eq!(cherrywood["population_n"], "2274");
    let share: f64 = cherrywood["population_share"].parse().unwrap();
    assert!((share - 2_274.0 / 8_810.0).abs() < 1e-6);
    let all: f64 = cherrywood["all_areas_share"].parse().unwrap();
    assert!((all - 10_573.0 / 99_760.0).abs() < 1e-6);
    // The demo's annex names the wards with the lowest and highest shares.
    wd.run(&["run"]).ok();
    let annex = wd.read("repgap-output/annex/annex.md");
    assert!(
        annex.contains(
            "Nepali: 10.6% of all residents, from 1.6% in Knellwood to 25.8% in Cherrywood."
        ),
        "annex"
    );
    assert!(wd.path("repgap-output/census-areas.csv").exists());
}

/// Mistakes in the new sections are config errors naming the section and the fix.
#[test]
fn groups_change_and_areas_config_mistakes() {
    let wd = Workdir::new();
    let demo = std::fs::read_to_string(crate::workdir::project("datasets/demo/repgap.toml"))
        .unwrap()
        .replace(
            "file = \"",
            &format!(
                "file = \"{}/",
                crate::workdir::project("datasets/demo").display()
            ),
        )
        .replace(
            "earlier = \"",
            &format!(
                "earlier = \"{}/",
                crate::workdir::project("datasets/demo").display()
            ),
        )
        .replace(
            "later = \"",
            &format!(
                "later = \"{}/",
                crate::workdir::project("datasets/demo").display()
            ),
        )
        .replace(
            "margins = \"",
            &format!(
                "margins = \"{}/",
                crate::workdir::project("datasets/demo").display()
            ),
        );
    let twice = demo.replace(
        "labels = [\"Nepalese\", \"Nepali\", \"Gurkha\"]",
        "labels = [\"Nepalese\", \"Nepali\", \"Gurkha\"]\n\n[[groups.group]]\nname = \"Gurkha\"\ncensus = [\"Other ethnic group: Nepali (includes Gurkha)\"]\nlabels = [\"gurkha\"]",
    );
    wd.write("twice.toml", &twice);
    wd.run(&["run", "twice.toml", "--output-dir", "out"])
        .fails(2, &["'gurkha' is in two groups, Nepali and Gurkha"]);
    assert!(!wd.path("out").exists());
    let no_labels = demo.replace(
        "labels = [\"Nepalese\", \"Nepali\", \"Gurkha\"]",
        "labels = []",
    );
    wd.write("none.toml", &no_labels);
    wd.run(&["run", "none.toml", "--output-dir", "out"])
        .fails(2, &["group 'Nepali' needs census and labels"]);
    let wrong_answer = demo.replacen(
        "\"Other ethnic group: Nepali (includes Gurkha)\",",
        "\"Other ethnic group: Nepalese\",",
        1,
    );
    wd.write("answer.toml", &wrong_answer);
    wd.run(&["run", "answer.toml", "--output-dir", "out"])
        .fails(
            1,
            &[
                "no detailed group 'Other ethnic group: Nepalese'",
                "Nepali (includes Gurkha)",
            ],
        );
    let ages = demo.replace("later = \"", "ages = [16, 64]\nlater = \"");
    wd.write("ages.toml", &ages);
    wd.run(&["run", "ages.toml", "--output-dir", "out"]).fails(
        2,
        &["[change] ages are for comparator = \"working-age\" only"],
    );
    let level = demo.replace(
        "name = \"Rushmoor (13 wards)\"\n\n[[areas.group]]",
        "name = \"Rushmoor (13 wards)\"\nlevel = \"wards\"\n\n[[areas.group]]",
    );
    wd.write("level.toml", &level);
    wd.run(&["run", "level.toml", "--output-dir", "out"])
        .fails(2, &["[areas] level \"wards\" is not a level"]);
    assert!(!wd.path("out").exists());
}

mod comparator_properties {
    use proptest::prelude::*;
    use repgap::classify::EthnicGroup;
    use repgap::ingest::csvfile::ReadOptions;
    use repgap::ingest::{CensusTable, Comparator};

    const AGES: [&str; 6] = [
        "Aged 15 years and under",
        "Aged 16 to 24 years",
        "Aged 25 to 34 years",
        "Aged 35 to 49 years",
        "Aged 50 to 64 years",
        "Aged 65 years and over",
    ];

    /// An RM032-layout table of one area with these counts (ethnic group × sex × age band).
    fn table(counts: &[u64]) -> CensusTable {
        let mut text = String::from("LTLA Code,LTLA,Ethnic group (20 categories) Code,Ethnic group (20 categories),Sex (2 categories) Code,Sex (2 categories),Age (6 categories) Code,Age (6 categories),Observation\n");
        let mut i = 0;
        for g in EthnicGroup::ALL {
            for (s, sex) in ["Female", "Male"].iter().enumerate() {
                for (a, age) in AGES.iter().enumerate() {
                    text.push_str(&format!(
                        "E1,Town,{},\"{}\",{},{sex},{},{age},{}\n",
                        g.ons_code(),
                        g.label(),
                        s + 1,
                        a + 1,
                        counts[i]
                    ));
                    i += 1;
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rm032.csv");
        std::fs::write(&path, text).unwrap();
        CensusTable::read(&path, ReadOptions::DETECT).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        /// Adjacent age ranges add up to the range they make, every group alike; all ages add up
        /// to all residents; every count is the sum of its cells by hand.
        #[test]
        fn age_ranges_add_up(counts in proptest::collection::vec(1u64..500, 19 * 2 * 6)) {
            let t = table(&counts);
            let area = ["E1".to_string()];
            let range = |from, to| t.select(&area, Some(Comparator::WorkingAge { from, to })).unwrap();
            let (young, old, both) = (range(16, 34), range(35, 64), range(16, 64));
            let all = t.select(&area, None).unwrap();
            let sixteen = t.select(&area, Some(Comparator::AgedSixteenPlus)).unwrap();
            for (i, g) in EthnicGroup::ALL.into_iter().enumerate() {
                let cell = |s: usize, a: usize| counts[i * 12 + s * 6 + a];
                let by_hand = |ages: std::ops::Range<usize>| -> u64 {
                    (0..2).flat_map(|s| ages.clone().map(move |a| (s, a))).map(|(s, a)| cell(s, a)).sum()
                };
                let n = |p: &repgap::ingest::Population| p.count(&[g]).unwrap();
                prop_assert_eq!(n(&young) + n(&old), n(&both));
                prop_assert_eq!(n(&both), by_hand(1..5));
                prop_assert_eq!(n(&sixteen), by_hand(1..6));
                prop_assert_eq!(n(&all), by_hand(0..6));
            }
            prop_assert_eq!(all.total(), counts.iter().sum::<u64>());
        }
    }
}
