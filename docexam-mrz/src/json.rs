//! The JSON form of an MRZ record (schema in `docs/mrz.md`; stable: keys are only added).

use serde::{Serialize, Serializer};

use super::check::{CheckStatus, CheckVariant};
use super::dates::MrzDate;
use super::field::FieldKind;
use super::finding::Severity;
use super::format::MrzFormat;
use super::record::Mrz;
use super::span::{JsonPosition, Span};

/// Version of the MRZ JSON schema, increased when a key changes meaning.
pub const MRZ_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct MrzJson {
    schema_version: u32,
    format: MrzFormat,
    format_description: &'static str,
    valid: bool,
    as_of: String,
    lines: Vec<String>,
    fields: FieldsJson,
    field_details: Vec<FieldDetailJson>,
    checks: Vec<CheckJson>,
    findings: Vec<FindingJson>,
    repairs: Vec<RepairJson>,
}

#[derive(Serialize)]
struct FieldsJson {
    document_code: Option<String>,
    issuing_state: Option<String>,
    surname: Option<String>,
    given_names: Option<String>,
    document_number: Option<String>,
    nationality: Option<String>,
    birth_date: Option<String>,
    expiry_date: Option<String>,
    birth_date_iso: Option<String>,
    expiry_date_iso: Option<String>,
    sex: Option<String>,
    optional_data: Option<String>,
    optional_data_2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    administrative_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_month_iso: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pin_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bap_configuration: Option<String>,
}

#[derive(Serialize)]
struct FieldDetailJson {
    name: &'static str,
    raw: String,
    line: u32,
    columns: [u32; 2],
}

#[derive(Serialize)]
struct CheckJson {
    name: &'static str,
    status: CheckStatus,
    expected: Option<String>,
    found: Option<String>,
    line: u32,
    columns: [u32; 2],
    covers: Vec<JsonPosition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<CheckVariant>,
}

#[derive(Serialize)]
struct FindingJson {
    code: &'static str,
    severity: Severity,
    message: String,
    line: Option<u32>,
    columns: Option<[u32; 2]>,
}

#[derive(Serialize)]
struct RepairJson {
    line: u32,
    column: u32,
    from: String,
    to: String,
    confirmed_by: Option<&'static str>,
    also_confirmed_by: Option<&'static str>,
    evidence: &'static str,
    strength: &'static str,
}

fn iso(d: MrzDate) -> Option<String> {
    d.full().map(|d| d.to_string())
}

impl Mrz {
    fn json(&self) -> MrzJson {
        let v = |k| self.value(k);
        let fields = FieldsJson {
            document_code: v(FieldKind::DocumentCode),
            issuing_state: v(FieldKind::IssuingState),
            surname: self.surname(),
            given_names: self.given_names(),
            document_number: self.document_number(),
            nationality: v(FieldKind::Nationality),
            birth_date: self.raw(FieldKind::BirthDate),
            expiry_date: self.raw(FieldKind::ExpiryDate),
            birth_date_iso: iso(self.birth_date),
            expiry_date_iso: iso(self.expiry_date),
            sex: self.raw(FieldKind::Sex),
            optional_data: v(FieldKind::OptionalData),
            optional_data_2: v(FieldKind::OptionalData2),
            administrative_code: v(FieldKind::AdministrativeCode),
            issue_month: self.raw(FieldKind::IssueMonth),
            issue_month_iso: match self.issue_month {
                MrzDate::YearMonth { year, month } => Some(format!("{year:04}-{month:02}")),
                _ => None,
            },
            language_code: v(FieldKind::LanguageCode),
            pin_code: v(FieldKind::PinCode),
            version_number: v(FieldKind::VersionNumber),
            bap_configuration: self.raw(FieldKind::BapConfiguration),
        };
        let pos = |s: Span| JsonPosition::from(s);
        MrzJson {
            schema_version: MRZ_SCHEMA_VERSION,
            format: self.format,
            format_description: self.format.description(),
            valid: self.is_valid(),
            as_of: self.as_of.to_string(),
            lines: self.lines(),
            fields,
            field_details: {
                let mut located: Vec<_> = self.fields().collect();
                located.sort_by_key(|f| (f.span, f.kind));
                located
            }
            .into_iter()
            .map(|f| {
                let p = pos(f.span);
                FieldDetailJson {
                    name: f.kind.name(),
                    raw: self.span_text(f.span),
                    line: p.line,
                    columns: p.columns,
                }
            })
            .collect(),
            checks: self
                .checks
                .iter()
                .map(|c| {
                    let p = pos(c.at);
                    CheckJson {
                        name: c.kind.name(),
                        status: c.status,
                        expected: c.expected.map(|d| char::from(b'0' + d).to_string()),
                        found: c
                            .found
                            .and_then(|_| self.text.char_at(c.at.line, c.at.start))
                            .map(String::from),
                        line: p.line,
                        columns: p.columns,
                        covers: c.covers.spans().map(pos).collect(),
                        variant: c.variant,
                    }
                })
                .collect(),
            findings: self
                .findings
                .iter()
                .map(|f| FindingJson {
                    code: f.code(),
                    severity: f.severity(),
                    message: f.message(),
                    line: f.span.map(|s| s.line_number()),
                    columns: f.span.map(|s| s.columns()),
                })
                .collect(),
            repairs: self
                .repairs
                .iter()
                .map(|r| RepairJson {
                    line: u32::from(r.line) + 1,
                    column: u32::from(r.column) + 1,
                    from: r.from.to_string(),
                    to: r.to.to_string(),
                    confirmed_by: r.confirmed_by.map(|k| k.name()),
                    also_confirmed_by: r.also_confirmed_by.map(|k| k.name()),
                    evidence: r.evidence.name(),
                    strength: r.evidence.strength(),
                })
                .collect(),
        }
    }
}

impl Serialize for Mrz {
    /// Serializes the report form documented in `docs/mrz.md`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(serializer)
    }
}
