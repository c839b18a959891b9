//! The fixed English forms a representative's log entries are written in
//! (the log is the record; it is not rewritten): [`kind_label`] for the
//! role, [`Purpose`] for the purpose, "<role> <basis ids>" for the legal
//! basis. The access log page parses them back ([`parse_kinds`],
//! [`Purpose::parse`]) to show them in the reader's language; anything not
//! recognised is shown as written.

use samlet_access::BasisKind;

/// The role written into a representative's log entry, e.g.
/// `fullmektig (power of attorney), verge (guardian)`.
pub fn kind_label(kinds: &[BasisKind]) -> String {
    kinds
        .iter()
        .map(|k| label(*k))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn label(k: BasisKind) -> &'static str {
    match k {
        BasisKind::Mandate => "fullmektig (power of attorney)",
        BasisKind::Guardianship => "verge (guardian)",
        BasisKind::Parental => "forelder (parent)",
    }
}

/// Reads [`kind_label`] back from the start of `s`; the rest follows.
pub fn parse_kinds(s: &str) -> Option<(Vec<BasisKind>, &str)> {
    let mut kinds = Vec::new();
    let mut rest = s;
    loop {
        let k = [
            BasisKind::Mandate,
            BasisKind::Guardianship,
            BasisKind::Parental,
        ]
        .into_iter()
        .find(|k| rest.starts_with(label(*k)))?;
        kinds.push(k);
        rest = &rest[label(k).len()..];
        match rest.strip_prefix(", ") {
            Some(r) => rest = r,
            None => return Some((kinds, rest)),
        }
    }
}

/// What a representative did, as written into the entry's purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Saw the overview within these scopes (`all`, areas, service ids).
    View(Vec<String>),
    /// Opened a message (marked read, as the person would).
    OpenedMessage,
    ApprovedConsent,
    DeclinedConsent,
}

const VIEW_PREFIX: &str = "Acting for the person, within: ";
const OPENED: &str = "Acting for the person: opened a message";
const APPROVED: &str = "Acting for the person: approved a consent request";
const DECLINED: &str = "Acting for the person: declined a consent request";

impl Purpose {
    /// The English form stored in the log.
    pub fn logged(&self) -> String {
        match self {
            Purpose::View(scopes) => format!("{VIEW_PREFIX}{}", scopes.join(", ")),
            Purpose::OpenedMessage => OPENED.into(),
            Purpose::ApprovedConsent => APPROVED.into(),
            Purpose::DeclinedConsent => DECLINED.into(),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        if let Some(rest) = s.strip_prefix(VIEW_PREFIX) {
            return Some(Purpose::View(
                rest.split(", ")
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ));
        }
        match s {
            OPENED => Some(Purpose::OpenedMessage),
            APPROVED => Some(Purpose::ApprovedConsent),
            DECLINED => Some(Purpose::DeclinedConsent),
            _ => None,
        }
    }
}

/// Whether an accessor's "organisation number" is a person's identity
/// number (11 digits, or 10 for CPR): that is how representatives are logged.
pub fn is_person_number(s: &str) -> bool {
    matches!(s.len(), 10 | 11) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `123456*****`: enough for the person to recognise a birth date, not
/// enough to identify anyone. Shown only when no name is known.
pub fn masked(pid: &str) -> String {
    let head = pid.get(..6).unwrap_or("");
    format!("{head}{}", "*".repeat(pid.len().saturating_sub(head.len())))
}

/// The accessor name logged when the register had no name for the representative.
pub const PLACEHOLDER: &str = "Representative";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_forms_read_back() {
        let kinds = [BasisKind::Mandate, BasisKind::Parental];
        let role = kind_label(&kinds);
        assert_eq!(parse_kinds(&role), Some((kinds.to_vec(), "")));
        let basis = format!("{role} m_1 p_2");
        assert_eq!(parse_kinds(&basis), Some((kinds.to_vec(), " m_1 p_2")));
        assert_eq!(parse_kinds("Skatteforvaltningsloven § 10"), None);
        for p in [
            Purpose::View(vec!["benefits".into(), "dagpenger".into()]),
            Purpose::OpenedMessage,
            Purpose::ApprovedConsent,
            Purpose::DeclinedConsent,
        ] {
            assert_eq!(Purpose::parse(&p.logged()), Some(p));
        }
        assert_eq!(Purpose::parse("Saksbehandling"), None);
    }

    #[test]
    fn numbers_are_masked_and_recognised() {
        assert_eq!(masked("12048812345"), "120488*****");
        assert_eq!(masked("0101011234"), "010101****");
        assert!(is_person_number("12048812345"));
        assert!(is_person_number("0101011234"));
        assert!(!is_person_number("889640782"), "an organisation number");
        assert!(!is_person_number("1204881234x"));
    }
}
