//! Which language to answer in.

use crate::Lang;

impl Lang {
    /// The language cookie wins, then the browser's `Accept-Language` (best
    /// quality first; `nn`, `nn-NO` → nynorsk, `no`, `nb-NO` → bokmål), then
    /// `default` (bokmål in Norway, Danish in Denmark).
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>, default: Lang) -> Lang {
        if let Some(l) = cookie.and_then(Lang::parse) {
            return l;
        }
        accept_language
            .and_then(|header| by_quality(header).into_iter().find_map(Lang::parse))
            .unwrap_or(default)
    }
}

/// The tags of an `Accept-Language` header, best quality first (equal
/// qualities keep their order; `q=0` means "not this one"). By hand: the
/// Fluent negotiation crate reads tags but does not order them by quality,
/// and this is a dozen lines.
fn by_quality(header: &str) -> Vec<&str> {
    let mut tags: Vec<(&str, u16)> = header
        .split(',')
        .take(32)
        .filter_map(|part| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| (q.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0) * 1000.0) as u16)
                .unwrap_or(1000);
            (!tag.is_empty() && q > 0).then_some((tag, q))
        })
        .collect();
    tags.sort_by_key(|t| std::cmp::Reverse(t.1));
    tags.into_iter().map(|(t, _)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn norwegian_tags_pick_the_right_written_form() {
        let n = |h: &str| Lang::negotiate(None, Some(h), Lang::Nb);
        assert_eq!(n("nn"), Lang::Nn);
        assert_eq!(n("nn-NO"), Lang::Nn);
        assert_eq!(n("nn-NO,nb;q=0.8"), Lang::Nn);
        assert_eq!(n("no"), Lang::Nb);
        assert_eq!(n("nb-NO,nn;q=0.9"), Lang::Nb);
        assert_eq!(n("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(n("da-DK"), Lang::Da);
        assert_eq!(n("sv-SE,nn;q=0.5"), Lang::Nn, "first language we have");
        assert_eq!(n("de;q=0.9,en;q=0.1"), Lang::En);
        assert_eq!(
            n("en;q=0.2,nn;q=0.9"),
            Lang::Nn,
            "quality decides, not order"
        );
        assert_eq!(n("fr"), Lang::Nb);
        assert_eq!(n("en;q=0,nn;q=0.1"), Lang::Nn, "q=0 is a refusal");
        assert_eq!(n(""), Lang::Nb);
        assert_eq!(Lang::negotiate(None, Some("fr"), Lang::Da), Lang::Da);
    }

    #[test]
    fn the_cookie_wins_when_it_names_a_language() {
        assert_eq!(Lang::negotiate(Some("nn"), Some("en"), Lang::Nb), Lang::Nn);
        assert_eq!(Lang::negotiate(Some("xx"), Some("en"), Lang::Nb), Lang::En);
    }

    proptest! {
        /// Whatever a client sends, negotiation answers with a language and
        /// never panics.
        #[test]
        fn any_header_gets_a_language(cookie in ".{0,40}", header in ".{0,200}") {
            let l = Lang::negotiate(Some(&cookie), Some(&header), Lang::Nb);
            prop_assert!(Lang::ALL.contains(&l));
        }

        #[test]
        fn parse_is_case_and_region_insensitive(i in 0usize..4, region in "[A-Za-z]{2}") {
            let l = Lang::ALL[i];
            prop_assert_eq!(Lang::parse(&format!("{}-{}", l.code().to_uppercase(), region)), Some(l));
        }
    }
}
