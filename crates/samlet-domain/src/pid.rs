//! Person identifiers: Norwegian fødselsnummer and D-nummer (11 digits, two
//! mod-11 check digits), with room for Danish CPR (10 digits).
//!
//! Synthetic test numbers (Skatteetaten's Tenor convention: month + 80) are
//! valid only when the policy allows them, so production never accepts a
//! made-up person.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PidError {
    #[error("a person id is 11 digits (fødselsnummer or D-nummer){}", if *.cpr { " or 10 digits (CPR)" } else { "" })]
    Length { cpr: bool },
    #[error("a person id contains only digits")]
    NotDigits,
    #[error("the check digits do not match (mod 11): check for a typing error")]
    Checksum,
    #[error("the first six digits are not a valid date of birth")]
    Date,
    #[error("synthetic test numbers (month + 80) are accepted only in test and dev mode")]
    SyntheticNotAllowed,
}

/// Which kinds of person id a deployment accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PidPolicy {
    /// Accept Tenor-style synthetic numbers (month + 80). Test and dev only.
    pub allow_synthetic: bool,
    /// Accept Danish CPR numbers.
    pub allow_cpr: bool,
}

impl PidPolicy {
    pub const PRODUCTION: Self = Self {
        allow_synthetic: false,
        allow_cpr: false,
    };
    pub const TEST: Self = Self {
        allow_synthetic: true,
        allow_cpr: false,
    };
}

/// What kind of number a [`Pid`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PidKind {
    Fodselsnummer,
    DNummer,
    Cpr,
}

/// A checked person identifier, stored as its digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Pid {
    digits: String,
    kind: PidKind,
    synthetic: bool,
    birth_date: NaiveDate,
}

// Never print a national identity number by accident (logs, panics).
impl fmt::Debug for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pid(***{})", &self.digits[self.digits.len() - 2..])
    }
}

const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

fn mod11(weights: &[u32], digits: &[u32]) -> Option<u32> {
    let sum: u32 = weights.iter().zip(digits).map(|(w, d)| w * d).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k),
    }
}

impl Pid {
    pub fn parse(s: &str, policy: PidPolicy) -> Result<Self, PidError> {
        let s = s.trim();
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(PidError::NotDigits);
        }
        match s.len() {
            11 => Self::parse_norwegian(s, policy),
            10 if policy.allow_cpr => Self::parse_cpr(s),
            _ => Err(PidError::Length {
                cpr: policy.allow_cpr,
            }),
        }
    }

    fn parse_norwegian(s: &str, policy: PidPolicy) -> Result<Self, PidError> {
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        if mod11(&K1, &d[..9]) != Some(d[9]) || mod11(&K2, &d[..10]) != Some(d[10]) {
            return Err(PidError::Checksum);
        }
        let mut day = d[0] * 10 + d[1];
        let mut month = d[2] * 10 + d[3];
        let yy = d[4] * 10 + d[5];
        let individual = d[6] * 100 + d[7] * 10 + d[8];
        let kind = if day > 40 {
            day -= 40;
            PidKind::DNummer
        } else {
            PidKind::Fodselsnummer
        };
        let synthetic = month > 80;
        if synthetic {
            if !policy.allow_synthetic {
                return Err(PidError::SyntheticNotAllowed);
            }
            month -= 80;
        }
        // Century from the individual number (Skatteetaten's rules).
        let century = match (individual, yy) {
            (0..=499, _) => 1900,
            (500..=749, 54..) => 1800,
            (500..=999, ..=39) => 2000,
            (900..=999, 40..) => 1900,
            _ => return Err(PidError::Date),
        };
        let birth_date =
            NaiveDate::from_ymd_opt((century + yy) as i32, month, day).ok_or(PidError::Date)?;
        Ok(Self {
            digits: s.to_owned(),
            kind,
            synthetic,
            birth_date,
        })
    }

    fn parse_cpr(s: &str) -> Result<Self, PidError> {
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        let day = d[0] * 10 + d[1];
        let month = d[2] * 10 + d[3];
        let yy = d[4] * 10 + d[5];
        // CPR has had no mandatory check digit since 2007; the 7th digit and
        // the year give the century (CPR-kontoret's table).
        let century = match (d[6], yy) {
            (0..=3, _) => 1900,
            (4 | 9, ..=36) => 2000,
            (4 | 9, _) => 1900,
            (5..=8, ..=57) => 2000,
            (5..=8, _) => 1800,
            _ => return Err(PidError::Date),
        };
        let birth_date =
            NaiveDate::from_ymd_opt((century + yy) as i32, month, day).ok_or(PidError::Date)?;
        Ok(Self {
            digits: s.to_owned(),
            kind: PidKind::Cpr,
            synthetic: false,
            birth_date,
        })
    }

    /// Re-read a number that was validated when it was stored.
    pub fn from_trusted(s: &str) -> Result<Self, PidError> {
        Self::parse(
            s,
            PidPolicy {
                allow_synthetic: true,
                allow_cpr: true,
            },
        )
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn kind(&self) -> PidKind {
        self.kind
    }

    pub fn is_synthetic(&self) -> bool {
        self.synthetic
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        let b = self.birth_date;
        let mut age = on.year() - b.year();
        if (on.month(), on.day()) < (b.month(), b.day()) {
            age -= 1;
        }
        age.max(0) as u32
    }

    /// Build a valid synthetic fødselsnummer for a birth date and an
    /// individual number; `None` if that individual number has no valid
    /// check digits (about 1 in 6 do not). Used for demo and test data.
    pub fn synthetic(birth: NaiveDate, individual: u32) -> Option<Self> {
        let yy = birth.year().rem_euclid(100) as u32;
        let body = format!(
            "{:02}{:02}{:02}{:03}",
            birth.day(),
            birth.month() + 80,
            yy,
            individual % 1000
        );
        let d: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
        let k1 = mod11(&K1, &d)?;
        let mut d10 = d.clone();
        d10.push(k1);
        let k2 = mod11(&K2, &d10)?;
        let pid = Self::parse(&format!("{body}{k1}{k2}"), PidPolicy::TEST).ok()?;
        (pid.birth_date == birth).then_some(pid)
    }
}

impl fmt::Display for Pid {
    /// Displays the full number: only for pages shown to the person themself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl From<Pid> for String {
    fn from(p: Pid) -> String {
        p.digits
    }
}

impl<'de> Deserialize<'de> for Pid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Pid::from_trusted(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_real_format_number_parses() {
        // A well-known published example fødselsnummer (not a real person).
        let p = Pid::parse("01010750160", PidPolicy::PRODUCTION);
        assert!(p.is_ok(), "{p:?}");
    }

    #[test]
    fn d_number_is_recognised() {
        // Make one: day + 40.
        let mut found = None;
        for ind in 0..500 {
            let body = format!("410190{ind:03}");
            let d: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
            if let Some(k1) = mod11(&K1, &d) {
                let mut d10 = d.clone();
                d10.push(k1);
                if let Some(k2) = mod11(&K2, &d10) {
                    found = Some(format!("{body}{k1}{k2}"));
                    break;
                }
            }
        }
        let s = found.unwrap_or_default();
        let p = Pid::parse(&s, PidPolicy::PRODUCTION).map_err(|e| e.to_string());
        assert_eq!(p.as_ref().map(|p| p.kind()), Ok(PidKind::DNummer));
        assert_eq!(p.map(|p| p.birth_date()), Ok(date(1990, 1, 1)));
    }

    #[test]
    fn synthetic_numbers_only_when_allowed() {
        let p = (0..1000).find_map(|i| Pid::synthetic(date(1985, 6, 15), i));
        let p = p.map(|p| p.to_string()).unwrap_or_default();
        assert_eq!(
            Pid::parse(&p, PidPolicy::PRODUCTION),
            Err(PidError::SyntheticNotAllowed)
        );
        let ok = Pid::parse(&p, PidPolicy::TEST).map(|p| (p.is_synthetic(), p.birth_date()));
        assert_eq!(ok, Ok((true, date(1985, 6, 15))));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            Pid::parse("0101075016", PidPolicy::PRODUCTION),
            Err(PidError::Length { cpr: false })
        );
        assert_eq!(
            Pid::parse("01010750161", PidPolicy::PRODUCTION),
            Err(PidError::Checksum)
        );
        assert_eq!(
            Pid::parse("0101075016x", PidPolicy::PRODUCTION),
            Err(PidError::NotDigits)
        );
    }

    #[test]
    fn debug_hides_the_number() {
        let p = Pid::parse("01010750160", PidPolicy::PRODUCTION).map(|p| format!("{p:?}"));
        assert_eq!(p, Ok("Pid(***60)".to_string()));
    }

    #[test]
    fn age_turns_on_the_birthday() {
        let p = (0..1000).find_map(|i| Pid::synthetic(date(2008, 3, 1), i));
        let ages = p.map(|p| (p.age_on(date(2026, 2, 28)), p.age_on(date(2026, 3, 1))));
        assert_eq!(ages, Some((17, 18)));
    }

    #[test]
    fn cpr_only_when_enabled() {
        let policy = PidPolicy {
            allow_cpr: true,
            ..PidPolicy::PRODUCTION
        };
        assert!(Pid::parse("0707614285", policy).is_ok());
        assert!(Pid::parse("0707614285", PidPolicy::PRODUCTION).is_err());
    }

    proptest! {
        #[test]
        fn generated_synthetic_numbers_round_trip(days in 0i64..40000, ind in 0u32..1000) {
            let birth = date(1915, 1, 1) + chrono::Duration::days(days);
            if let Some(p) = Pid::synthetic(birth, ind) {
                let again = Pid::parse(p.as_str(), PidPolicy::TEST);
                prop_assert_eq!(again.map(|q| q.birth_date()), Ok(birth));
            }
        }

        #[test]
        fn single_digit_errors_are_caught(days in 0i64..40000, ind in 0u32..1000, pos in 0usize..11, delta in 1u8..10) {
            let birth = date(1915, 1, 1) + chrono::Duration::days(days);
            if let Some(p) = Pid::synthetic(birth, ind) {
                let mut b = p.as_str().as_bytes().to_vec();
                b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
                let s = String::from_utf8(b).unwrap_or_default();
                prop_assert!(Pid::parse(&s, PidPolicy::TEST).is_err());
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,16}") {
            let _ = Pid::parse(&s, PidPolicy { allow_synthetic: true, allow_cpr: true });
        }
    }
}
