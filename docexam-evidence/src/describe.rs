//! Audit-log entries in words, for listings (`docexam case log`, the workstation's case panel).

use super::audit::Action;

fn join_ids(ids: &[u32]) -> String {
    ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// `text` with every control character (line breaks, tabs, terminal escapes) written as a
/// visible escape: file names and examiner names come from outside, and one with a newline
/// must not forge a second entry in a listing, nor an escape sequence repaint the terminal.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl Action {
    /// What the action did, in one line (control characters in names escaped: [`one_line`]).
    pub fn describe(&self) -> String {
        one_line(&self.describe_raw())
    }

    fn describe_raw(&self) -> String {
        match self {
            Action::Init { case_id, examiner } => format!("created case {case_id} for {examiner}"),
            Action::Add { item } => {
                let page = item.page.map(|p| format!(" page {p}")).unwrap_or_default();
                format!(
                    "item {}: {}{page} ({} {} {}, {}x{}) blake3 {}",
                    item.id,
                    item.source,
                    item.document,
                    item.side.name(),
                    item.light.name(),
                    item.width,
                    item.height,
                    item.original
                )
            }
            Action::Sign { entries, key } => {
                format!("signed the first {entries} entries with key {key}")
            }
            Action::Export {
                archive,
                archive_hash,
            } => format!("exported to {archive} (blake3 {archive_hash})"),
            Action::Discard { bytes, hash } => format!(
                "moved {bytes} bytes an interrupted write left after the log's head to \
                 discarded/{hash}"
            ),
            Action::Import {
                archive,
                archive_hash,
            } => format!("imported from {archive} (blake3 {archive_hash})"),
            Action::Examine(x) => format!(
                "examined {} (items {}): {}{} — report blake3 {}{}",
                x.document,
                join_ids(&x.items),
                x.result,
                x.specimen
                    .as_deref()
                    .map(|s| format!(" against {s}"))
                    .unwrap_or_default(),
                x.report,
                x.pdf
                    .map(|p| format!(", PDF blake3 {p}"))
                    .unwrap_or_default()
            ),
            Action::Annotate(a) => {
                let region = super::notes::region_text(a.region_px);
                let mm = a
                    .region_mm
                    .map(|[x, y, w, h]| format!(" ({x:.1},{y:.1} {w:.1}x{h:.1} mm)"))
                    .unwrap_or_default();
                let feature = a
                    .feature
                    .as_deref()
                    .map(|f| format!(" [{f}]"))
                    .unwrap_or_default();
                format!(
                    "annotated {} item {}, {region}{mm}{feature}: {}",
                    a.document, a.item, a.note
                )
            }
            Action::Conclude(c) => format!(
                "concluded on {} (items {}): {}{}",
                c.document,
                join_ids(&c.items),
                c.finding.label(),
                if c.note.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", c.note.trim())
                }
            ),
            Action::SetAside(s) => format!(
                "set aside {} ({} bytes, blake3 {}): {}",
                s.source, s.bytes, s.blake3, s.reason
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn control_characters_in_names_cannot_forge_a_line() {
        let forged = "scan.jpg\n42  item 7: passport.jpg blake3 00\u{1b}[2J";
        let shown = one_line(forged);
        assert!(
            !shown.contains('\n') && !shown.contains('\u{1b}'),
            "{shown}"
        );
        assert!(shown.starts_with("scan.jpg\\n42"), "{shown}");
        assert_eq!(one_line("Ærø dok.jpg"), "Ærø dok.jpg");
    }
}
