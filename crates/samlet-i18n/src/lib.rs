//! Samlet's one localisation.
//!
//! Every text a person reads — pages, refusal reasons, rule explanations,
//! foresight, offers, journeys, errors, the calendar feed, e-mails and
//! letters — is a [Project Fluent](https://projectfluent.org) message in
//! `locales/<lang>/*.ftl`, looked up by id through [`Lang`]. Stored texts are
//! message ids with arguments, rendered in the reader's language when read.
//!
//! **Architecture Invariant**: every locale has every message (a test fails
//! otherwise), so a page never falls back to another language. Adding a
//! language is a translator's job: a `locales/<code>/` directory of `.ftl`
//! files and one [`Lang`] variant (see `docs/translating.md`).
//!
//! Pure: no I/O. The `.ftl` files are embedded at build time.

mod catalog;
mod content;
mod format;
mod negotiate;

use std::fmt;

pub use catalog::{Args, Msg};
pub use content::{Content, ContentError};
pub use fluent_bundle::FluentValue;

/// A language Samlet speaks. Norwegian state bodies must offer bokmål and
/// nynorsk side by side (språklova § 14), so both are first-class.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Norsk bokmål: the default in Norway.
    #[default]
    Nb,
    /// Norsk nynorsk.
    Nn,
    /// English.
    En,
    /// Dansk: the default in Denmark.
    Da,
}

impl Lang {
    /// Every language, in the order the language menu lists them.
    pub const ALL: [Lang; 4] = [Lang::Nb, Lang::Nn, Lang::En, Lang::Da];

    /// The BCP 47 tag Samlet uses (`lang` attribute, cookie, `/lang/{code}`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
            Lang::En => "en",
            Lang::Da => "da",
        }
    }

    /// The language's name in itself, for the language menu.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Nb => "Norsk bokmål",
            Lang::Nn => "Norsk nynorsk",
            Lang::En => "English",
            Lang::Da => "Dansk",
        }
    }

    /// A language tag as browsers and people write it: `nb`, `nb-NO`,
    /// `nn-NO`, `no` (Norwegian, written as bokmål), `en-GB`, `da-DK`...
    /// Case and `_` for `-` are forgiven.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        match primary {
            "nb" | "no" => Some(Lang::Nb),
            "nn" => Some(Lang::Nn),
            "en" => Some(Lang::En),
            "da" => Some(Lang::Da),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| UnknownLang(s.chars().take(32).collect()))
    }
}

/// A language tag Samlet has no translation for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no translation for language {0:?}; use one of nb, nn, en, da")]
pub struct UnknownLang(pub String);

#[cfg(test)]
mod tests;
