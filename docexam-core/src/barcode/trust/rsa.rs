//! RSA signature verification (RFC 8017): PKCS #1 v1.5 and PSS, as CSCAs, document signers and
//! EU DCC signers (PS256) use them. Verification only, on public values.

use num_bigint::BigUint;

use super::cert::digest_for;
use crate::barcode::der;

const SHA256: &str = "2.16.840.1.101.3.4.2.1";

fn i2osp(m: &BigUint, len: usize) -> Option<Vec<u8>> {
    let bytes = m.to_bytes_be();
    let pad = len.checked_sub(bytes.len())?;
    let mut out = vec![0u8; pad];
    out.extend(bytes);
    Some(out)
}

fn rsavp1(n: &BigUint, e: &BigUint, sig: &[u8]) -> Option<BigUint> {
    let s = BigUint::from_bytes_be(sig);
    if n.bits() < 1024 || &s >= n || sig.len() > usize::try_from(n.bits().div_ceil(8)).ok()? {
        return None;
    }
    Some(s.modpow(e, n))
}

/// The hash OID a signature algorithm OID names.
fn hash_of(alg: &str) -> Option<&'static str> {
    Some(match alg {
        "1.2.840.113549.1.1.14" | "2.16.840.1.101.3.4.2.4" => "2.16.840.1.101.3.4.2.4",
        "1.2.840.113549.1.1.11" | "2.16.840.1.101.3.4.2.1" => SHA256,
        "1.2.840.113549.1.1.12" | "2.16.840.1.101.3.4.2.2" => "2.16.840.1.101.3.4.2.2",
        "1.2.840.113549.1.1.13" | "2.16.840.1.101.3.4.2.3" => "2.16.840.1.101.3.4.2.3",
        _ => return None,
    })
}

/// PKCS #1 v1.5: `sig^e mod n` must be `00 01 FF… 00 DigestInfo(hash, digest)`.
pub(crate) fn verify_pkcs1(n: &BigUint, e: &BigUint, alg: &str, digest: &[u8], sig: &[u8]) -> bool {
    let k = usize::try_from(n.bits().div_ceil(8)).unwrap_or(0);
    let Some(em) = rsavp1(n, e, sig).and_then(|m| i2osp(&m, k)) else {
        return false;
    };
    let Some(rest) = em.strip_prefix(&[0x00, 0x01]) else {
        return false;
    };
    let ff = rest.iter().take_while(|&&b| b == 0xff).count();
    if ff < 8 || rest.get(ff) != Some(&0x00) {
        return false;
    }
    let Some(info) = rest.get(ff + 1..) else {
        return false;
    };
    let Some((seq, tail)) = der::expect(info, der::SEQUENCE) else {
        return false;
    };
    let parsed = (|| {
        let (alg_id, rest) = der::expect(seq.value, der::SEQUENCE)?;
        let (oid, _) = der::expect(alg_id.value, der::OID)?;
        let (d, _) = der::expect(rest, der::OCTET_STRING)?;
        Some((der::oid_string(oid.value)?, d.value))
    })();
    match parsed {
        Some((oid, d)) => tail.is_empty() && Some(oid.as_str()) == hash_of(alg) && d == digest,
        None => false,
    }
}

fn mgf1(hash: &str, seed: &[u8], len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(len);
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend(counter.to_be_bytes());
        out.extend(digest_for(hash, &block)?);
        counter = counter.checked_add(1)?;
    }
    out.truncate(len);
    Some(out)
}

/// EMSA-PSS verification with hash `hash` (an OID) for both the message and MGF1; `salt_len`
/// `None` accepts any salt length.
pub(crate) fn verify_pss(
    n: &BigUint,
    e: &BigUint,
    hash: &str,
    salt_len: Option<usize>,
    data: &[u8],
    sig: &[u8],
) -> bool {
    (|| -> Option<bool> {
        let m_hash = digest_for(hash, data)?;
        let h_len = m_hash.len();
        let em_bits = usize::try_from(n.bits()).ok()?.checked_sub(1)?;
        let em_len = em_bits.div_ceil(8);
        let em = i2osp(&rsavp1(n, e, sig)?, em_len)?;
        if em.last() != Some(&0xbc) || em_len < h_len + 2 {
            return Some(false);
        }
        let db_len = em_len - h_len - 1;
        let (masked, rest) = em.split_at(db_len);
        let h = rest.get(..h_len)?;
        let unused = 8 * em_len - em_bits;
        let top_mask = if unused == 0 {
            0
        } else {
            0xffu8 << (8 - unused)
        };
        if masked.first()? & top_mask != 0 {
            return Some(false);
        }
        let mask = mgf1(hash, h, db_len)?;
        let mut db: Vec<u8> = masked.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
        if let Some(first) = db.first_mut() {
            *first &= !top_mask;
        }
        let zeros = db.iter().take_while(|&&b| b == 0).count();
        if db.get(zeros) != Some(&0x01) {
            return Some(false);
        }
        let salt = db.get(zeros + 1..)?;
        if salt_len.is_some_and(|l| l != salt.len()) {
            return Some(false);
        }
        let mut m_prime = vec![0u8; 8];
        m_prime.extend(&m_hash);
        m_prime.extend(salt);
        Some(digest_for(hash, &m_prime)? == h)
    })()
    .unwrap_or(false)
}

/// PSS with the parameters of an `RSASSA-PSS-params` structure (certificate signatures).
pub(crate) fn verify_pss_params(
    n: &BigUint,
    e: &BigUint,
    params: &[u8],
    data: &[u8],
    sig: &[u8],
) -> bool {
    let mut hash = None;
    let mut salt = 20usize;
    if let Some((seq, _)) = der::expect(params, der::SEQUENCE) {
        for field in der::children(seq.value).unwrap_or_default() {
            match field.tag {
                0xa0 => {
                    hash = der::expect(field.value, der::SEQUENCE)
                        .and_then(|(a, _)| der::expect(a.value, der::OID))
                        .and_then(|(o, _)| der::oid_string(o.value));
                }
                0xa2 => {
                    salt = der::expect(field.value, der::INTEGER)
                        .map(|(i, _)| {
                            i.value.iter().fold(0usize, |a, &b| {
                                a.saturating_mul(256).saturating_add(usize::from(b))
                            })
                        })
                        .unwrap_or(salt);
                }
                _ => {}
            }
        }
    }
    match hash {
        Some(h) => verify_pss(n, e, &h, Some(salt), data, sig),
        None => false,
    }
}

/// PS256 as COSE uses it: SHA-256, MGF1-SHA-256, salt of 32 bytes.
pub(crate) fn verify_ps256(n: &BigUint, e: &BigUint, data: &[u8], sig: &[u8]) -> bool {
    verify_pss(n, e, SHA256, Some(32), data, sig)
}
