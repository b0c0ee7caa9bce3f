//! Who is acting: `--examiner`, else `DOCEXAM_EXAMINER`, else the case's examiner, else the
//! login name ([`docexam_core::evidence::resolve_examiner`]).

pub use docexam_core::evidence::resolve_examiner as resolve;
