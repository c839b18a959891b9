//! Body extractors that fail with problem+json and a field pointer.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// The whole-body limit for the API (bulk uploads included).
pub const BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Read the body, turning "too large" into a 413 problem.
pub async fn body_bytes(req: Request) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, &()).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(BODY_LIMIT)
        } else {
            ApiError::bad_request(
                "unreadable-body",
                "The request body could not be read",
                e.body_text(),
            )
        }
    })
}

pub fn content_type_is(req: &Request, expected: &str) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().eq_ignore_ascii_case(expected))
        .unwrap_or(false)
}

/// Parse JSON and say where it went wrong: a type error points at the field
/// (`/amount`), a syntax error gives the line and column.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(
                "malformed-json",
                "The body is not valid JSON",
                format!(
                    "JSON syntax error at line {}, column {}.",
                    inner.line(),
                    inner.column()
                ),
            )
        } else {
            let pointer = json_pointer(&path);
            let msg = inner.to_string();
            // serde appends " at line X column Y": keep the message, drop the position noise.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
            ApiError::invalid(pointer, msg)
        }
    })
}

/// serde_path_to_error writes `a.b[2].c`; RFC 6901 wants `/a/b/2/c`.
pub(crate) fn json_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for seg in path.split('.') {
        let mut rest = seg;
        if let Some(i) = rest.find('[') {
            out.push('/');
            out.push_str(&rest[..i].replace('~', "~0").replace('/', "~1"));
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                out.push('/');
                out.push_str(&rest[1..end]);
                rest = &rest[end + 1..];
            }
        } else {
            out.push('/');
            out.push_str(&rest.replace('~', "~0").replace('/', "~1"));
        }
    }
    out
}

/// `Json<T>` for the API: requires `Content-Type: application/json` (which
/// also stops cross-site HTML forms from posting to cookie-authenticated
/// endpoints), enforces the body limit, and reports errors as problems.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if !content_type_is(&req, "application/json") {
            return Err(ApiError::unsupported_media("application/json"));
        }
        let bytes = body_bytes(req).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_follow_rfc_6901() {
        assert_eq!(json_pointer("amount"), "/amount");
        assert_eq!(
            json_pointer("ratings[2].importance"),
            "/ratings/2/importance"
        );
        assert_eq!(json_pointer("."), "");
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        pid: String,
        n: u32,
    }

    #[test]
    fn type_errors_point_at_the_field() {
        let e = parse_json::<Doc>(br#"{"pid": 12345, "n": 1}"#).err();
        assert_eq!(e.as_ref().and_then(|e| e.pointer.as_deref()), Some("/pid"));
        let e = parse_json::<Doc>(br#"{"pid": "x"}"#).err();
        assert!(e
            .map(|e| e.detail.contains("missing field `n`"))
            .unwrap_or(false));
        let e = parse_json::<Doc>(b"{\"pid\": \n oops").err();
        assert_eq!(e.map(|e| e.slug), Some("malformed-json"));
    }
}
