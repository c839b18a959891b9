//! `POST /oauth/token`: the RFC 7523 JWT-bearer grant, Maskinporten style.
//!
//! An agency signs a short-lived JWT with its private key (`iss` = its client
//! id, `aud` = this server's public URL, `iat`, `exp`, `jti`, `scope`); we
//! verify it against the public JWK set the agency registered, refuse a
//! replayed `jti`, and hand out a short-lived opaque bearer token.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use samlet_domain::ScopeSet;

use crate::auth::{random_token, token_hash};
use crate::AppState;

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Maskinporten's rule: an assertion lives at most two minutes.
const MAX_ASSERTION_LIFETIME: i64 = 120;
/// Clock skew we tolerate between an agency and us, in seconds.
const LEEWAY: u64 = 10;
/// Access tokens are short-lived; agencies fetch a new one when it expires.
pub const ACCESS_TOKEN_SECONDS: i64 = 600;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`
    #[schema(example = "urn:ietf:params:oauth:grant-type:jwt-bearer")]
    pub grant_type: String,
    /// The signed JWT.
    pub assertion: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub scope: String,
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    #[allow(dead_code)]
    aud: serde_json::Value,
    iat: i64,
    exp: i64,
    jti: String,
    #[serde(default)]
    scope: String,
}

/// RFC 6749 §5.2 error, with the problem-details fields beside it so both
/// OAuth libraries and people reading it get what they need.
#[derive(Serialize, ToSchema)]
pub struct OAuthError {
    #[schema(example = "invalid_grant")]
    pub error: &'static str,
    pub error_description: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
}

fn oauth_error(status: StatusCode, code: &'static str, description: impl Into<String>) -> Response {
    let description = description.into();
    let body = OAuthError {
        error: code,
        error_description: description.clone(),
        kind: format!("https://samlet.dev/problems/oauth-{code}"),
        title: "The token request was refused",
        status: status.as_u16(),
        detail: description,
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

fn peek_issuer(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("iss")?.as_str().map(str::to_owned)
}

/// Get an access token.
///
/// OAuth 2.0 token endpoint for agencies: the JWT-bearer grant (RFC 7523) with an assertion signed
/// by the agency's registered key. OAuth errors are RFC 6749 JSON; rate limits are problem
/// details.
#[utoipa::path(
    post, path = "/oauth/token", tag = "agency",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = TokenResponse),
        (status = 400, description = "invalid_request, unsupported_grant_type, invalid_grant or invalid_scope", body = OAuthError),
        (status = 401, description = "invalid_client: unknown client id or no registered key", body = OAuthError),
        (status = 429, description = "Too many token requests from this address; see Retry-After", body = crate::problem::Problem),
    )
)]
pub async fn token(
    State(state): State<AppState>,
    crate::ratelimit::ClientIp(ip): crate::ratelimit::ClientIp,
    body: Bytes,
) -> Response {
    if let Err(e) = state.limits.token.check(&ip) {
        return e.into_response();
    }
    let form: TokenRequest = match serde_urlencoded::from_bytes(&body) {
        Ok(f) => f,
        Err(e) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                format!("Form body: {e}"),
            )
        }
    };
    if form.grant_type != GRANT_TYPE {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("Use grant_type={GRANT_TYPE}."),
        );
    }
    let Some(jwt) = form.assertion else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The `assertion` field (a signed JWT) is missing.",
        );
    };
    let Some(client_id) = peek_issuer(&jwt) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The assertion is not a JWT with an `iss` claim.",
        );
    };
    let agency = match state.store.agency_by_client_id(&client_id).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "No agency has registered this client id.",
            )
        }
        Err(e) => return crate::problem::ApiError::internal(e).into_response(),
    };
    let Some(jwks) = agency
        .jwks
        .as_deref()
        .and_then(|j| serde_json::from_str::<JwkSet>(j).ok())
    else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The agency has no usable public key registered.",
        );
    };
    let header = match jsonwebtoken::decode_header(&jwt) {
        Ok(h) => h,
        Err(e) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                format!("JWT header: {e}"),
            )
        }
    };
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        None if jwks.keys.len() == 1 => jwks.keys.first(),
        None => None,
    };
    let Some(jwk) = jwk else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "No registered key matches the JWT's `kid`.",
        );
    };
    if !matches!(
        header.alg,
        Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::ES256
            | Algorithm::EdDSA
    ) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Sign with RS256, ES256 or EdDSA.",
        );
    }
    let key = match DecodingKey::from_jwk(jwk) {
        Ok(k) => k,
        Err(e) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                format!("Registered key unusable: {e}"),
            )
        }
    };
    let mut validation = Validation::new(header.alg);
    let public = state.config.public_url.trim_end_matches('/');
    validation.set_audience(&[public.to_owned(), format!("{public}/")]);
    validation.set_issuer(&[client_id.as_str()]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "jti"]);
    validation.leeway = LEEWAY;
    let claims = match jsonwebtoken::decode::<Claims>(&jwt, &key, &validation) {
        Ok(d) => d.claims,
        Err(e) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                format!("The assertion was refused: {e}."),
            )
        }
    };
    let replay_until = match assertion_window(claims.iat, claims.exp, Utc::now().timestamp()) {
        Ok(t) => t,
        Err(why) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why),
    };
    let requested = match ScopeSet::parse_list(&claims.scope) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                format!(
                    "Ask for one or more of the scopes granted to your agency: {}.",
                    agency.scopes
                ),
            )
        }
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", format!("{e}.")),
    };
    // Authority is granted, never requested into being: the token carries
    // only what the operator granted the agency.
    let scopes = granted_scopes(requested, agency.scopes);
    if scopes.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!(
                "None of the requested scopes ({requested}) has been granted to {}. Granted: {}. Scopes are granted by the platform's operator.",
                agency.name,
                if agency.scopes.is_empty() { "none".to_owned() } else { agency.scopes.to_string() }
            ),
        );
    }
    match state
        .store
        .record_jti(&claims.iss, &claims.jti, replay_until)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "This assertion (jti) was already used.",
            )
        }
        Err(e) => return crate::problem::ApiError::internal(e).into_response(),
    }
    let access = random_token("samlet_at_");
    let scope = scopes.to_string();
    let expires = Utc::now() + chrono::Duration::seconds(ACCESS_TOKEN_SECONDS);
    if let Err(e) = state
        .store
        .insert_agency_token(
            &token_hash(&access),
            agency.id,
            samlet_store::TokenKind::Access,
            scopes,
            Some(expires),
        )
        .await
    {
        return crate::problem::ApiError::internal(e).into_response();
    }
    tracing::info!(agency = %agency.org, %scope, "access token issued");
    let body = TokenResponse {
        access_token: access,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
        scope,
    };
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// What a token may carry: the requested scopes the agency was granted.
pub fn granted_scopes(requested: ScopeSet, granted: ScopeSet) -> ScopeSet {
    requested.intersection(granted)
}

/// Checks an assertion's `iat` and `exp` against `now` (all Unix seconds) and
/// returns until when its `jti` must be remembered.
///
/// The claims are the caller's numbers, so every step is checked arithmetic:
/// `exp - iat` with `iat` negative, or `exp + leeway` with `exp` near
/// `i64::MAX`, would otherwise wrap in a release build (and a wrapped replay
/// record could expire at once, letting the assertion be used again).
///
/// An assertion is accepted only if it was issued no later than `now +
/// LEEWAY`, no earlier than its longest possible life ago, expires after it
/// was issued, lives at most `MAX_ASSERTION_LIFETIME`, and has not expired
/// (with the leeway). The replay record then lives one second past the last
/// instant the assertion is accepted: `exp + LEEWAY` is compared in whole
/// seconds, and the record is purged when its expiry is strictly past.
fn assertion_window(iat: i64, exp: i64, now: i64) -> Result<DateTime<Utc>, String> {
    let leeway = LEEWAY as i64;
    let refused = |why: &str| Err(format!("The assertion was refused: {why}."));
    let (Some(latest_iat), Some(earliest_iat)) = (
        now.checked_add(leeway),
        now.checked_sub(MAX_ASSERTION_LIFETIME + leeway),
    ) else {
        return refused("the server's clock is out of range");
    };
    if iat > latest_iat {
        return refused("`iat` is in the future");
    }
    if iat < earliest_iat {
        return refused(&format!(
            "`iat` is more than {MAX_ASSERTION_LIFETIME} s in the past"
        ));
    }
    match exp.checked_sub(iat) {
        Some(life) if life > 0 && life <= MAX_ASSERTION_LIFETIME => {}
        Some(life) if life <= 0 => return refused("`exp` is not after `iat`"),
        _ => {
            return refused(&format!(
                "an assertion may live at most {MAX_ASSERTION_LIFETIME} s (`exp` - `iat`)"
            ))
        }
    }
    // Both bounds above hold, so `exp` is within a few minutes of `now` and
    // these additions cannot overflow; they stay checked all the same.
    match exp.checked_add(leeway) {
        Some(last) if last >= now => {}
        Some(_) => return refused("it has expired"),
        None => return refused("`exp` is out of range"),
    }
    exp.checked_add(leeway + 1)
        .and_then(|t| Utc.timestamp_opt(t, 0).single())
        .map_or_else(|| refused("`exp` is out of range"), Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_fresh_assertion_is_remembered_past_its_last_valid_second() {
        let until = assertion_window(NOW, NOW + 60, NOW).expect("valid");
        assert_eq!(until.timestamp(), NOW + 60 + LEEWAY as i64 + 1);
    }

    #[test]
    fn overflowing_and_negative_times_are_refused_not_wrapped() {
        for (iat, exp) in [
            (NOW, i64::MAX),
            (i64::MIN, i64::MAX),
            (-1, i64::MAX),
            (i64::MAX, i64::MAX),
            (i64::MAX - 5, i64::MAX),
            (NOW, i64::MIN),
            (i64::MIN, NOW),
            (-1, 60),
            (0, 0),
        ] {
            assert!(
                assertion_window(iat, exp, NOW).is_err(),
                "iat {iat} exp {exp} was accepted"
            );
        }
    }

    #[test]
    fn exp_before_iat_is_refused() {
        assert!(assertion_window(NOW, NOW - 1, NOW).is_err());
        assert!(assertion_window(NOW, NOW, NOW).is_err());
    }

    #[test]
    fn far_past_and_future_iat_are_refused() {
        // An old assertion whose `exp` was pushed forward would otherwise be
        // accepted as long as exp - iat looked short.
        assert!(assertion_window(NOW - 3600, NOW - 3600 + 60, NOW).is_err());
        assert!(assertion_window(NOW - 131, NOW - 11, NOW).is_err());
        assert!(assertion_window(NOW + 11, NOW + 60, NOW).is_err());
        assert!(assertion_window(NOW + 10, NOW + 60, NOW).is_ok());
    }

    #[test]
    fn lifetime_over_two_minutes_is_refused() {
        assert!(assertion_window(NOW, NOW + 121, NOW).is_err());
        assert!(assertion_window(NOW, NOW + 120, NOW).is_ok());
    }

    #[test]
    fn expired_within_leeway_is_accepted_and_beyond_refused() {
        assert!(assertion_window(NOW - 70, NOW - 10, NOW).is_ok());
        assert!(assertion_window(NOW - 71, NOW - 11, NOW).is_err());
    }

    proptest::proptest! {
        /// Whatever the numbers, the window never panics, and an accepted
        /// assertion is remembered at least until it could no longer pass.
        #[test]
        fn any_times_are_judged_without_panic(iat in proptest::num::i64::ANY, exp in proptest::num::i64::ANY) {
            if let Ok(until) = assertion_window(iat, exp, NOW) {
                proptest::prop_assert!(until.timestamp() > exp + LEEWAY as i64);
                proptest::prop_assert!(exp - iat <= MAX_ASSERTION_LIFETIME && exp > iat);
            }
        }

        /// Near now, the same holds, and the accepted ones are exactly those
        /// inside the window.
        #[test]
        fn times_near_now_are_accepted_only_inside_the_window(iat in NOW - 300..NOW + 300, life in -200i64..200) {
            let exp = iat + life;
            let inside = (NOW - 130..=NOW + 10).contains(&iat) && (1..=120).contains(&life) && exp + 10 >= NOW;
            let verdict = assertion_window(iat, exp, NOW);
            proptest::prop_assert_eq!(verdict.is_ok(), inside);
            if let Ok(until) = verdict {
                proptest::prop_assert_eq!(until.timestamp(), exp + 11);
            }
        }
    }
}
