//! Typed errors. Load errors always carry a file position when one exists, because a policy
//! analyst fixing a rule file needs to know exactly where to look.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What kind of problem a [`LoadError`] reports; lets callers (and tests) react without parsing
/// the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file is not well-formed YAML.
    Yaml,
    /// Well-formed YAML, but not the shape the format expects (missing or unknown key, wrong type).
    Structure,
    /// Syntax error inside a formula or condition.
    Expression,
    /// A name that is neither an input, a parameter, a table nor a rule.
    UnknownName,
    /// Operands or results of the wrong type (e.g. adding a date to a number).
    Type,
    /// The same name is defined twice.
    Duplicate,
    /// Rules that depend on each other in a circle.
    Cycle,
    /// A value that cannot be read as the declared type (dates, numbers, periods).
    Value,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::Yaml => "YAML syntax error",
            ErrorKind::Structure => "structure error",
            ErrorKind::Expression => "expression syntax error",
            ErrorKind::UnknownName => "unknown name",
            ErrorKind::Type => "type error",
            ErrorKind::Duplicate => "duplicate definition",
            ErrorKind::Cycle => "cycle between rules",
            ErrorKind::Value => "invalid value",
        };
        f.write_str(s)
    }
}

/// Error while loading a rule set (or a test file). Rejected at load time so that nothing is
/// discovered only while deciding a citizen's case.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A problem at a known position in a file. `line` and `column` are 1-based.
    #[error("{}:{line}:{column}: {kind}: {message}", file.display())]
    At {
        /// What kind of problem.
        kind: ErrorKind,
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A problem with no single position (e.g. an empty rule directory).
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file or directory concerned.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
}

impl LoadError {
    /// The kind of a positioned error, if any.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            LoadError::At { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// File, line and column of a positioned error.
    pub fn position(&self) -> Option<(&Path, usize, usize)> {
        match self {
            LoadError::At {
                file, line, column, ..
            } => Some((file.as_path(), *line, *column)),
            _ => None,
        }
    }
}

/// Error while evaluating a household. These depend on the data, not the rules: the rules were
/// checked at load time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum EvalError {
    /// An input needed by the rules was not given.
    #[error("missing input `{input}`{}", member_suffix(member))]
    MissingInput {
        /// Input name.
        input: String,
        /// Member id, for per-person inputs.
        member: Option<String>,
    },
    /// The household data names an input the rule set does not declare.
    #[error("unknown input `{input}`{}", member_suffix(member))]
    UnknownInput {
        /// Input name.
        input: String,
        /// Member id, for per-person inputs.
        member: Option<String>,
    },
    /// A given value does not fit the declared type.
    #[error(
        "input `{input}`{}: expected {expected}, got {found}",
        member_suffix(member)
    )]
    InputType {
        /// Input name.
        input: String,
        /// Member id, for per-person inputs.
        member: Option<String>,
        /// Declared type.
        expected: String,
        /// What was given.
        found: String,
    },
    /// Division by zero inside a rule.
    #[error("division by zero in rule `{rule}`")]
    DivisionByZero {
        /// Rule being evaluated.
        rule: String,
    },
    /// A number grew beyond the decimal range.
    #[error("arithmetic overflow in rule `{rule}`")]
    Overflow {
        /// Rule being evaluated.
        rule: String,
    },
    /// No row of a decision table matched the key.
    #[error("no row of table `{table}` matches {key}")]
    NoTableRow {
        /// Table name.
        table: String,
        /// The key looked up.
        key: String,
    },
    /// A parameter has no value on the period's date (its first value starts later).
    #[error("parameter `{parameter}` has no value on {date}")]
    NoParameterValue {
        /// Parameter name.
        parameter: String,
        /// The date looked up.
        date: String,
    },
    /// A rule name given by the caller does not exist.
    #[error("unknown rule `{0}`")]
    UnknownRule(String),
}

fn member_suffix(member: &Option<String>) -> String {
    match member {
        Some(m) => format!(" for member `{m}`"),
        None => String::new(),
    }
}
