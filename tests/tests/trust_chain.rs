//! Trust decisions on seals a forger could make: signatures by self-made certificates, by a
//! namesake CA, by a certificate that is not a CA; expired, revoked and wrongly-used signers;
//! link certificates; CSCA master lists whose own signature holds or does not. The certificates
//! are the test material of `tests/data/trust` (made by `scripts/make-trust-fixtures.sh`).

use docexam_core::barcode::{
    Authenticity, ParseOptions, Payload, SignatureStatus, TrustStatus, TrustStore, parse,
};
use docexam_core::date::CivilDate;
use docexam_tests::seals::{cert, key, trust_data, vds_nc};

/// A trust folder holding the named fixture files.
fn folder(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in files {
        std::fs::copy(trust_data().join(f), dir.path().join(f)).expect("copy fixture");
    }
    dir
}

fn store(files: &[&str]) -> TrustStore {
    let dir = folder(files);
    TrustStore::load_dir(dir.path()).expect("loads").value
}

fn as_of() -> CivilDate {
    CivilDate::new(2025, 6, 1).expect("date")
}

/// A payload parsed and its signature judged against `trust`, as of 2025-06-01.
fn judge(payload: &str, trust: &TrustStore) -> Payload {
    parse(
        payload.as_bytes(),
        &ParseOptions {
            kind: None,
            trust,
            as_of: as_of(),
        },
    )
}

/// The VDS-NC of the sample, signed by the fixture `signer`, judged against `trust`.
fn judged(signer: &str, trust: &TrustStore) -> Payload {
    judge(&vds_nc(&key(signer), &cert(signer)), trust)
}

/// Asserts the seal is unproven and one of the reasons given contains `why`.
fn assert_unproven_because(p: &Payload, why: &str) {
    assert_eq!(
        p.signature.authenticity,
        Authenticity::Unproven,
        "{}",
        p.signature.detail
    );
    assert!(
        p.signature.problems.iter().any(|x| x.contains(why)),
        "{why:?} not among {:?}",
        p.signature.problems
    );
}

#[test]
fn a_signer_issued_by_the_csca_is_proven() {
    let trust = store(&["csca.der"]);
    let p = judged("ds", &trust);
    assert!(!p.has_errors(), "{:?}", p.findings);
    let s = &p.signature;
    assert_eq!(s.status, SignatureStatus::Valid);
    assert_eq!(s.authenticity, Authenticity::Proven, "{:?}", s.problems);
    assert!(matches!(s.trust, TrustStatus::Chain { .. }));
    assert_eq!(s.chain.len(), 1);
    assert!(s.chain[0].subject.contains("Utopia CSCA"));
    assert!(s.trusted());
}

#[test]
fn without_trust_material_authenticity_is_not_checked() {
    let p = judged("ds", &TrustStore::new());
    assert_eq!(p.signature.status, SignatureStatus::Valid);
    assert_eq!(p.signature.authenticity, Authenticity::NotChecked);
    assert!(
        p.signature.detail.contains("not checked"),
        "{}",
        p.signature.detail
    );
    assert!(!p.signature.trusted());
}

#[test]
fn a_forgers_self_made_certificate_is_not_vouched_for() {
    let trust = store(&["csca.der", "ds.der"]);
    let p = judged("forger-self", &trust);
    let s = &p.signature;
    assert_eq!(
        s.status,
        SignatureStatus::Valid,
        "the forger's own key verifies"
    );
    assert_eq!(s.authenticity, Authenticity::Unproven);
    assert_eq!(s.trust, TrustStatus::Untrusted);
    assert!(!s.problems.is_empty());
}

#[test]
fn a_namesake_csca_does_not_make_a_chain() {
    // The forger's CA bears the real CSCA's name; only the real CSCA is trusted.
    let trust = store(&["csca.der"]);
    let p = judged("forger-ds", &trust);
    assert_unproven_because(&p, "no CA certificate of that name");
}

#[test]
fn a_certificate_that_is_not_a_ca_is_no_anchor() {
    let trust = store(&["not-a-ca.der"]);
    let p = judged("ds-by-not-a-ca", &trust);
    assert_eq!(p.signature.trust, TrustStatus::Untrusted);
    assert_unproven_because(&p, "not a CA certificate");
}

#[test]
fn a_link_certificate_carries_the_chain_to_the_old_csca() {
    let trust = store(&["csca.der", "link.der"]);
    let p = judged("ds-new", &trust);
    assert_eq!(
        p.signature.authenticity,
        Authenticity::Proven,
        "{:?}",
        p.signature.problems
    );
    assert_eq!(p.signature.chain.len(), 2, "{:?}", p.signature.chain);
    // Without the link certificate the new key is unknown.
    let p = judged("ds-new", &store(&["csca.der"]));
    assert_eq!(p.signature.authenticity, Authenticity::Unproven);
}

#[test]
fn a_revoked_signer_is_not_proven() {
    let p = judged("ds-revoked", &store(&["csca.der", "crl.der"]));
    assert_unproven_because(&p, "revoked on 2025-01-01");
    // The same list leaves an unrevoked signer alone.
    let p = judged("ds", &store(&["csca.der", "crl.der"]));
    assert_eq!(p.signature.authenticity, Authenticity::Proven);
    // Without the list nothing is known of the revocation.
    let p = judged("ds-revoked", &store(&["csca.der"]));
    assert_eq!(p.signature.authenticity, Authenticity::Proven);
}

#[test]
fn an_expired_signer_and_one_without_digital_signature_are_not_proven() {
    let p = judged("ds-expired", &store(&["csca.der"]));
    assert_unproven_because(&p, "was not valid on");
    let p = judged("ds-no-digital-signature", &store(&["csca.der"]));
    assert_unproven_because(&p, "digitalSignature");
}

#[test]
fn a_changed_signature_is_false() {
    let trust = store(&["csca.der"]);
    let payload = vds_nc(&key("ds"), &cert("ds"));
    // Sign the sample with the right key, then claim another certificate signed it: the
    // embedded certificate is the one named, and its key does not verify.
    let forged = payload.replace(&base64_url(&cert("ds")), &base64_url(&cert("vds-ds-p256")));
    let p = judge(&forged, &trust);
    assert_eq!(p.signature.status, SignatureStatus::Invalid);
    assert_eq!(p.signature.authenticity, Authenticity::False);
}

fn base64_url(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[test]
fn explicit_p256_parameters_are_the_named_curve() {
    let c =
        docexam_core::barcode::trust::Certificate::from_der(&cert("ds-explicit")).expect("parses");
    assert!(
        matches!(
            c.key,
            docexam_core::barcode::trust::PublicKey::Ec {
                curve: docexam_core::barcode::trust::EcCurve::P256,
                ..
            }
        ),
        "{:?}",
        c.key
    );
    let payload = vds_nc(&key("ds-explicit-named"), &cert("ds-explicit"));
    let p = judge(&payload, &store(&["csca.der"]));
    assert_eq!(
        p.signature.authenticity,
        Authenticity::Proven,
        "{:?}",
        p.signature.problems
    );
}

#[test]
fn a_master_list_supplies_anchors_only_when_its_signature_holds() {
    let good = folder(&["masterlist.der"]);
    let (trust, skipped) = TrustStore::load_dir(good.path())
        .expect("loads")
        .into_parts();
    assert_eq!(trust.certificates().len(), 3, "{skipped:?}");
    let p = judged("ds", &trust);
    assert_eq!(
        p.signature.authenticity,
        Authenticity::Proven,
        "{:?}",
        p.signature.problems
    );

    let bad = folder(&["masterlist-flipped.der"]);
    let (trust, skipped) = TrustStore::load_dir(bad.path())
        .expect("loads")
        .into_parts();
    assert!(
        trust.is_empty(),
        "a list whose signature fails supplies nothing"
    );
    assert!(skipped[0].path.ends_with("masterlist-flipped.der"));
    assert!(skipped[0].reason.contains("signature"), "{}", skipped[0]);
    let p = judged("ds", &trust);
    assert_ne!(p.signature.authenticity, Authenticity::Proven);
}

#[test]
fn a_revocation_list_nobody_in_the_folder_signed_is_not_used() {
    let dir = folder(&["crl.der", "not-a-ca.der"]);
    let (trust, skipped) = TrustStore::load_dir(dir.path())
        .expect("loads")
        .into_parts();
    assert!(trust.crls().is_empty());
    assert!(
        skipped.iter().any(|s| s.reason.contains("revocation list")),
        "{skipped:?}"
    );
}

#[test]
fn devices_and_pipes_in_a_trust_folder_are_skipped_not_read() {
    let dir = folder(&["csca.der"]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.der")).expect("link");
    let fifo = dir.path().join("pipe.der");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Opening the pipe to read it would block for ever: the store must not try.
    let (trust, skipped) = TrustStore::load_dir(dir.path())
        .expect("loads")
        .into_parts();
    assert_eq!(trust.certificates().len(), 1);
    for name in ["zero.der", "pipe.der"] {
        assert!(
            skipped
                .iter()
                .any(|s| s.path.ends_with(name) && s.reason.contains("not a regular file")),
            "{name}: {skipped:?}"
        );
    }
}

#[test]
fn a_csca_signing_with_rsa_pss_makes_a_chain() {
    let p = judged("rsa-pss-ds", &store(&["rsa-pss-csca.der"]));
    assert_eq!(
        p.signature.authenticity,
        Authenticity::Proven,
        "{:?}",
        p.signature.problems
    );
    // One bit of the certificate's PSS signature changed: no chain.
    let mut der = cert("rsa-pss-ds");
    let last = der.len() - 1;
    der[last] ^= 1;
    let changed = docexam_core::barcode::trust::Certificate::from_der(&der).expect("parses");
    let ca =
        docexam_core::barcode::trust::Certificate::from_der(&cert("rsa-pss-csca")).expect("parses");
    assert!(!changed.is_signed_by(&ca));
    assert!(
        ca.is_signed_by(&ca),
        "the CSCA's own PSS self-signature verifies"
    );
}

fn dcc_judged(kind: char, alg_protected: bool, trust: &TrustStore) -> Payload {
    // Issued 2025-03-01.
    let seal = docexam_tests::seals::dcc(
        &key("dcc-ds-vaccination"),
        &cert("dcc-ds-vaccination"),
        kind,
        1_740_787_200,
        alg_protected,
    );
    judge(&seal, trust)
}

#[test]
fn a_dcc_signer_may_sign_only_the_types_its_extended_key_usage_names() {
    // A DCC does not carry its signer: the trust list names it (here beside its CSCA).
    let trust = store(&["csca.der", "dcc-ds-vaccination.der"]);
    let v = dcc_judged('v', true, &trust);
    assert_eq!(
        v.signature.status,
        SignatureStatus::Valid,
        "{}",
        v.signature.detail
    );
    assert_eq!(
        v.signature.authenticity,
        Authenticity::Proven,
        "{:?}",
        v.signature.problems
    );
    assert!(matches!(v.signature.trust, TrustStatus::Chain { .. }));
    let t = dcc_judged('t', true, &trust);
    assert_eq!(t.signature.status, SignatureStatus::Valid);
    assert_unproven_because(&t, "only vaccination");
}

#[test]
fn a_dcc_algorithm_outside_the_protected_header_is_not_used() {
    let trust = store(&["csca.der", "dcc-ds-vaccination.der"]);
    let p = dcc_judged('v', false, &trust);
    assert!(
        p.findings.iter().any(|f| f.code == "dcc.alg_unprotected"),
        "{:?}",
        p.findings
    );
    assert_eq!(p.signature.status, SignatureStatus::Unsupported);
    assert_ne!(p.signature.authenticity, Authenticity::Proven);
}

#[test]
fn a_revocation_list_signed_with_the_new_csca_key_covers_signers_of_the_old_key() {
    let p = judged(
        "ds-revoked",
        &store(&["csca.der", "csca-new.der", "crl-new-key.der"]),
    );
    assert_unproven_because(&p, "revoked on 2025-02-01");
}

#[test]
fn a_seal_that_cannot_be_verified_is_unproven_when_trust_was_supplied() {
    // The forger embeds an RSA certificate in an ES256 seal: its key cannot verify it.
    let mismatched = vds_nc(&key("ds"), &cert("rsa-ds"));
    // The forger names an algorithm docexam does not verify.
    let unknown_alg = vds_nc(&key("ds"), &cert("ds")).replace("\"ES256\"", "\"RS256\"");
    for seal in [mismatched, unknown_alg] {
        let p = judge(&seal, &store(&["csca.der"]));
        assert_eq!(
            p.signature.status,
            SignatureStatus::Unsupported,
            "{}",
            p.signature.detail
        );
        assert_eq!(p.signature.authenticity, Authenticity::Unproven);
        assert!(!p.signature.problems.is_empty());
        let p = judge(&seal, &TrustStore::new());
        assert_eq!(p.signature.authenticity, Authenticity::NotChecked);
    }
}
