//! Representation and consent: **the one authorization policy**.
//!
//! Every path that lets someone other than the person reach the person's data
//! asks [`decide`]: a representative's view of a person's overview and list
//! (power of attorney, guardianship, parental authority), an agency's read of
//! shared data under the person's consent, an agency's support lookup, and a
//! person giving a mandate. It is pure (no I/O, no clock): the caller loads the
//! [`Facts`] for the pair concerned and passes `now`, so the same function runs
//! in the server, the property tests and the benchmark.
//!
//! **Default deny**: without a basis that is valid at `now` the answer is
//! [`Decision::Deny`] with a [`DenyReason`] that has a stable code and a human
//! sentence; the server turns it into a problem+json 403.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Areas a mandate can be scoped to (Suomi.fi-style themes). Anything else
/// that looks like an id is a service id; `all` is everything.
pub const AREAS: [&str; 8] = [
    "health",
    "tax",
    "benefits",
    "work",
    "family",
    "housing",
    "education",
    "transport",
];

/// Kinds of data an agency may ask consent for and read through sharing:
/// the overview's categories.
pub const CATEGORIES: [&str; 4] = ["cases", "deadlines", "benefits", "messages"];

/// What a representation covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    All,
    Area(String),
    Service(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeError(pub String);

impl std::fmt::Display for ScopeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\" is not a scope: use all, an area ({}) or a service id (lower-case letters, digits, '-', '.', '_')", self.0, AREAS.join(", "))
    }
}

impl std::error::Error for ScopeError {}

impl Scope {
    pub fn parse(s: &str) -> Result<Self, ScopeError> {
        let s = s.trim();
        if s == "all" {
            return Ok(Scope::All);
        }
        if AREAS.contains(&s) {
            return Ok(Scope::Area(s.to_owned()));
        }
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().enumerate().all(|(i, b)| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || (i > 0 && matches!(b, b'-' | b'.' | b'_'))
            });
        if ok {
            Ok(Scope::Service(s.to_owned()))
        } else {
            Err(ScopeError(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Scope::All => "all",
            Scope::Area(a) | Scope::Service(a) => a,
        }
    }
}

/// What a representative may do: `read` (see) or `act` (which includes seeing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Read,
    Act,
}

impl Action {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "read" => Some(Action::Read),
            "act" => Some(Action::Act),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Act => "act",
        }
    }

    /// Whether granting `self` permits `wanted`: acting includes seeing.
    pub fn permits(self, wanted: Action) -> bool {
        self == wanted || (self == Action::Act && wanted == Action::Read)
    }
}

/// Where a representation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BasisKind {
    /// A power of attorney the person gave.
    Mandate,
    /// A guardianship registered by the county governor.
    Guardianship,
    /// A parent's authority over a minor, from the population register.
    Parental,
}

impl BasisKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "mandate" => Some(Self::Mandate),
            "guardianship" => Some(Self::Guardianship),
            "parental" => Some(Self::Parental),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mandate => "mandate",
            Self::Guardianship => "guardianship",
            Self::Parental => "parental",
        }
    }
}

/// One person acting for another, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representation {
    pub id: String,
    pub kind: BasisKind,
    /// The represented person.
    pub subject: String,
    pub representative: String,
    pub scopes: Vec<Scope>,
    pub actions: Vec<Action>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The represented person's birth date: parental authority ends at
    /// [`Rules::parental_until_age`] whatever `valid_to` says.
    pub subject_birth: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentStatus {
    Pending,
    Approved,
    Declined,
}

impl ConsentStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "declined" => Some(Self::Declined),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Declined => "declined",
        }
    }
}

/// A consent request and, once approved, the consent (same id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: String,
    pub subject: String,
    /// The agency that asked and may read (organisation number).
    pub requester_org: String,
    /// The agency holding the data (organisation number).
    pub from_org: String,
    pub categories: Vec<String>,
    pub status: ConsentStatus,
    pub valid_to: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Country rules (configurable: Norway by default, Denmark lets a person
/// give a mandate from 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub mandate_min_age: u32,
    pub representative_min_age: u32,
    pub parental_until_age: u32,
}

impl Rules {
    pub const NORWAY: Rules = Rules {
        mandate_min_age: 18,
        representative_min_age: 18,
        parental_until_age: 18,
    };
    pub const DENMARK: Rules = Rules {
        mandate_min_age: 15,
        representative_min_age: 18,
        parental_until_age: 18,
    };

    /// `no`, `dk` (or `norway`, `denmark`).
    pub fn by_country(code: &str) -> Option<Rules> {
        match code.to_ascii_lowercase().as_str() {
            "no" | "norway" => Some(Self::NORWAY),
            "dk" | "denmark" => Some(Self::DENMARK),
            _ => None,
        }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Self::NORWAY
    }
}

/// What the policy knows about the pair in question, loaded by the caller.
/// Entries about other people are ignored, so passing too much is safe.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    pub representations: &'a [Representation],
    pub consents: &'a [Consent],
}

/// Someone with a birth date (from the identity number).
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub pid: &'a str,
    pub birth: NaiveDate,
}

#[derive(Debug, Clone, Copy)]
pub enum Request<'a> {
    /// A representative sees (or acts in) the subject's data.
    Represent {
        representative: &'a str,
        subject: &'a str,
        action: Action,
    },
    /// A representative opens or acts on one item of the subject's (a
    /// message, a consent request): a valid basis must grant `action`, and
    /// the scopes of those that do must cover the item (its agency's areas
    /// or its service).
    RepresentItem {
        representative: &'a str,
        subject: &'a str,
        action: Action,
        item_areas: &'a [String],
        item_service: Option<&'a str>,
    },
    /// An agency reads one category of the subject's data under consent.
    Share {
        requester_org: &'a str,
        subject: &'a str,
        category: &'a str,
    },
    /// A person gives a power of attorney.
    GiveMandate {
        giver: Person<'a>,
        to: Person<'a>,
        scopes: &'a [Scope],
        actions: &'a [Action],
        valid_from: DateTime<Utc>,
        valid_to: Option<DateTime<Utc>>,
    },
    /// An agency's support staff look up which mandates and consents a person has.
    SupportLookup {
        has_scope: bool,
        purpose_stated: bool,
    },
}

/// The union of the scopes of the valid representations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScopeSet {
    pub all: bool,
    pub areas: BTreeSet<String>,
    pub services: BTreeSet<String>,
}

impl ScopeSet {
    pub fn add(&mut self, s: &Scope) {
        match s {
            Scope::All => self.all = true,
            Scope::Area(a) => {
                self.areas.insert(a.clone());
            }
            Scope::Service(v) => {
                self.services.insert(v.clone());
            }
        }
    }

    /// Whether an item belongs in scope: its agency's areas or its service.
    /// An item with neither an area nor a matching service is out of scope
    /// unless the scope is `all` (default deny).
    pub fn covers(&self, item_areas: &[String], service: Option<&str>) -> bool {
        self.all
            || item_areas.iter().any(|a| self.areas.contains(a))
            || service.is_some_and(|s| self.services.contains(s))
    }

    pub fn labels(&self) -> Vec<String> {
        if self.all {
            return vec!["all".into()];
        }
        self.areas.iter().chain(&self.services).cloned().collect()
    }
}

/// Why something was allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// Valid representations (ids and kinds) and what they cover together.
    Represent {
        ids: Vec<String>,
        kinds: Vec<BasisKind>,
        scopes: ScopeSet,
    },
    /// Valid consents and the agencies whose data they cover.
    Consent {
        ids: Vec<String>,
        from_orgs: Vec<String>,
    },
    /// A mandate may be given.
    MandateAllowed,
    /// A support lookup under the agency's scope, with a stated purpose.
    Support,
    /// A registered sharing basis, accepted by the holder and valid today.
    Registered {
        id: String,
        holder_org: String,
        category: String,
        legal_basis: String,
    },
}

/// Why something was refused: a stable code and a sentence for a human.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DenyReason {
    NoBasis,
    OwnData,
    NotYetValid,
    Expired,
    Revoked,
    ChildCameOfAge,
    ActionNotGranted,
    ConsentMissing,
    ConsentPending,
    ConsentDeclined,
    ConsentRevoked,
    ConsentExpired,
    CategoryNotCovered,
    GiverTooYoung {
        min: u32,
    },
    RepresentativeTooYoung {
        min: u32,
    },
    MandateToSelf,
    NoScopes,
    NoActions,
    BadPeriod,
    NoSupportScope,
    NoPurpose,
    /// The representation allows the action, but not on this item's area or service.
    OutOfScope,
    /// No sharing basis with this id is registered for the reader (also
    /// when it is another agency's: the answer does not tell them apart).
    BasisUnknown,
    BasisNotAccepted,
    BasisRevoked,
    BasisNotYetValid,
    BasisExpired,
    /// The stated purpose is not the basis's purpose.
    BasisPurposeMismatch,
}

impl DenyReason {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoBasis => "no-basis",
            Self::OwnData => "own-data",
            Self::NotYetValid => "not-yet-valid",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::ChildCameOfAge => "came-of-age",
            Self::ActionNotGranted => "action-not-granted",
            Self::ConsentMissing => "no-consent",
            Self::ConsentPending => "consent-pending",
            Self::ConsentDeclined => "consent-declined",
            Self::ConsentRevoked => "consent-revoked",
            Self::ConsentExpired => "consent-expired",
            Self::CategoryNotCovered => "category-not-covered",
            Self::GiverTooYoung { .. } => "giver-too-young",
            Self::RepresentativeTooYoung { .. } => "representative-too-young",
            Self::MandateToSelf => "mandate-to-self",
            Self::NoScopes => "no-scopes",
            Self::NoActions => "no-actions",
            Self::BadPeriod => "bad-period",
            Self::NoSupportScope => "no-support-scope",
            Self::NoPurpose => "no-purpose",
            Self::OutOfScope => "out-of-scope",
            Self::BasisUnknown => "basis-unknown",
            Self::BasisNotAccepted => "basis-not-accepted",
            Self::BasisRevoked => "basis-revoked",
            Self::BasisNotYetValid => "basis-not-yet-valid",
            Self::BasisExpired => "basis-expired",
            Self::BasisPurposeMismatch => "basis-purpose-mismatch",
        }
    }

    /// The reason in the reader's language (`deny-<code>` in the
    /// localisation), for the person asking: on pages and in API problems.
    pub fn text(&self, lang: samlet_i18n::Lang) -> String {
        let id = format!("deny-{}", self.code());
        match self {
            Self::GiverTooYoung { min } | Self::RepresentativeTooYoung { min } => {
                lang.msg(&id).arg("min", i64::from(*min)).to_string()
            }
            _ => lang.msg(&id).to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow(Basis),
    Deny(DenyReason),
}

impl Decision {
    pub fn is_allow(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// The moment a person turns `age` (midnight UTC of that birthday; 29 February
/// birthdays fall on 28 February in common years).
pub fn birthday_at(birth: NaiveDate, age: u32) -> Option<DateTime<Utc>> {
    birth
        .checked_add_months(Months::new(12 * age))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// Why one representation is not valid for `action` at `now`, or `None`.
/// The order of the checks decides which reason a refusal reports.
pub fn representation_problem(
    r: &Representation,
    action: Action,
    now: DateTime<Utc>,
    rules: &Rules,
) -> Option<DenyReason> {
    if r.revoked_at.is_some_and(|t| t <= now) {
        return Some(DenyReason::Revoked);
    }
    if r.kind == BasisKind::Parental {
        let Some(birth) = r.subject_birth else {
            // Parental authority without a birth date cannot be checked: deny.
            return Some(DenyReason::ChildCameOfAge);
        };
        if birthday_at(birth, rules.parental_until_age).is_none_or(|t| t <= now) {
            return Some(DenyReason::ChildCameOfAge);
        }
    }
    if r.valid_to.is_some_and(|t| t <= now) {
        return Some(DenyReason::Expired);
    }
    if r.valid_from > now {
        return Some(DenyReason::NotYetValid);
    }
    if !r.actions.iter().any(|a| a.permits(action)) {
        return Some(DenyReason::ActionNotGranted);
    }
    None
}

/// Why one consent does not let its requester read `category` at `now`.
pub fn consent_problem(c: &Consent, category: &str, now: DateTime<Utc>) -> Option<DenyReason> {
    if c.revoked_at.is_some_and(|t| t <= now) {
        return Some(DenyReason::ConsentRevoked);
    }
    match c.status {
        ConsentStatus::Pending => return Some(DenyReason::ConsentPending),
        ConsentStatus::Declined => return Some(DenyReason::ConsentDeclined),
        ConsentStatus::Approved => {}
    }
    if c.valid_to <= now {
        return Some(DenyReason::ConsentExpired);
    }
    if !c.categories.iter().any(|k| k == category) {
        return Some(DenyReason::CategoryNotCovered);
    }
    None
}

/// How telling a refusal is when several bases fail: the most specific wins.
fn rank(r: &DenyReason) -> u8 {
    match r {
        DenyReason::ActionNotGranted | DenyReason::CategoryNotCovered => 6,
        DenyReason::Revoked | DenyReason::ConsentRevoked => 5,
        DenyReason::Expired | DenyReason::ConsentExpired | DenyReason::ChildCameOfAge => 4,
        DenyReason::NotYetValid | DenyReason::ConsentDeclined => 3,
        DenyReason::ConsentPending => 2,
        _ => 1,
    }
}

fn most_telling(current: Option<DenyReason>, next: DenyReason) -> Option<DenyReason> {
    match current {
        Some(c) if rank(&c) >= rank(&next) => Some(c),
        _ => Some(next),
    }
}

/// A representative's request: allowed with the union of the scopes of every
/// basis valid for `action` at `now`; else the most telling refusal.
fn represent(
    facts: &Facts<'_>,
    representative: &str,
    subject: &str,
    action: Action,
    now: DateTime<Utc>,
    rules: &Rules,
) -> Decision {
    if representative == subject {
        return Decision::Deny(DenyReason::OwnData);
    }
    let mut ids = Vec::new();
    let mut kinds = BTreeSet::new();
    let mut scopes = ScopeSet::default();
    let mut why = None;
    for r in facts
        .representations
        .iter()
        .filter(|r| r.representative == representative && r.subject == subject)
    {
        match representation_problem(r, action, now, rules) {
            None => {
                ids.push(r.id.clone());
                kinds.insert(r.kind);
                for s in &r.scopes {
                    scopes.add(s);
                }
            }
            Some(p) => why = most_telling(why, p),
        }
    }
    if ids.is_empty() {
        Decision::Deny(why.unwrap_or(DenyReason::NoBasis))
    } else {
        Decision::Allow(Basis::Represent {
            ids,
            kinds: kinds.into_iter().collect(),
            scopes,
        })
    }
}

/// THE policy function. Default deny; see the crate docs.
pub fn decide(facts: &Facts<'_>, req: &Request<'_>, now: DateTime<Utc>, rules: &Rules) -> Decision {
    match *req {
        Request::Represent {
            representative,
            subject,
            action,
        } => represent(facts, representative, subject, action, now, rules),
        Request::RepresentItem {
            representative,
            subject,
            action,
            item_areas,
            item_service,
        } => match represent(facts, representative, subject, action, now, rules) {
            Decision::Allow(Basis::Represent { scopes, .. })
                if !scopes.covers(item_areas, item_service) =>
            {
                Decision::Deny(DenyReason::OutOfScope)
            }
            other => other,
        },
        Request::Share {
            requester_org,
            subject,
            category,
        } => {
            let mut ids = Vec::new();
            let mut from = BTreeSet::new();
            let mut why = None;
            for c in facts
                .consents
                .iter()
                .filter(|c| c.subject == subject && c.requester_org == requester_org)
            {
                match consent_problem(c, category, now) {
                    None => {
                        ids.push(c.id.clone());
                        from.insert(c.from_org.clone());
                    }
                    Some(p) => why = most_telling(why, p),
                }
            }
            if ids.is_empty() {
                Decision::Deny(why.unwrap_or(DenyReason::ConsentMissing))
            } else {
                Decision::Allow(Basis::Consent {
                    ids,
                    from_orgs: from.into_iter().collect(),
                })
            }
        }
        Request::GiveMandate {
            giver,
            to,
            scopes,
            actions,
            valid_from,
            valid_to,
        } => {
            let today = now.date_naive();
            if giver.pid == to.pid {
                Decision::Deny(DenyReason::MandateToSelf)
            } else if age_on(giver.birth, today) < rules.mandate_min_age {
                Decision::Deny(DenyReason::GiverTooYoung {
                    min: rules.mandate_min_age,
                })
            } else if age_on(to.birth, today) < rules.representative_min_age {
                Decision::Deny(DenyReason::RepresentativeTooYoung {
                    min: rules.representative_min_age,
                })
            } else if scopes.is_empty() {
                Decision::Deny(DenyReason::NoScopes)
            } else if actions.is_empty() {
                Decision::Deny(DenyReason::NoActions)
            } else if valid_to.is_some_and(|t| t <= valid_from || t <= now) {
                Decision::Deny(DenyReason::BadPeriod)
            } else {
                Decision::Allow(Basis::MandateAllowed)
            }
        }
        Request::SupportLookup {
            has_scope,
            purpose_stated,
        } => {
            if !has_scope {
                Decision::Deny(DenyReason::NoSupportScope)
            } else if !purpose_stated {
                Decision::Deny(DenyReason::NoPurpose)
            } else {
                Decision::Allow(Basis::Support)
            }
        }
    }
}

/// A registered sharing basis, as stored: "the reader may read `category`
/// held by the holder, for `purpose`, under `legal_basis`, on the days
/// `valid_from..=valid_to`", once the holder accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingBasis {
    pub id: String,
    pub reader_org: String,
    pub holder_org: String,
    pub category: String,
    pub purpose: String,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    /// Last valid day, inclusive.
    pub valid_to: Option<NaiveDate>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An agency reads under a basis it names.
#[derive(Debug, Clone, Copy)]
pub struct BasisRequest<'a> {
    pub basis_id: &'a str,
    pub reader_org: &'a str,
    /// The purpose the reader states for this read.
    pub purpose: &'a str,
}

/// Purposes compare without regard to case and runs of white space, so
/// "Vurdere  sykepenger" states the purpose "vurdere sykepenger".
pub fn same_purpose(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// Whether a read under a registered sharing basis is allowed at `now`
/// (validity days are compared with `today`, the platform's calendar day).
/// Default deny: the basis must exist with this id, name the caller as
/// reader, be accepted and not revoked by `now`, be valid `today`, and the
/// stated purpose must be its purpose. A basis of another reader is
/// refused as unknown, so its existence is not revealed.
pub fn decide_basis(
    bases: &[SharingBasis],
    req: &BasisRequest<'_>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Decision {
    let Some(b) = bases
        .iter()
        .find(|b| b.id == req.basis_id && b.reader_org == req.reader_org)
    else {
        return Decision::Deny(DenyReason::BasisUnknown);
    };
    let why = if b.revoked_at.is_some_and(|t| t <= now) {
        Some(DenyReason::BasisRevoked)
    } else if b.accepted_at.is_none_or(|t| t > now) {
        Some(DenyReason::BasisNotAccepted)
    } else if b.valid_from > today {
        Some(DenyReason::BasisNotYetValid)
    } else if b.valid_to.is_some_and(|d| d < today) {
        Some(DenyReason::BasisExpired)
    } else if !same_purpose(&b.purpose, req.purpose) {
        Some(DenyReason::BasisPurposeMismatch)
    } else {
        None
    };
    match why {
        Some(r) => Decision::Deny(r),
        None => Decision::Allow(Basis::Registered {
            id: b.id.clone(),
            holder_org: b.holder_org.clone(),
            category: b.category.clone(),
            legal_basis: b.legal_basis.clone(),
        }),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod basis_tests;
