//! Field rules: document code, issuing state and nationality, document number, sex, and the
//! rules of the national formats.

use super::Analysis;
use crate::charset::{FILLER, is_mrz_char};
use crate::codes::{self, CodeClass};
use crate::dates::{self, RawDate};
use crate::field::FieldKind;
use crate::finding::{DateProblem, DocumentCodeRule, FindingKind};
use crate::format::MrzFormat;
use crate::names;

impl Analysis<'_> {
    pub(super) fn document_code(&mut self) {
        let Some((span, code)) = self.field_bytes(FieldKind::DocumentCode) else {
            return;
        };
        let first = code.first().copied().unwrap_or(FILLER);
        let second = code.get(1).copied();
        let rule = match self.format {
            MrzFormat::Td3 if first != b'P' => Some(DocumentCodeRule::PassportP),
            MrzFormat::Td1 | MrzFormat::Td2 if !matches!(first, b'I' | b'A' | b'C') => {
                Some(DocumentCodeRule::CardIac)
            }
            MrzFormat::Td1 | MrzFormat::Td2 if second == Some(b'V') => {
                Some(DocumentCodeRule::CardNotV)
            }
            MrzFormat::MrvA | MrzFormat::MrvB if first != b'V' => Some(DocumentCodeRule::VisaV),
            MrzFormat::FraId if code != b"ID" => Some(DocumentCodeRule::National("ID")),
            MrzFormat::SwissDl if code != b"FA" => Some(DocumentCodeRule::National("FA")),
            MrzFormat::FraDl | MrzFormat::Idl if first != b'D' => {
                Some(DocumentCodeRule::National("D"))
            }
            MrzFormat::Td1
            | MrzFormat::Td2
            | MrzFormat::Td3
            | MrzFormat::MrvA
            | MrzFormat::MrvB
                if second.is_some_and(|c| !(c.is_ascii_uppercase() || c == FILLER)) =>
            {
                Some(DocumentCodeRule::SecondCharacter)
            }
            _ => None,
        };
        if let Some(rule) = rule {
            let mut pair = [FILLER; 2];
            for (slot, b) in pair.iter_mut().zip(code) {
                *slot = *b;
            }
            self.push(FindingKind::DocumentCode { code: pair, rule }, span);
        }
    }

    pub(super) fn codes(&mut self) {
        for field in [FieldKind::IssuingState, FieldKind::Nationality] {
            let Some((span, bytes)) = self.field_bytes(field) else {
                continue;
            };
            let Ok(code) = <[u8; 3]>::try_from(bytes) else {
                continue; // a short line: the length finding says why
            };
            if !code.iter().all(|&c| is_mrz_char(c)) {
                continue;
            }
            let info = codes::lookup(code);
            let reportable = match info.class {
                CodeClass::State | CodeClass::Organisation => false,
                CodeClass::NationalityOnly => field == FieldKind::IssuingState,
                _ => true,
            };
            if reportable {
                self.push(FindingKind::Code { field, code, info }, span);
            }
        }
    }

    pub(super) fn document_number(&mut self) {
        let Some((span, number)) = self.field_bytes(FieldKind::DocumentNumber) else {
            return;
        };
        let has_overflow = self.field(FieldKind::DocumentNumberOverflow).is_some();
        let value = names::trim_fillers(number);
        if value.is_empty() && !has_overflow {
            self.push(FindingKind::DocumentNumberEmpty, span);
        } else if number.first() == Some(&FILLER) || value.contains(&FILLER) {
            self.push(FindingKind::DocumentNumberInnerFiller, span);
        }
    }

    pub(super) fn sex(&mut self) {
        let Some((span, &[c])) = self.field_bytes(FieldKind::Sex) else {
            return;
        };
        match c {
            b'M' | b'F' | FILLER => {}
            b'X' => self.push(FindingKind::SexX, span),
            c if c.is_ascii_uppercase() => {
                self.push(FindingKind::SexInvalid { ch: char::from(c) }, span)
            }
            _ => {} // digit or invalid character: already reported
        }
    }

    /// Rules of the national formats beyond their layout.
    pub(super) fn national_rules(&mut self) {
        match self.format {
            MrzFormat::SwissDl => {
                if let Some((span, lang)) = self.field_bytes(FieldKind::LanguageCode)
                    && !matches!(lang, b"D" | b"F" | b"I" | b"R")
                {
                    let kind = FindingKind::ValueNotAllowed {
                        field: FieldKind::LanguageCode,
                        allowed: "D, F, I or R",
                    };
                    self.push(kind, span);
                }
                if let Some((span, state)) = self.field_bytes(FieldKind::IssuingState)
                    && !matches!(state, b"CHE" | b"LIE")
                {
                    let kind = FindingKind::ValueNotAllowed {
                        field: FieldKind::IssuingState,
                        allowed: "CHE or LIE",
                    };
                    self.push(kind, span);
                }
            }
            MrzFormat::FraId => self.issue_month(),
            _ => {}
        }
    }

    /// The French ID card number starts with the year and month of issue.
    pub(super) fn issue_month(&mut self) {
        let Some((span, b)) = self.field_bytes(FieldKind::IssueMonth) else {
            return;
        };
        let (Some(yy), Some(mm)) = (
            dates::two_digits(b.get(0..2)),
            dates::two_digits(b.get(2..4)),
        ) else {
            return; // letters: reported as wrong class
        };
        if !(1..=12).contains(&mm) {
            let kind = FindingKind::DateInvalid {
                field: FieldKind::IssueMonth,
                problem: DateProblem::Month,
            };
            self.push(kind, span);
            return;
        }
        let raw = RawDate::Parts {
            yy,
            month: Some(mm),
            day: None,
            zero_for_unknown: false,
        };
        self.issue_month = dates::resolve_past(raw, self.as_of);
        if let (Some((_, issued_last)), Some((birth_first, _))) =
            (self.issue_month.range(), self.birth.range())
            && issued_last < birth_first
        {
            self.push(
                FindingKind::IssueDateImplausible {
                    field: FieldKind::IssueMonth,
                },
                span,
            );
        }
    }
}
