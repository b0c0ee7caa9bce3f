//! Look-alike characters (`0`/`O`, `1`/`I`, `8`/`B`, `5`/`S`, …) decided against the
//! document's own glyphs.
//!
//! OCR-B keeps look-alikes apart by small differences (its `0` is narrower and a little
//! taller than its `O`) that blur, JPEG and a photo's perspective can wash out of a match
//! against the font. The same MRZ usually shows each of them where its field leaves no
//! doubt: a `0` in a date or a check digit, an `O` in a country code or a name. Where a
//! field admits both and the font cannot tell them apart, the glyph is compared with those
//! exemplars, printed and captured as it was.

use super::LineRead;
use super::glyphs::{self, Template};
use super::result::LookAlike;
use crate::charset::CharClass;

/// Characters within this correlation of the best one its field admits are look-alikes the
/// font alone does not decide.
const MARGIN: f32 = super::decide::ALTERNATIVE_MARGIN;

/// Correlation with the font an exemplar must reach (a clear print of the character).
const EXEMPLAR_SCORE: f32 = 0.6;

/// Exemplars averaged per character (the best-matching ones).
const EXEMPLARS: usize = 8;

/// Decides every position where the field admits two or more characters the font cannot
/// tell apart, when the font's choice and at least one rival have exemplars elsewhere in the
/// MRZ: the candidate whose correlations with the font and with its exemplars add up to the
/// most is moved to the front of the position's ranking (the correlations with the font stay
/// as they were). `classes` holds each position's field class. Returns every position so
/// decided.
pub(super) fn decide(lines: &mut [LineRead], classes: &[Vec<CharClass>]) -> Vec<LookAlike> {
    // Per character: (font correlation, line, column) of the positions where it is certain.
    let mut exemplars: Vec<Vec<(f32, usize, usize)>> = vec![Vec::new(); 256];
    let mut ambiguous: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    for (li, (line, line_classes)) in lines.iter().zip(classes).enumerate() {
        for (col, (scores, class)) in line.scores.iter().zip(line_classes).enumerate() {
            let mut allowed = scores.ranked.iter().filter(|(c, _)| class.allows(*c));
            let Some(&(top, top_score)) = allowed.next() else {
                continue;
            };
            let rivals: Vec<u8> = allowed
                .take_while(|(_, s)| top_score - s <= MARGIN)
                .map(|(c, _)| *c)
                .collect();
            // An exemplar is a clear print no rival comes near: a position in doubt must not
            // vouch for its own reading.
            if rivals.is_empty() {
                if top_score >= EXEMPLAR_SCORE
                    && let Some(list) = exemplars.get_mut(usize::from(top))
                {
                    list.push((top_score, li, col));
                }
            } else {
                let mut candidates = vec![top];
                candidates.extend(rivals);
                ambiguous.push((li, col, candidates));
            }
        }
    }
    if ambiguous.is_empty() {
        return Vec::new();
    }
    // Per character: not built yet, or built (`None`: no exemplar).
    let mut own: Vec<Option<Option<Template>>> = (0..256).map(|_| None).collect();
    let mut decided = Vec::new();
    for (li, col, candidates) in ambiguous {
        for &c in &candidates {
            if let Some(slot) = own.get_mut(usize::from(c))
                && slot.is_none()
            {
                *slot = Some(exemplar_template(lines, &exemplars, c));
            }
        }
        let Some(w) = lines.get(li).and_then(|l| l.windows.get(col)) else {
            continue;
        };
        let matched: Vec<(u8, f32)> = candidates
            .iter()
            .filter_map(|&c| {
                let t = own.get(usize::from(c))?.as_ref()?.as_ref()?;
                Some((c, w.best_match(t).0))
            })
            .collect();
        // The font's choice stands unless it can be compared with the others.
        let font_choice = candidates.first().copied().unwrap_or(b'<');
        if matched.len() < 2 || !matched.iter().any(|(c, _)| *c == font_choice) {
            continue;
        }
        // Both are evidence: the match with the font and the match with the document's own
        // prints. A clear preference of the font is not overturned by a slight one of the
        // prints; where the font hesitates, the prints decide.
        let font_score = |c: u8| {
            lines
                .get(li)
                .and_then(|l| l.scores.get(col))
                .and_then(|s| s.ranked.iter().find(|r| r.0 == c))
                .map_or(0.0, |r| r.1)
        };
        let Some(&(chosen, _)) = matched
            .iter()
            .max_by(|a, b| (a.1 + font_score(a.0)).total_cmp(&(b.1 + font_score(b.0))))
        else {
            continue;
        };
        if let Some(scores) = lines.get_mut(li).and_then(|l| l.scores.get_mut(col))
            && let Some(i) = scores.ranked.iter().position(|(c, _)| *c == chosen)
        {
            let entry = scores.ranked.remove(i);
            scores.ranked.insert(0, entry);
        }
        decided.push(LookAlike {
            line: li as u8,
            column: col as u8,
            font_choice: char::from(font_choice),
            chosen: char::from(chosen),
            exemplar_scores: matched
                .iter()
                .map(|&(c, s)| (char::from(c), (s * 1000.0).round() / 1000.0))
                .collect(),
        });
    }
    decided
}

/// The mean of a character's best exemplars, each aligned on the font's template: `None`
/// when the MRZ shows it nowhere for certain.
fn exemplar_template(
    lines: &[LineRead],
    exemplars: &[Vec<(f32, usize, usize)>],
    ch: u8,
) -> Option<Template> {
    let font = glyphs::templates().iter().find(|t| t.ch == ch)?;
    let mut list = exemplars.get(usize::from(ch))?.clone();
    if list.is_empty() {
        return None;
    }
    list.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut sum = vec![0f32; glyphs::TW * glyphs::TH];
    let mut n = 0usize;
    for &(_, li, col) in list.iter().take(EXEMPLARS) {
        let Some(w) = lines.get(li).and_then(|l| l.windows.get(col)) else {
            continue;
        };
        let (_, (ox, oy)) = w.best_match(font);
        for (s, v) in sum.iter_mut().zip(w.patch(ox, oy)) {
            *s += v;
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let mean: Vec<f32> = sum.into_iter().map(|s| s / n as f32).collect();
    Template::from_ink(ch, mean)
}
