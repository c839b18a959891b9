//! Registered sharing bases, the agencies' side: an agency lists the bases
//! it is reader or holder of, and the holder accepts or revokes them.
//! The operator registers bases (`samlet basis add`); a basis lets its
//! reader read one category of the holder's data only once the holder has
//! accepted it, within its days, for its purpose
//! (`samlet_app::sharing`, applied by the agency overview read).

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use samlet_store::StoredSharingBasis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AgencyAuth;
use crate::problem::{ApiError, ApiResult};
use crate::AppState;
use samlet_domain::Scope;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(accept))
        .routes(routes!(revoke))
}

/// A registered sharing basis: the reader may read `category` held by the
/// holder, for `purpose`, under `legal_basis`, from `valid_from` to
/// `valid_to` (inclusive), once the holder has accepted it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharingBasisView {
    pub id: String,
    /// The agency that may read (organisation number).
    pub reader_org: String,
    /// The agency holding the data (organisation number).
    pub holder_org: String,
    /// `cases`, `deadlines`, `benefits` or `messages`.
    pub category: String,
    pub purpose: String,
    /// The law and section, e.g. `folketrygdloven § 8-28`.
    pub legal_basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<String>,
    pub valid_from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    /// `pending` (waiting for the holder), `accepted` or `revoked`.
    #[schema(schema_with = crate::schema::basis_status)]
    pub status: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<StoredSharingBasis> for SharingBasisView {
    fn from(b: StoredSharingBasis) -> Self {
        let status = if b.revoked_at.is_some() {
            "revoked"
        } else if b.accepted_at.is_some() {
            "accepted"
        } else {
            "pending"
        };
        Self {
            id: b.id,
            reader_org: b.reader_org,
            holder_org: b.holder_org,
            category: b.category,
            purpose: b.purpose,
            legal_basis: b.legal_basis,
            legal_ref: b.legal_ref,
            valid_from: b.valid_from,
            valid_to: b.valid_to,
            status: status.into(),
            created_at: b.created_at,
            accepted_at: b.accepted_at,
            revoked_at: b.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SharingBasisList {
    /// Newest first.
    pub bases: Vec<SharingBasisView>,
}

/// Sharing bases.
///
/// The sharing bases where the calling agency is reader or holder.
#[utoipa::path(get, path = "/api/v1/sharing-bases", tag = "agency",
    security(("agency_token" = [])),
    responses((status = 200, body = SharingBasisList), (status = 401, body = crate::problem::Problem), (status = 403, body = crate::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    auth: AgencyAuth,
) -> ApiResult<Json<SharingBasisList>> {
    auth.require(Scope::Read)?;
    let org = auth.agency.org.to_string();
    let bases = state.store.sharing_bases(Some(&org)).await?;
    Ok(Json(SharingBasisList {
        bases: bases.into_iter().map(Into::into).collect(),
    }))
}

/// The basis, when the caller is its holder: a reader is told it may not
/// (it knows the basis already), anyone else that there is no such basis.
async fn holders_basis(
    state: &AppState,
    auth: &AgencyAuth,
    id: &str,
) -> ApiResult<StoredSharingBasis> {
    auth.require(Scope::Write)?;
    let org = auth.agency.org.to_string();
    match state.store.sharing_basis(id).await? {
        Some(b) if b.holder_org == org => Ok(b),
        Some(b) if b.reader_org == org => Err(ApiError::forbidden(
            "Only the agency holding the data accepts or revokes a sharing basis.",
        )),
        _ => Err(ApiError::not_found("No sharing basis with this id concerns you.").at("/path/id")),
    }
}

/// Accept a sharing basis.
///
/// The holder accepts a basis the operator registered: from then on, within
/// its days, the reader may read the category under it. Logged in the
/// transparency log.
#[utoipa::path(post, path = "/api/v1/sharing-bases/{id}/accept", tag = "agency",
    params(("id" = String, Path, description = "The basis id")),
    security(("agency_token" = [])),
    responses((status = 200, body = SharingBasisView),
        (status = 403, description = "The caller is the reader, not the holder", body = crate::problem::Problem),
        (status = 404, description = "No such basis for this agency", body = crate::problem::Problem),
        (status = 409, description = "Already accepted or revoked", body = crate::problem::Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<SharingBasisView>> {
    let b = holders_basis(&state, &auth, &id).await?;
    if b.revoked_at.is_some() {
        return Err(ApiError::conflict(
            "The sharing basis was revoked; the operator registers a new one.",
        ));
    }
    if b.accepted_at.is_some() {
        return Err(ApiError::conflict("The sharing basis is already accepted."));
    }
    let by = auth.agency.org.to_string();
    if !samlet_app::authority::accept_basis(state.store.as_ref(), &id, &by).await? {
        return Err(ApiError::conflict(
            "The sharing basis changed meanwhile; list it again.",
        ));
    }
    let b = state
        .store
        .sharing_basis(&id)
        .await?
        .ok_or_else(|| ApiError::internal("accepted basis vanished"))?;
    tracing::info!(basis = %b.id, holder = %b.holder_org, reader = %b.reader_org, "sharing basis accepted");
    Ok(Json(b.into()))
}

/// Revoke a sharing basis.
///
/// The holder revokes a basis: reads under it stop at once. Logged in the
/// transparency log.
#[utoipa::path(post, path = "/api/v1/sharing-bases/{id}/revoke", tag = "agency",
    params(("id" = String, Path, description = "The basis id")),
    security(("agency_token" = [])),
    responses((status = 200, body = SharingBasisView),
        (status = 403, description = "The caller is the reader, not the holder", body = crate::problem::Problem),
        (status = 404, description = "No such basis for this agency", body = crate::problem::Problem),
        (status = 409, description = "Already revoked", body = crate::problem::Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<SharingBasisView>> {
    let b = holders_basis(&state, &auth, &id).await?;
    if b.revoked_at.is_some() {
        return Err(ApiError::conflict("The sharing basis is already revoked."));
    }
    let by = auth.agency.org.to_string();
    if !samlet_app::authority::revoke_basis(state.store.as_ref(), &id, Some(&by), &by).await? {
        return Err(ApiError::conflict("The sharing basis is already revoked."));
    }
    let b = state
        .store
        .sharing_basis(&id)
        .await?
        .ok_or_else(|| ApiError::internal("revoked basis vanished"))?;
    tracing::info!(basis = %b.id, holder = %b.holder_org, reader = %b.reader_org, "sharing basis revoked");
    Ok(Json(b.into()))
}

/// Most bases one read may name.
pub const MAX_BASES_PER_READ: usize = 8;

/// The ids in a `Samlet-Basis` header: comma-separated, each 1–64
/// characters of `[A-Za-z0-9_-]`.
pub fn basis_ids(header: Option<&str>) -> ApiResult<Vec<String>> {
    let Some(h) = header else {
        return Ok(Vec::new());
    };
    let bad = || {
        ApiError::bad_request(
            "invalid-header",
            "Invalid header",
            format!(
                "Samlet-Basis names up to {MAX_BASES_PER_READ} sharing basis ids, comma-separated, as `samlet basis list` and GET /api/v1/sharing-bases show them."
            ),
        )
        .at("/headers/samlet-basis")
    };
    let mut ids: Vec<String> = Vec::new();
    for part in h.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let ok = part.len() <= 64
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            return Err(bad());
        }
        if !ids.iter().any(|i| i == part) {
            ids.push(part.to_owned());
        }
    }
    if ids.len() > MAX_BASES_PER_READ {
        return Err(bad());
    }
    Ok(ids)
}

/// A named basis that did not let the read through, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BasisRefusal {
    pub basis: String,
    /// The policy's reason code, e.g. `basis-not-accepted`.
    pub reason: String,
    pub detail: String,
}

impl BasisRefusal {
    pub fn new(basis: String, reason: &samlet_access::DenyReason) -> Self {
        Self {
            basis,
            reason: reason.code().into(),
            detail: reason.text(crate::i18n::Lang::En),
        }
    }
}

impl From<samlet_app::sharing::Error> for ApiError {
    fn from(e: samlet_app::sharing::Error) -> Self {
        use samlet_app::sharing::Error as E;
        match e {
            E::Denied(r) => ApiError::denied(r),
            E::Log(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}
