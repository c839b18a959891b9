//! Body extractors that fail with problem+json and a field pointer.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::de::DeserializeOwned;
use serde_path_to_error::{Path, Segment};
use tower_http::limit::RequestBodyLimitLayer;

use crate::problem::{ApiError, ApiResult};

/// What public, citizen and web endpoints accept: a form or a JSON document
/// of a few fields.
pub const BODY_LIMIT: usize = 64 * 1024;
/// One item pushed by an agency: a message body may hold 256 KiB of text,
/// which JSON escaping (`\uXXXX`) can make up to six times longer.
pub const ITEM_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The agency's NDJSON bulk upload.
pub const BULK_BODY_LIMIT: usize = 10 * 1024 * 1024;
/// The deepest JSON nesting any endpoint accepts; Samlet's documents are a
/// few levels deep, and a bound keeps recursive parsing and pointers small.
pub const MAX_JSON_DEPTH: usize = 64;

/// The body limit of the route that is handling the request, for messages.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Give every route of `router` the body limit `limit`: a declared
/// `Content-Length` above it is refused before the body is read, a body
/// without one is cut off at the limit while it streams in, and either way
/// the answer is a 413 problem naming the limit.
pub fn limit_body<S: Clone + Send + Sync + 'static>(router: Router<S>, limit: usize) -> Router<S> {
    router
        .route_layer(DefaultBodyLimit::max(limit))
        .route_layer(RequestBodyLimitLayer::new(limit))
        .route_layer(axum::middleware::map_request(
            move |mut req: Request| async move {
                req.extensions_mut().insert(BodyLimit(limit));
                req
            },
        ))
        .route_layer(axum::middleware::map_response(
            move |res: Response| async move {
                let is_problem = res
                    .headers()
                    .get(CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
                if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_problem {
                    ApiError::too_large(limit).into_response()
                } else {
                    res
                }
            },
        ))
}

/// Read the body, turning "too large" into a 413 problem.
pub async fn body_bytes(req: Request) -> Result<Bytes, ApiError> {
    let limit = req
        .extensions()
        .get::<BodyLimit>()
        .map_or(BODY_LIMIT, |l| l.0);
    Bytes::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(limit)
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
/// (`/amount`), a syntax error gives the line and column, nesting deeper
/// than [`MAX_JSON_DEPTH`] points at the container that goes too deep.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    check_depth(bytes)?;
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = json_pointer(e.path());
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
            let msg = inner.to_string();
            // serde appends " at line X column Y": keep the message, drop the position noise.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
            ApiError::invalid(pointer, msg)
        }
    })
}

/// Refuse JSON nested deeper than [`MAX_JSON_DEPTH`], naming where.
pub fn check_depth(bytes: &[u8]) -> ApiResult<()> {
    match too_deep_at(bytes, MAX_JSON_DEPTH) {
        None => Ok(()),
        Some(pointer) => Err(ApiError::bad_request(
            "too-deep",
            "JSON nested too deeply",
            format!("JSON may be nested at most {MAX_JSON_DEPTH} levels deep."),
        )
        .at(pointer)),
    }
}

/// The pointer to the first array or object nested deeper than `max`, if
/// any. A scan over the bytes rather than a parse, so a hostile document
/// costs neither recursion nor memory (the stack holds at most `max`
/// frames); serde_json only stops at its own fixed limit of 128, and its
/// error does not say where. Malformed JSON is left to the parser.
fn too_deep_at(bytes: &[u8], max: usize) -> Option<String> {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    let raw = bytes.get(start..=i)?;
                    let key = serde_json::from_slice::<String>(raw).unwrap_or_else(|_| {
                        String::from_utf8_lossy(&raw[1..raw.len() - 1]).into_owned()
                    });
                    if let Some(Frame::Object(k)) = stack.last_mut() {
                        *k = Some(key);
                    }
                    expect_key = false;
                }
            }
            open @ (b'{' | b'[') => {
                if stack.len() >= max {
                    let mut out = String::new();
                    for f in &stack {
                        out.push('/');
                        match f {
                            Frame::Object(k) => escape_token(&mut out, k.as_deref().unwrap_or("")),
                            Frame::Array(n) => out.push_str(&n.to_string()),
                        }
                    }
                    return Some(out);
                }
                expect_key = open == b'{';
                stack.push(if expect_key {
                    Frame::Object(None)
                } else {
                    Frame::Array(0)
                });
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// RFC 6901: `~` is written `~0` and `/` is written `~1` inside a token.
fn escape_token(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// The RFC 6901 pointer (`/ratings/2/importance`) of a serde path, built
/// from its segments (never by reparsing its display form, which a key
/// such as `[]]` makes ambiguous). A segment serde could not name ends the
/// pointer at the value that holds it.
pub(crate) fn json_pointer(path: &Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                escape_token(&mut out, key);
            }
            Segment::Unknown => break,
        }
    }
    out
}

/// The highest page number a paged list accepts: far beyond any real list,
/// low enough that offsets stay small.
pub const MAX_PAGE: u32 = 1_000_000;

/// A 1-based page number or a page size from the query: absent is
/// `default`, anything outside `1..=max` a 400 naming the parameter.
pub fn bounded(value: Option<u32>, default: u32, max: u32, name: &str) -> ApiResult<u32> {
    match value {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v),
        Some(v) => Err(invalid_query(
            format!("/query/{name}"),
            format!("`{name}` must be between 1 and {max}; it was {v}."),
        )),
    }
}

fn invalid_query(pointer: String, detail: String) -> ApiError {
    ApiError::bad_request(
        "invalid-query",
        "A query parameter has an invalid value",
        detail,
    )
    .at(pointer)
}

/// Parse a query string into `T`, pointing at the parameter that is wrong
/// (`/query/page`): a number that is negative, too large or not a number is
/// a 400, never a 500.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> ApiResult<T> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let mut pointer = json_pointer(e.path());
        let msg = e.into_inner().to_string();
        if pointer.is_empty() {
            // "missing field `index`": the field is only in the message.
            if let Some(name) = msg.split('`').nth(1) {
                pointer.push('/');
                escape_token(&mut pointer, name);
            }
        }
        let name = pointer.trim_start_matches('/').to_owned();
        let detail = if name.is_empty() {
            format!("The query string is not valid: {msg}.")
        } else {
            format!("The query parameter `{name}` is not valid: {msg}.")
        };
        invalid_query(format!("/query{pointer}"), detail)
    })
}

/// `Query<T>` for every route: a bad parameter is a 400 problem with a
/// pointer instead of axum's plain-text rejection.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
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

/// [`ApiJson`] read inside a handler, for handlers that check credentials
/// before they read the body: a request without them is a 401 whatever its
/// body, as the document says.
pub async fn json_body<T: DeserializeOwned>(req: Request) -> ApiResult<T> {
    ApiJson::<T>::from_request(req, &())
        .await
        .map(|ApiJson(v)| v)
}

/// The longest header text an agency may send (purpose, legal basis, system, role).
const MAX_HEADER_TEXT: usize = 500;

/// A header as text. Norwegian letters arrive either as UTF-8 (curl, most
/// clients) or as ISO-8859-1 bytes (browsers' and Node's fetch, following
/// HTTP's historical charset); invalid UTF-8 is read as ISO-8859-1.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> ApiResult<Option<String>> {
    let Some(v) = headers.get(name) else {
        return Ok(None);
    };
    let bytes = v.as_bytes();
    let s = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let s = s.trim().to_owned();
    if s.chars().count() > MAX_HEADER_TEXT {
        return Err(ApiError::bad_request(
            "invalid-header",
            "Invalid header",
            format!("{name} is longer than {MAX_HEADER_TEXT} characters."),
        )
        .at(format!("/headers/{name}")));
    }
    Ok((!s.is_empty()).then_some(s))
}

pub(crate) fn required(headers: &HeaderMap, name: &str, what: &str) -> ApiResult<String> {
    header_text(headers, name)?.ok_or_else(|| {
        ApiError::bad_request(
            "missing-purpose",
            "Purpose and legal basis required",
            format!("Reading a person's data needs the header {name}: {what}. The read is logged for the person to see; nothing was returned."),
        )
        .at(format!("/headers/{name}"))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::{json, Value};

    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        pid: String,
        n: u32,
    }

    /// A nested shape, so type errors happen at every depth.
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Nested {
        n: u8,
        #[serde(default)]
        items: Vec<Nested>,
        #[serde(default)]
        by_key: BTreeMap<String, Nested>,
    }

    fn pointer_of(res: Result<Nested, ApiError>) -> Option<String> {
        res.err().and_then(|e| e.pointer)
    }

    #[test]
    fn pointers_follow_rfc_6901() {
        let doc = br#"{"n": 1, "by_key": {"a/b~c": {"n": 1, "items": [{"n": 1}, {"n": "x"}]}}}"#;
        assert_eq!(
            pointer_of(parse_json(doc)).as_deref(),
            Some("/by_key/a~1b~0c/items/1/n")
        );
        assert_eq!(
            pointer_of(parse_json(br#"{"n": -1}"#)).as_deref(),
            Some("/n")
        );
    }

    #[test]
    fn a_bracket_key_never_panics_the_pointer() {
        for key in [
            "[]]", "]", "[", "[0", "a[1]]", "", "~", "/", "~1", "æ/ø~å", ".", "..",
        ] {
            let doc = json!({"n": 1, "by_key": {key: {"n": "not a number"}}});
            let bytes = serde_json::to_vec(&doc).unwrap_or_default();
            let p = pointer_of(parse_json(&bytes)).unwrap_or_default();
            assert_eq!(
                doc.pointer(&p),
                Some(&json!("not a number")),
                "{key:?} → {p:?}"
            );
        }
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

    #[test]
    fn json_nested_too_deep_is_refused_with_its_pointer() {
        let mut doc = json!(1);
        for depth in (0..MAX_JSON_DEPTH + 5).rev() {
            doc = if depth % 2 == 0 {
                json!({ format!("k/{depth}"): doc })
            } else {
                json!([0, doc])
            };
        }
        let bytes = serde_json::to_vec(&doc).unwrap_or_default();
        let e = parse_json::<Value>(&bytes).err();
        assert_eq!(e.as_ref().map(|e| e.slug), Some("too-deep"));
        let p = e.and_then(|e| e.pointer).unwrap_or_default();
        assert_eq!(p.matches('/').count(), MAX_JSON_DEPTH, "{p}");
        assert!(
            doc.pointer(&p)
                .is_some_and(|v| v.is_object() || v.is_array()),
            "{p}"
        );
        assert!(p.starts_with("/k~10/1/k~12/1"), "{p}");
        // Exactly the limit is fine; brackets inside strings do not count.
        let ok = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert!(parse_json::<Value>(ok.as_bytes()).is_ok());
        let quoted = json!({ "s": "[".repeat(500) });
        assert!(parse_json::<Value>(&serde_json::to_vec(&quoted).unwrap_or_default()).is_ok());
    }

    #[test]
    fn numeric_query_parameters_are_a_400_with_a_pointer() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Q {
            index: u64,
            page: Option<u32>,
        }
        for (q, pointer) in [
            ("index=-1", "/query/index"),
            ("index=18446744073709551616", "/query/index"),
            ("index=abc", "/query/index"),
            ("index=", "/query/index"),
            ("page=1", "/query/index"),
            ("index=1&page=99999999999", "/query/page"),
            ("index=1&page=1.5", "/query/page"),
        ] {
            let e = parse_query::<Q>(q).err();
            assert_eq!(e.as_ref().map(|e| e.status.as_u16()), Some(400), "{q}");
            assert_eq!(e.and_then(|e| e.pointer).as_deref(), Some(pointer), "{q}");
        }
        assert!(parse_query::<Q>("index=7&page=2").is_ok());
        assert_eq!(bounded(None, 20, 100, "per_page").ok(), Some(20));
        assert!(bounded(Some(0), 20, 100, "per_page").is_err());
        assert!(bounded(Some(101), 20, 100, "per_page").is_err());
    }

    /// A valid RFC 6901 pointer: empty, or `/`-separated tokens in which
    /// every `~` is followed by `0` or `1`.
    fn is_rfc6901(p: &str) -> bool {
        (p.is_empty() || p.starts_with('/'))
            && p.split('~')
                .skip(1)
                .all(|t| t.starts_with('0') || t.starts_with('1'))
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (0u8..=255).prop_map(Value::from),
            ".{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("n".to_owned()),
                        Just("items".to_owned()),
                        Just("by_key".to_owned()),
                        "[\\[\\]~/.a-z\u{e6}\u{1F600}]{0,5}",
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_json_document_gets_a_pointer_that_resolves(doc in json_value()) {
            let bytes = serde_json::to_vec(&doc).unwrap_or_default();
            if let Some(p) = pointer_of(parse_json(&bytes)) {
                prop_assert!(is_rfc6901(&p), "{}", p);
                prop_assert!(doc.pointer(&p).is_some(), "{} not in {}", p, doc);
            }
        }

        #[test]
        fn any_bytes_never_panic_the_extractor(bytes in prop::collection::vec(
            prop_oneof![Just(b'['), Just(b'{'), Just(b'"'), Just(b'\\'), Just(b','), Just(b':'), any::<u8>()],
            0..300,
        )) {
            let _ = parse_json::<Nested>(&bytes);
            if let Some(p) = too_deep_at(&bytes, 4) {
                prop_assert!(is_rfc6901(&p), "{}", p);
            }
        }

        #[test]
        fn any_query_string_is_parsed_or_refused_with_a_pointer(q in ".{0,40}") {
            #[derive(serde::Deserialize, Debug)]
            #[allow(dead_code)]
            struct Q { start: Option<u64>, page: Option<u32> }
            if let Err(e) = parse_query::<Q>(&q) {
                prop_assert_eq!(e.status.as_u16(), 400);
                let p = e.pointer.unwrap_or_default();
                prop_assert!(p.starts_with("/query") && is_rfc6901(&p), "{}", p);
            }
        }
    }
}
