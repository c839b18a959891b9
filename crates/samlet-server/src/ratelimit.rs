//! Rate limits on the paths a stranger can hammer: the token endpoint, OIDC
//! login, joining a foresight session, giving powers of attorney, and
//! anything that tells the caller whether an identity number exists or
//! what name it has.
//!
//! Each replica counts on its own (governor's in-memory GCRA); with N
//! replicas the effective limit is N times higher, which still stops
//! guessing at scale. Citizens are counted by pseudonym, never by number.
//! A refusal is a 429 problem+json with `Retry-After` in seconds.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::problem::ApiError;

/// A burst and how fast it refills: `burst` requests at once, then one per
/// `period / burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub period: Duration,
}

impl Rate {
    pub const fn per_minute(n: u32) -> Self {
        Self {
            burst: n,
            period: Duration::from_secs(60),
        }
    }

    pub const fn per_hour(n: u32) -> Self {
        Self {
            burst: n,
            period: Duration::from_secs(3600),
        }
    }

    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let every = self.period / burst.get();
        Quota::with_period(every.max(Duration::from_millis(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst)
    }
}

/// The named quotas (see `Config::rate_limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// `POST /oauth/token`, per client address.
    pub token_per_address: Rate,
    /// `GET /auth/login` and `/auth/callback`, per client address.
    pub oidc_per_address: Rate,
    /// Joining a foresight session, per client address. A room of phones
    /// behind one venue network shares an address, so this is generous.
    pub join_per_address: Rate,
    /// Joining a foresight session, per join code.
    pub join_per_code: Rate,
    /// Giving a power of attorney, per citizen.
    pub mandates_per_citizen: Rate,
    /// Checking a person's identity number and name, per citizen.
    pub person_lookups_per_citizen: Rate,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            token_per_address: Rate::per_minute(60),
            oidc_per_address: Rate::per_minute(30),
            join_per_address: Rate::per_minute(120),
            join_per_code: Rate::per_minute(600),
            mandates_per_citizen: Rate::per_hour(30),
            person_lookups_per_citizen: Rate::per_hour(30),
        }
    }
}

/// One limiter per named quota.
pub struct Limiters {
    pub token: Keyed<IpAddr>,
    pub oidc: Keyed<IpAddr>,
    pub join_address: Keyed<IpAddr>,
    pub join_code: Keyed<String>,
    pub mandate: Keyed<String>,
    pub person_lookup: Keyed<String>,
}

impl Limiters {
    pub fn new(l: &RateLimits) -> Self {
        Self {
            token: Keyed::new(
                l.token_per_address,
                "Too many token requests from your address.",
            ),
            oidc: Keyed::new(
                l.oidc_per_address,
                "Too many login attempts from your address.",
            ),
            join_address: Keyed::new(l.join_per_address, "Too many joins from your address."),
            join_code: Keyed::new(l.join_per_code, "Too many joins to this session."),
            mandate: Keyed::new(
                l.mandates_per_citizen,
                "You have given many powers of attorney in a short time.",
            ),
            person_lookup: Keyed::new(
                l.person_lookups_per_citizen,
                "You have checked many persons in a short time.",
            ),
        }
    }
}

/// A keyed limiter and what its refusal says (in English, for the API;
/// pages show the `rate_limited` text in the page's language).
pub struct Keyed<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    what: &'static str,
}

impl<K: Hash + Eq + Clone> Keyed<K> {
    pub fn new(rate: Rate, what: &'static str) -> Self {
        Self {
            limiter: RateLimiter::keyed(rate.quota()),
            what,
        }
    }

    /// Count one request for `key`; a 429 with the wait when over the quota.
    pub fn check(&self, key: &K) -> Result<(), ApiError> {
        // Forget keys whose bucket is full again, so the map stays small.
        self.limiter.retain_recent();
        self.limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            too_many(self.what, wait)
        })
    }
}

/// 429 with `Retry-After`: whole seconds, rounded up, at least 1.
pub fn too_many(what: &str, wait: Duration) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = u16::try_from(secs.max(1)).unwrap_or(u16::MAX);
    ApiError::too_many(format!("{what} Wait {secs} seconds and try again.")).retry_after(secs)
}

/// The client's address, for per-address limits. Behind `hops` trusted
/// reverse proxies (`Config::trusted_proxy_hops`) it is the address the
/// outermost of them saw: the `hops`-th `X-Forwarded-For` entry from the
/// right, since each proxy appends its peer. Entries further left are the
/// client's own words, so they are never read; without the header, or with
/// fewer entries than hops, the nearest address available counts.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], hops: usize) -> IpAddr {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let Some(at) = entries.len().checked_sub(hops.min(entries.len())) else {
        return peer;
    };
    entries
        .get(at)
        .and_then(|e| e.parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

/// The client address of a request, as [`client_ip`] finds it.
pub struct ClientIp(pub IpAddr);

impl axum::extract::FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or_else(|| ApiError::internal("the server runs without peer addresses"))?;
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Self(client_ip(
            peer,
            &forwarded,
            state.config.trusted_proxy_hops,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_refuses_past_its_burst_with_a_retry_after() {
        let k = Keyed::new(Rate::per_minute(3), "Too many.");
        let ip: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..3 {
            assert!(k.check(&ip).is_ok());
        }
        let e = k.check(&ip).expect_err("fourth is refused");
        assert_eq!(e.status, axum::http::StatusCode::TOO_MANY_REQUESTS);
        let secs = e.retry_after.expect("retry-after");
        assert!((1..=20).contains(&secs), "{secs}");
        assert!(e.detail.contains(&format!("Wait {secs} seconds")));
        // Another address has its own bucket.
        assert!(k.check(&[192, 0, 2, 2].into()).is_ok());
    }

    #[test]
    fn the_client_address_is_read_only_from_trusted_proxies() {
        let peer: IpAddr = "10.0.0.9".parse().expect("ip");
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        // No proxy trusted: a forged header changes nothing.
        assert_eq!(client_ip(peer, &["203.0.113.7"], 0), peer);
        // One ingress: the entry it appended, never the client's own ones.
        assert_eq!(
            client_ip(peer, &["6.6.6.6, 203.0.113.7"], 1),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_ip(peer, &["6.6.6.6", "203.0.113.7"], 1),
            ip("203.0.113.7")
        );
        // Two proxies: the second entry from the right.
        assert_eq!(
            client_ip(peer, &["6.6.6.6, 203.0.113.7, 10.1.1.1"], 2),
            ip("203.0.113.7")
        );
        // Fewer entries than hops, none, or garbage: the nearest address.
        assert_eq!(client_ip(peer, &["203.0.113.7"], 3), ip("203.0.113.7"));
        assert_eq!(client_ip(peer, &[], 1), peer);
        assert_eq!(client_ip(peer, &["not-an-ip"], 1), peer);
        assert_eq!(client_ip(peer, &["2001:db8::1"], 1), ip("2001:db8::1"));
    }
}
