//! Evaluation: a tree-walking interpreter over compiled expressions with memoised rules, used
//! both for one explained household and (without tracing) for whole populations.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::EvalError;
use crate::model::*;
use crate::value::{Base, Label, Period, Value, ValueType};

/// One household as given by a caller (HTTP/JSON or test files). Input names are the ones the
/// rule set declares; values are converted to the declared types.
///
/// JSON shape: `{"id": "h1", "members": [{"id": "p1", "role": "child", "birth_date": "2012-05-01"}]}`
/// — any other key on the household or a member is an input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Household {
    /// Identifier shown in traces and reports.
    #[serde(default)]
    pub id: String,
    /// The members.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Household-level inputs.
    #[serde(flatten)]
    pub inputs: BTreeMap<String, Value>,
}

/// One household member.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Member {
    /// Identifier shown in traces and explanations.
    #[serde(default)]
    pub id: String,
    /// Per-person inputs.
    #[serde(flatten)]
    pub inputs: BTreeMap<String, Value>,
}

/// Borrowed household data laid out by slot; the same layout serves single evaluations and the
/// columnar population store.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub hh: &'a [Option<Value>],
    /// Flattened `[member][person-input slot]`.
    pub members: &'a [Option<Value>],
    pub n_members: usize,
    pub stride: usize,
}

/// Values of every parameter on one date, computed once per period (not per household).
pub(crate) struct ParamsAt {
    pub values: Vec<Option<(Value, NaiveDate)>>,
    pub date: NaiveDate,
}

impl RuleSet {
    pub(crate) fn params_at(&self, date: NaiveDate) -> ParamsAt {
        ParamsAt {
            values: self
                .params
                .iter()
                .map(|p| {
                    p.values
                        .iter()
                        .rev()
                        .find(|(from, _)| *from <= date)
                        .map(|(from, v)| (v.clone(), *from))
                })
                .collect(),
            date,
        }
    }
}

/// Reusable per-thread buffers so a population run allocates nothing per household.
#[derive(Default)]
pub(crate) struct Scratch {
    hh_rules: Vec<Option<Value>>,
    p_rules: Vec<Option<Value>>,
    trace: Option<TraceRec>,
}

#[derive(Default)]
struct TraceRec {
    /// (is_person, slot) in completion order.
    rules: Vec<(bool, usize)>,
    params: Vec<usize>,
    tables: Vec<(usize, Decimal, usize)>,
    hh_inputs: Vec<usize>,
    /// `[member][slot]`: which per-person values were actually read.
    p_used: Vec<bool>,
}

/// Household inputs and flattened member inputs, by slot.
pub(crate) type SlotData = (Vec<Option<Value>>, Vec<Option<Value>>);

/// Errors are boxed inside the interpreter so the hot path returns small `Result`s.
pub(crate) type Res<T> = Result<T, Box<EvalError>>;

pub(crate) struct Ctx<'a> {
    pub rs: &'a RuleSet,
    pub params: &'a ParamsAt,
    pub period: Period,
    pub view: View<'a>,
}

fn num(v: Value) -> Decimal {
    match v {
        Value::Number(d) => d,
        _ => Decimal::ZERO,
    }
}

fn num_ref(v: &Value) -> Decimal {
    match v {
        Value::Number(d) => *d,
        _ => Decimal::ZERO,
    }
}

fn boolean(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// Age in whole years on `on` for someone born on `born`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i64 {
    let mut years = i64::from(on.year() - born.year());
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

impl<'a> Ctx<'a> {
    pub(crate) fn prepare(&self, s: &mut Scratch, trace: bool) {
        s.hh_rules.clear();
        s.hh_rules.resize(self.rs.hh_rules.len(), None);
        s.p_rules.clear();
        s.p_rules
            .resize(self.rs.p_rules.len() * self.view.n_members, None);
        s.trace = if trace {
            Some(TraceRec::default())
        } else {
            None
        };
    }

    /// Value of a rule (memoised). `member` is needed for per-person rules.
    pub(crate) fn rule(&self, s: &mut Scratch, ri: usize, member: Option<usize>) -> Res<Value> {
        let r = &self.rs.rules[ri];
        match r.entity {
            Entity::Household => {
                if let Some(v) = &s.hh_rules[r.slot] {
                    return Ok(v.clone());
                }
                let v = self
                    .eval(s, &r.code, None)
                    .map_err(|e| name_rule(e, &r.id))?;
                s.hh_rules[r.slot] = Some(v.clone());
                if let Some(t) = s.trace.as_mut() {
                    t.rules.push((false, r.slot));
                }
                Ok(v)
            }
            Entity::Person => {
                let m = member.unwrap_or(0);
                let idx = m * self.rs.p_rules.len() + r.slot;
                if let Some(v) = &s.p_rules[idx] {
                    return Ok(v.clone());
                }
                let v = self
                    .eval(s, &r.code, Some(m))
                    .map_err(|e| name_rule(e, &r.id))?;
                s.p_rules[idx] = Some(v.clone());
                if let Some(t) = s.trace.as_mut() {
                    if !t.rules.contains(&(true, r.slot)) {
                        t.rules.push((true, r.slot));
                    }
                }
                Ok(v)
            }
        }
    }

    fn hh_input(&self, s: &mut Scratch, slot: usize) -> Res<&'a Value> {
        if let Some(t) = s.trace.as_mut() {
            if !t.hh_inputs.contains(&slot) {
                t.hh_inputs.push(slot);
            }
        }
        self.view
            .hh
            .get(slot)
            .and_then(|v| v.as_ref())
            .ok_or_else(|| {
                Box::new(EvalError::MissingInput {
                    input: self.rs.inputs[self.rs.hh_inputs[slot]].id.clone(),
                    member: None,
                })
            })
    }

    fn p_input(&self, s: &mut Scratch, slot: usize, m: usize) -> Res<&'a Value> {
        if let Some(t) = s.trace.as_mut() {
            let i = m * self.view.stride + slot;
            if t.p_used.len() <= i {
                t.p_used
                    .resize(self.view.n_members * self.view.stride, false);
            }
            if let Some(u) = t.p_used.get_mut(i) {
                *u = true;
            }
        }
        self.view
            .members
            .get(m * self.view.stride + slot)
            .and_then(|v| v.as_ref())
            .ok_or_else(|| {
                Box::new(EvalError::MissingInput {
                    input: self.rs.inputs[self.rs.p_inputs[slot]].id.clone(),
                    member: Some(format!("#{}", m + 1)),
                })
            })
    }

    /// Borrows constants and inputs instead of cloning them (keeps shared `Arc<str>` texts out
    /// of the hot loop's reference counting).
    fn borrow(
        &self,
        s: &mut Scratch,
        e: &'a CExpr,
        member: Option<usize>,
    ) -> Res<Option<&'a Value>> {
        Ok(match e {
            CExpr::Const(v) => Some(v),
            CExpr::HhInput(i) => Some(self.hh_input(s, *i)?),
            CExpr::PInput(i) => Some(self.p_input(s, *i, member.unwrap_or(0))?),
            _ => None,
        })
    }

    /// True for nodes the type checker guarantees to be numeric, so comparisons can skip `Value`.
    fn is_num(&self, e: &CExpr) -> bool {
        match e {
            CExpr::Const(v) => matches!(v, Value::Number(_)),
            CExpr::Neg(_)
            | CExpr::Arith(..)
            | CExpr::F1(..)
            | CExpr::Min(_)
            | CExpr::Max(_)
            | CExpr::Age(..) => true,
            CExpr::Agg { func, .. } => !matches!(func, AggFunc::Any | AggFunc::All),
            CExpr::HhRule(slot) => self.rs.rules[self.rs.hh_rules[*slot]].base == Base::Number,
            CExpr::PRule(slot) => self.rs.rules[self.rs.p_rules[*slot]].base == Base::Number,
            CExpr::Param(i) => self.rs.params[*i].ty.base() == Base::Number,
            CExpr::HhInput(slot) => {
                self.rs.inputs[self.rs.hh_inputs[*slot]].ty.base() == Base::Number
            }
            CExpr::PInput(slot) => {
                self.rs.inputs[self.rs.p_inputs[*slot]].ty.base() == Base::Number
            }
            CExpr::Lookup(t, _) => self.rs.tables[*t].ty.base() == Base::Number,
            _ => false,
        }
    }

    /// Numeric evaluation without wrapping intermediate results in `Value` (the hot path of
    /// formulas).
    fn eval_num(&self, s: &mut Scratch, e: &'a CExpr, member: Option<usize>) -> Res<Decimal> {
        Ok(match e {
            CExpr::Const(Value::Number(d)) => *d,
            CExpr::PInput(i) => num_ref(self.p_input(s, *i, member.unwrap_or(0))?),
            CExpr::HhRule(slot) => match &s.hh_rules[*slot] {
                Some(Value::Number(d)) => *d,
                _ => num(self.rule(s, self.rs.hh_rules[*slot], None)?),
            },
            CExpr::Neg(x) => -self.eval_num(s, x, member)?,
            CExpr::Arith(op, a, b) => {
                let x = self.eval_num(s, a, member)?;
                let y = self.eval_num(s, b, member)?;
                let r = match op {
                    ArOp::Add => x.checked_add(y),
                    ArOp::Sub => x.checked_sub(y),
                    ArOp::Mul => x.checked_mul(y),
                    ArOp::Div => {
                        if y.is_zero() {
                            return Err(Box::new(EvalError::DivisionByZero {
                                rule: String::new(),
                            }));
                        }
                        x.checked_div(y)
                    }
                };
                r.ok_or_else(|| {
                    Box::new(EvalError::Overflow {
                        rule: String::new(),
                    })
                })?
            }
            CExpr::F1(f, x) => {
                let v = self.eval_num(s, x, member)?;
                match f {
                    Func1::Floor => v.floor(),
                    Func1::Ceil => v.ceil(),
                    Func1::Round => v.round_dp_with_strategy(
                        0,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    ),
                    Func1::Abs => v.abs(),
                }
            }
            CExpr::Min(xs) | CExpr::Max(xs) => {
                let is_min = matches!(e, CExpr::Min(_));
                let mut acc: Option<Decimal> = None;
                for x in xs {
                    let v = self.eval_num(s, x, member)?;
                    acc = Some(match acc {
                        None => v,
                        Some(a) if is_min => a.min(v),
                        Some(a) => a.max(v),
                    });
                }
                acc.unwrap_or(Decimal::ZERO)
            }
            CExpr::Age(b, d) => {
                let born = match self.borrow(s, b, member)? {
                    Some(Value::Date(x)) => *x,
                    Some(_) => NaiveDate::MIN,
                    None => match self.eval(s, b, member)? {
                        Value::Date(x) => x,
                        _ => NaiveDate::MIN,
                    },
                };
                let on = match d.as_ref() {
                    CExpr::PeriodStart => self.period.start,
                    CExpr::PeriodEnd => self.period.end,
                    other => match self.eval(s, other, member)? {
                        Value::Date(x) => x,
                        _ => NaiveDate::MIN,
                    },
                };
                Decimal::from(age_on(born, on))
            }
            CExpr::Agg {
                func: func @ (AggFunc::Count | AggFunc::Sum | AggFunc::Min | AggFunc::Max),
                value,
                filter,
            } => {
                let mut count: i64 = 0;
                let mut sum = Decimal::ZERO;
                let mut best: Option<Decimal> = None;
                for m in 0..self.view.n_members {
                    if let Some(f) = filter {
                        if !self.eval_bool(s, f, Some(m))? {
                            continue;
                        }
                    }
                    match (func, value) {
                        (AggFunc::Sum, Some(v)) => {
                            sum = sum.checked_add(self.eval_num(s, v, Some(m))?).ok_or_else(
                                || {
                                    Box::new(EvalError::Overflow {
                                        rule: String::new(),
                                    })
                                },
                            )?;
                        }
                        (AggFunc::Min | AggFunc::Max, Some(v)) => {
                            let x = self.eval_num(s, v, Some(m))?;
                            best = Some(match best {
                                None => x,
                                Some(b) if *func == AggFunc::Min => b.min(x),
                                Some(b) => b.max(x),
                            });
                        }
                        _ => count += 1,
                    }
                }
                match func {
                    AggFunc::Count => Decimal::from(count),
                    AggFunc::Sum => sum,
                    _ => best.unwrap_or(Decimal::ZERO),
                }
            }
            other => num(self.eval(s, other, member)?),
        })
    }

    /// Condition evaluation without wrapping intermediate results in `Value`.
    fn eval_bool(&self, s: &mut Scratch, e: &'a CExpr, member: Option<usize>) -> Res<bool> {
        Ok(match e {
            CExpr::Const(Value::Bool(b)) => *b,
            CExpr::PRule(slot) => {
                let idx = member.unwrap_or(0) * self.rs.p_rules.len() + *slot;
                match &s.p_rules[idx] {
                    Some(Value::Bool(b)) => *b,
                    _ => boolean(&self.rule(s, self.rs.p_rules[*slot], member)?),
                }
            }
            CExpr::HhRule(slot) => match &s.hh_rules[*slot] {
                Some(Value::Bool(b)) => *b,
                _ => boolean(&self.rule(s, self.rs.hh_rules[*slot], None)?),
            },
            CExpr::Not(x) => !self.eval_bool(s, x, member)?,
            CExpr::And(a, b) => self.eval_bool(s, a, member)? && self.eval_bool(s, b, member)?,
            CExpr::Or(a, b) => self.eval_bool(s, a, member)? || self.eval_bool(s, b, member)?,
            CExpr::Cmp(op, a, b) => {
                // The type checker made both sides the same kind: one numeric side suffices.
                if self.is_num(a) || self.is_num(b) {
                    let va = self.eval_num(s, a, member)?;
                    let vb = self.eval_num(s, b, member)?;
                    return Ok(match op {
                        CmpOp::Eq => va == vb,
                        CmpOp::Ne => va != vb,
                        CmpOp::Lt => va < vb,
                        CmpOp::Le => va <= vb,
                        CmpOp::Gt => va > vb,
                        CmpOp::Ge => va >= vb,
                    });
                }
                let owned_a;
                let va = match self.borrow(s, a, member)? {
                    Some(v) => v,
                    None => {
                        owned_a = self.eval(s, a, member)?;
                        &owned_a
                    }
                };
                let owned_b;
                let vb = match self.borrow(s, b, member)? {
                    Some(v) => v,
                    None => {
                        owned_b = self.eval(s, b, member)?;
                        &owned_b
                    }
                };
                match op {
                    CmpOp::Eq => va == vb,
                    CmpOp::Ne => va != vb,
                    CmpOp::Lt => cmp_values(va, vb) == Ordering::Less,
                    CmpOp::Le => cmp_values(va, vb) != Ordering::Greater,
                    CmpOp::Gt => cmp_values(va, vb) == Ordering::Greater,
                    CmpOp::Ge => cmp_values(va, vb) != Ordering::Less,
                }
            }
            other => boolean(&self.eval(s, other, member)?),
        })
    }

    pub(crate) fn eval(&self, s: &mut Scratch, e: &'a CExpr, member: Option<usize>) -> Res<Value> {
        Ok(match e {
            CExpr::Const(v) => v.clone(),
            CExpr::HhInput(i) => self.hh_input(s, *i)?.clone(),
            CExpr::PInput(i) => self.p_input(s, *i, member.unwrap_or(0))?.clone(),
            CExpr::HhRule(slot) => self.rule(s, self.rs.hh_rules[*slot], None)?,
            CExpr::PRule(slot) => self.rule(s, self.rs.p_rules[*slot], member)?,
            CExpr::Param(i) => {
                if let Some(t) = s.trace.as_mut() {
                    if !t.params.contains(i) {
                        t.params.push(*i);
                    }
                }
                match &self.params.values[*i] {
                    Some((v, _)) => v.clone(),
                    None => {
                        return Err(Box::new(EvalError::NoParameterValue {
                            parameter: self.rs.params[*i].id.clone(),
                            date: self.params.date.to_string(),
                        }))
                    }
                }
            }
            CExpr::PeriodStart => Value::Date(self.period.start),
            CExpr::PeriodEnd => Value::Date(self.period.end),
            CExpr::Neg(_)
            | CExpr::Arith(..)
            | CExpr::F1(..)
            | CExpr::Min(_)
            | CExpr::Max(_)
            | CExpr::Age(..) => Value::Number(self.eval_num(s, e, member)?),
            CExpr::Not(_) | CExpr::And(..) | CExpr::Or(..) | CExpr::Cmp(..) => {
                Value::Bool(self.eval_bool(s, e, member)?)
            }
            CExpr::If(c, t, f) => {
                if self.eval_bool(s, c, member)? {
                    self.eval(s, t, member)?
                } else {
                    self.eval(s, f, member)?
                }
            }
            CExpr::Lookup(t, k) => {
                let key = self.eval_num(s, k, member)?;
                let table = &self.rs.tables[*t];
                let row = table.rows.iter().position(|r| {
                    r.from.is_none_or(|f| key >= f) && r.to.is_none_or(|to| key <= to)
                });
                match row {
                    Some(ri) => {
                        if let Some(tr) = s.trace.as_mut() {
                            if !tr.tables.iter().any(|(tt, kk, _)| tt == t && *kk == key) {
                                tr.tables.push((*t, key, ri));
                            }
                        }
                        table.rows[ri].value.clone()
                    }
                    None => {
                        return Err(Box::new(EvalError::NoTableRow {
                            table: table.id.clone(),
                            key: key.normalize().to_string(),
                        }))
                    }
                }
            }
            CExpr::Agg {
                func,
                value,
                filter,
            } => {
                let mut count = Decimal::ZERO;
                let mut sum = Decimal::ZERO;
                let mut best: Option<Decimal> = None;
                let mut all = true;
                for m in 0..self.view.n_members {
                    if let Some(f) = filter {
                        if !self.eval_bool(s, f, Some(m))? {
                            continue;
                        }
                    }
                    match func {
                        AggFunc::Count | AggFunc::Any => count += Decimal::ONE,
                        AggFunc::Sum => {
                            if let Some(v) = value {
                                sum = sum.checked_add(self.eval_num(s, v, Some(m))?).ok_or_else(
                                    || {
                                        Box::new(EvalError::Overflow {
                                            rule: String::new(),
                                        })
                                    },
                                )?;
                            }
                        }
                        AggFunc::Min | AggFunc::Max => {
                            if let Some(v) = value {
                                let x = self.eval_num(s, v, Some(m))?;
                                best = Some(match best {
                                    None => x,
                                    Some(b) if *func == AggFunc::Min => b.min(x),
                                    Some(b) => b.max(x),
                                });
                            }
                        }
                        AggFunc::All => {
                            if let Some(v) = value {
                                if !self.eval_bool(s, v, Some(m))? {
                                    all = false;
                                    break;
                                }
                            }
                        }
                    }
                }
                match func {
                    AggFunc::Count => Value::Number(count),
                    AggFunc::Any => Value::Bool(!count.is_zero()),
                    AggFunc::Sum => Value::Number(sum),
                    AggFunc::Min | AggFunc::Max => Value::Number(best.unwrap_or(Decimal::ZERO)),
                    AggFunc::All => Value::Bool(all),
                }
            }
        })
    }
}

fn name_rule(mut e: Box<EvalError>, rule: &str) -> Box<EvalError> {
    if let EvalError::DivisionByZero { rule: r } | EvalError::Overflow { rule: r } = e.as_mut() {
        if r.is_empty() {
            *r = rule.to_string();
        }
    }
    e
}

/// The machine-readable record of an evaluation: everything the explanation says, as data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Trace {
    /// Rule set id.
    pub ruleset: String,
    /// Rule set name.
    pub ruleset_name: Label,
    /// Household id as given.
    pub household: String,
    /// The month decided.
    pub period: Period,
    /// Requested outputs and their values.
    pub outputs: Vec<TraceOutput>,
    /// Rules evaluated, dependencies first.
    pub rules: Vec<TraceRule>,
    /// Parameters used, with the value in force on the period's first day.
    pub parameters: Vec<TraceParameter>,
    /// Decision-table lookups.
    pub tables: Vec<TraceTable>,
    /// Input data used, with its source.
    pub inputs: Vec<TraceInput>,
    /// Note from the rule set (e.g. that parameters are invented).
    pub note: Option<Label>,
}

/// An output value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceOutput {
    /// Rule id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Declared type, for formatting.
    #[serde(rename = "type")]
    pub ty: Option<ValueType>,
    /// Value.
    pub value: Value,
}

/// One evaluated rule.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceRule {
    /// Rule id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Optional citizen-facing sentence with `{value}`.
    pub explain: Option<Label>,
    /// Condition or formula.
    pub kind: RuleKind,
    /// Household or person.
    pub entity: Entity,
    /// Declared or inferred type.
    #[serde(rename = "type")]
    pub ty: Option<ValueType>,
    /// Legal reference.
    pub reference: String,
    /// The expression as written.
    pub expression: String,
    /// Household-level value.
    pub value: Option<Value>,
    /// Per-member values for per-person rules.
    pub member_values: Vec<MemberValue>,
}

/// A value for one member.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MemberValue {
    /// Member id.
    pub member: String,
    /// Value.
    pub value: Value,
}

/// A parameter used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceParameter {
    /// Parameter id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Type.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// Value in force.
    pub value: Value,
    /// Date from which that value applies.
    pub valid_from: NaiveDate,
    /// Legal reference.
    pub reference: String,
}

/// A table lookup.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceTable {
    /// Table id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Key looked up.
    pub key: Value,
    /// Matched row's lower bound (inclusive).
    pub row_from: Option<Value>,
    /// Matched row's upper bound (inclusive).
    pub row_to: Option<Value>,
    /// Result.
    pub value: Value,
    /// Value type.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// Legal reference.
    pub reference: String,
}

/// An input used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceInput {
    /// Input id.
    pub id: String,
    /// Label.
    pub label: Label,
    /// Household or person.
    pub entity: Entity,
    /// Type.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// Source id, `None` if no source provides it.
    pub source: Option<String>,
    /// Source label.
    pub source_label: Option<Label>,
    /// Household-level value.
    pub value: Option<Value>,
    /// Per-member values.
    pub member_values: Vec<MemberValue>,
}

/// Result of evaluating one household: output values, the structured trace and, via
/// [`Evaluation::explanation`], a citizen-readable text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evaluation {
    /// Output rule values by name.
    pub outputs: BTreeMap<String, Value>,
    /// Structured trace for machines.
    pub trace: Trace,
}

impl Evaluation {
    /// Value of an output (or any requested rule).
    pub fn get(&self, rule: &str) -> Option<&Value> {
        self.outputs.get(rule)
    }

    /// The trace as JSON.
    pub fn trace_json(&self) -> String {
        serde_json::to_string_pretty(&self.trace).unwrap_or_default()
    }
}

impl RuleSet {
    /// Converts a caller's household into slot layout, checking names and types.
    pub(crate) fn household_data(&self, h: &Household) -> Result<SlotData, EvalError> {
        let mut hh = vec![None; self.hh_inputs.len()];
        for (k, v) in &h.inputs {
            let i = self
                .input_index(k)
                .filter(|&i| self.inputs[i].entity == Entity::Household)
                .ok_or_else(|| EvalError::UnknownInput {
                    input: k.clone(),
                    member: None,
                })?;
            let inp = &self.inputs[i];
            hh[inp.slot] = Some(inp.ty.coerce(v).map_err(|found| EvalError::InputType {
                input: k.clone(),
                member: None,
                expected: inp.ty.name().into(),
                found,
            })?);
        }
        let stride = self.p_inputs.len();
        let mut members = vec![None; stride * h.members.len()];
        for (mi, m) in h.members.iter().enumerate() {
            for (k, v) in &m.inputs {
                let i = self
                    .input_index(k)
                    .filter(|&i| self.inputs[i].entity == Entity::Person)
                    .ok_or_else(|| EvalError::UnknownInput {
                        input: k.clone(),
                        member: Some(m.id.clone()),
                    })?;
                let inp = &self.inputs[i];
                members[mi * stride + inp.slot] =
                    Some(inp.ty.coerce(v).map_err(|found| EvalError::InputType {
                        input: k.clone(),
                        member: Some(m.id.clone()),
                        expected: inp.ty.name().into(),
                        found,
                    })?);
            }
        }
        Ok((hh, members))
    }

    /// Evaluates the rule set's outputs for one household and month, with a full trace.
    pub fn evaluate(&self, household: &Household, period: Period) -> Result<Evaluation, EvalError> {
        self.evaluate_rules(household, period, &[])
    }

    /// Like [`RuleSet::evaluate`], but for the named rules (any rule, not just outputs); an empty
    /// list means the declared outputs.
    pub fn evaluate_rules(
        &self,
        household: &Household,
        period: Period,
        rules: &[&str],
    ) -> Result<Evaluation, EvalError> {
        let targets: Vec<usize> = if rules.is_empty() {
            self.output_indices()
        } else {
            rules
                .iter()
                .map(|n| {
                    self.rule_index(n)
                        .ok_or_else(|| EvalError::UnknownRule((*n).to_string()))
                })
                .collect::<Result<_, _>>()?
        };
        let (hh, members) = self.household_data(household)?;
        let params = self.params_at(period.start);
        let ctx = Ctx {
            rs: self,
            params: &params,
            period,
            view: View {
                hh: &hh,
                members: &members,
                n_members: household.members.len(),
                stride: self.p_inputs.len(),
            },
        };
        let mut s = Scratch::default();
        ctx.prepare(&mut s, true);
        let mut outputs = BTreeMap::new();
        let mut touts = Vec::new();
        for &t in &targets {
            let r = &self.rules[t];
            let v = if r.entity == Entity::Person {
                // A per-person rule requested directly: evaluate for every member, report the first.
                let mut first = None;
                for m in 0..household.members.len() {
                    let v = ctx.rule(&mut s, t, Some(m)).map_err(|e| *e)?;
                    first.get_or_insert(v);
                }
                first.unwrap_or(Value::Bool(false))
            } else {
                ctx.rule(&mut s, t, None).map_err(|e| *e)?
            };
            outputs.insert(r.id.clone(), v.clone());
            touts.push(TraceOutput {
                id: r.id.clone(),
                label: r.label.clone(),
                ty: r.ty,
                value: v,
            });
        }
        let rec = s.trace.take().unwrap_or_default();
        let member_id = |m: usize| -> String {
            household
                .members
                .get(m)
                .map(|x| {
                    if x.id.is_empty() {
                        format!("#{}", m + 1)
                    } else {
                        x.id.clone()
                    }
                })
                .unwrap_or_default()
        };
        let rules = rec
            .rules
            .iter()
            .map(|&(is_p, slot)| {
                let ri = if is_p {
                    self.p_rules[slot]
                } else {
                    self.hh_rules[slot]
                };
                let r = &self.rules[ri];
                let (value, member_values) = if is_p {
                    let np = self.p_rules.len();
                    let mv = (0..household.members.len())
                        .filter_map(|m| {
                            s.p_rules[m * np + slot].clone().map(|v| MemberValue {
                                member: member_id(m),
                                value: v,
                            })
                        })
                        .collect();
                    (None, mv)
                } else {
                    (s.hh_rules[slot].clone(), Vec::new())
                };
                TraceRule {
                    id: r.id.clone(),
                    label: r.label.clone(),
                    explain: r.explain.clone(),
                    kind: r.kind,
                    entity: r.entity,
                    ty: r.ty,
                    reference: r.reference.clone(),
                    expression: r.source_text.clone(),
                    value,
                    member_values,
                }
            })
            .collect();
        let parameters = rec
            .params
            .iter()
            .filter_map(|&i| {
                let p = &self.params[i];
                params.values[i].as_ref().map(|(v, from)| TraceParameter {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    ty: p.ty,
                    value: v.clone(),
                    valid_from: *from,
                    reference: p.reference.clone(),
                })
            })
            .collect();
        let tables = rec
            .tables
            .iter()
            .map(|&(t, key, row)| {
                let tb = &self.tables[t];
                let r = &tb.rows[row];
                TraceTable {
                    id: tb.id.clone(),
                    label: tb.label.clone(),
                    key: Value::Number(key),
                    row_from: r.from.map(Value::Number),
                    row_to: r.to.map(Value::Number),
                    value: r.value.clone(),
                    ty: tb.ty,
                    reference: tb.reference.clone(),
                }
            })
            .collect();
        let mut inputs = Vec::new();
        let source_of = |inp: &InputDef| {
            inp.source
                .map(|si| (self.sources[si].id.clone(), self.sources[si].label.clone()))
        };
        let mut hh_used = rec.hh_inputs.clone();
        hh_used.sort_unstable();
        for slot in hh_used {
            let inp = &self.inputs[self.hh_inputs[slot]];
            let src = source_of(inp);
            inputs.push(TraceInput {
                id: inp.id.clone(),
                label: inp.label.clone(),
                entity: inp.entity,
                ty: inp.ty,
                source: src.as_ref().map(|s| s.0.clone()),
                source_label: src.map(|s| s.1),
                value: hh[slot].clone(),
                member_values: Vec::new(),
            });
        }
        let stride = self.p_inputs.len();
        let used =
            |m: usize, slot: usize| rec.p_used.get(m * stride + slot).copied().unwrap_or(false);
        for slot in 0..stride {
            if !(0..household.members.len()).any(|m| used(m, slot)) {
                continue;
            }
            let inp = &self.inputs[self.p_inputs[slot]];
            let src = source_of(inp);
            inputs.push(TraceInput {
                id: inp.id.clone(),
                label: inp.label.clone(),
                entity: inp.entity,
                ty: inp.ty,
                source: src.as_ref().map(|s| s.0.clone()),
                source_label: src.map(|s| s.1),
                value: None,
                member_values: (0..household.members.len())
                    .filter(|&m| used(m, slot))
                    .filter_map(|m| {
                        members[m * stride + slot].clone().map(|v| MemberValue {
                            member: member_id(m),
                            value: v,
                        })
                    })
                    .collect(),
            });
        }
        Ok(Evaluation {
            outputs,
            trace: Trace {
                ruleset: self.meta.id.clone(),
                ruleset_name: self.meta.name.clone(),
                household: household.id.clone(),
                period,
                outputs: touts,
                rules,
                parameters,
                tables,
                inputs,
                note: self.meta.note.clone(),
            },
        })
    }
}

impl Trace {
    /// Reads a trace stored as JSON (its serialised form) so that it explains exactly as the
    /// evaluation did. Values are stored as strings (numbers as exact decimals, dates as
    /// `YYYY-MM-DD`), so each is read back as its declared type; a value without one (a table
    /// key or row bound) is a number or a date when it reads as one.
    pub fn from_json(json: &str) -> Result<Trace, serde_json::Error> {
        Self::from_value(serde_json::from_str(json)?)
    }

    /// [`Trace::from_json`] from parsed JSON.
    pub fn from_value(json: serde_json::Value) -> Result<Trace, serde_json::Error> {
        let mut t: Trace = serde_json::from_value(json)?;
        for o in &mut t.outputs {
            retype(&mut o.value, o.ty);
        }
        for r in &mut t.rules {
            if let Some(v) = &mut r.value {
                retype(v, r.ty);
            }
            for m in &mut r.member_values {
                retype(&mut m.value, r.ty);
            }
        }
        for p in &mut t.parameters {
            retype(&mut p.value, Some(p.ty));
        }
        for tb in &mut t.tables {
            retype(&mut tb.key, None);
            for b in [&mut tb.row_from, &mut tb.row_to].into_iter().flatten() {
                retype(b, None);
            }
            retype(&mut tb.value, Some(tb.ty));
        }
        for i in &mut t.inputs {
            if let Some(v) = &mut i.value {
                retype(v, Some(i.ty));
            }
            for m in &mut i.member_values {
                retype(&mut m.value, Some(i.ty));
            }
        }
        Ok(t)
    }
}

/// A value read back from its string form as `ty` (or, untyped, as a number or a date).
fn retype(v: &mut Value, ty: Option<ValueType>) {
    let Value::Text(t) = v else {
        return;
    };
    let typed = match ty {
        Some(ValueType::Text) => None,
        Some(ty) => ty.parse_value(t).ok(),
        None => crate::value::parse_decimal(t)
            .filter(|_| !t.contains(['_', '%']))
            .map(Value::Number)
            .or_else(|| crate::value::parse_date(t).map(Value::Date)),
    };
    if let Some(x) = typed {
        *v = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        let d = |s: &str| crate::value::parse_date(s).unwrap();
        assert_eq!(age_on(d("2006-09-01"), d("2024-09-01")), 18);
        assert_eq!(age_on(d("2006-09-02"), d("2024-09-01")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-03-01")), 18);
    }
}
