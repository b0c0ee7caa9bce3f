//! X.509 certificates as document signers and CSCAs use them, read with `x509-parser`
//! (lenient: real national certificates bend RFC 5280 in many ways), keeping the exact signed
//! bytes, and what a verifier needs: the key, the CA flag, key usages, key identifiers.

use der::Encode;
use serde::Serialize;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::time::ASN1Time;

use super::key::{PublicKey, verify_x509};
use crate::codec::{base64_any, hex, strip_leading_zeros};
use docexam_base::date::CivilDate;

/// keyUsage bits as x509-parser numbers them.
const KU_DIGITAL_SIGNATURE: u16 = 1;
const KU_KEY_CERT_SIGN: u16 = 1 << 5;
const KU_CRL_SIGN: u16 = 1 << 6;

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
    subject_raw: Vec<u8>,
    issuer_raw: Vec<u8>,
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
    /// The keyUsage bits (bit 0 digitalSignature … bit 8 decipherOnly), if the extension is
    /// present.
    pub key_usage: Option<u16>,
    /// The extended key usages (dotted OIDs), if the extension is present.
    pub extended_key_usage: Option<Vec<String>>,
    /// The `C=` of the subject.
    pub country: Option<String>,
    /// The `CN=` of the subject.
    pub common_name: Option<String>,
    sig_alg: String,
    sig_params: Option<Vec<u8>>,
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

pub(crate) fn day(t: ASN1Time) -> CivilDate {
    CivilDate::from_unix_days(t.timestamp().div_euclid(86_400))
}

fn first_attr<'a>(
    mut it: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'a>>,
) -> Option<String> {
    it.next().map(|a| match a.as_str() {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(a.as_slice()).into_owned(),
    })
}

/// Whether two names are the same: equal as DER, or equal as text without regard to case
/// (real issuers re-encode names, PrintableString for UTF8String and back).
pub(crate) fn same_name(a_der: &[u8], a_text: &str, b_der: &[u8], b_text: &str) -> bool {
    a_der == b_der || a_text.eq_ignore_ascii_case(b_text)
}

/// Whether an authority key identifier and a subject key identifier agree (they do unless
/// both are present and differ).
pub(crate) fn key_ids_agree(aki: Option<&[u8]>, ski: Option<&[u8]>) -> bool {
    match (aki, ski) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

/// The DER of an algorithm's parameters when they are a SEQUENCE (RSASSA-PSS-params).
pub(crate) fn params_der(p: Option<&x509_parser::der_parser::asn1_rs::Any<'_>>) -> Option<Vec<u8>> {
    let p = p?;
    if p.header.tag() != x509_parser::der_parser::asn1_rs::Tag::Sequence {
        return None;
    }
    der::asn1::AnyRef::new(der::Tag::Sequence, p.data)
        .ok()?
        .to_der()
        .ok()
}

impl Certificate {
    /// Parses one DER certificate; `None` if it is not one.
    pub fn from_der(bytes: &[u8]) -> Option<Self> {
        let (rest, x) = X509Certificate::from_der(bytes).ok()?;
        let der = bytes.get(..bytes.len() - rest.len())?.to_vec();
        let tbs = &x.tbs_certificate;
        let mut cert = Self {
            tbs: tbs.as_ref().to_vec(),
            subject: tbs.subject().to_string(),
            issuer: tbs.issuer().to_string(),
            subject_raw: tbs.subject().as_raw().to_vec(),
            issuer_raw: tbs.issuer().as_raw().to_vec(),
            serial: strip_leading_zeros(tbs.raw_serial()).to_vec(),
            not_before: Some(day(tbs.validity().not_before)),
            not_after: Some(day(tbs.validity().not_after)),
            key: PublicKey::from_spki(tbs.public_key().raw)?,
            subject_key_id: None,
            authority_key_id: None,
            is_ca: false,
            key_usage: None,
            extended_key_usage: None,
            country: first_attr(tbs.subject().iter_country()),
            common_name: first_attr(tbs.subject().iter_common_name()),
            sig_alg: x.signature_algorithm.algorithm.to_id_string(),
            sig_params: params_der(x.signature_algorithm.parameters.as_ref()),
            signature: x.signature_value.data.to_vec(),
            der,
        };
        for ext in tbs.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectKeyIdentifier(k) => {
                    cert.subject_key_id = Some(k.0.to_vec());
                }
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    cert.authority_key_id = a.key_identifier.as_ref().map(|k| k.0.to_vec());
                }
                ParsedExtension::BasicConstraints(b) => cert.is_ca = b.ca,
                ParsedExtension::KeyUsage(k) => cert.key_usage = Some(k.flags),
                ParsedExtension::ExtendedKeyUsage(e) => {
                    let mut oids: Vec<String> = e.other.iter().map(|o| o.to_id_string()).collect();
                    if e.any {
                        oids.push("2.5.29.37.0".into());
                    }
                    cert.extended_key_usage = Some(oids);
                }
                _ => {}
            }
        }
        Some(cert)
    }

    /// Parses every certificate in PEM text (`-----BEGIN CERTIFICATE-----` blocks).
    pub fn from_pem(text: &str) -> Vec<Self> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let body = rest.get(start + 27..).unwrap_or_default();
            let Some(end) = body.find("-----END CERTIFICATE-----") else {
                break;
            };
            let b64: String = body
                .get(..end)
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if let Some(bytes) = base64_any(&b64) {
                out.extend(Self::from_der(&bytes));
            }
            rest = body.get(end..).unwrap_or_default();
        }
        out
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

    /// A short name for sentences: the common name, else the subject.
    pub fn who(&self) -> String {
        self.common_name
            .clone()
            .unwrap_or_else(|| self.subject.clone())
    }

    /// Whether it may sign certificates: basic constraints say CA and, where key usage is
    /// present, it includes keyCertSign.
    pub fn is_certificate_authority(&self) -> bool {
        self.is_ca && self.key_usage.is_none_or(|k| k & KU_KEY_CERT_SIGN != 0)
    }

    /// Whether it may sign revocation lists (a CA whose key usage, if present, has cRLSign).
    pub fn may_sign_crls(&self) -> bool {
        self.is_ca && self.key_usage.is_none_or(|k| k & KU_CRL_SIGN != 0)
    }

    /// Whether its key usage, if present, includes digitalSignature (what a document signer
    /// needs).
    pub fn may_sign_documents(&self) -> bool {
        self.key_usage.is_none_or(|k| k & KU_DIGITAL_SIGNATURE != 0)
    }

    /// Whether `self` names `other` as its issuer (the names are equal, as DER or as text
    /// compared without regard to case), and the key identifiers, where both are present,
    /// agree.
    pub(crate) fn names_as_issuer(&self, other: &Certificate) -> bool {
        self.issued_by_name(&other.subject_raw, &other.subject)
            && key_ids_agree(
                self.authority_key_id.as_deref(),
                other.subject_key_id.as_deref(),
            )
    }

    /// Whether its issuer is the name given (as DER and as text).
    pub(crate) fn issued_by_name(&self, der: &[u8], text: &str) -> bool {
        same_name(&self.issuer_raw, &self.issuer, der, text)
    }

    /// The raw DER of the issuer name.
    pub(crate) fn issuer_name_der(&self) -> &[u8] {
        &self.issuer_raw
    }

    /// The raw DER of the subject name.
    pub(crate) fn subject_name_der(&self) -> &[u8] {
        &self.subject_raw
    }

    /// Whether `issuer` signed this certificate (names match and the signature verifies with
    /// the issuer's key). Says nothing of whether `issuer` may issue certificates.
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        self.names_as_issuer(issuer)
            && verify_x509(
                &issuer.key,
                &self.sig_alg,
                self.sig_params.as_deref(),
                &self.tbs,
                &self.signature,
            )
    }

    /// Whether the certificate was valid on `date` (unknown validity counts as not valid).
    pub fn valid_on(&self, date: CivilDate) -> bool {
        matches!((self.not_before, self.not_after), (Some(a), Some(b)) if a <= date && date <= b)
    }
}
