//! AAMVA data elements (DL/ID Card Design Standard 2000–2020): id, name, the versions that
//! define them, and whether the value is a date.

/// One data element.
pub(crate) struct Element {
    pub id: &'static str,
    pub name: &'static str,
    /// First AAMVA version defining the element with this meaning.
    pub first: u8,
    /// Last version defining it.
    pub last: u8,
    /// Mandatory from `first` on (DL/ID subfiles).
    pub mandatory: bool,
    pub date: bool,
}

const fn e(
    id: &'static str,
    name: &'static str,
    first: u8,
    last: u8,
    mandatory: bool,
    date: bool,
) -> Element {
    Element {
        id,
        name,
        first,
        last,
        mandatory,
        date,
    }
}

/// Elements of versions 2 and later (and those version 1 shares with them).
pub(crate) const ELEMENTS: &[Element] = &[
    e("DCA", "vehicle_class", 2, 99, false, false),
    e("DCB", "restriction_codes", 2, 99, false, false),
    e("DCD", "endorsement_codes", 2, 99, false, false),
    e("DBA", "expiry_date", 1, 99, true, true),
    e("DCS", "family_name", 2, 99, true, false),
    e("DCT", "given_names", 2, 3, true, false),
    e("DAC", "first_name", 4, 99, true, false),
    e("DAD", "middle_names", 4, 99, true, false),
    e("DBD", "issue_date", 1, 99, true, true),
    e("DBB", "birth_date", 1, 99, true, true),
    e("DBC", "sex", 1, 99, true, false),
    e("DAY", "eye_color", 1, 99, false, false),
    e("DAU", "height", 1, 99, false, false),
    e("DAG", "street_1", 1, 99, true, false),
    e("DAI", "city", 1, 99, true, false),
    e("DAJ", "jurisdiction_code", 1, 99, true, false),
    e("DAK", "postal_code", 1, 99, true, false),
    e("DAQ", "customer_id_number", 1, 99, true, false),
    e("DCF", "document_discriminator", 2, 99, true, false),
    e("DCG", "country", 2, 99, true, false),
    e(
        "DCH",
        "federal_commercial_vehicle_codes",
        2,
        3,
        false,
        false,
    ),
    e("DDE", "family_name_truncation", 4, 99, true, false),
    e("DDF", "first_name_truncation", 4, 99, true, false),
    e("DDG", "middle_name_truncation", 4, 99, true, false),
    e("DAH", "street_2", 1, 99, false, false),
    e("DAZ", "hair_color", 1, 99, false, false),
    e("DCI", "place_of_birth", 2, 99, false, false),
    e("DCJ", "audit_information", 2, 99, false, false),
    e("DCK", "inventory_control_number", 2, 99, false, false),
    e("DBN", "alias_family_name", 2, 10, false, false),
    e("DBG", "alias_given_name", 3, 10, false, false),
    e("DBS", "alias_suffix", 3, 10, false, false),
    e("DCU", "name_suffix", 2, 99, false, false),
    e("DCE", "weight_range", 2, 99, false, false),
    e("DCL", "race_ethnicity", 2, 10, false, false),
    e(
        "DCM",
        "standard_vehicle_classification",
        2,
        99,
        false,
        false,
    ),
    e("DCN", "standard_endorsement_code", 2, 99, false, false),
    e("DCO", "standard_restriction_code", 2, 99, false, false),
    e("DCP", "vehicle_class_description", 2, 99, false, false),
    e("DCQ", "endorsement_code_description", 2, 99, false, false),
    e("DCR", "restriction_code_description", 2, 99, false, false),
    e("DDA", "compliance_type", 4, 99, false, false),
    e("DDB", "card_revision_date", 4, 99, false, true),
    e("DDC", "hazmat_expiry_date", 4, 10, false, true),
    e("DDD", "limited_duration_document", 4, 99, false, false),
    e("DAW", "weight_pounds", 1, 99, false, false),
    e("DAX", "weight_kilograms", 1, 99, false, false),
    e("DDH", "under_18_until", 5, 99, false, true),
    e("DDI", "under_19_until", 5, 99, false, true),
    e("DDJ", "under_21_until", 5, 99, false, true),
    e("DDK", "organ_donor", 6, 99, false, false),
    e("DDL", "veteran", 7, 99, false, false),
    e("DDM", "cdl_indicator", 11, 99, false, false),
    e("DDN", "non_domiciled", 11, 99, false, false),
    e("DDO", "enhanced_credential", 11, 99, false, false),
    e("DDP", "permit_indicator", 11, 99, false, false),
];

/// Version 1 (DL/ID-2000) elements whose meaning differs from later versions, or that later
/// versions dropped. Version 1 also uses the shared elements above with `first == 1`.
pub(crate) const V1_ELEMENTS: &[Element] = &[
    e("DAA", "full_name", 1, 1, false, false),
    e("DAB", "last_name", 1, 1, false, false),
    e("DAC", "first_name", 1, 1, false, false),
    e("DAD", "middle_name", 1, 1, false, false),
    e("DAE", "name_suffix", 1, 1, false, false),
    e("DAF", "name_prefix", 1, 1, false, false),
    e("DAL", "residence_street_1", 1, 1, false, false),
    e("DAM", "residence_street_2", 1, 1, false, false),
    e("DAN", "residence_city", 1, 1, false, false),
    e("DAO", "residence_jurisdiction_code", 1, 1, false, false),
    e("DAP", "residence_postal_code", 1, 1, false, false),
    e("DAR", "license_classification_code", 1, 1, false, false),
    e("DAS", "license_restriction_code", 1, 1, false, false),
    e("DAT", "license_endorsements_code", 1, 1, false, false),
    e("DAV", "height_cm", 1, 1, false, false),
    e("DBE", "issue_timestamp", 1, 1, false, false),
    e("DBF", "number_of_duplicates", 1, 1, false, false),
    e("DBG", "medical_codes", 1, 1, false, false),
    e("DBH", "organ_donor", 1, 1, false, false),
    e("DBI", "non_resident", 1, 1, false, false),
    e("DBJ", "unique_customer_identifier", 1, 1, false, false),
    e("DBK", "social_security_number", 1, 1, false, false),
    e("DBL", "aka_birth_date", 1, 1, false, true),
    e("DBM", "aka_social_security_number", 1, 1, false, false),
    e("DBN", "aka_full_name", 1, 1, false, false),
    e("DBO", "aka_last_name", 1, 1, false, false),
    e("DBP", "aka_first_name", 1, 1, false, false),
    e("DBQ", "aka_middle_name", 1, 1, false, false),
    e("DBR", "aka_suffix", 1, 1, false, false),
    e("DBS", "aka_prefix", 1, 1, false, false),
    e("PAA", "permit_classification_code", 1, 1, false, false),
    e("PAB", "permit_expiry_date", 1, 1, false, true),
    e("PAC", "permit_identifier", 1, 1, false, false),
    e("PAD", "permit_issue_date", 1, 1, false, true),
    e("PAE", "permit_restriction_code", 1, 1, false, false),
    e("PAF", "permit_endorsement_code", 1, 1, false, false),
];

/// Every definition sorted by id, each with whether it is version 1's own (for binary search).
fn index() -> &'static [(&'static Element, bool)] {
    static INDEX: std::sync::OnceLock<Vec<(&'static Element, bool)>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut all: Vec<(&'static Element, bool)> = ELEMENTS
            .iter()
            .map(|e| (e, false))
            .chain(V1_ELEMENTS.iter().map(|e| (e, true)))
            .collect();
        // Stable: within one id, the version-2+ table's definition comes first.
        all.sort_by_key(|(e, _)| e.id);
        all
    })
}

/// The element with this id as `version` defines it; otherwise the definition of another
/// version (`in_version == false`), or `None` if no version defines it.
pub(crate) fn lookup(id: &str, version: u8) -> Option<(&'static Element, bool)> {
    let all = index();
    let start = all.partition_point(|(e, _)| e.id < id);
    let same = all.get(start..)?.iter().take_while(|(e, _)| e.id == id);
    let in_range = |(e, _): &&(&Element, bool)| e.first <= version && version <= e.last;
    // Version 1 reused some ids with other meanings; its own table decides for it.
    if version <= 1
        && let Some((e, _)) = same.clone().filter(in_range).find(|(_, v1)| *v1)
    {
        return Some((e, true));
    }
    if let Some((e, _)) = same.clone().filter(in_range).find(|(_, v1)| !*v1) {
        return Some((e, true));
    }
    same.clone().next().map(|(e, _)| (*e, false))
}

#[cfg(test)]
mod tests {
    use super::lookup;

    fn name(id: &str, version: u8) -> Option<(&'static str, bool)> {
        lookup(id, version).map(|(e, in_version)| (e.name, in_version))
    }

    #[test]
    fn version_one_reads_reused_ids_with_its_own_meaning() {
        assert_eq!(name("DBN", 1), Some(("aka_full_name", true)));
        assert_eq!(name("DBN", 8), Some(("alias_family_name", true)));
        assert_eq!(name("DBS", 1), Some(("aka_prefix", true)));
        assert_eq!(name("DBS", 5), Some(("alias_suffix", true)));
    }

    #[test]
    fn elements_outside_their_version_are_named_and_flagged() {
        assert_eq!(name("DBA", 1), Some(("expiry_date", true)));
        assert_eq!(name("DAC", 2), Some(("first_name", false)));
        assert_eq!(name("DCT", 3), Some(("given_names", true)));
        assert_eq!(name("DCT", 9), Some(("given_names", false)));
        assert_eq!(name("DBL", 9), Some(("aka_birth_date", false)));
        assert_eq!(name("ZZZ", 9), None);
        assert_eq!(name("", 9), None);
    }
}
