//! A scratch folder with fixture files, and helpers to run the binary in it.

use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Workdir {
    dir: tempfile::TempDir,
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Copy a fixture into the folder under the same name.
    pub fn copy_fixture(&self, name: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::copy(fixture(name), &path).unwrap();
        path
    }

    /// A file's text; a workbook's cells, a line per row and a comma between cells, every
    /// sheet in turn; a Word document's text, a line per paragraph or table cell (so checks of
    /// every output's text cover the workbook and the Word annex too).
    pub fn read(&self, name: &str) -> String {
        if name.ends_with(".docx") {
            let xml = word_document_xml(&self.path(name)).replace("</w:p>", "\n");
            return markup_text(&xml).trim_start().to_string();
        }
        if name.ends_with(".xlsx") {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(self.path(name)).unwrap();
            let mut text = String::new();
            for sheet in book.sheet_names().to_vec() {
                let range = book.worksheet_range(&sheet).unwrap();
                for row in range.rows() {
                    let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
                    text.push_str(&cells.join(","));
                    text.push('\n');
                }
            }
            return text;
        }
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = walk(self.dir.path())
            .into_iter()
            .map(|p| {
                p.strip_prefix(self.dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        names.sort();
        names
    }

    /// Run `repgap ARGS` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = assert_cmd::Command::cargo_bin("repgap")
            .unwrap()
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap();
        Run { output }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Assert success and return standard output.
    pub fn ok(&self) -> String {
        assert_eq!(
            self.code(),
            0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }

    /// Assert exit status `code` and that standard error contains every one of `needles`.
    pub fn fails(&self, code: i32, needles: &[&str]) -> String {
        let err = self.stderr();
        assert_eq!(
            self.code(),
            code,
            "exit status\nstdout:\n{}\nstderr:\n{err}",
            self.stdout()
        );
        for needle in needles {
            assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
        }
        err
    }
}

/// Parse CSV text into header-keyed rows.
/// The output of a run not for publication without its first line, which must say so.
/// Text of HTML or XML: the tags left out and the entities the writers use read.
pub fn markup_text(markup: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// The body of a Word document: `word/document.xml` from its package.
pub fn word_document_xml(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

pub fn not_for_publication(text: &str) -> &str {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    assert!(
        first.starts_with("NOT FOR PUBLICATION"),
        "the first line should say NOT FOR PUBLICATION: {first:?}"
    );
    rest
}

pub fn parse_csv(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}
