//! Wire formats of string-encoded values (`format: date-time`, `date`, `uuid`, `byte`, …),
//! alone or inside arrays and maps.
//!
//! A generated field whose type holds such a value names its [`Format`] once, e.g.
//! `List<Rfc3339>` for `Vec<OffsetDateTime>`; serialization goes through
//! [`ObjectWriter::required_as`](crate::ser::ObjectWriter::required_as) and deserialization
//! through [`JsonObject::required_as`](crate::de::JsonObject::required_as). A plain
//! `Vec<OffsetDateTime>` would otherwise serialize as `time`'s tuple representation.
//!
//! | spec `format`        | Rust type                        | codec        |
//! |----------------------|----------------------------------|--------------|
//! | `date-time`          | [`OffsetDateTime`]               | [`Rfc3339`]  |
//! | `date-time-rfc1123`  | [`OffsetDateTime`]               | [`Rfc1123`]  |
//! | `date`               | [`Date`]                         | [`IsoDate`]  |
//! | `uuid`               | [`Uuid`]                         | [`UuidText`] |
//! | `byte`               | `Vec<u8>`                        | [`Base64`]   |
//! | `base64url`          | `Vec<u8>`                        | [`Base64Url`]|
//!
//! Errors say what was expected and never quote the value: a service may put anything in
//! any field, a secret included.

use std::collections::HashMap;
use std::marker::PhantomData;

use azure_core::time::OffsetDateTime;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;
use time::format_description::well_known::Rfc3339 as Rfc3339Format;

pub use azure_core::Uuid;
/// A calendar date (`format: date`), from the `time` crate azure_core uses.
pub use time::Date;

/// How one kind of value is written as JSON and read back.
pub trait Format {
    /// The Rust type a field of this format has.
    type Value;
    /// Writes the value.
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value from JSON; the error says what was expected.
    fn decode(value: Value) -> Result<Self::Value, String>;
}

fn text(value: Value, what: &str) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(format!("invalid type: {}, expected {what}", kind(&other))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `format: date-time`: RFC 3339, e.g. `2024-05-01T10:00:00.5Z`. A value without an offset
/// (some services send `2024-05-01T10:00:00`) is read as UTC, as Azure's Go SDK does.
pub enum Rfc3339 {}

impl Format for Rfc3339 {
    type Value = OffsetDateTime;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value
            .format(&Rfc3339Format)
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        let text = text(value, "an RFC 3339 date-time")?;
        OffsetDateTime::parse(&text, &Rfc3339Format)
            .or_else(|err| {
                let has_offset = text.ends_with(['Z', 'z'])
                    || text.rsplit_once(['+', '-']).is_some_and(|(head, tail)| {
                        head.contains('T') && tail.contains(':') && tail.len() == 5
                    });
                if has_offset {
                    Err(err)
                } else {
                    OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339Format)
                }
            })
            .map_err(|_| "invalid RFC 3339 date-time".to_string())
    }
}

/// `format: date-time-rfc1123`: the HTTP date, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub enum Rfc1123 {}

impl Format for Rfc1123 {
    type Value = OffsetDateTime;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        let utc = value.to_offset(time::UtcOffset::UTC);
        let text = utc.format(RFC1123).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        let text = text(value, "an RFC 1123 date-time")?;
        azure_core::time::parse_rfc7231(&text).map_err(|_| "invalid RFC 1123 date-time".to_string())
    }
}

const RFC1123: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// `format: date`: `2024-05-01`.
pub enum IsoDate {}

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Format for IsoDate {
    type Value = Date;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value.format(ISO_DATE).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        let text = text(value, "a date (YYYY-MM-DD)")?;
        Date::parse(&text, ISO_DATE).map_err(|_| "invalid date (YYYY-MM-DD)".to_string())
    }
}

/// `format: uuid`: hyphenated, e.g. `67e55044-10b1-426f-9247-bb680e5fe0c8`.
pub enum UuidText {}

impl Format for UuidText {
    type Value = Uuid;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.hyphenated().encode_lower(&mut Uuid::encode_buffer()))
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        let text = text(value, "a UUID")?;
        Uuid::parse_str(&text).map_err(|_| "invalid UUID".to_string())
    }
}

/// `format: byte`: standard base64 with padding.
pub enum Base64 {}

impl Format for Base64 {
    type Value = Vec<u8>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&azure_core::base64::encode(value))
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        let text = text(value, "base64 text")?;
        // The text may be large and is not echoed back: only its length is reported.
        azure_core::base64::decode(&text)
            .map_err(|_| format!("invalid base64 ({} characters)", text.len()))
    }
}

/// `format: base64url`: URL-safe base64 without padding.
pub enum Base64Url {}

impl Format for Base64Url {
    type Value = Vec<u8>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&azure_core::base64::encode_url_safe(value))
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        let text = text(value, "base64url text")?;
        azure_core::base64::decode_url_safe(&text)
            .map_err(|_| format!("invalid base64url ({} characters)", text.len()))
    }
}

/// An array whose items have format `F`: `Vec<F::Value>`.
pub struct List<F>(PhantomData<F>);

impl<F: Format> Format for List<F> {
    type Value = Vec<F::Value>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&As::<F>(item, PhantomData))?;
        }
        seq.end()
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        match value {
            Value::Array(items) => items.into_iter().map(F::decode).collect(),
            other => Err(format!("invalid type: {}, expected an array", kind(&other))),
        }
    }
}

/// A string-keyed map whose values have format `F`: `HashMap<String, F::Value>`.
pub struct Dict<F>(PhantomData<F>);

impl<F: Format> Format for Dict<F> {
    type Value = HashMap<String, F::Value>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(value.len()))?;
        for (key, item) in value {
            map.serialize_entry(key, &As::<F>(item, PhantomData))?;
        }
        map.end()
    }
    fn decode(value: Value) -> Result<Self::Value, String> {
        match value {
            Value::Object(entries) => entries
                .into_iter()
                .map(|(key, item)| Ok((key, F::decode(item)?)))
                .collect(),
            other => Err(format!(
                "invalid type: {}, expected an object",
                kind(&other)
            )),
        }
    }
}

/// A value serialized through its format.
struct As<'a, F: Format>(&'a F::Value, PhantomData<F>);

impl<F: Format> Serialize for As<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        F::serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write<F: Format>(value: &F::Value) -> Value {
        F::serialize(value, serde_json::value::Serializer).expect("serializes")
    }

    #[test]
    fn date_times_round_trip_alone_and_in_containers() {
        let when = Rfc3339::decode(json!("2024-05-01T10:00:00.5+02:00")).unwrap();
        assert_eq!(when.unix_timestamp(), 1_714_550_400);
        assert_eq!(
            write::<Rfc3339>(&when),
            json!("2024-05-01T10:00:00.5+02:00")
        );
        let list = List::<Rfc3339>::decode(json!(["2024-05-01T10:00:00Z"])).unwrap();
        assert_eq!(
            write::<List<Rfc3339>>(&list),
            json!(["2024-05-01T10:00:00Z"])
        );
        let map = Dict::<List<Rfc3339>>::decode(json!({"a": ["1970-01-01T00:00:00Z"]})).unwrap();
        assert_eq!(map["a"][0].unix_timestamp(), 0);
    }

    #[test]
    fn a_date_time_without_offset_is_utc() {
        let when = Rfc3339::decode(json!("2024-05-01T10:00:00")).unwrap();
        assert_eq!(when.unix_timestamp(), 1_714_557_600);
        let negative = Rfc3339::decode(json!("2024-05-01T10:00:00-01:00")).unwrap();
        assert_eq!(negative.unix_timestamp(), 1_714_561_200);
        assert!(Rfc3339::decode(json!("2024-05-01T10:00:00+0")).is_err());
        assert!(Rfc3339::decode(json!("yesterday")).is_err());
        assert!(Rfc3339::decode(json!(5)).unwrap_err().contains("a number"));
    }

    #[test]
    fn other_formats_round_trip() {
        let http = Rfc1123::decode(json!("Sun, 06 Nov 1994 08:49:37 GMT")).unwrap();
        assert_eq!(
            write::<Rfc1123>(&http),
            json!("Sun, 06 Nov 1994 08:49:37 GMT")
        );
        let date = IsoDate::decode(json!("2024-02-29")).unwrap();
        assert_eq!(write::<IsoDate>(&date), json!("2024-02-29"));
        assert!(IsoDate::decode(json!("2023-02-29")).is_err());
        let id = UuidText::decode(json!("67E55044-10B1-426F-9247-BB680E5FE0C8")).unwrap();
        assert_eq!(
            write::<UuidText>(&id),
            json!("67e55044-10b1-426f-9247-bb680e5fe0c8")
        );
        let bytes = Base64::decode(json!("AP8=")).unwrap();
        assert_eq!(bytes, vec![0, 255]);
        assert_eq!(write::<Base64>(&bytes), json!("AP8="));
        assert_eq!(write::<Base64Url>(&bytes), json!("AP8"));
        assert_eq!(Base64Url::decode(json!("AP8")).unwrap(), vec![0, 255]);
        for bad in [
            Base64::decode(json!("sig=secret!")).unwrap_err(),
            Rfc3339::decode(json!("sig=secret")).unwrap_err(),
            UuidText::decode(json!("sig=secret")).unwrap_err(),
            IsoDate::decode(json!("sig=secret")).unwrap_err(),
        ] {
            assert!(!bad.contains("secret"), "{bad}");
        }
    }
}
