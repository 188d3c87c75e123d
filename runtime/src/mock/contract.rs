//! The OpenAPI document a validating mock checks requests against: the operations' objects
//! found by method and path template, `$ref`s followed inside the document, and a compiled
//! JSON Schema validator per schema, made on first use and kept (the key is the schema's
//! JSON pointer, so an operation's body or a shared parameter is compiled once per document).
//!
//! A compiled schema carries every schema it references, wherever in the document that is
//! (`#/components/schemas/..`, `#/components/requestBodies/..`, `#/paths/..`), each converted
//! to JSON Schema and moved under the root's `$defs`; a reference the document cannot
//! resolve makes that schema fail to compile with a message naming it.
//!
//! A document is parsed once per process: every mock of one generated crate shares it.

use super::json_schema::{self, Dialect};
use super::route::Operation;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A compiled validator, or why the document's schema did not compile.
pub(crate) type Compiled = Result<jsonschema::Validator, String>;

/// One document, ready to check requests.
pub(crate) struct Contract {
    document: Value,
    dialect: Dialect,
    /// Whether `encoding.style`/`explode` apply to multipart bodies: OpenAPI 3.1 and later,
    /// by the version the document declares (see [`Contract::parse`]).
    styles_multipart: bool,
    validators: Mutex<HashMap<String, Arc<Compiled>>>,
}

impl std::fmt::Debug for Contract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contract")
    }
}

/// Each generated crate's document is a `&'static str`; its address names it.
type Cache = Mutex<HashMap<(usize, usize), Arc<Contract>>>;

impl Contract {
    /// The parsed contract of `document`, parsed on the first call for it.
    pub(crate) fn shared(document: &'static str) -> Result<Arc<Self>, String> {
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = (document.as_ptr() as usize, document.len());
        let cache = CACHE.get_or_init(Cache::default);
        if let Some(found) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(found.clone());
        }
        let contract = Arc::new(Self::parse(document)?);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, contract.clone());
        Ok(contract)
    }

    /// Reads an OpenAPI 3.0 or 3.1 document given as JSON. Its schemas are read in the dialect
    /// of its `openapi` field; the rules that differ by version follow the version the
    /// document was written in: the top-level extension `x-source-openapi` where a generator
    /// lowered a 3.1 document to 3.0 (and rewrote `openapi`), else `openapi`.
    pub(crate) fn parse(document: &str) -> Result<Self, String> {
        let document: Value = serde_json::from_str(document)
            .map_err(|e| format!("the OpenAPI document is not JSON: {e}"))?;
        let version = document
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let dialect = match version {
            v if v.starts_with("3.0") => Dialect::V30,
            v if v.starts_with("3.") => Dialect::V31,
            v => return Err(format!("`openapi: {v}` is not an OpenAPI 3 document")),
        };
        let declared = document
            .get(SOURCE_VERSION)
            .and_then(Value::as_str)
            .unwrap_or(version);
        let styles_multipart = at_least_3_1(declared);
        Ok(Self {
            dialect,
            styles_multipart,
            validators: Mutex::default(),
            document,
        })
    }

    /// Whether `encoding.style`/`explode` apply to `multipart/form-data` bodies: the document
    /// was written as OpenAPI 3.1 or later (3.0 defines them for form bodies only, and says
    /// to ignore them for multipart).
    pub(crate) fn styles_multipart(&self) -> bool {
        self.styles_multipart
    }

    /// The operation object of `operation` (found by its path template and method) with its
    /// JSON pointer.
    pub(crate) fn operation(&self, operation: &Operation) -> Option<Located<'_>> {
        let pointer = format!("/paths/{}", escape(operation.path));
        let value = self.document.pointer(&pointer)?;
        let item = self.follow(Located { pointer, value });
        let method = operation.method.to_ascii_lowercase();
        let op = item.value.get(&method)?;
        Some(Located {
            pointer: format!("{}/{}", item.pointer, escape(&method)),
            value: op,
        })
    }

    /// The path item an operation's pointer is in (its shared parameters).
    pub(crate) fn parent<'a>(&'a self, located: &Located<'_>) -> Option<Located<'a>> {
        let cut = located.pointer.rfind('/')?;
        let pointer = located.pointer[..cut].to_owned();
        let value = self.document.pointer(&pointer)?;
        Some(Located { pointer, value })
    }

    /// `node` with its `$ref`s followed, and the pointer where the value is.
    pub(crate) fn follow<'a>(&'a self, mut node: Located<'a>) -> Located<'a> {
        // A chain of references ends within a few hops; a cycle stops where it is.
        for _ in 0..16 {
            let Some(target) = node.value.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            match (local_pointer(target), local(&self.document, target)) {
                (Some(pointer), Some(value)) => {
                    node = Located {
                        pointer: pointer.to_owned(),
                        value,
                    }
                }
                _ => return node,
            }
        }
        node
    }

    /// `schema` with `$ref`s followed (without pointers: for reading shapes).
    pub(crate) fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..16 {
            match schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| local(&self.document, r))
            {
                Some(next) => schema = next,
                None => return schema,
            }
        }
        schema
    }

    /// The validator of the schema at `pointer` in the document, compiled on first use.
    pub(crate) fn validator(&self, pointer: &str) -> Arc<Compiled> {
        let mut validators = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = validators.get(pointer) {
            return found.clone();
        }
        let compiled = Arc::new(self.compile(pointer));
        validators.insert(pointer.to_owned(), compiled.clone());
        compiled
    }

    fn compile(&self, pointer: &str) -> Compiled {
        let schema = self
            .document
            .pointer(pointer)
            .ok_or_else(|| format!("the document has no schema at `#{pointer}`"))?;
        let lookup = |r: &str| local(&self.document, r);
        let convert = |schema: &Value| json_schema::convert(schema, self.dialect, &lookup);
        // Every schema referenced, transitively, converted and kept under `$defs` by a name
        // of its own (`r0`, ...), the references rewritten to it: the document's own layout
        // (paths, request bodies, schemas inside schemas) never has to be rebuilt.
        let mut names: HashMap<String, String> = HashMap::new();
        let mut pending: Vec<(String, String)> = Vec::new();
        let mut unresolved: Option<String> = None;
        let mut rename = |schema: &mut Value, pending: &mut Vec<(String, String)>| {
            json_schema::references_mut(schema, &mut |reference| {
                let name = match names.get(reference.as_str()) {
                    Some(name) => name.clone(),
                    None => {
                        let name = format!("r{}", names.len());
                        names.insert(reference.clone(), name.clone());
                        pending.push((reference.clone(), name.clone()));
                        name
                    }
                };
                *reference = format!("#/$defs/{name}");
            });
        };
        let mut converted = convert(schema);
        rename(&mut converted, &mut pending);
        let mut defs = Map::new();
        while let Some((reference, name)) = pending.pop() {
            let Some(target) = local(&self.document, &reference) else {
                unresolved.get_or_insert(reference);
                continue;
            };
            let mut target = convert(target);
            rename(&mut target, &mut pending);
            defs.insert(name, target);
        }
        if let Some(reference) = unresolved {
            return Err(format!(
                "the schema at `#{pointer}` refers to `{reference}`, which {}",
                if local_pointer(&reference).is_some() {
                    "the document does not have"
                } else {
                    "is outside the document (only `#/...` references are followed)"
                }
            ));
        }
        let root = serde_json::json!({
            "$defs": defs,
            "allOf": [converted],
        });
        jsonschema::draft202012::options()
            // `format` asserts (`date-time`, `email`, `uuid`, ...); OpenAPI's `binary` and
            // `byte` and formats the validator does not know pass (integer ranges are
            // checked as bounds, see `json_schema`).
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .with_format("binary", |_| true)
            .with_format("byte", |_| true)
            .build(&root)
            .map_err(|e| format!("the schema at `#{pointer}` does not compile: {e}"))
    }
}

/// The top-level extension a generator writes the document's declared `openapi` version in,
/// when it embeds the document lowered to 3.0.
const SOURCE_VERSION: &str = "x-source-openapi";

/// Whether `version` (`3.1.0`) is OpenAPI 3.1 or later.
fn at_least_3_1(version: &str) -> bool {
    let mut numbers = version.split('.').map(|n| n.trim().parse::<u32>().ok());
    match (numbers.next().flatten(), numbers.next().flatten()) {
        (Some(3), Some(minor)) => minor >= 1,
        (Some(major), _) => major > 3,
        _ => false,
    }
}

/// A value of the document with its JSON pointer.
#[derive(Debug, Clone)]
pub(crate) struct Located<'a> {
    pub(crate) pointer: String,
    pub(crate) value: &'a Value,
}

impl<'a> Located<'a> {
    /// The member `key`, with its pointer.
    pub(crate) fn child(&self, key: &str) -> Option<Located<'a>> {
        let value = self.value.get(key)?;
        Some(Located {
            pointer: format!("{}/{}", self.pointer, escape(key)),
            value,
        })
    }

    /// Item `index` of an array.
    pub(crate) fn item(&self, index: usize) -> Option<Located<'a>> {
        let value = self.value.get(index)?;
        Some(Located {
            pointer: format!("{}/{index}", self.pointer),
            value,
        })
    }
}

/// `#/a/b` -> `/a/b`; `None` for a reference outside the document.
fn local_pointer(reference: &str) -> Option<&str> {
    reference.strip_prefix('#')
}

/// The value a local reference names; its pointer may be percent-encoded, as a URI
/// fragment is (`#/paths/~1items~1%7Bid%7D`).
fn local<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = local_pointer(reference)?;
    document.pointer(pointer).or_else(|| {
        let decoded = percent_encoding::percent_decode_str(pointer)
            .decode_utf8()
            .ok()?;
        document.pointer(&decoded)
    })
}

/// A JSON pointer segment: `~` and `/` escaped.
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_into_components_resolve_in_compiled_schemas() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "required": ["n"],
                      "properties": {"n": {"$ref": "#/components/schemas/N"}}},
                "N": {"type": "integer", "nullable": true, "maximum": 3}
            }}
        });
        let contract = Contract::parse(&document.to_string()).unwrap();
        let op = Operation::new("a", "POST", "/a");
        let located = contract.operation(&op).unwrap();
        assert_eq!(located.pointer, "/paths/~1a/post");
        let pointer = "/paths/~1a/post/requestBody/content/application~1json/schema";
        let compiled = contract.validator(pointer);
        let validator = compiled.as_ref().as_ref().unwrap();
        assert!(validator.is_valid(&json!({"n": 2})));
        assert!(validator.is_valid(&json!({"n": null})));
        assert!(!validator.is_valid(&json!({"n": 4})));
        assert!(!validator.is_valid(&json!({})));
        assert!(Arc::ptr_eq(&compiled, &contract.validator(pointer)));
    }

    #[test]
    fn formats_are_checked_but_files_and_unknown_formats_pass() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "at": {"type": "string", "format": "date-time"},
                "mail": {"type": "string", "format": "email"},
                "id": {"type": "string", "format": "uuid"},
                "raw": {"type": "string", "format": "byte"},
                "file": {"type": "string", "format": "binary"},
                "secret": {"type": "string", "format": "password"},
                "odd": {"type": "string", "format": "no-such-format"},
                "n": {"type": "integer", "format": "int32"}
            }}}}
        });
        let contract = Contract::parse(&document.to_string()).unwrap();
        let compiled = contract.validator("/components/schemas/A");
        let validator = compiled.as_ref().as_ref().unwrap();
        let ok = json!({"at": "2024-05-01T10:00:00Z", "mail": "a@example.com",
                        "id": "123e4567-e89b-12d3-a456-426614174000", "raw": "not base64!",
                        "file": "(3 bytes)", "secret": "x", "odd": "anything", "n": 7});
        assert!(
            validator.is_valid(&ok),
            "{:?}",
            validator
                .iter_errors(&ok)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        );
        for (key, bad) in [
            ("at", json!("yesterday")),
            ("mail", json!("nobody")),
            ("id", json!("123")),
            ("n", json!(4_294_967_296_i64)),
        ] {
            let mut instance = ok.clone();
            instance[key] = bad;
            assert!(!validator.is_valid(&instance), "{key}");
        }
    }

    #[test]
    fn the_declared_version_decides_the_multipart_style_rule() {
        let parse = |document: Value| Contract::parse(&document.to_string()).unwrap();
        let plain = |v: &str| json!({"openapi": v, "paths": {}});
        assert!(!parse(plain("3.0.3")).styles_multipart());
        assert!(parse(plain("3.1.0")).styles_multipart());
        assert!(parse(plain("3.2.0")).styles_multipart());
        // A 3.1 document lowered to 3.0 keeps what it was written as.
        let lowered = json!({"openapi": "3.0.3", "x-source-openapi": "3.1.1", "paths": {}});
        let contract = parse(lowered);
        assert!(contract.styles_multipart());
        assert_eq!(contract.dialect, Dialect::V30);
        let declared_30 = json!({"openapi": "3.0.3", "x-source-openapi": "3.0.1", "paths": {}});
        assert!(!parse(declared_30).styles_multipart());
    }

    #[test]
    fn references_anywhere_in_the_document_are_converted_and_resolved() {
        let body = "/paths/~1a/post/requestBody/content/application~1json/schema";
        let document = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "n": {"type": "integer", "nullable": true, "maximum": 3},
                    // Into the operation itself, and into a request body's schema.
                    "m": {"$ref": "#/paths/~1a/post/requestBody/content/application~1json/schema/properties/n"},
                    "b": {"$ref": "#/components/requestBodies/B/content/application~1json/schema"},
                    "self": {"$ref": "#/paths/~1a/post/requestBody/content/application~1json/schema"}
                }}}}}}}},
            "components": {"requestBodies": {"B": {"content": {"application/json": {
                "schema": {"type": "string", "nullable": true, "format": "date"}
            }}}}}
        });
        let contract = Contract::parse(&document.to_string()).unwrap();
        let compiled = contract.validator(body);
        let validator = compiled.as_ref().as_ref().expect("compiles");
        // Converted: `nullable` admits null, the format is checked; the cycle resolves.
        let ok = json!({"n": null, "m": null, "b": null, "self": {"m": 2, "b": "2024-01-31"}});
        assert!(validator.is_valid(&ok));
        assert!(!validator.is_valid(&json!({"m": 4})));
        assert!(!validator.is_valid(&json!({"b": "soon"})));
        assert!(!validator.is_valid(&json!({"self": {"n": "x"}})));
    }

    #[test]
    fn an_unresolvable_reference_is_named() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "x": {"$ref": "#/components/schemas/Missing"}}},
                "B": {"$ref": "other.yaml#/B"}
            }}
        });
        let contract = Contract::parse(&document.to_string()).unwrap();
        let error = contract
            .validator("/components/schemas/A")
            .as_ref()
            .clone()
            .unwrap_err();
        assert_eq!(
            error,
            "the schema at `#/components/schemas/A` refers to `#/components/schemas/Missing`, \
             which the document does not have"
        );
        let error = contract
            .validator("/components/schemas/B")
            .as_ref()
            .clone()
            .unwrap_err();
        assert!(
            error.contains("`other.yaml#/B`, which is outside the document"),
            "{error}"
        );
    }

    #[test]
    fn a_document_that_is_not_openapi_3_is_refused() {
        assert!(Contract::parse("{").is_err());
        assert!(Contract::parse(r#"{"swagger": "2.0"}"#).is_err());
    }
}
