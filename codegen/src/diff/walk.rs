//! The document walk of a diff: operations by method and path (parameters, request bodies,
//! success responses), then component schemas by name, following `$ref`s with the
//! [`Resolver`], each change recorded with where it is and whether it breaks old code.

use super::{Change, METHOD_NAMES_FOLLOW, OPERATION_ID_CHANGED};
use crate::Resolver;
use crate::ir::{HttpMethod, Status};
use serde_json::Value;
use std::collections::BTreeSet;

/// Schema nesting followed at most; deeper differences are not reported.
const MAX_DEPTH: usize = 24;

/// The changes between two documents, sorted and each once.
pub(super) fn changes(old: &Value, new: &Value) -> Vec<Change> {
    let mut cx = Cx {
        old,
        new,
        changes: BTreeSet::new(),
    };
    cx.operations();
    cx.component_schemas();
    cx.changes.into_iter().collect()
}

struct Cx<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: BTreeSet<Change>,
}

/// Which way a schema travels: removals hurt responses, new requirements hurt requests.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Request,
    Response,
}

fn resolve<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    Resolver::new(doc).follow(v)
}

/// A short description of a schema's type, to spot type changes.
fn type_of(doc: &Value, schema: &Value) -> String {
    let s = resolve(doc, schema);
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return format!("ref {}", crate::pointer::last_segment(r));
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => other.to_string(),
        None if s.get("properties").is_some() => "object".into(),
        None if s.get("oneOf").is_some() => "oneOf".into(),
        None if s.get("anyOf").is_some() => "anyOf".into(),
        None if s.get("allOf").is_some() => "allOf".into(),
        None => "any".into(),
    };
    match s.get("format").and_then(Value::as_str) {
        Some(f) => format!("{ty} ({f})"),
        None => ty,
    }
}

fn required_set(s: &Value) -> BTreeSet<String> {
    s.get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn enum_set(s: &Value) -> Option<BTreeSet<String>> {
    s.get("enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().map(|v| v.to_string()).collect())
}

impl Cx<'_> {
    fn add(&mut self, breaking: bool, at: &str, what: String) {
        self.changes.insert(Change {
            breaking,
            at: at.to_owned(),
            what,
        });
    }

    fn operations(&mut self) {
        let ops = |doc: &Value| -> Vec<(HttpMethod, String, Value)> {
            let mut out = Vec::new();
            for (path, item) in doc["paths"].as_object().into_iter().flatten() {
                for m in HttpMethod::ALL {
                    if let Some(op) = item.get(m.key()) {
                        // Path-level parameters apply to every operation under the path.
                        let mut op = op.clone();
                        if let Some(shared) = item.get("parameters").and_then(Value::as_array) {
                            let own = op["parameters"].as_array().cloned().unwrap_or_default();
                            let mut all = shared.clone();
                            all.extend(own);
                            op["parameters"] = Value::Array(all);
                        }
                        out.push((m, path.clone(), op));
                    }
                }
            }
            out
        };
        let old_ops = ops(self.old);
        let new_ops = ops(self.new);
        for (m, p, old_op) in &old_ops {
            let at = format!("{m} {p}");
            match new_ops.iter().find(|(m2, p2, _)| m2 == m && p2 == p) {
                None => self.add(true, &at, "operation removed".into()),
                Some((_, _, new_op)) => self.operation(&at, old_op, new_op),
            }
        }
        for (m, p, _) in &new_ops {
            if !old_ops.iter().any(|(m2, p2, _)| m2 == m && p2 == p) {
                self.add(false, &format!("{m} {p}"), "operation added".into());
            }
        }
    }

    fn params(&self, doc: &Value, op: &Value) -> Vec<(String, Value)> {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(doc, p).clone())
            // A client-wide parameter (`x-client-wide: true`) is set on the client, not per
            // request: adding or changing it changes no request builder.
            .filter(|p| p.get("x-client-wide") != Some(&Value::Bool(true)))
            .filter_map(|p| {
                let key = format!(
                    "{} parameter `{}`",
                    p["in"].as_str().unwrap_or("?"),
                    p["name"].as_str()?
                );
                Some((key, p))
            })
            .collect()
    }

    fn operation(&mut self, at: &str, old: &Value, new: &Value) {
        let (old_doc, new_doc) = (self.old, self.new);
        if old.get("operationId") != new.get("operationId") {
            self.add(
                true,
                at,
                format!(
                    "{OPERATION_ID_CHANGED} from {} to {} {METHOD_NAMES_FOLLOW}",
                    old["operationId"], new["operationId"]
                ),
            );
        }
        let old_params = self.params(old_doc, old);
        let new_params = self.params(new_doc, new);
        for (key, p) in &old_params {
            match new_params.iter().find(|(k, _)| k == key) {
                None => self.add(true, at, format!("{key} removed")),
                Some((_, q)) => {
                    let was = p["required"].as_bool().unwrap_or(false);
                    let is = q["required"].as_bool().unwrap_or(false);
                    if is && !was {
                        self.add(true, at, format!("{key} became required"));
                    } else if was && !is {
                        self.add(false, at, format!("{key} became optional"));
                    }
                    self.schema(
                        &format!("{at} {key}"),
                        &p["schema"],
                        &q["schema"],
                        Direction::Request,
                        0,
                    );
                }
            }
        }
        for (key, q) in &new_params {
            if !old_params.iter().any(|(k, _)| k == key) {
                let required = q["required"].as_bool().unwrap_or(false);
                self.add(
                    required,
                    at,
                    format!("{key} added{}", if required { " as required" } else { "" }),
                );
            }
        }
        // Request body, by media type.
        let old_body = resolve(old_doc, &old["requestBody"]);
        let new_body = resolve(new_doc, &new["requestBody"]);
        if !old_body.is_null() && new_body.is_null() {
            self.add(true, at, "request body removed".into());
        } else if old_body.is_null() && !new_body.is_null() {
            let required = new_body["required"].as_bool().unwrap_or(false);
            self.add(required, at, "request body added".into());
        } else {
            for (media, content) in old_body["content"].as_object().into_iter().flatten() {
                match new_body["content"].get(media) {
                    None => self.add(true, at, format!("request media type `{media}` removed")),
                    Some(n) => self.schema(
                        &format!("{at} request body"),
                        &content["schema"],
                        &n["schema"],
                        Direction::Request,
                        0,
                    ),
                }
            }
        }
        // Success responses, each with the key it is written under.
        let statuses = |op: &Value| -> Vec<(Status, String)> {
            op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(k, _)| Some((k.parse::<Status>().ok()?, k.clone())))
                .filter(|(status, _)| status.is_success())
                .collect()
        };
        let (old_statuses, new_statuses) = (statuses(old), statuses(new));
        for (status, old_key) in &old_statuses {
            let s = status;
            let Some((_, new_key)) = new_statuses.iter().find(|(n, _)| n == status) else {
                self.add(true, at, format!("success status {s} removed"));
                continue;
            };
            let o = resolve(old_doc, &old["responses"][old_key]);
            let n = resolve(new_doc, &new["responses"][new_key]);
            for (media, content) in o["content"].as_object().into_iter().flatten() {
                match n["content"].get(media) {
                    None => self.add(
                        true,
                        at,
                        format!("{s} response media type `{media}` removed"),
                    ),
                    Some(nc) => self.schema(
                        &format!("{at} {s} response"),
                        &content["schema"],
                        &nc["schema"],
                        Direction::Response,
                        0,
                    ),
                }
            }
        }
        for (s, _) in &new_statuses {
            if !old_statuses.iter().any(|(o, _)| o == s) {
                self.add(false, at, format!("success status {s} added"));
            }
        }
    }

    /// Compares two schemas in the direction they travel.
    fn schema(&mut self, at: &str, old: &Value, new: &Value, dir: Direction, depth: usize) {
        if depth > MAX_DEPTH || old.is_null() || new.is_null() {
            return;
        }
        let (old_doc, new_doc) = (self.old, self.new);
        let (to, tn) = (type_of(old_doc, old), type_of(new_doc, new));
        // A `$ref` to a component compared by name: the component itself is compared once,
        // in `component_schemas`, which also keeps cycles finite.
        if to.starts_with("ref ") && to == tn {
            return;
        }
        if to != tn {
            self.add(true, at, format!("type changed from {to} to {tn}"));
            return;
        }
        let o = resolve(old_doc, old);
        let n = resolve(new_doc, new);
        self.schema_body(at, o, n, dir, depth);
    }

    fn schema_body(&mut self, at: &str, o: &Value, n: &Value, dir: Direction, depth: usize) {
        if let (Some(ov), Some(nv)) = (enum_set(o), enum_set(n)) {
            for v in ov.difference(&nv) {
                self.add(true, at, format!("enum value {v} removed"));
            }
            for v in nv.difference(&ov) {
                // New values reach old code as the enum's `Unknown` fallback.
                self.add(false, at, format!("enum value {v} added"));
            }
        }
        if o.get("nullable") != n.get("nullable")
            && n["nullable"].as_bool().unwrap_or(false)
            && dir == Direction::Response
        {
            self.add(true, at, "became nullable".into());
        }
        let (old_req, new_req) = (required_set(o), required_set(n));
        let empty = serde_json::Map::new();
        let old_props = o["properties"].as_object().unwrap_or(&empty);
        let new_props = n["properties"].as_object().unwrap_or(&empty);
        for (name, os) in old_props {
            let here = format!("{at} `{name}`");
            match new_props.get(name) {
                None => self.add(true, at, format!("property `{name}` removed")),
                Some(ns) => {
                    self.schema(&here, os, ns, dir, depth + 1);
                    let (was, is) = (old_req.contains(name), new_req.contains(name));
                    match (dir, was, is) {
                        (Direction::Request, false, true) => {
                            self.add(true, at, format!("property `{name}` became required"))
                        }
                        (Direction::Response, true, false) => self.add(
                            true,
                            at,
                            format!("property `{name}` is no longer always present"),
                        ),
                        _ => {}
                    }
                }
            }
        }
        for name in new_props.keys().filter(|k| !old_props.contains_key(*k)) {
            let required = new_req.contains(name);
            let breaking = dir == Direction::Request && required;
            self.add(
                breaking,
                at,
                format!(
                    "property `{name}` added{}",
                    if breaking { " as required" } else { "" }
                ),
            );
        }
        for key in ["items", "additionalProperties"] {
            if o.get(key).is_some_and(Value::is_object) && n.get(key).is_some_and(Value::is_object)
            {
                self.schema(&format!("{at} {key}"), &o[key], &n[key], dir, depth + 1);
            }
        }
        for key in ["oneOf", "anyOf"] {
            let (ob, nb) = (o[key].as_array(), n[key].as_array());
            if let (Some(ob), Some(nb)) = (ob, nb) {
                let names = |doc: &Value, list: &Vec<Value>| -> BTreeSet<String> {
                    list.iter().map(|b| type_of(doc, b)).collect()
                };
                let (on, nn) = (names(self.old, ob), names(self.new, nb));
                for gone in on.difference(&nn) {
                    self.add(
                        dir == Direction::Request,
                        at,
                        format!("{key} branch {gone} removed"),
                    );
                }
                for added in nn.difference(&on) {
                    self.add(false, at, format!("{key} branch {added} added"));
                }
            }
        }
    }

    /// Components compared by name, in both directions at once (a component may serve both):
    /// anything breaking either way is reported as breaking.
    fn component_schemas(&mut self) {
        let empty = serde_json::Map::new();
        let old = self.old["components"]["schemas"]
            .as_object()
            .unwrap_or(&empty)
            .clone();
        let new = self.new["components"]["schemas"]
            .as_object()
            .unwrap_or(&empty)
            .clone();
        for (name, os) in &old {
            let at = format!("schema {name}");
            match new.get(name) {
                None => self.add(true, &at, "schema removed".into()),
                Some(ns) => {
                    let (to, tn) = (type_of(self.old, os), type_of(self.new, ns));
                    if to != tn {
                        self.add(true, &at, format!("type changed from {to} to {tn}"));
                        continue;
                    }
                    self.schema_body(&at, os, ns, Direction::Response, 1);
                    self.schema_body(&at, os, ns, Direction::Request, 1);
                }
            }
        }
        for name in new.keys().filter(|k| !old.contains_key(*k)) {
            self.add(false, &format!("schema {name}"), "schema added".into());
        }
    }
}
