//! X.509 certificates as document signers and CSCAs use them: read leniently (real national
//! certificates bend RFC 5280 in many ways), keeping the exact signed bytes.

use num_bigint::BigUint;
use serde::Serialize;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::ecdsa::{Domain, der_signature};
use super::rsa;
use crate::barcode::codec::{base64_any, hex};
use crate::barcode::der::{self, Tlv};
use crate::date::CivilDate;

/// A public key a certificate carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// An elliptic-curve key: the curve and the SEC 1 encoded point.
    Ec {
        /// The curve.
        domain: Box<Domain>,
        /// The point, as encoded in the certificate.
        point: Vec<u8>,
    },
    /// An RSA key: modulus and public exponent, big-endian.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
    /// A key docexam cannot verify with (algorithm OID, dotted).
    Unsupported(String),
}

/// A parsed certificate.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The certificate's DER bytes.
    pub der: Vec<u8>,
    tbs: Vec<u8>,
    /// Subject, as `C=UT, O=…, CN=…`.
    pub subject: String,
    /// Issuer, in the same form.
    pub issuer: String,
    /// Serial number, big-endian without leading zero bytes.
    pub serial: Vec<u8>,
    /// First day of validity (UTC).
    pub not_before: Option<CivilDate>,
    /// Last day of validity (UTC).
    pub not_after: Option<CivilDate>,
    /// The subject's public key.
    pub key: PublicKey,
    /// Subject key identifier, if the certificate has one.
    pub subject_key_id: Option<Vec<u8>>,
    /// Authority key identifier, if the certificate has one.
    pub authority_key_id: Option<Vec<u8>>,
    /// Whether basic constraints mark it as a CA.
    pub is_ca: bool,
    /// The `C=` of the subject.
    pub country: Option<String>,
    /// The `CN=` of the subject.
    pub common_name: Option<String>,
    sig_alg: String,
    sig_params: Vec<u8>,
    signature: Vec<u8>,
}

/// What a certificate is, in a report: enough for an examiner to find it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateSummary {
    /// Subject name.
    pub subject: String,
    /// Issuer name.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// blake3 of the DER bytes, hex.
    pub blake3: String,
    /// Validity start (ISO date), if readable.
    pub not_before: Option<String>,
    /// Validity end (ISO date), if readable.
    pub not_after: Option<String>,
}

impl Certificate {
    /// Parses one DER certificate; `None` if it is not one.
    pub fn from_der(bytes: &[u8]) -> Option<Self> {
        let (outer, _) = der::expect(bytes, der::SEQUENCE)?;
        let parts = der::children(outer.value)?;
        let [tbs, alg, sig, ..] = parts.as_slice() else {
            return None;
        };
        let (sig_alg, sig_params) = algorithm(alg)?;
        let signature = sig.value.get(1..)?.to_vec();
        let fields = der::children(tbs.value)?;
        let mut it = fields.iter().peekable();
        if it.peek().is_some_and(|t| t.tag == 0xa0) {
            it.next();
        }
        let serial = it.next().filter(|t| t.tag == der::INTEGER)?;
        let _inner_alg = it.next()?;
        let issuer = it.next()?;
        let validity = it.next()?;
        let subject = it.next()?;
        let spki = it.next()?;
        let mut cert = Self {
            der: outer.whole.to_vec(),
            tbs: tbs.whole.to_vec(),
            subject: name(subject),
            issuer: name(issuer),
            serial: strip_zeros(serial.value).to_vec(),
            not_before: None,
            not_after: None,
            key: public_key(spki)?,
            subject_key_id: None,
            authority_key_id: None,
            is_ca: false,
            country: attribute(subject, "2.5.4.6"),
            common_name: attribute(subject, "2.5.4.3"),
            sig_alg,
            sig_params,
            signature,
        };
        if let Some(times) = der::children(validity.value) {
            cert.not_before = times.first().and_then(time);
            cert.not_after = times.get(1).and_then(time);
        }
        for t in it {
            if t.tag == 0xa3 {
                cert.read_extensions(t.value);
            }
        }
        Some(cert)
    }

    /// Parses every certificate in PEM text (`-----BEGIN CERTIFICATE-----` blocks).
    pub fn from_pem(text: &str) -> Vec<Self> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let body = &rest[start + 27..];
            let Some(end) = body.find("-----END CERTIFICATE-----") else {
                break;
            };
            let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(bytes) = base64_any(&b64) {
                out.extend(Self::from_der(&bytes));
            }
            rest = &body[end..];
        }
        out
    }

    fn read_extensions(&mut self, value: &[u8]) {
        let Some((seq, _)) = der::expect(value, der::SEQUENCE) else {
            return;
        };
        for ext in der::children(seq.value).unwrap_or_default() {
            let parts = der::children(ext.value).unwrap_or_default();
            let (Some(id), Some(body)) = (parts.first(), parts.last()) else {
                continue;
            };
            let inner = body.value;
            match der::oid_string(id.value).as_deref() {
                Some("2.5.29.14") => {
                    self.subject_key_id =
                        der::expect(inner, der::OCTET_STRING).map(|(t, _)| t.value.to_vec());
                }
                Some("2.5.29.35") => {
                    self.authority_key_id = der::expect(inner, der::SEQUENCE)
                        .and_then(|(s, _)| der::children(s.value))
                        .and_then(|k| k.into_iter().find(|t| t.tag == 0x80))
                        .map(|t| t.value.to_vec());
                }
                Some("2.5.29.19") => {
                    self.is_ca = der::expect(inner, der::SEQUENCE)
                        .and_then(|(s, _)| der::read(s.value))
                        .is_some_and(|(b, _)| b.tag == 0x01 && b.value.first() == Some(&0xff));
                }
                _ => {}
            }
        }
    }

    /// The summary a report shows.
    pub fn summary(&self) -> CertificateSummary {
        CertificateSummary {
            subject: self.subject.clone(),
            issuer: self.issuer.clone(),
            serial: hex(&self.serial),
            blake3: blake3::hash(&self.der).to_hex().to_string(),
            not_before: self.not_before.map(|d| d.to_string()),
            not_after: self.not_after.map(|d| d.to_string()),
        }
    }

    /// Whether `issuer` signed this certificate (names match and the signature verifies).
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        if self.issuer != issuer.subject {
            return false;
        }
        if let (Some(aki), Some(ski)) = (&self.authority_key_id, &issuer.subject_key_id)
            && aki != ski
        {
            return false;
        }
        verify_with(
            &issuer.key,
            &self.sig_alg,
            &self.sig_params,
            &self.tbs,
            &self.signature,
        )
    }

    /// Whether the certificate was valid on `date` (unknown validity counts as not valid).
    pub fn valid_on(&self, date: CivilDate) -> bool {
        matches!((self.not_before, self.not_after), (Some(a), Some(b)) if a <= date && date <= b)
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&x| x == 0).count();
    b.get(n..).unwrap_or_default()
}

/// An AlgorithmIdentifier: OID (dotted) and the parameter bytes (whole element, may be empty).
fn algorithm(t: &Tlv<'_>) -> Option<(String, Vec<u8>)> {
    let (oid, rest) = der::expect(t.value, der::OID)?;
    Some((der::oid_string(oid.value)?, rest.to_vec()))
}

fn public_key(spki: &Tlv<'_>) -> Option<PublicKey> {
    let parts = der::children(spki.value)?;
    let [alg, key] = parts.as_slice() else {
        return None;
    };
    let (oid, params) = algorithm(alg)?;
    let bits = key.value.get(1..)?;
    Some(match oid.as_str() {
        "1.2.840.10045.2.1" => {
            let domain = ec_domain(&params)?;
            domain.decode_point(bits)?;
            PublicKey::Ec {
                domain: Box::new(domain),
                point: bits.to_vec(),
            }
        }
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let (seq, _) = der::expect(bits, der::SEQUENCE)?;
            let (n, rest) = der::expect(seq.value, der::INTEGER)?;
            let (e, _) = der::expect(rest, der::INTEGER)?;
            PublicKey::Rsa {
                n: strip_zeros(n.value).to_vec(),
                e: strip_zeros(e.value).to_vec(),
            }
        }
        other => PublicKey::Unsupported(other.to_string()),
    })
}

/// Named (OID) or explicit (`ECParameters`) curve parameters.
fn ec_domain(params: &[u8]) -> Option<Domain> {
    let (t, _) = der::read(params)?;
    match t.tag {
        der::OID => Domain::named(&der::oid_string(t.value)?),
        der::SEQUENCE => {
            let parts = der::children(t.value)?;
            let [_version, field, curve, base, order, ..] = parts.as_slice() else {
                return None;
            };
            let field = der::children(field.value)?;
            let prime = field.get(1)?;
            let curve = der::children(curve.value)?;
            Domain::explicit(
                strip_zeros(prime.value),
                curve.first()?.value,
                curve.get(1)?.value,
                base.value,
                strip_zeros(order.value),
            )
        }
        _ => None,
    }
}

fn attribute(name: &Tlv<'_>, oid: &str) -> Option<String> {
    rdns(name)
        .into_iter()
        .find(|(k, _)| k == oid)
        .map(|(_, v)| v)
}

fn rdns(name: &Tlv<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for set in der::children(name.value).unwrap_or_default() {
        for atv in der::children(set.value).unwrap_or_default() {
            let parts = der::children(atv.value).unwrap_or_default();
            if let (Some(k), Some(v)) = (parts.first(), parts.get(1))
                && let Some(oid) = der::oid_string(k.value)
            {
                let text = match v.tag {
                    // BMPString: UTF-16BE.
                    0x1e => {
                        let units: Vec<u16> = v
                            .value
                            .chunks_exact(2)
                            .filter_map(|c| Some(u16::from_be_bytes([*c.first()?, *c.get(1)?])))
                            .collect();
                        String::from_utf16_lossy(&units)
                    }
                    _ => String::from_utf8_lossy(v.value).into_owned(),
                };
                out.push((oid, text));
            }
        }
    }
    out
}

fn name(t: &Tlv<'_>) -> String {
    rdns(t)
        .into_iter()
        .map(|(oid, v)| {
            let key = match oid.as_str() {
                "2.5.4.3" => "CN",
                "2.5.4.6" => "C",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.5" => "serialNumber",
                "2.5.4.97" => "organizationIdentifier",
                _ => oid.as_str(),
            };
            format!("{key}={v}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// UTCTime or GeneralizedTime, to the day (UTC).
fn time(t: &Tlv<'_>) -> Option<CivilDate> {
    let s = std::str::from_utf8(t.value).ok()?;
    let (year, rest) = match t.tag {
        0x17 => {
            let yy: i32 = s.get(..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        0x18 => (s.get(..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    CivilDate::new(
        year,
        rest.get(..2)?.parse().ok()?,
        rest.get(2..4)?.parse().ok()?,
    )
}

/// The digest of `data` under a hash named by its OID or by the signature algorithm's OID.
pub(crate) fn digest_for(alg: &str, data: &[u8]) -> Option<Vec<u8>> {
    Some(match alg {
        "1.2.840.10045.4.3.1" | "1.2.840.113549.1.1.14" | "2.16.840.1.101.3.4.2.4" => {
            Sha224::digest(data).to_vec()
        }
        "1.2.840.10045.4.3.2" | "1.2.840.113549.1.1.11" | "2.16.840.1.101.3.4.2.1" => {
            Sha256::digest(data).to_vec()
        }
        "1.2.840.10045.4.3.3" | "1.2.840.113549.1.1.12" | "2.16.840.1.101.3.4.2.2" => {
            Sha384::digest(data).to_vec()
        }
        "1.2.840.10045.4.3.4" | "1.2.840.113549.1.1.13" | "2.16.840.1.101.3.4.2.3" => {
            Sha512::digest(data).to_vec()
        }
        _ => return None,
    })
}

/// Verifies a certificate-style signature (algorithm by OID, ECDSA signatures in DER).
fn verify_with(key: &PublicKey, alg: &str, params: &[u8], data: &[u8], sig: &[u8]) -> bool {
    match key {
        PublicKey::Ec { domain, point } => {
            let (Some(digest), Some((r, s))) = (digest_for(alg, data), der_signature(sig)) else {
                return false;
            };
            domain.verify(point, &digest, &r, &s)
        }
        PublicKey::Rsa { n, e } => {
            let n = BigUint::from_bytes_be(n);
            let e = BigUint::from_bytes_be(e);
            if alg == "1.2.840.113549.1.1.10" {
                rsa::verify_pss_params(&n, &e, params, data, sig)
            } else {
                digest_for(alg, data).is_some_and(|d| rsa::verify_pkcs1(&n, &e, alg, &d, sig))
            }
        }
        PublicKey::Unsupported(_) => false,
    }
}
