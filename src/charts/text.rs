//! Text on charts: measured with the bundled font, wrapped to a width, and recorded where it is
//! drawn, so a test can check that no two pieces of text overlap and none is too small to read.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};

/// The bundled DejaVu Sans, for measuring.
fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        // The bundled font is known to be valid; a failure here is a packaging bug.
        FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf"))
            .expect("the bundled DejaVu Sans font is valid")
    })
}

/// The width of `text` set at `size` (the SVG font size, in the chart's units).
pub fn width(text: &str, size: f64) -> f64 {
    let font = font();
    let per_em = font.units_per_em().unwrap_or(2048.0) as f64;
    let advance: f64 = text
        .chars()
        .map(|c| font.h_advance_unscaled(font.glyph_id(c)) as f64)
        .sum();
    // Bold text is drawn synthetically wider; a tenth covers it.
    advance / per_em * size * 1.1
}

/// `text` broken into lines no wider than `max` at `size`, at spaces; a word longer than a line
/// stands alone.
pub fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size) > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A piece of text as drawn: its box in the chart's units.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub size: f64,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl TextBox {
    pub fn overlaps(&self, other: &TextBox) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_and_wrapped_to_a_width() {
        let w = width("Asian", 16.0);
        assert!(w > 30.0 && w < 60.0, "{w}");
        assert!((width("AsianAsian", 16.0) - 2.0 * w).abs() < 1e-9);
        let lines = wrap(
            "White: English, Welsh, Scottish, Northern Irish or British",
            16.0,
            240.0,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 16.0) <= 240.0));
        assert_eq!(
            lines.join(" "),
            "White: English, Welsh, Scottish, Northern Irish or British"
        );
        assert_eq!(wrap("", 16.0, 100.0), vec![String::new()]);
    }
}
