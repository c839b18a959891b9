//! Values, declared types, periods and the formatting used in explanations.
//!
//! Numbers are `rust_decimal::Decimal` throughout: money must never pass through floats.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value seen by the rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Any number: money (NOK), counts, rates. Exact decimal.
    Number(Decimal),
    /// Result of a condition.
    Bool(bool),
    /// A calendar date.
    Date(NaiveDate),
    /// Text, e.g. a role. `Arc` so a population run can share one copy of "child".
    Text(Arc<str>),
}

impl Value {
    /// Builds a text value.
    pub fn text(s: &str) -> Value {
        Value::Text(Arc::from(s))
    }

    /// Builds a number from an integer.
    pub fn int(i: i64) -> Value {
        Value::Number(Decimal::from(i))
    }

    /// The number inside, if any.
    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            _ => None,
        }
    }

    pub(crate) fn base(&self) -> Base {
        match self {
            Value::Number(_) => Base::Number,
            Value::Bool(_) => Base::Bool,
            Value::Date(_) => Base::Date,
            Value::Text(_) => Base::Text,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => write!(f, "{}", d.normalize()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Value::Text(t) => write!(f, "{t}"),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // Decimal as a string keeps it exact for machine readers.
            Value::Number(d) => s.serialize_str(&d.normalize().to_string()),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Date(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            Value::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    /// Lenient on purpose: strings become text and are converted to the declared input type
    /// (date, number) when the household is checked against the rule set.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, boolean, date string or text")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Number(Decimal::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Number(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
                // Only reached for JSON numbers with a fraction; pass exact decimals as strings.
                Decimal::from_str(&v.to_string())
                    .map(Value::Number)
                    .map_err(|_| E::custom("number out of range"))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::text(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// The four kinds of value the type checker distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    Number,
    Bool,
    Date,
    Text,
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Base::Number => "a number",
            Base::Bool => "a true/false condition",
            Base::Date => "a date",
            Base::Text => "text",
        })
    }
}

/// Declared type of an input, parameter, table or rule. Decides parsing and how values are
/// shown to citizens (e.g. money as "1 766 kr").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Whole number (counts).
    Integer,
    /// Amount in NOK (decimal, never float).
    Money,
    /// Any decimal number.
    Decimal,
    /// A fraction shown as a percentage (0.1 is shown as 10 %).
    Rate,
    /// true/false.
    Boolean,
    /// ISO date.
    Date,
    /// Text.
    Text,
}

impl ValueType {
    /// Reads a type name as written in rule files.
    pub fn parse(s: &str) -> Option<ValueType> {
        Some(match s {
            "integer" => ValueType::Integer,
            "money" => ValueType::Money,
            "decimal" | "number" => ValueType::Decimal,
            "rate" | "percent" => ValueType::Rate,
            "boolean" | "bool" => ValueType::Boolean,
            "date" => ValueType::Date,
            "text" | "string" => ValueType::Text,
            _ => return None,
        })
    }

    pub(crate) const NAMES: &'static str = "integer, money, decimal, rate, boolean, date, text";

    pub(crate) fn base(self) -> Base {
        match self {
            ValueType::Integer | ValueType::Money | ValueType::Decimal | ValueType::Rate => {
                Base::Number
            }
            ValueType::Boolean => Base::Bool,
            ValueType::Date => Base::Date,
            ValueType::Text => Base::Text,
        }
    }

    /// Name as written in files.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Integer => "integer",
            ValueType::Money => "money",
            ValueType::Decimal => "decimal",
            ValueType::Rate => "rate",
            ValueType::Boolean => "boolean",
            ValueType::Date => "date",
            ValueType::Text => "text",
        }
    }

    /// Parses text (from YAML or CSV) as this type.
    pub fn parse_value(self, s: &str) -> Result<Value, String> {
        let s = s.trim();
        match self {
            ValueType::Integer => {
                let d = parse_decimal(s)
                    .ok_or_else(|| format!("expected a whole number, found `{s}`"))?;
                if d.fract().is_zero() {
                    Ok(Value::Number(d))
                } else {
                    Err(format!("expected a whole number, found `{s}`"))
                }
            }
            ValueType::Money | ValueType::Decimal | ValueType::Rate => parse_decimal(s)
                .map(Value::Number)
                .ok_or_else(|| format!("expected a number, found `{s}`")),
            ValueType::Boolean => match s {
                "true" | "yes" => Ok(Value::Bool(true)),
                "false" | "no" => Ok(Value::Bool(false)),
                _ => Err(format!("expected true or false, found `{s}`")),
            },
            ValueType::Date => parse_date(s)
                .map(Value::Date)
                .ok_or_else(|| format!("expected a date YYYY-MM-DD, found `{s}`")),
            ValueType::Text => Ok(Value::text(s)),
        }
    }

    /// Converts a loosely typed value (e.g. from JSON) to this type.
    pub fn coerce(self, v: &Value) -> Result<Value, String> {
        match (self.base(), v) {
            (Base::Number, Value::Number(d)) => {
                if self == ValueType::Integer && !d.fract().is_zero() {
                    Err(format!("a whole number, got {d}"))
                } else {
                    Ok(v.clone())
                }
            }
            (Base::Bool, Value::Bool(_)) | (Base::Date, Value::Date(_)) => Ok(v.clone()),
            (Base::Text, Value::Text(_)) => Ok(v.clone()),
            (Base::Text, other) => Ok(Value::text(&other.to_string())),
            (_, Value::Text(t)) => self.parse_value(t),
            (_, other) => Err(format!("{} value `{other}`", other.base())),
        }
    }
}

/// Parses a decimal, allowing `_` as thousands separator and a trailing `%`.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let (body, pct) = match s.strip_suffix('%') {
        Some(b) => (b.trim_end(), true),
        None => (s, false),
    };
    let cleaned: String = body.chars().filter(|c| *c != '_').collect();
    let d = Decimal::from_str(&cleaned).ok()?;
    if pct {
        d.checked_div(Decimal::from(100))
    } else {
        Some(d)
    }
}

/// Parses an ISO date `YYYY-MM-DD` quickly (the population loader calls this millions of times).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_bytes(s.as_bytes())
}

/// Byte version of [`parse_date`].
pub fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: &[u8]| -> Option<u32> {
        r.iter().try_fold(0u32, |acc, c| {
            if c.is_ascii_digit() {
                Some(acc * 10 + u32::from(c - b'0'))
            } else {
                None
            }
        })
    };
    let y = i32::try_from(num(&b[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(y, num(&b[5..7])?, num(&b[8..10])?)
}

/// A calendar month, the period the rules decide for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// First day of the month.
    pub start: NaiveDate,
    /// Last day of the month.
    pub end: NaiveDate,
}

impl Period {
    /// The month `year-month`; `None` for an invalid month.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let start = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        Some(Period {
            start,
            end: next.pred_opt()?,
        })
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Period::month(y.parse().ok()?, m.parse().ok()?)
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Period, String> {
        Period::parse(s).ok_or_else(|| format!("expected a month YYYY-MM, found `{s}`"))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.start.year(), self.start.month())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid month `{s}`")))
    }
}

pub use samlet_i18n::Lang;

/// A text a person reads: a Fluent message id of the rule set (`locales/<lang>/*.ftl` beside
/// its YAML) and the message rendered in every language when the rule set was loaded, so that a
/// stored trace can be explained again without the rule files. Serialised as
/// `{ "id": …, "nb": …, "nn": …, "en": …, "da": … }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Label {
    /// The message id; empty for a name shown as written (a rule without a label).
    #[serde(default)]
    pub id: String,
    /// The text in each language, rendered from the message.
    #[serde(flatten)]
    pub texts: BTreeMap<Lang, String>,
}

impl Label {
    /// The same text in every language: a name shown as written, for an item without a label.
    pub fn literal(s: &str) -> Label {
        Label {
            id: String::new(),
            texts: Lang::ALL.iter().map(|l| (*l, s.to_owned())).collect(),
        }
    }

    /// Message `id` of `content` in every language that has it. An `explain` message's
    /// `$value` is left as the `{value}` slot that the explanation fills in.
    pub fn from_content(content: &samlet_i18n::Content, id: &str) -> Label {
        let mut args = samlet_i18n::Args::new();
        args.set("value", "{value}");
        Label {
            id: id.to_owned(),
            texts: Lang::ALL
                .iter()
                .filter_map(|l| Some((*l, content.format(*l, id, Some(&args))?)))
                .collect(),
        }
    }

    /// The text in `lang`. A loaded rule set has every language (it does not load otherwise);
    /// only a label stored before a language was added lacks one, and shows the first it has.
    pub fn get(&self, lang: Lang) -> &str {
        self.texts
            .get(&lang)
            .or_else(|| self.texts.values().next())
            .map_or(self.id.as_str(), String::as_str)
    }
}

/// "september 2024" / "September 2024".
pub fn format_period(p: &Period, lang: Lang) -> String {
    lang.msg("month-year")
        .text("month", lang.t(&format!("month-{}", p.start.month())))
        .text("year", p.start.year().to_string())
        .to_string()
}

/// "1. september 2024" / "1 September 2024".
pub fn format_date(d: &NaiveDate, lang: Lang) -> String {
    lang.date(*d)
}

/// Formats a number in the language's convention: "1 766,5" / "1,766.5".
pub fn format_number(d: Decimal, lang: Lang) -> String {
    lang.decimal(&d.normalize().to_string())
}

/// Formats a value for a citizen, using the declared type when known.
pub fn format_value(v: &Value, ty: Option<ValueType>, lang: Lang) -> String {
    match (v, ty) {
        (Value::Number(d), Some(ValueType::Money)) => {
            let d = if d.fract().is_zero() {
                d.trunc()
            } else {
                d.round_dp(2)
            };
            lang.money(&d.normalize().to_string(), "NOK")
        }
        (Value::Number(d), Some(ValueType::Rate)) => lang
            .msg("rules-percent")
            .text("value", format_number(d * Decimal::from(100), lang))
            .to_string(),
        (Value::Number(d), _) => format_number(*d, lang),
        (Value::Bool(true), _) => lang.t("rules-yes").to_owned(),
        (Value::Bool(false), _) => lang.t("rules-no").to_owned(),
        (Value::Date(d), _) => format_date(d, lang),
        (Value::Text(t), _) => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let p = Period::parse("2024-02").unwrap();
        assert_eq!(p.end, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        let p = Period::parse("2024-12").unwrap();
        assert_eq!(p.end, NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        assert!(Period::parse("2024-13").is_none());
        assert!(Period::parse("2024-9").is_none());
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_decimal("1_200_000"), Some(Decimal::from(1_200_000)));
        assert_eq!(parse_decimal("10%"), Some(Decimal::new(1, 1)));
        assert_eq!(
            format_number(Decimal::from(1_234_567), Lang::Nb),
            "1\u{a0}234\u{a0}567"
        );
        assert_eq!(format_number(Decimal::new(-12345, 1), Lang::En), "−1,234.5");
        assert_eq!(
            format_value(&Value::int(1766), Some(ValueType::Money), Lang::Nb),
            "1\u{a0}766\u{a0}kr"
        );
        assert_eq!(
            format_value(&Value::int(1766), Some(ValueType::Money), Lang::Da),
            "1.766\u{a0}norske kr."
        );
        assert_eq!(format_value(&Value::Bool(true), None, Lang::Nn), "ja");
        assert_eq!(format_value(&Value::Bool(false), None, Lang::Da), "nej");
        assert_eq!(
            format_period(&Period::parse("2024-09").unwrap(), Lang::Nn),
            "september 2024"
        );
        assert_eq!(
            format_value(
                &Value::Number(Decimal::new(1, 1)),
                Some(ValueType::Rate),
                Lang::En
            ),
            "10%"
        );
    }

    #[test]
    fn labels_keep_every_language_and_read_texts_stored_before_ids() {
        let content = samlet_i18n::Content::new(
            Lang::ALL
                .iter()
                .map(|l| (*l, "x.ftl", format!("x = {{ $value }} in {}\n", l.code()))),
        )
        .unwrap();
        let l = Label::from_content(&content, "x");
        assert_eq!(l.get(Lang::Nn), "{value} in nn");
        let json = serde_json::to_value(&l).unwrap();
        assert_eq!(json["id"], "x");
        assert_eq!(json["da"], "{value} in da");
        let old: Label = serde_json::from_str(r#"{"nb":"Flytte","en":"Moving"}"#).unwrap();
        assert_eq!((old.get(Lang::En), old.get(Lang::Nn)), ("Moving", "Flytte"));
    }

    #[test]
    fn dates() {
        assert!(parse_date("2024-02-30").is_none());
        assert!(parse_date("2024-2-03").is_none());
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }
}
