//! The "can this be automated?" report: for every rule, every input it needs (transitively) and
//! whether an authoritative source supplies it.

use std::fmt;

use serde::Serialize;

use crate::model::{Entity, RuleSet};
use crate::value::{Label, ValueType};

/// One input data item and its source.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputInfo {
    /// Input id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Household or person.
    pub entity: Entity,
    /// Declared type.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// Source id, or `None` when no source provides it.
    pub source: Option<String>,
    /// Whether the source is authoritative with sufficient quality.
    pub authoritative: bool,
    /// Quality note of the source.
    pub quality: Option<String>,
    /// Legal basis for collecting the data item, if given.
    pub reference: Option<String>,
    /// Rules that need this input (directly or through other rules).
    pub used_by: Vec<String>,
}

/// What one rule needs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleNeeds {
    /// Rule id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Legal reference.
    pub reference: String,
    /// Whether the rule is an output.
    pub output: bool,
    /// Every input the rule needs, directly or through other rules.
    pub inputs: Vec<String>,
    /// Inputs without an authoritative source.
    pub not_automatable: Vec<String>,
    /// True when every needed input has an authoritative source.
    pub automatable: bool,
}

/// Report of inputs and automation readiness, for analysts before a rule is passed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputsReport {
    /// Rule set id.
    pub ruleset: String,
    /// True when every output rule can be decided from authoritative sources alone.
    pub automatable: bool,
    /// Every declared input.
    pub inputs: Vec<InputInfo>,
    /// Every rule, in dependency order.
    pub rules: Vec<RuleNeeds>,
    /// Declared inputs no rule uses.
    pub unused_inputs: Vec<String>,
}

impl RuleSet {
    /// Indices of every input rule `ri` needs, transitively.
    pub(crate) fn transitive_inputs(&self, ri: usize) -> Vec<usize> {
        let mut seen_rules = vec![false; self.rules.len()];
        let mut stack = vec![ri];
        let mut out: Vec<usize> = Vec::new();
        while let Some(r) = stack.pop() {
            if seen_rules[r] {
                continue;
            }
            seen_rules[r] = true;
            for &i in &self.rules[r].input_deps {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            stack.extend(self.rules[r].deps.iter().copied());
        }
        out.sort_unstable();
        out
    }

    fn authoritative(&self, input: usize) -> bool {
        self.inputs[input]
            .source
            .is_some_and(|s| self.sources[s].authoritative)
    }

    /// Builds the inputs report.
    pub fn inputs_report(&self) -> InputsReport {
        let needs: Vec<Vec<usize>> = (0..self.rules.len())
            .map(|r| self.transitive_inputs(r))
            .collect();
        let rules: Vec<RuleNeeds> = self
            .rules
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let not_auto: Vec<String> = needs[ri]
                    .iter()
                    .filter(|&&i| !self.authoritative(i))
                    .map(|&i| self.inputs[i].id.clone())
                    .collect();
                RuleNeeds {
                    id: r.id.clone(),
                    label: r.label.clone(),
                    reference: r.reference.clone(),
                    output: r.output || self.meta.main_output == Some(ri),
                    inputs: needs[ri]
                        .iter()
                        .map(|&i| self.inputs[i].id.clone())
                        .collect(),
                    automatable: not_auto.is_empty(),
                    not_automatable: not_auto,
                }
            })
            .collect();
        let inputs: Vec<InputInfo> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(ii, inp)| {
                let src = inp.source.map(|s| &self.sources[s]);
                InputInfo {
                    id: inp.id.clone(),
                    label: inp.label.clone(),
                    entity: inp.entity,
                    ty: inp.ty,
                    source: src.map(|s| s.id.clone()),
                    authoritative: src.is_some_and(|s| s.authoritative),
                    quality: src.and_then(|s| s.quality.clone()),
                    reference: inp.reference.clone(),
                    used_by: (0..self.rules.len())
                        .filter(|&r| needs[r].contains(&ii))
                        .map(|r| self.rules[r].id.clone())
                        .collect(),
                }
            })
            .collect();
        let unused_inputs = inputs
            .iter()
            .filter(|i| i.used_by.is_empty())
            .map(|i| i.id.clone())
            .collect();
        let outputs: Vec<&RuleNeeds> = rules.iter().filter(|r| r.output).collect();
        let automatable = if outputs.is_empty() {
            rules.iter().all(|r| r.automatable)
        } else {
            outputs.iter().all(|r| r.automatable)
        };
        InputsReport {
            ruleset: self.meta.id.clone(),
            automatable,
            inputs,
            rules,
            unused_inputs,
        }
    }
}

impl fmt::Display for InputsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Rule set `{}`: inputs and automation readiness",
            self.ruleset
        )?;
        writeln!(
            f,
            "Verdict: {}",
            if self.automatable {
                "AUTOMATABLE — every output needs only data from authoritative sources"
            } else {
                "NOT FULLY AUTOMATABLE — some outputs need data no authoritative source supplies"
            }
        )?;
        writeln!(f)?;
        writeln!(f, "Inputs:")?;
        for i in &self.inputs {
            let src = match (&i.source, i.authoritative) {
                (Some(s), true) => format!("{s} (authoritative)"),
                (Some(s), false) => format!("{s} (NOT authoritative)"),
                (None, _) => "no source".to_string(),
            };
            writeln!(
                f,
                "  {:<20} {:<9} {:<8} {:<40} used by: {}",
                i.id,
                match i.entity {
                    Entity::Household => "household",
                    Entity::Person => "person",
                },
                i.ty.name(),
                src,
                if i.used_by.is_empty() {
                    "(unused)".to_string()
                } else {
                    i.used_by.join(", ")
                }
            )?;
            if let Some(q) = &i.quality {
                writeln!(f, "  {:<20} quality: {q}", "")?;
            }
        }
        writeln!(f)?;
        writeln!(f, "Rules:")?;
        for r in &self.rules {
            let mark = if r.automatable { "ok " } else { "NO " };
            writeln!(
                f,
                "  {mark} {}{} [{}] needs: {}{}",
                r.id,
                if r.output { " (output)" } else { "" },
                r.reference,
                if r.inputs.is_empty() {
                    "(no inputs)".to_string()
                } else {
                    r.inputs.join(", ")
                },
                if r.not_automatable.is_empty() {
                    String::new()
                } else {
                    format!(
                        " — lacking an authoritative source: {}",
                        r.not_automatable.join(", ")
                    )
                }
            )?;
        }
        if !self.unused_inputs.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "Declared but unused inputs: {}",
                self.unused_inputs.join(", ")
            )?;
        }
        Ok(())
    }
}
