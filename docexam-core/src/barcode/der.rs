//! A minimal reader of DER tag-length-value structures, for the few places that need the
//! exact bytes of a structure (the signed part of a certificate, explicit curve parameters,
//! a CSCA master list, an ECDSA signature in DER) rather than a decoded value.
//!
//! Only definite lengths are accepted, and a length never reaches past its parent.

/// One element: its tag byte, its content and the bytes of the whole element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (single-byte tags only; high tag numbers are refused).
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// Tag, length and content, as they stand in the input.
    pub whole: &'a [u8],
}

/// Reads one element from the start of `input`; returns it and what follows.
pub(crate) fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (len, used) = length(rest)?;
    let rest = rest.get(used..)?;
    if rest.len() < len {
        return None;
    }
    let (value, after) = rest.split_at(len);
    let whole_len = input.len() - after.len();
    Some((
        Tlv {
            tag,
            value,
            whole: input.get(..whole_len)?,
        },
        after,
    ))
}

/// Reads a definite length (short form, or `0x81`–`0x84` and that many big-endian bytes) from
/// the start of `b`; returns the length and the bytes it took. ICAO seals use the same form.
pub(crate) fn length(b: &[u8]) -> Option<(usize, usize)> {
    let (&first, rest) = b.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), 1));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let len = rest
        .get(..n)?
        .iter()
        .fold(0usize, |acc, &d| (acc << 8) | usize::from(d));
    Some((len, n + 1))
}

/// Reads one element with the expected tag.
pub(crate) fn expect(input: &[u8], tag: u8) -> Option<(Tlv<'_>, &[u8])> {
    read(input).filter(|(t, _)| t.tag == tag)
}

/// All the elements of a constructed value, in order (`None` if any is malformed).
pub(crate) fn children(mut value: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !value.is_empty() {
        let (t, rest) = read(value)?;
        out.push(t);
        value = rest;
    }
    Some(out)
}

/// SEQUENCE.
pub(crate) const SEQUENCE: u8 = 0x30;
/// SET.
pub(crate) const SET: u8 = 0x31;
/// INTEGER.
pub(crate) const INTEGER: u8 = 0x02;
/// OCTET STRING.
pub(crate) const OCTET_STRING: u8 = 0x04;
/// OBJECT IDENTIFIER.
pub(crate) const OID: u8 = 0x06;

/// The dotted form of an encoded object identifier.
pub(crate) fn oid_string(bytes: &[u8]) -> Option<String> {
    let (&first, rest) = bytes.split_first()?;
    let mut arcs: Vec<u128> = vec![u128::from(first / 40).min(2)];
    arcs.push(u128::from(first) - arcs.first().copied().unwrap_or(0) * 40);
    let mut acc: u128 = 0;
    for &b in rest {
        acc = acc.checked_mul(128)? | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
        }
    }
    if first & 0x80 != 0 || rest.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(
        arcs.iter()
            .map(u128::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_elements_and_refuses_overlong_lengths() {
        let seq = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa];
        let (t, rest) = read(&seq).unwrap();
        assert!(rest.is_empty());
        let kids = children(t.value).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[1].value, [0xaa]);
        assert!(read(&[0x30, 0x07, 0x02, 0x01, 0x05]).is_none());
        assert!(read(&[0x30, 0x85, 1, 0, 0, 0, 0]).is_none());
    }

    #[test]
    fn dotted_oids() {
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]).as_deref(),
            Some("1.2.840.10045.3.1.7")
        );
        assert_eq!(
            oid_string(&[0x2b, 0x81, 0x04, 0x00, 0x22]).as_deref(),
            Some("1.3.132.0.34")
        );
    }
}
