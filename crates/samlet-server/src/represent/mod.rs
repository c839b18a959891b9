//! Representation and consent (see `docs/representation.md`).
//!
//! - [`api`]: the JSON API (mandates, the representative's list and views,
//!   guardianships and parental relations from authorities, consent requests,
//!   the sharing read, the caseworker's support lookup).
//! - [`pages`]: the web UI (give, see and revoke mandates, "acting for",
//!   answer and revoke consents).
//!
//! Every path loads the facts for the pair concerned and asks
//! [`samlet_access::decide`]; a refusal is a problem+json 403 whose `type`
//! ends in the policy's reason code. An allowed read of someone else's data
//! awaits a durable access-log entry (`transparency::log`) before the store
//! is read, and the represented person sees it in `/me/access-log`.

pub mod act;
pub mod api;
pub mod handle;
pub mod log_view;
pub mod pages;

use std::collections::HashMap;

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use samlet_access::{
    Action, Basis, BasisKind, Consent, Decision, DenyReason, Facts, Representation, Request,
    ScopeSet,
};
use samlet_domain::Pid;
use samlet_store::{Overview, OverviewLimits, StoredConsent, StoredRepresentation};

use crate::problem::{ApiError, ApiResult};
use crate::transparency::entry::{AccessEntry, Accessor};
use crate::AppState;

/// Every route of this module (listed in `router.rs` as one merge), the
/// API's with their OpenAPI operations.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use axum::routing::{get, post};
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(api::post_mandate, api::get_mandates))
        .routes(routes!(api::delete_mandate))
        .routes(routes!(api::get_represented))
        .routes(routes!(api::get_represented_overview))
        .routes(routes!(act::post_message_read))
        .routes(routes!(act::get_consent_requests))
        .routes(routes!(act::post_consent_approve))
        .routes(routes!(act::post_consent_decline))
        .routes(routes!(api::post_guardianship))
        .routes(routes!(api::delete_guardianship))
        .routes(routes!(api::post_parental))
        .routes(routes!(api::post_names))
        .routes(routes!(api::post_consent_request))
        .routes(routes!(api::get_consent_requests))
        .routes(routes!(api::approve))
        .routes(routes!(api::decline))
        .routes(routes!(api::delete_consent))
        .routes(routes!(api::get_share))
        .routes(routes!(api::get_support))
        .route(
            "/me/mandates",
            get(pages::mandates_page).post(pages::give_mandate_form),
        )
        .route("/me/mandates/{id}/revoke", post(pages::revoke_mandate_form))
        .route("/me/acting-for", get(pages::acting_for_page))
        .route("/me/acting-for/{handle}", get(pages::represented_page))
        .route(
            "/me/acting-for/{handle}/messages/{org}/{message_id}/open",
            post(pages::open_message_form),
        )
        .route(
            "/me/acting-for/{handle}/consents/{id}/{answer}",
            post(pages::answer_consent_form),
        )
        .route("/me/consents", get(pages::consents_page))
        .route("/me/consents/{id}/{action}", post(pages::consent_form))
}

/// A refusal as problem+json: 403 with the policy's code and sentence.
pub fn denied(reason: &DenyReason) -> ApiError {
    ApiError::denied(reason.clone())
}

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

/// What a representative's view is allowed on.
#[derive(Debug, Clone)]
pub struct Granted {
    pub ids: Vec<String>,
    pub kinds: Vec<BasisKind>,
    pub scopes: ScopeSet,
}

/// Ask the policy whether `representative` may `action` for `subject` now.
pub async fn authorize_representative(
    state: &AppState,
    representative: &Pid,
    subject: &Pid,
    action: Action,
) -> ApiResult<Granted> {
    let req = Request::Represent {
        representative: representative.as_str(),
        subject: subject.as_str(),
        action,
    };
    decide_represent(state, representative, subject, &req).await
}

/// Ask the policy whether `representative` may `action` on one item of
/// `subject`'s: an item of an agency with `item_areas`, or of a service.
pub async fn authorize_item(
    state: &AppState,
    representative: &Pid,
    subject: &Pid,
    action: Action,
    item_areas: &[String],
    item_service: Option<&str>,
) -> ApiResult<Granted> {
    let req = Request::RepresentItem {
        representative: representative.as_str(),
        subject: subject.as_str(),
        action,
        item_areas,
        item_service,
    };
    decide_represent(state, representative, subject, &req).await
}

/// Load the facts for the pair and ask [`samlet_access::decide`].
async fn decide_represent(
    state: &AppState,
    representative: &Pid,
    subject: &Pid,
    req: &Request<'_>,
) -> ApiResult<Granted> {
    let rows = state
        .store
        .representations_between(representative.as_str(), subject.as_str())
        .await?;
    let facts: Vec<Representation> = rows.iter().map(policy_representation).collect();
    match samlet_access::decide(
        &Facts {
            representations: &facts,
            consents: &[],
        },
        req,
        Utc::now(),
        &state.config.representation_rules,
    ) {
        Decision::Allow(Basis::Represent { ids, kinds, scopes }) => {
            Ok(Granted { ids, kinds, scopes })
        }
        Decision::Allow(_) => Err(denied(&DenyReason::NoBasis)),
        Decision::Deny(r) => Err(denied(&r)),
    }
}

/// Which areas each agency's items belong to (organisation number → areas).
pub async fn area_map(state: &AppState) -> ApiResult<HashMap<String, Vec<String>>> {
    Ok(state.store.agency_areas().await?.into_iter().collect())
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
    let in_scope_cases: std::collections::HashSet<(String, String)> = o
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

pub fn request_id(headers: &HeaderMap) -> String {
    crate::middleware::request_id_of(headers)
}

/// Append "X on behalf of Y" to `subject`'s access log and wait until it is
/// durable: every representative's read or act does this before it touches
/// the person's data.
pub async fn log_on_behalf(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
    granted: &Granted,
    categories: &[&str],
    purpose: log_view::Purpose,
) -> ApiResult<u64> {
    let rep_name = state.store.person_name(representative.as_str()).await?;
    let subject_name = state.store.person_name(subject.as_str()).await?;
    let entry = AccessEntry {
        v: 1,
        subject: subject.to_string(),
        accessor: Accessor {
            org: representative.to_string(),
            name: rep_name.unwrap_or_else(|| log_view::PLACEHOLDER.into()),
            system: Some("samlet".into()),
            role: Some(log_view::kind_label(&granted.kinds)),
        },
        // Never the identity number: the name, or the masked number.
        on_behalf_of: Some(subject_name.unwrap_or_else(|| log_view::masked(subject.as_str()))),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        purpose: purpose.logged(),
        legal_basis: format!(
            "{} {}",
            log_view::kind_label(&granted.kinds),
            granted.ids.join(" ")
        ),
        legal_basis_ref: None,
        at: Utc::now(),
        request_id: request_id(headers),
        shared: Vec::new(),
    };
    Ok(state.log.append(entry).await?)
}

/// What a representative who may act sees besides the overview: the scope
/// of acting, the agencies whose items that covers, and the person's
/// pending consent requests within it.
#[derive(Debug, Clone)]
pub struct ActView {
    pub granted: Granted,
    /// Organisation numbers whose items the representative may act on.
    pub orgs: Vec<String>,
    pub consent_requests: Vec<api::ConsentView>,
}

/// A representative's view of `subject`, logged as "X on behalf of Y" and
/// durable before any data is read. Then the overview, within scope.
pub async fn represented_overview(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
) -> ApiResult<(Granted, Overview)> {
    let (granted, o, _) = represented_view(state, headers, representative, subject, false).await?;
    Ok((granted, o))
}

/// The view behind the acting-for page: the overview within scope and, when
/// `with_acting` and a basis allows acting, what the representative may act
/// on (the pending consent requests are then read too, and logged as such).
pub async fn represented_view(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
    with_acting: bool,
) -> ApiResult<(Granted, Overview, Option<ActView>)> {
    let granted = authorize_representative(state, representative, subject, Action::Read).await?;
    // A refusal to act only means no buttons: the view itself is allowed.
    let acting = if with_acting {
        authorize_representative(state, representative, subject, Action::Act)
            .await
            .ok()
    } else {
        None
    };
    let mut categories: Vec<&str> = crate::transparency::http::OVERVIEW_CATEGORIES.to_vec();
    if acting.is_some() {
        categories.push("consents");
    }
    // Durable first: no entry, no data.
    let index = log_on_behalf(
        state,
        headers,
        representative,
        subject,
        &granted,
        &categories,
        log_view::Purpose::View(granted.scopes.labels()),
    )
    .await?;
    tracing::info!(representative = %state.pseudo.of(representative), person = %state.pseudo.of(subject), log_index = index, "represented overview read");
    let o = state
        .store
        .overview(subject.as_str(), OverviewLimits::default())
        .await?
        .with_today(state.config.today());
    let areas = area_map(state).await?;
    let act = match acting {
        None => None,
        Some(g) => {
            let none = Vec::new();
            let covers = |org: &str| g.scopes.covers(areas.get(org).unwrap_or(&none), None);
            let now = Utc::now();
            let consent_requests = state
                .store
                .consents_of_subject(subject.as_str())
                .await?
                .iter()
                .map(|c| api::consent_view(c, now))
                .filter(|c| c.state == "pending" && covers(&c.from_org))
                .collect();
            let orgs = o
                .messages
                .iter()
                .map(|m| m.agency.org.clone())
                .filter(|org| covers(org))
                .collect::<std::collections::BTreeSet<_>>()
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

/// The moment a relation registered for a child ends: the day they come of age.
pub fn parental_end(child: &Pid, state: &AppState) -> Option<DateTime<Utc>> {
    samlet_access::birthday_at(
        child.birth_date(),
        state.config.representation_rules.parental_until_age,
    )
}

#[cfg(test)]
mod tests {
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
}
