//! Powers of attorney a person gives (mandates): the policy's check, the
//! check that the representative exists under the surname the giver typed,
//! and ending one. Guardianships and parental authority are registered and
//! ended by their authorities.

use chrono::{DateTime, Utc};
use samlet_access::{Action, BasisKind, Decision, Facts, Person, Request, Rules, Scope};
use samlet_domain::{Pid, Pseudonymizer};
use samlet_store::{NewRepresentation, RepresentationStore, StoreError, StoredRepresentation};

use super::{Error, Result};

/// A fresh id for a representation or consent: `prefix` and 32 hex digits.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// A power of attorney as the giver asks for it.
#[derive(Debug, Clone)]
pub struct NewMandate {
    pub to: Pid,
    pub scopes: Vec<Scope>,
    pub actions: Vec<Action>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
}

/// The policy's answer to `giver` giving `m` at `now` (it reads nothing but
/// the numbers themselves): [`Error::Denied`] when, e.g., the giver is too
/// young or the representative not an adult.
pub fn check_mandate(rules: &Rules, giver: &Pid, m: &NewMandate, now: DateTime<Utc>) -> Result<()> {
    let req = Request::GiveMandate {
        giver: Person {
            pid: giver.as_str(),
            birth: giver.birth_date(),
        },
        to: Person {
            pid: m.to.as_str(),
            birth: m.to.birth_date(),
        },
        scopes: &m.scopes,
        actions: &m.actions,
        valid_from: m.valid_from,
        valid_to: m.valid_to,
    };
    match samlet_access::decide(&Facts::default(), &req, now, rules) {
        Decision::Deny(r) => Err(Error::Denied(r)),
        Decision::Allow(_) => Ok(()),
    }
}

/// Does the person with this number have this surname in the population
/// register? A number nobody has and a surname that does not match are one
/// and the same [`Error::UnknownPerson`], so this cannot look names up.
/// Logged with pseudonyms only.
pub async fn check_person<S: RepresentationStore + ?Sized>(
    store: &S,
    pseudo: &Pseudonymizer,
    asker: &Pid,
    to: &Pid,
    surname: &str,
) -> Result<()> {
    let registered = store.person_name(to.as_str()).await?;
    let matched = registered
        .as_deref()
        .is_some_and(|name| surname_matches(name, surname));
    tracing::info!(person = %pseudo.of(asker), checked = %pseudo.of(to), matched, "person check");
    if matched {
        Ok(())
    } else {
        Err(Error::UnknownPerson)
    }
}

/// Stores the mandate `giver` gives (checked with [`check_mandate`] and
/// [`check_person`] first) and returns it as stored.
pub async fn record_mandate<S: RepresentationStore + ?Sized>(
    store: &S,
    pseudo: &Pseudonymizer,
    giver: &Pid,
    m: NewMandate,
    now: DateTime<Utc>,
) -> Result<StoredRepresentation> {
    let new = NewRepresentation {
        id: new_id("m_"),
        kind: BasisKind::Mandate,
        subject_pid: giver.to_string(),
        representative_pid: m.to.to_string(),
        scopes: m.scopes,
        actions: m.actions,
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        registered_by: "citizen".into(),
        reference: None,
    };
    store.insert_representation(&new, now).await?;
    tracing::info!(person = %pseudo.of(giver), representative = %pseudo.of(&m.to), "mandate given");
    store
        .representation(&new.id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the new mandate was not found".into()).into())
}

/// A person's representations, both ways.
#[derive(Debug, Clone)]
pub struct Mandates {
    /// Given by the person (or registered over them), newest first, each
    /// with the representative's name when the register has it.
    pub given: Vec<(StoredRepresentation, Option<String>)>,
    /// Received by the person, newest first (at most `received_limit`).
    pub received: Vec<StoredRepresentation>,
}

/// What `pid` has given and received.
pub async fn mandates_of<S: RepresentationStore + ?Sized>(
    store: &S,
    pid: &Pid,
    received_limit: i64,
) -> Result<Mandates> {
    let given = store.representations_of_subject(pid.as_str()).await?;
    let received = store
        .representations_of_representative(pid.as_str(), received_limit)
        .await?;
    // The giver sees whom they gave a mandate to by name, not by number.
    let mut names: std::collections::HashMap<String, Option<String>> = Default::default();
    let mut out = Vec::with_capacity(given.len());
    for r in given {
        let name = match names.get(&r.representative_pid) {
            Some(n) => n.clone(),
            None => {
                let n = store.person_name(&r.representative_pid).await?;
                names.insert(r.representative_pid.clone(), n.clone());
                n
            }
        };
        out.push((r, name));
    }
    Ok(Mandates {
        given: out,
        received,
    })
}

/// End a mandate at once: the giver revokes it, or the representative
/// resigns. Guardianships and parental authority end through their authority.
pub async fn end_mandate<S: RepresentationStore + ?Sized>(
    store: &S,
    pseudo: &Pseudonymizer,
    pid: &Pid,
    id: &str,
) -> Result<()> {
    let r = store
        .representation(id)
        .await?
        .filter(|r| r.subject_pid == pid.as_str() || r.representative_pid == pid.as_str())
        .ok_or(Error::NotFound("You have no mandate with this id."))?;
    if r.kind != BasisKind::Mandate {
        return Err(Error::Forbidden(
            "A guardianship or parental authority is ended by the authority that registered it.",
        ));
    }
    if !store.revoke_representation(id, Utc::now()).await? {
        return Err(Error::Conflict("The mandate was already revoked."));
    }
    tracing::info!(person = %pseudo.of(pid), "mandate revoked");
    Ok(())
}

/// Is `typed` the surname of `full_name` (its last words), ignoring case,
/// accents and spacing? "nordmann" and "NORDMANN" match "Kari Nordmann",
/// "Sorensen" matches "Ola Sørensen". An empty surname never matches.
pub fn surname_matches(full_name: &str, typed: &str) -> bool {
    let name = fold_name(full_name);
    let typed = fold_name(typed);
    if typed.is_empty() || typed.len() > name.len() {
        return false;
    }
    name[name.len() - typed.len()..] == typed[..]
}

/// A name as comparable words: decomposed (NFD) with the combining marks
/// dropped, lower case, and the Nordic letters that do not decompose
/// spelled as people type them on a keyboard without them.
fn fold_name(s: &str) -> Vec<String> {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    s.split_whitespace()
        .map(|w| {
            w.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .map(|c| match c {
                    'ø' => "o".to_owned(),
                    'æ' => "ae".to_owned(),
                    'ß' => "ss".to_owned(),
                    'đ' | 'ð' => "d".to_owned(),
                    'ł' => "l".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::surname_matches;

    #[test]
    fn mandate_surname_check_ignores_case_accents_and_spacing() {
        for (name, typed) in [
            ("Kari Nordmann", "Nordmann"),
            ("Kari Nordmann", "nordmann"),
            ("Kari Nordmann", "  NORDMANN "),
            ("Ola Sørensen", "Sorensen"),
            ("Ola Sørensen", "SØRENSEN"),
            ("Åse Ærø", "ase aero"),
            ("Åse Ærø", "Aerø"),
            ("José Müller", "muller"),
            ("Anne Berg Hansen", "berg  hansen"),
            ("Anne Berg-Hansen", "Berg-Hansen"),
        ] {
            assert!(surname_matches(name, typed), "{name:?} {typed:?}");
        }
    }

    #[test]
    fn mandate_surname_check_refuses_other_names() {
        for (name, typed) in [
            ("Kari Nordmann", ""),
            ("Kari Nordmann", "   "),
            ("Kari Nordmann", "Kari"),
            ("Kari Nordmann", "Nord"),
            ("Kari Nordmann", "mann"),
            ("Kari Nordmann", "Ola Kari Nordmann"),
            ("Anne Berg-Hansen", "Hansen"),
        ] {
            assert!(!surname_matches(name, typed), "{name:?} {typed:?}");
        }
    }
}
