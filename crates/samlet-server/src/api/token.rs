//! `POST /oauth/token`: the RFC 7523 JWT-bearer grant, Maskinporten style.
//!
//! An agency signs a short-lived JWT with its private key (`iss` = its client
//! id, `aud` = this server's public URL, `iat`, `exp`, `jti`, `scope`); we
//! verify it against the public JWK set the agency registered, refuse a
//! replayed `jti`, and hand out a short-lived opaque bearer token.

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{random_token, token_hash, ALL_SCOPES};
use crate::AppState;

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Maskinporten's rule: an assertion lives at most two minutes.
const MAX_ASSERTION_LIFETIME: i64 = 120;
const LEEWAY: u64 = 10;
/// Access tokens are short-lived; agencies fetch a new one when it expires.
pub const ACCESS_TOKEN_SECONDS: i64 = 600;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`
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
fn oauth_error(status: StatusCode, code: &'static str, description: impl Into<String>) -> Response {
    let description = description.into();
    let body = serde_json::json!({
        "error": code,
        "error_description": description,
        "type": format!("https://samlet.dev/problems/oauth-{code}"),
        "title": "The token request was refused",
        "status": status.as_u16(),
        "detail": description,
    });
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

fn peek_issuer(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("iss")?.as_str().map(str::to_owned)
}

#[utoipa::path(
    post, path = "/oauth/token", tag = "agency",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = TokenResponse),
        (status = 400, description = "invalid_request, unsupported_grant_type, invalid_grant or invalid_scope"),
        (status = 401, description = "invalid_client: unknown client id or no registered key"),
        (status = 429, description = "Too many token requests from this address; see Retry-After", body = crate::problem::Problem),
    )
)]
pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    body: Bytes,
) -> Response {
    if let Err(e) = state.limits.token.check(&addr.ip()) {
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
    let now = Utc::now().timestamp();
    if claims.exp - claims.iat > MAX_ASSERTION_LIFETIME || claims.iat > now + LEEWAY as i64 {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            format!("An assertion may live at most {MAX_ASSERTION_LIFETIME} s and cannot be issued in the future."),
        );
    }
    let requested: Vec<&str> = claims.scope.split_whitespace().collect();
    if requested.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!("Ask for one or more of: {}.", ALL_SCOPES.join(" ")),
        );
    }
    if let Some(bad) = requested.iter().find(|s| !ALL_SCOPES.contains(s)) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!("Unknown scope {bad}."),
        );
    }
    let jti_expiry = Utc
        .timestamp_opt(claims.exp + LEEWAY as i64, 0)
        .single()
        .unwrap_or_else(Utc::now);
    match state
        .store
        .record_jti(&claims.iss, &claims.jti, jti_expiry)
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
    let scope = requested.join(" ");
    let expires = Utc::now() + chrono::Duration::seconds(ACCESS_TOKEN_SECONDS);
    if let Err(e) = state
        .store
        .insert_agency_token(
            &token_hash(&access),
            agency.id,
            samlet_store::TOKEN_ACCESS,
            &scope,
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
