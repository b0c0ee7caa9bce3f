//! A design randomiser: document designs nobody tuned on, to measure how the comparison
//! generalises. Each seed takes one of the Utopia layouts (TD3 page, TD1 card, TD2 card,
//! MRV-A visa) and redraws it with its own colour scheme, fine-line background (amplitude and
//! wave numbers of both line families), artwork (fibres, rosette, emblem), with or without a
//! ghost image and an OVD, and with its portrait, printed fields (along their lines) and
//! artwork moved.
//!
//! The typefaces are the generator's vendored ones for every design.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::design::{Design, utopia};

/// The design of `seed`.
pub fn randomised(seed: u64) -> Design {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_d351_9000_0000);
    // The diplomatic passport is the TD3 layout mirrored: it is left out as a base so that
    // the layouts are the four sizes.
    let bases: Vec<Design> = utopia()
        .into_iter()
        .filter(|d| d.id != "UTO-PD-TD3")
        .collect();
    let mut d = bases[rng.random_range(0..bases.len())].clone();
    d.id = format!("RND{seed}-{}", d.code);
    d.folder = format!("random-design-{seed}");
    d.name = format!("Randomised design {seed} ({} layout)", d.size.name());
    d.hue = rng.random_range(0.0..1.0);
    d.guilloche = [
        rng.random_range(0.6..1.4),
        rng.random_range(0.3..1.2),
        rng.random_range(0.3..1.2),
        rng.random_range(0.6..1.4),
    ];
    d.seed = rng.random();
    let shift = |r: &mut [f64; 4], by: f64, rng: &mut ChaCha8Rng| {
        r[0] += rng.random_range(-by..by);
        r[1] += rng.random_range(-by..by);
    };
    for s in &mut d.sides {
        if let Some(p) = &mut s.portrait {
            shift(p, 1.5, &mut rng);
        }
        if rng.random_bool(0.35) {
            s.ghost = None;
        } else if let Some(g) = &mut s.ghost {
            shift(g, 1.5, &mut rng);
        }
        if rng.random_bool(0.3) {
            s.ovd = None;
        } else if let Some(o) = &mut s.ovd {
            shift(o, 1.0, &mut rng);
        }
        // Along their lines only: the artwork between the lines (microprint) stays clear.
        let dx = rng.random_range(-1.0..1.0);
        for f in &mut s.fields {
            f.x += dx;
        }
        let (cx, cy, r0, r1) = s.rosette;
        let k = rng.random_range(0.8..1.15);
        s.rosette = (
            cx + rng.random_range(-3.0..3.0),
            cy + rng.random_range(-3.0..3.0),
            r0 * k,
            r1 * k,
        );
        let (ex, ey, er) = s.uv_emblem;
        s.uv_emblem = (
            ex + rng.random_range(-3.0..3.0),
            ey + rng.random_range(-3.0..3.0),
            er * rng.random_range(0.85..1.15),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_give_different_designs_and_the_same_seed_the_same() {
        let (a, b) = (randomised(1), randomised(2));
        assert_ne!(a.id, b.id);
        assert!(a.hue != b.hue || a.guilloche != b.guilloche);
        let again = randomised(1);
        assert_eq!(a.hue, again.hue);
        assert_eq!(a.guilloche, again.guilloche);
        // Some seeds drop the ghost image.
        assert!((0..20).any(|s| randomised(s).sides.iter().all(|x| x.ghost.is_none())));
    }

    #[test]
    fn a_random_designs_uv_image_is_drawn_whatever_its_seed() {
        // Random designs carry seeds across the whole u64 range; drawing their UV fibres once
        // overflowed (a panic in debug builds) for nearly every one.
        let fonts = crate::fonts::Fonts::load().expect("the vendored fonts");
        let d = randomised(207);
        assert!(
            d.seed > u64::MAX / 1000,
            "a seed that overflowed: {}",
            d.seed
        );
        let img = crate::render::render(
            &d,
            &d.sides[0],
            docexam_core::ingest::LightSource::Uv,
            &crate::persona::Persona::specimen(),
            50,
            crate::render::Capture::default(),
            &crate::render::Overrides::default(),
            &fonts,
        );
        assert!(img.width() > 100 && img.height() > 50);
    }
}
