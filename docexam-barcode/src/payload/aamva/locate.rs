//! Finding each subfile the directory lists: at its stated offset, or where its content
//! really stands when the directory lies (offsets off by a few bytes, offsets that are not
//! numbers, a directory shorter than it claims, a subfile whose type prefix is missing).

use super::{Designator, elements};
use crate::payload::Payload;
use docexam_base::severity::Severity;

/// Where a subfile stands: its start and where its elements begin (after the type prefix,
/// or at the start when the prefix is missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Located {
    pub start: usize,
    pub body: usize,
}

/// Whether a data element of a subfile of `kind` begins at `at`: a known element id of the
/// version for a DL or ID subfile, an id that begins with `Z` for a jurisdiction subfile.
fn element_at(b: &[u8], at: usize, kind: &str, version: u8) -> bool {
    let Some(id) = b.get(at..at + 3) else {
        return false;
    };
    if !id.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    if kind.starts_with('Z') {
        return id.first() == Some(&b'Z');
    }
    std::str::from_utf8(id).is_ok_and(|id| elements::lookup(id, version).is_some())
}

/// Finds every subfile of the directory. `header_end` is where the directory ends as its
/// entry count says.
pub(super) fn subfiles(
    p: &mut Payload,
    b: &[u8],
    dirs: &[Designator],
    header_end: usize,
    version: u8,
) -> Vec<Option<Located>> {
    let mut out = Vec::new();
    let mut search_from = dirs.first().map_or(header_end, |d| d.at + 2);
    for d in dirs {
        let kind = d.kind.as_str();
        let typed = |o: usize| b.get(o..o + 2) == Some(kind.as_bytes());
        if let Some(o) = d.offset.filter(|&o| typed(o)) {
            if let Some(len) = d.length
                && o + len > b.len()
            {
                p.finding(
                    "aamva.length_mismatch",
                    Severity::Warning,
                    Some(d.at + 6),
                    format!(
                        "the {kind} subfile's stated length {len} runs past the end of the data ({} bytes)",
                        b.len()
                    ),
                );
            }
            search_from = search_from.max(o + 2);
            out.push(Some(Located {
                start: o,
                body: o + 2,
            }));
            continue;
        }
        let said = d.offset.map_or_else(
            || {
                format!(
                    "{:?} (not a number)",
                    String::from_utf8_lossy(
                        b.get(d.at + 2..(d.at + 6).min(b.len())).unwrap_or_default()
                    )
                )
            },
            |o| o.to_string(),
        );
        // The type followed by one of its elements, after the directory entry that names it.
        let from = search_from.max(d.at + 2);
        let found = (from..b.len().saturating_sub(4))
            .find(|&i| typed(i) && element_at(b, i + 2, kind, version));
        if let Some(f) = found {
            p.finding(
                "aamva.offset_mismatch",
                Severity::Warning,
                Some(d.at + 2),
                format!(
                    "the directory puts the {kind} subfile at offset {said}, but it starts at {f}"
                ),
            );
            search_from = f + 2;
            out.push(Some(Located {
                start: f,
                body: f + 2,
            }));
            continue;
        }
        // Some issuers write the first subfile's elements without its type: they begin at
        // the stated offset or right after the directory.
        let untyped = (kind == "DL" || kind == "ID") && out.iter().all(Option::is_none);
        let bare = [d.offset, Some(header_end)]
            .into_iter()
            .flatten()
            .find(|&o| element_at(b, o, kind, version));
        match bare.filter(|_| untyped) {
            Some(o) => {
                p.finding(
                    "aamva.subfile_prefix",
                    Severity::Warning,
                    Some(o),
                    format!(
                        "the {kind} subfile has no type prefix {kind:?}: its elements begin at offset {o} (the directory says {said})"
                    ),
                );
                search_from = o + 3;
                out.push(Some(Located { start: o, body: o }));
            }
            None => {
                p.finding(
                    "aamva.missing_subfile",
                    Severity::Error,
                    Some(d.at),
                    format!(
                        "the directory lists a {kind} subfile at offset {said}, but there is none"
                    ),
                );
                out.push(None);
            }
        }
    }
    out
}
