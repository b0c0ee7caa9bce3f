//! Cross-checks: the MRZ against the specimen's rules (issuing state, document code, the
//! period the design was issued in), against itself on other captures (a retyped MRZ reads
//! differently under IR), against the barcode, and against the printed data.

use crate::compare::{FeatureResult, Status};
use crate::date::CivilDate;
use crate::mrz::FieldKind;
use crate::specimen::{Comparator, Specimen};

use super::report::{BarcodeRecord, CrossCheckRecord, CrossCheckStatus, MrzRecord};

/// The longest validity a travel document is issued with (years), for the check that a
/// document's expiry fits the period its design was issued in.
pub const MAX_VALIDITY_YEARS: i32 = 10;

fn record(
    check: &str,
    a: String,
    b: String,
    status: CrossCheckStatus,
    detail: String,
) -> CrossCheckRecord {
    CrossCheckRecord {
        check: check.to_string(),
        between: [a, b],
        status,
        detail,
    }
}

fn mrz_name(m: &MrzRecord) -> String {
    super::locus::mrz_label(m.side, m.light)
}

/// Every cross-check of one examination, in a fixed order.
pub fn cross_checks(
    specimen: Option<&Specimen>,
    mrz: &[MrzRecord],
    barcodes: &[BarcodeRecord],
    features: &[FeatureResult],
) -> Vec<CrossCheckRecord> {
    let mut out = Vec::new();
    // The MRZ of reference: the first white read (captures come in the order given).
    let main = mrz
        .iter()
        .find(|m| m.light == crate::ingest::LightSource::White)
        .or_else(|| mrz.first());
    if let (Some(spec), Some(m)) = (specimen, main) {
        specimen_rules(spec, m, &mut out);
    }
    // The MRZ as read on other captures: the same characters.
    if let Some(m) = main {
        for other in mrz.iter().filter(|o| !std::ptr::eq(*o, m)) {
            let (a, b) = (m.record.lines(), other.record.lines());
            let same = a == b;
            let detail = if same {
                format!(
                    "the MRZ reads the same on {} and {}",
                    mrz_name(m),
                    mrz_name(other)
                )
            } else {
                let diff = first_difference(&a, &b);
                format!(
                    "the MRZ reads differently on {} and {}: {diff}",
                    mrz_name(m),
                    mrz_name(other)
                )
            };
            let status = if same {
                CrossCheckStatus::Agrees
            } else {
                CrossCheckStatus::Mismatch
            };
            out.push(record(
                "mrz_vs_mrz",
                mrz_name(m),
                mrz_name(other),
                status,
                detail,
            ));
        }
    }
    // The barcodes' identities against the MRZ (compared in the barcode module).
    for b in barcodes {
        for (i, (code, checks)) in b.codes.iter().zip(&b.cross_checks).enumerate() {
            let source = format!(
                "barcode {} #{} ({})",
                b.input,
                i + 1,
                code.payload.kind.name()
            );
            let mrz_source = main.map_or_else(|| "mrz".to_string(), mrz_name);
            if checks.is_empty() {
                out.push(record(
                    "mrz_vs_barcode",
                    mrz_source.clone(),
                    source.clone(),
                    CrossCheckStatus::NotChecked,
                    if main.is_some() {
                        "the barcode and the MRZ have no field in common".into()
                    } else {
                        "no MRZ was read to compare the barcode with".into()
                    },
                ));
            }
            for c in checks {
                out.push(record(
                    &format!("mrz_vs_barcode.{}", c.field),
                    mrz_source.clone(),
                    source.clone(),
                    if c.agrees {
                        CrossCheckStatus::Agrees
                    } else {
                        CrossCheckStatus::Mismatch
                    },
                    c.message.clone(),
                ));
            }
        }
    }
    // The printed data, drawn from the MRZ and compared character by character.
    for f in features
        .iter()
        .filter(|f| f.comparator == Comparator::PrintedData)
    {
        let status = match f.status {
            Status::Pass => CrossCheckStatus::Agrees,
            Status::Fail => CrossCheckStatus::Mismatch,
            Status::Inconclusive | Status::NotApplicable => CrossCheckStatus::NotChecked,
        };
        // A failure is already an anomaly of the feature; the table shows it without
        // counting it twice.
        let status = if status == CrossCheckStatus::Mismatch {
            CrossCheckStatus::NotChecked
        } else {
            status
        };
        let detail = if f.status == Status::Fail {
            format!("see feature {}: {}", f.feature, f.sentence)
        } else {
            f.sentence.clone()
        };
        out.push(record(
            "mrz_vs_printed",
            main.map_or_else(|| "mrz".to_string(), mrz_name),
            format!("printed data {}", f.feature),
            status,
            detail,
        ));
    }
    out
}

/// The MRZ `m` against the rules of `spec`: document code, issuing state, issue period.
fn specimen_rules(spec: &Specimen, m: &MrzRecord, out: &mut Vec<CrossCheckRecord>) {
    let doc = &spec.manifest.document;
    let sp = format!("specimen {}", doc.id);
    let strip = |s: Option<String>| s.map(|v| v.trim_end_matches('<').to_string());
    let code = strip(m.record.raw(FieldKind::DocumentCode));
    let state = strip(m.record.raw(FieldKind::IssuingState));
    for (what, got, want) in [
        (
            "document_code",
            code,
            doc.document_code.trim_end_matches('<'),
        ),
        ("issuing_state", state, doc.issuing_state.as_str()),
    ] {
        let (status, detail) = match got {
            None => (
                CrossCheckStatus::NotChecked,
                format!("the MRZ has no {what}"),
            ),
            Some(g) if g == want => (
                CrossCheckStatus::Agrees,
                format!("the MRZ's {what} {g} is the specimen's"),
            ),
            Some(g) => (
                CrossCheckStatus::Mismatch,
                format!("the MRZ's {what} {g} is not the specimen's {want}"),
            ),
        };
        out.push(record(
            &format!("mrz_vs_specimen.{what}"),
            mrz_name(m),
            sp.clone(),
            status,
            detail,
        ));
    }
    let expiry = m.record.expiry_date().full();
    let (status, detail) = issue_period(expiry, doc.valid_from, doc.valid_to);
    out.push(record(
        "mrz_vs_specimen.issue_period",
        mrz_name(m),
        sp.clone(),
        status,
        detail,
    ));
    if let Some((first, last)) = m.record.issue_month().range() {
        let before = doc.valid_from.is_some_and(|from| last < from);
        let after = doc.valid_to.is_some_and(|to| first > to);
        let (status, detail) = if before || after {
            (
                CrossCheckStatus::Mismatch,
                format!(
                    "the MRZ's issue month ({first}–{last}) lies outside the period this design was issued ({})",
                    period(doc.valid_from, doc.valid_to)
                ),
            )
        } else {
            (
                CrossCheckStatus::Agrees,
                format!(
                    "the MRZ's issue month ({first}–{last}) lies within the period this design was issued ({})",
                    period(doc.valid_from, doc.valid_to)
                ),
            )
        };
        out.push(record(
            "mrz_vs_specimen.issue_month",
            mrz_name(m),
            sp,
            status,
            detail,
        ));
    }
}

fn period(from: Option<CivilDate>, to: Option<CivilDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{f} to {t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("until {t}"),
        (None, None) => "no period given".into(),
    }
}

/// Whether a document expiring on `expiry` can be of a design issued from `from` to `to`:
/// it must expire after the first issue and at most [`MAX_VALIDITY_YEARS`] after the last.
pub fn issue_period(
    expiry: Option<CivilDate>,
    from: Option<CivilDate>,
    to: Option<CivilDate>,
) -> (CrossCheckStatus, String) {
    let Some(e) = expiry else {
        return (
            CrossCheckStatus::NotChecked,
            "the MRZ has no full expiry date".into(),
        );
    };
    if from.is_none() && to.is_none() {
        return (
            CrossCheckStatus::NotChecked,
            "the specimen gives no period of issue".into(),
        );
    }
    if let Some(f) = from.filter(|f| e <= *f) {
        return (
            CrossCheckStatus::Mismatch,
            format!("the document expires on {e}, before this design was first issued on {f}"),
        );
    }
    if let Some(t) = to {
        let latest = CivilDate::from_unix_days(t.unix_days() + i64::from(MAX_VALIDITY_YEARS) * 366);
        if e > latest {
            return (
                CrossCheckStatus::Mismatch,
                format!(
                    "the document expires on {e}, more than {MAX_VALIDITY_YEARS} years after this design was last issued on {t}"
                ),
            );
        }
    }
    (
        CrossCheckStatus::Agrees,
        format!(
            "the expiry {e} fits the period this design was issued ({})",
            period(from, to)
        ),
    )
}

/// The first position where two MRZs differ, as a phrase.
fn first_difference(a: &[String], b: &[String]) -> String {
    for (li, (x, y)) in a.iter().zip(b).enumerate() {
        if let Some((ci, (p, q))) = x
            .chars()
            .zip(y.chars())
            .enumerate()
            .find(|(_, (p, q))| p != q)
        {
            return format!("line {} position {}: {p:?} against {q:?}", li + 1, ci + 1);
        }
        if x.len() != y.len() {
            return format!(
                "line {} has {} against {} characters",
                li + 1,
                x.len(),
                y.len()
            );
        }
    }
    format!("{} lines against {}", a.len(), b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<CivilDate> {
        s.parse().ok()
    }

    #[test]
    fn an_expiry_must_fall_after_the_first_issue_and_within_ten_years_of_the_last() {
        let (from, to) = (d("2026-01-01"), d("2030-12-31"));
        assert_eq!(
            issue_period(d("2036-05-01"), from, to).0,
            CrossCheckStatus::Agrees
        );
        assert_eq!(
            issue_period(d("2025-06-30"), from, to).0,
            CrossCheckStatus::Mismatch
        );
        assert_eq!(
            issue_period(d("2026-01-01"), from, to).0,
            CrossCheckStatus::Mismatch
        );
        assert_eq!(
            issue_period(d("2040-12-31"), from, to).0,
            CrossCheckStatus::Agrees
        );
        assert_eq!(
            issue_period(d("2041-02-01"), from, to).0,
            CrossCheckStatus::Mismatch
        );
        assert_eq!(
            issue_period(d("2060-01-01"), from, None).0,
            CrossCheckStatus::Agrees
        );
        assert_eq!(issue_period(None, from, to).0, CrossCheckStatus::NotChecked);
        assert_eq!(
            issue_period(d("2030-01-01"), None, None).0,
            CrossCheckStatus::NotChecked
        );
    }

    #[test]
    fn the_first_difference_is_named_by_line_and_position() {
        let a = vec!["P<UTO".to_string(), "L898".to_string()];
        let b = vec!["P<UTO".to_string(), "L89B".to_string()];
        assert_eq!(
            first_difference(&a, &b),
            "line 2 position 4: '8' against 'B'"
        );
    }
}
