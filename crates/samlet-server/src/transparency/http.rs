//! HTTP for the transparency log.
//!
//! Public, for auditors (no personal data: leaves are salted hashes):
//! `GET /log/checkpoint`, `/log/key`, `/log/proof/inclusion`,
//! `/log/proof/consistency`, `/log/leaves`, `/log/details-count`, and the
//! log as C2SP tlog-tiles: `/log/tile/<L>/<N>[.p/<W>]` (hashes) and
//! `/log/tile/entries/<N>[.p/<W>]` (entry bundles of leaf data: salted
//! commitments and retention records).
//! Agencies: `GET /api/v1/persons/{pid}/overview` (scope `samlet:read`,
//! purpose and legal basis required, logged before any data is read).
//! Citizens: `GET /api/v1/me/access-log` and the page `/me/access-log`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use minijinja::{context, Value};
use samlet_domain::Pid;
use samlet_store::LeafDetails;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entry::{commitment, entry_leaf_hash, Accessor, SharedFrom};
use super::hex;
use super::log::LogError;
use crate::api::types::{AccessLogEntryView, AccessLogPage, CheckpointView};
use crate::auth::{AgencyAuth, Citizen, MaybeCitizen};
use crate::extract::{bounded, header_text, required, ApiQuery, MAX_PAGE};
use crate::i18n::PageLang;
use crate::problem::{ApiError, ApiResult};
use crate::AppState;
use samlet_domain::Scope;
use samlet_log_api::{
    ConsistencyProof, DetailsCountView, InclusionProof, LeavesPage, PublicLeaf, LEAVES_PAGE,
};

/// The largest leaf index the store can hold.
const MAX_INDEX: u64 = i64::MAX as u64;

impl From<LogError> for ApiError {
    fn from(e: LogError) -> Self {
        match e {
            LogError::Proof(p) => ApiError::bad_request(
                "invalid-proof-request",
                "Invalid proof request",
                p.to_string(),
            ),
            other => ApiError::internal(other),
        }
    }
}

fn text(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// The log's latest checkpoint.
///
/// The latest signed checkpoint (C2SP tlog-checkpoint, Ed25519 signed note).
#[utoipa::path(get, path = "/log/checkpoint", tag = "transparency",
    responses((status = 200, description = "origin, size and base64 root hash, then the signature lines", content_type = "text/plain", body = String)))]
pub async fn checkpoint(State(state): State<AppState>) -> ApiResult<Response> {
    let cp = state.log.checkpoint().await?;
    Ok(text(cp.signed))
}

/// The log's verifier key.
///
/// The verifier key of the log, in signed-note `vkey` form (name+id+key).
#[utoipa::path(get, path = "/log/key", tag = "transparency",
    responses((status = 200, description = "e.g. samlet.example/log+1a2b3c4d+AbC…", content_type = "text/plain", body = String)))]
pub async fn key(State(state): State<AppState>) -> Response {
    text(format!("{}\n", state.log.verifier()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// Leaf index.
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    pub index: u64,
    /// Tree size of a signed checkpoint.
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    pub size: u64,
}

/// An inclusion proof.
///
/// Proves that the leaf at `index` is in the tree of `size` leaves (RFC 9162 §2.1.3), against a
/// checkpoint the caller has.
#[utoipa::path(get, path = "/log/proof/inclusion", tag = "transparency", params(InclusionQuery),
    responses((status = 200, body = InclusionProof), (status = 400, body = crate::problem::Problem)))]
pub async fn inclusion(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> ApiResult<Json<InclusionProof>> {
    check_size(&state, q.size, "size").await?;
    let nodes = state.log.nodes();
    let proof = nodes
        .inclusion_proof(q.index, q.size)
        .await
        .map_err(|e| proof_error(e, "index"))?;
    let leaf = nodes
        .nodes(&[samlet_merkle::NodeId::new(0, q.index)])
        .await?;
    Ok(Json(InclusionProof {
        index: q.index,
        size: q.size,
        leaf_hash: leaf.first().map(|h| hex(h)).unwrap_or_default(),
        proof: proof.iter().map(|h| hex(h)).collect(),
    }))
}

async fn check_size(state: &AppState, size: u64, name: &str) -> ApiResult<()> {
    let stored = state.store.log_size().await?;
    if size > stored {
        return Err(beyond_tree(stored, name));
    }
    Ok(())
}

/// A proof the log cannot give names the parameter that is out of range.
fn proof_error(e: LogError, name: &str) -> ApiError {
    let e = ApiError::from(e);
    if e.status == StatusCode::BAD_REQUEST && e.pointer.is_none() {
        e.at(format!("/query/{name}"))
    } else {
        e
    }
}

fn beyond_tree(stored: u64, name: &str) -> ApiError {
    ApiError::bad_request(
        "beyond-tree",
        "Tree size beyond the log",
        format!("The log has {stored} entries; `{name}` may be at most that."),
    )
    .at(format!("/query/{name}"))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// Size of the older tree.
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    pub from: u64,
    /// Size of the newer tree.
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    pub to: u64,
}

/// A consistency proof.
///
/// Proves that the tree of `from` leaves is a prefix of the tree of `to` leaves (RFC 9162 §2.1.4):
/// the log only grew.
#[utoipa::path(get, path = "/log/proof/consistency", tag = "transparency", params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyProof), (status = 400, body = crate::problem::Problem)))]
pub async fn consistency(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> ApiResult<Json<ConsistencyProof>> {
    check_size(&state, q.to, "to").await?;
    let proof = state
        .log
        .nodes()
        .consistency_proof(q.from, q.to)
        .await
        .map_err(|e| proof_error(e, "from"))?;
    Ok(Json(ConsistencyProof {
        from: q.from,
        to: q.to,
        proof: proof.iter().map(|h| hex(h)).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeavesQuery {
    /// The first leaf index.
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    pub start: Option<u64>,
    /// At most 1000.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

/// The log's leaves, a page at a time.
///
/// Public leaves (hashes and what kind of access each records, no personal data) from `start`, at
/// most `limit` of them.
#[utoipa::path(get, path = "/log/leaves", tag = "transparency", params(LeavesQuery),
    responses((status = 200, body = LeavesPage)))]
pub async fn leaves(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LeavesQuery>,
) -> ApiResult<Json<LeavesPage>> {
    let start = q.start.unwrap_or(0);
    let limit = u64::from(bounded(
        q.limit.map(|l| u32::try_from(l).unwrap_or(u32::MAX)),
        LEAVES_PAGE as u32,
        LEAVES_PAGE as u32,
        "limit",
    )?);
    // Beyond the log's end is an empty page (an auditor reading a
    // truncated log must see that), but no leaf index exceeds the store's
    // integer.
    if start > MAX_INDEX {
        return Err(ApiError::bad_request(
            "invalid-query",
            "A query parameter has an invalid value",
            format!("`start` may be at most {MAX_INDEX}."),
        )
        .at("/query/start"));
    }
    let rows = state
        .store
        .log_leaves(start, start.saturating_add(limit))
        .await?;
    let leaves = rows
        .into_iter()
        .map(|r| {
            let (details, recomputed) = match &r.details {
                LeafDetails::Present { salt, body } => {
                    ("present", Some(hex(&entry_leaf_hash(salt, body))))
                }
                LeafDetails::Tombstone => ("tombstone", None),
                LeafDetails::Retention => ("retention", None),
                LeafDetails::Governance => ("governance", None),
                LeafDetails::Missing => ("missing", None),
            };
            PublicLeaf {
                index: r.idx,
                leaf_hash: hex(&r.leaf_hash),
                data: leaf_data(&r).map(|d| hex(&d)),
                details: details.into(),
                details_leaf_hash: recomputed,
            }
        })
        .collect();
    Ok(Json(LeavesPage { start, leaves }))
}

/// What a leaf hashes: stored since migration 0006; for older leaves
/// recomputed from the details while they exist.
fn leaf_data(r: &samlet_store::LeafRecord) -> Option<Vec<u8>> {
    match (&r.data, &r.details) {
        (Some(d), _) => Some(d.clone()),
        (None, LeafDetails::Present { salt, body }) => Some(commitment(salt, body).to_vec()),
        _ => None,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetailsCountQuery {
    pub start: u64,
    pub end: u64,
}

/// How many leaves still have details.
///
/// For the auditor: of the leaves in `[start, end)`, how many still have their details stored and
/// how many are tombstones after retention.
#[utoipa::path(get, path = "/log/details-count", tag = "transparency", params(DetailsCountQuery),
    responses((status = 200, body = DetailsCountView)))]
pub async fn details_count(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<DetailsCountQuery>,
) -> ApiResult<Json<DetailsCountView>> {
    // No leaf index exceeds i64::MAX (the store's integer), so clamping
    // keeps the answer exact. An empty range (the auditor asks `start > end`
    // when nothing expired since its last run) has nothing in it, and `end`
    // beyond the log is allowed: an auditor counts a truncated log with it.
    let end = q.end.min(MAX_INDEX);
    let c = if q.start < end {
        state.store.log_details_count(q.start, end).await?
    } else {
        samlet_store::DetailsCount {
            present: 0,
            tombstones: 0,
        }
    };
    Ok(Json(DetailsCountView {
        start: q.start,
        end: q.end,
        present: c.present,
        tombstones: c.tombstones,
    }))
}

fn octets(body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            // A tile or bundle of a given width never changes.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

fn no_tile(detail: String) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-such-tile",
        "No such tile",
        detail,
    )
    .at("/path")
}

/// A tile of the log.
///
/// The log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles), so Go tooling
/// can read it: `tile/<L>/<N>[.p/<W>]` holds 32-byte hashes of tree level
/// 8·L; `tile/entries/<N>[.p/<W>]` the leaf data of leaves 256·N.., each
/// with a big-endian 16-bit length (32-byte salted commitments, and
/// retention records). A full tile exists once the tree covers it; a partial
/// one of any width up to what the tree holds.
#[utoipa::path(get, path = "/log/tile/{path}", tag = "transparency",
    params(("path" = String, Path, description = "e.g. 0/x001/234, 1/000.p/17, entries/005")),
    responses((status = 200, description = "concatenated hashes, or an entry bundle", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = crate::problem::Problem)))]
pub async fn tile(State(state): State<AppState>, Path(path): Path<String>) -> ApiResult<Response> {
    use samlet_merkle::tiles::{encode_entry_bundle, parse_tile_path, tile_width, TilePath};
    let parsed = parse_tile_path(&format!("tile/{path}")).map_err(|e| no_tile(e.to_string()))?;
    let size = state.store.log_size().await?;
    let (level, index, width) = match parsed {
        TilePath::Hashes {
            level,
            index,
            width,
        } => (level, index, width),
        TilePath::Entries { index, width } => (0, index, width),
    };
    let available = tile_width(size, level, index).map_err(|e| no_tile(e.to_string()))?;
    let want = width.unwrap_or(samlet_merkle::tiles::TILE_WIDTH);
    if available == 0 || want > available {
        return Err(no_tile(format!(
            "The log has {size} entries: this tile has {available} of the {want} hashes asked for."
        )));
    }
    match parsed {
        TilePath::Hashes { .. } => Ok(octets(state.log.nodes().tile(level, index, want).await?)),
        TilePath::Entries { .. } => {
            let start = index * u64::from(samlet_merkle::tiles::TILE_WIDTH);
            let rows = state
                .store
                .log_leaves(start, start + u64::from(want))
                .await?;
            let mut entries = Vec::with_capacity(rows.len());
            for (i, r) in rows.iter().enumerate() {
                match leaf_data(r) {
                    Some(d) if r.idx == start + i as u64 => entries.push(d),
                    _ => {
                        return Err(no_tile(format!(
                            "Entry {} is not available (expired before leaf data was kept, or removed).",
                            start + i as u64
                        )))
                    }
                }
            }
            if entries.len() != usize::from(want) {
                return Err(no_tile("The log is missing entries of this bundle.".into()));
            }
            let body = encode_entry_bundle(&entries).map_err(ApiError::internal)?;
            Ok(octets(body))
        }
    }
}

/// An agency's read of a person's overview: its own items, and another
/// agency's only as far as a valid sharing basis or consent reaches.
#[derive(Serialize, ToSchema, Debug)]
pub struct AgencyOverview {
    /// `own-items`: only the caller's own items; `shared`: also other
    /// agencies' items, listed in `shared`.
    pub scope: String,
    /// What the scope means, for a human.
    pub note: String,
    /// Each category of another agency's items included, and its ground.
    pub shared: Vec<SharedFrom>,
    /// Bases named in `Samlet-Basis` that did not let the read through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<crate::api::sharing::BasisRefusal>,
    #[serde(flatten)]
    pub overview: crate::api::types::Overview,
}

/// A person's overview, for an agency.
///
/// A person's overview, for an agency. Requires scope `samlet:read` and the
/// headers `Samlet-Purpose` and `Samlet-Legal-Basis`; the access is written
/// to the transparency log before the data is read. The caller gets its own
/// items; another agency's items only of a category that a registered
/// sharing basis it names in `Samlet-Basis` (accepted by the holder, valid
/// today, for the stated purpose) or the person's valid consent covers.
/// Without one the answer is the caller's own items, `scope: own-items`
/// (also in the `Samlet-Scope` response header), never an error.
#[utoipa::path(get, path = "/api/v1/persons/{pid}/overview", tag = "agency",
    params(("pid" = String, Path, description = "The person's identity number", pattern = r"^[0-9]{11}$"),
        ("Samlet-Purpose" = String, Header, description = "Why the data is needed; under a sharing basis, the basis's purpose", pattern = r"\S", max_length = 500),
        ("Samlet-Legal-Basis" = String, Header, description = "The legal basis (behandlingsgrunnlag)", pattern = r"\S", max_length = 500),
        ("Samlet-Legal-Basis-Ref" = Option<String>, Header, description = "Reference, e.g. a law and section", max_length = 500),
        ("Samlet-Basis" = Option<String>, Header, description = "Registered sharing basis ids (comma-separated, at most 8) to read other agencies' items under", pattern = r"^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,7}$"),
        ("Samlet-Accessor-System" = Option<String>, Header, description = "The agency system making the request", max_length = 500),
        ("Samlet-Accessor-Role" = Option<String>, Header, description = "The caseworker role", max_length = 500),
        ("Samlet-On-Behalf-Of" = Option<String>, Header, description = "When acting as a representative: for whom", max_length = 500)),
    security(("agency_token" = [])),
    responses((status = 200, body = AgencyOverview, headers(("Samlet-Scope" = String, description = "own-items or shared"))),
        (status = 400, description = "Purpose or legal basis missing, or a malformed Samlet-Basis", body = crate::problem::Problem),
        (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn person_overview(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path(pid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    auth.require(Scope::Read)?;
    let purpose = required(&headers, "samlet-purpose", "why the data is needed")?;
    let legal_basis = required(
        &headers,
        "samlet-legal-basis",
        "the legal basis for the processing",
    )?;
    let basis_ids =
        crate::api::sharing::basis_ids(header_text(&headers, "samlet-basis")?.as_deref())?;
    let pid = Pid::parse(&pid, state.config.pid_policy)
        .map_err(|e| ApiError::invalid("/path/pid", e.to_string()))?;
    let read = samlet_app::sharing::AgencyRead {
        accessor: Accessor {
            org: auth.agency.org.to_string(),
            name: auth.agency.name.clone(),
            system: header_text(&headers, "samlet-accessor-system")?,
            role: header_text(&headers, "samlet-accessor-role")?,
        },
        on_behalf_of: header_text(&headers, "samlet-on-behalf-of")?,
        purpose,
        legal_basis,
        legal_basis_ref: header_text(&headers, "samlet-legal-basis-ref")?,
        request_id: crate::middleware::request_id_of(&headers),
    };
    let scope = samlet_app::sharing::person_overview(
        state.store.as_ref(),
        &state.log,
        &state.config.representation_rules,
        &state.pseudo,
        read,
        &pid,
        &basis_ids,
        state.config.today(),
    )
    .await?;
    let (label, note) = if scope.shared.is_empty() {
        (
            "own-items",
            "Only your agency's own items: no sharing basis or consent lets you read other agencies' items about this person for this purpose.".to_owned(),
        )
    } else {
        (
            "shared",
            "Your agency's own items, and the other agencies' items listed in `shared` under the basis or consent named there.".to_owned(),
        )
    };
    let body = AgencyOverview {
        scope: label.into(),
        note,
        shared: scope.shared,
        refused: scope
            .refused
            .iter()
            .map(|(id, r)| crate::api::sharing::BasisRefusal::new(id.clone(), r))
            .collect(),
        overview: scope.overview.into(),
    };
    Ok(([("samlet-scope", label)], Json(body)).into_response())
}

#[derive(Deserialize, IntoParams, Default, Debug)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    /// Only this agency (organisation number).
    pub agency: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    #[param(schema_with = day_or_empty)]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    #[param(schema_with = day_or_empty)]
    pub to: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u32>,
    /// Entries per page, at most 100.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// A day, or empty as an unfilled form field sends it (no limit).
fn day_or_empty() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .pattern(Some(format!("^$|{}", samlet_domain::items::DATE_PATTERN)))
        .build()
}

fn parse_day(v: Option<&str>, pointer: &str) -> ApiResult<Option<NaiveDate>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::invalid(pointer, "Write the date as YYYY-MM-DD.")),
    }
}

/// The citizen's access log: their entries, each verified against the
/// latest signed checkpoint.
pub async fn access_log_page(
    state: &AppState,
    pid: &Pid,
    q: &AccessLogQuery,
) -> ApiResult<AccessLogPage> {
    let page = bounded(q.page, 1, MAX_PAGE, "page")?;
    let per_page = bounded(q.per_page, 20, 100, "per_page")?;
    let query = samlet_app::sharing::AccessLogQuery {
        agency_org: q.agency.clone(),
        from: parse_day(q.from.as_deref(), "/query/from")?,
        to: parse_day(q.to.as_deref(), "/query/to")?,
        page,
        per_page,
    };
    let log =
        samlet_app::sharing::access_log(state.store.as_ref(), &state.log, pid, &query).await?;
    Ok(AccessLogPage {
        entries: log
            .entries
            .into_iter()
            .map(|a| AccessLogEntryView {
                index: a.index,
                accessor: a.entry.accessor,
                on_behalf_of: a.entry.on_behalf_of,
                categories: a.entry.categories,
                purpose: a.entry.purpose,
                legal_basis: a.entry.legal_basis,
                legal_basis_ref: a.entry.legal_basis_ref,
                at: a.entry.at,
                request_id: a.entry.request_id,
                verified: a.verified,
                shared_text: Vec::new(),
                shared: a.entry.shared,
            })
            .collect(),
        page,
        per_page,
        next_page: log.next_page,
        checkpoint: log.checkpoint.map(|c| CheckpointView {
            size: c.size,
            root: hex(&c.root),
        }),
        missing_details: log.missing_details,
    })
}

/// Who has looked at my data.
///
/// Who has looked at my data: every access by anyone but the person.
#[utoipa::path(get, path = "/api/v1/me/access-log", tag = "citizen", params(AccessLogQuery),
    security(("session_cookie" = [])),
    responses((status = 200, body = AccessLogPage), (status = 401, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn me_access_log(
    State(state): State<AppState>,
    citizen: Citizen,
    PageLang(lang): PageLang,
    ApiQuery(q): ApiQuery<AccessLogQuery>,
) -> ApiResult<Json<AccessLogPage>> {
    let mut page = access_log_page(&state, &citizen.pid, &q).await?;
    explain_shared(lang, &mut page);
    Ok(Json(page))
}

/// Each read of another agency's data in plain words, in `lang`: "NAV read
/// your cases from Skatteetaten for the purpose …, under folketrygdloven
/// § 8-28", or "… with your consent".
pub fn explain_shared(lang: crate::i18n::Lang, page: &mut AccessLogPage) {
    for e in &mut page.entries {
        e.shared_text = e
            .shared
            .iter()
            .map(|s| crate::i18n::shared_sentence(lang, &e.accessor.name, s))
            .collect();
    }
}

/// The page `/me/access-log`.
pub async fn access_log_html(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    MaybeCitizen(c): MaybeCitizen,
    ApiQuery(q): ApiQuery<AccessLogQuery>,
) -> Result<Response, crate::web::WebError> {
    let Some(c) = c else {
        return Ok(crate::web::to_login("/me/access-log"));
    };
    let err = |e| crate::web::WebError(e, lang);
    let mut data = match access_log_page(&state, &c.pid, &q).await {
        Ok(d) => d,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            // A bad date in the filter: show the page with the message.
            let mut d = access_log_page(&state, &c.pid, &AccessLogQuery::default())
                .await
                .map_err(err)?;
            d.next_page = None;
            crate::represent::log_view::present(&state, lang, &mut d).await;
            explain_shared(lang, &mut d);
            return render_page(&state, lang, &c, &q, d, Some(e.detail)).map_err(err);
        }
        Err(e) => return Err(err(e)),
    };
    // Representatives by name, in the page's language; no identity numbers.
    crate::represent::log_view::present(&state, lang, &mut data).await;
    explain_shared(lang, &mut data);
    render_page(&state, lang, &c, &q, data, None).map_err(err)
}

fn render_page(
    state: &AppState,
    lang: crate::i18n::Lang,
    c: &Citizen,
    q: &AccessLogQuery,
    data: AccessLogPage,
    error: Option<String>,
) -> ApiResult<Response> {
    let qs = |page: u32| {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("agency", &q.agency), ("from", &q.from), ("to", &q.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        s.finish()
    };
    let prev_query = (data.page > 1).then(|| qs(data.page - 1));
    let next_query = data.next_page.map(qs);
    let ctx = crate::web::page(
        lang,
        lang.t("access_log_title"),
        "/me/access-log",
        Some(c),
        context! {
            log => Value::from_serialize(&data),
            agency => q.agency.clone().unwrap_or_default(),
            from => q.from.clone().unwrap_or_default(),
            to => q.to.clone().unwrap_or_default(),
            prev_query, next_query, error,
        },
    );
    Ok(state
        .templates
        .render("access_log.html", ctx)?
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn purpose_headers_read_as_utf8_or_latin1() {
        let mut h = HeaderMap::new();
        h.insert(
            "samlet-purpose",
            HeaderValue::from_bytes("Søknad".as_bytes()).unwrap_or(HeaderValue::from_static("")),
        );
        h.insert(
            "samlet-legal-basis",
            HeaderValue::from_bytes(b"F\xf8lge").unwrap_or(HeaderValue::from_static("")),
        );
        assert_eq!(
            header_text(&h, "samlet-purpose").ok().flatten().as_deref(),
            Some("Søknad")
        );
        assert_eq!(
            header_text(&h, "samlet-legal-basis")
                .ok()
                .flatten()
                .as_deref(),
            Some("Følge")
        );
        let missing = required(&HeaderMap::new(), "samlet-purpose", "why").err();
        assert_eq!(
            missing.and_then(|e| e.pointer).as_deref(),
            Some("/headers/samlet-purpose")
        );
    }
}
