//! CSCA master lists (ICAO Doc 9303 Part 12): a CMS SignedData (the `cms` crate) whose content
//! (type `2.23.136.1.1.2`) is `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF
//! Certificate }`.
//!
//! A list is used only when its own signature holds: the signer info's message digest equals the
//! digest of the content, the signature over the signed attributes verifies with the master
//! list signer's certificate carried in the SignedData, that certificate may sign (key usage)
//! and was issued by a CA certificate of the list or carried beside it. This proves the list
//! intact and self-consistent; who made it is the lab's knowledge of where it came from. Otherwise none of its certificates is used, and the
//! reason is given.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{Any, AnyRef, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, SliceReader};

use super::cert::Certificate;
use super::hash::Hash;
use super::key::{EcSig, PublicKey, verify_ecdsa, verify_x509};
use super::rsa;
use crate::codec::strip_leading_zeros;

const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const CSCA_MASTER_LIST: &str = "2.23.136.1.1.2";
const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// A master list whose signature held.
#[derive(Debug)]
pub(crate) struct MasterList {
    /// The CSCA certificates it carries (those that parse).
    pub certificates: Vec<Certificate>,
}

/// `None` if `bytes` is not a CSCA master list; otherwise the list, or why it is not used.
pub(crate) fn read(bytes: &[u8]) -> Option<Result<MasterList, String>> {
    let info = ContentInfo::from_der(bytes).ok()?;
    if info.content_type.to_string() != SIGNED_DATA {
        return None;
    }
    let signed: SignedData = match info.content.decode_as() {
        Ok(s) => s,
        Err(e) => {
            return Some(Err(format!(
                "a CMS SignedData that does not decode as DER ({e})"
            )));
        }
    };
    if signed.encap_content_info.econtent_type.to_string() != CSCA_MASTER_LIST {
        return None;
    }
    Some(verified(&signed))
}

fn verified(signed: &SignedData) -> Result<MasterList, String> {
    let content = signed
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or("a master list without content")?
        .decode_as::<OctetString>()
        .map_err(|e| format!("master list content that is not an OCTET STRING ({e})"))?;
    let content = content.as_bytes();
    let certificates = cert_list(content)?;
    let carried: Vec<Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => c.to_der().ok(),
            CertificateChoices::Other(_) => None,
        })
        .filter_map(|d| Certificate::from_der(&d))
        .collect();
    let info = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or("a master list without a signer")?;
    let signer = carried
        .iter()
        .find(|c| identifies(&info.sid, c))
        .ok_or("the master list's signer certificate is not in the SignedData")?;
    check_signer_info(info, signer, content)?;
    if !signer.may_sign_documents() {
        return Err(format!(
            "the master list's signer ({}) has a key usage without digitalSignature",
            signer.subject
        ));
    }
    let issued = certificates
        .iter()
        .chain(&carried)
        .any(|ca| ca.is_certificate_authority() && signer.is_signed_by(ca));
    if !issued {
        return Err(format!(
            "the master list's signer ({}) was not issued by a CSCA of the list",
            signer.subject
        ));
    }
    Ok(MasterList { certificates })
}

/// The certificates of `CscaMasterList` (unreadable ones are skipped, as a lab expects a list
/// of hundreds to be usable when one entry is odd).
fn cert_list(content: &[u8]) -> Result<Vec<Certificate>, String> {
    let bad = |e: der::Error| format!("master list content that is not a CscaMasterList ({e})");
    let list = AnyRef::from_der(content).map_err(bad)?;
    let mut outer = SliceReader::new(list.value()).map_err(bad)?;
    let _version = Any::decode(&mut outer).map_err(bad)?;
    let set = Any::decode(&mut outer).map_err(bad)?;
    let mut items = SliceReader::new(set.value()).map_err(bad)?;
    let mut out = Vec::new();
    while !items.is_finished() {
        let item = AnyRef::decode(&mut items).map_err(bad)?;
        if let Some(c) = item.to_der().ok().and_then(|d| Certificate::from_der(&d)) {
            out.push(c);
        }
    }
    Ok(out)
}

fn identifies(sid: &SignerIdentifier, c: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer.to_der().is_ok_and(|d| d == c.issuer_name_der())
                && strip_leading_zeros(isn.serial_number.as_bytes()) == c.serial.as_slice()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            c.subject_key_id.as_deref() == Some(ski.0.as_bytes())
        }
    }
}

/// Whether the signer info's digest matches `content` and its signature over the signed
/// attributes verifies with `signer`'s key; `Err` says which part is missing or wrong.
fn check_signer_info(
    info: &SignerInfo,
    signer: &Certificate,
    content: &[u8],
) -> Result<(), String> {
    let hash = Hash::from_oid(&info.digest_alg.oid.to_string()).ok_or_else(|| {
        format!(
            "the master list's digest algorithm {} is not supported",
            info.digest_alg.oid
        )
    })?;
    let attrs = info
        .signed_attrs
        .as_ref()
        .ok_or("the master list's signer info has no signed attributes")?;
    let attr = |oid: &str| {
        attrs
            .iter()
            .find(|a| a.oid.to_string() == oid)
            .and_then(|a| a.values.iter().next())
    };
    let digest = attr(MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or("the master list's signed attributes hold no message digest")?;
    if digest.as_bytes() != hash.digest(content).as_slice() {
        return Err("the master list's content does not match the digest it signed".into());
    }
    let content_type = attr(CONTENT_TYPE).and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
    if content_type.is_none_or(|t| t.to_string() != CSCA_MASTER_LIST) {
        return Err("the master list's signed content type is not a CSCA master list".into());
    }
    let signed = attrs
        .to_der()
        .map_err(|e| format!("the master list's signed attributes do not encode ({e})"))?;
    let alg = info.signature_algorithm.oid.to_string();
    let params = info
        .signature_algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok());
    let sig = info.signature.as_bytes();
    let ok = match (&signer.key, alg.as_str()) {
        (PublicKey::Ec { curve, point }, EC_PUBLIC_KEY) => {
            verify_ecdsa(*curve, point, &hash.digest(&signed), EcSig::Der(sig))
        }
        (PublicKey::Rsa { n, e }, RSA_ENCRYPTION) => rsa::verify_pkcs1(n, e, hash, &signed, sig),
        (key, _) => verify_x509(key, &alg, params.as_deref(), &signed, sig),
    };
    if ok {
        Ok(())
    } else {
        Err("the master list's signature does not verify with its signer's certificate".into())
    }
}
