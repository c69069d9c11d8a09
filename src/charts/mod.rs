//! Charts for the evidence annex: dot-and-interval plots drawn with plotters, written as SVG
//! (inlined in the HTML annex) and PNG (for slides and committee papers).
//!
//! Every chart states what it shows in its title, its base and comparator in the subtitle, its
//! inputs and run date in a source line, and the recommendations it evidences in a caption.
//! Suppressed figures are drawn as the word "suppressed", never as a zero-length bar. Colours
//! are from the Okabe–Ito colour-blind-safe palette; text uses the bundled DejaVu Sans (Bitstream
//! Vera licence, `assets/fonts/`), so charts render the same on a machine with no fonts.

mod alt;
mod lines;
mod spec;
mod survey;

pub use alt::{breakdown_alt_text, pct as pct_text, profile_alt_text, representation_alt_text};
pub use spec::{breakdown_chart, likelihood_chart, profile_chart, representation_chart};
pub use survey::{survey_profile_chart, survey_question_chart};

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::error::{Error, Result};

/// One row of a panel: a label and, unless suppressed, a value with optional interval.
#[derive(Debug, Clone, PartialEq)]
pub struct DotRow {
    pub label: String,
    pub value: Option<f64>,
    pub interval: Option<(f64, f64)>,
    /// A comparison value drawn as a marker (e.g. the population share).
    pub reference: Option<f64>,
    /// Text drawn instead of the value (e.g. "suppressed").
    pub note: Option<String>,
}

/// A block of rows with an optional heading (one per group in a small-multiple chart).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: Option<String>,
    pub rows: Vec<DotRow>,
}

/// Everything needed to draw one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub title: String,
    pub subtitle: String,
    /// Legend text for the values (and their intervals).
    pub value_legend: String,
    /// Legend text for the reference markers, when there are any.
    pub reference_legend: Option<String>,
    pub source: String,
    pub caption: String,
    pub panels: Vec<Panel>,
    /// What the horizontal axis measures.
    pub axis: Axis,
}

/// The horizontal axis: shares (0–100%) or ratios (1 = equal); or a line chart of shares over
/// time, where each panel is a series and each row a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Axis {
    #[default]
    Share,
    Ratio,
    Trend,
}

const FONT: &str = "sans-serif";
const BLUE: RGBColor = RGBColor(0, 114, 178);
const LIGHT_BLUE: RGBColor = RGBColor(179, 212, 234);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const INK: RGBColor = RGBColor(33, 33, 33);
const GREY: RGBColor = RGBColor(96, 96, 96);
const GRID: RGBColor = RGBColor(225, 225, 225);

const ROW_HEIGHT: i32 = 26;

/// The most rows (values of a breakdown, grades, dates) a panel of a chart shows. A chart grows
/// 26 px a row: 60 rows is already taller than a page, and a department column with thousands
/// of values would make a PNG of gigabytes. Beyond this, no chart is drawn; the table in the
/// annex and the CSVs give every figure.
pub const MAX_ROWS: usize = 60;

/// The number of rows of `spec`'s longest panel when it is more than [`MAX_ROWS`].
pub fn too_many_rows(spec: &ChartSpec) -> Option<usize> {
    let rows = spec.panels.iter().map(|p| p.rows.len()).max().unwrap_or(0);
    (rows > MAX_ROWS).then_some(rows)
}

/// Refuse to draw a chart too big to read, before any memory is set aside for it.
fn check_size(spec: &ChartSpec, name: &Path) -> Result<()> {
    match too_many_rows(spec) {
        Some(rows) => Err(chart_error(
            name,
            format!(
                "the chart '{}' would have {rows} rows, more than the {MAX_ROWS} a chart can show",
                spec.title
            ),
        )),
        None => Ok(()),
    }
}
const MARGIN: i32 = 16;

static FONT_ONCE: Once = Once::new();

fn register_fonts() {
    FONT_ONCE.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The bundled font is known to be valid; a failure here is a packaging bug.
            if plotters::style::register_font(FONT, style, bytes).is_err() {
                panic!("the bundled DejaVu Sans font could not be loaded");
            }
        }
    });
}

/// Pixel layout derived from the spec.
struct Layout {
    width: u32,
    height: u32,
    label_width: i32,
    panel_width: i32,
    top: i32,
    x_max: f64,
    step: f64,
}

fn nice_scale(max: f64) -> (f64, f64) {
    let max = max.max(0.01);
    for step in [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25] {
        let ticks = (max / step).ceil();
        if ticks <= 6.0 {
            return ((ticks * step).min(1.0), step);
        }
    }
    (1.0, 0.25)
}

/// Ratios: from 0 to past the largest value, always showing 1.
fn ratio_scale(max: f64) -> (f64, f64) {
    let max = max.max(1.5);
    for step in [0.25, 0.5, 1.0, 2.0, 5.0, 10.0] {
        let ticks = (max / step).ceil();
        if ticks <= 6.0 {
            return (ticks * step, step);
        }
    }
    (60.0, 10.0)
}

/// Wide enough for the longest line of text (about 7 px a character at these sizes).
fn text_width(spec: &ChartSpec) -> i32 {
    let chars = |t: &str| t.chars().count() as f64;
    [
        chars(&spec.title) * 10.0,
        chars(&spec.subtitle) * 7.0,
        chars(&spec.source) * 6.2,
        chars(&spec.caption) * 6.5,
    ]
    .into_iter()
    .fold(0.0, f64::max) as i32
        + MARGIN * 2
}

fn layout(spec: &ChartSpec) -> Layout {
    let longest = spec
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(10);
    let label_width = (longest as i32 * 7 + 24).clamp(110, 440);
    let panels = spec.panels.len().max(1) as i32;
    let panel_width = if panels == 1 { 560 } else { 250 };
    let rows = spec.panels.iter().map(|p| p.rows.len()).max().unwrap_or(1) as i32;
    let max = spec
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .flat_map(|r| [r.value, r.interval.map(|i| i.1), r.reference])
        .flatten()
        .fold(0.0f64, f64::max);
    let (x_max, step) = match spec.axis {
        Axis::Share | Axis::Trend => nice_scale(max * 1.08),
        Axis::Ratio => ratio_scale(max * 1.08),
    };
    let top = 118 + if panels > 1 { 22 } else { 0 };
    let text_width = text_width(spec);
    let plot_width = MARGIN * 2 + label_width + panels * panel_width + (panels - 1) * 14;
    Layout {
        width: plot_width.max(text_width) as u32,
        height: (top + rows * ROW_HEIGHT + 34 + 60) as u32,
        label_width,
        panel_width,
        top,
        x_max,
        step,
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &ChartSpec,
    l: &Layout,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    fn text(size: f64, color: &'static RGBColor) -> TextStyle<'static> {
        TextStyle::from((FONT, size).into_font()).color(color)
    }
    fn bold(size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, size, FontStyle::Bold).into_font()).color(&INK)
    }
    root.draw(&Text::new(spec.title.clone(), (MARGIN, 12), bold(18.0)))
        .map_err(err)?;
    root.draw(&Text::new(
        spec.subtitle.clone(),
        (MARGIN, 40),
        text(13.0, &GREY),
    ))
    .map_err(err)?;
    // Legend.
    let ly = 72;
    root.draw(&Rectangle::new(
        [(MARGIN, ly + 2), (MARGIN + 22, ly + 12)],
        LIGHT_BLUE.filled(),
    ))
    .map_err(err)?;
    root.draw(&PathElement::new(
        vec![(MARGIN, ly + 7), (MARGIN + 22, ly + 7)],
        BLUE.stroke_width(2),
    ))
    .map_err(err)?;
    root.draw(&Text::new(
        spec.value_legend.clone(),
        (MARGIN + 30, ly),
        text(13.0, &INK),
    ))
    .map_err(err)?;
    if let Some(reference) = &spec.reference_legend {
        let x = MARGIN + 60 + spec.value_legend.chars().count() as i32 * 7;
        root.draw(&diamond((x + 8, ly + 7), 6)).map_err(err)?;
        root.draw(&Text::new(
            reference.clone(),
            (x + 22, ly),
            text(13.0, &INK),
        ))
        .map_err(err)?;
    }
    let rows_bottom =
        l.top + spec.panels.iter().map(|p| p.rows.len()).max().unwrap_or(0) as i32 * ROW_HEIGHT;
    for (pi, panel) in spec.panels.iter().enumerate() {
        let x0 = MARGIN + l.label_width + pi as i32 * (l.panel_width + 14);
        let plot_w = l.panel_width - 20;
        let px = |v: f64| x0 + (v / l.x_max * plot_w as f64).round() as i32;
        if let Some(title) = &panel.title {
            root.draw(&Text::new(title.clone(), (x0, l.top - 24), bold(13.0)))
                .map_err(err)?;
        }
        // Grid and axis labels.
        let ticks = (l.x_max / l.step).round() as i32;
        for t in 0..=ticks {
            let v = t as f64 * l.step;
            let x = px(v);
            root.draw(&PathElement::new(
                vec![(x, l.top), (x, rows_bottom)],
                GRID.stroke_width(1),
            ))
            .map_err(err)?;
            let label = match spec.axis {
                Axis::Ratio => format!("{v:.2}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string(),
                Axis::Share | Axis::Trend if l.step < 0.01 => format!("{:.1}%", v * 100.0),
                Axis::Share | Axis::Trend => format!("{:.0}%", v * 100.0),
            };
            root.draw(&Text::new(
                label,
                (x, rows_bottom + 6),
                text(11.0, &GREY).pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(err)?;
        }
        for (ri, row) in panel.rows.iter().enumerate() {
            let y = l.top + ri as i32 * ROW_HEIGHT + ROW_HEIGHT / 2;
            if pi == 0 {
                root.draw(&Text::new(
                    row.label.clone(),
                    (MARGIN + l.label_width - 10, y),
                    text(12.0, &INK).pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(err)?;
            }
            if let Some(note) = &row.note {
                // At the right of the panel, clear of the reference marker near zero.
                root.draw(&Text::new(
                    note.clone(),
                    (px(l.x_max), y),
                    text(11.5, &GREY).pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(err)?;
            } else if let Some(v) = row.value {
                root.draw(&Rectangle::new(
                    [(px(0.0), y - 7), (px(v).max(px(0.0) + 1), y + 7)],
                    LIGHT_BLUE.filled(),
                ))
                .map_err(err)?;
                if let Some((lo, hi)) = row.interval {
                    let style = BLUE.stroke_width(2);
                    root.draw(&PathElement::new(vec![(px(lo), y), (px(hi), y)], style))
                        .map_err(err)?;
                    root.draw(&PathElement::new(
                        vec![(px(lo), y - 5), (px(lo), y + 5)],
                        style,
                    ))
                    .map_err(err)?;
                    root.draw(&PathElement::new(
                        vec![(px(hi), y - 5), (px(hi), y + 5)],
                        style,
                    ))
                    .map_err(err)?;
                }
                root.draw(&Circle::new((px(v), y), 4, BLUE.filled()))
                    .map_err(err)?;
            }
            if let Some(r) = row.reference {
                root.draw(&diamond((px(r), y), 6)).map_err(err)?;
            }
        }
    }
    draw_footer(root, spec, rows_bottom + 30)
}

/// The source line and the caption under a chart, from `y` down; then the chart is complete.
fn draw_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &ChartSpec,
    y: i32,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let style = |size: f64, color: &'static RGBColor| {
        TextStyle::from((FONT, size).into_font()).color(color)
    };
    root.draw(&Text::new(
        spec.source.clone(),
        (MARGIN, y),
        style(11.0, &GREY),
    ))
    .map_err(err)?;
    root.draw(&Text::new(
        spec.caption.clone(),
        (MARGIN, y + 18),
        style(11.5, &INK),
    ))
    .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

fn diamond(centre: (i32, i32), r: i32) -> Polygon<(i32, i32)> {
    let (x, y) = centre;
    Polygon::new(
        vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        VERMILLION.filled(),
    )
}

/// Render a chart as an SVG document.
pub fn render_svg(spec: &ChartSpec) -> Result<String> {
    check_size(spec, Path::new("<svg>"))?;
    register_fonts();
    let mut svg = String::new();
    if spec.axis == Axis::Trend {
        let l = lines::layout(spec);
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        lines::draw(&root, spec, &l).map_err(|e| chart_error(Path::new("<svg>"), e))?;
    } else {
        let l = layout(spec);
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        draw(&root, spec, &l).map_err(|e| chart_error(Path::new("<svg>"), e))?;
    }
    Ok(svg)
}

/// Render a chart as a PNG file, atomically.
/// Render `spec` as a PNG, in memory: a run renders every chart before it writes anything.
pub fn render_png(spec: &ChartSpec) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    register_fonts();
    let name = Path::new("chart.png");
    check_size(spec, name)?;
    let (width, height) = if spec.axis == Axis::Trend {
        let l = lines::layout(spec);
        (l.width, l.height)
    } else {
        let l = layout(spec);
        (l.width, l.height)
    };
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        if spec.axis == Axis::Trend {
            lines::draw(&root, spec, &lines::layout(spec)).map_err(|e| chart_error(name, e))?;
        } else {
            draw(&root, spec, &layout(spec)).map_err(|e| chart_error(name, e))?;
        }
        root.present()
            .map_err(|e| chart_error(name, e.to_string()))?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, width, height, image::ColorType::Rgb8)
        .map_err(|e| chart_error(name, e.to_string()))?;
    Ok(png)
}

/// Render `spec` as a PNG file at `path` (atomically).
pub fn write_png(spec: &ChartSpec, path: &Path) -> Result<()> {
    crate::output::write_atomic(path, &render_png(spec)?, &[])
}

fn chart_error(path: &Path, message: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ChartSpec {
        ChartSpec {
            title: "Title".into(),
            subtitle: "Sub".into(),
            value_legend: "Workforce".into(),
            reference_legend: Some("Residents".into()),
            source: "Source".into(),
            caption: "Evidence for R1".into(),
            axis: Axis::Share,
            panels: vec![Panel {
                title: None,
                rows: vec![
                    DotRow {
                        label: "Asian".into(),
                        value: Some(0.1),
                        interval: Some((0.07, 0.13)),
                        reference: Some(0.147),
                        note: None,
                    },
                    DotRow {
                        label: "Mixed".into(),
                        value: None,
                        interval: None,
                        reference: Some(0.026),
                        note: Some("suppressed".into()),
                    },
                ],
            }],
        }
    }

    #[test]
    fn svg_has_text_and_suppressed_rows_as_words() {
        let svg = render_svg(&spec()).unwrap();
        assert!(svg.starts_with("<svg"));
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .map(|t| {
                t.split_once('>')
                    .unwrap()
                    .1
                    .split("</text>")
                    .next()
                    .unwrap()
                    .trim()
            })
            .collect();
        for wanted in [
            "Title",
            "suppressed",
            "Evidence for R1",
            "Asian",
            "Residents",
        ] {
            assert!(texts.contains(&wanted), "{wanted} not in {texts:?}");
        }
    }

    #[test]
    fn png_is_written_with_a_png_signature() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.png");
        write_png(&spec(), &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_chart_with_too_many_rows_is_refused_before_drawing() {
        let mut wide = spec();
        let row = wide.panels[0].rows[0].clone();
        wide.panels[0].rows = vec![row; MAX_ROWS];
        assert_eq!(too_many_rows(&wide), None);
        assert!(render_svg(&wide).is_ok());
        // A breakdown with 200,000 values: at 26 px a row the PNG alone would take 15 GB.
        let row = wide.panels[0].rows[0].clone();
        wide.panels[0].rows = vec![row; 200_000];
        assert_eq!(too_many_rows(&wide), Some(200_000));
        let err = render_png(&wide).unwrap_err().to_string();
        assert!(err.contains("200000 rows, more than the 60"), "{err}");
        assert!(render_svg(&wide).is_err());
    }

    #[test]
    fn ratio_scale_shows_one() {
        assert_eq!(ratio_scale(0.9), (1.5, 0.25));
        assert_eq!(ratio_scale(2.6), (3.0, 0.5));
    }

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(0.16), (0.2, 0.05));
        assert_eq!(nice_scale(0.88), (1.0, 0.2));
        let (max, step) = nice_scale(0.012);
        assert!((max - 0.015).abs() < 1e-12 && step == 0.005);
    }
}
