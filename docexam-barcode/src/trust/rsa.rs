//! RSA signature verification (RFC 8017) on the `rsa` crate: PKCS #1 v1.5 (the crate builds
//! the expected encoding and compares it whole) and PSS, as CSCAs, document signers and EU DCC
//! signers (PS256) use them. Keys are bounded: 1024 to [`super::key::MAX_RSA_BITS`] bits, a
//! public exponent the crate accepts (at most 2³³ − 1).

use der::Decode;
use rsa::pkcs1::{RsaPssParams, TrailerField};
use rsa::pss::Pss;
use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey as RsaPublicKey};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

use super::hash::Hash;
use super::key::MAX_RSA_BITS;
use crate::codec::strip_leading_zeros;

/// Bits of a modulus given big-endian.
pub(crate) fn bits(n: &[u8]) -> usize {
    let n = strip_leading_zeros(n);
    n.first().map_or(0, |&top| {
        (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
    })
}

/// Modulus and exponent of a DER `RSAPublicKey`, or why the key is refused.
pub(crate) fn components(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let key = rsa::pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(der)
        .map_err(|e| format!("an RSA key that is not a PKCS #1 RSAPublicKey ({e})"))?;
    let (n, e) = (
        strip_leading_zeros(key.modulus.as_bytes()).to_vec(),
        strip_leading_zeros(key.public_exponent.as_bytes()).to_vec(),
    );
    let size = bits(&n);
    if !(1024..=MAX_RSA_BITS).contains(&size) {
        return Err(format!(
            "an RSA key of {size} bits (docexam verifies 1024 to {MAX_RSA_BITS})"
        ));
    }
    public(&n, &e)
        .ok_or_else(|| "an RSA key whose modulus or exponent is not valid".to_string())?;
    Ok((n, e))
}

fn public(n: &[u8], e: &[u8]) -> Option<RsaPublicKey> {
    if bits(n) > MAX_RSA_BITS || e.len() > 8 {
        return None;
    }
    RsaPublicKey::new(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
    )
    .ok()
}

/// PKCS #1 v1.5 with `hash` over `data`.
pub(crate) fn verify_pkcs1(n: &[u8], e: &[u8], hash: Hash, data: &[u8], sig: &[u8]) -> bool {
    let Some(key) = public(n, e) else {
        return false;
    };
    let scheme = match hash {
        Hash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        Hash::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    };
    key.verify(scheme, &hash.digest(data), sig).is_ok()
}

/// PSS with `hash` for the message and MGF1, and a salt of exactly `salt_len` bytes.
pub(crate) fn verify_pss(
    n: &[u8],
    e: &[u8],
    hash: Hash,
    salt_len: usize,
    data: &[u8],
    sig: &[u8],
) -> bool {
    let Some(key) = public(n, e) else {
        return false;
    };
    let digest = hash.digest(data);
    let r = match hash {
        Hash::Sha1 => key.verify(Pss::<Sha1>::new_with_salt(salt_len), &digest, sig),
        Hash::Sha224 => key.verify(Pss::<Sha224>::new_with_salt(salt_len), &digest, sig),
        Hash::Sha256 => key.verify(Pss::<Sha256>::new_with_salt(salt_len), &digest, sig),
        Hash::Sha384 => key.verify(Pss::<Sha384>::new_with_salt(salt_len), &digest, sig),
        Hash::Sha512 => key.verify(Pss::<Sha512>::new_with_salt(salt_len), &digest, sig),
    };
    r.is_ok()
}

/// PSS with the parameters of an `RSASSA-PSS-params` structure (certificate signatures):
/// the mask generation function MGF1 with the message hash, the trailer field 1.
pub(crate) fn verify_pss_params(
    n: &[u8],
    e: &[u8],
    params: Option<&[u8]>,
    data: &[u8],
    sig: &[u8],
) -> bool {
    let Some(params) = params.and_then(|p| RsaPssParams::<der::asn1::Any>::from_der(p).ok()) else {
        return false;
    };
    let Some(hash) = Hash::from_oid(&params.hash.oid.to_string()) else {
        return false;
    };
    let mgf_hash = params
        .mask_gen
        .parameters
        .as_ref()
        .and_then(|h| Hash::from_oid(&h.oid.to_string()));
    let mgf1 = params.mask_gen.oid.to_string() == "1.2.840.113549.1.1.8";
    if !mgf1 || mgf_hash != Some(hash) || params.trailer_field != TrailerField::BC {
        return false;
    }
    verify_pss(n, e, hash, usize::from(params.salt_len), data, sig)
}

/// PS256 as COSE uses it: SHA-256, MGF1-SHA-256, salt of 32 bytes.
pub(crate) fn verify_ps256(n: &[u8], e: &[u8], data: &[u8], sig: &[u8]) -> bool {
    verify_pss(n, e, Hash::Sha256, 32, data, sig)
}

#[cfg(test)]
mod tests {
    use num_bigint::BigUint;
    use sha2::Digest;

    use super::*;
    use crate::trust::{Certificate, PublicKey};

    /// Bleichenbacher's 2006 forgery for e = 3: a signature whose cube begins with a well-formed
    /// PKCS #1 v1.5 prefix and digest, the rest garbage inside the DigestInfo's SEQUENCE.
    /// A verifier that parses the DigestInfo instead of comparing the whole encoding takes it.
    #[test]
    fn an_e3_cube_root_forgery_is_invalid() {
        let der = include_bytes!("../../../tests/data/trust/rsa-e3.der");
        let cert = Certificate::from_der(der).expect("the e=3 fixture parses");
        let PublicKey::Rsa { n, e } = &cert.key else {
            panic!("{:?}", cert.key);
        };
        assert_eq!(e.as_slice(), [3]);
        let k = n.len();
        let message = b"a seal the forger never had signed";
        let digest = sha2::Sha256::digest(message);
        // 00 01 FF×8 00 30 LL(covers the rest) 30 0d 06 09 <sha256> 05 00 04 20 <digest> garbage
        let mut prefix = vec![0x00, 0x01];
        prefix.extend([0xff; 8]);
        prefix.push(0x00);
        let seq_len = k - prefix.len() - 4;
        prefix.extend([0x30, 0x82, (seq_len >> 8) as u8, seq_len as u8]);
        prefix.extend([
            0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
            0x00, 0x04, 0x20,
        ]);
        prefix.extend(digest);
        let garbage_bits = 8 * (k - prefix.len());
        let target = BigUint::from_bytes_be(&prefix) << garbage_bits;
        let mut s = target.nth_root(3);
        while &s * &s * &s < target {
            s += 1u32;
        }
        let cube = (&s * &s * &s).to_bytes_be();
        let mut em = vec![0u8; k - cube.len()];
        em.extend(cube);
        assert_eq!(
            em.get(..prefix.len()),
            Some(prefix.as_slice()),
            "the forgery is well formed: its cube carries the prefix and digest"
        );
        let mut sig = vec![0u8; k - s.to_bytes_be().len()];
        sig.extend(s.to_bytes_be());
        assert!(!verify_pkcs1(n, e, Hash::Sha256, message, &sig));
    }
}
