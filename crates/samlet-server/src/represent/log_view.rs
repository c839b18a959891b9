//! How a representative's entries read on the represented person's access log
//! page: the representative by name (never by identity number), and the
//! role, purpose and legal basis in the page's language. The entries are
//! written in the fixed forms of [`samlet_app::represent::log_forms`]; what
//! the page does not recognise is shown as written.

use std::collections::HashMap;

use samlet_access::BasisKind;
use samlet_app::represent::log_forms::{
    is_person_number, masked, parse_kinds, Purpose, PLACEHOLDER,
};

use crate::api::types::AccessLogPage;
use crate::i18n::Lang;
use crate::AppState;

/// The purpose in the page's language.
pub fn purpose_text(p: &Purpose, lang: Lang) -> String {
    match p {
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
            e.purpose = purpose_text(&p, lang);
        }
        if let Some((kinds, ids)) = parse_kinds(&e.legal_basis) {
            e.legal_basis = format!("{}{ids}", kinds_text(lang, &kinds));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_read_in_the_page_language() {
        let p = Purpose::View(vec!["benefits".into(), "dagpenger".into()]);
        assert_eq!(
            purpose_text(&p, Lang::Da),
            "Handlede på dine vegne, inden for: ydelser og støtte, dagpenger"
        );
        assert_eq!(
            purpose_text(&p, Lang::Nb),
            "Handlet på dine vegne, innenfor: stønader og ytelser, dagpenger"
        );
        assert_eq!(
            purpose_text(&p, Lang::En),
            "Acted on your behalf, within: benefits, dagpenger"
        );
        assert_eq!(
            purpose_text(&Purpose::OpenedMessage, Lang::Da),
            "Åbnede en besked på dine vegne"
        );
    }
}
