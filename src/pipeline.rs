//! One run, end to end: typed plan → read every input once → run each analysis → render →
//! write. Everything is computed and rendered (every chart included) before anything is
//! written, and then the output folder is replaced whole, so a run that fails or is interrupted
//! leaves the output folder as it was.

use std::path::{Path, PathBuf};

use crate::analysis::{Analysis, ExtractInput, Inputs, Section};
use crate::annex::{self, Annex, Figure, InputFile};
use crate::charts;
use crate::classify::Classifier;
use crate::disclosure::{self, Disclosure, Recorder};
use crate::error::Result;
use crate::ingest::csvfile::InputSource;
use crate::ingest::{CensusTable, Extract, ExtractSpec};
use crate::output::{to_json, write_folder};
use crate::plan::Plan;
use crate::register::read_register;

/// What a run publishes, ready to write.
#[derive(Debug)]
pub struct RunOutput {
    /// File names relative to the output folder, and their bytes, in writing order.
    pub files: Vec<(String, Vec<u8>)>,
    /// Tables for the terminal.
    pub summary: String,
    /// Said on standard error.
    pub warnings: Vec<String>,
    /// The private log of withheld counts and why (CSV), for `[disclosure] log`.
    pub withheld_log: String,
}

/// Read, compute and render everything `plan` asks for.
pub fn execute(plan: &Plan) -> Result<RunOutput> {
    let (classifier, mapping_source) = crate::ingest::mapping::classifier(plan.mapping.as_deref())?;
    let census = CensusTable::read(&plan.census_file, plan.census_read.clone())?;
    let population = census.select(&plan.census_areas, plan.census_comparator)?;

    // Each extract once, with every column any analysis needs from it.
    let mut specs: Vec<(ExtractInput, ExtractSpec)> = Vec::new();
    for analysis in &plan.analyses {
        for (input, needs) in analysis.needs() {
            let at = match specs.iter().position(|(i, _)| *i == input) {
                Some(at) => at,
                None => {
                    let mut spec = ExtractSpec::new(&input.ethnicity_column);
                    spec.id_column = input.id_column.clone();
                    spec.read = input.read.clone();
                    spec.count_column = input.count_column.clone();
                    spec.wide = input.wide;
                    specs.push((input, spec));
                    specs.len() - 1
                }
            };
            for need in needs {
                specs[at].1.need(need);
            }
        }
    }
    let (register, register_source) = match &plan.register {
        Some(path) => {
            let (recommendations, source) = read_register(path, &plan.metric_keys())?;
            (recommendations, Some(source))
        }
        None => (Vec::new(), None),
    };
    let extracts = read_extracts(specs, &classifier)?;
    let inputs = Inputs {
        census,
        population,
        extracts,
    };

    // Every count of people the run publishes is protected together, against an attacker who
    // holds every output: the analyses run once to declare their counts, the counts are
    // protected as one system, and the analyses run again to publish with the decisions.
    // Only the analyses that read a person-level extract declare counts: the others (the
    // survey, which reads and rakes its own file; the Census profile) run once.
    let recorder = Recorder::new(plan.settings.min_cell);
    let declaring: Vec<&dyn Analysis> = plan
        .analyses
        .iter()
        .map(|a| &**a)
        .filter(|a| !a.needs().is_empty())
        .collect();
    run_analyses(&declaring, plan, &inputs, &recorder)?;
    let protection = disclosure::protect(&recorder.into_ledger(), plan.settings.min_cell)
        .rounded_to(plan.settings.round_to);
    let everything: Vec<&dyn Analysis> = plan.analyses.iter().map(|a| &**a).collect();
    let sections = run_analyses(&everything, plan, &inputs, &protection)?;
    let provenance = provenance(plan, &inputs, mapping_source, &sections, register_source);
    // Each chart names its own inputs: the files its analysis read, and the Census table of the
    // run's comparator when it compares with that. A chart compared with other residents (the
    // detailed groups, against all usual residents) names them in its `source`.
    let file_name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let source_line = |own: &[String], residents: &charts::Residents| {
        let mut names: Vec<String> = Vec::new();
        if *residents == charts::Residents::Comparator {
            names.push(file_name(&plan.census_file));
        }
        for n in own {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        let who = match residents {
            charts::Residents::Comparator => format!("; {}", inputs.population.describe()),
            charts::Residents::Other(who) => format!("; {who}"),
            charts::Residents::NotCompared => String::new(),
        };
        format!(
            "Source: {}{who}. repgap {}, {}.",
            names.join(", "),
            env!("CARGO_PKG_VERSION"),
            plan.run_date
        )
    };

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut json_documents: Vec<(&str, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    let mut evidence = Vec::new();
    let mut methods = Vec::new();
    let mut data_quality = Vec::new();
    let mut warnings: Vec<String> = inputs
        .census
        .notes
        .iter()
        .chain(inputs.extracts.iter().flat_map(|(_, e)| &e.notes))
        .cloned()
        .collect();
    let mut summary = String::new();
    let mut charts_out = Vec::new();
    for (analysis, section) in plan.analyses.iter().zip(sections) {
        let own: Vec<String> = analysis
            .needs()
            .iter()
            .map(|(input, _)| file_name(&input.path))
            .chain(analysis.reads().iter().map(|p| file_name(p)))
            .collect();
        files.extend(
            section
                .files
                .into_iter()
                .map(|f| (f.name, f.contents.into_bytes())),
        );
        for part in section.json_parts {
            match json_documents.iter_mut().find(|(f, _)| *f == part.file) {
                Some((_, doc)) => {
                    doc.insert(part.key.to_string(), part.value);
                }
                None => {
                    let mut doc = serde_json::Map::new();
                    doc.insert(part.key.to_string(), part.value);
                    json_documents.push((part.file, doc));
                }
            }
        }
        methods.extend(section.methods);
        data_quality.extend(section.data_quality);
        warnings.extend(section.warnings);
        summary.extend(section.summary);
        for (mut item, chart, data) in section.evidence {
            // A breakdown with more values than a chart can show (every department of a large
            // council, say) gets its table without a chart, and the reader is told why.
            let too_many = chart
                .as_ref()
                .and_then(|(spec, _)| charts::too_many_rows(spec));
            let chart = if let Some(rows) = too_many {
                item.finding.push_str(&format!(
                    " No chart is drawn: it would have {rows} rows, more than the {} a chart can show; the table gives every figure.",
                    charts::MAX_ROWS
                ));
                warnings.push(format!(
                    "{}: no chart drawn, as its {rows} rows are more than the {} a chart can show; the annex table and the CSV give every figure (a column with fewer values, such as a directorate instead of a team, would give a chart)",
                    item.title,
                    charts::MAX_ROWS
                ));
                None
            } else {
                chart
            };
            if let Some((mut spec, alt)) = chart {
                let cited: Vec<&str> = register
                    .iter()
                    .filter(|r| r.evidence.contains(&item.key))
                    .map(|r| r.id.as_str())
                    .collect();
                spec.source = source_line(&own, &spec.residents);
                if !plan.settings.publish {
                    // A PNG has no first line to mark: its title says it.
                    spec.title = format!(
                        "{}: {}",
                        disclosure::publication::NOT_FOR_PUBLICATION,
                        spec.title
                    );
                }
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
                let png = charts::render_png(&spec)?;
                charts_out.push((format!("annex/charts/{stem}.svg"), svg.clone().into_bytes()));
                charts_out.push((
                    format!("annex/charts/{stem}.csv"),
                    data.unwrap_or_default().into_bytes(),
                ));
                charts_out.push((format!("annex/charts/{stem}.png"), png));
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
    }
    for (name, doc) in json_documents {
        files.push((
            name.to_string(),
            to_json(&serde_json::Value::Object(doc)).into_bytes(),
        ));
    }
    files.extend(charts_out);
    methods.push((
        "Disclosure control".to_string(),
        protection.summary.describe(plan.settings.min_cell),
    ));
    let annex = Annex {
        title: if plan.settings.publish {
            plan.title.clone()
        } else {
            format!(
                "{}: {}",
                disclosure::publication::NOT_FOR_PUBLICATION,
                plan.title
            )
        },
        run_date: plan.run_date.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        register,
        evidence,
        methods,
        data_quality,
        inputs: provenance,
        config: plan.published_config(),
    };
    files.push((
        "annex/annex.md".into(),
        annex::markdown(&annex).into_bytes(),
    ));
    files.push(("annex/index.html".into(), annex::html(&annex).into_bytes()));
    files.push(("annex/annex.docx".into(), annex_docx(&annex, &files)?));
    files.push(("tables.xlsx".into(), tables_workbook(plan, &annex, &files)?));
    if !plan.settings.publish {
        let banner = disclosure::publication::banner(plan.settings.min_cell);
        files = disclosure::publication::mark_files(files, plan.settings.min_cell);
        summary = format!("{banner}\n{summary}");
        warnings.push(banner);
    }
    // Last, so the mark is the first thing in the file (before a not-for-publication banner).
    if plan.excel_csv {
        for (name, bytes) in &mut files {
            if name.ends_with(".csv") {
                bytes.splice(0..0, crate::output::UTF8_BOM.iter().copied());
            }
        }
    }
    Ok(RunOutput {
        files,
        summary,
        warnings,
        withheld_log: protection.log_csv(),
    })
}

/// The annex as a Word document, its charts the PNGs written beside it.
fn annex_docx(annex: &Annex, files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let images = files
        .iter()
        .filter_map(|(name, bytes)| {
            let path = name.strip_prefix("annex/")?;
            path.ends_with(".png").then_some((path, bytes.as_slice()))
        })
        .collect();
    annex::word::docx(annex, &images).map_err(|source| crate::error::Error::Write {
        path: "annex/annex.docx".into(),
        source,
    })
}

/// What a table of the run's folder holds, as its sheet's title says it.
fn table_title(stem: &str) -> Option<&'static str> {
    Some(match stem {
        "population-profile" => "Residents by ethnic group: the comparator population",
        "representation" => "Workforce representation by ethnic group against residents",
        "census-change" => "Residents by ethnic group: change since Census 2011",
        "census-areas" => "Residents by ethnic group in each area",
        "census-detailed-groups" => "Detailed ethnic groups among residents",
        "workforce-groups" => "Workforce representation of detailed ethnic groups",
        "seniority" => "Each ethnic group's share of staff at each grade",
        "pay-gap" => "Ethnicity pay gap: each group's hourly pay against the reference group",
        "pay-quarters" => "Ethnic groups in each quarter of the hourly pay range",
        "recruitment" => "Recruitment: relative likelihood of each outcome",
        "trends" => "Declaration rate and group shares at each snapshot",
        "survey-profile" => {
            "Resident survey: respondents by group, before and after weighting, against residents"
        }
        "survey-results" => "Resident survey: weighted results by ethnic group",
        "survey-weighting" => "Resident survey: how the weights were made",
        "survey-changes" => "Resident survey: each group's change since the earlier wave",
        "likelihood" => "Relative likelihood of an outcome by ethnic group",
        _ => return None,
    })
}

/// Every table of the run's folder (not the charts' data) as one accessible workbook.
fn tables_workbook(plan: &Plan, annex: &Annex, files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    use crate::output::workbook::{sheet_name, workbook, Cover, SheetTable};
    let mut tables = Vec::new();
    for (name, bytes) in files {
        let Some(stem) = name.strip_suffix(".csv").filter(|s| !s.contains('/')) else {
            continue;
        };
        let title = table_title(stem)
            .map(str::to_string)
            .unwrap_or_else(|| crate::text::capitalise(&stem.replace(['-', '_'], " ")));
        // A run not for publication says so at the top of every sheet, as every CSV does.
        let title = if plan.settings.publish {
            format!("{title} ({name})")
        } else {
            format!(
                "{}: {title} ({name})",
                disclosure::publication::NOT_FOR_PUBLICATION
            )
        };
        tables.push(SheetTable {
            name: sheet_name(stem),
            title,
            csv: String::from_utf8_lossy(bytes).into_owned(),
        });
    }
    let cover = Cover {
        title: annex.title.clone(),
        published: plan.run_date.clone(),
        source: annex
            .inputs
            .iter()
            .map(|i| i.source.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        notes: annex.methods.clone(),
    };
    workbook(&cover, &tables).map_err(|e| crate::error::Error::Write {
        path: "tables.xlsx".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Run `analyses` side by side; their sections in their order.
fn run_analyses(
    analyses: &[&dyn Analysis],
    plan: &Plan,
    inputs: &Inputs,
    disclosure: &dyn Disclosure,
) -> Result<Vec<Section>> {
    std::thread::scope(|scope| {
        let running: Vec<_> = analyses
            .iter()
            .map(|a| scope.spawn(move || a.run(inputs, &plan.settings, disclosure)))
            .collect();
        running
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Write the files of a run as the whole content of `dir`, all or nothing, never over one of
/// `inputs` (see [`write_folder`] for how, and what an interruption leaves). Returns notes for
/// the user.
pub fn write(output: &RunOutput, dir: &Path, inputs: &[PathBuf]) -> Result<Vec<String>> {
    write_folder(dir, &output.files, inputs)
}

/// Read the extracts side by side; the first error in plan order is the one reported.
fn read_extracts(
    specs: Vec<(ExtractInput, ExtractSpec)>,
    classifier: &Classifier,
) -> Result<Vec<(ExtractInput, Extract)>> {
    std::thread::scope(|scope| {
        let reading: Vec<_> = specs
            .iter()
            .map(|(input, spec)| scope.spawn(move || Extract::read(&input.path, spec, classifier)))
            .collect();
        reading
            .into_iter()
            .zip(&specs)
            .map(|(h, (input, _))| {
                let extract = h
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                Ok((input.clone(), extract))
            })
            .collect()
    })
}

/// Every input of the run, in the annex's order: the Census table, the workforce and its label
/// mapping, the other extracts, what analyses read themselves, the register, the config.
fn provenance(
    plan: &Plan,
    inputs: &Inputs,
    mapping: Option<InputSource>,
    sections: &[Section],
    register: Option<InputSource>,
) -> Vec<InputFile> {
    let mut out = vec![InputFile {
        role: "Census table".into(),
        source: inputs.census.source.clone(),
    }];
    // A person-level file has a row per person: its row count is a count of people, rounded
    // like every other when the run rounds.
    let extract = |(input, e): &(ExtractInput, Extract)| {
        let mut source = e.source.clone();
        source.rows = disclosure::round_count(source.rows as u64, plan.settings.round_to) as usize;
        InputFile {
            role: input.role.to_string(),
            source,
        }
    };
    let extracts = &inputs.extracts;
    let is_workforce = |(input, _): &&(ExtractInput, Extract)| *input == plan.workforce;
    out.extend(extracts.iter().filter(is_workforce).map(extract));
    out.extend(mapping.map(|source| InputFile {
        role: "Label mapping".into(),
        source,
    }));
    out.extend(extracts.iter().filter(|e| !is_workforce(e)).map(extract));
    out.extend(sections.iter().flat_map(|s| s.inputs.iter().cloned()));
    out.extend(register.map(|source| InputFile {
        role: "Recommendations register".into(),
        source,
    }));
    out.push(InputFile {
        role: "Configuration".into(),
        source: InputSource::new(
            &plan.config_path,
            plan.config_text.as_bytes(),
            plan.config_text.lines().count(),
        ),
    });
    out
}
