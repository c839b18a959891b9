//! Integration tests: the real server on a loopback port, driven over HTTP.
//! One test binary with a module per feature (the zero2prod layout); every
//! server is started by `helpers::TestApp`, and what tests share lives in
//! `helpers`.

mod agency_api;
mod assertion_times;
mod auth;
mod authority;
mod bulk;
mod citizen;
mod foresight;
mod hardening;
mod hardening_web;
mod helpers;
mod isolation;
mod journeys_api;
mod locales;
mod oidc;
mod represent_act;
mod representation;
mod rules_api;
mod sharing_basis;
mod transparency;
mod web;
