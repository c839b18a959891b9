//! Integration tests: the real server on a loopback port, driven over HTTP.
//! One test binary with a module per feature (the zero2prod layout).

mod agency_api;
mod assertion_times;
mod auth;
mod authority;
mod bulk;
mod citizen;
mod hardening;
mod hardening_web;
mod helpers;
mod isolation;
mod locales;
mod oidc;
mod web;
// Transparency log (issue 3).
mod transparency;
// Life events and rules as code (issue 5).
mod journeys_api;
mod rules_api;
// Foresight (issue 6).
mod foresight;
// Representation and consent (issue 4).
mod represent_act;
mod representation;
// Registered sharing bases between agencies.
mod sharing_basis;
