//! An operation's documented answer, for stubs that need no typed body: the first success
//! response (lowest 2xx) with its example (the media type's `example`, its first `examples`
//! entry, or the schema's `example`), or, where the document gives none, a value made from
//! the schema (its `default`, first `enum` value, required properties, `minItems` items).

use super::contract::Contract;
use super::reply::Reply;
use super::route::Operation;
use super::shape;
use serde_json::{Map, Value};

/// The documented success answer of `operation`.
pub(crate) fn reply(contract: &Contract, operation: &Operation) -> Reply {
    let Some(op) = contract.operation(operation) else {
        return Reply::error(
            501,
            "mock_no_example",
            &format!("{operation} is not in the mock's document"),
        );
    };
    let responses = op.value.get("responses").and_then(Value::as_object);
    let success = responses
        .into_iter()
        .flatten()
        .filter_map(|(status, response)| {
            let code = match status.as_str() {
                "2XX" | "2xx" => 200,
                s => s.parse::<u16>().ok().filter(|c| (200..300).contains(c))?,
            };
            Some((code, response))
        });
    let Some((code, response)) = success.min_by_key(|(code, _)| *code) else {
        return Reply::status(200);
    };
    let response = contract.resolve(response);
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Reply::status(code);
    };
    let chosen = content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .or_else(|| content.iter().next());
    let Some((media, body)) = chosen else {
        return Reply::status(code);
    };
    let value = documented(contract, body).unwrap_or_else(|| {
        body.get("schema")
            .map_or(Value::Null, |schema| made_up(contract, schema, 0))
    });
    if media.contains("json") {
        Reply::json(code, &value)
    } else {
        let text = match value {
            Value::String(text) => text,
            other => other.to_string(),
        };
        Reply::status(code).body(media, text)
    }
}

/// The media type's own example, its first named one, or its schema's.
fn documented(contract: &Contract, media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    if let Some(first) = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|m| m.values().next())
        && let Some(value) = contract.resolve(first).get("value")
    {
        return Some(value.clone());
    }
    let schema = contract.resolve(media.get("schema")?);
    schema.get("example").cloned()
}

/// A value of `schema` built from what it declares; `null` past a depth no real document
/// needs (a recursive schema).
fn made_up(contract: &Contract, schema: &Value, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    let schema = shape::unwrap(contract, schema);
    for key in ["example", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(branch) = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| schema.get(k)?.as_array()?.first())
    {
        return made_up(contract, branch, depth + 1);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => "2025-01-01T00:00:00Z".into(),
            Some("date") => "2025-01-01".into(),
            _ => "string".into(),
        }),
        Some("integer") => schema.get("minimum").cloned().unwrap_or(0.into()),
        Some("number") => schema.get("minimum").cloned().unwrap_or(0.into()),
        Some("boolean") => false.into(),
        Some("array") => {
            let count = schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                .min(3);
            let item = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(
                (0..count)
                    .map(|_| made_up(contract, &item, depth + 1))
                    .collect(),
            )
        }
        _ => {
            let mut object = Map::new();
            let mut required = Vec::new();
            collect_required(contract, schema, &mut required, depth);
            for (name, property) in shape::properties(contract, schema) {
                if required.iter().any(|r| r == name) {
                    object.insert(name.to_owned(), made_up(contract, property, depth + 1));
                }
            }
            Value::Object(object)
        }
    }
}

/// The `required` names of `schema` and its `allOf` branches.
fn collect_required(contract: &Contract, schema: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 12 {
        return;
    }
    let schema = shape::unwrap(contract, schema);
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = name.as_str() {
            out.push(name.to_owned());
        }
    }
    for branch in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_required(contract, branch, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_lowest_success_answers_with_its_example_or_a_made_up_value() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {"get": {"responses": {
                    "404": {"description": "no"},
                    "201": {"description": "made", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/A"}}}},
                    "200": {"$ref": "#/components/responses/Ok"}
                }}},
                "/b": {"get": {"responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {"type": "object",
                        "required": ["id", "n", "tags", "kind"],
                        "properties": {
                            "id": {"type": "string"}, "n": {"type": "integer", "minimum": 1},
                            "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                            "kind": {"enum": ["x", "y"]}, "skip": {"type": "string"}
                        }}}}}}}},
                "/c": {"delete": {"responses": {"204": {"description": "gone"}}}}
            },
            "components": {
                "schemas": {"A": {"type": "object", "example": {"a": 1}}},
                "responses": {"Ok": {"description": "ok", "content": {"application/json": {
                    "examples": {"one": {"value": {"ok": true}}}}}}}
            }
        });
        let contract = Contract::parse(&document.to_string()).unwrap();
        let a = reply(&contract, &Operation::new("a", "GET", "/a"));
        assert_eq!(a.status_code(), 200);
        assert_eq!(a.body.as_ref(), br#"{"ok":true}"#);
        let b = reply(&contract, &Operation::new("b", "GET", "/b"));
        let body: Value = serde_json::from_slice(&b.body).unwrap();
        assert_eq!(
            body,
            json!({"id": "string", "n": 1, "tags": ["string"], "kind": "x"})
        );
        let c = reply(&contract, &Operation::new("c", "DELETE", "/c"));
        assert_eq!(c.status_code(), 204);
        assert!(c.body.is_empty());
    }
}
