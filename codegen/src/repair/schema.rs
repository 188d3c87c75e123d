//! Repairs of one schema and, through its schema keywords, of the schemas inside it. Each
//! keyword `openapiv3` reads is brought to the JSON type it expects when the intent is clear
//! (a bound written as text, a boolean as `"true"`), and dropped with a warning otherwise.
//! Values that are data (`example`, `default`, `enum`) are never walked into.

use super::{MAX_DEPTH, Repair};
use crate::pointer;
use serde_json::{Map, Value, json};

/// Keywords that annotate a schema without constraining it: beside a `$ref` they change
/// nothing the generated types could check.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// Keywords that give a schema a shape of its own (beside a `$ref`, they add to it).
const SHAPING: [&str; 11] = [
    "type",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "discriminator",
    "enum",
];

/// Boolean keywords.
const BOOLEANS: [&str; 5] = [
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
];

/// Number keywords.
const NUMBERS: [&str; 3] = ["minimum", "maximum", "multipleOf"];

/// Count keywords (non-negative integers).
const COUNTS: [&str; 6] = [
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Text keywords.
const TEXTS: [&str; 4] = ["title", "description", "pattern", "format"];

/// Lists of subschemas.
const COMBINATORS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

impl Repair<'_> {
    /// Repairs the schema at `at` (a schema object, a reference or a boolean schema).
    pub(super) fn schema(&mut self, value: &mut Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => self.schema_object(map, at, depth),
            Value::Bool(true) => {
                if !self.v31 {
                    self.warn(
                        at,
                        "boolean schema `true` (an OpenAPI 3.1 form); read as any JSON",
                    );
                }
                *value = json!({});
            }
            // Lowering reports `not` (which no Rust type expresses) where it stands.
            Value::Bool(false) => *value = json!({"not": {}}),
            _ => {
                self.warn(
                    at,
                    "a schema that is neither an object nor a boolean; read as any JSON",
                );
                *value = json!({});
            }
        }
    }

    fn schema_object(&mut self, map: &mut Map<String, Value>, at: &str, depth: usize) {
        if map.contains_key("$ref") && !self.reference_siblings(map, at) {
            return;
        }
        self.schema_type(map, at);
        if let Some(c) = map.remove("const") {
            self.warn(
                at,
                "`const` (an OpenAPI 3.1 keyword); read as a one-value `enum`",
            );
            map.insert("enum".into(), json!([c]));
        }
        for (key, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(n) = map.get(key).filter(|v| v.is_number()).cloned() {
                self.warn(
                    &format!("{at}/{key}"),
                    format!("a numeric `{key}` (the OpenAPI 3.1 form); read as `{bound}` and `{key}: true`"),
                );
                map.insert(bound.into(), n);
                map.insert(key.into(), json!(true));
            }
            self.boolean(map, at, key);
        }
        for key in BOOLEANS {
            self.boolean(map, at, key);
        }
        for key in NUMBERS {
            self.number(map, at, key);
        }
        for key in COUNTS {
            self.count(map, at, key);
        }
        self.strings(map, at, &TEXTS);
        self.required(map, at);
        if let Some(values) = map.get_mut("enum")
            && !values.is_array()
        {
            self.warn(
                &format!("{at}/enum"),
                "`enum` is not a list; read as a one-value list",
            );
            *values = Value::Array(vec![values.take()]);
        }
        self.discriminator(map, at);
        self.external_docs(map, at);
        self.subschemas(map, at, depth);
    }

    /// A `$ref` with siblings. Keywords that shape a type (`type`, `properties`, `allOf`, ...)
    /// mean "the reference and these": read as `allOf: [{$ref}]` beside them; `nullable: true`
    /// likewise keeps its meaning through a one-branch `allOf`. Validation keywords only narrow
    /// the values, which the reference's type already holds, and are dropped. Returns whether
    /// the object is still a schema to walk (not a bare reference).
    fn reference_siblings(&mut self, map: &mut Map<String, Value>, at: &str) -> bool {
        let Some(Value::String(reference)) = map.get("$ref").cloned() else {
            self.warn(
                &format!("{at}/$ref"),
                "`$ref` is not text; read as any JSON",
            );
            map.clear();
            return false;
        };
        let siblings: Vec<String> = map
            .keys()
            .filter(|k| {
                *k != "$ref"
                    && *k != "default"
                    && !k.starts_with("x-")
                    && !ANNOTATIONS.contains(&k.as_str())
            })
            .cloned()
            .collect();
        if siblings.is_empty() {
            return false;
        }
        let nullable = map
            .get("nullable")
            .is_some_and(|n| n == &json!(true) || n == "true");
        let shaping = siblings.iter().any(|k| SHAPING.contains(&k.as_str()));
        // 3.1 gives siblings of `$ref` this very meaning: only 3.0 documents are warned.
        if !shaping && !nullable {
            if !self.v31 {
                self.warn(
                    at,
                    format!(
                        "validation keywords beside `$ref` ({}) do not change its type; ignored",
                        siblings.join(", ")
                    ),
                );
            }
            map.retain(|k, _| !siblings.contains(k));
            return false;
        }
        if !shaping {
            map.retain(|k, _| !siblings.contains(k) || k == "nullable");
        }
        if !self.v31 {
            self.warn(
                at,
                "`$ref` with sibling keywords (which OpenAPI 3.0 ignores); read as `allOf` of the reference and them",
            );
        }
        map.remove("$ref");
        let mut branches = vec![json!({ "$ref": reference })];
        if let Some(Value::Array(existing)) = map.remove("allOf") {
            branches.extend(existing);
        }
        map.insert("allOf".into(), Value::Array(branches));
        true
    }

    /// `type` as OpenAPI 3.0 spells it: one known name.
    fn schema_type(&mut self, map: &mut Map<String, Value>, at: &str) {
        let at = format!("{at}/type");
        let Some(typ) = map.get("type").cloned() else {
            return;
        };
        match typ {
            Value::Array(types) => {
                self.warn(
                    &at,
                    "a `type` list (an OpenAPI 3.1 form); read as its types with `nullable`",
                );
                let mut names: Vec<Value> = Vec::new();
                for t in types {
                    if t.as_str() == Some("null") {
                        map.insert("nullable".into(), json!(true));
                    } else if !names.contains(&t) {
                        names.push(t);
                    }
                }
                map.remove("type");
                match names.len() {
                    0 => {}
                    1 => {
                        map.insert("type".into(), names.remove(0));
                        self.schema_type(map, at.trim_end_matches("/type"));
                    }
                    _ => {
                        let branches = names.into_iter().map(|t| json!({ "type": t })).collect();
                        map.insert("anyOf".into(), Value::Array(branches));
                    }
                }
            }
            Value::String(name) => {
                let known = ["string", "number", "integer", "boolean", "array", "object"];
                if known.contains(&name.as_str()) {
                    return;
                }
                let (replacement, format) = match name.to_ascii_lowercase().as_str() {
                    "null" => {
                        map.insert("nullable".into(), json!(true));
                        (None, None)
                    }
                    "file" => (Some("string"), Some("binary")),
                    "int" | "long" | "int32" | "int64" => (Some("integer"), None),
                    "float" | "double" | "decimal" => (Some("number"), None),
                    "bool" => (Some("boolean"), None),
                    "date" | "datetime" | "date-time" | "uuid" | "text" => (Some("string"), None),
                    lower if known.contains(&lower) => {
                        (known.iter().copied().find(|k| *k == lower), None)
                    }
                    _ => (None, None),
                };
                match replacement {
                    Some(t) => {
                        self.warn(
                            &at,
                            format!("`type: {name}` is no OpenAPI type; read as `{t}`"),
                        );
                        map.insert("type".into(), json!(t));
                        if let Some(f) = format {
                            map.entry("format").or_insert_with(|| json!(f));
                        }
                    }
                    None => {
                        if name != "null" {
                            self.warn(
                                &at,
                                format!("`type: {name}` is no OpenAPI type; read as any JSON"),
                            );
                        }
                        map.remove("type");
                    }
                }
            }
            _ => {
                self.warn(&at, "`type` is not text; ignored");
                map.remove("type");
            }
        }
    }

    fn number(&mut self, map: &mut Map<String, Value>, at: &str, key: &str) {
        let fixed = match map.get(key) {
            None | Some(Value::Number(_)) => return,
            Some(Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64),
            Some(_) => None,
        };
        let at = format!("{at}/{key}");
        match fixed {
            Some(n) => {
                self.warn(
                    &at,
                    format!("`{key}` written as text; read as the number {n}"),
                );
                map.insert(key.into(), Value::Number(n));
            }
            None => {
                self.warn(&at, format!("`{key}` is not a number; ignored"));
                map.remove(key);
            }
        }
    }

    fn count(&mut self, map: &mut Map<String, Value>, at: &str, key: &str) {
        let value = match map.get(key) {
            None => return,
            Some(v) if v.is_u64() => return,
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        let at = format!("{at}/{key}");
        match value.filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v < 1e15) {
            Some(v) => {
                self.warn(
                    &at,
                    format!("`{key}` is not a whole number as written; read as {v}"),
                );
                map.insert(key.into(), json!(v as u64));
            }
            None => {
                self.warn(&at, format!("`{key}` is not a count; ignored"));
                map.remove(key);
            }
        }
    }

    /// `required` is a list of property names (`required: true` is a parameter's habit).
    fn required(&mut self, map: &mut Map<String, Value>, at: &str) {
        let at = format!("{at}/required");
        match map.get_mut("required") {
            None => {}
            Some(Value::Array(names)) => {
                let before = names.len();
                names.retain(Value::is_string);
                if names.len() < before {
                    self.warn(
                        &at,
                        "`required` lists entries that are not names; they are ignored",
                    );
                }
            }
            Some(Value::String(name)) => {
                let name = name.clone();
                self.warn(
                    &at,
                    "`required` is one name, not a list; read as a one-name list",
                );
                map.insert("required".into(), json!([name]));
            }
            Some(_) => {
                self.warn(
                    &at,
                    "`required: true|false` on a schema is not valid; ignored",
                );
                map.remove("required");
            }
        }
    }

    fn discriminator(&mut self, map: &mut Map<String, Value>, at: &str) {
        let at = format!("{at}/discriminator");
        match map.get_mut("discriminator") {
            None => {}
            Some(Value::String(name)) => {
                let name = name.clone();
                self.warn(
                    &at,
                    "a Swagger 2 style `discriminator` (a property name); read as `propertyName`",
                );
                map.insert("discriminator".into(), json!({ "propertyName": name }));
            }
            Some(Value::Object(d)) if d.get("propertyName").is_some_and(Value::is_string) => {
                if let Some(mapping) = d.get_mut("mapping") {
                    match mapping {
                        Value::Object(m) if m.values().all(Value::is_string) => {}
                        Value::Object(m) => {
                            m.retain(|_, v| v.is_string());
                            self.warn(&at, "`mapping` entries that are not references; ignored");
                        }
                        _ => {
                            d.remove("mapping");
                            self.warn(&at, "`mapping` is not an object; ignored");
                        }
                    }
                }
            }
            Some(_) => {
                self.warn(
                    &at,
                    "a `discriminator` without a text `propertyName`; ignored",
                );
                map.remove("discriminator");
            }
        }
    }

    /// Walks the schema keywords that hold schemas, repairing their shape on the way.
    fn subschemas(&mut self, map: &mut Map<String, Value>, at: &str, depth: usize) {
        if let Some(items) = map.get_mut("items")
            && let Value::Array(list) = items
        {
            let p = format!("{at}/items");
            self.warn(
                &p,
                "`items` as a list (a tuple); read as any of its schemas",
            );
            *items = match list.len() {
                0 => json!({}),
                1 => list.remove(0),
                _ => json!({ "anyOf": list.clone() }),
            };
        }
        for key in ["items", "not"] {
            if let Some(s) = map.get_mut(key) {
                self.schema(s, &format!("{at}/{key}"), depth + 1);
            }
        }
        match map.get_mut("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(s @ Value::Object(_)) => {
                self.schema(s, &format!("{at}/additionalProperties"), depth + 1);
            }
            Some(_) => {
                self.warn(
                    &format!("{at}/additionalProperties"),
                    "`additionalProperties` is neither a boolean nor a schema; ignored",
                );
                map.remove("additionalProperties");
            }
        }
        for key in COMBINATORS {
            self.combinator(map, at, key, depth);
        }
        self.properties(map, at, depth);
    }

    fn combinator(&mut self, map: &mut Map<String, Value>, at: &str, key: &str, depth: usize) {
        let p = format!("{at}/{key}");
        match map.get_mut(key) {
            None => {}
            Some(Value::Array(branches)) => {
                for (i, b) in branches.iter_mut().enumerate() {
                    self.schema(b, &format!("{p}/{i}"), depth + 1);
                }
            }
            Some(one @ Value::Object(_)) => {
                self.warn(
                    &p,
                    format!("`{key}` is one schema, not a list; read as a one-schema list"),
                );
                let mut list = vec![one.take()];
                self.schema(&mut list[0], &format!("{p}/0"), depth + 1);
                *one = Value::Array(list);
            }
            Some(_) => {
                self.warn(&p, format!("`{key}` is not a list of schemas; ignored"));
                map.remove(key);
            }
        }
    }

    fn properties(&mut self, map: &mut Map<String, Value>, at: &str, depth: usize) {
        let p = format!("{at}/properties");
        match map.get_mut("properties") {
            None => {}
            Some(Value::Object(props)) => {
                let mut never = Vec::new();
                for (name, schema) in props.iter_mut() {
                    let child = format!("{p}/{}", pointer::escape(name));
                    if *schema == Value::Bool(false) {
                        never.push((name.clone(), child));
                        continue;
                    }
                    self.schema(schema, &child, depth + 2);
                }
                for (name, child) in never {
                    self.warn(
                        &child,
                        "property with schema `false` (never present); left out",
                    );
                    props.shift_remove(&name);
                }
            }
            Some(_) => {
                self.warn(&p, "`properties` is not an object; ignored");
                map.remove("properties");
            }
        }
    }
}
