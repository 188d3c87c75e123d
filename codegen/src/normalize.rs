//! OpenAPI 3.1 -> 3.0 on the raw tree before typing: the document-level fields 3.0 lacks,
//! and the 3.1 schema keywords rewritten to their 3.0 equivalents (repairs of documents that
//! break the specification are `repair`'s).

use crate::diagnostics::Diagnostics;
use crate::pointer;
use serde_json::{Map, Value, json};

/// Where a 3.1 document's `webhooks` are kept once lowered to 3.0, whose model has no field
/// for them.
pub(crate) const WEBHOOKS_EXTENSION: &str = "x-3.1-webhooks";

/// The extension 3.0 documents declared webhooks under before 3.1 named them (GitHub's 3.0
/// description does): the same map of names to path items, read as `webhooks` are.
pub(crate) const WEBHOOKS_CONVENTION: &str = "x-webhooks";

/// Deepest nesting walked; deeper trees are cut off with a warning instead of overflowing the stack.
const MAX_DEPTH: usize = 256;

/// Keywords whose values are data: never rewritten as if they were schemas.
const DATA_KEYWORDS: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// A rewrite applied to every object of the tree.
type Rewrite<'f> = dyn FnMut(&mut Map<String, Value>, &str, &mut Diagnostics) + 'f;

/// Lowers a 3.1 document to the 3.0 shapes `openapiv3` reads. Lossy steps are warned about.
pub(crate) fn v31_to_v30(doc: &mut Value, diags: &mut Diagnostics) {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("openapi".into(), json!("3.0.3"));
        obj.entry("paths").or_insert_with(|| json!({}));
        if let Some(Value::Object(info)) = obj.get_mut("info") {
            if let Some(Value::Object(lic)) = info.get_mut("license") {
                lic.remove("identifier");
            }
            info.remove("summary");
        }
    }
    walk_schemas(doc, "#", 0, diags, &mut lower_schema);
    // The 3.0 model has no `webhooks`; an extension keeps them for the IR. Moved after the
    // walk, which lowers their schemas like every other (and names them by `#/webhooks`), as
    // extensions are data the walk leaves alone.
    if let Some(obj) = doc.as_object_mut()
        && let Some(webhooks) = obj.remove("webhooks")
    {
        obj.insert(WEBHOOKS_EXTENSION.into(), webhooks);
    }
}

/// Applies `f` to every object in the tree, depth-first.
fn walk_schemas(
    value: &mut Value,
    pointer: &str,
    depth: usize,
    diags: &mut Diagnostics,
    f: &mut Rewrite<'_>,
) {
    if depth > MAX_DEPTH {
        diags.warn(pointer, "nesting deeper than 256 levels was cut off");
        *value = json!({});
        return;
    }
    match value {
        Value::Object(map) => {
            f(map, pointer, diags);
            for (k, v) in map.iter_mut() {
                let child = format!("{pointer}/{}", pointer::escape(k));
                // A `properties` map is keyed by property names, which may be `type` or
                // `const`: rewrite its values (schemas), never the map itself.
                if k == "properties"
                    && let Value::Object(props) = v
                {
                    for (name, schema) in props.iter_mut() {
                        let p = format!("{child}/{}", pointer::escape(name));
                        walk_schemas(schema, &p, depth + 2, diags, f);
                    }
                    continue;
                }
                // Examples, defaults and extensions are data, not schemas.
                if DATA_KEYWORDS.contains(&k.as_str()) || k.starts_with("x-") {
                    continue;
                }
                walk_schemas(v, &child, depth + 1, diags, f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk_schemas(v, &format!("{pointer}/{i}"), depth + 1, diags, f);
            }
        }
        _ => {}
    }
}

fn lower_schema(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    // Type arrays: ["string", "null"] -> type: string + nullable.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let non_null: Vec<Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .cloned()
            .collect();
        if non_null.len() < types.len() {
            map.insert("nullable".into(), json!(true));
        }
        match non_null.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), non_null[0].clone());
            }
            _ => {
                map.remove("type");
                let branches: Vec<Value> = non_null.iter().map(|t| json!({ "type": t })).collect();
                map.insert("anyOf".into(), Value::Array(branches));
                diags.warn(
                    pointer,
                    "a multi-type `type` array became `anyOf` of the types",
                );
            }
        }
    } else if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), json!(true));
    }
    if let Some(c) = map.remove("const") {
        map.insert("enum".into(), json!([c]));
    }
    for (key, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = map.get(key).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(key.into(), json!(true));
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples").cloned() {
        map.remove("examples");
        let dropped = examples.len() > 1;
        if let Some(first) = examples.into_iter().next() {
            map.insert("example".into(), first);
        }
        if dropped {
            diags.warn(
                pointer,
                "`examples` array reduced to its first entry as `example`",
            );
        }
    }
    for key in [
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "$defs",
        "contentMediaType",
        "contentEncoding",
        "unevaluatedProperties",
        "prefixItems",
        "dependentRequired",
        "dependentSchemas",
        "if",
        "then",
        "else",
        "propertyNames",
    ] {
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(schema: Value) -> (Value, Vec<String>) {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        let mut diags = Diagnostics::default();
        v31_to_v30(&mut doc, &mut diags);
        let messages = diags.warnings.into_iter().map(|w| w.message).collect();
        (doc["components"]["schemas"]["S"].clone(), messages)
    }

    #[test]
    fn examples_warn_only_when_one_is_dropped() {
        let (schema, warnings) = lowered(json!({"type": "string", "examples": ["a"]}));
        assert_eq!(schema, json!({"type": "string", "example": "a"}));
        assert!(warnings.is_empty(), "{warnings:?}");
        let (schema, warnings) = lowered(json!({"type": "string", "examples": ["a", "b"]}));
        assert_eq!(schema, json!({"type": "string", "example": "a"}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
