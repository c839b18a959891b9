//! Who is calling: agencies (bearer tokens from the JWT-bearer grant, or dev
//! tokens in dev mode) and citizens (a session cookie from ID-porten-style
//! OpenID Connect, or the dev login in dev mode).

use std::net::IpAddr;
use std::num::NonZeroU32;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use samlet_domain::Pid;
use serde::Deserialize;

use crate::problem::ApiError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "samlet_session";
pub use samlet_app::auth::{random_token, token_hash, AgencyAuth};

/// The bearer token of an `Authorization: Bearer …` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The one check of an agency bearer token, for every API that takes one.
pub async fn agency_from_token(state: &AppState, token: &str) -> Result<AgencyAuth, ApiError> {
    Ok(samlet_app::auth::agency_from_token(
        state.store.as_ref(),
        token,
        state.config.dev,
        Utc::now(),
    )
    .await?)
}

impl FromRequestParts<AppState> for AgencyAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(|| {
            ApiError::unauthorized("Send an agency access token as `Authorization: Bearer …` (get one at POST /oauth/token).")
        })?;
        agency_from_token(state, token).await
    }
}

/// A logged-in citizen.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub pid: Pid,
    pub csrf: String,
    pub session_hash: Vec<u8>,
}

async fn citizen_from(parts: &Parts, state: &AppState) -> Result<Option<Citizen>, ApiError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let found = samlet_app::auth::session(state.store.as_ref(), cookie.value(), Utc::now()).await?;
    Ok(found.map(|s| Citizen {
        pid: s.pid,
        csrf: s.csrf,
        session_hash: s.session_hash,
    }))
}

impl FromRequestParts<AppState> for Citizen {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        citizen_from(parts, state)
            .await?
            .ok_or_else(ApiError::not_logged_in)
    }
}

/// For pages that show something either way (and redirect to login).
pub struct MaybeCitizen(pub Option<Citizen>);

impl FromRequestParts<AppState> for MaybeCitizen {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        citizen_from(parts, state).await.map(MaybeCitizen)
    }
}

/// Per-address login throttling. Each replica counts its own attempts; with
/// N replicas the effective limit is N times higher, which still stops
/// guessing at scale.
pub struct LoginLimiter(DefaultKeyedRateLimiter<IpAddr>);

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self(RateLimiter::keyed(Quota::per_minute(n)))
    }

    pub fn check(&self, ip: IpAddr) -> Result<(), ApiError> {
        use governor::clock::{Clock, DefaultClock};
        self.0.retain_recent();
        self.0.check_key(&ip).map_err(|not_until| {
            crate::ratelimit::too_many(
                "Too many login attempts from your address.",
                not_until.wait_time_from(DefaultClock::default().now()),
            )
        })
    }
}

/// Start a session for a person and return the cookie to set.
pub async fn start_session(state: &AppState, pid: &Pid) -> Result<Cookie<'static>, ApiError> {
    let ttl =
        chrono::Duration::from_std(state.config.session_ttl).unwrap_or(chrono::Duration::hours(8));
    let (id, _) =
        samlet_app::auth::start_session(state.store.as_ref(), &state.pseudo, pid, ttl, Utc::now())
            .await?;
    Ok(session_cookie(state, id, ttl))
}

fn session_cookie(state: &AppState, value: String, ttl: chrono::Duration) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies())
        // Lax: links into Samlet from other sites keep the person logged in;
        // every state change is a POST with a CSRF token or a JSON body.
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(ttl.num_seconds()))
        .build()
}

#[derive(Deserialize)]
pub struct DevLoginForm {
    pub pid: String,
    pub next: Option<String>,
}

/// `POST /auth/dev/login`: log in as any (synthetic) person. Dev mode only;
/// exempt from CSRF because it is for tests and demos.
pub async fn dev_login(
    State(state): State<AppState>,
    crate::ratelimit::ClientIp(ip): crate::ratelimit::ClientIp,
    jar: CookieJar,
    Form(form): Form<DevLoginForm>,
) -> Result<Response, ApiError> {
    if !state.config.dev {
        return Err(ApiError::not_found(
            "Dev login is available only when the server runs with --dev.",
        ));
    }
    state.login_limiter.check(ip)?;
    let pid = Pid::parse(&form.pid, state.config.pid_policy)
        .map_err(|e| ApiError::invalid("/pid", e.to_string()))?;
    let cookie = start_session(&state, &pid).await?;
    Ok((
        jar.add(cookie),
        Redirect::to(safe_next(form.next.as_deref())),
    )
        .into_response())
}

/// A redirect target taken from input (`next=`), or `/me`: never an open redirect.
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| is_same_site_path(n)).unwrap_or("/me")
}

/// A redirect to `target` when it is a same-site path, else to `/`. For
/// addresses built from path segments or cookies, which a caller controls.
pub fn local_redirect(target: &str) -> Redirect {
    Redirect::to(if is_same_site_path(target) {
        target
    } else {
        "/"
    })
}

/// Is `target` a path on this site, as a browser would resolve it?
///
/// Browsers follow the WHATWG URL standard, which forgives much: it strips
/// TAB, CR and LF anywhere, reads `\` as `/`, and takes `//host` as another
/// site. So besides asking the `url` crate (a WHATWG parser) where the
/// target leads, only visible ASCII is let through (a `Location` header
/// cannot carry more, and nothing Samlet links to needs it), no backslash,
/// and no path that starts with `//` before or after resolving dot segments
/// (`/.//evil.example` resolves to the path `//evil.example`, which a later
/// hop could take as a host).
pub fn is_same_site_path(target: &str) -> bool {
    const MAX_LEN: usize = 2048;
    if target.len() > MAX_LEN
        || !target.starts_with('/')
        || target.starts_with("//")
        || !target.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
    {
        return false;
    }
    let Ok(base) = url::Url::parse("https://samlet.invalid/") else {
        return false;
    };
    match base.join(target) {
        Ok(u) => u.origin() == base.origin() && !u.path().starts_with("//"),
        Err(_) => false,
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// Compare a submitted CSRF token with the session's, in constant time.
pub fn check_csrf(citizen: &Citizen, submitted: &str) -> Result<(), ApiError> {
    use subtle::ConstantTimeEq;
    if bool::from(citizen.csrf.as_bytes().ct_eq(submitted.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "The form has expired",
            "Reload the page and try again.",
        )
        .at("/csrf"))
    }
}

/// `POST /auth/logout`.
pub async fn logout(
    State(state): State<AppState>,
    citizen: Citizen,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    check_csrf(&citizen, &form.csrf)?;
    state.store.delete_session(&citizen.session_hash).await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/"),
    )
        .into_response())
}

impl From<samlet_app::auth::Error> for ApiError {
    fn from(e: samlet_app::auth::Error) -> Self {
        use samlet_app::auth::Error as E;
        match e {
            E::UnknownToken | E::DevTokenOutsideDev => ApiError::unauthorized(e.to_string()),
            E::TokenLacksScope(_) | E::ScopeNotGranted { .. } => ApiError::forbidden(e.to_string()),
            E::CorruptSession => ApiError::internal(e),
            E::Store(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Targets a browser would take off this site (or that a header cannot carry).
    const REFUSED: &[&str] = &[
        "//evil.com",
        "///evil.com",
        "/\\evil.com",
        "\\/evil.com",
        "\\\\evil.com",
        "/\t/evil.com",
        "/\r\n/evil.com",
        "/\n/evil.com",
        "\t//evil.com",
        "/ /evil.com",
        " /me",
        "/me\u{0}",
        "/me\u{7f}",
        "/me\u{85}",
        "/.//evil.com",
        "/./\\evil.com",
        "/../..//evil.com",
        "https://evil.com",
        "http:evil.com",
        "javascript:alert(1)",
        "data:text/html,x",
        "evil.com",
        "",
        "/%E2%80%AE\u{202e}",
        "/mé",
    ];

    /// Same-site paths, some with encoded characters a browser does not decode before resolving.
    const ACCEPTED: &[&str] = &[
        "/",
        "/me",
        "/me/messages/889640782/m-1",
        "/me?page=2#top",
        "/%09/evil.com",
        "/%2F/evil.com",
        "/%5Cevil.com",
        "/me?next=//evil.com",
        "/f/ABC234/ballot",
    ];

    #[test]
    fn next_redirect_refuses_browser_grade_open_redirects() {
        for t in REFUSED {
            assert!(!is_same_site_path(t), "accepted {t:?}");
            assert_eq!(safe_next(Some(t)), "/me", "{t:?}");
        }
        assert_eq!(safe_next(None), "/me");
    }

    #[test]
    fn next_redirect_keeps_same_site_paths() {
        for t in ACCEPTED {
            assert!(is_same_site_path(t), "refused {t:?}");
            assert_eq!(safe_next(Some(t)), *t);
        }
    }

    #[test]
    fn local_redirect_falls_back_to_the_front_page() {
        let r = local_redirect("/\\evil.com").into_response();
        assert_eq!(r.headers()[header::LOCATION], "/");
        let r = local_redirect("/me/consents?flash=approved").into_response();
        assert_eq!(r.headers()[header::LOCATION], "/me/consents?flash=approved");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever is accepted resolves, as a browser resolves it, to this
        /// site, and is a valid `Location` header (no panic in `Redirect::to`).
        #[test]
        fn accepted_next_redirects_stay_on_the_origin(
            t in prop_oneof![
                "[/\\\\]{0,3}[ -~\t\r\n]{0,24}",
                "/[./\\\\%a-zA-Z0-9:@?#]{0,16}",
                any::<String>(),
            ]
        ) {
            if is_same_site_path(&t) {
                for base in ["https://samlet.example/", "https://samlet.example/me/messages/a/b?x=1"] {
                    let base = url::Url::parse(base).unwrap();
                    let u = base.join(&t).unwrap();
                    prop_assert_eq!(u.origin(), base.origin());
                    prop_assert!(!u.path().starts_with("//"));
                }
                prop_assert!(axum::http::HeaderValue::from_str(&t).is_ok());
                let _ = Redirect::to(&t);
            }
        }
    }
}
