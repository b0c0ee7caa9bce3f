//! Who is acting: `--examiner`, else `DOCEXAM_EXAMINER`, else the case's examiner, else the
//! login name.

/// The examiner for an action.
pub fn resolve(flag: Option<&str>, case_default: Option<&str>) -> String {
    if let Some(name) = flag.filter(|n| !n.trim().is_empty()) {
        return name.trim().to_owned();
    }
    if let Ok(name) = std::env::var("DOCEXAM_EXAMINER")
        && !name.trim().is_empty()
    {
        return name.trim().to_owned();
    }
    if let Some(name) = case_default.filter(|n| !n.trim().is_empty()) {
        return name.to_owned();
    }
    for var in ["USER", "USERNAME", "LOGNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.trim().is_empty()
        {
            return name.trim().to_owned();
        }
    }
    "unknown".to_owned()
}
