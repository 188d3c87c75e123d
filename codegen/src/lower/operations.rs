//! Operations -> resource groups, method and builder names, and parameters; bodies and
//! responses are converted in `bodies` and `responses`, pagination detected in `pagination`.

use super::bodies::{convert_body, param_style};
use super::pagination::detect;
use super::responses::{Responses, convert_responses};
use super::shapes::numeric_range;
use super::space::{Naming, TypeSpace};
use crate::diagnostics::Diagnostics;
use crate::idents::{NameSet, field_name, type_name};
use crate::ir::{
    AuthKind, Doc, Group, HttpMethod, Operation, Param, ParamLocation, ParamStyle, Ty, is_text,
};
use crate::load::Document;
use crate::pins::{MethodName, Names, operation_key};
use crate::pointer;
use crate::resolve::Resolver;
use heck::ToSnakeCase;
use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SecurityScheme,
};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The header OpenAPI documents use for idempotency keys (IETF draft `Idempotency-Key`).
const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// The extension that marks a parameter as a setting of the whole connection (`x-client-wide:
/// true`, e.g. a `port` query parameter every operation lists): the client sets it once, so the
/// request builders leave it out rather than offer a second, conflicting setter per request.
pub(crate) const CLIENT_WIDE_EXTENSION: &str = "x-client-wide";
/// Names the request builders use for their own options; parameters are renamed around them.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "send",
    "send_with_response",
    "send_stream",
    "clone",
    "pages",
    "items",
    "build",
    "max_retries",
    "timeout",
    "deadline",
    "idempotency_key",
    "body",
];
/// Names the group handles use for themselves: an operation's method is renamed around them.
const GROUP_RESERVED: &[&str] = &["new"];

/// Follows a parameter, path item or body reference; a failure is warned about and the item
/// skipped.
fn resolve_or_skip<T: DeserializeOwned + Clone>(
    resolver: &Resolver<'_>,
    item: &ReferenceOr<T>,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<(T, String)> {
    match resolver.resolve(item, pointer) {
        Ok(r) => Some((r.item, r.pointer)),
        Err(e) => {
            diags.warn(&e.pointer, format!("{e}; skipped"));
            None
        }
    }
}

/// Module names the generated crate uses itself; no group may take one.
const RESERVED_MODULES: &[&str] = &["types", "engine", "client", "default_"];

/// The caller's operation pins that name a valid module and method; others are warned about
/// (at the operation's key) and ignored.
fn valid_operation_pins(pins: &Names, diags: &mut Diagnostics) -> BTreeMap<String, MethodName> {
    let mut valid = BTreeMap::new();
    for (key, pin) in &pins.operations {
        let group_ok =
            field_name(&pin.group) == pin.group && !RESERVED_MODULES.contains(&pin.group.as_str());
        let method_ok = field_name(&pin.method) == pin.method
            && !BUILDER_RESERVED.contains(&pin.method.as_str())
            && !GROUP_RESERVED.contains(&pin.method.as_str());
        if group_ok && method_ok {
            valid.insert(key.clone(), pin.clone());
        } else {
            diags.warn(
                key.clone(),
                format!(
                    "pinned name `{}.{}` is not a valid module and method name; ignored",
                    pin.group, pin.method
                ),
            );
        }
    }
    valid
}

/// Method name from `operationId`: controller prefixes and the group's own noun are dropped
/// (`AccountsController_listAccounts` under `accounts` -> `list`). Without an id, the method
/// and the path's segments make the name.
fn method_name(
    operation_id: Option<&str>,
    group: &str,
    http_method: HttpMethod,
    path: &str,
) -> String {
    let Some(id) = operation_id.filter(|id| !id.trim().is_empty()) else {
        let mut parts = vec![http_method.key().to_owned()];
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            if let Some(p) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                parts.push(format!("by_{p}"));
            } else {
                parts.push(seg.to_owned());
            }
        }
        return field_name(&parts.join("_"));
    };
    let group_words: Vec<String> = group
        .to_snake_case()
        .split('_')
        .map(str::to_owned)
        .collect();
    let segments: Vec<&str> = id
        .split(['_', '.', '/', ':', ' '])
        .filter(|s| !s.is_empty())
        .filter(|s| !s.ends_with("Controller") && !s.eq_ignore_ascii_case(group))
        .collect();
    // An id that is only the group name (or a controller) keeps its own words.
    let segments = if segments.is_empty() {
        vec![id]
    } else {
        segments
    };
    let snake = field_name(&segments.join(" "));
    let nouns: Vec<String> = group_words
        .iter()
        .flat_map(|w| {
            [
                w.clone(),
                w.trim_end_matches('s').to_owned(),
                format!("{w}s"),
            ]
        })
        .filter(|w| !w.is_empty())
        .collect();
    let kept: Vec<&str> = snake
        .split('_')
        .filter(|w| !nouns.iter().any(|n| n == w))
        .filter(|w| !w.is_empty())
        .collect();
    if kept.is_empty() {
        snake
    } else {
        field_name(&kept.join("_"))
    }
}

/// Cargo feature names Cargo or the generator already gives a meaning to: a group named so
/// gets a `-group` suffix.
const RESERVED_FEATURES: [&str; 5] = ["default", "full", "mock", "serde", "std"];

/// The feature an operation is compiled under (see [`Operation::feature`]): its tag, else the
/// first path segment naming a resource (`/v1/customers/{id}` -> `customers`), with a
/// `-group` suffix where Cargo or the generator already uses the name.
fn operation_feature(tag: Option<&str>, path: &str) -> String {
    let raw = resource_word(tag, path);
    if RESERVED_FEATURES.contains(&raw.as_str()) {
        format!("{raw}-group")
    } else {
        raw
    }
}

fn resource_word(tag: Option<&str>, path: &str) -> String {
    if let Some(tag) = tag {
        return field_name(tag);
    }
    let is_version = |s: &str| {
        s.strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version(s) && *s != "api")
        .map(field_name)
        .unwrap_or_else(|| "root".to_owned())
}

/// Builds groups and operations.
pub(super) fn build(
    space: &mut TypeSpace<'_>,
    doc: &Document,
    diags: &mut Diagnostics,
) -> (Vec<Group>, Vec<Operation>) {
    let api = &doc.api;
    let tag_docs: IndexMap<String, Option<String>> = api
        .tags
        .iter()
        .map(|t| (t.name.clone(), t.description.clone()))
        .collect();
    let pins = valid_operation_pins(&space.pins, diags);
    let mut group_index: IndexMap<String, usize> = IndexMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut module_names = NameSet::default();
    for reserved in RESERVED_MODULES {
        module_names.reserve(reserved);
    }
    let pinned_groups: HashSet<&str> = pins.values().map(|p| p.group.as_str()).collect();
    for group in &pinned_groups {
        module_names.reserve(group);
    }
    // Pinned (group, method) pairs not yet handed out.
    let mut unclaimed: HashSet<(String, String)> = pins
        .values()
        .map(|p| (p.group.clone(), p.method.clone()))
        .collect();
    // The module each tag's operations went to, so a new operation joins its tag's group.
    let mut tag_modules: HashMap<String, String> = HashMap::new();
    let mut method_names: Vec<NameSet> = Vec::new();
    // Type stems per group: two distinct methods can share one (`list_2` and `list2` are both
    // `List2`), and the builders they name live in one module.
    let mut stems: Vec<NameSet> = Vec::new();
    let mut ops = Vec::new();
    let resolver = doc.resolver();
    for (path, item) in api.paths.paths.iter() {
        let path_ptr = format!("#/paths/{}", pointer::escape(path));
        let Some((item, _)) = resolve_or_skip(&resolver, item, &path_ptr, diags) else {
            continue;
        };
        for (http_method, op) in HttpMethod::ALL
            .into_iter()
            .filter_map(|m| Some((m, m.of(&item)?)))
        {
            let pointer = format!("{path_ptr}/{}", http_method.key());
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_owned());
            let key = operation_key(http_method, path);
            let pin = pins.get(&key);
            let module = match (pin, tag_modules.get(&tag)) {
                (Some(pin), _) => pin.group.clone(),
                (None, Some(module)) => module.clone(),
                (None, None) => {
                    let base = field_name(&tag);
                    if pinned_groups.contains(base.as_str()) {
                        base
                    } else {
                        module_names.unique(&base)
                    }
                }
            };
            tag_modules
                .entry(tag.clone())
                .or_insert_with(|| module.clone());
            let gi = *group_index.entry(module.clone()).or_insert_with(|| {
                groups.push(Group {
                    type_name: type_name(&module),
                    module: module.clone(),
                    doc: tag_docs.get(&tag).cloned().flatten(),
                });
                // Pinned methods of this group are reserved so no new method takes one.
                let mut names = NameSet::default();
                for p in pins.values().filter(|p| p.group == module) {
                    names.reserve(&p.method);
                }
                method_names.push(names);
                stems.push(NameSet::default());
                groups.len() - 1
            });
            let method = match pin {
                Some(p) if unclaimed.remove(&(p.group.clone(), p.method.clone())) => {
                    p.method.clone()
                }
                _ => {
                    let mut method =
                        method_name(op.operation_id.as_deref(), &tag, http_method, path);
                    if BUILDER_RESERVED.contains(&method.as_str())
                        || GROUP_RESERVED.contains(&method.as_str())
                    {
                        method.push_str("_op");
                    }
                    method_names[gi].unique(&method)
                }
            };
            space.chosen.operations.insert(
                key,
                MethodName {
                    group: module.clone(),
                    method: method.clone(),
                },
            );
            // The builder and the enums of one operation share its stem (`List`).
            let stem = stems[gi].unique(&type_name(&method));
            let op_name = format!("{}{stem}", groups[gi].type_name);

            let mut params = Vec::new();
            let mut idempotent = false;
            // Operation parameters override path-item ones of the same name and location.
            let mut seen: IndexMap<(String, ParamLocation), (Parameter, String)> = IndexMap::new();
            let declared = (item.parameters.iter().enumerate())
                .map(|(i, p)| (p, format!("{path_ptr}/parameters/{i}")))
                .chain(
                    (op.parameters.iter().enumerate())
                        .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
                );
            for (p, at) in declared {
                if let Some((p, at)) = resolve_or_skip(&resolver, p, &at, diags) {
                    let key = (p.parameter_data_ref().name.clone(), location_of(&p));
                    seen.insert(key, (p, at));
                }
            }
            let mut idents = NameSet::default();
            for r in BUILDER_RESERVED {
                idents.reserve(r);
            }
            for (p, at) in seen.into_values() {
                if matches!(p, Parameter::Header { .. })
                    && p.parameter_data_ref()
                        .name
                        .eq_ignore_ascii_case(IDEMPOTENCY_HEADER)
                {
                    idempotent = true;
                    continue;
                }
                if is_client_wide(&p) {
                    continue;
                }
                params.push(convert_param(space, &p, &op_name, &at, &mut idents, diags));
            }
            // Path placeholders without a declared parameter would leave `{x}` in the URL.
            for placeholder in placeholders(path) {
                if !params
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && p.wire == placeholder)
                {
                    diags.warn(&pointer, format!("path parameter `{placeholder}` is not declared; treated as a required string"));
                    params.push(Param {
                        ident: idents.unique(&field_name(&placeholder)),
                        wire: placeholder,
                        location: ParamLocation::Path,
                        ty: Ty::String,
                        text: true,
                        required: true,
                        style: ParamStyle::Form,
                        explode: false,
                        range: None,
                        doc: Doc::default(),
                    });
                }
            }
            params.retain(|p| {
                p.location != ParamLocation::Path || path.contains(&format!("{{{}}}", p.wire))
            });

            let body = op.request_body.as_ref().and_then(|b| {
                let at = format!("{pointer}/requestBody");
                let (b, at) = resolve_or_skip(&resolver, b, &at, diags)?;
                convert_body(space, &b, &op_name, format!("{stem}Body"), &at, diags)
            });
            let Responses { success, errors } =
                convert_responses(space, &op.responses, &op_name, &pointer, diags);
            let pagination = match http_method {
                HttpMethod::Get => detect(space, &params, &success),
                _ => None,
            };
            // Distinct success bodies need an enum; identical ones collapse to one type.
            let response_enum = success
                .iter()
                .any(|c| c.body != success[0].body)
                .then(|| format!("{stem}Response"));
            ops.push(Operation {
                group: gi,
                method,
                builder: format!("{stem}Builder"),
                response_enum,
                http_method,
                path: path.clone(),
                operation_id: op.operation_id.clone(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                pointer,
                params,
                body,
                success,
                errors,
                pagination,
                idempotent,
                feature: operation_feature(op.tags.first().map(String::as_str), path),
            });
        }
    }
    (groups, ops)
}

/// Whether the parameter carries `x-client-wide: true` (set once on the client, not per request).
fn is_client_wide(p: &Parameter) -> bool {
    p.parameter_data_ref()
        .extensions
        .get(CLIENT_WIDE_EXTENSION)
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

fn placeholders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn convert_param(
    space: &mut TypeSpace<'_>,
    p: &Parameter,
    op_name: &str,
    pointer: &str,
    idents: &mut NameSet,
    diags: &mut Diagnostics,
) -> Param {
    let data = p.parameter_data_ref();
    let (location, style, explode) = match p {
        Parameter::Query { style, .. } => {
            let s = param_style(style);
            (
                ParamLocation::Query,
                s,
                data.explode
                    .unwrap_or(s == ParamStyle::Form || s == ParamStyle::DeepObject),
            )
        }
        Parameter::Path { .. } => (ParamLocation::Path, ParamStyle::Form, false),
        Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Form, false),
        Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, false),
    };
    let naming = Naming::Hint(format!("{op_name}{}", type_name(&data.name)));
    let (ty, range) = match &data.format {
        ParameterSchemaOrContent::Schema(s) => {
            let conv = space.convert(s, naming, &format!("{pointer}/schema"), 0, diags);
            let range = space.resolver.peek(s).and_then(|s| numeric_range(&s));
            (conv.ty, range)
        }
        ParameterSchemaOrContent::Content(content) => {
            let ty = content
                .iter()
                .next()
                .and_then(|(_, m)| m.schema.as_ref())
                .map(|s| {
                    space
                        .convert(s, naming, &format!("{pointer}/content"), 0, diags)
                        .ty
                })
                .unwrap_or(Ty::String);
            (ty, None)
        }
    };
    let ty = if ty == Ty::Binary { Ty::String } else { ty };
    Param {
        ident: idents.unique(&field_name(&data.name)),
        wire: data.name.clone(),
        location,
        text: is_text(|n| space.defined(n).map(|d| &d.kind), &ty),
        ty,
        required: data.required || location == ParamLocation::Path,
        style,
        explode,
        range,
        doc: Doc {
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            ..Doc::default()
        },
    }
}

/// The auth the API declares first: bearer, or an API key in a header or the query.
pub(super) fn auth_kind(api: &OpenAPI) -> AuthKind {
    let schemes = api
        .components
        .as_ref()
        .map(|c: &Components| &c.security_schemes);
    let Some(schemes) = schemes else {
        return AuthKind::None;
    };
    for (_, s) in schemes.iter() {
        if let ReferenceOr::Item(s) = s {
            match s {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    return AuthKind::Bearer;
                }
                SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name,
                    ..
                } => return AuthKind::Header(name.clone()),
                SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Query,
                    name,
                    ..
                } => return AuthKind::Query(name.clone()),
                SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                    return AuthKind::Bearer;
                }
                _ => {}
            }
        }
    }
    AuthKind::None
}

#[cfg(test)]
mod tests {
    use super::method_name;
    use crate::ir::HttpMethod;

    #[test]
    fn method_names_drop_controller_and_group_nouns() {
        assert_eq!(
            method_name(
                Some("AccountsController_listAccounts"),
                "accounts",
                HttpMethod::Get,
                "/accounts"
            ),
            "list"
        );
        assert_eq!(
            method_name(
                Some("UsersController_listUserPosts"),
                "users",
                HttpMethod::Get,
                "/x"
            ),
            "list_posts"
        );
        assert_eq!(
            method_name(
                Some("ChatsController_sendMessage"),
                "chats",
                HttpMethod::Post,
                "/x"
            ),
            "send_message"
        );
        assert_eq!(
            method_name(None, "default", HttpMethod::Get, "/users/{id}/posts"),
            "get_users_by_id_posts"
        );
        assert_eq!(
            method_name(Some("accounts"), "accounts", HttpMethod::Get, "/x"),
            "accounts"
        );
    }

    #[test]
    fn client_wide_parameters_get_no_builder_setter() {
        let doc = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    parameters:
      - {name: port, in: query, schema: {type: integer}, x-client-wide: true}
    get:
      tags: [things]
      operationId: listThings
      parameters:
        - {name: kind, in: query, schema: {type: string}}
      responses:
        '200': {description: ok}
"#;
        let out = crate::generate(doc.as_bytes(), &crate::Options::default()).expect("generates");
        let code: String = (out.files.iter())
            .filter(|f| f.path.ends_with(".rs"))
            .map(|f| f.contents.as_str())
            .collect();
        assert!(
            code.contains("req.query(\"kind\""),
            "the ordinary parameter is sent: {code}"
        );
        assert!(
            code.contains("optional { kind : String }"),
            "and has a setter: {code}"
        );
        assert!(
            !code.contains("req.query(\"port\""),
            "the client-wide one is not: {code}"
        );
        assert!(!code.contains("port :"), "and has no setter: {code}");
    }
}
