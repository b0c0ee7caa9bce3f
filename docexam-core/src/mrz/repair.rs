//! OCR repair: substitutions of look-alike characters, applied only when a check digit
//! confirms them.
//!
//! Repair is a separate, opt-in step for text that came from OCR. For each check digit in
//! layout order it looks at the characters the digit covers:
//!
//! 1. characters the field cannot hold (a letter in a date, a digit in a check-digit position,
//!    a lowercase letter) are replaced by their only look-alike the field admits;
//! 2. if the check digit then passes, those replacements are kept;
//! 3. if it still fails, every single further look-alike substitution is tried; one that makes
//!    it pass without breaking a check that passed is kept; several are reported as ambiguous
//!    and nothing is changed (unless the composite check digit singles one out).
//!
//! Characters no check digit covers (names on ICAO formats, issuing state, nationality) are
//! never changed: a likely misreading there is reported as unconfirmed. Look-alike pairs with
//! the same check-digit value (G/6, L/1, K/<) are blind spots: wherever such a character sits
//! under a check digit in a field that admits both, repair reports it instead of hiding it.

use super::charset::{CharClass, FILLER, confusable_with, is_check_digit_blind};
use super::check::{CheckKind, CheckStatus};
use super::field::FieldKind;
use super::finding::{Finding, FindingKind};
use super::format::MrzFormat;
use super::record::{Mrz, Repair};
use super::span::Span;
use super::text::MrzText;
use super::validate;
use crate::date::CivilDate;

/// A position in the text, 0-based.
type Pos = (u8, u8);

/// Reads `text`, repairs what check digits confirm, and returns the record of the repaired
/// text with its repairs and repair findings.
pub(crate) fn repair(text: MrzText, as_of: CivilDate) -> Mrz {
    let original = validate::build(text.clone(), as_of);
    let shape_ok = original.format != MrzFormat::Unknown
        && !original
            .findings
            .iter()
            .any(|f| matches!(f.kind, FindingKind::LineLength { .. }));
    if !shape_ok {
        let mut m = original;
        m.findings
            .insert(0, Finding::whole(FindingKind::RepairNotAttempted));
        return m;
    }
    let mut r = Repairer {
        as_of,
        work: text,
        repairs: Vec::new(),
        notes: Vec::new(),
        contradicted: Vec::new(),
    };
    let kinds: Vec<CheckKind> = original.checks.iter().map(|c| c.kind).collect();
    for kind in kinds {
        r.repair_check(kind);
    }
    let mut result = validate::build(r.work.clone(), as_of);
    r.uncovered_suggestions(&result);
    r.blind_spots(&result);
    for rep in &r.repairs {
        let kind = FindingKind::Repaired {
            from: rep.from,
            to: rep.to,
            confirmed_by: rep.confirmed_by,
        };
        r.notes
            .push(Finding::at(kind, Span::at(rep.line, rep.column)));
    }
    r.repairs.sort_by_key(|x| (x.line, x.column));
    result.repairs = r.repairs;
    result.findings.append(&mut r.notes);
    result
        .findings
        .sort_by_key(|f| f.span.map(|s| (s.line, s.start)));
    result
}

struct Repairer {
    as_of: CivilDate,
    work: MrzText,
    repairs: Vec<Repair>,
    notes: Vec<Finding>,
    /// Positions whose obvious repair a check digit contradicted (reported once).
    contradicted: Vec<Pos>,
}

/// Alternatives for `c` that `class` admits: the uppercase of a lowercase letter, then
/// look-alikes.
fn alternatives(c: u8, class: CharClass) -> Vec<u8> {
    let mut alts = Vec::new();
    let upper = c.to_ascii_uppercase();
    if upper != c {
        if class.allows(upper) {
            alts.push(upper);
        }
        alts.extend(confusable_with(upper, class));
    } else {
        alts.extend(confusable_with(c, class));
    }
    alts.dedup();
    alts
}

/// The class of every position a check covers, and the check digit's own position.
fn covered_positions(m: &Mrz, kind: CheckKind) -> Vec<(Pos, CharClass)> {
    let Some(check) = m.check(kind) else {
        return Vec::new();
    };
    let mut out: Vec<(Pos, CharClass)> = Vec::new();
    for span in check.covers.spans() {
        for col in span.start..span.end {
            out.push(((span.line, col), class_at(m, span.line, col)));
        }
    }
    out.push(((check.at.line, check.at.start), CharClass::Numeric));
    out
}

/// The class of the field holding a position (check-digit positions are numeric).
fn class_at(m: &Mrz, line: u8, col: u8) -> CharClass {
    if m.checks()
        .iter()
        .any(|c| c.at.line == line && c.at.start == col)
    {
        return CharClass::Numeric;
    }
    m.fields()
        .filter(|f| f.kind != FieldKind::IssueMonth && f.kind != FieldKind::LanguageCode)
        .find(|f| f.span.line == line && f.span.start <= col && col < f.span.end)
        .map_or(CharClass::AlphaNumeric, |f| f.class)
}

impl Repairer {
    fn build(&self, text: &MrzText) -> Mrz {
        validate::build(text.clone(), self.as_of)
    }

    fn with(&self, base: &MrzText, changes: &[(Pos, u8)]) -> MrzText {
        let mut t = base.clone();
        for &((line, col), b) in changes {
            t.set(line, col, b);
        }
        t
    }

    fn passes(m: &Mrz, kind: CheckKind) -> bool {
        m.check(kind).is_some_and(|c| c.status != CheckStatus::Fail)
    }

    /// Whether `candidate` passes `kind` and keeps every check that passed in `before`.
    fn acceptable(before: &Mrz, candidate: &Mrz, kind: CheckKind) -> bool {
        Self::passes(candidate, kind)
            && before
                .checks()
                .iter()
                .filter(|c| c.status != CheckStatus::Fail)
                .all(|c| Self::passes(candidate, c.kind))
    }

    fn repair_check(&mut self, kind: CheckKind) {
        let before = self.build(&self.work);
        let positions = covered_positions(&before, kind);
        let byte = |p: Pos| self.work.byte_at(p.0, p.1);
        let mut forced: Vec<(Pos, u8)> = Vec::new();
        let mut open: Vec<(Pos, Vec<u8>)> = Vec::new();
        for &(pos, class) in &positions {
            let Some(c) = byte(pos) else { continue };
            let alts = alternatives(c, class);
            if class.allows(c) {
                if !alts.is_empty() {
                    open.push((pos, alts));
                }
            } else if let [only] = alts.as_slice() {
                forced.push((pos, *only));
            } else if !alts.is_empty() {
                open.push((pos, alts));
            }
        }
        let passed_before = Self::passes(&before, kind);
        if passed_before && forced.is_empty() {
            return;
        }
        let trial = self.with(&self.work, &forced);
        let trial_rec = self.build(&trial);
        if Self::acceptable(&before, &trial_rec, kind) && !forced.is_empty() {
            self.accept(&forced, kind);
            if passed_before {
                let at = before.check(kind).map(|c| c.at);
                self.notes.push(Finding {
                    kind: FindingKind::RepairClassOnly { check: kind },
                    span: at,
                });
            }
            return;
        }
        if passed_before {
            // The obvious reading breaks a check that passes as read: report, change nothing.
            let broken = before
                .checks()
                .iter()
                .filter(|c| c.status != CheckStatus::Fail)
                .find(|c| !Self::passes(&trial_rec, c.kind))
                .map_or(kind, |c| c.kind);
            if forced.iter().any(|(p, _)| !self.contradicted.contains(p)) {
                self.contradicted.extend(forced.iter().map(|(p, _)| *p));
                let at = before.check(kind).map(|c| c.at);
                let kind = FindingKind::RepairContradicted {
                    check: kind,
                    by: broken,
                };
                self.notes.push(Finding { kind, span: at });
            }
            return;
        }
        let mut found: Vec<(Pos, u8)> = Vec::new();
        for (pos, alts) in &open {
            for &alt in alts {
                let cand = self.with(&trial, &[(*pos, alt)]);
                if Self::acceptable(&before, &self.build(&cand), kind) {
                    found.push((*pos, alt));
                }
            }
        }
        if found.len() > 1
            && kind != CheckKind::Composite
            && before.check(CheckKind::Composite).is_some()
        {
            let narrowed: Vec<(Pos, u8)> = found
                .iter()
                .copied()
                .filter(|&c| {
                    Self::passes(&self.build(&self.with(&trial, &[c])), CheckKind::Composite)
                })
                .collect();
            if narrowed.len() == 1 {
                found = narrowed;
            }
        }
        match found.as_slice() {
            [one] => {
                forced.push(*one);
                self.accept(&forced, kind);
            }
            [] => {
                let at = before.check(kind).map(|c| c.at);
                self.notes.push(Finding {
                    kind: FindingKind::RepairNotFound { check: kind },
                    span: at,
                });
            }
            many => {
                let candidates = many
                    .iter()
                    .map(|&((l, c), to)| {
                        let from = self.work.char_at(l, c).unwrap_or('?');
                        (l, c, from, char::from(to))
                    })
                    .collect();
                let at = before.check(kind).map(|c| c.at);
                let kind = FindingKind::RepairAmbiguous {
                    check: kind,
                    candidates,
                };
                self.notes.push(Finding { kind, span: at });
            }
        }
    }

    fn accept(&mut self, changes: &[(Pos, u8)], kind: CheckKind) {
        for &((line, column), to) in changes {
            let from = self.work.char_at(line, column).unwrap_or('?');
            if self.work.set(line, column, to) {
                let to = char::from(to);
                self.repairs.push(Repair {
                    line,
                    column,
                    from,
                    to,
                    confirmed_by: kind,
                });
            }
        }
    }

    /// Likely misreadings in fields no check digit covers: reported, never changed.
    fn uncovered_suggestions(&mut self, m: &Mrz) {
        for field in m.fields() {
            if matches!(field.kind, FieldKind::IssueMonth | FieldKind::LanguageCode) {
                continue;
            }
            for col in field.span.start..field.span.end {
                let line = field.span.line;
                if m.checks().iter().any(|c| c.covers.contains(line, col)) {
                    continue;
                }
                let Some(c) = m.text().byte_at(line, col) else {
                    continue;
                };
                if field.class.allows(c) {
                    continue;
                }
                if let Some(&to) = alternatives(c, field.class).first() {
                    let from = m.text().char_at(line, col).unwrap_or('?');
                    let kind = FindingKind::RepairUnconfirmed {
                        field: field.kind,
                        from,
                        to: char::from(to),
                    };
                    self.notes.push(Finding::at(kind, Span::at(line, col)));
                }
            }
        }
    }

    /// Characters under a passing check digit whose look-alike has the same check-digit value,
    /// in fields that admit both. A filler is not reported as a possible `K`: only a `K` as a
    /// possible filler. Repaired characters are accounted for by their own findings.
    fn blind_spots(&mut self, m: &Mrz) {
        let mut seen: Vec<Pos> = self.repairs.iter().map(|r| (r.line, r.column)).collect();
        for check in m.checks().iter().filter(|c| c.status == CheckStatus::Pass) {
            for ((line, col), class) in covered_positions(m, check.kind) {
                if seen.contains(&(line, col)) {
                    continue;
                }
                let Some(c) = m.text().byte_at(line, col) else {
                    continue;
                };
                let alternative = confusable_with(c, class)
                    .find(|&alt| c != FILLER && is_check_digit_blind(c, alt));
                if let Some(alt) = alternative {
                    seen.push((line, col));
                    let kind = FindingKind::CheckDigitBlindSpot {
                        check: check.kind,
                        ch: char::from(c),
                        alternative: char::from(alt),
                    };
                    self.notes.push(Finding::at(kind, Span::at(line, col)));
                }
            }
        }
    }
}
