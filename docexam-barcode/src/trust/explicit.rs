//! Explicit EC domain parameters (`SpecifiedECDomain`, SEC 1 and RFC 3279), as many CSCA and
//! document-signer certificates carry them instead of a curve OID. They are decoded (the `der`
//! crate) and compared exactly with the named curves — prime, coefficients, both coordinates of
//! the base point, order and cofactor — and the named curve is used when all match. Anything
//! else is refused as unsupported without any arithmetic on the numbers it brings, so a
//! certificate cannot make docexam compute on an 8192-bit prime.

use der::asn1::{Any, AnyRef, BitString, Int, ObjectIdentifier, OctetString};
use num_bigint::BigUint;

use super::curves::NamedCurve;
use super::key::EcCurve;
use crate::codec::strip_leading_zeros;

/// Largest field prime looked at, in bytes (P-521's 66); larger ones are refused unread.
const MAX_FIELD_BYTES: usize = 66;

const PRIME_FIELD: &str = "1.2.840.10045.1.1";

/// `SpecifiedECDomain` (SEC 1 C.2), with the optional trailing hash taken as it comes.
#[derive(der::Sequence)]
struct SpecifiedEcDomain {
    #[allow(dead_code)] // decoded so that the structure is read whole; not compared
    version: Int,
    field_id: FieldId,
    curve: Curve,
    base: OctetString,
    order: Int,
    #[asn1(optional = "true")]
    cofactor: Option<Int>,
    #[allow(dead_code)] // decoded so that the structure is read whole; not compared
    #[asn1(optional = "true")]
    hash: Option<Any>,
}

/// `FieldID ::= SEQUENCE { fieldType OBJECT IDENTIFIER, parameters ANY }`.
#[derive(der::Sequence)]
struct FieldId {
    field_type: ObjectIdentifier,
    parameters: Int,
}

/// `Curve ::= SEQUENCE { a FieldElement, b FieldElement, seed BIT STRING OPTIONAL }`.
#[derive(der::Sequence)]
struct Curve {
    a: OctetString,
    b: OctetString,
    #[allow(dead_code)] // decoded so that the structure is read whole; not compared
    #[asn1(optional = "true")]
    seed: Option<BitString>,
}

fn hex_bytes(s: &str) -> Vec<u8> {
    BigUint::parse_bytes(s.as_bytes(), 16)
        .map(|v| v.to_bytes_be())
        .unwrap_or_default()
}

/// The named curve that explicit parameters describe exactly, or why they are refused.
pub(crate) fn named_curve(params: &AnyRef<'_>) -> Result<EcCurve, String> {
    // Refuse oversized parameters before decoding them into numbers.
    if params.value().len() > 16 * MAX_FIELD_BYTES + 256 {
        return Err(format!(
            "explicit EC parameters of {} bytes, more than any supported curve has",
            params.value().len()
        ));
    }
    let d: SpecifiedEcDomain = params
        .decode_as()
        .map_err(|e| format!("explicit EC parameters that are not SpecifiedECDomain ({e})"))?;
    if d.field_id.field_type.to_string() != PRIME_FIELD {
        return Err(format!(
            "explicit EC parameters over field type {}, not a prime field",
            d.field_id.field_type
        ));
    }
    let p = strip_leading_zeros(d.field_id.parameters.as_bytes());
    if p.len() > MAX_FIELD_BYTES {
        return Err(format!(
            "explicit EC parameters with a {}-bit prime, larger than any supported curve",
            p.len() * 8
        ));
    }
    EcCurve::ALL
        .into_iter()
        .find(|c| matches(c.params(), &d, p))
        .ok_or_else(|| {
            "explicit EC parameters that are not exactly those of a supported named curve".into()
        })
}

/// Whether every parameter equals the named curve's: p, a, b, G (both coordinates, or x and
/// the parity of y when G is compressed), n and h (absent or 1).
fn matches(c: &NamedCurve, d: &SpecifiedEcDomain, p: &[u8]) -> bool {
    let (named_p, gx, gy) = (hex_bytes(c.p), hex_bytes(c.gx), hex_bytes(c.gy));
    let field_len = named_p.len();
    let base_ok = match d.base.as_bytes().split_first() {
        Some((0x04, xy)) if xy.len() == 2 * field_len => {
            let (x, y) = xy.split_at(field_len);
            strip_leading_zeros(x) == gx.as_slice() && strip_leading_zeros(y) == gy.as_slice()
        }
        Some((&form @ (0x02 | 0x03), x)) if x.len() == field_len => {
            let odd = gy.last().is_some_and(|b| b & 1 == 1);
            strip_leading_zeros(x) == gx.as_slice() && (form == 0x03) == odd
        }
        _ => false,
    };
    let cofactor_ok = d
        .cofactor
        .as_ref()
        .is_none_or(|h| strip_leading_zeros(h.as_bytes()) == [1]);
    p == named_p.as_slice()
        && strip_leading_zeros(d.curve.a.as_bytes()) == hex_bytes(c.a).as_slice()
        && strip_leading_zeros(d.curve.b.as_bytes()) == hex_bytes(c.b).as_slice()
        && base_ok
        && strip_leading_zeros(d.order.as_bytes()) == hex_bytes(c.n).as_slice()
        && cofactor_ok
}

#[cfg(test)]
mod tests {
    use der::Encode;
    use der::asn1::{AnyRef, BitStringRef, Int, ObjectIdentifier, OctetString};
    use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

    use super::*;
    use crate::trust::PublicKey;

    /// A positive INTEGER, with the leading zero DER wants when the top bit is set.
    fn int(b: &[u8]) -> Int {
        let mut v = Vec::new();
        if b.first().is_some_and(|&x| x & 0x80 != 0) {
            v.push(0);
        }
        v.extend_from_slice(b);
        Int::new(&v).expect("an integer")
    }

    /// A SubjectPublicKeyInfo with explicit parameters built from `c`, `p` replaced if given.
    fn spki(c: &NamedCurve, p: Option<Vec<u8>>, gy_flip: bool) -> Vec<u8> {
        let mut gy = hex_bytes(c.gy);
        if gy_flip && let Some(last) = gy.last_mut() {
            *last ^= 1;
        }
        // SEC 1: each coordinate padded to the field's length.
        let len = hex_bytes(c.p).len();
        let pad = |v: Vec<u8>| [vec![0; len - v.len()], v].concat();
        let mut base = vec![4];
        base.extend(pad(hex_bytes(c.gx)));
        base.extend(pad(gy));
        let domain = SpecifiedEcDomain {
            version: int(&[1]),
            field_id: FieldId {
                field_type: ObjectIdentifier::new_unwrap(PRIME_FIELD),
                parameters: int(&p.unwrap_or_else(|| hex_bytes(c.p))),
            },
            curve: Curve {
                a: OctetString::new(hex_bytes(c.a)).expect("octets"),
                b: OctetString::new(hex_bytes(c.b)).expect("octets"),
                seed: None,
            },
            base: OctetString::new(base.clone()).expect("octets"),
            order: int(&hex_bytes(c.n)),
            cofactor: Some(int(&[1])),
            hash: None,
        }
        .to_der()
        .expect("encodes");
        SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef {
                oid: ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
                parameters: Some(AnyRef::try_from(domain.as_slice()).expect("any")),
            },
            subject_public_key: BitStringRef::from_bytes(&base).expect("bits"),
        }
        .to_der()
        .expect("encodes")
    }

    #[test]
    fn exact_parameters_name_their_curve_and_a_changed_base_point_does_not() {
        for curve in EcCurve::ALL {
            let key = PublicKey::from_spki(&spki(curve.params(), None, false));
            assert!(
                matches!(key, Some(PublicKey::Ec { curve: c, .. }) if c == curve),
                "{}: {key:?}",
                curve.name()
            );
        }
        let p256 = EcCurve::P256.params();
        let key = PublicKey::from_spki(&spki(p256, None, true));
        assert!(matches!(key, Some(PublicKey::Unsupported(_))), "{key:?}");
    }

    #[test]
    fn an_8192_bit_prime_is_refused_unread() {
        let mut p = vec![0xff; 1024];
        p[1023] = 0xfb;
        let key = PublicKey::from_spki(&spki(EcCurve::P256.params(), Some(p), false));
        let Some(PublicKey::Unsupported(why)) = key else {
            panic!("{key:?}");
        };
        assert!(why.contains("8192-bit prime"), "{why}");
    }
}
