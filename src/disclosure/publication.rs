//! Whether a run's figures may be published, and the mark on every output that may not.
//!
//! A threshold below 3 shows counts of 1 and 2 people, which identify them. It is still useful
//! to an analyst checking figures against the raw data, so it is allowed only when the run says
//! it is not for publication, and then every output says so on its first line.

/// The smallest threshold whose outputs may be published.
pub const SMALLEST_PUBLISHED_THRESHOLD: u64 = 3;

/// The words every output of a run not for publication starts with.
pub const NOT_FOR_PUBLICATION: &str = "NOT FOR PUBLICATION";

/// Why a threshold is refused: `None` when `min_cell` may be used as asked.
pub fn refuse_threshold(min_cell: u64, publish: bool) -> Option<String> {
    (publish && min_cell < SMALLEST_PUBLISHED_THRESHOLD).then(|| {
        let shown = match min_cell {
            0 | 1 => "every count, down to a single person".to_string(),
            n => format!("counts from {n} people up"),
        };
        format!(
            "a threshold of {min_cell} would publish {shown}: counts of 1 or 2 people identify them"
        )
    })
}

/// The first line of every output of a run not for publication.
pub fn banner(min_cell: u64) -> String {
    format!(
        "{NOT_FOR_PUBLICATION}: counts are withheld only below {min_cell}, so counts of 1 or 2 people are shown; for checking figures only, never to be shared or published"
    )
}

/// `contents` of an output named `name` with `banner` as its first line, in the file's own
/// syntax so that it still reads: a line above a CSV's header or a Markdown document, a
/// comment above HTML or SVG, a first key of a JSON object (an array is wrapped as `data`).
/// A PNG chart carries the words in its drawn title instead (see the pipeline).
pub fn mark(name: &str, contents: Vec<u8>, banner: &str) -> Vec<u8> {
    let extension = name.rsplit('.').next().unwrap_or("");
    let text = |c: Vec<u8>| String::from_utf8(c).unwrap_or_default();
    let marked = match extension {
        "csv" | "txt" => format!("{banner}\n{}", text(contents)),
        "md" => format!("**{banner}**\n\n{}", text(contents)),
        "html" | "svg" => format!("<!-- {banner} -->\n{}", text(contents)),
        "json" => {
            let body = text(contents);
            let notice = serde_json::to_string(banner).expect("a string serialises");
            match body.strip_prefix('{') {
                Some(rest) if rest.trim_start().starts_with('}') => {
                    format!("{{\"notice\": {notice}{rest}")
                }
                Some(rest) => format!("{{\"notice\": {notice},{rest}"),
                None => format!("{{\"notice\": {notice},\n\"data\": {}}}\n", body.trim_end()),
            }
        }
        _ => return contents,
    };
    marked.into_bytes()
}

/// Every file of an output folder marked with the banner of threshold `min_cell`.
pub fn mark_files(files: Vec<(String, Vec<u8>)>, min_cell: u64) -> Vec<(String, Vec<u8>)> {
    let banner = banner(min_cell);
    files
        .into_iter()
        .map(|(name, contents)| {
            let marked = mark(&name, contents, &banner);
            (name, marked)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_below_three_need_a_run_not_for_publication() {
        assert!(refuse_threshold(0, true).unwrap().contains("single person"));
        assert!(refuse_threshold(2, true).unwrap().contains("from 2 people"));
        assert_eq!(refuse_threshold(3, true), None);
        assert_eq!(refuse_threshold(1, false), None);
    }

    #[test]
    fn every_kind_of_file_starts_with_the_banner_and_still_parses() {
        let b = banner(1);
        let first = |name: &str, body: &str| {
            String::from_utf8(mark(name, body.as_bytes().to_vec(), &b)).unwrap()
        };
        for (name, body) in [
            ("a.csv", "x,y\n1,2\n"),
            ("a.md", "# Title\n"),
            ("a.html", "<!DOCTYPE html>\n<html></html>\n"),
            ("a.svg", "<svg></svg>\n"),
        ] {
            let out = first(name, body);
            assert!(
                out.lines().next().unwrap().contains(NOT_FOR_PUBLICATION),
                "{name}"
            );
            assert!(out.ends_with(body), "{name}");
        }
        for body in ["{\n  \"a\": 1\n}\n", "{}", "[\n  1,\n  2\n]\n"] {
            let out = first("a.json", body);
            assert!(out.lines().next().unwrap().contains(NOT_FOR_PUBLICATION));
            let value: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(value["notice"], b.as_str());
        }
        let png = vec![0x89, b'P', b'N', b'G'];
        assert_eq!(mark("c.png", png.clone(), &b), png);
    }
}
