//! Deciding the text from what the glyphs matched: every position has its characters ranked by
//! correlation with OCR-B, and the MRZ's own rules choose among the close ones.
//!
//! 1. **Field class.** A character its field cannot hold (a digit in a name, a letter in a
//!    date) is replaced by the best one the field admits within [`CLASS_MARGIN`].
//! 2. **Code lists.** An issuing state or nationality that is on no code list (`PCO`, `FSP`)
//!    and that no check digit covers becomes the listed code whose characters match best, each
//!    within [`CODE_MARGIN`] of its position's best, when one such code clearly matches best
//!    (`MCO`, `ESP`); near ties are settled by the other state field or left as read. A code
//!    both state fields read alike is left as printed, listed or not.
//! 3. **Alternatives for the check digits.** Positions under a check digit that fails keep
//!    more of their runner-ups ([`FAILING_MARGIN`]) than the rest ([`ALTERNATIVE_MARGIN`]), so
//!    that the repair can find a digit the font ranked lower (`0` read as `6`); the repair's
//!    rules still decide, and a character the field admits changes only when a second check
//!    digit confirms it.

use super::classify::Scores;
use super::result::{Correction, CorrectionBasis};
use crate::charset::CharClass;
use crate::check::CheckStatus;
use crate::codes::listed;
use crate::field::FieldKind;
use crate::format::MrzFormat;
use crate::record::Mrz;
use crate::repair::{Pos, class_at};
use crate::text::MrzText;
use crate::validate;
use docexam_base::date::CivilDate;

/// Alternatives kept per character for the repair: those within this correlation of the best.
pub(super) const ALTERNATIVE_MARGIN: f32 = 0.12;

/// How far below the best a character its field admits may match and still replace one the
/// field cannot hold.
const CLASS_MARGIN: f32 = 2.0 * ALTERNATIVE_MARGIN;

/// How far below its position's best a character of a listed state code may match.
const CODE_MARGIN: f32 = 0.25;

/// Characters tried per position of a state code.
const CODE_CANDIDATES: usize = 4;

/// How much better (summed correlation) the best listed code must match than the next for the
/// reader to take it without the other state field's word.
const CODE_LEAD: f32 = 0.05;

/// Alternatives kept per position under a failing check digit: within this of the best...
const FAILING_MARGIN: f32 = 0.25;

/// ...and at most this many.
const FAILING_CANDIDATES: usize = 3;

/// What the reader decided: the text, the corrections it made, and the alternatives it hands
/// the repair.
pub(super) struct Decision {
    pub text: Vec<Vec<u8>>,
    pub corrections: Vec<Correction>,
    pub alternatives: Vec<(Pos, Vec<u8>)>,
}

impl Decision {
    /// The lines joined by line feeds, as the MRZ engine reads text.
    pub(super) fn text_joined(&self) -> String {
        self.text
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The text read, best character per position.
pub(super) fn best_text(lines: &[&[Scores]]) -> Vec<Vec<u8>> {
    lines
        .iter()
        .map(|l| l.iter().map(|s| s.best().0).collect())
        .collect()
}

/// The record the text gives, when it is a known MRZ format.
fn record(text: &[Vec<u8>], as_of: CivilDate) -> Option<Mrz> {
    let joined: Vec<String> = text
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    let record = validate::build(MrzText::parse(&joined.join("\n")).ok()?, as_of);
    (record.format() != MrzFormat::Unknown).then_some(record)
}

/// The class of characters each position's field admits, for the format the text has;
/// `None` when the text is no known MRZ format.
pub(super) fn field_classes(text: &[Vec<u8>], as_of: CivilDate) -> Option<Vec<Vec<CharClass>>> {
    let record = record(text, as_of)?;
    Some(classes_of(&record, text))
}

fn classes_of(record: &Mrz, text: &[Vec<u8>]) -> Vec<Vec<CharClass>> {
    text.iter()
        .enumerate()
        .map(|(li, line)| {
            (0..line.len())
                .map(|col| class_at(record, li as u8, col as u8))
                .collect()
        })
        .collect()
}

/// Decides the text from the ranked characters (steps 1–3 of the module).
pub(super) fn decide(lines: &[&[Scores]], as_of: CivilDate) -> Decision {
    let mut text = best_text(lines);
    let mut corrections = constrain(&mut text, lines, as_of);
    corrections.extend(code_lists(&mut text, lines, as_of));
    let alternatives = alternatives(lines, &text, as_of);
    Decision {
        text,
        corrections,
        alternatives,
    }
}

/// The correlation of `ch` at a position (0 when the templates did not rank it).
fn score_of(scores: &Scores, ch: u8) -> f32 {
    scores
        .ranked
        .iter()
        .find(|(c, _)| *c == ch)
        .map_or(0.0, |r| r.1)
}

/// Positions whose best character their field cannot hold, changed to the best alternative
/// it can hold.
fn constrain(text: &mut [Vec<u8>], lines: &[&[Scores]], as_of: CivilDate) -> Vec<Correction> {
    let Some(classes) = field_classes(text, as_of) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (li, ((line, read), line_classes)) in text.iter_mut().zip(lines).zip(&classes).enumerate() {
        for (col, ((ch, scores), &class)) in line
            .iter_mut()
            .zip(read.iter())
            .zip(line_classes)
            .enumerate()
        {
            if class.allows(*ch) {
                continue;
            }
            let best = scores.best().1;
            let alt = scores
                .ranked
                .iter()
                .find(|(c, s)| class.allows(*c) && best - s <= CLASS_MARGIN);
            if let Some(&(to, score)) = alt {
                out.push(Correction {
                    line: li as u8,
                    column: col as u8,
                    read: char::from(*ch),
                    read_score: best,
                    to: char::from(to),
                    to_score: score,
                    basis: CorrectionBasis::FieldClass,
                });
                *ch = to;
            }
        }
    }
    out
}

/// The code a state field holds in `text`.
fn code_at(text: &[Vec<u8>], line: u8, start: u8) -> Option<[u8; 3]> {
    let l = text.get(usize::from(line))?;
    let s = usize::from(start);
    <[u8; 3]>::try_from(l.get(s..s + 3)?).ok()
}

/// State codes on no list replaced by the listed code that matches best (step 2).
fn code_lists(text: &mut [Vec<u8>], lines: &[&[Scores]], as_of: CivilDate) -> Vec<Correction> {
    let Some(record) = record(text, as_of) else {
        return Vec::new();
    };
    let states: Vec<_> = record
        .fields()
        .filter(|f| matches!(f.kind, FieldKind::IssuingState | FieldKind::Nationality))
        .filter(|f| f.span.len() == 3)
        .filter(|f| {
            !record
                .checks()
                .iter()
                .any(|c| (f.span.start..f.span.end).any(|col| c.covers.contains(f.span.line, col)))
        })
        .collect();
    let mut out = Vec::new();
    for f in &states {
        let (line, start) = (f.span.line, f.span.start);
        let Some(read) = code_at(text, line, start) else {
            continue;
        };
        let other = states
            .iter()
            .find(|g| g.kind != f.kind)
            .and_then(|g| code_at(text, g.span.line, g.span.start));
        // Two fields reading the same code vouch for each other: a state the lists do not
        // know (a fictional specimen state, a code newer than the lists) is left as printed.
        if listed(read) || other == Some(read) {
            continue;
        }
        let Some(row) = lines.get(usize::from(line)) else {
            continue;
        };
        // Candidates per position: the character in the text, then the others the field admits
        // that match within the margin.
        let per_position: Vec<Vec<(u8, f32)>> = (0..3)
            .map(|i| {
                let Some(scores) = row.get(usize::from(start) + i) else {
                    return Vec::new();
                };
                let best = scores.best().1;
                let ch = read.get(i).copied().unwrap_or(b'<');
                let mut c = vec![(ch, score_of(scores, ch))];
                c.extend(
                    scores
                        .ranked
                        .iter()
                        .filter(|(x, s)| *x != ch && f.class.allows(*x) && best - s <= CODE_MARGIN)
                        .take(CODE_CANDIDATES - 1)
                        .copied(),
                );
                c
            })
            .collect();
        let mut found: Vec<([u8; 3], f32)> = Vec::new();
        for a in per_position.first().into_iter().flatten() {
            for b in per_position.get(1).into_iter().flatten() {
                for c in per_position.get(2).into_iter().flatten() {
                    let code = [a.0, b.0, c.0];
                    if listed(code) {
                        found.push((code, a.1 + b.1 + c.1));
                    }
                }
            }
        }
        found.sort_by(|x, y| y.1.total_cmp(&x.1));
        let chosen = match found.as_slice() {
            [] => None,
            [(one, _)] => Some(*one),
            [(first, s1), (_, s2), ..] if s1 - s2 >= CODE_LEAD => Some(*first),
            [(_, s1), ..] => {
                let top = *s1;
                found
                    .iter()
                    .filter(|(_, s)| top - s < CODE_LEAD)
                    .map(|(c, _)| *c)
                    .find(|c| Some(*c) == other)
            }
        };
        let Some(to) = chosen else { continue };
        for (i, (&from, &new)) in read.iter().zip(&to).enumerate() {
            if from == new {
                continue;
            }
            let col = usize::from(start) + i;
            let Some(scores) = row.get(col) else { continue };
            if let Some(slot) = text.get_mut(usize::from(line)).and_then(|l| l.get_mut(col)) {
                *slot = new;
            }
            out.push(Correction {
                line,
                column: col as u8,
                read: char::from(from),
                read_score: score_of(scores, from),
                to: char::from(new),
                to_score: score_of(scores, new),
                basis: CorrectionBasis::CodeList,
            });
        }
    }
    out
}

/// Alternatives per position for the repair: the characters within [`ALTERNATIVE_MARGIN`] of
/// the best, or, under a check digit that fails, within [`FAILING_MARGIN`] (step 3).
fn alternatives(lines: &[&[Scores]], text: &[Vec<u8>], as_of: CivilDate) -> Vec<(Pos, Vec<u8>)> {
    let failing: Vec<Pos> = record(text, as_of)
        .map(|m| {
            let mut at = Vec::new();
            for c in m.checks().iter().filter(|c| c.status == CheckStatus::Fail) {
                at.push((c.at.line, c.at.start));
                for span in c.covers.spans() {
                    at.extend((span.start..span.end).map(|col| (span.line, col)));
                }
            }
            at
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for (li, (read, chosen)) in lines.iter().zip(text).enumerate() {
        for (col, (scores, &ch)) in read.iter().zip(chosen).enumerate() {
            let pos = (li as u8, col as u8);
            let (margin, most) = if failing.contains(&pos) {
                (FAILING_MARGIN, FAILING_CANDIDATES)
            } else {
                (ALTERNATIVE_MARGIN, usize::MAX)
            };
            let best = scores.best().1;
            let alts: Vec<u8> = scores
                .ranked
                .iter()
                .filter(|(c, s)| *c != ch && best - s <= margin)
                .take(most)
                .map(|(c, _)| *c)
                .collect();
            if !alts.is_empty() {
                out.push((pos, alts));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
