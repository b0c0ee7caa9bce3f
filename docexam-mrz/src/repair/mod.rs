//! OCR repair: substitutions of look-alike characters, applied only when check digits confirm
//! them.
//!
//! Repair is a separate, opt-in step for text that came from OCR. For each check digit in
//! layout order, it looks at the characters the digit covers, in three kinds:
//!
//! - *impossible* characters, which the field cannot hold (a letter in a date or a check-digit
//!   position, a digit in a name, a lowercase letter): they must change, to one of their
//!   look-alikes the field admits;
//! - *possible* characters with look-alikes the field also admits (`O` and `0` in a document
//!   number): changing them is a guess;
//! - the rest, which repair never touches.
//!
//! When the check digit fails as read, repair tries every way to replace the impossible
//! characters, alone and together with one guess. It keeps a reading only when it is the only
//! one that makes the check digit pass without breaking a check that passed:
//!
//! - replacing impossible characters needs that one check digit;
//! - a guess needs a second check digit over the same character (the composite) that failed
//!   as read and passes after; without one (visas have no composite), the candidate is reported
//!   and nothing changes.
//!
//! When the check digit passes as read although it covers impossible characters, it cannot
//! confirm any replacement (`BB0911` and `880911` share a check digit): nothing changes, and
//! the finding says why. Characters no check digit covers (names on ICAO formats, issuing state,
//! nationality) never change; a likely misreading there is reported. Look-alike pairs with the
//! same check-digit value (G/6, L/1, K/<) are blind spots: wherever such a character sits under
//! a check digit in a field that admits both, repair reports it instead of hiding it.

use super::charset::{CharClass, FILLER, confusable_with, is_check_digit_blind};
use super::check::{CheckKind, CheckStatus};
use super::dates::MrzDate;
use super::field::FieldKind;
use super::finding::{self, Finding, FindingKind};
use super::format::MrzFormat;
use super::record::{Mrz, Repair, RepairEvidence};
use super::span::Span;
use super::text::MrzText;
use super::validate;
use docexam_base::date::CivilDate;

mod uncovered;

/// A position in the text, 0-based.
pub(crate) type Pos = (u8, u8);

/// A set of replacements.
type Changes = Vec<(Pos, u8)>;

/// Most combinations of replacements for impossible characters tried under one check digit.
const MAX_COMBINATIONS: usize = 64;

/// Most combinations for which a further guess is tried as well (each guess multiplies the
/// work by the number of look-alike positions); bounds repair on hostile input.
const MAX_COMBINATIONS_WITH_GUESS: usize = 8;

/// Reads `text`, repairs what check digits confirm, and returns the record of the repaired
/// text with its repairs and repair findings.
pub(crate) fn repair(text: MrzText, as_of: CivilDate) -> Mrz {
    repair_with(text, as_of, &[])
}

/// Like [`repair`], with the alternatives an OCR engine saw for some positions: for those
/// positions they are tried (first) beside the look-alikes. The rules do not change: an
/// alternative the field admits is a guess and needs a second check digit.
pub(crate) fn repair_with(text: MrzText, as_of: CivilDate, ocr: &[(Pos, Vec<u8>)]) -> Mrz {
    let shape_ok = |m: &Mrz| {
        m.format != MrzFormat::Unknown
            && !m
                .findings
                .iter()
                .any(|f| matches!(f.kind, FindingKind::LineLength { .. }))
    };
    // The document code decides the format, so its first letter is settled first.
    let (fixed, first) = uncovered::document_code(text.clone());
    let (text, first, original) = match first {
        Some(rep) => {
            let m = validate::build(fixed.clone(), as_of);
            if shape_ok(&m) {
                (fixed, Some(rep), m)
            } else {
                (text.clone(), None, validate::build(text, as_of))
            }
        }
        None => (text.clone(), None, validate::build(text, as_of)),
    };
    if !shape_ok(&original) {
        let mut m = original;
        m.findings
            .insert(0, Finding::whole(FindingKind::RepairNotAttempted));
        return m;
    }
    let mut r = Repairer {
        as_of,
        format: original.format,
        work: text,
        repairs: first.into_iter().collect(),
        notes: Vec::new(),
        reported: Vec::new(),
        ocr: ocr.to_vec(),
    };
    for kind in original.checks.iter().map(|c| c.kind) {
        r.repair_check(kind);
    }
    r.uncovered_repairs();
    let mut result = r.build(&r.work);
    r.blind_spots(&result);
    for rep in &r.repairs {
        let kind = FindingKind::Repaired {
            from: rep.from,
            to: rep.to,
            basis: rep.basis(),
        };
        r.notes
            .push(Finding::at(kind, Span::at(rep.line, rep.column)));
    }
    r.repairs.sort_by_key(|x| (x.line, x.column));
    result.repairs = r.repairs;
    result.findings.append(&mut r.notes);
    finding::sort(&mut result.findings);
    result
}

struct Repairer {
    as_of: CivilDate,
    /// The format read before repair; candidates are judged in it, never re-detected.
    format: MrzFormat,
    work: MrzText,
    repairs: Vec<Repair>,
    notes: Vec<Finding>,
    /// Positions already explained by a finding (each reported once).
    reported: Vec<Pos>,
    /// Alternatives an OCR engine saw, by position.
    ocr: Vec<(Pos, Vec<u8>)>,
}

/// Alternatives for `c` that `class` admits: for a lowercase letter its uppercase when the
/// class admits letters (else the uppercase's look-alikes), otherwise the look-alikes.
fn alternatives(c: u8, class: CharClass) -> Vec<u8> {
    let upper = c.to_ascii_uppercase();
    if upper != c && class.allows(upper) {
        return vec![upper];
    }
    confusable_with(upper, class).collect()
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

/// The class of the narrowest field holding a position (check-digit positions are numeric):
/// the issue year and month inside a French card number are digits although the number
/// around them admits letters.
pub(crate) fn class_at(m: &Mrz, line: u8, col: u8) -> CharClass {
    if m.checks()
        .iter()
        .any(|c| c.at.line == line && c.at.start == col)
    {
        return CharClass::Numeric;
    }
    m.fields()
        .filter(|f| f.kind != FieldKind::LanguageCode)
        .filter(|f| f.span.line == line && f.span.start <= col && col < f.span.end)
        .min_by_key(|f| f.span.len())
        .map_or(CharClass::AlphaNumeric, |f| f.class)
}

/// Every combination of one alternative per impossible character (at most
/// [`MAX_COMBINATIONS`]).
fn combinations(impossible: &[(Pos, Vec<u8>)]) -> Vec<Changes> {
    let mut out: Vec<Changes> = vec![Vec::new()];
    for (pos, alts) in impossible {
        let mut next = Vec::new();
        for base in &out {
            for &alt in alts {
                let mut c = base.clone();
                c.push((*pos, alt));
                next.push(c);
            }
        }
        next.truncate(MAX_COMBINATIONS);
        out = next;
    }
    out
}

fn passes(m: &Mrz, kind: CheckKind) -> bool {
    m.check(kind).is_some_and(|c| c.status != CheckStatus::Fail)
}

/// Whether `candidate` passes `kind`, keeps every check that passed in `before`, and makes
/// every date it changes a date (a check digit can pass over month 35).
fn acceptable(before: &Mrz, candidate: &Mrz, kind: CheckKind) -> bool {
    passes(candidate, kind)
        && before
            .checks()
            .iter()
            .filter(|c| c.status != CheckStatus::Fail)
            .all(|c| passes(candidate, c.kind))
        && [FieldKind::BirthDate, FieldKind::ExpiryDate]
            .into_iter()
            .all(|kind| date_stays_plausible(before, candidate, kind))
}

/// A date field the candidate changes must be a date (or a pattern of unknown parts).
fn date_stays_plausible(before: &Mrz, candidate: &Mrz, kind: FieldKind) -> bool {
    let Some(f) = candidate.field(kind) else {
        return true;
    };
    let chars = |m: &Mrz| {
        m.text()
            .line(usize::from(f.span.line))
            .get(usize::from(f.span.start)..usize::from(f.span.end))
            .map(<[u8]>::to_vec)
    };
    let value = match kind {
        FieldKind::BirthDate => candidate.birth_date(),
        _ => candidate.expiry_date(),
    };
    chars(before) == chars(candidate) || value != MrzDate::Invalid
}

/// A reading that satisfies the check: the replacements of impossible characters, and at most
/// one guess.
struct Candidate {
    changes: Changes,
    guess: Option<(Pos, u8)>,
    record: Mrz,
}

impl Repairer {
    /// The OCR's alternatives the class admits, then the look-alikes, without repeats.
    fn alternatives_at(&self, pos: Pos, c: u8, class: CharClass) -> Vec<u8> {
        let mut out: Vec<u8> = self
            .ocr
            .iter()
            .filter(|(p, _)| *p == pos)
            .flat_map(|(_, alts)| alts.iter().copied())
            .filter(|&a| a != c && class.allows(a))
            .collect();
        for a in alternatives(c, class) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }

    fn build(&self, text: &MrzText) -> Mrz {
        validate::build_as(text.clone(), self.as_of, Some(self.format))
    }

    fn with(&self, changes: &[(Pos, u8)]) -> MrzText {
        let mut t = self.work.clone();
        for &((line, col), b) in changes {
            t.set(line, col, b);
        }
        t
    }

    fn describe(&self, changes: &[(Pos, u8)]) -> Vec<(u8, u8, char, char)> {
        changes
            .iter()
            .map(|&((l, c), to)| (l, c, self.work.char_at(l, c).unwrap_or('?'), char::from(to)))
            .collect()
    }

    fn note(&mut self, kind: FindingKind, at: Option<Span>, positions: &[Pos]) {
        if positions.iter().all(|p| self.reported.contains(p)) && !positions.is_empty() {
            return;
        }
        self.reported.extend_from_slice(positions);
        self.notes.push(Finding { kind, span: at });
    }

    fn repair_check(&mut self, kind: CheckKind) {
        let before = self.build(&self.work);
        let at = before.check(kind).map(|c| c.at);
        let mut impossible: Vec<(Pos, Vec<u8>)> = Vec::new();
        let mut possible: Vec<(Pos, Vec<u8>)> = Vec::new();
        for (pos, class) in covered_positions(&before, kind) {
            let Some(c) = self.work.byte_at(pos.0, pos.1) else {
                continue;
            };
            let alts = self.alternatives_at(pos, c, class);
            if class.allows(c) {
                if !alts.is_empty() {
                    possible.push((pos, alts));
                }
            } else if !alts.is_empty() {
                impossible.push((pos, alts));
            }
        }
        let impossible_at: Vec<Pos> = impossible.iter().map(|(p, _)| *p).collect();
        if passes(&before, kind) {
            if !impossible.is_empty() {
                self.passing_with_impossible(&before, kind, &impossible, at);
            }
            return;
        }
        let mut replaced: Vec<Candidate> = Vec::new();
        let mut guessed: Vec<Candidate> = Vec::new();
        let combos = combinations(&impossible);
        let with_guess = combos.len() <= MAX_COMBINATIONS_WITH_GUESS;
        for changes in combos {
            let record = self.build(&self.with(&changes));
            if acceptable(&before, &record, kind) {
                replaced.push(Candidate {
                    changes: changes.clone(),
                    guess: None,
                    record,
                });
                continue;
            }
            if !with_guess {
                continue;
            }
            for (pos, alts) in &possible {
                for &alt in alts {
                    let mut all = changes.clone();
                    all.push((*pos, alt));
                    let record = self.build(&self.with(&all));
                    if acceptable(&before, &record, kind) {
                        guessed.push(Candidate {
                            changes: changes.clone(),
                            guess: Some((*pos, alt)),
                            record,
                        });
                    }
                }
            }
        }
        let composite_failed = kind != CheckKind::Composite
            && before
                .check(CheckKind::Composite)
                .is_some_and(|c| c.status == CheckStatus::Fail);
        if !replaced.is_empty() {
            // Impossible characters must change: one check digit may choose between look-alikes,
            // and the composite may narrow several readings down to one.
            if replaced.len() > 1 && composite_failed {
                replaced.retain(|c| passes(&c.record, CheckKind::Composite));
            }
            match replaced.as_slice() {
                [one] => {
                    let also = (composite_failed && passes(&one.record, CheckKind::Composite))
                        .then_some(CheckKind::Composite);
                    let changes = one.changes.clone();
                    self.accept(&changes, kind, also);
                }
                [] => self.note(
                    FindingKind::RepairNotFound { check: kind },
                    at,
                    &impossible_at,
                ),
                many => {
                    let candidates = many
                        .iter()
                        .flat_map(|c| self.describe(&c.changes))
                        .collect();
                    self.note(
                        FindingKind::RepairAmbiguous {
                            check: kind,
                            candidates,
                        },
                        at,
                        &impossible_at,
                    );
                }
            }
            return;
        }
        // Only guesses remain: each needs the composite as a second, independent confirmation.
        let confirmed: Vec<&Candidate> = guessed
            .iter()
            .filter(|c| composite_failed && passes(&c.record, CheckKind::Composite))
            .collect();
        if let [one] = confirmed.as_slice() {
            let mut changes = one.changes.clone();
            changes.extend(one.guess);
            self.accept(&changes, kind, Some(CheckKind::Composite));
            return;
        }
        let shown: Vec<&Candidate> = if confirmed.is_empty() {
            guessed.iter().collect()
        } else {
            confirmed
        };
        let positions: Vec<Pos> = shown
            .iter()
            .filter_map(|c| c.guess.map(|g| g.0))
            .chain(impossible_at)
            .collect();
        let candidates: Vec<(u8, u8, char, char)> = shown
            .iter()
            .flat_map(|c| {
                let mut all = c.changes.clone();
                all.extend(c.guess);
                self.describe(&all)
            })
            .collect();
        let kind = match shown.len() {
            0 => FindingKind::RepairNotFound { check: kind },
            1 => FindingKind::RepairCandidateUnconfirmed {
                check: kind,
                candidates,
            },
            _ => FindingKind::RepairAmbiguous {
                check: kind,
                candidates,
            },
        };
        self.note(kind, at, &positions);
    }

    /// A check digit that passes over characters its field cannot hold: it cannot confirm a
    /// replacement. Report whether the obvious replacement keeps it passing (blind) or breaks a
    /// check (contradicted); change nothing.
    fn passing_with_impossible(
        &mut self,
        before: &Mrz,
        kind: CheckKind,
        impossible: &[(Pos, Vec<u8>)],
        at: Option<Span>,
    ) {
        let positions: Vec<Pos> = impossible.iter().map(|(p, _)| *p).collect();
        let first: Changes = impossible
            .iter()
            .filter_map(|(p, alts)| alts.first().map(|a| (*p, *a)))
            .collect();
        let record = self.build(&self.with(&first));
        let broken = before
            .checks()
            .iter()
            .filter(|c| c.status != CheckStatus::Fail)
            .find(|c| !passes(&record, c.kind))
            .map(|c| c.kind);
        // Digits in a name the check digit passes over either way: a name holds letters, so
        // the look-alike letters are taken, on the field's class alone. Letters in a date or
        // number under a passing check digit are left as read: that is how a forger makes an
        // altered date pass (`BB0911` and `880911` share a check digit).
        let in_names = positions
            .iter()
            .all(|&(l, c)| class_at(before, l, c) == CharClass::Alpha);
        if broken.is_none() && in_names {
            self.accept_weak(&first, RepairEvidence::FieldClass);
            return;
        }
        let finding = match broken {
            Some(by) => FindingKind::RepairContradicted { check: kind, by },
            None => FindingKind::RepairClassOnly {
                check: kind,
                candidates: self.describe(&first),
            },
        };
        self.note(finding, at, &positions);
    }

    fn accept(&mut self, changes: &[(Pos, u8)], kind: CheckKind, also: Option<CheckKind>) {
        let evidence = if also.is_some() {
            RepairEvidence::CheckDigits
        } else {
            RepairEvidence::CheckDigit
        };
        self.record(changes, Some(kind), also, evidence);
    }

    /// Makes the changes and records each with what confirms it.
    fn record(
        &mut self,
        changes: &[(Pos, u8)],
        confirmed_by: Option<CheckKind>,
        also_confirmed_by: Option<CheckKind>,
        evidence: RepairEvidence,
    ) {
        for &((line, column), to) in changes {
            let from = self.work.char_at(line, column).unwrap_or('?');
            if self.work.set(line, column, to) {
                self.reported.push((line, column));
                self.repairs.push(Repair {
                    line,
                    column,
                    from,
                    to: char::from(to),
                    confirmed_by,
                    also_confirmed_by,
                    evidence,
                });
            }
        }
    }

    /// Characters under a passing check digit whose look-alike has the same check-digit value,
    /// in fields that admit both. A filler is not reported as a possible `K`: only a `K` as a
    /// possible filler. Positions other findings explain are skipped.
    fn blind_spots(&mut self, m: &Mrz) {
        let mut seen = self.reported.clone();
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
