//! One agency reading a person's data: its own items, and another agency's
//! only as far as a sharing basis it names (registered by the operator,
//! accepted by the holder, valid today, for the stated purpose:
//! [`samlet_access::decide_basis`]) or the person's valid consent
//! ([`samlet_access::decide`]) reaches. Every read writes one access-log
//! entry naming what it rests on, and the entry is durable before the
//! store is read: no entry, no data. The person sees each entry in their
//! access log ([`access_log`]).

use chrono::{DateTime, NaiveDate, Utc};
use samlet_access::{
    Basis, BasisRequest, Decision, DenyReason, Facts, Request, Rules, SharingBasis,
};
use samlet_domain::{Pid, Pseudonymizer};
use samlet_store::{
    AccessLogFilter, AccessLogStore, Overview, OverviewFilter, OverviewLimits, RepresentationStore,
    SharingStore, Store, StoreError, StoredCheckpoint, StoredConsent, StoredRepresentation,
    StoredSharingBasis,
};

use crate::represent::{only_category, policy_consent, OVERVIEW_CATEGORIES};
use crate::transparency::entry::{AccessEntry, Accessor, SharedFrom, SharedUnder};
use crate::transparency::log::{LogError, TransparencyLog};

/// Why a sharing read returned nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The policy refused; the reason carries its code and sentence.
    #[error("{}", .0.text(samlet_i18n::Lang::En))]
    Denied(DenyReason),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The policy's view of a stored basis.
pub fn policy_basis(b: &StoredSharingBasis) -> SharingBasis {
    SharingBasis {
        id: b.id.clone(),
        reader_org: b.reader_org.clone(),
        holder_org: b.holder_org.clone(),
        category: b.category.clone(),
        purpose: b.purpose.clone(),
        legal_basis: b.legal_basis.clone(),
        valid_from: b.valid_from,
        valid_to: b.valid_to,
        accepted_at: b.accepted_at,
        revoked_at: b.revoked_at,
    }
}

/// The check of one named basis: its facts from the store (one
/// primary-key read), then `samlet_access::decide_basis`. Another reader's
/// basis is not a fact about this read: the policy then answers "unknown",
/// as for an id that does not exist.
pub async fn basis_decision<S: SharingStore + ?Sized>(
    store: &S,
    reader_org: &str,
    id: &str,
    purpose: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(Decision, Option<StoredSharingBasis>), StoreError> {
    let stored = store
        .sharing_basis(id)
        .await?
        .filter(|b| b.reader_org == reader_org);
    let facts: Vec<SharingBasis> = stored.iter().map(policy_basis).collect();
    let req = BasisRequest {
        basis_id: id,
        reader_org,
        purpose,
    };
    Ok((
        samlet_access::decide_basis(&facts, &req, now, today),
        stored,
    ))
}

/// What an agency's overview read of a person may return: its own items,
/// plus each category of another agency's items that a valid basis it
/// named or a valid consent of the person lets it read.
#[derive(Debug, Clone)]
pub struct ReadScope {
    pub filter: OverviewFilter,
    pub shared: Vec<SharedFrom>,
    /// Each named basis that did not let the read through, and why.
    pub refused: Vec<(String, DenyReason)>,
}

/// Decide a read's scope: the named bases through
/// `samlet_access::decide_basis`, the person's consents through
/// `samlet_access::decide`. Reads facts only; default deny.
#[allow(clippy::too_many_arguments)]
pub async fn read_scope<S: Store + ?Sized>(
    store: &S,
    rules: &Rules,
    reader_org: &str,
    pid: &str,
    basis_ids: &[String],
    purpose: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<ReadScope, StoreError> {
    let mut scope = ReadScope {
        filter: OverviewFilter::own(reader_org),
        shared: Vec::new(),
        refused: Vec::new(),
    };
    for id in basis_ids {
        match basis_decision(store, reader_org, id, purpose, now, today).await? {
            (Decision::Allow(_), Some(b)) => {
                if scope.filter.add(&b.category, &b.holder_org) {
                    scope.shared.push(SharedFrom {
                        under: SharedUnder::Basis,
                        id: b.id.clone(),
                        holder_name: agency_name(store, &b.holder_org).await,
                        holder_org: b.holder_org,
                        category: b.category,
                        purpose: b.purpose,
                        legal_basis: Some(b.legal_basis),
                        legal_ref: b.legal_ref,
                    });
                }
            }
            (Decision::Deny(r), _) => scope.refused.push((id.clone(), r)),
            (Decision::Allow(_), None) => {
                scope.refused.push((id.clone(), DenyReason::BasisUnknown))
            }
        }
    }
    let consents = store.consents_between(reader_org, pid).await?;
    if !consents.is_empty() {
        let facts: Vec<_> = consents.iter().map(policy_consent).collect();
        for category in samlet_access::CATEGORIES {
            let d = samlet_access::decide(
                &Facts {
                    representations: &[],
                    consents: &facts,
                },
                &Request::Share {
                    requester_org: reader_org,
                    subject: pid,
                    category,
                },
                now,
                rules,
            );
            let Decision::Allow(Basis::Consent { ids, from_orgs }) = d else {
                continue;
            };
            for from in from_orgs {
                if from == reader_org || !scope.filter.add(category, &from) {
                    continue;
                }
                let mine: Vec<&StoredConsent> = consents
                    .iter()
                    .filter(|c| c.from_org == from && ids.contains(&c.id))
                    .collect();
                scope.shared.push(SharedFrom {
                    under: SharedUnder::Consent,
                    id: mine
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    holder_name: mine
                        .first()
                        .map(|c| c.from_name.clone())
                        .unwrap_or_default(),
                    holder_org: from,
                    category: category.to_owned(),
                    purpose: mine.first().map(|c| c.purpose.clone()).unwrap_or_default(),
                    legal_basis: None,
                    legal_ref: None,
                });
            }
        }
    }
    Ok(scope)
}

/// An agency's registered name, or its number when it is not registered.
async fn agency_name<S: Store + ?Sized>(store: &S, org: &str) -> String {
    let Ok(o) = samlet_domain::OrgNumber::parse(org) else {
        return org.to_owned();
    };
    match store.agency_by_org(&o).await {
        Ok(Some(a)) => a.name,
        _ => org.to_owned(),
    }
}

/// Who reads and why, as the access-log entry names them.
#[derive(Debug, Clone)]
pub struct AgencyRead {
    /// The agency (organisation number and name), its system and the
    /// caseworker's role as the agency states them.
    pub accessor: Accessor,
    /// When the caseworker acts as someone's representative: for whom.
    pub on_behalf_of: Option<String>,
    pub purpose: String,
    pub legal_basis: String,
    pub legal_basis_ref: Option<String>,
    /// The request's id, to match the entry with the server's request log.
    pub request_id: String,
}

impl AgencyRead {
    fn entry(self, pid: &Pid, categories: Vec<String>, shared: Vec<SharedFrom>) -> AccessEntry {
        AccessEntry {
            v: 1,
            subject: pid.to_string(),
            accessor: self.accessor,
            on_behalf_of: self.on_behalf_of,
            categories,
            purpose: self.purpose,
            legal_basis: self.legal_basis,
            legal_basis_ref: self.legal_basis_ref,
            at: Utc::now(),
            request_id: self.request_id,
            shared,
        }
    }
}

/// What the agency's overview read returned.
#[derive(Debug, Clone)]
pub struct PersonOverview {
    /// Each category of another agency's items included, and its ground
    /// (empty: only the reader's own items).
    pub shared: Vec<SharedFrom>,
    /// Each named basis that did not let the read through, and why.
    pub refused: Vec<(String, DenyReason)>,
    pub overview: Overview,
}

/// An agency's read of a person's overview: its own items, and other
/// agencies' as far as `basis_ids` or the person's consents reach. One
/// entry naming every basis and consent used is durable in the person's
/// access log before the store is read.
#[allow(clippy::too_many_arguments)]
pub async fn person_overview<S: Store + ?Sized>(
    store: &S,
    log: &TransparencyLog,
    rules: &Rules,
    pseudo: &Pseudonymizer,
    read: AgencyRead,
    pid: &Pid,
    basis_ids: &[String],
    today: NaiveDate,
) -> Result<PersonOverview, Error> {
    let org = read.accessor.org.clone();
    let scope = read_scope(
        store,
        rules,
        &org,
        pid.as_str(),
        basis_ids,
        &read.purpose,
        Utc::now(),
        today,
    )
    .await?;
    let categories = OVERVIEW_CATEGORIES
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let entry = read.entry(pid, categories, scope.shared.clone());
    // Durable first: no entry, no data.
    let index = log.append(entry).await?;
    tracing::info!(person = %pseudo.of(pid), agency = %org, log_index = index, shared = scope.shared.len(), "person overview read by agency");
    let o = store
        .overview_filtered(pid.as_str(), &scope.filter, OverviewLimits::default())
        .await?;
    Ok(PersonOverview {
        shared: scope.shared,
        refused: scope.refused,
        overview: o.with_today(today),
    })
}

/// Proof that the policy allowed a caseworker's support lookup; only
/// [`allow_support_lookup`] makes one, so [`support_lookup`] cannot run
/// without the decision.
#[derive(Debug)]
pub struct SupportAllowed(());

/// The policy's decision on a caseworker's support lookup: the agency
/// needs `samlet:support` and must state purpose and legal basis.
pub fn allow_support_lookup(
    has_scope: bool,
    purpose_stated: bool,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<SupportAllowed, Error> {
    match samlet_access::decide(
        &Facts::default(),
        &Request::SupportLookup {
            has_scope,
            purpose_stated,
        },
        now,
        rules,
    ) {
        Decision::Deny(r) => Err(Error::Denied(r)),
        _ => Ok(SupportAllowed(())),
    }
}

/// A person's representation as a caseworker helping them sees it.
#[derive(Debug, Clone)]
pub struct Support {
    /// Given by the person, or registered over them.
    pub given: Vec<StoredRepresentation>,
    /// Received by the person (at most 200).
    pub received: Vec<StoredRepresentation>,
    pub consents: Vec<StoredConsent>,
}

/// A caseworker's look at a person's mandates and consents: one entry is
/// durable in the person's access log before the store is read.
pub async fn support_lookup<S: Store + ?Sized>(
    store: &S,
    log: &TransparencyLog,
    pseudo: &Pseudonymizer,
    _allowed: SupportAllowed,
    read: AgencyRead,
    pid: &Pid,
) -> Result<Support, Error> {
    let org = read.accessor.org.clone();
    let entry = read.entry(pid, vec!["mandates".into(), "consents".into()], Vec::new());
    let index = log.append(entry).await?;
    tracing::info!(person = %pseudo.of(pid), agency = %org, log_index = index, "support lookup of representation");
    Ok(Support {
        given: store.representations_of_subject(pid.as_str()).await?,
        received: store
            .representations_of_representative(pid.as_str(), 200)
            .await?,
        consents: store.consents_of_subject(pid.as_str()).await?,
    })
}

/// What a read under consent returned.
#[derive(Debug, Clone)]
pub struct ConsentRead {
    /// The consents this read rests on.
    pub consent_ids: Vec<String>,
    /// Whose data it is (organisation numbers).
    pub from_orgs: Vec<String>,
    /// The person's items of the category from those agencies only.
    pub overview: Overview,
}

/// An agency's read of one category of a person's data that other agencies
/// hold, under the person's consent: refused ([`Error::Denied`]) before
/// approval, after expiry or revocation; else one entry naming the consents
/// is durable in the person's access log before the store is read.
#[allow(clippy::too_many_arguments)]
pub async fn read_under_consent<S: Store + ?Sized>(
    store: &S,
    log: &TransparencyLog,
    rules: &Rules,
    pseudo: &Pseudonymizer,
    mut read: AgencyRead,
    pid: &Pid,
    category: &str,
    today: NaiveDate,
) -> Result<ConsentRead, Error> {
    let org = read.accessor.org.clone();
    let rows = RepresentationStore::consents_between(store, &org, pid.as_str()).await?;
    let facts: Vec<_> = rows.iter().map(policy_consent).collect();
    let decision = samlet_access::decide(
        &Facts {
            representations: &[],
            consents: &facts,
        },
        &Request::Share {
            requester_org: &org,
            subject: pid.as_str(),
            category,
        },
        Utc::now(),
        rules,
    );
    let (ids, from_orgs) = match decision {
        Decision::Allow(Basis::Consent { ids, from_orgs }) => (ids, from_orgs),
        Decision::Allow(_) => return Err(Error::Denied(DenyReason::ConsentMissing)),
        Decision::Deny(r) => return Err(Error::Denied(r)),
    };
    read.legal_basis_ref = Some(format!("consent {}", ids.join(" ")));
    read.on_behalf_of = None;
    let entry = read.entry(pid, vec![category.to_owned()], Vec::new());
    // Durable first: no entry, no data.
    let index = log.append(entry).await?;
    tracing::info!(person = %pseudo.of(pid), agency = %org, log_index = index, "shared data read under consent");
    let o = store
        .overview(pid.as_str(), OverviewLimits::default())
        .await?
        .with_today(today);
    Ok(ConsentRead {
        overview: only_category(o, category, &from_orgs),
        consent_ids: ids,
        from_orgs,
    })
}

/// Which of a person's access-log entries to show: one page, optionally
/// only one agency's and only between two days (inclusive).
#[derive(Debug, Clone, Default)]
pub struct AccessLogQuery {
    pub agency_org: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

/// One access to the person's data, as logged.
#[derive(Debug, Clone)]
pub struct LoggedAccess {
    /// Position in the public log.
    pub index: u64,
    pub entry: AccessEntry,
    /// The entry's inclusion proof checked out against the checkpoint.
    pub verified: bool,
}

/// A page of the person's access log.
#[derive(Debug, Clone)]
pub struct AccessLog {
    pub entries: Vec<LoggedAccess>,
    pub next_page: Option<u32>,
    /// The signed checkpoint the entries were verified against.
    pub checkpoint: Option<StoredCheckpoint>,
    /// Log entries (anyone's) whose details disappeared without a
    /// retention record covering them: a sign that entries were hidden.
    pub missing_details: u64,
}

/// The person's access log: their entries, each verified against the
/// latest signed checkpoint. An entry that cannot be read is shown as such,
/// never hidden.
pub async fn access_log<S: AccessLogStore + ?Sized>(
    store: &S,
    log: &TransparencyLog,
    pid: &Pid,
    q: &AccessLogQuery,
) -> Result<AccessLog, LogError> {
    let day_start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let filter = AccessLogFilter {
        agency_org: q
            .agency_org
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        from: q.from.and_then(day_start),
        to: q.to.and_then(|d| d.succ_opt()).and_then(day_start),
        offset: i64::from(q.page.saturating_sub(1)) * i64::from(q.per_page),
        limit: i64::from(q.per_page) + 1,
    };
    let mut rows = store.log_entries_for(pid.as_str(), &filter).await?;
    let next_page = (rows.len() > q.per_page as usize).then_some(q.page + 1);
    rows.truncate(q.per_page as usize);
    let cp: Option<StoredCheckpoint> = match log.checkpoint().await {
        Ok(cp) => Some(cp),
        Err(e) => {
            // Shown as unverified, never hidden.
            tracing::error!(error = %e, "no checkpoint for the access log page");
            store.log_latest_checkpoint().await?
        }
    };
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let parsed: Option<AccessEntry> = serde_json::from_str(&row.body).ok();
        let verified = match (&cp, &parsed) {
            (Some(cp), Some(e)) if e.subject == pid.as_str() => log.verify_entry(&row, cp).await,
            _ => false,
        };
        let entry = parsed.unwrap_or_else(|| AccessEntry {
            v: 0,
            subject: String::new(),
            accessor: Accessor {
                org: "?".into(),
                name: "?".into(),
                system: None,
                role: None,
            },
            on_behalf_of: None,
            categories: Vec::new(),
            purpose: "(unreadable entry)".into(),
            legal_basis: String::new(),
            legal_basis_ref: None,
            at: DateTime::<Utc>::UNIX_EPOCH,
            request_id: String::new(),
            shared: Vec::new(),
        });
        entries.push(LoggedAccess {
            index: row.idx,
            entry,
            verified,
        });
    }
    Ok(AccessLog {
        entries,
        next_page,
        checkpoint: cp,
        missing_details: log.missing_details().await?,
    })
}

#[cfg(test)]
mod tests {
    use samlet_domain::OrgNumber;
    use samlet_store::{ConsentAnswer, NewConsentRequest};

    use super::*;
    use crate::represent::tests::open_store;

    fn read_by(org: &str) -> AgencyRead {
        AgencyRead {
            accessor: Accessor {
                org: org.into(),
                name: "NAV".into(),
                system: Some("saksbehandling".into()),
                role: None,
            },
            on_behalf_of: Some("ignored for a consent read".into()),
            purpose: "vurdere sykepenger".into(),
            legal_basis: "samtykke".into(),
            legal_basis_ref: None,
            request_id: "r-2".into(),
        }
    }

    async fn entries(store: &dyn Store, pid: &Pid) -> Vec<AccessEntry> {
        let filter = AccessLogFilter {
            agency_org: None,
            from: None,
            to: None,
            offset: 0,
            limit: 10,
        };
        store
            .log_entries_for(pid.as_str(), &filter)
            .await
            .expect("entries")
            .iter()
            .map(|r| serde_json::from_str(&r.body).expect("entry"))
            .collect()
    }

    #[tokio::test]
    async fn a_read_under_a_consent_writes_one_entry_naming_it() {
        let (_dir, store, log) = open_store().await;
        let pseudo = Pseudonymizer::new(b"test");
        let nav = OrgNumber::parse("889640782").expect("org");
        let skatt = OrgNumber::parse("974761076").expect("org");
        let reader = store.create_agency(&nav, "NAV").await.expect("agency");
        store
            .create_agency(&skatt, "Skatteetaten")
            .await
            .expect("agency");
        let person = chrono::NaiveDate::from_ymd_opt(1985, 3, 1)
            .and_then(|d| Pid::synthetic(d, 100))
            .expect("pid");
        let today = Utc::now().date_naive();
        let read = |category: &'static str| {
            read_under_consent(
                store.as_ref(),
                &log,
                &Rules::NORWAY,
                &pseudo,
                read_by(nav.as_str()),
                &person,
                category,
                today,
            )
        };

        // Asked, not yet approved: refused, and nothing logged.
        store
            .insert_consent_request(
                &NewConsentRequest {
                    id: "c_1".into(),
                    subject_pid: person.to_string(),
                    requester_id: reader.id,
                    requester_org: nav.to_string(),
                    requester_name: "NAV".into(),
                    from_org: skatt.to_string(),
                    from_name: "Skatteetaten".into(),
                    categories: vec!["cases".into()],
                    purpose: "vurdere sykepenger".into(),
                    valid_to: Utc::now() + chrono::Duration::days(30),
                },
                Utc::now(),
            )
            .await
            .expect("request");
        let refused = read("cases").await;
        assert!(matches!(refused, Err(Error::Denied(_))), "{refused:?}");
        assert_eq!(store.log_size().await.expect("size"), 0);

        assert!(store
            .answer_consent("c_1", person.as_str(), ConsentAnswer::Approve, Utc::now())
            .await
            .expect("approve"));
        let r = read("cases").await.expect("allowed");
        assert_eq!(r.consent_ids, vec!["c_1".to_owned()]);
        assert_eq!(r.from_orgs, vec![skatt.to_string()]);
        let logged = entries(store.as_ref(), &person).await;
        assert_eq!(logged.len(), 1, "exactly one entry");
        assert_eq!(logged[0].legal_basis_ref.as_deref(), Some("consent c_1"));
        assert_eq!(logged[0].categories, vec!["cases".to_owned()]);
        assert_eq!(logged[0].accessor.org, nav.as_str());
        assert_eq!(logged[0].on_behalf_of, None);

        // A category the consent does not cover: refused, still one entry.
        let other = read("benefits").await;
        assert!(matches!(other, Err(Error::Denied(_))), "{other:?}");
        assert_eq!(entries(store.as_ref(), &person).await.len(), 1);

        // The overview read names the consent in `shared`, in one entry.
        let o = person_overview(
            store.as_ref(),
            &log,
            &Rules::NORWAY,
            &pseudo,
            read_by(nav.as_str()),
            &person,
            &[],
            today,
        )
        .await
        .expect("overview");
        assert_eq!(o.shared.len(), 1);
        assert_eq!(o.shared[0].under, SharedUnder::Consent);
        assert_eq!(o.shared[0].id, "c_1");
        let logged = entries(store.as_ref(), &person).await;
        assert_eq!(logged.len(), 2);
        assert!(logged.iter().any(|e| e.shared == o.shared));

        // The person sees both, newest first, each verified; one per page.
        let q = AccessLogQuery {
            page: 1,
            per_page: 1,
            ..AccessLogQuery::default()
        };
        let page = access_log(store.as_ref(), &log, &person, &q)
            .await
            .expect("page");
        assert_eq!(page.entries.len(), 1);
        assert_eq!(page.next_page, Some(2));
        assert_eq!(page.entries[0].entry.shared, o.shared);
        assert!(page.entries[0].verified);
        assert_eq!(page.missing_details, 0);
        let q = AccessLogQuery {
            agency_org: Some(skatt.to_string()),
            per_page: 20,
            ..q
        };
        let page = access_log(store.as_ref(), &log, &person, &q)
            .await
            .expect("page");
        assert!(page.entries.is_empty(), "only the reader's entries");
    }
}
