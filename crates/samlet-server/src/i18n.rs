//! The web's side of the localisation (`samlet-i18n`): which language a
//! request gets, and the messages as templates read them.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum_extra::extract::cookie::CookieJar;

/// One read of another agency's data in plain words: "NAV read your cases
/// from Skatteetaten for the purpose “…”, under folketrygdloven § 8-28".
/// The purpose and the law are shown as registered (they are the
/// operator's or the consent request's words, not translated).
pub fn shared_sentence(
    lang: Lang,
    reader: &str,
    s: &samlet_app::transparency::entry::SharedFrom,
) -> String {
    use samlet_app::transparency::entry::SharedUnder;
    let cat_id = format!("shared_cat_{}", s.category);
    let category = if lang.has(&cat_id) {
        lang.t(&cat_id).to_owned()
    } else {
        s.category.clone()
    };
    let holder = if s.holder_name.is_empty() {
        s.holder_org.as_str()
    } else {
        s.holder_name.as_str()
    };
    let id = match s.under {
        SharedUnder::Basis => "shared_basis",
        SharedUnder::Consent => "shared_consent",
    };
    lang.msg(id)
        .text("reader", reader)
        .text("category", category)
        .text("holder", holder)
        .text("purpose", s.purpose.as_str())
        .text("law", s.legal_basis.as_deref().unwrap_or(""))
        .to_string()
}

pub use samlet_i18n::Lang;

pub const LANG_COOKIE: &str = "samlet_lang";

/// The language a page or a problem is answered in: the `samlet_lang`
/// cookie, then `Accept-Language`, then the country's default (bokmål in
/// Norway, Danish in Denmark).
#[derive(Debug, Clone, Copy)]
pub struct PageLang(pub Lang);

impl PageLang {
    pub fn of(headers: &HeaderMap, default: Lang) -> Lang {
        let jar = CookieJar::from_headers(headers);
        Lang::negotiate(
            jar.get(LANG_COOKIE).map(|c| c.value()),
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
            default,
        )
    }
}

impl FromRequestParts<crate::AppState> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageLang(PageLang::of(
            &parts.headers,
            state.config.country_lang(),
        )))
    }
}

/// A language's messages as a template object: `tr.overview_title` reads
/// the pre-rendered message without copying the table into every page.
/// An id with no message renders as `⟦id⟧`, visible on the page and caught
/// by the test that renders every page in every language.
#[derive(Debug)]
pub struct Messages(pub Lang);

impl minijinja::value::Object for Messages {
    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let id = key.as_str()?;
        Some(match self.0.plain_messages().get(id) {
            Some(s) => minijinja::Value::from(s.as_str()),
            None => minijinja::Value::from(format!("⟦{id}⟧")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_under_a_sharing_basis_reads_as_a_sentence_in_each_language() {
        use samlet_app::transparency::entry::{SharedFrom, SharedUnder};
        let s = SharedFrom {
            under: SharedUnder::Basis,
            id: "sb_1".into(),
            holder_org: "974761076".into(),
            holder_name: "Skatteetaten".into(),
            category: "cases".into(),
            purpose: "vurdere sykepenger".into(),
            legal_basis: Some("folketrygdloven § 8-28".into()),
            legal_ref: None,
        };
        assert_eq!(
            shared_sentence(Lang::En, "NAV", &s),
            "NAV read your cases from Skatteetaten for the purpose “vurdere sykepenger”, under folketrygdloven § 8-28."
        );
        assert_eq!(
            shared_sentence(Lang::Nb, "NAV", &s),
            "NAV leste sakene dine fra Skatteetaten for formålet «vurdere sykepenger», med hjemmel i folketrygdloven § 8-28."
        );
        assert!(shared_sentence(Lang::Da, "NAV", &s)
            .starts_with("NAV læste dine sager fra Skatteetaten"));
        assert!(shared_sentence(Lang::Nn, "NAV", &s).starts_with("NAV las"));
        let consent = SharedFrom {
            under: SharedUnder::Consent,
            legal_basis: None,
            category: "benefits".into(),
            ..s
        };
        assert!(shared_sentence(Lang::En, "NAV", &consent)
            .contains("your benefits from Skatteetaten with your consent"));
    }

    #[test]
    fn the_cookie_then_accept_language_then_the_country_default() {
        let mut h = HeaderMap::new();
        assert_eq!(PageLang::of(&h, Lang::Nb), Lang::Nb);
        assert_eq!(PageLang::of(&h, Lang::Da), Lang::Da);
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            axum::http::HeaderValue::from_static("nn-NO,nb;q=0.8"),
        );
        assert_eq!(PageLang::of(&h, Lang::Nb), Lang::Nn);
        h.insert(
            axum::http::header::COOKIE,
            axum::http::HeaderValue::from_static("samlet_lang=en"),
        );
        assert_eq!(PageLang::of(&h, Lang::Nb), Lang::En);
    }
}
