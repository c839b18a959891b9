//! Which day it is for the person: "today", overdue and the dates on pages
//! are in the country's own time zone, daylight saving time included.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The country a Samlet installation serves. It sets the time zone and the
/// default language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Country {
    /// Norway: Europe/Oslo.
    #[default]
    No,
    /// Denmark: Europe/Copenhagen.
    Dk,
}

impl Country {
    pub fn code(self) -> &'static str {
        match self {
            Country::No => "no",
            Country::Dk => "dk",
        }
    }

    pub fn tz(self) -> Tz {
        match self {
            Country::No => chrono_tz::Europe::Oslo,
            Country::Dk => chrono_tz::Europe::Copenhagen,
        }
    }

    /// The person's date at this instant.
    pub fn today(self, now: DateTime<Utc>) -> NaiveDate {
        self.local(now).date_naive()
    }

    /// An instant on the person's clock.
    pub fn local(self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.tz())
    }

    /// The instant a local day begins (midnight; on a day whose midnight is
    /// skipped by a clock change, the first instant that exists).
    pub fn start_of_day(self, d: NaiveDate) -> DateTime<Utc> {
        let tz = self.tz();
        let mut t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        for _ in 0..4 {
            if let Some(local) = tz.from_local_datetime(&t).earliest() {
                return local.with_timezone(&Utc);
            }
            t += chrono::Duration::minutes(30);
        }
        Utc.from_utc_datetime(&t)
    }
}

impl std::str::FromStr for Country {
    type Err = UnknownCountry;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "no" | "nor" | "norway" => Ok(Country::No),
            "dk" | "dnk" | "denmark" => Ok(Country::Dk),
            other => Err(UnknownCountry(other.chars().take(16).collect())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown country {0:?}: use no (Norway) or dk (Denmark)")]
pub struct UnknownCountry(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// Summer time: Oslo is UTC+2, so 22:30 UTC is already tomorrow.
    /// A fixed UTC+1 would still say today.
    #[test]
    fn in_summer_midnight_in_oslo_is_22_utc() {
        assert_eq!(
            Country::No.today(utc("2026-06-30T21:59:59Z")),
            d(2026, 6, 30)
        );
        assert_eq!(
            Country::No.today(utc("2026-06-30T22:00:00Z")),
            d(2026, 7, 1)
        );
        assert_eq!(
            Country::Dk.today(utc("2026-06-30T22:00:00Z")),
            d(2026, 7, 1)
        );
    }

    #[test]
    fn in_winter_midnight_in_oslo_is_23_utc() {
        assert_eq!(
            Country::No.today(utc("2026-12-31T22:59:59Z")),
            d(2026, 12, 31)
        );
        assert_eq!(
            Country::No.today(utc("2026-12-31T23:00:00Z")),
            d(2027, 1, 1)
        );
    }

    /// The nights the clocks change (last Sunday of March and of October).
    #[test]
    fn the_days_the_clocks_change() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST. The day began at 23:00 UTC.
        assert_eq!(
            Country::No.start_of_day(d(2026, 3, 29)),
            utc("2026-03-28T23:00:00Z")
        );
        assert_eq!(
            Country::No.start_of_day(d(2026, 3, 30)),
            utc("2026-03-29T22:00:00Z")
        );
        assert_eq!(
            Country::No.today(utc("2026-03-29T21:59:59Z")),
            d(2026, 3, 29)
        );
        assert_eq!(
            Country::No.today(utc("2026-03-29T22:00:00Z")),
            d(2026, 3, 30)
        );
        // 25 October 2026: 03:00 CEST becomes 02:00 CET; that day is 25 hours long.
        let start = Country::No.start_of_day(d(2026, 10, 25));
        let next = Country::No.start_of_day(d(2026, 10, 26));
        assert_eq!(start, utc("2026-10-24T22:00:00Z"));
        assert_eq!((next - start).num_hours(), 25);
        assert_eq!(
            Country::Dk.today(utc("2026-10-25T22:59:59Z")),
            d(2026, 10, 25)
        );
    }

    #[test]
    fn countries_parse_from_what_operators_write() {
        assert_eq!("dk".parse(), Ok(Country::Dk));
        assert_eq!("NO".parse(), Ok(Country::No));
        assert!("se".parse::<Country>().is_err());
    }
}
