//! What a run leaves on disk: the output folder replaced whole or not at all, and nothing in
//! any output that a spreadsheet would run or that names where the inputs live.

use crate::workdir::{fixture, Workdir};

/// A small run: the Census fixture and `hr` as the workforce, by grade.
fn small_run(wd: &Workdir, hr: &str) {
    wd.copy_fixture("census2021-tidy.csv");
    wd.write("hr.csv", hr);
    wd.write(
        "run.toml",
        "[census]\nfile = \"census2021-tidy.csv\"\nareas = [\"E07000092\"]\n\
         [workforce]\nfile = \"hr.csv\"\nid_column = \"employee_id\"\n\
         [representation]\nlevels = [\"high\"]\nby = [\"grade\"]\n",
    );
}

fn workforce() -> String {
    std::fs::read_to_string(fixture("workforce-small.csv")).unwrap()
}

/// Every file under `dir` of `wd` with its bytes.
fn snapshot(wd: &Workdir, dir: &str) -> Vec<(String, Vec<u8>)> {
    wd.files()
        .into_iter()
        .filter(|f| f.starts_with(dir))
        .map(|f| {
            let bytes = std::fs::read(wd.path(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// The names at the top of the work folder (temporary and previous folders show up here).
fn top_level(wd: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(wd.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_run_replaces_the_output_folder_whole() {
    let wd = Workdir::new();
    // First the demo, with many more outputs than the small run writes.
    wd.run(&["run", "--output-dir", "out"]).ok();
    assert!(wd.path("out/survey-results.csv").exists());
    small_run(&wd, &workforce());
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let mut files: Vec<String> = wd
        .files()
        .into_iter()
        .filter(|f| f.starts_with("out/"))
        .collect();
    files.sort();
    let manifest = wd.read("out/.repgap-files");
    let mut listed: Vec<String> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("out/{l}"))
        .chain(["out/.repgap-files".to_string()])
        .collect();
    listed.sort();
    assert_eq!(files, listed, "only the second run's files, all listed");
    assert!(!wd.path("out/survey-results.csv").exists());
    assert_eq!(
        top_level(&wd),
        ["census2021-tidy.csv", "hr.csv", "out", "run.toml"]
    );
}

#[test]
fn a_failing_run_leaves_the_previous_outputs_byte_for_byte() {
    let wd = Workdir::new();
    small_run(&wd, &workforce());
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let before = snapshot(&wd, "out/");
    let names_before = top_level(&wd);
    assert!(before.len() > 5);
    // The same run with an unknown label fails after reading.
    wd.write(
        "hr.csv",
        &workforce().replacen("White British", "Martian", 1),
    );
    wd.run(&["run", "run.toml", "--output-dir", "out"])
        .fails(1, &["\"Martian\""]);
    assert_eq!(snapshot(&wd, "out/"), before);
    assert_eq!(top_level(&wd), names_before, "no temporary folder left");
}

#[test]
fn files_repgap_did_not_write_stop_the_run() {
    let wd = Workdir::new();
    small_run(&wd, &workforce());
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    wd.write("out/notes.txt", "my notes");
    let before = snapshot(&wd, "out/");
    wd.run(&["run", "run.toml", "--output-dir", "out"]).fails(
        2,
        &[
            "refusing to write to out",
            "1 file(s) repgap did not write: notes.txt",
            "move these files out, or choose another --output-dir",
        ],
    );
    assert_eq!(snapshot(&wd, "out/"), before);
    // Moved out, the run goes ahead.
    std::fs::remove_file(wd.path("out/notes.txt")).unwrap();
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
}

#[test]
fn an_output_folder_holding_an_input_is_refused() {
    let wd = Workdir::new();
    small_run(&wd, &workforce());
    std::fs::create_dir(wd.path("data")).unwrap();
    std::fs::rename(wd.path("hr.csv"), wd.path("data/hr.csv")).unwrap();
    wd.write(
        "run.toml",
        &wd.read("run.toml").replace("\"hr.csv\"", "\"data/hr.csv\""),
    );
    let before = snapshot(&wd, "data/");
    wd.run(&["run", "run.toml", "--output-dir", "data"])
        .fails(2, &["refusing to write to data", "one of the inputs"]);
    assert_eq!(snapshot(&wd, "data/"), before);
    // The folder the config is in, and the current folder, hold inputs too.
    wd.run(&["run", "run.toml", "--output-dir", "."])
        .fails(2, &["refusing to write to ."]);
    assert_eq!(snapshot(&wd, "data/"), before);
}

#[test]
fn the_survey_output_folder_is_replaced_whole_too() {
    let wd = Workdir::new();
    for f in ["survey.csv", "margins.csv", "survey.toml"] {
        let name = format!("survey/{f}");
        wd.write(&name, &std::fs::read_to_string(fixture(&name)).unwrap());
    }
    let args = [
        "survey",
        "--config",
        "survey/survey.toml",
        "--output-dir",
        "out",
    ];
    wd.run(&args).ok();
    // A file from an earlier run that this one would not write, listed as repgap's.
    wd.write("out/charts/survey-q_old.svg", "<svg/>");
    let manifest = wd.read("out/.repgap-files");
    wd.write(
        "out/.repgap-files",
        &format!("{manifest}charts/survey-q_old.svg\n"),
    );
    wd.run(&args).ok();
    assert!(!wd.path("out/charts/survey-q_old.svg").exists());
    assert!(wd.path("out/charts/survey-profile.svg").exists());
    wd.write("out/mine.csv", "a,b\n");
    wd.run(&args).fails(2, &["repgap did not write: mine.csv"]);
    assert_eq!(top_level(&wd), ["out", "survey"]);
}

/// A grade that Excel would run as a formula, through every output.
#[test]
fn a_formula_in_the_extract_reaches_every_csv_as_text() {
    let wd = Workdir::new();
    let formula = r#"=HYPERLINK("http://x","y")"#;
    small_run(
        &wd,
        &workforce().replace("Grade B", r#""=HYPERLINK(""http://x"",""y"")""#),
    );
    wd.write(
        "run.toml",
        &format!(
            "{}[representation.order]\ngrade = [\"Grade A\", '{formula}']\n[seniority]\ncolumn = \"grade\"\n",
            wd.read("run.toml")
        ),
    );
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let csvs: Vec<String> = wd
        .files()
        .into_iter()
        .filter(|f| f.starts_with("out/") && f.ends_with(".csv"))
        .collect();
    assert!(csvs.len() >= 5, "{csvs:?}");
    let quoted = format!("'{formula}");
    for name in &csvs {
        let text = wd.read(name);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let starts_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                assert!(
                    !starts_formula || cell.parse::<f64>().is_ok(),
                    "{name}: cell {cell:?} would run as a formula"
                );
            }
        }
    }
    let seniority = crate::workdir::parse_csv(&wd.read("out/seniority.csv"));
    assert!(seniority.iter().any(|r| r["grade"] == quoted));
    assert!(!seniority.iter().any(|r| r["grade"] == formula));
    // In representation.csv a breakdown value follows its column's name, "grade=", so the
    // cell cannot start a formula and is written as it is.
    let representation = crate::workdir::parse_csv(&wd.read("out/representation.csv"));
    assert!(representation
        .iter()
        .any(|r| r["breakdown"] == format!("grade={formula}")));
    // The annex escapes it as HTML.
    let html = wd.read("out/annex/index.html");
    assert!(html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"));
    assert!(!html.contains(formula), "unescaped in the HTML annex");
}

/// Every input named by an absolute path, the config too, from another folder: no output may
/// say where the files are.
#[test]
fn no_output_holds_an_absolute_input_path() {
    let wd = Workdir::new();
    let elsewhere = Workdir::new();
    let data = wd.path("data");
    std::fs::create_dir(&data).unwrap();
    let demo = crate::workdir::project("datasets/demo");
    for entry in std::fs::read_dir(&demo).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
        }
    }
    for census in [
        "census2021-ethnic-group-rushmoor-and-neighbours.csv",
        "census2021-rm038-rushmoor-and-neighbours.csv",
        "census2021-ts022-rushmoor-wards.csv",
        "census2021-ts007-rushmoor-and-neighbours.csv",
        "census2011-qs201ew-rushmoor-and-neighbours.csv",
    ] {
        std::fs::copy(
            crate::workdir::project(&format!("datasets/census/{census}")),
            data.join(census),
        )
        .unwrap();
    }
    let absolute = |name: &str| format!("{}", data.join(name).display());
    let mut config = String::new();
    for line in std::fs::read_to_string(demo.join("repgap.toml"))
        .unwrap()
        .lines()
    {
        let line = match line.split_once(" = \"") {
            Some((key @ ("file" | "margins" | "earlier" | "later"), value)) => {
                let name = value.trim_end_matches('"').rsplit('/').next().unwrap();
                format!("{key} = \"{}\"", absolute(name))
            }
            Some(("output_dir", _)) => format!("output_dir = \"{}\"", wd.path("out").display()),
            _ => line.to_string(),
        };
        config.push_str(&line);
        config.push('\n');
    }
    assert!(config.matches(&absolute("")).count() >= 7, "{config}");
    let config_path = wd.write("cfg/run.toml", &config);
    let out = assert_cmd::Command::cargo_bin("repgap")
        .unwrap()
        .current_dir(elsewhere.path(""))
        .env("SOURCE_DATE_EPOCH", "1774915200")
        .args(["run", config_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outputs: Vec<String> = wd
        .files()
        .into_iter()
        .filter(|f| f.starts_with("out/"))
        .collect();
    assert!(outputs.len() > 80, "{outputs:?}");
    let mut needles = vec![
        wd.path("").display().to_string(),
        elsewhere.path("").display().to_string(),
    ];
    needles.extend(
        [wd.path(""), elsewhere.path("")]
            .iter()
            .map(|p| p.canonicalize().unwrap().display().to_string()),
    );
    for name in &outputs {
        let bytes = std::fs::read(wd.path(name)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for needle in &needles {
            let needle = needle.trim_end_matches('/');
            assert!(!text.contains(needle), "{name} holds {needle}");
        }
    }
    // The annex still shows the configuration, with the inputs by name.
    let annex = wd.read("out/annex/annex.md");
    assert!(annex.contains("file = \"census2021-rm038-rushmoor-and-neighbours.csv\""));
    assert!(annex.contains("Absolute paths are shown relative to this file's folder"));
}

/// A breakdown with more values than a chart can show: the table without the chart, said in a
/// warning and in the annex.
#[test]
fn a_breakdown_too_wide_for_a_chart_gets_its_table_and_a_note() {
    let wd = Workdir::new();
    let groups = ["White British", "Indian", "African", "White Irish"];
    let mut hr = String::from("employee_id,ethnicity,team\n");
    for i in 0..61 * 6 {
        hr.push_str(&format!("E{i},{},Team {}\n", groups[i % 4], i % 61));
    }
    small_run(&wd, &hr);
    wd.write(
        "run.toml",
        &wd.read("run.toml")
            .replace("by = [\"grade\"]", "by = [\"team\"]"),
    );
    let run = wd.run(&["run", "run.toml", "--output-dir", "out"]);
    run.ok();
    assert!(
        run.stderr().contains(
            "warning: Workforce representation by team: no chart drawn, as its 61 rows are more than the 60 a chart can show"
        ),
        "{}",
        run.stderr()
    );
    let annex = wd.read("out/annex/annex.md");
    assert!(annex.contains(
        "No chart is drawn: it would have 61 rows, more than the 60 a chart can show; the table gives every figure."
    ));
    assert!(annex.contains("| Team 60 |"), "the table has every team");
    let files = wd.files();
    assert!(!files.iter().any(|f| f.contains("by_team")), "{files:?}");
    assert!(files.contains(&"out/annex/charts/workforce-representation.svg".to_string()));
    let representation = crate::workdir::parse_csv(&wd.read("out/representation.csv"));
    assert!(representation
        .iter()
        .any(|r| r["breakdown"] == "team=Team 60"));
}

/// A megabyte in one cell is named by its start and its length, not echoed whole.
#[test]
fn an_error_does_not_echo_a_huge_value() {
    let wd = Workdir::new();
    // 1 MiB less the trailing space, which is trimmed from labels.
    let label = "Martian ".repeat(1 << 17);
    small_run(&wd, &workforce().replacen("White British", &label, 1));
    let err = wd
        .run(&["run", "run.toml", "--output-dir", "out"])
        .fails(1, &["hr.csv", "\"Martian Martian", "…\" (1048575 bytes)"]);
    assert!(err.len() < 2_000, "{} bytes of error", err.len());
}

/// Ctrl-C while the outputs are being written: the half-written folder is removed and the
/// previous outputs stay byte for byte. The run is interrupted as soon as its unfinished
/// folder appears, so the signal lands while files are being written.
#[cfg(unix)]
#[test]
fn ctrl_c_while_writing_leaves_the_previous_outputs_and_nothing_else() {
    let wd = Workdir::new();
    small_run(&wd, &workforce());
    wd.run(&["run", "run.toml", "--output-dir", "out"]).ok();
    let before = snapshot(&wd, "out/");
    let names_before = top_level(&wd);
    let unfinished = |wd: &Workdir| {
        top_level(wd)
            .into_iter()
            .any(|n| n.starts_with(".out.repgap-tmp-"))
    };
    let mut interrupted = 0;
    for _ in 0..20 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("repgap"))
            .current_dir(wd.path(""))
            .args(["run", "run.toml", "--output-dir", "out"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let status = loop {
            if unfinished(&wd) {
                std::process::Command::new("kill")
                    .args(["-INT", &child.id().to_string()])
                    .status()
                    .unwrap();
                break child.wait().unwrap();
            }
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            std::thread::sleep(std::time::Duration::from_micros(100));
        };
        // Finished or interrupted, the folder holds one whole run (the same inputs give the
        // same bytes) and nothing is left beside it.
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(
            top_level(&wd),
            names_before,
            "no unfinished folder left ({status:?}: {err})"
        );
        assert_eq!(snapshot(&wd, "out/"), before);
        if status.code() == Some(130) {
            interrupted += 1;
            assert!(err.contains("interrupted"), "{err}");
            break;
        }
        assert!(status.success(), "{status:?}");
    }
    assert_eq!(interrupted, 1, "no run was caught while writing");
}

/// `--excel-csv` (or `excel_csv = true`) begins every CSV with a UTF-8 byte order mark, so that
/// Excel on Windows shows "Adults’" rather than "Adultsâ€™"; nothing else changes.
#[test]
fn excel_csv_begins_every_csv_with_a_byte_order_mark() {
    let wd = Workdir::new();
    let config = crate::workdir::project("datasets/demo/repgap.toml");
    wd.run(&["run", config.to_str().unwrap(), "--output-dir", "plain"])
        .ok();
    wd.run(&[
        "run",
        config.to_str().unwrap(),
        "--output-dir",
        "excel",
        "--excel-csv",
    ])
    .ok();
    let mut csvs = 0;
    for name in wd.files() {
        let Some(rest) = name.strip_prefix("excel/") else {
            continue;
        };
        let excel = std::fs::read(wd.path(&name)).unwrap();
        let plain = std::fs::read(wd.path(&format!("plain/{rest}"))).unwrap();
        if name.ends_with(".csv") {
            csvs += 1;
            assert_eq!(&excel[..3], [0xEF, 0xBB, 0xBF], "{name}");
            assert_eq!(&excel[3..], &plain[..], "{name}");
        } else if !name.ends_with(".png") {
            assert_eq!(excel, plain, "{name}");
        }
    }
    assert!(csvs > 20, "{csvs} CSVs");
}

/// `--excel-csv` on a single command's CSV output; with another format it is a usage error.
#[test]
fn excel_csv_on_a_command_s_csv_output() {
    let wd = Workdir::new();
    let census = crate::workdir::fixture("census2021-tidy.csv");
    let census = census.to_str().unwrap();
    wd.run(&[
        "census",
        census,
        "--area",
        "E07000092",
        "--format",
        "csv",
        "-o",
        "plain.csv",
    ])
    .ok();
    wd.run(&[
        "census",
        census,
        "--area",
        "E07000092",
        "--format",
        "csv",
        "--excel-csv",
        "-o",
        "excel.csv",
    ])
    .ok();
    let (plain, excel) = (
        std::fs::read(wd.path("plain.csv")).unwrap(),
        std::fs::read(wd.path("excel.csv")).unwrap(),
    );
    assert_eq!(&excel[..3], [0xEF, 0xBB, 0xBF]);
    assert_eq!(&excel[3..], &plain[..]);
    wd.run(&["census", census, "--area", "E07000092", "--excel-csv"])
        .fails(2, &["--excel-csv is for CSV output", "--format csv"]);
}
