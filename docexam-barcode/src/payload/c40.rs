//! C40 as ICAO seals use it (BSI TR-03137 Annex B): three characters in two bytes, a lone last
//! character as `0xFE` + ASCII + 1.

/// Decodes C40 bytes; `None` at a byte pair that is not C40. Spaces stand for MRZ fillers.
pub(crate) fn decode(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    let mut it = bytes.chunks(2);
    for pair in &mut it {
        match *pair {
            [0xFE, c] => out.push(char::from(c.checked_sub(1)?)),
            [hi, lo] => {
                let v = (u32::from(hi) << 8 | u32::from(lo)).checked_sub(1)?;
                if v >= 64_000 {
                    return None;
                }
                for u in [v / 1600, (v / 40) % 40, v % 40] {
                    match u {
                        0 => {}
                        3 => out.push(' '),
                        4..=13 => out.push(char::from(b'0' + (u - 4) as u8)),
                        14..=39 => out.push(char::from(b'A' + (u - 14) as u8)),
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Encodes text (A–Z, 0–9, space; `<` is written as a space) as C40.
pub(crate) fn encode(text: &str) -> Option<Vec<u8>> {
    let values: Vec<u32> = text
        .bytes()
        .map(|b| match b {
            b' ' | b'<' => Some(3),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 4),
            b'A'..=b'Z' => Some(u32::from(b - b'A') + 14),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut out = Vec::new();
    for chunk in values.chunks(3) {
        if let [single] = chunk {
            // One character left: ASCII mode, the character + 1 (a space for a filler).
            let ascii = match single {
                3 => b' ',
                4..=13 => b'0' + (single - 4) as u8,
                _ => b'A' + (single - 14) as u8,
            };
            out.extend([0xFE, ascii + 1]);
        } else {
            let at = |i: usize| chunk.get(i).copied().unwrap_or(0);
            let v = 1600 * at(0) + 40 * at(1) + at(2) + 1;
            out.extend([(v >> 8) as u8, (v & 0xff) as u8]);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_round_trip() {
        // BSI TR-03137 Annex B.
        for (text, hex) in [
            ("XK CD", "eb0466a9"),
            ("XKCD", "eb11fe45"),
            ("BSI01", "62d719c9"),
            ("D  ", "6abc"),
            ("UTO", "d9c5"),
            ("D", "fe45"),
        ] {
            let bytes = encode(text).unwrap();
            let got: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(got, hex, "{text}");
            assert_eq!(decode(&bytes).unwrap(), text);
        }
        assert!(decode(&[0xff, 0xff]).is_none());
        assert!(decode(&[0x12]).is_none());
    }
}
