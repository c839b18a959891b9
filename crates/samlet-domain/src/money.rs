//! Money as integer minor units (øre, cents): never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount is a decimal string such as \"1766.00\" (digits, optional sign, at most 2 decimals)")]
    Format,
    #[error("the amount is too large")]
    Overflow,
    #[error("a currency is a three-letter ISO 4217 code such as NOK, DKK or EUR")]
    Currency,
}

/// An ISO 4217 currency code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn parse(s: &str) -> Result<Self, MoneyError> {
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(MoneyError::Currency)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, MoneyError> {
        Self::parse(&s)
    }
}
impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.0
    }
}

/// An amount with two decimals, held as minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    pub minor: i64,
}

impl Money {
    /// Parse "1766", "1766.5", "-12.05". Rejects floats' exponents, more
    /// than two decimals (no silent rounding of someone's benefit) and
    /// anything that is not plainly a number.
    pub fn parse(s: &str) -> Result<Self, MoneyError> {
        let s = s.trim();
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || (rest.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::Format);
        }
        let int: i64 = int.parse().map_err(|_| MoneyError::Overflow)?;
        let frac: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| MoneyError::Format)?;
        let minor = int
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac))
            .ok_or(MoneyError::Overflow)?;
        Ok(Self {
            minor: if neg { -minor } else { minor },
        })
    }
}

impl fmt::Display for Money {
    /// Canonical form: "1766.00".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_plain_amounts() {
        assert_eq!(Money::parse("1766").map(|m| m.minor), Ok(176_600));
        assert_eq!(Money::parse("1766.5").map(|m| m.minor), Ok(176_650));
        assert_eq!(Money::parse("-12.05").map(|m| m.minor), Ok(-1205));
        assert_eq!(
            Money::parse("0.07").map(|m| m.to_string()),
            Ok("0.07".into())
        );
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "", "1e3", "12.345", "1,5", "NaN", "12.", ".5", "--1", "1 000",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::Overflow)
        );
    }

    proptest! {
        #[test]
        fn display_round_trips(minor in -1_000_000_000_000i64..1_000_000_000_000) {
            let m = Money { minor };
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }
        #[test]
        fn never_panics(s in "\\PC{0,30}") { let _ = Money::parse(&s); }
    }
}
