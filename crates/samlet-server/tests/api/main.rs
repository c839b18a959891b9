//! Integration tests: the real server on a loopback port, driven over HTTP.
//! One test binary with a module per feature (the zero2prod layout).

mod agency_api;
mod auth;
mod bulk;
mod citizen;
mod helpers;
mod isolation;
mod oidc;
mod web;
// Representation and consent (issue 4).
mod represent_act;
mod representation;
