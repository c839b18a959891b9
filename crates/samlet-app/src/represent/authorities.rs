//! Representations an authority registers: guardianships (the county
//! governor) and parental authority (the population register), and the
//! population register's names for persons. Who may register is the
//! agency's scope, checked by the caller; each relation remembers which
//! agency registered it, and only that agency ends it.

use chrono::{DateTime, Utc};
use samlet_access::{Action, BasisKind, Rules, Scope};
use samlet_domain::Pid;
use samlet_store::{NewRepresentation, RepresentationStore};

use super::mandates::new_id;
use super::{parental_end, Error, Result};

fn invalid(pointer: &str, message: &str) -> Error {
    Error::Invalid {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// A person cannot be their own guardian (checked before anything else
/// about the request).
pub fn check_guardian_pair(guardian: &Pid, ward: &Pid) -> Result<()> {
    if guardian == ward {
        return Err(invalid(
            "/guardian_pid",
            "A person cannot be their own guardian.",
        ));
    }
    Ok(())
}

/// A guardianship as the county governor registers it.
#[derive(Debug, Clone)]
pub struct NewGuardianship {
    pub guardian: Pid,
    pub ward: Pid,
    /// The ward's name, for the guardian's list.
    pub ward_name: Option<String>,
    pub scopes: Vec<Scope>,
    pub actions: Vec<Action>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    /// The county governor's decision reference.
    pub reference: Option<String>,
}

/// Registers a guardianship for `by_org`; returns its id.
pub async fn register_guardianship<S: RepresentationStore + ?Sized>(
    store: &S,
    by_org: &str,
    g: NewGuardianship,
    now: DateTime<Utc>,
) -> Result<String> {
    check_guardian_pair(&g.guardian, &g.ward)?;
    if let Some(name) = g
        .ward_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        store
            .upsert_person_names(&[(g.ward.to_string(), name.to_owned())], now)
            .await?;
    }
    let id = new_id("g_");
    store
        .insert_representation(
            &NewRepresentation {
                id: id.clone(),
                kind: BasisKind::Guardianship,
                subject_pid: g.ward.to_string(),
                representative_pid: g.guardian.to_string(),
                scopes: g.scopes,
                actions: g.actions,
                valid_from: g.valid_from,
                valid_to: g.valid_to,
                registered_by: by_org.to_owned(),
                reference: g.reference,
            },
            now,
        )
        .await?;
    Ok(id)
}

/// Ends a guardianship `by_org` registered, at once.
pub async fn end_guardianship<S: RepresentationStore + ?Sized>(
    store: &S,
    by_org: &str,
    id: &str,
) -> Result<()> {
    let found = store
        .representation(id)
        .await?
        .filter(|r| r.kind == BasisKind::Guardianship && r.registered_by == by_org);
    if found.is_none() || !store.revoke_representation(id, Utc::now()).await? {
        return Err(Error::NotFound(
            "No active guardianship with this id registered by your agency.",
        ));
    }
    Ok(())
}

/// Registers a parent's authority over a minor for `by_org`: everything,
/// read and act, until the child comes of age. Returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn register_parental<S: RepresentationStore + ?Sized>(
    store: &S,
    rules: &Rules,
    by_org: &str,
    parent: &Pid,
    child: &Pid,
    parent_name: Option<&str>,
    child_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String> {
    let end = parental_end(child, rules)
        .filter(|end| *end > now)
        .ok_or_else(|| invalid("/child_pid", "The child has come of age."))?;
    if parent == child {
        return Err(invalid(
            "/parent_pid",
            "A person cannot be their own parent.",
        ));
    }
    let mut names = Vec::new();
    for (pid, name) in [(child, child_name), (parent, parent_name)] {
        if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
            names.push((pid.to_string(), n.to_owned()));
        }
    }
    store.upsert_person_names(&names, now).await?;
    let id = new_id("p_");
    store
        .insert_representation(
            &NewRepresentation {
                id: id.clone(),
                kind: BasisKind::Parental,
                subject_pid: child.to_string(),
                representative_pid: parent.to_string(),
                scopes: vec![Scope::All],
                actions: vec![Action::Read, Action::Act],
                valid_from: now,
                valid_to: Some(end),
                registered_by: by_org.to_owned(),
                reference: None,
            },
            now,
        )
        .await?;
    Ok(id)
}

/// The longest name the population register may give (characters).
const MAX_NAME: usize = 200;

/// The population register's names for persons, which the surname check
/// and a guardian's search use. All or nothing: one bad name refuses the
/// whole batch, its pointer naming the entry (`/3/name`).
pub async fn register_names<S: RepresentationStore + ?Sized>(
    store: &S,
    names: &[(Pid, String)],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut rows = Vec::with_capacity(names.len());
    for (i, (pid, name)) in names.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(Error::Invalid {
                pointer: format!("/{i}/name"),
                message: format!("A name has 1 to {MAX_NAME} characters."),
            });
        }
        rows.push((pid.to_string(), name.to_owned()));
    }
    store.upsert_person_names(&rows, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::represent::tests::open_store;

    fn pid(year: i32, n: u32) -> Pid {
        chrono::NaiveDate::from_ymd_opt(year, 5, 17)
            .and_then(|d| Pid::synthetic(d, n))
            .expect("synthetic pid")
    }

    #[tokio::test]
    async fn only_the_registering_authority_ends_a_guardianship() {
        let (_dir, store, _log) = open_store().await;
        let (guardian, ward) = (pid(1970, 100), pid(1940, 200));
        assert!(matches!(
            check_guardian_pair(&guardian, &guardian),
            Err(Error::Invalid { pointer, .. }) if pointer == "/guardian_pid"
        ));
        let now = Utc::now();
        let g = NewGuardianship {
            guardian: guardian.clone(),
            ward: ward.clone(),
            ward_name: Some("  Ola Nordmann ".into()),
            scopes: vec![Scope::All],
            actions: vec![Action::Read],
            valid_from: now,
            valid_to: None,
            reference: Some("SF-1".into()),
        };
        let id = register_guardianship(store.as_ref(), "974761076", g, now)
            .await
            .expect("registered");
        assert!(id.starts_with("g_"));
        assert_eq!(
            store
                .person_name(ward.as_str())
                .await
                .expect("name")
                .as_deref(),
            Some("Ola Nordmann")
        );
        let other = end_guardianship(store.as_ref(), "889640782", &id).await;
        assert!(matches!(other, Err(Error::NotFound(_))), "{other:?}");
        end_guardianship(store.as_ref(), "974761076", &id)
            .await
            .expect("ended by its authority");
        let again = end_guardianship(store.as_ref(), "974761076", &id).await;
        assert!(matches!(again, Err(Error::NotFound(_))), "{again:?}");
    }

    #[tokio::test]
    async fn parental_authority_ends_when_the_child_comes_of_age() {
        let (_dir, store, _log) = open_store().await;
        let rules = Rules::NORWAY;
        let now = Utc::now();
        let grown = register_parental(
            store.as_ref(),
            &rules,
            "974760673",
            &pid(1970, 100),
            &pid(1990, 300),
            None,
            None,
            now,
        )
        .await;
        assert!(matches!(
            grown,
            Err(Error::Invalid { pointer, .. }) if pointer == "/child_pid"
        ));
        let child = chrono::NaiveDate::from_ymd_opt(2020, 5, 17)
            .and_then(|d| Pid::synthetic(d, 500))
            .expect("pid");
        let id = register_parental(
            store.as_ref(),
            &rules,
            "974760673",
            &pid(1985, 100),
            &child,
            None,
            Some("Lille Nordmann"),
            now,
        )
        .await
        .expect("registered");
        let r = store
            .representation(&id)
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(r.kind, BasisKind::Parental);
        assert_eq!(r.valid_to, parental_end(&child, &rules));
    }

    #[tokio::test]
    async fn names_are_all_or_nothing_with_a_pointer_at_the_bad_one() {
        let (_dir, store, _log) = crate::represent::tests::open_store().await;
        let ola = Pid::synthetic(
            chrono::NaiveDate::from_ymd_opt(1980, 1, 2).expect("date"),
            100,
        )
        .expect("pid");
        let kari = Pid::synthetic(
            chrono::NaiveDate::from_ymd_opt(1981, 3, 4).expect("date"),
            200,
        )
        .expect("pid");
        let now = Utc::now();
        let bad = [
            (ola.clone(), "Ola Nordmann".to_owned()),
            (kari.clone(), "  ".to_owned()),
        ];
        match register_names(store.as_ref(), &bad, now).await {
            Err(Error::Invalid { pointer, .. }) => assert_eq!(pointer, "/1/name"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(
            store.person_name(ola.as_str()).await.expect("read"),
            None,
            "nothing written"
        );
        let good = [(ola.clone(), " Ola Nordmann ".to_owned())];
        register_names(store.as_ref(), &good, now)
            .await
            .expect("stored");
        assert_eq!(
            store
                .person_name(ola.as_str())
                .await
                .expect("read")
                .as_deref(),
            Some("Ola Nordmann")
        );
    }
}
