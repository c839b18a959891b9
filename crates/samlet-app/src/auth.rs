//! Bearer tokens and sessions: random secrets handed out once and stored
//! only as hashes, so a database leak leaks no credential.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use samlet_domain::{Pid, Pseudonymizer, Scope, ScopeSet};
use samlet_store::{Agency, Session, Store, StoreError, TokenKind};
use sha2::{Digest, Sha256};

/// Why a credential was not accepted or does not allow an action.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("The access token is unknown or has expired.")]
    UnknownToken,
    #[error("Dev tokens are accepted only when the server runs with --dev.")]
    DevTokenOutsideDev,
    #[error("This token lacks the scope {0}; ask for it in the token request.")]
    TokenLacksScope(Scope),
    #[error("{agency} has not been granted the scope {scope}. Scopes are granted by the platform's operator to the authority that holds the role, never requested by the agency itself.")]
    ScopeNotGranted { agency: String, scope: Scope },
    #[error("a stored session names an invalid person id")]
    CorruptSession,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new random secret, URL-safe.
pub fn random_token(prefix: &str) -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(b))
}

/// Tokens are stored only as hashes, so a database leak leaks no credential.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// An authenticated agency, with what it may do now: the scopes its token
/// carries that the agency still holds (a revocation takes effect on tokens
/// already issued).
#[derive(Debug, Clone)]
pub struct AgencyAuth {
    pub agency: Agency,
    pub scopes: ScopeSet,
}

impl AgencyAuth {
    /// Allowed only with `scope`; the error says whether the token or the
    /// agency lacks it.
    pub fn require(&self, scope: Scope) -> Result<(), Error> {
        if self.scopes.contains(scope) {
            Ok(())
        } else if self.agency.scopes.contains(scope) {
            Err(Error::TokenLacksScope(scope))
        } else {
            Err(Error::ScopeNotGranted {
                agency: self.agency.name.clone(),
                scope,
            })
        }
    }

    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(scope)
    }
}

/// The one check of an agency bearer token. `dev`: the server runs in dev
/// mode, the only place dev tokens are accepted.
pub async fn agency_from_token<S: Store + ?Sized>(
    store: &S,
    token: &str,
    dev: bool,
    now: DateTime<Utc>,
) -> Result<AgencyAuth, Error> {
    let Some(grant) = store.agency_for_token(&token_hash(token), now).await? else {
        return Err(Error::UnknownToken);
    };
    if grant.kind == TokenKind::Dev && !dev {
        return Err(Error::DevTokenOutsideDev);
    }
    let scopes = grant.scopes.intersection(grant.agency.scopes);
    Ok(AgencyAuth {
        agency: grant.agency,
        scopes,
    })
}

/// A logged-in person's session.
#[derive(Debug, Clone)]
pub struct PersonSession {
    pub pid: Pid,
    pub csrf: String,
    /// The hash of the session id (to end the session).
    pub session_hash: Vec<u8>,
}

/// A new session for a person: the secret session id (for the person's
/// cookie, never stored) and when it expires.
pub async fn start_session<S: Store + ?Sized>(
    store: &S,
    pseudo: &Pseudonymizer,
    pid: &Pid,
    ttl: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), Error> {
    let id = random_token("");
    let session = Session {
        pid: pid.to_string(),
        csrf: random_token(""),
        expires_at: now + ttl,
    };
    store.create_session(&token_hash(&id), &session).await?;
    tracing::info!(person = %pseudo.of(pid), "session started");
    Ok((id, session.expires_at))
}

/// The session a session id opens, if it exists and has not expired.
pub async fn session<S: Store + ?Sized>(
    store: &S,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<PersonSession>, Error> {
    let hash = token_hash(id);
    let Some(session) = store.session(&hash, now).await? else {
        return Ok(None);
    };
    let pid = Pid::from_trusted(&session.pid).map_err(|_| Error::CorruptSession)?;
    Ok(Some(PersonSession {
        pid,
        csrf: session.csrf,
        session_hash: hash,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_are_stable() {
        let (a, b) = (random_token("samlet_"), random_token("samlet_"));
        assert_ne!(a, b);
        assert!(a.starts_with("samlet_") && a.len() > 40);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
