//! What a schema says about text on the wire: the shape of a parameter or a form part
//! (after `$ref`s and single-branch `allOf`/`oneOf`/`anyOf` wrappers, `nullable` aside), the
//! content type OpenAPI 3.0 gives a part of that shape, and a text value read as the type.

use super::contract::Contract;
use serde_json::Value;

/// The shape of a schema, as far as encoding it as text goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// A primitive or an enum of them: `string`, `integer`, `number` or `boolean`.
    Text(&'static str),
    /// `type: string` with `format: binary` or `byte`: a file.
    Binary,
    /// An object (or a composition of them).
    Object,
    /// An array of the given shape.
    Array(Box<Shape>),
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
            Shape::Any => "any".into(),
        }
    }

    /// The content type OpenAPI 3.0 gives a form or multipart part of this shape; an array
    /// of primitives is sent as one part per item, each `text/plain`.
    pub(crate) fn part_content_type(&self) -> Option<&'static str> {
        match self {
            Shape::Text(_) => Some("text/plain"),
            Shape::Binary => Some("application/octet-stream"),
            Shape::Object => Some("application/json"),
            Shape::Array(items) => match **items {
                Shape::Object | Shape::Array(_) => Some("application/json"),
                ref other => other.part_content_type(),
            },
            Shape::Any => None,
        }
    }
}

/// `schema` with `$ref`s and single-branch composition wrappers followed.
pub(crate) fn unwrap<'a>(contract: &'a Contract, schema: &'a Value) -> &'a Value {
    let mut schema = contract.resolve(schema);
    for _ in 0..16 {
        let shaped = ["type", "properties", "items", "enum"]
            .iter()
            .any(|k| schema.get(k).is_some());
        let single = ["allOf", "oneOf", "anyOf"].iter().find_map(|k| {
            let branches = schema.get(k)?.as_array()?;
            // `oneOf: [X, {type: null}]` is X, nullable.
            let real: Vec<&Value> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            (real.len() == 1).then(|| real[0])
        });
        match single {
            Some(branch) if !shaped => schema = contract.resolve(branch),
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
    let schema = unwrap(contract, schema);
    let ty = match schema.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        // 3.1: `[T, "null"]` is T.
        Some(Value::Array(types)) => {
            let real: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            (real.len() == 1).then(|| real[0])
        }
        _ => None,
    };
    match ty {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("binary" | "byte") => Shape::Binary,
            _ => Shape::Text("string"),
        },
        Some("integer") => Shape::Text("integer"),
        Some("number") => Shape::Text("number"),
        Some("boolean") => Shape::Text("boolean"),
        Some("array") => match schema.get("items") {
            Some(items) if depth < 16 => {
                Shape::Array(Box::new(shape_at(contract, items, depth + 1)))
            }
            _ => Shape::Array(Box::new(Shape::Any)),
        },
        Some("object") => Shape::Object,
        _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => Shape::Object,
        _ => match schema.get("enum").and_then(Value::as_array) {
            Some(values) => Shape::Text(enum_type(values)),
            None => Shape::Any,
        },
    }
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
