//! Repairs where no check digit reaches: issuing state and nationality against the code
//! lists, and characters a field's class cannot hold (a digit in a name, a letter in a date of
//! a format without check digits). Each is recorded with the weaker evidence it rests on, so
//! an examiner can tell it from a repair check digits confirm.

use super::{Pos, Repairer, alternatives, combinations};
use crate::charset::{CharClass, confusable_with};
use crate::codes::listed;
use crate::field::{Field, FieldKind};
use crate::finding::{Finding, FindingKind};
use crate::record::{Mrz, Repair, RepairEvidence};
use crate::span::Span;
use crate::text::MrzText;

/// Letters an OCR reads for one another in OCR-B, used only against a code list (a code that
/// is on no list, and one letter changed makes it one that is).
const LETTER_PAIRS: &[(u8, u8)] = &[
    (b'E', b'F'),
    (b'P', b'R'),
    (b'B', b'R'),
    (b'M', b'N'),
    (b'H', b'N'),
    (b'C', b'G'),
    (b'O', b'Q'),
    (b'O', b'D'),
    (b'U', b'V'),
    (b'I', b'L'),
];

fn covered(m: &Mrz, line: u8, col: u8) -> bool {
    m.checks().iter().any(|c| c.covers.contains(line, col))
}

/// The letters OCR-B confuses a letter with, for the code lists alone.
fn letter_pairs(c: u8) -> impl Iterator<Item = u8> {
    LETTER_PAIRS.iter().filter_map(move |&(a, b)| {
        if a == c {
            Some(b)
        } else if b == c {
            Some(a)
        } else {
            None
        }
    })
}

impl Repairer {
    /// Repairs outside check digits, on the text as check-digit repair left it.
    pub(super) fn uncovered_repairs(&mut self) {
        let m = self.build(&self.work);
        let fields: Vec<Field> = m.fields().collect();
        let russian = self.work.line(0).get(2..5) == Some(b"RUS".as_slice());
        for f in &fields {
            if matches!(f.kind, FieldKind::IssueMonth | FieldKind::LanguageCode) {
                continue;
            }
            if (f.span.start..f.span.end).any(|col| covered(&m, f.span.line, col)) {
                continue;
            }
            match f.kind {
                FieldKind::IssuingState | FieldKind::Nationality => {
                    self.code_repair(f, &fields);
                }
                // Russian documents write some Cyrillic letters as digits in the name
                // (Ч 3, Ю 7, Я 8, Ь 9): they are no misreading.
                FieldKind::Surname | FieldKind::GivenNames | FieldKind::Name if russian => {}
                _ => self.class_repair(f),
            }
        }
    }

    /// A state code on no list: the one listed code that the look-alikes of its characters
    /// give (every digit replaced, at most one letter changed); where several do, the one the
    /// other state field holds.
    fn code_repair(&mut self, f: &Field, fields: &[Field]) {
        let line = f.span.line;
        let cols: Vec<u8> = (f.span.start..f.span.end).collect();
        let read: Vec<u8> = cols
            .iter()
            .filter_map(|&c| self.work.byte_at(line, c))
            .collect();
        let Ok(code) = <[u8; 3]>::try_from(read.as_slice()) else {
            return;
        };
        let other = fields
            .iter()
            .find(|g| {
                g.kind != f.kind
                    && matches!(g.kind, FieldKind::IssuingState | FieldKind::Nationality)
            })
            .and_then(|g| {
                let v: Vec<u8> = (g.span.start..g.span.end)
                    .filter_map(|c| self.work.byte_at(g.span.line, c))
                    .collect();
                <[u8; 3]>::try_from(v.as_slice()).ok()
            });
        // Both state fields alike vouch for each other: a state no list knows is left as
        // printed (a digit, which no code holds, still changes).
        let vouched = other == Some(code) && !code.iter().any(u8::is_ascii_digit);
        if listed(code) || vouched {
            return;
        }
        // Digits must change (to their look-alike letters, or what the OCR saw besides); one
        // letter may change besides.
        let at = |i: usize| (line, cols.get(i).copied().unwrap_or_default());
        let digits: Vec<(Pos, Vec<u8>)> = (0..3)
            .zip(code)
            .filter(|(_, c)| c.is_ascii_digit())
            .map(|(i, c)| (at(i), self.alternatives_at(at(i), c, CharClass::Alpha)))
            .collect();
        let mut found: Vec<[u8; 3]> = Vec::new();
        for changes in combinations(&digits) {
            let mut base = code;
            for ((_, col), to) in changes {
                if let Some(i) = cols.iter().position(|&c| c == col)
                    && let Some(slot) = base.get_mut(i)
                {
                    *slot = to;
                }
            }
            let mut candidates = vec![base];
            for (i, &read) in code.iter().enumerate().filter(|(_, c)| !c.is_ascii_digit()) {
                let letters = self
                    .alternatives_at(at(i), read, CharClass::Alpha)
                    .into_iter()
                    .chain(letter_pairs(read));
                for alt in letters {
                    let mut v = base;
                    if let Some(slot) = v.get_mut(i) {
                        *slot = alt;
                    }
                    candidates.push(v);
                }
            }
            for c in candidates {
                if listed(c) && !found.contains(&c) {
                    found.push(c);
                }
            }
        }
        let chosen = match found.as_slice() {
            [one] => Some(*one),
            many => other.filter(|o| many.contains(o)),
        };
        match chosen {
            Some(to) => {
                let changes: Vec<(Pos, u8)> = cols
                    .iter()
                    .zip(code.iter().zip(to))
                    .filter(|(_, (a, b))| *a != b)
                    .map(|(&col, (_, b))| ((line, col), b))
                    .collect();
                self.accept_weak(&changes, RepairEvidence::CodeList);
            }
            None => {
                let shown: Vec<String> = found
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                self.notes.push(Finding::at(
                    FindingKind::RepairCodeUnresolved {
                        field: f.kind,
                        read: String::from_utf8_lossy(&code).into_owned(),
                        candidates: shown,
                    },
                    Span::new(line, f.span.start, f.span.end),
                ));
            }
        }
    }

    /// Characters the field's class cannot hold, each replaced by its first look-alike the
    /// class admits (`5` in a name is `S`, `0` is `O`).
    fn class_repair(&mut self, f: &Field) {
        let line = f.span.line;
        let mut changes = Vec::new();
        for col in f.span.start..f.span.end {
            let Some(c) = self.work.byte_at(line, col) else {
                continue;
            };
            if f.class.allows(c) {
                continue;
            }
            if let Some(&to) = alternatives(c, f.class).first() {
                changes.push(((line, col), to));
            }
        }
        self.accept_weak(&changes, RepairEvidence::FieldClass);
    }

    /// Records changes that no check digit confirms, with their evidence.
    pub(super) fn accept_weak(&mut self, changes: &[(Pos, u8)], evidence: RepairEvidence) {
        self.record(changes, None, None, evidence);
    }
}

/// Letters a document code begins with: ICAO's A, C, I (cards), P (passports), V (visas),
/// and D, which national driving licences use.
const DOCUMENT_LETTERS: &[u8] = b"ACIPVD";

/// A document code whose first character was read as a digit: the one look-alike letter a
/// document code may begin with, decided before the format is (`1DFRA…` is a French
/// identity card, not a TD2 document). The text with the letter, and the repair.
pub(super) fn document_code(text: MrzText) -> (MrzText, Option<Repair>) {
    let Some(c) = text.byte_at(0, 0).filter(u8::is_ascii_digit) else {
        return (text, None);
    };
    let letters: Vec<u8> = confusable_with(c, CharClass::Alpha)
        .filter(|l| DOCUMENT_LETTERS.contains(l))
        .collect();
    let [to] = letters.as_slice() else {
        return (text, None);
    };
    let mut t = text;
    if !t.set(0, 0, *to) {
        return (t, None);
    }
    let repair = Repair {
        line: 0,
        column: 0,
        from: char::from(c),
        to: char::from(*to),
        confirmed_by: None,
        also_confirmed_by: None,
        evidence: RepairEvidence::CodeList,
    };
    (t, Some(repair))
}
