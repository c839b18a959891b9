//! The JSON shapes of a person's overview and its items as the API serves
//! them (to the person, their representative and agencies). They are the
//! public contract, so they are apart from the store's rows: a column can
//! change without changing the API, and the API's fields and schema change
//! only here. Each converts from its store row with `From`.

use chrono::{DateTime, NaiveDate, Utc};
use samlet_domain::CaseStatus;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which agency an item comes from, as shown to the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgencyRef {
    pub org: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusEvent {
    pub status: CaseStatus,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BenefitView {
    pub agency: AgencyRef,
    pub benefit_id: String,
    pub name: String,
    /// Decimal string, e.g. "1766.00".
    pub amount: String,
    pub currency: String,
    pub next_payment: Option<NaiveDate>,
}

#[derive(Clone, PartialEq, Eq, Serialize, ToSchema)]
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

/// A message's subject and body are personal: `Debug` shows only its id.
impl std::fmt::Debug for MessageView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageView")
            .field("message_id", &self.message_id)
            .finish_non_exhaustive()
    }
}

/// Everything the public sector has going on with one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
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

impl From<samlet_store::AgencyRef> for AgencyRef {
    fn from(a: samlet_store::AgencyRef) -> Self {
        Self {
            org: a.org,
            name: a.name,
        }
    }
}

impl From<samlet_store::StatusEvent> for StatusEvent {
    fn from(e: samlet_store::StatusEvent) -> Self {
        Self {
            status: e.status,
            at: e.at,
            note: e.note,
        }
    }
}

impl From<samlet_store::CaseView> for CaseView {
    fn from(c: samlet_store::CaseView) -> Self {
        Self {
            agency: c.agency.into(),
            case_id: c.case_id,
            title: c.title,
            status: c.status,
            open: c.open,
            service: c.service,
            url: c.url,
            opened_at: c.opened_at,
            updated_at: c.updated_at,
            timeline: c.timeline.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<samlet_store::DeadlineView> for DeadlineView {
    fn from(d: samlet_store::DeadlineView) -> Self {
        Self {
            agency: d.agency.into(),
            deadline_id: d.deadline_id,
            title: d.title,
            due_date: d.due_date,
            due_at: d.due_at,
            case_id: d.case_id,
            url: d.url,
            overdue: d.overdue,
        }
    }
}

impl From<samlet_store::BenefitView> for BenefitView {
    fn from(b: samlet_store::BenefitView) -> Self {
        Self {
            agency: b.agency.into(),
            benefit_id: b.benefit_id,
            name: b.name,
            amount: b.amount,
            currency: b.currency,
            next_payment: b.next_payment,
        }
    }
}

impl From<samlet_store::MessageView> for MessageView {
    fn from(m: samlet_store::MessageView) -> Self {
        Self {
            agency: m.agency.into(),
            message_id: m.message_id,
            subject: m.subject,
            body: m.body,
            sent_at: m.sent_at,
            read: m.read,
            read_at: m.read_at,
        }
    }
}

impl From<samlet_store::Overview> for Overview {
    fn from(o: samlet_store::Overview) -> Self {
        Self {
            cases: o.cases.into_iter().map(Into::into).collect(),
            deadlines: o.deadlines.into_iter().map(Into::into).collect(),
            benefits: o.benefits.into_iter().map(Into::into).collect(),
            messages: o.messages.into_iter().map(Into::into).collect(),
            unread_messages: o.unread_messages,
            total_messages: o.total_messages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The API's JSON is the store row's, field for field, without the
    /// store's internal amount in minor units.
    #[test]
    fn an_overview_serializes_as_the_store_row_did() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let day = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap_or_default();
        let agency = samlet_store::AgencyRef {
            org: "889640782".into(),
            name: "NAV".into(),
        };
        let row = samlet_store::Overview {
            cases: vec![samlet_store::CaseView {
                agency: agency.clone(),
                case_id: "C1".into(),
                title: "Sak".into(),
                status: CaseStatus::InProgress,
                open: true,
                service: Some("dagpenger".into()),
                url: None,
                opened_at: at,
                updated_at: at,
                timeline: vec![samlet_store::StatusEvent {
                    status: CaseStatus::Received,
                    at,
                    note: Some("mottatt".into()),
                }],
            }],
            deadlines: vec![samlet_store::DeadlineView {
                agency: agency.clone(),
                deadline_id: "D1".into(),
                title: "Frist".into(),
                due_date: day,
                due_at: Some(at),
                case_id: Some("C1".into()),
                url: Some("https://nav.no".into()),
                overdue: true,
            }],
            benefits: vec![samlet_store::BenefitView {
                agency: agency.clone(),
                benefit_id: "BT".into(),
                name: "Barnetrygd".into(),
                amount: "1766.00".into(),
                amount_minor: 176_600,
                currency: "NOK".into(),
                next_payment: Some(day),
            }],
            messages: vec![
                samlet_store::MessageView {
                    agency: agency.clone(),
                    message_id: "M1".into(),
                    subject: "Brev".into(),
                    body: None,
                    sent_at: at,
                    read: false,
                    read_at: None,
                },
                samlet_store::MessageView {
                    agency,
                    message_id: "M2".into(),
                    subject: "Brev".into(),
                    body: Some("Innhold".into()),
                    sent_at: at,
                    read: true,
                    read_at: Some(at),
                },
            ],
            unread_messages: 1,
            total_messages: 2,
        };
        let stored = serde_json::to_value(&row).unwrap_or_default();
        let api = serde_json::to_value(Overview::from(row)).unwrap_or_default();
        assert!(stored.is_object());
        assert_eq!(api, stored);
        assert!(api["benefits"][0].get("amount_minor").is_none());
        assert!(api["messages"][0].get("body").is_none());
    }
}

/// One access as the citizen sees it.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct AccessLogEntryView {
    /// Position in the public log.
    pub index: u64,
    pub accessor: samlet_app::transparency::entry::Accessor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    pub categories: Vec<String>,
    pub purpose: String,
    pub legal_basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis_ref: Option<String>,
    pub at: DateTime<Utc>,
    pub request_id: String,
    /// The server checked this entry's inclusion proof against the latest
    /// signed checkpoint (leaf recomputed from these details).
    pub verified: bool,
    /// Other agencies' data read with this access, and on what ground.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<samlet_app::transparency::entry::SharedFrom>,
    /// `shared` in plain words, in the request's language ("NAV read your
    /// cases from Skatteetaten …").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_text: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct CheckpointView {
    pub size: u64,
    /// Root hash (hex).
    pub root: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct AccessLogPage {
    pub entries: Vec<AccessLogEntryView>,
    pub page: u32,
    pub per_page: u32,
    pub next_page: Option<u32>,
    /// The signed checkpoint the entries were verified against.
    pub checkpoint: Option<CheckpointView>,
    /// Log entries (anyone's) whose details disappeared without a retention
    /// tombstone, or with a tombstone no retention record in the log covers:
    /// a sign that entries were hidden. Should be 0.
    pub missing_details: u64,
}
