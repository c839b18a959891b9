//! Representation and consent (see `docs/representation.md`): who may act
//! for whom, and the reads and acts a representative makes for someone.
//!
//! Every path loads the facts for the pair concerned and asks
//! [`samlet_access::decide`]; a refusal is [`Error::Denied`] with the
//! policy's reason. An allowed read of someone else's data awaits a durable
//! access-log entry ([`log_on_behalf`]) before the store is read, and the
//! represented person sees it in their access log.

pub mod authorities;
pub mod consent;
pub mod log_forms;
pub mod mandates;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use samlet_access::{
    Action, Basis, BasisKind, Consent, Decision, DenyReason, Facts, Representation, Request, Rules,
    ScopeSet,
};
use samlet_domain::{OrgNumber, Pid, Pseudonymizer};
use samlet_store::{
    ConsentAnswer, MessageView, Overview, OverviewLimits, RepresentationStore, Store, StoreError,
    StoredConsent, StoredRepresentation,
};

use crate::transparency::entry::{AccessEntry, Accessor};
use crate::transparency::log::{LogError, TransparencyLog};
use log_forms::Purpose;

/// Data categories an overview read returns.
pub const OVERVIEW_CATEGORIES: [&str; 4] = ["cases", "deadlines", "benefits", "messages"];

/// Why a representation or consent use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The policy refused; the reason carries its code and sentence.
    #[error("{}", .0.text(samlet_i18n::Lang::En))]
    Denied(DenyReason),
    #[error("{0}")]
    NotFound(&'static str),
    /// A value the caller gave is not valid; `pointer` names it.
    #[error("{message}")]
    Invalid { pointer: String, message: String },
    /// The stored state does not allow it (any more).
    #[error("{0}")]
    Conflict(&'static str),
    /// Not this caller's to do, whatever the stored state.
    #[error("{0}")]
    Forbidden(&'static str),
    /// No person has this identity number and surname (one answer for both,
    /// so the check cannot look names up).
    #[error("we find no person with this identity number and surname")]
    UnknownPerson,
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A stored representation as the policy sees it.
pub fn policy_representation(r: &StoredRepresentation) -> Representation {
    Representation {
        id: r.id.clone(),
        kind: r.kind,
        subject: r.subject_pid.clone(),
        representative: r.representative_pid.clone(),
        scopes: r.scopes.clone(),
        actions: r.actions.clone(),
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        revoked_at: r.revoked_at,
        subject_birth: Pid::from_trusted(&r.subject_pid)
            .ok()
            .map(|p| p.birth_date()),
    }
}

pub fn policy_consent(c: &StoredConsent) -> Consent {
    Consent {
        id: c.id.clone(),
        subject: c.subject_pid.clone(),
        requester_org: c.requester_org.clone(),
        from_org: c.from_org.clone(),
        categories: c.categories.clone(),
        status: c.status,
        valid_to: c.valid_to,
        revoked_at: c.revoked_at,
    }
}

/// A consent request's state at `now`: `pending`, `approved`, `declined`,
/// `revoked` or `expired`.
pub fn consent_state(c: &StoredConsent, now: DateTime<Utc>) -> &'static str {
    if c.revoked_at.is_some_and(|t| t <= now) {
        "revoked"
    } else if c.valid_to <= now && c.status != samlet_access::ConsentStatus::Declined {
        "expired"
    } else {
        c.status.as_str()
    }
}

/// What a representative's view is allowed on.
#[derive(Debug, Clone)]
pub struct Granted {
    pub ids: Vec<String>,
    pub kinds: Vec<BasisKind>,
    pub scopes: ScopeSet,
}

/// Ask the policy whether `representative` may `action` for `subject` at `now`.
pub async fn authorize_representative<S: RepresentationStore + ?Sized>(
    store: &S,
    rules: &Rules,
    representative: &Pid,
    subject: &Pid,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Granted> {
    let req = Request::Represent {
        representative: representative.as_str(),
        subject: subject.as_str(),
        action,
    };
    decide_represent(store, rules, representative, subject, &req, now).await
}

/// Ask the policy whether `representative` may `action` on one item of
/// `subject`'s: an item of an agency with `item_areas`, or of a service.
#[allow(clippy::too_many_arguments)]
pub async fn authorize_item<S: RepresentationStore + ?Sized>(
    store: &S,
    rules: &Rules,
    representative: &Pid,
    subject: &Pid,
    action: Action,
    item_areas: &[String],
    item_service: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Granted> {
    let req = Request::RepresentItem {
        representative: representative.as_str(),
        subject: subject.as_str(),
        action,
        item_areas,
        item_service,
    };
    decide_represent(store, rules, representative, subject, &req, now).await
}

/// Load the facts for the pair and ask [`samlet_access::decide`].
async fn decide_represent<S: RepresentationStore + ?Sized>(
    store: &S,
    rules: &Rules,
    representative: &Pid,
    subject: &Pid,
    req: &Request<'_>,
    now: DateTime<Utc>,
) -> Result<Granted> {
    let rows = store
        .representations_between(representative.as_str(), subject.as_str())
        .await?;
    let facts: Vec<Representation> = rows.iter().map(policy_representation).collect();
    match samlet_access::decide(
        &Facts {
            representations: &facts,
            consents: &[],
        },
        req,
        now,
        rules,
    ) {
        Decision::Allow(Basis::Represent { ids, kinds, scopes }) => {
            Ok(Granted { ids, kinds, scopes })
        }
        Decision::Allow(_) => Err(Error::Denied(DenyReason::NoBasis)),
        Decision::Deny(r) => Err(Error::Denied(r)),
    }
}

/// Which areas each agency's items belong to (organisation number → areas).
pub async fn area_map<S: RepresentationStore + ?Sized>(
    store: &S,
) -> Result<HashMap<String, Vec<String>>> {
    Ok(store.agency_areas().await?.into_iter().collect())
}

/// Keep only what the scope covers: an item is in scope through its agency's
/// areas or its case's service. Filtering happens here, above the store's
/// overview query, so that query stays the citizen's own.
pub fn filter_overview(
    mut o: Overview,
    scopes: &ScopeSet,
    areas: &HashMap<String, Vec<String>>,
) -> Overview {
    if scopes.all {
        return o;
    }
    let none = Vec::new();
    let of = |org: &str| areas.get(org).unwrap_or(&none);
    o.cases
        .retain(|c| scopes.covers(of(&c.agency.org), c.service.as_deref()));
    let in_scope_cases: HashSet<(String, String)> = o
        .cases
        .iter()
        .map(|c| (c.agency.org.clone(), c.case_id.clone()))
        .collect();
    o.deadlines.retain(|d| {
        scopes.covers(of(&d.agency.org), None)
            || d.case_id
                .as_ref()
                .is_some_and(|id| in_scope_cases.contains(&(d.agency.org.clone(), id.clone())))
    });
    o.benefits
        .retain(|b| scopes.covers(of(&b.agency.org), None));
    o.messages
        .retain(|m| scopes.covers(of(&m.agency.org), None));
    // The counts describe what is shown, not the person's whole inbox.
    o.total_messages = o.messages.len() as i64;
    o.unread_messages = o.messages.iter().filter(|m| !m.read).count() as i64;
    o
}

/// Keep only one category from the given agencies (the sharing read).
pub fn only_category(mut o: Overview, category: &str, from_orgs: &[String]) -> Overview {
    let from = |org: &str| from_orgs.iter().any(|f| f == org);
    let keep = |c: &str| c == category;
    o.cases.retain(|c| keep("cases") && from(&c.agency.org));
    o.deadlines
        .retain(|d| keep("deadlines") && from(&d.agency.org));
    o.benefits
        .retain(|b| keep("benefits") && from(&b.agency.org));
    o.messages
        .retain(|m| keep("messages") && from(&m.agency.org));
    o.total_messages = o.messages.len() as i64;
    o.unread_messages = o.messages.iter().filter(|m| !m.read).count() as i64;
    o
}

/// A representative's request: who acts for whom, what the policy and the
/// log need, and the request id the log entry carries.
pub struct ActFor<'a> {
    pub log: &'a TransparencyLog,
    pub rules: &'a Rules,
    /// Keyed pseudonyms for the operator's logs (never identity numbers there).
    pub pseudo: &'a Pseudonymizer,
    pub request_id: &'a str,
    pub representative: &'a Pid,
    pub subject: &'a Pid,
}

impl ActFor<'_> {
    async fn authorize<S: RepresentationStore + ?Sized>(
        &self,
        store: &S,
        action: Action,
    ) -> Result<Granted> {
        authorize_representative(
            store,
            self.rules,
            self.representative,
            self.subject,
            action,
            Utc::now(),
        )
        .await
    }

    async fn authorize_item<S: RepresentationStore + ?Sized>(
        &self,
        store: &S,
        item_areas: &[String],
    ) -> Result<Granted> {
        authorize_item(
            store,
            self.rules,
            self.representative,
            self.subject,
            Action::Act,
            item_areas,
            None,
            Utc::now(),
        )
        .await
    }
}

/// Append "X on behalf of Y" to `subject`'s access log and wait until it is
/// durable: every representative's read or act does this before it touches
/// the person's data.
pub async fn log_on_behalf<S: RepresentationStore + ?Sized>(
    store: &S,
    a: &ActFor<'_>,
    granted: &Granted,
    categories: &[&str],
    purpose: Purpose,
) -> Result<u64> {
    let rep_name = store.person_name(a.representative.as_str()).await?;
    let subject_name = store.person_name(a.subject.as_str()).await?;
    let entry = AccessEntry {
        v: 1,
        subject: a.subject.to_string(),
        accessor: Accessor {
            org: a.representative.to_string(),
            name: rep_name.unwrap_or_else(|| log_forms::PLACEHOLDER.into()),
            system: Some("samlet".into()),
            role: Some(log_forms::kind_label(&granted.kinds)),
        },
        // Never the identity number: the name, or the masked number.
        on_behalf_of: Some(subject_name.unwrap_or_else(|| log_forms::masked(a.subject.as_str()))),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        purpose: purpose.logged(),
        legal_basis: format!(
            "{} {}",
            log_forms::kind_label(&granted.kinds),
            granted.ids.join(" ")
        ),
        legal_basis_ref: None,
        at: Utc::now(),
        request_id: a.request_id.to_owned(),
        shared: Vec::new(),
    };
    Ok(a.log.append(entry).await?)
}

/// What a representative who may act sees besides the overview: the scope
/// of acting, the agencies whose items that covers, and the person's
/// pending consent requests within it.
#[derive(Debug, Clone)]
pub struct ActView {
    pub granted: Granted,
    /// Organisation numbers whose items the representative may act on.
    pub orgs: Vec<String>,
    pub consent_requests: Vec<StoredConsent>,
}

/// A representative's view of `subject`, logged as "X on behalf of Y" and
/// durable before any data is read. Then the overview, within scope.
pub async fn represented_overview<S: Store + ?Sized>(
    store: &S,
    a: &ActFor<'_>,
    today: NaiveDate,
) -> Result<(Granted, Overview)> {
    let (granted, o, _) = represented_view(store, a, today, false).await?;
    Ok((granted, o))
}

/// The view behind the acting-for page: the overview within scope and, when
/// `with_acting` and a basis allows acting, what the representative may act
/// on (the pending consent requests are then read too, and logged as such).
pub async fn represented_view<S: Store + ?Sized>(
    store: &S,
    a: &ActFor<'_>,
    today: NaiveDate,
    with_acting: bool,
) -> Result<(Granted, Overview, Option<ActView>)> {
    let granted = a.authorize(store, Action::Read).await?;
    // A refusal to act only means no buttons: the view itself is allowed.
    let acting = if with_acting {
        a.authorize(store, Action::Act).await.ok()
    } else {
        None
    };
    let mut categories: Vec<&str> = OVERVIEW_CATEGORIES.to_vec();
    if acting.is_some() {
        categories.push("consents");
    }
    // Durable first: no entry, no data.
    let index = log_on_behalf(
        store,
        a,
        &granted,
        &categories,
        Purpose::View(granted.scopes.labels()),
    )
    .await?;
    tracing::info!(representative = %a.pseudo.of(a.representative), person = %a.pseudo.of(a.subject), log_index = index, "represented overview read");
    let o = store
        .overview(a.subject.as_str(), OverviewLimits::default())
        .await?
        .with_today(today);
    let areas = area_map(store).await?;
    let act = match acting {
        None => None,
        Some(g) => {
            let none = Vec::new();
            let covers = |org: &str| g.scopes.covers(areas.get(org).unwrap_or(&none), None);
            let now = Utc::now();
            let consent_requests = store
                .consents_of_subject(a.subject.as_str())
                .await?
                .into_iter()
                .filter(|c| consent_state(c, now) == "pending" && covers(&c.from_org))
                .collect();
            let orgs = o
                .messages
                .iter()
                .map(|m| m.agency.org.clone())
                .filter(|org| covers(org))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            Some(ActView {
                granted: g,
                orgs,
                consent_requests,
            })
        }
    };
    Ok((
        granted.clone(),
        filter_overview(o, &granted.scopes, &areas),
        act,
    ))
}

/// The areas of one agency's items (none: in scope only under `all`).
async fn areas_of<S: RepresentationStore + ?Sized>(store: &S, org: &str) -> Result<Vec<String>> {
    Ok(area_map(store).await?.remove(org).unwrap_or_default())
}

/// Open one of `subject`'s messages for them: the message, now marked read.
///
/// Acting goes through the policy with [`Action::Act`] for the item
/// (`RepresentItem`, refused with `out-of-scope` when no acting basis covers
/// the item's agency), then into the person's access log, durable before the
/// store is read or changed.
pub async fn open_message<S: Store + ?Sized>(
    store: &S,
    a: &ActFor<'_>,
    org: &str,
    message_id: &str,
) -> Result<MessageView> {
    let org = OrgNumber::parse(org.trim()).map_err(|e| Error::Invalid {
        pointer: "/path/org".into(),
        message: e.to_string(),
    })?;
    let areas = areas_of(store, org.as_str()).await?;
    let granted = a.authorize_item(store, &areas).await?;
    // Durable first: no entry, no data.
    let index = log_on_behalf(store, a, &granted, &["messages"], Purpose::OpenedMessage).await?;
    tracing::info!(representative = %a.pseudo.of(a.representative), person = %a.pseudo.of(a.subject), log_index = index, "message opened on behalf");
    store
        .open_message(a.subject.as_str(), org.as_str(), message_id, Utc::now())
        .await?
        .ok_or(Error::NotFound("The person has no such message."))
}

/// Answer one of `subject`'s pending consent requests for them. The consent
/// request's own row is read before the log entry as one of the decision's
/// facts (whose it is, which agency's data it concerns), as the sharing read
/// reads its consents.
pub async fn answer_consent<S: RepresentationStore + ?Sized>(
    store: &S,
    a: &ActFor<'_>,
    id: &str,
    answer: ConsentAnswer,
) -> Result<StoredConsent> {
    // The pair first: nothing about the person's requests is looked at
    // for someone who may not act for them at all.
    a.authorize(store, Action::Act).await?;
    let c = store
        .consent(id)
        .await?
        .filter(|c| c.subject_pid == a.subject.as_str())
        .ok_or(Error::NotFound(
            "The person has no consent request with this id.",
        ))?;
    let areas = areas_of(store, &c.from_org).await?;
    let granted = a.authorize_item(store, &areas).await?;
    let now = Utc::now();
    if consent_state(&c, now) != "pending" {
        return Err(Error::Conflict(
            "The request was already answered, or has expired.",
        ));
    }
    let purpose = match answer {
        ConsentAnswer::Approve => Purpose::ApprovedConsent,
        ConsentAnswer::Decline => Purpose::DeclinedConsent,
    };
    // Durable first: no entry, no change.
    let index = log_on_behalf(store, a, &granted, &["consents"], purpose).await?;
    tracing::info!(representative = %a.pseudo.of(a.representative), person = %a.pseudo.of(a.subject), log_index = index, "consent request answered on behalf");
    if !store
        .answer_consent(id, a.subject.as_str(), answer, now)
        .await?
    {
        return Err(Error::Conflict("The request was already answered."));
    }
    Ok(store.consent(id).await?.unwrap_or(c))
}

/// The person's pending consent requests within the representative's scope
/// (reading; logged).
pub async fn pending_consent_requests<S: RepresentationStore + ?Sized>(
    store: &S,
    a: &ActFor<'_>,
) -> Result<Vec<StoredConsent>> {
    let granted = a.authorize(store, Action::Read).await?;
    let index = log_on_behalf(
        store,
        a,
        &granted,
        &["consents"],
        Purpose::View(granted.scopes.labels()),
    )
    .await?;
    tracing::info!(representative = %a.pseudo.of(a.representative), person = %a.pseudo.of(a.subject), log_index = index, "consent requests read on behalf");
    let areas = area_map(store).await?;
    let none = Vec::new();
    let now = Utc::now();
    Ok(store
        .consents_of_subject(a.subject.as_str())
        .await?
        .into_iter()
        .filter(|c| {
            consent_state(c, now) == "pending"
                && granted
                    .scopes
                    .covers(areas.get(&c.from_org).unwrap_or(&none), None)
        })
        .collect())
}

/// One person a representative acts for: the valid bases taken together.
#[derive(Debug, Clone)]
pub struct Represented {
    pub granted: Granted,
    /// The bases the policy let through (a subset of the stored rows).
    pub bases: Vec<StoredRepresentation>,
}

/// The people `representative` acts for, by name or the start of the
/// identity number (`q`), one page (1-based) at a time: each with the bases
/// the policy allows reading under at `now`. Also whether a next page exists.
pub async fn represented_page<S: RepresentationStore + ?Sized>(
    store: &S,
    rules: &Rules,
    representative: &Pid,
    q: &str,
    page: u32,
    per_page: u32,
    now: DateTime<Utc>,
) -> Result<(Vec<Represented>, bool)> {
    // The store pages over persons (one more than asked, to know whether
    // there is a next page) and returns each one's valid rows together.
    let rows = store
        .represented_page(
            representative.as_str(),
            q,
            now,
            i64::from(page.saturating_sub(1)) * i64::from(per_page),
            i64::from(per_page) + 1,
        )
        .await?;
    let groups: Vec<&[StoredRepresentation]> = rows
        .chunk_by(|a, b| a.subject_pid == b.subject_pid)
        .collect();
    let more = groups.len() > per_page as usize;
    let people = groups
        .into_iter()
        .take(per_page as usize)
        .filter_map(|g| represented(representative.as_str(), g, now, rules))
        .collect();
    Ok((people, more))
}

/// The policy's view of one person's rows: what reading for them rests on.
fn represented(
    representative: &str,
    rows: &[StoredRepresentation],
    now: DateTime<Utc>,
    rules: &Rules,
) -> Option<Represented> {
    let first = rows.first()?;
    let facts: Vec<Representation> = rows.iter().map(policy_representation).collect();
    let Decision::Allow(Basis::Represent { ids, kinds, scopes }) = samlet_access::decide(
        &Facts {
            representations: &facts,
            consents: &[],
        },
        &Request::Represent {
            representative,
            subject: &first.subject_pid,
            action: Action::Read,
        },
        now,
        rules,
    ) else {
        return None;
    };
    let bases = rows
        .iter()
        .filter(|r| ids.contains(&r.id))
        .cloned()
        .collect();
    Some(Represented {
        granted: Granted { ids, kinds, scopes },
        bases,
    })
}

/// The moment a relation registered for a child ends: the day they come of age.
pub fn parental_end(child: &Pid, rules: &Rules) -> Option<DateTime<Utc>> {
    samlet_access::birthday_at(child.birth_date(), rules.parental_until_age)
}
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use samlet_access::Scope;
    use samlet_store::{AgencyRef, BenefitView, CaseView};

    fn case(org: &str, id: &str, service: Option<&str>) -> CaseView {
        CaseView {
            agency: AgencyRef {
                org: org.into(),
                name: org.into(),
            },
            case_id: id.into(),
            title: id.into(),
            status: samlet_domain::CaseStatus::Received,
            open: true,
            service: service.map(str::to_owned),
            url: None,
            opened_at: Utc::now(),
            updated_at: Utc::now(),
            timeline: vec![],
        }
    }

    #[test]
    fn the_overview_is_filtered_by_area_and_service() {
        let o = Overview {
            cases: vec![
                case("nav", "c1", Some("dagpenger")),
                case("skatt", "c2", None),
                case("helse", "c3", Some("fastlege")),
            ],
            benefits: vec![BenefitView {
                agency: AgencyRef {
                    org: "nav".into(),
                    name: "NAV".into(),
                },
                benefit_id: "b".into(),
                name: "b".into(),
                amount: "1".into(),
                amount_minor: 100,
                currency: "NOK".into(),
                next_payment: None,
            }],
            ..Overview::default()
        };
        let areas: HashMap<String, Vec<String>> = [
            ("nav".to_string(), vec!["benefits".to_string()]),
            ("skatt".to_string(), vec!["tax".to_string()]),
        ]
        .into_iter()
        .collect();
        let mut s = ScopeSet::default();
        s.add(&Scope::Area("benefits".into()));
        let f = filter_overview(o.clone(), &s, &areas);
        assert_eq!(f.cases.len(), 1);
        assert_eq!(f.cases[0].case_id, "c1");
        assert_eq!(f.benefits.len(), 1);
        let mut s = ScopeSet::default();
        s.add(&Scope::Service("fastlege".into()));
        let f = filter_overview(o.clone(), &s, &areas);
        assert_eq!(
            f.cases
                .iter()
                .map(|c| c.case_id.as_str())
                .collect::<Vec<_>>(),
            vec!["c3"]
        );
        assert!(f.benefits.is_empty());
        let f = filter_overview(o.clone(), &ScopeSet::default(), &areas);
        assert!(
            f.cases.is_empty() && f.benefits.is_empty(),
            "no scope, nothing"
        );
        let only = only_category(o, "benefits", &["nav".into()]);
        assert!(only.cases.is_empty());
        assert_eq!(only.benefits.len(), 1);
    }

    /// A store on a temporary SQLite file, with its transparency log.
    pub(crate) async fn open_store() -> (
        tempfile::TempDir,
        std::sync::Arc<dyn Store>,
        std::sync::Arc<TransparencyLog>,
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("samlet.db").display());
        let store = samlet_store::connect(&url).await.expect("store");
        let signer = samlet_merkle::SignerKey::generate("samlet.test/log").expect("key");
        let log = TransparencyLog::open(store.clone(), signer)
            .await
            .expect("log");
        (dir, store, log)
    }

    fn pid(birth: (i32, u32, u32), n: u32) -> Pid {
        chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2)
            .and_then(|d| Pid::synthetic(d, n))
            .expect("synthetic pid")
    }

    #[tokio::test]
    async fn a_relative_without_a_mandate_is_denied_and_nothing_is_logged() {
        let (_dir, store, log) = open_store().await;
        let pseudo = Pseudonymizer::new(b"test");
        let (me, mother) = (pid((1985, 3, 1), 100), pid((1950, 6, 2), 200));
        store
            .upsert_person_names(
                &[
                    (me.to_string(), "Kari Nordmann".into()),
                    (mother.to_string(), "Ola Nordmann".into()),
                ],
                Utc::now(),
            )
            .await
            .expect("names");
        let a = ActFor {
            log: &log,
            rules: &Rules::NORWAY,
            pseudo: &pseudo,
            request_id: "r-1",
            representative: &me,
            subject: &mother,
        };
        let today = Utc::now().date_naive();
        let refused = represented_view(store.as_ref(), &a, today, true).await;
        assert!(
            matches!(refused, Err(Error::Denied(DenyReason::NoBasis))),
            "{refused:?}"
        );
        let opened = open_message(store.as_ref(), &a, "974761076", "m1").await;
        assert!(matches!(opened, Err(Error::Denied(_))), "{opened:?}");
        assert_eq!(store.log_size().await.expect("size"), 0, "nothing logged");

        // With a mandate the same view is allowed, and logged once.
        store
            .insert_representation(
                &samlet_store::NewRepresentation {
                    id: "m_1".into(),
                    kind: BasisKind::Mandate,
                    subject_pid: mother.to_string(),
                    representative_pid: me.to_string(),
                    scopes: vec![samlet_access::Scope::All],
                    actions: vec![Action::Read],
                    valid_from: Utc::now() - chrono::Duration::minutes(1),
                    valid_to: None,
                    registered_by: "citizen".into(),
                    reference: None,
                },
                Utc::now(),
            )
            .await
            .expect("mandate");
        let (granted, _, act) = represented_view(store.as_ref(), &a, today, true)
            .await
            .expect("allowed");
        assert_eq!(granted.ids, vec!["m_1".to_owned()]);
        assert!(act.is_none(), "a read-only mandate does not let them act");
        let entries = store
            .log_entries_for(
                mother.as_str(),
                &samlet_store::AccessLogFilter {
                    agency_org: None,
                    from: None,
                    to: None,
                    offset: 0,
                    limit: 10,
                },
            )
            .await
            .expect("entries");
        assert_eq!(entries.len(), 1);
        let e: AccessEntry = serde_json::from_str(&entries[0].body).expect("entry");
        assert_eq!(e.on_behalf_of.as_deref(), Some("Ola Nordmann"));
        assert_eq!(e.accessor.name, "Kari Nordmann");
        assert_eq!(e.legal_basis, "fullmektig (power of attorney) m_1");
        assert_eq!(e.request_id, "r-1");

        // The representative's list shows the mother once, under the mandate.
        let (people, more) =
            represented_page(store.as_ref(), &Rules::NORWAY, &me, "", 1, 20, Utc::now())
                .await
                .expect("list");
        assert!(!more);
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].granted.ids, vec!["m_1".to_owned()]);
        assert_eq!(people[0].bases[0].subject_pid, mother.as_str());
        let (none, _) = represented_page(
            store.as_ref(),
            &Rules::NORWAY,
            &mother,
            "",
            1,
            20,
            Utc::now(),
        )
        .await
        .expect("list");
        assert!(none.is_empty(), "a mandate works one way");
    }
}
