//! The 1–6 rating scale, blind-spot thresholds and the scale labels of the study.

use serde::{Deserialize, Serialize};

/// Lowest value on the study's scale ("Det ble benyttet en skala fra 1 til 6", seed 001).
pub const RATING_MIN: u8 = 1;
/// Highest value on the study's scale.
pub const RATING_MAX: u8 = 6;

/// Errors from building ratings and thresholds.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RatingError {
    /// The value is outside 1..=6.
    #[error("rating {0} is outside the scale 1..=6")]
    OutOfRange(i64),
    /// A threshold is not a finite number inside the 1–6 scale.
    #[error("threshold {name} = {value} must be a finite number between 1 and 6")]
    InvalidThreshold {
        /// `importance` or `preparedness`.
        name: &'static str,
        /// The rejected value.
        value: f64,
    },
}

/// One answer on the 1–6 scale. It cannot hold any other value, so sums and
/// means computed from it always stay inside the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Rating(u8);

impl Rating {
    /// Builds a rating, rejecting anything outside 1..=6.
    pub fn new(value: i64) -> Result<Self, RatingError> {
        if (i64::from(RATING_MIN)..=i64::from(RATING_MAX)).contains(&value) {
            // In range, so the narrowing cannot lose information.
            Ok(Rating(value as u8))
        } else {
            Err(RatingError::OutOfRange(value))
        }
    }

    /// The numeric value, 1..=6.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The label of this value on the given scale (footnote 63 of seed 001).
    pub fn label(self, scale: Scale, lang: Lang) -> &'static str {
        scale_labels(scale, lang)[usize::from(self.0 - RATING_MIN)]
    }
}

impl TryFrom<i64> for Rating {
    type Error = RatingError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Rating::new(value)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

/// Where the strategic blind spot starts. The study puts "grenseverdien for høy
/// viktighet på 4,5 og for lav beredskap på 3,5" and treats both as strict: trend
/// 2.3 (preparedness exactly 3,5) is out "fordi beredskapen ikke er lavere enn 3,5".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ThresholdsWire")]
pub struct Thresholds {
    importance: f64,
    preparedness: f64,
}

#[derive(Deserialize)]
struct ThresholdsWire {
    importance: f64,
    preparedness: f64,
}

impl TryFrom<ThresholdsWire> for Thresholds {
    type Error = RatingError;
    fn try_from(w: ThresholdsWire) -> Result<Self, Self::Error> {
        Thresholds::new(w.importance, w.preparedness)
    }
}

impl Default for Thresholds {
    /// The study's values: importance 4.5, preparedness 3.5.
    fn default() -> Self {
        Thresholds {
            importance: 4.5,
            preparedness: 3.5,
        }
    }
}

impl Thresholds {
    /// Builds thresholds; both must be finite and on the 1–6 scale, otherwise the
    /// blind spot would be empty or everything by construction.
    pub fn new(importance: f64, preparedness: f64) -> Result<Self, RatingError> {
        for (name, value) in [("importance", importance), ("preparedness", preparedness)] {
            if !value.is_finite() || !(1.0..=6.0).contains(&value) {
                return Err(RatingError::InvalidThreshold { name, value });
            }
        }
        Ok(Thresholds {
            importance,
            preparedness,
        })
    }

    /// Importance must be strictly above this.
    pub fn importance(&self) -> f64 {
        self.importance
    }

    /// Preparedness must be strictly below this.
    pub fn preparedness(&self) -> f64 {
        self.preparedness
    }

    /// True when the means fall in the blind spot: importance > threshold AND
    /// preparedness < threshold, both strict as in the study.
    pub fn in_blind_spot(&self, importance_mean: f64, preparedness_mean: f64) -> bool {
        importance_mean > self.importance && preparedness_mean < self.preparedness
    }
}

/// Which of the two questions a label belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Viktighet: how important the trend becomes toward the horizon.
    Importance,
    /// Beredskap: how prepared the sector is today.
    Preparedness,
}

/// Output language: the one localisation's.
pub use samlet_i18n::Lang;

const IMPORTANCE: [&str; 6] = [
    "fs-importance-1",
    "fs-importance-2",
    "fs-importance-3",
    "fs-importance-4",
    "fs-importance-5",
    "fs-importance-6",
];
const PREPAREDNESS: [&str; 6] = [
    "fs-preparedness-1",
    "fs-preparedness-2",
    "fs-preparedness-3",
    "fs-preparedness-4",
    "fs-preparedness-5",
    "fs-preparedness-6",
];

/// The six labels of a scale, index 0 being rating 1. Bokmål is verbatim from
/// footnote 63 of seed 001 so a live session asks exactly what the study asked.
pub fn scale_labels(scale: Scale, lang: Lang) -> [&'static str; 6] {
    let ids = match scale {
        Scale::Importance => IMPORTANCE,
        Scale::Preparedness => PREPAREDNESS,
    };
    ids.map(|id| lang.t(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_accepts_only_one_to_six() {
        for v in 1..=6 {
            assert_eq!(Rating::new(v).map(Rating::get), Ok(v as u8));
        }
        for v in [i64::MIN, -1, 0, 7, 255, 256, i64::MAX] {
            assert_eq!(Rating::new(v), Err(RatingError::OutOfRange(v)));
        }
    }

    #[test]
    fn rating_serde_rejects_out_of_range() {
        assert!(serde_json::from_str::<Rating>("0").is_err());
        assert!(serde_json::from_str::<Rating>("7").is_err());
        assert!(serde_json::from_str::<Rating>("3.5").is_err());
        assert_eq!(
            serde_json::from_str::<Rating>("6").ok().map(Rating::get),
            Some(6)
        );
        assert_eq!(serde_json::to_string(&Rating(4)).ok().as_deref(), Some("4"));
    }

    #[test]
    fn thresholds_are_strict_like_the_study() {
        let t = Thresholds::default();
        // Trend 2.3: importance 5.4, preparedness exactly 3.5 -> not in the blind spot.
        assert!(!t.in_blind_spot(5.4, 3.5));
        // Importance exactly 4.5 is not "over 4,5".
        assert!(!t.in_blind_spot(4.5, 2.0));
        assert!(t.in_blind_spot(4.500001, 3.499999));
    }

    #[test]
    fn thresholds_reject_nonsense() {
        assert!(Thresholds::new(f64::NAN, 3.5).is_err());
        assert!(Thresholds::new(4.5, 0.5).is_err());
        assert!(Thresholds::new(f64::INFINITY, 3.5).is_err());
        assert!(
            serde_json::from_str::<Thresholds>(r#"{"importance":9,"preparedness":3}"#).is_err()
        );
        let ok: Result<Thresholds, _> =
            serde_json::from_str(r#"{"importance":4,"preparedness":3}"#);
        assert_eq!(ok.ok(), Thresholds::new(4.0, 3.0).ok());
    }

    #[test]
    fn footnote_63_labels() {
        assert_eq!(scale_labels(Scale::Importance, Lang::Nb)[5], "Svært viktig");
        assert_eq!(
            scale_labels(Scale::Preparedness, Lang::Nb)[3],
            "Relativt godt beredt"
        );
        let r = Rating(1);
        assert_eq!(
            r.label(Scale::Preparedness, Lang::En),
            "Very poorly prepared"
        );
        for lang in Lang::ALL {
            for scale in [Scale::Importance, Scale::Preparedness] {
                assert!(scale_labels(scale, lang).iter().all(|l| !l.is_empty()));
            }
        }
        assert_eq!(scale_labels(Scale::Preparedness, Lang::Nn)[4], "Godt budd");
    }
}
