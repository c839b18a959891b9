//! Citizen-readable explanations in every language Samlet speaks, rendered from the trace alone so that a
//! stored trace can be re-explained later without the rule files.

use std::fmt::Write;

use crate::eval::{Evaluation, Trace};
use crate::model::RuleKind;
use crate::value::{format_date, format_period, format_value, Lang, Value};

/// The explanation's own words, from the one localisation (`content.ftl`).
struct Words {
    result: &'static str,
    how: &'static str,
    held: &'static str,
    not_held: &'static str,
    per_member: &'static str,
    params: &'static str,
    valid_from: &'static str,
    tables: &'static str,
    gives: &'static str,
    row: &'static str,
    and_more: &'static str,
    data: &'static str,
    from_source: &'static str,
    no_source: &'static str,
    household: &'static str,
    note: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        Words {
            result: lang.t("rules-result"),
            how: lang.t("rules-how"),
            held: lang.t("rules-held"),
            not_held: lang.t("rules-not-held"),
            per_member: lang.t("rules-per-member"),
            params: lang.t("rules-params"),
            valid_from: lang.t("rules-valid-from"),
            tables: lang.t("rules-tables"),
            gives: lang.t("rules-gives"),
            row: lang.t("rules-row"),
            and_more: lang.t("rules-and-more"),
            data: lang.t("rules-data"),
            from_source: lang.t("rules-from-source"),
            no_source: lang.t("rules-no-source"),
            household: lang.t("rules-household"),
            note: lang.t("rules-note"),
        }
    }
}

fn fmt_opt_num(v: &Option<Value>, lang: Lang) -> String {
    match v {
        Some(x) => format_value(x, None, lang),
        None => String::new(),
    }
}

/// Renders a trace as text.
pub fn explain_trace(t: &Trace, lang: Lang) -> String {
    let w = &Words::of(lang);
    let mut out = String::new();
    let hh = if t.household.is_empty() {
        String::new()
    } else {
        format!(" ({} {})", w.household, t.household)
    };
    let _ = writeln!(
        out,
        "{} – {}{}",
        t.ruleset_name.get(lang),
        format_period(&t.period, lang),
        hh
    );
    for o in &t.outputs {
        let _ = writeln!(
            out,
            "{}: {}: {}",
            w.result,
            o.label.get(lang),
            format_value(&o.value, o.ty, lang)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", w.how);
    for (i, r) in t.rules.iter().enumerate() {
        let head = match (&r.value, r.kind) {
            (Some(v), _) => {
                let shown = match (r.kind, v) {
                    (RuleKind::Condition, Value::Bool(b)) => {
                        (if *b { w.held } else { w.not_held }).to_string()
                    }
                    _ => format_value(v, r.ty, lang),
                };
                match &r.explain {
                    Some(tpl) if !tpl.get(lang).is_empty() => {
                        tpl.get(lang).replace("{value}", &shown)
                    }
                    _ => format!("{}: {}", r.label.get(lang), shown),
                }
            }
            (None, _) => format!("{} ({})", r.label.get(lang), w.per_member),
        };
        let _ = writeln!(out, "{:>2}. {} [{}]", i + 1, head, r.reference);
        for mv in &r.member_values {
            let shown = match (r.kind, &mv.value) {
                (RuleKind::Condition, Value::Bool(b)) => {
                    (if *b { w.held } else { w.not_held }).to_string()
                }
                (_, v) => format_value(v, r.ty, lang),
            };
            let _ = writeln!(out, "      - {}: {}", mv.member, shown);
        }
    }
    if !t.parameters.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", w.params);
        for p in &t.parameters {
            let _ = writeln!(
                out,
                "  - {}: {} ({} {}) [{}]",
                p.label.get(lang),
                format_value(&p.value, Some(p.ty), lang),
                w.valid_from,
                format_date(&p.valid_from, lang),
                p.reference
            );
        }
    }
    if !t.tables.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", w.tables);
        for tb in &t.tables {
            let range = match (&tb.row_from, &tb.row_to) {
                (Some(_), Some(_)) => format!(
                    "{}–{}",
                    fmt_opt_num(&tb.row_from, lang),
                    fmt_opt_num(&tb.row_to, lang)
                ),
                (Some(_), None) => format!("{} {}", fmt_opt_num(&tb.row_from, lang), w.and_more),
                (None, Some(_)) => format!("≤ {}", fmt_opt_num(&tb.row_to, lang)),
                (None, None) => "*".to_string(),
            };
            let _ = writeln!(
                out,
                "  - {}: {} {} {} ({} {}) [{}]",
                tb.label.get(lang),
                format_value(&tb.key, None, lang),
                w.gives,
                format_value(&tb.value, Some(tb.ty), lang),
                w.row,
                range,
                tb.reference
            );
        }
    }
    if !t.inputs.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", w.data);
        for i in &t.inputs {
            let src = match &i.source_label {
                Some(l) => format!("{} {}", w.from_source, l.get(lang)),
                None => w.no_source.to_string(),
            };
            let _ = writeln!(out, "  - {} ({}):", i.label.get(lang), src);
            if let Some(v) = &i.value {
                let _ = writeln!(out, "      {}", format_value(v, Some(i.ty), lang));
            }
            for mv in &i.member_values {
                let _ = writeln!(
                    out,
                    "      - {}: {}",
                    mv.member,
                    format_value(&mv.value, Some(i.ty), lang)
                );
            }
        }
    }
    if let Some(n) = &t.note {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}: {}", w.note, n.get(lang).trim());
    }
    out
}

impl Evaluation {
    /// A text a citizen can read: the result, each condition and calculation with its legal
    /// reference, the rates in force, table look-ups and the data used with its source.
    pub fn explanation(&self, lang: Lang) -> String {
        explain_trace(&self.trace, lang)
    }
}
