//! Citizen login with OpenID Connect, as ID-porten does it: authorization
//! code flow with PKCE (S256), `state` and `nonce`, the id_token verified
//! against the provider's JWKS, and the person id read from the `pid` claim.
//!
//! Written on reqwest + jsonwebtoken rather than the `openidconnect` crate:
//! we need one flow and one claim, and this keeps the verification rules
//! visible in one page.

use std::net::SocketAddr;
use std::sync::RwLock;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, Key, SameSite, SignedCookieJar};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use samlet_domain::Pid;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::{local_redirect, random_token, safe_next, start_session};
use crate::problem::ApiError;
use crate::{AppState, OidcConfig};

const FLOW_COOKIE: &str = "samlet_oidc";

#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

pub struct Provider {
    pub config: OidcConfig,
    pub metadata: Metadata,
    http: reqwest::Client,
    jwks: RwLock<JwkSet>,
}

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("could not reach the identity provider: {0}")]
    Http(#[from] reqwest::Error),
    #[error("the identity provider's metadata names issuer {found}, expected {expected}")]
    IssuerMismatch { expected: String, found: String },
}

impl Provider {
    /// Read `/.well-known/openid-configuration` and the JWKS.
    pub async fn discover(config: OidcConfig) -> Result<Self, OidcError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        let url = format!(
            "{}/.well-known/openid-configuration",
            config.issuer.trim_end_matches('/')
        );
        let metadata: Metadata = http
            .get(url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        if metadata.issuer.trim_end_matches('/') != config.issuer.trim_end_matches('/') {
            return Err(OidcError::IssuerMismatch {
                expected: config.issuer.clone(),
                found: metadata.issuer,
            });
        }
        let jwks: JwkSet = http
            .get(&metadata.jwks_uri)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(Self {
            config,
            metadata,
            http,
            jwks: RwLock::new(jwks),
        })
    }

    fn key_for(&self, kid: Option<&str>) -> Option<DecodingKey> {
        let set = self.jwks.read().ok()?;
        let jwk = match kid {
            Some(k) => set.find(k),
            None => set.keys.first(),
        }?;
        DecodingKey::from_jwk(jwk).ok()
    }

    /// Keys rotate: on an unknown `kid`, fetch the JWKS again once.
    async fn refresh_keys(&self) -> Result<(), OidcError> {
        let jwks: JwkSet = self
            .http
            .get(&self.metadata.jwks_uri)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        if let Ok(mut w) = self.jwks.write() {
            *w = jwks;
        }
        Ok(())
    }
}

/// What we remember between the redirect and the callback (signed cookie).
#[derive(Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
    next: String,
}

fn cookie_key(state: &AppState) -> Key {
    Key::from(&sha2::Sha512::digest(
        [
            b"samlet-oidc-cookie:".as_slice(),
            state.config.secret.expose_secret(),
        ]
        .concat(),
    ))
}

fn redirect_uri(state: &AppState) -> String {
    format!(
        "{}/auth/callback",
        state.config.public_url.trim_end_matches('/')
    )
}

#[derive(Deserialize)]
pub struct LoginQuery {
    pub next: Option<String>,
}

/// `GET /auth/login`: send the person to the identity provider.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, ApiError> {
    state.limits.oidc.check(&addr.ip())?;
    let Some(p) = state.oidc.clone() else {
        return Err(ApiError::not_found(
            "OpenID Connect login is not configured on this server.",
        ));
    };
    let flow = Flow {
        state: random_token(""),
        nonce: random_token(""),
        verifier: random_token(""),
        next: safe_next(q.next.as_deref()).to_owned(),
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(flow.verifier.as_bytes()));
    let mut url =
        url::Url::parse(&p.metadata.authorization_endpoint).map_err(ApiError::internal)?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &p.config.client_id)
        .append_pair("redirect_uri", &redirect_uri(&state))
        .append_pair("scope", &p.config.scopes)
        .append_pair("state", &flow.state)
        .append_pair("nonce", &flow.nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair(
            "ui_locales",
            crate::i18n::Lang::from_request(&headers).code(),
        );
    let value = serde_json::to_string(&flow).map_err(ApiError::internal)?;
    let cookie = Cookie::build((FLOW_COOKIE, value))
        .path("/auth")
        .http_only(true)
        .secure(state.config.secure_cookies())
        // Lax: the callback is a top-level navigation from the provider.
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::minutes(10))
        .build();
    let jar = SignedCookieJar::from_headers(&headers, cookie_key(&state)).add(cookie);
    Ok((jar, Redirect::to(url.as_str())).into_response())
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: String,
}

#[derive(Deserialize)]
struct IdClaims {
    nonce: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

fn login_failed(detail: impl Into<String>) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "login-failed",
        "Login failed",
        detail,
    )
}

/// `GET /auth/callback`: finish the login and start a session.
pub async fn callback(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, ApiError> {
    state.limits.oidc.check(&addr.ip())?;
    let Some(p) = state.oidc.clone() else {
        return Err(ApiError::not_found(
            "OpenID Connect login is not configured on this server.",
        ));
    };
    if let Some(e) = q.error {
        return Err(login_failed(format!(
            "The identity provider said: {e} {}",
            q.error_description.unwrap_or_default()
        )));
    }
    let jar = SignedCookieJar::from_headers(&headers, cookie_key(&state));
    let flow: Flow = jar
        .get(FLOW_COOKIE)
        .and_then(|c| serde_json::from_str(c.value()).ok())
        .ok_or_else(|| {
            login_failed("The login took too long or was started in another browser. Start again.")
        })?;
    if q.state.as_deref() != Some(flow.state.as_str()) {
        return Err(login_failed(
            "The login response does not belong to this login (state mismatch). Start again.",
        ));
    }
    let code = q
        .code
        .ok_or_else(|| login_failed("The identity provider sent no authorization code."))?;
    let redirect = redirect_uri(&state);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
        ("client_id", p.config.client_id.as_str()),
        ("client_secret", p.config.client_secret.expose_secret()),
        ("code_verifier", flow.verifier.as_str()),
    ];
    let tokens: TokenResponse = p
        .http
        .post(&p.metadata.token_endpoint)
        .form(&form)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| login_failed(format!("The identity provider refused the code: {e}")))?
        .json()
        .await
        .map_err(|e| login_failed(format!("Unreadable token response: {e}")))?;

    let header = jsonwebtoken::decode_header(&tokens.id_token)
        .map_err(|e| login_failed(format!("id_token: {e}")))?;
    let key = match p.key_for(header.kid.as_deref()) {
        Some(k) => k,
        None => {
            p.refresh_keys()
                .await
                .map_err(|e| login_failed(e.to_string()))?;
            p.key_for(header.kid.as_deref())
                .ok_or_else(|| login_failed("The id_token is signed with an unknown key."))?
        }
    };
    let mut v = Validation::new(header.alg);
    v.set_issuer(&[p.metadata.issuer.as_str()]);
    v.set_audience(&[p.config.client_id.as_str()]);
    v.set_required_spec_claims(&["exp", "iss", "aud"]);
    v.leeway = 30;
    let claims = jsonwebtoken::decode::<IdClaims>(&tokens.id_token, &key, &v)
        .map_err(|e| login_failed(format!("The id_token was refused: {e}")))?
        .claims;
    if claims.nonce.as_deref() != Some(flow.nonce.as_str()) {
        return Err(login_failed(
            "The id_token's nonce does not match this login.",
        ));
    }
    let raw = claims
        .rest
        .get(&p.config.pid_claim)
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            login_failed(format!(
                "The id_token has no `{}` claim.",
                p.config.pid_claim
            ))
        })?;
    let pid = Pid::parse(raw, state.config.pid_policy)
        .map_err(|e| login_failed(format!("Person id from the provider: {e}")))?;
    let session = start_session(&state, &pid).await?;
    let jar = jar.remove(Cookie::build(FLOW_COOKIE).path("/auth"));
    let plain = CookieJar::new().add(session);
    // The target came back in a cookie: checked again as if it were input.
    Ok((jar, plain, local_redirect(&flow.next)).into_response())
}
