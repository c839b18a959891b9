//! The rule sets the server explains: the ones shipped with Samlet (embedded in the binary) or
//! every rule set directory under `Config::rules_dir`.

use std::collections::BTreeMap;
use std::path::Path;

use samlet_rules::{load_rule_set, shipped_rule_sets, RuleSet};

/// Rule sets by id.
#[derive(Default)]
pub struct RuleSets(BTreeMap<String, RuleSet>);

impl RuleSets {
    /// The rule sets shipped with Samlet.
    pub fn shipped() -> anyhow::Result<Self> {
        let sets = shipped_rule_sets().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Self::from_sets(sets))
    }

    /// Every subdirectory of `dir` holding a `ruleset.yaml` (or `dir` itself when it holds one).
    pub fn load_dir(dir: &Path) -> anyhow::Result<Self> {
        let mut sets = Vec::new();
        if dir.join("ruleset.yaml").is_file() {
            sets.push(load_rule_set(dir).map_err(|e| anyhow::anyhow!("{e}"))?);
        } else {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| anyhow::anyhow!("reading rules dir {}: {e}", dir.display()))?;
            let mut dirs: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("ruleset.yaml").is_file())
                .collect();
            dirs.sort();
            for d in dirs {
                sets.push(load_rule_set(&d).map_err(|e| anyhow::anyhow!("{e}"))?);
            }
        }
        if sets.is_empty() {
            anyhow::bail!(
                "no rule sets (directories with ruleset.yaml) in {}",
                dir.display()
            );
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
