//! The transparency log's HTTP side: the public log endpoints (`/log/…`,
//! including tlog-tiles), the agency read endpoint and the citizen's access
//! log ([`http`]). The log itself is `samlet_app::transparency`.

pub mod http;

pub use samlet_app::transparency::{entry, governance, hex, log, nodes, parse_hash};
