//! Validated domain types shared by every Samlet crate.
//!
//! The zero2prod habit: a value that made it past `parse` is valid, so the
//! rest of the code never re-checks a person id, an organisation number or an
//! amount. Parsing errors carry a JSON pointer so HTTP handlers can point at
//! the offending field (RFC 9457 problem details).

pub mod items;
pub mod money;
pub mod org;
pub mod pid;
pub mod pseudonym;
pub mod scope;
pub mod time;

pub use items::{
    BenefitInput, CaseInput, CaseStatus, DeadlineInput, Due, MessageInput, StatusInput,
    ValidBenefit, ValidCase, ValidDeadline, ValidMessage, ValidStatus,
};
pub use money::{Currency, Money};
pub use org::OrgNumber;
pub use pid::{Pid, PidPolicy};
pub use pseudonym::Pseudonymizer;
pub use scope::{Scope, ScopeSet, UnknownScope};
pub use time::{Country, UnknownCountry};

/// A validation failure on one field of an input document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct FieldError {
    /// RFC 6901 JSON pointer to the field, e.g. `/pid`.
    pub pointer: String,
    /// A human message saying what is wrong and what is expected.
    pub message: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// Prefix the pointer, e.g. when the field sits inside a bulk line.
    pub fn under(mut self, prefix: &str) -> Self {
        self.pointer = format!("{prefix}{}", self.pointer);
        self
    }
}
