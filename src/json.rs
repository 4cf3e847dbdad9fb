//! Strict JSON for token headers and claims (RFC 7515 §5.2 step 4, RFC 8259 §4).
//!
//! `serde_json::Value` keeps the last of two equal keys, so `{"alg":"none","alg":"HS256"}` would
//! mean whatever the last writer wanted. Here a duplicate key anywhere is an error, as are a BOM,
//! invalid UTF-8, lone surrogates, `NaN` and trailing garbage (serde_json refuses those already),
//! and nesting deeper than serde_json's recursion limit (128), which stops a stack overflow.

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
        Err(e) if e.to_string().starts_with("number out of range") => {
            Err(JsonError::NumberOutOfRange)
        }
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
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
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
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{{\"x\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
        assert!(matches!(
            parse_object(deep.as_bytes()),
            Err(JsonError::Syntax(_))
        ));
    }
}
