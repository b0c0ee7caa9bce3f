//! Certificate revocation lists found in the trust folder (X.509 v2 CRLs, read with
//! `x509-parser`). A list counts only once its signature verifies with a CA certificate of the
//! store that may sign CRLs; then every certificate it lists, from that CA, is revoked.

use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::cert::{Certificate, day, key_ids_agree, params_der, same_name};
use super::key::verify_x509;
use crate::codec::strip_leading_zeros;
use docexam_base::date::CivilDate;

/// A revocation list as read (its signature not yet checked).
#[derive(Clone, Debug)]
pub struct Crl {
    /// The DER bytes.
    pub der: Vec<u8>,
    tbs: Vec<u8>,
    issuer_raw: Vec<u8>,
    /// The issuer's name, as `C=UT, O=…, CN=…`.
    pub issuer: String,
    /// When it was issued.
    pub this_update: CivilDate,
    /// When the next one is due, if said.
    pub next_update: Option<CivilDate>,
    /// Serial numbers revoked (big-endian, no leading zeros) and the day of each revocation.
    pub revoked: Vec<(Vec<u8>, CivilDate)>,
    authority_key_id: Option<Vec<u8>>,
    sig_alg: String,
    sig_params: Option<Vec<u8>>,
    signature: Vec<u8>,
}

impl Crl {
    /// Parses one DER CRL; `None` if it is not one.
    pub fn from_der(bytes: &[u8]) -> Option<Self> {
        let (rest, c) = CertificateRevocationList::from_der(bytes).ok()?;
        let der = bytes.get(..bytes.len() - rest.len())?.to_vec();
        let tbs = &c.tbs_cert_list;
        let authority_key_id = tbs
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(a) => {
                    a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                _ => None,
            });
        Some(Self {
            tbs: tbs.as_ref().to_vec(),
            issuer_raw: tbs.issuer.as_raw().to_vec(),
            issuer: tbs.issuer.to_string(),
            this_update: day(tbs.this_update),
            next_update: tbs.next_update.map(day),
            revoked: c
                .iter_revoked_certificates()
                .map(|r| {
                    (
                        strip_leading_zeros(r.raw_serial()).to_vec(),
                        day(r.revocation_date),
                    )
                })
                .collect(),
            authority_key_id,
            sig_alg: c.signature_algorithm.algorithm.to_id_string(),
            sig_params: params_der(c.signature_algorithm.parameters.as_ref()),
            signature: c.signature_value.data.to_vec(),
            der,
        })
    }

    /// Whether `ca` issued this list: its name and key identifier match and its key verifies
    /// the list's signature, and it may sign CRLs.
    pub fn is_signed_by(&self, ca: &Certificate) -> bool {
        same_name(
            &self.issuer_raw,
            &self.issuer,
            ca.subject_name_der(),
            &ca.subject,
        ) && key_ids_agree(
            self.authority_key_id.as_deref(),
            ca.subject_key_id.as_deref(),
        ) && ca.may_sign_crls()
            && verify_x509(
                &ca.key,
                &self.sig_alg,
                self.sig_params.as_deref(),
                &self.tbs,
                &self.signature,
            )
    }

    /// Whether this list speaks for the issuer of `cert` (the issuer names agree). Any CA
    /// certificate of that name may have signed it: a CSCA signs its lists with its current key,
    /// which after a key roll-over is not the key that issued older signers.
    pub fn covers(&self, cert: &Certificate) -> bool {
        cert.issued_by_name(&self.issuer_raw, &self.issuer)
    }

    /// The day `cert` was revoked, if this list revokes it (it covers `cert`'s issuer and lists
    /// its serial).
    pub fn revocation_of(&self, cert: &Certificate) -> Option<CivilDate> {
        if !self.covers(cert) {
            return None;
        }
        self.revoked
            .iter()
            .find(|(serial, _)| *serial == cert.serial)
            .map(|(_, d)| *d)
    }
}
