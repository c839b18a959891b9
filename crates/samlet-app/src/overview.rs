//! See the crate documentation for this module's place in the layers.
