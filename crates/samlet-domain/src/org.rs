//! Norwegian organisation numbers (organisasjonsnummer): 9 digits, the last a
//! mod-11 check digit over weights 3,2,7,6,5,4,3,2.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    #[error("an organisation number has exactly 9 digits")]
    Length,
    #[error("an organisation number contains only digits")]
    NotDigits,
    #[error("the check digit does not match (mod 11): check for a typing error")]
    Checksum,
}

/// A checked Norwegian organisation number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber(String);

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

impl OrgNumber {
    pub fn parse(s: &str) -> Result<Self, OrgNumberError> {
        // People write "974 760 673"; accept the spaces, store the digits.
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(OrgNumberError::NotDigits);
        }
        if digits.len() != 9 {
            return Err(OrgNumberError::Length);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Err(OrgNumberError::Checksum),
            k => k,
        };
        if check != d[8] {
            return Err(OrgNumberError::Checksum);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compute the check digit for 8 leading digits; `None` when no valid
    /// number starts with them. Used by tests and the demo data generator.
    pub fn with_check_digit(first8: &str) -> Option<Self> {
        (0..10)
            .map(|c| format!("{first8}{c}"))
            .find_map(|s| Self::parse(&s).ok())
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OrgNumber {
    type Err = OrgNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for OrgNumber {
    type Error = OrgNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgNumber> for String {
    fn from(o: OrgNumber) -> String {
        o.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_agencies_parse() {
        // NAV, Skatteetaten, Digdir, Mattilsynet.
        for n in ["889640782", "974761076", "991825827", "985399077"] {
            assert!(OrgNumber::parse(n).is_ok(), "{n}");
        }
        assert_eq!(
            OrgNumber::parse("889 640 782").map(|o| o.to_string()),
            Ok("889640782".into())
        );
    }

    #[test]
    fn wrong_numbers_are_refused_with_reason() {
        assert_eq!(OrgNumber::parse("889640783"), Err(OrgNumberError::Checksum));
        assert_eq!(OrgNumber::parse("88964078"), Err(OrgNumberError::Length));
        assert_eq!(
            OrgNumber::parse("88964078x"),
            Err(OrgNumberError::NotDigits)
        );
    }

    proptest! {
        #[test]
        fn any_single_digit_change_is_caught(first8 in "[0-9]{8}", pos in 0usize..9, delta in 1u8..10) {
            if let Some(org) = OrgNumber::with_check_digit(&first8) {
                let mut bytes = org.as_str().as_bytes().to_vec();
                bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
                let changed = String::from_utf8(bytes).unwrap_or_default();
                prop_assert!(OrgNumber::parse(&changed).is_err());
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = OrgNumber::parse(&s);
        }
    }
}
