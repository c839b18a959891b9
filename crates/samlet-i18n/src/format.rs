//! Numbers, dates and money as each language writes them.
//!
//! Separators are locale data (CLDR), not translation, so they live here;
//! month names and the order of a date's parts are messages a translator
//! owns (`date-long`, `month-1`…`month-12` in `common.ftl`).

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike};
use fluent_bundle::FluentValue;
use intl_memoizer::concurrent::IntlLangMemoizer;
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

use crate::Lang;

impl Lang {
    /// (thousands separator, decimal separator).
    fn separators(self) -> (&'static str, &'static str) {
        match self {
            // Norwegian writes a (non-breaking) space between thousands.
            Lang::Nb | Lang::Nn => ("\u{a0}", ","),
            Lang::Da => (".", ","),
            Lang::En => (",", "."),
        }
    }

    /// `1766` → "1 766" (nb, nn), "1.766" (da), "1,766" (en).
    pub fn integer(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let grouped = group(&digits, self.separators().0);
        if n < 0 {
            format!("−{grouped}")
        } else {
            grouped
        }
    }

    /// A decimal number given as canonical text ("1766.5", "-3.25"), with
    /// this language's separators; the digits are kept exactly.
    pub fn decimal(self, canonical: &str) -> String {
        let (neg, a) = match canonical.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, canonical),
        };
        let (int, frac) = a.split_once('.').unwrap_or((a, ""));
        let (g, d) = self.separators();
        let mut out = String::new();
        if neg {
            out.push('−');
        }
        out.push_str(&group(int, g));
        if !frac.is_empty() {
            out.push_str(d);
            out.push_str(frac);
        }
        out
    }

    /// "1 766,00 kr" (nb, nn), "1.766,00 kr." (da), "NOK 1,766.00" (en),
    /// from a canonical amount ("1766.00") and an ISO 4217 code.
    pub fn money(self, canonical: &str, currency: &str) -> String {
        let amount = self.decimal(canonical);
        let id = match currency {
            "NOK" => "money-nok",
            "DKK" => "money-dkk",
            "EUR" => "money-eur",
            _ => "money-other",
        };
        self.msg(id)
            .text("amount", amount)
            .text("currency", currency.to_owned())
            .to_string()
    }

    /// "1. mars 2026" (nb), "1 March 2026" (en), "1. marts 2026" (da).
    pub fn date(self, d: NaiveDate) -> String {
        self.msg("date-long")
            .text("day", d.day().to_string())
            .text("month", self.t(MONTHS[d.month0() as usize]))
            .text("year", d.year().to_string())
            .to_string()
    }

    /// "1.3.2026" (nb, nn, da), "1/3/2026" (en): for tables and lists.
    pub fn date_short(self, d: NaiveDate) -> String {
        self.msg("date-short")
            .text("day", d.day().to_string())
            .text("month", d.month().to_string())
            .text("year", d.year().to_string())
            .to_string()
    }

    /// A moment as the reader's clock shows it: "1. mars 2026 kl. 14.05".
    /// The time zone is the person's (see `samlet_domain::Country`).
    pub fn date_time<Tz: TimeZone>(self, t: &DateTime<Tz>) -> String {
        self.msg("date-time")
            .text("date", self.date(t.date_naive()))
            .text("time", self.time_of_day(t.hour(), t.minute()))
            .to_string()
    }

    /// "14.05" (nb, nn, da), "14:05" (en).
    pub fn time_of_day(self, hour: u32, minute: u32) -> String {
        self.msg("time-of-day")
            .text("hour", format!("{hour:02}"))
            .text("minute", format!("{minute:02}"))
            .to_string()
    }
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
    "month-9", "month-10", "month-11", "month-12",
];

fn group(digits: &str, sep: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// The language a bundle formats for, found from the bundle's memoizer (the
/// one place Fluent's number formatter learns which language it is in).
struct NumberFormat(Lang);

impl Memoizable for NumberFormat {
    type Args = ();
    type Error = ();
    fn construct(lang: LanguageIdentifier, _args: ()) -> Result<Self, ()> {
        Lang::parse(&lang.to_string()).map(NumberFormat).ok_or(())
    }
}

/// Numbers in messages (`{ $count }`) with the language's separators.
pub(crate) fn format_value(v: &FluentValue<'_>, intls: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(n) = v else {
        return None;
    };
    let plain = n.as_string();
    intls
        .with_try_get::<NumberFormat, _, _>((), |nf| nf.0.decimal(&plain))
        .ok()
}
