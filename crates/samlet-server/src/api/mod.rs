//! The JSON API: the agency side (`agency`, `token`), the citizen side
//! (`me`) and operations (`ops`).

pub mod agency;
pub mod journeys;
pub mod me;
pub mod ops;
pub mod rules;
pub mod sharing;
pub mod token;
pub mod types;
