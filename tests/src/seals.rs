//! Signed seals for tests: VDS-NC and ICAO IDB payloads signed with the test keys of
//! `tests/data/trust` (see its README), so that trust decisions are tested on seals a forger
//! could make as well as on genuine ones.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey;

/// The folder of test certificates, keys, revocation lists and master lists.
pub fn trust_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trust")
}

/// The DER bytes of `tests/data/trust/NAME.der`.
pub fn cert(name: &str) -> Vec<u8> {
    std::fs::read(trust_data().join(format!("{name}.der"))).expect("the fixture exists")
}

/// The P-256 signing key of `tests/data/trust/NAME.key.pem`.
pub fn key(name: &str) -> SigningKey {
    let pem = std::fs::read_to_string(trust_data().join(format!("{name}.key.pem")))
        .expect("the key fixture exists");
    SigningKey::from_pkcs8_pem(&pem).expect("a P-256 PKCS #8 key")
}

/// `r‖s` of an ECDSA P-256 SHA-256 signature over `data`.
pub fn sign(key: &SigningKey, data: &[u8]) -> Vec<u8> {
    let sig: Signature = key.sign(data);
    sig.to_bytes().to_vec()
}

/// A VDS-NC (ICAO proof of vaccination) whose `data` is that of the published sample in
/// `tests/data/barcodes`, signed ES256 with `key` and carrying `cert` as its signer.
pub fn vds_nc(key: &SigningKey, cert: &[u8]) -> String {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/barcodes/vdsnc-aus-vacc-valid.txt"),
    )
    .expect("the sample exists");
    let v: serde_json::Value = serde_json::from_str(&sample).expect("JSON");
    // serde_json sorts members and writes no whitespace: RFC 8785 for this ASCII content.
    let data = serde_json::to_string(&v["data"]).expect("serialises");
    let sig = sign(key, data.as_bytes());
    format!(
        r#"{{"data":{data},"sig":{{"alg":"ES256","cer":"{}","sigvl":"{}"}}}}"#,
        URL_SAFE_NO_PAD.encode(cert),
        URL_SAFE_NO_PAD.encode(sig)
    )
}

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match value.len() {
        n @ 0..=127 => out.push(n as u8),
        n @ 128..=255 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend(value);
    out
}

/// A signed IDB (`RDB1B…`, ICAO 9303-13) of `country` (C40 bytes) holding `messages`, signed
/// ECDSA SHA-256 on 2025-03-01 with `key`, naming the certificate `cert` by the last five
/// bytes of its SHA-1 as the specification does; with `embed`, the certificate is carried too.
pub fn idb(
    country_c40: &[u8],
    messages: &[u8],
    key: &SigningKey,
    cert: &[u8],
    embed: bool,
) -> String {
    use sha1_reference::sha1_tail;
    let mut bin = country_c40.to_vec();
    bin.push(0x01);
    bin.extend(sha1_tail(cert));
    // 03 01 2025 as the integer MMDDYYYY in three bytes.
    let date: u32 = 3_012_025;
    bin.extend(&date.to_be_bytes()[1..]);
    bin.extend(tlv(0x61, messages));
    if embed {
        bin.extend(tlv(0x7E, cert));
    }
    let sig = sign(key, &bin);
    bin.extend(tlv(0x7F, &sig));
    docexam_core::barcode::payload::idb_barcode_text(true, &bin)
}

mod sha1_reference {
    /// The last five bytes of the SHA-1 of `bytes`, computed by `openssl` (the tests already
    /// require it) so that the tests do not share docexam's own hashing.
    pub fn sha1_tail(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new("openssl")
            .args(["dgst", "-sha1", "-binary"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("openssl runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(bytes)
            .expect("writes");
        let out = child.wait_with_output().expect("openssl ends");
        out.stdout[15..20].to_vec()
    }
}

/// Base45 (RFC 9285), as EU DCC QR codes carry their payload.
fn base45(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    let mut push = |v: usize| out.push(char::from(ALPHABET[v]));
    for pair in bytes.chunks(2) {
        match *pair {
            [a, b] => {
                let n = usize::from(a) * 256 + usize::from(b);
                push(n % 45);
                push(n / 45 % 45);
                push(n / 2025);
            }
            [a] => {
                let n = usize::from(a);
                push(n % 45);
                push(n / 45);
            }
            _ => {}
        }
    }
    out
}

/// An EU DCC (`HC1:`) holding one `kind` entry (`v`, `t` or `r`), issued at `iat` (Unix
/// seconds), signed ES256 with `key` and naming `cert` by its key id (first 8 bytes of its
/// SHA-256). With `alg_protected` false the algorithm is put in the unprotected header only.
pub fn dcc(key: &SigningKey, cert: &[u8], kind: char, iat: i64, alg_protected: bool) -> String {
    use ciborium::Value;
    use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
    use sha2::Digest;
    let entry = Value::Array(vec![Value::Map(vec![
        (Value::Text("tg".into()), Value::Text("840539006".into())),
        (
            Value::Text("ci".into()),
            Value::Text("URN:UVCI:01:UT:TEST".into()),
        ),
    ])]);
    let hcert = Value::Map(vec![
        (Value::Text("ver".into()), Value::Text("1.3.0".into())),
        (
            Value::Text("nam".into()),
            Value::Map(vec![
                (Value::Text("fn".into()), Value::Text("Eriksson".into())),
                (Value::Text("fnt".into()), Value::Text("ERIKSSON".into())),
                (Value::Text("gn".into()), Value::Text("Anna".into())),
                (Value::Text("gnt".into()), Value::Text("ANNA".into())),
            ]),
        ),
        (Value::Text("dob".into()), Value::Text("1974-08-12".into())),
        (Value::Text(kind.to_string()), entry),
    ]);
    let claims = Value::Map(vec![
        (Value::Integer(1.into()), Value::Text("UT".into())),
        (Value::Integer(6.into()), Value::Integer(iat.into())),
        (
            Value::Integer(4.into()),
            Value::Integer((iat + 365 * 86_400).into()),
        ),
        (
            Value::Integer((-260).into()),
            Value::Map(vec![(Value::Integer(1.into()), hcert)]),
        ),
    ]);
    let mut payload = Vec::new();
    ciborium::into_writer(&claims, &mut payload).expect("CBOR");
    let kid = sha2::Sha256::digest(cert)[..8].to_vec();
    let with_alg = HeaderBuilder::new().algorithm(iana::Algorithm::ES256);
    let (protected, unprotected) = if alg_protected {
        (with_alg.key_id(kid).build(), HeaderBuilder::new().build())
    } else {
        (HeaderBuilder::new().key_id(kid).build(), with_alg.build())
    };
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected)
        .payload(payload)
        .create_signature(b"", |tbs| sign(key, tbs))
        .build();
    let cose = sign1.to_tagged_vec().expect("COSE");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, &cose).expect("zlib");
    format!("HC1:{}", base45(&z.finish().expect("zlib")))
}
