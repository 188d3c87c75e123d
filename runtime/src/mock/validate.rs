//! Checking a request against its operation in the document before a stub answers: path,
//! query and header parameters (required, type, enum, ranges, lengths, pattern, with the
//! parameter's `style`/`explode`), and the body by its media type: JSON against its schema;
//! `application/x-www-form-urlencoded` and `multipart/form-data` read into fields, each
//! checked by the OpenAPI encoding rules (its content type, its text read as its property's
//! type), then the whole against the schema.
//!
//! The encoding rules differ by version, and the mock follows the version the document was
//! written in (its `x-source-openapi` where a generator lowered 3.1 to 3.0, else `openapi`):
//! `encoding.<name>.style`/`explode` (`deepObject` brackets, delimited arrays) apply to form
//! bodies always, but to multipart bodies only from OpenAPI 3.1 on; under 3.0 a multipart
//! part follows its schema's default (one JSON part for an object, one part per item for an
//! array of primitives).
//!
//! The rules that OpenAPI leaves open, as the mock applies them:
//!
//! - a query parameter the operation does not document is allowed (servers ignore them);
//! - a form field or multipart part is matched to a property by its exact name first (a
//!   document may name a property `ids[]` or `a[b]`), then as `base[key]...` to a property
//!   whose `encoding.style` is `deepObject` (where style applies); a name matching neither is an error unless the
//!   schema's `additionalProperties` allows it (or the schema lists no properties);
//! - a part without `Content-Type` is `text/plain` (RFC 7578); a primitive or enum property
//!   must be sent as text, an object (or an array of objects) as `application/json`; a file
//!   (`format: binary`/`byte`) may carry any type (files carry their own); an
//!   `encoding.<name>.contentType` (a list, with ranges such as `image/*`) replaces these
//!   defaults, where `application/octet-stream` still lets a file carry its own type.

use super::contract::{Contract, Located};
use super::multipart;
use super::recorded::RecordedRequest;
use super::route::Operation;
use super::shape::{self, Shape};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Why a request does not fit its operation.
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    /// `operation `id` (POST /path): problem; problem`.
    pub(crate) message: String,
    /// One line per problem.
    pub(crate) problems: Vec<String>,
}

/// Checks `request` against `operation` as the document describes it; an operation the
/// document does not have passes.
pub(crate) fn check(
    contract: &Contract,
    operation: &Operation,
    request: &RecordedRequest,
) -> Result<(), Refusal> {
    let Some(op) = contract.operation(operation) else {
        return Ok(());
    };
    let mut problems = Vec::new();
    let raw = RawRequest::new(operation, request);
    for parameter in parameters(contract, &op) {
        check_parameter(contract, &parameter, request, &raw, &mut problems);
    }
    check_body(contract, &op, request, &mut problems);
    if problems.is_empty() {
        return Ok(());
    }
    Err(Refusal {
        message: format!(
            "operation `{}` ({} {}): {}",
            operation.id,
            operation.method,
            operation.path,
            problems.join("; ")
        ),
        problems,
    })
}

/// The operation's parameters, then the path item's it does not override (same name and
/// location), each with `$ref`s followed.
fn parameters<'a>(contract: &'a Contract, op: &Located<'a>) -> Vec<Located<'a>> {
    let list = |owner: Option<Located<'a>>| -> Vec<Located<'a>> {
        let Some(list) = owner.and_then(|o| o.child("parameters")) else {
            return Vec::new();
        };
        let count = list.value.as_array().map_or(0, Vec::len);
        (0..count)
            .filter_map(|i| list.item(i))
            .map(|p| contract.follow(p))
            .collect()
    };
    let key = |p: &Located<'_>| (p.value.get("name").cloned(), p.value.get("in").cloned());
    let mut out = list(Some(op.clone()));
    for shared in list(contract.parent(op)) {
        if !out.iter().any(|p| key(p) == key(&shared)) {
            out.push(shared);
        }
    }
    out
}

/// The path parameters and query pairs of a request as sent, still percent-encoded: a
/// value is split on its style's delimiters first and each piece decoded after, so an encoded
/// delimiter (`a%2Cb`) is part of a value, not between two.
struct RawRequest {
    /// The template's parameters, raw.
    path: Vec<(String, String)>,
    /// The query's pairs: the name decoded, the value raw.
    query: Vec<(String, String)>,
}

impl RawRequest {
    fn new(operation: &Operation, request: &RecordedRequest) -> Self {
        let path = operation
            .route_raw(&request.method, &request.path)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let query = request
            .raw_query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name, Location::Query), value.to_owned())
            })
            .collect();
        Self { path, query }
    }
}

/// Where a parameter's raw text comes from, which says how it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Location {
    /// Percent-encoded.
    Path,
    /// Form-encoded: percent-encoded, `+` for a space.
    Query,
    /// As sent.
    Header,
}

/// One piece of raw text, decoded as its location encodes it.
fn decode(raw: &str, location: Location) -> String {
    match location {
        Location::Path => percent_decode_str(raw).decode_utf8_lossy().into_owned(),
        Location::Query => percent_decode_str(&raw.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned(),
        Location::Header => raw.to_owned(),
    }
}

/// Raw `text` split on a style's `delimiter`, as it appears on the wire there: a comma as
/// itself (an encoded `%2C` is a comma inside a value); a space, which a URL cannot hold, as
/// `%20` or `+` (OpenAPI's `spaceDelimited`); a pipe as itself or `%7C` (OpenAPI's examples
/// encode it).
fn split_raw(text: &str, delimiter: char, location: Location) -> Vec<&str> {
    let patterns: &[&str] = match (delimiter, location) {
        (' ', Location::Header) => &[" "],
        (' ', _) => &["%20", "+", " "],
        ('|', Location::Header) => &["|"],
        ('|', _) => &["|", "%7C", "%7c"],
        _ => &[","],
    };
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let next = patterns
            .iter()
            .filter_map(|p| rest.find(p).map(|at| (at, p.len())))
            .min();
        match next {
            Some((at, len)) => {
                pieces.push(&rest[..at]);
                rest = &rest[at + len..];
            }
            None => {
                pieces.push(rest);
                return pieces;
            }
        }
    }
}

fn check_parameter(
    contract: &Contract,
    parameter: &Located<'_>,
    request: &RecordedRequest,
    raw: &RawRequest,
    problems: &mut Vec<String>,
) {
    let p = parameter.value;
    let (Some(name), Some(location)) = (
        p.get("name").and_then(Value::as_str),
        p.get("in").and_then(Value::as_str),
    ) else {
        return;
    };
    // OpenAPI: header parameters with these names are ignored (the media types and the
    // security scheme describe them); cookies are not checked.
    if location == "cookie"
        || (location == "header"
            && ["accept", "content-type", "authorization"]
                .contains(&name.to_ascii_lowercase().as_str()))
    {
        return;
    }
    let label = format!("{location} parameter `{name}`");
    let style = p
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or(if location == "query" {
            "form"
        } else {
            "simple"
        });
    let explode = p
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    let (schema, json) = match (parameter.child("schema"), parameter.child("content")) {
        (Some(schema), _) => (schema, false),
        (None, Some(content)) => {
            let Some(media) = content.value.as_object().and_then(|m| m.keys().next()) else {
                return;
            };
            match content.child(media).and_then(|m| m.child("schema")) {
                Some(schema) => (schema, true),
                None => return,
            }
        }
        _ => return,
    };
    let shape = shape::shape(contract, schema.value);
    // Raw values: split by the style before they are decoded.
    let (values, wire): (Vec<String>, Location) = match location {
        "path" => (
            raw.path
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Path,
        ),
        "query" => (
            raw.query
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Query,
        ),
        "header" => (
            request
                .headers()
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect(),
            Location::Header,
        ),
        _ => return,
    };
    // An object in the query may be spread over keys other than its name: each with its
    // key path (`a[b.c][d]` is [`b.c`, `d`]) and its decoded value.
    let spread: Vec<(Vec<String>, String)> =
        if location == "query" && shape == Shape::Object && !json {
            let properties = shape::properties(contract, schema.value);
            raw.query
                .iter()
                .filter_map(|(k, v)| match style {
                    "deepObject" => bracketed(k)
                        .filter(|(base, _)| *base == name)
                        .map(|(_, keys)| (keys, decode(v, wire))),
                    "form" if explode => properties
                        .iter()
                        .any(|(p, _)| p == k)
                        .then(|| (vec![k.clone()], decode(v, wire))),
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
    if values.is_empty() && spread.is_empty() {
        let required = location == "path" || p.get("required") == Some(&Value::Bool(true));
        if required {
            problems.push(format!("{label} is required but was not sent"));
        }
        return;
    }
    if values.iter().all(String::is_empty) && p.get("allowEmptyValue") == Some(&Value::Bool(true)) {
        return;
    }
    let instance = if json {
        let text = values.first().map(|v| decode(v, wire)).unwrap_or_default();
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => value,
            Err(e) => {
                problems.push(format!("{label}: the value is not JSON: {e}"));
                return;
            }
        }
    } else {
        match parameter_value(
            contract,
            schema.value,
            &shape,
            style,
            explode,
            (&values, wire),
            spread,
        ) {
            Ok(value) => value,
            Err(problem) => {
                problems.push(format!("{label}: {problem}"));
                return;
            }
        }
    };
    schema_problems(
        contract,
        &schema.pointer,
        &instance,
        problems,
        &mut |path, error| {
            Some(if path.is_empty() {
                format!("{label}: {error}")
            } else {
                format!("{label} at `{path}`: {error}")
            })
        },
    );
}

/// The value of a parameter sent as `values` (every occurrence, raw, as `wire` encodes
/// them), read by its style: raw text is split on the style's delimiter, then each piece
/// decoded. `spread`: an object's keys sent apart, decoded.
fn parameter_value(
    contract: &Contract,
    schema: &Value,
    shape: &Shape,
    style: &str,
    explode: bool,
    (values, wire): (&[String], Location),
    spread: Vec<(Vec<String>, String)>,
) -> Result<Value, String> {
    let delimiter = match style {
        "spaceDelimited" => ' ',
        "pipeDelimited" => '|',
        _ => ',',
    };
    match shape {
        Shape::Array(items) | Shape::OneOrList(items) => {
            let texts: Vec<String> = if style == "form" && explode {
                values.iter().map(|v| decode(v, wire)).collect()
            } else {
                values
                    .iter()
                    .flat_map(|v| split_raw(v, delimiter, wire))
                    .map(|piece| decode(piece, wire))
                    .collect()
            };
            // `items` without `type`: one value is that value, more are a list.
            if let (Shape::OneOrList(_), [one]) = (shape, texts.as_slice()) {
                return text_value(one, items);
            }
            texts
                .iter()
                .map(|t| text_value(t, items))
                .collect::<Result<_, _>>()
                .map(Value::Array)
        }
        Shape::Object if !spread.is_empty() => {
            let mut object = Value::Object(Map::new());
            for (keys, text) in spread {
                let leaf = shape::shape(contract, leaf_schema(contract, schema, &keys));
                insert_at(&mut object, &keys, text_value(&text, &leaf)?)?;
            }
            Ok(object)
        }
        Shape::Object => {
            // `k,v,k,v`, or `k=v,k=v` when exploded (simple style); split raw, then decoded.
            let items: Vec<&str> = values
                .iter()
                .flat_map(|v| split_raw(v, ',', wire))
                .collect();
            let mut object = Map::new();
            if explode && style == "simple" {
                for item in items {
                    let (k, v) = item.split_once('=').unwrap_or((item, ""));
                    object.insert(decode(k, wire), Value::String(decode(v, wire)));
                }
            } else {
                for pair in items.chunks(2) {
                    let value = pair.get(1).copied().unwrap_or_default();
                    object.insert(decode(pair[0], wire), Value::String(decode(value, wire)));
                }
            }
            Ok(Value::Object(object))
        }
        single => match values {
            [one] => text_value(&decode(one, wire), single),
            many => Err(format!(
                "sent {} times, but its schema ({}) takes one value",
                many.len(),
                single.describe()
            )),
        },
    }
}

/// One text value read as `shape` (a primitive's type; anything else stays text).
fn text_value(text: &str, shape: &Shape) -> Result<Value, String> {
    match shape {
        Shape::Text(ty) => shape::coerce(text, ty),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// `base[a][b]` -> (`base`, [`a`, `b`]).
fn bracketed(name: &str) -> Option<(&str, Vec<String>)> {
    let open = name.find('[')?;
    let (base, mut rest) = name.split_at(open);
    let mut keys = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        keys.push(inner[..close].to_owned());
        rest = &inner[close + 1..];
    }
    (rest.is_empty() && !base.is_empty() && !keys.is_empty()).then_some((base, keys))
}

/// The schema at `keys` below `schema` (its properties, by name, in any branch); `true`
/// where the schema names no such property.
fn leaf_schema<'a>(contract: &'a Contract, schema: &'a Value, keys: &[String]) -> &'a Value {
    static ANY: Value = Value::Bool(true);
    let mut schema = schema;
    for key in keys {
        match shape::property(contract, schema, key) {
            Some(next) => schema = next,
            None => return &ANY,
        }
    }
    schema
}

/// Sets `value` at `keys` in `object`, making the objects on the way.
fn insert_at(object: &mut Value, keys: &[String], value: Value) -> Result<(), String> {
    let Some((last, path)) = keys.split_last() else {
        return Err("a key is empty".into());
    };
    let mut node = object;
    for key in path {
        let Value::Object(map) = node else {
            return Err(format!("`{key}` is both a value and an object"));
        };
        node = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match node {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            Ok(())
        }
        _ => Err(format!("`{last}` is both a value and an object")),
    }
}

/// Runs the validator of the schema at `pointer` over `instance`; `describe` turns each
/// error (with its instance path) into a problem, or skips it with `None`.
fn schema_problems(
    contract: &Contract,
    pointer: &str,
    instance: &Value,
    problems: &mut Vec<String>,
    describe: &mut dyn FnMut(&str, &jsonschema::ValidationError<'_>) -> Option<String>,
) {
    let compiled = contract.validator(pointer);
    let validator = match compiled.as_ref() {
        Ok(validator) => validator,
        Err(e) => {
            problems.push(e.clone());
            return;
        }
    };
    for error in validator.iter_errors(instance) {
        let path = error.instance_path().to_string();
        problems.extend(describe(&path, &error));
    }
}

/// Where the body's fields come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Form,
    Multipart,
}

impl Carrier {
    fn label(self) -> &'static str {
        match self {
            Carrier::Form => "form field",
            Carrier::Multipart => "multipart part",
        }
    }
}

/// A field with the keys of its `name[key]...` name (none for a plain name).
type Keyed = (Vec<String>, Field);

/// One field of a form or one part of a multipart body.
struct Field {
    name: String,
    content_type: Option<String>,
    data: Bytes,
}

fn check_body(
    contract: &Contract,
    op: &Located<'_>,
    request: &RecordedRequest,
    problems: &mut Vec<String>,
) {
    let Some(body) = op.child("requestBody").map(|b| contract.follow(b)) else {
        return;
    };
    if request.raw_body().is_empty() {
        if body.value.get("required") == Some(&Value::Bool(true)) {
            problems.push("the request body is required but none was sent".into());
        }
        return;
    }
    let Some(content) = body.child("content") else {
        return;
    };
    let sent = request.header("content-type").unwrap_or_default();
    let media_type = essence(sent);
    let keys: Vec<&String> = content
        .value
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    let chosen = keys.iter().find(|k| essence(k) == media_type).or_else(|| {
        keys.iter()
            .find(|k| media_matches(&essence(k), &media_type))
    });
    let Some(key) = chosen else {
        let accepted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        problems.push(format!(
            "the body is sent as `{sent}`, but the operation accepts {}",
            accepted.join(", ")
        ));
        return;
    };
    let Some(media) = content.child(key) else {
        return;
    };
    let Some(schema) = media.child("schema") else {
        return;
    };
    if is_json(&media_type) {
        match serde_json::from_slice::<Value>(request.raw_body()) {
            Ok(instance) => schema_problems(
                contract,
                &schema.pointer,
                &instance,
                problems,
                &mut |path, error| {
                    Some(if path.is_empty() {
                        format!("the JSON body: {error}")
                    } else {
                        format!("the JSON body at `{path}`: {error}")
                    })
                },
            ),
            Err(e) => problems.push(format!("the JSON body does not parse: {e}")),
        }
        return;
    }
    let encoding = media.value.get("encoding");
    let (fields, carrier) = if media_type == "application/x-www-form-urlencoded" {
        let fields = url::form_urlencoded::parse(request.raw_body())
            .map(|(k, v)| Field {
                name: k.into_owned(),
                content_type: None,
                data: Bytes::from(v.into_owned()),
            })
            .collect();
        (fields, Carrier::Form)
    } else if media_type.starts_with("multipart/") {
        match multipart::parse(sent, request.raw_body()) {
            Ok(form) => (
                form.parts
                    .into_iter()
                    .map(|p| Field {
                        name: p.name,
                        content_type: p.content_type,
                        data: p.data,
                    })
                    .collect(),
                Carrier::Multipart,
            ),
            Err(e) => {
                problems.push(format!("the multipart body does not parse: {e}"));
                return;
            }
        }
    } else if media_type.starts_with("text/") {
        match std::str::from_utf8(request.raw_body()) {
            Ok(text) => {
                let instance = Value::String(text.to_owned());
                schema_problems(
                    contract,
                    &schema.pointer,
                    &instance,
                    problems,
                    &mut |_, error| Some(format!("the text body: {error}")),
                );
            }
            Err(e) => problems.push(format!("the text body is not UTF-8: {e}")),
        }
        return;
    } else {
        // Bytes: nothing in a schema describes them.
        return;
    };
    check_fields(contract, &schema, encoding, fields, carrier, problems);
}

/// `Type/Sub; charset=..` -> `type/sub`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether `pattern` (`*/*`, `image/*`, `a/b`) covers `sent`.
fn media_matches(pattern: &str, sent: &str) -> bool {
    match pattern.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => sent.split_once('/').is_some_and(|(k, _)| k == kind),
        _ => pattern == sent,
    }
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// The fields of a form or multipart body against its object schema.
fn check_fields(
    contract: &Contract,
    schema: &Located<'_>,
    encoding: Option<&Value>,
    fields: Vec<Field>,
    carrier: Carrier,
    problems: &mut Vec<String>,
) {
    let label = carrier.label();
    let properties = shape::properties(contract, schema.value);
    let additional = shape::additional(contract, schema.value);
    let encoding_of = |name: &str| encoding.and_then(|e| e.get(name));
    // `style`/`explode` apply to form bodies, and to multipart bodies from OpenAPI 3.1 on.
    let styled = carrier == Carrier::Form || contract.styles_multipart();
    let style_of = |name: &str| {
        encoding_of(name)
            .filter(|_| styled)
            .and_then(|e| e.get("style"))
            .and_then(Value::as_str)
    };
    // Property name -> its fields, each with the keys of a `name[key]` part.
    let mut groups: Vec<(String, Vec<Keyed>)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for field in fields {
        let (property, keys) = if properties.iter().any(|(n, _)| *n == field.name) {
            (field.name.clone(), Vec::new())
        } else if let Some((base, keys)) = bracketed(&field.name).filter(|(base, _)| {
            style_of(base) == Some("deepObject") && properties.iter().any(|(n, _)| n == base)
        }) {
            (base.to_owned(), keys)
        } else if additional.is_some() {
            (field.name.clone(), Vec::new())
        } else {
            if !unknown.contains(&field.name) {
                unknown.push(field.name);
            }
            continue;
        };
        match groups.iter_mut().find(|(p, _)| *p == property) {
            Some((_, entries)) => entries.push((keys, field)),
            None => groups.push((property, vec![(keys, field)])),
        }
    }
    for name in unknown {
        let names: Vec<String> = properties.iter().map(|(n, _)| format!("`{n}`")).collect();
        problems.push(format!(
            "{label} `{name}` is not a property of the body's schema (its properties: {})",
            names.join(", ")
        ));
    }
    let mut object = Map::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for (property, entries) in groups {
        let schema = properties
            .iter()
            .find(|(n, _)| *n == property)
            .map(|(_, s)| *s)
            .or(additional)
            .unwrap_or(&Value::Bool(true));
        let encoding = encoding_of(&property);
        let before = problems.len();
        let value = field_value(
            contract, &property, schema, encoding, styled, entries, carrier, problems,
        );
        match value {
            Some(value) if problems.len() == before => {
                object.insert(property, value);
            }
            _ => {
                reported.insert(property);
            }
        }
    }
    let instance = Value::Object(object);
    schema_problems(
        contract,
        &schema.pointer,
        &instance,
        problems,
        &mut |path, error| {
            let first = error.instance_path().iter().next().map(|s| s.to_string());
            match first {
                None => match error.kind() {
                    jsonschema::error::ValidationErrorKind::Required { property } => {
                        let name = property.as_str().unwrap_or_default();
                        (!reported.contains(name))
                            .then(|| format!("{label} `{name}` is required but was not sent"))
                    }
                    _ => Some(format!("the body: {error}")),
                },
                Some(first) if reported.contains(&first) => None,
                Some(first) => {
                    let rest = path.splitn(3, '/').nth(2).unwrap_or_default();
                    Some(if rest.is_empty() {
                        format!("{label} `{first}`: {error}")
                    } else {
                        format!("{label} `{first}` at `/{rest}`: {error}")
                    })
                }
            }
        },
    );
}

/// The value of one property from its fields, or `None` after pushing why not. `styled`:
/// whether the encoding's `style`/`explode` apply (else the defaults: form, exploded).
#[allow(clippy::too_many_arguments)]
fn field_value(
    contract: &Contract,
    property: &str,
    schema: &Value,
    encoding: Option<&Value>,
    styled: bool,
    entries: Vec<Keyed>,
    carrier: Carrier,
    problems: &mut Vec<String>,
) -> Option<Value> {
    let label = carrier.label();
    let shape = shape::shape(contract, schema);
    let explicit = encoding
        .and_then(|e| e.get("contentType"))
        .and_then(Value::as_str);
    let styling = encoding.filter(|_| styled);
    let style = styling
        .and_then(|e| e.get("style"))
        .and_then(Value::as_str)
        .unwrap_or("form");
    let explode = styling
        .and_then(|e| e.get("explode"))
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    if style == "deepObject" && entries.iter().any(|(keys, _)| !keys.is_empty()) {
        let mut object = Value::Object(Map::new());
        for (keys, field) in entries {
            let leaf = shape::shape(contract, leaf_schema(contract, schema, &keys));
            let text = part_text(&field, &Shape::Text("string"), None, carrier, problems)?;
            let value =
                match text_value(&text, &leaf).and_then(|v| insert_at(&mut object, &keys, v)) {
                    Ok(()) => continue,
                    Err(problem) => problem,
                };
            problems.push(format!("{label} `{}`: {value}", field.name));
        }
        return Some(object);
    }
    if let [(keys, field), ..] = entries.as_slice()
        && !keys.is_empty()
    {
        problems.push(format!(
            "{label} `{}`: the property `{property}` is not encoded as deepObject",
            field.name
        ));
        return None;
    }
    let fields: Vec<Field> = entries.into_iter().map(|(_, f)| f).collect();
    let item_shape = shape.item().clone();
    match &shape {
        Shape::Array(items) | Shape::OneOrList(items) => {
            // One JSON part holding the whole array, where the items are objects.
            if let [one] = fields.as_slice()
                && matches!(
                    **items,
                    Shape::Object | Shape::Array(_) | Shape::OneOrList(_) | Shape::Any
                )
                && one
                    .content_type
                    .as_deref()
                    .map(essence)
                    .is_some_and(|e| is_json(&e))
            {
                let text = part_text(one, &shape, explicit, carrier, problems)?;
                if let Ok(Value::Array(values)) = serde_json::from_str(&text) {
                    return Some(Value::Array(values));
                }
            }
            let delimiter = match style {
                "spaceDelimited" => ' ',
                "pipeDelimited" => '|',
                _ => ',',
            };
            let mut values = Vec::new();
            for field in &fields {
                let text = part_text(field, &item_shape, explicit, carrier, problems)?;
                let texts: Vec<&str> = if explode {
                    vec![text.as_str()]
                } else {
                    text.split(delimiter).collect()
                };
                for text in texts {
                    values.push(item_value(text, items, field, carrier, problems)?);
                }
            }
            // `items` without `type`: one value is that value, more are a list.
            if matches!(shape, Shape::OneOrList(_)) && values.len() == 1 {
                return values.pop();
            }
            Some(Value::Array(values))
        }
        single => {
            if fields.len() > 1 {
                problems.push(format!(
                    "{label} `{property}`: sent {} times, but its schema ({}) takes one value",
                    fields.len(),
                    single.describe()
                ));
                return None;
            }
            let field = fields.first()?;
            let text = part_text(field, single, explicit, carrier, problems)?;
            item_value(&text, single, field, carrier, problems)
        }
    }
}

/// One value of shape `shape` from a field's text.
fn item_value(
    text: &str,
    shape: &Shape,
    field: &Field,
    carrier: Carrier,
    problems: &mut Vec<String>,
) -> Option<Value> {
    let json_sent = field
        .content_type
        .as_deref()
        .map(essence)
        .is_some_and(|e| is_json(&e));
    let value = match shape {
        Shape::Text(ty) => shape::coerce(text, ty),
        Shape::Binary => Ok(Value::String(format!("({} bytes)", field.data.len()))),
        Shape::Object | Shape::Array(_) => {
            serde_json::from_str(text).map_err(|e| format!("the value is not JSON: {e}"))
        }
        Shape::Any | Shape::OneOrList(_) if json_sent => {
            serde_json::from_str(text).map_err(|e| format!("the value is not JSON: {e}"))
        }
        Shape::Any | Shape::OneOrList(_) => Ok(Value::String(text.to_owned())),
    };
    value
        .map_err(|e| problems.push(format!("{} `{}`: {e}", carrier.label(), field.name)))
        .ok()
}

/// A field's content as text, after checking the content type it was sent with against
/// what `shape` (one item's) or `explicit` (the encoding's `contentType`) calls for.
/// A binary part is not read as text (its placeholder needs none).
fn part_text(
    field: &Field,
    shape: &Shape,
    explicit: Option<&str>,
    carrier: Carrier,
    problems: &mut Vec<String>,
) -> Option<String> {
    let name = &field.name;
    let label = carrier.label();
    if carrier == Carrier::Multipart {
        let sent = field
            .content_type
            .as_deref()
            .map(essence)
            .unwrap_or_else(|| "text/plain".into());
        let shown = match &field.content_type {
            Some(_) => sent.clone(),
            None => "text/plain (no Content-Type)".into(),
        };
        if let Some(explicit) = explicit {
            let allowed: Vec<String> = explicit.split(',').map(essence).collect();
            // Octet-stream is "any bytes" (RFC 2046): a file sent with its own type fits it.
            let any_bytes =
                *shape == Shape::Binary && allowed.iter().any(|a| a == "application/octet-stream");
            if !any_bytes && !allowed.iter().any(|a| media_matches(a, &sent)) {
                problems.push(format!(
                    "{label} `{name}`: sent as {shown}, but its encoding's contentType is `{explicit}`"
                ));
                return None;
            }
        } else {
            // A file carries its own type (`image/png`): octet-stream is only its default.
            let expected = match shape {
                Shape::Binary => None,
                other => other.part_content_type(),
            };
            let fits = match expected {
                Some("text/plain") => sent == "text/plain",
                Some(_) => is_json(&sent),
                None => true,
            };
            if let (Some(expected), false) = (expected, fits) {
                problems.push(format!(
                    "{label} `{name}`: sent as {shown}, but its schema ({}) is sent as {expected}",
                    shape.describe()
                ));
                return None;
            }
        }
    }
    if *shape == Shape::Binary {
        return Some(String::new());
    }
    match std::str::from_utf8(&field.data) {
        Ok(text) => Some(text.to_owned()),
        Err(e) => {
            problems.push(format!("{label} `{name}`: is not UTF-8 text: {e}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document with a form body, a header parameter and array query parameters.
    fn contract() -> Contract {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {"/f/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "integer", "minimum": 1}}],
                "post": {
                    "parameters": [
                        {"name": "X-Level", "in": "header", "required": true,
                         "schema": {"type": "integer", "maximum": 3}},
                        {"name": "tags", "in": "query", "explode": false,
                         "schema": {"type": "array", "items": {"enum": ["a", "b"]}}},
                        {"name": "ids", "in": "query",
                         "schema": {"type": "array", "items": {"type": "integer"}}},
                        {"name": "filter", "in": "query", "style": "deepObject",
                         "schema": {"type": "object", "properties": {
                             "n": {"type": "integer"},
                             "a.b": {"type": "integer"}
                         }}},
                        {"name": "names", "in": "query", "explode": false,
                         "schema": {"type": "array", "maxItems": 2,
                                    "items": {"type": "string", "minLength": 1}}},
                        {"name": "words", "in": "query", "style": "spaceDelimited",
                         "explode": false,
                         "schema": {"type": "array", "maxItems": 2, "items": {"type": "string"}}}
                    ],
                    "requestBody": {"required": true, "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {"type": "object", "required": ["name"],
                                "additionalProperties": false,
                                "properties": {
                                    "name": {"type": "string", "maxLength": 3},
                                    "count": {"type": "integer", "nullable": true},
                                    "list": {"type": "array", "items": {"type": "boolean"}}
                                }},
                            "encoding": {"list": {"style": "form", "explode": false}}
                        }
                    }},
                    "responses": {"204": {"description": "ok"}}
                }
            }}
        });
        Contract::parse(&document.to_string()).unwrap()
    }

    fn request(
        path_id: &str,
        query: &[(&str, &str)],
        level: Option<&str>,
        body: &str,
    ) -> RecordedRequest {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "content-type",
            reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        if let Some(level) = level {
            headers.insert("x-level", level.parse().unwrap());
        }
        // `query`: the pairs as sent, raw (percent-encoded where a test says so).
        let raw_query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let raw_query = raw_query.join("&");
        RecordedRequest {
            method: "POST".into(),
            path: format!("/f/{path_id}"),
            query: url::form_urlencoded::parse(raw_query.as_bytes())
                .into_owned()
                .collect(),
            raw_query,
            headers,
            body: Bytes::from(body.to_owned()),
            operation: None,
            path_params: vec![("id".into(), path_id.into())],
            refusal: None,
        }
    }

    const OP: Operation = Operation::new("form", "POST", "/f/{id}");

    fn problems(request: &RecordedRequest) -> Vec<String> {
        check(&contract(), &OP, request)
            .err()
            .map(|r| r.problems)
            .unwrap_or_default()
    }

    #[test]
    fn a_fitting_form_request_passes() {
        let query = [
            ("tags", "a,b"),
            ("ids", "1"),
            ("ids", "2"),
            ("filter[n]", "4"),
            ("other", "x"),
        ];
        let ok = request("7", &query, Some("2"), "name=abc&count=3&list=true,false");
        assert_eq!(problems(&ok), Vec::<String>::new());
    }

    #[test]
    fn parameters_and_form_fields_are_read_by_style_and_checked() {
        let query = [
            ("tags", "a,c"),
            ("ids", "1"),
            ("ids", "x"),
            ("filter[n]", "no"),
        ];
        let bad = request(
            "0",
            &query,
            None,
            "name=abcd&count=z&list=true,maybe&extra=1",
        );
        let found = problems(&bad);
        let expect = [
            "path parameter `id`: 0 is less than the minimum of 1",
            "header parameter `X-Level` is required but was not sent",
            "query parameter `tags` at `/1`: \"c\" is not one of",
            "query parameter `ids`: `x` is not an integer",
            "query parameter `filter`: `no` is not an integer",
            "form field `extra` is not a property of the body's schema",
            "form field `count`: `z` is not an integer",
            "form field `list`: `maybe` is not a boolean",
            "form field `name`: \"abcd\" is longer than 3 characters",
        ];
        for needle in expect {
            assert!(
                found.iter().any(|p| p.starts_with(needle)),
                "{needle} in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
    }

    #[test]
    fn values_are_split_before_they_are_decoded() {
        // An encoded comma is inside a value; a literal one is between two. A space arrives
        // as `%20` or `+`, both delimiters of a space-delimited array.
        let query = [("names", "a%2Cb,c"), ("words", "x+y"), ("filter[a.b]", "5")];
        let ok = request("7", &query, Some("2"), "name=abc");
        assert_eq!(problems(&ok), Vec::<String>::new());
        let query = [
            ("names", "a,b,c"),
            ("words", "x%20y%20z"),
            ("filter[a.b]", "x"),
        ];
        let found = problems(&request("7", &query, Some("2"), "name=abc"));
        let expect = [
            "query parameter `names`: [\"a\",\"b\",\"c\"] has more than 2 items",
            "query parameter `words`: [\"x\",\"y\",\"z\"] has more than 2 items",
            // The key `a.b` is one property, not `a` then `b`.
            "query parameter `filter`: `x` is not an integer",
        ];
        for needle in expect {
            assert!(
                found.iter().any(|p| p.starts_with(needle)),
                "{needle} in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
        // An encoded comma in one enum value is not two values.
        let found = problems(&request("7", &[("tags", "a%2Cb")], Some("2"), "name=abc"));
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("query parameter `tags` at `/0`: \"a,b\"")),
            "{found:#?}"
        );
    }

    #[test]
    fn raw_text_splits_on_the_delimiter_as_sent() {
        assert_eq!(split_raw("a%2Cb,c", ',', Location::Query), ["a%2Cb", "c"]);
        assert_eq!(split_raw("a%20b+c", ' ', Location::Query), ["a", "b", "c"]);
        assert_eq!(split_raw("a|b%7Cc", '|', Location::Query), ["a", "b", "c"]);
        assert_eq!(decode("a%2Cb+c", Location::Query), "a,b c");
        assert_eq!(decode("a%2Cb+c", Location::Path), "a,b+c");
    }

    #[test]
    fn a_missing_required_body_is_refused() {
        let empty = request("1", &[], Some("1"), "");
        assert_eq!(
            problems(&empty),
            ["the request body is required but none was sent"]
        );
    }

    /// A multipart body of `parts` (name, content type, text).
    fn multipart_request(path: &str, parts: &[(&str, Option<&str>, &str)]) -> RecordedRequest {
        let mut body = String::new();
        for (name, content_type, text) in parts {
            body.push_str(&format!(
                "--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n"
            ));
            if let Some(content_type) = content_type {
                body.push_str(&format!("Content-Type: {content_type}\r\n"));
            }
            body.push_str(&format!("\r\n{text}\r\n"));
        }
        body.push_str("--b--\r\n");
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "content-type",
            reqwest::header::HeaderValue::from_static("multipart/form-data; boundary=b"),
        );
        RecordedRequest {
            method: "POST".into(),
            path: path.into(),
            query: Vec::new(),
            raw_query: String::new(),
            headers,
            body: Bytes::from(body),
            operation: None,
            path_params: Vec::new(),
            refusal: None,
        }
    }

    /// A document declaring `version`, with a multipart body whose encoding styles its parts.
    fn styled_multipart(version: &str) -> Contract {
        let (openapi, declared) = match version.split_once(" lowered from ") {
            Some((lowered, declared)) => (lowered, declared),
            None => (version, version),
        };
        let document = json!({
            "openapi": openapi,
            "x-source-openapi": declared,
            "paths": {"/m": {"post": {
                "requestBody": {"required": true, "content": {"multipart/form-data": {
                    "schema": {"type": "object", "additionalProperties": false,
                        "properties": {
                            "meta": {"type": "object",
                                     "properties": {"n": {"type": "integer"}}},
                            "tags": {"type": "array", "items": {"type": "integer"}}
                        }},
                    "encoding": {
                        "meta": {"style": "deepObject", "explode": true},
                        "tags": {"style": "form", "explode": false}
                    }
                }}},
                "responses": {"204": {"description": "ok"}}
            }}}
        });
        Contract::parse(&document.to_string()).unwrap()
    }

    fn multipart_problems(
        contract: &Contract,
        parts: &[(&str, Option<&str>, &str)],
    ) -> Vec<String> {
        let op = Operation::new("m", "POST", "/m");
        check(contract, &op, &multipart_request("/m", parts))
            .err()
            .map(|r| r.problems)
            .unwrap_or_default()
    }

    #[test]
    fn multipart_style_applies_from_openapi_3_1() {
        let styled = [("meta[n]", None, "4"), ("tags", None, "1,2")];
        for version in ["3.1.0", "3.2.0"] {
            let contract = styled_multipart(version);
            assert_eq!(multipart_problems(&contract, &styled), Vec::<String>::new());
        }
        // A 3.1 document lowered to 3.0 by a generator keeps the 3.1 rule.
        let contract = styled_multipart("3.0.3 lowered from 3.1.0");
        assert_eq!(multipart_problems(&contract, &styled), Vec::<String>::new());
    }

    #[test]
    fn multipart_style_is_ignored_under_openapi_3_0() {
        let contract = styled_multipart("3.0.3");
        // Each part follows its schema's default: the object one JSON part, the array one
        // text part per item.
        let defaults = [
            ("meta", Some("application/json"), r#"{"n": 4}"#),
            ("tags", None, "1"),
            ("tags", None, "2"),
        ];
        assert_eq!(
            multipart_problems(&contract, &defaults),
            Vec::<String>::new()
        );
        let found = multipart_problems(&contract, &[("meta[n]", None, "4"), ("tags", None, "1,2")]);
        for needle in [
            "multipart part `meta[n]` is not a property of the body's schema",
            "multipart part `tags`: `1,2` is not an integer",
        ] {
            assert!(
                found.iter().any(|p| p.starts_with(needle)),
                "{needle} in {found:#?}"
            );
        }
        assert_eq!(found.len(), 2, "{found:#?}");
    }

    #[test]
    fn form_bodies_use_style_under_openapi_3_0() {
        // The form body of `contract()` (3.0.3) sends `list` comma-separated, by its style.
        let ok = request("7", &[], Some("2"), "name=abc&list=true,false");
        assert_eq!(problems(&ok), Vec::<String>::new());
    }

    #[test]
    fn bracketed_names_split_into_keys() {
        assert_eq!(
            bracketed("a[b][c]"),
            Some(("a", vec!["b".into(), "c".into()]))
        );
        assert_eq!(bracketed("ids[]"), Some(("ids", vec![String::new()])));
        assert_eq!(bracketed("a[b"), None);
        assert_eq!(bracketed("[b]"), None);
        assert_eq!(bracketed("a[b]c"), None);
    }

    #[test]
    fn media_ranges_match() {
        assert!(media_matches("*/*", "image/png"));
        assert!(media_matches("image/*", "image/png"));
        assert!(!media_matches("image/*", "text/plain"));
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
    }
}
