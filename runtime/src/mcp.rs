//! Model Context Protocol tool calls (feature `mcp`): the types of the tool table a generated
//! crate's `mcp` module holds (one [`Tool`] per operation), and [`call_tool`], which turns one
//! call's JSON arguments into a [`Request`] and sends it through the [`Engine`], so retries,
//! the one idempotency key every attempt reuses, rate limiting and deadlines apply as to any
//! typed call. No MCP library is needed here: a server (`rmcp` or another) lists [`Tool`]s and
//! hands each call to [`call_tool`].
//!
//! Arguments are one JSON object: each parameter under its [`ToolParam::arg`] name, the body
//! under `body`, and an optional `idempotency_key`. A multipart file is an object
//! `{"path": "..."}` (read from disk when the tool is called) or `{"base64": "..."}`, with
//! optional `file_name` and `content_type`. Bad input is refused before anything is sent,
//! with a [`ToolError::InvalidArgument`] naming the argument: first by the tool's own input
//! schema (what the host was shown: types, enums, bounds, required properties, no others),
//! then by the operation's encoding rules.

use crate::error::Error;
use crate::multipart::Part;
/// Re-exported: a tool table names it for its parameters and fields, and takes every name it
/// uses from this module.
pub use crate::query::ParamStyle;
use crate::request::Request;
use crate::transport::Engine;
use base64::Engine as _;
use reqwest::Method;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The argument that carries the request body.
pub const BODY_ARGUMENT: &str = "body";
/// The argument that carries an idempotency key.
pub const IDEMPOTENCY_KEY_ARGUMENT: &str = "idempotency_key";

/// One operation as a tool: what an MCP server lists, and what [`call_tool`] needs to send it.
#[derive(Debug, Clone, Copy)]
pub struct Tool {
    /// The tool's name: `<group>_<method>` of the generated client (`chats_list`).
    pub name: &'static str,
    /// The resource group (`chats`), for allow and deny lists.
    pub group: &'static str,
    /// What the tool does, for the agent: the operation's summary and description, and a
    /// note when it changes state.
    pub description: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// The path template (`/chats/{chat_id}`).
    pub path: &'static str,
    /// The parameters, in the order the operation declares them.
    pub params: &'static [ToolParam],
    /// The request body, when the operation takes one.
    pub body: Option<ToolBody>,
    /// The input JSON Schema (2020-12), as JSON text; it stands alone (`$defs` inside).
    pub input_schema: &'static str,
    /// `readOnlyHint`: the call changes nothing (GET, HEAD).
    pub read_only: bool,
    /// `destructiveHint`: the call deletes (DELETE).
    pub destructive: bool,
    /// `idempotentHint`: repeating the call has no further effect (GET, PUT, DELETE, or an
    /// operation sent with an idempotency key).
    pub idempotent: bool,
    /// Whether the operation takes an idempotency key: one is generated per call (or taken
    /// from the `idempotency_key` argument) and sent on every attempt.
    pub idempotency_key: bool,
    /// For a cursor-paginated list: where the cursor goes and comes from.
    pub page: Option<ToolPage>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// One parameter of a tool.
#[derive(Debug, Clone, Copy)]
pub struct ToolParam {
    /// The argument's name in the tool's input (the wire name unless two clash).
    pub arg: &'static str,
    /// The name on the wire.
    pub wire: &'static str,
    /// Where it goes.
    pub location: ParamIn,
    /// Whether the call needs it.
    pub required: bool,
    /// Its query style.
    pub style: ParamStyle,
    /// Its `explode`.
    pub explode: bool,
}

/// How a body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Text.
    Text,
    /// Raw bytes, given as a file.
    Bytes,
}

/// A tool's request body.
#[derive(Debug, Clone, Copy)]
pub struct ToolBody {
    /// The media type sent.
    pub media_type: &'static str,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Whether the operation requires it.
    pub required: bool,
    /// A multipart body's file fields.
    pub files: &'static [FileField],
    /// A multipart body's other fields that are not sent the default way for their value (a
    /// scalar as text, an array of scalars one part per item, an object as JSON): as the
    /// document's schema and `encoding` decide, the same way the generated client sends them.
    pub fields: &'static [FieldEncoding],
}

/// How one multipart field travels when it is not the default way for its value.
#[derive(Debug, Clone, Copy)]
pub struct FieldEncoding {
    /// The part name.
    pub field: &'static str,
    /// How it is sent.
    pub sent_as: FieldAs,
}

/// How a multipart field is sent; see [`FieldEncoding`].
#[derive(Debug, Clone, Copy)]
pub enum FieldAs {
    /// One JSON part, whatever the value (an array of objects is one part, not one per item).
    Json,
    /// Text under the content type the document's `encoding.contentType` declares.
    Typed(&'static str),
    /// Text parts named by the document's `encoding.style` and `explode` (OpenAPI 3.1).
    Styled {
        /// The style.
        style: ParamStyle,
        /// Whether it explodes.
        explode: bool,
    },
}

/// A multipart field that holds files.
#[derive(Debug, Clone, Copy)]
pub struct FileField {
    /// The part name.
    pub field: &'static str,
    /// Whether it takes a list of files.
    pub many: bool,
}

/// A cursor-paginated list: the tool returns one page.
#[derive(Debug, Clone, Copy)]
pub struct ToolPage {
    /// The argument the cursor goes in.
    pub cursor: &'static str,
    /// Where the next cursor is in the answer (`paging.cursor`).
    pub next_cursor: &'static str,
}

/// Limits on what a call may read from the local machine.
#[derive(Debug, Clone)]
pub struct ToolLimits {
    /// The largest file a call may upload (bytes, `path` or `base64` alike).
    pub max_file_bytes: u64,
    /// Whether files may be named by `path` (read from this machine's disk).
    pub allow_file_paths: bool,
}

impl Default for ToolLimits {
    /// 25 MiB files, paths allowed.
    fn default() -> Self {
        Self {
            max_file_bytes: 25 * 1024 * 1024,
            allow_file_paths: true,
        }
    }
}

/// What a successful call returned.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    /// The HTTP status.
    pub status: u16,
    /// The request id the server sent.
    pub request_id: Option<String>,
    /// The body: its JSON, its text when it is not JSON, `null` when empty, and
    /// `{"base64", "content_type"}` for bytes that are not text.
    pub body: Value,
    /// For a list, the cursor of the next page (absent on the last page).
    pub next_cursor: Option<String>,
}

/// Why a call failed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ToolError {
    /// No tool has this name.
    UnknownTool(String),
    /// An argument is missing, unknown or unusable; nothing was sent.
    InvalidArgument {
        /// The argument (`body.file`, `chat_id`).
        argument: String,
        /// What is wrong with it.
        message: String,
    },
    /// The API answered with an error.
    Api {
        /// HTTP status.
        status: u16,
        /// The API's error code (`not_found`).
        code: Option<String>,
        /// The API's message.
        message: Option<String>,
        /// The request id.
        request_id: Option<String>,
        /// How long the server asked to wait (429, 503).
        retry_after: Option<Duration>,
    },
    /// The call failed otherwise (connection, timeout, deadline, configuration).
    Failed {
        /// What happened.
        message: String,
        /// Whether it was a timeout or a passed deadline.
        timeout: bool,
    },
}

impl ToolError {
    fn invalid(argument: impl Into<String>, message: impl Into<String>) -> Self {
        ToolError::InvalidArgument {
            argument: argument.into(),
            message: message.into(),
        }
    }

    /// The error as a JSON object: `{"error": {"kind", "message", ...}}` with `code`,
    /// `status`, `request_id` and `retry_after_seconds` for an API error and `argument` for
    /// a refused argument.
    pub fn to_json(&self) -> Value {
        let mut e = Map::new();
        match self {
            ToolError::UnknownTool(name) => {
                e.insert("kind".into(), "unknown_tool".into());
                e.insert("tool".into(), name.as_str().into());
            }
            ToolError::InvalidArgument { argument, .. } => {
                e.insert("kind".into(), "invalid_argument".into());
                e.insert("argument".into(), argument.as_str().into());
            }
            ToolError::Api {
                status,
                code,
                request_id,
                retry_after,
                ..
            } => {
                e.insert("kind".into(), "api_error".into());
                e.insert("status".into(), (*status).into());
                e.insert("code".into(), code.clone().into());
                e.insert("request_id".into(), request_id.clone().into());
                if let Some(wait) = retry_after {
                    e.insert("retry_after_seconds".into(), wait.as_secs_f64().into());
                }
            }
            ToolError::Failed { timeout, .. } => {
                e.insert(
                    "kind".into(),
                    if *timeout { "timeout" } else { "failed" }.into(),
                );
            }
        }
        e.insert("message".into(), self.to_string().into());
        json!({ "error": e })
    }

    fn from_engine(error: Error) -> Self {
        match &error {
            Error::InvalidRequest { param, message } => ToolError::invalid(param, message),
            _ => match error.as_api() {
                Some(api) if !error.is_timeout() => ToolError::Api {
                    status: api.status.as_u16(),
                    code: api.code.clone(),
                    message: api.message.clone(),
                    request_id: api.request_id.clone(),
                    retry_after: error.retry_after(),
                },
                _ => ToolError::Failed {
                    message: error.to_string(),
                    timeout: error.is_timeout(),
                },
            },
        }
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::UnknownTool(name) => write!(f, "no tool is named `{name}`"),
            ToolError::InvalidArgument { argument, message } => {
                write!(f, "argument `{argument}`: {message}")
            }
            ToolError::Api {
                status,
                code,
                message,
                request_id,
                retry_after,
            } => {
                write!(f, "the API answered {status}")?;
                if let Some(code) = code {
                    write!(f, " `{code}`")?;
                }
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                if let Some(wait) = retry_after {
                    write!(f, "; retry after {} s", wait.as_secs_f64())?;
                }
                Ok(())
            }
            ToolError::Failed { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for ToolError {}

/// The tool of `tools` named `name`.
pub fn find_tool<'a>(tools: &'a [Tool], name: &str) -> Result<&'a Tool, ToolError> {
    tools
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| ToolError::UnknownTool(name.to_owned()))
}

/// Executes `tool` with `arguments` (a JSON object, or `null` for none) through `engine`.
pub async fn call_tool(
    engine: &Engine,
    tool: &Tool,
    arguments: Value,
    limits: &ToolLimits,
) -> Result<ToolOutput, ToolError> {
    let req = build_request(tool, arguments, limits).await?;
    let resp = engine.execute(req).await.map_err(ToolError::from_engine)?;
    let status = resp.status().as_u16();
    let request_id = resp.request_id().map(str::to_owned);
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = resp.into_body();
    let body = body_value(&bytes, &content_type);
    let next_cursor = tool.page.and_then(|p| {
        let mut at = &body;
        for key in p.next_cursor.split('.') {
            at = at.get(key)?;
        }
        match at {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    });
    Ok(ToolOutput {
        status,
        request_id,
        body,
        next_cursor,
    })
}

/// Errors of one call shown at most; the rest are counted.
const SCHEMA_ERRORS_SHOWN: usize = 3;
/// Characters of one error shown at most: the validator quotes the value at fault, which may
/// be a whole file in base64.
const SCHEMA_ERROR_CHARS: usize = 300;

/// `message`, cut to [`SCHEMA_ERROR_CHARS`] characters with the number left out said.
fn shortened(message: &str) -> String {
    let total = message.chars().count();
    if total <= SCHEMA_ERROR_CHARS {
        return message.to_owned();
    }
    let kept: String = message.chars().take(SCHEMA_ERROR_CHARS).collect();
    format!("{kept}... ({} more characters)", total - SCHEMA_ERROR_CHARS)
}

/// Checks `args` against the tool's input schema: the first argument at fault is named, with
/// what is wrong there (and anywhere else, up to [`SCHEMA_ERRORS_SHOWN`]).
fn check_schema(tool: &Tool, args: &Map<String, Value>) -> Result<(), ToolError> {
    let Some(validator) = validator(tool) else {
        return Ok(());
    };
    let instance = Value::Object(args.clone());
    let errors: Vec<(String, String)> = validator
        .iter_errors(&instance)
        .map(|e| {
            let path = e.instance_path().to_string();
            // The argument a root-level error is about (a required or unknown property)
            // is in its message; any other names its path's first step.
            let argument = match e.instance_path().iter().next() {
                Some(first) => first.to_string(),
                None => match e.kind() {
                    jsonschema::error::ValidationErrorKind::Required { property } => {
                        property.as_str().unwrap_or("arguments").to_owned()
                    }
                    jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                        unexpected
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "arguments".to_owned())
                    }
                    _ => "arguments".to_owned(),
                },
            };
            let at = if path.is_empty() {
                String::new()
            } else {
                format!("at {path}: ")
            };
            (argument, format!("{at}{}", shortened(&e.to_string())))
        })
        .collect();
    let Some((argument, _)) = errors.first() else {
        return Ok(());
    };
    let mut message: Vec<String> = errors
        .iter()
        .take(SCHEMA_ERRORS_SHOWN)
        .map(|(_, m)| m.clone())
        .collect();
    if errors.len() > SCHEMA_ERRORS_SHOWN {
        message.push(format!("{} more", errors.len() - SCHEMA_ERRORS_SHOWN));
    }
    Err(ToolError::invalid(
        argument.clone(),
        format!(
            "does not match the tool's input schema: {}",
            message.join("; ")
        ),
    ))
}

/// The tool's compiled input schema, compiled once per schema (by the address of its static
/// text) and outside the lock, so calls of other tools never wait on a compilation. A schema
/// that does not compile (the generator's schemas are checked against JSON Schema 2020-12 in
/// CI, so this is a validator's limit, not the document's) is a warning, and the call is
/// checked by the encoding rules alone.
fn validator(tool: &Tool) -> Option<Arc<jsonschema::Validator>> {
    type Slot = Arc<OnceLock<Option<Arc<jsonschema::Validator>>>>;
    static COMPILED: OnceLock<Mutex<HashMap<usize, Slot>>> = OnceLock::new();
    let slot: Slot = {
        let mut slots = COMPILED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        slots
            .entry(tool.input_schema.as_ptr() as usize)
            .or_default()
            .clone()
    };
    slot.get_or_init(|| {
        let compiled = serde_json::from_str::<Value>(tool.input_schema)
            .map_err(|e| e.to_string())
            .and_then(|mut schema| {
                any_of_for_one_of(&mut schema);
                jsonschema::draft202012::new(&schema).map_err(|e| e.to_string())
            });
        match compiled {
            Ok(validator) => Some(Arc::new(validator)),
            Err(e) => {
                tracing::warn!(
                    target: "openapi_sdkgen_runtime::mcp",
                    tool = tool.name,
                    "the tool's input schema does not compile ({e}); its arguments are checked by the encoding rules alone"
                );
                None
            }
        }
    })
    .clone()
}

/// `schema` with every `oneOf` read as `anyOf`. A value that fits two branches of a union
/// (objects whose properties are all optional fit many) is refused by `oneOf`, yet the
/// operation takes it: the client sends any branch, and the check is there to refuse only
/// what the operation cannot take. Under `not` and `if` the rule would turn around (a looser
/// schema there refuses more), so those are left as written.
fn any_of_for_one_of(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(one_of) = map.remove("oneOf") {
        match map.remove("anyOf") {
            None => {
                map.insert("anyOf".into(), one_of);
            }
            // Both: each must hold, so both are kept as `anyOf`s under an `allOf`.
            Some(any_of) => {
                let both = json!([{"anyOf": any_of}, {"anyOf": one_of}]);
                match map.get_mut("allOf") {
                    Some(Value::Array(all)) => {
                        all.extend(both.as_array().into_iter().flatten().cloned())
                    }
                    _ => {
                        map.insert("allOf".into(), both);
                    }
                }
            }
        }
    }
    for (keyword, value) in map.iter_mut() {
        match keyword.as_str() {
            // Maps from names to schemas.
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Value::Object(schemas) = value {
                    schemas.values_mut().for_each(any_of_for_one_of);
                }
            }
            // Lists of schemas.
            "allOf" | "anyOf" | "prefixItems" => {
                if let Value::Array(schemas) = value {
                    schemas.iter_mut().for_each(any_of_for_one_of);
                }
            }
            // One schema.
            "items"
            | "additionalProperties"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedProperties"
            | "unevaluatedItems" => any_of_for_one_of(value),
            _ => {}
        }
    }
}

fn body_value(bytes: &[u8], content_type: &str) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        return value;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => json!({
            "base64": base64::engine::general_purpose::STANDARD.encode(bytes),
            "content_type": content_type,
        }),
    }
}

/// The request `arguments` ask for, or the argument at fault.
pub async fn build_request(
    tool: &Tool,
    arguments: Value,
    limits: &ToolLimits,
) -> Result<Request, ToolError> {
    let mut args = match arguments {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(ToolError::invalid(
                "arguments",
                format!("must be a JSON object, not {}", kind(&other)),
            ));
        }
    };
    // `null` stands for an argument not given: dropped once, before any check.
    args.retain(|_, v| !v.is_null());
    check_schema(tool, &args)?;
    let method = Method::from_bytes(tool.method.as_bytes())
        .map_err(|_| ToolError::invalid("method", format!("`{}` is not a method", tool.method)))?;
    let mut req = Request::new(method.clone(), tool.path);
    let invalid = |arg: &str, e: Error| match e {
        Error::InvalidRequest { message, .. } => ToolError::invalid(arg, message),
        other => ToolError::invalid(arg, other.to_string()),
    };
    for p in tool.params {
        let Some(value) = args.remove(p.arg) else {
            if p.required {
                return Err(ToolError::invalid(p.arg, "required, but not given"));
            }
            continue;
        };
        match p.location {
            ParamIn::Path => {
                scalar(p.arg, &value, "a path parameter must be a string or number")?;
                req.path_param(p.wire, &value)
                    .map_err(|e| invalid(p.arg, e))?;
            }
            ParamIn::Query => req
                .query_param(p.wire, &value, p.style, p.explode)
                .map_err(|e| invalid(p.arg, e))?,
            ParamIn::Header => {
                scalar(
                    p.arg,
                    &value,
                    "a header must be a string, number or boolean",
                )?;
                req.header_param(p.wire, &value)
                    .map_err(|e| invalid(p.arg, e))?
            }
            ParamIn::Cookie => req
                .cookie_param(p.wire, &value)
                .map_err(|e| invalid(p.arg, e))?,
        }
    }
    let key = args
        .remove(IDEMPOTENCY_KEY_ARGUMENT)
        .map(|v| match v {
            Value::String(s) if !s.trim().is_empty() => Ok(s),
            other => Err(ToolError::invalid(
                IDEMPOTENCY_KEY_ARGUMENT,
                format!("must be a non-empty string, not {}", kind(&other)),
            )),
        })
        .transpose()?;
    if key.is_some() && !matches!(method, Method::POST | Method::PATCH) && !tool.idempotency_key {
        return Err(ToolError::invalid(
            IDEMPOTENCY_KEY_ARGUMENT,
            format!("`{}` calls take no idempotency key", tool.method),
        ));
    }
    let body = args.remove(BODY_ARGUMENT);
    if let Some(unknown) = args.keys().next() {
        let mut known: Vec<&str> = tool.params.iter().map(|p| p.arg).collect();
        if tool.body.is_some() {
            known.push(BODY_ARGUMENT);
        }
        if matches!(method, Method::POST | Method::PATCH) {
            known.push(IDEMPOTENCY_KEY_ARGUMENT);
        }
        return Err(ToolError::invalid(
            unknown.as_str(),
            format!(
                "this tool takes no such argument; it takes: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        ));
    }
    match (tool.body, body) {
        (None, Some(_)) => {
            return Err(ToolError::invalid(BODY_ARGUMENT, "this tool takes no body"));
        }
        (Some(b), None) if b.required => {
            return Err(ToolError::invalid(BODY_ARGUMENT, "required, but not given"));
        }
        (Some(b), Some(value)) => set_body(&mut req, &b, value, limits).await?,
        _ => {}
    }
    if tool.idempotency_key || key.is_some() {
        req.idempotent();
    }
    if let Some(key) = key {
        req.options(crate::config::RequestOptions {
            idempotency_key: Some(key),
            ..Default::default()
        });
    }
    Ok(req)
}

async fn set_body(
    req: &mut Request,
    body: &ToolBody,
    value: Value,
    limits: &ToolLimits,
) -> Result<(), ToolError> {
    let bad = |e: Error| match e {
        Error::InvalidRequest { param, message } if param == "body" => {
            ToolError::invalid(BODY_ARGUMENT, message)
        }
        Error::InvalidRequest { param, message } => {
            ToolError::invalid(format!("{BODY_ARGUMENT}.{param}"), message)
        }
        other => ToolError::invalid(BODY_ARGUMENT, other.to_string()),
    };
    match body.encoding {
        BodyEncoding::Json => req.json_body_as(&value, body.media_type).map_err(bad),
        BodyEncoding::Form => {
            if !value.is_object() {
                return Err(ToolError::invalid(
                    BODY_ARGUMENT,
                    format!(
                        "a form body must be an object of fields, not {}",
                        kind(&value)
                    ),
                ));
            }
            req.form_body(&value).map_err(bad)
        }
        BodyEncoding::Text => match value {
            Value::String(text) => {
                req.bytes_body(text.into_bytes(), body.media_type);
                Ok(())
            }
            other => Err(ToolError::invalid(
                BODY_ARGUMENT,
                format!("must be text, not {}", kind(&other)),
            )),
        },
        BodyEncoding::Bytes => {
            let (data, _, _) = read_file(BODY_ARGUMENT, &value, limits).await?;
            req.bytes_body(data, body.media_type);
            Ok(())
        }
        BodyEncoding::Multipart => {
            let Value::Object(fields) = value else {
                return Err(ToolError::invalid(
                    BODY_ARGUMENT,
                    format!(
                        "a multipart body must be an object of fields, not {}",
                        kind(&value)
                    ),
                ));
            };
            for (name, field) in fields {
                if field.is_null() {
                    continue;
                }
                let at = format!("{BODY_ARGUMENT}.{name}");
                match body.files.iter().find(|f| f.field == name) {
                    Some(f) if f.many => {
                        let items = match field {
                            Value::Array(items) => items,
                            one @ Value::Object(_) => vec![one],
                            other => {
                                return Err(ToolError::invalid(
                                    at,
                                    format!("must be a list of files, not {}", kind(&other)),
                                ));
                            }
                        };
                        for (i, item) in items.iter().enumerate() {
                            let part = file_part(&format!("{at}[{i}]"), item, limits).await?;
                            req.multipart_file(&name, &part);
                        }
                    }
                    Some(_) => {
                        let part = file_part(&at, &field, limits).await?;
                        req.multipart_file(&name, &part);
                    }
                    None => {
                        let sent = match body.fields.iter().find(|f| f.field == name) {
                            Some(FieldEncoding {
                                sent_as: FieldAs::Json,
                                ..
                            }) => req.multipart_json(&name, &field),
                            Some(FieldEncoding {
                                sent_as: FieldAs::Typed(content_type),
                                ..
                            }) => req.multipart_typed(&name, &field, content_type),
                            Some(FieldEncoding {
                                sent_as: FieldAs::Styled { style, explode },
                                ..
                            }) => req.multipart_styled(&name, &field, *style, *explode),
                            None => req.multipart_field(&name, &field),
                        };
                        sent.map_err(|e| match e {
                            Error::InvalidRequest { message, .. } => {
                                ToolError::invalid(&at, message)
                            }
                            other => ToolError::invalid(&at, other.to_string()),
                        })?
                    }
                }
            }
            Ok(())
        }
    }
}

async fn file_part(at: &str, value: &Value, limits: &ToolLimits) -> Result<Part, ToolError> {
    let (data, name, mime) = read_file(at, value, limits).await?;
    let mut part = Part::bytes(data);
    if let Some(name) = name {
        part = part.file_name(name);
    }
    Ok(part.mime(mime))
}

/// A file argument's bytes, file name and media type.
async fn read_file(
    at: &str,
    value: &Value,
    limits: &ToolLimits,
) -> Result<(Vec<u8>, Option<String>, String), ToolError> {
    let Value::Object(spec) = value else {
        return Err(ToolError::invalid(
            at,
            format!(
                "a file is {{\"path\": \"...\"}} or {{\"base64\": \"...\"}}, not {}",
                kind(value)
            ),
        ));
    };
    for key in spec.keys() {
        if !matches!(
            key.as_str(),
            "path" | "base64" | "file_name" | "content_type"
        ) {
            return Err(ToolError::invalid(
                at,
                format!(
                    "a file takes `path` or `base64`, `file_name` and `content_type`; not `{key}`"
                ),
            ));
        }
    }
    let text = |key: &str| -> Result<Option<&str>, ToolError> {
        match spec.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(ToolError::invalid(
                format!("{at}.{key}"),
                format!("must be a string, not {}", kind(other)),
            )),
        }
    };
    let limit = limits.max_file_bytes;
    let too_large = |size: u64| {
        ToolError::invalid(
            at,
            format!("the file is {size} bytes, more than the {limit} bytes a call may upload"),
        )
    };
    let (data, default_name) = match (text("path")?, text("base64")?) {
        (Some(_), Some(_)) => {
            return Err(ToolError::invalid(at, "give `path` or `base64`, not both"));
        }
        (None, None) => {
            return Err(ToolError::invalid(at, "a file needs `path` or `base64`"));
        }
        (Some(path), None) => {
            if !limits.allow_file_paths {
                return Err(ToolError::invalid(
                    format!("{at}.path"),
                    "this server does not read local files; give the file as `base64`",
                ));
            }
            let meta = tokio::fs::metadata(path).await.map_err(|e| {
                ToolError::invalid(format!("{at}.path"), format!("cannot read `{path}`: {e}"))
            })?;
            if !meta.is_file() {
                return Err(ToolError::invalid(
                    format!("{at}.path"),
                    format!("`{path}` is not a file"),
                ));
            }
            if meta.len() > limit {
                return Err(too_large(meta.len()));
            }
            let data = tokio::fs::read(path).await.map_err(|e| {
                ToolError::invalid(format!("{at}.path"), format!("cannot read `{path}`: {e}"))
            })?;
            if data.len() as u64 > limit {
                return Err(too_large(data.len() as u64));
            }
            let name = std::path::Path::new(path)
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_owned);
            (data, name)
        }
        (None, Some(encoded)) => {
            // Three bytes per four characters: refuse before decoding what is too large.
            let estimate = (encoded.len() as u64 / 4) * 3;
            if estimate > limit + 3 {
                return Err(too_large(estimate));
            }
            let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
            let data = base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map_err(|e| {
                    ToolError::invalid(format!("{at}.base64"), format!("not base64: {e}"))
                })?;
            if data.len() as u64 > limit {
                return Err(too_large(data.len() as u64));
            }
            (data, None)
        }
    };
    let name = text("file_name")?.map(str::to_owned).or(default_name);
    let mime = match text("content_type")? {
        Some(m) => m.to_owned(),
        None => guess_mime(name.as_deref().unwrap_or("")).to_owned(),
    };
    Ok((data, name, mime))
}

/// A media type from a file name's extension, for the common upload types.
fn guess_mime(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("mp3") => "audio/mpeg",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// Refuses an object or a list where only a scalar can go (`must`: what the place takes).
fn scalar(arg: &str, value: &Value, must: &str) -> Result<(), ToolError> {
    if value.is_object() || value.is_array() {
        return Err(ToolError::invalid(
            arg,
            format!("{must}, not {}", kind(value)),
        ));
    }
    Ok(())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static UPLOAD: Tool = Tool {
        name: "things_upload",
        group: "things",
        description: "Upload.",
        method: "POST",
        path: "/things/{id}/files",
        params: &[ToolParam {
            arg: "id",
            wire: "id",
            location: ParamIn::Path,
            required: true,
            style: ParamStyle::Form,
            explode: true,
        }],
        body: Some(ToolBody {
            media_type: "multipart/form-data",
            encoding: BodyEncoding::Multipart,
            required: true,
            files: &[FileField {
                field: "file",
                many: false,
            }],
            fields: &[
                FieldEncoding {
                    field: "people",
                    sent_as: FieldAs::Json,
                },
                FieldEncoding {
                    field: "meta",
                    sent_as: FieldAs::Typed("application/xml"),
                },
                FieldEncoding {
                    field: "where",
                    sent_as: FieldAs::Styled {
                        style: ParamStyle::DeepObject,
                        explode: true,
                    },
                },
            ],
        }),
        input_schema: "{}",
        read_only: false,
        destructive: false,
        idempotent: true,
        idempotency_key: true,
        page: None,
    };

    fn refused(args: Value, limits: &ToolLimits) -> (String, String) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        match rt.block_on(build_request(&UPLOAD, args, limits)) {
            Err(ToolError::InvalidArgument { argument, message }) => (argument, message),
            other => panic!("expected a refused argument, got {other:?}"),
        }
    }

    #[test]
    fn bad_arguments_are_refused_naming_them() {
        let limits = ToolLimits::default();
        assert_eq!(refused(json!({"body": {}}), &limits).0, "id");
        assert_eq!(refused(json!({"id": "a"}), &limits).0, "body");
        assert_eq!(
            refused(json!({"id": "a", "body": {}, "nope": 1}), &limits).0,
            "nope"
        );
        assert_eq!(
            refused(json!({"id": {"x": 1}, "body": {}}), &limits).0,
            "id"
        );
        let (arg, message) = refused(
            json!({"id": "a", "body": {"file": {"path": "/no/such/file"}}}),
            &limits,
        );
        assert_eq!(arg, "body.file.path");
        assert!(message.contains("/no/such/file"), "{message}");
        let small = ToolLimits {
            max_file_bytes: 2,
            allow_file_paths: false,
        };
        let (arg, message) = refused(
            json!({"id": "a", "body": {"file": {"base64": "aGVsbG8="}}}),
            &small,
        );
        assert_eq!(arg, "body.file");
        assert!(message.contains("more than the 2 bytes"), "{message}");
        let (arg, _) = refused(
            json!({"id": "a", "body": {"file": {"path": "/etc/hostname"}}}),
            &small,
        );
        assert_eq!(arg, "body.file.path");
        assert_eq!(
            refused(json!({"id": "a", "body": {"file": "x"}}), &limits).0,
            "body.file"
        );
        assert_eq!(refused(json!("x"), &limits).0, "arguments");
    }

    /// A list tool whose schema bounds `limit`, lists `order`'s values and takes a `filter`
    /// union whose branches overlap (both properties optional).
    static LIST: Tool = Tool {
        name: "things_list",
        group: "things",
        description: "List.",
        method: "GET",
        path: "/things",
        params: &[
            ToolParam {
                arg: "limit",
                wire: "limit",
                location: ParamIn::Query,
                required: false,
                style: ParamStyle::Form,
                explode: true,
            },
            ToolParam {
                arg: "order",
                wire: "order",
                location: ParamIn::Query,
                required: true,
                style: ParamStyle::Form,
                explode: true,
            },
            ToolParam {
                arg: "filter",
                wire: "filter",
                location: ParamIn::Query,
                required: false,
                style: ParamStyle::DeepObject,
                explode: true,
            },
        ],
        body: None,
        input_schema: r#"{"type":"object","properties":{"limit":{"type":"integer","minimum":1,"maximum":250},"order":{"type":"string","enum":["asc","desc"]},"filter":{"oneOf":[{"type":"object","properties":{"name":{"type":"string"}}},{"type":"object","properties":{"tag":{"type":"string"}}}]}},"required":["order"],"additionalProperties":false}"#,
        read_only: true,
        destructive: false,
        idempotent: true,
        idempotency_key: false,
        page: None,
    };

    fn checked(args: Value) -> Result<Request, ToolError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(build_request(&LIST, args, &ToolLimits::default()))
    }

    #[test]
    fn arguments_are_checked_against_the_input_schema_naming_the_one_at_fault() {
        let refused = |args: Value| match checked(args) {
            Err(ToolError::InvalidArgument { argument, message }) => (argument, message),
            other => panic!("expected a refused argument, got {other:?}"),
        };
        let (arg, message) = refused(json!({"order": "asc", "limit": 500}));
        assert_eq!(arg, "limit");
        assert!(
            message.contains("at /limit: 500 is greater than the maximum of 250"),
            "{message}"
        );
        let (arg, message) = refused(json!({"order": "up"}));
        assert_eq!(arg, "order");
        assert!(message.contains("\"asc\""), "{message}");
        let (arg, message) = refused(json!({"limit": 5}));
        assert_eq!(arg, "order");
        assert!(
            message.contains("\"order\" is a required property"),
            "{message}"
        );
        assert_eq!(refused(json!({"order": "asc", "sort": 1})).0, "sort");
        // Every fault is told, up to three.
        let (_, message) = refused(json!({"order": "up", "limit": 0, "filter": 3}));
        assert_eq!(message.matches("at /").count(), 3, "{message}");
        // A long value at fault is not echoed whole.
        let long = "x".repeat(5_000);
        let (arg, message) = refused(json!({"order": long}));
        assert_eq!(arg, "order");
        assert!(message.len() < 1_000, "{} characters", message.len());
        assert!(message.contains("more characters)"), "{message}");
        // A value two branches of a union fit is taken: the operation takes either.
        let ok = checked(json!({"order": "asc", "filter": {"name": "a"}, "limit": null}));
        assert!(ok.is_ok(), "{ok:?}");
        // One no branch fits is not.
        assert_eq!(refused(json!({"order": "asc", "filter": []})).0, "filter");
    }

    #[test]
    fn one_of_is_checked_as_any_of_wherever_it_is() {
        let mut schema = json!({
            "oneOf": [{"type": "string"}],
            "properties": {"oneOf": {"oneOf": [{}]}, "p": {"items": {"oneOf": [{}]}}},
            "$defs": {"D": {"anyOf": [{}], "oneOf": [{"type": "integer"}]}}
        });
        any_of_for_one_of(&mut schema);
        assert_eq!(
            schema,
            json!({
                "anyOf": [{"type": "string"}],
                "properties": {"oneOf": {"anyOf": [{}]}, "p": {"items": {"anyOf": [{}]}}},
                "$defs": {"D": {"allOf": [{"anyOf": [{}]}, {"anyOf": [{"type": "integer"}]}]}}
            })
        );
        // Under `not` and `if` a looser schema would refuse more: left as written.
        let mut negated = json!({"not": {"oneOf": [{}, {}]}, "if": {"oneOf": [{}]}});
        let before = negated.clone();
        any_of_for_one_of(&mut negated);
        assert_eq!(negated, before);
    }

    #[test]
    fn a_good_call_builds_its_request() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let args = json!({"id": "a/b", "body": {"file": {"base64": "aGVsbG8=", "file_name": "h.txt"}, "note": "hi"}, "idempotency_key": "k1"});
        let req = rt
            .block_on(build_request(&UPLOAD, args, &ToolLimits::default()))
            .unwrap();
        assert_eq!(req.path(), "/things/a%2Fb/files");
        assert!(req.idempotent);
        assert_eq!(req.options.idempotency_key.as_deref(), Some("k1"));
        assert!(matches!(&req.body, crate::request::Body::Multipart(f) if f.len() == 2));
    }

    #[test]
    fn multipart_fields_travel_as_the_document_declares() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let args = json!({"id": "a", "body": {
            "file": {"base64": "aGVsbG8="},
            "people": [{"n": 1}, {"n": 2}],
            "meta": "<m/>",
            "where": {"city": "Paris"},
            "tags": ["x", "y"],
            "note": {"k": true}
        }});
        let req = rt
            .block_on(build_request(&UPLOAD, args, &ToolLimits::default()))
            .unwrap();
        let crate::request::Body::Multipart(parts) = &req.body else {
            panic!("a multipart body");
        };
        use crate::request::MultipartField as F;
        let seen: Vec<(&str, String)> = parts
            .iter()
            .map(|(name, field)| {
                let shown = match field {
                    F::Text(t) => format!("text {t}"),
                    F::Json(j) => format!("json {j}"),
                    F::Typed { text, content_type } => format!("{content_type} {text}"),
                    F::File(_) => "file".to_owned(),
                };
                (name.as_str(), shown)
            })
            .collect();
        let expected: Vec<(&str, String)> = vec![
            ("file", "file".into()),
            // Declared JSON: the whole list is one part, not one part per item.
            ("people", r#"json [{"n":1},{"n":2}]"#.into()),
            ("meta", "application/xml <m/>".into()),
            ("where[city]", "text Paris".into()),
            // Undeclared: by the value, the defaults.
            ("tags", "text x".into()),
            ("tags", "text y".into()),
            ("note", r#"json {"k":true}"#.into()),
        ];
        let mut seen_sorted = seen.clone();
        let mut expected_sorted = expected.clone();
        seen_sorted.sort();
        expected_sorted.sort();
        assert_eq!(seen_sorted, expected_sorted);
    }

    #[test]
    fn api_errors_keep_code_request_id_and_retry_after() {
        let e = ToolError::Api {
            status: 429,
            code: Some("rate_limited".into()),
            message: Some("slow down".into()),
            request_id: Some("req_1".into()),
            retry_after: Some(Duration::from_secs(7)),
        };
        let j = e.to_json();
        assert_eq!(j["error"]["code"], "rate_limited");
        assert_eq!(j["error"]["request_id"], "req_1");
        assert_eq!(j["error"]["retry_after_seconds"], 7.0);
        assert_eq!(j["error"]["status"], 429);
    }
}
