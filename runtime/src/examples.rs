//! Checks that an example from the document survives decoding into its generated type and
//! encoding back. Generated crates run this over every schema example in a `#[cfg(test)]`
//! module, so a type that cannot hold what the document itself shows fails the build's tests.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `example` (JSON text) into `T`, encodes it again and compares the two documents.
/// Numbers compare by value (`15` equals `15.0`), date-times by instant; everything else must
/// match exactly, so a field the type drops or a `null` it cannot carry is reported with its
/// JSON pointer.
#[doc(hidden)]
pub fn round_trip<T: DeserializeOwned + Serialize>(example: &str) -> Result<(), String> {
    let original: Value =
        serde_json::from_str(example).map_err(|e| format!("example is not JSON: {e}"))?;
    let decoded: T = serde_path_to_error::deserialize(&original)
        .map_err(|e| format!("decode failed at `{}`: {}", e.path(), e.inner()))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("encode failed: {e}"))?;
    match first_difference(&original, &encoded, String::new()) {
        None => Ok(()),
        Some((at, sent, back)) => Err(format!(
            "changed at `{}`: example has {sent}, re-encoded has {back}",
            if at.is_empty() { "/" } else { &at }
        )),
    }
}

/// The first place two documents differ, as (JSON pointer, left, right).
fn first_difference(a: &Value, b: &Value, at: String) -> Option<(String, String, String)> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64() != y.as_f64()).then(|| (at, x.to_string(), y.to_string()))
        }
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, here) {
                            return Some(d);
                        }
                    }
                    None => return Some((here, v.to_string(), "nothing".into())),
                }
            }
            y.iter()
                .find(|(k, _)| !x.contains_key(*k))
                .map(|(k, v)| (format!("{at}/{k}"), "nothing".into(), v.to_string()))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, format!("{at}/{i}"))),
        (Value::String(x), Value::String(y)) if same_instant(x, y) => None,
        _ => (a != b).then(|| (at, short(a), short(b))),
    }
}

/// Whether two texts are one instant spelled two ways (`…00.000Z` and `…00Z`, `+00:00` and
/// `Z`): a typed date-time re-encodes in its own spelling, and that is not a lost value.
fn same_instant(x: &str, y: &str) -> bool {
    match (x.parse::<jiff::Timestamp>(), y.parse::<jiff::Timestamp>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Point {
        x: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(round_trip::<Point>(r#"{"x": 15}"#), Ok(()));
    }

    #[test]
    fn dropped_fields_and_nulls_are_named() {
        let err = round_trip::<Point>(r#"{"x": 1, "extra": true}"#).unwrap_err();
        assert!(err.contains("`/extra`"), "{err}");
        let err = round_trip::<Point>(r#"{"x": 1, "label": null}"#).unwrap_err();
        assert!(err.contains("`/label`"), "{err}");
        let err = round_trip::<Point>(r#"{"x": "one"}"#).unwrap_err();
        assert!(err.contains("decode failed at `x`"), "{err}");
    }
}
