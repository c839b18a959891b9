//! The operator's acts of authority: registering an agency and granting or
//! revoking its scopes. Each is recorded in the transparency log as a
//! public governance record before it takes effect, so an auditor sees who
//! was given power, by whom and when.
//!
//! Special roles belong to the one authority that holds them: guardianships
//! (`samlet:guardianship`) to the county governor (Statsforvalteren), the
//! population register (`samlet:population`) to Folkeregisteret. Nothing
//! here checks who the holder is; the operator decides, and the log shows it.

use chrono::Utc;
use samlet_domain::{OrgNumber, ScopeSet};
use samlet_store::{Agency, Store, StoreError};

use crate::transparency::governance::{self, GovernanceAction, GovernanceRecord};
use crate::transparency::log::LogError;

#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    #[error("no agency with organisation number {0} is registered")]
    NoSuchAgency(OrgNumber),
    #[error("an agency with organisation number {0} is already registered")]
    AgencyExists(OrgNumber),
    #[error("name the scopes to grant or revoke")]
    NoScopes,
    #[error("the operator's name is empty: say who grants (--by or SAMLET_OPERATOR)")]
    NoOperator,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not record the act in the transparency log: {0}")]
    Log(#[from] LogError),
}

/// What a grant or revocation changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeChange {
    pub agency: Agency,
    /// The scopes actually added or removed (empty: nothing to do, nothing logged).
    pub changed: ScopeSet,
    /// What the agency holds afterwards.
    pub holds: ScopeSet,
    /// The governance record's index in the log, when one was written.
    pub log_index: Option<u64>,
}

fn operator(by: &str) -> Result<&str, AuthorityError> {
    let by = by.trim();
    if by.is_empty() {
        Err(AuthorityError::NoOperator)
    } else {
        Ok(by)
    }
}

/// Registers an agency holding `scopes` (a new agency normally holds
/// [`ScopeSet::NEW_AGENCY`]: its own items, read and write).
pub async fn register_agency(
    store: &dyn Store,
    org: &OrgNumber,
    name: &str,
    scopes: ScopeSet,
    by: &str,
) -> Result<(Agency, u64), AuthorityError> {
    let by = operator(by)?;
    if store.agency_by_org(org).await?.is_some() {
        return Err(AuthorityError::AgencyExists(org.clone()));
    }
    let record = GovernanceRecord::new(
        GovernanceAction::AgencyRegistered {
            org: org.to_string(),
            name: name.to_owned(),
            scopes,
        },
        by,
        Utc::now(),
    );
    let index = governance::record(store, &record).await?;
    let mut agency = match store.create_agency(org, name).await {
        Ok(a) => a,
        Err(StoreError::AgencyExists(_)) => return Err(AuthorityError::AgencyExists(org.clone())),
        Err(e) => return Err(e.into()),
    };
    if agency.scopes != scopes {
        store.set_agency_scopes(org, scopes).await?;
        agency.scopes = scopes;
    }
    tracing::info!(agency = %org, %scopes, log_index = index, "agency registered");
    Ok((agency, index))
}

/// Grants `scopes` to the agency (those it already holds are left alone).
pub async fn grant(
    store: &dyn Store,
    org: &OrgNumber,
    scopes: ScopeSet,
    by: &str,
) -> Result<ScopeChange, AuthorityError> {
    change(store, org, scopes, by, true).await
}

/// Revokes `scopes` from the agency; tokens already issued lose them at once.
pub async fn revoke(
    store: &dyn Store,
    org: &OrgNumber,
    scopes: ScopeSet,
    by: &str,
) -> Result<ScopeChange, AuthorityError> {
    change(store, org, scopes, by, false).await
}

async fn change(
    store: &dyn Store,
    org: &OrgNumber,
    scopes: ScopeSet,
    by: &str,
    grant: bool,
) -> Result<ScopeChange, AuthorityError> {
    let by = operator(by)?;
    if scopes.is_empty() {
        return Err(AuthorityError::NoScopes);
    }
    let mut agency = store
        .agency_by_org(org)
        .await?
        .ok_or_else(|| AuthorityError::NoSuchAgency(org.clone()))?;
    let (changed, holds) = if grant {
        (
            scopes.difference(agency.scopes),
            agency.scopes.union(scopes),
        )
    } else {
        (
            scopes.intersection(agency.scopes),
            agency.scopes.difference(scopes),
        )
    };
    if changed.is_empty() {
        return Ok(ScopeChange {
            agency,
            changed,
            holds,
            log_index: None,
        });
    }
    let (org_s, name) = (org.to_string(), agency.name.clone());
    let action = if grant {
        GovernanceAction::ScopesGranted {
            org: org_s,
            name,
            scopes: changed,
            holds,
        }
    } else {
        GovernanceAction::ScopesRevoked {
            org: org_s,
            name,
            scopes: changed,
            holds,
        }
    };
    let index = governance::record(store, &GovernanceRecord::new(action, by, Utc::now())).await?;
    if !store.set_agency_scopes(org, holds).await? {
        return Err(AuthorityError::NoSuchAgency(org.clone()));
    }
    agency.scopes = holds;
    tracing::info!(agency = %org, %changed, %holds, granted = grant, log_index = index, "agency scopes changed");
    Ok(ScopeChange {
        agency,
        changed,
        holds,
        log_index: Some(index),
    })
}

/// The operator registers a sharing basis (it applies once the holder
/// accepts). Recorded in the log before it is stored.
pub async fn register_basis(
    store: &dyn Store,
    basis: &samlet_store::NewSharingBasis,
) -> Result<u64, AuthorityError> {
    let by = operator(&basis.created_by)?;
    let action = GovernanceAction::BasisRegistered {
        basis_id: basis.id.clone(),
        reader_org: basis.reader_org.clone(),
        holder_org: basis.holder_org.clone(),
        category: basis.category.clone(),
        purpose: basis.purpose.clone(),
        legal_basis: basis.legal_basis.clone(),
        legal_ref: basis.legal_ref.clone(),
        valid_from: basis.valid_from,
        valid_to: basis.valid_to,
    };
    let index = governance::record(store, &GovernanceRecord::new(action, by, Utc::now())).await?;
    store.insert_sharing_basis(basis, Utc::now()).await?;
    tracing::info!(basis = %basis.id, reader = %basis.reader_org, holder = %basis.holder_org, log_index = index, "sharing basis registered");
    Ok(index)
}

/// The holding agency accepts a basis; false when it changed meanwhile
/// (accepted or revoked by someone else). Recorded in the log first.
pub async fn accept_basis(
    store: &dyn Store,
    basis_id: &str,
    holder_org: &str,
) -> Result<bool, AuthorityError> {
    let action = GovernanceAction::BasisAccepted {
        basis_id: basis_id.to_owned(),
        holder_org: holder_org.to_owned(),
    };
    governance::record(
        store,
        &GovernanceRecord::new(action, holder_org, Utc::now()),
    )
    .await?;
    Ok(store
        .accept_sharing_basis(basis_id, holder_org, holder_org, Utc::now())
        .await?)
}

/// Revokes a basis, by its holder (`holder_org`) or by the operator
/// (`None`); false when it was already revoked. Recorded in the log first.
pub async fn revoke_basis(
    store: &dyn Store,
    basis_id: &str,
    holder_org: Option<&str>,
    by: &str,
) -> Result<bool, AuthorityError> {
    let by = operator(by)?;
    let action = GovernanceAction::BasisRevoked {
        basis_id: basis_id.to_owned(),
    };
    governance::record(store, &GovernanceRecord::new(action, by, Utc::now())).await?;
    Ok(store
        .revoke_sharing_basis(basis_id, holder_org, by, Utc::now())
        .await?)
}
