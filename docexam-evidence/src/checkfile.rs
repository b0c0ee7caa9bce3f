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

/// Why a line is not a check line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckLineError {
    /// No hash and path separated by two spaces.
    #[error("not a check line: {line:?}")]
    NotACheckLine {
        /// The line.
        line: String,
    },
    /// The hash is not 64 lowercase hexadecimal digits.
    #[error("not a lowercase blake3 hash: {hex:?}")]
    NotAHash {
        /// What stands where the hash should.
        hex: String,
    },
    /// The path holds a NUL character.
    #[error("a NUL character in the path")]
    NulInPath,
    /// An escaped path with a backslash that is not `\\`, `\n` or `\r`.
    #[error("invalid backslash escape in the path")]
    BadEscape,
}

/// Reads a check line back into the expected hash and the path.
pub fn parse_line(line: &str) -> Result<(EvidenceHash, PathBuf), CheckLineError> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (escaped, rest) = match line.strip_prefix('\\') {
        Some(r) => (true, r),
        None => (false, line),
    };
    let (hex, path) = rest
        .split_once("  ")
        .ok_or_else(|| CheckLineError::NotACheckLine {
            line: line.to_owned(),
        })?;
    let not_a_hash = || CheckLineError::NotAHash {
        hex: hex.to_owned(),
    };
    if hex.len() != 64 || hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(not_a_hash());
    }
    let hash: EvidenceHash = hex.parse().map_err(|_| not_a_hash())?;
    if path.contains('\0') {
        return Err(CheckLineError::NulInPath);
    }
    let path = if escaped {
        unescape(path)?
    } else {
        path.to_owned()
    };
    Ok((hash, PathBuf::from(path)))
}

fn unescape(s: &str) -> Result<String, CheckLineError> {
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
            _ => return Err(CheckLineError::BadEscape),
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
        assert!(matches!(
            parse_line("abc  x"),
            Err(CheckLineError::NotAHash { .. })
        ));
        assert!(matches!(
            parse_line(&format!("{}  x", h.to_hex().to_uppercase())),
            Err(CheckLineError::NotAHash { .. })
        ));
        assert_eq!(
            parse_line("no separator"),
            Err(CheckLineError::NotACheckLine {
                line: "no separator".into()
            })
        );
        assert_eq!(
            parse_line(&format!("\\{}  a\\qb", h.to_hex())),
            Err(CheckLineError::BadEscape)
        );
    }
}
