//! Large images drawn without stutter: each pyramid level cut into tiles, uploaded to the GPU
//! only when first seen, a few per frame; the view draws the coarsest level under the level
//! that matches the zoom, so something is always on screen while finer tiles arrive.

use egui::{
    Color32, ColorImage, Context, Painter, Pos2, Rect, TextureHandle, TextureId, TextureOptions,
};
use image::RgbImage;

/// Tile side in pixels.
pub const TILE: u32 = 512;

/// Tiles uploaded at most per frame (about 3 MB: well inside a frame's budget).
pub const UPLOADS_PER_FRAME: usize = 4;

/// How tiles are sampled: enlarged, each image pixel is a sharp square (what an examiner
/// looking at print structure at pixel level needs to see, and the cheapest to draw);
/// reduced, pixels are blended.
const TILE_TEXTURE: TextureOptions = TextureOptions {
    magnification: egui::TextureFilter::Nearest,
    minification: egui::TextureFilter::Linear,
    ..TextureOptions::LINEAR
};

/// The textures of one image's pyramid.
#[derive(Default)]
pub struct TiledImage {
    /// Per level: the textures of its tiles, row by row (`None`: not uploaded yet).
    levels: Vec<Vec<Option<TextureHandle>>>,
}

impl std::fmt::Debug for TiledImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let uploaded: usize = self
            .levels
            .iter()
            .map(|l| l.iter().filter(|t| t.is_some()).count())
            .sum();
        f.debug_struct("TiledImage")
            .field("levels", &self.levels.len())
            .field("uploaded", &uploaded)
            .finish()
    }
}

/// How the image maps to the screen: screen = `origin` + pixel × `zoom`.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    /// Where pixel (0, 0) of the full-size image lands.
    pub origin: Pos2,
    /// Screen points per full-size pixel.
    pub zoom: f32,
}

impl Placement {
    /// The screen position of full-size pixel `p`.
    pub fn to_screen(self, p: [f32; 2]) -> Pos2 {
        Pos2::new(
            self.origin.x + p[0] * self.zoom,
            self.origin.y + p[1] * self.zoom,
        )
    }

    /// The full-size pixel under screen position `s`.
    pub fn to_image(self, s: Pos2) -> [f32; 2] {
        [
            (s.x - self.origin.x) / self.zoom,
            (s.y - self.origin.y) / self.zoom,
        ]
    }
}

fn tiles_across(w: u32) -> u32 {
    w.div_ceil(TILE).max(1)
}

impl TiledImage {
    /// Draws `levels` (full size first, each half the one before) with `placement`, clipped
    /// to `clip`. Returns whether tiles are still waiting to be uploaded (ask for a repaint).
    pub fn paint(
        &mut self,
        ctx: &Context,
        painter: &Painter,
        name: &str,
        levels: &[&RgbImage],
        placement: Placement,
        clip: Rect,
    ) -> bool {
        if self.levels.len() != levels.len() {
            self.levels = levels
                .iter()
                .map(|l| {
                    let n = tiles_across(l.width()) * tiles_across(l.height());
                    vec![None; n as usize]
                })
                .collect();
        }
        let Some(coarsest) = levels.len().checked_sub(1) else {
            return false;
        };
        // The level whose pixels are at least one screen point: no finer than needed.
        let mut wanted = 0;
        while wanted < coarsest && placement.zoom * (1u32 << (wanted + 1)) as f32 <= 1.0 {
            wanted += 1;
        }
        // The base under everything: the smallest level of at least 256 px (one tile, or a
        // few), then the wanted one over it.
        let base = (0..=coarsest)
            .rev()
            .find(|&k| {
                levels
                    .get(k)
                    .is_some_and(|l| l.width().max(l.height()) >= 256)
            })
            .unwrap_or(0)
            .max(wanted);
        // Uploads go to the base first (what shows while finer tiles arrive), then to the
        // wanted level. Every layer drawn costs each of its pixels once more on a renderer
        // without a GPU, so the base is drawn only under wanted tiles not uploaded yet.
        let mut budget = UPLOADS_PER_FRAME;
        let base_tiles = self.visible(ctx, name, levels, base, placement, clip, &mut budget);
        let wanted_tiles = if wanted == base {
            Vec::new()
        } else {
            self.visible(ctx, name, levels, wanted, placement, clip, &mut budget)
        };
        let pending = base_tiles
            .iter()
            .chain(&wanted_tiles)
            .any(|(t, _)| t.is_none());
        let holes: Vec<Rect> = wanted_tiles
            .iter()
            .filter(|(t, _)| t.is_none())
            .map(|(_, r)| *r)
            .collect();
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        for (t, screen) in &base_tiles {
            if let Some(t) = t
                && (wanted == base || holes.iter().any(|h| h.intersects(*screen)))
            {
                painter.image(*t, *screen, uv, Color32::WHITE);
            }
        }
        for (t, screen) in &wanted_tiles {
            if let Some(t) = t {
                painter.image(*t, *screen, uv, Color32::WHITE);
            }
        }
        pending
    }

    /// The tiles of level `k` that fall inside `clip`, each with its texture (uploaded now
    /// while `budget` lasts; `None`: not yet) and its place on the screen.
    #[allow(clippy::too_many_arguments)]
    fn visible(
        &mut self,
        ctx: &Context,
        name: &str,
        levels: &[&RgbImage],
        k: usize,
        placement: Placement,
        clip: Rect,
        budget: &mut usize,
    ) -> Vec<(Option<TextureId>, Rect)> {
        let mut out = Vec::new();
        let (Some(level), Some(slots)) = (levels.get(k), self.levels.get_mut(k)) else {
            return out;
        };
        let f = (1u32 << k) as f32;
        let across = tiles_across(level.width());
        let down = tiles_across(level.height());
        for ty in 0..down {
            for tx in 0..across {
                let x0 = tx * TILE;
                let y0 = ty * TILE;
                let w = TILE.min(level.width() - x0);
                let h = TILE.min(level.height() - y0);
                let screen = Rect::from_min_max(
                    placement.to_screen([x0 as f32 * f, y0 as f32 * f]),
                    placement.to_screen([(x0 + w) as f32 * f, (y0 + h) as f32 * f]),
                );
                if !screen.intersects(clip) {
                    continue;
                }
                let Some(slot) = slots.get_mut((ty * across + tx) as usize) else {
                    continue;
                };
                if slot.is_none() && *budget > 0 {
                    *budget -= 1;
                    let tile = image::imageops::crop_imm(*level, x0, y0, w, h).to_image();
                    let img = ColorImage::from_rgb([w as usize, h as usize], tile.as_raw());
                    *slot =
                        Some(ctx.load_texture(format!("{name}/{k}/{tx}/{ty}"), img, TILE_TEXTURE));
                }
                out.push((slot.as_ref().map(TextureHandle::id), screen));
            }
        }
        out
    }
}
