//! Request bodies: which encodings an operation accepts (JSON, form, multipart, bytes, text),
//! in order of preference, each with its type, and the variant that picks it.

use super::encoding;
use super::merge::object_view;
use super::shapes::{doc_of, single_string_value};
use super::space::{Naming, TypeSpace, wrap_nullable};
use crate::diagnostics::Diagnostics;
use crate::idents::{NameSet, RESERVED_FIELD_METHODS, field_name, type_name};
use crate::ir::{
    Body, BodyChoice, BodyKind, Doc, Field, FormFieldEncoding, MultipartKind, ParamStyle, Struct,
    Ty, TypeDef, TypeKind,
};
use crate::pointer;
use openapiv3::{Encoding, MediaType, QueryStyle, ReferenceOr, RequestBody};
use serde_json::Value;
use std::collections::HashSet;

/// Preference among media types: JSON first, opaque types last.
pub(super) fn media_rank(media: &str) -> u8 {
    let m = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match m.as_str() {
        "application/json" => 0,
        _ if m.ends_with("+json") || m.ends_with("/json") => 1,
        "multipart/form-data" => 2,
        "application/x-www-form-urlencoded" => 3,
        "application/octet-stream" => 4,
        _ if m.starts_with("text/") => 5,
        _ => 6,
    }
}

/// The body of operation `op_name`; `None` when it declares no content. `choice_enum` names
/// the enum that picks an encoding, used when there is more than one.
pub(super) fn convert_body(
    space: &mut TypeSpace<'_>,
    body: &RequestBody,
    op_name: &str,
    choice_enum: String,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Option<Body> {
    let mut media: Vec<(&String, &MediaType)> = body.content.iter().collect();
    media.sort_by_key(|(m, _)| media_rank(m));
    let mut choices: Vec<BodyChoice> = Vec::new();
    let mut variants = NameSet::default();
    for (content_type, mt) in media {
        let media_pointer = format!("{pointer}/content/{}", pointer::escape(content_type));
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
        let variant = choice_variant(&kind, &content_type, &mut variants);
        let form_encodings = match kind {
            BodyKind::Form(_) => form_encodings(space, mt, &media_pointer),
            _ => Vec::new(),
        };
        choices.push(BodyChoice {
            content_type,
            kind,
            variant,
            example: body_example(space, mt),
            form_encodings,
        });
    }
    let mut choices = choices.into_iter();
    let default = choices.next()?;
    let alternatives: Vec<BodyChoice> = choices.collect();
    Some(Body {
        default,
        required: body.required,
        choice_enum: (!alternatives.is_empty()).then_some(choice_enum),
        alternatives,
    })
}

/// The example a media type gives its body, the first that exists of: its `example`, its
/// first inline `examples` value, the example of its (referenced) schema.
fn body_example(space: &TypeSpace<'_>, mt: &MediaType) -> Option<String> {
    let inline = mt.example.clone().or_else(|| {
        mt.examples.values().find_map(|e| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    });
    inline
        .or_else(|| {
            let schema = space.resolver.peek(mt.schema.as_ref()?)?;
            schema.schema_data.example
        })
        .map(|e| e.to_string())
}

/// The variant of a body's choice enum for one encoding: the encoding's word (`Json`), or,
/// when two media types share an encoding, the media type's subtype.
fn choice_variant(kind: &BodyKind, media: &str, taken: &mut NameSet) -> String {
    let word = match kind {
        BodyKind::Json(_) => "Json",
        BodyKind::Form(_) => "Form",
        BodyKind::Multipart(_) => "Multipart",
        BodyKind::Bytes => "Bytes",
        BodyKind::Text => "Text",
    };
    let base = if taken.is_free(word) {
        word.to_owned()
    } else {
        type_name(media.rsplit('/').next().unwrap_or(media))
    };
    taken.unique(&base)
}

fn body_kind(
    space: &mut TypeSpace<'_>,
    content_type: &str,
    mt: &MediaType,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> BodyKind {
    let at = format!("{pointer}/content/{}", pointer::escape(content_type));
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

/// Where a multipart body's type is defined: under the name of the component schema it
/// references when that component serves only as multipart bodies (then it is defined here
/// and not as a JSON struct), else under a name made from the operation.
fn multipart_target(
    space: &mut TypeSpace<'_>,
    mt: &MediaType,
    op_name: &str,
    at: &str,
) -> (String, String) {
    if let Some(ReferenceOr::Reference { reference }) = &mt.schema
        && let Some(key) = pointer::component_key(reference, "schemas")
        && space.multipart_components.contains(&key)
        && let Some(name) = space.components.get(&key)
    {
        let at = format!("#/components/schemas/{}", pointer::escape(&key));
        return (name.clone(), at);
    }
    (
        space.name_at(at, &type_name(&format!("{op_name}Request"))),
        at.to_owned(),
    )
}

/// A multipart body becomes a struct whose binary fields are file parts.
fn multipart_struct(
    space: &mut TypeSpace<'_>,
    mt: &MediaType,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> String {
    let (name, type_pointer) = multipart_target(space, mt, op_name, pointer);
    if space.defined(&name).is_some() {
        // A component shared by several multipart bodies is defined once.
        return name;
    }
    let mut description = None;
    let mut fields = Vec::new();
    let mut idents = NameSet::reserving(RESERVED_FIELD_METHODS);
    if let Some(schema) = &mt.schema
        && let Some(target) = space.resolve(schema, &format!("{pointer}/schema"), diags)
    {
        description = doc_of(&target.schema).description;
        let view = object_view(&space.resolver, &target.schema, &target.pointer, 0, diags);
        for (wire, (prop, prop_ptr)) in &view.properties {
            let resolved = space.resolver.peek(prop);
            let shape = encoding::shape(&space.resolver, prop);
            let encoding = mt.encoding.get(wire);
            let styled =
                encoding.and_then(|e| styled_kind(e, declared_explode(space, pointer, wire)));
            let (ty, kind) = match &shape {
                encoding::ValueShape::Binary => (Ty::Binary, MultipartKind::File),
                encoding::ValueShape::List(item) if **item == encoding::ValueShape::Binary => {
                    (Ty::Vec(Box::new(Ty::Binary)), MultipartKind::Files)
                }
                _ => {
                    let conv = space.convert(
                        prop,
                        Naming::Hint(format!("{name}{}", type_name(wire))),
                        prop_ptr,
                        1,
                        diags,
                    );
                    let ty = wrap_nullable(conv);
                    let by_schema = encoding::part_kind(&shape, encoding);
                    let kind = match styled {
                        Some(kind) if space.styles_multipart => kind,
                        Some(kind) => {
                            if changes_the_wire(&kind, &by_schema) {
                                diags.warn(
                                    format!("{pointer}/encoding/{}/style", pointer::escape(wire)),
                                    format!(
                                        "`style` is ignored in a multipart body under OpenAPI 3.0 (it applies to form \
                                         bodies only; 3.1 applies it here too): `{wire}` is sent as {}; name the \
                                         bracket keys as properties (`{wire}[key]`) to send them",
                                        kind_words(&by_schema)
                                    ),
                                );
                            }
                            by_schema
                        }
                        None => by_schema,
                    };
                    (ty, kind)
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
                constant: resolved.as_ref().and_then(single_string_value),
            });
        }
    }
    let kind = "A `multipart/form-data` request body.";
    space.push(TypeDef {
        name: name.clone(),
        pointer: type_pointer,
        doc: Doc {
            description: Some(match description {
                Some(d) => format!("{}\n\n{kind}", d.trim_end()),
                None => kind.to_owned(),
            }),
            ..Doc::default()
        },
        kind: TypeKind::Multipart(Struct {
            fields,
            additional: None,
            constructor: Vec::new(),
            named: None,
        }),
    });
    name
}

/// The IR style of an OpenAPI `style` keyword (query parameters and body encodings share it).
pub(super) fn param_style(style: &QueryStyle) -> ParamStyle {
    match style {
        QueryStyle::Form => ParamStyle::Form,
        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
        QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// A property whose `encoding` names a `style` (or `explode: true`) travels as text parts
/// named the way a query string would name them (`a[b][c]=v`, repeated keys): in form bodies
/// always, in multipart bodies from OpenAPI 3.1 on (3.0 says to ignore `style` there; the
/// caller warns where that changes the parts). Such an encoding outranks `contentType`, which
/// describes a single part. `None` keeps the default.
///
/// `explode` is `declared` (read from the document: `openapiv3` reads an absent one as
/// `false`), else OpenAPI's default, `true` for `form`; `deepObject` is only defined
/// exploded. An `explode` without a `style` means `form`.
fn styled_kind(encoding: &Encoding, declared: Option<bool>) -> Option<MultipartKind> {
    let style = match &encoding.style {
        Some(style) => param_style(style),
        None if declared.is_some() => ParamStyle::Form,
        None => return None,
    };
    let explode = declared.unwrap_or(style == ParamStyle::Form);
    Some(MultipartKind::Styled {
        style,
        explode: explode || style == ParamStyle::DeepObject,
    })
}

/// The `explode` a body's `encoding.<name>` writes, if it writes one (`media` is the media
/// type's pointer in the document).
fn declared_explode(space: &TypeSpace<'_>, media: &str, name: &str) -> Option<bool> {
    let at = format!("{media}/encoding/{}/explode", pointer::escape(name));
    space.resolver.target(&at).and_then(Value::as_bool)
}

/// Whether sending by `style` would put other parts on the wire than the property's default
/// encoding: all but an exploded `form` array of scalars, which repeats its name either way.
fn changes_the_wire(styled: &MultipartKind, default: &MultipartKind) -> bool {
    !matches!(
        (styled, default),
        (
            MultipartKind::Styled {
                style: ParamStyle::Form,
                explode: true
            },
            MultipartKind::Text
        )
    )
}

/// How a part of `kind` goes out, in words for a warning.
fn kind_words(kind: &MultipartKind) -> &'static str {
    match kind {
        MultipartKind::Json => "one JSON part",
        MultipartKind::File | MultipartKind::Files => "a file part",
        MultipartKind::Text | MultipartKind::Styled { .. } => "text parts",
        MultipartKind::Typed(_) => "parts of its declared content type",
    }
}

/// The fields of a form body whose `encoding` entry says how to encode them: a `style` (or
/// `explode`) as for a query parameter, else a JSON `contentType` as one JSON text. Entries
/// that say neither keep the default, and are left out.
fn form_encodings(
    space: &TypeSpace<'_>,
    mt: &MediaType,
    media: &str,
) -> Vec<(String, FormFieldEncoding)> {
    mt.encoding
        .iter()
        .filter_map(|(wire, encoding)| {
            let how = match styled_kind(encoding, declared_explode(space, media, wire)) {
                Some(MultipartKind::Styled { style, explode }) => {
                    FormFieldEncoding::Styled { style, explode }
                }
                _ if encoding::declares_json(encoding) => FormFieldEncoding::Json,
                _ => return None,
            };
            Some((wire.clone(), how))
        })
        .collect()
}

/// The last four keys of a node's location in the raw tree, with its depth and whether it lies
/// under `components/requestBodies`: enough to tell a request body's schema position.
#[derive(Clone, Copy)]
struct Location<'a> {
    tail: [&'a str; 4],
    depth: usize,
    request_bodies: bool,
}

impl<'a> Location<'a> {
    fn child(self, key: &'a str) -> Self {
        let [_, a, b, c] = self.tail;
        let tail = [a, b, c, key];
        Self {
            tail,
            depth: self.depth + 1,
            request_bodies: self.request_bodies
                || (self.depth == 1 && tail[2] == "components" && key == "requestBodies"),
        }
    }

    /// `…/requestBody/content/multipart~1…/schema`, or the same in a `requestBodies` component.
    fn is_multipart_body_schema(&self) -> bool {
        let [owner, content, media, schema] = self.tail;
        content == "content"
            && schema == "schema"
            && media.to_ascii_lowercase().starts_with("multipart/")
            && (owner == "requestBody" || (self.request_bodies && self.depth == 6))
    }
}

/// Component schemas referenced only as the schema of `multipart/*` request bodies (by key).
/// Such a schema is defined once, as the multipart body type under its own name, and not also
/// as a JSON struct a caller could mistake for the body.
pub(super) fn multipart_only_components(raw: &Value) -> HashSet<String> {
    let mut multipart = HashSet::new();
    let mut elsewhere = HashSet::new();
    let root = Location {
        tail: [""; 4],
        depth: 0,
        request_bodies: false,
    };
    // An explicit stack: documents can nest deeper than the call stack allows.
    let mut stack = vec![(raw, root)];
    while let Some((node, at)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(key) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| pointer::component_key(r, "schemas"))
                {
                    if at.is_multipart_body_schema() {
                        multipart.insert(key);
                    } else {
                        elsewhere.insert(key);
                    }
                }
                stack.extend(map.iter().map(|(k, v)| (v, at.child(k))));
            }
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, at.child("")))),
            _ => {}
        }
    }
    multipart.retain(|key| !elsewhere.contains(key));
    multipart
}

#[cfg(test)]
mod tests {
    use super::multipart_only_components;
    use crate::{Dates, Options, generate};
    use serde_json::json;

    fn multipart(schema: &str) -> serde_json::Value {
        json!({"content": {"multipart/form-data": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
    }

    #[test]
    fn only_components_used_solely_as_multipart_bodies_are_claimed() {
        let raw = json!({
            "paths": {
                "/a": {"post": {"requestBody": multipart("Upload")}},
                "/a2": {"put": {"requestBody": multipart("Upload")}},
                "/b": {"post": {"requestBody": {"content": {
                    "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Shared"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}
                }}}},
                "/c": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Form"}}},
                "/d": {"post": {"requestBody": multipart("Nested")}}
            },
            "components": {
                "requestBodies": {"Form": multipart("ViaComponent")},
                "schemas": {
                    "Holder": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/Nested"}}}
                }
            }
        });
        let mut claimed: Vec<String> = multipart_only_components(&raw).into_iter().collect();
        claimed.sort();
        assert_eq!(claimed, ["Upload", "ViaComponent"]);
    }

    #[test]
    fn a_multipart_component_is_one_type_under_its_own_name() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/chats": {"post": {
                "operationId": "start",
                "requestBody": {"required": true, "content": {"multipart/form-data": {
                    "schema": {"$ref": "#/components/schemas/StartChat"}
                }}},
                "responses": {"200": {"description": "ok"}}
            }}},
            "components": {"schemas": {"StartChat": {
                "type": "object",
                "required": ["to"],
                "properties": {
                    "to": {"type": "string"},
                    "at": {"type": "string", "format": "date-time"},
                    "file": {"type": "string", "format": "binary"}
                }
            }}}
        });
        let bytes = serde_json::to_vec(&doc).expect("json");
        let typed = generate(&bytes, &Options::default()).expect("generates");
        let names: Vec<&str> = typed.model.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["StartChat"]);
        let types = |g: &crate::Generated| {
            g.files
                .iter()
                .find(|f| f.path == "src/generated/types.rs")
                .map(|f| f.contents.clone())
                .expect("types.rs")
        };
        assert!(types(&typed).contains("pub at: Option<crate::engine::Timestamp>"));
        let text = Options {
            dates: Dates::Text,
            ..Options::default()
        };
        let as_text = generate(&bytes, &text).expect("generates");
        assert!(types(&as_text).contains("pub at: Option<String>"));
    }
}
