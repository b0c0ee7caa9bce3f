//! Raw OCR output made into MRZ text, as an explicit step: lines that are no MRZ line
//! dropped, spaces and stray marks removed, lower case raised, a line cut to its block's length
//! where trailing characters follow it. Every change is said; nothing is guessed about which
//! character a mark was (that is repair's job, under its own rules).

/// MRZ text cleaned from raw OCR output, and what was done to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcrText {
    /// The MRZ lines, joined by `\n`.
    pub text: String,
    /// Each change, as a sentence.
    pub changes: Vec<String>,
}

/// Line lengths of the MRZ formats (the Swiss licence's first line has 9).
const LENGTHS: [usize; 4] = [30, 36, 44, 9];

/// One line of input, cleaned.
struct Line {
    /// Input line number, 1-based.
    number: usize,
    text: String,
    spaces: usize,
    lowered: usize,
    stray: usize,
    /// Share of the line's non-space characters that are MRZ characters once raised.
    mrz_share: f64,
}

fn clean_line(number: usize, raw: &str) -> Line {
    let mut text = String::new();
    let (mut spaces, mut lowered, mut stray, mut total) = (0, 0, 0, 0);
    for c in raw.chars() {
        if c.is_whitespace() {
            spaces += 1;
            continue;
        }
        total += 1;
        let up = c.to_ascii_uppercase();
        if up.is_ascii_uppercase() || up.is_ascii_digit() || up == '<' {
            if up != c {
                lowered += 1;
            }
            text.push(up);
        } else {
            stray += 1;
        }
    }
    Line {
        number,
        mrz_share: if total == 0 {
            0.0
        } else {
            text.len() as f64 / total as f64
        },
        text,
        spaces,
        lowered,
        stray,
    }
}

/// Whether a cleaned line looks like an MRZ line: mostly MRZ characters as read, and either
/// long enough with fillers or exactly a line's length (a line full of data has no filler).
/// The Swiss licence's short first line qualifies by its fillers.
fn mrz_like(l: &Line) -> bool {
    let n = l.text.len();
    l.mrz_share >= 0.8
        && ((l.text.contains('<') && (n >= 25 || n == 9)) || matches!(n, 30 | 36 | 44))
}

/// Cleans raw OCR output into MRZ text. `None` when no line of it looks like an MRZ line.
pub fn clean_ocr_text(raw: &str) -> Option<OcrText> {
    let lines: Vec<Line> = raw
        .lines()
        .enumerate()
        .map(|(i, l)| clean_line(i + 1, l))
        .collect();
    // The last run of consecutive MRZ-like lines, at most three.
    let mut runs: Vec<Vec<&Line>> = Vec::new();
    let mut current: Vec<&Line> = Vec::new();
    for l in &lines {
        if mrz_like(l) {
            current.push(l);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    let run = runs
        .into_iter()
        .max_by_key(|r| (r.len().min(3), r.last().map(|l| l.number)))?;
    let run: Vec<&Line> = run.iter().rev().take(3).rev().copied().collect();
    let mut changes = Vec::new();
    let dropped = lines
        .iter()
        .filter(|l| !l.text.is_empty())
        .count()
        .saturating_sub(run.len());
    if dropped > 0 {
        changes.push(format!("{dropped} line(s) that are no MRZ line dropped"));
    }
    // The block's length: the longest known length no line of it falls short of by more
    // than two characters.
    let target = |l: &Line| {
        LENGTHS
            .iter()
            .copied()
            .filter(|&n| l.text.len() + 2 >= n)
            .max()
            .unwrap_or(l.text.len())
    };
    let long = run
        .iter()
        .filter(|l| l.text.len() != 9)
        .map(|l| target(l))
        .min();
    let mut out = Vec::new();
    for l in &run {
        let n = l.number;
        if l.spaces > 0 {
            changes.push(format!("line {n}: {} space(s) removed", l.spaces));
        }
        if l.lowered > 0 {
            changes.push(format!(
                "line {n}: {} lower-case letter(s) raised",
                l.lowered
            ));
        }
        if l.stray > 0 {
            changes.push(format!(
                "line {n}: {} character(s) outside the MRZ set removed",
                l.stray
            ));
        }
        let mut text = l.text.clone();
        let want = if text.len() == 9 {
            9
        } else {
            long.unwrap_or(text.len())
        };
        if text.len() > want {
            changes.push(format!(
                "line {n}: {} character(s) after column {want} cut ({:?})",
                text.len() - want,
                text.get(want..).unwrap_or_default()
            ));
            text.truncate(want);
        } else if text.len() < want {
            changes.push(format!(
                "line {n}: {} filler(s) added at the end to make {want} characters",
                want - text.len()
            ));
            text.extend(std::iter::repeat_n('<', want - text.len()));
        }
        out.push(text);
    }
    Some(OcrText {
        text: out.join("\n"),
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_lines_spaces_case_and_trailing_characters_are_removed_and_said() {
        let raw = "\nuseless lines\n  P<POLKOWALSKA < KWIATKOWSKA<<JOANNA<<<<<<<<<<<extrachars \n  AA0000000OP0L6OOzoB4Fi4iz3I4<<<<<<<<<<<<<<<4  \n  asdf  ";
        let t = clean_ocr_text(raw).expect("mrz");
        assert_eq!(
            t.text,
            "P<POLKOWALSKA<KWIATKOWSKA<<JOANNA<<<<<<<<<<<\nAA0000000OP0L6OOZOB4FI4IZ3I4<<<<<<<<<<<<<<<4"
        );
        assert!(
            t.changes.iter().any(|c| c.contains("cut (\"EXTRACHARS\")")),
            "{:?}",
            t.changes
        );
        assert!(
            t.changes
                .contains(&"2 line(s) that are no MRZ line dropped".to_string())
        );
        assert!(clean_ocr_text("nothing here\nat all").is_none());
    }

    #[test]
    fn clean_text_comes_through_unchanged() {
        let mrz = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let t = clean_ocr_text(mrz).expect("mrz");
        assert_eq!(t.text, mrz);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
    }
}
