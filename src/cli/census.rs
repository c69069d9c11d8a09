use std::path::PathBuf;

use super::{emit, parse_delimiter, warn, ComparatorArgs, Format, OutputArgs};
use crate::ingest::CensusTable;
use crate::output::{fixed, population_profile, text_table, to_json};

/// Show the population profile by ethnic group of one or more Census areas.
///
/// Reads the Nomis bulk download, the ONS custom-dataset download or the tidy layout
/// (area_code,area_name,ethnic_group,count), Census 2021 or 2011. Several --area values are
/// summed into one comparator.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap census datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv --area E07000092
  repgap census census.csv --area Rushmoor --area Hart --level detailed --format csv
  repgap census census.csv --list-areas")]
pub struct Args {
    /// The Census table.
    #[arg(value_name = "CENSUS_FILE")]
    census: PathBuf,
    /// Area code or name; repeat to sum several areas.
    #[arg(long = "area", value_name = "CODE_OR_NAME")]
    areas: Vec<String>,
    #[command(flatten)]
    comparator: ComparatorArgs,
    /// Levels to show (detailed, high, eight-categories, white-british, white),
    /// comma-separated or repeated; those the table cannot give are left out.
    #[arg(long = "level", value_delimiter = ',', default_values_t = vec!["high".to_string(), "detailed".to_string()])]
    levels: Vec<String>,
    /// A group of a detailed table (TS022) to count: NAME=LABEL|LABEL|…, its labels as the
    /// table writes them; repeat for several.
    #[arg(long = "group", value_name = "NAME=LABELS")]
    groups: Vec<String>,
    /// The earlier census's table (Census 2011) for the same areas: show the change since
    /// then, harmonised, instead of the profile.
    #[arg(long, value_name = "FILE")]
    since: Option<PathBuf>,
    /// Show each area's profile (a ward-level table's wards) instead of their sum.
    #[arg(long)]
    by_area: bool,
    /// List the areas in the file and stop.
    #[arg(long)]
    list_areas: bool,
    /// Field delimiter of the input.
    #[arg(long, value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// The sheet of a workbook (.xlsx, .xls, .ods); the first when not given.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let levels = super::representation::parse_levels(&args.levels)?;
    let table = CensusTable::read(
        &args.census,
        crate::ingest::csvfile::ReadOptions {
            delimiter: args.delimiter,
            header_row: None,
            sheet: args.sheet.clone(),
        },
    )?;
    warn(&table.notes);
    let inputs = [args.census.clone()];
    if args.list_areas {
        let totals = table.area_totals();
        let rows: Vec<Vec<String>> = table
            .areas
            .iter()
            .zip(&totals)
            .map(|(a, n)| vec![a.code.clone(), a.name.clone(), n.to_string()])
            .collect();
        let text = match args.output.format {
            Format::Csv => {
                let mut out = String::from("area_code,area_name,population_n\n");
                for r in &rows {
                    out.push_str(&crate::output::csv_line(r));
                }
                out
            }
            Format::Json => to_json(&table.areas.iter().zip(&totals).map(|(a, n)| serde_json::json!({"area_code": a.code, "area_name": a.name, "population_n": n})).collect::<Vec<_>>()),
            Format::Table => text_table(&["code", "name", "usual residents"], &[false, false, true], &rows),
        };
        emit(&args.output, &text, &inputs)?;
        return Ok(0);
    }
    let population = table.select(&args.areas, args.comparator.comparator()?)?;
    if let Some(since) = &args.since {
        let earlier = CensusTable::read(since, crate::ingest::csvfile::ReadOptions::DETECT)?
            .select(&args.areas, args.comparator.comparator()?)?;
        let report = crate::metrics::change::change(&earlier, &population)?;
        let text = match args.output.format {
            Format::Csv => crate::output::change_csv(&report),
            Format::Json => to_json(&report),
            Format::Table => {
                let mut out = format!(
                    "{} → {}\nharmonised: {}\n",
                    report.earlier,
                    report.later,
                    report.harmonisations.join("; ")
                );
                let rows: Vec<Vec<String>> = report
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.level.name().to_string(),
                            r.group.clone(),
                            r.earlier_n.to_string(),
                            format!("{:.1}%", r.earlier_share * 100.0),
                            r.later_n.to_string(),
                            format!("{:.1}%", r.later_share * 100.0),
                            crate::metrics::change::signed_points(r.change_pp),
                        ]
                    })
                    .collect();
                let (a, b) = (
                    report.earlier_year.to_string(),
                    report.later_year.to_string(),
                );
                out.push_str(&text_table(
                    &["level", "group", &a, "share", &b, "share", "change pp"],
                    &[false, false, true, true, true, true, true],
                    &rows,
                ));
                out
            }
        };
        emit(&args.output, &text, &[args.census.clone(), since.clone()])?;
        return Ok(0);
    }
    warn(&population.warnings);
    let profile = population_profile(&population, &levels);
    // Groups of the detailed table: (name, residents).
    let mut groups: Vec<(String, u64)> = Vec::new();
    for group in &args.groups {
        let (name, labels) = group.split_once('=').ok_or_else(|| {
            crate::error::Error::usage(
                format!("--group {group:?} has no '='"),
                "write --group \"Nepali=Asian, Asian British or Asian Welsh: Nepali (includes Gurkha)|Other ethnic group: Nepali (includes Gurkha)\"",
            )
        })?;
        let labels: Vec<String> = labels.split('|').map(|l| l.trim().to_string()).collect();
        groups.push((
            name.trim().to_string(),
            table.answer_count(&args.areas, &labels)?,
        ));
    }
    let total = population.total();
    let share = |n: u64| n as f64 / total as f64;
    if args.by_area {
        let named: Vec<crate::metrics::areas::AnswerGroup> = args
            .groups
            .iter()
            .filter_map(|g| g.split_once('='))
            .map(|(name, labels)| crate::metrics::areas::AnswerGroup {
                name: name.trim().to_string(),
                census: labels.split('|').map(|l| l.trim().to_string()).collect(),
            })
            .collect();
        let level = levels
            .first()
            .copied()
            .unwrap_or(crate::classify::Level::High);
        if !population.supports(level) {
            return Err(crate::metrics::representation::unsupported_level(
                &population,
                level,
                &levels,
            )
            .into());
        }
        let profiles = crate::metrics::areas::area_profiles(&table, &args.areas, level, &named)?;
        let text = match args.output.format {
            Format::Csv => crate::output::areas_csv(&profiles),
            Format::Json => to_json(&profiles),
            Format::Table => {
                let mut header = vec!["area".to_string(), "residents".to_string()];
                header.extend(profiles.groups.iter().cloned());
                let k = profiles.groups.len();
                let rows: Vec<Vec<String>> = profiles
                    .totals
                    .iter()
                    .enumerate()
                    .map(|(a, (code, name, n))| {
                        let mut row = vec![format!("{name} ({code})"), n.to_string()];
                        row.extend((0..k).map(|g| {
                            format!("{:.1}%", profiles.rows[a * k + g].population_share * 100.0)
                        }));
                        row
                    })
                    .collect();
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                let mut right = vec![false];
                right.extend(std::iter::repeat_n(true, k + 1));
                format!(
                    "{}\n{}",
                    profiles.comparator,
                    text_table(&header, &right, &rows)
                )
            }
        };
        emit(&args.output, &text, &inputs)?;
        return Ok(0);
    }
    let text = match args.output.format {
        Format::Table => {
            let mut out = format!(
                "{} — {} layout, total {}\n",
                population.describe(),
                table.layout.describe(),
                population.total()
            );
            let rows: Vec<Vec<String>> = profile
                .iter()
                .map(|r| {
                    vec![
                        r.level.name().to_string(),
                        r.group.clone(),
                        r.population_n.to_string(),
                        format!("{:.1}%", r.population_share * 100.0),
                    ]
                })
                .chain(groups.iter().map(|(name, n)| {
                    vec![
                        "group".to_string(),
                        name.clone(),
                        n.to_string(),
                        format!("{:.1}%", share(*n) * 100.0),
                    ]
                }))
                .collect();
            out.push_str(&text_table(
                &["level", "group", "residents", "share"],
                &[false, false, true, true],
                &rows,
            ));
            out
        }
        Format::Csv => {
            let mut out = String::from("comparator,level,group,population_n,population_share\n");
            for r in &profile {
                out.push_str(&crate::output::csv_line(&[
                    population.describe(),
                    r.level.name().to_string(),
                    r.group.clone(),
                    r.population_n.to_string(),
                    fixed(Some(r.population_share), 6),
                ]));
            }
            for (name, n) in &groups {
                out.push_str(&crate::output::csv_line(&[
                    population.describe(),
                    "group".to_string(),
                    name.clone(),
                    n.to_string(),
                    fixed(Some(share(*n)), 6),
                ]));
            }
            out
        }
        Format::Json => to_json(&serde_json::json!({
            "comparator": population.describe(),
            "census_year": population.edition.year(),
            "residents": population.comparator.people(),
            "layout": table.layout,
            "areas": population.areas.iter().map(|(c, n)| serde_json::json!({"area_code": c, "area_name": n})).collect::<Vec<_>>(),
            "population_total": population.total(),
            "warnings": population.warnings,
            "rows": profile,
            "groups": groups.iter().map(|(name, n)| serde_json::json!({"group": name, "population_n": n, "population_share": share(*n)})).collect::<Vec<_>>(),
        })),
    };
    emit(&args.output, &text, &inputs)?;
    Ok(0)
}
