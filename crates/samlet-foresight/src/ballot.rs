//! Session trends and anonymous ballots, validated at the edge.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::rating::Rating;

/// Longest role text accepted; roles are picked from a short list, so anything
/// longer is a client bug or an attempt to smuggle identifying free text.
pub const MAX_ROLE_LEN: usize = 64;
/// Longest career accepted, in years.
pub const MAX_EXPERIENCE_YEARS: u32 = 70;
/// Longest trend code / title / theme accepted, in characters.
pub const MAX_CODE_LEN: usize = 32;
/// See [`MAX_CODE_LEN`].
pub const MAX_TEXT_LEN: usize = 300;

/// The study's answer options for role (footnote 64 of seed 001), as
/// keys; their labels are `fs-role-<key>` messages. Roles stay free text in [`ParticipantInfo`] so other
/// sectors can use their own list; these keys are the suggested default.
pub const STUDY_ROLES: [&str; 5] = [
    "managing_director",
    "director",
    "adviser",
    "clinician",
    "other",
];

/// Errors in the session's trend list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// A session needs at least one trend to rate.
    #[error("a session needs at least one trend")]
    Empty,
    /// Two trends share a code, so ballots could not say which one they rate.
    #[error("{pointer}: duplicate trend code {code:?}")]
    DuplicateCode {
        /// JSON pointer into the trend list.
        pointer: String,
        /// The repeated code.
        code: String,
    },
    /// A code, title or theme is blank or too long.
    #[error("{pointer}: {reason}")]
    InvalidField {
        /// JSON pointer to the field.
        pointer: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Errors in one ballot. Each carries a JSON pointer (RFC 6901) into the ballot
/// so a client can show the message next to the right field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    /// The ballot rates a trend this session does not have.
    #[error("{pointer}: unknown trend {code:?}")]
    UnknownTrend {
        /// e.g. `/ratings/2/trend`.
        pointer: String,
        /// The code given.
        code: String,
    },
    /// The ballot rates the same trend twice.
    #[error("{pointer}: trend {code:?} is rated more than once")]
    DuplicateTrend {
        /// e.g. `/ratings/3/trend`.
        pointer: String,
        /// The repeated code.
        code: String,
    },
    /// A rating is outside 1..=6.
    #[error("{pointer}: {value} is outside the scale 1..=6")]
    OutOfRange {
        /// e.g. `/ratings/2/importance`.
        pointer: String,
        /// The value given.
        value: i64,
    },
    /// A participant field is invalid.
    #[error("{pointer}: {reason}")]
    InvalidParticipant {
        /// `/participant/role` or `/participant/experience_years`.
        pointer: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The text is not a ballot at all.
    #[error("malformed ballot JSON: {0}")]
    Json(String),
}

/// A trend as a session knows it: enough to label results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendRef {
    /// Stable code, e.g. "1.1".
    pub code: String,
    /// Title shown to participants.
    pub title: String,
    /// Theme the trend belongs to, e.g. "Samfunnet"; theme averages group by it.
    pub theme: String,
}

impl TrendRef {
    /// Convenience constructor; validation happens in [`TrendSet::new`].
    pub fn new(
        code: impl Into<String>,
        title: impl Into<String>,
        theme: impl Into<String>,
    ) -> Self {
        TrendRef {
            code: code.into(),
            title: title.into(),
            theme: theme.into(),
        }
    }
}

/// The validated, ordered list of trends in one evaluation session: codes are
/// unique and non-blank, so ballots and results can refer to trends by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TrendSet {
    trends: Vec<TrendRef>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl<'de> Deserialize<'de> for TrendSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let trends = Vec::<TrendRef>::deserialize(d)?;
        TrendSet::new(trends).map_err(serde::de::Error::custom)
    }
}

fn check_text(value: &str, max: usize, pointer: String) -> Result<(), SessionError> {
    if value.trim().is_empty() {
        return Err(SessionError::InvalidField {
            pointer,
            reason: "must not be blank",
        });
    }
    if value.chars().count() > max {
        return Err(SessionError::InvalidField {
            pointer,
            reason: "is too long",
        });
    }
    Ok(())
}

impl TrendSet {
    /// Validates the list: at least one trend, unique non-blank codes, non-blank
    /// titles and themes of sane length.
    pub fn new(trends: Vec<TrendRef>) -> Result<Self, SessionError> {
        if trends.is_empty() {
            return Err(SessionError::Empty);
        }
        let mut index = HashMap::with_capacity(trends.len());
        for (i, t) in trends.iter().enumerate() {
            check_text(&t.code, MAX_CODE_LEN, format!("/{i}/code"))?;
            check_text(&t.title, MAX_TEXT_LEN, format!("/{i}/title"))?;
            check_text(&t.theme, MAX_TEXT_LEN, format!("/{i}/theme"))?;
            if index.insert(t.code.clone(), i).is_some() {
                return Err(SessionError::DuplicateCode {
                    pointer: format!("/{i}/code"),
                    code: t.code.clone(),
                });
            }
        }
        Ok(TrendSet { trends, index })
    }

    /// Trends in session order.
    pub fn trends(&self) -> &[TrendRef] {
        &self.trends
    }

    /// Number of trends.
    pub fn len(&self) -> usize {
        self.trends.len()
    }

    /// Always false: a set has at least one trend. Present for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.trends.is_empty()
    }

    /// Position of a trend by code.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// A trend by code.
    pub fn get(&self, code: &str) -> Option<&TrendRef> {
        self.position(code).and_then(|i| self.trends.get(i))
    }
}

/// Optional, coarse facts a participant may give about themselves. Only used to
/// form segments of at least five, never to identify anyone. Fields are private
/// so an unvalidated value cannot exist; build with [`ParticipantInfo::new`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "ParticipantInput")]
pub struct ParticipantInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    experience_years: Option<u32>,
}

impl ParticipantInfo {
    /// Validates and normalises (trims the role; a blank role becomes `None`).
    pub fn new(role: Option<&str>, experience_years: Option<u32>) -> Result<Self, BallotError> {
        let role = match role.map(str::trim) {
            None | Some("") => None,
            Some(r) if r.chars().count() > MAX_ROLE_LEN => {
                return Err(BallotError::InvalidParticipant {
                    pointer: "/participant/role".into(),
                    reason: "role is too long",
                })
            }
            Some(r) if r.chars().any(char::is_control) => {
                return Err(BallotError::InvalidParticipant {
                    pointer: "/participant/role".into(),
                    reason: "role contains control characters",
                })
            }
            Some(r) => Some(r.to_string()),
        };
        if let Some(y) = experience_years {
            if y > MAX_EXPERIENCE_YEARS {
                return Err(BallotError::InvalidParticipant {
                    pointer: "/participant/experience_years".into(),
                    reason: "experience is longer than a working life",
                });
            }
        }
        Ok(ParticipantInfo {
            role,
            experience_years,
        })
    }

    /// The role, trimmed, if given.
    pub fn role(&self) -> Option<&str> {
        self.role.as_deref()
    }

    /// Years of experience, if given.
    pub fn experience_years(&self) -> Option<u32> {
        self.experience_years
    }
}

/// Participant facts as they arrive on the wire, before validation. Wide integer
/// type so a negative or huge value gets a field pointer, not a parse error.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    /// Role, free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Years of experience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_years: Option<i64>,
}

impl TryFrom<ParticipantInput> for ParticipantInfo {
    type Error = BallotError;
    fn try_from(p: ParticipantInput) -> Result<Self, Self::Error> {
        let years = match p.experience_years {
            None => None,
            Some(y) => Some(
                u32::try_from(y).map_err(|_| BallotError::InvalidParticipant {
                    pointer: "/participant/experience_years".into(),
                    reason: "experience must be a whole number of years, zero or more",
                })?,
            ),
        };
        ParticipantInfo::new(p.role.as_deref(), years)
    }
}

impl From<&ParticipantInfo> for ParticipantInput {
    fn from(p: &ParticipantInfo) -> Self {
        ParticipantInput {
            role: p.role.clone(),
            experience_years: p.experience_years.map(i64::from),
        }
    }
}

/// One rating line as it arrives on the wire, before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// Trend code.
    pub trend: String,
    /// Importance, expected 1..=6.
    pub importance: i64,
    /// Preparedness, expected 1..=6.
    pub preparedness: i64,
}

/// A ballot as it arrives on the wire. Plain integers so that out-of-range
/// values reach [`BallotInput::validate`] and get a precise field pointer
/// instead of a generic parse error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotInput {
    /// About the participant; may be omitted.
    #[serde(default)]
    pub participant: ParticipantInput,
    /// One line per rated trend.
    pub ratings: Vec<RatingInput>,
}

impl BallotInput {
    /// Checks the ballot against the session: every trend known, none twice,
    /// every value 1..=6, participant facts sane. Reports the first problem.
    pub fn validate(&self, trends: &TrendSet) -> Result<Ballot, BallotError> {
        let participant = ParticipantInfo::try_from(self.participant.clone())?;
        let mut seen = HashSet::with_capacity(self.ratings.len());
        let mut ratings = Vec::with_capacity(self.ratings.len());
        for (i, r) in self.ratings.iter().enumerate() {
            if trends.position(&r.trend).is_none() {
                return Err(BallotError::UnknownTrend {
                    pointer: format!("/ratings/{i}/trend"),
                    code: r.trend.clone(),
                });
            }
            if !seen.insert(r.trend.as_str()) {
                return Err(BallotError::DuplicateTrend {
                    pointer: format!("/ratings/{i}/trend"),
                    code: r.trend.clone(),
                });
            }
            let importance = Rating::new(r.importance).map_err(|_| BallotError::OutOfRange {
                pointer: format!("/ratings/{i}/importance"),
                value: r.importance,
            })?;
            let preparedness =
                Rating::new(r.preparedness).map_err(|_| BallotError::OutOfRange {
                    pointer: format!("/ratings/{i}/preparedness"),
                    value: r.preparedness,
                })?;
            ratings.push(TrendRating {
                trend: r.trend.clone(),
                importance,
                preparedness,
            });
        }
        Ok(Ballot {
            participant,
            ratings,
        })
    }
}

/// One validated rating line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TrendRating {
    /// Trend code, known to the session.
    pub trend: String,
    /// How important the trend becomes.
    pub importance: Rating,
    /// How prepared the sector is today.
    pub preparedness: Rating,
}

/// A validated, anonymous ballot. It can only be made by validating against a
/// [`TrendSet`], so every code is known, none repeats and every value is 1..=6.
/// Serialises to the same JSON shape as [`BallotInput`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Ballot {
    participant: ParticipantInfo,
    ratings: Vec<TrendRating>,
}

impl Ballot {
    /// Builds a ballot from `(trend code, importance, preparedness)` triples.
    pub fn new(
        participant: ParticipantInfo,
        ratings: impl IntoIterator<Item = (String, i64, i64)>,
        trends: &TrendSet,
    ) -> Result<Self, BallotError> {
        BallotInput {
            participant: ParticipantInput::from(&participant),
            ratings: ratings
                .into_iter()
                .map(|(trend, importance, preparedness)| RatingInput {
                    trend,
                    importance,
                    preparedness,
                })
                .collect(),
        }
        .validate(trends)
    }

    /// Parses and validates ballot JSON in one step.
    pub fn from_json(json: &str, trends: &TrendSet) -> Result<Self, BallotError> {
        let input: BallotInput =
            serde_json::from_str(json).map_err(|e| BallotError::Json(e.to_string()))?;
        input.validate(trends)
    }

    /// Who answered (coarsely).
    pub fn participant(&self) -> &ParticipantInfo {
        &self.participant
    }

    /// The rating lines, in the order given.
    pub fn ratings(&self) -> &[TrendRating] {
        &self.ratings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> TrendSet {
        TrendSet::new(vec![
            TrendRef::new("1.1", "Økt etterspørsel", "Samfunnet"),
            TrendRef::new("1.2", "Produktivitet blir viktigere", "Samfunnet"),
            TrendRef::new("2.1", "Økte helseforskjeller", "Pasienten"),
        ])
        .unwrap()
    }

    #[test]
    fn a_nurse_submits_a_valid_ballot_and_it_round_trips() {
        let json = r#"{"participant":{"role":"clinician","experience_years":12},
            "ratings":[{"trend":"1.1","importance":5,"preparedness":3}]}"#;
        let b = Ballot::from_json(json, &session()).unwrap();
        assert_eq!(b.participant().role(), Some("clinician"));
        assert_eq!(b.ratings()[0].importance.get(), 5);
        let out = serde_json::to_value(&b).unwrap();
        let back: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(out, back);
    }

    #[test]
    fn participant_may_be_omitted_or_empty() {
        let b = Ballot::from_json(
            r#"{"ratings":[{"trend":"2.1","importance":6,"preparedness":1}]}"#,
            &session(),
        )
        .unwrap();
        assert_eq!(b.participant(), &ParticipantInfo::default());
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"participant":{},"ratings":[{"trend":"2.1","importance":6,"preparedness":1}]}"#
        );
    }

    #[test]
    fn errors_point_at_the_field() {
        let s = session();
        let bad = |json: &str| Ballot::from_json(json, &s).unwrap_err();
        assert_eq!(
            bad(
                r#"{"ratings":[{"trend":"1.1","importance":5,"preparedness":3},
                {"trend":"1.2","importance":5,"preparedness":3},
                {"trend":"2.1","importance":7,"preparedness":3}]}"#
            ),
            BallotError::OutOfRange {
                pointer: "/ratings/2/importance".into(),
                value: 7
            }
        );
        assert_eq!(
            bad(r#"{"ratings":[{"trend":"1.1","importance":5,"preparedness":0}]}"#),
            BallotError::OutOfRange {
                pointer: "/ratings/0/preparedness".into(),
                value: 0
            }
        );
        assert_eq!(
            bad(r#"{"ratings":[{"trend":"9.9","importance":5,"preparedness":3}]}"#),
            BallotError::UnknownTrend {
                pointer: "/ratings/0/trend".into(),
                code: "9.9".into()
            }
        );
        assert_eq!(
            bad(
                r#"{"ratings":[{"trend":"1.1","importance":5,"preparedness":3},
                {"trend":"1.1","importance":4,"preparedness":3}]}"#
            ),
            BallotError::DuplicateTrend {
                pointer: "/ratings/1/trend".into(),
                code: "1.1".into()
            }
        );
        assert!(matches!(
            bad(r#"{"participant":{"experience_years":200},"ratings":[]}"#),
            BallotError::InvalidParticipant { pointer, .. } if pointer == "/participant/experience_years"
        ));
        assert!(matches!(
            bad(r#"{"ratings":[{"trend":"1.1","importance":"high","preparedness":3}]}"#),
            BallotError::Json(_)
        ));
        assert!(matches!(
            bad(r#"{"ratings":[],"name":"Kari"}"#),
            BallotError::Json(_)
        ));
    }

    #[test]
    fn blank_role_is_no_role() {
        let p = ParticipantInfo::new(Some("  "), None).unwrap();
        assert_eq!(p.role(), None);
        let p = ParticipantInfo::new(Some(" adviser "), Some(3)).unwrap();
        assert_eq!(p.role(), Some("adviser"));
        assert!(serde_json::from_str::<ParticipantInfo>(r#"{"experience_years":-1}"#).is_err());
    }

    #[test]
    fn trend_set_rejects_duplicates_and_blanks() {
        assert_eq!(TrendSet::new(vec![]), Err(SessionError::Empty));
        assert!(matches!(
            TrendSet::new(vec![TrendRef::new("1", "a", "t"), TrendRef::new("1", "b", "t")]),
            Err(SessionError::DuplicateCode { pointer, .. }) if pointer == "/1/code"
        ));
        assert!(matches!(
            TrendSet::new(vec![TrendRef::new("1", " ", "t")]),
            Err(SessionError::InvalidField { pointer, .. }) if pointer == "/0/title"
        ));
        let json = r#"[{"code":"1","title":"a","theme":"t"},{"code":"1","title":"b","theme":"t"}]"#;
        assert!(serde_json::from_str::<TrendSet>(json).is_err());
    }
}
