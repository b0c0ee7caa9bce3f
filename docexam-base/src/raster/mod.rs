//! Raster tools shared by registration and comparison: homographies, float planes in the
//! document's millimetre frame, image pyramids sampled through a homography, box shrinking and
//! grey levels.

pub mod enlarge;
pub mod homography;
pub mod luma;
pub mod plane;
pub mod pyramid;
pub mod shrink;

pub use homography::Homography;
pub use plane::{ColourPlane, Plane, mean_std, ncc, ncc_at, ncc_shifts, quantile, valid_in_both};
pub use pyramid::{Pyramid, View};
