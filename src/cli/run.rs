use std::path::{Path, PathBuf};

use super::warn;
use crate::annex::workforce::EvidenceItem;
use crate::annex::{self, Annex, Figure, InputFile};
use crate::charts;
use crate::classify::{Classifier, Level};
use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::ingest::csvfile::InputSource;
use crate::ingest::{CensusTable, ColumnKind, ColumnNeed, Extract, ExtractSpec, Population};
use crate::metrics::likelihood::workforce_likelihoods;
use crate::metrics::paygap::{pay_gap, pay_records, HourlyPaySource, PayColumns, PayGapReport};
use crate::metrics::recruitment::{recruitment, RecruitmentReport};
use crate::metrics::seniority::{seniority, SeniorityReport};
use crate::metrics::trends::{trends, TrendReport};
use crate::metrics::{representation, RepresentationOptions, RepresentationReport};
use crate::output::{
    csv_line, fixed, likelihood_csv, pay_gap_csv, pay_quarters_csv, population_profile,
    representation_csv, representation_table, seniority_csv, survey_profile_csv,
    survey_results_csv, survey_weighting_csv, to_json, trends_csv, write_atomic, ProfileRow,
};
use crate::register::{read_register, Recommendation};
use crate::survey::SurveyReport;

/// The demo configuration bundled with the source tree.
const DEMO_CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/demo/repgap.toml");

/// Run every analysis named in a TOML config and write all outputs into one folder.
///
/// With no CONFIG, runs the bundled demo (a synthetic workforce against real Census 2021
/// figures for Rushmoor). Writes representation.csv, representation.json,
/// population-profile.csv and, in annex/, the evidence annex (index.html, annex.md) with every
/// chart as PNG, SVG and CSV. Everything is computed before anything is written, so a failure
/// leaves the output folder as it was. The date on outputs comes from the config's
/// [annex] run_date or SOURCE_DATE_EPOCH when set, so reruns are byte-identical.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap run
  repgap run my-council.toml --output-dir evidence/2026-03
  SOURCE_DATE_EPOCH=1774915200 repgap run my-council.toml")]
pub struct Args {
    /// The run configuration (TOML). Default: the bundled demo config.
    #[arg(value_name = "CONFIG")]
    config: Option<PathBuf>,
    /// Write outputs here instead of the config's output_dir.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let config_path = match &args.config {
        Some(p) => p.clone(),
        None => {
            let demo = PathBuf::from(DEMO_CONFIG);
            if !demo.exists() {
                return Err(Error::usage(
                    format!(
                        "no config given and the bundled demo config is not at {}",
                        demo.display()
                    ),
                    "pass a config file: repgap run my-council.toml",
                )
                .into());
            }
            demo
        }
    };
    let config = RunConfig::load(&config_path)?;
    let levels = config.levels(&config_path)?;
    let by = config.representation.by.clone();
    let outcomes: Vec<String> = config
        .likelihood
        .as_ref()
        .map(|l| l.outcomes.clone())
        .unwrap_or_default();
    let run_date = run_date(&config, &config_path)?;
    let classifier = match &config.workforce.mapping {
        Some(path) => Classifier::with_mapping_file(path)?,
        None => Classifier::builtin(),
    };
    let census = CensusTable::read(&config.census.file, b',')?;
    let population = census.select(&config.census.areas)?;
    // The workforce columns every analysis needs, typed, each read once.
    let mut spec = ExtractSpec::new(&config.workforce.ethnicity_column);
    spec.id_column = config.workforce.id_column.clone();
    for c in &by {
        spec.need(ColumnNeed::new(c, ColumnKind::Text, "breakdown"));
    }
    for o in &outcomes {
        spec.need(ColumnNeed::new(o, ColumnKind::Flag, "outcome"));
    }
    if let Some(s) = &config.seniority {
        spec.need(ColumnNeed::new(&s.column, ColumnKind::Text, "grade"));
    }
    let pay = config.pay_gap_options(&config_path)?;
    let pay_columns = pay.as_ref().map(|(p, _)| PayColumns {
        hourly: match (&p.hourly_pay_column, &p.pay_column, &p.hours_column) {
            (Some(h), _, _) => HourlyPaySource::Hourly(h.clone()),
            (None, Some(pay), Some(hours)) => HourlyPaySource::PayAndHours {
                pay: pay.clone(),
                hours: hours.clone(),
            },
            _ => unreachable!("validated by pay_gap_options"),
        },
        full_pay_relevant: p.full_pay_relevant_column.clone(),
        bonus: p.bonus_column.clone(),
    });
    for need in pay_columns.iter().flat_map(PayColumns::needs) {
        spec.need(need);
    }
    let workforce = Extract::read(&config.workforce.file, &spec, &classifier)?;
    let mut known_keys = annex::known_metric_keys(&levels, &by, &outcomes);
    if let Some(s) = &config.seniority {
        known_keys.push(annex::workforce::seniority_key(&s.column));
    }
    if pay.is_some() {
        known_keys.push(annex::workforce::PAY_GAP_KEY.into());
        known_keys.push(annex::workforce::PAY_QUARTERS_KEY.into());
    }
    if config.recruitment.is_some() {
        known_keys.push(annex::workforce::SHORTLISTING_KEY.into());
        known_keys.push(annex::workforce::APPOINTMENT_KEY.into());
    }
    if config.trends.is_some() {
        known_keys.push(annex::workforce::TRENDS_KEY.into());
    }
    if let Some(s) = &config.survey {
        let names: Vec<String> = s.questions.iter().map(|q| q.name.clone()).collect();
        known_keys.extend(annex::survey::survey_keys(&names));
    }
    let (register, register_source): (Vec<Recommendation>, Option<InputSource>) =
        match &config.register {
            Some(r) => {
                let (recommendations, source) = read_register(&r.file, &known_keys)?;
                (recommendations, Some(source))
            }
            None => (Vec::new(), None),
        };
    let report = representation(
        &workforce,
        &population,
        &RepresentationOptions {
            levels: levels.clone(),
            breakdowns: by.clone(),
            confidence: config.representation.confidence,
            min_cell: config.representation.min_cell,
            orders: config.representation.order.clone(),
        },
    )?;
    let likelihoods = match &config.likelihood {
        Some(l) => workforce_likelihoods(
            &workforce,
            &outcomes,
            l.direction,
            config.representation.confidence,
            config.representation.min_cell,
        ),
        None => Vec::new(),
    };
    let confidence = config.representation.confidence;
    let min_cell = config.representation.min_cell;
    let seniority_report = match &config.seniority {
        Some(s) => {
            let order = config
                .representation
                .order
                .get(&s.column)
                .or(s.order.as_ref());
            Some(seniority(
                &workforce,
                &population,
                &s.column,
                order,
                confidence,
                min_cell,
            )?)
        }
        None => None,
    };
    let pay_report = match (&pay, &pay_columns) {
        (Some((_, options)), Some(columns)) => {
            let (records, excluded) = pay_records(&workforce, columns)?;
            Some(pay_gap(&records, excluded, options))
        }
        _ => None,
    };
    let (recruitment_report, recruitment_source) = match &config.recruitment {
        Some(r) => {
            let applicants = read_one_column(
                &r.file,
                &r.ethnicity_column,
                ColumnNeed::new(&r.stage_column, ColumnKind::Text, "recruitment stage"),
                &classifier,
            )?;
            (
                Some(recruitment(
                    &applicants,
                    &r.stage_column,
                    r.direction,
                    confidence,
                    min_cell,
                )?),
                Some(applicants.source),
            )
        }
        None => (None, None),
    };
    let (trend_report, trend_source) = match &config.trends {
        Some(t) => {
            let snapshots = read_one_column(
                &t.file,
                &t.ethnicity_column,
                ColumnNeed::new(&t.date_column, ColumnKind::Date, "snapshot date"),
                &classifier,
            )?;
            (
                Some(trends(&snapshots, &t.date_column, confidence, min_cell)?),
                Some(snapshots.source),
            )
        }
        None => (None, None),
    };
    let survey_report = match &config.survey {
        // The survey's Census is usually the run's own [census]: pass what was read.
        Some(s) => Some(crate::survey::analyse(
            s,
            config_path.parent().unwrap_or(Path::new("")),
            Some(crate::survey::KnownCensus {
                path: &config.census.file,
                areas: &config.census.areas,
                population: &population,
                source: &census.source,
            }),
        )?),
        None => None,
    };
    warn(&population.warnings);
    if let Some(r) = &survey_report {
        warn(&r.warnings);
    }
    let extras = Extras {
        seniority: seniority_report,
        pay: pay_report,
        recruitment: recruitment_report,
        trends: trend_report,
        survey: survey_report,
    };

    let profile_levels = unique(
        [Level::High, Level::Detailed]
            .into_iter()
            .chain(levels.iter().copied()),
    );
    let profile = population_profile(&population, &profile_levels);
    let profile_csv = profile_csv(&population, &profile);

    let mut inputs = vec![
        config_path.clone(),
        config.census.file.clone(),
        config.workforce.file.clone(),
    ];
    inputs.extend(config.workforce.mapping.clone());
    inputs.extend(config.register.as_ref().map(|r| r.file.clone()));
    inputs.extend(config.recruitment.as_ref().map(|r| r.file.clone()));
    inputs.extend(config.trends.as_ref().map(|t| t.file.clone()));
    if let Some(s) = &config.survey {
        let base = config_path.parent().unwrap_or(Path::new(""));
        inputs.push(base.join(&s.file));
        inputs.extend(s.margins.iter().chain(&s.mapping).map(|p| base.join(p)));
    }
    // Provenance from what the readers already read: no input is opened twice.
    let mut provenance = vec![
        InputFile {
            role: "Census table".into(),
            source: census.source.clone(),
        },
        InputFile {
            role: "Workforce extract".into(),
            source: workforce.source.clone(),
        },
    ];
    provenance.extend(classifier.mapping_source.clone().map(|source| InputFile {
        role: "Label mapping".into(),
        source,
    }));
    provenance.extend(recruitment_source.map(|source| InputFile {
        role: "Recruitment extract".into(),
        source,
    }));
    provenance.extend(trend_source.map(|source| InputFile {
        role: "Workforce snapshots".into(),
        source,
    }));
    if let Some(r) = &extras.survey {
        provenance.push(InputFile {
            role: "Resident survey".into(),
            source: r.survey.clone(),
        });
        provenance.extend(r.margin_sources.iter().map(|m| InputFile {
            role: "Survey margins".into(),
            source: m.clone(),
        }));
    }
    provenance.extend(register_source.map(|source| InputFile {
        role: "Recommendations register".into(),
        source,
    }));
    provenance.push(InputFile {
        role: "Configuration".into(),
        source: InputSource::new(
            &config_path,
            config.text.as_bytes(),
            config.text.lines().count(),
        ),
    });

    // Everything to write, computed before anything is written.
    let mut files: Vec<(String, String)> = vec![
        ("representation.csv".into(), representation_csv(&report)),
        ("representation.json".into(), to_json(&report)),
        ("population-profile.csv".into(), profile_csv.clone()),
    ];
    let source_line = format!(
        "Source: {}; {}. repgap {}, {run_date}.",
        // Data inputs once each: the survey's Census margins are the comparator table again.
        provenance
            .iter()
            .filter(|i| i.role != "Configuration" && i.role != "Recommendations register")
            .map(|i| i.source.name.as_str())
            .fold(Vec::<&str>::new(), |mut names, n| {
                if !names.contains(&n) {
                    names.push(n);
                }
                names
            })
            .join(", "),
        population.describe(),
        env!("CARGO_PKG_VERSION")
    );
    let mut evidence = Vec::new();
    let mut pngs = Vec::new();
    let likelihood_items = likelihoods.iter().map(|l| {
        let item = annex::likelihood_evidence(l, confidence);
        let alt = format!(
            "Chart of the relative likelihood of '{}' with its interval. {}",
            l.outcome, item.finding
        );
        (
            item,
            Some((
                charts::likelihood_chart(std::slice::from_ref(l), confidence),
                alt,
            )),
            Some(likelihood_csv(std::slice::from_ref(l), min_cell)),
        )
    });
    let mut items: Vec<EvidenceItem> =
        annex::build_evidence(&report, &population, &profile, &levels, &by)
            .into_iter()
            .map(|(e, c)| (e, c, None))
            .chain(likelihood_items)
            .collect();
    items.extend(extras.evidence(confidence, min_cell, &mut files));
    for (mut item, chart, data) in items {
        if let Some((mut spec, alt)) = chart {
            let cited: Vec<&str> = register
                .iter()
                .filter(|r| r.evidence.contains(&item.key))
                .map(|r| r.id.as_str())
                .collect();
            spec.source = source_line.clone();
            spec.caption = if cited.is_empty() {
                "Not yet linked to a recommendation.".to_string()
            } else {
                format!(
                    "Evidence for recommendation{} {}.",
                    if cited.len() > 1 { "s" } else { "" },
                    cited.join(", ")
                )
            };
            let stem = item.key.replace('.', "-");
            let svg = charts::render_svg(&spec)?;
            let data = match &data {
                Some(csv) => csv.clone(),
                None => chart_data(&item.key, &report, &profile_csv, &levels, &by),
            };
            files.push((format!("annex/charts/{stem}.svg"), svg.clone()));
            files.push((format!("annex/charts/{stem}.csv"), data));
            pngs.push((format!("annex/charts/{stem}.png"), spec));
            item.figure = Some(Figure {
                svg,
                png: format!("charts/{stem}.png"),
                svg_file: format!("charts/{stem}.svg"),
                data_file: format!("charts/{stem}.csv"),
                alt,
            });
        }
        evidence.push(item);
    }
    if !likelihoods.is_empty() {
        files.push(("relative-likelihood.json".into(), to_json(&likelihoods)));
    }
    let annex = Annex {
        title: config
            .annex
            .title
            .clone()
            .unwrap_or_else(|| "Equality evidence annex: workforce representation".to_string()),
        run_date: run_date.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        register,
        evidence,
        methods: methods(&report)
            .into_iter()
            .chain(extras.methods())
            .collect(),
        data_quality: data_quality(&report, &levels),
        inputs: provenance,
        config: config.text.clone(),
    };
    files.push(("annex/annex.md".into(), annex::markdown(&annex)));
    files.push(("annex/index.html".into(), annex::html(&annex)));

    let out_dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    for (name, contents) in &files {
        write_atomic(&out_dir.join(name), contents.as_bytes(), &inputs)?;
    }
    for (name, spec) in &pngs {
        charts::write_png(spec, &out_dir.join(name))?;
    }
    print_summary(&report, &out_dir, files.len() + pngs.len());
    Ok(0)
}

/// The analyses a config can add to representation: the workforce deep-dive and the survey.
struct Extras {
    seniority: Option<SeniorityReport>,
    pay: Option<PayGapReport>,
    recruitment: Option<RecruitmentReport>,
    trends: Option<TrendReport>,
    survey: Option<SurveyReport>,
}

impl Extras {
    /// Annex evidence for each analysis that ran; its tables go into `files`.
    fn evidence(
        &self,
        confidence: f64,
        min_cell: u64,
        files: &mut Vec<(String, String)>,
    ) -> Vec<EvidenceItem> {
        let mut items = Vec::new();
        if let Some(r) = &self.seniority {
            items.push(annex::workforce::seniority_evidence(r));
            files.push(("seniority.csv".into(), seniority_csv(r)));
        }
        if let Some(r) = &self.pay {
            items.push(annex::workforce::pay_gap_evidence(r));
            items.push(annex::workforce::pay_quarters_evidence(r, min_cell));
            files.push(("pay-gap.csv".into(), pay_gap_csv(r)));
            files.push(("pay-quarters.csv".into(), pay_quarters_csv(r, min_cell)));
        }
        if let Some(r) = &self.recruitment {
            items.extend(annex::workforce::recruitment_evidence(
                r, confidence, min_cell,
            ));
            files.push((
                "recruitment.csv".into(),
                likelihood_csv(&[r.shortlisting.clone(), r.appointment.clone()], min_cell),
            ));
        }
        if let Some(r) = &self.trends {
            items.push(annex::workforce::trends_evidence(r, min_cell));
            files.push(("trends.csv".into(), trends_csv(r, min_cell)));
        }
        if let Some(r) = &self.survey {
            items.extend(annex::survey::survey_evidence(r));
            files.push(("survey-results.csv".into(), survey_results_csv(r)));
            files.push(("survey-profile.csv".into(), survey_profile_csv(r)));
            files.push(("survey-weighting.csv".into(), survey_weighting_csv(r)));
            files.push(("survey.json".into(), to_json(r)));
        }
        if self.seniority.is_some()
            || self.pay.is_some()
            || self.recruitment.is_some()
            || self.trends.is_some()
        {
            files.push((
                "workforce-deep-dive.json".into(),
                to_json(&serde_json::json!({
                    "seniority": self.seniority,
                    "pay_gap": self.pay,
                    "recruitment": self.recruitment,
                    "trends": self.trends,
                })),
            ));
        }
        items
    }

    /// A methods line for each analysis that ran.
    fn methods(&self) -> Vec<(String, String)> {
        let mut m = Vec::new();
        if self.seniority.is_some() {
            m.push(("Seniority".into(), "each group's share of declared staff at each grade, lowest first, with Wilson intervals; Cochran–Armitage test for a linear trend across grades (scores 1, 2, … in grade order; as R's prop.trend.test)".into()));
        }
        if self.pay.is_some() {
            m.push(("Ethnicity pay gap".into(), "GOV.UK ethnicity pay reporting guidance (2023): ordinary hourly pay of full-pay relevant employees; gap = (reference − group) ÷ reference for means and medians; groups under the minimum size have no pay figures; pay quarters of equal size (remainder to the lower, then upper middle, then lower middle quarter), tied pay at a boundary split in proportion (SI 2017/172 reg. 13(2))".into()));
        }
        if self.recruitment.is_some() {
            m.push(("Recruitment".into(), "relative likelihood of shortlisting from application and of appointment from shortlisting (NHS WRES indicator 2), Katz log intervals, each group also against White British".into()));
        }
        if self.trends.is_some() {
            m.push(("Trends".into(), "shares at each snapshot with Wilson intervals; changes with Newcombe's hybrid score interval for independent proportions (conservative, since snapshots share most staff)".into()));
        }
        if self.survey.is_some() {
            m.push(("Resident survey".into(), "design weights raked (iterative proportional fitting) to the population margins; estimates on the raked weights treated as fixed, as R's survey package with svydesign(ids = ~1, weights = ~w): svymean for proportions, svyciprop(method = \"logit\") intervals, svyttest of each group against the rest. Each question tests five groups: with many tests, expect about one in twenty p-values under 0.05 by chance alone".into()));
        }
        m
    }
}

/// A file of one row per person with an ethnicity and one more column (a recruitment stage, a
/// snapshot date).
fn read_one_column(
    path: &Path,
    ethnicity_column: &str,
    column: ColumnNeed,
    classifier: &Classifier,
) -> Result<Extract> {
    let mut spec = ExtractSpec::new(ethnicity_column);
    spec.need(column);
    Extract::read(path, &spec, classifier)
}

fn unique(levels: impl Iterator<Item = Level>) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::new();
    for l in levels {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn profile_csv(population: &Population, profile: &[ProfileRow]) -> String {
    let mut csv = csv_line(&[
        "comparator",
        "level",
        "group",
        "population_n",
        "population_share",
    ]);
    for row in profile {
        csv.push_str(&csv_line(&[
            population.describe(),
            row.level.name().to_string(),
            row.group.clone(),
            row.population_n.to_string(),
            fixed(Some(row.population_share), 6),
        ]));
    }
    csv
}

/// The figures a chart draws, in the documented CSV layout of their table.
fn chart_data(
    key: &str,
    report: &RepresentationReport,
    profile_csv: &str,
    levels: &[Level],
    by: &[String],
) -> String {
    if key == annex::build::PROFILE_KEY {
        return profile_csv.to_string();
    }
    let headline = annex::headline_level(levels);
    let keep = |t: &crate::metrics::RepresentationTable| {
        if let Some(column) = by.iter().find(|c| annex::by_key(c) == key) {
            t.level == headline && t.breakdown.starts_with(&format!("{column}="))
        } else {
            t.breakdown == "all" && annex::build::level_key(t.level, headline) == key
        }
    };
    let subset = RepresentationReport {
        tables: report.tables.iter().filter(|t| keep(t)).cloned().collect(),
        ..report.clone()
    };
    representation_csv(&subset)
}

fn methods(report: &RepresentationReport) -> Vec<(String, String)> {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    vec![
        ("Comparator".into(), format!("{} (total {}); the Census count is treated as fixed", report.comparator, report.population_total)),
        ("Declaration rule".into(), report.denominator_rule.to_string()),
        ("Intervals".into(), format!("{conf} Wilson score intervals for shares; ratio intervals are the Wilson interval divided by the population share")),
        ("Assessment".into(), "under-represented when the whole interval lies below the population share, over-represented when it lies above, otherwise in line".into()),
        ("Tests".into(), "exact two-sided binomial test of each group's share against its population share (as R's binom.test); chi-square goodness-of-fit test per table, with suppressed groups pooled".into()),
        ("Suppression".into(), format!("counts from 1 to {} are suppressed with every figure derived from them; further counts are withheld so that none can be recovered by subtraction from published totals", report.min_cell.saturating_sub(1))),
        ("Classification".into(), "Census 2021 ethnic group classification (19 categories, 5 high-level groups), in ONS order; ethnic minorities include White minorities unless stated".into()),
    ]
}

fn data_quality(report: &RepresentationReport, levels: &[Level]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for level in levels {
        if let Some(t) = report
            .tables
            .iter()
            .find(|t| t.breakdown == "all" && t.level == *level)
        {
            if *level == levels[0] {
                out.push(("Headcount".into(), t.headcount.to_string()));
                out.push((
                    "Ethnicity not stated".into(),
                    format!(
                        "{} ({})",
                        t.not_stated_n,
                        t.declaration_rate
                            .map(|r| format!("declaration rate {}", charts::pct_text(r)))
                            .unwrap_or_default()
                    ),
                ));
            }
            out.push((
                format!("Stated but not placeable at the {} level", level.name()),
                format!("{} (e.g. a label naming only a high-level group, or an aggregate such as BME); excluded from that level's shares", t.unplaced_n),
            ));
        }
    }
    out.push((
        "Excluded rows".into(),
        "none: rows with unmapped labels, empty or duplicated ids stop the run with an error"
            .into(),
    ));
    for note in &report.notes {
        out.push(("Note".into(), note.clone()));
    }
    out
}

/// The date printed on outputs: config, then SOURCE_DATE_EPOCH, then the clock.
fn run_date(config: &RunConfig, config_path: &Path) -> Result<String> {
    if let Some(date) = &config.annex.run_date {
        let ok = date.len() == 10
            && date.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            return Err(Error::Config {
                path: config_path.to_path_buf(),
                message: format!("[annex] run_date {date:?} is not a date"),
                hint: "write it as YYYY-MM-DD, e.g. run_date = \"2026-03-31\"".into(),
            });
        }
        return Ok(date.clone());
    }
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| {
            Error::usage(
                format!("SOURCE_DATE_EPOCH={v:?} is not a number of seconds"),
                "unset it, or set it to a Unix time such as 1774915200",
            )
        })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    Ok(civil_date(seconds.div_euclid(86_400)))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn print_summary(report: &RepresentationReport, out_dir: &Path, count: usize) {
    let overall = RepresentationReport {
        tables: report
            .tables
            .iter()
            .filter(|t| t.breakdown == "all")
            .cloned()
            .collect(),
        ..report.clone()
    };
    print!("{}", representation_table(&overall));
    println!(
        "\nWrote {count} files to {}; the evidence annex is {}",
        out_dir.display(),
        out_dir.join("annex/index.html").display()
    );
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_543), "2026-03-31");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
