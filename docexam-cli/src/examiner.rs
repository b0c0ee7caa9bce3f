//! What this process's environment configures (`docexam_core::Settings::from_env`), read
//! once: who is acting (`--examiner`, else `DOCEXAM_EXAMINER`, else the case's examiner, else
//! the login name), the specimen folders and the prepared-specimen cache.

use docexam_core::Settings;

/// The settings of this process's environment ([`Settings::from_env_once`]).
pub fn settings() -> &'static Settings {
    Settings::from_env_once()
}

/// The examiner acting: `given`, else the configured one, else `case_default`, else the
/// login name ([`Settings::examiner_for`]).
pub fn resolve(given: Option<&str>, case_default: Option<&str>) -> String {
    settings().examiner_for(given, case_default)
}
