//! Repairs on the raw tree before typing: deviations from the specification that still leave
//! the meaning clear (a response without `description`, an operation without `responses`, a
//! boolean schema, `type: [string, "null"]` in 3.0, a bound written as text, `$ref` with
//! constraining siblings, ...) are rewritten to what they mean, each with a warning carrying
//! its JSON pointer. `openapiv3` decodes strictly, so without these one sloppy node would
//! reject a whole document. What cannot be read with a clear meaning is left for decoding
//! to refuse, with its pointer.
//!
//! The walk follows the document's structure (paths, operations, parameters, responses,
//! components), so a repair applies only where its object can stand: example values and
//! extensions are data and are never touched.

mod schema;

use crate::diagnostics::Diagnostics;
use crate::pointer;
use serde_json::{Map, Value, json};

/// Deepest schema nesting repaired; deeper nodes are left as they are.
const MAX_DEPTH: usize = 256;

/// HTTP methods a path item may hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where a parameter may be sent, as OpenAPI 3 spells it.
const PARAMETER_LOCATIONS: [&str; 4] = ["query", "header", "path", "cookie"];

/// Security scheme types `openapiv3` reads.
const SCHEME_TYPES: [&str; 4] = ["apiKey", "http", "oauth2", "openIdConnect"];

/// One repair pass over a document.
struct Repair<'d> {
    diags: &'d mut Diagnostics,
    /// Whether the document was written as 3.1, where boolean schemas are valid.
    v31: bool,
}

/// Repairs `doc` in place. `v31` says the document was written as OpenAPI 3.1 (and has been
/// lowered to 3.0 shapes already): forms valid there are rewritten without a warning.
pub(crate) fn repair(doc: &mut Value, v31: bool, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let mut r = Repair { diags, v31 };
    r.root(root);
}

impl Repair<'_> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.warn(pointer, message);
    }

    fn root(&mut self, root: &mut Map<String, Value>) {
        self.info(root);
        // Missing parts are an omission with a clear meaning; parts of the wrong type are not,
        // and are left for decoding to refuse with their pointer.
        if !root.contains_key("paths") {
            if !self.v31 {
                self.warn("#/paths", "`paths` is missing; read as no paths");
            }
            root.insert("paths".into(), json!({}));
        }
        self.object_list(root, "servers", "#", "url");
        self.object_list(root, "tags", "#", "name");
        self.external_docs(root, "#");
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let at = format!("#/paths/{}", pointer::escape(path));
                self.path_item(item, &at, 0);
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            self.components(components);
        }
    }

    /// `info` with its two required strings.
    fn info(&mut self, root: &mut Map<String, Value>) {
        if !root.contains_key("info") {
            self.warn("#/info", "`info` is missing; an untitled API is assumed");
            root.insert("info".into(), json!({}));
        }
        let Some(Value::Object(info)) = root.get_mut("info") else {
            return;
        };
        for (key, fallback) in [("title", "Untitled API"), ("version", "0")] {
            let at = format!("#/info/{key}");
            if !info.contains_key(key) {
                self.warn(&at, format!("`{key}` is missing; `{fallback}` is assumed"));
                info.insert(key.into(), json!(fallback));
            }
        }
        self.strings(
            info,
            "#/info",
            &["title", "version", "description", "summary"],
        );
        for (key, required) in [("license", "name"), ("contact", "")] {
            let at = format!("#/info/{key}");
            match info.get(key) {
                Some(Value::Object(o)) if required.is_empty() || o.contains_key(required) => {}
                Some(_) => {
                    self.warn(&at, format!("`{key}` is malformed; ignored"));
                    info.remove(key);
                }
                None => {}
            }
        }
    }

    /// Text fields written as numbers or booleans (`version: 1.0` in YAML) become text.
    fn strings(&mut self, map: &mut Map<String, Value>, at: &str, keys: &[&str]) {
        for key in keys {
            match map.get(*key) {
                Some(Value::Number(_) | Value::Bool(_)) => {
                    let text = map[*key].to_string();
                    map.insert((*key).into(), Value::String(text));
                }
                Some(Value::String(_)) | None => {}
                Some(Value::Null) => {
                    map.remove(*key);
                }
                Some(_) => {
                    self.warn(
                        &format!("{at}/{}", pointer::escape(key)),
                        format!("`{key}` is not text; ignored"),
                    );
                    map.remove(*key);
                }
            }
        }
    }

    /// A list of objects that each need `required` (servers need a `url`, tags a `name`):
    /// entries without it say nothing and are dropped.
    fn object_list(&mut self, map: &mut Map<String, Value>, key: &str, at: &str, required: &str) {
        let at = format!("{at}/{key}");
        let Some(value) = map.get_mut(key) else {
            return;
        };
        let Value::Array(items) = value else {
            self.warn(&at, format!("`{key}` is not a list; ignored"));
            map.remove(key);
            return;
        };
        let mut index = 0;
        items.retain(|item| {
            let keep = item.get(required).is_some_and(Value::is_string);
            if !keep {
                self.diags.warn(
                    format!("{at}/{index}"),
                    format!("an entry of `{key}` without a text `{required}`; ignored"),
                );
            }
            index += 1;
            keep
        });
    }

    fn external_docs(&mut self, map: &mut Map<String, Value>, at: &str) {
        if map
            .get("externalDocs")
            .is_some_and(|d| !d.get("url").is_some_and(Value::is_string))
        {
            self.warn(
                &format!("{at}/externalDocs"),
                "`externalDocs` without a text `url`; ignored",
            );
            map.remove("externalDocs");
        }
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        let at = "#/components";
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                let p = format!("{at}/schemas/{}", pointer::escape(name));
                self.schema(schema, &p, 0);
            }
        }
        if let Some(Value::Object(params)) = components.get_mut("parameters") {
            let mut dropped = Vec::new();
            for (name, param) in params.iter_mut() {
                let p = format!("{at}/parameters/{}", pointer::escape(name));
                if !self.parameter(param, &p) {
                    dropped.push(name.clone());
                }
            }
            for name in dropped {
                params.shift_remove(&name);
            }
        }
        if let Some(Value::Object(responses)) = components.get_mut("responses") {
            for (name, response) in responses.iter_mut() {
                let p = format!("{at}/responses/{}", pointer::escape(name));
                self.response(response, &p);
            }
        }
        if let Some(Value::Object(bodies)) = components.get_mut("requestBodies") {
            for (name, body) in bodies.iter_mut() {
                let p = format!("{at}/requestBodies/{}", pointer::escape(name));
                self.request_body(body, &p);
            }
        }
        if let Some(Value::Object(headers)) = components.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let p = format!("{at}/headers/{}", pointer::escape(name));
                self.header(header, &p);
            }
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            schemes.retain(|name, scheme| {
                let kind = scheme.get("type").and_then(Value::as_str);
                let known =
                    scheme.get("$ref").is_some() || kind.is_some_and(|k| SCHEME_TYPES.contains(&k));
                if !known {
                    self.diags.warn(
                        format!("{at}/securitySchemes/{}", pointer::escape(name)),
                        "a security scheme of no OpenAPI 3 type; ignored",
                    );
                }
                known
            });
        }
        if let Some(Value::Object(callbacks)) = components.get_mut("callbacks") {
            for (name, callback) in callbacks.iter_mut() {
                let p = format!("{at}/callbacks/{}", pointer::escape(name));
                self.callback(callback, &p, 0);
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str, depth: usize) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        self.parameters(item, at);
        self.object_list(item, "servers", at, "url");
        self.strings(item, at, &["summary", "description"]);
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(method) {
                self.operation(op, &format!("{at}/{method}"), depth);
            }
        }
    }

    fn operation(&mut self, op: &mut Map<String, Value>, at: &str, depth: usize) {
        self.parameters(op, at);
        self.strings(op, at, &["operationId", "summary", "description"]);
        self.external_docs(op, at);
        if let Some(Value::Array(tags)) = op.get_mut("tags") {
            tags.retain(|t| !t.is_null());
            for tag in tags.iter_mut().filter(|t| !t.is_string()) {
                *tag = Value::String(tag.to_string());
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.request_body(body, &format!("{at}/requestBody"));
        }
        let responses_at = format!("{at}/responses");
        match op.get_mut("responses") {
            Some(Value::Object(responses)) if !responses.is_empty() => {
                for (status, response) in responses.iter_mut() {
                    let p = format!("{responses_at}/{}", pointer::escape(status));
                    self.response(response, &p);
                }
            }
            Some(Value::Object(_)) | None => {
                self.warn(
                    &responses_at,
                    "an operation without `responses`; an untyped JSON success response is assumed",
                );
                op.insert(
                    "responses".into(),
                    json!({"default": {
                        "description": "Untyped response (the document lists none).",
                        "content": {"application/json": {"schema": {}}}
                    }}),
                );
            }
            Some(_) => {}
        }
        if depth < 4
            && let Some(Value::Object(callbacks)) = op.get_mut("callbacks")
        {
            for (name, callback) in callbacks.iter_mut() {
                let p = format!("{at}/callbacks/{}", pointer::escape(name));
                self.callback(callback, &p, depth + 1);
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &str, depth: usize) {
        if let Some(items) = callback.as_object_mut() {
            for (expression, item) in items.iter_mut() {
                let p = format!("{at}/{}", pointer::escape(expression));
                self.path_item(item, &p, depth);
            }
        }
    }

    /// The `parameters` list of a path item or operation; parameters whose meaning is unclear
    /// are dropped, with a warning each.
    fn parameters(&mut self, map: &mut Map<String, Value>, at: &str) {
        let at = format!("{at}/parameters");
        let Some(Value::Array(params)) = map.get_mut("parameters") else {
            if map.contains_key("parameters") {
                self.warn(&at, "`parameters` is not a list; ignored");
                map.remove("parameters");
            }
            return;
        };
        let mut index = 0;
        params.retain_mut(|param| {
            let keep = self.parameter(param, &format!("{at}/{index}"));
            index += 1;
            keep
        });
    }

    /// Repairs one parameter; `false` when it cannot be read and should be dropped.
    fn parameter(&mut self, param: &mut Value, at: &str) -> bool {
        let Some(p) = param.as_object_mut() else {
            self.warn(at, "a parameter that is not an object; ignored");
            return false;
        };
        if p.contains_key("$ref") {
            return true;
        }
        let location = p
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let location = location.as_str();
        if !PARAMETER_LOCATIONS.contains(&location) {
            let message = match location {
                "body" | "formData" => format!(
                    "a Swagger 2 `in: {location}` parameter; OpenAPI 3 sends it as a request body, so it is ignored"
                ),
                "" => "a parameter without `in`; ignored".to_owned(),
                other => format!("a parameter `in: {other}`, which is no location; ignored"),
            };
            self.warn(at, message);
            return false;
        }
        self.strings(p, at, &["name", "description"]);
        if !p.get("name").is_some_and(Value::is_string) {
            self.warn(at, "a parameter without `name`; ignored");
            return false;
        }
        for key in [
            "required",
            "deprecated",
            "allowEmptyValue",
            "explode",
            "allowReserved",
        ] {
            self.boolean(p, at, key);
        }
        if location == "path" && p.get("required") != Some(&Value::Bool(true)) {
            // A path parameter is always sent: the path cannot be built without it.
            p.insert("required".into(), json!(true));
        }
        self.schema_or_content(p, at);
        true
    }

    /// A parameter or header needs `schema` or `content`. Swagger 2 habits (`type` beside
    /// the name) are moved into a schema; nothing at all means text.
    fn schema_or_content(&mut self, p: &mut Map<String, Value>, at: &str) {
        if let Some(schema) = p.get_mut("schema") {
            self.schema(schema, &format!("{at}/schema"), 0);
            return;
        }
        if let Some(Value::Object(content)) = p.get_mut("content") {
            self.content(content, &format!("{at}/content"));
            return;
        }
        let mut schema = Map::new();
        for key in [
            "type", "format", "items", "enum", "default", "minimum", "maximum", "pattern",
        ] {
            if let Some(v) = p.remove(key) {
                schema.insert(key.into(), v);
            }
        }
        if schema.is_empty() {
            self.warn(at, "no `schema` or `content`; read as text");
            schema.insert("type".into(), json!("string"));
        } else {
            self.warn(
                at,
                "Swagger 2 style `type` beside the name; moved into `schema`",
            );
        }
        let mut schema = Value::Object(schema);
        self.schema(&mut schema, &format!("{at}/schema"), 0);
        p.insert("schema".into(), schema);
    }

    fn header(&mut self, header: &mut Value, at: &str) {
        if let Some(h) = header.as_object_mut()
            && !h.contains_key("$ref")
        {
            self.strings(h, at, &["description"]);
            self.boolean(h, at, "required");
            self.schema_or_content(h, at);
        }
    }

    fn request_body(&mut self, body: &mut Value, at: &str) {
        let Some(b) = body.as_object_mut() else {
            return;
        };
        if b.contains_key("$ref") {
            return;
        }
        self.strings(b, at, &["description"]);
        self.boolean(b, at, "required");
        match b.get_mut("content") {
            Some(Value::Object(content)) => self.content(content, &format!("{at}/content")),
            _ => {
                self.warn(at, "a request body without `content`; read as any JSON");
                b.insert(
                    "content".into(),
                    json!({"application/json": {"schema": {}}}),
                );
            }
        }
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        let Some(r) = response.as_object_mut() else {
            return;
        };
        if r.contains_key("$ref") {
            return;
        }
        self.strings(r, at, &["description"]);
        if !r.contains_key("description") {
            self.warn(
                at,
                "a response without `description`; an empty one is assumed",
            );
            r.insert("description".into(), json!(""));
        }
        if let Some(Value::Object(headers)) = r.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let p = format!("{at}/headers/{}", pointer::escape(name));
                self.header(header, &p);
            }
        }
        if let Some(Value::Object(content)) = r.get_mut("content") {
            self.content(content, &format!("{at}/content"));
        } else if let Some(schema) = r.remove("schema") {
            // Swagger 2 put the schema on the response itself.
            self.warn(
                at,
                "Swagger 2 style `schema` on a response; read as JSON content",
            );
            let mut media = json!({"application/json": {"schema": schema}});
            if let Some(content) = media.as_object_mut() {
                self.content(content, &format!("{at}/content"));
            }
            r.insert("content".into(), media);
        }
    }

    fn content(&mut self, content: &mut Map<String, Value>, at: &str) {
        for (media, mt) in content.iter_mut() {
            let p = format!("{at}/{}", pointer::escape(media));
            if mt.is_null() {
                *mt = json!({});
            }
            if let Some(schema) = mt.get_mut("schema") {
                self.schema(schema, &format!("{p}/schema"), 0);
            }
        }
    }

    /// A boolean field written as text (`"true"`) becomes a boolean; anything else is dropped.
    fn boolean(&mut self, map: &mut Map<String, Value>, at: &str, key: &str) {
        let fixed = match map.get(key) {
            None | Some(Value::Bool(_)) => return,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
            Some(_) => None,
        };
        let at = format!("{at}/{}", pointer::escape(key));
        match fixed {
            Some(b) => {
                self.warn(&at, format!("`{key}` written as text; read as `{b}`"));
                map.insert(key.into(), Value::Bool(b));
            }
            None => {
                self.warn(&at, format!("`{key}` is not a boolean; ignored"));
                map.remove(key);
            }
        }
    }
}
