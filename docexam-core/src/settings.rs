//! What the host hands the library: the examiner's name, the specimen folders and the
//! prepared-specimen cache. The front ends read them from the environment once
//! ([`Settings::from_env`]); an embedding program builds them as it likes
//! ([`Settings::new`] and the public fields). No docexam library crate reads an environment
//! variable itself.

use std::path::PathBuf;

use crate::register::PreparedCache;
use crate::specimen::bundled_dir;

/// The host's configuration of examinations and casework.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The examiner this program acts for unless a command names one (`DOCEXAM_EXAMINER`).
    pub examiner: Option<String>,
    /// The login name of the user running the program (`USER`, `USERNAME` or `LOGNAME`): the
    /// examiner of last resort.
    pub login: Option<String>,
    /// Specimen folders searched after those a command names and before the bundled library
    /// (`DOCEXAM_SPECIMENS`, a list separated like `PATH`).
    pub specimen_folders: Vec<PathBuf>,
    /// Whether the bundled specimen library ([`bundled_dir`]) is searched last.
    pub bundled_specimens: bool,
    /// Where prepared specimens are kept between processes (`DOCEXAM_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/docexam`, else `$HOME/.cache/docexam`; none with `DOCEXAM_NO_CACHE`
    /// set to anything but `0`). `None` prepares every specimen from its files.
    pub cache_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::new()
    }
}

impl Settings {
    /// Nothing from the environment: no configured examiner or login name, the bundled
    /// specimens only, no cache.
    pub fn new() -> Settings {
        Settings {
            examiner: None,
            login: None,
            specimen_folders: Vec::new(),
            bundled_specimens: true,
            cache_dir: None,
        }
    }

    /// The settings the process environment gives (the variables named on each field); empty
    /// variables count as unset.
    pub fn from_env() -> Settings {
        let path = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let text = |k: &str| {
            std::env::var(k)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let cache_dir = if path("DOCEXAM_NO_CACHE").is_some_and(|v| v != "0") {
            None
        } else {
            path("DOCEXAM_CACHE_DIR")
                .map(PathBuf::from)
                .or_else(|| path("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("docexam")))
                .or_else(|| path("HOME").map(|d| PathBuf::from(d).join(".cache").join("docexam")))
        };
        Settings {
            examiner: text("DOCEXAM_EXAMINER"),
            login: ["USER", "USERNAME", "LOGNAME"].into_iter().find_map(text),
            specimen_folders: path("DOCEXAM_SPECIMENS")
                .map(|v| {
                    std::env::split_paths(&v)
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            bundled_specimens: true,
            cache_dir,
        }
    }

    /// [`Settings::from_env`], read on the first call and kept for the life of the process:
    /// what each front end acts with.
    pub fn from_env_once() -> &'static Settings {
        static SETTINGS: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
        SETTINGS.get_or_init(Settings::from_env)
    }

    /// The examiner for an action: `given` (a command's `--examiner`), else the configured
    /// [`examiner`](Settings::examiner), else `case_default` (the case's examiner), else the
    /// [`login`](Settings::login) name, else `unknown`. Names are taken trimmed; a blank one
    /// counts as none.
    pub fn examiner_for(&self, given: Option<&str>, case_default: Option<&str>) -> String {
        [
            given,
            self.examiner.as_deref(),
            case_default,
            self.login.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|n| !n.is_empty())
        .unwrap_or("unknown")
        .to_owned()
    }

    /// The folders searched for specimens, in order: `extra` (a command's `--specimens`),
    /// then the [`specimen_folders`](Settings::specimen_folders), then the bundled library
    /// if it is found and [`bundled_specimens`](Settings::bundled_specimens) is set.
    pub fn specimen_roots(&self, extra: &[PathBuf]) -> Vec<PathBuf> {
        let mut out = extra.to_vec();
        out.extend(self.specimen_folders.iter().cloned());
        if self.bundled_specimens
            && let Some(b) = bundled_dir()
        {
            out.push(b);
        }
        out
    }

    /// The prepared-specimen cache in [`cache_dir`](Settings::cache_dir), if any.
    pub fn prepared_cache(&self) -> Option<PreparedCache> {
        self.cache_dir.clone().map(PreparedCache::new)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests: a panic is a failure

    use super::*;

    fn with(examiner: Option<&str>, login: Option<&str>) -> Settings {
        Settings {
            examiner: examiner.map(str::to_owned),
            login: login.map(str::to_owned),
            ..Settings::new()
        }
    }

    #[test]
    fn the_examiner_is_the_first_name_given_in_order() {
        let s = with(Some("configured"), Some("login"));
        assert_eq!(s.examiner_for(Some(" given "), Some("case")), "given");
        assert_eq!(s.examiner_for(None, Some("case")), "configured");
        assert_eq!(s.examiner_for(Some("  "), None), "configured");
        let s = with(None, Some("login"));
        assert_eq!(s.examiner_for(None, Some("case")), "case");
        assert_eq!(s.examiner_for(None, Some(" ")), "login");
        assert_eq!(with(None, None).examiner_for(None, None), "unknown");
    }

    #[test]
    fn specimen_folders_come_after_the_commands_and_before_the_bundled_library() {
        let s = Settings {
            specimen_folders: vec![PathBuf::from("/configured")],
            bundled_specimens: false,
            ..Settings::new()
        };
        let roots = s.specimen_roots(&[PathBuf::from("/given")]);
        assert_eq!(
            roots,
            [PathBuf::from("/given"), PathBuf::from("/configured")]
        );
        let with_bundled = Settings::new().specimen_roots(&[]);
        assert_eq!(with_bundled.len(), 1, "the source tree's bundled library");
        assert!(with_bundled[0].ends_with("reference-specimens"));
    }

    #[test]
    fn no_cache_directory_means_no_cache() {
        assert!(Settings::new().prepared_cache().is_none());
        let s = Settings {
            cache_dir: Some(PathBuf::from("/c")),
            ..Settings::new()
        };
        assert_eq!(
            s.prepared_cache().unwrap().dir(),
            std::path::Path::new("/c")
        );
    }
}
