//! Query-string encoding of parameter values by OpenAPI style.

use serde_json::Value;

/// The OpenAPI `style` of a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` (the default): arrays repeat the key when exploded, else comma-join.
    Form,
    /// `spaceDelimited` arrays.
    SpaceDelimited,
    /// `pipeDelimited` arrays.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`, nested.
    DeepObject,
}

/// How one field of an `application/x-www-form-urlencoded` body is encoded, from the
/// document's `encoding` entry for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEncoding {
    /// By `style`, with `explode`, as a query parameter of that style would be.
    Styled(ParamStyle, bool),
    /// As one JSON text (`contentType: application/json`).
    Json,
}

/// Renders a scalar the way query strings and headers expect.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Appends `name`'s pairs to `out`. A null inside an array has no form in a query string;
/// rather than drop it silently, the whole parameter is refused (the `Err` says why).
pub(crate) fn encode(
    name: &str,
    value: &Value,
    style: ParamStyle,
    explode: bool,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    if let Value::Array(items) = value
        && items.iter().any(Value::is_null)
    {
        return Err("a list may not contain null items".into());
    }
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(items), ParamStyle::Form) if explode => {
            for item in items {
                if let Some(text) = scalar_text(item) {
                    out.push((name.to_owned(), text));
                }
            }
        }
        (Value::Array(items), _) => {
            let sep = match style {
                ParamStyle::SpaceDelimited => " ",
                ParamStyle::PipeDelimited => "|",
                _ => ",",
            };
            let joined: Vec<String> = items.iter().filter_map(scalar_text).collect();
            out.push((name.to_owned(), joined.join(sep)));
        }
        (Value::Object(_), ParamStyle::DeepObject) => deep_object(name, value, out)?,
        (Value::Object(map), _) if explode => {
            for (key, item) in map {
                if let Some(text) = scalar_text(item) {
                    out.push((key.clone(), text));
                }
            }
        }
        (Value::Object(map), _) => {
            let mut parts = Vec::new();
            for (key, item) in map {
                if let Some(text) = scalar_text(item) {
                    parts.push(key.clone());
                    parts.push(text);
                }
            }
            out.push((name.to_owned(), parts.join(",")));
        }
        (scalar, _) => {
            if let Some(text) = scalar_text(scalar) {
                out.push((name.to_owned(), text));
            }
        }
    }
    Ok(())
}

/// `deepObject` keys nest in brackets (`p[a][b]=v`). OpenAPI leaves arrays inside a deep
/// object undefined; like exploded `form` they repeat the key (`p[tags]=a&p[tags]=b`), which
/// bracket-notation servers read as a list. A server that wants `[]` on the key says so in the
/// property's own name (`tags[]`), so the document spells the exact key.
fn deep_object(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                deep_object(&format!("{prefix}[{key}]"), item, out)?;
            }
        }
        Value::Array(items) => {
            if items.iter().any(Value::is_null) {
                return Err(format!("`{prefix}`: a list may not contain null items"));
            }
            for item in items {
                deep_object(prefix, item, out)?;
            }
        }
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                out.push((prefix.to_owned(), text));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: Value, style: ParamStyle, explode: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        encode("p", &value, style, explode, &mut out).unwrap();
        out
    }

    #[test]
    fn arrays_repeat_or_join() {
        assert_eq!(run(json!(["a", "b"]), ParamStyle::Form, true).len(), 2);
        assert_eq!(
            run(json!(["a", "b"]), ParamStyle::Form, false),
            vec![("p".into(), "a,b".into())]
        );
        assert_eq!(
            run(json!([1, 2]), ParamStyle::PipeDelimited, false),
            vec![("p".into(), "1|2".into())]
        );
    }

    #[test]
    fn null_items_are_refused_not_dropped() {
        let mut out = Vec::new();
        assert!(encode("p", &json!([1, null]), ParamStyle::Form, true, &mut out).is_err());
    }

    #[test]
    fn deep_objects_nest() {
        let out = run(
            json!({"a": {"b": 1}, "c": true}),
            ParamStyle::DeepObject,
            true,
        );
        assert_eq!(
            out,
            vec![
                ("p[a][b]".into(), "1".into()),
                ("p[c]".into(), "true".into())
            ]
        );
    }

    #[test]
    fn arrays_in_deep_objects_repeat_their_key() {
        let out = run(
            json!({"skills": ["rust", "go"], "nested": {"ids": [1, 2]}}),
            ParamStyle::DeepObject,
            true,
        );
        let expected = [
            ("p[skills]", "rust"),
            ("p[skills]", "go"),
            ("p[nested][ids]", "1"),
            ("p[nested][ids]", "2"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn null_items_deep_inside_are_refused_with_their_key() {
        let mut out = Vec::new();
        let err = encode(
            "p",
            &json!({"a": {"b": [1, null]}}),
            ParamStyle::DeepObject,
            true,
            &mut out,
        )
        .unwrap_err();
        assert!(err.contains("p[a][b]"), "{err}");
    }
}
