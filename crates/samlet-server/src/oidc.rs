//! Citizen login with OpenID Connect, as ID-porten does it: authorization
//! code flow with PKCE (S256), `state` and `nonce`, the id_token verified
//! against the provider's JWKS, and the person id read from the `pid` claim,
//! of the id_token or, when the provider keeps it out of the id_token (as
//! OpenID Connect Core § 5.4 allows, and `oidc-provider` does by default),
//! of the UserInfo response for the same subject.
//!
//! Written on reqwest + jsonwebtoken rather than the `openidconnect` crate:
//! we need one flow and one claim, and this keeps the verification rules
//! visible in one page.

use std::sync::RwLock;

use axum::extract::{Query, State};
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
/// Clock skew tolerated between the provider and us, in seconds.
const ID_TOKEN_LEEWAY: u64 = 30;
/// An id_token is fetched right after the person logs in; one issued longer
/// ago than this is not from this login.
const MAX_ID_TOKEN_AGE: i64 = 600;

#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
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

    /// The UserInfo claims for `access_token` (OpenID Connect Core § 5.3),
    /// or why they could not be had.
    async fn userinfo(
        &self,
        access_token: Option<&str>,
    ) -> Result<serde_json::Map<String, serde_json::Value>, String> {
        let Some(endpoint) = self.metadata.userinfo_endpoint.as_deref() else {
            return Err("the provider has no UserInfo endpoint".into());
        };
        let Some(access_token) = access_token else {
            return Err("the token response carried no access token for UserInfo".into());
        };
        let res = self
            .http
            .get(endpoint)
            .bearer_auth(access_token)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("UserInfo request failed: {e}"))?;
        // A signed or encrypted UserInfo (application/jwt) would need its own
        // verification; we ask for none, so accept only plain JSON.
        let json = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json"));
        if !json {
            return Err("the UserInfo response is not JSON".into());
        }
        res.json()
            .await
            .map_err(|e| format!("unreadable UserInfo response: {e}"))
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
    crate::ratelimit::ClientIp(ip): crate::ratelimit::ClientIp,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, ApiError> {
    state.limits.oidc.check(&ip)?;
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
            crate::i18n::PageLang::of(&headers, state.config.country_lang()).code(),
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
    access_token: Option<String>,
}

#[derive(Deserialize)]
struct IdClaims {
    sub: String,
    /// Required by OpenID Connect Core § 2; checked in [`check_id_claims`].
    iat: i64,
    aud: serde_json::Value,
    azp: Option<String>,
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
    crate::ratelimit::ClientIp(ip): crate::ratelimit::ClientIp,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, ApiError> {
    state.limits.oidc.check(&ip)?;
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
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = ID_TOKEN_LEEWAY;
    let claims = jsonwebtoken::decode::<IdClaims>(&tokens.id_token, &key, &v)
        .map_err(|e| login_failed(format!("The id_token was refused: {e}")))?
        .claims;
    check_id_claims(
        &claims,
        &p.config.client_id,
        &flow.nonce,
        chrono::Utc::now().timestamp(),
    )
    .map_err(login_failed)?;
    let from_id_token = match p.config.pid_claim.as_str() {
        "sub" => Some(claims.sub.clone()),
        name => claims
            .rest
            .get(name)
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    };
    let raw = match from_id_token {
        Some(raw) => raw,
        None => {
            let info = p
                .userinfo(tokens.access_token.as_deref())
                .await
                .map_err(|e| {
                    login_failed(format!(
                        "The id_token has no `{}` claim, and {e}.",
                        p.config.pid_claim
                    ))
                })?;
            // § 5.3.2: UserInfo for another subject must not be used.
            if info.get("sub").and_then(|v| v.as_str()) != Some(claims.sub.as_str()) {
                return Err(login_failed(
                    "The UserInfo response is about another subject than the id_token.",
                ));
            }
            info.get(&p.config.pid_claim)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| {
                    login_failed(format!(
                        "Neither the id_token nor UserInfo has a `{}` claim.",
                        p.config.pid_claim
                    ))
                })?
        }
    };
    let pid = Pid::parse(&raw, state.config.pid_policy)
        .map_err(|e| login_failed(format!("Person id from the provider: {e}")))?;
    let session = start_session(&state, &pid).await?;
    let jar = jar.remove(Cookie::build(FLOW_COOKIE).path("/auth"));
    let plain = CookieJar::new().add(session);
    // The target came back in a cookie: checked again as if it were input.
    Ok((jar, plain, local_redirect(&flow.next)).into_response())
}

/// The id_token checks `jsonwebtoken` does not make (OpenID Connect Core
/// § 3.1.3.7): `iat` inside a window around `now` (checked arithmetic, the
/// value is the provider's), `azp` naming us when there are several
/// audiences or when it is present at all, and the nonce of this login.
fn check_id_claims(
    claims: &IdClaims,
    client_id: &str,
    nonce: &str,
    now: i64,
) -> Result<(), String> {
    let leeway = ID_TOKEN_LEEWAY as i64;
    let future = now.checked_add(leeway).is_none_or(|t| claims.iat > t);
    let stale = now
        .checked_sub(MAX_ID_TOKEN_AGE + leeway)
        .is_none_or(|t| claims.iat < t);
    if future || stale {
        return Err("The id_token's issue time (iat) is not around now.".into());
    }
    let several = claims.aud.as_array().is_some_and(|a| a.len() > 1);
    match claims.azp.as_deref() {
        Some(azp) if azp != client_id => {
            return Err("The id_token was issued to another client (azp).".into())
        }
        None if several => {
            return Err("The id_token has several audiences but no authorized party (azp).".into())
        }
        _ => {}
    }
    if claims.nonce.as_deref() != Some(nonce) {
        return Err("The id_token's nonce does not match this login.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn claims(v: serde_json::Value) -> IdClaims {
        let mut base = json!({"sub": "s", "iat": NOW, "aud": "samlet", "nonce": "n"});
        if let (Some(b), Some(o)) = (base.as_object_mut(), v.as_object()) {
            b.extend(o.clone());
        }
        serde_json::from_value(base).expect("claims")
    }

    #[test]
    fn a_plain_id_token_for_us_passes() {
        assert!(check_id_claims(&claims(json!({})), "samlet", "n", NOW).is_ok());
    }

    #[test]
    fn an_id_token_without_iat_does_not_parse() {
        let v = json!({"sub": "s", "aud": "samlet", "nonce": "n"});
        assert!(serde_json::from_value::<IdClaims>(v).is_err());
    }

    #[test]
    fn iat_far_from_now_or_at_the_edges_of_i64_is_refused() {
        for iat in [NOW + 31, NOW - 631, i64::MAX, i64::MIN, -1, 0] {
            let c = claims(json!({ "iat": iat }));
            assert!(check_id_claims(&c, "samlet", "n", NOW).is_err(), "{iat}");
        }
        for iat in [NOW + 30, NOW - 630] {
            let c = claims(json!({ "iat": iat }));
            assert!(check_id_claims(&c, "samlet", "n", NOW).is_ok(), "{iat}");
        }
    }

    #[test]
    fn several_audiences_need_azp_naming_us() {
        let two = json!(["samlet", "other"]);
        let c = claims(json!({ "aud": two }));
        assert!(check_id_claims(&c, "samlet", "n", NOW).is_err());
        let c = claims(json!({ "aud": two, "azp": "other" }));
        assert!(check_id_claims(&c, "samlet", "n", NOW).is_err());
        let c = claims(json!({ "aud": two, "azp": "samlet" }));
        assert!(check_id_claims(&c, "samlet", "n", NOW).is_ok());
        let c = claims(json!({ "azp": "other" }));
        assert!(check_id_claims(&c, "samlet", "n", NOW).is_err());
    }

    #[test]
    fn another_logins_nonce_is_refused() {
        assert!(check_id_claims(&claims(json!({})), "samlet", "m", NOW).is_err());
        let c = claims(json!({ "nonce": null }));
        assert!(check_id_claims(&c, "samlet", "n", NOW).is_err());
    }
}
