//! How one property of a `multipart/form-data` body travels, by the OpenAPI rules: decided on
//! the schema the property *resolves* to (through `$ref`s, single-branch `allOf`/`oneOf`/
//! `anyOf` wrappers and `nullable`), never on the Rust type it became, which for a `$ref` is
//! just a name. The Encoding Object's defaults: a primitive or an enum, or an array of them,
//! is text (an array repeats its field name, one part per item); an object, or an array of
//! objects, is one JSON part; a file is a binary part. `encoding.<name>.contentType` overrides
//! the default; `style`/`explode` apply to multipart bodies from OpenAPI 3.1 on (3.0 defines
//! them for form bodies only and says to ignore them here).

use crate::ir::MultipartKind;
use crate::resolve::Resolver;
use openapiv3::{Encoding, ReferenceOr, Schema};
use serde_json::Value;

/// Nesting followed before a schema counts as "anything" (a cycle through `$ref`s, or a
/// wrapper chain no real document writes).
const MAX_DEPTH: usize = 32;

/// What a schema's values are, as far as choosing a part's encoding goes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ValueShape {
    /// A string (not a file), number, integer, boolean or enum.
    Scalar,
    /// `format: binary`: a file.
    Binary,
    /// An object or a map.
    Object,
    /// An array of values of one shape.
    List(Box<ValueShape>),
    /// No type the rules can read (an empty schema, or a union of different shapes): decided
    /// per value when sending.
    Any,
}

/// The shape of the values `schema` admits.
pub(super) fn shape(resolver: &Resolver<'_>, schema: &ReferenceOr<Schema>) -> ValueShape {
    let Ok(node) = serde_json::to_value(schema) else {
        return ValueShape::Any;
    };
    shape_of(resolver, &node, 0)
}

fn shape_of(resolver: &Resolver<'_>, node: &Value, depth: usize) -> ValueShape {
    if depth > MAX_DEPTH {
        return ValueShape::Any;
    }
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        return match resolver.target(reference) {
            Some(target) => shape_of(resolver, target, depth + 1),
            None => ValueShape::Any,
        };
    }
    if let Some(own) = own_shape(resolver, node, depth) {
        return own;
    }
    // No `type` of its own: what its `allOf`/`oneOf`/`anyOf` branches agree on. Branches
    // that only annotate or only admit `null` (the nullable wrappers) say nothing.
    let branches: Vec<ValueShape> = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_array))
        .flatten()
        .filter(|b| !says_nothing(b))
        .map(|b| shape_of(resolver, b, depth + 1))
        .collect();
    let mut shapes = branches.into_iter();
    let Some(first) = shapes.next() else {
        return ValueShape::Any;
    };
    shapes.fold(first, |a, b| if a == b { a } else { ValueShape::Any })
}

/// The shape a node's own keywords give: its `type`, else the keywords only one type has.
fn own_shape(resolver: &Resolver<'_>, node: &Value, depth: usize) -> Option<ValueShape> {
    let typ = match node.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        // A 3.1 type list: the one type beside "null".
        Some(Value::Array(types)) => {
            let mut named = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null");
            match (named.next(), named.next()) {
                (Some(t), None) => Some(t),
                _ => return Some(ValueShape::Any),
            }
        }
        _ => None,
    };
    let items = || match node.get("items") {
        Some(items) => ValueShape::List(Box::new(shape_of(resolver, items, depth + 1))),
        None => ValueShape::List(Box::new(ValueShape::Any)),
    };
    Some(match typ {
        Some("string") if node.get("format").and_then(Value::as_str) == Some("binary") => {
            ValueShape::Binary
        }
        Some("string" | "integer" | "number" | "boolean") => ValueShape::Scalar,
        Some("object") => ValueShape::Object,
        Some("array") => items(),
        Some(_) => ValueShape::Any,
        None if node.get("format").and_then(Value::as_str) == Some("binary") => ValueShape::Binary,
        None if node.get("properties").is_some() || node.get("additionalProperties").is_some() => {
            ValueShape::Object
        }
        None if node.get("items").is_some() => items(),
        None if node
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(|v| !v.is_object() && !v.is_array())) =>
        {
            ValueShape::Scalar
        }
        None => return None,
    })
}

/// A union or `allOf` branch that constrains nothing about the type: an annotation
/// (`{description: ..}`), or one that admits only `null`.
fn says_nothing(branch: &Value) -> bool {
    let Some(map) = branch.as_object() else {
        return true;
    };
    if map.get("type").and_then(Value::as_str) == Some("null") {
        return true;
    }
    if map
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
    {
        return true;
    }
    const TYPED: [&str; 8] = [
        "$ref",
        "type",
        "properties",
        "items",
        "enum",
        "allOf",
        "oneOf",
        "anyOf",
    ];
    !TYPED.iter().any(|k| map.contains_key(*k)) && !map.contains_key("additionalProperties")
}

/// The kind of part a non-file property travels as, by its shape and its `encoding` entry.
/// A declared content type is sent as declared: `application/json` as one JSON part, plain
/// text for a scalar (a part without a type is `text/plain`), any other concrete type as
/// [`MultipartKind::Typed`]. A list of types sends the first; a range (`image/*`) names no
/// type to send, so the shape's default stands. [`MultipartKind::Text`] is also what a shape
/// the rules cannot read gets: the engine then sends scalars as text and structures as JSON,
/// value by value.
pub(super) fn part_kind(shape: &ValueShape, encoding: Option<&Encoding>) -> MultipartKind {
    let declared = encoding
        .and_then(|e| e.content_type.as_deref())
        .and_then(|c| c.split(',').next())
        .map(str::trim)
        .filter(|c| !c.is_empty() && !c.contains('*'));
    if let Some(declared) = declared {
        let scalar = match shape {
            ValueShape::Scalar => true,
            ValueShape::List(item) => **item == ValueShape::Scalar,
            _ => false,
        };
        return match essence(declared).as_str() {
            "application/json" => MultipartKind::Json,
            "text/plain" if scalar && declared.eq_ignore_ascii_case("text/plain") => {
                MultipartKind::Text
            }
            _ => MultipartKind::Typed(declared.to_owned()),
        };
    }
    match shape {
        ValueShape::Object => MultipartKind::Json,
        ValueShape::List(item) if matches!(**item, ValueShape::Object | ValueShape::List(_)) => {
            MultipartKind::Json
        }
        _ => MultipartKind::Text,
    }
}

/// Whether a declared content type (one of a comma-separated list) is JSON.
pub(super) fn declares_json(encoding: &Encoding) -> bool {
    encoding
        .content_type
        .as_deref()
        .is_some_and(|c| c.split(',').map(essence).any(|c| is_json(&c)))
}

fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape_in(doc: &Value, schema: Value) -> ValueShape {
        let resolver = Resolver::new(doc);
        shape_of(&resolver, &schema, 0)
    }

    #[test]
    fn shapes_follow_references_and_wrappers() {
        let doc = json!({"components": {"schemas": {
            "Id": {"type": "string"},
            "IdRef": {"$ref": "#/components/schemas/Id"},
            "Status": {"enum": ["a", "b"]},
            "Obj": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let s = |v: Value| shape_in(&doc, v);
        assert_eq!(
            s(json!({"$ref": "#/components/schemas/IdRef"})),
            ValueShape::Scalar
        );
        assert_eq!(
            s(json!({"$ref": "#/components/schemas/Status"})),
            ValueShape::Scalar
        );
        assert_eq!(
            s(json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "description": "x"})),
            ValueShape::Scalar
        );
        assert_eq!(
            s(json!({"oneOf": [{"$ref": "#/components/schemas/Obj"}, {"type": "null"}]})),
            ValueShape::Object
        );
        assert_eq!(
            s(json!({"anyOf": [{"type": "string", "enum": ["x"]}, {"type": "string"}]})),
            ValueShape::Scalar
        );
        assert_eq!(
            s(json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Obj"}]})),
            ValueShape::Any
        );
        assert_eq!(
            s(json!({"type": "array", "items": {"$ref": "#/components/schemas/Obj"}})),
            ValueShape::List(Box::new(ValueShape::Object))
        );
        assert_eq!(s(json!({"type": ["integer", "null"]})), ValueShape::Scalar);
        assert_eq!(
            s(json!({"type": "string", "format": "binary"})),
            ValueShape::Binary
        );
        assert_eq!(
            s(json!({"$ref": "#/components/schemas/Loop"})),
            ValueShape::Any
        );
        assert_eq!(
            s(json!({"$ref": "#/components/schemas/Missing"})),
            ValueShape::Any
        );
        assert_eq!(s(json!({})), ValueShape::Any);
    }

    #[test]
    fn parts_take_the_default_content_type_of_their_shape_unless_declared() {
        let list = |s: ValueShape| ValueShape::List(Box::new(s));
        assert_eq!(part_kind(&ValueShape::Scalar, None), MultipartKind::Text);
        assert_eq!(
            part_kind(&list(ValueShape::Scalar), None),
            MultipartKind::Text
        );
        assert_eq!(part_kind(&ValueShape::Object, None), MultipartKind::Json);
        assert_eq!(
            part_kind(&list(ValueShape::Object), None),
            MultipartKind::Json
        );
        assert_eq!(part_kind(&ValueShape::Any, None), MultipartKind::Text);
        let declared = |c: &str| Encoding {
            content_type: Some(c.to_owned()),
            ..Encoding::default()
        };
        assert_eq!(
            part_kind(&ValueShape::Scalar, Some(&declared("application/json"))),
            MultipartKind::Json
        );
        assert_eq!(
            part_kind(
                &ValueShape::Object,
                Some(&declared("text/plain; charset=utf-8"))
            ),
            MultipartKind::Typed("text/plain; charset=utf-8".into())
        );
        assert_eq!(
            part_kind(&ValueShape::Scalar, Some(&declared("text/plain"))),
            MultipartKind::Text
        );
        assert_eq!(
            part_kind(
                &ValueShape::Scalar,
                Some(&declared("application/vnd.x+json"))
            ),
            MultipartKind::Typed("application/vnd.x+json".into())
        );
        assert_eq!(
            part_kind(
                &ValueShape::Scalar,
                Some(&declared("text/csv, application/json"))
            ),
            MultipartKind::Typed("text/csv".into())
        );
        assert_eq!(
            part_kind(&ValueShape::Object, Some(&declared("image/*"))),
            MultipartKind::Json
        );
        assert!(declares_json(&declared("text/plain, application/json")));
    }
}
