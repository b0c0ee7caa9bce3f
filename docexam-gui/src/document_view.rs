//! The document itself: the capture of the chosen side and light (or the specimen's reference
//! image), drawn from tiles at any zoom, with every feature outlined in the colour of its
//! status, a loupe and a ruler measuring in millimetres through the registration.
//!
//! Mouse: drag to pan, wheel or pinch to zoom, double-click to fit, click a feature to select
//! it, drag with the secondary button to measure. In annotate mode a drag marks a rectangle
//! and a click a point; the case's annotations of the shown capture are drawn with their notes.

use std::collections::HashMap;

use docexam_core::raster::{Homography, Pyramid};
use egui::{
    Align2, Color32, ColorImage, FontId, Pos2, Rect, Sense, Shape, Stroke, TextureHandle,
    TextureOptions, Vec2,
};

use crate::command::Command;
use crate::document::ExaminedDocument;
use crate::state::ViewState;
use crate::style::status_colour;
use crate::tiles::{Placement, TiledImage};

/// What the view keeps between frames (not part of the app state: it follows the window).
#[derive(Default)]
pub struct ViewRuntime {
    /// The view's size in points at the last frame.
    pub size: [f32; 2],
    /// The zoom that fits the page at the last frame.
    pub fit_zoom: f32,
    /// The size in pixels of the image shown at the last frame.
    pub image_size: [f32; 2],
    /// The loupe's texture.
    loupe: Option<TextureHandle>,
    /// Where the ruler being drawn starts (image pixels).
    ruler_start: Option<[f32; 2]>,
    /// Where the mark being drawn starts (image pixels).
    mark_start: Option<[f32; 2]>,
}

/// An annotation drawn on the document.
#[derive(Clone, Debug)]
pub struct Mark {
    /// Image pixels: x, y, width, height (a point has no size).
    pub region_px: [f32; 4],
    /// The examiner's note.
    pub note: String,
}

/// The case's annotations of the capture `view` shows (none on a reference image).
pub fn marks_of(
    doc: &ExaminedDocument,
    view: &ViewState,
    case: Option<&crate::case::CaseSnapshot>,
) -> Vec<Mark> {
    let (Some(case), false) = (case, view.reference) else {
        return Vec::new();
    };
    let Some(item) = doc.capture(view.side, view.light).and_then(|i| doc.item(i)) else {
        return Vec::new();
    };
    case.annotations()
        .filter(|a| a.item == item.id)
        .map(|a| Mark {
            region_px: a.region_px.map(|v| v as f32),
            note: a.note.clone(),
        })
        .collect()
}

/// The colour of annotations.
const MARK: Color32 = Color32::from_rgb(230, 0, 180);

/// The colour of the finding brought into view from the findings list.
const FOCUS: Color32 = Color32::from_rgb(0, 150, 255);

impl std::fmt::Debug for ViewRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewRuntime")
            .field("size", &self.size)
            .field("fit_zoom", &self.fit_zoom)
            .finish_non_exhaustive()
    }
}

/// The image the view shows.
pub struct Shown<'a> {
    /// Its pyramid.
    pub pyramid: &'a Pyramid,
    /// Document millimetres → its pixels, when registered.
    pub mm_to_px: Option<Homography>,
    /// A key for its tiles.
    pub key: String,
    /// What it is, for the caption.
    pub caption: String,
}

/// The image for `view`: the reference of its side and light, or the questioned capture.
pub fn shown<'a>(doc: &'a ExaminedDocument, view: &ViewState) -> Option<Shown<'a>> {
    let (side, light) = (view.side, view.light);
    if view.reference {
        let r = doc.reference(side, light)?;
        let v = r.view();
        return Some(Shown {
            pyramid: v.pyramid,
            mm_to_px: Some(v.mm_to_px),
            key: format!("ref-{}-{}", side.name(), light.name()),
            caption: format!(
                "Reference {} — {} {} light",
                doc.report.specimen.as_ref().map_or("", |s| s.id.as_str()),
                side.name(),
                light.name()
            ),
        });
    }
    let i = doc.capture(side, light)?;
    let reg = doc
        .report
        .registrations
        .get(i)
        .and_then(|c| c.registration.as_ref());
    Some(Shown {
        pyramid: doc.pyramids.get(i)?,
        mm_to_px: reg.map(|g| g.mm_to_px),
        key: format!("q-{i}"),
        caption: format!(
            "{} — {} {} light — {}",
            doc.images.get(i).map_or("", |x| x.name.as_str()),
            side.name(),
            light.name(),
            match reg {
                Some(g) => format!("registered, residual {:.2} mm", g.residual_mm),
                None => "not registered".to_string(),
            }
        ),
    })
}

/// `outer` less `inner`: up to four strips (above, below, left, right).
fn around(outer: Rect, inner: Rect) -> Vec<Rect> {
    let inner = inner.intersect(outer);
    if !inner.is_positive() {
        return vec![outer];
    }
    [
        Rect::from_min_max(outer.min, Pos2::new(outer.max.x, inner.min.y)),
        Rect::from_min_max(Pos2::new(outer.min.x, inner.max.y), outer.max),
        Rect::from_min_max(
            Pos2::new(outer.min.x, inner.min.y),
            Pos2::new(inner.min.x, inner.max.y),
        ),
        Rect::from_min_max(
            Pos2::new(inner.max.x, inner.min.y),
            Pos2::new(outer.max.x, inner.max.y),
        ),
    ]
    .into_iter()
    .filter(|r| r.is_positive())
    .collect()
}

/// The corners of `rect` (mm) in image pixels.
fn corners(mm_to_px: &Homography, rect: [f64; 4]) -> Option<Vec<[f32; 2]>> {
    let [x, y, w, h] = rect;
    [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        .iter()
        .map(|&(a, b)| mm_to_px.apply(a, b).map(|(px, py)| [px as f32, py as f32]))
        .collect()
}

/// Each edge of `poly`, the last closing it.
fn edges(poly: &[Pos2]) -> impl Iterator<Item = (Pos2, Pos2)> + '_ {
    poly.iter()
        .copied()
        .zip(poly.iter().copied().cycle().skip(1))
}

/// Whether `p` lies inside `poly` (even-odd rule).
fn inside(poly: &[Pos2], p: Pos2) -> bool {
    edges(poly)
        .filter(|(a, b)| {
            (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
        })
        .count()
        % 2
        == 1
}

/// The area of `poly` (shoelace formula).
fn area(poly: &[Pos2]) -> f32 {
    edges(poly)
        .map(|(a, b)| a.x * b.y - b.x * a.y)
        .sum::<f32>()
        .abs()
        / 2.0
}

/// Draws the document view and returns what the examiner asked for.
pub fn document_view_ui(
    ui: &mut egui::Ui,
    view: &ViewState,
    doc: &ExaminedDocument,
    marks: &[Mark],
    tiles: &mut HashMap<String, TiledImage>,
    rt: &mut ViewRuntime,
) -> Vec<Command> {
    let mut out = Vec::new();
    let Some(s) = shown(doc, view) else {
        ui.centered_and_justified(|ui| {
            ui.label(format!(
                "No {} capture of the {} — choose another light or side",
                view.light.name(),
                view.side.name()
            ));
        });
        return out;
    };
    let (w, h) = s.pyramid.dimensions();
    let zoom_now = view.zoom.unwrap_or(rt.fit_zoom);
    ui.label(format!("{} — {:.0}%", s.caption, zoom_now * 100.0));
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    let rect = response.rect;
    let (w, h) = (w.max(1) as f32, h.max(1) as f32);
    let fit = (rect.width() / w).min(rect.height() / h) * 0.98;
    rt.size = [rect.width(), rect.height()];
    rt.fit_zoom = fit;
    rt.image_size = [w, h];
    let zoom = view.zoom.unwrap_or(fit).max(1e-4);
    let centre = if view.zoom.is_some() {
        view.centre
    } else {
        [w / 2.0, h / 2.0]
    };
    let placement = Placement {
        origin: rect.center() - Vec2::new(centre[0] * zoom, centre[1] * zoom),
        zoom,
    };
    // The background only where the image is not: each layer drawn costs every one of its
    // pixels again on a renderer without a GPU.
    let image_rect =
        Rect::from_min_max(placement.to_screen([0.0, 0.0]), placement.to_screen([w, h]));
    for strip in around(rect, image_rect) {
        painter.rect_filled(strip, 0.0, ui.visuals().extreme_bg_color);
    }
    let ctx = ui.ctx().clone();
    let levels: Vec<&image::RgbImage> = s.pyramid.levels().collect();
    let pending = tiles
        .entry(s.key.clone())
        .or_default()
        .paint(&ctx, &painter, &s.key, &levels, placement, rect);
    if pending {
        ctx.request_repaint();
    }

    // Outlines, and which one a click lands in.
    let mut outlines: Vec<(String, Vec<Pos2>)> = Vec::new();
    if let Some(m) = &s.mm_to_px {
        for f in doc
            .report
            .features
            .iter()
            .filter(|f| f.side == view.side && f.light == view.light)
        {
            let Some(c) = corners(m, f.region_mm) else {
                continue;
            };
            let pts: Vec<Pos2> = c.iter().map(|p| placement.to_screen(*p)).collect();
            if view.outlines {
                let selected = view.selected.as_deref() == Some(f.feature.as_str());
                let colour = status_colour(f.status);
                painter.add(Shape::closed_line(
                    pts.clone(),
                    Stroke::new(if selected { 4.0 } else { 2.0 }, colour),
                ));
                if let Some(top_left) = pts.first() {
                    painter.text(
                        *top_left + Vec2::new(3.0, 2.0),
                        Align2::LEFT_TOP,
                        &f.feature,
                        FontId::proportional(11.0),
                        colour,
                    );
                }
            }
            outlines.push((f.feature.clone(), pts));
        }
    }
    let pointer = response.hover_pos();
    let annotating = view.annotate && !view.reference;
    let clamp = |p: [f32; 2]| [p[0].clamp(0.0, w), p[1].clamp(0.0, h)];
    if annotating {
        annotate_input(&response, pointer, &placement, clamp, rt, &mut out);
    }
    if response.double_clicked() {
        out.push(Command::Fit);
    } else if annotating {
        // Clicks and drags mark; the wheel still zooms.
    } else if response.clicked()
        && let Some(p) = pointer
    {
        let hit = outlines
            .iter()
            .filter(|(_, poly)| inside(poly, p))
            .min_by(|a, b| area(&a.1).total_cmp(&area(&b.1)))
            .map(|(id, _)| id.clone());
        out.push(Command::Select(hit));
    }
    if response.dragged_by(egui::PointerButton::Primary) && !annotating {
        let d = response.drag_delta();
        if d != Vec2::ZERO {
            out.push(Command::Pan([-d.x / zoom, -d.y / zoom]));
        }
    }
    if let Some(p) = pointer {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = pinch * (scroll / 300.0).exp();
        if (factor - 1.0).abs() > 1e-4 {
            out.push(Command::ZoomBy(factor, placement.to_image(p)));
        }
    }

    // The ruler: drag with the secondary button.
    if response.drag_started_by(egui::PointerButton::Secondary) {
        rt.ruler_start = pointer.map(|p| placement.to_image(p));
    }
    if response.dragged_by(egui::PointerButton::Secondary)
        && let (Some(a), Some(p)) = (rt.ruler_start, pointer)
    {
        out.push(Command::Ruler(Some([a, placement.to_image(p)])));
    }
    if let Some([a, b]) = view.ruler {
        let (pa, pb) = (placement.to_screen(a), placement.to_screen(b));
        painter.line_segment([pa, pb], Stroke::new(2.0, Color32::from_rgb(0, 120, 255)));
        for q in [pa, pb] {
            painter.circle_filled(q, 3.0, Color32::from_rgb(0, 120, 255));
        }
        let label = ruler_label(s.mm_to_px.as_ref(), a, b);
        painter.text(
            pb + Vec2::new(8.0, 0.0),
            Align2::LEFT_CENTER,
            label,
            FontId::proportional(13.0),
            Color32::from_rgb(0, 120, 255),
        );
    }

    draw_marks(&painter, &placement, marks, view.mark);
    if let Some(f) = view
        .focus
        .as_ref()
        .filter(|f| !view.reference && f.side == view.side && f.light == view.light)
    {
        let [x, y, w, h] = f.region_px;
        let r = Rect::from_two_pos(
            placement.to_screen([x, y]),
            placement.to_screen([x + w, y + h]),
        );
        painter.rect_stroke(
            r.expand(4.0),
            2.0,
            Stroke::new(3.0, FOCUS),
            egui::StrokeKind::Outside,
        );
    }

    if view.loupe
        && let Some(p) = pointer
    {
        loupe(ui, &painter, rt, s.pyramid, &placement, p, rect);
    }
    out
}

/// Marks in annotate mode: a click marks a point, a drag a rectangle (image pixels, clamped
/// to the image).
fn annotate_input(
    response: &egui::Response,
    pointer: Option<Pos2>,
    placement: &Placement,
    clamp: impl Fn([f32; 2]) -> [f32; 2],
    rt: &mut ViewRuntime,
    out: &mut Vec<Command>,
) {
    if response.clicked()
        && let Some(p) = pointer
    {
        let [x, y] = clamp(placement.to_image(p));
        out.push(Command::Mark(Some([x, y, 0.0, 0.0])));
    }
    if response.drag_started_by(egui::PointerButton::Primary) {
        rt.mark_start = pointer.map(|p| clamp(placement.to_image(p)));
    }
    if response.dragged_by(egui::PointerButton::Primary)
        && let (Some(a), Some(p)) = (rt.mark_start, pointer)
    {
        let b = clamp(placement.to_image(p));
        let (x, y) = (a[0].min(b[0]), a[1].min(b[1]));
        let (w, h) = ((a[0] - b[0]).abs(), (a[1] - b[1]).abs());
        out.push(Command::Mark(Some([x, y, w, h])));
    }
    if response.drag_stopped() {
        rt.mark_start = None;
    }
}

/// Draws the recorded annotations with their notes, and the mark being annotated.
fn draw_marks(
    painter: &egui::Painter,
    placement: &Placement,
    marks: &[Mark],
    pending: Option<[f32; 4]>,
) {
    let shape = |region: [f32; 4], width: f32| {
        let [x, y, w, h] = region;
        let a = placement.to_screen([x, y]);
        if w == 0.0 && h == 0.0 {
            painter.circle_stroke(a, 7.0, Stroke::new(width, MARK));
            painter.circle_filled(a, 2.0, MARK);
        } else {
            let b = placement.to_screen([x + w, y + h]);
            painter.rect_stroke(
                Rect::from_two_pos(a, b),
                0.0,
                Stroke::new(width, MARK),
                egui::StrokeKind::Middle,
            );
        }
        a
    };
    for m in marks {
        let at = shape(m.region_px, 2.0);
        let note: String = m.note.chars().take(60).collect();
        painter.text(
            at + Vec2::new(4.0, -4.0),
            Align2::LEFT_BOTTOM,
            note,
            FontId::proportional(12.0),
            MARK,
        );
    }
    if let Some(region) = pending {
        shape(region, 3.0);
    }
}

/// The ruler's length: in millimetres on the document when the image is registered.
pub fn ruler_label(mm_to_px: Option<&Homography>, a: [f32; 2], b: [f32; 2]) -> String {
    let px = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let mm = mm_to_px.and_then(|m| m.inverse()).and_then(|inv| {
        let (ax, ay) = inv.apply(f64::from(a[0]), f64::from(a[1]))?;
        let (bx, by) = inv.apply(f64::from(b[0]), f64::from(b[1]))?;
        Some(((ax - bx).powi(2) + (ay - by).powi(2)).sqrt())
    });
    match mm {
        Some(mm) => format!("{mm:.2} mm ({px:.0} px)"),
        None => format!("{px:.0} px (not registered: no millimetres)"),
    }
}

/// Side of the loupe's picture in points, and of the image square it magnifies in pixels.
const LOUPE_POINTS: f32 = 240.0;
const LOUPE_PIXELS: u32 = 60;

fn loupe(
    ui: &egui::Ui,
    painter: &egui::Painter,
    rt: &mut ViewRuntime,
    pyramid: &Pyramid,
    placement: &Placement,
    p: Pos2,
    clip: Rect,
) {
    let img = pyramid.image();
    let [ix, iy] = placement.to_image(p);
    let half = (LOUPE_PIXELS / 2) as f32;
    let x0 = (ix - half).clamp(0.0, (img.width().saturating_sub(LOUPE_PIXELS)) as f32) as u32;
    let y0 = (iy - half).clamp(0.0, (img.height().saturating_sub(LOUPE_PIXELS)) as f32) as u32;
    let w = LOUPE_PIXELS.min(img.width());
    let h = LOUPE_PIXELS.min(img.height());
    if w == 0 || h == 0 {
        return;
    }
    let crop = image::imageops::crop_imm(img, x0, y0, w, h).to_image();
    let picture = ColorImage::from_rgb([w as usize, h as usize], crop.as_raw());
    let tex = match &mut rt.loupe {
        Some(t) => {
            t.set(picture, TextureOptions::NEAREST);
            t.clone()
        }
        None => {
            let t = ui
                .ctx()
                .load_texture("loupe", picture, TextureOptions::NEAREST);
            rt.loupe = Some(t.clone());
            t
        }
    };
    let mut at = p + Vec2::new(24.0, 24.0);
    if at.x + LOUPE_POINTS > clip.right() {
        at.x = p.x - 24.0 - LOUPE_POINTS;
    }
    if at.y + LOUPE_POINTS > clip.bottom() {
        at.y = p.y - 24.0 - LOUPE_POINTS;
    }
    let r = Rect::from_min_size(at, Vec2::splat(LOUPE_POINTS));
    painter.image(
        tex.id(),
        r,
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        Color32::WHITE,
    );
    painter.rect_stroke(
        r,
        0.0,
        Stroke::new(2.0, ui.visuals().strong_text_color()),
        egui::StrokeKind::Outside,
    );
    painter.text(
        r.left_bottom() + Vec2::new(4.0, -4.0),
        Align2::LEFT_BOTTOM,
        format!(
            "{:.1}× the view",
            LOUPE_POINTS / (LOUPE_PIXELS as f32 * placement.zoom)
        ),
        FontId::proportional(11.0),
        Color32::YELLOW,
    );
}
