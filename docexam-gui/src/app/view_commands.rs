//! The view's commands: which side and light are shown, zoom and pan, the selected feature and
//! the finding in focus, the comparison mode, the ruler, annotate mode and the theme. They
//! change the remembered view state (`AppState::view`) and nothing else.

use docexam_core::ingest::{LightSource, Side};

use super::Workstation;
use crate::command::Command;
use crate::document::ExaminedDocument;
use crate::state::{Tab, ViewState};

impl Workstation {
    /// Carries out a command of the view.
    pub(super) fn apply_view(&mut self, cmd: Command) {
        let fit = self.view_rt.fit_zoom.max(1e-3);
        let [iw, ih] = self.view_rt.image_size;
        let v = &mut self.state.view;
        let start_zoom = |v: &mut ViewState| {
            if v.zoom.is_none() {
                v.zoom = Some(fit);
                v.centre = [iw / 2.0, ih / 2.0];
            }
        };
        match cmd {
            Command::Show(side, light) => {
                v.side = side;
                v.light = light;
            }
            Command::NextLight => {
                let side = v.side;
                let current = v.light;
                let lights = self.lights(side);
                let next = lights
                    .iter()
                    .position(|l| *l == current)
                    .and_then(|i| lights.get((i + 1) % lights.len()))
                    .or(lights.first());
                if let Some(l) = next {
                    self.state.view.light = *l;
                }
            }
            Command::NextSide => {
                let sides = self
                    .doc
                    .as_ref()
                    .map(ExaminedDocument::sides)
                    .unwrap_or_default();
                let current = self.state.view.side;
                let next = sides
                    .iter()
                    .position(|s| *s == current)
                    .and_then(|i| sides.get((i + 1) % sides.len()))
                    .or(sides.first())
                    .copied();
                if let Some(side) = next {
                    self.state.view.side = side;
                    let lights = self.lights(side);
                    if !lights.contains(&self.state.view.light)
                        && let Some(l) = lights.first()
                    {
                        self.state.view.light = *l;
                    }
                    self.state.view.zoom = None;
                }
            }
            Command::Select(None) => {
                v.selected = None;
                v.focus = None;
                self.detail = None;
            }
            Command::Select(Some(id)) => {
                let size = self.view_rt.size;
                if let Some(doc) = &self.doc
                    && let Some(f) = doc.report.features.iter().find(|f| f.feature == id)
                {
                    v.side = f.side;
                    v.light = f.light;
                    v.reference = false;
                    // Its region on the capture through the registration (rotation and all).
                    if let Some(at) = docexam_core::examine::locus::of_feature(&doc.report, f) {
                        let [x, y, w, h] = at.region_px;
                        bring_into_view(v, [x + w / 2.0, y + h / 2.0], [w, h], size, fit);
                    }
                }
                v.selected = Some(id);
                v.focus = None;
                self.detail = None;
            }
            Command::Focus(focus) => {
                let [x, y, w, h] = focus.region_px;
                v.side = focus.side;
                v.light = focus.light;
                v.reference = false;
                v.selected = None;
                self.detail = None;
                let size = self.view_rt.size;
                bring_into_view(v, [x + w / 2.0, y + h / 2.0], [w, h], size, fit);
                v.focus = Some(focus);
            }
            Command::NextFinding => {
                let next = self.doc.as_ref().and_then(|doc| {
                    let open: Vec<String> = crate::findings_panel::by_severity(&doc.report)
                        .into_iter()
                        .filter(|f| {
                            matches!(
                                f.status,
                                docexam_core::compare::Status::Fail
                                    | docexam_core::compare::Status::Inconclusive
                            )
                        })
                        .map(|f| f.feature.clone())
                        .collect();
                    let at = self
                        .state
                        .view
                        .selected
                        .as_ref()
                        .and_then(|s| open.iter().position(|f| f == s));
                    match at {
                        Some(i) => open.get((i + 1) % open.len()).cloned(),
                        None => open.first().cloned(),
                    }
                });
                if let Some(id) = next {
                    self.apply(Command::Select(Some(id)));
                }
            }
            Command::Detail(m) => v.detail = m,
            Command::Opacity(o) => v.overlay_opacity = o.clamp(0.0, 1.0),
            Command::FlickerRate(hz) => {
                let (lo, hi) = crate::feature_detail::FLICKER_HZ;
                v.flicker_hz = hz.clamp(lo, hi);
            }
            Command::ZoomBy(factor, p) => {
                start_zoom(v);
                let z0 = v.zoom.unwrap_or(fit);
                let z1 = (z0 * factor).clamp(fit * 0.5, 32.0);
                let k = z0 / z1;
                v.centre = [
                    p[0] + (v.centre[0] - p[0]) * k,
                    p[1] + (v.centre[1] - p[1]) * k,
                ];
                v.zoom = Some(z1);
            }
            Command::Fit => v.zoom = None,
            Command::ActualPixels => {
                start_zoom(v);
                v.zoom = Some(1.0);
            }
            Command::Pan(d) => {
                start_zoom(v);
                v.centre = [
                    (v.centre[0] + d[0]).clamp(0.0, iw),
                    (v.centre[1] + d[1]).clamp(0.0, ih),
                ];
            }
            Command::ToggleReference => {
                v.reference = !v.reference;
                let side = v.side;
                let lights = self.lights(side);
                if !lights.contains(&self.state.view.light)
                    && let Some(l) = lights.first()
                {
                    self.state.view.light = *l;
                }
            }
            Command::ToggleOutlines => v.outlines = !v.outlines,
            Command::ToggleLoupe => v.loupe = !v.loupe,
            Command::Ruler(r) => v.ruler = r,
            Command::Tab(t) => v.tab = t,
            Command::Theme(t) => self.state.theme = t,
            Command::ToggleAnnotate => {
                let in_case = self.case.snapshot.is_some()
                    && self.doc.as_ref().is_some_and(|d| !d.items.is_empty());
                if !v.annotate && !in_case {
                    self.state.status = "Annotations go into a case: open or create one (Case \
                                         tab), then open the document"
                        .into();
                    return;
                }
                let v = &mut self.state.view;
                v.annotate = !v.annotate;
                if !v.annotate {
                    v.mark = None;
                }
            }
            Command::Mark(m) => {
                v.mark = m;
                if m.is_some() {
                    v.tab = Tab::Case;
                }
            }
            other => debug_assert!(false, "{other:?} is not a view command"),
        }
    }

    /// The lights that can be shown on `side`: captured, or in the specimen when the
    /// reference is shown.
    pub(super) fn lights(&self, side: Side) -> Vec<LightSource> {
        let Some(doc) = &self.doc else {
            return Vec::new();
        };
        if self.state.view.reference {
            [LightSource::White, LightSource::Uv, LightSource::Ir]
                .into_iter()
                .filter(|l| doc.reference(side, *l).is_some())
                .collect()
        } else {
            doc.lights(side)
        }
    }
}

/// Zooms `v` so that a region of `size_px` image pixels about `centre` fills about 60% of a
/// view of `view` points (between fitting the page and 8 points per pixel), centred on it.
pub(super) fn bring_into_view(
    v: &mut ViewState,
    centre: [f32; 2],
    size_px: [f32; 2],
    view: [f32; 2],
    fit: f32,
) {
    let z = (0.6 * view[0] / size_px[0].max(1.0)).min(0.6 * view[1] / size_px[1].max(1.0));
    if z.is_finite() && z > 0.0 {
        v.zoom = Some(z.clamp(fit, 8.0));
        v.centre = centre;
    }
}
