//! The permissions entry `/P` of a PDF's standard security handler, as writers really store it.
//!
//! ISO 32000 makes `/P` a signed 32-bit integer (the permission bits with the high bits set
//! give a negative number, such as -4). Many PDF libraries write the same bits unsigned
//! (4294967292); the `pdf` crate then refuses the whole file ("number too large to fit in
//! target type"), although an empty user password would open it. Before parsing, such a value
//! in the encryption dictionary is rewritten in place as the signed number it denotes, padded
//! with spaces to the same length, so no byte offset in the file moves. The bits, and so the
//! key derived from them, are unchanged.

/// How far around a `/P` entry the markers of a standard encryption dictionary are looked for.
const WINDOW: usize = 512;

/// Rewrites unsigned `/P` values above `i32::MAX` in standard encryption dictionaries as their
/// signed equivalents; returns how many were rewritten.
pub(crate) fn sign_permissions(bytes: &mut [u8]) -> usize {
    if !contains(bytes, b"/Encrypt") {
        return 0;
    }
    let mut rewritten = 0;
    let mut at = 0;
    while let Some(found) = find(bytes.get(at..).unwrap_or_default(), b"/P") {
        let name = at + found;
        at = name + 2;
        // A whole name: `/P` followed by white space, not `/Pages` or `/Prev`.
        let mut i = at;
        while bytes.get(i).is_some_and(|b| b" \t\r\n\x0c\x00".contains(b)) {
            i += 1;
        }
        if i == at {
            continue;
        }
        let digits_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let Some(digits) = bytes
            .get(digits_start..i)
            .filter(|d| !d.is_empty() && d.len() <= 10)
        else {
            continue;
        };
        let Some(value) = std::str::from_utf8(digits)
            .ok()
            .and_then(|t| t.parse::<u64>().ok())
            .filter(|&v| v > i32::MAX as u64 && v <= u64::from(u32::MAX))
        else {
            continue;
        };
        let around = bytes
            .get(name.saturating_sub(WINDOW)..(i + WINDOW).min(bytes.len()))
            .unwrap_or_default();
        if !(contains(around, b"/Standard") && contains(around, b"/Filter")) {
            continue;
        }
        let signed = (value as u32) as i32;
        let text = signed.to_string();
        if text.len() > digits.len() {
            continue;
        }
        if let Some(slot) = bytes.get_mut(digits_start..i) {
            slot.fill(b' ');
            if let Some(head) = slot.get_mut(..text.len()) {
                head.copy_from_slice(text.as_bytes());
            }
            rewritten += 1;
        }
    }
    rewritten
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsigned_permission_value_becomes_the_signed_one_in_place() {
        let mut pdf =
            b"trailer << /Encrypt 4 0 R >> 4 0 obj << /Filter /Standard /P 4294967292 /R 3 >>"
                .to_vec();
        let len = pdf.len();
        assert_eq!(sign_permissions(&mut pdf), 1);
        assert_eq!(pdf.len(), len);
        let text = String::from_utf8(pdf).unwrap_or_default();
        assert!(text.contains("/P -4         /R 3"), "{text}");
    }

    #[test]
    fn other_names_and_plain_files_are_left_alone() {
        let original =
            b"<< /Encrypt 4 0 R >> << /Filter /Standard /Prev 4294967292 /P -4 >> /Pages 3000000000"
                .to_vec();
        let mut pdf = original.clone();
        assert_eq!(sign_permissions(&mut pdf), 0);
        assert_eq!(pdf, original);
        let mut unencrypted = b"<< /Filter /Standard /P 4294967292 >>".to_vec();
        assert_eq!(sign_permissions(&mut unencrypted), 0);
    }
}
