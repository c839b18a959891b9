//! Registered sharing bases: the storage side.
//!
//! A sharing basis says "agency B (the reader) may read category C of what
//! agency A (the holder) has about a person, for purpose P, under legal basis
//! L, from/to". The operator registers it, the holder accepts it, either may
//! revoke it. The store keeps these facts; whether a basis lets a read
//! through is decided by `samlet_access::decide_basis` above the store.
//! [`SharingStore::overview_filtered`] is the overview limited to the
//! agencies and categories such a decision allowed, filtered in SQL so that
//! the limits of a page count only what the reader may see.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::{Overview, OverviewLimits, Result};

/// A sharing basis to register.
#[derive(Debug, Clone)]
pub struct NewSharingBasis {
    pub id: String,
    pub reader_org: String,
    pub holder_org: String,
    /// One of `samlet_access::CATEGORIES`.
    pub category: String,
    pub purpose: String,
    /// The law and section, e.g. `folketrygdloven § 8-28`.
    pub legal_basis: String,
    /// A reference URL to the law text.
    pub legal_ref: Option<String>,
    pub valid_from: NaiveDate,
    /// Last day the basis is valid (inclusive); `None` until revoked.
    pub valid_to: Option<NaiveDate>,
    /// The operator who registered it.
    pub created_by: String,
}

/// A stored sharing basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSharingBasis {
    pub id: String,
    pub reader_org: String,
    pub holder_org: String,
    pub category: String,
    pub purpose: String,
    pub legal_basis: String,
    pub legal_ref: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
}

/// Which agencies' items of each category an overview read may return
/// (organisation numbers). An empty list leaves the category out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewFilter {
    pub cases: Vec<String>,
    pub deadlines: Vec<String>,
    pub benefits: Vec<String>,
    pub messages: Vec<String>,
}

impl OverviewFilter {
    /// Every category of one agency's own items.
    pub fn own(org: &str) -> Self {
        let v = vec![org.to_owned()];
        Self {
            cases: v.clone(),
            deadlines: v.clone(),
            benefits: v.clone(),
            messages: v,
        }
    }

    /// Add another agency's items of one category (`cases`, `deadlines`,
    /// `benefits`, `messages`); false for an unknown category.
    pub fn add(&mut self, category: &str, org: &str) -> bool {
        let list = match category {
            "cases" => &mut self.cases,
            "deadlines" => &mut self.deadlines,
            "benefits" => &mut self.benefits,
            "messages" => &mut self.messages,
            _ => return false,
        };
        if !list.iter().any(|o| o == org) {
            list.push(org.to_owned());
        }
        true
    }
}

#[async_trait]
pub trait SharingStore: Send + Sync {
    /// Register a basis (the caller makes a fresh random id).
    async fn insert_sharing_basis(&self, b: &NewSharingBasis, now: DateTime<Utc>) -> Result<()>;
    async fn sharing_basis(&self, id: &str) -> Result<Option<StoredSharingBasis>>;
    /// Every basis where `org` is reader or holder (all of them for `None`),
    /// newest first, at most 1,000.
    async fn sharing_bases(&self, org: Option<&str>) -> Result<Vec<StoredSharingBasis>>;
    /// The bases a reader holds on a holder's data, valid or not: the policy's facts.
    async fn sharing_bases_between(
        &self,
        reader_org: &str,
        holder_org: &str,
    ) -> Result<Vec<StoredSharingBasis>>;
    /// The holder accepts; false when unknown, not this holder's, already
    /// accepted or revoked.
    async fn accept_sharing_basis(
        &self,
        id: &str,
        holder_org: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Revoke; with `holder_org` only that holder's basis. False when unknown,
    /// not the holder's, or already revoked.
    async fn revoke_sharing_basis(
        &self,
        id: &str,
        holder_org: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// A person's overview limited to the agencies and categories in `filter`.
    /// The citizen's own overview stays `Store::overview` (no filter, faster).
    async fn overview_filtered(
        &self,
        pid: &str,
        filter: &OverviewFilter,
        limits: OverviewLimits,
    ) -> Result<Overview>;
}
