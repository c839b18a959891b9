//! The SQL of [`crate::SharingStore`], written once for both backends.

use chrono::{DateTime, NaiveDate, Utc};

use crate::StoredSharingBasis;

pub(crate) const BASIS_COLUMNS: &str =
    "id, reader_org, holder_org, category, purpose, legal_basis, legal_ref, valid_from, valid_to, \
     created_at, created_by, accepted_at, accepted_by, revoked_at, revoked_by";

/// A row of [`BASIS_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct BasisRow {
    id: String,
    reader_org: String,
    holder_org: String,
    category: String,
    purpose: String,
    legal_basis: String,
    legal_ref: Option<String>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    created_by: String,
    accepted_at: Option<DateTime<Utc>>,
    accepted_by: Option<String>,
    revoked_at: Option<DateTime<Utc>>,
    revoked_by: Option<String>,
}

pub(crate) fn basis(r: BasisRow) -> StoredSharingBasis {
    StoredSharingBasis {
        id: r.id,
        reader_org: r.reader_org,
        holder_org: r.holder_org,
        category: r.category,
        purpose: r.purpose,
        legal_basis: r.legal_basis,
        legal_ref: r.legal_ref,
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        created_at: r.created_at,
        created_by: r.created_by,
        accepted_at: r.accepted_at,
        accepted_by: r.accepted_by,
        revoked_at: r.revoked_at,
        revoked_by: r.revoked_by,
    }
}
