//! Who is acting: the name given, else `DOCEXAM_EXAMINER`, else the case's examiner, else the
//! login name.

/// The examiner for an action: `given` (a program's `--examiner`), else `DOCEXAM_EXAMINER`,
/// else `case_default` (the case's examiner), else the login name, else `unknown`.
pub fn resolve_examiner(given: Option<&str>, case_default: Option<&str>) -> String {
    if let Some(name) = given.filter(|n| !n.trim().is_empty()) {
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
