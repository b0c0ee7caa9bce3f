//! Base45 (RFC 9285), the QR-friendly encoding of EU DCC payloads.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Decodes Base45 text; `None` at a character outside the alphabet, a value over 65535, or a
/// dangling single character.
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32);
    let mut out = Vec::with_capacity(text.len() * 2 / 3);
    for chunk in text.chunks(3) {
        match *chunk {
            [a, b, c] => {
                let n = value(a)? + value(b)? * 45 + value(c)? * 2025;
                let n = u16::try_from(n).ok()?;
                out.extend(n.to_be_bytes());
            }
            [a, b] => out.push(u8::try_from(value(a)? + value(b)? * 45).ok()?),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc_9285_examples() {
        assert_eq!(super::decode(b"BB8").unwrap(), b"AB");
        assert_eq!(super::decode(b"%69 VD92EX0").unwrap(), b"Hello!!");
        assert_eq!(super::decode(b"UJCLQE7W581").unwrap(), b"base-45");
        assert!(super::decode(b"GGW").is_none());
        assert!(super::decode(b"A").is_none());
    }
}
