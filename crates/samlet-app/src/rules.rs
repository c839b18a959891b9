//! The rule sets Samlet explains: the ones shipped with Samlet (embedded in the binary) or
//! every rule set directory under a configured directory, and explaining one for a household.
//!
//! **Public by design**: explaining a published rule for a household is public information (it
//! is what the law says for that situation). The caller sends the household; nothing is read
//! from the store and nothing is logged or kept.

use std::collections::BTreeMap;
use std::path::Path;

use samlet_rules::{load_rule_set, shipped_rule_sets, Household, Lang, Period, RuleSet, Value};

/// Rule sets that could not be loaded, or an explanation that could not be given.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule set (or the directory of rule sets) that does not load.
    #[error("{0}")]
    Load(String),
    #[error("There is no rule set `{ruleset}`. Known rule sets: {}.", known.join(", "))]
    NotFound { ruleset: String, known: Vec<String> },
    /// Bad input: `pointer` is the JSON pointer of the field in the request.
    #[error("{message}")]
    Invalid {
        pointer: &'static str,
        message: String,
    },
}

/// Rule sets by id.
#[derive(Default)]
pub struct RuleSets(BTreeMap<String, RuleSet>);

impl RuleSets {
    /// The rule sets shipped with Samlet.
    pub fn shipped() -> Result<Self, Error> {
        let sets = shipped_rule_sets().map_err(|e| Error::Load(e.to_string()))?;
        Ok(Self::from_sets(sets))
    }

    /// Every subdirectory of `dir` holding a `ruleset.yaml` (or `dir` itself when it holds one).
    pub fn load_dir(dir: &Path) -> Result<Self, Error> {
        let load = |d: &Path| load_rule_set(d).map_err(|e| Error::Load(e.to_string()));
        let mut sets = Vec::new();
        if dir.join("ruleset.yaml").is_file() {
            sets.push(load(dir)?);
        } else {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| Error::Load(format!("reading rules dir {}: {e}", dir.display())))?;
            let mut dirs: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("ruleset.yaml").is_file())
                .collect();
            dirs.sort();
            for d in dirs {
                sets.push(load(&d)?);
            }
        }
        if sets.is_empty() {
            return Err(Error::Load(format!(
                "no rule sets (directories with ruleset.yaml) in {}",
                dir.display()
            )));
        }
        Ok(Self::from_sets(sets))
    }

    pub fn from_sets(sets: Vec<RuleSet>) -> Self {
        Self(sets.into_iter().map(|r| (r.id().to_owned(), r)).collect())
    }

    pub fn get(&self, id: &str) -> Option<&RuleSet> {
        self.0.get(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleSet> {
        self.0.values()
    }
}

/// A rule set evaluated and explained for one household.
#[derive(Debug)]
pub struct Explained {
    pub ruleset: String,
    pub period: Period,
    /// Output values by rule name.
    pub outputs: BTreeMap<String, Value>,
    /// The citizen-readable explanation, in the language asked for.
    pub explanation: String,
    /// The same as a structured trace.
    pub trace: samlet_rules::Trace,
}

/// Evaluates rule set `ruleset` for `household` (the rules-as-code JSON format) in the month
/// `period` (`YYYY-MM`) and explains it in `lang`.
pub fn explain(
    rules: &RuleSets,
    ruleset: &str,
    period: &str,
    household: serde_json::Value,
    lang: Lang,
) -> Result<Explained, Error> {
    let rs = rules.get(ruleset).ok_or_else(|| Error::NotFound {
        ruleset: ruleset.to_owned(),
        known: rules.ids().map(str::to_owned).collect(),
    })?;
    let p = Period::parse(period).ok_or_else(|| Error::Invalid {
        pointer: "/period",
        message: format!("`{period}` is not a month; write it as YYYY-MM, e.g. 2024-09."),
    })?;
    let h: Household = serde_json::from_value(household).map_err(|e| Error::Invalid {
        pointer: "/household",
        message: format!("The household is not valid: {e}."),
    })?;
    let ev = rs.evaluate(&h, p).map_err(|e| Error::Invalid {
        pointer: "/household",
        message: format!("The rule set cannot be evaluated for this household: {e}"),
    })?;
    Ok(Explained {
        ruleset: rs.id().to_owned(),
        period: p,
        explanation: ev.explanation(lang),
        outputs: ev.outputs,
        trace: ev.trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn household() -> serde_json::Value {
        serde_json::json!({"members": [
            {"id": "Kari", "role": "parent", "birth_date": "1984-04-12", "annual_income": 500000},
            {"id": "Emil", "role": "child", "birth_date": "2019-06-07", "annual_income": 0}
        ]})
    }

    #[test]
    fn explains_a_shipped_rule_set_in_the_language_asked_for() {
        let rules = RuleSets::shipped().expect("shipped rule sets");
        let nn = explain(&rules, "child-benefit", "2024-09", household(), Lang::Nn).expect("nn");
        let en = explain(&rules, "child-benefit", "2024-09", household(), Lang::En).expect("en");
        assert_eq!(nn.period.to_string(), "2024-09");
        assert!(nn.outputs.contains_key("child_benefit"), "{:?}", nn.outputs);
        assert!(
            nn.explanation.contains("barnetrygdloven"),
            "{}",
            nn.explanation
        );
        assert_ne!(nn.explanation, en.explanation);
    }

    #[test]
    fn refusals_say_which_field_is_wrong() {
        let rules = RuleSets::shipped().expect("shipped rule sets");
        let e = explain(&rules, "nothing", "2024-09", household(), Lang::Nb).unwrap_err();
        assert!(
            matches!(&e, Error::NotFound { known, .. } if known.iter().any(|k| k == "child-benefit"))
        );
        assert!(e
            .to_string()
            .starts_with("There is no rule set `nothing`. Known rule sets: "));
        let e = explain(&rules, "child-benefit", "2024-9", household(), Lang::Nb).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Invalid {
                    pointer: "/period",
                    ..
                }
            ),
            "{e}"
        );
        let e = explain(
            &rules,
            "child-benefit",
            "2024-09",
            serde_json::json!([1]),
            Lang::Nb,
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Invalid {
                    pointer: "/household",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn a_directory_without_rule_sets_does_not_load() {
        let dir = std::env::temp_dir().join(format!("samlet-no-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let e = RuleSets::load_dir(&dir).err().expect("an error");
        assert!(e.to_string().starts_with("no rule sets"), "{e}");
        let _ = std::fs::remove_dir(&dir);
    }
}
