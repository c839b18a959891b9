//! Consent: an agency asks a person, the person answers and may withdraw
//! a consent given. (Reading under a consent is the
//! sharing module's; answering for someone else is acting for them.)

use chrono::{DateTime, Utc};
use samlet_access::CATEGORIES;
use samlet_domain::{OrgNumber, Pid, Pseudonymizer};
use samlet_store::{Agency, ConsentAnswer, RepresentationStore, Store, StoredConsent};

use super::mandates::new_id;
use super::{Error, Result};

/// The person's consent requests and consents, newest first.
pub async fn consents_of<S: RepresentationStore + ?Sized>(
    store: &S,
    pid: &Pid,
) -> Result<Vec<StoredConsent>> {
    Ok(store.consents_of_subject(pid.as_str()).await?)
}

/// The person answers one of their consent requests; an approved consent
/// keeps the request's id.
pub async fn answer<S: RepresentationStore + ?Sized>(
    store: &S,
    pid: &Pid,
    id: &str,
    answer: ConsentAnswer,
    now: DateTime<Utc>,
) -> Result<StoredConsent> {
    let c = store
        .consent(id)
        .await?
        .filter(|c| c.subject_pid == pid.as_str())
        .ok_or(Error::NotFound("You have no consent request with this id."))?;
    if c.valid_to <= now {
        return Err(Error::Conflict("The request has expired."));
    }
    if !store.answer_consent(id, pid.as_str(), answer, now).await? {
        return Err(Error::Conflict("The request was already answered."));
    }
    Ok(store.consent(id).await?.unwrap_or(c))
}

/// The person withdraws a consent they gave: reads under it stop at once.
pub async fn withdraw<S: RepresentationStore + ?Sized>(
    store: &S,
    pseudo: &Pseudonymizer,
    pid: &Pid,
    id: &str,
) -> Result<()> {
    if !store.revoke_consent(id, pid.as_str(), Utc::now()).await? {
        return Err(Error::NotFound(
            "You have no approved, unrevoked consent with this id.",
        ));
    }
    tracing::info!(person = %pseudo.of(pid), "consent revoked");
    Ok(())
}

/// An agency's request for a person's consent to receive data another
/// agency holds.
#[derive(Debug, Clone)]
pub struct NewConsentRequest {
    pub pid: Pid,
    /// The agency holding the data.
    pub from_org: OrgNumber,
    pub categories: Vec<String>,
    /// Why, in plain language: shown to the person as written.
    pub purpose: String,
    pub valid_to: DateTime<Utc>,
}

fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Error {
    Error::Invalid {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// `requester` asks the person; returns the request's id. The holder must
/// be registered, the categories known, the purpose stated and the end in
/// the future.
pub async fn request_consent<S: Store + ?Sized>(
    store: &S,
    pseudo: &Pseudonymizer,
    requester: &Agency,
    r: NewConsentRequest,
    now: DateTime<Utc>,
) -> Result<String> {
    let holder = store.agency_by_org(&r.from_org).await?.ok_or_else(|| {
        invalid(
            "/from_org",
            "No agency with this organisation number is registered.",
        )
    })?;
    if r.categories.is_empty() {
        return Err(invalid("/categories", "Ask for at least one category."));
    }
    let mut categories: Vec<String> = Vec::new();
    for (i, c) in r.categories.iter().enumerate() {
        if !CATEGORIES.contains(&c.as_str()) {
            return Err(invalid(
                format!("/categories/{i}"),
                format!("A category is one of: {}.", CATEGORIES.join(", ")),
            ));
        }
        if !categories.contains(c) {
            categories.push(c.clone());
        }
    }
    let purpose = r.purpose.trim();
    if purpose.is_empty() || purpose.chars().count() > 500 {
        return Err(invalid(
            "/purpose",
            "State the purpose in 1 to 500 characters.",
        ));
    }
    if r.valid_to <= now {
        return Err(invalid("/valid_to", "The end must be in the future."));
    }
    let id = new_id("c_");
    store
        .insert_consent_request(
            &samlet_store::NewConsentRequest {
                id: id.clone(),
                subject_pid: r.pid.to_string(),
                requester_id: requester.id,
                requester_org: requester.org.to_string(),
                requester_name: requester.name.clone(),
                from_org: holder.org.to_string(),
                from_name: holder.name.clone(),
                categories,
                purpose: purpose.to_owned(),
                valid_to: r.valid_to,
            },
            now,
        )
        .await?;
    tracing::info!(person = %pseudo.of(&r.pid), agency = %requester.org, "consent requested");
    Ok(id)
}
