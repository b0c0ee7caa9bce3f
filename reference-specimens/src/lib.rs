//! The synthetic specimen set of ICAO's specimen state Utopia (`UTO`), drawn by a
//! deterministic generator, and the test-document generator.
//!
//! - [`design`]: where everything is on each document, in millimetres.
//! - [`draw`], [`art`]: fine-line patterns, rosettes, microprint, OVD, portraits, fibres.
//! - [`render`]: one side under one light, personalised.
//! - [`generic`]: a design from any specimen's own images, to print test documents onto.
//! - [`persona`]: personal data and its MRZ with check digits.
//! - [`specimen`]: a design written as a specimen folder (`specimen.toml` + images).
//! - [`synth`], [`capture`]: genuine and forged test documents with labels, captured as
//!   scanners and phones capture them.
//!
//! The reference specimens' geometry goes through `libm` and their randomness through seeded
//! ChaCha, so the same source gives the same specimen bytes on every machine. Test documents
//! are seeded too, but their capture simulation uses the platform's floating-point functions:
//! the same seed gives the same documents on one machine.

// Indexing here is into the generator's own constant tables and strings it built itself,
// never into input from a file or a user.
#![allow(clippy::indexing_slicing)]

pub mod art;
pub mod capture;
pub mod design;
pub mod draw;
pub mod fonts;
pub mod generic;
pub mod persona;
pub mod random_design;
pub mod render;
pub mod specimen;
pub mod synth;
