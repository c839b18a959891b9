//! What an agency may do: the scopes the platform's operator grants it.
//!
//! Scopes are granted, never self-declared: a token carries at most the
//! scopes its agency was granted, and a grant is an operator's act recorded
//! in the transparency log. A [`ScopeSet`] is a small bit set, so checking
//! one on every request costs nothing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One power an agency can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Push the agency's own cases, deadlines, benefits and messages.
    Write,
    /// Read persons' data: its own items, and others' only under a consent
    /// or an accepted sharing basis (access-logged).
    Read,
    /// Create foresight evaluation sessions and read their results.
    Foresight,
    /// Register and end guardianships (the county governor, Statsforvalteren).
    Guardianship,
    /// Maintain names and parental relations (the population register, Folkeregisteret).
    Population,
    /// Ask citizens for consent and read shared data under it.
    Share,
    /// Look up a person's mandates and consents to help them (a caseworker).
    Support,
}

impl Scope {
    /// Every scope, in a stable order.
    pub const ALL: [Scope; 7] = [
        Scope::Write,
        Scope::Read,
        Scope::Foresight,
        Scope::Guardianship,
        Scope::Population,
        Scope::Share,
        Scope::Support,
    ];

    /// The OAuth scope string, e.g. `samlet:write`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::Write => "samlet:write",
            Scope::Read => "samlet:read",
            Scope::Foresight => "samlet:foresight",
            Scope::Guardianship => "samlet:guardianship",
            Scope::Population => "samlet:population",
            Scope::Share => "samlet:share",
            Scope::Support => "samlet:support",
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The OpenAPI schema of a [`ScopeSet`] as it is serialised: the scope
/// strings, each one of [`Scope::ALL`].
pub fn scope_set_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(Scope::ALL.iter().map(|s| s.as_str()))),
        )
        .unique_items(true)
        .build()
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope string that names no scope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scope \"{0}\"; the scopes are samlet:write, samlet:read, samlet:foresight, samlet:guardianship, samlet:population, samlet:share and samlet:support")]
pub struct UnknownScope(pub String);

impl FromStr for Scope {
    type Err = UnknownScope;

    fn from_str(s: &str) -> Result<Self, UnknownScope> {
        Scope::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownScope(s.to_owned()))
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A set of scopes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ScopeSet(u8);

impl ScopeSet {
    pub const EMPTY: ScopeSet = ScopeSet(0);

    /// What a newly registered agency holds: its own items, read and write.
    pub const NEW_AGENCY: ScopeSet = ScopeSet(Scope::Write.bit() | Scope::Read.bit());

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    pub fn insert(&mut self, scope: Scope) {
        self.0 |= scope.bit();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 | other.0)
    }

    pub fn intersection(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & other.0)
    }

    /// The scopes in `self` that are not in `other`.
    pub fn difference(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & !other.0)
    }

    pub fn is_subset(self, other: ScopeSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// Parses a space- or comma-separated list (OAuth uses spaces, the CLI
    /// commas). Empty items are ignored; an unknown scope is an error.
    pub fn parse_list(s: &str) -> Result<ScopeSet, UnknownScope> {
        s.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(str::parse::<Scope>)
            .collect()
    }

    /// Reads a stored list, dropping names this version does not know (a
    /// scope withdrawn from the code grants nothing).
    pub fn parse_lenient(s: &str) -> ScopeSet {
        s.split_whitespace()
            .filter_map(|p| p.parse::<Scope>().ok())
            .collect()
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        let mut set = ScopeSet::EMPTY;
        for s in iter {
            set.insert(s);
        }
        set
    }
}

/// Space-separated, as in OAuth's `scope`.
impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(s.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ScopeSet({self})")
    }
}

/// A JSON array of scope strings.
impl Serialize for ScopeSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ScopeSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<Scope>::deserialize(d)?;
        Ok(v.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_set() -> impl Strategy<Value = ScopeSet> {
        (0u8..128).prop_map(ScopeSet)
    }

    #[test]
    fn a_new_agency_holds_only_its_own_read_and_write() {
        let s = ScopeSet::NEW_AGENCY;
        assert_eq!(s.to_string(), "samlet:write samlet:read");
        assert!(!s.contains(Scope::Guardianship));
        assert!(!s.contains(Scope::Population));
    }

    #[test]
    fn unknown_scopes_are_refused_when_parsed_and_dropped_when_stored() {
        assert!(ScopeSet::parse_list("samlet:write samlet:root").is_err());
        assert_eq!(
            ScopeSet::parse_lenient("samlet:write samlet:root"),
            [Scope::Write].into_iter().collect()
        );
        assert_eq!(
            ScopeSet::parse_list("samlet:write,samlet:read ,").ok(),
            Some(ScopeSet::NEW_AGENCY)
        );
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(s in any_set()) {
            prop_assert_eq!(ScopeSet::parse_list(&s.to_string()).ok(), Some(s));
            let json = serde_json::to_string(&s).unwrap_or_default();
            prop_assert_eq!(serde_json::from_str::<ScopeSet>(&json).ok(), Some(s));
        }

        #[test]
        fn an_intersection_never_holds_more_than_either_side(a in any_set(), b in any_set()) {
            let i = a.intersection(b);
            prop_assert!(i.is_subset(a) && i.is_subset(b));
            for s in Scope::ALL {
                prop_assert_eq!(i.contains(s), a.contains(s) && b.contains(s));
            }
            prop_assert!(a.difference(b).intersection(b).is_empty());
        }

        #[test]
        fn arbitrary_scope_text_never_panics(s in ".{0,80}") {
            let _ = ScopeSet::parse_list(&s);
            let _ = ScopeSet::parse_lenient(&s);
        }
    }
}
