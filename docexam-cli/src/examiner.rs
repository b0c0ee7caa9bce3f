//! What this process's environment configures (`docexam_core::Settings::from_env`), read
//! once: who is acting (`--examiner`, else `DOCEXAM_EXAMINER`, else the case's examiner, else
//! the login name), the specimen folders and the prepared-specimen cache.

use std::sync::OnceLock;

use docexam_core::Settings;

/// The settings of this process's environment.
pub fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(Settings::from_env)
}

/// The examiner acting: `given`, else the configured one, else `case_default`, else the
/// login name ([`Settings::examiner_for`]).
pub fn resolve(given: Option<&str>, case_default: Option<&str>) -> String {
    settings().examiner_for(given, case_default)
}
