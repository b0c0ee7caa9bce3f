//! What the workstation's environment configures (`docexam_core::Settings::from_env`), read
//! once: the examiner (`DOCEXAM_EXAMINER`, else the case's examiner, else the login name), the
//! specimen folders and the prepared-specimen cache.

use docexam_core::Settings;

/// The settings of this process's environment ([`Settings::from_env_once`]).
pub fn settings() -> &'static Settings {
    Settings::from_env_once()
}

/// The examiner acting, `case_default` being the case's examiner
/// ([`Settings::examiner_for`]).
pub fn examiner(case_default: Option<&str>) -> String {
    settings().examiner_for(None, case_default)
}
