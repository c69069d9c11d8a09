//! The typed plan of a run: the config file (and the command line's `--output-dir`) validated
//! once into paths resolved against the config's folder, enums rather than strings, and the
//! analyses to run. Nothing downstream parses the config again.

use std::path::{Path, PathBuf};

use crate::analysis::{self, Analysis, ExtractInput, PlanContext, Settings};
use crate::classify::Level;
use crate::config::{RunConfig, RUN_SECTIONS};
use crate::disclosure::publication;
use crate::error::{Error, Result};

/// Everything a run needs to know before it reads any data.
#[derive(Debug)]
pub struct Plan {
    pub config_path: PathBuf,
    /// The configuration file's text, as read (for provenance and the annex).
    pub config_text: String,
    pub output_dir: PathBuf,
    /// CSVs begin with a byte order mark, for Excel.
    pub excel_csv: bool,
    /// The date printed on outputs (YYYY-MM-DD).
    pub run_date: String,
    pub title: String,
    pub census_file: PathBuf,
    pub census_areas: Vec<String>,
    /// The Census table's delimiter and header row, when the config fixes them.
    pub census_read: crate::ingest::csvfile::ReadOptions,
    /// Who the workforce is compared with (`None`: who the table counts).
    pub census_comparator: Option<crate::ingest::Comparator>,
    pub workforce: ExtractInput,
    /// The label mapping laid over the built-in labels, for every extract.
    pub mapping: Option<PathBuf>,
    pub register: Option<PathBuf>,
    pub settings: Settings,
    /// In annex order.
    pub analyses: Vec<Box<dyn Analysis>>,
    /// Where to write the private log of withheld counts, if asked for.
    pub disclosure_log: Option<PathBuf>,
}

const DEFAULT_TITLE: &str = "Equality evidence annex: workforce representation";

/// The fix for a TOML syntax error. A Windows path in double quotes (`"C:\Users\…"`) fails
/// with an error about escapes ("too few unicode value digits"), since a backslash starts one.
pub fn toml_hint(text: &str, error: &toml::de::Error) -> String {
    let line = error
        .span()
        .and_then(|span| {
            let start = text[..span.start.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            text[start..].lines().next()
        })
        .unwrap_or("");
    if line.contains('"') && line.contains('\\') {
        "a backslash inside double quotes starts an escape in TOML: write Windows paths with forward slashes (file = \"C:/Users/me/hr.csv\") or in single quotes (file = 'C:\\Users\\me\\hr.csv')".to_string()
    } else {
        "see the example config in datasets/demo/repgap.toml".to_string()
    }
}

impl Plan {
    /// Read and validate a config file; `output_dir` (from the command line) overrides the
    /// config's.
    pub fn from_file(path: &Path, output_dir: Option<PathBuf>) -> Result<Plan> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
        let mut plan = Plan::parse(&text, path)?;
        if let Some(dir) = output_dir {
            plan.output_dir = dir;
        }
        // The log says why each figure was withheld, which narrows it: it must not be
        // published with the outputs.
        if let Some(log) = &plan.disclosure_log {
            let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            if absolute(log).starts_with(absolute(&plan.output_dir)) {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    message: format!(
                        "[disclosure] log {} is inside the output folder {}",
                        log.display(),
                        plan.output_dir.display()
                    ),
                    hint: "the log says why each figure was withheld, which narrows it: keep it outside the outputs, e.g. log = \"private/withheld.csv\"".to_string(),
                });
            }
        }
        Ok(plan)
    }

    /// Validate a config's text; relative paths are taken from `path`'s folder.
    pub fn parse(text: &str, path: &Path) -> Result<Plan> {
        let config_error = |message: String, hint: &str| Error::Config {
            path: path.to_path_buf(),
            message,
            hint: hint.to_string(),
        };
        let mut table: toml::Table = toml::from_str(text).map_err(|e: toml::de::Error| {
            config_error(e.to_string().trim().to_string(), &toml_hint(text, &e))
        })?;
        // Each analysis takes its own section; what is left is the run-wide config.
        let mut sections: Vec<(&str, toml::Value)> = Vec::new();
        for name in analysis::sections() {
            if let Some(value) = table.remove(name) {
                sections.push((name, value));
            }
        }
        if let Some(unknown) = table.keys().find(|k| !RUN_SECTIONS.contains(&k.as_str())) {
            let known: Vec<&str> = RUN_SECTIONS
                .iter()
                .copied()
                .chain(analysis::sections())
                .collect();
            let closest = known
                .iter()
                .map(|k| (strsim::jaro_winkler(unknown, k), k))
                .filter(|(score, _)| *score >= 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| format!(" (did you mean '{k}'?)"))
                .unwrap_or_default();
            return Err(config_error(
                format!("unknown section or key '{unknown}'{closest}"),
                &format!("the config's top level can hold: {}", known.join(", ")),
            ));
        }
        let config: RunConfig =
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    config_error(
                        e.message().trim().to_string(),
                        "see the example config in datasets/demo/repgap.toml",
                    )
                })?;

        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |p: &Path| {
            if p.is_relative() {
                base.join(p)
            } else {
                p.to_path_buf()
            }
        };
        config.census.check_comparator(path, "census")?;
        let rep = &config.representation;
        let levels = Level::parse_list(&rep.levels).map_err(|name| {
            config_error(
                format!("unknown level {name:?} in [representation] levels"),
                "use any of \"detailed\", \"high\", \"eight-categories\", \"white-british\", \"white\"",
            )
        })?;
        if levels.is_empty() {
            return Err(config_error(
                "[representation] levels is empty".into(),
                "name at least one of \"detailed\", \"high\", \"eight-categories\", \"white-british\", \"white\"",
            ));
        }
        if !(rep.confidence > 0.0 && rep.confidence < 1.0) {
            return Err(config_error(
                format!(
                    "[representation] confidence {} is not between 0 and 1",
                    rep.confidence
                ),
                "give the confidence level as a fraction, e.g. confidence = 0.95",
            ));
        }
        if let Some(column) = rep.order.keys().find(|c| !rep.by.contains(c)) {
            return Err(config_error(
                format!(
                    "[representation.order] names '{column}', which is not in [representation] by"
                ),
                "give an order only for columns listed in by",
            ));
        }
        let publish = config.disclosure.publish;
        if let Some(why) = publication::refuse_threshold(rep.min_cell, publish) {
            return Err(config_error(
                format!("[representation] min_cell = {}: {why}", rep.min_cell),
                &format!(
                    "use min_cell = {} or more; to check figures against the raw data, add [disclosure] publish = false, and every output will say {} on its first line",
                    publication::SMALLEST_PUBLISHED_THRESHOLD,
                    publication::NOT_FOR_PUBLICATION
                ),
            ));
        }
        let round_to = config.disclosure.round_to;
        if round_to == 0 {
            return Err(config_error(
                "[disclosure] round_to = 0: counts cannot be rounded to a multiple of 0".to_string(),
                "use round_to = 5 (or 10) to round every shown count to the nearest 5, or round_to = 1 (the default) to keep counts exact",
            ));
        }
        let settings = Settings {
            confidence: rep.confidence,
            min_cell: rep.min_cell,
            publish,
            round_to,
            levels,
            by: rep.by.clone(),
            orders: rep.order.clone(),
        };
        let workforce = ExtractInput {
            role: "Workforce extract",
            path: resolve(&config.workforce.file),
            ethnicity_column: config.workforce.ethnicity_column.clone(),
            id_column: config.workforce.id_column.clone(),
            read: crate::ingest::csvfile::ReadOptions::configured(
                config.workforce.delimiter,
                config.workforce.header_row,
                config.workforce.sheet.clone(),
            ),
            count_column: config.workforce.count_column.clone(),
            wide: config.workforce.wide,
        };
        let context = PlanContext {
            config_path: path,
            settings: &settings,
            workforce: &workforce,
            census_file: &config.census.file,
            census_areas: &config.census.areas,
            census_read: crate::ingest::csvfile::ReadOptions::configured(
                config.census.delimiter,
                config.census.header_row,
                config.census.sheet.clone(),
            ),
            census_comparator: config.census.comparator(),
        };
        let mut analyses = Vec::new();
        for (section, build) in analysis::REGISTRY {
            let value = section.and_then(|name| {
                sections
                    .iter()
                    .position(|(n, _)| *n == name)
                    .map(|i| sections.remove(i).1)
            });
            analyses.extend(build(value, &context)?);
        }
        Ok(Plan {
            config_path: path.to_path_buf(),
            config_text: text.to_string(),
            output_dir: config.output_dir.clone(),
            excel_csv: config.excel_csv,
            run_date: run_date(config.annex.run_date.as_deref(), path)?,
            title: config
                .annex
                .title
                .clone()
                .unwrap_or_else(|| DEFAULT_TITLE.to_string()),
            disclosure_log: config.disclosure.log.as_deref().map(resolve),
            census_file: resolve(&config.census.file),
            census_areas: config.census.areas.clone(),
            census_read: crate::ingest::csvfile::ReadOptions::configured(
                config.census.delimiter,
                config.census.header_row,
                config.census.sheet.clone(),
            ),
            census_comparator: config.census.comparator(),
            workforce,
            mapping: config.workforce.mapping.as_deref().map(resolve),
            register: config.register.as_ref().map(|r| resolve(&r.file)),
            settings,
            analyses,
        })
    }

    /// Every file the run reads, which outputs must never replace.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs = vec![
            self.config_path.clone(),
            self.census_file.clone(),
            self.workforce.path.clone(),
        ];
        inputs.extend(self.mapping.clone());
        inputs.extend(self.register.clone());
        for a in &self.analyses {
            inputs.extend(a.needs().into_iter().map(|(input, _)| input.path));
            inputs.extend(a.reads());
        }
        inputs.sort();
        inputs.dedup();
        inputs
    }

    /// Every metric key the run's analyses offer, in annex order.
    pub fn metric_keys(&self) -> Vec<String> {
        self.analyses.iter().flat_map(|a| a.metric_keys()).collect()
    }

    /// The configuration as the annex shows it: as written, except that an absolute path is
    /// shown relative to the config's folder, or by its file name when it lies elsewhere.
    /// Published evidence names its inputs, not where they sit on someone's machine (a home
    /// folder carries a person's name; a share path maps the council's network).
    pub fn published_config(&self) -> String {
        let folder = self
            .config_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let folders: Vec<String> = [std::path::absolute(folder).ok(), folder.canonicalize().ok()]
            .into_iter()
            .flatten()
            .map(|f| f.display().to_string())
            .collect();
        let (text, changed) = name_absolute_paths(&self.config_text, &folders);
        if changed {
            format!("# Absolute paths are shown relative to this file's folder, or by file name.\n{text}")
        } else {
            text
        }
    }
}

/// Whether a path as written in a config is absolute, on any system: `/…`, `~/…`, `C:\…`,
/// `C:/…` or `\\server\…`.
fn looks_absolute(s: &str) -> bool {
    let b = s.as_bytes();
    s.starts_with('/')
        || s.starts_with("~/")
        || s.starts_with("\\\\")
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

/// An absolute path relative to the first of `folders` it lies in, or else its file name.
fn short_name(path: &str, folders: &[String]) -> String {
    for folder in folders {
        if let Some(rest) = path.strip_prefix(folder.as_str()) {
            if rest.starts_with(['/', '\\']) && rest.len() > 1 {
                return rest[1..].to_string();
            }
        }
    }
    path.rsplit(['/', '\\'])
        .find(|c| !c.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Replace every TOML string that is an absolute path by its [`short_name`]. Comments and
/// layout are kept as written; returns whether anything changed.
fn name_absolute_paths(text: &str, folders: &[String]) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(at) = rest.find(['#', '"', '\'']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('#') {
            // A comment runs to the end of the line.
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let quote = ["\"\"\"", "'''", "\"", "'"]
            .into_iter()
            .find(|q| rest.starts_with(q))
            .expect("found a quote");
        let body = &rest[quote.len()..];
        // The closing quote; a basic string ("…") can escape a quote with a backslash.
        let mut end = None;
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' && quote.starts_with('"') {
                chars.next();
            } else if body[i..].starts_with(quote) {
                end = Some(i);
                break;
            }
        }
        let Some(end) = end else {
            // Unterminated: not valid TOML, so no plan is made from it; keep the rest as it is.
            out.push_str(rest);
            return (out, changed);
        };
        let content = &body[..end];
        out.push_str(quote);
        if looks_absolute(content) {
            out.push_str(&short_name(content, folders));
            changed = true;
        } else {
            out.push_str(content);
        }
        out.push_str(quote);
        rest = &body[end + quote.len()..];
    }
    out.push_str(rest);
    (out, changed)
}

/// The date printed on outputs: config, then SOURCE_DATE_EPOCH, then the clock.
fn run_date(configured: Option<&str>, config_path: &Path) -> Result<String> {
    if let Some(date) = configured {
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
                message: format!(
                    "[annex] run_date {} is not a date",
                    crate::error::quoted(date)
                ),
                hint: "write it as YYYY-MM-DD, e.g. run_date = \"2026-03-31\"".into(),
            });
        }
        return Ok(date.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_are_not_published() {
        let folders = ["/home/jo/equality".to_string()];
        let text = r#"# Paths as on Jo's machine: /home/jo is kept in a comment.
output_dir = "/tmp/out"
[census]
file = "/home/jo/equality/census/ts021.csv"
[workforce]
file = '/mnt/hr/Jo Smith/extract.csv'
id_column = "employee_id"   # "quoted" in a comment
[register]
file = "C:\\Users\\jo\\plan.csv"
[survey]
file = "survey.csv"
margins = """\\server\share\margins.csv"""
note = "a \"quoted\" /word"
"#;
        let (shown, changed) = name_absolute_paths(text, &folders);
        assert!(changed);
        assert_eq!(
            shown,
            r#"# Paths as on Jo's machine: /home/jo is kept in a comment.
output_dir = "out"
[census]
file = "census/ts021.csv"
[workforce]
file = 'extract.csv'
id_column = "employee_id"   # "quoted" in a comment
[register]
file = "plan.csv"
[survey]
file = "survey.csv"
margins = """margins.csv"""
note = "a \"quoted\" /word"
"#
        );
        let relative = "[census]\nfile = \"census.csv\"\n";
        assert_eq!(
            name_absolute_paths(relative, &folders),
            (relative.to_string(), false)
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_543), "2026-03-31");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }

    #[test]
    fn resolves_paths_against_the_config_folder() {
        let text = r#"
            [census]
            file = "census.csv"
            areas = ["E07000092"]
            [workforce]
            file = "/abs/hr.csv"
            [representation]
            levels = ["high", "detailed"]
        "#;
        let c = Plan::parse(text, Path::new("cfg/run.toml")).unwrap();
        assert_eq!(c.census_file, PathBuf::from("cfg/census.csv"));
        assert_eq!(c.workforce.path, PathBuf::from("/abs/hr.csv"));
        assert_eq!(c.settings.min_cell, 5);
        assert_eq!(c.settings.levels, vec![Level::High, Level::Detailed]);
    }

    #[test]
    fn the_comparator_and_its_ages_are_checked_with_the_config() {
        let parse = |census: &str| {
            let text = format!("[census]\nfile='c.csv'\n{census}\n[workforce]\nfile='w.csv'\n");
            Plan::parse(&text, Path::new("r.toml"))
        };
        let plan = parse("comparator = 'working-age'\nages = [18, 60]").unwrap();
        assert_eq!(
            plan.census_comparator,
            Some(crate::ingest::Comparator::WorkingAge { from: 18, to: 60 })
        );
        let plan = parse("comparator = 'working-age'").unwrap();
        assert_eq!(
            plan.census_comparator,
            Some(crate::ingest::Comparator::WorkingAge { from: 16, to: 64 })
        );
        assert_eq!(parse("").unwrap().census_comparator, None);
        for (bad, says) in [
            ("ages = [16, 64]", "working-age"),
            (
                "comparator = 'aged-16-plus'\nages = [16, 64]",
                "working-age",
            ),
            ("comparator = 'working-age'\nages = [64, 16]", "not a range"),
            ("comparator = 'adults'", "adults"),
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn unknown_keys_and_levels_are_config_errors() {
        let bad_key = "[census]\nfile='a'\nareaz=[]\n[workforce]\nfile='b'\n";
        let err = Plan::parse(bad_key, Path::new("r.toml")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("areaz"), "{err}");
        let bad_level =
            "[census]\nfile='a'\n[workforce]\nfile='b'\n[representation]\nlevels=['fine']\n";
        assert!(Plan::parse(bad_level, Path::new("r.toml"))
            .unwrap_err()
            .to_string()
            .contains("fine"));
    }

    #[test]
    fn every_section_is_parsed_once_into_the_plan() {
        let text = "[census]\nfile='c.csv'\n[workforce]\nfile='w.csv'\n\
            [likelihood]\noutcomes=['left']\n[pay_gap]\nhourly_pay_column='pay'\n\
            [trends]\nfile='s.csv'\n";
        let plan = Plan::parse(text, Path::new("d/run.toml")).unwrap();
        // Profile, representation, likelihood, pay gap, trends.
        assert_eq!(plan.analyses.len(), 5);
        assert!(plan
            .metric_keys()
            .contains(&"workforce.relative_likelihood.left".to_string()));
        assert!(plan.inputs().contains(&PathBuf::from("d/s.csv")));
        let unknown = Plan::parse(
            "[census]\nfile='c.csv'\n[workforce]\nfile='w.csv'\n[paygap]\n",
            Path::new("r.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            unknown.contains("'paygap'") && unknown.contains("pay_gap"),
            "{unknown}"
        );
        let both = "[census]\nfile='c.csv'\n[workforce]\nfile='w.csv'\n[pay_gap]\n\
            hourly_pay_column='h'\npay_column='p'\n";
        assert!(Plan::parse(both, Path::new("r.toml"))
            .unwrap_err()
            .to_string()
            .contains("either hourly_pay_column"));
    }
}
