//! Charts for the evidence annex: dot-and-interval plots drawn with plotters, written as SVG
//! (inlined in the HTML annex) and PNG (for slides and committee papers): the SVG rasterised
//! by resvg at 16 cm and 300 dpi. Dot charts are laid out at a fixed width, text measured with
//! the font and wrapped, every piece of it recorded so tests can check that none overlaps and
//! none is too small to read (see [`text_boxes`]).
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
pub mod text;

pub use alt::{breakdown_alt_text, pct as pct_text, profile_alt_text, representation_alt_text};
pub use spec::{breakdown_chart, likelihood_chart, profile_chart, representation_chart};
pub use survey::{survey_change_chart, survey_profile_chart, survey_question_chart};

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
    /// Which residents the chart shows or compares with, for its source line.
    pub residents: Residents,
    pub caption: String,
    pub panels: Vec<Panel>,
    /// What the horizontal axis measures.
    pub axis: Axis,
}

/// The residents a chart shows or compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Residents {
    /// None: pay, likelihoods, trends.
    NotCompared,
    /// The run's comparator.
    Comparator,
    /// Others, as described (the detailed table's residents of all ages, two censuses…).
    Other(String),
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

fn nice_scale(max: f64) -> (f64, f64) {
    nice_scale_within(max, 6.0)
}

/// A scale from 0 past `max` with at most `most` steps.
fn nice_scale_within(max: f64, most: f64) -> (f64, f64) {
    // A share is at most 100%.
    let max = max.clamp(0.01, 1.0);
    for step in [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5] {
        let ticks = (max / step).ceil();
        if ticks <= most {
            return ((ticks * step).min(1.0), step);
        }
    }
    (1.0, if most < 4.0 { 0.5 } else { 0.25 })
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

/// A dot chart's width in its own units: drawn 16 cm wide in print (so 16 units of text is 9 pt)
/// and at most this many CSS pixels wide in the annex (so 16 units is 16 px, 12 px on a screen
/// three quarters as wide).
pub const WIDTH: f64 = 800.0;
/// Every piece of text is at least this size: 9 pt at 16 cm.
pub const TEXT: f64 = 16.0;
pub(crate) const TITLE: f64 = 22.0;
pub(crate) const LINE: f64 = 1.25;
/// plotters sets text at its size ÷ 1.24 in SVG: ask for this much more.
const PLOTTERS_FONT: f64 = 1.24;
const LABEL_MAX: f64 = 250.0;
const PANEL_GAP: f64 = 18.0;

/// Where everything of a dot chart goes, in the chart's units.
struct Layout {
    width: u32,
    height: u32,
    title: Vec<String>,
    subtitle: Vec<String>,
    /// Legend items' left edges, and the legend's height.
    legend: Vec<(f64, f64)>,
    /// Each row's label lines (the first panel's labels; every panel has the same rows).
    labels: Vec<Vec<String>>,
    label_width: f64,
    panel_titles: Vec<Vec<String>>,
    panel_width: f64,
    row_tops: Vec<f64>,
    rows_top: f64,
    rows_bottom: f64,
    footer_top: f64,
    source: Vec<String>,
    caption: Vec<String>,
    x_max: f64,
    step: f64,
}

fn layout(spec: &ChartSpec) -> Layout {
    let inner = WIDTH - 2.0 * MARGIN as f64;
    let title = text::wrap(&spec.title, TITLE, inner);
    let subtitle = text::wrap(&spec.subtitle, TEXT, inner);
    // Legend items side by side, wrapping to a new line when the next does not fit.
    let mut legend = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let items: Vec<&str> = std::iter::once(spec.value_legend.as_str())
        .chain(spec.reference_legend.as_deref())
        .collect();
    for item in &items {
        let w = 32.0 + text::width(item, TEXT);
        if x > 0.0 && x + w > inner {
            x = 0.0;
            y += TEXT * LINE + 6.0;
        }
        legend.push((x, y));
        x += w + 28.0;
    }
    let legend_height = y + TEXT * LINE;
    let first: &[DotRow] = spec
        .panels
        .first()
        .map(|p| p.rows.as_slice())
        .unwrap_or(&[]);
    let labels: Vec<Vec<String>> = first
        .iter()
        .map(|r| text::wrap(&r.label, TEXT, LABEL_MAX))
        .collect();
    let label_width = labels
        .iter()
        .flatten()
        .map(|l| text::width(l, TEXT))
        .fold(40.0, f64::max)
        + 12.0;
    let panels = spec.panels.len().max(1) as f64;
    let panel_width = (inner - label_width - (panels - 1.0) * PANEL_GAP) / panels;
    let panel_titles: Vec<Vec<String>> = spec
        .panels
        .iter()
        .map(|p| {
            p.title
                .as_deref()
                .map(|t| text::wrap(t, TEXT, panel_width))
                .unwrap_or_default()
        })
        .collect();
    let title_lines = panel_titles.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let max = spec
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .flat_map(|r| [r.value, r.interval.map(|i| i.1), r.reference])
        .flatten()
        .fold(0.0f64, f64::max);
    // A tick label needs about 56 units: narrow panels get fewer ticks.
    let most = (panel_width / 56.0).floor().clamp(2.0, 6.0);
    let (x_max, step) = match spec.axis {
        Axis::Share | Axis::Trend => nice_scale_within(max * 1.08, most),
        Axis::Ratio => ratio_scale(max * 1.08),
    };
    let mut y = MARGIN as f64;
    y += title.len() as f64 * TITLE * LINE + 6.0;
    y += subtitle.len() as f64 * TEXT * LINE + 12.0;
    y += legend_height + 18.0;
    y += title_lines * TEXT * LINE + if title_lines > 0.0 { 6.0 } else { 0.0 };
    let rows_top = y;
    let mut row_tops = Vec::new();
    for lines in &labels {
        row_tops.push(y);
        y += (lines.len().max(1) as f64 * TEXT * LINE + 12.0).max(32.0);
    }
    let rows_bottom = y;
    let footer_top = rows_bottom + TEXT * LINE + 18.0;
    let source = text::wrap(&spec.source, TEXT, inner);
    let caption = text::wrap(&spec.caption, TEXT, inner);
    let height =
        footer_top + (source.len() + caption.len()) as f64 * TEXT * LINE + 4.0 + MARGIN as f64;
    Layout {
        width: WIDTH as u32,
        height: height.ceil() as u32,
        title,
        subtitle,
        legend,
        labels,
        label_width,
        panel_titles,
        panel_width,
        row_tops,
        rows_top,
        rows_bottom,
        footer_top,
        source,
        caption,
        x_max,
        step,
    }
}

/// The foot of a chart, drawn last: the source lines in grey at (x, y), the caption under
/// them in ink; then the drawing is finished.
pub(crate) fn footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    boxes: &mut Vec<text::TextBox>,
    source: &[String],
    caption: &[String],
    (x, y): (f64, f64),
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    put(root, boxes, source, (x, y), TEXT, &GREY, false, false)?;
    let caption_top = y + source.len() as f64 * TEXT * LINE + 4.0;
    put(
        root,
        boxes,
        caption,
        (x, caption_top),
        TEXT,
        &INK,
        false,
        false,
    )?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// Draws text with its top-left (or, `right`, top-right) corner at (x, y), one line under
/// another, and records where it went.
#[allow(clippy::too_many_arguments)]
pub(crate) fn put<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    boxes: &mut Vec<text::TextBox>,
    lines: &[String],
    (x, y): (f64, f64),
    size: f64,
    color: &'static RGBColor,
    bold: bool,
    right: bool,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let style = if bold {
        TextStyle::from((FONT, size * PLOTTERS_FONT, FontStyle::Bold).into_font())
    } else {
        TextStyle::from((FONT, size * PLOTTERS_FONT).into_font())
    };
    let anchor = if right { HPos::Right } else { HPos::Left };
    let style = style.color(color).pos(Pos::new(anchor, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let top = y + i as f64 * size * LINE;
        root.draw(&Text::new(
            line.clone(),
            (x.round() as i32, top.round() as i32),
            style.clone(),
        ))
        .map_err(|e| e.to_string())?;
        let w = text::width(line, size);
        let left = if right { x - w } else { x };
        boxes.push(text::TextBox {
            text: line.clone(),
            size,
            left,
            top,
            right: left + w,
            bottom: top + size,
        });
    }
    Ok(())
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &ChartSpec,
    l: &Layout,
    boxes: &mut Vec<text::TextBox>,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let m = MARGIN as f64;
    let mut y = m;
    put(root, boxes, &l.title, (m, y), TITLE, &INK, true, false)?;
    y += l.title.len() as f64 * TITLE * LINE + 6.0;
    put(root, boxes, &l.subtitle, (m, y), TEXT, &GREY, false, false)?;
    y += l.subtitle.len() as f64 * TEXT * LINE + 12.0;
    // Legend.
    let items: Vec<&String> = std::iter::once(&spec.value_legend)
        .chain(spec.reference_legend.as_ref())
        .collect();
    for (i, (item, (lx, ly))) in items.iter().zip(&l.legend).enumerate() {
        let (x, top) = (m + lx, y + ly);
        let mid = (top + TEXT * 0.55).round() as i32;
        if i == 0 {
            root.draw(&Rectangle::new(
                [(x as i32, mid - 5), (x as i32 + 24, mid + 5)],
                LIGHT_BLUE.filled(),
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                vec![(x as i32, mid), (x as i32 + 24, mid)],
                BLUE.stroke_width(2),
            ))
            .map_err(err)?;
        } else {
            root.draw(&diamond((x as i32 + 12, mid), 7)).map_err(err)?;
        }
        put(
            root,
            boxes,
            &[item.to_string()],
            (x + 32.0, top),
            TEXT,
            &INK,
            false,
            false,
        )?;
    }
    let line_h = TEXT * LINE;
    for (pi, panel) in spec.panels.iter().enumerate() {
        let x0 = m + l.label_width + pi as f64 * (l.panel_width + PANEL_GAP);
        let plot_w = l.panel_width - 8.0;
        let px = |v: f64| x0 + v / l.x_max * plot_w;
        if !l.panel_titles[pi].is_empty() {
            let top = l.rows_top - 6.0 - l.panel_titles[pi].len() as f64 * line_h;
            put(
                root,
                boxes,
                &l.panel_titles[pi],
                (x0, top),
                TEXT,
                &INK,
                true,
                false,
            )?;
        }
        // Grid and axis labels: the first label starts at the axis, the last ends at it, and
        // a label that would touch the one before is left out (its grid line stays).
        let ticks = (l.x_max / l.step).round() as i32;
        let mut tick_labels: Vec<(f64, String)> = Vec::new();
        for t in 0..=ticks {
            let v = t as f64 * l.step;
            let x = px(v);
            root.draw(&PathElement::new(
                vec![
                    (x as i32, l.rows_top as i32),
                    (x as i32, l.rows_bottom as i32),
                ],
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
            let w = text::width(&label, TEXT);
            let left = if t == 0 {
                x
            } else if t == ticks {
                x - w
            } else {
                x - w / 2.0
            };
            let clear = |kept: &[(f64, String)]| {
                kept.last()
                    .is_none_or(|(l, s)| l + text::width(s, TEXT) + 6.0 <= left)
            };
            if t == ticks {
                // The end of the scale matters more than the tick before it.
                while !clear(&tick_labels) && !tick_labels.is_empty() {
                    tick_labels.pop();
                }
            }
            if clear(&tick_labels) {
                tick_labels.push((left, label));
            }
        }
        for (left, label) in tick_labels {
            put(
                root,
                boxes,
                &[label],
                (left, l.rows_bottom + 6.0),
                TEXT,
                &GREY,
                false,
                false,
            )?;
        }
        for (ri, row) in panel.rows.iter().enumerate() {
            let top = l.row_tops[ri];
            let lines = &l.labels[ri];
            let height = (lines.len().max(1) as f64 * line_h + 12.0).max(32.0);
            let yc = top + height / 2.0;
            let y = yc.round() as i32;
            if pi == 0 {
                let text_top = yc - lines.len() as f64 * line_h / 2.0 + 1.0;
                put(
                    root,
                    boxes,
                    lines,
                    (m + l.label_width - 12.0, text_top),
                    TEXT,
                    &INK,
                    false,
                    true,
                )?;
            }
            let marker = row.reference.map(px);
            if let Some(note) = &row.note {
                // Beside the reference marker, never on it, within the panel.
                let mut note = note.clone();
                if text::width(&note, TEXT) > plot_w - 20.0 {
                    note = crate::disclosure::WITHHELD.to_string();
                }
                let w = text::width(&note, TEXT);
                let start = px(0.0) + 4.0;
                let left = match marker {
                    Some(mx) if start < mx + 10.0 && start + w > mx - 10.0 => {
                        if mx + 10.0 + w <= x0 + plot_w {
                            mx + 10.0
                        } else {
                            (mx - 10.0 - w).max(x0)
                        }
                    }
                    _ => start,
                };
                put(
                    root,
                    boxes,
                    &[note],
                    (left, yc - TEXT / 2.0 - 1.0),
                    TEXT,
                    &GREY,
                    false,
                    false,
                )?;
            } else if let Some(v) = row.value {
                root.draw(&Rectangle::new(
                    [
                        (px(0.0) as i32, y - 8),
                        ((px(v) as i32).max(px(0.0) as i32 + 1), y + 8),
                    ],
                    LIGHT_BLUE.filled(),
                ))
                .map_err(err)?;
                if let Some((lo, hi)) = row.interval {
                    let style = BLUE.stroke_width(2);
                    let (lo, hi) = (px(lo) as i32, px(hi) as i32);
                    for path in [
                        vec![(lo, y), (hi, y)],
                        vec![(lo, y - 6), (lo, y + 6)],
                        vec![(hi, y - 6), (hi, y + 6)],
                    ] {
                        root.draw(&PathElement::new(path, style)).map_err(err)?;
                    }
                }
                root.draw(&Circle::new((px(v) as i32, y), 5, BLUE.filled()))
                    .map_err(err)?;
            }
            if let Some(mx) = marker {
                root.draw(&diamond((mx as i32, y), 7)).map_err(err)?;
            }
        }
    }
    footer(root, boxes, &l.source, &l.caption, (m, l.footer_top))
}

/// Where every piece of text of a dot chart is drawn, with the chart's width: for tests of
/// the layout.
pub fn text_boxes(spec: &ChartSpec) -> (f64, Vec<text::TextBox>) {
    register_fonts();
    let mut svg = String::new();
    let mut boxes = Vec::new();
    if spec.axis == Axis::Trend {
        let l = lines::layout(spec);
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        let _ = lines::draw(&root, spec, &l, &mut boxes);
        (l.width as f64, boxes)
    } else {
        let l = layout(spec);
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        let _ = draw(&root, spec, &l, &mut boxes);
        (l.width as f64, boxes)
    }
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
        lines::draw(&root, spec, &l, &mut Vec::new())
            .map_err(|e| chart_error(Path::new("<svg>"), e))?;
    } else {
        let l = layout(spec);
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        draw(&root, spec, &l, &mut Vec::new()).map_err(|e| chart_error(Path::new("<svg>"), e))?;
    }
    Ok(svg)
}

/// Width of a chart as printed: 16 cm, the text width of an A4 page with 2.5 cm margins.
pub const PRINT_WIDTH_CM: f64 = 16.0;
/// Resolution of the PNG at that width, recorded in the file.
pub const PRINT_DPI: f64 = 300.0;

/// The PNG's width in pixels: 16 cm at 300 dpi.
pub fn print_width_px() -> u32 {
    (PRINT_WIDTH_CM / 2.54 * PRINT_DPI).round() as u32
}

/// Render `spec` as a PNG, in memory: a run renders every chart before it writes anything.
/// The PNG is the SVG rasterised at print resolution, so both show the same chart, every
/// glyph sits on its line's baseline, and the file records its resolution (300 dpi: 16 cm
/// wide in Word at 100%).
pub fn render_png(spec: &ChartSpec) -> Result<Vec<u8>> {
    let name = Path::new("chart.png");
    let svg = render_svg(spec)?;
    rasterise(&svg).map_err(|e| chart_error(name, e))
}

fn rasterise(svg: &str) -> std::result::Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans.ttf").to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        std::sync::Arc::new(db)
    });
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let width = print_width_px();
    let scale = width as f32 / tree.size().width();
    let height = (tree.size().height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or("a chart of no size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque (a white background under everything): drop the alpha channel.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Charts are mostly flat colour: zlib's default level makes them a quarter of the
        // fast level's size (145 KB against 558 KB on the demo), which matters in an emailed
        // Word document; the best level saves 8% more for twice the time.
        encoder.set_compression(png::Compression::Default);
        let per_metre = (PRINT_DPI / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
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

    /// A chart with everything that used to collide: long group names, six narrow panels,
    /// withheld figures beside population markers near zero and far from it.
    fn crowded() -> ChartSpec {
        let labels = [
            "White: English, Welsh, Scottish, Northern Irish or British",
            "Black, Black British, Black Welsh, Caribbean or African: Other Black",
            "Grade 1",
            "Chief Officer",
        ];
        ChartSpec {
            title: "Ethnic groups in the workforce by grade (5 high-level groups and a very long title that wraps)".into(),
            subtitle: "Share of staff in each grade who stated an ethnicity, 95% confidence intervals; marker: residents, Census 2021 usual residents aged 16 and over, Rushmoor (E07000092)".into(),
            value_legend: "Share of staff in the grade (95% CI)".into(),
            reference_legend: Some("Residents aged 16 and over (Census 2021)".into()),
            source: "Source: a.csv, b.csv, c.csv, d.csv, e.csv, f.csv, g.csv, h.csv, i.csv; Census 2021 usual residents aged 16 and over, Rushmoor (E07000092). repgap 0.1.0, 2026-03-31.".into(),
            residents: Residents::Comparator,
            caption: "Evidence for recommendations R10, R19.".into(),
            axis: Axis::Share,
            panels: (0..6)
                .map(|p| Panel {
                    title: Some(["Asian", "Black", "Mixed", "White", "Other", "Nepali"][p].into()),
                    rows: labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| DotRow {
                            label: l.to_string(),
                            value: (i % 2 == 0).then_some(0.05 + 0.1 * p as f64),
                            interval: (i % 2 == 0).then_some((0.01, 0.2 + 0.1 * p as f64)),
                            reference: Some([0.0, 0.02, 0.9, 0.5][i]),
                            note: (i % 2 == 1).then(|| "suppressed".to_string()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// Five series over two snapshots, two points withheld.
    fn trend() -> ChartSpec {
        ChartSpec {
            title: "Ethnic minority staff over time".into(),
            subtitle: "Share of staff who stated an ethnicity at each snapshot (2025-03-31: 405 staff, 2026-03-31: 420 staff), 95% confidence intervals as vertical bars".into(),
            value_legend: "Share of staff who stated an ethnicity (95% CI)".into(),
            reference_legend: None,
            source: "Source: workforce-snapshots-synthetic.csv. repgap 0.1.0, 2026-03-31.".into(),
            residents: Residents::NotCompared,
            caption: "Evidence for recommendations R6, R17.".into(),
            axis: Axis::Trend,
            panels: ["Ethnic minorities (excl. White minorities)", "Asian", "Black", "Mixed", "Other"]
                .iter()
                .enumerate()
                .map(|(i, t)| Panel {
                    title: Some(t.to_string()),
                    rows: ["2025-03-31", "2026-03-31"]
                        .iter()
                        .enumerate()
                        .map(|(d, date)| DotRow {
                            label: date.to_string(),
                            value: Some(0.02 + 0.02 * i as f64 + 0.01 * d as f64),
                            interval: Some((0.01, 0.05 + 0.02 * i as f64)),
                            reference: None,
                            note: (i >= 3 && d == 0).then(|| "[c]".to_string()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The geometry of a rendered chart: 16 cm wide in print at 300 dpi, every piece of text at
    /// least 9 pt there and 12 px in the annex, the plot across the width, no two pieces of
    /// text overlapping.
    #[test]
    fn charts_are_readable_in_print_and_on_screen_and_nothing_collides() {
        for spec in [crowded(), spec(), trend()] {
            let (width, boxes) = text_boxes(&spec);
            assert_eq!(width, WIDTH);
            let points_at_print = |size: f64| size / width * PRINT_WIDTH_CM / 2.54 * 72.0;
            // The annex shows a chart at most 800 CSS px wide; on a 650 px column, 0.8 of that.
            let px_in_annex = |size: f64| size * 650.0 / width;
            for b in &boxes {
                assert!(
                    points_at_print(b.size) >= 9.0,
                    "{:?} is {:.1} pt",
                    b.text,
                    points_at_print(b.size)
                );
                assert!(px_in_annex(b.size) >= 12.0, "{:?}", b.text);
                assert!(
                    b.left >= 0.0 && b.right <= width,
                    "{:?} leaves the chart: {b:?}",
                    b.text
                );
            }
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
                }
            }
            // The plot (labels to the last axis label, or the last date) spans the chart.
            let left = boxes.iter().map(|b| b.left).fold(f64::MAX, f64::min);
            let right = boxes
                .iter()
                .filter(|b| b.text.ends_with('%') || b.text.starts_with("2026"))
                .map(|b| b.right)
                .fold(0.0, f64::max);
            // A trend's last date is centred under its point, 40 units in from the plot's end.
            let end = if spec.axis == Axis::Trend { 40.0 } else { 0.0 };
            let span = (right + end - left) / width;
            assert!(span > 0.85, "plot spans {span:.2}");
        }
        let png = render_png(&crowded()).unwrap();
        let (w, h) = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert_eq!(w, 1890, "16 cm at 300 dpi");
        assert!(h > 1000);
        let at = png.windows(4).position(|c| c == b"pHYs").unwrap() + 4;
        let per_metre = u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!(per_metre, 11_811, "300 dpi recorded");
        assert_eq!(png[at + 8], 1, "the unit is the metre");
    }

    fn spec() -> ChartSpec {
        ChartSpec {
            title: "Title".into(),
            subtitle: "Sub".into(),
            value_legend: "Workforce".into(),
            reference_legend: Some("Residents".into()),
            source: "Source".into(),
            residents: Residents::NotCompared,
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
