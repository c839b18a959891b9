//! Proactive offers: the offer rows an event or a rule change makes, and the re-run
//! that evaluates a changed rule set again for every household Samlet holds.
//!
//! The re-run reads only what events delivered (the `household_facts` the store keeps per
//! person) and writes offers to those persons; it shows nobody any person's data (it reports
//! counts), so it needs no access-log entry.

use std::collections::BTreeMap;

use samlet_journeys::{Catalogue, OfferSpec, OfferUnit, Offered};
use samlet_rules::{Decimal, Household, Period, RuleSet};
use samlet_store::{JourneyStore, NewOffer};
use serde::Serialize;

use crate::rules::RuleSets;

/// The offers an event makes (`offers.yaml`): for every person of the event (pid, relation) and
/// every offer their relation and the event kind trigger, the offer's rule set is evaluated with
/// the household the event carries. Without a household nothing is guessed and no offer is made.
pub(crate) fn for_event(
    catalogue: &Catalogue,
    rules: &RuleSets,
    e: &super::Event,
    persons: &[(String, String)],
) -> Vec<NewOffer> {
    let Some(h) = &e.household else {
        return Vec::new();
    };
    let Ok(h) = serde_json::from_value::<Household>(h.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (pid, relation) in persons {
        for spec in catalogue.offers_triggered_by(&e.kind, relation) {
            let (Some(rs), Some(period)) = (rules.get(&spec.ruleset), spec.period_for(e.date))
            else {
                continue;
            };
            if let Some(o) = spec.evaluate(rs, &h, period) {
                out.push(new_offer(spec, pid, o, "event"));
            }
        }
    }
    out
}

/// The offer row for `pid` from an evaluation; `reason` is `event` or `rule-change`.
pub fn new_offer(spec: &OfferSpec, pid: &str, o: Offered, reason: &str) -> NewOffer {
    NewOffer {
        pid: pid.to_owned(),
        ruleset: spec.ruleset.clone(),
        period: o.period.to_string(),
        amount: o.amount.to_string(),
        explanation_nb: o.explanation_nb,
        explanation_en: o.explanation_en,
        apply_url: Some(spec.apply.clone()),
        // The store keeps offers in bokmål and English only; nynorsk and Danish readers need
        // the store to keep a message id instead.
        title_nb: spec.title.get(samlet_i18n::Lang::Nb).to_owned(),
        title_en: spec.title.get(samlet_i18n::Lang::En).to_owned(),
        unit: spec.unit.as_str().to_owned(),
        reason: reason.to_owned(),
    }
}

/// Why a re-run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RerunError {
    #[error("no offer in offers.yaml uses rule set `{0}`")]
    NoOffer(String),
    #[error(transparent)]
    Store(#[from] samlet_store::StoreError),
}

/// What a re-run did.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct RerunReport {
    pub ruleset: String,
    pub period: String,
    /// Persons whose stored household was evaluated.
    pub evaluated: usize,
    /// Persons now entitled, or entitled to more than their newest offer.
    pub entitled: usize,
    /// Offers stored now (the rest existed from an earlier run: no duplicates).
    pub new_offers: usize,
}

/// Evaluates `rs` (the changed rule set) for `period` for every person an event delivered a
/// household for, and offers the benefit to those who have become entitled or entitled to more
/// than their newest earlier offer, saying that the rules changed. Offers paid `once` are
/// evaluated for the event's own month and made only to persons without an earlier offer.
/// Running it again makes no duplicates. `progress(done, total)` is called as it goes.
pub async fn rerun<S: JourneyStore + ?Sized>(
    store: &S,
    catalogue: &Catalogue,
    rs: &RuleSet,
    period: Period,
    mut progress: impl FnMut(usize, usize),
) -> Result<RerunReport, RerunError> {
    let specs: Vec<&OfferSpec> = catalogue
        .offers
        .iter()
        .filter(|o| o.ruleset == rs.id())
        .collect();
    if specs.is_empty() {
        return Err(RerunError::NoOffer(rs.id().to_owned()));
    }
    let mut kinds: Vec<String> = specs.iter().flat_map(|s| s.triggers.clone()).collect();
    kinds.sort();
    kinds.dedup();
    let households = store.household_facts(&kinds).await?;
    // Each person's newest earlier offer of this rule set: (period, amount).
    let mut before: BTreeMap<String, (String, Decimal)> = BTreeMap::new();
    for o in store.offers_for_ruleset(rs.id()).await? {
        let Ok(amount) = o.offer.amount.parse::<Decimal>() else {
            continue;
        };
        let e = before
            .entry(o.offer.pid)
            .or_insert((o.offer.period.clone(), amount));
        if o.offer.period >= e.0 {
            *e = (o.offer.period, amount);
        }
    }
    let mut report = RerunReport {
        ruleset: rs.id().to_owned(),
        period: period.to_string(),
        ..Default::default()
    };
    let total = households.len();
    let mut offers = Vec::new();
    for (i, h) in households.iter().enumerate() {
        progress(i, total);
        let Ok(household) = serde_json::from_str::<Household>(&h.household_json) else {
            continue;
        };
        let applicable = specs
            .iter()
            .filter(|s| s.triggers.contains(&h.kind) && s.for_relations.contains(&h.relation));
        for spec in applicable {
            let (p, once) = match spec.unit {
                OfferUnit::Month => (period, false),
                OfferUnit::Once => match spec.period_for(h.event_date) {
                    Some(p) => (p, true),
                    None => continue,
                },
            };
            report.evaluated += 1;
            let Some(o) = spec.evaluate(rs, &household, p) else {
                continue;
            };
            let more = match before.get(&h.pid) {
                None => true,
                Some(_) if once => false,
                Some((prev_period, prev)) => *prev_period < p.to_string() && o.amount > *prev,
            };
            if more {
                report.entitled += 1;
                offers.push(new_offer(
                    spec,
                    &h.pid,
                    o.because_rules_changed(),
                    "rule-change",
                ));
            }
        }
    }
    progress(total, total);
    report.new_offers = store.insert_offers(&offers).await?;
    Ok(report)
}

/// The person's offers, newest first.
pub async fn offers_of<S: JourneyStore + ?Sized>(
    store: &S,
    pid: &samlet_domain::Pid,
) -> Result<Vec<samlet_store::StoredOffer>, super::Error> {
    Ok(store.offers_for(pid.as_str()).await?)
}
