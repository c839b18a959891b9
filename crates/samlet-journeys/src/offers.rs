//! Proactive offers as data (`offers.yaml`): which event kinds make whom likely entitled to which
//! rule set's output, for which period, from which agency and where to apply.
//!
//! An offer is made when the rule set, evaluated with the household an event carried, gives an
//! amount above zero. The same households are evaluated again when a rule set changes
//! (`samlet offers rerun`); then the explanation starts with the date the rules changed.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use samlet_rules::yaml::{Node, Reader, Source};
use samlet_rules::{
    explain_trace, Decimal, ErrorKind, Household, Lang, LoadError, Period, RuleSet, Trace,
};
use serde::Serialize;

use crate::{strings, Agency, CatalogueError, Messages, Text};

/// Which month an event's offer is evaluated for.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum OfferPeriod {
    /// The month the event happened in (a funeral grant).
    EventMonth,
    /// The month after the event (child benefit runs from the month after the birth).
    MonthAfterEvent,
}

/// Whether the amount is paid every month or once.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OfferUnit {
    Month,
    Once,
}

impl OfferUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferUnit::Month => "month",
            OfferUnit::Once => "once",
        }
    }
}

/// One entry of `offers.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct OfferSpec {
    pub id: String,
    /// The rule set evaluated (an id the server has loaded).
    pub ruleset: String,
    /// The rule whose value is the amount offered.
    pub output: String,
    /// Event kinds that make the offer.
    pub triggers: Vec<String>,
    /// To whom, relative to the person of the event.
    pub for_relations: Vec<String>,
    pub period: OfferPeriod,
    pub unit: OfferUnit,
    /// What is offered, as it reads after "you may be entitled to".
    pub title: Text,
    pub agency: Agency,
    /// Where to apply (https).
    pub apply: String,
    pub reference: Option<String>,
}

/// An offer worked out for one household.
#[derive(Debug, Clone)]
pub struct Offered {
    pub period: Period,
    pub amount: Decimal,
    /// The evaluation's trace: the explanation in any language is rendered from it.
    pub trace: Trace,
    /// The newest date from which a rate or limit used applies: "the rules changed from …".
    pub rules_from: NaiveDate,
    /// Offered because the rules changed: the explanation starts by saying so.
    pub rules_changed: bool,
}

impl OfferSpec {
    /// The month to evaluate for an event on `date`.
    pub fn period_for(&self, date: NaiveDate) -> Option<Period> {
        let (y, m) = match self.period {
            OfferPeriod::EventMonth => (date.year(), date.month()),
            OfferPeriod::MonthAfterEvent if date.month() == 12 => (date.year() + 1, 1),
            OfferPeriod::MonthAfterEvent => (date.year(), date.month() + 1),
        };
        Period::month(y, m)
    }

    /// Evaluates the rule set for the household; `None` when it gives nothing (or cannot be
    /// evaluated with the data the household has: nothing is guessed).
    pub fn evaluate(&self, rs: &RuleSet, h: &Household, period: Period) -> Option<Offered> {
        let ev = rs.evaluate_rules(h, period, &[self.output.as_str()]).ok()?;
        let amount = ev
            .get(&self.output)
            .and_then(|v| v.as_number())
            .filter(|d| d.is_sign_positive() && !d.is_zero())?
            .normalize();
        let rules_from = ev
            .trace
            .parameters
            .iter()
            .map(|p| p.valid_from)
            .max()
            .unwrap_or(period.start);
        Some(Offered {
            period,
            amount,
            trace: ev.trace,
            rules_from,
            rules_changed: false,
        })
    }
}

impl Offered {
    /// Starts the explanation with why the offer comes now: the rules changed.
    pub fn because_rules_changed(mut self) -> Self {
        self.rules_changed = true;
        self
    }

    /// Why the offer is made, in `lang`: the rule set's explanation, after the date the rules
    /// changed when that is why.
    pub fn explanation(&self, lang: Lang) -> String {
        offer_explanation(
            &self.trace,
            self.rules_changed.then_some(self.rules_from),
            lang,
        )
    }
}

/// An offer's explanation in `lang` from the evaluation's trace; `rules_from` when the offer
/// comes because the rules changed from that date.
pub fn offer_explanation(trace: &Trace, rules_from: Option<NaiveDate>, lang: Lang) -> String {
    let why = explain_trace(trace, lang);
    match rules_from {
        Some(date) => format!(
            "{}\n\n{why}",
            lang.msg("offer-rules-changed")
                .text("date", lang.date(date))
        ),
        None => why,
    }
}

const OFFER_KEYS: &[&str] = &[
    "id",
    "ruleset",
    "output",
    "triggers",
    "for",
    "period",
    "unit",
    "title",
    "agency",
    "apply",
    "reference",
];

/// Parses `offers.yaml`; agencies must be known. Rule sets are checked by [`check_offers`].
pub(crate) fn load_offers(
    src: &Source,
    agencies: &BTreeMap<String, Agency>,
    msgs: &mut Messages,
) -> Result<Vec<OfferSpec>, CatalogueError> {
    let r = Reader { src };
    let Some(root) = src.parse()? else {
        return Ok(Vec::new());
    };
    let top = r.fields(&root, "offers.yaml", &["offers"], &["offers"])?;
    let mut out: Vec<OfferSpec> = Vec::new();
    for n in r.seq(top.get("offers").unwrap_or(&root), "`offers`")? {
        let f = r.fields(
            n,
            "an offer",
            OFFER_KEYS,
            &[
                "id", "ruleset", "output", "triggers", "period", "unit", "title", "agency", "apply",
            ],
        )?;
        let get = |k: &str| f.get(k).unwrap_or(n);
        let s = |k: &str| -> Result<String, LoadError> { Ok(r.str(get(k), k)?.to_owned()) };
        let id = s("id")?;
        if out.iter().any(|o| o.id == id) {
            return Err(r
                .err(
                    get("id"),
                    ErrorKind::Duplicate,
                    format!("offer `{id}` appears twice"),
                )
                .into());
        }
        let value_err = |node: &Node, msg: String| r.err(node, ErrorKind::Value, msg);
        let period = match r.str(get("period"), "`period`")? {
            "event-month" => OfferPeriod::EventMonth,
            "month-after-event" => OfferPeriod::MonthAfterEvent,
            other => {
                return Err(value_err(
                    get("period"),
                    format!("`period` is `event-month` or `month-after-event`, found `{other}`"),
                )
                .into())
            }
        };
        let unit = match r.str(get("unit"), "`unit`")? {
            "month" => OfferUnit::Month,
            "once" => OfferUnit::Once,
            other => {
                return Err(value_err(
                    get("unit"),
                    format!("`unit` is `month` or `once`, found `{other}`"),
                )
                .into())
            }
        };
        let agency_key = s("agency")?;
        let agency = agencies.get(&agency_key).cloned().ok_or_else(|| {
            r.err(
                get("agency"),
                ErrorKind::UnknownName,
                format!("unknown agency `{agency_key}` in offer `{id}`"),
            )
        })?;
        let apply = s("apply")?;
        if !apply.starts_with("https://") {
            return Err(value_err(
                get("apply"),
                format!("`apply` in offer `{id}` must be an https:// address, found `{apply}`"),
            )
            .into());
        }
        let for_relations = match f.get("for") {
            Some(n) => strings(&r, n, "`for`")?
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            None => vec!["self".to_owned()],
        };
        out.push(OfferSpec {
            ruleset: s("ruleset")?,
            output: s("output")?,
            triggers: strings(&r, get("triggers"), "`triggers`")?
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            for_relations,
            period,
            unit,
            title: msgs.text(&r, get("title"), "`title`")?,
            agency,
            apply,
            reference: f
                .get("reference")
                .map(|n| r.str(n, "`reference`").map(str::to_owned))
                .transpose()?,
            id,
        });
    }
    Ok(out)
}

/// Checks every offer against the rule sets that are loaded: the rule set exists and has the
/// output rule. Returns one message per problem.
pub fn check_offers<'a>(
    offers: &[OfferSpec],
    ruleset: impl Fn(&str) -> Option<&'a RuleSet>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for o in offers {
        match ruleset(&o.ruleset) {
            None => problems.push(format!(
                "offers.yaml: offer `{}` uses rule set `{}`, which is not loaded",
                o.id, o.ruleset
            )),
            Some(rs) if !rs.rule_names().contains(&o.output.as_str()) => problems.push(format!(
                "offers.yaml: offer `{}`: rule set `{}` has no rule `{}`",
                o.id, o.ruleset, o.output
            )),
            Some(_) => {}
        }
    }
    problems
}
