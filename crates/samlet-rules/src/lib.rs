//! # samlet-rules — rules as code for Samlet
//!
//! Eligibility and benefit rules written by policy analysts as plain YAML files, then
//! **tested** with YAML cases, **explained** to citizens (in bokmål, nynorsk, English and
//! Danish, from Fluent messages in `locales/<lang>/*.ftl` beside the YAML) with the
//! conditions, rates, data and paragraphs used, **checked for automation** (does an
//! authoritative source supply every input a rule needs?), and **run over a population** from
//! CSV on all cores.
//!
//! ## File format (full guide: `docs/rules-format.md`)
//!
//! A rule set is a directory. Every `*.yaml` file directly inside it may hold any of the
//! top-level sections `ruleset`, `sources`, `inputs`, `parameters`, `tables`, `rules`; test
//! cases live in `tests/*.yaml`. Every parameter, table and rule carries a `reference` to the
//! paragraph it implements, and every input names its `source` (or `none`). Names, labels and
//! explanations are message ids; a rule set missing a message in any language does not load.
//!
//! ```yaml
//! ruleset:
//!   id: child-benefit
//!   name: child-benefit-name
//!   period: month
//!   main_output: child_benefit
//! sources:
//!   Folkeregisteret: { authoritative: true, label: child-benefit-source-folkeregisteret }
//! inputs:
//!   birth_date: { entity: person, type: date, source: Folkeregisteret }
//!   role:       { entity: person, type: text, source: Folkeregisteret }
//! parameters:
//!   amount_per_child:
//!     type: money
//!     reference: "barnetrygdloven § 10"
//!     values: { 2000-01-01: 1510, 2024-09-01: 1766 }
//! tables:
//!   supplement:
//!     type: money
//!     reference: "invented § 11"
//!     rows: [ { to: 2, value: 0 }, { from: 3, value: 500 } ]
//! rules:
//!   is_child:
//!     entity: person
//!     reference: "barnetrygdloven § 2"
//!     condition: role = "child" and age(birth_date, period.start) < 18
//!   number_of_children:
//!     reference: "barnetrygdloven § 2"
//!     type: integer
//!     formula: count(members where is_child)
//!   child_benefit:
//!     reference: "barnetrygdloven § 10"
//!     type: money
//!     formula: floor(number_of_children * amount_per_child + lookup(supplement, number_of_children))
//! ```
//!
//! Expressions: decimals (`1_200_000`, `10%`), text in quotes, `true`/`false`,
//! `+ - * /`, `= != < <= > >=`, `and or not`, `if … then … else …`, `floor ceil round abs`,
//! `min(a, b, …)`, `max(a, b, …)`, `age(birth_date, date)`, `date("2024-09-01")`,
//! `lookup(table, key)`, `period.start`, `period.end`, and aggregates over household members:
//! `count(members where …)`, `sum(x for members where …)`, `min/max(x for members …)`,
//! `any(members where …)`, `all(cond for members)`. Parameters are looked up at the period's
//! first day.
//!
//! Everything is checked at load: YAML structure, expression syntax (errors give file, line and
//! column), unknown names, types, overlapping table rows and cycles between rules.
//! Expressions are compiled to a tree with resolved slot indices, so evaluation does no string
//! lookups.
//!
//! ## API
//!
//! ```no_run
//! use samlet_rules::{load_rule_set, run_population, Household, Lang, Period};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let rs = load_rule_set("rules/child-benefit")?;
//! let report = rs.run_default_tests();          // or rs.run_tests("path/to/tests")
//! println!("{report}");
//! let household: Household = serde_json::from_str(
//!     r#"{"id":"h1","members":[{"id":"mor","role":"parent","birth_date":"1985-01-01","annual_income":500000},
//!                              {"id":"barn","role":"child","birth_date":"2015-06-01","annual_income":0}]}"#)?;
//! let period: Period = "2024-09".parse()?;
//! let ev = rs.evaluate(&household, period)?;
//! println!("{}", ev.explanation(Lang::Nb));
//! println!("{}", serde_json::to_string(&ev.trace)?);
//! println!("{}", rs.inputs_report());
//! let stats = run_population(&rs, std::fs::File::open("pop.csv")?, period,
//!                            std::fs::File::create("out.csv")?, |done, total| eprintln!("{done}/{total}"))?;
//! println!("load {:?}, compute {:?}", stats.load_time, stats.compute_time);
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod eval;
mod explain;
mod expr;
mod load;
mod model;
mod population;
mod report;
mod shipped;
mod testcase;
mod value;
/// The positioned YAML reader, shared with other Samlet catalogues (life events) so their
/// errors name file, line and column the same way.
#[allow(missing_docs)]
pub mod yaml;

pub use error::{ErrorKind, EvalError, LoadError};
pub use eval::{
    age_on, Evaluation, Household, Member, MemberValue, Trace, TraceInput, TraceOutput,
    TraceParameter, TraceRule, TraceTable,
};
pub use explain::explain_trace;
pub use load::{
    check_messages, is_ftl, load_messages, load_rule_set, load_rule_set_from_files, read_locales,
};
pub use model::{Entity, RuleKind, RuleSet};
pub use population::{
    generate_population, load_population, run_population, Population, PopulationError,
    PopulationStats, SplitMix64,
};
pub use report::{InputInfo, InputsReport, RuleNeeds};
pub use rust_decimal::Decimal;
pub use shipped::shipped_rule_sets;
pub use testcase::{CaseResult, Failure, TestReport};
pub use value::{format_date, Label, Lang, Period, Value, ValueType};
