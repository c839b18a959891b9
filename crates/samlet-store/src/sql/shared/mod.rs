//! The Rust and SQL both backends share, written once.
//!
//! `sqlite.rs` and `postgres.rs` each compile this module for their own
//! store (`#[path]`), after naming what differs between them: `This` (the
//! store type, with `reader`, `writer` and `fresh` pools), `Db` (its sqlx
//! database, for `QueryBuilder`), `BACKEND` and `LOCK_LOG_HEAD`. Compiled
//! per backend, every query runs on a concrete pool and database type: no
//! generic executor and `Encode`/`Decode` bounds around the SQL, and each
//! backend's code is as fast as if it were written for it alone.

use super::{Db, This, BACKEND, LOCK_LOG_HEAD};

mod access_log;
mod foresight;
mod journeys;
mod representation;
mod sharing;
mod store;
