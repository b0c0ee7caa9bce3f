//! Public keys as certificates carry them, and signature verification with them: ECDSA on the
//! RustCrypto curve crates (P-256, P-384, P-521, brainpoolP256r1, brainpoolP384r1), RSA
//! PKCS #1 v1.5 and PSS on the `rsa` crate. Curves that travel documents use and no crate covers
//! (secp224r1, brainpoolP224r1, brainpoolP320r1, brainpoolP512r1) go to [`super::fallback`],
//! and only as named curves (explicit parameters must match one exactly, see
//! [`super::explicit`]).

use der::Decode;
use der::asn1::{AnyRef, ObjectIdentifier};
use ecdsa::signature::hazmat::PrehashVerifier;
use spki::SubjectPublicKeyInfoRef;

use super::curves::{self, NamedCurve};
use super::explicit;
use super::fallback;
use super::hash::Hash;
use super::rsa;

/// An elliptic curve docexam verifies signatures on: always a named curve (explicit parameters
/// are accepted only when they are exactly one of these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// NIST P-224 (secp224r1).
    P224,
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// brainpoolP224r1.
    BrainpoolP224r1,
    /// brainpoolP256r1.
    BrainpoolP256r1,
    /// brainpoolP320r1.
    BrainpoolP320r1,
    /// brainpoolP384r1.
    BrainpoolP384r1,
    /// brainpoolP512r1.
    BrainpoolP512r1,
}

impl EcCurve {
    /// Every curve docexam verifies on.
    pub const ALL: [EcCurve; 9] = [
        EcCurve::P256,
        EcCurve::P384,
        EcCurve::P521,
        EcCurve::P224,
        EcCurve::BrainpoolP224r1,
        EcCurve::BrainpoolP256r1,
        EcCurve::BrainpoolP320r1,
        EcCurve::BrainpoolP384r1,
        EcCurve::BrainpoolP512r1,
    ];

    /// Its published parameters.
    #[allow(clippy::indexing_slicing)] // CURVES is a constant that names every EcCurve
    pub(crate) fn params(self) -> &'static NamedCurve {
        let name = self.name();
        curves::CURVES
            .iter()
            .find(|c| c.name == name)
            .unwrap_or(&curves::CURVES[0])
    }

    /// Its common name (`secp256r1`, `brainpoolP256r1`, …).
    pub fn name(self) -> &'static str {
        match self {
            EcCurve::P224 => "secp224r1",
            EcCurve::P256 => "secp256r1",
            EcCurve::P384 => "secp384r1",
            EcCurve::P521 => "secp521r1",
            EcCurve::BrainpoolP224r1 => "brainpoolP224r1",
            EcCurve::BrainpoolP256r1 => "brainpoolP256r1",
            EcCurve::BrainpoolP320r1 => "brainpoolP320r1",
            EcCurve::BrainpoolP384r1 => "brainpoolP384r1",
            EcCurve::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// The curve an OID (dotted) names.
    pub fn from_oid(oid: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.params().oid == oid)
    }

    /// Bits of the group order (256 for P-256 and brainpoolP256r1).
    pub fn order_bits(self) -> usize {
        match self {
            EcCurve::P224 | EcCurve::BrainpoolP224r1 => 224,
            EcCurve::P256 | EcCurve::BrainpoolP256r1 => 256,
            EcCurve::BrainpoolP320r1 => 320,
            EcCurve::P384 | EcCurve::BrainpoolP384r1 => 384,
            EcCurve::BrainpoolP512r1 => 512,
            EcCurve::P521 => 521,
        }
    }

    /// Bytes of one signature half (`r` or `s`).
    pub fn scalar_len(self) -> usize {
        self.order_bits().div_ceil(8)
    }
}

/// A public key a certificate carries.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An elliptic-curve key: the curve and the SEC 1 encoded point.
    Ec {
        /// The curve.
        curve: EcCurve,
        /// The point, as encoded in the certificate.
        point: Vec<u8>,
    },
    /// An RSA key: modulus and public exponent, big-endian without leading zeros.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
    /// A key docexam does not verify with, and why (algorithm, curve or size).
    Unsupported(String),
}

/// How an ECDSA signature is encoded.
#[derive(Clone, Copy, Debug)]
pub(crate) enum EcSig<'a> {
    /// `r‖s`, each the order's length (ICAO seals, COSE, VDS-NC).
    Raw(&'a [u8]),
    /// A DER `ECDSA-Sig-Value` (certificates, CRLs, CMS).
    Der(&'a [u8]),
}

const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";

/// Largest RSA modulus accepted, in bits (larger keys are refused before any arithmetic).
pub const MAX_RSA_BITS: usize = 8192;

impl PublicKey {
    /// The key of a DER `SubjectPublicKeyInfo`; `None` if it is not one.
    pub fn from_spki(der: &[u8]) -> Option<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).ok()?;
        let bits = spki.subject_public_key.as_bytes()?;
        let oid = spki.algorithm.oid.to_string();
        Some(match oid.as_str() {
            EC_PUBLIC_KEY => ec_key(spki.algorithm.parameters, bits).map_or_else(
                PublicKey::Unsupported,
                |(curve, point)| PublicKey::Ec { curve, point },
            ),
            RSA_ENCRYPTION | RSASSA_PSS => match rsa::components(bits) {
                Ok((n, e)) => PublicKey::Rsa { n, e },
                Err(why) => PublicKey::Unsupported(why),
            },
            other => PublicKey::Unsupported(format!("public-key algorithm {other}")),
        })
    }

    /// A short description (`ECDSA brainpoolP256r1`, `RSA 3072`).
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Ec { curve, .. } => format!("ECDSA {}", curve.name()),
            PublicKey::Rsa { n, .. } => format!("RSA {}", rsa::bits(n)),
            PublicKey::Unsupported(why) => format!("unsupported key ({why})"),
        }
    }
}

/// The curve of an EC key (named, or explicit parameters equal to a named curve's) and its
/// point, checked to lie on it; or why the key is refused.
fn ec_key(params: Option<AnyRef<'_>>, point: &[u8]) -> Result<(EcCurve, Vec<u8>), String> {
    let params = params.ok_or("an EC key without domain parameters")?;
    let curve = match params.decode_as::<ObjectIdentifier>() {
        Ok(named) => EcCurve::from_oid(&named.to_string())
            .ok_or_else(|| format!("EC key on curve {named}, which docexam does not verify on"))?,
        Err(_) => explicit::named_curve(&params)?,
    };
    if !point_on_curve(curve, point) {
        return Err(format!("the EC point is not a point of {}", curve.name()));
    }
    Ok((curve, point.to_vec()))
}

/// Whether `point` decodes as a SEC 1 point of `curve` (uncompressed or compressed).
fn point_on_curve(curve: EcCurve, point: &[u8]) -> bool {
    macro_rules! on {
        ($c:ty) => {
            ecdsa::VerifyingKey::<$c>::from_sec1_bytes(point).is_ok()
        };
    }
    match curve {
        EcCurve::P256 => on!(p256::NistP256),
        EcCurve::P384 => on!(p384::NistP384),
        EcCurve::P521 => on!(p521::NistP521),
        EcCurve::BrainpoolP256r1 => on!(bp256::BrainpoolP256r1),
        EcCurve::BrainpoolP384r1 => on!(bp384::BrainpoolP384r1),
        EcCurve::P224
        | EcCurve::BrainpoolP224r1
        | EcCurve::BrainpoolP320r1
        | EcCurve::BrainpoolP512r1 => fallback::Domain::of(curve).decode_point(point).is_some(),
    }
}

/// Verifies an ECDSA signature over a message digest (truncated to the order, as ECDSA
/// requires) with a SEC 1 public point.
pub(crate) fn verify_ecdsa(curve: EcCurve, point: &[u8], digest: &[u8], sig: EcSig<'_>) -> bool {
    macro_rules! verify {
        ($c:ty) => {{
            let Ok(key) = ecdsa::VerifyingKey::<$c>::from_sec1_bytes(point) else {
                return false;
            };
            let sig = match sig {
                EcSig::Raw(b) => ecdsa::Signature::<$c>::from_slice(b).ok(),
                EcSig::Der(b) => ecdsa::Signature::<$c>::from_der(b).ok(),
            };
            sig.is_some_and(|s| key.verify_prehash(digest, &s).is_ok())
        }};
    }
    match curve {
        EcCurve::P256 => verify!(p256::NistP256),
        EcCurve::P384 => verify!(p384::NistP384),
        EcCurve::P521 => verify!(p521::NistP521),
        EcCurve::BrainpoolP256r1 => verify!(bp256::BrainpoolP256r1),
        EcCurve::BrainpoolP384r1 => verify!(bp384::BrainpoolP384r1),
        EcCurve::P224
        | EcCurve::BrainpoolP224r1
        | EcCurve::BrainpoolP320r1
        | EcCurve::BrainpoolP512r1 => {
            let domain = fallback::Domain::of(curve);
            let rs = match sig {
                EcSig::Raw(b) if b.len() == 2 * curve.scalar_len() => {
                    let (r, s) = b.split_at(curve.scalar_len());
                    Some((r.to_vec(), s.to_vec()))
                }
                EcSig::Raw(_) => None,
                EcSig::Der(b) => fallback::der_signature(b),
            };
            rs.is_some_and(|(r, s)| domain.verify(point, digest, &r, &s))
        }
    }
}

/// A certificate-style signature: algorithm by OID (with its parameters, DER, for PSS),
/// ECDSA signatures in DER. Returns whether `key` verifies `sig` over `data`.
pub(crate) fn verify_x509(
    key: &PublicKey,
    alg: &str,
    params: Option<&[u8]>,
    data: &[u8],
    sig: &[u8],
) -> bool {
    match (key, algorithm(alg)) {
        (PublicKey::Ec { curve, point }, Some(Algorithm::Ecdsa(hash))) => {
            verify_ecdsa(*curve, point, &hash.digest(data), EcSig::Der(sig))
        }
        (PublicKey::Rsa { n, e }, Some(Algorithm::RsaPkcs1(hash))) => {
            rsa::verify_pkcs1(n, e, hash, data, sig)
        }
        (PublicKey::Rsa { n, e }, Some(Algorithm::RsaPss)) => {
            rsa::verify_pss_params(n, e, params, data, sig)
        }
        _ => false,
    }
}

/// A certificate signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Algorithm {
    Ecdsa(Hash),
    RsaPkcs1(Hash),
    RsaPss,
}

fn algorithm(oid: &str) -> Option<Algorithm> {
    Some(match oid {
        "1.2.840.10045.4.1" => Algorithm::Ecdsa(Hash::Sha1),
        "1.2.840.10045.4.3.1" => Algorithm::Ecdsa(Hash::Sha224),
        "1.2.840.10045.4.3.2" => Algorithm::Ecdsa(Hash::Sha256),
        "1.2.840.10045.4.3.3" => Algorithm::Ecdsa(Hash::Sha384),
        "1.2.840.10045.4.3.4" => Algorithm::Ecdsa(Hash::Sha512),
        "1.2.840.113549.1.1.5" => Algorithm::RsaPkcs1(Hash::Sha1),
        "1.2.840.113549.1.1.14" => Algorithm::RsaPkcs1(Hash::Sha224),
        "1.2.840.113549.1.1.11" => Algorithm::RsaPkcs1(Hash::Sha256),
        "1.2.840.113549.1.1.12" => Algorithm::RsaPkcs1(Hash::Sha384),
        "1.2.840.113549.1.1.13" => Algorithm::RsaPkcs1(Hash::Sha512),
        RSASSA_PSS => Algorithm::RsaPss,
        _ => return None,
    })
}
