//! Operations -> `mcp.rs`, the table of the `mcp` feature: one Model Context Protocol tool
//! description per operation, which the runtime's `mcp` module executes through the engine.
//! A table rather than code per tool: each row is data (name, description, method, path,
//! parameters, body encoding, annotations and the input JSON Schema as text), so a document of
//! hundreds of operations adds one static slice, not hundreds of functions.
//!
//! Names, methods, paths, parameters and pagination come from the IR. The input schemas are
//! the one exception (as the mock's document is): they are built from the loaded document's
//! own schemas (`doc.raw`), which carry what the IR drops for Rust (descriptions, enums,
//! bounds, lengths, patterns), converted from OpenAPI 3.0 to JSON Schema 2020-12 with every
//! component `$ref` put in the schema's own `$defs`, so each schema stands alone.

use super::docs;
use super::expressions::style_name;
use crate::ir::{BodyKind, HttpMethod, Model, MultipartKind, Operation, ParamLocation, Ty};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Where the table is written.
pub(crate) const MCP_PATH: &str = "src/generated/mcp.rs";

/// The argument that carries the request body.
const BODY_ARG: &str = "body";
/// The argument that carries an idempotency key on POST and PATCH tools.
const KEY_ARG: &str = "idempotency_key";
/// Deepest `$ref` chain followed inline before giving up with an open schema.
const MAX_DEPTH: usize = 48;
/// Longest description kept (characters); agents read every tool's description.
const MAX_DESCRIPTION: usize = 1500;

/// The tool name of an operation: its pinned group and method names, `<group>_<method>`.
pub(crate) fn tool_name(model: &Model, op: &Operation) -> String {
    let group = model.groups.get(op.group).map_or("", |g| g.module.as_str());
    format!("{}_{}", bare(group), bare(&op.method))
}

fn bare(ident: &str) -> &str {
    ident.trim_start_matches("r#")
}

/// The file, declared as `#[cfg(feature = "mcp")] pub mod mcp;`.
pub(crate) fn emit_mcp(model: &Model, document: &Value) -> TokenStream {
    let head = docs::inner_attrs(&[format!(
        "The {} operations as Model Context Protocol tools (the `mcp` feature): [`TOOLS`] \
         describes each one (name, description, annotations, input JSON Schema) and \
         [`call`] executes one through the client's engine, so retries, idempotency keys, \
         rate limits and deadlines apply as to any other call.",
        model.title
    )]);
    let rows = model
        .operations
        .iter()
        .map(|op| tool_row(model, op, document));
    quote! {
        #head
        // One glob for every document: a table whose document has no file field (say) uses
        // fewer of these names, and a list naming them all would warn of the unused ones.
        use crate::engine::mcp::*;

        /// Every operation as a tool, in document order.
        pub static TOOLS: &[Tool] = &[#(#rows)*];

        /// Executes the tool `name` with its JSON `arguments` through `client`'s engine; see
        /// [`crate::engine::mcp::call_tool`].
        pub async fn call(
            client: &crate::Client,
            name: &str,
            arguments: crate::engine::serde_json::Value,
            limits: &crate::engine::mcp::ToolLimits,
        ) -> ::std::result::Result<crate::engine::mcp::ToolOutput, crate::engine::mcp::ToolError> {
            let tool = crate::engine::mcp::find_tool(TOOLS, name)?;
            crate::engine::mcp::call_tool(crate::engine::ApiClient::engine(client), tool, arguments, limits).await
        }
    }
}

/// The argument names of an operation's parameters: the wire name, or `<location>_<wire>`
/// where two locations share a wire name or the name is one the table reserves.
fn argument_names(op: &Operation) -> Vec<String> {
    let mut taken: Vec<String> = vec![BODY_ARG.to_owned(), KEY_ARG.to_owned()];
    let mut names = Vec::new();
    for p in &op.params {
        let clash = taken.contains(&p.wire)
            || op
                .params
                .iter()
                .any(|o| o.wire == p.wire && o.location != p.location);
        let mut name = if clash {
            format!("{}_{}", location_word(p.location), p.wire)
        } else {
            p.wire.clone()
        };
        while taken.contains(&name) {
            name.push('_');
        }
        taken.push(name.clone());
        names.push(name);
    }
    names
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn tool_row(model: &Model, op: &Operation, document: &Value) -> TokenStream {
    let name = tool_name(model, op);
    let group = bare(model.groups.get(op.group).map_or("", |g| g.module.as_str())).to_owned();
    let method = op.http_method.as_str();
    let path = &op.path;
    let args = argument_names(op);
    let params = op.params.iter().zip(&args).map(|(p, arg)| {
        let wire = &p.wire;
        let location = match p.location {
            ParamLocation::Path => quote!(ParamIn::Path),
            ParamLocation::Query => quote!(ParamIn::Query),
            ParamLocation::Header => quote!(ParamIn::Header),
            ParamLocation::Cookie => quote!(ParamIn::Cookie),
        };
        let required = p.required;
        let style = style_name(p.style);
        let explode = p.explode;
        quote!(ToolParam { arg: #arg, wire: #wire, location: #location, required: #required, style: ParamStyle::#style, explode: #explode },)
    });
    let body = match &op.body {
        None => quote!(None),
        Some(body) => {
            let media = &body.default.content_type;
            let required = body.required;
            let (encoding, files, fields) = match &body.default.kind {
                BodyKind::Json(_) => (quote!(BodyEncoding::Json), Vec::new(), Vec::new()),
                BodyKind::Form(_) => (quote!(BodyEncoding::Form), Vec::new(), Vec::new()),
                BodyKind::Multipart(name) => (
                    quote!(BodyEncoding::Multipart),
                    file_fields(model, name),
                    field_encodings(model, name),
                ),
                BodyKind::Bytes => (quote!(BodyEncoding::Bytes), Vec::new(), Vec::new()),
                BodyKind::Text => (quote!(BodyEncoding::Text), Vec::new(), Vec::new()),
            };
            let files = files
                .iter()
                .map(|(wire, many)| quote!(FileField { field: #wire, many: #many },));
            quote!(Some(ToolBody { media_type: #media, encoding: #encoding, required: #required, files: &[#(#files)*], fields: &[#(#fields)*] }))
        }
    };
    let read_only = matches!(op.http_method, HttpMethod::Get | HttpMethod::Head);
    let destructive = op.http_method == HttpMethod::Delete;
    let idempotent_hint = matches!(
        op.http_method,
        HttpMethod::Get
            | HttpMethod::Head
            | HttpMethod::Put
            | HttpMethod::Delete
            | HttpMethod::Options
    ) || op.idempotent;
    let key = op.idempotent;
    let page = page_of(op, &args);
    let page = match &page {
        Some((cursor, next)) => quote!(Some(ToolPage { cursor: #cursor, next_cursor: #next })),
        None => quote!(None),
    };
    let description = description(op, &args, page_of(op, &args).as_ref());
    let schema = raw_string(&input_schema(op, &args, document).to_string());
    quote! {
        Tool {
            name: #name,
            group: #group,
            description: #description,
            method: #method,
            path: #path,
            params: &[#(#params)*],
            body: #body,
            input_schema: #schema,
            read_only: #read_only,
            destructive: #destructive,
            idempotent: #idempotent_hint,
            idempotency_key: #key,
            page: #page,
        },
    }
}

/// A raw string literal of `text` (`r#"..."#`, with as many `#` as it needs), so a JSON
/// schema reads in the generated file as it is.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{text}\"{h}").parse().unwrap_or_else(|_| {
        let lit = proc_macro2::Literal::string(text);
        quote!(#lit)
    })
}

/// The fields of the multipart body type `type_name` (none when it is no such type).
fn multipart_fields<'a>(model: &'a Model, type_name: &str) -> &'a [crate::ir::Field] {
    match model
        .types
        .iter()
        .find(|t| t.name == type_name)
        .map(|t| &t.kind)
    {
        Some(crate::ir::TypeKind::Multipart(s)) => &s.fields,
        _ => &[],
    }
}

/// The file fields of a multipart body type, by wire name, and whether each takes several.
fn file_fields(model: &Model, type_name: &str) -> Vec<(String, bool)> {
    multipart_fields(model, type_name)
        .iter()
        .filter_map(|f| match &f.ty {
            Ty::Binary => Some((f.wire.clone(), false)),
            Ty::Vec(inner) if **inner == Ty::Binary => Some((f.wire.clone(), true)),
            _ => None,
        })
        .collect()
}

/// The multipart fields of `type_name` that are not sent the default way for their value, as
/// the generated client sends them (the IR's [`MultipartKind`]): declared JSON (an array of
/// objects is one part), a declared content type, or a 3.1 `style`.
fn field_encodings(model: &Model, type_name: &str) -> Vec<TokenStream> {
    multipart_fields(model, type_name)
        .iter()
        .filter_map(|f| {
            let wire = &f.wire;
            let sent_as = match f.multipart.as_ref()? {
                MultipartKind::Json => quote!(FieldAs::Json),
                MultipartKind::Typed(content_type) => quote!(FieldAs::Typed(#content_type)),
                MultipartKind::Styled { style, explode } => {
                    let style = style_name(*style);
                    quote!(FieldAs::Styled { style: ParamStyle::#style, explode: #explode })
                }
                MultipartKind::File | MultipartKind::Files | MultipartKind::Text => return None,
            };
            Some(quote!(FieldEncoding { field: #wire, sent_as: #sent_as },))
        })
        .collect()
}

/// The cursor argument and the wire path of the next cursor in the answer, for a list.
fn page_of(op: &Operation, args: &[String]) -> Option<(String, String)> {
    let p = op.pagination.as_ref()?;
    let i = op.params.iter().position(|q| q.ident == p.cursor_param)?;
    Some((args[i].clone(), p.next_cursor_wire.clone()))
}

fn description(op: &Operation, args: &[String], page: Option<&(String, String)>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if op.deprecated {
        parts.push("Deprecated.".into());
    }
    let summary = op
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let detail = op
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (summary, detail) {
        (Some(s), Some(d)) if d != s => parts.push(format!("{s}\n\n{d}")),
        (Some(s), _) => parts.push(s.to_owned()),
        (None, Some(d)) => parts.push(d.to_owned()),
        (None, None) => parts.push(format!("{} {}", op.http_method, op.path)),
    }
    let mut text = parts.join(" ");
    if text.chars().count() > MAX_DESCRIPTION {
        text = text.chars().take(MAX_DESCRIPTION).collect::<String>() + "...";
    }
    let mut notes = Vec::new();
    match op.http_method {
        HttpMethod::Get | HttpMethod::Head | HttpMethod::Options => {}
        HttpMethod::Delete => notes.push(format!(
            "Changes state: this call deletes ({} {}); it cannot be undone here.",
            op.http_method, op.path
        )),
        _ => notes.push(format!(
            "Changes state: this call ({} {}) acts on the user's behalf and may post publicly \
             or send messages to people; confirm with the user before calling it.",
            op.http_method, op.path
        )),
    }
    if let Some((cursor, next)) = page {
        notes.push(format!(
            "Returns one page: pass the answer's `{next}` as `{cursor}` to get the next one."
        ));
    }
    if matches!(op.http_method, HttpMethod::Post | HttpMethod::Patch) || op.idempotent {
        notes.push(format!(
            "`{KEY_ARG}` (optional) makes a repeated call safe: the same key is never acted on twice."
        ));
    }
    if op
        .body
        .as_ref()
        .is_some_and(|b| matches!(b.default.kind, BodyKind::Multipart(_) | BodyKind::Bytes))
    {
        notes.push(
            "Files are given as {\"path\": \"/local/file\"} or {\"base64\": \"...\"}, with optional \
             \"file_name\" and \"content_type\"."
                .into(),
        );
    }
    let _ = args;
    if notes.is_empty() {
        text
    } else {
        format!("{text}\n\n{}", notes.join(" "))
    }
}

/// The operation's parameter declarations in the document, operation level first, by
/// (name, location); references followed.
fn declared_params<'a>(op: &Operation, document: &'a Value) -> Vec<&'a Value> {
    let mut out = Vec::new();
    let op_pointer = op.pointer.trim_start_matches('#');
    let op_node = document.pointer(op_pointer);
    let item_pointer = op_pointer.rsplit_once('/').map_or("", |(p, _)| p);
    let item_node = document.pointer(item_pointer);
    for node in [op_node, item_node].into_iter().flatten() {
        if let Some(list) = node.get("parameters").and_then(Value::as_array) {
            for p in list {
                if let Some(p) = follow(p, document) {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// A node with its `$ref` chain followed (a local reference only).
fn follow<'a>(mut node: &'a Value, document: &'a Value) -> Option<&'a Value> {
    for _ in 0..MAX_DEPTH {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => node = document.pointer(r.strip_prefix('#')?)?,
            None => return Some(node),
        }
    }
    None
}

fn input_schema(op: &Operation, args: &[String], document: &Value) -> Value {
    let mut conv = Converter {
        document,
        defs: BTreeMap::new(),
        def_names: BTreeMap::new(),
        files: false,
    };
    let declared = declared_params(op, document);
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (p, arg) in op.params.iter().zip(args) {
        let loc = location_word(p.location);
        let decl = declared.iter().find(|d| {
            d.get("name").and_then(Value::as_str) == Some(p.wire.as_str())
                && d.get("in").and_then(Value::as_str) == Some(loc)
        });
        let mut schema = match decl.and_then(|d| d.get("schema")) {
            Some(s) => conv.convert(follow(s, document).unwrap_or(s), 0),
            None => json!({}),
        };
        let described = decl
            .and_then(|d| d.get("description"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if let (Some(text), Value::Object(map)) = (described, &mut schema) {
            if map.contains_key("$ref") {
                schema = json!({"allOf": [schema], "description": text});
            } else {
                map.insert("description".into(), text.into());
            }
        }
        if let (Some(example), Value::Object(map)) =
            (decl.and_then(|d| d.get("example")), &mut schema)
        {
            map.entry("examples").or_insert_with(|| json!([example]));
        }
        properties.insert(arg.clone(), schema);
        if p.required {
            required.push(Value::from(arg.as_str()));
        }
    }
    if let Some(body) = &op.body {
        let media = &body.default.content_type;
        let op_node = document.pointer(op.pointer.trim_start_matches('#'));
        let schema = op_node
            .and_then(|o| o.get("requestBody"))
            .and_then(|b| follow(b, document))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get(media.as_str()))
            .and_then(|m| m.get("schema"));
        conv.files = matches!(body.default.kind, BodyKind::Multipart(_) | BodyKind::Bytes);
        let mut schema = match (schema, &body.default.kind) {
            (_, BodyKind::Bytes) => file_schema(),
            (Some(s), _) => conv.convert(follow(s, document).unwrap_or(s), 0),
            (None, BodyKind::Text) => json!({"type": "string"}),
            (None, _) => json!({}),
        };
        conv.files = false;
        let text = format!("The request body ({media}).");
        if let Value::Object(map) = &mut schema {
            if map.contains_key("$ref") {
                schema = json!({"allOf": [schema], "description": text});
            } else {
                map.entry("description").or_insert_with(|| text.into());
            }
        }
        properties.insert(BODY_ARG.into(), schema);
        if body.required {
            required.push(BODY_ARG.into());
        }
    }
    // Where the runtime takes one: every POST and PATCH, and any operation that declares the
    // idempotency header.
    if matches!(op.http_method, HttpMethod::Post | HttpMethod::Patch) || op.idempotent {
        properties.insert(
            KEY_ARG.into(),
            json!({
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "description": "A key for this logical call, sent as the Idempotency-Key header on every attempt: repeating a call with the same key does not act twice. One is generated when omitted (for operations that take one)."
            }),
        );
    }
    let mut root = Map::new();
    root.insert("type".into(), "object".into());
    root.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        root.insert("required".into(), Value::Array(required));
    }
    root.insert("additionalProperties".into(), false.into());
    if !conv.defs.is_empty() {
        let defs: Map<String, Value> = conv.defs.into_iter().collect();
        root.insert("$defs".into(), Value::Object(defs));
    }
    Value::Object(root)
}

/// How a file is given: a local path or base64 text, with an optional name and type.
fn file_schema() -> Value {
    json!({
        "type": "object",
        "description": "A file: {\"path\": a local file} or {\"base64\": its bytes}, with optional \"file_name\" and \"content_type\".",
        "properties": {
            "path": {"type": "string", "minLength": 1, "description": "A file on the server's machine, read when the tool is called."},
            "base64": {"type": "string", "description": "The file's bytes, base64-encoded (standard alphabet)."},
            "file_name": {"type": "string", "minLength": 1, "description": "The name sent with the file (default: the path's file name, or `file`)."},
            "content_type": {"type": "string", "minLength": 1, "description": "The file's media type (default: from the file name's extension, or application/octet-stream)."}
        },
        "additionalProperties": false,
        "minProperties": 1
    })
}

/// OpenAPI 3.0 schema -> JSON Schema 2020-12, component schemas collected in `$defs`.
struct Converter<'a> {
    document: &'a Value,
    /// `$defs` by name; a name is entered before its schema is converted, so recursion ends.
    defs: BTreeMap<String, Value>,
    /// The `$defs` name of each referenced pointer.
    def_names: BTreeMap<String, String>,
    /// Whether `format: binary` strings are files (a multipart or raw body).
    files: bool,
}

impl Converter<'_> {
    /// The `$defs` name of the schema at `pointer` (`key` tells the file-upload reading of
    /// one schema from its plain one): the pointer's last segment, made unique.
    fn def_name(&mut self, key: &str, pointer: &str) -> String {
        if let Some(name) = self.def_names.get(key) {
            return name.clone();
        }
        let last = pointer.rsplit('/').next().unwrap_or("schema");
        let last = last.replace("~1", "/").replace("~0", "~");
        let mut name: String = last
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if name.is_empty() {
            name.push_str("schema");
        }
        if self.files {
            name.push_str("_upload");
        }
        let base = name.clone();
        let mut n = 2;
        while self.def_names.values().any(|v| v == &name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.def_names.insert(key.to_owned(), name.clone());
        name
    }

    fn convert(&mut self, schema: &Value, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return json!({});
        }
        let Value::Object(map) = schema else {
            return schema.clone();
        };
        if let Some(r) = map.get("$ref").and_then(Value::as_str) {
            let Some(pointer) = r.strip_prefix('#') else {
                return json!({});
            };
            let key = format!("{pointer}{}", if self.files { "#files" } else { "" });
            let known = self.def_names.contains_key(&key);
            let name = self.def_name(&key, pointer);
            if !known {
                self.defs.insert(name.clone(), json!({}));
                let converted = match self.document.pointer(pointer) {
                    Some(target) => {
                        let target = target.clone();
                        self.convert(&target, depth + 1)
                    }
                    None => json!({}),
                };
                self.defs.insert(name.clone(), converted);
            }
            return json!({"$ref": format!("#/$defs/{name}")});
        }
        let binary = map.get("format").and_then(Value::as_str) == Some("binary")
            && map.get("type").and_then(Value::as_str) == Some("string");
        if self.files && binary {
            let mut file = file_schema();
            if let (Some(d), Value::Object(f)) = (map.get("description"), &mut file) {
                f.insert("description".into(), d.clone());
            }
            return file;
        }
        let mut out = Map::new();
        let read_only: Vec<String> = map
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .filter(|(_, s)| {
                        follow(s, self.document)
                            .and_then(|s| s.get("readOnly"))
                            .and_then(Value::as_bool)
                            == Some(true)
                    })
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        for (key, value) in map {
            match key.as_str() {
                "nullable" | "discriminator" | "xml" | "externalDocs" | "readOnly" => {}
                k if k.starts_with("x-") => {}
                "example" => {
                    out.insert("examples".into(), json!([value]));
                }
                "exclusiveMinimum" | "exclusiveMaximum" => {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    match value {
                        Value::Bool(true) => {
                            if let Some(b) = map.get(bound) {
                                out.insert(key.clone(), b.clone());
                            }
                        }
                        Value::Bool(false) => {}
                        other => {
                            out.insert(key.clone(), other.clone());
                        }
                    }
                }
                "minimum" | "maximum" => {
                    let exclusive = if key == "minimum" {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    };
                    if map.get(exclusive) != Some(&Value::Bool(true)) {
                        out.insert(key.clone(), value.clone());
                    }
                }
                "properties" => {
                    let mut props = Map::new();
                    if let Value::Object(p) = value {
                        for (name, s) in p {
                            if read_only.contains(name) {
                                continue;
                            }
                            props.insert(name.clone(), self.convert(s, depth + 1));
                        }
                    }
                    out.insert(key.clone(), Value::Object(props));
                }
                "required" => {
                    if let Value::Array(names) = value {
                        let kept: Vec<Value> = names
                            .iter()
                            .filter(|n| {
                                n.as_str()
                                    .is_some_and(|n| !read_only.iter().any(|r| r == n))
                            })
                            .cloned()
                            .collect();
                        if !kept.is_empty() {
                            out.insert(key.clone(), Value::Array(kept));
                        }
                    }
                }
                "items" | "not" => {
                    out.insert(key.clone(), self.convert(value, depth + 1));
                }
                "additionalProperties" => {
                    let v = if value.is_object() {
                        self.convert(value, depth + 1)
                    } else {
                        value.clone()
                    };
                    out.insert(key.clone(), v);
                }
                "allOf" | "oneOf" | "anyOf" => {
                    let list = value
                        .as_array()
                        .map(|l| l.iter().map(|s| self.convert(s, depth + 1)).collect())
                        .unwrap_or_default();
                    out.insert(key.clone(), Value::Array(list));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if map.get("nullable").and_then(Value::as_bool) == Some(true) {
            return nullable(out);
        }
        Value::Object(out)
    }
}

/// A schema that also allows `null`: `type` gains `"null"` (and `enum` gains `null`), or,
/// without a `type`, the schema is one branch of an `anyOf` with `{"type": "null"}`.
fn nullable(mut schema: Map<String, Value>) -> Value {
    match schema.get("type").cloned() {
        Some(Value::String(t)) => {
            schema.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            Value::Object(schema)
        }
        _ => json!({"anyOf": [Value::Object(schema), {"type": "null"}]}),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, generate};

    const DOC: &str = r##"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, description: The thing., schema: {type: string}}
    get:
      tags: [things]
      operationId: getThing
      summary: Get a thing.
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, exclusiveMaximum: true}}
        - {name: body, in: query, schema: {type: string, nullable: true, enum: [a, b]}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
    delete:
      tags: [things]
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      responses:
        '204': {description: gone}
  /things:
    post:
      tags: [things]
      summary: Make a thing.
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  /uploads:
    post:
      tags: [things]
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                more: {type: array, items: {type: string, format: binary}}
                note: {type: string}
                people: {type: array, items: {type: object, properties: {n: {type: integer}}}}
                meta: {type: string}
            encoding:
              meta: {contentType: application/xml}
      responses:
        '204': {description: ok}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, maxLength: 10, example: Bob}
        child: {$ref: '#/components/schemas/Thing'}
"##;

    fn mcp_file() -> String {
        let options = Options {
            mcp: true,
            ..Options::default()
        };
        let out = generate(DOC.as_bytes(), &options).unwrap();
        let root = out
            .files
            .iter()
            .find(|f| f.path == "src/generated/mod.rs")
            .unwrap();
        assert!(
            root.contents
                .contains("#[cfg(feature = \"mcp\")]\npub mod mcp;"),
            "{}",
            root.contents
        );
        let f = out
            .files
            .iter()
            .find(|f| f.path == super::MCP_PATH)
            .unwrap();
        f.contents.clone()
    }

    /// The input schemas the file holds, by tool name, read back from its string literals.
    fn schemas(text: &str) -> Vec<(String, serde_json::Value)> {
        let file: syn::File = syn::parse_str(text).unwrap();
        let mut out = Vec::new();
        let mut name = String::new();
        fn walk(
            tokens: proc_macro2::TokenStream,
            name: &mut String,
            out: &mut Vec<(String, serde_json::Value)>,
        ) {
            let mut last_ident = String::new();
            for t in tokens {
                match t {
                    proc_macro2::TokenTree::Group(g) => walk(g.stream(), name, out),
                    proc_macro2::TokenTree::Ident(i) => last_ident = i.to_string(),
                    proc_macro2::TokenTree::Literal(l) => {
                        let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&l.to_string())
                        else {
                            continue;
                        };
                        match last_ident.as_str() {
                            "name" => *name = s.value(),
                            "input_schema" => {
                                out.push((name.clone(), serde_json::from_str(&s.value()).unwrap()))
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
        for item in file.items {
            if let syn::Item::Static(s) = item {
                walk(
                    quote::ToTokens::to_token_stream(&s.expr),
                    &mut name,
                    &mut out,
                );
            }
        }
        out
    }

    #[test]
    fn tools_carry_names_annotations_and_standalone_schemas() {
        let text = mcp_file();
        assert!(text.starts_with("// @generated"), "{text}");
        assert!(text.contains("name: \"things_get\""), "{text}");
        assert!(
            text.contains("name: \"things_delete_things_by_id\""),
            "{text}"
        );
        assert!(text.contains("destructive: true"), "{text}");
        assert!(text.contains("read_only: true"), "{text}");
        let schemas = schemas(&text);
        let names: Vec<&str> = schemas.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        let get = &schemas[0].1;
        // A query parameter named like the body argument is renamed by its location.
        assert_eq!(get["required"], serde_json::json!(["id"]));
        assert_eq!(get["properties"]["id"]["description"], "The thing.");
        assert_eq!(get["properties"]["limit"]["exclusiveMaximum"], 100);
        assert!(get["properties"]["limit"].get("maximum").is_none());
        assert_eq!(
            get["properties"]["query_body"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            get["properties"]["query_body"]["enum"],
            serde_json::json!(["a", "b", null])
        );
        let post = &schemas[2].1;
        // The body's own schema is inlined; its recursive reference goes to `$defs`.
        let body = &post["properties"]["body"];
        assert_eq!(body["properties"]["child"]["$ref"], "#/$defs/Thing");
        assert_eq!(body["description"], "The request body (application/json).");
        assert!(body["properties"].get("id").is_none());
        let thing = &post["$defs"]["Thing"];
        assert_eq!(
            thing["required"],
            serde_json::json!(["name"]),
            "readOnly left out"
        );
        assert!(thing["properties"].get("id").is_none());
        assert_eq!(thing["properties"]["child"]["$ref"], "#/$defs/Thing");
        assert_eq!(
            thing["properties"]["name"]["examples"],
            serde_json::json!(["Bob"])
        );
        assert!(post["properties"].get("idempotency_key").is_some());
        // A DELETE that declares the idempotency header takes a key too (the runtime sends
        // it); a GET that does not, none.
        assert!(schemas[1].1["properties"].get("idempotency_key").is_some());
        assert!(get["properties"].get("idempotency_key").is_none());
        let upload = &schemas[3].1;
        assert_eq!(
            upload["properties"]["body"]["properties"]["file"]["minProperties"],
            1
        );
        assert_eq!(
            upload["properties"]["body"]["properties"]["more"]["items"]["minProperties"],
            1
        );
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            compact.contains("FileField{field:\"file\",many:false,}"),
            "{text}"
        );
        assert!(
            compact.contains("FileField{field:\"more\",many:true,}"),
            "{text}"
        );
        // Non-file fields the document encodes otherwise than their value's default.
        assert!(
            compact.contains("FieldEncoding{field:\"people\",sent_as:FieldAs::Json,}"),
            "{text}"
        );
        assert!(
            compact.contains(
                "FieldEncoding{field:\"meta\",sent_as:FieldAs::Typed(\"application/xml\"),}"
            ),
            "{text}"
        );
        assert!(!compact.contains("field:\"note\""), "{text}");
        // Schemas are raw strings, readable in the file.
        assert!(
            text.contains("input_schema: r#\"{\"type\":\"object\""),
            "{text}"
        );
    }
}
