//! YAML test cases for a rule set, so rules can be tested before they are passed.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{ErrorKind, LoadError};
use crate::eval::{Household, Member};
use crate::model::{Entity, RuleSet};
use crate::value::{Base, Period, Value, ValueType};
use crate::yaml::{Node, Reader, Source};

/// One mismatch or error in a test case, with the position of the expectation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Failure {
    /// Line of the expectation (or the case).
    pub line: usize,
    /// Column.
    pub column: usize,
    /// Rule compared, if any.
    pub rule: Option<String>,
    /// Expected value, as written.
    pub expected: Option<String>,
    /// Actual value.
    pub actual: Option<String>,
    /// Human-readable message.
    pub message: String,
}

/// Result of one test case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseResult {
    /// File of the case.
    pub file: PathBuf,
    /// Line where the case starts.
    pub line: usize,
    /// Case name.
    pub name: String,
    /// Month evaluated.
    pub period: Option<Period>,
    /// Empty when the case passed.
    pub failures: Vec<Failure>,
}

impl CaseResult {
    /// True when nothing failed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Outcome of running test files. `Display` lists every failure with file:line:column.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TestReport {
    /// Every case run.
    pub cases: Vec<CaseResult>,
    /// Files that could not be read or parsed at all.
    pub file_errors: Vec<String>,
}

impl TestReport {
    /// Number of passing cases.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// Number of failing cases plus unreadable files.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed() + self.file_errors.len()
    }

    /// True when everything passed and at least one case ran.
    pub fn ok(&self) -> bool {
        self.failed() == 0 && !self.cases.is_empty()
    }
}

impl fmt::Display for TestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.file_errors {
            writeln!(f, "ERROR {e}")?;
        }
        for c in &self.cases {
            if c.passed() {
                continue;
            }
            let period = c.period.map(|p| format!(" ({p})")).unwrap_or_default();
            writeln!(
                f,
                "FAIL {}:{}: {}{}",
                c.file.display(),
                c.line,
                c.name,
                period
            )?;
            for fl in &c.failures {
                writeln!(
                    f,
                    "  {}:{}:{}: {}",
                    c.file.display(),
                    fl.line,
                    fl.column,
                    fl.message
                )?;
            }
        }
        writeln!(f, "{} passed, {} failed", self.passed(), self.failed())
    }
}

fn collect_yaml(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let rd = std::fs::read_dir(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_yaml(&p, out)?;
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
    Ok(())
}

fn display_value(v: &Value) -> String {
    v.to_string()
}

impl RuleSet {
    /// Runs the test cases in the rule set's own `tests/` directory.
    pub fn run_default_tests(&self) -> TestReport {
        self.run_tests(self.dir.join("tests"))
    }

    /// Runs test cases from a file or a directory (searched recursively for `*.yaml`).
    pub fn run_tests(&self, path: impl AsRef<Path>) -> TestReport {
        let mut report = TestReport::default();
        let mut files = Vec::new();
        if let Err(e) = collect_yaml(path.as_ref(), &mut files) {
            report.file_errors.push(e.to_string());
            return report;
        }
        if files.is_empty() {
            report.file_errors.push(format!(
                "{}: no test files (*.yaml) found",
                path.as_ref().display()
            ));
        }
        for file in files {
            match Source::read(file) {
                Ok(src) => {
                    if let Err(e) = self.run_test_source(&src, &mut report) {
                        report.file_errors.push(e.to_string());
                    }
                }
                Err(e) => report.file_errors.push(e.to_string()),
            }
        }
        report
    }

    /// Runs test cases from YAML text (for tools that keep tests elsewhere).
    pub fn run_tests_from_str(&self, name: &str, text: &str) -> TestReport {
        let mut report = TestReport::default();
        let src = Source {
            path: PathBuf::from(name),
            text: text.to_string(),
        };
        if let Err(e) = self.run_test_source(&src, &mut report) {
            report.file_errors.push(e.to_string());
        }
        report
    }

    fn run_test_source(&self, src: &Source, report: &mut TestReport) -> Result<(), LoadError> {
        let Some(root) = src.parse()? else {
            return Ok(());
        };
        let r = Reader { src };
        let top = r.fields(&root, "a test file", &["tests"], &["tests"])?;
        for case in r.seq(top.get("tests").unwrap_or(&root), "`tests`")? {
            let result = match self.run_case(&r, case) {
                Ok(c) => c,
                Err(e) => {
                    let (line, column) = e
                        .position()
                        .map(|(_, l, c)| (l, c))
                        .unwrap_or((case.pos.line, case.pos.col));
                    let msg = match &e {
                        LoadError::At { message, .. } => message.clone(),
                        other => other.to_string(),
                    };
                    CaseResult {
                        file: src.path.clone(),
                        line: case.pos.line,
                        name: case_name(&r, case),
                        period: None,
                        failures: vec![Failure {
                            line,
                            column,
                            rule: None,
                            expected: None,
                            actual: None,
                            message: format!("invalid test case: {msg}"),
                        }],
                    }
                }
            };
            report.cases.push(result);
        }
        Ok(())
    }

    fn parse_inputs(
        &self,
        r: &Reader,
        node: &Node,
        entity: Entity,
        skip: &[&str],
    ) -> Result<std::collections::BTreeMap<String, Value>, LoadError> {
        let mut out = std::collections::BTreeMap::new();
        for (k, v) in r.map(node, "inputs")? {
            let key = r.str(k, "an input name")?;
            if skip.contains(&key) {
                continue;
            }
            let idx = self
                .input_index(key)
                .filter(|&i| self.inputs[i].entity == entity)
                .ok_or_else(|| {
                    let known: Vec<&str> = self
                        .inputs
                        .iter()
                        .filter(|i| i.entity == entity)
                        .map(|i| i.id.as_str())
                        .collect();
                    r.err(
                        k,
                        ErrorKind::UnknownName,
                        format!(
                            "`{key}` is not a declared {} input (known: {})",
                            if entity == Entity::Person {
                                "per-person"
                            } else {
                                "household"
                            },
                            known.join(", ")
                        ),
                    )
                })?;
            let ty = self.inputs[idx].ty;
            let s = r.str(v, "an input value")?;
            let val = ty
                .parse_value(s)
                .map_err(|m| r.err(v, ErrorKind::Value, format!("`{key}`: {m}")))?;
            out.insert(key.to_string(), val);
        }
        Ok(out)
    }

    fn run_case(&self, r: &Reader, case: &Node) -> Result<CaseResult, LoadError> {
        let f = r.fields(
            case,
            "a test case",
            &["name", "description", "period", "household", "expect"],
            &["name", "period", "household", "expect"],
        )?;
        let name = r.str(f.get("name").unwrap_or(case), "`name`")?.to_string();
        let pn = f.get("period").unwrap_or(case);
        let ps = r.str(pn, "`period`")?;
        let period = Period::parse(ps).ok_or_else(|| {
            r.err(
                pn,
                ErrorKind::Value,
                format!("expected a month YYYY-MM for `period`, found `{ps}`"),
            )
        })?;
        let hn = f.get("household").unwrap_or(case);
        let hf = r.map(hn, "`household`")?;
        let mut household = Household {
            id: String::new(),
            members: Vec::new(),
            inputs: self.parse_inputs(r, hn, Entity::Household, &["id", "members"])?,
        };
        for (k, v) in hf {
            match r.str(k, "a key")? {
                "id" => household.id = r.str(v, "`id`")?.to_string(),
                "members" => {
                    for (mi, m) in r.seq(v, "`members`")?.iter().enumerate() {
                        let mf = r.map(m, "a member")?;
                        let id = mf
                            .iter()
                            .find(|(k, _)| r.str(k, "a key").ok() == Some("id"))
                            .map(|(_, v)| r.str(v, "`id`").map(str::to_string))
                            .transpose()?
                            .unwrap_or_else(|| format!("#{}", mi + 1));
                        household.members.push(Member {
                            id,
                            inputs: self.parse_inputs(r, m, Entity::Person, &["id"])?,
                        });
                    }
                }
                _ => {}
            }
        }
        let en = f.get("expect").unwrap_or(case);
        let mut expected: Vec<(&Node, &Node, usize, Value)> = Vec::new();
        for (k, v) in r.map(en, "`expect`")? {
            let rule = r.str(k, "a rule name")?;
            let ri = self.rule_index(rule).ok_or_else(|| {
                r.err(
                    k,
                    ErrorKind::UnknownName,
                    format!("`{rule}` is not a rule of this rule set"),
                )
            })?;
            let rd = &self.rules[ri];
            let ty = rd.ty.unwrap_or(match rd.base {
                Base::Number => ValueType::Decimal,
                Base::Bool => ValueType::Boolean,
                Base::Date => ValueType::Date,
                Base::Text => ValueType::Text,
            });
            let s = r.str(v, "an expected value")?;
            let val = ty
                .parse_value(s)
                .map_err(|m| r.err(v, ErrorKind::Value, format!("`{rule}`: {m}")))?;
            if rd.entity == Entity::Person {
                return Err(r.err(
                    k,
                    ErrorKind::Structure,
                    format!("`{rule}` is a per-person rule; expect household-level rules"),
                ));
            }
            expected.push((k, v, ri, val));
        }
        let names: Vec<&str> = expected
            .iter()
            .map(|(_, _, ri, _)| self.rules[*ri].id.as_str())
            .collect();
        let mut failures = Vec::new();
        match self.evaluate_rules(&household, period, &names) {
            Ok(ev) => {
                for (_k, v, ri, want) in &expected {
                    let id = &self.rules[*ri].id;
                    let got = ev.get(id);
                    if got != Some(want) {
                        let got_s = got.map(display_value).unwrap_or_else(|| "nothing".into());
                        failures.push(Failure {
                            line: v.pos.line,
                            column: v.pos.col,
                            rule: Some(id.clone()),
                            expected: Some(display_value(want)),
                            actual: Some(got_s.clone()),
                            message: format!("{id}: expected {}, got {got_s}", display_value(want)),
                        });
                    }
                }
            }
            Err(e) => failures.push(Failure {
                line: case.pos.line,
                column: case.pos.col,
                rule: None,
                expected: None,
                actual: None,
                message: format!("evaluation failed: {e}"),
            }),
        }
        Ok(CaseResult {
            file: r.src.path.clone(),
            line: case.pos.line,
            name,
            period: Some(period),
            failures,
        })
    }
}

fn case_name(r: &Reader, case: &Node) -> String {
    r.map(case, "a test case")
        .ok()
        .and_then(|pairs| {
            pairs
                .iter()
                .find(|(k, _)| r.str(k, "").ok() == Some("name"))
                .and_then(|(_, v)| r.str(v, "").ok().map(str::to_string))
        })
        .unwrap_or_else(|| "(unnamed)".to_string())
}
