use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::ingest::csvfile::ReadOptions;
use crate::ingest::CensusTable;

/// Start a council's own run: a commented config for its area and header-only templates of
/// the files it reads.
///
/// Writes repgap.toml (the Census table and areas, the workforce, representation by grade and
/// department, and commented sections for pay, likelihood, recruitment, trends, the survey and
/// the recommendations register), workforce.csv, recommendations.csv and survey.csv (headers
/// only) into --dir. Refuses to replace any file that is already there. With --census, the
/// areas are checked against the table first.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap init --area E07000092 --census census2021-ts021-ltla.csv
  repgap init --area Calderdale --dir evidence/2026")]
pub struct Args {
    /// The comparator area, by code or name as in the Census table; repeat to sum several.
    #[arg(long = "area", value_name = "CODE_OR_NAME", required = true)]
    areas: Vec<String>,
    /// The Census 2021 ethnic-group table (e.g. the Nomis bulk file census2021-ts021-ltla.csv).
    #[arg(long, value_name = "FILE")]
    census: Option<PathBuf>,
    /// The folder to write into (created if needed).
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

const WORKFORCE: &str = "employee_id,ethnicity,grade,department,hourly_pay,full_pay_relevant,bonus_12m,entered_disciplinary,non_mandatory_training,left_in_period\n";
const REGISTER: &str = "id,module,recommendation,response,actions,lead,due,status,evidence\n";
const SURVEY: &str = "respondent_id,ethnicity,age_band,sex,ward,design_weight,treats_fairly\n";

pub fn run(args: Args) -> anyhow::Result<i32> {
    if let Some(census) = &args.census {
        // An area the table does not hold is better found now than on the first run.
        CensusTable::read(census, ReadOptions::DETECT)?.select(&args.areas, None)?;
    }
    let files: Vec<(&str, String)> = vec![
        ("repgap.toml", config(&args)),
        ("workforce.csv", WORKFORCE.to_string()),
        ("recommendations.csv", REGISTER.to_string()),
        ("survey.csv", SURVEY.to_string()),
    ];
    let taken: Vec<String> = files
        .iter()
        .map(|(name, _)| args.dir.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !taken.is_empty() {
        return Err(Error::usage(
            format!(
                "{} already exist(s): repgap init never replaces a file",
                taken.join(", ")
            ),
            "choose another folder with --dir, or move those files",
        )
        .into());
    }
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::io(&args.dir, e))?;
    for (name, text) in &files {
        crate::output::write_atomic(&args.dir.join(name), text.as_bytes(), &[])?;
    }
    println!(
        "Wrote repgap.toml, workforce.csv, recommendations.csv and survey.csv to {}.\nNext: put one row per employee in workforce.csv (or point [workforce] file at your HR extract), then run: repgap run {}",
        args.dir.display(),
        args.dir.join("repgap.toml").display()
    );
    Ok(0)
}

/// The Census file as the config names it: relative to the config's folder when it can be.
fn census_path(args: &Args) -> String {
    let Some(census) = &args.census else {
        return "census2021-ts021-ltla.csv".to_string();
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (census, dir) = (absolute(census), absolute(&args.dir));
    // Forward slashes: a Windows path in double quotes would need every backslash escaped.
    census
        .strip_prefix(&dir)
        .map(Path::to_path_buf)
        .unwrap_or(census)
        .display()
        .to_string()
        .replace('\\', "/")
}

fn config(args: &Args) -> String {
    let areas: Vec<String> = args.areas.iter().map(|a| format!("{a:?}")).collect();
    let census_note = if args.census.is_some() {
        "# The Census 2021 ethnic-group table (checked: it holds the areas below)."
    } else {
        "# The Census 2021 ethnic-group table: download TS021 for local authorities from Nomis\n# (census2021-ts021, bulk download) and save it beside this file."
    };
    format!(
        r#"# repgap run configuration. Paths are relative to this file. Run: repgap run repgap.toml
output_dir = "repgap-output"

[census]
{census_note}
file = {census:?}
# Codes or names; several are summed (e.g. a travel-to-work area).
areas = [{areas}]
# Who the workforce is compared with. TS021 counts all usual residents; for residents aged 16
# and over use RM038 (comparator = "aged-16-plus"), for working age RM032 with single years or
# bands that split at the ages (comparator = "working-age", ages = [16, 64]), for the
# economically active RM018 (comparator = "economically-active").
# comparator = "all-residents"

[workforce]
# One row per employee (or a published profile: count_column = "Headcount").
file = "workforce.csv"
ethnicity_column = "ethnicity"
id_column = "employee_id"
# delimiter, header_row and sheet (for a workbook) are detected; set them if needed.

[representation]
levels = ["high", "detailed", "white-british", "white"]
by = ["grade", "department"]
confidence = 0.95
min_cell = 5

# [representation.order]
# grade = ["Grade 1", "Grade 2", "Grade 3"]   # lowest first, every grade in the data

# [seniority]
# column = "grade"                            # needs [representation.order] for it

# [pay_gap]
# hourly_pay_column = "hourly_pay"
# full_pay_relevant_column = "full_pay_relevant"
# bonus_column = "bonus_12m"

# [likelihood]
# outcomes = ["entered_disciplinary", "non_mandatory_training", "left_in_period"]

# [recruitment]
# file = "applicants.csv"                     # one row per applicant: ethnicity, stage

# [trends]
# file = "snapshots.csv"                      # one row per employee per snapshot date

# [survey]
# file = "survey.csv"                         # see docs/FORMATS.md for margins and questions

# [register]
# file = "recommendations.csv"                # the peer challenge's recommendations

[disclosure]
# Every withheld figure is [c]. round_to = 5 also rounds every count shown.
"#,
        census = census_path(args),
        areas = areas.join(", "),
    )
}
