//! RFC 9457 problem details: every HTTP error Samlet returns.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An `application/problem+json` body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; resolvable to documentation.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong in this case, for a human.
    pub detail: String,
    /// RFC 6901 pointer to the offending field, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The request id, to quote when asking for help.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

/// The error type of every handler.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub slug: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub pointer: Option<String>,
    /// Extra headers, e.g. `WWW-Authenticate` or `Retry-After`.
    pub www_authenticate: Option<&'static str>,
    /// The policy's refusal, when this is one: web pages show its sentence in
    /// the page's language (the API speaks English). Carried as the reason,
    /// not as more strings, so errors stay small (clippy's `result_large_err`).
    pub deny: Option<samlet_access::DenyReason>,
    /// Seconds to wait, sent as `Retry-After` (rate limits). A `u16` (up
    /// to 18 hours, longer than any quota's period) keeps `ApiError` small.
    pub retry_after: Option<u16>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(
        status: StatusCode,
        slug: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            slug,
            title,
            detail: detail.into(),
            pointer: None,
            www_authenticate: None,
            deny: None,
            retry_after: None,
        }
    }

    /// A refusal by the policy: 403 with the reason's code, its English
    /// sentence as the detail, and the reason kept for web pages.
    pub fn denied(reason: samlet_access::DenyReason) -> Self {
        let mut e = Self::new(
            StatusCode::FORBIDDEN,
            reason.code(),
            "Not allowed",
            reason.text(crate::i18n::Lang::En),
        );
        e.deny = Some(reason);
        e
    }

    /// The detail in the page's language: a policy refusal or a rate limit
    /// in the reader's language; other details as written (English).
    pub fn detail_in(&self, lang: crate::i18n::Lang) -> String {
        if let Some(secs) = self.retry_after {
            return lang
                .msg("rate_limited")
                .arg("seconds", i64::from(secs))
                .to_string();
        }
        match &self.deny {
            Some(r) => r.text(lang),
            None => self.detail.clone(),
        }
    }

    pub fn retry_after(mut self, seconds: u16) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn invalid(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-field",
            "A field has an invalid value",
            detail,
        )
        .at(pointer)
    }

    pub fn bad_request(slug: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, slug, title, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        );
        e.www_authenticate = Some("Bearer realm=\"samlet\"");
        e
    }

    pub fn not_logged_in() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "not-logged-in",
            "Not logged in",
            "Log in to see your overview.",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "conflict",
            "Conflicts with stored data",
            detail,
        )
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "Request body too large",
            format!(
                "The body is larger than {}, the most this address accepts (a bulk upload can be split into smaller files).",
                if limit.is_multiple_of(1024 * 1024) {
                    format!("{} MiB", limit / (1024 * 1024))
                } else {
                    format!("{} KiB", limit / 1024)
                }
            ),
        )
    }

    pub fn too_many(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many attempts",
            detail,
        )
    }

    pub fn unsupported_media(expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Wrong Content-Type",
            format!("Send the body as {expected}."),
        )
        .at("/headers/content-type")
    }

    /// An internal failure: the detail is logged, the client sees only the request id.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side",
            "The request was not completed. Nothing was partly stored. Try again, or quote the request id.",
        )
    }

    /// `Retry-After` on a rate-limited response (JSON or page).
    pub fn set_retry_after(&self, res: &mut Response) {
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }

    pub fn to_problem(&self, request_id: Option<String>) -> Problem {
        Problem {
            kind: format!("https://samlet.dev/problems/{}", self.slug),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            pointer: self.pointer.clone(),
            instance: request_id,
        }
    }
}

impl From<samlet_domain::FieldError> for ApiError {
    fn from(e: samlet_domain::FieldError) -> Self {
        Self::invalid(e.pointer, e.message)
    }
}

impl From<samlet_app::authority::AuthorityError> for ApiError {
    fn from(e: samlet_app::authority::AuthorityError) -> Self {
        use samlet_app::authority::AuthorityError as E;
        match e {
            E::Store(s) => s.into(),
            E::NoSuchAgency(_) => Self::not_found(e.to_string()),
            E::AgencyExists(_) => Self::conflict(e.to_string()),
            other => Self::internal(other),
        }
    }
}

impl From<samlet_store::StoreError> for ApiError {
    fn from(e: samlet_store::StoreError) -> Self {
        match e {
            samlet_store::StoreError::AgencyExists(org) => Self::conflict(format!(
                "An agency with organisation number {org} is already registered."
            )),
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The request id is added by the `problem_instance` middleware, which
        // knows it; here we only have the error.
        let body = serde_json::to_vec(&self.to_problem(None)).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(v) = self.www_authenticate {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(v));
        }
        self.set_retry_after(&mut res);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use samlet_access::DenyReason;

    #[test]
    fn errors_stay_small() {
        // clippy's result_large_err warns from 128 bytes.
        assert!(
            std::mem::size_of::<ApiError>() <= 128,
            "{}",
            std::mem::size_of::<ApiError>()
        );
    }

    #[test]
    fn a_refusal_speaks_the_page_language_and_the_api_english() {
        let e = ApiError::denied(DenyReason::Revoked);
        assert_eq!(e.status, StatusCode::FORBIDDEN);
        assert_eq!(e.slug, "revoked");
        assert_eq!(
            e.to_problem(None).detail,
            "The power of attorney was revoked."
        );
        assert_eq!(e.detail_in(Lang::En), "The power of attorney was revoked.");
        assert_eq!(e.detail_in(Lang::Nb), "Fullmakten er trukket tilbake.");
        assert_eq!(e.detail_in(Lang::Da), "Fuldmagten er tilbagekaldt.");
        assert_eq!(e.detail_in(Lang::Nn), "Fullmakta er trekt tilbake.");
        let plain = ApiError::not_found("No such thing.");
        assert_eq!(plain.detail_in(Lang::Da), "No such thing.");
    }
}
