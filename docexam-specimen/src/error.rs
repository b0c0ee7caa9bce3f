//! What can be wrong with a specimen, always naming the file and, for manifest problems, the
//! field (`feature["uv-emblem"].rect_mm`).

/// A problem loading or validating a specimen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecimenError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is not valid TOML or does not fit the format (unknown key, unknown kind,
    /// wrong type); the message names the line and the key.
    #[error("{path}: {message}")]
    Syntax {
        /// The manifest.
        path: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A field of the manifest has a value the format does not allow, or a file it names is
    /// missing or not what the manifest says.
    #[error("{path}: {field}: {message}")]
    Invalid {
        /// The manifest.
        path: String,
        /// The field (`image[1].blake3`, `zone["mrz"].rect_mm`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Several problems, each its own error.
    #[error("{path}: {} problems:{}", problems.len(), list(problems))]
    Problems {
        /// The manifest.
        path: String,
        /// The problems, in manifest order.
        problems: Vec<SpecimenError>,
    },
    /// No specimen has this id.
    #[error("no specimen {id:?}; known: {}", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    NotFound {
        /// The id asked for.
        id: String,
        /// The ids that exist.
        known: Vec<String>,
    },
    /// Two folders define the same id.
    #[error("specimen {id:?} is defined twice: in {first} and in {second}; the first is used")]
    Duplicate {
        /// The id.
        id: String,
        /// The folder that is used.
        first: String,
        /// The folder that is ignored.
        second: String,
    },
}

fn list(problems: &[SpecimenError]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

impl SpecimenError {
    /// The single problems this error stands for: the list of [`SpecimenError::Problems`],
    /// or the error itself.
    pub fn into_problems(self) -> Vec<SpecimenError> {
        match self {
            SpecimenError::Problems { problems, .. } => problems,
            other => vec![other],
        }
    }

    /// One error from a list of problems (the single one if there is just one).
    pub(crate) fn from_problems(path: &str, mut problems: Vec<SpecimenError>) -> Option<Self> {
        match problems.len() {
            0 => None,
            1 => problems.pop(),
            _ => Some(SpecimenError::Problems {
                path: path.to_string(),
                problems,
            }),
        }
    }
}
