//! The Fluent bundles, one per language, built once from the embedded files.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::Lang;

include!(concat!(env!("OUT_DIR"), "/sources.rs"));

pub(crate) struct Catalog {
    bundle: FluentBundle<FluentResource>,
    /// Every message that takes no arguments, rendered once: what templates
    /// read as `t.<id>`.
    plain: BTreeMap<String, String>,
}

fn langid(lang: Lang) -> LanguageIdentifier {
    lang.code().parse().unwrap_or_default()
}

/// An empty bundle with Samlet's settings, shared by the embedded catalogue
/// and run-time [`crate::Content`].
pub(crate) fn new_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![langid(lang)]);
    // Pages are HTML and the calendar is text: Unicode isolation marks
    // around arguments would show up as stray characters in both.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(crate::format::format_value));
    bundle
}

/// Adds one `.ftl` source to a bundle and returns the ids of its messages,
/// in file order; parse errors and messages defined twice are pushed to
/// `problems`, prefixed with `name`.
pub(crate) fn add_source(
    bundle: &mut FluentBundle<FluentResource>,
    name: &str,
    src: &str,
    problems: &mut Vec<String>,
) -> Vec<String> {
    let res = match FluentResource::try_new(src.to_owned()) {
        Ok(r) => r,
        Err((r, errs)) => {
            problems.extend(errs.iter().map(|e| format!("{name}: {e:?}")));
            r
        }
    };
    let ids = res
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect();
    if let Err(errs) = bundle.add_resource(res) {
        problems.extend(errs.iter().map(|e| format!("{name}: {e:?}")));
    }
    ids
}

/// Problems found while building a language's bundle: a parse error or a
/// message defined twice. Empty for a shipped build (a test checks).
pub(crate) fn build(lang: Lang) -> (Catalog, Vec<String>) {
    let mut problems = Vec::new();
    let mut bundle = new_bundle(lang);
    let mut ids = Vec::new();
    for (code, file, src) in SOURCES {
        if *code != lang.code() {
            continue;
        }
        ids.extend(add_source(
            &mut bundle,
            &format!("{code}/{file}"),
            src,
            &mut problems,
        ));
    }
    let mut plain = BTreeMap::new();
    for id in ids {
        if let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) {
            let mut errs = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errs);
            if errs.is_empty() {
                plain.insert(id, text.into_owned());
            }
        }
    }
    (Catalog { bundle, plain }, problems)
}

/// The ids of every message in a language's files, in file order, parsed
/// on their own (so a test sees an id defined twice, which a bundle refuses).
#[cfg(test)]
pub(crate) fn message_ids(lang: Lang) -> Vec<String> {
    use fluent_syntax::ast::Entry;
    let mut ids = Vec::new();
    for (code, _, src) in SOURCES {
        if *code != lang.code() {
            continue;
        }
        let res = match fluent_syntax::parser::parse(*src) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        for entry in res.body {
            if let Entry::Message(m) = entry {
                ids.push(m.id.name.to_owned());
            }
        }
    }
    ids
}

static CATALOGS: LazyLock<Vec<Catalog>> =
    LazyLock::new(|| Lang::ALL.iter().map(|l| build(*l).0).collect());

fn catalog(lang: Lang) -> &'static Catalog {
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    &CATALOGS[i]
}

/// Arguments for a message: `Args::new().with("count", 3)`.
pub type Args<'a> = FluentArgs<'a>;

impl Lang {
    /// A message that takes no arguments (use [`Lang::msg`] for those that
    /// do). An id no language has (a code built from data, such as
    /// `area_{scope}` for an unknown scope) gives "", so the caller can show
    /// the raw value instead; the completeness tests make every shipped id
    /// present in every language.
    pub fn t(self, id: &str) -> &'static str {
        match catalog(self).plain.get(id) {
            Some(s) => s.as_str(),
            None => "",
        }
    }

    /// A message to fill in: `lang.msg("unread-count").arg("count", n)`.
    pub fn msg(self, id: &str) -> Msg<'_> {
        Msg {
            lang: self,
            id,
            args: FluentArgs::new(),
        }
    }

    /// A message with its arguments already collected (e.g. from storage).
    pub fn format(self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let c = catalog(self);
        match c.bundle.get_message(id).and_then(|m| m.value()) {
            Some(pattern) => {
                let mut errs = Vec::new();
                c.bundle
                    .format_pattern(pattern, args, &mut errs)
                    .into_owned()
            }
            None => id.to_owned(),
        }
    }

    /// Whether this language has a message with this id.
    pub fn has(self, id: &str) -> bool {
        catalog(self).bundle.has_message(id)
    }

    /// Every message without arguments, rendered: the `t` table templates read.
    pub fn plain_messages(self) -> &'static BTreeMap<String, String> {
        &catalog(self).plain
    }

    /// Forces every bundle to be built (at start, so the first request does
    /// not pay for parsing).
    pub fn load_all() {
        LazyLock::force(&CATALOGS);
    }
}

/// A message being filled in; renders with `to_string()` or `{}`.
pub struct Msg<'a> {
    lang: Lang,
    id: &'a str,
    args: FluentArgs<'a>,
}

impl<'a> Msg<'a> {
    pub fn arg(mut self, name: &'a str, value: impl Into<FluentValue<'a>>) -> Self {
        self.args.set(name, value);
        self
    }

    /// A text argument (owned), for values computed on the spot.
    pub fn text(mut self, name: &'a str, value: impl Into<Cow<'a, str>>) -> Self {
        self.args.set(name, FluentValue::String(value.into()));
        self
    }
}

impl fmt::Display for Msg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let args = if self.args.iter().next().is_some() {
            Some(&self.args)
        } else {
            None
        };
        f.write_str(&self.lang.format(self.id, args))
    }
}
