//! Line charts over time ([`Axis::Trend`]): each panel of the spec is one series (a line), each
//! row one point in time, drawn with its interval as a vertical bar. Rows are taken as the same
//! dates in every panel. A suppressed point breaks the line and is listed under the chart,
//! never drawn as zero.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::{nice_scale, ChartSpec, FONT, GREY, GRID, INK, MARGIN};

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

const PLOT_HEIGHT: i32 = 300;
const TOP: i32 = 110;

pub(super) struct LineLayout {
    pub width: u32,
    pub height: u32,
    plot_width: i32,
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

pub(super) fn layout(spec: &ChartSpec) -> LineLayout {
    let max = spec
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .flat_map(|r| [r.value, r.interval.map(|i| i.1)])
        .flatten()
        .fold(0.0f64, f64::max);
    let (y_max, step) = nice_scale(max * 1.08);
    let legend_chars = spec
        .panels
        .iter()
        .filter_map(|p| p.title.as_ref())
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(10) as i32;
    let plot_width = (dates(spec).len() as i32 * 160).clamp(420, 900);
    let text_width = super::text_width(spec);
    let plot_total = MARGIN * 2 + 56 + plot_width + 40 + legend_chars * 7 + 30;
    let notes = suppressed_notes(spec).len() as i32;
    LineLayout {
        width: plot_total.max(text_width) as u32,
        height: (TOP + PLOT_HEIGHT + 40 + notes * 16 + 60) as u32,
        plot_width,
        y_max,
        step,
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    spec: &ChartSpec,
    l: &LineLayout,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    fn text(size: f64, color: &'static RGBColor) -> TextStyle<'static> {
        TextStyle::from((FONT, size).into_font()).color(color)
    }
    root.fill(&WHITE).map_err(err)?;
    root.draw(&Text::new(
        spec.title.clone(),
        (MARGIN, 12),
        TextStyle::from((FONT, 18.0, FontStyle::Bold).into_font()).color(&INK),
    ))
    .map_err(err)?;
    root.draw(&Text::new(
        spec.subtitle.clone(),
        (MARGIN, 40),
        text(13.0, &GREY),
    ))
    .map_err(err)?;
    root.draw(&Text::new(
        spec.value_legend.clone(),
        (MARGIN, 72),
        text(13.0, &INK),
    ))
    .map_err(err)?;

    let x0 = MARGIN + 56;
    let bottom = TOP + PLOT_HEIGHT;
    let dates = dates(spec);
    let n = dates.len().max(1);
    let px = |i: usize| {
        if n == 1 {
            x0 + l.plot_width / 2
        } else {
            x0 + 20 + (i as i32 * (l.plot_width - 40)) / (n as i32 - 1)
        }
    };
    let py = |v: f64| bottom - (v / l.y_max * PLOT_HEIGHT as f64).round() as i32;

    // Horizontal grid with share labels; the dates along the bottom.
    let ticks = (l.y_max / l.step).round() as i32;
    for t in 0..=ticks {
        let v = t as f64 * l.step;
        root.draw(&PathElement::new(
            vec![(x0, py(v)), (x0 + l.plot_width, py(v))],
            GRID.stroke_width(1),
        ))
        .map_err(err)?;
        let label = if l.step < 0.01 {
            format!("{:.1}%", v * 100.0)
        } else {
            format!("{:.0}%", v * 100.0)
        };
        root.draw(&Text::new(
            label,
            (x0 - 8, py(v)),
            text(11.0, &GREY).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
    }
    for (i, date) in dates.iter().enumerate() {
        root.draw(&Text::new(
            date.clone(),
            (px(i), bottom + 8),
            text(11.5, &INK).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
    }

    // Each series: interval bars, then the line through its shown points, then the dots; a
    // legend entry to the right of the plot.
    let legend_x = x0 + l.plot_width + 40;
    for (si, panel) in spec.panels.iter().enumerate() {
        let colour = SERIES[si % SERIES.len()];
        let style = colour.stroke_width(2);
        // Series a few pixels apart, so that overlapping intervals stay distinguishable.
        let offset = (si as i32 - spec.panels.len() as i32 / 2) * 4;
        let px = |i: usize| px(i) + offset;
        for (i, row) in panel.rows.iter().enumerate() {
            if let (Some((lo, hi)), None) = (row.interval, &row.note) {
                let x = px(i);
                root.draw(&PathElement::new(
                    vec![(x, py(lo)), (x, py(hi))],
                    colour.mix(0.55).stroke_width(2),
                ))
                .map_err(err)?;
            }
        }
        let mut segment: Vec<(i32, i32)> = Vec::new();
        for (i, row) in panel.rows.iter().enumerate() {
            match (row.value, &row.note) {
                (Some(v), None) => segment.push((px(i), py(v))),
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
                root.draw(&Circle::new((px(i), py(v)), 4, colour.filled()))
                    .map_err(err)?;
            }
        }
        let ly = TOP + si as i32 * 22;
        root.draw(&PathElement::new(
            vec![(legend_x, ly + 7), (legend_x + 22, ly + 7)],
            style,
        ))
        .map_err(err)?;
        root.draw(&Circle::new((legend_x + 11, ly + 7), 4, colour.filled()))
            .map_err(err)?;
        root.draw(&Text::new(
            panel.title.clone().unwrap_or_default(),
            (legend_x + 30, ly),
            text(12.5, &INK),
        ))
        .map_err(err)?;
    }

    let mut y = bottom + 34;
    for note in suppressed_notes(spec) {
        root.draw(&Text::new(note, (MARGIN, y), text(11.5, &GREY)))
            .map_err(err)?;
        y += 16;
    }
    super::draw_footer(root, spec, y + 8)
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
