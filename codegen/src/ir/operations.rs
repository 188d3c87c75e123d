//! Operations -> groups, method names, parameters, bodies and responses.

use super::pagination::detect;
use super::schemas::{Naming, TypeSpace, doc_of, wrap_nullable};
use super::{
    AuthKind, Body, BodyChoice, BodyKind, Doc, Field, Group, MultipartKind, Operation, Param,
    ParamLocation, ParamStyle, Struct, Success, SuccessCase, Ty, TypeDef, TypeKind,
};
use crate::diagnostics::Diagnostics;
use crate::load::{Document, escape_pointer};
use crate::names::{NameSet, field_name, type_name};
use heck::ToSnakeCase;
use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    Response, Schema, SchemaKind, SecurityScheme, StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// The header OpenAPI documents use for idempotency keys (IETF draft `Idempotency-Key`).
const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Names the request builders use for their own options; parameters are renamed around them.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "send",
    "send_with_response",
    "pages",
    "items",
    "build",
    "max_retries",
    "timeout",
    "deadline",
    "idempotency_key",
    "body",
];

fn resolve_component<'a, T: serde::de::DeserializeOwned + Clone>(
    doc: &'a Document,
    item: &'a ReferenceOr<T>,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<(T, String)> {
    match item {
        ReferenceOr::Item(t) => Some((t.clone(), pointer.to_owned())),
        ReferenceOr::Reference { reference } => {
            let target = crate::load::local_pointer(reference).and_then(|p| doc.raw.pointer(&p));
            let Some(raw) = target else {
                diags.warn(
                    pointer,
                    format!("reference `{reference}` cannot be resolved; skipped"),
                );
                return None;
            };
            match serde_json::from_value::<ReferenceOr<T>>(raw.clone()) {
                Ok(ReferenceOr::Item(t)) => Some((t, reference.clone())),
                Ok(ReferenceOr::Reference { .. }) => {
                    diags.warn(
                        pointer,
                        format!("reference `{reference}` points at another reference; skipped"),
                    );
                    None
                }
                Err(e) => {
                    diags.warn(
                        pointer,
                        format!("reference `{reference}` has the wrong shape: {e}"),
                    );
                    None
                }
            }
        }
    }
}

/// Method name from `operationId`: controller prefixes and the group's own noun are dropped
/// (`AccountsController_listAccounts` under `accounts` -> `list`).
fn method_name(operation_id: Option<&str>, group: &str, http_method: &str, path: &str) -> String {
    let Some(id) = operation_id.filter(|id| !id.trim().is_empty()) else {
        let mut parts = vec![http_method.to_owned()];
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

/// Builds groups and operations.
pub fn build(
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
    let mut group_index: IndexMap<String, usize> = IndexMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut module_names = NameSet::default();
    for reserved in ["types", "engine", "client", "default_"] {
        module_names.reserve(reserved);
    }
    let mut method_names: Vec<NameSet> = Vec::new();
    let mut ops = Vec::new();
    for (path, item) in api.paths.paths.iter() {
        let path_ptr = format!("#/paths/{}", escape_pointer(path));
        let Some((item, _)) = resolve_component(doc, item, &path_ptr, diags) else {
            continue;
        };
        for (http_method, op) in item.iter() {
            let pointer = format!("{path_ptr}/{http_method}");
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_owned());
            let gi = *group_index.entry(tag.clone()).or_insert_with(|| {
                let module = module_names.unique(&field_name(&tag));
                groups.push(Group {
                    type_name: type_name(&module),
                    module,
                    doc: tag_docs.get(&tag).cloned().flatten(),
                });
                method_names.push(NameSet::default());
                groups.len() - 1
            });
            let mut method = method_name(op.operation_id.as_deref(), &tag, http_method, path);
            if BUILDER_RESERVED.contains(&method.as_str()) {
                method.push_str("_op");
            }
            let method = method_names[gi].unique(&method);
            let builder = format!("{}Builder", type_name(&method));
            let op_name = format!("{}{}", groups[gi].type_name, type_name(&method));

            let mut params = Vec::new();
            let mut idempotent = false;
            let mut seen: IndexMap<(String, String), (Parameter, String)> = IndexMap::new();
            for (i, p) in item.parameters.iter().enumerate() {
                if let Some((p, at)) =
                    resolve_component(doc, p, &format!("{path_ptr}/parameters/{i}"), diags)
                {
                    let d = p.parameter_data_ref();
                    seen.insert((d.name.clone(), location_word(&p).into()), (p, at));
                }
            }
            for (i, p) in op.parameters.iter().enumerate() {
                if let Some((p, at)) =
                    resolve_component(doc, p, &format!("{pointer}/parameters/{i}"), diags)
                {
                    let d = p.parameter_data_ref();
                    seen.insert((d.name.clone(), location_word(&p).into()), (p, at));
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
                if let Some(param) = convert_param(space, &p, &op_name, &at, &mut idents, diags) {
                    params.push(param);
                }
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
                let (b, at) = resolve_component(doc, b, &format!("{pointer}/requestBody"), diags)?;
                convert_body(space, &b, &op_name, &at, diags)
            });
            let (success, errors) =
                convert_responses(space, doc, &op.responses, &op_name, &pointer, diags);
            let pagination = if http_method == "get" {
                detect(space, &params, &success)
            } else {
                None
            };
            ops.push(Operation {
                group: gi,
                method,
                builder,
                http_method: http_method.to_uppercase(),
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
            });
        }
    }
    (groups, ops)
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

fn location_word(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn convert_param(
    space: &mut TypeSpace<'_>,
    p: &Parameter,
    op_name: &str,
    pointer: &str,
    idents: &mut NameSet,
    diags: &mut Diagnostics,
) -> Option<Param> {
    let data = p.parameter_data_ref();
    let (location, style, explode) = match p {
        Parameter::Query { style, .. } => {
            let s = match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            };
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
            let range = space
                .resolve(s, pointer, &mut Diagnostics::default())
                .and_then(|(s, _, _)| numeric_range(&s));
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
    Some(Param {
        ident: idents.unique(&field_name(&data.name)),
        wire: data.name.clone(),
        location,
        text: super::is_text(|n| space.defined(n).map(|d| &d.kind), &ty),
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
    })
}

fn numeric_range(s: &Schema) -> Option<(Option<f64>, Option<f64>)> {
    let (min, max) = match &s.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            (i.minimum.map(|v| v as f64), i.maximum.map(|v| v as f64))
        }
        SchemaKind::Type(Type::Number(n)) => (n.minimum, n.maximum),
        _ => return None,
    };
    (min.is_some() || max.is_some()).then_some((min, max))
}

fn media_rank(media: &str) -> Option<u8> {
    let m = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(match m.as_str() {
        "application/json" => 0,
        _ if m.ends_with("+json") || m.ends_with("/json") => 1,
        "multipart/form-data" => 2,
        "application/x-www-form-urlencoded" => 3,
        "application/octet-stream" => 4,
        _ if m.starts_with("text/") => 5,
        _ if m.contains('*') => 6,
        _ => 6,
    })
}

fn convert_body(
    space: &mut TypeSpace<'_>,
    body: &RequestBody,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<Body> {
    let mut media: Vec<(&String, &openapiv3::MediaType)> = body.content.iter().collect();
    media.sort_by_key(|(m, _)| media_rank(m));
    let mut choices: Vec<BodyChoice> = Vec::new();
    for (content_type, mt) in media {
        let kind = body_kind(space, content_type, mt, op_name, pointer, diags);
        if choices.iter().any(|c| c.kind == kind) {
            continue;
        }
        let content_type = if content_type.contains('*') {
            if matches!(kind, BodyKind::Json(_)) {
                "application/json".to_owned()
            } else {
                "application/octet-stream".to_owned()
            }
        } else {
            content_type.clone()
        };
        choices.push(BodyChoice { content_type, kind });
    }
    let mut choices = choices.into_iter();
    let first = choices.next()?;
    Some(Body {
        content_type: first.content_type,
        kind: first.kind,
        required: body.required,
        alternatives: choices.collect(),
    })
}

fn body_kind(
    space: &mut TypeSpace<'_>,
    content_type: &str,
    mt: &openapiv3::MediaType,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> BodyKind {
    let at = format!("{pointer}/content/{}", escape_pointer(content_type));
    let lower = content_type.to_ascii_lowercase();
    let naming = Naming::Hint(format!("{op_name}Request"));
    if lower.starts_with("multipart/") {
        BodyKind::Multipart(multipart_struct(space, mt, op_name, &at, diags))
    } else if lower.starts_with("application/x-www-form-urlencoded") {
        let ty = mt
            .schema
            .as_ref()
            .map(|s| {
                space
                    .convert(s, naming, &format!("{at}/schema"), 0, diags)
                    .ty
            })
            .unwrap_or(Ty::Value);
        BodyKind::Form(ty)
    } else if lower.contains("json") {
        let ty = mt
            .schema
            .as_ref()
            .map(|s| wrap_nullable(space.convert(s, naming, &format!("{at}/schema"), 0, diags)))
            .unwrap_or(Ty::Value);
        BodyKind::Json(if ty == Ty::Binary { Ty::String } else { ty })
    } else if lower.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    }
}

/// A multipart body becomes a struct whose binary fields are file parts.
fn multipart_struct(
    space: &mut TypeSpace<'_>,
    mt: &openapiv3::MediaType,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> String {
    let name = space.names.unique(&type_name(&format!("{op_name}Request")));
    let mut fields = Vec::new();
    let mut idents = NameSet::default();
    if let Some(schema) = &mt.schema
        && let Some((s, at, _)) = space.resolve(schema, &format!("{pointer}/schema"), diags)
    {
        let view = super::merge::object_view(space, &s, &at, 0, diags);
        for (wire, (prop, prop_ptr)) in &view.properties {
            let resolved = space
                .resolve(prop, prop_ptr, &mut Diagnostics::default())
                .map(|(s, _, _)| s);
            let binary_kind = resolved.as_ref().and_then(binary_shape);
            let encoded_json = mt
                .encoding
                .get(wire)
                .and_then(|e| e.content_type.as_deref())
                .is_some_and(|c| c.contains("json"));
            let (ty, kind) = match binary_kind {
                Some(MultipartKind::File) => (Ty::Binary, MultipartKind::File),
                Some(_) => (Ty::Vec(Box::new(Ty::Binary)), MultipartKind::Files),
                None => {
                    let conv = space.convert(
                        prop,
                        Naming::Hint(format!("{name}{}", type_name(wire))),
                        prop_ptr,
                        1,
                        diags,
                    );
                    let ty = wrap_nullable(conv);
                    let structured = matches!(ty, Ty::Named(_) | Ty::Map(_) | Ty::Value)
                        || matches!(&ty, Ty::Vec(i) if !matches!(**i, Ty::String | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool));
                    (
                        ty,
                        if encoded_json || structured {
                            MultipartKind::Json
                        } else {
                            MultipartKind::Text
                        },
                    )
                }
            };
            fields.push(Field {
                ident: idents.unique(&field_name(wire)),
                wire: wire.clone(),
                ty,
                required: view.required.contains(wire),
                nullable: false,
                doc: resolved.as_ref().map(doc_of).unwrap_or_default(),
                multipart: Some(kind),
            });
        }
    }
    space.push(TypeDef {
        name: name.clone(),
        pointer: pointer.to_owned(),
        doc: Doc {
            description: Some("A `multipart/form-data` request body.".into()),
            ..Doc::default()
        },
        kind: TypeKind::Multipart(Struct {
            fields,
            additional: None,
        }),
    });
    name
}

fn is_binary(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => matches!(
            st.format,
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
        ),
        SchemaKind::Any(a) => a.format.as_deref() == Some("binary"),
        _ => false,
    }
}

fn binary_shape(s: &Schema) -> Option<MultipartKind> {
    if is_binary(s) {
        return Some(MultipartKind::File);
    }
    if let SchemaKind::Type(Type::Array(a)) = &s.schema_kind
        && let Some(ReferenceOr::Item(item)) = &a.items
        && is_binary(item)
    {
        return Some(MultipartKind::Files);
    }
    None
}

fn status_word(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        204 => "NoContent".into(),
        0 => "Default".into(),
        s => format!("Status{s}"),
    }
}

type Responses = (Vec<SuccessCase>, Vec<(String, Option<Ty>)>);

fn convert_responses(
    space: &mut TypeSpace<'_>,
    doc: &Document,
    responses: &openapiv3::Responses,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Responses {
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let mut entries: Vec<(String, &ReferenceOr<Response>)> = responses
        .responses
        .iter()
        .map(|(code, r)| (code.to_string(), r))
        .collect();
    if let Some(d) = &responses.default {
        entries.push(("default".into(), d));
    }
    let has_2xx = entries.iter().any(|(c, _)| c.starts_with('2'));
    let success_count = entries.iter().filter(|(c, _)| c.starts_with('2')).count();
    for (code, r) in entries {
        let at = format!("{pointer}/responses/{}", escape_pointer(&code));
        let Some((resp, _)) = resolve_component(doc, r, &at, diags) else {
            continue;
        };
        let is_success = code.starts_with('2') || (code == "default" && !has_2xx);
        let status: u16 = code.parse().unwrap_or(0);
        let hint = if is_success && success_count > 1 {
            format!("{op_name}{}Response", status_word(status))
        } else if is_success {
            format!("{op_name}Response")
        } else {
            format!("{op_name}Error{code}")
        };
        let body = response_body(space, &resp, &hint, &at, diags);
        if is_success {
            success.push(SuccessCase { status, body });
        } else {
            let ty = match body {
                Success::Json(t) => Some(t),
                _ => None,
            };
            errors.push((code, ty));
        }
    }
    (success, errors)
}

fn response_body(
    space: &mut TypeSpace<'_>,
    resp: &Response,
    hint: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Success {
    let mut media: Vec<(&String, &openapiv3::MediaType)> = resp.content.iter().collect();
    media.sort_by_key(|(m, _)| media_rank(m));
    let Some((content_type, mt)) = media.first() else {
        return Success::Empty;
    };
    let lower = content_type.to_ascii_lowercase();
    let at = format!("{pointer}/content/{}", escape_pointer(content_type));
    if lower.contains("json") {
        match &mt.schema {
            Some(s) => {
                let ty = wrap_nullable(space.convert(
                    s,
                    Naming::Hint(hint.to_owned()),
                    &format!("{at}/schema"),
                    0,
                    diags,
                ));
                if ty == Ty::Binary {
                    Success::Binary
                } else {
                    Success::Json(ty)
                }
            }
            None => Success::Json(Ty::Value),
        }
    } else if lower.starts_with("text/") {
        Success::Text
    } else {
        Success::Binary
    }
}

/// The auth the API declares first: bearer, or an API key in a header or the query.
pub fn auth_kind(api: &OpenAPI) -> AuthKind {
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

    #[test]
    fn method_names_drop_controller_and_group_nouns() {
        assert_eq!(
            method_name(
                Some("AccountsController_listAccounts"),
                "accounts",
                "get",
                "/accounts"
            ),
            "list"
        );
        assert_eq!(
            method_name(Some("UsersController_listUserPosts"), "users", "get", "/x"),
            "list_posts"
        );
        assert_eq!(
            method_name(Some("ChatsController_sendMessage"), "chats", "post", "/x"),
            "send_message"
        );
        assert_eq!(
            method_name(None, "default", "get", "/users/{id}/posts"),
            "get_users_by_id_posts"
        );
        assert_eq!(
            method_name(Some("accounts"), "accounts", "get", "/x"),
            "accounts"
        );
    }
}
