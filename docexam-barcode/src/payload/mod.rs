//! Barcode payloads: what the bytes of a code say, detected from their content (never from
//! the symbology), parsed into named fields with the specification's element ids, with
//! structural findings and a signature verdict.
//!
//! | kind | specification | detected by |
//! | --- | --- | --- |
//! | `aamva` | AAMVA DL/ID Card Design Standard, versions 1–10 and pre-standard | `@` + `ANSI `/`AAMVA` header |
//! | `vds` | ICAO Doc 9303-13 / BSI TR-03137 visible digital seal | magic byte `0xDC` |
//! | `idb` | ICAO Doc 9303-13 ICAO Datastructure for Barcode | `NDB1` prefix |
//! | `vdsnc` | ICAO VDS for non-constrained environments (JSON) | JSON with `data` and `sig` |
//! | `dcc` | EU Digital COVID Certificate | `HC1:` prefix |
//! | `bcbp` | IATA Resolution 792 bar-coded boarding pass | `M1`–`M4` + fixed layout |
//! | `unknown` | anything else: text or hex, with its hash | — |

mod aamva;
mod base45;
mod bcbp;
mod c40;
mod dcc;
mod dcc_schema;
mod finding;
mod idb;
mod jcs;
mod seal;
mod vds;
mod vds_types;
mod vdsnc;

use std::borrow::Cow;

use serde::Serialize;

pub use finding::{Cause, Finding};
pub use idb::{
    barcode_text as idb_barcode_text, binary_payload as idb_binary_payload,
    mrz_message as idb_mrz_message, write_unsigned as write_unsigned_idb,
};
pub use seal::{identity_from_mrz, identity_of};

pub(crate) use super::codec::hex;
pub(crate) use super::trust::SignatureCheck;
use super::trust::TrustStore;
use docexam_base::date::CivilDate;
use docexam_base::severity::Severity;

/// Largest payload parsed (a PDF417 holds under 2 KB; a QR code under 3 KB; VDS-NC JSON in a
/// large QR code stays under 4 KB).
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// What a payload is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    /// AAMVA driving licence / identification card.
    Aamva,
    /// ICAO visible digital seal.
    Vds,
    /// ICAO Datastructure for Barcode.
    Idb,
    /// ICAO VDS for non-constrained environments.
    Vdsnc,
    /// EU Digital COVID Certificate.
    Dcc,
    /// IATA bar-coded boarding pass.
    Bcbp,
    /// Not a payload docexam knows.
    Unknown,
}

/// A payload kind name that is none of docexam's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown payload kind {0:?}: expected auto, aamva, vds, idb, vdsnc, dcc or bcbp")]
pub struct UnknownPayloadKind(pub String);

impl PayloadKind {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Aamva => "aamva",
            Self::Vds => "vds",
            Self::Idb => "idb",
            Self::Vdsnc => "vdsnc",
            Self::Dcc => "dcc",
            Self::Bcbp => "bcbp",
            Self::Unknown => "unknown",
        }
    }

    /// Parses a command-line name (`auto` is `None`).
    pub fn from_name(name: &str) -> Result<Option<Self>, UnknownPayloadKind> {
        Ok(Some(match name {
            "auto" => return Ok(None),
            "aamva" => Self::Aamva,
            "vds" => Self::Vds,
            "idb" => Self::Idb,
            "vdsnc" => Self::Vdsnc,
            "dcc" => Self::Dcc,
            "bcbp" => Self::Bcbp,
            other => return Err(UnknownPayloadKind(other.to_owned())),
        }))
    }
}

/// One named field of a payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The specification's id for it (`DAQ`, a VDS tag as `0x02`, a BCBP item number),
    /// where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A stable snake_case name (`document_number`, `family_name`, …).
    pub name: Cow<'static, str>,
    /// The value, normalised where the specification says how (dates as `YYYY-MM-DD`).
    pub value: String,
    /// The value as it stands in the payload, when normalising changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

impl Field {
    /// A field whose value stands as written.
    pub fn new(
        id: Option<&str>,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Self {
        Self {
            id: id.map(str::to_string),
            name: name.into(),
            value: value.into(),
            raw: None,
        }
    }
}

/// The holder and document, as a payload states them; what cross-checks compare.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// Family name(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Given name(s), space-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_names: Option<String>,
    /// Date of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<CivilDate>,
    /// Document number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// Date of expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<CivilDate>,
    /// Sex: `M`, `F` or `X`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<char>,
    /// Issuing state or jurisdiction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// An MRZ the payload carries (lines joined by `\n`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz: Option<String>,
}

/// A parsed payload.
#[derive(Clone, Debug, Serialize)]
pub struct Payload {
    /// What it is.
    pub kind: PayloadKind,
    /// A short description (`AAMVA version 8, Massachusetts`, `ICAO VDS: visa`, …).
    pub description: String,
    /// Named fields, in payload order.
    pub fields: Vec<Field>,
    /// The holder and document, for cross-checks.
    pub identity: Identity,
    /// The signature verdict.
    pub signature: SignatureCheck,
    /// Structural findings, in payload order.
    pub findings: Vec<Finding>,
    /// The payload as text, when it is printable text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Payload {
    /// A payload of `kind` with nothing parsed yet.
    pub(crate) fn empty(kind: PayloadKind, description: impl Into<String>) -> Self {
        Self {
            kind,
            description: description.into(),
            fields: Vec::new(),
            identity: Identity::default(),
            signature: SignatureCheck::not_signed("this payload kind carries no signature"),
            findings: Vec::new(),
            text: None,
        }
    }

    pub(crate) fn field(
        &mut self,
        id: Option<&str>,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) {
        self.fields.push(Field::new(id, name, value));
    }

    pub(crate) fn finding(
        &mut self,
        code: &'static str,
        severity: Severity,
        offset: Option<usize>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            code,
            severity,
            cause: Cause::of(code),
            offset,
            message: message.into(),
        });
    }

    /// The value of the first field with this name.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// How to parse.
#[derive(Clone, Copy, Debug)]
pub struct ParseOptions<'a> {
    /// Force a kind (`None`: detect from content).
    pub kind: Option<PayloadKind>,
    /// Certificates to verify signatures with.
    pub trust: &'a TrustStore,
    /// The date validity is judged on.
    pub as_of: CivilDate,
}

/// Which kind the content looks like.
pub fn detect(bytes: &[u8]) -> PayloadKind {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if aamva::looks_like(body) {
        PayloadKind::Aamva
    } else if bytes.first() == Some(&0xDC) {
        PayloadKind::Vds
    } else if bytes.starts_with(b"HC1:") {
        PayloadKind::Dcc
    } else if idb::looks_like(bytes) {
        PayloadKind::Idb
    } else if vdsnc::looks_like(bytes) {
        PayloadKind::Vdsnc
    } else if bcbp::looks_like(bytes) {
        PayloadKind::Bcbp
    } else {
        PayloadKind::Unknown
    }
}

/// Parses payload bytes. Never fails: what cannot be read is a finding, and bytes that are no
/// known payload come back as `unknown` with their text or hex.
pub fn parse(bytes: &[u8], opts: &ParseOptions<'_>) -> Payload {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        let mut p = Payload::empty(PayloadKind::Unknown, "oversized payload");
        p.finding(
            "payload.too_large",
            Severity::Error,
            None,
            format!(
                "the payload has {} bytes, more than the {MAX_PAYLOAD_BYTES} any barcode holds",
                bytes.len()
            ),
        );
        return p;
    }
    let kind = opts.kind.unwrap_or_else(|| detect(bytes));
    // Text payloads end where their text ends; a scanner's line ending is not part of them.
    let bytes = match kind {
        PayloadKind::Dcc | PayloadKind::Idb | PayloadKind::Bcbp | PayloadKind::Vdsnc => {
            let n = bytes
                .iter()
                .rev()
                .take_while(|&&c| c == b'\n' || c == b'\r')
                .count();
            bytes.get(..bytes.len() - n).unwrap_or_default()
        }
        _ => bytes,
    };
    match kind {
        PayloadKind::Aamva => aamva::parse(bytes, opts),
        PayloadKind::Vds => vds::parse(bytes, opts),
        PayloadKind::Idb => idb::parse(bytes, opts),
        PayloadKind::Vdsnc => vdsnc::parse(bytes, opts),
        PayloadKind::Dcc => dcc::parse(bytes, opts),
        PayloadKind::Bcbp => bcbp::parse(bytes, opts),
        PayloadKind::Unknown => unknown(bytes),
    }
}

/// Bytes of no known kind: their text if printable, else hex.
fn unknown(bytes: &[u8]) -> Payload {
    let mut p = Payload::empty(PayloadKind::Unknown, "not a payload kind docexam knows");
    p.signature = SignatureCheck::not_signed("no known payload structure, so no signature to find");
    match std::str::from_utf8(bytes) {
        Ok(t)
            if !t
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            p.text = Some(t.to_string());
        }
        _ => p.field(None, "hex", hex(bytes)),
    }
    p.field(None, "length", bytes.len().to_string());
    p
}

/// JSON leaves as fields named by their path (`nam.fn`, `v.0.dt`).
pub(crate) fn flatten(p: &mut Payload, prefix: &str, v: &serde_json::Value) {
    use serde_json::Value as J;
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        J::Object(o) => o.iter().for_each(|(k, x)| flatten(p, &join(k), x)),
        J::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| flatten(p, &join(&i.to_string()), x)),
        J::String(s) => p.field(None, prefix.to_string(), s.clone()),
        J::Null => p.field(None, prefix.to_string(), ""),
        other => p.field(None, prefix.to_string(), other.to_string()),
    }
}
