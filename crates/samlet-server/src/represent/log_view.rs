//! How a representative's entries read on the represented person's access log
//! page: the representative by name (never by identity number), and the
//! role, purpose and legal basis in the page's language.
//!
//! The entries are written by this module's siblings in fixed English forms
//! (the log is the record; it is not rewritten): [`kind_label`] for the role,
//! [`Purpose`] for the purpose, "<role> <basis ids>" for the legal basis. The
//! page parses those forms back; anything it does not recognise is shown as
//! written.

use std::collections::HashMap;

use samlet_access::BasisKind;

use crate::i18n::Lang;
use crate::transparency::http::AccessLogPage;
use crate::AppState;

/// The role written into a representative's log entry, e.g.
/// `fullmektig (power of attorney), verge (guardian)`.
pub fn kind_label(kinds: &[BasisKind]) -> String {
    kinds
        .iter()
        .map(|k| label(*k))
        .collect::<Vec<_>>()
        .join(", ")
}

fn label(k: BasisKind) -> &'static str {
    match k {
        BasisKind::Mandate => "fullmektig (power of attorney)",
        BasisKind::Guardianship => "verge (guardian)",
        BasisKind::Parental => "forelder (parent)",
    }
}

/// Reads [`kind_label`] back from the start of `s`; the rest follows.
fn parse_kinds(s: &str) -> Option<(Vec<BasisKind>, &str)> {
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

    /// The purpose in the page's language.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Purpose::View(scopes) => format!(
                "{} {}",
                lang.t("rep_log_view"),
                scopes
                    .iter()
                    .map(|s| area_text(lang, s))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Purpose::OpenedMessage => lang.t("rep_log_opened_message").into(),
            Purpose::ApprovedConsent => lang.t("rep_log_approved_consent").into(),
            Purpose::DeclinedConsent => lang.t("rep_log_declined_consent").into(),
        }
    }
}

/// An area's name in the page's language; a service id as it is.
fn area_text(lang: Lang, scope: &str) -> String {
    let t = lang.t(&format!("area_{scope}"));
    if t.is_empty() {
        scope.to_owned()
    } else {
        t.to_owned()
    }
}

fn kinds_text(lang: Lang, kinds: &[BasisKind]) -> String {
    kinds
        .iter()
        .map(|k| lang.t(&format!("rep_kind_{}", k.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
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

/// Rewrites the page's entries for display: representatives by name (from
/// the population register, else the name logged, else a masked number),
/// no identity numbers, and the representation's role, purpose and legal
/// basis in `lang`. The JSON API returns the entries as logged.
pub async fn present(state: &AppState, lang: Lang, page: &mut AccessLogPage) {
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    for e in &mut page.entries {
        if let Some(on_behalf) = &e.on_behalf_of {
            if is_person_number(on_behalf) {
                e.on_behalf_of = Some(masked(on_behalf));
            }
        }
        if !is_person_number(&e.accessor.org) {
            continue;
        }
        let pid = std::mem::take(&mut e.accessor.org);
        let known = match names.get(&pid) {
            Some(n) => n.clone(),
            None => {
                // A failed lookup shows the logged name or the masked number; the page still works.
                let n = state.store.person_name(&pid).await.ok().flatten();
                names.insert(pid.clone(), n.clone());
                n
            }
        };
        let logged = Some(e.accessor.name.clone()).filter(|n| !n.is_empty() && n != PLACEHOLDER);
        e.accessor.name = known.or(logged).unwrap_or_else(|| masked(&pid));
        if let Some((kinds, rest)) = e.accessor.role.as_deref().and_then(parse_kinds) {
            if rest.is_empty() {
                e.accessor.role = Some(kinds_text(lang, &kinds));
            }
        }
        if let Some(p) = Purpose::parse(&e.purpose) {
            e.purpose = p.text(lang);
        }
        if let Some((kinds, ids)) = parse_kinds(&e.legal_basis) {
            e.legal_basis = format!("{}{ids}", kinds_text(lang, &kinds));
        }
    }
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
    fn purposes_read_in_the_page_language() {
        let p = Purpose::View(vec!["benefits".into(), "dagpenger".into()]);
        assert_eq!(
            p.text(Lang::Da),
            "Handlede på dine vegne, inden for: ydelser og støtte, dagpenger"
        );
        assert_eq!(
            p.text(Lang::Nb),
            "Handlet på dine vegne, innenfor: stønader og ytelser, dagpenger"
        );
        assert_eq!(
            p.text(Lang::En),
            "Acted on your behalf, within: benefits, dagpenger"
        );
        assert_eq!(
            Purpose::OpenedMessage.text(Lang::Da),
            "Åbnede en besked på dine vegne"
        );
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
