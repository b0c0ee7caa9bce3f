//! Names: empty fields, empty primary identifiers, odd fillers and possible truncation.

use super::Analysis;
use crate::charset::FILLER;
use crate::field::FieldKind;
use crate::finding::FindingKind;
use crate::layout::Layout;
use crate::names;
use crate::span::Span;

impl Analysis<'_> {
    pub(super) fn names(&mut self, layout: &Layout) {
        if let Some((span, name)) = self.field_bytes(FieldKind::Name) {
            if name.iter().all(|&c| c == FILLER) {
                self.push(FindingKind::NameEmpty, span);
            } else {
                if name.starts_with(&[FILLER, FILLER]) {
                    self.push(FindingKind::NamePrimaryEmpty, span);
                }
                if names::has_odd_fillers(name) {
                    self.push(
                        FindingKind::NameFillers {
                            field: FieldKind::Name,
                        },
                        span,
                    );
                }
            }
        }
        for field in [FieldKind::Name, FieldKind::Surname, FieldKind::GivenNames] {
            let complete = |span: Span| {
                layout
                    .fields
                    .iter()
                    .any(|spec| spec.kind == field && spec.span == span)
            };
            if let Some((span, name)) = self.field_bytes(field)
                && complete(span)
                && name.last().is_some_and(|&c| c != FILLER)
            {
                self.push(FindingKind::NameMayBeTruncated { field }, span);
            }
        }
        if let Some((span, surname)) = self.field_bytes(FieldKind::Surname)
            && surname.iter().all(|&c| c == FILLER)
        {
            self.push(FindingKind::NameEmpty, span);
        }
    }
}
