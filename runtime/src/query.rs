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

/// One parameter as query-string text: `name=value` pairs, each percent-encoded as `url`
/// writes form pairs, except that the commas joining a non-exploded `form` list or object are
/// left as they are: OpenAPI's `form` style sends `ids=1,2,3`, and a server splits on the
/// literal comma, so a comma inside an item (`%2C`) stays part of that item. `pipeDelimited`
/// joins with a literal `|` the same way; `spaceDelimited` with `%20` (a literal space cannot
/// travel, and `+` is an item's own space).
pub(crate) fn encode_query(
    name: &str,
    value: &Value,
    style: ParamStyle,
    explode: bool,
    out: &mut Vec<String>,
) -> Result<(), String> {
    let joined = |texts: Vec<String>, sep: &str| {
        let texts: Vec<String> = texts.iter().map(|t| form_text(t)).collect();
        format!("{}={}", form_text(name), texts.join(sep))
    };
    match (value, style) {
        (
            Value::Array(items),
            ParamStyle::Form | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited,
        ) if !explode => {
            if items.iter().any(Value::is_null) {
                return Err("a list may not contain null items".into());
            }
            let sep = match style {
                ParamStyle::SpaceDelimited => "%20",
                ParamStyle::PipeDelimited => "|",
                _ => ",",
            };
            out.push(joined(items.iter().filter_map(scalar_text).collect(), sep));
        }
        (Value::Object(map), ParamStyle::Form) if !explode => {
            let texts = map
                .iter()
                .filter_map(|(key, item)| Some([key.clone(), scalar_text(item)?]))
                .flatten()
                .collect();
            out.push(joined(texts, ","));
        }
        _ => {
            let mut pairs = Vec::new();
            encode(name, value, style, explode, &mut pairs)?;
            out.extend(pairs.iter().map(|(k, v)| query_pair(k, v)));
        }
    }
    Ok(())
}

/// `name=value` with both form-encoded, as in a query string.
pub(crate) fn query_pair(name: &str, value: &str) -> String {
    format!("{}={}", form_text(name), form_text(value))
}

fn form_text(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
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
    fn query_text_keeps_a_form_lists_delimiting_commas_literal() {
        let text = |v: Value, style, explode| {
            let mut out = Vec::new();
            encode_query("p[]", &v, style, explode, &mut out).unwrap();
            out.join("&")
        };
        // The commas between items delimit; one inside an item is data.
        assert_eq!(
            text(json!(["a,b", "c d", 3]), ParamStyle::Form, false),
            "p%5B%5D=a%2Cb,c+d,3"
        );
        assert_eq!(
            text(json!(["a", "b"]), ParamStyle::Form, true),
            "p%5B%5D=a&p%5B%5D=b"
        );
        assert_eq!(
            text(json!(["a b", "c"]), ParamStyle::SpaceDelimited, false),
            "p%5B%5D=a+b%20c"
        );
        assert_eq!(
            text(json!(["a", "b|c"]), ParamStyle::PipeDelimited, false),
            "p%5B%5D=a|b%7Cc"
        );
        assert_eq!(
            text(json!({"k": "v,w", "n": 1}), ParamStyle::Form, false),
            "p%5B%5D=k,v%2Cw,n,1"
        );
        assert_eq!(text(json!("x,y"), ParamStyle::Form, true), "p%5B%5D=x%2Cy");
        let mut out = Vec::new();
        assert!(encode_query("p", &json!([1, null]), ParamStyle::Form, false, &mut out).is_err());
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
