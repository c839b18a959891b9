//! A person's own consents: the requests agencies sent them, answering
//! one, and withdrawing a consent given. (Reading under a consent is the
//! sharing module's; answering for someone else is acting for them.)

use chrono::{DateTime, Utc};
use samlet_domain::{Pid, Pseudonymizer};
use samlet_store::{ConsentAnswer, RepresentationStore, StoredConsent};

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
