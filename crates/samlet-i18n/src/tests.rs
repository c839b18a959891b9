use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeZone};

use crate::catalog::{build, message_ids, SOURCES};
use crate::Lang;

/// Each message's id and the `$variables` it uses, per language.
fn variables(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    fn walk_inline(e: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match e {
            InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            InlineExpression::Placeable { expression } => walk_expr(expression, out),
            _ => {}
        }
    }
    fn walk_expr(e: &Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            Expression::Select { selector, variants } => {
                walk_inline(selector, out);
                for v in variants {
                    walk_pattern(&v.value, out);
                }
            }
            Expression::Inline(i) => walk_inline(i, out),
        }
    }
    fn walk_pattern(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let PatternElement::Placeable { expression } = el {
                walk_expr(expression, out);
            }
        }
    }
    let mut all = BTreeMap::new();
    for (code, _, src) in SOURCES {
        if *code != lang.code() {
            continue;
        }
        let res = fluent_syntax::parser::parse(*src).unwrap_or_else(|(r, _)| r);
        for entry in &res.body {
            if let Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    walk_pattern(p, &mut vars);
                }
                for a in &m.attributes {
                    walk_pattern(&a.value, &mut vars);
                }
                all.insert(m.id.name.to_owned(), vars);
            }
        }
    }
    all
}

#[test]
fn every_file_parses_and_no_message_is_defined_twice() {
    for lang in Lang::ALL {
        let (_, problems) = build(lang);
        assert!(problems.is_empty(), "{lang}: {problems:#?}");
        let ids = message_ids(lang);
        let unique: BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{lang}: an id is defined twice");
    }
}

/// No page falls back to another language: every language has exactly
/// bokmål's messages, each using the same arguments.
#[test]
fn every_language_has_every_message_with_the_same_arguments() {
    let nb = variables(Lang::Nb);
    assert!(nb.len() > 300, "bokmål has {} messages", nb.len());
    for lang in Lang::ALL {
        let other = variables(lang);
        let missing: Vec<_> = nb.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !nb.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang} has messages bokmål lacks: {extra:?}"
        );
        for (id, vars) in &nb {
            assert_eq!(
                Some(vars),
                other.get(id),
                "{lang}: {id} takes other arguments than in bokmål"
            );
        }
    }
}

#[test]
fn every_locale_directory_is_a_language_and_every_language_has_one() {
    let dirs: BTreeSet<&str> = SOURCES.iter().map(|(c, _, _)| *c).collect();
    for d in &dirs {
        assert!(
            Lang::parse(d).is_some_and(|l| l.code() == *d),
            "locales/{d} has no Lang"
        );
    }
    for l in Lang::ALL {
        assert!(dirs.contains(l.code()), "no locales/{l}");
    }
}

#[test]
fn a_missing_id_shows_itself_not_another_language() {
    assert_eq!(Lang::Nn.t("no-such-message"), "");
    assert_eq!(
        Lang::Nn.msg("no-such-message").to_string(),
        "no-such-message"
    );
    assert!(!Lang::Nn.has("no-such-message"));
}

#[test]
fn numbers_dates_and_money_as_people_write_them() {
    let d = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    assert_eq!(Lang::Nb.date(d), "1. mars 2026");
    assert_eq!(Lang::Nn.date(d), "1. mars 2026");
    assert_eq!(Lang::En.date(d), "1 March 2026");
    assert_eq!(Lang::Da.date(d), "1. marts 2026");
    assert_eq!(Lang::En.date_short(d), "1/3/2026");
    assert_eq!(Lang::Da.date_short(d), "1.3.2026");
    assert_eq!(Lang::Nb.money("1766.00", "NOK"), "1\u{a0}766,00\u{a0}kr");
    assert_eq!(Lang::Da.money("1766.00", "DKK"), "1.766,00\u{a0}kr.");
    assert_eq!(Lang::En.money("1234567.50", "NOK"), "NOK\u{a0}1,234,567.50");
    assert_eq!(Lang::Nb.money("-20.00", "NOK"), "−20,00\u{a0}kr");
    assert_eq!(Lang::Nb.integer(1_234_567), "1\u{a0}234\u{a0}567");
    assert_eq!(Lang::En.integer(999), "999");
    let t = chrono::Utc
        .with_ymd_and_hms(2026, 3, 1, 14, 5, 0)
        .single()
        .expect("time");
    assert_eq!(Lang::Nb.date_time(&t), "1. mars 2026 kl. 14.05");
    assert_eq!(Lang::En.date_time(&t), "1 March 2026, 14:05");
}

/// North Sámi is next: Fluent's plural data already has its `two`
/// category, so its translators can write three-way plurals.
#[test]
fn north_sami_plurals_are_ready_for_its_translators() {
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
    let res = FluentResource::try_new(
        "n = { $n ->\n    [one] okta\n    [two] guokte\n   *[other] eanet\n}\n".to_owned(),
    )
    .expect("parse");
    let langid: unic_langid::LanguageIdentifier = "se".parse().expect("se");
    let mut b = FluentBundle::new(vec![langid]);
    b.add_resource(res).expect("add");
    let say = |n: i64| {
        let mut args = FluentArgs::new();
        args.set("n", n);
        let p = b.get_message("n").and_then(|m| m.value()).expect("n");
        b.format_pattern(p, Some(&args), &mut vec![]).into_owned()
    };
    assert_eq!(
        (say(1), say(2), say(5)),
        ("okta".into(), "guokte".into(), "eanet".into())
    );
}
