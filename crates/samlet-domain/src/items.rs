//! What agencies push about a person: cases with a status timeline,
//! deadlines (frister), benefits (ytelser) and messages.
//!
//! `*Input` types are what arrives on the wire (all strings, so a wrong
//! value gets a precise field error instead of a generic parse failure);
//! `Valid*` types are what the store accepts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Currency, FieldError, Money, Pid, PidPolicy};

const MAX_ID: usize = 200;
const MAX_TITLE: usize = 500;
const MAX_NOTE: usize = 2_000;
/// Message bodies are letters, not attachments.
pub const MAX_BODY: usize = 256 * 1024;

/// The OpenAPI schema of a case status: a string, one of [`CaseStatus::ALL`].
fn case_status() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(CaseStatus::ALL.iter().map(|c| c.as_str())))
        .build()
}

/// A calendar date as the validators accept it (`%Y-%m-%d`), for the
/// OpenAPI schemas: `format` alone is only an annotation in JSON Schema
/// 2020-12, so clients and test generators also get the pattern. 29
/// February is left out, as a regular expression cannot tell leap years.
pub const DATE_PATTERN: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))$";

/// An RFC 3339 time as the validators accept it, for the OpenAPI schemas.
pub const DATE_TIME_PATTERN: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$";

fn string_schema(
    format: utoipa::openapi::KnownFormat,
    pattern: &str,
    nullable: bool,
) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::SchemaType;
    use utoipa::openapi::{ObjectBuilder, SchemaFormat, Type};
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .pattern(Some(pattern))
        .build()
}

/// OpenAPI schemas of dates and times sent as strings.
pub mod schema {
    use utoipa::openapi::{KnownFormat, Object, OneOfBuilder, Schema};

    use super::{string_schema, DATE_PATTERN, DATE_TIME_PATTERN};

    pub fn date() -> Object {
        string_schema(KnownFormat::Date, DATE_PATTERN, false)
    }
    pub fn opt_date() -> Object {
        string_schema(KnownFormat::Date, DATE_PATTERN, true)
    }
    pub fn date_time() -> Object {
        string_schema(KnownFormat::DateTime, DATE_TIME_PATTERN, false)
    }
    pub fn opt_date_time() -> Object {
        string_schema(KnownFormat::DateTime, DATE_TIME_PATTERN, true)
    }
    /// A date, or a date and time (a deadline, a mandate's start or end).
    pub fn date_or_time() -> Schema {
        OneOfBuilder::new()
            .item(date())
            .item(date_time())
            .description(Some("YYYY-MM-DD, or an RFC 3339 time"))
            .build()
            .into()
    }
    /// [`date_or_time`], or null.
    pub fn opt_date_or_time() -> Schema {
        OneOfBuilder::new()
            .item(date())
            .item(date_time())
            .item(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::Type::Null)
                    .build(),
            )
            .description(Some("YYYY-MM-DD, or an RFC 3339 time"))
            .build()
            .into()
    }
}

/// Where a case stands. Agencies map their own workflow onto these so the
/// citizen reads one vocabulary across the public sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    InProgress,
    AwaitingCitizen,
    Decided,
    Appealed,
    Closed,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 7] = [
        Self::Received,
        Self::InProgress,
        Self::AwaitingCitizen,
        Self::Decided,
        Self::Appealed,
        Self::Closed,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InProgress => "in_progress",
            Self::AwaitingCitizen => "awaiting_citizen",
            Self::Decided => "decided",
            Self::Appealed => "appealed",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// A decided case is still shown as open while an appeal is possible?
    /// No: the decision closes the case; an appeal reopens it.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Decided | Self::Closed | Self::Withdrawn)
    }
}

fn status_field(s: &str, pointer: &str) -> Result<CaseStatus, FieldError> {
    CaseStatus::parse(s).ok_or_else(|| {
        let all: Vec<&str> = CaseStatus::ALL.iter().map(|c| c.as_str()).collect();
        FieldError::new(
            pointer,
            format!("unknown status \"{s}\"; use one of: {}", all.join(", ")),
        )
    })
}

fn pid_field(s: &str, policy: PidPolicy) -> Result<Pid, FieldError> {
    Pid::parse(s, policy).map_err(|e| FieldError::new("/pid", e.to_string()))
}

fn id_field(s: &str, pointer: &str) -> Result<String, FieldError> {
    if s.is_empty() || s.chars().count() > MAX_ID {
        return Err(FieldError::new(
            pointer,
            format!("an id is 1 to {MAX_ID} characters"),
        ));
    }
    if s.chars().any(|c| c.is_control() || c == '/') {
        return Err(FieldError::new(
            pointer,
            "an id has no control characters and no '/'",
        ));
    }
    Ok(s.to_owned())
}

fn text_field(s: &str, pointer: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(pointer, "must not be empty"));
    }
    // Counted before trimming, as the published schema's maxLength counts.
    if s.chars().count() > max {
        return Err(FieldError::new(
            pointer,
            format!("at most {max} characters"),
        ));
    }
    Ok(t.to_owned())
}

fn opt_text(s: &Option<String>, pointer: &str, max: usize) -> Result<Option<String>, FieldError> {
    s.as_deref()
        .map(|s| text_field(s, pointer, max))
        .transpose()
}

fn url_field(s: &Option<String>, pointer: &str) -> Result<Option<String>, FieldError> {
    match s.as_deref() {
        None => Ok(None),
        Some(u)
            if u.starts_with("https://")
                && u.len() <= 2000
                && !u.chars().any(char::is_whitespace) =>
        {
            Ok(Some(u.to_owned()))
        }
        Some(_) => Err(FieldError::new(
            pointer,
            "a link is an https:// URL of at most 2000 characters",
        )),
    }
}

fn timestamp(s: &str, pointer: &str) -> Result<DateTime<Utc>, FieldError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            FieldError::new(
                pointer,
                "a time is RFC 3339, e.g. 2026-03-01T12:00:00+01:00",
            )
        })
}

fn date(s: &str, pointer: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| FieldError::new(pointer, "a date is YYYY-MM-DD, e.g. 2026-03-01"))
}

/// A deadline is a day, or an exact moment when the agency has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub date: NaiveDate,
    pub at: Option<DateTime<Utc>>,
}

impl Due {
    pub fn parse(s: &str, pointer: &str) -> Result<Self, FieldError> {
        if s.len() == 10 {
            return Ok(Self {
                date: date(s, pointer)?,
                at: None,
            });
        }
        let t = DateTime::parse_from_rfc3339(s).map_err(|_| {
            FieldError::new(pointer, "a due date is YYYY-MM-DD or an RFC 3339 time")
        })?;
        // The citizen's calendar day is the local day the agency wrote.
        Ok(Self {
            date: t.date_naive(),
            at: Some(t.with_timezone(&Utc)),
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CaseInput {
    /// The person's fødselsnummer or D-nummer.
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    /// The agency's own id for the case; re-sending it updates the case.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^/\x00-\x1F\x7F-\x9F]+$"
    )]
    pub case_id: String,
    #[schema(max_length = 500, pattern = r"\S")]
    pub title: String,
    /// One of received, in_progress, awaiting_citizen, decided, appealed, closed, withdrawn.
    #[schema(schema_with = case_status)]
    pub status: String,
    /// The service the case belongs to, e.g. "dagpenger".
    #[schema(max_length = 200, pattern = r"\S")]
    pub service: Option<String>,
    /// RFC 3339; defaults to the time it was received.
    #[schema(schema_with = schema::opt_date_time)]
    pub opened_at: Option<String>,
    /// An https link to the case in the agency's own service.
    #[schema(max_length = 2000, pattern = r"^https://\S+$")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub pid: Pid,
    pub case_id: String,
    pub title: String,
    pub status: CaseStatus,
    pub service: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub url: Option<String>,
}

impl CaseInput {
    pub fn validate(&self, policy: PidPolicy, now: DateTime<Utc>) -> Result<ValidCase, FieldError> {
        Ok(ValidCase {
            pid: pid_field(&self.pid, policy)?,
            case_id: id_field(&self.case_id, "/case_id")?,
            title: text_field(&self.title, "/title", MAX_TITLE)?,
            status: status_field(&self.status, "/status")?,
            service: opt_text(&self.service, "/service", MAX_ID)?,
            opened_at: self
                .opened_at
                .as_deref()
                .map(|s| timestamp(s, "/opened_at"))
                .transpose()?
                .unwrap_or(now),
            url: url_field(&self.url, "/url")?,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct StatusInput {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    /// Taken from the path in `POST /api/v1/cases/{case_id}/status`; required in bulk.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^/\x00-\x1F\x7F-\x9F]+$"
    )]
    pub case_id: Option<String>,
    #[schema(schema_with = case_status)]
    pub status: String,
    /// RFC 3339 time of the status change. The same (status, at) twice is stored once.
    #[schema(schema_with = schema::date_time)]
    pub at: String,
    #[schema(max_length = 2000, pattern = r"\S")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStatus {
    pub pid: Pid,
    pub case_id: String,
    pub status: CaseStatus,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

impl StatusInput {
    pub fn validate(
        &self,
        policy: PidPolicy,
        path_case_id: Option<&str>,
    ) -> Result<ValidStatus, FieldError> {
        let case_id = match (path_case_id, self.case_id.as_deref()) {
            (Some(p), Some(b)) if p != b => {
                return Err(FieldError::new(
                    "/case_id",
                    "differs from the case id in the path",
                ))
            }
            (Some(p), _) => p,
            (None, Some(b)) => b,
            (None, None) => return Err(FieldError::new("/case_id", "required")),
        };
        Ok(ValidStatus {
            pid: pid_field(&self.pid, policy)?,
            case_id: id_field(case_id, "/case_id")?,
            status: status_field(&self.status, "/status")?,
            at: timestamp(&self.at, "/at")?,
            note: opt_text(&self.note, "/note", MAX_NOTE)?,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DeadlineInput {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^/\x00-\x1F\x7F-\x9F]+$"
    )]
    pub deadline_id: String,
    #[schema(max_length = 500, pattern = r"\S")]
    pub title: String,
    /// YYYY-MM-DD or RFC 3339.
    #[schema(schema_with = schema::date_or_time)]
    pub due: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^/\x00-\x1F\x7F-\x9F]+$"
    )]
    pub case_id: Option<String>,
    #[schema(max_length = 2000, pattern = r"^https://\S+$")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDeadline {
    pub pid: Pid,
    pub deadline_id: String,
    pub title: String,
    pub due: Due,
    pub case_id: Option<String>,
    pub url: Option<String>,
}

impl DeadlineInput {
    pub fn validate(&self, policy: PidPolicy) -> Result<ValidDeadline, FieldError> {
        Ok(ValidDeadline {
            pid: pid_field(&self.pid, policy)?,
            deadline_id: id_field(&self.deadline_id, "/deadline_id")?,
            title: text_field(&self.title, "/title", MAX_TITLE)?,
            due: Due::parse(&self.due, "/due")?,
            case_id: self
                .case_id
                .as_deref()
                .map(|c| id_field(c, "/case_id"))
                .transpose()?,
            url: url_field(&self.url, "/url")?,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct BenefitInput {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^/\x00-\x1F\x7F-\x9F]+$"
    )]
    pub benefit_id: String,
    #[schema(max_length = 500, pattern = r"\S")]
    pub name: String,
    /// A decimal string, e.g. "1766.00". Never a float.
    #[schema(pattern = r"^-?[0-9]{1,16}(\.[0-9]{1,2})?$", example = "1766.00")]
    pub amount: String,
    /// ISO 4217, e.g. NOK.
    #[schema(pattern = r"^[A-Z]{3}$", example = "NOK")]
    pub currency: String,
    /// YYYY-MM-DD.
    #[schema(schema_with = schema::opt_date)]
    pub next_payment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBenefit {
    pub pid: Pid,
    pub benefit_id: String,
    pub name: String,
    pub amount: Money,
    pub currency: Currency,
    pub next_payment: Option<NaiveDate>,
}

impl BenefitInput {
    pub fn validate(&self, policy: PidPolicy) -> Result<ValidBenefit, FieldError> {
        Ok(ValidBenefit {
            pid: pid_field(&self.pid, policy)?,
            benefit_id: id_field(&self.benefit_id, "/benefit_id")?,
            name: text_field(&self.name, "/name", MAX_TITLE)?,
            amount: Money::parse(&self.amount)
                .map_err(|e| FieldError::new("/amount", e.to_string()))?,
            currency: Currency::parse(&self.currency)
                .map_err(|e| FieldError::new("/currency", e.to_string()))?,
            next_payment: self
                .next_payment
                .as_deref()
                .map(|d| date(d, "/next_payment"))
                .transpose()?,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct MessageInput {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^/\x00-\x1F\x7F-\x9F]+$"
    )]
    pub message_id: String,
    #[schema(max_length = 500, pattern = r"\S")]
    pub subject: String,
    /// Plain text. Never logged.
    #[schema(pattern = r"\S")]
    pub body: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct ValidMessage {
    pub pid: Pid,
    pub message_id: String,
    pub subject: String,
    pub body: String,
}

// Message bodies never reach a log, not even through Debug.
impl std::fmt::Debug for ValidMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidMessage")
            .field("message_id", &self.message_id)
            .finish_non_exhaustive()
    }
}

impl MessageInput {
    pub fn validate(&self, policy: PidPolicy) -> Result<ValidMessage, FieldError> {
        if self.body.len() > MAX_BODY {
            return Err(FieldError::new(
                "/body",
                format!("a message body is at most {MAX_BODY} bytes"),
            ));
        }
        Ok(ValidMessage {
            pid: pid_field(&self.pid, policy)?,
            message_id: id_field(&self.message_id, "/message_id")?,
            subject: text_field(&self.subject, "/subject", MAX_TITLE)?,
            body: text_field(&self.body, "/body", MAX_BODY)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PID: &str = "01010750160";

    #[test]
    fn a_case_from_nav_validates() {
        let c = CaseInput {
            pid: PID.into(),
            case_id: "DP-2026-1".into(),
            title: "Søknad om dagpenger".into(),
            status: "received".into(),
            service: Some("dagpenger".into()),
            opened_at: Some("2026-03-01T09:00:00+01:00".into()),
            url: None,
        };
        let v = c
            .validate(PidPolicy::PRODUCTION, Utc::now())
            .map_err(|e| e.to_string());
        assert_eq!(
            v.map(|v| (v.status, v.opened_at.to_rfc3339())),
            Ok((CaseStatus::Received, "2026-03-01T08:00:00+00:00".into()))
        );
    }

    #[test]
    fn errors_point_at_the_field() {
        let d = DeadlineInput {
            pid: PID.into(),
            deadline_id: "x".into(),
            title: "Send meldekort".into(),
            due: "01.03.2026".into(),
            case_id: None,
            url: None,
        };
        assert_eq!(
            d.validate(PidPolicy::PRODUCTION).map_err(|e| e.pointer),
            Err("/due".into())
        );
        let b = BenefitInput {
            pid: PID.into(),
            benefit_id: "b".into(),
            name: "Barnetrygd".into(),
            amount: "1766.005".into(),
            currency: "NOK".into(),
            next_payment: None,
        };
        assert_eq!(
            b.validate(PidPolicy::PRODUCTION).map_err(|e| e.pointer),
            Err("/amount".into())
        );
        let s = StatusInput {
            pid: PID.into(),
            case_id: None,
            status: "done".into(),
            at: "2026-01-01T00:00:00Z".into(),
            note: None,
        };
        let e = s.validate(PidPolicy::PRODUCTION, Some("c1")).err();
        assert_eq!(e.as_ref().map(|e| e.pointer.as_str()), Some("/status"));
        assert!(e
            .map(|e| e.message.contains("in_progress"))
            .unwrap_or(false));
    }

    #[test]
    fn due_accepts_dates_and_times() {
        assert_eq!(
            Due::parse("2026-03-01", "/due").map(|d| d.at.is_none()),
            Ok(true)
        );
        let d = Due::parse("2026-03-01T23:30:00+01:00", "/due");
        assert_eq!(d.map(|d| d.date.to_string()), Ok("2026-03-01".into()));
    }

    #[test]
    fn message_debug_hides_body() {
        let m = MessageInput {
            pid: PID.into(),
            message_id: "m".into(),
            subject: "Vedtak".into(),
            body: "secret text".into(),
        };
        let v = m.validate(PidPolicy::PRODUCTION).map(|v| format!("{v:?}"));
        assert!(v.map(|s| !s.contains("secret")).unwrap_or(false));
    }
}
