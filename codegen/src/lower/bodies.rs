//! Request bodies: which encodings an operation accepts (JSON, form, multipart, bytes, text),
//! in order of preference, each with its type, and the variant that picks it.

use super::merge::object_view;
use super::shapes::{binary_shape, doc_of};
use super::space::{Naming, TypeSpace, wrap_nullable};
use crate::diagnostics::Diagnostics;
use crate::ir::{
    Body, BodyChoice, BodyKind, Doc, Field, MultipartKind, ParamStyle, Struct, Ty, TypeDef,
    TypeKind,
};
use crate::names::{NameSet, field_name, type_name};
use crate::pointer;
use openapiv3::{Encoding, MediaType, QueryStyle, ReferenceOr, RequestBody};

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
        choices.push(BodyChoice {
            content_type,
            kind,
            variant,
            example: body_example(space, mt),
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

/// A multipart body becomes a struct whose binary fields are file parts.
fn multipart_struct(
    space: &mut TypeSpace<'_>,
    mt: &MediaType,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> String {
    let name = space.names.unique(&type_name(&format!("{op_name}Request")));
    let mut fields = Vec::new();
    let mut idents = NameSet::default();
    if let Some(schema) = &mt.schema
        && let Some(target) = space.resolve(schema, &format!("{pointer}/schema"), diags)
    {
        let view = object_view(&space.resolver, &target.schema, &target.pointer, 0, diags);
        for (wire, (prop, prop_ptr)) in &view.properties {
            let resolved = space.resolver.peek(prop);
            let binary_kind = resolved.as_ref().and_then(binary_shape);
            let encoding = mt.encoding.get(wire);
            let encoded_json = encoding
                .and_then(|e| e.content_type.as_deref())
                .is_some_and(|c| c.contains("json"));
            let styled = encoding.and_then(styled_kind);
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
                    let kind = match styled {
                        Some(kind) => kind,
                        None if encoded_json || structured => MultipartKind::Json,
                        None => MultipartKind::Text,
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

/// The IR style of an OpenAPI `style` keyword (query parameters and body encodings share it).
pub(super) fn param_style(style: &QueryStyle) -> ParamStyle {
    match style {
        QueryStyle::Form => ParamStyle::Form,
        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
        QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// A multipart property whose `encoding` names a `style` (or `explode: true`) travels as
/// text parts named the way a query string would name them (`a[b][c]=v`, repeated keys),
/// which is how bracket-notation servers read nested multipart fields. Such an encoding
/// outranks `contentType`, which describes a single part. `None` keeps the default.
///
/// `openapiv3` reads an absent `explode` as `false`; OpenAPI's default for `form` is `true`,
/// so a document that wants repeated keys writes `explode: true` (deepObject is only defined
/// exploded, so it is always exploded).
fn styled_kind(encoding: &Encoding) -> Option<MultipartKind> {
    let style = match &encoding.style {
        Some(style) => param_style(style),
        None if encoding.explode => ParamStyle::Form,
        None => return None,
    };
    Some(MultipartKind::Styled {
        style,
        explode: encoding.explode || style == ParamStyle::DeepObject,
    })
}
