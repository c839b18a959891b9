//! Foresight in the server: the routes, extractors, pages and API types
//! of evaluation sessions. The use cases (sessions, ballots, live tallies,
//! the library, the PDF report) are `samlet_app::foresight`; the analysis
//! is the pure `samlet-foresight` crate.
//!
//! **Team access**: creating a session returns a secret *team key*
//! (`fk_…`), shown once. The API accepts it as `Authorization: Bearer fk_…`
//! for that session only; an agency token with the `samlet:foresight` scope
//! works for every session. The presenter link carries the key once in
//! `?key=`, which sets an HttpOnly, SameSite=Strict cookie scoped to that
//! session's path and redirects to a clean URL.
//!
//! **Participants**: joining returns a random participant token (`fp_…`),
//! stored only as a SHA-256 hash. On the phone it lives in an HttpOnly,
//! SameSite=Strict cookie limited to `/f/`. Every form carries a CSRF token
//! derived from the cookie it relies on ([`form_token`]), so nothing more
//! about a participant is stored.
//!
//! **Live numbers**: counts come from a COUNT query; results come from
//! `samlet_app::foresight::LiveResults`, which refuses results that are
//! withheld (open and not revealed) itself.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use base64::Engine;
use samlet_app::foresight::{Error, Loaded, TOO_FEW_DETAIL, WITHHELD_DETAIL};
use samlet_foresight::Results;
use samlet_store::ForesightSession;
use secrecy::ExposeSecret;

use crate::auth::token_hash;
use crate::i18n::Lang;
use crate::problem::ApiError;
use crate::AppState;

pub mod api;
pub mod pages;
pub mod schema;
pub mod team;

pub use api::routes as api_routes;
pub use pages::routes as page_routes;
pub use team::routes as team_routes;

/// The participant's token on a phone (path `/f/`).
pub const PARTICIPANT_COOKIE: &str = "samlet_fp";
/// The team key on the presenter's browser (path `/foresight/sessions/{id}`).
pub const TEAM_COOKIE: &str = "samlet_team";

/// The refusal for results that are withheld (see the module docs). `detail`
/// is the page's sentence on web pages, English in the API.
pub fn withheld_error(detail: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "results-withheld",
        "Results are withheld while the session is open",
        detail,
    )
}

/// A short-lived random cookie for forms shown before there is any other
/// secret (joining a session, the team's sign-in): the form echoes a token
/// derived from it (double submit).
pub const FORM_COOKIE: &str = "samlet_fform";

/// The CSRF token of a form, derived from a secret the browser holds in an
/// HttpOnly cookie (participant token, team key, form cookie) and the
/// server's secret. A page on another site can make the browser send the
/// cookie but can neither read it nor compute this, and nothing is stored, so
/// ballots stay anonymous. `purpose` keeps one form's token from working on another.
pub fn form_token(server_secret: &[u8], purpose: &str, cookie_secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"samlet-foresight-form\0");
    h.update(server_secret);
    h.update(b"\0");
    h.update(purpose.as_bytes());
    h.update(b"\0");
    h.update(cookie_secret.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// Check a submitted form token against the cookie's secret, in constant time.
pub fn check_form_token(
    state: &AppState,
    purpose: &str,
    cookie_secret: Option<&str>,
    submitted: Option<&str>,
) -> Result<(), ApiError> {
    let ok = match (cookie_secret, submitted) {
        (Some(c), Some(s)) => ct_eq(
            form_token(state.config.secret.expose_secret(), purpose, c).as_bytes(),
            s.as_bytes(),
        ),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(csrf_error())
    }
}

pub fn csrf_error() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "The form has expired",
        "Reload the page and try again (this form only works from the page Samlet showed you).",
    )
    .at("/csrf")
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.ct_eq(b))
}

pub(crate) use crate::auth::bearer;

/// Is the caller the session's team? A team key (bearer or cookie) for this
/// session, or an agency token with the scope `samlet:foresight`.
pub async fn require_team(
    state: &AppState,
    headers: &HeaderMap,
    s: &ForesightSession,
) -> Result<(), ApiError> {
    if let Some(token) = bearer(headers) {
        if token.starts_with("fk_") {
            return if ct_eq(&token_hash(token), &s.team_key_hash) {
                Ok(())
            } else {
                Err(ApiError::forbidden(
                    "This team key belongs to another session.",
                ))
            };
        }
        return require_agency_scope(state, token).await;
    }
    let jar = CookieJar::from_headers(headers);
    if let Some(c) = jar.get(TEAM_COOKIE) {
        if ct_eq(&token_hash(c.value()), &s.team_key_hash) {
            return Ok(());
        }
    }
    Err(ApiError::unauthorized(
        "This is for the strategy team: open the presenter link printed by `samlet foresight session create`, or send the team key as `Authorization: Bearer fk_…`.",
    ))
}

/// [`require_team`], then who the caller is in words for the session's record:
/// "team key" or the agency's organisation number (never a person).
pub async fn team_actor(
    state: &AppState,
    headers: &HeaderMap,
    s: &ForesightSession,
) -> Result<String, ApiError> {
    require_team(state, headers, s).await?;
    match bearer(headers) {
        Some(token) if !token.starts_with("fk_") => {
            let auth = crate::auth::agency_from_token(state, token).await?;
            Ok(format!("agency {}", auth.agency.org.as_str()))
        }
        _ => Ok("team key".into()),
    }
}

/// An agency token (checked by the one bearer-token check every API uses)
/// whose agency holds and was granted `samlet:foresight`.
pub async fn require_agency_scope(state: &AppState, token: &str) -> Result<(), ApiError> {
    Ok(crate::auth::agency_from_token(state, token)
        .await?
        .require(samlet_domain::Scope::Foresight)?)
}

/// The address participants open; the QR code encodes it.
pub fn join_url(state: &AppState, code: &str) -> String {
    format!("{}/f/{code}", state.config.public_url.trim_end_matches('/'))
}

/// The QR code as a `data:` URL of an SVG (the CSP allows `img-src data:`).
pub fn qr_data_url(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(280, 280)
        .quiet_zone(true)
        .build();
    Some(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// The refusal of a reveal with too few ballots; `detail` as for [`withheld_error`].
pub fn too_few_error(detail: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "too-few-ballots",
        "Too few ballots to reveal results",
        detail,
    )
}

/// `application/pdf` with a download name.
pub fn pdf_response(bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"foresight-report.pdf\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response()
}

/// The self-contained HTML report of a session (what `samlet foresight
/// report` writes), rendered with the server's templates.
pub fn report_html(lang: Lang, s: &Loaded, r: &Results) -> Result<String, String> {
    let templates = crate::web::Templates::new(samlet_domain::Country::No);
    pages::render_report_with(&templates, lang, s, r)
        .map(|html| html.0)
        .map_err(|e| e.detail)
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::NoSession(_) | Error::NoEdit(_) => ApiError::not_found(e.to_string()),
            Error::Invalid { pointer, message } => ApiError::invalid(pointer, message),
            Error::Withheld => withheld_error(WITHHELD_DETAIL),
            Error::TooFewBallots => too_few_error(TOO_FEW_DETAIL),
            Error::Closed => ApiError::conflict(e.to_string()),
            Error::UnknownParticipant => ApiError::unauthorized(e.to_string()),
            Error::ThemeHasTrends(_) => ApiError::conflict(e.to_string()).at("/code"),
            Error::Store(s) => s.into(),
            Error::Internal(s) => ApiError::internal(s),
        }
    }
}
