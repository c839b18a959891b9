//! The loaded, checked and compiled rule set.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::value::{Base, Label, Value, ValueType};

/// Whether an input or rule belongs to the household or to each member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// One value per household.
    Household,
    /// One value per household member.
    Person,
}

/// Rule-set metadata from the `ruleset:` section.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub name: Label,
    pub description: Option<Label>,
    pub note: Option<Label>,
    pub main_output: Option<usize>,
}

/// A data source, e.g. Folkeregisteret.
#[derive(Debug, Clone)]
pub struct SourceDef {
    pub id: String,
    pub label: Label,
    /// Whether this is an authoritative source of sufficient quality to automate on.
    pub authoritative: bool,
    pub quality: Option<String>,
}

/// A declared input data item.
#[derive(Debug, Clone)]
pub struct InputDef {
    pub id: String,
    pub label: Label,
    pub entity: Entity,
    pub ty: ValueType,
    /// Index into `RuleSet::sources`; `None` when no source provides it.
    pub source: Option<usize>,
    pub reference: Option<String>,
    pub slot: usize,
}

/// A time-versioned parameter.
#[derive(Debug, Clone)]
pub struct ParamDef {
    pub id: String,
    pub label: Label,
    pub ty: ValueType,
    pub reference: String,
    /// Sorted by date: each value applies from its date until the next one.
    pub values: Vec<(NaiveDate, Value)>,
}

/// One row of a decision table: inclusive range of the key.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub from: Option<Decimal>,
    pub to: Option<Decimal>,
    pub value: Value,
}

/// A decision table keyed on a number.
#[derive(Debug, Clone)]
pub struct TableDef {
    pub id: String,
    pub label: Label,
    pub ty: ValueType,
    pub reference: String,
    pub rows: Vec<TableRow>,
}

/// Condition (true/false, explained as held / did not hold) or formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Gives true or false.
    Condition,
    /// Gives a value.
    Formula,
}

/// A rule after checking and compilation.
#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: String,
    pub label: Label,
    pub explain: Option<Label>,
    pub entity: Entity,
    pub kind: RuleKind,
    pub ty: Option<ValueType>,
    pub base: Base,
    pub reference: String,
    pub source_text: String,
    pub output: bool,
    pub slot: usize,
    pub code: CExpr,
    /// Rules this rule uses directly (indices into `RuleSet::rules`).
    pub deps: Vec<usize>,
    /// Inputs this rule uses directly.
    pub input_deps: Vec<usize>,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Aggregate functions over members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggFunc {
    Count,
    Sum,
    Min,
    Max,
    Any,
    All,
}

/// Numeric functions of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func1 {
    Floor,
    Ceil,
    Round,
    Abs,
}

/// Compiled expression: names resolved to slots, so evaluation does no string lookups.
#[derive(Debug, Clone)]
pub enum CExpr {
    Const(Value),
    HhInput(usize),
    PInput(usize),
    HhRule(usize),
    PRule(usize),
    Param(usize),
    PeriodStart,
    PeriodEnd,
    Neg(Box<CExpr>),
    Not(Box<CExpr>),
    Arith(ArOp, Box<CExpr>, Box<CExpr>),
    Cmp(CmpOp, Box<CExpr>, Box<CExpr>),
    And(Box<CExpr>, Box<CExpr>),
    Or(Box<CExpr>, Box<CExpr>),
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    F1(Func1, Box<CExpr>),
    Min(Vec<CExpr>),
    Max(Vec<CExpr>),
    Age(Box<CExpr>, Box<CExpr>),
    Lookup(usize, Box<CExpr>),
    Agg {
        func: AggFunc,
        value: Option<Box<CExpr>>,
        filter: Option<Box<CExpr>>,
    },
}

/// A loaded rule set: every name resolved, types checked, no cycles. Cheap to share between
/// threads (`&RuleSet` is `Sync`).
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) dir: PathBuf,
    pub(crate) meta: Meta,
    pub(crate) sources: Vec<SourceDef>,
    pub(crate) inputs: Vec<InputDef>,
    pub(crate) params: Vec<ParamDef>,
    pub(crate) tables: Vec<TableDef>,
    pub(crate) rules: Vec<RuleDef>,
    /// Slot → index into `inputs`, per entity.
    pub(crate) hh_inputs: Vec<usize>,
    pub(crate) p_inputs: Vec<usize>,
    /// Slot → index into `rules`, per entity.
    pub(crate) hh_rules: Vec<usize>,
    pub(crate) p_rules: Vec<usize>,
}

impl RuleSet {
    /// The rule set's id (from `ruleset.id`, or the directory name).
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The directory it was loaded from.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Name of the main output rule (used by population runs), if declared.
    pub fn main_output(&self) -> Option<&str> {
        self.meta.main_output.map(|i| self.rules[i].id.as_str())
    }

    /// Names of all rules marked `output: true` (plus the main output).
    pub fn outputs(&self) -> Vec<&str> {
        self.output_indices()
            .into_iter()
            .map(|i| self.rules[i].id.as_str())
            .collect()
    }

    pub(crate) fn output_indices(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.rules.len())
            .filter(|&i| self.rules[i].output || Some(i) == self.meta.main_output)
            .collect();
        v.dedup();
        v
    }

    /// Names of all rules, in dependency order.
    pub fn rule_names(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id.as_str()).collect()
    }

    pub(crate) fn rule_index(&self, name: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == name)
    }

    pub(crate) fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|r| r.id == name)
    }
}
