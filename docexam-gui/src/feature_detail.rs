//! One feature up close: its verdict, scores and thresholds, and the questioned region against
//! the reference at the same scale: side by side, as an overlay with adjustable opacity, as a
//! flicker (blink) comparison, or as the difference heat map.

use docexam_core::compare::FeatureResult;
use docexam_core::examine::views::{RegionPair, heat_picture, region_pair};
use egui::{Color32, ColorImage, Pos2, Rect, RichText, TextureHandle, TextureOptions, Vec2};
use image::RgbImage;

use crate::command::Command;
use crate::document::ExaminedDocument;
use crate::state::{DetailMode, ViewState};
use crate::style::{status_colour, status_text};

/// The flicker comparison's rate, in changes per second: from slow to as fast as the eye
/// still tells the two apart.
pub const FLICKER_HZ: (f32, f32) = (0.5, 8.0);

/// Longest side (px) of the region pictures.
const REGION_PX: u32 = 720;
/// Finest sampling of the region pictures (px per mm).
const MAX_PX_PER_MM: f64 = 24.0;

/// The pictures of the selected feature, made once per selection.
pub struct DetailView {
    /// The feature pictured.
    pub feature: String,
    /// The questioned and reference regions, when the capture was registered.
    pub pair: Option<RegionPair>,
    /// Why there is no pair.
    pub why_not: Option<String>,
    textures: Option<[TextureHandle; 2]>,
    heat: Option<TextureHandle>,
    heat_picture: Option<RgbImage>,
}

impl std::fmt::Debug for DetailView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetailView")
            .field("feature", &self.feature)
            .field("why_not", &self.why_not)
            .finish_non_exhaustive()
    }
}

impl DetailView {
    /// Samples the pictures of feature `f` of `doc`.
    pub fn new(doc: &ExaminedDocument, f: &FeatureResult) -> DetailView {
        let mut why_not = None;
        let pair = (|| {
            let Some(i) = doc.capture(f.side, f.light) else {
                why_not = Some(format!(
                    "no {} capture of the {}",
                    f.light.name(),
                    f.side.name()
                ));
                return None;
            };
            let Some(reg) = doc
                .report
                .registrations
                .get(i)
                .and_then(|c| c.registration.as_ref())
            else {
                why_not = Some("the capture could not be registered onto the specimen".into());
                return None;
            };
            let Some(reference) = doc.reference(f.side, f.light) else {
                why_not = Some("the specimen has no reference image for this light".into());
                return None;
            };
            let page = doc.pyramids.get(i)?;
            Some(region_pair(
                page,
                reg.mm_to_px,
                reference,
                f.region_mm,
                REGION_PX,
                MAX_PX_PER_MM,
            ))
        })();
        DetailView {
            feature: f.feature.clone(),
            pair,
            why_not,
            textures: None,
            heat: None,
            heat_picture: f.heat_map.as_ref().map(heat_picture),
        }
    }

    fn textures(&mut self, ctx: &egui::Context) -> Option<&[TextureHandle; 2]> {
        if self.textures.is_none()
            && let Some(p) = &self.pair
        {
            let up = |name: &str, img: &RgbImage| {
                ctx.load_texture(
                    format!("detail/{}/{name}", self.feature),
                    ColorImage::from_rgb(
                        [img.width() as usize, img.height() as usize],
                        img.as_raw(),
                    ),
                    TextureOptions::LINEAR,
                )
            };
            self.textures = Some([
                up("questioned", &p.questioned),
                up("reference", &p.reference),
            ]);
        }
        self.textures.as_ref()
    }

    fn heat(&mut self, ctx: &egui::Context) -> Option<&TextureHandle> {
        if self.heat.is_none()
            && let Some(h) = &self.heat_picture
        {
            self.heat = Some(ctx.load_texture(
                format!("detail/{}/heat", self.feature),
                ColorImage::from_rgb([h.width() as usize, h.height() as usize], h.as_raw()),
                TextureOptions::NEAREST,
            ));
        }
        self.heat.as_ref()
    }
}

fn picture(
    ui: &mut egui::Ui,
    tex: &TextureHandle,
    size: Vec2,
    caption: &str,
    tint: Color32,
) -> Rect {
    ui.vertical(|ui| {
        ui.label(caption);
        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
        ui.painter().image(
            tex.id(),
            rect,
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            tint,
        );
        rect
    })
    .inner
}

/// Fits a picture of `w` × `h` pixels into `room`.
fn fitted(w: usize, h: usize, room: Vec2) -> Vec2 {
    let (w, h) = (w.max(1) as f32, h.max(1) as f32);
    let s = (room.x / w).min(room.y / h).max(0.01);
    Vec2::new(w * s, h * s)
}

/// Draws the selected feature of `doc`.
pub fn feature_detail_ui(
    ui: &mut egui::Ui,
    view: &ViewState,
    doc: &ExaminedDocument,
    detail: &mut Option<DetailView>,
) -> Vec<Command> {
    let mut out = Vec::new();
    let Some(id) = view.selected.as_deref() else {
        return out;
    };
    let Some(f) = doc.report.features.iter().find(|f| f.feature == id) else {
        ui.label(format!("{id}: not a feature of this examination"));
        return out;
    };
    if detail.as_ref().is_none_or(|d| d.feature != id) {
        *detail = Some(DetailView::new(doc, f));
    }
    let Some(d) = detail.as_mut() else {
        return out;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&f.feature).strong().size(16.0));
        ui.label(
            RichText::new(status_text(f.status))
                .color(status_colour(f.status))
                .strong()
                .size(16.0),
        );
        ui.label(format!(
            "{:?} · {} {} light · {:?}",
            f.kind,
            f.side.name(),
            f.light.name(),
            f.comparator
        ));
        if ui.button("Close").clicked() {
            out.push(Command::Select(None));
        }
    });
    ui.label(&f.sentence);
    egui::Grid::new("scores").striped(true).show(ui, |ui| {
        for (s, t) in f.scores.iter().zip(&f.thresholds) {
            ui.label(s.name);
            let unit = if s.unit == "1" { "" } else { s.unit };
            ui.monospace(format!("{:.3} {unit}", s.value).trim_end().to_string());
            ui.label(format!(
                "{} {:.3} ({:?})",
                if s.higher_is_better { "≥" } else { "≤" },
                t.value,
                t.source
            ));
            ui.end_row();
        }
    });
    ui.horizontal(|ui| {
        for m in DetailMode::ALL {
            if ui.selectable_label(view.detail == m, m.label()).clicked() {
                out.push(Command::Detail(m));
            }
        }
        if view.detail == DetailMode::Overlay {
            let mut o = view.overlay_opacity;
            if ui
                .add(egui::Slider::new(&mut o, 0.0..=1.0).text("Reference opacity"))
                .changed()
            {
                out.push(Command::Opacity(o));
            }
        }
        if view.detail == DetailMode::Flicker {
            let mut hz = view.flicker_hz;
            if ui
                .add(
                    egui::Slider::new(&mut hz, FLICKER_HZ.0..=FLICKER_HZ.1)
                        .text("Changes per second"),
                )
                .changed()
            {
                out.push(Command::FlickerRate(hz));
            }
        }
    });
    let ctx = ui.ctx().clone();
    let Some(pair) = d.pair.as_ref() else {
        ui.label(format!(
            "No side-by-side picture: {}",
            d.why_not.clone().unwrap_or_default()
        ));
        return out;
    };
    let (pw, ph) = (
        pair.questioned.width() as usize,
        pair.questioned.height() as usize,
    );
    let mm = format!(
        "{:.1} × {:.1} mm at {:.1} px/mm",
        pair.rect_mm[2], pair.rect_mm[3], pair.px_per_mm
    );
    let specimen = doc
        .report
        .specimen
        .as_ref()
        .map_or(String::new(), |s| s.id.clone());
    let room = ui.available_size() - Vec2::new(16.0, 24.0);
    match view.detail {
        DetailMode::SideBySide => {
            let size = fitted(pw, ph, Vec2::new(room.x / 2.0 - 8.0, room.y));
            if let Some([q, r]) = d.textures(&ctx).cloned() {
                ui.horizontal(|ui| {
                    picture(ui, &q, size, &format!("Questioned ({mm})"), Color32::WHITE);
                    picture(
                        ui,
                        &r,
                        size,
                        &format!("Reference {specimen}"),
                        Color32::WHITE,
                    );
                });
            }
        }
        DetailMode::Overlay => {
            let size = fitted(pw, ph, room);
            if let Some([q, r]) = d.textures(&ctx).cloned() {
                let rect = picture(
                    ui,
                    &q,
                    size,
                    &format!("Questioned with the reference over it ({mm})"),
                    Color32::WHITE,
                );
                let a = (view.overlay_opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
                ui.painter().image(
                    r.id(),
                    rect,
                    Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                    Color32::from_white_alpha(a),
                );
            }
        }
        DetailMode::Flicker => {
            let size = fitted(pw, ph, room);
            let t = ui.input(|i| i.time);
            let hz = f64::from(view.flicker_hz.clamp(FLICKER_HZ.0, FLICKER_HZ.1));
            let reference_now = ((t * hz) as i64) % 2 == 1;
            if let Some([q, r]) = d.textures(&ctx).cloned() {
                let (tex, caption) = if reference_now {
                    (r, format!("Flicker: reference {specimen}"))
                } else {
                    (q, "Flicker: questioned".to_string())
                };
                picture(ui, &tex, size, &caption, Color32::WHITE);
            }
            // Drawn again when the picture is due to change, not before.
            let next = (1.0 - (t * hz).fract()) / hz;
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(next.max(0.005)));
        }
        DetailMode::HeatMap => {
            let size = fitted(pw, ph, Vec2::new(room.x / 2.0 - 8.0, room.y));
            let q = d.textures(&ctx).map(|t| t[0].clone());
            let heat = d.heat(&ctx).cloned();
            ui.horizontal(|ui| {
                if let Some(q) = q {
                    picture(ui, &q, size, &format!("Questioned ({mm})"), Color32::WHITE);
                }
                match heat {
                    Some(h) => {
                        let hs = fitted(h.size()[0], h.size()[1], size);
                        picture(
                            ui,
                            &h,
                            hs,
                            "Heat map of the compared region (dark red: departs most)",
                            Color32::WHITE,
                        );
                    }
                    None => {
                        ui.label("This comparator makes no heat map.");
                    }
                }
            });
        }
    }
    out
}
