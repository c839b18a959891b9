//! The starting library: Digdir's 17 driving forces toward 2030 (seed 000) and
//! the 14 health-and-care trends in 3 themes of the inFuture/Spekter study
//! (seed 001), embedded in the crate so a new installation has content.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::ballot::{SessionError, TrendRef, TrendSet};
use crate::rating::Lang;

/// The embedded library file, validated by [`Library::builtin`] and in tests.
pub const BUILTIN_LIBRARY_JSON: &str = include_str!("../data/library.json");

/// Errors in a library file.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// Not valid JSON or not the expected shape.
    #[error("library JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    /// Parsed but inconsistent.
    #[error("library is invalid at {pointer}: {reason}")]
    Invalid {
        /// JSON pointer to the offending value.
        pointer: String,
        /// What is wrong.
        reason: String,
    },
}

/// A text in bokmål and English: a shipped text of the library, which is a
/// Fluent message read in every language, or the strategy team's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    /// Norwegian bokmål.
    pub nb: String,
    /// English.
    pub en: String,
    /// The Fluent message of a shipped text (`fsl-trend-1-1-title`). Never
    /// read from JSON, so a team's edit is always the team's own words.
    #[serde(skip)]
    pub message: Option<String>,
}

impl LocalizedText {
    /// The team's own text, written in bokmål and English.
    pub fn new(nb: impl Into<String>, en: impl Into<String>) -> Self {
        LocalizedText {
            nb: nb.into(),
            en: en.into(),
            message: None,
        }
    }

    /// A shipped text: its message in bokmål and English, kept as fields so
    /// the JSON shape and the team's edit form stay as they are.
    fn shipped(message: String) -> Self {
        LocalizedText {
            nb: Lang::Nb.t(&message).to_owned(),
            en: Lang::En.t(&message).to_owned(),
            message: Some(message),
        }
    }

    /// The text in the given language. A shipped text is read in every
    /// language; a text the team wrote is shown as written: English to an
    /// English reader, the Norwegian to everyone else.
    pub fn get(&self, lang: Lang) -> &str {
        if let Some(id) = &self.message {
            return lang.t(id);
        }
        match lang {
            Lang::En => &self.en,
            Lang::Nb | Lang::Nn | Lang::Da => &self.nb,
        }
    }

    /// Every language's text with its code: all four for a shipped text,
    /// bokmål and English for the team's.
    fn texts(&self) -> Vec<(&'static str, &str)> {
        match &self.message {
            Some(id) => Lang::ALL.iter().map(|l| (l.code(), l.t(id))).collect(),
            None => vec![("nb", self.nb.as_str()), ("en", self.en.as_str())],
        }
    }

    /// Keeps the shipped message when an edit leaves this text as shipped,
    /// so a reader of any language still reads it in theirs; a changed text
    /// is the team's own.
    fn keep_message(&mut self, old: &LocalizedText) {
        if self.nb == old.nb && self.en == old.en {
            self.message.clone_from(&old.message);
        } else {
            self.message = None;
        }
    }
}

/// PESTEL category of a driving force. Seed 000 has headings only for the
/// technological, environmental and legal forces; the first eleven forces are
/// assigned to political (3), economic (3) and social (5) by their content and
/// the order of the slides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Politiske drivkrefter (codes P1…).
    Political,
    /// Økonomiske drivkrefter (E1…).
    Economic,
    /// Sosiale drivkrefter (S1…).
    Social,
    /// Teknologiske drivkrefter (T1…).
    Technological,
    /// Miljømessige drivkrefter (EN1…).
    Environmental,
    /// Juridiske drivkrefter (L1…).
    Legal,
}

impl Category {
    /// The code prefix used for forces in this category.
    pub fn code_prefix(self) -> &'static str {
        match self {
            Category::Political => "P",
            Category::Economic => "E",
            Category::Social => "S",
            Category::Technological => "T",
            Category::Environmental => "EN",
            Category::Legal => "L",
        }
    }

    /// Display name.
    pub fn name(self, lang: Lang) -> &'static str {
        lang.t(match self {
            Category::Political => "fs-category-political",
            Category::Economic => "fs-category-economic",
            Category::Social => "fs-category-social",
            Category::Technological => "fs-category-technological",
            Category::Environmental => "fs-category-environmental",
            Category::Legal => "fs-category-legal",
        })
    }
}

/// A driving force toward 2030 (Digdir, seed 000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrivingForce {
    /// Stable code: category prefix and number, e.g. "P1", "EN2".
    pub code: String,
    /// PESTEL category.
    pub category: Category,
    /// Title; `nb` verbatim from the source.
    pub title: LocalizedText,
    /// The slide's one-line summary, verbatim from the source (blank for
    /// forces the team adds).
    #[serde(default)]
    pub tagline_nb: String,
    /// Our own 2–4 sentence description.
    pub description: LocalizedText,
    /// Key figures the source gives as evidence.
    pub key_figures: Vec<LocalizedText>,
    /// Sources the slide cites, as written there.
    pub sources: Vec<String>,
    /// Retired by the team: kept for the record, no longer offered for new sessions.
    #[serde(default, skip_serializing_if = "is_false")]
    pub retired: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A theme grouping trends (seed 001: Samfunnet, Pasienten, Tjenesten).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The study's theme number, e.g. "1".
    pub code: String,
    /// Title; `nb` verbatim from the source.
    pub title: LocalizedText,
}

/// The study's published mean scores for a trend (footnotes in seed 001,
/// mostly rounded to one decimal). Kept to compare a new session with the
/// original gathering of 9 November 2021.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceScores {
    /// Mean importance (viktighet).
    pub importance: f64,
    /// Mean preparedness (beredskap).
    pub preparedness: f64,
}

/// A trend in the health-and-care study (seed 001).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trend {
    /// The study's number, e.g. "2.3".
    pub code: String,
    /// Code of the theme it belongs to.
    pub theme: String,
    /// Title; `nb` verbatim from the source.
    pub title: LocalizedText,
    /// Our own 2–4 sentence description.
    pub description: LocalizedText,
    /// Key figures the study gives as evidence.
    pub key_figures: Vec<LocalizedText>,
    /// Sources the study cites in the trend's chapter.
    pub sources: Vec<String>,
    /// Published scores from the study's own evaluation (none for trends the team adds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_scores: Option<ReferenceScores>,
    /// Retired by the team: kept for the record, no longer offered for new sessions.
    #[serde(default, skip_serializing_if = "is_false")]
    pub retired: bool,
}

/// Where the two parts of the library come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySources {
    /// Citation for the driving forces.
    pub driving_forces: String,
    /// Citation for the trends.
    pub trends: String,
}

/// Driving forces, themes and trends with lookup by code. Only constructed
/// through validation, so codes are unique and every trend's theme exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Library {
    sources: LibrarySources,
    driving_forces: Vec<DrivingForce>,
    themes: Vec<Theme>,
    trends: Vec<Trend>,
}

/// The library file: items as in [`Library`], each text a Fluent message id
/// whose words are in `samlet-i18n`'s `foresight-library.ftl` of every locale.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LibraryFile {
    sources: LibrarySources,
    driving_forces: Vec<SeedForce>,
    themes: Vec<SeedTheme>,
    trends: Vec<SeedTrend>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedForce {
    code: String,
    category: Category,
    title: String,
    tagline_nb: String,
    description: String,
    key_figures: Vec<String>,
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedTheme {
    code: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedTrend {
    code: String,
    theme: String,
    title: String,
    description: String,
    key_figures: Vec<String>,
    sources: Vec<String>,
    reference_scores: ReferenceScores,
}

fn shipped_all(ids: Vec<String>) -> Vec<LocalizedText> {
    ids.into_iter().map(LocalizedText::shipped).collect()
}

impl From<SeedForce> for DrivingForce {
    fn from(f: SeedForce) -> Self {
        DrivingForce {
            code: f.code,
            category: f.category,
            title: LocalizedText::shipped(f.title),
            tagline_nb: f.tagline_nb,
            description: LocalizedText::shipped(f.description),
            key_figures: shipped_all(f.key_figures),
            sources: f.sources,
            retired: false,
        }
    }
}

impl From<SeedTheme> for Theme {
    fn from(t: SeedTheme) -> Self {
        Theme {
            code: t.code,
            title: LocalizedText::shipped(t.title),
        }
    }
}

impl From<SeedTrend> for Trend {
    fn from(t: SeedTrend) -> Self {
        Trend {
            code: t.code,
            theme: t.theme,
            title: LocalizedText::shipped(t.title),
            description: LocalizedText::shipped(t.description),
            key_figures: shipped_all(t.key_figures),
            sources: t.sources,
            reference_scores: Some(t.reference_scores),
            retired: false,
        }
    }
}

fn invalid(pointer: String, reason: impl Into<String>) -> LibraryError {
    LibraryError::Invalid {
        pointer,
        reason: reason.into(),
    }
}

fn check_localized(t: &LocalizedText, pointer: &str) -> Result<(), LibraryError> {
    for (lang, text) in t.texts() {
        if text.trim().is_empty() {
            return Err(invalid(format!("{pointer}/{lang}"), "must not be blank"));
        }
    }
    Ok(())
}

/// Counts sentences crudely (terminal punctuation followed by space or end);
/// enough to keep descriptions within the intended 2–4 sentences.
fn sentence_count(s: &str) -> usize {
    let chars: Vec<char> = s.trim().chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
        })
        .count()
}

fn check_description(t: &LocalizedText, pointer: &str) -> Result<(), LibraryError> {
    check_localized(t, pointer)?;
    for (lang, text) in t.texts() {
        let n = sentence_count(text);
        if !(2..=4).contains(&n) {
            return Err(invalid(
                format!("{pointer}/{lang}"),
                format!("description has {n} sentences, expected 2-4"),
            ));
        }
    }
    Ok(())
}

fn check_evidence(
    figures: &[LocalizedText],
    sources: &[String],
    pointer: &str,
) -> Result<(), LibraryError> {
    if figures.is_empty() {
        return Err(invalid(format!("{pointer}/key_figures"), "no key figures"));
    }
    for (i, f) in figures.iter().enumerate() {
        check_localized(f, &format!("{pointer}/key_figures/{i}"))?;
    }
    if sources.is_empty() {
        return Err(invalid(format!("{pointer}/sources"), "no sources"));
    }
    if let Some(i) = sources.iter().position(|s| s.trim().is_empty()) {
        return Err(invalid(format!("{pointer}/sources/{i}"), "blank source"));
    }
    Ok(())
}

const CODE_RULE: &str = "a code is 1 to 16 letters, digits, dots or dashes";
/// Longest title, description, key figure or source the team can write.
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 4000;

fn valid_code(code: &str) -> bool {
    (1..=16).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

fn check_len(t: &LocalizedText, pointer: &str, max: usize) -> Result<(), LibraryError> {
    for (lang, text) in [("nb", &t.nb), ("en", &t.en)] {
        if text.chars().count() > max || text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(invalid(
                format!("{pointer}/{lang}"),
                format!("at most {max} characters, no control characters"),
            ));
        }
    }
    Ok(())
}

/// Bilingual title and description, and tidy evidence: the bar for every item.
fn check_item_text(
    title: &LocalizedText,
    description: &LocalizedText,
    figures: &[LocalizedText],
    sources: &[String],
    p: &str,
) -> Result<(), LibraryError> {
    check_localized(title, &format!("{p}/title"))?;
    check_len(title, &format!("{p}/title"), MAX_TITLE)?;
    check_localized(description, &format!("{p}/description"))?;
    check_len(description, &format!("{p}/description"), MAX_TEXT)?;
    for (i, f) in figures.iter().enumerate() {
        check_localized(f, &format!("{p}/key_figures/{i}"))?;
        check_len(f, &format!("{p}/key_figures/{i}"), MAX_TEXT)?;
    }
    if sources.is_empty() {
        return Err(invalid(format!("{p}/sources"), "give at least one source"));
    }
    if let Some(i) = sources
        .iter()
        .position(|s| s.trim().is_empty() || s.chars().count() > MAX_TEXT)
    {
        return Err(invalid(
            format!("{p}/sources/{i}"),
            "a source is 1 to 4000 characters",
        ));
    }
    Ok(())
}

/// One item the strategy team added or changed; it replaces the item with
/// the same code (a seeded one stays the default underneath).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LibraryEdit {
    /// A driving force.
    DrivingForce(DrivingForce),
    /// A theme that groups trends.
    Theme(Theme),
    /// A trend.
    Trend(Trend),
}

impl LibraryEdit {
    /// The item's kind as stored: `driving_force`, `theme` or `trend`.
    pub fn kind(&self) -> &'static str {
        match self {
            LibraryEdit::DrivingForce(_) => "driving_force",
            LibraryEdit::Theme(_) => "theme",
            LibraryEdit::Trend(_) => "trend",
        }
    }

    /// The item's code.
    pub fn code(&self) -> &str {
        match self {
            LibraryEdit::DrivingForce(f) => &f.code,
            LibraryEdit::Theme(t) => &t.code,
            LibraryEdit::Trend(t) => &t.code,
        }
    }
}

impl Library {
    /// This library with the team's edits laid over it: an edit replaces the
    /// item with its code or is appended. The result is validated as a whole,
    /// so an edit that breaks it (a trend in an unknown theme) is an error
    /// with a pointer into the merged library.
    pub fn with_edits<'a>(
        &self,
        edits: impl IntoIterator<Item = &'a LibraryEdit>,
    ) -> Result<Library, LibraryError> {
        let mut lib = self.clone();
        for e in edits {
            match e {
                LibraryEdit::DrivingForce(f) => {
                    let mut f = f.clone();
                    if let Some(old) = lib.driving_force(&f.code) {
                        let old = (&old.title, &old.description, &old.key_figures[..]);
                        keep_messages(&mut f.title, &mut f.description, &mut f.key_figures, old);
                    }
                    upsert(&mut lib.driving_forces, f, |x| &x.code)
                }
                LibraryEdit::Theme(t) => {
                    let mut t = t.clone();
                    if let Some(old) = lib.theme(&t.code) {
                        t.title.keep_message(&old.title);
                    }
                    upsert(&mut lib.themes, t, |x| &x.code)
                }
                LibraryEdit::Trend(t) => {
                    let mut t = t.clone();
                    if let Some(old) = lib.trend(&t.code) {
                        let old = (&old.title, &old.description, &old.key_figures[..]);
                        keep_messages(&mut t.title, &mut t.description, &mut t.key_figures, old);
                    }
                    upsert(&mut lib.trends, t, |x| &x.code)
                }
            }
        }
        lib.validate()?;
        Ok(lib)
    }

    /// The library embedded in the crate.
    pub fn builtin() -> Result<Self, LibraryError> {
        Library::from_json(BUILTIN_LIBRARY_JSON)
    }

    /// Parses and validates a library file of the same shape as
    /// `data/library.json`; a message id no locale has is a blank text.
    pub fn from_json(json: &str) -> Result<Self, LibraryError> {
        let file: LibraryFile = serde_json::from_str(json)?;
        let lib = Library {
            sources: file.sources,
            driving_forces: file.driving_forces.into_iter().map(Into::into).collect(),
            themes: file.themes.into_iter().map(Into::into).collect(),
            trends: file.trends.into_iter().map(Into::into).collect(),
        };
        lib.validate()?;
        lib.validate_seed()?;
        Ok(lib)
    }

    /// The seed's stricter bar: 2–4 sentence descriptions, key figures and
    /// sources for every item, a tagline for every driving force.
    fn validate_seed(&self) -> Result<(), LibraryError> {
        for (i, f) in self.driving_forces.iter().enumerate() {
            let p = format!("/driving_forces/{i}");
            if f.tagline_nb.trim().is_empty() {
                return Err(invalid(format!("{p}/tagline_nb"), "must not be blank"));
            }
            check_description(&f.description, &format!("{p}/description"))?;
            check_evidence(&f.key_figures, &f.sources, &p)?;
        }
        for (i, t) in self.trends.iter().enumerate() {
            let p = format!("/trends/{i}");
            check_description(&t.description, &format!("{p}/description"))?;
            check_evidence(&t.key_figures, &t.sources, &p)?;
            if t.reference_scores.is_none() {
                return Err(invalid(format!("{p}/reference_scores"), "missing"));
            }
        }
        Ok(())
    }

    /// Codes, themes and texts: what every library must satisfy, including
    /// one the strategy team has edited.
    fn validate(&self) -> Result<(), LibraryError> {
        let mut codes = HashSet::new();
        for (i, f) in self.driving_forces.iter().enumerate() {
            let p = format!("/driving_forces/{i}");
            let prefix = f.category.code_prefix();
            let number_ok = f
                .code
                .strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !number_ok {
                return Err(invalid(
                    format!("{p}/code"),
                    format!("{:?} must be {prefix} followed by a number", f.code),
                ));
            }
            if !codes.insert(f.code.as_str()) {
                return Err(invalid(format!("{p}/code"), "duplicate code"));
            }
            check_item_text(&f.title, &f.description, &f.key_figures, &f.sources, &p)?;
        }
        let mut theme_codes = HashSet::new();
        for (i, t) in self.themes.iter().enumerate() {
            let p = format!("/themes/{i}");
            if !valid_code(&t.code) {
                return Err(invalid(format!("{p}/code"), CODE_RULE));
            }
            if !theme_codes.insert(t.code.as_str()) {
                return Err(invalid(format!("{p}/code"), "duplicate code"));
            }
            check_localized(&t.title, &format!("{p}/title"))?;
        }
        let mut trend_codes = HashSet::new();
        for (i, t) in self.trends.iter().enumerate() {
            let p = format!("/trends/{i}");
            if !valid_code(&t.code) {
                return Err(invalid(format!("{p}/code"), CODE_RULE));
            }
            if !trend_codes.insert(t.code.as_str()) {
                return Err(invalid(format!("{p}/code"), "duplicate code"));
            }
            if !theme_codes.contains(t.theme.as_str()) {
                return Err(invalid(format!("{p}/theme"), "unknown theme"));
            }
            check_item_text(&t.title, &t.description, &t.key_figures, &t.sources, &p)?;
            let Some(r) = t.reference_scores else {
                continue;
            };
            for (name, v) in [
                ("importance", r.importance),
                ("preparedness", r.preparedness),
            ] {
                if !v.is_finite() || !(1.0..=6.0).contains(&v) {
                    return Err(invalid(
                        format!("{p}/reference_scores/{name}"),
                        "must be within 1-6",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Citations for the two parts.
    pub fn sources(&self) -> &LibrarySources {
        &self.sources
    }

    /// All driving forces, in source order.
    pub fn driving_forces(&self) -> &[DrivingForce] {
        &self.driving_forces
    }

    /// Driving forces of one category.
    pub fn driving_forces_in(&self, category: Category) -> impl Iterator<Item = &DrivingForce> {
        self.driving_forces
            .iter()
            .filter(move |f| f.category == category)
    }

    /// A driving force by code, e.g. "L1".
    pub fn driving_force(&self, code: &str) -> Option<&DrivingForce> {
        self.driving_forces.iter().find(|f| f.code == code)
    }

    /// All themes, in study order.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// A theme by code, e.g. "2".
    pub fn theme(&self, code: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.code == code)
    }

    /// All trends, in study order.
    pub fn trends(&self) -> &[Trend] {
        &self.trends
    }

    /// A trend by code, e.g. "3.4".
    pub fn trend(&self, code: &str) -> Option<&Trend> {
        self.trends.iter().find(|t| t.code == code)
    }

    /// Trends of one theme.
    pub fn trends_in_theme<'a>(&'a self, theme: &'a str) -> impl Iterator<Item = &'a Trend> {
        self.trends.iter().filter(move |t| t.theme == theme)
    }

    /// The trends as a session's trend list, titled in `lang`, so a gathering can
    /// evaluate the study's trends directly.
    pub fn trend_set(&self, lang: Lang) -> Result<TrendSet, SessionError> {
        TrendSet::new(
            self.trends
                .iter()
                .map(|t| {
                    let theme = self
                        .theme(&t.theme)
                        .map_or(t.theme.as_str(), |th| th.title.get(lang));
                    TrendRef::new(t.code.clone(), t.title.get(lang), theme)
                })
                .collect(),
        )
    }
}

/// An edit that leaves some of an item's texts as shipped (the team changed
/// only the title, or retired the item) keeps those texts in every language.
fn keep_messages(
    title: &mut LocalizedText,
    description: &mut LocalizedText,
    figures: &mut [LocalizedText],
    (old_title, old_description, old_figures): (&LocalizedText, &LocalizedText, &[LocalizedText]),
) {
    title.keep_message(old_title);
    description.keep_message(old_description);
    for (new, old) in figures.iter_mut().zip(old_figures) {
        new.keep_message(old);
    }
}

fn upsert<T>(items: &mut Vec<T>, item: T, code: impl Fn(&T) -> &String) {
    match items.iter().position(|x| code(x) == code(&item)) {
        Some(i) => items[i] = item,
        None => items.push(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib() -> Library {
        match Library::builtin() {
            Ok(l) => l,
            Err(e) => panic!("embedded library must be valid: {e}"),
        }
    }

    #[test]
    fn embedded_library_has_the_17_driving_forces_of_digdir() {
        let l = lib();
        assert_eq!(l.driving_forces().len(), 17);
        let count = |c| l.driving_forces_in(c).count();
        assert_eq!(count(Category::Political), 3);
        assert_eq!(count(Category::Economic), 3);
        assert_eq!(count(Category::Social), 5);
        assert_eq!(count(Category::Technological), 2);
        assert_eq!(count(Category::Environmental), 2);
        assert_eq!(count(Category::Legal), 2);
        let titles: Vec<&str> = l
            .driving_forces()
            .iter()
            .map(|f| f.title.nb.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Politisk polarisering",
                "Krav til politisk responstid",
                "Innovasjon blir viktigere",
                "Mindre økonomisk handlingsrom",
                "Teknologigigantene tar nye posisjoner",
                "Nye samarbeidsmodeller",
                "Mer utenforskap",
                "Økt mangfold",
                "Flere bor sentralt og flere bor alene",
                "Nye kompetansebehov",
                "Økte forventninger fra innbyggere",
                "Akselerert digitalisering",
                "Økt samhandling menneske-maskin",
                "Kostbar klimatilpasning",
                "Grønn vekst",
                "Strengere personvern",
                "Ny teknologi gjør regulering mer kompleks",
            ]
        );
        let l1 = l.driving_force("L1").map(|f| f.title.nb.as_str());
        assert_eq!(l1, Some("Strengere personvern"));
        assert!(l.driving_force("X9").is_none());
    }

    #[test]
    fn embedded_library_has_the_14_trends_in_3_themes() {
        let l = lib();
        let themes: Vec<&str> = l.themes().iter().map(|t| t.title.nb.as_str()).collect();
        assert_eq!(themes, ["Samfunnet", "Pasienten", "Tjenesten"]);
        let trends: Vec<(&str, &str)> = l
            .trends()
            .iter()
            .map(|t| (t.code.as_str(), t.title.nb.as_str()))
            .collect();
        assert_eq!(
            trends,
            [
                ("1.1", "Økt etterspørsel"),
                ("1.2", "Produktivitet blir viktigere"),
                ("1.3", "Tillitskapitalen under press"),
                ("1.4", "Verdibasert helsetjeneste"),
                ("2.1", "Økte helseforskjeller"),
                ("2.2", "Dyktiggjøring av pasienter blir viktigere"),
                ("2.3", "Digital hjemmeoppfølging i vekst"),
                ("2.4", "Større treffsikkerhet"),
                ("3.1", "Nye samarbeidsformer"),
                ("3.2", "Ny rolledeling"),
                ("3.3", "Digitale støttetjenester"),
                ("3.4", "Digitalgigantene trer inn i helse og omsorg"),
                ("3.5", "Nye kompetansekrav"),
                ("3.6", "Viktigere å lære hele livet"),
            ]
        );
        assert_eq!(l.trends_in_theme("3").count(), 6);
        assert_eq!(
            l.theme("2").map(|t| t.title.en.as_str()),
            Some("The patient")
        );
        assert_eq!(
            l.trend("3.4").and_then(|t| t.reference_scores),
            Some(ReferenceScores {
                importance: 5.33,
                preparedness: 2.62
            })
        );
        let set = l.trend_set(Lang::En).map_err(|e| e.to_string());
        assert_eq!(set.as_ref().map(TrendSet::len), Ok(14));
        assert_eq!(
            set.ok().and_then(|s| s.get("1.1").map(|t| t.theme.clone())),
            Some("Society".to_string())
        );
    }

    #[test]
    fn every_item_has_bilingual_text_evidence_and_sources() {
        // `builtin` validates this; the test pins it so a bad edit of
        // data/library.json fails here with the pointer in the message.
        let l = lib();
        for f in l.driving_forces() {
            assert!(
                !f.key_figures.is_empty() && !f.sources.is_empty(),
                "{}",
                f.code
            );
            assert!(f.description.en.len() > 80, "{}", f.code);
        }
        for t in l.trends() {
            assert!(
                !t.key_figures.is_empty() && !t.sources.is_empty(),
                "{}",
                t.code
            );
        }
    }

    #[test]
    fn invalid_libraries_are_rejected_with_a_pointer() {
        let mut v: serde_json::Value = match serde_json::from_str(BUILTIN_LIBRARY_JSON) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        v["trends"][3]["theme"] = serde_json::json!("9");
        match Library::from_json(&v.to_string()) {
            Err(LibraryError::Invalid { pointer, .. }) => assert_eq!(pointer, "/trends/3/theme"),
            other => panic!("expected invalid theme, got {other:?}"),
        }
        v["trends"][3]["theme"] = serde_json::json!("1");
        v["driving_forces"][0]["code"] = serde_json::json!("E7");
        match Library::from_json(&v.to_string()) {
            Err(LibraryError::Invalid { pointer, .. }) => {
                assert_eq!(pointer, "/driving_forces/0/code")
            }
            other => panic!("expected bad code, got {other:?}"),
        }
        v["driving_forces"][0]["code"] = serde_json::json!("P1");
        v["driving_forces"][0]["description"] = serde_json::json!("fsl-no-such-message");
        match Library::from_json(&v.to_string()) {
            Err(LibraryError::Invalid { pointer, .. }) => {
                assert_eq!(pointer, "/driving_forces/0/description/nb")
            }
            other => panic!("expected a missing message, got {other:?}"),
        }
        assert!(matches!(
            Library::from_json("{}"),
            Err(LibraryError::Json(_))
        ));
    }

    #[test]
    fn edits_replace_by_code_append_new_items_and_keep_the_seed() {
        let seed = lib();
        let mut changed = seed.trend("1.1").cloned().unwrap_or_else(|| panic!("1.1"));
        changed.title.nb = "Økt etterspørsel etter helsetjenester".into();
        changed.retired = true;
        let new_theme = Theme {
            code: "4".into(),
            title: LocalizedText::new("Lokalt", "Local"),
        };
        let mut new_trend = changed.clone();
        new_trend.code = "4.1".into();
        new_trend.theme = "4".into();
        new_trend.retired = false;
        new_trend.reference_scores = None;
        new_trend.description.nb = "Kort.".into();
        let edits = [
            LibraryEdit::Trend(changed),
            LibraryEdit::Theme(new_theme),
            LibraryEdit::Trend(new_trend),
        ];
        let merged = seed.with_edits(&edits).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(merged.trends().len(), 15);
        let t = merged.trend("1.1").unwrap_or_else(|| panic!("1.1"));
        assert!(t.retired);
        assert_eq!(t.title.nb, "Økt etterspørsel etter helsetjenester");
        assert_eq!(merged.trends_in_theme("4").count(), 1);
        // The seed underneath is untouched.
        assert_eq!(seed.trend("1.1").map(|t| t.retired), Some(false));
        // A trend in a theme that does not exist breaks the whole.
        let mut orphan = seed.trend("1.2").cloned().unwrap_or_else(|| panic!("1.2"));
        orphan.theme = "9".into();
        match seed.with_edits(&[LibraryEdit::Trend(orphan)]) {
            Err(LibraryError::Invalid { pointer, .. }) => assert_eq!(pointer, "/trends/1/theme"),
            other => panic!("expected unknown theme, got {other:?}"),
        }
        let mut blank = seed.driving_forces()[0].clone();
        blank.title.en = " ".into();
        assert!(seed
            .with_edits(&[LibraryEdit::DrivingForce(blank)])
            .is_err());
        let mut bad_code = seed.trends()[0].clone();
        bad_code.code = "1 1".into();
        assert!(seed.with_edits(&[LibraryEdit::Trend(bad_code)]).is_err());
    }

    #[test]
    fn shipped_texts_are_read_in_every_language() {
        let l = lib();
        let p1 = l.driving_force("P1").unwrap_or_else(|| panic!("P1"));
        assert_eq!(p1.title.message.as_deref(), Some("fsl-force-P1-title"));
        assert_eq!(p1.title.nb, "Politisk polarisering");
        assert_eq!(p1.title.en, "Political polarisation");
        let d = &p1.description;
        assert!(
            d.get(Lang::Nn).contains("kan ikkje takast for gitt"),
            "{}",
            d.get(Lang::Nn)
        );
        assert!(d.get(Lang::Da).contains("Nordmænd"), "{}", d.get(Lang::Da));
        assert_eq!(d.get(Lang::Nb), d.nb);
        assert_eq!(d.get(Lang::En), d.en);
        let theme = l.theme("3").unwrap_or_else(|| panic!("theme 3"));
        let titles: Vec<&str> = Lang::ALL.iter().map(|x| theme.title.get(*x)).collect();
        assert_eq!(titles, ["Tjenesten", "Tenesta", "The service", "Tjenesten"]);
        // Every shipped text differs between the two Norwegian written
        // languages somewhere, so no locale is a copy of another.
        let all: Vec<&LocalizedText> = l
            .driving_forces()
            .iter()
            .flat_map(|f| [&f.title, &f.description].into_iter().chain(&f.key_figures))
            .chain(
                l.trends()
                    .iter()
                    .flat_map(|t| [&t.title, &t.description].into_iter().chain(&t.key_figures)),
            )
            .collect();
        assert_eq!(all.len(), 150);
        let differ = |a: Lang, b: Lang| all.iter().filter(|t| t.get(a) != t.get(b)).count();
        assert!(
            differ(Lang::Nb, Lang::Nn) > 120,
            "{}",
            differ(Lang::Nb, Lang::Nn)
        );
        assert!(
            differ(Lang::Nb, Lang::Da) > 120,
            "{}",
            differ(Lang::Nb, Lang::Da)
        );
    }

    #[test]
    fn an_edit_keeps_the_shipped_texts_it_leaves_as_they_were() {
        let seed = lib();
        // As the team's form or the API sends it: a whole item from JSON.
        let json = serde_json::to_string(&seed.trends()[0]).unwrap_or_else(|e| panic!("{e}"));
        let mut edit: Trend = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(edit.title.message, None);
        edit.title = LocalizedText::new("Mer etterspørsel", "More demand");
        let merged = seed
            .with_edits(&[LibraryEdit::Trend(edit)])
            .unwrap_or_else(|e| panic!("{e}"));
        let t = merged.trend("1.1").unwrap_or_else(|| panic!("1.1"));
        // The team's title as written: bokmål to every Nordic reader.
        assert_eq!(t.title.get(Lang::Nn), "Mer etterspørsel");
        assert_eq!(t.title.get(Lang::Da), "Mer etterspørsel");
        assert_eq!(t.title.get(Lang::En), "More demand");
        // The untouched description and figures stay in the reader's language.
        assert!(t.description.get(Lang::Nn).starts_with("Fleire eldre"));
        assert!(t.key_figures[0].get(Lang::Da).starts_with("En tredobling"));
    }

    #[test]
    fn sentence_counter() {
        assert_eq!(sentence_count("One. Two! Three?"), 3);
        assert_eq!(sentence_count("Costs 5.3 million. Done."), 2);
    }
}
