//! What a schema says about text on the wire: the shape of a parameter or a form part
//! (after `$ref`s, and through `allOf`/`oneOf`/`anyOf` by what their branches agree on, with
//! branches that only annotate or only admit `null` seen through, `nullable` aside), the
//! content type OpenAPI gives a part of that shape, and a text value read as the type.
//!
//! These rules are the mock's own, read from the OpenAPI and JSON Schema texts: a string of
//! `format: binary` is a file, any other string (`format: byte` is base64 text) is text; an
//! untyped schema with `properties` or `additionalProperties` is an object, one with `items`
//! "a list of these, or one" (JSON Schema's `items` constrains arrays only).

use super::contract::Contract;
use serde_json::Value;

/// The shape of a schema, as far as encoding it as text goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// A primitive or an enum of them: `string`, `integer`, `number` or `boolean`.
    Text(&'static str),
    /// `type: string` with `format: binary`: a file.
    Binary,
    /// An object (or a composition of them).
    Object,
    /// An array of the given shape.
    Array(Box<Shape>),
    /// `items` without `type`: an array of the given shape, or one such value.
    OneOrList(Box<Shape>),
    /// No type to go by.
    Any,
}

impl Shape {
    /// `string`, `array of integer`, ... as messages name a schema.
    pub(crate) fn describe(&self) -> String {
        match self {
            Shape::Text(t) => (*t).to_owned(),
            Shape::Binary => "binary".into(),
            Shape::Object => "object".into(),
            Shape::Array(items) => format!("array of {}", items.describe()),
            Shape::OneOrList(items) => format!("{0} or array of {0}", items.describe()),
            Shape::Any => "any".into(),
        }
    }

    /// The content type OpenAPI gives a form or multipart part of this shape; an array
    /// of primitives is sent as one part per item, each `text/plain`.
    pub(crate) fn part_content_type(&self) -> Option<&'static str> {
        match self {
            Shape::Text(_) => Some("text/plain"),
            Shape::Binary => Some("application/octet-stream"),
            Shape::Object => Some("application/json"),
            Shape::Array(items) | Shape::OneOrList(items) => match **items {
                Shape::Object | Shape::Array(_) | Shape::OneOrList(_) => Some("application/json"),
                ref other => other.part_content_type(),
            },
            Shape::Any => None,
        }
    }

    /// The shape of one item: an array's (or a one-or-list's) items, else the shape itself.
    pub(crate) fn item(&self) -> &Shape {
        match self {
            Shape::Array(items) | Shape::OneOrList(items) => items,
            other => other,
        }
    }
}

/// Deeper than any real document nests; a cycle of references stops here as "any".
const MAX_DEPTH: usize = 32;

/// The keywords that say what type a schema's values are.
const TYPED: [&str; 9] = [
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "allOf",
    "oneOf",
    "anyOf",
];

/// Whether a composition branch constrains nothing about the type: it only annotates
/// (`{description: ..}`) or constrains within a type it does not name (`{maxLength: 5}`,
/// `{required: [..]}`), or it admits only `null` (`{type: 'null'}`, `{enum: [null]}`, the
/// nullable wrappers).
fn says_nothing(branch: &Value) -> bool {
    let Some(map) = branch.as_object() else {
        // `true` admits anything; `false` nothing: neither names a type.
        return true;
    };
    let null_only = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => !types.is_empty() && types.iter().all(|t| t == "null"),
        _ => false,
    };
    let null_enum = map
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null));
    null_only || null_enum || !TYPED.iter().any(|k| map.contains_key(*k))
}

/// The branches of `schema`'s compositions that say something about the type.
fn typed_branches(schema: &Value) -> Vec<&Value> {
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(*k)?.as_array())
        .flatten()
        .filter(|b| !says_nothing(b))
        .collect()
}

/// Whether `schema`'s own keywords say what type it is.
fn has_own_type(schema: &Value) -> bool {
    [
        "type",
        "properties",
        "additionalProperties",
        "items",
        "enum",
    ]
    .iter()
    .any(|k| schema.get(k).is_some())
}

/// `schema` with `$ref`s and wrappers followed: a schema without a type of its own whose
/// compositions have exactly one branch that says something about the type is that branch.
pub(crate) fn unwrap<'a>(contract: &'a Contract, schema: &'a Value) -> &'a Value {
    let mut schema = contract.resolve(schema);
    for _ in 0..MAX_DEPTH {
        if has_own_type(schema) {
            return schema;
        }
        match typed_branches(schema).as_slice() {
            [one] => schema = contract.resolve(one),
            _ => return schema,
        }
    }
    schema
}

/// The shape of `schema`.
pub(crate) fn shape(contract: &Contract, schema: &Value) -> Shape {
    shape_at(contract, schema, 0)
}

fn shape_at(contract: &Contract, schema: &Value, depth: usize) -> Shape {
    if depth > MAX_DEPTH {
        return Shape::Any;
    }
    let schema = contract.resolve(schema);
    if let Some(own) = own_shape(contract, schema, depth) {
        return own;
    }
    // No type of its own: what its composition branches agree on (`allOf: [{$ref: Id},
    // {maxLength: 5}]` is Id's shape; `oneOf` of a string and an object is anything).
    let mut shapes = typed_branches(schema)
        .into_iter()
        .map(|b| shape_at(contract, b, depth + 1));
    let Some(first) = shapes.next() else {
        return Shape::Any;
    };
    shapes.fold(first, |a, b| if a == b { a } else { Shape::Any })
}

/// The shape `schema`'s own keywords give: its `type`, else the keywords only one type has;
/// `None` when they say nothing.
fn own_shape(contract: &Contract, schema: &Value, depth: usize) -> Option<Shape> {
    let ty = match schema.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        // 3.1: `[T, "null"]` is T; more than one type is anything.
        Some(Value::Array(types)) => {
            let mut real = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null");
            match (real.next(), real.next()) {
                (Some(t), None) => Some(t),
                _ => return Some(Shape::Any),
            }
        }
        _ => None,
    };
    let items = || match schema.get("items") {
        Some(items) => shape_at(contract, items, depth + 1),
        None => Shape::Any,
    };
    Some(match ty {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("binary") => Shape::Binary,
            // `byte` is base64 text.
            _ => Shape::Text("string"),
        },
        Some("integer") => Shape::Text("integer"),
        Some("number") => Shape::Text("number"),
        Some("boolean") => Shape::Text("boolean"),
        Some("array") => Shape::Array(Box::new(items())),
        Some("object") => Shape::Object,
        Some(_) => Shape::Any,
        None if schema.get("properties").is_some()
            || schema.get("additionalProperties").is_some() =>
        {
            Shape::Object
        }
        None if schema.get("items").is_some() => Shape::OneOrList(Box::new(items())),
        None => {
            let values = schema.get("enum")?.as_array()?;
            if values.iter().all(Value::is_null) {
                return None;
            }
            if values.iter().any(|v| v.is_object() || v.is_array()) {
                return Some(Shape::Any);
            }
            Shape::Text(enum_type(values))
        }
    })
}

/// The type of an enum without `type`, from its values.
fn enum_type(values: &[Value]) -> &'static str {
    let real = || values.iter().filter(|v| !v.is_null());
    if real().all(Value::is_boolean) {
        "boolean"
    } else if real().all(|v| v.is_i64() || v.is_u64()) {
        "integer"
    } else if real().all(Value::is_number) {
        "number"
    } else {
        "string"
    }
}

/// `text` read as a value of primitive `ty`; the error says what it is not.
pub(crate) fn coerce(text: &str, ty: &str) -> Result<Value, String> {
    let fail = || Err(format!("`{}` is not {}", text.escape_debug(), article(ty)));
    match ty {
        "integer" => {
            if let Ok(n) = text.parse::<i64>() {
                Ok(n.into())
            } else if let Ok(n) = text.parse::<u64>() {
                Ok(n.into())
            } else {
                fail()
            }
        }
        "number" => match text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            // Integers stay integers, so `multipleOf` and integer enums compare exactly.
            Some(_) if text.parse::<i64>().is_ok() => coerce(text, "integer"),
            Some(n) => Ok(Value::Number(n)),
            None => fail(),
        },
        "boolean" => match text {
            "true" => Ok(true.into()),
            "false" => Ok(false.into()),
            _ => fail(),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

fn article(ty: &str) -> String {
    match ty {
        "integer" => "an integer".into(),
        "number" => "a number".into(),
        "boolean" => "a boolean (`true` or `false`)".into(),
        other => format!("a {other}"),
    }
}

/// The object properties of `schema`, its `allOf` branches' included, in document order.
pub(crate) fn properties<'a>(
    contract: &'a Contract,
    schema: &'a Value,
) -> Vec<(&'a str, &'a Value)> {
    let mut out = Vec::new();
    collect_properties(contract, schema, &mut out, 0);
    out
}

fn collect_properties<'a>(
    contract: &'a Contract,
    schema: &'a Value,
    out: &mut Vec<(&'a str, &'a Value)>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let schema = unwrap(contract, schema);
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, property));
            }
        }
    }
    for branch in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_properties(contract, branch, out, depth + 1);
    }
}

/// The schema of property `name` of `schema`: among its own properties, then those of its
/// `allOf`, `oneOf` and `anyOf` branches (the first that has it), to read a value sent as
/// text by its type.
pub(crate) fn property<'a>(
    contract: &'a Contract,
    schema: &'a Value,
    name: &str,
) -> Option<&'a Value> {
    property_at(contract, schema, name, 0)
}

fn property_at<'a>(
    contract: &'a Contract,
    schema: &'a Value,
    name: &str,
    depth: usize,
) -> Option<&'a Value> {
    if depth > 16 {
        return None;
    }
    let schema = unwrap(contract, schema);
    if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(found);
    }
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(k)?.as_array())
        .flatten()
        .find_map(|branch| property_at(contract, branch, name, depth + 1))
}

/// The schema names other than its properties may have, as the mock reads fields of a form
/// or multipart body: `Some(schema)` when `additionalProperties` is `true` or a schema, or
/// when the schema lists no properties at all; `None` when it is `false` or absent beside
/// `properties` (a part the schema does not name is then an error: a server that reads
/// fields by name would drop it unseen).
pub(crate) fn additional<'a>(contract: &'a Contract, schema: &'a Value) -> Option<&'a Value> {
    static ANY: Value = Value::Bool(true);
    let unwrapped = unwrap(contract, schema);
    match unwrapped.get("additionalProperties") {
        Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(&ANY),
        Some(schema) => Some(schema),
        None if properties(contract, schema).is_empty() => Some(&ANY),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract() -> Contract {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "Id": {"type": "string"},
                "Wrapped": {"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true},
                "Kind": {"enum": ["a", "b"]},
                "File": {"type": "string", "format": "binary"},
                "Obj": {"type": "object", "properties": {"a": {"type": "string"}}}
            }}
        });
        Contract::parse(&document.to_string()).unwrap()
    }

    fn shape_of(schema: Value) -> Shape {
        shape(&contract(), &schema)
    }

    #[test]
    fn shapes_follow_references_and_wrappers() {
        let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
        assert_eq!(shape_of(r("Id")), Shape::Text("string"));
        assert_eq!(shape_of(r("Wrapped")), Shape::Text("string"));
        assert_eq!(shape_of(json!({"oneOf": [r("Id")]})), Shape::Text("string"));
        assert_eq!(shape_of(r("Kind")), Shape::Text("string"));
        assert_eq!(shape_of(r("File")), Shape::Binary);
        assert_eq!(shape_of(r("Obj")), Shape::Object);
        assert_eq!(
            shape_of(json!({"type": "array", "items": r("Obj")})).part_content_type(),
            Some("application/json")
        );
        assert_eq!(
            shape_of(json!({"type": "array", "items": {"type": "integer"}})).part_content_type(),
            Some("text/plain")
        );
        assert_eq!(shape_of(json!({})), Shape::Any);
    }

    #[test]
    fn shapes_by_rule() {
        use Shape::*;
        let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
        let string = || Text("string");
        let list = |s: Shape| Array(Box::new(s));
        let table: Vec<(&str, Value, Shape)> = vec![
            (
                "byte is base64 text",
                json!({"type": "string", "format": "byte"}),
                string(),
            ),
            (
                "binary is a file",
                json!({"type": "string", "format": "binary"}),
                Binary,
            ),
            (
                "an allOf with an annotation is its branch",
                json!({"allOf": [r("Id"), {"description": "the id"}]}),
                string(),
            ),
            (
                "an allOf with an untyped constraint is its branch",
                json!({"allOf": [r("Id"), {"maxLength": 5}]}),
                string(),
            ),
            (
                "an allOf of one scalar type is that scalar",
                json!({"allOf": [r("Id"), {"type": "string", "minLength": 1}]}),
                string(),
            ),
            (
                "an allOf of objects is an object",
                json!({"allOf": [r("Obj"), {"properties": {"b": {"type": "integer"}}}]}),
                Object,
            ),
            (
                "an allOf with `required` only is its branch",
                json!({"allOf": [r("Obj"), {"required": ["a"]}]}),
                Object,
            ),
            (
                "a type-null branch is seen through",
                json!({"oneOf": [r("Id"), {"type": "null"}]}),
                string(),
            ),
            (
                "an enum-null branch is seen through",
                json!({"anyOf": [{"enum": [null]}, {"type": "integer"}]}),
                Text("integer"),
            ),
            (
                "a 3.1 null type list is seen through",
                json!({"type": ["integer", "null"]}),
                Text("integer"),
            ),
            (
                "different branches are anything",
                json!({"oneOf": [r("Id"), r("Obj")]}),
                Any,
            ),
            (
                "different scalars are anything",
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
                Any,
            ),
            (
                "untyped additionalProperties is an object",
                json!({"additionalProperties": {"type": "string"}}),
                Object,
            ),
            (
                "untyped properties are an object",
                json!({"properties": {"a": {}}}),
                Object,
            ),
            (
                "untyped items are one or a list",
                json!({"items": {"type": "integer"}}),
                OneOrList(Box::new(Text("integer"))),
            ),
            (
                "typed items are a list",
                json!({"type": "array", "items": r("Id")}),
                list(string()),
            ),
            (
                "an array of bytes is a list of text",
                json!({"type": "array", "items": {"type": "string", "format": "byte"}}),
                list(string()),
            ),
            (
                "an untyped enum is its values' type",
                json!({"enum": [1, 2]}),
                Text("integer"),
            ),
            (
                "an enum of null only says nothing",
                json!({"enum": [null]}),
                Any,
            ),
            ("nothing is anything", json!({}), Any),
            ("a nullable wrapper is its branch", r("Wrapped"), string()),
        ];
        for (rule, schema, expected) in table {
            assert_eq!(shape_of(schema), expected, "{rule}");
        }
    }

    #[test]
    fn properties_and_additional_see_through_annotations() {
        let contract = contract();
        let schema = json!({"allOf": [{"$ref": "#/components/schemas/Obj"}, {"description": "d"}]});
        let names: Vec<&str> = properties(&contract, &schema)
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, ["a"]);
        assert!(additional(&contract, &schema).is_none());
    }

    #[test]
    fn text_is_read_as_the_type() {
        assert_eq!(coerce("12", "integer"), Ok(json!(12)));
        assert_eq!(coerce("1.5", "number"), Ok(json!(1.5)));
        assert_eq!(coerce("3", "number"), Ok(json!(3)));
        assert_eq!(coerce("true", "boolean"), Ok(json!(true)));
        assert!(coerce("yes", "boolean").unwrap_err().contains("boolean"));
        assert!(
            coerce("1.5", "integer")
                .unwrap_err()
                .contains("`1.5` is not an integer")
        );
        assert!(coerce("NaN", "number").is_err());
        assert_eq!(coerce("\"x\"", "string"), Ok(json!("\"x\"")));
    }
}
