//! The files under folders given by the examiner or a lab (a seizure's scans): searched
//! recursively in name order, hidden entries skipped, each file with the folder it was found
//! in; what cannot be looked into is named, not fatal. Links are followed as a user given the
//! folder would see them, but a folder is searched once: a link back to a folder already
//! searched (a loop) is named and skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use docexam_base::Warned;

/// Something under the inputs that could not be looked into; the search goes on without it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FolderProblem {
    /// An entry that is neither a regular file nor a folder (a pipe, a device, a socket).
    #[error("{}: neither a file nor a folder (a pipe or device?)", path.display())]
    NotFileOrFolder {
        /// The entry.
        path: PathBuf,
    },
    /// An entry whose metadata cannot be read (a broken link, no permission, gone).
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        /// The entry.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A folder that cannot be listed.
    #[error("cannot list the folder {}: {source}", path.display())]
    Unlisted {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A link to a folder already searched (a loop, or the same folder twice).
    #[error("{}: a link to a folder already searched; skipped", path.display())]
    SearchedBefore {
        /// The link.
        path: PathBuf,
    },
}

/// The files found under some inputs, each with the folder it was found in relative to the
/// input folder (empty for a file given directly or at the top of a folder given), and what
/// could not be looked into.
pub type Found = Warned<Vec<(PathBuf, String)>, FolderProblem>;

/// Why a file found in a folder is not examined: notes, checksum lists and the like are not
/// evidence to examine (they are set aside: hashed into a case's log, not stored).
pub const NOT_A_SCAN: &str = "neither an image nor a PDF";

/// Whether the file at `path` is [`NOT_A_SCAN`], by its first bytes. A file that cannot be
/// read or is empty is not judged here: reading it for examination says what is wrong.
pub fn not_a_scan(path: &Path) -> bool {
    let head = super::read_head(path).unwrap_or_default();
    !head.is_empty() && super::MediaType::sniff(&head).is_none()
}

/// `name` in the folder `rel` (relative to the folder given).
pub fn under(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// Every file under `inputs`: folders searched recursively (names sorted, hidden entries
/// skipped), files taken as given. An input that does not exist is a problem like any other.
pub fn files_under(inputs: &[PathBuf]) -> Found {
    let mut found = Found::clean(Vec::new());
    let mut searched = BTreeSet::new();
    for i in inputs {
        match std::fs::metadata(i) {
            Ok(m) if m.is_dir() => walk(i, "", &mut found, &mut searched),
            Ok(m) if m.is_file() => found.value.push((i.clone(), String::new())),
            Ok(_) => found
                .warnings
                .push(FolderProblem::NotFileOrFolder { path: i.clone() }),
            Err(source) => found.warnings.push(FolderProblem::Unreadable {
                path: i.clone(),
                source,
            }),
        }
    }
    found
}

fn walk(dir: &Path, rel: &str, found: &mut Found, searched: &mut BTreeSet<PathBuf>) {
    // The folder itself, whatever links lead to it: each is searched once.
    if let Ok(real) = std::fs::canonicalize(dir)
        && !searched.insert(real)
    {
        found.warnings.push(FolderProblem::SearchedBefore {
            path: dir.to_path_buf(),
        });
        return;
    }
    let listing = match std::fs::read_dir(dir) {
        Ok(l) => l,
        Err(source) => {
            found.warnings.push(FolderProblem::Unlisted {
                path: dir.to_path_buf(),
                source,
            });
            return;
        }
    };
    let mut entries: Vec<_> = listing.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let name = super::naming::file_name_text(&e.file_name());
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        // Through links, as a user given the folder would see it.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, &under(rel, &name), found, searched),
            Ok(m) if m.is_file() => found.value.push((path, rel.to_string())),
            Ok(_) => found.warnings.push(FolderProblem::NotFileOrFolder { path }),
            Err(source) => found
                .warnings
                .push(FolderProblem::Unreadable { path, source }),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;

    #[test]
    fn folders_are_searched_in_name_order_once_each_and_problems_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/inner")).unwrap();
        std::fs::create_dir_all(d.join(".hidden")).unwrap();
        for f in [
            "b/inner/z.png",
            "b/a.png",
            "c.png",
            ".hidden/x.png",
            "b/.y.png",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        #[cfg(unix)]
        {
            // A link back up (a loop), and a broken one.
            std::os::unix::fs::symlink(d, d.join("b/up")).unwrap();
            std::os::unix::fs::symlink(d.join("gone"), d.join("broken.png")).unwrap();
        }
        let found = files_under(&[d.to_path_buf(), d.join("nowhere")]);
        let names: Vec<(String, &str)> = found
            .value
            .iter()
            .map(|(p, rel)| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    rel.as_str(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a.png".to_string(), "b"),
                ("z.png".to_string(), "b/inner"),
                ("c.png".to_string(), "")
            ]
        );
        let said: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
        let said = said.join("\n");
        assert!(said.contains("nowhere"), "{said}");
        #[cfg(unix)]
        {
            assert!(
                said.contains("a link to a folder already searched"),
                "{said}"
            );
            assert!(said.contains("broken.png"), "{said}");
            assert_eq!(found.warnings.len(), 3, "{said}");
            assert!(matches!(
                found.warnings[0],
                FolderProblem::SearchedBefore { .. }
            ));
        }
    }
}
