//! Chip data of ePassports and eID cards: the logical data structure (ICAO 9303-10) as a
//! reader dumps it.
//!
//! - [`tlv`]: BER-TLV reading under limits, every fault an error naming its offset;
//! - [`files`]: the elementary files (EF.COM, EF.SOD, EF.DG1–16, EF.CardAccess,
//!   EF.CardSecurity), their tags and the names dumps give them;
//! - [`dump`]: a dump folder read under the untrusted-file rule;
//! - [`lds`]: EF.COM (the data groups present) and DG1 (the MRZ, as text for `docexam-mrz`).
//!
//! This crate reads and checks the structure. It does not yet perform passive authentication:
//! the SOD's signature, its data group hashes and the signer's chain are not checked here.

pub mod dump;
pub mod files;
pub mod lds;
pub mod tlv;

pub use dump::{Dump, DumpError, DumpWarning};
pub use files::ElementaryFile;
pub use lds::{Com, LdsError, read_com, read_dg1_mrz};
