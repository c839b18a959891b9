//! The OpenAPI 3.1 document: each operation comes with its route
//! (`router.rs`, `routes!`), and [`Contract`] completes the errors they share.

use std::sync::LazyLock;

use axum::Json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "agency_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An access token from POST /oauth/token (JWT-bearer grant), or a dev token in dev mode."))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Set by citizen login (ID-porten OpenID Connect, or /auth/dev/login in dev mode).",
            ))),
        );
        c.add_security_scheme(
            "team_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A foresight session's team key (fk_…), printed once by `samlet foresight session create`."))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "participant_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A participant token (fp_…) from POST /api/v1/foresight/join.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samlet",
        description = "One overview of the public sector. Agencies push cases, deadlines, benefits and messages; citizens see them in one place. Errors are RFC 9457 problem details.",
        license(name = "MIT OR Apache-2.0")
    ),
    // Every other operation comes with its route (router.rs, `routes!`).
    // A wildcard path segment has no OpenAPI form, so this one route is
    // registered by hand and documented here.
    paths(crate::transparency::http::tile),
    components(schemas(crate::problem::Problem)),
    modifiers(&Security),
    tags(
        (name = "agency", description = "For agencies: push what they have going on with a person"),
        (name = "citizen", description = "For the logged-in person: their own overview"),
        (name = "operations", description = "Health and readiness"),
        (name = "foresight", description = "Foresight: driving forces and trends, anonymous evaluations of importance and preparedness, the strategic blind spot"),
        (name = "rules", description = "Public: explain published rules as code for a household the caller sends"),
        (name = "transparency", description = "The public, tamper-evident access log: checkpoints and proofs"),
        (name = "representation", description = "Acting for someone: powers of attorney, guardianships, parental authority; the representative's list and views"),
        (name = "consent", description = "Consent-based sharing between agencies: requests, answers, revocation and the sharing read")
    )
)]
pub struct ApiDoc;

/// The served document: the routes' operations completed by [`Contract`].
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = crate::router::routes();
    Contract.modify(&mut doc);
    doc
}

/// Built once: the routes do not change while the server runs.
static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(document);

pub async fn serve() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(&DOCUMENT)
}

/// Completes each operation's error responses from what the layers and
/// extractors every route shares can answer, so no handler repeats them:
/// a body can be too large (413), a JSON or NDJSON body also malformed
/// (400), of another content type (415) or invalid (422); a query or path
/// parameter can be malformed (400); credentials can be missing or wrong
/// (401), and an agency's lack a role (403); any request can fail inside
/// (500). Errors without a body of their own are then documented as
/// `application/problem+json` with the `Problem` schema (what
/// `middleware::problems` makes of every error); the few with another
/// body (OAuth's token errors, readiness) keep theirs.
pub struct Contract;

impl Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                complete(op);
            }
        }
    }
}

fn complete(op: &mut Operation) {
    let schemes: Vec<String> = op
        .security
        .iter()
        .flatten()
        .filter_map(|s| serde_json::to_value(s).ok())
        .filter_map(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
        .flatten()
        .collect();
    let mut shared: Vec<(&str, &str)> = Vec::new();
    if let Some(body) = &op.request_body {
        shared.push(("413", "The body is larger than this address accepts."));
        let checked = body
            .content
            .keys()
            .any(|t| t == "application/json" || t == "application/x-ndjson");
        if checked {
            shared.extend([
                ("400", "The body is not well-formed."),
                ("415", "The body is not of the documented content type."),
                ("422", "A field has an invalid value; `pointer` names it."),
            ]);
        }
    }
    if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
        shared.push((
            "400",
            "A path or query parameter is malformed; `pointer` names it.",
        ));
    }
    if !schemes.is_empty() {
        shared.push(("401", "The credentials are missing, expired or not valid."));
    }
    if schemes.iter().any(|s| s == "agency_token") {
        shared.push(("403", "The agency's token lacks the role this needs."));
    }
    shared.push((
        "500",
        "Something went wrong on the server's side; nothing was partly stored.",
    ));
    let responses = &mut op.responses.responses;
    for (status, description) in shared {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    }
    let problem = Ref::from_schema_name("Problem");
    for (status, response) in responses.iter_mut() {
        let RefOr::T(r) = response else { continue };
        if !(status.starts_with('4') || status.starts_with('5')) {
            continue;
        }
        let is_problem = r
            .content
            .values()
            .all(|c| matches!(&c.schema, Some(RefOr::Ref(x)) if *x == problem));
        if is_problem {
            r.content.clear();
            r.content.insert(
                "application/problem+json".to_owned(),
                Content::new(Some(RefOr::Ref(problem.clone()))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<(String, &Operation)> {
        doc.paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                [
                    ("get", &item.get),
                    ("put", &item.put),
                    ("post", &item.post),
                    ("delete", &item.delete),
                    ("patch", &item.patch),
                ]
                .into_iter()
                .filter_map(move |(m, op)| op.as_ref().map(|op| (format!("{m} {path}"), op)))
            })
            .collect()
    }

    #[test]
    fn every_operation_has_a_summary_and_a_description() {
        let doc = document();
        let ops = operations(&doc);
        assert!(ops.len() > 60, "{} operations", ops.len());
        for (name, op) in ops {
            let summary = op.summary.as_deref().unwrap_or_default();
            let description = op.description.as_deref().unwrap_or_default();
            assert!(!summary.trim().is_empty(), "{name}: no summary");
            assert!(!description.trim().is_empty(), "{name}: no description");
            assert!(summary.len() <= 80, "{name}: a summary is one short line");
        }
    }

    #[test]
    fn every_error_is_a_documented_problem() {
        let doc = document();
        let schemas = &doc.components.as_ref().expect("components").schemas;
        assert!(schemas.contains_key("Problem"));
        for (name, op) in operations(&doc) {
            let responses = &op.responses.responses;
            assert!(responses.contains_key("500"), "{name}: 500 undocumented");
            if let Some(body) = &op.request_body {
                assert!(responses.contains_key("413"), "{name}: 413");
                if body.content.contains_key("application/json") {
                    for status in ["400", "415", "422"] {
                        assert!(responses.contains_key(status), "{name}: {status}");
                    }
                }
            }
            for (status, response) in responses {
                let RefOr::T(r) = response else { continue };
                let types: Vec<&String> = r.content.keys().collect();
                if status.starts_with('4') || status.starts_with('5') {
                    let own = [
                        "post /oauth/token 400",
                        "post /oauth/token 401",
                        "get /ready 503",
                    ];
                    if own.contains(&format!("{name} {status}").as_str()) {
                        assert_eq!(types, ["application/json"], "{name} {status}");
                    } else {
                        assert_eq!(types, ["application/problem+json"], "{name} {status}");
                    }
                }
            }
        }
    }
}
