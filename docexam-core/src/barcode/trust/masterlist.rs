//! CSCA master lists (ICAO Doc 9303 Part 12): a CMS SignedData whose content is
//! `MasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
//!
//! docexam reads the certificates a lab chose to trust; the list's own signature is the
//! publisher's business and is not checked here.

use super::cert::Certificate;
use crate::barcode::der;

const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";

/// The CSCA certificates of a master list, or `None` if `bytes` is not one.
pub(super) fn certificates(bytes: &[u8]) -> Option<Vec<Certificate>> {
    let (info, _) = der::expect(bytes, der::SEQUENCE)?;
    let (oid, rest) = der::expect(info.value, der::OID)?;
    if der::oid_string(oid.value)? != SIGNED_DATA {
        return None;
    }
    let (explicit, _) = der::expect(rest, 0xa0)?;
    let (signed, _) = der::expect(explicit.value, der::SEQUENCE)?;
    let parts = der::children(signed.value)?;
    let encap = parts.get(2).filter(|t| t.tag == der::SEQUENCE)?;
    let (_content_type, rest) = der::expect(encap.value, der::OID)?;
    let (wrapper, _) = der::expect(rest, 0xa0)?;
    let (octets, _) = der::read(wrapper.value)?;
    let content = match octets.tag {
        der::OCTET_STRING => octets.value.to_vec(),
        // Constructed OCTET STRING: the content split into pieces.
        0x24 => der::children(octets.value)?
            .iter()
            .flat_map(|t| t.value.iter().copied())
            .collect(),
        _ => return None,
    };
    let (list, _) = der::expect(&content, der::SEQUENCE)?;
    let (_version, rest) = der::expect(list.value, der::INTEGER)?;
    let (set, _) = der::expect(rest, der::SET)?;
    Some(
        der::children(set.value)?
            .iter()
            .filter_map(|t| Certificate::from_der(t.whole))
            .collect(),
    )
}
