//! **API Boundary**: Samlet's application layer.
//!
//! Each module holds one module's use cases: what a person, an agency, an
//! operator or an auditor can do, over the narrow store traits it needs
//! (`samlet_store::JourneyStore`, `AccessLogStore`, …), with a typed error.
//! It knows nothing of HTTP, HTML or axum: `samlet-server` turns requests
//! into calls here and results into responses, and `samlet-cli` calls the
//! same functions for operator commands, the demo and benchmarks.
//!
//! **Architecture Invariant**: the modules form layers. A module uses only
//! modules above it in this list (checked by `tests/layers.rs`), so there
//! are no cycles and a newcomer can read them top to bottom:
//!
//! 1. [`auth`]: bearer tokens and sessions (random secrets, stored hashed).
//! 2. [`transparency`]: the access log, governance records, signed
//!    checkpoints and the auditor.
//! 3. [`authority`]: agencies, scope grants and sharing bases, each a
//!    governance record before it takes effect.
//! 4. [`rules`]: the loaded rule sets (rules as code).
//! 5. [`represent`]: representation, mandates, consent and acting for
//!    someone, each read through the access log.
//! 6. [`sharing`]: one agency reading another's data about a person, on a
//!    consent or an accepted basis.
//! 7. [`journeys`]: life events, their checklists and offers.
//! 8. [`overview`]: a person's own cases, deadlines, benefits, messages and
//!    calendar.
//! 9. [`foresight`]: evaluation sessions, teams, live tallies and reports.

pub mod auth;
pub mod authority;
pub mod foresight;
pub mod journeys;
pub mod overview;
pub mod represent;
pub mod rules;
pub mod sharing;
pub mod transparency;

/// The module order of the crate documentation, lowest layer first: a
/// module may use only modules before it.
pub const LAYERS: &[&str] = &[
    "auth",
    "transparency",
    "authority",
    "rules",
    "represent",
    "sharing",
    "journeys",
    "overview",
    "foresight",
];
