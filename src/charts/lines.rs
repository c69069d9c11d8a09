//! Line charts over time ([`Axis::Trend`]): each panel of the spec is one series (a line), each
//! row one point in time, drawn with its interval as a vertical bar. Rows are taken as the same
//! dates in every panel. A suppressed point breaks the line and is listed under the chart,
//! never drawn as zero.

use plotters::prelude::*;

use super::{
    footer, nice_scale, put, text, ChartSpec, GREY, GRID, INK, LINE, MARGIN, TEXT, TITLE, WIDTH,
};

/// Okabe–Ito colours, in the order series take them.
const SERIES: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

const PLOT_HEIGHT: f64 = 300.0;
/// Room for the share labels left of the plot.
const AXIS_LABELS: f64 = 56.0;

pub(super) struct LineLayout {
    pub width: u32,
    pub height: u32,
    title: Vec<String>,
    subtitle: Vec<String>,
    plot_top: f64,
    plot_width: f64,
    /// Legend entries' (left, top), under the plot.
    legend: Vec<(f64, f64)>,
    notes_top: f64,
    footer_top: f64,
    source: Vec<String>,
    caption: Vec<String>,
    y_max: f64,
    step: f64,
}

fn dates(spec: &ChartSpec) -> Vec<String> {
    spec.panels
        .first()
        .map(|p| p.rows.iter().map(|r| r.label.clone()).collect())
        .unwrap_or_default()
}

fn suppressed_notes(spec: &ChartSpec) -> Vec<String> {
    spec.panels
        .iter()
        .flat_map(|p| {
            p.rows.iter().filter_map(move |r| {
                r.note.as_ref().map(|n| {
                    format!(
                        "{} at {}: {n}",
                        p.title.clone().unwrap_or_default(),
                        r.label
                    )
                })
            })
        })
        .collect()
}

/// Laid out like the dot charts: 800 units wide, text never under 16 units, the plot across the
/// width and its legend under it.
pub(super) fn layout(spec: &ChartSpec) -> LineLayout {
    let max = spec
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .flat_map(|r| [r.value, r.interval.map(|i| i.1)])
        .flatten()
        .fold(0.0f64, f64::max);
    let (y_max, step) = nice_scale(max * 1.08);
    let m = MARGIN as f64;
    let inner = WIDTH - 2.0 * m;
    let title = text::wrap(&spec.title, TITLE, inner);
    let subtitle = text::wrap(&spec.subtitle, TEXT, inner);
    let mut y = m + title.len() as f64 * TITLE * LINE + 6.0;
    y += subtitle.len() as f64 * TEXT * LINE + 10.0;
    y += TEXT * LINE + 14.0; // the value legend: what the axis measures
    let plot_top = y;
    y += PLOT_HEIGHT + TEXT * LINE + 16.0; // the dates under the plot
    let mut legend = Vec::new();
    let mut x = 0.0;
    for panel in &spec.panels {
        let w = 36.0 + text::width(panel.title.as_deref().unwrap_or(""), TEXT);
        if x > 0.0 && x + w > inner {
            x = 0.0;
            y += TEXT * LINE + 6.0;
        }
        legend.push((m + x, y));
        x += w + 24.0;
    }
    y += TEXT * LINE + 14.0;
    let notes_top = y;
    y += suppressed_notes(spec).len() as f64 * TEXT * LINE + 8.0;
    let footer_top = y;
    let source = text::wrap(&spec.source, TEXT, inner);
    let caption = text::wrap(&spec.caption, TEXT, inner);
    y += (source.len() + caption.len()) as f64 * TEXT * LINE + 4.0 + m;
    LineLayout {
        width: WIDTH as u32,
        height: y.ceil() as u32,
        title,
        subtitle,
        plot_top,
        plot_width: inner - AXIS_LABELS - 8.0,
        legend,
        notes_top,
        footer_top,
        source,
        caption,
        y_max,
        step,
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &ChartSpec,
    l: &LineLayout,
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
    y += l.subtitle.len() as f64 * TEXT * LINE + 10.0;
    put(
        root,
        boxes,
        std::slice::from_ref(&spec.value_legend),
        (m, y),
        TEXT,
        &INK,
        false,
        false,
    )?;

    let x0 = m + AXIS_LABELS;
    let bottom = l.plot_top + PLOT_HEIGHT;
    let dates = dates(spec);
    let n = dates.len().max(1);
    let px = |i: usize| -> f64 {
        if n == 1 {
            x0 + l.plot_width / 2.0
        } else {
            x0 + 40.0 + i as f64 * (l.plot_width - 80.0) / (n as f64 - 1.0)
        }
    };
    let py = |v: f64| bottom - v / l.y_max * PLOT_HEIGHT;

    // Horizontal grid with share labels; the dates along the bottom.
    let ticks = (l.y_max / l.step).round() as i32;
    for t in 0..=ticks {
        let v = t as f64 * l.step;
        root.draw(&PathElement::new(
            vec![
                (x0 as i32, py(v) as i32),
                ((x0 + l.plot_width) as i32, py(v) as i32),
            ],
            GRID.stroke_width(1),
        ))
        .map_err(err)?;
        let label = if l.step < 0.01 {
            format!("{:.1}%", v * 100.0)
        } else {
            format!("{:.0}%", v * 100.0)
        };
        put(
            root,
            boxes,
            &[label],
            (x0 - 8.0, py(v) - TEXT / 2.0),
            TEXT,
            &GREY,
            false,
            true,
        )?;
    }
    for (i, date) in dates.iter().enumerate() {
        let w = text::width(date, TEXT);
        put(
            root,
            boxes,
            std::slice::from_ref(date),
            (px(i) - w / 2.0, bottom + 8.0),
            TEXT,
            &INK,
            false,
            false,
        )?;
    }

    // Each series: interval bars, then the line through its shown points, then the dots; a
    // legend entry under the plot.
    for (si, panel) in spec.panels.iter().enumerate() {
        let colour = SERIES[si % SERIES.len()];
        let style = colour.stroke_width(2);
        // Series a few units apart, so that overlapping intervals stay distinguishable.
        let offset = (si as f64 - (spec.panels.len() / 2) as f64) * 5.0;
        let px = |i: usize| (px(i) + offset) as i32;
        for (i, row) in panel.rows.iter().enumerate() {
            if let (Some((lo, hi)), None) = (row.interval, &row.note) {
                let x = px(i);
                root.draw(&PathElement::new(
                    vec![(x, py(lo) as i32), (x, py(hi) as i32)],
                    colour.mix(0.55).stroke_width(2),
                ))
                .map_err(err)?;
            }
        }
        let mut segment: Vec<(i32, i32)> = Vec::new();
        for (i, row) in panel.rows.iter().enumerate() {
            match (row.value, &row.note) {
                (Some(v), None) => segment.push((px(i), py(v) as i32)),
                _ => {
                    if segment.len() > 1 {
                        root.draw(&PathElement::new(segment.clone(), style))
                            .map_err(err)?;
                    }
                    segment.clear();
                }
            }
        }
        if segment.len() > 1 {
            root.draw(&PathElement::new(segment, style)).map_err(err)?;
        }
        for (i, row) in panel.rows.iter().enumerate() {
            if let (Some(v), None) = (row.value, &row.note) {
                root.draw(&Circle::new((px(i), py(v) as i32), 5, colour.filled()))
                    .map_err(err)?;
            }
        }
        let (lx, ly) = l.legend[si];
        let mid = (ly + TEXT * 0.55) as i32;
        root.draw(&PathElement::new(
            vec![(lx as i32, mid), (lx as i32 + 26, mid)],
            style,
        ))
        .map_err(err)?;
        root.draw(&Circle::new((lx as i32 + 13, mid), 5, colour.filled()))
            .map_err(err)?;
        put(
            root,
            boxes,
            &[panel.title.clone().unwrap_or_default()],
            (lx + 36.0, ly),
            TEXT,
            &INK,
            false,
            false,
        )?;
    }

    let notes = suppressed_notes(spec);
    put(
        root,
        boxes,
        &notes,
        (m, l.notes_top),
        TEXT,
        &GREY,
        false,
        false,
    )?;
    footer(root, boxes, &l.source, &l.caption, (m, l.footer_top))
}

#[cfg(test)]
mod tests {
    use super::super::{render_svg, Axis, ChartSpec, DotRow, Panel};

    fn row(date: &str, value: Option<f64>) -> DotRow {
        DotRow {
            label: date.into(),
            value,
            interval: value.map(|v| (v - 0.02, v + 0.02)),
            reference: None,
            note: value.is_none().then(|| "suppressed".into()),
        }
    }

    #[test]
    fn a_suppressed_point_breaks_the_line_and_is_listed() {
        let spec = ChartSpec {
            title: "Over time".into(),
            subtitle: String::new(),
            value_legend: "Share".into(),
            reference_legend: None,
            source: "Source".into(),
            residents: super::super::Residents::NotCompared,
            caption: String::new(),
            axis: Axis::Trend,
            panels: vec![
                Panel {
                    title: Some("Asian".into()),
                    rows: vec![
                        row("2021", Some(0.1)),
                        row("2022", Some(0.12)),
                        row("2023", Some(0.15)),
                    ],
                },
                Panel {
                    title: Some("Black".into()),
                    rows: vec![
                        row("2021", Some(0.03)),
                        row("2022", None),
                        row("2023", Some(0.04)),
                    ],
                },
            ],
        };
        let svg = render_svg(&spec).unwrap();
        assert!(svg.contains("Asian") && svg.contains("Black"));
        assert!(svg.contains("Black at 2022: suppressed"));
        // Five shown points plus two legend markers; the suppressed point has no dot.
        assert_eq!(svg.matches("<circle").count(), 7);
        assert!(svg.contains("2023"));
    }
}
