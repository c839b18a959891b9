//! Messages that come with content loaded at run time: rule sets and
//! journeys, which agencies may write and load from their own directory, each
//! carry `locales/<lang>/*.ftl` files beside their YAML. Bundles are built
//! with the same settings and number formatting as the embedded catalogue.

use std::collections::BTreeMap;
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::catalog::{add_source, new_bundle};
use crate::Lang;

/// A content catalogue: one Fluent bundle per [`Lang`], built from
/// `(language, file name, ftl source)` triples.
pub struct Content {
    bundles: Vec<FluentBundle<FluentResource>>,
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Content").finish_non_exhaustive()
    }
}

impl Default for Content {
    fn default() -> Self {
        Content {
            bundles: Lang::ALL.iter().map(|l| new_bundle(*l)).collect(),
        }
    }
}

/// Content messages that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// A file that does not parse, or a message defined twice.
    #[error("{}", .0.join("; "))]
    Syntax(Vec<String>),
    /// Messages the content refers to that some languages lack: each id with
    /// the languages it is missing in.
    #[error("{}", missing_text(.0))]
    Missing(Vec<(String, Vec<Lang>)>),
}

fn missing_text(m: &[(String, Vec<Lang>)]) -> String {
    let items: Vec<String> = m
        .iter()
        .map(|(id, langs)| {
            let codes: Vec<&str> = langs.iter().map(|l| l.code()).collect();
            format!("`{id}` in {}", codes.join(", "))
        })
        .collect();
    format!(
        "missing translations (add them to locales/<lang>/*.ftl): {}",
        items.join("; ")
    )
}

impl Content {
    /// Builds the bundles; every problem in every file is reported at once.
    pub fn new<I, F, S>(sources: I) -> Result<Content, ContentError>
    where
        I: IntoIterator<Item = (Lang, F, S)>,
        F: AsRef<str>,
        S: AsRef<str>,
    {
        let mut content = Content::default();
        let mut problems = Vec::new();
        for (lang, file, src) in sources {
            let name = format!("{}/{}", lang.code(), file.as_ref());
            add_source(content.bundle_mut(lang), &name, src.as_ref(), &mut problems);
        }
        if problems.is_empty() {
            Ok(content)
        } else {
            Err(ContentError::Syntax(problems))
        }
    }

    fn index(lang: Lang) -> usize {
        Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
    }

    fn bundle_mut(&mut self, lang: Lang) -> &mut FluentBundle<FluentResource> {
        &mut self.bundles[Self::index(lang)]
    }

    /// Whether `lang` has a message `id`.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundles[Self::index(lang)].has_message(id)
    }

    /// The message in `lang`, with its arguments; `None` if there is none
    /// (after [`Content::check`] every referenced id is there).
    pub fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let bundle = &self.bundles[Self::index(lang)];
        let pattern = bundle.get_message(id)?.value()?;
        let mut errs = Vec::new();
        Some(bundle.format_pattern(pattern, args, &mut errs).into_owned())
    }

    /// Checks that every id is a message in every language.
    pub fn check<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<(), ContentError> {
        let mut missing: BTreeMap<String, Vec<Lang>> = BTreeMap::new();
        for id in ids {
            for lang in Lang::ALL {
                if !self.has(lang, id) {
                    let langs = missing.entry(id.to_owned()).or_default();
                    if !langs.contains(&lang) {
                        langs.push(lang);
                    }
                }
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ContentError::Missing(missing.into_iter().collect()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &str) -> Vec<(Lang, &'static str, String)> {
        Lang::ALL
            .iter()
            .map(|l| (*l, "c.ftl", format!("{src}\nlang = {}\n", l.code())))
            .collect()
    }

    #[test]
    fn formats_in_each_language_with_the_locale_numbers() {
        let c = Content::new(all("amount = { $n } kr")).unwrap();
        let mut args = FluentArgs::new();
        args.set("n", 1766.5);
        assert_eq!(
            c.format(Lang::Nn, "amount", Some(&args)).unwrap(),
            "1\u{a0}766,5 kr"
        );
        assert_eq!(
            c.format(Lang::Da, "amount", Some(&args)).unwrap(),
            "1.766,5 kr"
        );
        assert_eq!(c.format(Lang::Da, "lang", None).unwrap(), "da");
        assert_eq!(c.format(Lang::En, "nothing", None), None);
    }

    #[test]
    fn missing_messages_are_named_with_their_languages() {
        let c = Content::new([
            (Lang::Nb, "a.ftl", "t = A\nu = U"),
            (Lang::Nn, "a.ftl", "t = A"),
            (Lang::En, "a.ftl", "t = A"),
        ])
        .unwrap();
        let e = c.check(["t", "u"]).unwrap_err();
        assert_eq!(
            e,
            ContentError::Missing(vec![
                ("t".into(), vec![Lang::Da]),
                ("u".into(), vec![Lang::Nn, Lang::En, Lang::Da]),
            ])
        );
        assert!(e.to_string().contains("`u` in nn, en, da"), "{e}");
        assert!(c.check(["t"]).is_err());
    }

    #[test]
    fn a_broken_file_or_a_duplicate_is_an_error() {
        let e = Content::new([(Lang::Nn, "b.ftl", "t = A\nt = B\n")]).unwrap_err();
        assert!(e.to_string().contains("nn/b.ftl"), "{e}");
        let e = Content::new([(Lang::Da, "b.ftl", "= nothing\n")]).unwrap_err();
        assert!(e.to_string().contains("da/b.ftl"), "{e}");
    }
}
