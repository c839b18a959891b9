//! Proactive offers: the offer rows an event or a rule change makes, and the re-run
//! that evaluates a changed rule set again for every household Samlet holds.
//!
//! The re-run reads only what events delivered (the `household_facts` the store keeps per
//! person) and writes offers to those persons; it shows nobody any person's data (it reports
//! counts), so it needs no access-log entry.
//!
//! An offer keeps what it says as message ids with arguments ([`StoredText`]), rendered in the
//! reader's language when read ([`render`]): the title is the offer's message in the content
//! catalogue (offers.yaml's `title`), the explanation the evaluation's trace, which the rules
//! crate explains in every language.

use std::collections::BTreeMap;

use samlet_journeys::{offer_explanation, Catalogue, OfferSpec, OfferUnit, Offered};
use samlet_rules::{Decimal, Household, Lang, Period, RuleSet, Trace};
use samlet_store::{JourneyStore, NewOffer, StoredText};
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
) -> Result<Vec<NewOffer>, super::Error> {
    let Some(h) = &e.household else {
        return Ok(Vec::new());
    };
    let Ok(h) = serde_json::from_value::<Household>(h.clone()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (pid, relation) in persons {
        for spec in catalogue.offers_triggered_by(&e.kind, relation) {
            let (Some(rs), Some(period)) = (rules.get(&spec.ruleset), spec.period_for(e.date))
            else {
                continue;
            };
            if let Some(o) = spec.evaluate(rs, &h, period) {
                out.push(new_offer(spec, pid, o, "event").map_err(super::Error::corrupt)?);
            }
        }
    }
    Ok(out)
}

/// The explanation's message: the rule set's explanation of the trace (argument `trace`).
pub const EXPLANATION: &str = "rules-explanation";
/// The explanation's message when the rules changed: `offer-rules-changed` (argument `date`)
/// followed by the rule set's explanation of the trace (argument `trace`).
pub const RULES_CHANGED: &str = "offer-rules-changed";
/// A text kept as it was written before offers were stored as messages: arguments `nb` and
/// `en`; English readers read `en`, everyone else `nb`.
pub const STORED_TEXT: &str = "stored-text";

/// The offer row for `pid` from an evaluation; `reason` is `event` or `rule-change`.
pub fn new_offer(
    spec: &OfferSpec,
    pid: &str,
    o: Offered,
    reason: &str,
) -> Result<NewOffer, serde_json::Error> {
    let trace = serde_json::to_value(&o.trace)?;
    let explanation = if o.rules_changed {
        StoredText {
            id: RULES_CHANGED.to_owned(),
            args_json: serde_json::json!({"date": o.rules_from, "trace": trace}).to_string(),
        }
    } else {
        StoredText {
            id: EXPLANATION.to_owned(),
            args_json: serde_json::json!({ "trace": trace }).to_string(),
        }
    };
    Ok(NewOffer {
        pid: pid.to_owned(),
        ruleset: spec.ruleset.clone(),
        period: o.period.to_string(),
        amount: o.amount.to_string(),
        apply_url: Some(spec.apply.clone()),
        title: StoredText {
            id: spec.title.id.clone(),
            args_json: "{}".to_owned(),
        },
        explanation,
        unit: spec.unit.as_str().to_owned(),
        reason: reason.to_owned(),
    })
}

/// A stored text in `lang`. A title whose offer the catalogue no longer has shows its message
/// id; an explanation whose trace does not read back shows nothing (and is logged).
pub fn render(catalogue: &Catalogue, text: &StoredText, lang: Lang) -> String {
    let args: serde_json::Value = serde_json::from_str(&text.args_json).unwrap_or_default();
    let arg = |name: &str| args.get(name).cloned().unwrap_or_default();
    match text.id.as_str() {
        EXPLANATION | RULES_CHANGED => {
            let rules_from = match text.id.as_str() {
                RULES_CHANGED => serde_json::from_value(arg("date")).ok(),
                _ => None,
            };
            match Trace::from_value(arg("trace")) {
                Ok(trace) => offer_explanation(&trace, rules_from, lang),
                Err(e) => {
                    tracing::error!(error = %e, "an offer's stored trace does not read back");
                    String::new()
                }
            }
        }
        STORED_TEXT => {
            let key = if lang == Lang::En { "en" } else { "nb" };
            arg(key).as_str().unwrap_or_default().to_owned()
        }
        id => catalogue
            .offers
            .iter()
            .find(|o| o.title.id == id)
            .map_or_else(|| id.to_owned(), |o| o.title.get(lang).to_owned()),
    }
}

/// Why a re-run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RerunError {
    #[error("no offer in offers.yaml uses rule set `{0}`")]
    NoOffer(String),
    #[error("an offer's trace: {0}")]
    Trace(#[from] serde_json::Error),
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
                )?);
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

#[cfg(test)]
mod tests {
    use samlet_domain::PidPolicy;
    use samlet_store::JourneyStore;

    use super::*;
    use crate::journeys::tests::{born, date, fixture};
    use crate::journeys::{record_event, Event, Related};

    fn birth(parent: &samlet_domain::Pid) -> Event {
        Event {
            event_id: "birth-1".into(),
            pid: born(2026, 10, 1).to_string(),
            kind: "birth".into(),
            date: date("2026-10-01"),
            related: vec![Related {
                pid: parent.to_string(),
                relation: "parent".into(),
                facts: Default::default(),
            }],
            facts: Default::default(),
            household: Some(serde_json::json!({"members": [
                {"id": "Kari", "role": "parent", "birth_date": "1988-04-12", "annual_income": 560000},
                {"id": "baby", "role": "child", "birth_date": "2026-10-01", "annual_income": 0}
            ]})),
        }
    }

    #[tokio::test]
    async fn an_offer_reads_in_every_language_and_a_rule_change_says_so() {
        let f = fixture().await;
        let kari = born(1988, 4, 12);
        let r = record_event(
            &f.store,
            &f.catalogue,
            &f.rules,
            PidPolicy::TEST,
            f.agency,
            birth(&kari),
        )
        .await
        .expect("recorded");
        assert_eq!(r.offers, 1);
        let offers = offers_of(&f.store, &kari).await.expect("offers");
        let o = &offers[0].offer;
        assert_eq!(o.title.id, "offer-child-benefit-after-birth-title");
        assert_eq!(o.explanation.id, EXPLANATION);
        let title = |lang| render(&f.catalogue, &o.title, lang);
        assert_eq!(
            [
                title(Lang::Nb),
                title(Lang::Nn),
                title(Lang::En),
                title(Lang::Da)
            ],
            ["barnetrygd", "barnetrygd", "child benefit", "børnetilskud"]
        );
        let why = |lang| render(&f.catalogue, &o.explanation, lang);
        assert!(
            why(Lang::Nb).contains("Slik er resultatet kommet fram til"),
            "{}",
            why(Lang::Nb)
        );
        assert!(
            why(Lang::Nn).contains("Slik er resultatet kome fram til"),
            "{}",
            why(Lang::Nn)
        );
        assert!(
            why(Lang::Da).contains("Sådan er resultatet nået"),
            "{}",
            why(Lang::Da)
        );
        assert!(
            why(Lang::En).contains("barnetrygdloven"),
            "{}",
            why(Lang::En)
        );

        // New rates from 2027: Kari is entitled to more, once.
        let changed = samlet_rules::load_rule_set(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../samlet-rules/examples/rule-change/child-benefit"
        ))
        .expect("changed rule set");
        let jan = Period::parse("2027-01").expect("period");
        let mut calls = 0;
        let report = rerun(&f.store, &f.catalogue, &changed, jan, |_, _| calls += 1)
            .await
            .expect("rerun");
        assert!(calls >= 2, "progress is reported");
        assert_eq!(
            (report.evaluated, report.entitled, report.new_offers),
            (1, 1, 1)
        );
        let again = rerun(&f.store, &f.catalogue, &changed, jan, |_, _| {})
            .await
            .expect("rerun again");
        assert_eq!((again.entitled, again.new_offers), (0, 0));
        let all = f
            .store
            .offers_for_ruleset("child-benefit")
            .await
            .expect("offers");
        let new = all
            .iter()
            .find(|o| o.offer.reason == "rule-change")
            .expect("the rule-change offer");
        assert_eq!(
            (new.offer.period.as_str(), new.offer.amount.as_str()),
            ("2027-01", "1968")
        );
        assert_eq!(new.offer.explanation.id, RULES_CHANGED);
        let why = |lang| render(&f.catalogue, &new.offer.explanation, lang);
        assert!(
            why(Lang::Nb).starts_with("Fordi reglene ble endret fra 1. januar 2027"),
            "{}",
            why(Lang::Nb)
        );
        assert!(
            why(Lang::Nn).starts_with("Fordi reglane vart endra frå 1. januar 2027"),
            "{}",
            why(Lang::Nn)
        );
        assert!(
            why(Lang::En).starts_with("Because the rules changed from 1 January 2027"),
            "{}",
            why(Lang::En)
        );

        let grant = samlet_rules::shipped_rule_sets()
            .expect("rule sets")
            .into_iter()
            .find(|r| r.id() == "funeral-grant")
            .expect("funeral grant");
        assert!(rerun(&f.store, &f.catalogue, &grant, jan, |_, _| {})
            .await
            .is_ok());
        let none = samlet_rules::shipped_rule_sets()
            .expect("rule sets")
            .into_iter()
            .find(|r| f.catalogue.offers.iter().all(|o| o.ruleset != r.id()));
        if let Some(rs) = none {
            let e = rerun(&f.store, &f.catalogue, &rs, jan, |_, _| {})
                .await
                .unwrap_err();
            assert!(matches!(e, RerunError::NoOffer(_)), "{e}");
        }
    }

    #[test]
    fn texts_from_before_messages_read_as_they_did() {
        let catalogue = samlet_journeys::shipped_catalogue().expect("catalogue");
        let old = StoredText {
            id: STORED_TEXT.into(),
            args_json: r#"{"nb": "bostøtte", "en": "housing aid"}"#.into(),
        };
        let read = |lang| render(&catalogue, &old, lang);
        assert_eq!(
            [
                read(Lang::Nb),
                read(Lang::Nn),
                read(Lang::En),
                read(Lang::Da)
            ],
            ["bostøtte", "bostøtte", "housing aid", "bostøtte"]
        );
        let gone = StoredText {
            id: "offer-no-longer-shipped-title".into(),
            args_json: "{}".into(),
        };
        assert_eq!(
            render(&catalogue, &gone, Lang::Nn),
            "offer-no-longer-shipped-title"
        );
    }
}
