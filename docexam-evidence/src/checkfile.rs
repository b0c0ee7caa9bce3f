//! `b3sum`-compatible check lines: `<64 hex>  <path>`, with a leading `\` and escaped `\`,
//! newline and carriage return when the path holds any of them — so labs can cross-check
//! docexam's hashes with the standard tool and back.

use std::path::{Path, PathBuf};

use super::hash::EvidenceHash;

/// The line `b3sum` prints for `path` (without the newline).
pub fn format_line(hash: &EvidenceHash, path: &Path) -> String {
    let shown = path.to_string_lossy();
    if shown.contains(['\\', '\n', '\r']) {
        let escaped = shown
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{hash}  {escaped}")
    } else {
        format!("{hash}  {shown}")
    }
}

/// Reads a check line back into the expected hash and the path.
pub fn parse_line(line: &str) -> Result<(EvidenceHash, PathBuf), String> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (escaped, rest) = match line.strip_prefix('\\') {
        Some(r) => (true, r),
        None => (false, line),
    };
    let (hex, path) = rest
        .split_once("  ")
        .ok_or_else(|| format!("not a check line: {line:?}"))?;
    if hex.len() != 64 || hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("not a lowercase blake3 hash: {hex:?}"));
    }
    let hash: EvidenceHash = hex
        .parse()
        .map_err(|e: super::hash::ParseHashError| e.to_string())?;
    if path.contains('\0') {
        return Err("a NUL character in the path".into());
    }
    let path = if escaped {
        unescape(path)?
    } else {
        path.to_owned()
    };
    Ok((hash, PathBuf::from(path)))
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            _ => return Err("invalid backslash escape in the path".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_with_escapes() {
        let h = EvidenceHash::of_bytes(b"abc");
        for name in ["scan 1.png", "a\\b.png", "two\nlines.png", "cr\r.png"] {
            let line = format_line(&h, Path::new(name));
            assert_eq!(
                line.starts_with('\\'),
                name.contains(['\\', '\n', '\r']),
                "{line}"
            );
            assert!(!line.contains('\n'));
            assert_eq!(parse_line(&line).unwrap(), (h, PathBuf::from(name)));
        }
        assert!(parse_line("abc  x").is_err());
        assert!(parse_line(&format!("{}  x", h.to_hex().to_uppercase())).is_err());
    }
}
