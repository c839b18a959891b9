//! What the store returns: the citizen's overview and the records behind it.

use chrono::{DateTime, NaiveDate, Utc};
use samlet_domain::{CaseStatus, OrgNumber};
use serde::Serialize;

/// A registered agency (etat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    #[serde(skip)]
    pub id: i64,
    pub org: OrgNumber,
    pub name: String,
    /// Client id for the JWT-bearer grant, when a public key is registered.
    pub client_id: Option<String>,
    /// The agency's public JWK set (JSON), for the JWT-bearer grant.
    #[serde(skip)]
    pub jwks: Option<String>,
    /// What the operator has granted the agency.
    pub scopes: samlet_domain::ScopeSet,
}

/// Which agency an item comes from, as shown to the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyRef {
    pub org: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEvent {
    pub status: CaseStatus,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseView {
    pub agency: AgencyRef,
    pub case_id: String,
    pub title: String,
    pub status: CaseStatus,
    pub open: bool,
    pub service: Option<String>,
    pub url: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first.
    pub timeline: Vec<StatusEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    pub agency: AgencyRef,
    pub deadline_id: String,
    pub title: String,
    pub due_date: NaiveDate,
    pub due_at: Option<DateTime<Utc>>,
    pub case_id: Option<String>,
    pub url: Option<String>,
    /// Filled in by the caller, which knows today's date.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitView {
    pub agency: AgencyRef,
    pub benefit_id: String,
    pub name: String,
    /// Decimal string, e.g. "1766.00".
    pub amount: String,
    #[serde(skip)]
    pub amount_minor: i64,
    pub currency: String,
    pub next_payment: Option<NaiveDate>,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct MessageView {
    pub agency: AgencyRef,
    pub message_id: String,
    pub subject: String,
    /// Present only when a single message is opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub read: bool,
    pub read_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for MessageView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageView")
            .field("message_id", &self.message_id)
            .finish_non_exhaustive()
    }
}

/// Everything the public sector has going on with one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Overview {
    /// Open cases first, then by last change, newest first.
    pub cases: Vec<CaseView>,
    /// By due date, earliest first.
    pub deadlines: Vec<DeadlineView>,
    pub benefits: Vec<BenefitView>,
    /// Newest first; at most `limits.messages` of them.
    pub messages: Vec<MessageView>,
    pub unread_messages: i64,
    pub total_messages: i64,
}

impl Overview {
    /// Mark deadlines before `today` as overdue.
    pub fn with_today(mut self, today: NaiveDate) -> Self {
        for d in &mut self.deadlines {
            d.overdue = d.due_date < today;
        }
        self
    }
}

/// One item of an ingest batch, already validated.
#[derive(Debug, Clone)]
pub enum Item {
    Case(samlet_domain::ValidCase),
    Status(samlet_domain::ValidStatus),
    Deadline(samlet_domain::ValidDeadline),
    Benefit(samlet_domain::ValidBenefit),
    Message(samlet_domain::ValidMessage),
}

/// Why the store refused one item (the rest of the batch still lands).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("no case \"{0}\" from this agency: create the case before adding status changes")]
    UnknownCase(String),
    #[error("this agency's id \"{0}\" already belongs to another person; ids cannot move between persons")]
    OtherPerson(String),
}

impl Rejection {
    /// The JSON pointer of the field the rejection is about.
    pub fn pointer(&self) -> &'static str {
        match self {
            Rejection::UnknownCase(_) => "/case_id",
            Rejection::OtherPerson(_) => "/pid",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub pid: String,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}
