//! OpenAPI schemas -> JSON Schema 2020-12, what the validator reads.
//!
//! An OpenAPI 3.0 schema is a dialect of JSON Schema draft 4/5 that a 2020-12 validator
//! misreads: `nullable: true` (3.0's only way to allow `null`) is an unknown keyword there,
//! `exclusiveMinimum: true` is a boolean beside `minimum` instead of the bound itself, and a
//! `$ref`'s siblings are ignored in 3.0 but applied in 2020-12. This module rewrites those,
//! and drops what only documents (`discriminator`, `example`, `xml`, `externalDocs`, `x-*`).
//! A 3.1 schema is JSON Schema already and is only adjusted for requests.
//!
//! Requests only: a `readOnly` property is what the server returns, so it is never required
//! of a request (one a client sends anyway is still checked against its schema).

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Which OpenAPI dialect a schema is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// OpenAPI 3.0: draft-4-like, with `nullable` and boolean exclusive bounds.
    V30,
    /// OpenAPI 3.1: JSON Schema 2020-12.
    V31,
}

/// Follows a local `$ref` (`#/components/schemas/X`) in the document, for `readOnly`.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<&'a Value>;

/// The keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
];
/// The keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// The keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// What only documents a 3.0 schema (and `nullable`, handled apart).
const DOCUMENTATION: &[&str] = &[
    "discriminator",
    "example",
    "xml",
    "externalDocs",
    "nullable",
];

/// `schema` as JSON Schema 2020-12, for validating a request. `lookup` resolves `$ref`s so
/// that a referenced `readOnly` property is not required either.
pub(crate) fn convert(schema: &Value, dialect: Dialect, lookup: Lookup<'_>) -> Value {
    convert_at(schema, dialect, lookup, &BTreeSet::new(), 0)
}

/// Deeper than any real document nests; a hostile one stops here as "anything goes".
const MAX_DEPTH: usize = 256;

/// `inherited`: the read-only property names of the schemas whose `allOf`/`oneOf`/`anyOf`
/// branch this is (a branch's `required` may name a property its siblings define).
fn convert_at(
    schema: &Value,
    dialect: Dialect,
    lookup: Lookup<'_>,
    inherited: &BTreeSet<String>,
    depth: usize,
) -> Value {
    let Value::Object(map) = schema else {
        // `true`/`false` schemas (3.1) and anything malformed pass through unchanged.
        return schema.clone();
    };
    if depth > MAX_DEPTH {
        return Value::Bool(true);
    }
    let nullable = dialect == Dialect::V30 && map.get("nullable") == Some(&Value::Bool(true));
    // 3.0: a `$ref`'s siblings are ignored, so the reference alone stands (with `nullable`
    // kept, as documents commonly mean it there).
    if dialect == Dialect::V30
        && let Some(reference) = map.get("$ref")
    {
        let only = Value::Object(Map::from_iter([("$ref".to_owned(), reference.clone())]));
        return if nullable { or_null(only) } else { only };
    }
    // The read-only properties this schema has, through `allOf` and `$ref`, and those of the
    // compositions it is a branch of.
    let mut read_only_names = inherited.clone();
    collect_read_only(schema, lookup, &mut read_only_names, 0);
    let none = BTreeSet::new();
    let mut out = Map::new();
    for (key, value) in map {
        if dialect == Dialect::V30
            && (DOCUMENTATION.contains(&key.as_str()) || key.starts_with("x-"))
        {
            continue;
        }
        let next = depth + 1;
        let converted = if ONE_SCHEMA.contains(&key.as_str()) {
            convert_at(value, dialect, lookup, &none, next)
        } else if SCHEMA_LISTS.contains(&key.as_str()) {
            match value {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|s| convert_at(s, dialect, lookup, &read_only_names, next))
                        .collect(),
                ),
                other => other.clone(),
            }
        } else if SCHEMA_MAPS.contains(&key.as_str()) {
            match value {
                Value::Object(schemas) => Value::Object(
                    schemas
                        .iter()
                        .map(|(k, s)| (k.clone(), convert_at(s, dialect, lookup, &none, next)))
                        .collect(),
                ),
                other => other.clone(),
            }
        } else {
            value.clone()
        };
        out.insert(key.clone(), converted);
    }
    if dialect == Dialect::V30 {
        exclusive_bound(&mut out, "exclusiveMinimum", "minimum");
        exclusive_bound(&mut out, "exclusiveMaximum", "maximum");
    }
    integer_range(&mut out);
    drop_read_only_required(&mut out, &read_only_names);
    if !nullable {
        return Value::Object(out);
    }
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            out.insert("type".into(), Value::Array(vec![t.into(), "null".into()]));
            if let Some(Value::Array(values)) = out.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            Value::Object(out)
        }
        Some(Value::Array(types)) => {
            if !types.contains(&Value::from("null")) {
                types.push("null".into());
            }
            Value::Object(out)
        }
        // No `type` to widen (an `allOf` wrapper, an `enum` alone): null or the rest.
        _ => or_null(Value::Object(out)),
    }
}

/// Calls `visit` with every `$ref` of a converted `schema` (its own and its subschemas'),
/// which may rewrite it. Only schema positions are walked: a property named `$ref` or an
/// example holding one is data.
pub(crate) fn references_mut(schema: &mut Value, visit: &mut dyn FnMut(&mut String)) {
    references_at(schema, visit, 0);
}

fn references_at(schema: &mut Value, visit: &mut dyn FnMut(&mut String), depth: usize) {
    let Value::Object(map) = schema else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in map.iter_mut() {
        let key = key.as_str();
        if key == "$ref" {
            if let Value::String(reference) = value {
                visit(reference);
            }
        } else if ONE_SCHEMA.contains(&key) {
            references_at(value, visit, depth + 1);
        } else if SCHEMA_LISTS.contains(&key) {
            for item in value.as_array_mut().into_iter().flatten() {
                references_at(item, visit, depth + 1);
            }
        } else if SCHEMA_MAPS.contains(&key) {
            for item in value
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                references_at(item, visit, depth + 1);
            }
        }
    }
}

/// `{"anyOf": [{"type": "null"}, schema]}`.
fn or_null(schema: Value) -> Value {
    serde_json::json!({"anyOf": [{"type": "null"}, schema]})
}

/// 3.0's `exclusiveMinimum: true` beside `minimum: n` is 2020-12's `exclusiveMinimum: n`;
/// `false` means the plain bound.
fn exclusive_bound(out: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    match out.get(exclusive) {
        Some(Value::Bool(true)) => {
            out.remove(exclusive);
            if let Some(n) = out.remove(bound) {
                out.insert(exclusive.to_owned(), n);
            }
        }
        Some(Value::Bool(false)) => {
            out.remove(exclusive);
        }
        _ => {}
    }
}

/// OpenAPI's `int32`/`int64` formats are ranges, which JSON Schema's `format` (strings only)
/// cannot check: they become `minimum`/`maximum` (the tighter of them and any written).
fn integer_range(out: &mut Map<String, Value>) {
    let (low, high): (i64, i64) = match out.get("format").and_then(Value::as_str) {
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("int64") => (i64::MIN, i64::MAX),
        _ => return,
    };
    let tighter = |written: Option<&Value>, bound: i64, keep: fn(f64, f64) -> bool| match written {
        Some(Value::Number(n)) if n.as_f64().is_some_and(|w| keep(w, bound as f64)) => None,
        _ => Some(Value::from(bound)),
    };
    if let Some(low) = tighter(out.get("minimum"), low, |w, b| w >= b) {
        out.insert("minimum".into(), low);
    }
    if let Some(high) = tighter(out.get("maximum"), high, |w, b| w <= b) {
        out.insert("maximum".into(), high);
    }
}

/// Removes from `required` every property in `read_only`: the server sets those, so a
/// request leaves them out.
fn drop_read_only_required(out: &mut Map<String, Value>, read_only: &BTreeSet<String>) {
    if let Some(Value::Array(required)) = out.get_mut("required") {
        required.retain(|name| !name.as_str().is_some_and(|n| read_only.contains(n)));
    }
}

/// The names of `schema`'s properties whose schema (followed through `$ref`s) is `readOnly`:
/// its own, those of its `allOf` branches and of the schema a `$ref` names, at any depth.
fn collect_read_only(schema: &Value, lookup: Lookup<'_>, out: &mut BTreeSet<String>, depth: usize) {
    // A chain of references ends within a few hops; a cycle of them stops here.
    if depth > 16 {
        return;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str).and_then(lookup) {
        collect_read_only(target, lookup, out, depth + 1);
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            if read_only(property, lookup) {
                out.insert(name.clone());
            }
        }
    }
    for branch in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_read_only(branch, lookup, out, depth + 1);
    }
}

fn read_only(schema: &Value, lookup: Lookup<'_>) -> bool {
    let mut schema = schema;
    // A chain of references ends within a few hops; a cycle of them is not read-only.
    for _ in 0..16 {
        if schema.get("readOnly") == Some(&Value::Bool(true)) {
            return true;
        }
        match schema.get("$ref").and_then(Value::as_str).and_then(lookup) {
            Some(next) => schema = next,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v30(schema: Value) -> Value {
        convert(&schema, Dialect::V30, &|_| None)
    }

    #[test]
    fn nullable_widens_the_type_and_the_enum() {
        assert_eq!(
            v30(json!({"type": "string", "nullable": true, "enum": ["a", "b"]})),
            json!({"type": ["string", "null"], "enum": ["a", "b", null]})
        );
        assert_eq!(
            v30(json!({"type": "integer", "nullable": false})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn nullable_without_a_type_is_null_or_the_schema() {
        assert_eq!(
            v30(json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})),
            json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/components/schemas/A"}]}]})
        );
    }

    #[test]
    fn a_reference_drops_its_siblings_but_keeps_nullable() {
        assert_eq!(
            v30(json!({"$ref": "#/components/schemas/A", "description": "d", "maxLength": 2})),
            json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(
            v30(json!({"$ref": "#/components/schemas/A", "nullable": true})),
            json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        assert_eq!(
            v30(
                json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                       "maximum": 10, "exclusiveMaximum": false})
            ),
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 10})
        );
    }

    #[test]
    fn documentation_keywords_go_and_nested_schemas_are_converted() {
        let converted = v30(json!({
            "type": "object",
            "example": {"a": 1},
            "discriminator": {"propertyName": "kind"},
            "x-internal": true,
            "externalDocs": {"url": "https://example.com"},
            "xml": {"name": "a"},
            "properties": {
                // A property may be named like a keyword; it is kept.
                "example": {"type": "string", "nullable": true},
                "list": {"type": "array", "items": {"type": "integer", "nullable": true}}
            },
            "additionalProperties": {"type": "boolean", "nullable": true}
        }));
        assert_eq!(
            converted,
            json!({
                "type": "object",
                "properties": {
                    "example": {"type": ["string", "null"]},
                    "list": {"type": "array", "items": {"type": ["integer", "null"]}}
                },
                "additionalProperties": {"type": ["boolean", "null"]}
            })
        );
    }

    #[test]
    fn read_only_properties_are_not_required_in_requests() {
        let document = json!({"Id": {"type": "string", "readOnly": true}});
        let lookup = |r: &str| document.get(r.strip_prefix("#/components/schemas/")?);
        let converted = convert(
            &json!({
                "type": "object",
                "required": ["id", "ref_id", "name"],
                "properties": {
                    "id": {"type": "string", "readOnly": true},
                    "ref_id": {"$ref": "#/components/schemas/Id"},
                    "name": {"type": "string"}
                }
            }),
            Dialect::V30,
            &lookup,
        );
        assert_eq!(converted["required"], json!(["name"]));
    }

    #[test]
    fn integer_formats_are_ranges() {
        assert_eq!(
            v30(json!({"type": "integer", "format": "int32"})),
            json!({"type": "integer", "format": "int32",
                   "minimum": -2147483648_i64, "maximum": 2147483647})
        );
        // A tighter written bound stays.
        assert_eq!(
            v30(json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 9})),
            json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 9})
        );
        let schema = v30(json!({"type": "integer", "format": "int64"}));
        let validator = jsonschema::draft202012::new(&schema).expect("compiles");
        assert!(validator.is_valid(&json!(i64::MAX)));
        assert!(!validator.is_valid(&json!(u64::MAX)));
        let schema = v30(json!({"type": "integer", "format": "int32"}));
        let validator = jsonschema::draft202012::new(&schema).expect("compiles");
        assert!(validator.is_valid(&json!(-2147483648_i64)));
        assert!(!validator.is_valid(&json!(2147483648_i64)));
    }

    #[test]
    fn read_only_properties_through_all_of_and_references_are_not_required() {
        let document = json!({
            "Id": {"type": "string", "readOnly": true},
            "Base": {"type": "object", "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "created": {"type": "string", "readOnly": true},
                "name": {"type": "string"}
            }},
            "Named": {"$ref": "#/components/schemas/Base"}
        });
        let lookup = |r: &str| document.get(r.strip_prefix("#/components/schemas/")?);
        let convert = |schema: Value| convert(&schema, Dialect::V30, &lookup);
        // `required` beside an `allOf` whose (referenced) branch has the properties.
        let converted = convert(json!({
            "allOf": [{"$ref": "#/components/schemas/Named"}],
            "required": ["id", "created", "name"]
        }));
        assert_eq!(converted["required"], json!(["name"]));
        // `required` in a sibling branch of the one that has them.
        let converted = convert(json!({
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "required": ["id", "name"],
                 "properties": {"extra": {"type": "integer", "readOnly": true}}},
                {"required": ["extra", "created"]}
            ]
        }));
        assert_eq!(converted["allOf"][1]["required"], json!(["name"]));
        assert_eq!(converted["allOf"][2]["required"], json!([]));
        // A nested object's `required` is its own business.
        let converted = convert(json!({
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "properties": {"child": {"type": "object", "required": ["created"],
                                     "properties": {"created": {"type": "string"}}}}
        }));
        assert_eq!(
            converted["properties"]["child"]["required"],
            json!(["created"])
        );
    }

    #[test]
    fn a_31_schema_is_kept_as_written() {
        let schema = json!({"type": ["string", "null"], "exclusiveMinimum": 3, "example": "x",
                            "$ref": "#/$defs/A", "maxLength": 4});
        assert_eq!(convert(&schema, Dialect::V31, &|_| None), schema);
    }

    #[test]
    fn converted_schemas_validate_as_openapi_means() {
        let schema = v30(
            json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true,
                                "nullable": true}),
        );
        let validator = jsonschema::draft202012::new(&schema).expect("compiles");
        assert!(validator.is_valid(&json!(2)));
        assert!(validator.is_valid(&Value::Null));
        assert!(!validator.is_valid(&json!(1)));
    }
}
