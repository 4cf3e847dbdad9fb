//! Strict JSON for token headers and claims (RFC 7515 §5.2 step 4, RFC 8259 §4).
//!
//! `serde_json::Value` keeps the last of two equal keys, so `{"alg":"none","alg":"HS256"}` would
//! mean whatever the last writer wanted. Here a duplicate key anywhere is an error, as are a BOM,
//! invalid UTF-8, lone surrogates, `NaN` and trailing garbage (serde_json refuses those already),
//! and nesting deeper than serde_json's recursion limit (128), which stops a stack overflow.
//!
//! Numbers are exact: serde_json's `arbitrary_precision` keeps each number's text, so an integer
//! beyond `u64`/`i64` or a long decimal reaches the output as it was written, never rounded
//! through a double. A number a double cannot hold at all (`1e5000`) is still refused.
//!
//! With that feature serde_json hands a number that is not a `u64`/`i64` to a visitor as a map
//! with one private key whose value is the number's text, delivered as an *owned* string. The
//! JSON parser itself only ever hands out borrowed or copied strings, so an object that spells
//! the same key in a token (`{"$serde_json::private::Number":"1"}`) stays an object here, as it
//! is for every other JSON parser.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Why a JSON text was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON, or JSON that breaks a rule above; the text says which.
    Syntax(String),
    /// Valid JSON, but not an object.
    NotObject,
    /// A number too large for a double (`1e5000`): well-formed, but no claim can hold it.
    NumberOutOfRange,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax(s) => write!(f, "invalid JSON: {s}"),
            JsonError::NotObject => f.write_str("not a JSON object"),
            JsonError::NumberOutOfRange => f.write_str("a number is out of range"),
        }
    }
}

/// Parses `bytes` as one JSON object with no duplicate keys at any depth.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    match serde_json::from_slice::<Strict>(bytes) {
        Ok(Strict(Value::Object(map))) => Ok(map),
        Ok(_) => Err(JsonError::NotObject),
        Err(e) if e.to_string().starts_with(OUT_OF_RANGE) => Err(JsonError::NumberOutOfRange),
        Err(e) => Err(JsonError::Syntax(e.to_string())),
    }
}

/// Parses `bytes` as one JSON value of any kind under the same rules (a `--claim k:=JSON`).
pub fn parse_value(bytes: &[u8]) -> Result<Value, JsonError> {
    match serde_json::from_slice::<Strict>(bytes) {
        Ok(Strict(v)) => Ok(v),
        Err(e) if e.to_string().starts_with(OUT_OF_RANGE) => Err(JsonError::NumberOutOfRange),
        Err(e) => Err(JsonError::Syntax(e.to_string())),
    }
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            let v = if out.is_empty() && key == NUMBER_TOKEN {
                match map.next_value::<NumberOrValue>()? {
                    NumberOrValue::Number(text) => {
                        // serde_json's own number map has this one entry and nothing after it.
                        return number(&text);
                    }
                    NumberOrValue::Value(v) => v,
                }
            } else {
                map.next_value::<Strict>()?.0
            };
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// The key of the map serde_json (`arbitrary_precision`) uses to hand over a number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// An exact number from its text (already checked by serde_json's parser), refused when a
/// double cannot hold it (`1e5000`): no claim could be compared or printed as a time.
fn number<E: de::Error>(text: &str) -> Result<Value, E> {
    let n: serde_json::Number = text.parse().map_err(E::custom)?;
    if n.as_f64().is_none() {
        return Err(E::custom(OUT_OF_RANGE));
    }
    Ok(Value::Number(n))
}

/// The start of the message of a number no double can hold.
const OUT_OF_RANGE: &str = "number out of range";

/// The value under [`NUMBER_TOKEN`]: a number's text when serde_json delivers it (as an owned
/// string), else whatever JSON a document wrote there.
enum NumberOrValue {
    Number(String),
    Value(Value),
}

impl<'de> Deserialize<'de> for NumberOrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberOrValueVisitor)
    }
}

struct NumberOrValueVisitor;

impl<'de> Visitor<'de> for NumberOrValueVisitor {
    type Value = NumberOrValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_string<E>(self, v: String) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Value(Value::String(v.to_owned())))
    }
    fn visit_bool<E>(self, v: bool) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Value(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Value(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Value(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Value(Value::from(v)))
    }
    fn visit_unit<E>(self) -> Result<NumberOrValue, E> {
        Ok(NumberOrValue::Value(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<NumberOrValue, A::Error> {
        StrictVisitor.visit_seq(seq).map(NumberOrValue::Value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NumberOrValue, A::Error> {
        StrictVisitor.visit_map(map).map(NumberOrValue::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_parse() {
        let m = parse_object(br#"{"a":1,"b":{"c":[1,2,{"d":null}]}}"#).unwrap();
        assert_eq!(m["b"]["c"][2]["d"], Value::Null);
    }

    #[test]
    fn duplicates_are_refused_at_any_depth() {
        assert!(
            matches!(parse_object(br#"{"a":1,"a":2}"#), Err(JsonError::Syntax(s)) if s.contains("duplicate key"))
        );
        assert!(parse_object(br#"{"x":{"a":1,"a":1}}"#).is_err());
        assert!(parse_object(br#"{"x":[{"a":1,"a":1}]}"#).is_err());
    }

    #[test]
    fn bad_text_is_refused() {
        for bad in [
            &b"\xef\xbb\xbf{}"[..],
            b"{\"a\":\"\xff\"}",
            br#"{"a":"\ud800"}"#,
            br#"{"a":NaN}"#,
            br#"{"a":1,}"#,
            br#"{"a":1}x"#,
        ] {
            assert!(parse_object(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_object(b"[1]"), Err(JsonError::NotObject));
        assert_eq!(
            parse_object(br#"{"exp":1e5000}"#),
            Err(JsonError::NumberOutOfRange)
        );
    }

    #[test]
    fn numbers_keep_their_exact_text() {
        let text = br#"{"big":123456789012345678901234567890,"neg":-98765432109876543210,"d":0.10000000000000000000000001,"e":1E+2,"n":[18446744073709551616,{"x":1.5}]}"#;
        let m = parse_object(text).unwrap();
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"big":123456789012345678901234567890,"d":0.10000000000000000000000001,"e":1e+2,"n":[18446744073709551616,{"x":1.5}],"neg":-98765432109876543210}"#
        );
        assert_eq!(m["big"].as_f64(), Some(1.2345678901234568e29));
        // Beyond a double: refused, inside arrays and objects too.
        for bad in [
            &br#"{"a":1e400}"#[..],
            br#"{"a":[-1e400]}"#,
            br#"{"a":{"b":1e99999}}"#,
        ] {
            assert_eq!(
                parse_object(bad),
                Err(JsonError::NumberOutOfRange),
                "{bad:?}"
            );
        }
        let digits = format!("{{\"a\":{}}}", "9".repeat(400));
        assert_eq!(
            parse_object(digits.as_bytes()),
            Err(JsonError::NumberOutOfRange)
        );
    }

    #[test]
    fn serde_jsons_number_key_written_in_a_document_stays_an_object() {
        for text in [
            r#"{"a":{"$serde_json::private::Number":"1"}}"#,
            r#"{"a":{"$serde_json::private::Number":"1","b":2}}"#,
            r#"{"a":{"$serde_json::private::Number":"x"}}"#,
            r#"{"a":{"$serde_json::private::Number":[1e5]}}"#,
            r#"{"a":{"$serde_json::private::Numbe\u0072":"1"}}"#,
        ] {
            let m = parse_object(text.as_bytes()).unwrap();
            assert!(m["a"].is_object(), "{text}: {m:?}");
        }
        assert!(
            parse_object(
                br#"{"$serde_json::private::Number":"1","$serde_json::private::Number":"2"}"#
            )
            .is_err()
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{{\"x\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
        assert!(matches!(
            parse_object(deep.as_bytes()),
            Err(JsonError::Syntax(_))
        ));
    }
}
