//! A small flow layout for the report: text wrapped to the column, tables, pictures, page
//! breaks, all as a display list of A4 pages that [`super::emit`] turns into PDF.

use std::sync::Arc;

use ab_glyph::{Font as _, FontRef};

/// A4 in points.
pub const PAGE_W: f32 = 595.0;
/// A4 in points.
pub const PAGE_H: f32 = 842.0;
/// Left and right margin.
pub const MARGIN_X: f32 = 42.0;
/// Top margin (below the running header).
pub const TOP: f32 = 58.0;
/// Bottom of the text area (above the footer).
pub const BOTTOM: f32 = PAGE_H - 50.0;
/// Width of the text column.
pub const COLUMN: f32 = PAGE_W - 2.0 * MARGIN_X;

/// The typefaces of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
    /// OCR-B, for MRZ lines.
    Mono,
}

impl Face {
    /// The face's name, as an error names it.
    pub fn name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVu Sans",
            Face::Bold => "DejaVu Sans Bold",
            Face::Mono => "OCR-B",
        }
    }
}

/// An RGB colour.
pub type Rgb = [u8; 3];

/// Ink for text.
pub const INK: Rgb = [25, 28, 33];
/// Secondary text.
pub const GREY: Rgb = [95, 100, 110];
/// Rules and frames.
pub const RULE: Rgb = [190, 195, 202];
/// Pass.
pub const GREEN: Rgb = [22, 130, 60];
/// Fail.
pub const RED: Rgb = [200, 30, 35];
/// Inconclusive.
pub const AMBER: Rgb = [205, 125, 0];
/// Not applicable.
pub const SLATE: Rgb = [120, 128, 140];
/// Repaired (an MRZ character changed, confirmed by check digits).
pub const BLUE: Rgb = [20, 90, 200];

/// One drawing operation, in points from the page's top-left corner.
#[derive(Clone, Debug)]
pub enum Op {
    /// Text on a baseline.
    Text {
        /// Left.
        x: f32,
        /// Baseline.
        y: f32,
        /// Size in points.
        size: f32,
        /// Typeface.
        face: Face,
        /// Colour.
        color: Rgb,
        /// The text (one line).
        text: String,
    },
    /// A rectangle, filled and/or stroked.
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill.
        fill: Option<Rgb>,
        /// Stroke colour and width.
        stroke: Option<(Rgb, f32)>,
    },
    /// A closed polygon, stroked.
    Polygon {
        /// Corners.
        points: Vec<(f32, f32)>,
        /// Stroke colour and width.
        stroke: (Rgb, f32),
    },
    /// A JPEG picture stretched over a box.
    Image {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// The picture.
        jpeg: Arc<super::figures::Jpeg>,
    },
}

/// Glyph metrics for wrapping.
pub struct Metrics {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
    mono: FontRef<'static>,
}

impl Metrics {
    /// Metrics of the report's fonts (`None` if a vendored font does not parse).
    pub fn new(regular: &'static [u8], bold: &'static [u8], mono: &'static [u8]) -> Option<Self> {
        Some(Metrics {
            regular: FontRef::try_from_slice(regular).ok()?,
            bold: FontRef::try_from_slice(bold).ok()?,
            mono: FontRef::try_from_slice(mono).ok()?,
        })
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, face: Face, size: f32) -> f32 {
        let f = match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Mono => &self.mono,
        };
        let em = f.units_per_em().unwrap_or(1000.0);
        text.chars()
            .map(|c| f.h_advance_unscaled(f.glyph_id(c)))
            .sum::<f32>()
            * size
            / em
    }

    /// `text` broken into lines of at most `width` points (long words are cut).
    pub fn wrap(&self, text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, face, size) <= width || line.is_empty() && word.is_empty()
                {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column (a hash, a path) is cut where it must be.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, face, size) > width {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

/// The pages laid out so far and the pen's position.
pub struct Flow<'m> {
    /// Finished and current pages.
    pub pages: Vec<Vec<Op>>,
    /// The pen's vertical position on the current page.
    pub y: f32,
    /// Glyph metrics.
    pub m: &'m Metrics,
}

impl<'m> Flow<'m> {
    /// An empty report.
    pub fn new(m: &'m Metrics) -> Self {
        Flow {
            pages: vec![Vec::new()],
            y: TOP,
            m,
        }
    }

    /// Adds an operation to the current page.
    pub fn push(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }

    /// Starts a new page.
    pub fn page_break(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Makes room for `h` points, breaking the page if they do not fit.
    pub fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > TOP {
            self.page_break();
        }
    }

    /// Leaves `h` points of space.
    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// A section heading with a rule under it.
    pub fn heading(&mut self, text: &str) {
        self.ensure(60.0);
        self.gap(8.0);
        self.push(Op::Text {
            x: MARGIN_X,
            y: self.y + 12.0,
            size: 12.5,
            face: Face::Bold,
            color: INK,
            text: text.to_string(),
        });
        self.y += 17.0;
        self.push(Op::Rect {
            x: MARGIN_X,
            y: self.y,
            w: COLUMN,
            h: 0.6,
            fill: Some(RULE),
            stroke: None,
        });
        self.y += 7.0;
    }

    /// A paragraph wrapped to `width` points from `x`.
    pub fn text_at(&mut self, x: f32, width: f32, text: &str, face: Face, size: f32, color: Rgb) {
        let lead = size * 1.3;
        for line in self.m.wrap(text, face, size, width) {
            self.ensure(lead);
            self.push(Op::Text {
                x,
                y: self.y + size,
                size,
                face,
                color,
                text: line,
            });
            self.y += lead;
        }
    }

    /// A paragraph across the column.
    pub fn para(&mut self, text: &str, face: Face, size: f32, color: Rgb) {
        self.text_at(MARGIN_X, COLUMN, text, face, size, color);
    }

    /// A table: column widths (points, summing to at most the column), a header row and
    /// rows; each cell may carry its own colour. Rows never split across pages.
    pub fn table(
        &mut self,
        widths: &[f32],
        header: &[&str],
        rows: &[Vec<(String, Rgb)>],
        size: f32,
    ) {
        let lead = size * 1.28;
        let pad = 3.0;
        let draw_row = |flow: &mut Flow<'_>, cells: &[(String, Rgb)], face: Face, shade: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(widths)
                .map(|((t, _), w)| flow.m.wrap(t, face, size, w - 2.0 * pad))
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = n as f32 * lead + 2.0 * pad;
            flow.ensure(h);
            if shade {
                flow.push(Op::Rect {
                    x: MARGIN_X,
                    y: flow.y,
                    w: widths.iter().sum(),
                    h,
                    fill: Some([238, 241, 245]),
                    stroke: None,
                });
            }
            let mut x = MARGIN_X;
            for ((lines, (_, color)), w) in wrapped.iter().zip(cells).zip(widths) {
                for (i, line) in lines.iter().enumerate() {
                    flow.push(Op::Text {
                        x: x + pad,
                        y: flow.y + pad + size + i as f32 * lead,
                        size,
                        face,
                        color: *color,
                        text: line.clone(),
                    });
                }
                x += w;
            }
            flow.y += h;
            flow.push(Op::Rect {
                x: MARGIN_X,
                y: flow.y,
                w: widths.iter().sum(),
                h: 0.4,
                fill: Some(RULE),
                stroke: None,
            });
        };
        if header.iter().any(|h| !h.is_empty()) {
            let head: Vec<(String, Rgb)> = header.iter().map(|h| (h.to_string(), GREY)).collect();
            draw_row(self, &head, Face::Bold, true);
        } else {
            self.push(Op::Rect {
                x: MARGIN_X,
                y: self.y,
                w: widths.iter().sum(),
                h: 0.4,
                fill: Some(RULE),
                stroke: None,
            });
        }
        for r in rows {
            draw_row(self, r, Face::Regular, false);
        }
        self.gap(6.0);
    }
}
